/* atomic.c: Lab 3 fixed with a C11 atomic.
 *
 * atomic_fetch_add makes load, add and store one indivisible step, done by the CPU (a
 * `lock add` on x86). No lock, no waiting thread; relaxed ordering is enough because
 * nothing else is published through the counter, and pthread_join orders the final read.
 * Check: racelab run lab3 --solution=atomic */
#include <stdatomic.h>
#include <stddef.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */

static atomic_long counter; /* shared by every worker; only touched atomically */
static long iterations;
static struct rl_gate gate;

static void *worker(void *arg)
{
	(void)arg;
	rl_gate_wait(&gate); /* all workers start together, so their loops overlap */
	for (long i = 0; i < iterations; i++)
		atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed); /* FIXED: one step */
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
	rl_args_parse(argc, argv, "Lab 3 (atomic solution): threads increment one atomic counter.",
	              knobs);

	pthread_t workers[MAX_THREADS];
	rl_gate_init(&gate, (int)threads);
	long long start = rl_clock_ns();
	for (long t = 0; t < threads; t++)
		rl_thread_start(&workers[t], worker, NULL);
	for (long t = 0; t < threads; t++)
		rl_thread_join(workers[t], NULL);
	long long elapsed = rl_clock_ns() - start;

	long expected = threads * iterations;
	long total = atomic_load(&counter);
	struct rl_result result = {
	    .what = "counter",
	    .observed = (double)total,
	    .expected = (double)expected,
	    .symptom = total != expected,
	    .ops = expected,
	    .work_ns = elapsed,
	};
	rl_result_report(&result);
	return 0;
}
