/* thread_args.c: Lab 11, what a thread's argument points to.
 *
 * start_workers() starts one worker per id 0..n-1 and hands each the address of its loop
 * variable: pthread_create(..., &i). Threads share memory, the creator's stack included,
 * so a worker reads the one `i` whenever it gets to run: by then the loop has usually
 * moved on (two workers read the same id, some ids nobody reads), or start_workers() has
 * returned and its `i` is gone (a worker reads whatever now sits on that stack slot).
 *
 * Expect: the ids the workers read are not 0..n-1 once each, in almost every run;
 * ThreadSanitizer reports a data race on a location on the stack of the main thread, at
 * the marked lines. Run it with `make lab11`; the lab text is README.md beside this file;
 * the fixed versions are in solutions/11-thread-arguments/. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */

static long threads;
/* What the workers read: seen[id] counts the workers that read id (atomic, so the count
 * itself is not racy); ids outside 0..threads-1 go to strays[], one slot per worker. */
static atomic_int seen[MAX_THREADS];
static atomic_int n_strays;
static long strays[MAX_THREADS];

static void *worker(void *arg)
{
	long id = *(long *)arg; /* RACE: reads the creator's i, which has moved on or is gone */
	if (id >= 0 && id < threads)
		atomic_fetch_add(&seen[id], 1);
	else
		strays[atomic_fetch_add(&n_strays, 1)] = id;
	return NULL;
}

/* Starts worker number i for every i in 0..n-1, and returns without waiting for them. */
static void start_workers(pthread_t *workers, long n)
{
	for (long i = 0; i < n; i++) /* RACE: i++ changes the i every worker was given */
		rl_thread_start(&workers[i], worker, &i); /* the address of i, not its value */
}

/* Prints the ids read, in order ("0 1 1 3 ..."), then the strays; returns the number of
 * ids read exactly once. */
static long print_ids(void)
{
	long once = 0;
	printf("ids read:");
	for (long id = 0; id < threads; id++) {
		int n = atomic_load(&seen[id]);
		for (int k = 0; k < n; k++)
			printf(" %ld", id);
		once += n == 1;
	}
	printf("\nids outside 0..%ld:", threads - 1);
	for (int k = 0; k < atomic_load(&n_strays); k++)
		printf(" %ld", strays[k]);
	printf("\n");
	return once;
}

int main(int argc, char **argv)
{
	threads = 8;
	struct rl_knob knobs[] = {
	    RL_KNOB_THREADS(&threads),
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 11: workers read their id through a pointer to i.", knobs);

	pthread_t workers[MAX_THREADS];
	start_workers(workers, threads);
	for (long t = 0; t < threads; t++)
		rl_thread_join(workers[t], NULL);

	long once = print_ids();
	struct rl_result result = {
	    .what = "ids read exactly once",
	    .observed = (double)once,
	    .expected = (double)threads,
	    .symptom = once != threads,
	};
	rl_result_metric("ids_outside_range", (double)atomic_load(&n_strays));
	rl_result_report(&result);
	return 0;
}
