/* cunit_main.c: runs the suites a test file registers; exits non-zero when any failed.
 * CU_basic_run_tests() returns 0 even when tests failed, so the counts decide. */
#include <stdio.h>
#include <stdlib.h>
#include <CUnit/Basic.h>

#include "cunit_main.h"

char *fixture_read(const char *relpath, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", RACELAB_FIXTURE_DIR, relpath);
	FILE *f = fopen(path, "rb");
	if (!f) {
		CU_FAIL("fixture missing");
		fprintf(stderr, "fixture %s: cannot open\n", path);
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	*len = n;
	return buf;
}

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	if (register_suites() != CUE_SUCCESS) {
		fprintf(stderr, "cannot register suites: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failed = CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed() +
	                  CU_get_number_of_failures();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
