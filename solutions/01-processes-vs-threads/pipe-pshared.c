/* pipe-pshared.c: Lab 1 fixed with a pipe and a process-shared mutex.
 *
 * The workers stay processes, so nothing they write to ordinary memory reaches the
 * parent: each child sends its partial sum through a pipe instead, and the parent reads
 * the messages into partial[] (as multiprocessing sends results back to the parent). The
 * counter in the shared page is guarded by a mutex that lives in that page and is made
 * with PTHREAD_PROCESS_SHARED, so all the processes lock the same mutex.
 * Check: racelab run lab1 --solution=pipe-pshared */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "labkit.h"

#define MAX_WORKERS 64 /* child processes at most */

struct shared_page {      /* one page, mapped MAP_SHARED: parent and children see one copy */
	struct rl_gate gate; /* children start counting together */
	pthread_mutex_t lock; /* process-shared: guards items, in every process */
	long items;          /* numbers handled, by all children together: lock must be held */
};

struct partial_msg { /* what a child sends back through the pipe */
	long id;
	long sum;
};

static long partial[MAX_WORKERS]; /* partial[id]: child id's sum. Private after fork()! */
static struct shared_page *shared;
static long iterations;           /* numbers per child */
static int results[2];            /* a pipe: children write to [1], the parent reads [0] */

/* Child `id` adds up its numbers: id * iterations + 1 .. (id + 1) * iterations. */
static void child_work(long id)
{
	long first = id * iterations + 1;
	long sum = 0;

	rl_gate_wait(&shared->gate);
	for (long k = first; k < first + iterations; k++) {
		sum += k;
		rl_lock(&shared->lock);
		shared->items = shared->items + 1; /* FIXED: under a lock every process honours */
		rl_unlock(&shared->lock);
	}
	struct partial_msg msg = { id, sum }; /* FIXED: send the sum to the parent */
	if (write(results[1], &msg, sizeof(msg)) != (ssize_t)sizeof(msg)) /* atomic: < PIPE_BUF */
		_exit(1);
}

/* The parent's end: one message per child, until every write end is closed. */
static void read_partials(void)
{
	struct partial_msg msg;
	close(results[1]); /* else read() never sees end of file */
	while (read(results[0], &msg, sizeof(msg)) == (ssize_t)sizeof(msg))
		if (msg.id >= 0 && msg.id < MAX_WORKERS)
			partial[msg.id] = msg.sum;
	close(results[0]);
}

/* A mutex in shared memory works across processes only with PTHREAD_PROCESS_SHARED. */
static void init_shared_lock(pthread_mutex_t *lock)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	int rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	if (rc == 0)
		rc = pthread_mutex_init(lock, &attr);
	pthread_mutexattr_destroy(&attr);
	if (rc)
		rl_fail(__FILE__, __LINE__, "pthread_mutex_init(PTHREAD_PROCESS_SHARED)", rc);
}

static void start_workers(pid_t *pids, long workers)
{
	pid_t parent = getpid();
	for (long id = 0; id < workers; id++) {
		pids[id] = fork();
		if (pids[id] < 0) {
			int err = errno;
			for (long j = 0; j < id; j++) /* they wait at the gate for the rest: stop them */
				kill(pids[j], SIGKILL);
			for (long j = 0; j < id; j++)
				waitpid(pids[j], NULL, 0);
			rl_fail(__FILE__, __LINE__, "fork", err);
		}
		if (pids[id] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the parent */
			if (getppid() != parent)
				_exit(1);
			child_work(id);
			_exit(0); /* not exit(): do not flush the parent's stdio buffers a second time */
		}
	}
}

/* Waits for every child, so none is left a zombie; returns how many failed. */
static int wait_workers(const pid_t *pids, long workers)
{
	int failed = 0;
	for (long id = 0; id < workers; id++) {
		int status;
		while (waitpid(pids[id], &status, 0) < 0)
			if (errno != EINTR)
				rl_fail(__FILE__, __LINE__, "waitpid", errno);
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	return failed;
}

int main(int argc, char **argv)
{
	long workers = 2, show = 1;
	iterations = 500000;
	struct rl_knob knobs[] = {
		{ "threads", &workers, 1, MAX_WORKERS, "workers (child processes here)" },
		RL_KNOB_ITERATIONS(&iterations),
		{ "show", &show, 1, 2, "number in the result: 1 the parent's sum, 2 the shared count" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 1 (pipe-pshared solution): children send their sums through a pipe.", knobs);

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (shared == MAP_FAILED)
		rl_fail(__FILE__, __LINE__, "mmap", errno);
	rl_gate_init(&shared->gate, (int)workers);
	init_shared_lock(&shared->lock);
	shared->items = 0;
	if (pipe(results) < 0)
		rl_fail(__FILE__, __LINE__, "pipe", errno);

	pid_t pids[MAX_WORKERS];
	long long start = rl_clock_ns();
	start_workers(pids, workers);
	read_partials();
	if (wait_workers(pids, workers)) {
		fprintf(stderr, "lab01: a child process failed\n");
		return 1;
	}
	long long elapsed = rl_clock_ns() - start;

	long n = workers * iterations, sum = 0;
	for (long id = 0; id < workers; id++)
		sum += partial[id];
	long expected_sum = n * (n + 1) / 2;
	bool sum_wrong = sum != expected_sum, items_wrong = shared->items != n;

	printf("items counted in the shared page: observed %ld, expected %ld%s\n", shared->items,
	       n, items_wrong ? "  <-- updates lost" : "");
	rl_result_metric("sum_seen_by_parent", (double)sum);
	rl_result_metric("items_counted", (double)shared->items);
	rl_result_metric("items_lost", (double)(n - shared->items));
	struct rl_result result = {
		.what = show == 1 ? "sum seen by the parent" : "items counted in the shared page",
		.observed = show == 1 ? (double)sum : (double)shared->items,
		.expected = show == 1 ? (double)expected_sum : (double)n,
		.symptom = sum_wrong || items_wrong,
		.ops = n,
		.work_ns = elapsed,
	};
	rl_result_report(&result);
	pthread_mutex_destroy(&shared->lock);
	munmap(shared, sizeof(*shared));
	return 0;
}
