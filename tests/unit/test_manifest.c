/* test_manifest.c: lab.manifest parsing (on lab 3's real manifest and on broken ones) and
 * finding labs by the names students type. */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "catalogue.h"
#include "cunit_main.h"
#include "manifest.h"

static void test_lab3_manifest(void)
{
	size_t len;
	char *text = fixture_read("manifests/lab03.manifest", &len);
	struct manifest m;
	char err[256] = "";
	CU_ASSERT_EQUAL_FATAL(manifest_parse(text, len, &m, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(m.id, 3);
	CU_ASSERT_STRING_EQUAL(m.slug, "lost-update");
	CU_ASSERT_STRING_EQUAL(m.program, "lost_update.c");
	CU_ASSERT_STRING_EQUAL(m.plain_cflags, "-O0");
	CU_ASSERT_PTR_NOT_NULL(strstr(m.args, "--threads 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(m.tsan_args, "--iterations 1000"));
	CU_ASSERT_EQUAL(m.symptoms, SYMPTOM_WRONG_RESULT);
	CU_ASSERT_DOUBLE_EQUAL(m.symptom_rate, 0.95, 1e-12);
	CU_ASSERT_EQUAL_FATAL(m.n_tsan_expect, 1);
	CU_ASSERT_EQUAL(m.tsan_expect[0], TSAN_DATA_RACE);
	CU_ASSERT_EQUAL_FATAL(m.n_solutions, 2);
	CU_ASSERT_STRING_EQUAL(m.solutions[0], "mutex");
	CU_ASSERT_STRING_EQUAL(m.solutions[1], "atomic");
	CU_ASSERT_TRUE(m.solutions_clean);
	free(text);
}

#define MINIMAL "id = 4\nslug = x\ntitle = t\nprogram = p.c\nsymptom = hang\n"

static void test_errors_table(void)
{
	static const struct {
		const char *text;
		const char *error; /* substring of the message; NULL: parses */
	} cases[] = {
	    {MINIMAL, NULL},
	    {MINIMAL "symptom = wrong-result, hang\nstall_ms = 300\n", NULL},
	    {"# only a comment\n", "missing key 'id'"},
	    {MINIMAL "colour = red\n", "line 6: unknown key 'colour'"},
	    {MINIMAL "runs = many\n", "not a whole number"},
	    {MINIMAL "runs = 0\n", "not a whole number in range"},
	    {MINIMAL "timeout = 9999\n", "not a number in range"},
	    {MINIMAL "symptom = slow\n", "unknown symptom 'slow'"},
	    {MINIMAL "tsan_expect = data-race, race-condition\n", "unknown TSan finding kind"},
	    {MINIMAL "just words\n", "expected 'key = value'"},
	    {"id = 100\n", "not a whole number in range"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct manifest m;
		char err[256] = "";
		int rc = manifest_parse(cases[i].text, strlen(cases[i].text), &m, err, sizeof(err));
		if (!cases[i].error) {
			CU_ASSERT_EQUAL(rc, 0);
			continue;
		}
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].error));
	}
}

static void test_defaults_and_multiple_symptoms(void)
{
	const char *text =
	    MINIMAL "symptom = wrong-result hang\ntsan_expect = none\nextra_sources = a.c b.c\n";
	struct manifest m;
	char err[256];
	CU_ASSERT_EQUAL_FATAL(manifest_parse(text, strlen(text), &m, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(m.symptoms, SYMPTOM_HANG | SYMPTOM_WRONG_RESULT);
	CU_ASSERT_EQUAL(m.n_tsan_expect, 0);
	CU_ASSERT_EQUAL(m.runs, 20);
	CU_ASSERT_DOUBLE_EQUAL(m.timeout_s, 5, 0);
	CU_ASSERT_STRING_EQUAL(manifest_symptom_text(m.symptoms), "wrong result / hang");
	CU_ASSERT_STRING_EQUAL(m.extra_sources, "a.c b.c"); /* freshness reads them */
}

/* The Python twin's keys: its own arguments, runs, rate and solutions (python_twin.h). */
static void test_python_twin_keys(void)
{
	const char *text = MINIMAL "runs = 30\npython = twin.py\npython_args = --threads 2\n"
	                           "python_runs = 10\npython_timeout = 20\n"
	                           "python_symptom_rate = 0.5\npython_solutions = lock pool\n";
	struct manifest m;
	char err[256] = "";
	CU_ASSERT_EQUAL_FATAL(manifest_parse(text, strlen(text), &m, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(m.python.program, "twin.py");
	CU_ASSERT_STRING_EQUAL(m.python.args, "--threads 2");
	CU_ASSERT_STRING_EQUAL(m.python.compare_args, "--threads 2"); /* defaults to args */
	CU_ASSERT_EQUAL(m.python.runs, 10);
	CU_ASSERT_EQUAL(m.runs, 30);
	CU_ASSERT_DOUBLE_EQUAL(m.python.timeout_s, 20, 0);
	CU_ASSERT_DOUBLE_EQUAL(m.python.symptom_rate, 0.5, 0);
	CU_ASSERT_EQUAL_FATAL(m.python.n_solutions, 2);
	CU_ASSERT_STRING_EQUAL(m.python.solutions[1], "pool");
	CU_ASSERT_EQUAL(m.n_solutions, 0); /* the C solutions are apart */

	CU_ASSERT_EQUAL_FATAL(manifest_parse(MINIMAL, strlen(MINIMAL), &m, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(m.python.program, ""); /* no twin */
	CU_ASSERT_DOUBLE_EQUAL(m.python.symptom_rate, 0.95, 0);

	static const char *const bad[] = {MINIMAL "python_runs = 0\n",
	                                  MINIMAL "python_symptom_rate = 2\n",
	                                  MINIMAL "python_solutions = a b c d e f g h i\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(manifest_parse(bad[i], strlen(bad[i]), &m, err, sizeof(err)), -1);
}

static void test_find_lab_by_any_name(void)
{
	struct lab_entry labs[2] = {0};
	snprintf(labs[0].dir, sizeof(labs[0].dir), "03-lost-update");
	labs[0].manifest_ok = true;
	labs[0].manifest.id = 3;
	snprintf(labs[0].manifest.slug, sizeof(labs[0].manifest.slug), "lost-update");
	snprintf(labs[1].dir, sizeof(labs[1].dir), "12-false-sharing");
	labs[1].manifest_ok = true;
	labs[1].manifest.id = 12;
	snprintf(labs[1].manifest.slug, sizeof(labs[1].manifest.slug), "false-sharing");
	struct catalogue cat = {.labs = labs, .n_labs = 2};
	static const struct {
		const char *name;
		int index;
	} cases[] = {
	    {"lab3", 0},   {"3", 0},           {"lab03", 0},
	    {"03", 0},     {"lost-update", 0}, {"03-lost-update", 0},
	    {"lab12", 1},  {"12", 1},          {"false-sharing", 1},
	    {"lab4", -1},  {"lab", -1},        {"", -1},
	    {"lab3x", -1}, {"lost", -1},       {"0003", -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_EQUAL(catalogue_find(&cat, cases[i].name), cases[i].index);
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("manifest", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "lab 3's manifest", test_lab3_manifest);
	CU_add_test(s, "errors", test_errors_table);
	CU_add_test(s, "defaults", test_defaults_and_multiple_symptoms);
	CU_add_test(s, "the Python twin's keys", test_python_twin_keys);
	CU_add_test(s, "find lab by name", test_find_lab_by_any_name);
	return CU_get_error();
}
