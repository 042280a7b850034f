/* test_result_channel.c: the result record, parsed from records captured from lab 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "cunit_main.h"
#include "result_channel.h"
#include "series.h"

static void test_captured_racy_record(void)
{
	size_t len;
	char *text = fixture_read("results/lab03-racy.txt", &len);
	struct lab_result r;
	CU_ASSERT_EQUAL_FATAL(result_channel_parse(text, len, &r), 0);
	CU_ASSERT_STRING_EQUAL(r.what, "counter");
	CU_ASSERT_DOUBLE_EQUAL(r.observed, 120885, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.expected, 200000, 0);
	CU_ASSERT_TRUE(r.symptom);
	CU_ASSERT_FALSE(r.inconclusive);
	CU_ASSERT_EQUAL(r.ops, 200000);
	CU_ASSERT_EQUAL(r.work_ns, 849645);
	free(text);
}

static void test_captured_correct_record(void)
{
	size_t len;
	char *text = fixture_read("results/lab03-mutex.txt", &len);
	struct lab_result r;
	CU_ASSERT_EQUAL_FATAL(result_channel_parse(text, len, &r), 0);
	CU_ASSERT_FALSE(r.symptom);
	CU_ASSERT_DOUBLE_EQUAL(r.observed, r.expected, 0);
	free(text);
}

static void test_truncated_record_rejected(void)
{
	size_t len;
	char *text = fixture_read("results/truncated.txt", &len);
	struct lab_result r;
	/* Cut inside "expected": no symptom line, so no usable record. */
	CU_ASSERT_EQUAL(result_channel_parse(text, len, &r), -1);
	free(text);
}

static void test_table(void)
{
	static const struct {
		const char *text;
		int rc;
		bool symptom;
		int n_metrics;
	} cases[] = {
	    {"", -1, false, 0},
	    {"garbage\n\n\n", -1, false, 0},
	    {"observed 1\nexpected 2\nsymptom 1\n", -1, true, 0}, /* no header */
	    {"racelab-result 1\nobserved 1\nexpected 2\nsymptom 1\n", 0, true, 0},
	    {"racelab-result 1\nobserved x\nexpected 2\nsymptom 1\nend\n", -1, true, 0},
	    {"racelab-result 1\nobserved 3\nexpected 3\nsymptom 0\nmetric meals.0 12\n"
	     "metric meals.1 0\nfuture-key 9\nend\n",
	     0, false, 2},
	    {"racelab-result 1\r\nobserved 3\nexpected 3\nsymptom 0\nend", 0, false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lab_result r;
		int rc = result_channel_parse(cases[i].text, strlen(cases[i].text), &r);
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc != 0)
			continue;
		CU_ASSERT_EQUAL(r.symptom, cases[i].symptom);
		CU_ASSERT_EQUAL(r.n_metrics, cases[i].n_metrics);
	}
}

static void test_metric_values_and_overflow(void)
{
	char text[4096] = "racelab-result 1\nobserved 1\nexpected 1\nsymptom 0\n";
	for (int i = 0; i < 40; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "metric m%d %d\n", i, i);
	struct lab_result r;
	CU_ASSERT_EQUAL_FATAL(result_channel_parse(text, strlen(text), &r), 0);
	CU_ASSERT_EQUAL(r.n_metrics, RESULT_MAX_METRICS);
	CU_ASSERT_STRING_EQUAL(r.metrics[3].name, "m3");
	CU_ASSERT_DOUBLE_EQUAL(r.metrics[3].value, 3, 0);
}

/* A program that sprays a forged "correct" record on every fd it has also hits the result
 * channel; with the lab kit's own (racy) record after it, the run is not trusted, whatever
 * order the two came in. */
static void test_forged_second_record_not_trusted(void)
{
	static const char forged[] = "racelab-result 1\nwhat counter\nobserved 200000\n"
	                             "expected 200000\nsymptom 0\nend\n";
	size_t len;
	char *racy = fixture_read("results/lab03-racy.txt", &len);
	for (int forged_first = 0; forged_first < 2; forged_first++) {
		char text[8192];
		snprintf(text, sizeof(text), "%s%.*s", forged_first ? forged : "", (int)len, racy);
		if (!forged_first)
			snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s", forged);
		struct lab_result r;
		CU_ASSERT_EQUAL_FATAL(result_channel_parse(text, strlen(text), &r), 0);
		CU_ASSERT_EQUAL(r.records, 2);
		struct run_result run = {.started = true, .exited = true, .exit_status = 0};
		char detail[200];
		CU_ASSERT_EQUAL(series_classify(&run, &r, true, true, detail, sizeof(detail)),
		                RUN_ERROR);
		CU_ASSERT_PTR_NOT_NULL(strstr(detail, "2 result records"));
	}
	/* The lab kit's record alone is one record, classified on its merits. */
	struct lab_result r;
	CU_ASSERT_EQUAL_FATAL(result_channel_parse(racy, len, &r), 0);
	CU_ASSERT_EQUAL(r.records, 1);
	free(racy);
}

/* Counts that are no counts read as 0 (converting them to long long is undefined). */
static void test_counts_out_of_range(void)
{
	static const char *const values[] = {"nan", "-5", "1e300", "-inf", "9.3e18"};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char text[200];
		struct lab_result r;
		snprintf(text, sizeof(text),
		         "racelab-result 1\nobserved 1\nexpected 1\nsymptom 0\nops %s\n"
		         "work_ns %s\nend\n",
		         values[i], values[i]);
		CU_ASSERT_EQUAL_FATAL(result_channel_parse(text, strlen(text), &r), 0);
		CU_ASSERT_EQUAL(r.ops, 0);
		CU_ASSERT_EQUAL(r.work_ns, 0);
	}
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("result channel", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "captured racy record", test_captured_racy_record);
	CU_add_test(s, "captured correct record", test_captured_correct_record);
	CU_add_test(s, "truncated record", test_truncated_record_rejected);
	CU_add_test(s, "table", test_table);
	CU_add_test(s, "metrics", test_metric_values_and_overflow);
	CU_add_test(s, "a forged second record", test_forged_second_record_not_trusted);
	CU_add_test(s, "counts out of range", test_counts_out_of_range);
	return CU_get_error();
}
