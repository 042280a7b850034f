/* test_stats.c: statistics, the binomial test and the histogram, as tables of cases. */
#include <math.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "cunit_main.h"
#include "histogram.h"
#include "stats.h"

static void test_summary_table(void)
{
	static const struct {
		double values[8];
		size_t n;
		double min, max, mean, median, stddev;
	} cases[] = {
	    {{5}, 1, 5, 5, 5, 5, 0},
	    {{1, 2, 3, 4}, 4, 1, 4, 2.5, 2.5, 1.2909944487358056},
	    {{9, 1, 5}, 3, 1, 9, 5, 5, 4},
	    {{2, 2, 2, 2, 2}, 5, 2, 2, 2, 2, 0},
	    {{-3, 3}, 2, -3, 3, 0, 0, 4.242640687119285},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stats s;
		CU_ASSERT_EQUAL_FATAL(stats_compute(cases[i].values, cases[i].n, &s), 0);
		CU_ASSERT_EQUAL(s.n, cases[i].n);
		CU_ASSERT_DOUBLE_EQUAL(s.min, cases[i].min, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(s.max, cases[i].max, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(s.mean, cases[i].mean, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(s.median, cases[i].median, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(s.stddev, cases[i].stddev, 1e-9);
	}
}

static void test_summary_empty_and_unsorted_input_kept(void)
{
	struct stats s;
	double values[] = {3, 1, 2};
	CU_ASSERT_EQUAL(stats_compute(values, 0, &s), 0);
	CU_ASSERT_EQUAL(s.n, 0);
	stats_compute(values, 3, &s);
	CU_ASSERT_DOUBLE_EQUAL(values[0], 3, 0); /* the caller's array is not sorted in place */
}

static void test_distinct_most_frequent_first(void)
{
	double values[] = {7, 3, 7, 5, 3, 7, 9};
	struct value_count out[2];
	long n = stats_distinct(values, 7, out, 2);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_DOUBLE_EQUAL(out[0].value, 7, 0);
	CU_ASSERT_EQUAL(out[0].count, 3);
	CU_ASSERT_DOUBLE_EQUAL(out[1].value, 3, 0);
	CU_ASSERT_EQUAL(out[1].count, 2);
}

static void test_binomial_cdf_table(void)
{
	static const struct {
		size_t k, n;
		double p, cdf;
	} cases[] = {
	    {0, 1, 0.5, 0.5},
	    {20, 20, 0.95, 1.0},
	    {19, 20, 0.95, 0.6415140775914581},
	    {17, 20, 0.95, 0.07548367},
	    {15, 20, 0.95, 0.002576},
	    {95, 100, 0.95, 0.5640186},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_DOUBLE_EQUAL(stats_binomial_cdf(cases[i].k, cases[i].n, cases[i].p),
		                       cases[i].cdf, 1e-5);
}

static void test_rate_consistent(void)
{
	CU_ASSERT_TRUE(stats_rate_consistent(20, 20, 0.95, 0.01));
	CU_ASSERT_TRUE(stats_rate_consistent(17, 20, 0.95, 0.01));
	CU_ASSERT_FALSE(stats_rate_consistent(15, 20, 0.95, 0.01));
	CU_ASSERT_FALSE(stats_rate_consistent(0, 20, 0.95, 0.01));
	CU_ASSERT_FALSE(stats_rate_consistent(0, 0, 0.95, 0.01));
	CU_ASSERT_TRUE(stats_rate_consistent(89, 100, 0.95, 0.01));  /* P = 0.0115 */
	CU_ASSERT_FALSE(stats_rate_consistent(88, 100, 0.95, 0.01)); /* P = 0.0043 */
}

static size_t count_substr(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_histogram_rows_and_bars(void)
{
	double values[] = {0, 0, 0, 0, 10};
	char buf[2048];
	histogram_render(values, 5, 2, 8, true, buf, sizeof(buf));
	CU_ASSERT_EQUAL(count_substr(buf, "\n"), 2);
	/* The fullest bin gets the full width: 8 full blocks; the other 2 cells = 2 blocks. */
	CU_ASSERT_EQUAL(count_substr(buf, "\u2588"), 8 + 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " 4\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " 1\n"));
}

static void test_histogram_ascii_and_single_value(void)
{
	double values[] = {42, 42, 42};
	char buf[512];
	histogram_render(values, 3, 8, 10, false, buf, sizeof(buf));
	CU_ASSERT_EQUAL(count_substr(buf, "\n"), 1); /* all equal: one row */
	CU_ASSERT_EQUAL(count_substr(buf, "#"), 10);
	CU_ASSERT_PTR_NULL(strstr(buf, "\xe2")); /* no UTF-8 */
}

static void test_histogram_truncates_safely(void)
{
	double values[] = {1, 2, 3, 4, 5, 6, 7, 8};
	char buf[16];
	size_t len = histogram_render(values, 8, 8, 40, true, buf, sizeof(buf));
	CU_ASSERT(len < sizeof(buf));
	CU_ASSERT_EQUAL(strlen(buf), len);
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("stats", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "summary table", test_summary_table);
	CU_add_test(s, "empty input, input untouched", test_summary_empty_and_unsorted_input_kept);
	CU_add_test(s, "distinct values", test_distinct_most_frequent_first);
	CU_add_test(s, "binomial cdf", test_binomial_cdf_table);
	CU_add_test(s, "rate consistent", test_rate_consistent);
	CU_pSuite h = CU_add_suite("histogram", NULL, NULL);
	if (!h)
		return CU_get_error();
	CU_add_test(h, "rows and bars", test_histogram_rows_and_bars);
	CU_add_test(h, "ascii, one value", test_histogram_ascii_and_single_value);
	CU_add_test(h, "truncation", test_histogram_truncates_safely);
	return CU_get_error();
}
