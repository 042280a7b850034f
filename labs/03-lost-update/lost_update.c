/* lost_update.c: Lab 3, the lost update.
 *
 * Every worker thread adds 1 to one shared counter, `iterations` times. Nothing guards
 * the counter, and `counter = counter + 1` is three steps: load, add, store. When two
 * threads interleave them (both load 41, both store 42) one increment is lost.
 *
 * Expect: the final counter falls short of threads x iterations, by a different amount
 * in almost every run; ThreadSanitizer reports a data race on `counter` at the marked
 * line. Run it with `make lab3`; the lab text is README.md beside this file; the fixed
 * versions are in solutions/03-lost-update/. */
#include <stddef.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */

static long counter; /* shared by every worker, guarded by nothing */
static long iterations;
static struct rl_gate gate;

static void *worker(void *arg)
{
	(void)arg;
	rl_gate_wait(&gate); /* all workers start together, so their loops overlap */
	for (long i = 0; i < iterations; i++)
		counter = counter + 1; /* RACE: load, add, store; another thread can run between */
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = 2;
	iterations = 100000;
	struct rl_knob knobs[] = {
	    RL_KNOB_THREADS(&threads),
	    RL_KNOB_ITERATIONS(&iterations),
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 3: threads increment one counter without a lock.", knobs);

	pthread_t workers[MAX_THREADS];
	rl_gate_init(&gate, (int)threads);
	long long start = rl_clock_ns();
	for (long t = 0; t < threads; t++)
		rl_thread_start(&workers[t], worker, NULL);
	for (long t = 0; t < threads; t++)
		rl_thread_join(workers[t], NULL);
	long long elapsed = rl_clock_ns() - start;

	long expected = threads * iterations;
	struct rl_result result = {
	    .what = "counter",
	    .observed = (double)counter,
	    .expected = (double)expected,
	    .symptom = counter != expected,
	    .ops = expected,
	    .work_ns = elapsed,
	};
	rl_result_report(&result);
	return 0;
}
