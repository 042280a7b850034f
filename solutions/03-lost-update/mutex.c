/* mutex.c: Lab 3 fixed with a mutex.
 *
 * The load, add and store of `counter = counter + 1` now happen while holding
 * counter_lock, so no other thread can run them in between: no update is lost. The price
 * is a lock and an unlock per increment, and the two threads take turns instead of
 * running side by side. Check: racelab run lab3 --solution=mutex */
#include <stddef.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */

static long counter; /* shared by every worker; counter_lock must be held to use it */
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long iterations;
static struct rl_gate gate;

static void *worker(void *arg)
{
	(void)arg;
	rl_gate_wait(&gate); /* all workers start together, so their loops overlap */
	for (long i = 0; i < iterations; i++) {
		rl_lock(&counter_lock);
		counter = counter + 1; /* FIXED: no other thread can load or store in between */
		rl_unlock(&counter_lock);
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
	rl_args_parse(argc, argv,
	              "Lab 3 (mutex solution): threads increment one counter under a lock.", knobs);

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
