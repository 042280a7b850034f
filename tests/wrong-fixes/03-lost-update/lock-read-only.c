/* lock-read-only.c: a typical wrong fix of lab 3 (tests/wrong-fixes/README.md): the lock covers the
 * load only; the store happens after the unlock. racelab must still say the bug shows;
 * scripts/bench measures how often it does. */
#include <stddef.h>

#include "labkit.h"

#define MAX_THREADS 1024

static long counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long iterations;
static struct rl_gate gate;

static void *worker(void *arg)
{
	(void)arg;
	rl_gate_wait(&gate);
	for (long i = 0; i < iterations; i++) {
		rl_lock(&counter_lock);
		long seen = counter; /* WRONG FIX: only the read is locked */
		rl_unlock(&counter_lock);
		counter = seen + 1;
	}
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
	rl_args_parse(argc, argv, "Lab 3, wrong fix 'lock-read-only'.", knobs);

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
