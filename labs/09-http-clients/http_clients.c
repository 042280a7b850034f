/* http_clients.c: Lab 9, many HTTP requests at once: fast, and miscounted.
 *
 * The lab starts a small HTTP server inside this process (tiny_http.c beside this file)
 * on 127.0.0.1; each request takes it --delay-ms to answer, like a real server. The
 * client fetches --requests URLs, /bytes/N (the answer is N bytes), twice: first one
 * after the other, doing nothing while it waits; then with one thread per request, so
 * all the waits overlap. Both add what arrives, chunk by chunk, to running totals. The
 * threads share one `totals` and update it with no lock: copy it, add, write it back.
 * When two threads do that at once, one of the two updates is lost.
 *
 * Expect: the threads finish many times sooner than the sequential client (speedup),
 * but count fewer bytes than were received, a different number each run; ThreadSanitizer
 * reports a data race on `totals` at the marked lines. Run it with `make lab9`; the lab
 * text is README.md beside this file; the fixed versions are in solutions/09-http-clients/. */
#include <stdint.h>
#include <stdio.h>

#include "labkit.h"
#include "tiny_http.h"

#define MAX_REQUESTS 256
#define CHUNK        512 /* read at most this much at a time, as a client streaming a download */

struct totals {
	long bytes;     /* body bytes received */
	long lines;     /* lines in them */
	long responses; /* responses received completely */
};

static struct totals totals;     /* shared by every client thread, guarded by nothing */
static long sizes[MAX_REQUESTS]; /* request i asks for /bytes/sizes[i] */
static struct http_server server;
static struct rl_gate gate;

/* Adds to *t a received chunk of n bytes and `responses` finished responses. */
static void add_to_totals(struct totals *t, const char *chunk, long n, long responses)
{
	struct totals now = *t; /* RACE: copy the totals, ... */
	now.bytes += n;
	for (long i = 0; i < n; i++)
		now.lines += chunk[i] == '\n';
	now.responses += responses;
	*t = now; /* RACE: ...write the copy back, over what other threads added meanwhile */
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
	rl_gate_wait(&gate);          /* all requests leave together, so the downloads overlap */
	fetch(sizes[i], &totals);
	return NULL;
}

int main(int argc, char **argv)
{
	long requests = 32, delay_ms = 2, expected = 0;
	struct rl_knob knobs[] = {
	    {"requests", &requests, 1, MAX_REQUESTS, "URLs to fetch"},
	    {"delay-ms", &delay_ms, 0, 1000, "server's delay per request, ms"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 9: HTTP requests one by one, then a thread per request.",
	              knobs);
	http_server_start(&server, delay_ms);
	for (long i = 0; i < requests; i++) {
		sizes[i] = HTTP_LINE * (256 + i * 97 % 768); /* 16 to 64 KiB of whole lines */
		expected += sizes[i];
	}

	struct totals sequential = {0}; /* only main touches it */
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
