/* cunit_main.h: the one main() every CUnit binary shares. */
#ifndef RACELAB_CUNIT_MAIN_H
#define RACELAB_CUNIT_MAIN_H

#include <CUnit/CUnit.h>

/* Each test file defines this: adds its suites to the registry; returns a CUE_* code. */
CU_ErrorCode register_suites(void);

/* Reads a fixture (path relative to tests/fixtures/) into a malloc'd NUL-terminated buffer;
 * *len gets its size. Fails the current test and returns NULL when it cannot. */
char *fixture_read(const char *relpath, size_t *len);

#endif
