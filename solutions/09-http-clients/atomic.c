/* atomic.c: Lab 9 fixed with atomic counters.
 *
 * Each total is an atomic_long and grows by atomic_fetch_add: read, add and write in one
 * indivisible step, so no thread's addition can be overwritten. The lines of a chunk
 * are counted first, in a local variable, and added at once. No lock, no waiting; but
 * the three totals are no longer updated together (a reader could see the bytes of a
 * chunk before its lines). Check: racelab run lab9 --solution=atomic */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "labkit.h"
#include "../../labs/09-http-clients/tiny_http.h"

#define MAX_REQUESTS 256
#define CHUNK 512 /* read at most this much at a time, as a client streaming a download */

struct totals {
	atomic_long bytes;     /* body bytes received */
	atomic_long lines;     /* lines in them */
	atomic_long responses; /* responses received completely */
};

static struct totals totals; /* shared by every client thread; only touched atomically */
static long sizes[MAX_REQUESTS]; /* request i asks for /bytes/sizes[i] */
static struct http_server server;
static struct rl_gate gate;

/* Adds to *t a received chunk of n bytes and `responses` finished responses. */
static void add_to_totals(struct totals *t, const char *chunk, long n, long responses)
{
	long lines = 0;
	for (long i = 0; i < n; i++)
		lines += chunk[i] == '\n';
	atomic_fetch_add(&t->bytes, n); /* FIXED: each total grows in one indivisible step */
	atomic_fetch_add(&t->lines, lines);
	atomic_fetch_add(&t->responses, responses);
}

/* GETs /bytes/size from the server, adding the body to *t as it arrives. */
static void fetch(long size, struct totals *t)
{
	char path[32], chunk[CHUNK];
	struct http_response response;
	long n;
	snprintf(path, sizeof(path), "/bytes/%ld", size);
	http_get(server.port, path, &response); /* the wait: delay_ms */
	while ((n = http_read_body(&response, chunk, sizeof(chunk))) > 0)
		add_to_totals(t, chunk, n, 0);
	add_to_totals(t, NULL, 0, 1);
	http_close(&response);
}

static void *worker(void *arg)
{
	long i = (long)(intptr_t)arg; /* this thread's request */
	rl_gate_wait(&gate); /* all requests leave together, so the downloads overlap */
	fetch(sizes[i], &totals);
	return NULL;
}

int main(int argc, char **argv)
{
	long requests = 32, delay_ms = 2, expected = 0;
	struct rl_knob knobs[] = {
		{ "requests", &requests, 1, MAX_REQUESTS, "URLs to fetch" },
		{ "delay-ms", &delay_ms, 0, 1000, "server's delay per request, ms" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 9 (atomic solution): atomic totals.",
		      knobs);
	http_server_start(&server, delay_ms);
	for (long i = 0; i < requests; i++) {
		sizes[i] = HTTP_LINE * (256 + i * 97 % 768); /* 16 to 64 KiB of whole lines */
		expected += sizes[i];
	}

	struct totals sequential = { 0 }; /* only main touches it */
	long long start = rl_clock_ns();
	for (long i = 0; i < requests; i++)
		fetch(sizes[i], &sequential);
	long long sequential_ns = rl_clock_ns() - start;

	pthread_t threads[MAX_REQUESTS];
	rl_gate_init(&gate, (int)requests);
	start = rl_clock_ns();
	for (long i = 0; i < requests; i++)
		rl_thread_start(&threads[i], worker, (void *)(intptr_t)i);
	for (long i = 0; i < requests; i++)
		rl_thread_join(threads[i], NULL);
	long long threaded_ns = rl_clock_ns() - start;
	http_server_stop(&server);

	rl_result_metric("sequential_ms", sequential_ns / 1e6);
	rl_result_metric("threaded_ms", threaded_ns / 1e6);
	rl_result_metric("speedup", (double)sequential_ns / (double)threaded_ns);
	rl_result_metric("sequential_bytes", (double)sequential.bytes);
	rl_result_metric("lines_counted", (double)totals.lines);
	rl_result_metric("lines_expected", (double)(expected / HTTP_LINE));
	rl_result_metric("responses_counted", (double)totals.responses);
	rl_result_metric("responses_expected", (double)requests);
	struct rl_result result = {
		.what = "bytes counted by the threads",
		.observed = (double)totals.bytes,
		.expected = (double)expected,
		.symptom = totals.bytes != expected || totals.lines != expected / HTTP_LINE ||
			   totals.responses != requests,
		.ops = requests,
		.work_ns = threaded_ns,
	};
	rl_result_report(&result);
	return 0;
}
