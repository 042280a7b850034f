/* test_labkit_result.c: the lab kit writes a run's record (labkit/result.c) and the harness
 * parses it back (harness/result_channel.c). Built with ASan and UBSan where the compiler
 * has them, so a write past the record's buffer fails here, not in a student's run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "cunit_main.h"
#include "result.h"
#include "result_fd.h"
#include "result_channel.h"

/* Runs rl_result_report with the result channel on a pipe; returns what it wrote
 * (malloc'd, NUL-terminated) or NULL. */
static char *record_of(const struct rl_result *r, size_t *len)
{
	int fds[2];
	char fd_text[16];
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf || pipe(fds) != 0)
		return free(buf), NULL;
	snprintf(fd_text, sizeof(fd_text), "%d", fds[1]);
	setenv(RL_RESULT_FD_ENV, fd_text, 1);
	rl_result_report(r); /* one small write: the pipe holds it */
	unsetenv(RL_RESULT_FD_ENV);
	close(fds[1]);
	*len = 0;
	while ((n = read(fds[0], buf + *len, cap - 1 - *len)) > 0)
		*len += (size_t)n;
	close(fds[0]);
	buf[*len] = '\0';
	return buf;
}

/* The record ends with its "end" line: the kit finished writing it. */
static bool record_ends(const char *text, size_t len)
{
	return len >= 5 && memcmp(text + len - 5, "\nend\n", 5) == 0;
}

static bool lines_shorter_than(const char *text, size_t max)
{
	for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1)
		if ((size_t)(nl - text) >= max)
			return false;
	return strlen(text) < max;
}

static void test_long_what(void)
{
	char *what = malloc(10001);
	CU_ASSERT_PTR_NOT_NULL_FATAL(what);
	memset(what, 'x', 10000);
	what[10000] = '\0';
	struct rl_result r = {.what = what, .observed = 1, .expected = 2, .symptom = true};
	size_t len;
	char *text = record_of(&r, &len);
	struct lab_result got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(result_channel_parse(text, len, &got), 0);
	CU_ASSERT_TRUE(record_ends(text, len)); /* the kit wrote it whole, to "end" */
	CU_ASSERT_EQUAL(strlen(got.what), 63);
	CU_ASSERT_EQUAL(strspn(got.what, "x"), 63);
	CU_ASSERT_DOUBLE_EQUAL(got.observed, 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(got.expected, 2, 0);
	CU_ASSERT_TRUE(got.symptom);
	CU_ASSERT_TRUE(lines_shorter_than(text, 256)); /* the parser skips longer lines */
	free(text);
	free(what);
}

/* A newline in what would start a key of its own: here, one that hides the symptom. */
static void test_what_cannot_add_keys(void)
{
	struct rl_result r = {
	    .what = "counter\nsymptom 0\nend", .observed = 1, .expected = 2, .symptom = true};
	size_t len;
	char *text = record_of(&r, &len);
	struct lab_result got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(result_channel_parse(text, len, &got), 0);
	CU_ASSERT_STRING_EQUAL(got.what, "counter symptom 0 end");
	CU_ASSERT_TRUE(got.symptom);
	free(text);
}

/* Runs last: metrics stay for the rest of the process. */
static void test_many_long_metrics(void)
{
	char name[200];
	memset(name, 'm', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	for (int i = 0; i < 40; i++)
		rl_result_metric(name, -1.2345678901234567e-300);
	struct rl_result r = {.what = "counter", .observed = 3, .expected = 3};
	size_t len;
	char *text = record_of(&r, &len);
	struct lab_result got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL_FATAL(result_channel_parse(text, len, &got), 0);
	CU_ASSERT_TRUE(record_ends(text, len)); /* the kit wrote it whole, to "end" */
	CU_ASSERT_EQUAL(got.n_metrics, RESULT_MAX_METRICS);
	CU_ASSERT_EQUAL(strlen(got.metrics[0].name), 47);
	CU_ASSERT_DOUBLE_EQUAL(got.metrics[15].value, -1.2345678901234567e-300, 1e-310);
	free(text);
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("lab kit result record", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "long what", test_long_what);
	CU_add_test(s, "what cannot add keys", test_what_cannot_add_keys);
	CU_add_test(s, "many long metrics", test_many_long_metrics);
	return CU_get_error();
}
