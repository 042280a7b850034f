/* processes.c: Lab 2 fixed by computing in processes and waiting in threads.
 *
 * The course's rule for Python: processes for computation, threads for waiting on
 * servers. Each process has its own interpreter and its own GIL, here its own copy of
 * giant_lock, so CPU jobs in N processes run side by side. They share no memory, so each
 * child sends its result back through a pipe. The waiting stays in threads: it already
 * lets the lock go. The cpu_worker threads are no longer used for the CPU batch.
 * Check: racelab run lab2 --solution=processes */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */
#define MAX_REPEATS 101

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

/* FIXED: the CPU jobs run in `workers` child processes, each with its own memory and its
 * own copy of giant_lock, so nobody waits for anybody. Child k does jobs k, k + workers,
 * ... and sends its sum back through a pipe (as multiprocessing.Pool does in Python). */
static void cpu_child(long k, long workers, int out)
{
	unsigned long sum = 0;
	for (long job = k; job < jobs; job += workers)
		sum += compute(job);
	if (write(out, &sum, sizeof(sum)) != (ssize_t)sizeof(sum)) /* atomic: < PIPE_BUF */
		_exit(1);
}

/* Runs the CPU batch in `workers` processes; returns its wall time. */
static long long time_cpu_processes(long workers, long n_jobs)
{
	pid_t pids[MAX_THREADS], parent = getpid();
	int results[2];
	unsigned long sum;
	jobs = n_jobs;
	total = 0;
	long long start = rl_clock_ns();
	if (pipe(results) < 0)
		rl_fail(__FILE__, __LINE__, "pipe", errno);
	for (long k = 0; k < workers; k++) {
		pids[k] = fork();
		if (pids[k] < 0)
			rl_fail(__FILE__, __LINE__, "fork", errno); /* the children finish alone */
		if (pids[k] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the parent */
			if (getppid() != parent)
				_exit(1);
			cpu_child(k, workers, results[1]);
			_exit(0); /* not exit(): no atexit handlers, no stdio flush in the child */
		}
	}
	close(results[1]); /* else read() never sees end of file */
	while (read(results[0], &sum, sizeof(sum)) == (ssize_t)sizeof(sum))
		total += sum;
	close(results[0]);
	for (long k = 0; k < workers; k++) { /* wait for each: no zombies left */
		int status;
		while (waitpid(pids[k], &status, 0) < 0)
			if (errno != EINTR)
				rl_fail(__FILE__, __LINE__, "waitpid", errno);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rl_fail(__FILE__, __LINE__, "CPU child process", ECHILD);
	}
	return rl_clock_ns() - start;
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
	long threads = 2, cpu_jobs = 16, io_jobs = 8, repeats = 3;
	work = 150000;
	wait_us = 500;
	struct rl_knob knobs[] = {
		RL_KNOB_THREADS(&threads),
		{ "cpu-jobs", &cpu_jobs, 1, 100000, "CPU jobs in a batch" },
		{ "work", &work, 1, 1000000000L, "steps of computation in one CPU job" },
		{ "io-jobs", &io_jobs, 1, 100000, "I/O jobs (waits) in a batch" },
		{ "wait-us", &wait_us, 1, 1000000, "microseconds one I/O job waits" },
		{ "repeats", &repeats, 1, MAX_REPEATS, "timings of each batch; the median counts" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 2 (processes solution): CPU jobs in processes, waits in threads.",
		      knobs);

	long long cpu_1[MAX_REPEATS], cpu_n[MAX_REPEATS], io_1[MAX_REPEATS], io_n[MAX_REPEATS];
	unsigned long total_1 = 0, total_n = 0;
	for (long r = 0; r < repeats; r++) { /* 1 and N take turns: noise hits both alike */
		cpu_1[r] = time_cpu_processes(1, cpu_jobs); /* FIXED: processes, not threads */
		total_1 = total;
		cpu_n[r] = time_cpu_processes(threads, cpu_jobs);
		total_n = total;
		io_1[r] = time_batch(io_worker, 1, io_jobs);
		io_n[r] = time_batch(io_worker, threads, io_jobs);
	}
	if (total_1 != total_n) {
		fprintf(stderr, "lab02: the CPU jobs' total differs between 1 and %ld threads\n",
			threads);
		return 1;
	}
	long long cpu_1_ns = median(cpu_1, repeats), cpu_n_ns = median(cpu_n, repeats);
	long long io_1_ns = median(io_1, repeats), io_n_ns = median(io_n, repeats);
	double cpu_speedup = (double)cpu_1_ns / (double)cpu_n_ns;
	double io_speedup = (double)io_1_ns / (double)io_n_ns;

	int cpus = cpus_allowed();
	double ideal = threads < cpus ? threads : cpus;
	double needed = 1 + 0.3 * (ideal - 1); /* 1.3 on two CPUs */
	rl_result_metric("io_speedup", io_speedup);
	rl_result_metric("cpu_speedup_needed", needed);
	rl_result_metric("cpu_ms_1_thread", cpu_1_ns / 1e6); /* here: 1 process */
	rl_result_metric("cpu_ms_n_threads", cpu_n_ns / 1e6); /* here: N processes */
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
