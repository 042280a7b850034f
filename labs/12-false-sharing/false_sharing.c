/* false_sharing.c: Lab 12, false sharing: correct code that is slow.
 *
 * Every worker thread counts in its own slot of an array. No two threads touch the same
 * counter: no race, no lock, the totals are always right. But a slot is 8 bytes and a
 * cache line is 64, so all the slots sit in one line, and a core must own the whole line
 * to write any byte of it. The line flies from core to core on every increment.
 *
 * The program times the packed slots against padded ones (one per cache line) and reports
 * the slowdown; it also times one shared counter under a mutex and one atomic counter, to
 * show what correct sharing costs. The workers start once and go through all the
 * timings together; packed and padded take turns, several times; a pair of timings
 * counts only if the workers really ran side by side, and the median of each is kept.
 *
 * Expect: packed slots several times slower than padded ones in every run; TSan silent
 * (the program is race-free). Run it with `make lab12`; the text is README.md beside this
 * file; the fixed versions are in solutions/12-false-sharing/. */
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "labkit.h"

#define MAX_THREADS    64
#define MAX_REPEATS    25
#define MAX_PHASES     (2 * MAX_REPEATS + 2)
#define CACHE_LINE     64  /* bytes; the unit a core owns when it writes */
#define SLOWDOWN_LIMIT 2.0 /* packed / padded above this: the bug showed */

struct slot {
	volatile long count; /* BUG: 8 bytes: all the workers' slots share one cache line */
};

struct padded_slot {
	alignas(CACHE_LINE) volatile long count; /* the yardstick: one counter per line */
};

static struct slot slots[MAX_THREADS];         /* slots[t] is written by worker t only */
static struct padded_slot padded[MAX_THREADS]; /* padded[t] is written by worker t only */
static long shared_count; /* one counter for all workers: count_lock must be held */
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_long atomic_count; /* one counter for all workers, only touched atomically */

static void count_in_slot(long id, long n)
{
	for (long i = 0; i < n; i++)
		slots[id].count++;
}

static void count_padded(long id, long n)
{
	for (long i = 0; i < n; i++)
		padded[id].count++;
}

static void count_with_mutex(long id, long n)
{
	(void)id;
	for (long i = 0; i < n; i++) {
		rl_lock(&count_lock);
		shared_count++;
		rl_unlock(&count_lock);
	}
}

static void count_atomic(long id, long n)
{
	(void)id;
	for (long i = 0; i < n; i++)
		atomic_fetch_add_explicit(&atomic_count, 1, memory_order_relaxed);
}

struct phase {                          /* one timing: every worker counts one way */
	void (*count)(long id, long n); /* the way */
	long n;                         /* increments per worker */
	struct rl_gate start;           /* its workers meet here and start it together */
};

static struct phase phases[MAX_PHASES]; /* set up before the workers start */
static int n_phases;
static long n_threads;
static struct rl_gate gate; /* the first start: each worker takes a CPU of its own */

struct worker { /* a line of its own: the stopwatch must not share */
	alignas(CACHE_LINE) pthread_t thread;
	long id;                        /* 0 .. threads-1: which slot is mine */
	long long started[MAX_PHASES];  /* [p]: when my loop of phase p began, in ns */
	long long finished[MAX_PHASES]; /* [p]: when it ended */
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	rl_gate_wait(&gate);
	for (int p = 0; p < n_phases; p++) {
		rl_gate_meet(&phases[p].start); /* start the phase together */
		w->started[p] = rl_clock_ns();
		phases[p].count(w->id, phases[p].n);
		w->finished[p] = rl_clock_ns();
	}
	return NULL;
}

static void add_phase(void (*count)(long, long), long n)
{
	struct phase *p = &phases[n_phases++];
	p->count = count;
	p->n = n;
	rl_gate_init(&p->start, (int)n_threads);
}

/* Phase p's time: its slowest worker's loop. *side_by_side says whether the loops ran at
 * the same time: if another program paused a worker, the others counted alone and the
 * timing says nothing about sharing. */
static long long phase_ns(const struct worker *workers, int p, bool *side_by_side)
{
	long long slowest = 0, last_start = 0, first_end = 0;
	for (long t = 0; t < n_threads; t++) {
		const struct worker *w = &workers[t];
		if (w->finished[p] - w->started[p] > slowest)
			slowest = w->finished[p] - w->started[p];
		if (t == 0 || w->started[p] > last_start)
			last_start = w->started[p];
		if (t == 0 || w->finished[p] < first_end)
			first_end = w->finished[p];
	}
	*side_by_side = first_end - last_start >= slowest * 3 / 4; /* overlap: 3/4 or more */
	return slowest;
}

/* The middle one of n timings; sorts them. */
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
	long threads = 2, iterations = 200000, shared_iterations = 20000, repeats = 15;
	struct rl_knob knobs[] = {
	    {"threads", &threads, 1, MAX_THREADS, "worker threads"},
	    RL_KNOB_ITERATIONS(&iterations),
	    {"shared-iterations", &shared_iterations, 1, 100000000L,
	     "increments per worker on the mutex and atomic counters (slower)"},
	    {"repeats", &repeats, 1, MAX_REPEATS, "timings of each layout; the median counts"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 12: per-thread counters packed in one cache line.", knobs);

	/* Packed and padded take turns, so a burst of noise hits both; then one counter
	 * under a mutex and one atomic counter. */
	n_threads = threads;
	for (long r = 0; r < repeats; r++) {
		add_phase(count_in_slot, iterations);
		add_phase(count_padded, iterations);
	}
	add_phase(count_with_mutex, shared_iterations);
	add_phase(count_atomic, shared_iterations);

	static struct worker workers[MAX_THREADS];
	rl_gate_init(&gate, (int)threads);
	for (long t = 0; t < threads; t++) {
		workers[t].id = t;
		rl_thread_start(&workers[t].thread, worker_main, &workers[t]);
	}
	for (long t = 0; t < threads; t++)
		rl_thread_join(workers[t].thread, NULL);

	/* A pair counts only if the workers ran side by side in both (if too few did, all
	 * count); the median of each layout ignores the timings noise disturbed anyway. */
	long long packed_timings[MAX_REPEATS], padded_timings[MAX_REPEATS];
	long pairs = 0;
	bool packed_ok, padded_ok;
	for (long r = 0; r < repeats; r++) {
		packed_timings[pairs] = phase_ns(workers, (int)(2 * r), &packed_ok);
		padded_timings[pairs] = phase_ns(workers, (int)(2 * r + 1), &padded_ok);
		if (packed_ok && padded_ok)
			pairs++;
	}
	if (pairs < 3) { /* too busy a machine to be choosy: take them all */
		for (pairs = 0; pairs < repeats; pairs++) {
			packed_timings[pairs] = phase_ns(workers, (int)(2 * pairs), &packed_ok);
			padded_timings[pairs] = phase_ns(workers, (int)(2 * pairs + 1), &padded_ok);
		}
	}
	long long packed_ns = median(packed_timings, pairs);
	long long padded_ns = median(padded_timings, pairs);
	long long mutex_ns = phase_ns(workers, n_phases - 2, &packed_ok);
	long long atomic_ns = phase_ns(workers, n_phases - 1, &padded_ok);

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
	    .timing = true, /* other programs taking the CPUs also slow it down */
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
