/* processes.c: Lab 1, processes are isolated; threads share memory.
 *
 * The program adds up the numbers 1..n, split over worker processes made with fork(), the
 * way one would split it over threads. Each child adds up its share, writes its partial
 * sum into partial[id] (a plain global array) and counts every number it handles in one
 * counter that lives in a page shared with the parent (mmap MAP_SHARED). The parent waits
 * for every child, then adds up partial[].
 *
 * Two bugs, one per marked line:
 * - fork() gives each child its own copy of the parent's memory. The child's write to
 *   partial[id] lands in that copy, so the parent's partial[] stays all zeros: the sum it
 *   sees is 0 in every run. Not a race: isolation.
 * - The shared page really is shared, so `items = items + 1` in two processes races just
 *   like it does in two threads (lab 3): counts are lost, a different number each run.
 *
 * Expect: the sum seen by the parent is 0 in every run and the item count falls short;
 * ThreadSanitizer reports nothing (it watches the threads of one process; another
 * process's writes are invisible to it). Run it with `make lab1`; the text is README.md
 * beside this file; the fixed versions are in solutions/01-processes-vs-threads/. */
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
	long items;          /* numbers handled, by all children together: guarded by nothing */
};

static long partial[MAX_WORKERS]; /* partial[id]: child id's sum. Private after fork()! */
static struct shared_page *shared;
static long iterations;           /* numbers per child */

/* Child `id` adds up its numbers: id * iterations + 1 .. (id + 1) * iterations. */
static void child_work(long id)
{
	long first = id * iterations + 1;
	long sum = 0;

	rl_gate_wait(&shared->gate);
	for (long k = first; k < first + iterations; k++) {
		sum += k;
		shared->items = shared->items + 1; /* RACE: load, add, store; another process can run between */
	}
	partial[id] = sum; /* BUG: this child's copy of partial[]; the parent never sees it */
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
	rl_args_parse(argc, argv, "Lab 1: child processes add up numbers for their parent.", knobs);

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (shared == MAP_FAILED)
		rl_fail(__FILE__, __LINE__, "mmap", errno);
	rl_gate_init(&shared->gate, (int)workers);
	shared->items = 0;

	pid_t pids[MAX_WORKERS];
	long long start = rl_clock_ns();
	start_workers(pids, workers);
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
	munmap(shared, sizeof(*shared));
	return 0;
}
