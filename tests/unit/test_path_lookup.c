/* test_path_lookup.c: a program found on a PATH-style list (path_lookup.h), with a fake
 * file system: the candidates tried, in order, and the one taken. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "path_lookup.h"

/* The fake file system: the paths that "exist", and every candidate asked about. */
struct fake_fs {
	const char *present[4];
	char tried[256];
};

static bool fake_usable(const char *candidate, void *ctx)
{
	struct fake_fs *fs = ctx;
	size_t used = strlen(fs->tried);
	snprintf(fs->tried + used, sizeof(fs->tried) - used, "%s;", candidate);
	for (int i = 0; i < 4 && fs->present[i]; i++)
		if (strcmp(fs->present[i], candidate) == 0)
			return true;
	return false;
}

static void test_first_in_order(void)
{
	struct fake_fs fs = {.present = {"/usr/bin/python3", "/opt/py/bin/python3"}};
	char out[64];
	CU_ASSERT_TRUE(path_lookup_in("/home/s/.pyenv/shims:/opt/py/bin:/usr/bin", "python3",
	                              fake_usable, &fs, out, sizeof(out)));
	CU_ASSERT_STRING_EQUAL(out, "/opt/py/bin/python3");
	CU_ASSERT_STRING_EQUAL(fs.tried, "/home/s/.pyenv/shims/python3;/opt/py/bin/python3;");
}

static void test_empty_entries_skipped(void)
{
	/* "::", a leading and a trailing ':' would mean the current directory to a shell; the
	 * harness never runs a program from wherever it was started */
	struct fake_fs fs = {.present = {"/python3", "./python3"}};
	char out[64];
	CU_ASSERT_FALSE(
	    path_lookup_in(":/bin::/usr/bin:", "python3", fake_usable, &fs, out, sizeof(out)));
	CU_ASSERT_STRING_EQUAL(fs.tried, "/bin/python3;/usr/bin/python3;");
}

static void test_nothing_found(void)
{
	struct fake_fs fs = {.present = {NULL}};
	char out[64] = "stale";
	CU_ASSERT_FALSE(path_lookup_in("", "valgrind", fake_usable, &fs, out, sizeof(out)));
	CU_ASSERT_STRING_EQUAL(out, "");
	CU_ASSERT_STRING_EQUAL(fs.tried, "");
	CU_ASSERT_FALSE(path_lookup_in(NULL, "valgrind", fake_usable, &fs, out, sizeof(out)));
}

static void test_too_long_not_tried(void)
{
	/* "/usr/bin/valgrind" needs 18 bytes: with 17 it is not tried, never cut short */
	struct fake_fs fs = {.present = {"/usr/bin/valgrind", "/b/valgrind"}};
	char out[17];
	CU_ASSERT_TRUE(
	    path_lookup_in("/usr/bin:/b", "valgrind", fake_usable, &fs, out, sizeof(out)));
	CU_ASSERT_STRING_EQUAL(out, "/b/valgrind");
	CU_ASSERT_STRING_EQUAL(fs.tried, "/b/valgrind;");
}

static void test_real_path(void)
{
	/* sh is on every PATH the tests run with, and never in an empty one */
	char out[4096];
	CU_ASSERT_TRUE(path_lookup("sh", out, sizeof(out)));
	CU_ASSERT_EQUAL(out[0], '/');
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/sh"));
	CU_ASSERT_FALSE(path_lookup("racelab-no-such-program", out, sizeof(out)));
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("path_lookup", NULL, NULL);
	if (!s || !CU_add_test(s, "first usable, in order", test_first_in_order) ||
	    !CU_add_test(s, "empty entries skipped", test_empty_entries_skipped) ||
	    !CU_add_test(s, "nothing found", test_nothing_found) ||
	    !CU_add_test(s, "too long not tried", test_too_long_not_tried) ||
	    !CU_add_test(s, "the real PATH", test_real_path))
		return CU_get_error();
	return CUE_SUCCESS;
}
