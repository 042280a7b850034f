/* test_busy.c: a busy machine is not a hang (busy.h), on a fake clock and fake machine,
 * and the verdicts a busy series gets (verdict.c). No timing: every sample is made up. */
#include <stdlib.h>
#include <string.h>

#include "busy.h"
#include "busy_probe.h"
#include "cunit_main.h"
#include "experiment.h"
#include "verdict.h"

/* A machine of 2 CPUs at time t: others have used `others` CPU-seconds, the run `child`,
 * and the run's threads have waited `wait` seconds on the CPUs' run queues. */
static struct cpu_sample at4(double t, double others, double child, double wait)
{
	return (struct cpu_sample){.t = t,
	                           .machine_s = others + child,
	                           .child_s = child,
	                           .child_wait_s = wait,
	                           .ncpus = 2};
}

static struct cpu_sample at(double t, double others, double child)
{
	return at4(t, others, child, 0);
}

static void test_others_share(void)
{
	struct cpu_sample a = at(10, 100, 0), b = at(12, 102, 1);
	CU_ASSERT_DOUBLE_EQUAL(busy_others_share(&a, &b), 0.5, 1e-9); /* 2 of 4 CPU-s */
	CU_ASSERT_DOUBLE_EQUAL(busy_others_share(&a, &a), 0.0, 1e-9); /* no time passed */
	struct cpu_sample quiet = at(12, 100, 3.9);
	CU_ASSERT_DOUBLE_EQUAL(busy_others_share(&a, &quiet), 0.0, 1e-9);
}

static void test_progressing(void)
{
	struct cpu_sample a = at(0, 0, 0);
	struct cpu_sample some = at(1, 0, 0.6), little = at(1, 0, 0.1);
	CU_ASSERT_TRUE(busy_progressing(&a, &some));
	CU_ASSERT_FALSE(busy_progressing(&a, &little)); /* mostly asleep */
	CU_ASSERT_FALSE(busy_progressing(&a, &a));
	/* Under 1% of a CPU, but waiting on a run queue: it wants the CPU, it is not asleep. */
	struct cpu_sample queued = at4(1, 0, 0.008, 0.9);
	CU_ASSERT_TRUE(busy_progressing(&a, &queued));
	/* Nothing counted yet, but a thread is runnable now: starved all window long. */
	struct cpu_sample waiting = at(1, 0, 0);
	waiting.child_runnable = 1;
	CU_ASSERT_TRUE(busy_progressing(&a, &waiting));
	/* A thread ended (its waits left the sum with it): the program moved on. Seen under
	 * load: lab 4's mutex solution called hung at 12.5 s while its tellers finished. */
	struct cpu_sample four = at4(0, 0, 0, 20), three = at4(2.5, 5, 0.05, 12);
	four.child_threads = 4;
	three.child_threads = 3;
	CU_ASSERT_TRUE(busy_progressing(&four, &three));
	three.child_threads = 4;
	CU_ASSERT_FALSE(busy_progressing(&four, &three));
	four.child_threads = 0; /* the run's start: no count to compare with */
	CU_ASSERT_FALSE(busy_progressing(&four, &three));
}

/* Others take the whole machine; the run gets a little CPU all along. */
static void test_starved_run_extended_then_given_up(void)
{
	struct busy_deadline d;
	struct cpu_sample start = at(100, 0, 0);
	busy_deadline_init(&d, &start, 2.0);
	CU_ASSERT_DOUBLE_EQUAL(d.deadline, 102, 1e-9);
	struct cpu_sample s = at4(102, 3.8, 0.2, 1.6);
	CU_ASSERT_EQUAL(busy_deadline_reached(&d, &s), BUSY_EXTEND);
	CU_ASSERT_DOUBLE_EQUAL(d.deadline, 103, 1e-9); /* half a timeout more */
	CU_ASSERT_DOUBLE_EQUAL(d.extended_s, 1, 1e-9);
	double t = 103, others = 3.8, child = 0.2, wait = 1.6;
	enum busy_action a = BUSY_EXTEND;
	int steps = 0;
	while (a == BUSY_EXTEND && steps++ < 100) {
		t = d.deadline;
		others += 1.9;
		child += 0.1;
		wait += 0.8;
		struct cpu_sample now = at4(t, others, child, wait);
		a = busy_deadline_reached(&d, &now);
	}
	CU_ASSERT_EQUAL(a, BUSY_GIVE_UP);
	CU_ASSERT_DOUBLE_EQUAL(t, 100 + BUSY_CAP_FACTOR * 2.0, 1e-9); /* at the cap, not past */
	CU_ASSERT_DOUBLE_EQUAL(d.extended_s, (BUSY_CAP_FACTOR - 1) * 2.0, 1e-9);
}

/* A deadlocked run on a busy machine uses no CPU: a hang at once. */
static void test_no_progress_is_a_hang(void)
{
	struct busy_deadline d;
	struct cpu_sample start = at(0, 0, 0), now = at(2, 4, 0);
	busy_deadline_init(&d, &start, 2.0);
	CU_ASSERT_EQUAL(busy_deadline_reached(&d, &now), BUSY_KILL);
}

/* A spinning run on a quiet machine: a hang (a livelock, an endless loop). */
static void test_quiet_machine_is_a_hang(void)
{
	struct busy_deadline d;
	struct cpu_sample start = at(0, 0, 0), now = at(2, 0.1, 3.9);
	busy_deadline_init(&d, &start, 2.0);
	CU_ASSERT_EQUAL(busy_deadline_reached(&d, &now), BUSY_KILL);
}

/* The neighbours leave while the run is extended: the next look judges the last window. */
static void test_machine_quiets_down(void)
{
	struct busy_deadline d;
	struct cpu_sample start = at(0, 0, 0), busy = at4(2, 3, 1, 1),
	                  quiet = at4(3, 3.05, 2.95, 1);
	busy_deadline_init(&d, &start, 2.0);
	CU_ASSERT_EQUAL(busy_deadline_reached(&d, &busy), BUSY_EXTEND);
	CU_ASSERT_EQUAL(busy_deadline_reached(&d, &quiet), BUSY_KILL);
}

static void test_load_of_a_series(void)
{
	struct busy_load load = {.loadavg = {-1, -1, -1}};
	CU_ASSERT_FALSE(busy_too_busy(&load));
	busy_load_add(&load, 1.0, 0.1, 2, false, false); /* 5% */
	CU_ASSERT_FALSE(busy_too_busy(&load));
	busy_load_add(&load, 1.0, 1.9, 2, true, false); /* now 2.0 of 4.0: 50% */
	CU_ASSERT_DOUBLE_EQUAL(load.others_share, 0.5, 1e-9);
	CU_ASSERT_TRUE(busy_too_busy(&load));
	CU_ASSERT_EQUAL(load.extended_runs, 1);
	struct busy_load negative = {0};
	busy_load_add(&negative, 1.0, -0.05, 2, false, false); /* ticks: clamped to 0 */
	CU_ASSERT_DOUBLE_EQUAL(negative.others_share, 0, 1e-9);
	struct busy_load starved = {0};
	busy_load_add(&starved, 8.0, 0, 2, true, true); /* a run at its cap is enough */
	CU_ASSERT_TRUE(busy_too_busy(&starved));
	char text[200];
	load.loadavg[0] = 4.1, load.loadavg[1] = 3, load.loadavg[2] = 2.5;
	busy_describe(&load, text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, "other programs used 50% of 2 CPUs; load average 4.10 3.00 "
	                             "2.50; 1 run given more time");
}

static void test_parse_proc_stat(void)
{
	size_t len;
	char *text = fixture_read("proc/stat-2cpu.txt", &len);
	unsigned long long busy = 0;
	int ncpus = 0;
	if (!text)
		return;
	CU_ASSERT_EQUAL(busy_parse_proc_stat(text, &busy, &ncpus), 0);
	CU_ASSERT_EQUAL(ncpus, 2);
	CU_ASSERT_EQUAL(busy, 103570ULL + 75029 + 226); /* idle 17579 and iowait 375 left out */
	CU_ASSERT_EQUAL(busy_parse_proc_stat("intr 1 2 3\n", &busy, &ncpus), -1);
	CU_ASSERT_EQUAL(busy_parse_proc_stat("cpu  1 2 3 4\n", &busy, &ncpus), -1); /* no cpuN */
	free(text);
}

/* A timing symptom (a lab that measures a speedup) while others took the CPUs is not
 * judged; a wrong value is a wrong value however busy the machine. */
static void test_timing_symptom_on_busy_machine(void)
{
	struct run_result run = {.started = true, .exited = true, .wall_s = 1, .ncpus = 2};
	struct lab_result result = {.symptom = true, .timing = true};
	char detail[200];
	run.others_cpu_s = 1.2; /* 60% of 2 CPUs */
	CU_ASSERT_EQUAL(series_classify(&run, &result, true, true, detail, sizeof(detail)),
	                RUN_BUSY);
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "other programs used 60% of the CPUs"));
	run.others_cpu_s = 0.1;
	CU_ASSERT_EQUAL(series_classify(&run, &result, true, true, detail, sizeof(detail)),
	                RUN_SYMPTOM);
	result.timing = false;
	run.others_cpu_s = 1.2;
	CU_ASSERT_EQUAL(series_classify(&run, &result, true, true, detail, sizeof(detail)),
	                RUN_SYMPTOM);
	run.ncpus = 0; /* not measured: judged as before */
	result.timing = true;
	CU_ASSERT_EQUAL(series_classify(&run, &result, true, true, detail, sizeof(detail)),
	                RUN_SYMPTOM);
}

/* /proc/stat counts 10 ms ticks: over a 14 ms run a quiet machine read 27-45% "others"
 * (lab 12, measured); that is tick error, not a busy machine. A 60 ms run beside two busy
 * loops (50% of 2 CPUs) is busy. */
static void test_short_run_tick_error_is_not_busy(void)
{
	struct run_result run = {.started = true, .exited = true, .wall_s = 0.014, .ncpus = 2};
	struct lab_result result = {.symptom = true, .timing = true};
	char detail[200];
	run.others_cpu_s = 0.45 * 0.028;
	CU_ASSERT_EQUAL(series_classify(&run, &result, true, true, detail, sizeof(detail)),
	                RUN_SYMPTOM);
	run.wall_s = 0.060;
	run.others_cpu_s = 0.5 * 0.120;
	CU_ASSERT_EQUAL(series_classify(&run, &result, true, true, detail, sizeof(detail)),
	                RUN_BUSY);
}

/* A series stops after its second run too busy to judge, and says so. */
static void test_series_stops_when_too_busy(void)
{
	struct run_record runs[3] = {{.cls = RUN_BUSY}, {.cls = RUN_OK}, {.cls = RUN_BUSY}};
	struct series s;
	memset(&s, 0, sizeof(s));
	s.runs = runs;
	s.n_runs = 2;
	CU_ASSERT_FALSE(series_too_busy_to_go_on(&s));
	CU_ASSERT_STRING_EQUAL(s.stopped_note, "");
	s.n_runs = 3;
	CU_ASSERT_TRUE(series_too_busy_to_go_on(&s));
	CU_ASSERT_STRING_EQUAL(s.stopped_note,
	                       "stopped after 3 of the runs: 2 were too busy to judge");
}

/* ---- verdicts of a busy series ---- */

static struct lab_entry fake_lab(int symptoms)
{
	struct lab_entry lab;
	memset(&lab, 0, sizeof(lab));
	lab.manifest_ok = true;
	lab.manifest.id = 4;
	lab.manifest.symptoms = symptoms;
	lab.manifest.symptom_rate = 0.95;
	return lab;
}

/* An experiment of n runs of the given classes ("..B.S"), TSan ran clean, on a machine
 * whose others used `share` of 2 CPUs. */
static void fake_experiment(struct experiment *ex, const struct lab_entry *lab,
                            const char *solution, const char *classes, double share)
{
	static struct run_record runs[64];
	size_t n = strlen(classes);
	memset(ex, 0, sizeof(*ex));
	memset(runs, 0, sizeof(runs));
	ex->lab = lab;
	ex->solution = solution;
	ex->tsan_wanted = ex->tsan.ran = true;
	ex->plain.runs = runs;
	ex->plain.n_runs = n;
	for (size_t i = 0; i < n; i++) {
		const char *letters = ".SCHEB";
		runs[i].cls = (enum run_class)(strchr(letters, classes[i]) - letters);
		runs[i].wall_s = 1;
		runs[i].ncpus = 2;
		runs[i].others_cpu_s = 2 * share;
		snprintf(runs[i].detail, sizeof(runs[i].detail), "%s",
		         runs[i].cls == RUN_BUSY ? "still running" : "");
	}
	ex->plain.load.loadavg[0] = -1;
	series_summarise(&ex->plain, lab ? lab->manifest.symptoms : SYMPTOM_WRONG_RESULT);
	verdict_judge(ex);
}

/* A correct solution whose slow runs the machine starved: not "broken". */
static void test_solution_starved_is_inconclusive(void)
{
	struct lab_entry lab = fake_lab(SYMPTOM_WRONG_RESULT);
	struct experiment ex;
	fake_experiment(&ex, &lab, "mutex", "..B.B", 0.6);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_INCONCLUSIVE);
	CU_ASSERT_FALSE(verdict_check_holds(&ex));
	CU_ASSERT_TRUE(verdict_check_inconclusive(&ex));
	CU_ASSERT_PTR_NOT_NULL(strstr(ex.evidence, "correct in 3/5 runs; 2 not judged"));
}

/* A wrong result is wrong however busy the machine: still broken. */
static void test_solution_wrong_result_still_broken(void)
{
	struct lab_entry lab = fake_lab(SYMPTOM_WRONG_RESULT);
	struct experiment ex;
	fake_experiment(&ex, &lab, "mutex", "..BS.", 0.9);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_SOLUTION_BAD);
	CU_ASSERT_FALSE(verdict_check_inconclusive(&ex));
	fake_experiment(&ex, &lab, "mutex", "..H..", 0.9); /* a real hang: no CPU progress */
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_SOLUTION_BAD);
}

/* A lab without its symptom on a busy machine: inconclusive, not "looks fixed", not FAIL;
 * the same on a quiet machine: looks fixed, and the gate fails. */
static void test_lab_quiet_on_busy_machine(void)
{
	struct lab_entry lab = fake_lab(SYMPTOM_WRONG_RESULT);
	struct experiment ex;
	fake_experiment(&ex, &lab, NULL, "....................", 0.5);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_INCONCLUSIVE);
	CU_ASSERT_PTR_NOT_NULL(strstr(ex.evidence, "other programs used 50% of 2 CPUs"));
	CU_ASSERT_TRUE(verdict_check_inconclusive(&ex));
	fake_experiment(&ex, &lab, NULL, "....................", 0.02);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_LOOKS_FIXED);
	CU_ASSERT_FALSE(verdict_check_holds(&ex));
	CU_ASSERT_FALSE(verdict_check_inconclusive(&ex));
}

/* Too few symptoms for the declared rate: FAIL on a quiet machine, inconclusive on a busy
 * one; a bug that shows is shown either way. */
static void test_lab_rate_on_busy_machine(void)
{
	struct lab_entry lab = fake_lab(SYMPTOM_WRONG_RESULT);
	struct experiment ex;
	fake_experiment(&ex, &lab, NULL, "SS..................", 0.02);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_BUG_SHOWN);
	CU_ASSERT_FALSE(ex.symptom_rate_holds);
	CU_ASSERT_FALSE(verdict_check_inconclusive(&ex));
	fake_experiment(&ex, &lab, NULL, "SS..................", 0.7);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_BUG_SHOWN);
	CU_ASSERT_TRUE(verdict_check_inconclusive(&ex));
	fake_experiment(&ex, &lab, NULL, "SSSSSSSSSSSSSSSSSSSS", 0.7);
	CU_ASSERT_TRUE(verdict_check_holds(&ex));
}

/* The TSan run: starved to its cap (killed, no result) it proves nothing; a timing lab's
 * TSan run that is merely slow (BUSY with a result) is still clean. Seen under load: lab
 * 12's sharded solution called broken, "correct in 20/20 runs; TSan: clean". */
static void test_tsan_run_on_busy_machine(void)
{
	struct lab_entry lab = fake_lab(SYMPTOM_WRONG_RESULT);
	struct experiment ex;
	fake_experiment(&ex, &lab, "sharded", "....................", 0.9);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_SOLUTION_OK);
	ex.tsan.run.cls = RUN_BUSY;
	ex.tsan.run.has_result = true; /* a timing "symptom" under TSan and load */
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_SOLUTION_OK);
	ex.tsan.run.has_result = false; /* starved to its cap */
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_INCONCLUSIVE);
	CU_ASSERT_PTR_NOT_NULL(strstr(ex.evidence, "nor the TSan run"));
	CU_ASSERT_TRUE(verdict_check_inconclusive(&ex));
}

/* A hang lab: starved runs are left out of the rate, not counted as "no symptom". */
static void test_busy_runs_left_out_of_the_rate(void)
{
	struct lab_entry lab = fake_lab(SYMPTOM_HANG);
	struct experiment ex;
	fake_experiment(&ex, &lab, NULL, "HHHHB", 0.1);
	CU_ASSERT_TRUE(ex.symptom_rate_holds);
	fake_experiment(&ex, &lab, NULL, "BBBBB", 0.1);
	CU_ASSERT_FALSE(ex.symptom_rate_holds);
	CU_ASSERT_TRUE(verdict_check_inconclusive(&ex)); /* every run starved to its cap */
	/* Seen under load: lab 12 "0/1, 2 too busy" passed, 0 of 1 being "consistent". */
	fake_experiment(&ex, &lab, NULL, ".BB", 0.9);
	CU_ASSERT_FALSE(ex.symptom_rate_holds);
	CU_ASSERT_FALSE(verdict_check_holds(&ex));
	CU_ASSERT_TRUE(verdict_check_inconclusive(&ex)); /* every run starved to its cap */
}

CU_ErrorCode register_suites(void)
{
	static const struct {
		const char *name;
		CU_TestFunc fn;
	} tests[] = {
	    {"others' share", test_others_share},
	    {"progress", test_progressing},
	    {"starved run extended, then given up at the cap",
	     test_starved_run_extended_then_given_up},
	    {"no CPU progress is a hang", test_no_progress_is_a_hang},
	    {"quiet machine: a hang", test_quiet_machine_is_a_hang},
	    {"machine quiets down", test_machine_quiets_down},
	    {"load of a series", test_load_of_a_series},
	    {"/proc/stat parsed", test_parse_proc_stat},
	    {"timing symptom on a busy machine", test_timing_symptom_on_busy_machine},
	    {"a short run's tick error is not a busy machine",
	     test_short_run_tick_error_is_not_busy},
	    {"series stops when too busy", test_series_stops_when_too_busy},
	    {"solution starved: inconclusive", test_solution_starved_is_inconclusive},
	    {"TSan run on a busy machine", test_tsan_run_on_busy_machine},
	    {"solution wrong result: broken", test_solution_wrong_result_still_broken},
	    {"lab quiet on a busy machine", test_lab_quiet_on_busy_machine},
	    {"lab rate on a busy machine", test_lab_rate_on_busy_machine},
	    {"busy runs left out of the rate", test_busy_runs_left_out_of_the_rate},
	};
	CU_pSuite suite = CU_add_suite("busy", NULL, NULL);
	if (!suite)
		return CU_get_error();
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return CU_get_error();
	return CUE_SUCCESS;
}
