/* test_sizing.c: plain runs sized to their cost (sizing.h), and the progress line's text
 * (progress.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "progress.h"
#include "sizing.h"

static void test_knob_value(void)
{
	CU_ASSERT_EQUAL(sizing_knob_value("--threads 2 --iterations 5000000", "--iterations"),
	                5000000);
	CU_ASSERT_EQUAL(sizing_knob_value("--iterations=70 --threads 2", "--iterations"), 70);
	/* a longer knob that starts the same is another knob */
	CU_ASSERT_EQUAL(sizing_knob_value("--iterations-max 9 --iterations 3", "--iterations"), 3);
	CU_ASSERT_EQUAL(sizing_knob_value("--shared-iterations 9", "--iterations"), -1);
	CU_ASSERT_EQUAL(sizing_knob_value("--threads 2", "--iterations"), -1);
	CU_ASSERT_EQUAL(sizing_knob_value("--iterations lots", "--iterations"), -1);
	CU_ASSERT_EQUAL(sizing_knob_value("--iterations 0", "--iterations"), -1);
}

static void test_set_knob(void)
{
	char out[64];
	CU_ASSERT_EQUAL(sizing_set_knob("--threads 2 --iterations 5000000 --x 1", "--iterations",
	                                87088, out, sizeof(out)),
	                0);
	CU_ASSERT_STRING_EQUAL(out, "--threads 2 --iterations 87088 --x 1");
	CU_ASSERT_EQUAL(sizing_set_knob("--iterations=5", "--iterations", 2, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "--iterations=2");
	CU_ASSERT_EQUAL(sizing_set_knob("--threads 2", "--iterations", 2, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(sizing_set_knob("--iterations 5", "--iterations", 2, out, 8), -1);
}

static void test_scaled(void)
{
	/* 1/16 of 5M used 10 ms of CPU, a full run 160 ms: twice the 2 x 40 ms, so halved */
	CU_ASSERT_EQUAL(sizing_scaled(5000000, 312500, 10000000, 40), 2500000);
	/* lab 3 buggy: 2 ms of CPU, 32 ms a full run: cheap enough, the manifest's size stays */
	CU_ASSERT_EQUAL(sizing_scaled(5000000, 312500, 2000000, 40), 5000000);
	/* a split lock: 1/16 used 110 ms of CPU, a full run 1.76 s: 22x smaller */
	CU_ASSERT_EQUAL(sizing_scaled(5000000, 312500, 110000000, 40), 227272);
	/* the probe measured nothing: no change */
	CU_ASSERT_EQUAL(sizing_scaled(5000000, 312500, 0, 40), 5000000);
	/* never below 1 */
	CU_ASSERT_EQUAL(sizing_scaled(10, 1, 1000000000000LL, 1), 1);
}

static void test_progress_format(void)
{
	char line[80];
	progress_format(line, sizeof(line), "lab3", 7, 20, "runs", 1.44);
	CU_ASSERT_STRING_EQUAL(line, "lab3: 7 of 20 runs, 1.4 s");
	progress_format(line, sizeof(line), "explore", 300, 1000, "schedules", 12.0);
	CU_ASSERT_STRING_EQUAL(line, "explore: 300 of 1000 schedules, 12.0 s");
}

/* Not a terminal, or before PROGRESS_DELAY_S: nothing is drawn, nothing to clear. */
static void test_progress_silent(void)
{
	struct progress p;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	progress_begin(&p, false);
	p.out = out;
	p.start_s -= 5; /* long past the delay */
	progress_update(&p, "lab3", 1, 20, "runs");
	progress_begin(&p, true);
	p.out = out;
	progress_update(&p, "lab3", 1, 20, "runs"); /* too soon */
	progress_end(&p);
	p.start_s -= 5;
	progress_update(&p, "lab3", 2, 20, "runs");
	CU_ASSERT_TRUE(p.drawn);
	progress_end(&p);
	fclose(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "lab3: 2 of 20 runs"));
	CU_ASSERT_PTR_NULL(strstr(buf, "1 of 20"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf + len - 4, "\r\033[K"));
	free(buf);
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("sizing", NULL, NULL);
	if (!s || !CU_add_test(s, "knob value", test_knob_value) ||
	    !CU_add_test(s, "knob set", test_set_knob) || !CU_add_test(s, "scaled", test_scaled) ||
	    !CU_add_test(s, "progress line text", test_progress_format) ||
	    !CU_add_test(s, "progress silent when it should be", test_progress_silent))
		return CU_get_error();
	return CUE_SUCCESS;
}
