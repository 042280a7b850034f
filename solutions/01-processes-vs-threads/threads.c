/* threads.c: Lab 1 fixed with threads and an atomic counter.
 *
 * The workers are threads instead of child processes. Threads of one process share its
 * memory: worker id's write to partial[id] is the parent's partial[id], and pthread_join
 * makes it visible to main. Now that the workers share memory, the counter needs what lab
 * 3 taught: atomic_fetch_add makes load, add and store one step. (The mmap'd page is kept
 * only to keep the diff small; threads would share any global just as well.)
 * Check: racelab run lab1 --solution=threads */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>

#include "labkit.h"

#define MAX_WORKERS 64 /* threads at most */

struct shared_page {      /* one page, mapped MAP_SHARED (threads would share any memory) */
	struct rl_gate gate; /* workers start counting together */
	atomic_long items;   /* numbers handled, by all workers together: only touched atomically */
};

static long partial[MAX_WORKERS]; /* partial[id]: worker id's sum; one process, one copy */
static struct shared_page *shared;
static long iterations;           /* numbers per child */

/* Worker `id` adds up its numbers: id * iterations + 1 .. (id + 1) * iterations. */
static void *worker(void *arg)
{
	long id = (long)arg;
	long first = id * iterations + 1;
	long sum = 0;

	rl_gate_wait(&shared->gate);
	for (long k = first; k < first + iterations; k++) {
		sum += k;
		atomic_fetch_add_explicit(&shared->items, 1, memory_order_relaxed); /* FIXED: one step */
	}
	partial[id] = sum; /* FIXED: a thread writes the one and only partial[] */
	return NULL;
}

/* FIXED: threads instead of processes: they share the process's memory. */
static void start_workers(pthread_t *tids, long workers)
{
	for (long id = 0; id < workers; id++)
		rl_thread_start(&tids[id], worker, (void *)id);
}

/* Joins every thread: after pthread_join, all its writes are visible here. A failed
 * join aborts, so this returns 0. */
static int wait_workers(const pthread_t *tids, long workers)
{
	for (long id = 0; id < workers; id++)
		rl_thread_join(tids[id], NULL);
	return 0;
}

int main(int argc, char **argv)
{
	long workers = 2, show = 1;
	iterations = 500000;
	struct rl_knob knobs[] = {
		{ "threads", &workers, 1, MAX_WORKERS, "worker threads" },
		RL_KNOB_ITERATIONS(&iterations),
		{ "show", &show, 1, 2, "number in the result: 1 the parent's sum, 2 the shared count" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 1 (threads solution): worker threads add up numbers for main.", knobs);

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (shared == MAP_FAILED)
		rl_fail(__FILE__, __LINE__, "mmap", errno);
	rl_gate_init(&shared->gate, (int)workers);
	atomic_init(&shared->items, 0);

	pthread_t tids[MAX_WORKERS];
	long long start = rl_clock_ns();
	start_workers(tids, workers);
	if (wait_workers(tids, workers)) {
		fprintf(stderr, "lab01: a worker failed\n");
		return 1;
	}
	long long elapsed = rl_clock_ns() - start;

	long n = workers * iterations, sum = 0, items = atomic_load(&shared->items);
	for (long id = 0; id < workers; id++)
		sum += partial[id];
	long expected_sum = n * (n + 1) / 2;
	bool sum_wrong = sum != expected_sum, items_wrong = items != n;

	printf("items counted in the shared page: observed %ld, expected %ld%s\n", items,
	       n, items_wrong ? "  <-- updates lost" : "");
	rl_result_metric("sum_seen_by_parent", (double)sum);
	rl_result_metric("items_counted", (double)items);
	rl_result_metric("items_lost", (double)(n - items));
	struct rl_result result = {
		.what = show == 1 ? "sum seen by the parent" : "items counted in the shared page",
		.observed = show == 1 ? (double)sum : (double)items,
		.expected = show == 1 ? (double)expected_sum : (double)n,
		.symptom = sum_wrong || items_wrong,
		.ops = n,
		.work_ns = elapsed,
	};
	rl_result_report(&result);
	munmap(shared, sizeof(*shared));
	return 0;
}
