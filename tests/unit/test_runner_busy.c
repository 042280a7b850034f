/* test_runner_busy.c: runner_run() past its timeout on a fake machine (busy_sample): a run
 * the machine starves is given more time, a run that makes no progress or runs on a quiet
 * machine is killed at its timeout, a run starved to the cap is BUSY, not HANG.
 *
 * The machine and the run's CPU time are made up from the clock, so what the runner decides
 * does not depend on how busy the test machine really is. The child, runner_helper sleep,
 * only has to end when it says; the margins are a second or more. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cunit_main.h"
#include "runner.h"
#include "series.h"

#ifndef RUNNER_HELPER
#error "RUNNER_HELPER must name the runner_helper binary"
#endif

/* What the fake machine does, per second of wall time since the fake started. */
static double fake_others_per_s; /* CPU-seconds other programs take (2 CPUs: at most 2) */
static double fake_child_per_s;  /* CPU-seconds the run gets */
static double fake_wait_per_s;   /* seconds its threads wait on the CPUs' run queues */
static double fake_t0;

static double monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fake_sample(pid_t pid, struct cpu_sample *out)
{
	out->t = monotonic_s();
	double elapsed = out->t - fake_t0;
	out->child_s = pid > 0 ? fake_child_per_s * elapsed : 0;
	out->child_wait_s = pid > 0 ? fake_wait_per_s * elapsed : 0;
	out->child_runnable = 0; /* the wait above says it all */
	out->machine_s = (fake_others_per_s + fake_child_per_s) * elapsed;
	out->ncpus = 2;
	return 0;
}

static void fake_machine(double others_per_s, double child_per_s, double wait_per_s)
{
	fake_others_per_s = others_per_s;
	fake_child_per_s = child_per_s;
	fake_wait_per_s = wait_per_s;
	fake_t0 = monotonic_s();
}

/* runner_helper sleep SECONDS, with a timeout, on the fake machine. */
static void run_sleep(const char *seconds, double timeout_s, struct run_result *r)
{
	char *argv[] = {RUNNER_HELPER, "sleep", (char *)seconds, NULL};
	struct run_spec spec = {.argv = argv,
	                        .timeout_s = timeout_s,
	                        .capture_limit = 4096,
	                        .busy_extend = true,
	                        .busy_sample = fake_sample};
	CU_ASSERT_EQUAL_FATAL(runner_run(&spec, r), 0);
}

static enum run_class class_of(const struct run_result *r)
{
	struct run_record rec;
	series_record(&rec, r, false);
	return rec.cls;
}

/* Others take 1.8 of 2 CPUs; the run gets a little and waits for more: it needs 1.5 s, its timeout
 * is 0.5 s, the cap 2 s: it finishes, OK, not HANG. */
static void test_starved_run_finishes(void)
{
	struct run_result r;
	fake_machine(1.8, 0.2, 0.7);
	run_sleep("1.5", 0.5, &r);
	CU_ASSERT_FALSE(r.timed_out);
	CU_ASSERT_TRUE(r.exited);
	CU_ASSERT_EQUAL(class_of(&r), RUN_OK);
	CU_ASSERT(r.extended_s > 0);
	run_result_free(&r);
}

/* The same run on a quiet machine (others 0.05 of 2 CPUs): a hang at its timeout. */
static void test_quiet_machine_times_out(void)
{
	struct run_result r;
	fake_machine(0.05, 1.0, 0.0);
	run_sleep("30", 0.5, &r);
	CU_ASSERT_TRUE(r.timed_out);
	CU_ASSERT_FALSE(r.starved);
	CU_ASSERT_EQUAL(r.extended_s, 0);
	CU_ASSERT_EQUAL(class_of(&r), RUN_HANG);
	run_result_free(&r);
}

/* A busy machine, but the run neither runs nor waits to (asleep, as a deadlocked one): a
 * hang. */
static void test_no_progress_times_out(void)
{
	struct run_result r;
	fake_machine(2.0, 0.0, 0.0);
	run_sleep("30", 0.5, &r);
	CU_ASSERT_TRUE(r.timed_out);
	CU_ASSERT_FALSE(r.starved);
	CU_ASSERT_EQUAL(class_of(&r), RUN_HANG);
	run_result_free(&r);
}

/* Starved all along and never done: stopped at 4 x the timeout, BUSY, not HANG. */
static void test_starved_to_the_cap_is_busy(void)
{
	struct run_result r;
	fake_machine(1.8, 0.2, 0.7);
	run_sleep("30", 0.3, &r);
	CU_ASSERT_TRUE(r.timed_out);
	CU_ASSERT_TRUE(r.starved);
	CU_ASSERT(r.wall_s >= BUSY_CAP_FACTOR * 0.3 - 0.01);
	CU_ASSERT_EQUAL(class_of(&r), RUN_BUSY);
	run_result_free(&r);
}

/* Without busy_extend (or a timeout) nothing changes: the old rule. */
static void test_extension_off(void)
{
	char *argv[] = {RUNNER_HELPER, "sleep", "30", NULL};
	struct run_spec spec = {
	    .argv = argv, .timeout_s = 0.3, .capture_limit = 4096, .busy_sample = fake_sample};
	struct run_result r;
	fake_machine(1.8, 0.2, 0.7);
	CU_ASSERT_EQUAL_FATAL(runner_run(&spec, &r), 0);
	CU_ASSERT_TRUE(r.timed_out);
	CU_ASSERT_FALSE(r.starved);
	CU_ASSERT_EQUAL(r.extended_s, 0);
	run_result_free(&r);
}

/* The usage a run reports: its own CPU time (wait4) and others' (the fake machine's). */
static void test_usage_reported(void)
{
	struct run_result r;
	fake_machine(1.0, 0.0, 0.0);
	run_sleep("0.2", 5, &r);
	CU_ASSERT_EQUAL(r.ncpus, 2);
	CU_ASSERT(r.cpu_s >= 0 && r.cpu_s < 0.2); /* it slept */
	/* others took 1 CPU-second per second of the fake machine's time */
	CU_ASSERT(r.others_cpu_s > 0.1);
	run_result_free(&r);
}

CU_ErrorCode register_suites(void)
{
	static const struct {
		const char *name;
		CU_TestFunc fn;
	} tests[] = {
	    {"starved run finishes: OK, not HANG", test_starved_run_finishes},
	    {"quiet machine: HANG at the timeout", test_quiet_machine_times_out},
	    {"no CPU progress: HANG at the timeout", test_no_progress_times_out},
	    {"starved to the cap: BUSY", test_starved_to_the_cap_is_busy},
	    {"extension off: the old rule", test_extension_off},
	    {"CPU usage reported", test_usage_reported},
	};
	CU_pSuite suite = CU_add_suite("runner on a busy machine", NULL, NULL);
	if (!suite)
		return CU_get_error();
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return CU_get_error();
	return CUE_SUCCESS;
}
