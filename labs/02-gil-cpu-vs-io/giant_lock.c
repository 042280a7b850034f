/* giant_lock.c: Lab 2, one giant lock (like Python's GIL): threads for waiting, not for
 * computing.
 *
 * CPython runs interpreter code only while holding one global lock, the GIL: one thread
 * computes at a time. A thread that waits (time.sleep, a socket read, a reply from a
 * server) lets the GIL go while it waits. This program models that in C: one giant_lock,
 * held for every job, except while a thread waits for its "server".
 *
 * Both kinds of jobs are timed with 1 worker thread and with N (--threads), several times
 * each, taking turns; the fastest timing of each counts (as Python's timeit advises:
 * other programs can only ever add time). Compared:
 * - CPU jobs (pure computation) run holding giant_lock: N threads take turns, and are no
 *   faster than one. This is the bug the program reports: speedup below 1.3 on two CPUs.
 * - I/O jobs (a wait of --wait-us) run with the lock let go: N threads wait at the same
 *   time and finish about N times sooner. Reported as the metric io_speedup.
 *
 * Expect: CPU speedup about 1.0 next to an ideal of 2 (on 2 CPUs), I/O speedup about 2;
 * ThreadSanitizer silent (every shared variable is used under the lock: this is a
 * performance bug, not a race). On one CPU the program cannot judge and says so.
 * Run it with `make lab2`; the text is README.md beside this file; the fixed versions are
 * in solutions/02-gil-cpu-vs-io/. */
#include <sched.h>
#include <stdio.h>
#include <time.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */

static pthread_mutex_t giant_lock = PTHREAD_MUTEX_INITIALIZER; /* the "GIL" */
static long next_job;       /* the next job to hand out: giant_lock must be held */
static long jobs;           /* jobs in the current batch: set before the threads start */
static unsigned long total; /* the CPU jobs' results added up: giant_lock must be held */
static long work;           /* steps of computation in one CPU job */
static long wait_us;        /* length of one I/O wait, in microseconds */

/* The next job of the batch, or -1 when none is left. Caller holds giant_lock. */
static long take_job(void)
{
	return next_job < jobs ? next_job++ : -1;
}

/* A CPU job: pure computation on local variables (a pseudo-random sequence). */
static unsigned long compute(long job)
{
	unsigned long x = (unsigned long)job;
	for (long i = 0; i < work; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x;
}

/* An I/O job: waiting for a reply that takes wait_us to come. */
static void wait_for_server(void)
{
	struct timespec wait = { wait_us / 1000000, wait_us % 1000000 * 1000 };
	while (nanosleep(&wait, &wait) != 0)
		; /* interrupted by a signal: sleep the rest */
}

static void *cpu_worker(void *arg)
{
	(void)arg;
	for (;;) {
		rl_lock(&giant_lock);
		long job = take_job();
		if (job < 0)
			break;
		total += compute(job); /* BUG: computes holding the giant lock: the others wait */
		rl_unlock(&giant_lock);
	}
	rl_unlock(&giant_lock);
	return NULL;
}

static void *io_worker(void *arg)
{
	(void)arg;
	for (;;) {
		rl_lock(&giant_lock);
		long job = take_job();
		rl_unlock(&giant_lock); /* let the lock go before waiting, as Python does */
		if (job < 0)
			return NULL;
		wait_for_server();
	}
}

/* Runs one batch of n_jobs jobs with `threads` workers; returns its wall time. */
static long long time_batch(void *(*worker)(void *), long threads, long n_jobs)
{
	pthread_t workers[MAX_THREADS];
	next_job = 0;
	jobs = n_jobs;
	total = 0;
	long long start = rl_clock_ns();
	for (long t = 0; t < threads; t++)
		rl_thread_start(&workers[t], worker, NULL);
	for (long t = 0; t < threads; t++)
		rl_thread_join(workers[t], NULL);
	return rl_clock_ns() - start;
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
	long threads = 2, cpu_jobs = 16, io_jobs = 4, repeats = 7;
	work = 500000;
	wait_us = 500;
	struct rl_knob knobs[] = {
		RL_KNOB_THREADS(&threads),
		{ "cpu-jobs", &cpu_jobs, 1, 100000, "CPU jobs in a batch" },
		{ "work", &work, 1, 1000000000L, "steps of computation in one CPU job" },
		{ "io-jobs", &io_jobs, 1, 100000, "I/O jobs (waits) in a batch" },
		{ "wait-us", &wait_us, 1, 1000000, "microseconds one I/O job waits" },
		{ "repeats", &repeats, 1, 1000, "timings of each batch; the fastest counts" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 2: threads under one giant lock, computing and waiting.",
		      knobs);

	long long cpu_1_ns = 0, cpu_n_ns = 0, io_1_ns = 0, io_n_ns = 0;
	unsigned long total_1 = 0, total_n = 0;
	for (long r = 0; r < repeats; r++) { /* 1 and N take turns: noise hits both alike */
		keep_fastest(&cpu_1_ns, time_batch(cpu_worker, 1, cpu_jobs));
		total_1 = total;
		keep_fastest(&cpu_n_ns, time_batch(cpu_worker, threads, cpu_jobs));
		total_n = total;
		keep_fastest(&io_1_ns, time_batch(io_worker, 1, io_jobs));
		keep_fastest(&io_n_ns, time_batch(io_worker, threads, io_jobs));
	}
	if (total_1 != total_n) {
		fprintf(stderr, "lab02: the CPU jobs' total differs between 1 and %ld threads\n",
			threads);
		return 1;
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
