/* false_sharing.c: Lab 12, false sharing: correct code that is slow.
 *
 * Every worker thread counts in its own slot of an array. No two threads touch the same
 * counter: no race, no lock, the totals are always right. But a slot is 8 bytes and a
 * cache line is 64, so all the slots sit in one line, and a core must own the whole line
 * to write any byte of it. The line flies from core to core on every increment.
 *
 * The program times the packed slots against padded ones (one per cache line) and reports
 * the slowdown; it also times one shared counter under a mutex and one atomic counter, to
 * show what correct sharing costs. The two layouts are timed a few times, taking turns,
 * and the median of each is kept.
 *
 * Expect: packed slots several times slower than padded ones in every run; TSan silent
 * (the program is race-free). Run it with `make lab12`; the text is README.md beside this
 * file; the fixed versions are in solutions/12-false-sharing/. */
#include <stdalign.h>
#include <stdatomic.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */
#define CACHE_LINE 64    /* bytes; the unit a core owns when it writes */
#define SLOWDOWN_LIMIT 1.5 /* packed / padded above this: the bug showed */
#define MAX_REPEATS 101

struct slot {
	volatile long count; /* BUG: 8 bytes: all the workers' slots share one cache line */
};

struct padded_slot {
	alignas(CACHE_LINE) volatile long count; /* the yardstick: one counter per line */
};

static struct slot slots[MAX_THREADS];          /* slots[t] is written by worker t only */
static struct padded_slot padded[MAX_THREADS];  /* padded[t] is written by worker t only */
static long shared_count; /* one counter for all workers; count_lock must be held */
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_long atomic_count; /* one counter for all workers, only touched atomically */

struct worker {
	pthread_t thread;
	long id;             /* 0 .. threads-1: which slot is mine */
	long iterations;     /* increments to do */
	long long loop_ns;   /* how long my loop took */
	struct rl_gate *gate;
};

static void count_in_slot(struct worker *w)
{
	for (long i = 0; i < w->iterations; i++)
		slots[w->id].count++;
}

static void count_padded(struct worker *w)
{
	for (long i = 0; i < w->iterations; i++)
		padded[w->id].count++;
}

static void count_with_mutex(struct worker *w)
{
	for (long i = 0; i < w->iterations; i++) {
		rl_lock(&count_lock);
		shared_count++;
		rl_unlock(&count_lock);
	}
}

static void count_atomic(struct worker *w)
{
	for (long i = 0; i < w->iterations; i++)
		atomic_fetch_add_explicit(&atomic_count, 1, memory_order_relaxed);
}

static void (*count_fn)(struct worker *w); /* the way being timed; set before the threads */

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	rl_gate_wait(w->gate); /* each on its own CPU, all starting together */
	long long start = rl_clock_ns();
	count_fn(w);
	w->loop_ns = rl_clock_ns() - start;
	return NULL;
}

/* Runs fn in `threads` workers, `iterations` each; returns the slowest worker's time. */
static long long time_counting(void (*fn)(struct worker *), long threads, long iterations)
{
	static struct worker workers[MAX_THREADS];
	struct rl_gate gate;
	long long slowest = 0;

	count_fn = fn;
	rl_gate_init(&gate, (int)threads);
	for (long t = 0; t < threads; t++) {
		workers[t] = (struct worker){ .id = t, .iterations = iterations, .gate = &gate };
		rl_thread_start(&workers[t].thread, worker_main, &workers[t]);
	}
	for (long t = 0; t < threads; t++) {
		rl_thread_join(workers[t].thread, NULL);
		if (workers[t].loop_ns > slowest)
			slowest = workers[t].loop_ns;
	}
	return slowest;
}

/* The middle one of n timings (n <= MAX_REPEATS); sorts them. */
static long long median(long long *ns, long n)
{
	for (long i = 1; i < n; i++)
		for (long j = i; j > 0 && ns[j - 1] > ns[j]; j--) {
			long long tmp = ns[j];
			ns[j] = ns[j - 1];
			ns[j - 1] = tmp;
		}
	return ns[n / 2];
}

static int cpus_allowed(void)
{
	cpu_set_t set;
	return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

int main(int argc, char **argv)
{
	long threads = 2, iterations = 500000, shared_iterations = 50000, repeats = 9;
	struct rl_knob knobs[] = {
		RL_KNOB_THREADS(&threads),
		RL_KNOB_ITERATIONS(&iterations),
		{ "shared-iterations", &shared_iterations, 1, 100000000L,
		  "increments per worker on the mutex and atomic counters (slower)" },
		{ "repeats", &repeats, 1, MAX_REPEATS, "timings of each layout; the median counts" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 12: per-thread counters packed in one cache line.", knobs);

	/* Packed and padded take turns, so a burst of noise hits both; the median of each
	 * ignores the few timings another program disturbed (it can make either faster or
	 * slower: a worker paused by the kernel stops fighting for the line). */
	long long packed_timings[MAX_REPEATS], padded_timings[MAX_REPEATS];
	for (long r = 0; r < repeats; r++) {
		packed_timings[r] = time_counting(count_in_slot, threads, iterations);
		padded_timings[r] = time_counting(count_padded, threads, iterations);
	}
	long long packed_ns = median(packed_timings, repeats);
	long long padded_ns = median(padded_timings, repeats);
	long long mutex_ns = time_counting(count_with_mutex, threads, shared_iterations);
	long long atomic_ns = time_counting(count_atomic, threads, shared_iterations);

	/* Cost per increment: wall time over all the increments the workers did. */
	double increments = (double)(threads * iterations);
	double shared_increments = (double)(threads * shared_iterations);
	double slowdown = (double)packed_ns / (double)padded_ns;
	rl_result_metric("ns_per_increment_packed", packed_ns / increments);
	rl_result_metric("ns_per_increment_padded", padded_ns / increments);
	rl_result_metric("ns_per_increment_mutex", mutex_ns / shared_increments);
	rl_result_metric("ns_per_increment_atomic", atomic_ns / shared_increments);

	struct rl_result result = {
		.what = "slowdown (packed time / padded time)",
		.observed = slowdown,
		.expected = 1.0,
		.symptom = slowdown > SLOWDOWN_LIMIT,
		.ops = threads * iterations,
		.work_ns = packed_ns,
	};
	if (cpus_allowed() < 2 || threads < 2) {
		printf("cannot judge: false sharing needs two threads on two CPUs at once\n");
		result.inconclusive = true;
		result.symptom = false;
	}
	rl_result_report(&result);
	return 0;
}
