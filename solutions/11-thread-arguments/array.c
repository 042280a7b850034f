/* array.c: Lab 11 fixed with one argument slot per worker.
 *
 * main owns an array ids[] with one slot per worker; worker i gets &ids[i]. The slot is
 * written before its thread is created (pthread_create orders that write before
 * everything the thread does), nobody writes it afterwards, and main keeps the array
 * alive until it has joined every worker. Check: racelab run lab11 --solution=array */
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
	long id = *(long *)arg; /* its own slot in main's ids[]: nobody else writes it */
	if (id >= 0 && id < threads)
		atomic_fetch_add(&seen[id], 1);
	else
		strays[atomic_fetch_add(&n_strays, 1)] = id;
	return NULL;
}

/* Starts worker number i for every i in 0..n-1, and returns without waiting for them.
 * ids must have room for n and must live until every worker has been joined. */
static void start_workers(pthread_t *workers, long *ids, long n)
{
	for (long i = 0; i < n; i++) {
		ids[i] = i;
		/* FIXED: each worker gets its own slot, written before the thread starts and
		 * never changed; main keeps ids until it has joined every worker. */
		rl_thread_start(&workers[i], worker, &ids[i]);
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
	rl_args_parse(argc, argv, "Lab 11 (array solution): one slot each.", knobs);

	pthread_t workers[MAX_THREADS];
	long ids[MAX_THREADS]; /* one argument per worker; outlives them: joined below */
	start_workers(workers, ids, threads);
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
