/* pool.c: Lab 9 fixed with a pool of workers, each counting on its own.
 *
 * Instead of a thread per request, --workers threads (like Python's
 * ThreadPoolExecutor(max_workers=8)) take the requests one by one from a shared atomic
 * index, so each request is fetched exactly once and the number of threads stays
 * bounded however many URLs there are. Each worker adds what it receives to totals of
 * its own, which no other thread touches; main sums them after joining the workers.
 * Two things are still shared while the workers run: next_request, which every worker
 * updates (atomically, so no lock is needed), and the memory of counted[]: each entry is
 * 24 bytes, so neighbours' totals sit in one 64-byte cache line and every update takes
 * that line from the other cores. That is false sharing (lab 12): correct, but slower;
 * here the waits for the server dwarf it, and padding each entry to a line would end it.
 * Check: racelab run lab9 --solution=pool */
#include <stdatomic.h>
#include <stdio.h>

#include "labkit.h"
#include "../../labs/09-http-clients/tiny_http.h"

#define MAX_REQUESTS 256
#define MAX_WORKERS  64
#define CHUNK        512 /* read at most this much at a time, as a client streaming a download */

struct totals {
	long bytes;     /* body bytes received */
	long lines;     /* lines in them */
	long responses; /* responses received completely */
};

static struct totals totals;     /* the sum of the workers' totals, made by main */
static long sizes[MAX_REQUESTS]; /* request i asks for /bytes/sizes[i] */
static struct http_server server;
static struct rl_gate gate;
static long requests = 32;
static atomic_long next_request; /* the first request no worker has taken yet */

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
	struct totals *mine = arg; /* FIXED: this worker's own totals */
	rl_gate_wait(&gate);       /* all workers start together, so the downloads overlap */
	for (;;) {
		long i = atomic_fetch_add(&next_request, 1); /* FIXED: each request taken once */
		if (i >= requests)
			return NULL;
		fetch(sizes[i], mine);
	}
}

int main(int argc, char **argv)
{
	long workers = 8, delay_ms = 2, expected = 0;
	struct rl_knob knobs[] = {
	    {"requests", &requests, 1, MAX_REQUESTS, "URLs to fetch"},
	    {"delay-ms", &delay_ms, 0, 1000, "server's delay per request, ms"},
	    {"workers", &workers, 1, MAX_WORKERS, "worker threads in the pool"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 9 (pool solution): a pool of workers, totals of their own.",
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

	pthread_t threads[MAX_WORKERS];
	struct totals counted[MAX_WORKERS] = {{0}}; /* counted[w]: only worker w's */
	if (workers > requests)
		workers = requests;
	rl_gate_init(&gate, (int)workers);
	start = rl_clock_ns();
	for (long w = 0; w < workers; w++)
		rl_thread_start(&threads[w], worker, &counted[w]);
	for (long w = 0; w < workers; w++)
		rl_thread_join(threads[w], NULL);
	long long threaded_ns = rl_clock_ns() - start;
	for (long w = 0; w < workers; w++) { /* FIXED: summed after the join, by main alone */
		totals.bytes += counted[w].bytes;
		totals.lines += counted[w].lines;
		totals.responses += counted[w].responses;
	}
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
