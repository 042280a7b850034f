/* heap.c: Lab 11 fixed with a heap-allocated argument per worker.
 *
 * start_workers() gives each worker its own copy of i, allocated with malloc. The copy is
 * written before the thread is created and belongs to that worker alone, which frees it
 * once read. Nothing on the creator's stack is shared, so it does not matter that
 * start_workers() returns before the workers run. Check: racelab run lab11 --solution=heap */
#include <stdatomic.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

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
	long id = *(long *)arg; /* its own heap copy: nobody else has it */
	free(arg);              /* FIXED: the worker owns its argument, so it frees it */
	if (id >= 0 && id < threads)
		atomic_fetch_add(&seen[id], 1);
	else
		strays[atomic_fetch_add(&n_strays, 1)] = id;
	return NULL;
}

/* Starts worker number i for every i in 0..n-1, and returns without waiting for them. */
static void start_workers(pthread_t *workers, long n)
{
	for (long i = 0; i < n; i++) {
		long *id = malloc(sizeof(*id));
		if (!id)
			rl_fail(__FILE__, __LINE__, "malloc", ENOMEM);
		*id = i;
		/* FIXED: a copy of i on the heap, one per worker; it lives until the worker
		 * frees it, however long after start_workers() returns that is. */
		rl_thread_start(&workers[i], worker, id);
	}
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
	rl_args_parse(argc, argv, "Lab 11 (heap solution): each worker frees its copy.", knobs);

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
