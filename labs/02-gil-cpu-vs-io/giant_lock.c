/* giant_lock.c: Lab 2, one giant lock (like Python's GIL): threads for waiting, not for
 * computing.
 *
 * CPython runs interpreter code only while holding one global lock, the GIL: one thread
 * computes at a time. A thread that waits (time.sleep, a socket read, a reply from a
 * server) lets the GIL go while it waits. This program models that in C: one giant_lock,
 * held for every job, except while a thread waits for its "server".
 *
 * Both kinds of jobs are timed in batches with 1 worker thread and with N (--threads),
 * several times each, taking turns; the fastest timing of each counts (as Python's
 * timeit advises: other programs can only ever add time). Compared:
 * - CPU jobs (pure computation) run holding giant_lock: N threads take turns, and are no
 *   faster than one. This is the bug the program reports: speedup below 1.3 on two CPUs.
 * - I/O jobs (a wait of --wait-us) run with the lock let go: N threads wait at the same
 *   time and finish about N times sooner. Reported as the metric io_speedup.
 *
 * Expect: CPU speedup 1.0 or less (taking turns costs too) next to an ideal of 2 (on
 * 2 CPUs), I/O speedup about 2;
 * ThreadSanitizer silent (every shared variable is used under the lock: this is a
 * performance bug, not a race). On one CPU the program cannot judge and says so.
 * Run it with `make lab2`; the text is README.md beside this file; the fixed versions are
 * in solutions/02-gil-cpu-vs-io/. */
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "labkit.h"

#define MAX_THREADS 64
#define MAX_REPEATS 25
#define MAX_BATCHES (4 * MAX_REPEATS)

static pthread_mutex_t giant_lock = PTHREAD_MUTEX_INITIALIZER; /* the "GIL" */
static long work;    /* steps of computation in one CPU job */
static long wait_us; /* length of one I/O wait, in microseconds */

struct batch {                /* one timed batch of jobs */
	bool cpu;             /* CPU jobs, or else I/O jobs */
	long workers;         /* threads taking part: 1 or N */
	long jobs;            /* jobs in the batch */
	long next_job;        /* the next job to hand out: giant_lock must be held */
	unsigned long total;  /* the CPU jobs' results added up: giant_lock must be held */
	struct rl_gate start; /* its workers meet here and start it together */
	long long started[MAX_THREADS];  /* [t]: when worker t began, in ns */
	long long finished[MAX_THREADS]; /* [t]: when worker t ran out of jobs */
};

static struct batch batches[MAX_BATCHES]; /* set up before the threads start */
static int n_batches;
static struct rl_gate gate; /* the first start: each thread takes a CPU of its own */

/* The next job of the batch, or -1 when none is left. Caller holds giant_lock. */
static long take_job(struct batch *b)
{
	return b->next_job < b->jobs ? b->next_job++ : -1;
}

/* A CPU job: pure computation on local variables (xorshift, a pseudo-random sequence
 * that no compiler can shortcut). */
static unsigned long compute(long job)
{
	unsigned long x = (unsigned long)job + 1;
	for (long i = 0; i < work; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

/* An I/O job: waiting for a reply that takes wait_us to come. */
static void wait_for_server(void)
{
	struct timespec wait = { wait_us / 1000000, wait_us % 1000000 * 1000 };
	while (nanosleep(&wait, &wait) != 0)
		; /* interrupted by a signal: sleep the rest */
}

static void do_cpu_jobs(struct batch *b)
{
	for (;;) {
		rl_lock(&giant_lock);
		long job = take_job(b);
		if (job < 0)
			break;
		b->total += compute(job); /* BUG: computes holding the giant lock: the others wait */
		rl_unlock(&giant_lock);
	}
	rl_unlock(&giant_lock);
}

static void do_io_jobs(struct batch *b)
{
	for (;;) {
		rl_lock(&giant_lock);
		long job = take_job(b);
		rl_unlock(&giant_lock); /* let the lock go before waiting, as Python does */
		if (job < 0)
			return;
		wait_for_server();
	}
}

/* A worker thread: goes through the batches, taking part in those with room for it. */
static void *worker(void *arg)
{
	long id = (long)arg;
	rl_gate_wait(&gate);
	for (int i = 0; i < n_batches; i++) {
		struct batch *b = &batches[i];
		if (id >= b->workers)
			continue;
		rl_gate_meet(&b->start); /* start the batch together */
		b->started[id] = rl_clock_ns();
		if (b->cpu)
			do_cpu_jobs(b);
		else
			do_io_jobs(b);
		b->finished[id] = rl_clock_ns();
	}
	return NULL;
}

static void add_batch(bool cpu, long workers, long jobs)
{
	struct batch *b = &batches[n_batches++];
	b->cpu = cpu;
	b->workers = workers;
	b->jobs = jobs;
	rl_gate_init(&b->start, (int)b->workers);
}

/* Runs every batch with a pool of `threads` worker threads. */
static void run_batches(long threads)
{
	pthread_t workers[MAX_THREADS];
	rl_gate_init(&gate, (int)threads);
	for (long t = 0; t < threads; t++)
		rl_thread_start(&workers[t], worker, (void *)t);
	for (long t = 0; t < threads; t++)
		rl_thread_join(workers[t], NULL);
}

/* A batch's wall time: from its first worker's start to its last one's finish. */
static long long batch_ns(const struct batch *b)
{
	long long first = b->started[0], last = b->finished[0];
	for (long t = 1; t < b->workers; t++) {
		if (b->started[t] < first)
			first = b->started[t];
		if (b->finished[t] > last)
			last = b->finished[t];
	}
	return last - first;
}

/* Keeps the fastest timing: other programs can only ever add time to a batch. */
static void keep_fastest(long long *best, long long ns)
{
	if (*best == 0 || ns < *best)
		*best = ns;
}

static int cpus_allowed(void)
{
	cpu_set_t set;
	return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

int main(int argc, char **argv)
{
	long threads = 2, cpu_jobs = 12, io_jobs = 4, repeats = 7;
	work = 30000;
	wait_us = 200;
	struct rl_knob knobs[] = {
		{ "threads", &threads, 1, MAX_THREADS, "worker threads" },
		{ "cpu-jobs", &cpu_jobs, 1, 4096, "CPU jobs in a batch" },
		{ "work", &work, 1, 1000000000L, "steps of computation in one CPU job" },
		{ "io-jobs", &io_jobs, 1, 100000, "I/O jobs (waits) in a batch" },
		{ "wait-us", &wait_us, 1, 1000000, "microseconds one I/O job waits" },
		{ "repeats", &repeats, 1, MAX_REPEATS, "timings of each batch; the fastest counts" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 2: threads under one giant lock, computing and waiting.",
		      knobs);

	for (long r = 0; r < repeats; r++) { /* 1 and N take turns: noise hits both alike */
		add_batch(true, 1, cpu_jobs);
		add_batch(true, threads, cpu_jobs);
		add_batch(false, 1, io_jobs);
		add_batch(false, threads, io_jobs);
	}
	run_batches(threads);

	long long cpu_1_ns = 0, cpu_n_ns = 0, io_1_ns = 0, io_n_ns = 0;
	for (int i = 0; i < n_batches; i++) {
		const struct batch *b = &batches[i];
		if (b->cpu && b->total != batches[0].total) {
			fprintf(stderr, "lab02: the CPU jobs' total differs between batches\n");
			return 1;
		}
		if (b->cpu)
			keep_fastest(b->workers == 1 ? &cpu_1_ns : &cpu_n_ns, batch_ns(b));
		else
			keep_fastest(b->workers == 1 ? &io_1_ns : &io_n_ns, batch_ns(b));
	}
	double cpu_speedup = (double)cpu_1_ns / (double)cpu_n_ns;
	double io_speedup = (double)io_1_ns / (double)io_n_ns;

	int cpus = cpus_allowed();
	double ideal = threads < cpus ? threads : cpus;
	double needed = 1 + 0.3 * (ideal - 1); /* 1.3 on two CPUs */
	rl_result_metric("io_speedup", io_speedup);
	rl_result_metric("cpu_speedup_needed", needed);
	rl_result_metric("cpu_ms_1_thread", cpu_1_ns / 1e6);
	rl_result_metric("cpu_ms_n_threads", cpu_n_ns / 1e6);
	rl_result_metric("io_ms_1_thread", io_1_ns / 1e6);
	rl_result_metric("io_ms_n_threads", io_n_ns / 1e6);
	struct rl_result result = {
		.what = "CPU speedup (time with 1 thread / time with N)",
		.observed = cpu_speedup,
		.expected = ideal,
		.symptom = cpu_speedup < needed,
		.timing = true, /* other programs taking the CPUs also slow N threads */
		.ops = cpu_jobs,
		.work_ns = cpu_n_ns,
	};
	if (ideal < 2) {
		printf("cannot judge: a speedup needs 2 threads and 2 CPUs (here %ld and %d)\n",
		       threads, cpus);
		result.symptom = false;
		result.inconclusive = true;
	}
	rl_result_report(&result);
	return 0;
}
