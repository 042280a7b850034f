/* test_runner.c: runner_run() against runner_helper, a program that misbehaves on request.
 *
 * Orphans the runner kills are reparented to init; an init that does not reap (as in
 * some containers) leaves them as zombies, which kill(pid, 0) still finds. pid_gone()
 * therefore counts a zombie that is not our child as gone: it runs nothing any more. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cunit_main.h"
#include "runner.h"

#ifndef RUNNER_HELPER
#error "RUNNER_HELPER must name the runner_helper binary"
#endif

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The spec most tests start from: 5 s, 1 MiB of output, no channel. */
static struct run_spec default_spec(void)
{
	return (struct run_spec){.timeout_s = 5, .capture_limit = 1 << 20};
}

/* Runs runner_helper MODE [ARG] under spec (its argv is filled in here). */
static int run_mode(struct run_spec spec, struct run_result *r, const char *mode, const char *arg)
{
	char *argv[] = {RUNNER_HELPER, (char *)mode, (char *)arg, NULL};

	spec.argv = argv;
	return runner_run(&spec, r);
}

/* Reads the state letter and parent pid of pid from /proc. Returns 0, or -1 if gone. */
static int proc_state(pid_t pid, char *state, pid_t *ppid)
{
	char path[64], buf[512];
	int ppid_i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: parse after the last ')'. */
	char *close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %c %d", state, &ppid_i) != 2)
		return -1;
	*ppid = ppid_i;
	return 0;
}

/* True once pid runs nothing: no such process, or a zombie that is not ours. SIGKILL is
 * delivered asynchronously, so this waits up to 2 s for it to land. */
static bool pid_gone(pid_t pid)
{
	double give_up = now_s() + 2;
	char state;
	pid_t ppid;

	do {
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return true;
		if (proc_state(pid, &state, &ppid) < 0)
			return true;
		if ((state == 'Z' || state == 'X') && ppid != getpid()) {
			printf(
			    "\n    note: pid %d is a zombie of pid %d (that init does not reap) ",
			    (int)pid, (int)ppid);
			return true;
		}
		sleep_s(0.005);
	} while (now_s() < give_up);
	return false;
}

/* The pid after "label " in the helper's output, or -1. */
static pid_t pid_in_output(const char *output, const char *label)
{
	const char *at = output ? strstr(output, label) : NULL;
	int pid;

	if (!at || sscanf(at + strlen(label), " %d", &pid) != 1 || pid <= 1)
		return -1;
	return pid;
}

static void test_exit_status(void)
{
	struct run_result r;

	CU_ASSERT_EQUAL_FATAL(run_mode(default_spec(), &r, "exit", "7"), 0);
	CU_ASSERT_TRUE(r.started);
	CU_ASSERT_TRUE(r.exited);
	CU_ASSERT_EQUAL(r.exit_status, 7);
	CU_ASSERT_FALSE(r.signaled);
	CU_ASSERT_FALSE(r.timed_out);
	CU_ASSERT_PTR_NOT_NULL(r.output);
	CU_ASSERT_EQUAL(r.output_len, 0);
	CU_ASSERT_PTR_NULL(r.result);
	CU_ASSERT(r.wall_s > 0 && r.wall_s < 2);
	run_result_free(&r);
	CU_ASSERT_PTR_NULL(r.output);
	CU_ASSERT_FALSE(r.started);
}

static void check_signal(const char *mode, int sig, const char *name)
{
	struct run_result r;

	CU_ASSERT_EQUAL_FATAL(run_mode(default_spec(), &r, mode, NULL), 0);
	CU_ASSERT_TRUE(r.signaled);
	CU_ASSERT_FALSE(r.exited);
	CU_ASSERT_FALSE(r.timed_out);
	CU_ASSERT_EQUAL(r.term_signal, sig);
	CU_ASSERT_STRING_EQUAL(runner_signal_name(r.term_signal), name);
	run_result_free(&r);
}

static void test_segv_named(void)
{
	check_signal("segv", SIGSEGV, "SIGSEGV (segmentation fault)");
}

static void test_abort_named(void)
{
	check_signal("abort", SIGABRT, "SIGABRT (aborted)");
}

static void test_signal_names(void)
{
	static const struct {
		int sig;
		const char *name;
	} table[] = {
	    {SIGKILL, "SIGKILL (killed)"},
	    {SIGFPE, "SIGFPE (arithmetic error)"},
	    {SIGBUS, "SIGBUS (bus error)"},
	    {SIGILL, "SIGILL (illegal instruction)"},
	    {SIGTERM, "SIGTERM (terminated)"},
	    {0, "signal 0"},
	    {999, "signal 999"},
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		CU_ASSERT_STRING_EQUAL(runner_signal_name(table[i].sig), table[i].name);
	/* Unnamed real-time signals fall back to the number and strsignal()'s text. */
	CU_ASSERT_PTR_NOT_NULL(strstr(runner_signal_name(SIGRTMIN + 1), "signal "));
	CU_ASSERT_PTR_NOT_NULL(strstr(runner_signal_name(SIGRTMIN + 1), "("));
}

static void test_stdout_stderr_interleaved(void)
{
	struct run_result r;

	CU_ASSERT_EQUAL_FATAL(run_mode(default_spec(), &r, "stderr-and-stdout", NULL), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "out1\nerr1\nout2\nerr2\n");
	CU_ASSERT_EQUAL(r.output_len, strlen("out1\nerr1\nout2\nerr2\n"));
	CU_ASSERT_EQUAL(r.output_dropped, 0);
	run_result_free(&r);
}

static void test_timeout_kills_group(void)
{
	struct run_spec spec = default_spec();
	struct run_result r;

	spec.timeout_s = 0.3;
	double t0 = now_s();
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "hang-with-child", NULL), 0);
	double took = now_s() - t0;
	CU_ASSERT_TRUE(r.timed_out);
	CU_ASSERT_FALSE(r.signaled); /* our SIGKILL is not a crash */
	CU_ASSERT_FALSE(r.exited);
	CU_ASSERT(r.wall_s >= 0.3 && r.wall_s < 1.0);
	CU_ASSERT(took < 1.0);
	pid_t grandchild = pid_in_output(r.output, "grandchild");
	CU_ASSERT_FATAL(grandchild > 0);
	CU_ASSERT_TRUE(pid_gone(grandchild));
	run_result_free(&r);
}

static void test_timeout_ignores_sigterm(void)
{
	struct run_spec spec = default_spec();
	struct run_result r;

	spec.timeout_s = 0.2;
	double t0 = now_s();
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "ignore-term", NULL), 0);
	CU_ASSERT_TRUE(r.timed_out);
	CU_ASSERT(now_s() - t0 < 1.0);
	CU_ASSERT_STRING_EQUAL(r.output, "ignoring SIGTERM\n");
	run_result_free(&r);
}

/* A descendant that setsid()s escapes the group kill (catching it is a later issue);
 * runner_run must still return after the grace instead of waiting for it. */
static void test_escapee_holding_pipe(void)
{
	struct run_result r;

	double t0 = now_s();
	CU_ASSERT_EQUAL_FATAL(run_mode(default_spec(), &r, "setsid-holds-pipe", NULL), 0);
	CU_ASSERT(now_s() - t0 < 2.0);
	CU_ASSERT_TRUE(r.exited && r.exit_status == 0);
	pid_t escapee = pid_in_output(r.output, "escapee");
	CU_ASSERT_FATAL(escapee > 0);
	if (kill(escapee, 0) == 0)
		printf("\n    note: escapee %d outlived the run, as documented; killing it ",
		       (int)escapee);
	kill(escapee, SIGKILL);
	CU_ASSERT_TRUE(pid_gone(escapee));
	run_result_free(&r);
}

static void test_orphan_holding_pipe(void)
{
	struct run_result r;

	double t0 = now_s();
	CU_ASSERT_EQUAL_FATAL(run_mode(default_spec(), &r, "orphan-holds-pipe", NULL), 0);
	CU_ASSERT(now_s() - t0 < 2.0);
	CU_ASSERT_TRUE(r.exited);
	CU_ASSERT_EQUAL(r.exit_status, 0);
	CU_ASSERT_FALSE(r.timed_out);
	CU_ASSERT(r.wall_s < 1.0); /* the child's own run, not the grace we gave its orphan */
	pid_t orphan = pid_in_output(r.output, "orphan");
	CU_ASSERT_FATAL(orphan > 0);
	CU_ASSERT_TRUE(pid_gone(orphan));
	run_result_free(&r);
}

static void test_flood_bounded(void)
{
	struct run_spec spec = default_spec();
	struct run_result r;
	const size_t total = 50u << 20, limit = 64u << 10;

	spec.capture_limit = limit;
	double t0 = now_s();
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "flood", "52428800"), 0);
	CU_ASSERT(now_s() - t0 < 3.0);
	CU_ASSERT_TRUE(r.exited && r.exit_status == 0);
	CU_ASSERT_EQUAL(r.output_len, limit);
	CU_ASSERT_EQUAL(r.output_dropped, total - limit);
	CU_ASSERT_EQUAL(strlen(r.output), limit);
	CU_ASSERT_EQUAL(strspn(r.output, "x"), limit);
	run_result_free(&r);
}

static void test_capture_limit_zero(void)
{
	struct run_spec spec = default_spec();
	struct run_result r;

	spec.capture_limit = 0;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "stderr-and-stdout", NULL), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "");
	CU_ASSERT_EQUAL(r.output_dropped, 20);
	run_result_free(&r);
}

static void test_result_channel(void)
{
	struct run_spec spec = default_spec();
	struct run_result r;

	spec.result_channel = true;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "result", "verdict=ok"), 0);
	CU_ASSERT_EQUAL(r.exit_status, 0);
	CU_ASSERT_STRING_EQUAL(r.output, "on stdout\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.result);
	CU_ASSERT_STRING_EQUAL(r.result, "verdict=ok");
	CU_ASSERT_EQUAL(r.result_len, strlen("verdict=ok"));
	run_result_free(&r);

	/* Bounded like the output. */
	spec.capture_limit = 4;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "result", "abcdefgh"), 0);
	CU_ASSERT_STRING_EQUAL(r.result, "abcd");
	CU_ASSERT_EQUAL(r.result_dropped, 4);
	run_result_free(&r);
}

static void test_no_result_channel_unsets_env(void)
{
	struct run_result r;

	/* An inherited value must not reach a child that has no channel. */
	setenv(RL_RESULT_FD_ENV, "1", 1);
	int rc = run_mode(default_spec(), &r, "result", "x");
	unsetenv(RL_RESULT_FD_ENV);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_PTR_NULL(r.result);
	CU_ASSERT_EQUAL(r.exit_status, 4);
	CU_ASSERT_STRING_EQUAL(r.output, "RACELAB_RESULT_FD not set\n");
	run_result_free(&r);
}

static void test_env_extra(void)
{
	struct run_spec spec = default_spec();
	struct run_result r;
	char *extra[] = {"RACELAB_TEST_NEW=fresh", "RACELAB_TEST_OLD=new", NULL};

	setenv("RACELAB_TEST_OLD", "old", 1);
	spec.env_extra = extra;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "echo-env", "RACELAB_TEST_NEW"), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "fresh\n");
	run_result_free(&r);
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "echo-env", "RACELAB_TEST_OLD"), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "new\n");
	run_result_free(&r);
	/* The rest of our environment is inherited. */
	CU_ASSERT_EQUAL_FATAL(run_mode(default_spec(), &r, "echo-env", "RACELAB_TEST_OLD"), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "old\n");
	run_result_free(&r);
	unsetenv("RACELAB_TEST_OLD");
	CU_ASSERT_STRING_EQUAL(getenv("RACELAB_TEST_NEW") ? "set" : "unset", "unset");

	char *bad[] = {"NO_EQUALS_SIGN", NULL};
	spec.env_extra = bad;
	CU_ASSERT_EQUAL(run_mode(spec, &r, "exit", "0"), -1);
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_FALSE(r.started);
}

static void check_spawn_fails(char *path, int want_errno)
{
	struct run_spec spec = default_spec();
	struct run_result r;
	char *argv[] = {path, NULL};

	spec.argv = argv;
	errno = 0;
	CU_ASSERT_EQUAL(runner_run(&spec, &r), -1);
	CU_ASSERT_EQUAL(errno, want_errno);
	CU_ASSERT_FALSE(r.started);
	CU_ASSERT_EQUAL(r.spawn_errno, want_errno);
	CU_ASSERT_FALSE(r.exited); /* not "exit 127" */
	CU_ASSERT_PTR_NULL(r.output);
	run_result_free(&r);
}

static void test_spawn_failures(void)
{
	char path[] = "/tmp/racelab-noexec-XXXXXX";
	int fd = mkstemp(path);

	check_spawn_fails("/nonexistent/racelab-no-such-program", ENOENT);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	chmod(path, 0644); /* no x bit at all: EACCES even for root */
	check_spawn_fails(path, EACCES);
	unlink(path);
}

static void test_no_aslr(void)
{
	struct run_spec spec = default_spec();
	struct run_result r;
	int ours = personality(0xffffffff);

	spec.no_aslr = true;
	int rc = run_mode(spec, &r, "print-personality", NULL);
	if (rc < 0) {
		/* The documented failure path: refused personality() comes back as errno. */
		printf("\n    note: personality(ADDR_NO_RANDOMIZE) refused here: %s ",
		       strerror(errno));
		CU_ASSERT_FALSE(r.started);
		CU_ASSERT(r.spawn_errno != 0 && r.spawn_errno != ENOENT);
		return;
	}
	CU_ASSERT_STRING_EQUAL(r.output, "1\n");
	run_result_free(&r);

	spec.no_aslr = false;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "print-personality", NULL), 0);
	if (ours >= 0 && (ours & ADDR_NO_RANDOMIZE))
		printf("\n    note: this test runs with ASLR off already (setarch -R?) ");
	else
		CU_ASSERT_STRING_EQUAL(r.output, "0\n");
	run_result_free(&r);
}

static void test_no_fd_leaks(void)
{
	struct run_spec spec = default_spec();
	struct run_result r;
	int leaky = open("/dev/null", O_RDONLY); /* deliberately not O_CLOEXEC */
	int leaky_pipe[2];

	CU_ASSERT_FATAL(leaky >= 0);
	CU_ASSERT_FATAL(pipe(leaky_pipe) == 0);
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "fds", NULL), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "0 1 2\n");
	run_result_free(&r);
	spec.result_channel = true;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "fds", NULL), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "0 1 2 3\n");
	run_result_free(&r);
	close(leaky);
	close(leaky_pipe[0]);
	close(leaky_pipe[1]);
}

static void test_no_zombies(void)
{
	struct run_result r;
	int status, failures = 0;

	for (int i = 0; i < 200; i++) {
		if (run_mode(default_spec(), &r, "exit", "0") != 0 || !r.exited)
			failures++;
		run_result_free(&r);
	}
	CU_ASSERT_EQUAL(failures, 0);
	/* No child of ours at all, running or zombie. */
	errno = 0;
	CU_ASSERT_EQUAL(waitpid(-1, &status, WNOHANG), -1);
	CU_ASSERT_EQUAL(errno, ECHILD);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Time spent in runner_run() beyond the child's own life: a sleep-and-check loop with
 * any interval worth having would show here. */
static void test_overhead_small(void)
{
	double extra[21];
	struct run_result r;

	for (int i = 0; i < 21; i++) {
		double t0 = now_s();
		CU_ASSERT_EQUAL_FATAL(run_mode(default_spec(), &r, "sleep", "0.01"), 0);
		extra[i] = now_s() - t0 - r.wall_s;
		run_result_free(&r);
	}
	qsort(extra, 21, sizeof(extra[0]), cmp_double);
	CU_ASSERT(extra[10] < 0.001);
	if (extra[10] >= 0.001)
		printf("\n    median overhead %.3f ms ", extra[10] * 1e3);
}

/* ---- runner_set_wrap: a box around each judged run ---- */

static void test_wrap_prepends(void)
{
	char *wrap[] = {"/bin/sh", "-c", "echo wrapped; exec \"$@\"", "wrap", NULL};
	struct run_spec spec = default_spec();
	struct run_result r;

	CU_ASSERT_EQUAL_FATAL(runner_set_wrap(wrap), 0);
	spec.result_channel = true;
	spec.judged = true;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "result", "through"), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "wrapped\non stdout\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.result); /* fd 3 reached the program through the wrap */
	CU_ASSERT_STRING_EQUAL(r.result, "through");
	run_result_free(&r);
	/* A run that is not the program under test (gdb) is not wrapped. */
	spec.judged = false;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "result", "direct"), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "on stdout\n");
	run_result_free(&r);
	runner_set_wrap(NULL);
}

static void test_wrap_signal_status(void)
{
	/* sh, like bwrap and timeout, reports a child's death by signal N as 128 + N. */
	char *wrap[] = {"/bin/sh", "-c", "\"$@\"; exit $?", "wrap", NULL};
	struct run_spec spec = default_spec();
	struct run_result r;

	CU_ASSERT_EQUAL_FATAL(runner_set_wrap(wrap), 0);
	spec.judged = true;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "segv", NULL), 0);
	CU_ASSERT(r.signaled && !r.exited);
	CU_ASSERT_EQUAL(r.term_signal, SIGSEGV);
	run_result_free(&r);
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "exit", "7"), 0);
	CU_ASSERT(r.exited && !r.signaled);
	CU_ASSERT_EQUAL(r.exit_status, 7);
	run_result_free(&r);
	runner_set_wrap(NULL);
}

static void test_wrap_rw_dir(void)
{
	char *wrap[] = {"/bin/sh", "-c", "echo \"rw=${RACELAB_WRAP_RW-unset}\"", "wrap", NULL};
	struct run_spec spec = default_spec();
	struct run_result r;

	CU_ASSERT_EQUAL_FATAL(runner_set_wrap(wrap), 0);
	spec.judged = true;
	spec.box_rw_dir = "/tmp/racelab-tsan-test";
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "exit", "0"), 0);
	CU_ASSERT_STRING_EQUAL(r.output, "rw=/tmp/racelab-tsan-test\n");
	run_result_free(&r);
	/* Inherited from our environment, it would name a folder the run did not ask for. */
	setenv(RUNNER_WRAP_RW_ENV, "/elsewhere", 1);
	spec.box_rw_dir = NULL;
	CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, "exit", "0"), 0);
	unsetenv(RUNNER_WRAP_RW_ENV);
	CU_ASSERT_STRING_EQUAL(r.output, "rw=unset\n");
	run_result_free(&r);
	runner_set_wrap(NULL);
}

/* A daemon started in the wrap leaves the run's session and group; once the run is over,
 * runner_run() has killed and reaped it: gone at once, not after a while. */
static void test_wrap_sweeps_escapees(void)
{
	char *wrap[] = {
	    "/bin/sh", "-c",
	    "setsid sleep 30 </dev/null >/dev/null 2>&1 & echo \"daemon $!\"; exec \"$@\"", "wrap",
	    NULL};
	const char *modes[] = {"exit", "sleep"};
	struct run_spec spec = default_spec();
	struct run_result r;

	CU_ASSERT_EQUAL_FATAL(runner_set_wrap(wrap), 0);
	spec.judged = true;
	spec.timeout_s = 0.5;
	for (int i = 0; i < 2; i++) { /* a normal end, then a timeout */
		int daemon = 0;
		CU_ASSERT_EQUAL_FATAL(run_mode(spec, &r, modes[i], i ? "10" : "0"), 0);
		CU_ASSERT_EQUAL(r.timed_out, i == 1);
		CU_ASSERT_FATAL(sscanf(r.output, "daemon %d", &daemon) == 1 && daemon > 0);
		errno = 0;
		CU_ASSERT(kill(daemon, 0) == -1 && errno == ESRCH);
		run_result_free(&r);
	}
	int status;
	errno = 0;
	CU_ASSERT_EQUAL(waitpid(-1, &status, WNOHANG), -1);
	CU_ASSERT_EQUAL(errno, ECHILD);
	runner_set_wrap(NULL);
}

CU_ErrorCode register_suites(void)
{
	static const struct {
		const char *name;
		CU_TestFunc fn;
	} tests[] = {
	    {"exit status", test_exit_status},
	    {"SIGSEGV named", test_segv_named},
	    {"SIGABRT named", test_abort_named},
	    {"signal names", test_signal_names},
	    {"stdout and stderr interleaved", test_stdout_stderr_interleaved},
	    {"timeout kills the whole group", test_timeout_kills_group},
	    {"timeout ignores ignored SIGTERM", test_timeout_ignores_sigterm},
	    {"setsid escapee holding the pipe", test_escapee_holding_pipe},
	    {"orphan holding the pipe", test_orphan_holding_pipe},
	    {"flood bounded", test_flood_bounded},
	    {"capture limit zero", test_capture_limit_zero},
	    {"result channel", test_result_channel},
	    {"no channel, no RACELAB_RESULT_FD", test_no_result_channel_unsets_env},
	    {"env_extra", test_env_extra},
	    {"spawn failures", test_spawn_failures},
	    {"no_aslr", test_no_aslr},
	    {"no fd leaks", test_no_fd_leaks},
	    {"no zombies after 200 runs", test_no_zombies},
	    {"overhead after exit", test_overhead_small},
	    {"wrap prepends, passes the channel", test_wrap_prepends},
	    {"wrap: 128 + N is signal N", test_wrap_signal_status},
	    {"wrap: RACELAB_WRAP_RW", test_wrap_rw_dir},
	    {"wrap: escapees killed and reaped", test_wrap_sweeps_escapees},
	};
	CU_pSuite suite = CU_add_suite("runner", NULL, NULL);

	if (!suite)
		return CU_get_error();
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return CU_get_error();
	}
	return CUE_SUCCESS;
}
