/* test_verdict.c: verdicts and their evidence, on hand-made experiments (--exec shape). */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "experiment.h"
#include "verdict.h"

/* An --exec experiment whose plain runs have the classes in classes ("." OK, "E" error,
 * "C" crash) and whose TSan run ran and exited 0 with nothing found. */
static void make(struct experiment *ex, const char *classes)
{
	size_t n = strlen(classes);
	memset(ex, 0, sizeof(*ex));
	ex->plain.runs = calloc(n, sizeof(*ex->plain.runs));
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex->plain.runs);
	for (size_t i = 0; i < n; i++) {
		struct run_record *r = &ex->plain.runs[i];
		r->cls = classes[i] == 'E'   ? RUN_ERROR
		         : classes[i] == 'C' ? RUN_CRASH
		         : classes[i] == 'S' ? RUN_SYMPTOM
		                             : RUN_OK;
		if (r->cls == RUN_ERROR)
			snprintf(r->detail, sizeof(r->detail), "exit status 3: no input file");
		if (r->cls == RUN_CRASH)
			snprintf(r->detail, sizeof(r->detail), "died of SIGSEGV");
	}
	ex->plain.n_runs = n;
	series_summarise(&ex->plain, SYMPTOM_WRONG_RESULT);
	ex->tsan_wanted = ex->tsan_available = true;
	ex->tsan.ran = true;
}

/* A failed run after an OK one: the evidence quotes the failure, not the OK run's
 * empty detail ("1 runs failed: " with nothing after it). */
static void test_failed_run_quoted(void)
{
	struct experiment ex;
	make(&ex, ".E.");
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_LOOKS_FIXED);
	CU_ASSERT_PTR_NOT_NULL(strstr(ex.evidence, "1 runs failed: exit status 3: no input file"));
	experiment_free(&ex);

	make(&ex, "C.E");
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_BUG_SHOWN);
	CU_ASSERT_PTR_NOT_NULL(strstr(ex.evidence, "1 crashed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(ex.evidence, "1 runs failed: exit status 3"));
	experiment_free(&ex);
}

/* A TSan run that ended badly with nothing parsed is not clean: not "looks fixed". */
static void test_tsan_not_clean(void)
{
	struct experiment ex;
	make(&ex, "..");
	snprintf(ex.tsan.not_clean, sizeof(ex.tsan.not_clean),
	         "TSan run ended with status 3 and no report we could read");
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_NOT_PROVEN);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(ex.evidence, "TSan is not clean: TSan run ended with status 3"));
	CU_ASSERT_FALSE(tsan_outcome_clean(&ex.tsan));
	experiment_free(&ex);

	make(&ex, "..");
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_LOOKS_FIXED);
	CU_ASSERT_TRUE(tsan_outcome_clean(&ex.tsan));
	experiment_free(&ex);
}

/* A crash TSan caught is a finding: the bug shows even when the plain runs did not. */
static void test_tsan_crash_is_bug(void)
{
	struct experiment ex;
	make(&ex, "..");
	ex.tsan.report.findings = calloc(1, sizeof(struct tsan_finding));
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex.tsan.report.findings);
	ex.tsan.report.n_findings = ex.tsan.report.cap_findings = 1;
	struct tsan_finding *f = &ex.tsan.report.findings[0];
	f->kind = TSAN_CRASH;
	f->count = 1;
	snprintf(f->crash.signal, sizeof(f->crash.signal), "SEGV");
	f->crash.address_class = TSAN_ADDR_NULL;
	snprintf(f->crash.access, sizeof(f->crash.access), "WRITE");
	snprintf(f->where.file, sizeof(f->where.file), "/src/worker.c");
	f->where.line = 9;
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_BUG_SHOWN);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(ex.evidence, "TSan: SIGSEGV on a NULL pointer (write) at worker.c:9"));
	experiment_free(&ex);
}

/* A Python twin has no TSan run: it is judged on its runs alone, against its own symptom
 * rate, and never waits for TSan kinds the C program declares. */
static void test_python_twin(void)
{
	static struct lab_entry lab;
	lab.manifest.symptom_rate = 0;
	lab.manifest.python.symptom_rate = 0.95;
	lab.manifest.tsan_expect[0] = TSAN_DATA_RACE;
	lab.manifest.n_tsan_expect = 1;
	struct experiment ex;

	make(&ex, "....");
	ex.lab = &lab;
	ex.python = true;
	ex.tsan_wanted = ex.tsan_available = ex.tsan.ran = false;
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_LOOKS_FIXED);
	CU_ASSERT_STRING_EQUAL(ex.evidence,
	                       "no bug seen in 4 runs and TSan not applicable (Python)");
	CU_ASSERT_FALSE(ex.symptom_rate_holds); /* 0 of 4 against the twin's 0.95, not 0 */
	CU_ASSERT_TRUE(ex.tsan_kinds_found);
	experiment_free(&ex);

	make(&ex, "SSSS");
	ex.lab = &lab;
	ex.python = true;
	ex.tsan_wanted = ex.tsan_available = ex.tsan.ran = false;
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_BUG_SHOWN);
	CU_ASSERT_PTR_NOT_NULL(strstr(ex.evidence, "TSan: not applicable (Python)"));
	CU_ASSERT_TRUE(ex.symptom_rate_holds);
	CU_ASSERT_TRUE(verdict_check_holds(&ex));
	experiment_free(&ex);

	make(&ex, "...");
	ex.lab = &lab;
	ex.solution = "lock";
	ex.python = true;
	ex.tsan_wanted = ex.tsan_available = ex.tsan.ran = false;
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_SOLUTION_OK);
	CU_ASSERT_STRING_EQUAL(ex.evidence, "correct in 3/3 runs and TSan not applicable (Python)");
	experiment_free(&ex);

	/* The same runs of a C solution whose TSan did not run prove less. */
	make(&ex, "...");
	ex.lab = &lab;
	ex.solution = "lock";
	ex.tsan.ran = false;
	verdict_judge(&ex);
	CU_ASSERT_EQUAL(ex.verdict, VERDICT_NOT_PROVEN);
	experiment_free(&ex);
}

static CU_TestInfo verdict_tests[] = {
    {"a Python twin is judged without TSan", test_python_twin},
    {"a failed run's detail is quoted", test_failed_run_quoted},
    {"TSan ended badly with nothing read: not clean", test_tsan_not_clean},
    {"a crash TSan caught shows the bug", test_tsan_crash_is_bug},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"verdict", NULL, NULL, NULL, NULL, verdict_tests},
    CU_SUITE_INFO_NULL,
};

CU_ErrorCode register_suites(void)
{
	return CU_register_suites(suites);
}
