/* test_manifest.c: lab.manifest parsing (on lab 3's real manifest and on broken ones) and
 * finding labs by the names students type. */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "catalogue.h"
#include "cunit_main.h"
#include "manifest.h"
#include "python_twin.h"

static void test_lab3_manifest(void)
{
	size_t len;
	char *text = fixture_read("manifests/lab03.manifest", &len);
	struct manifest m;
	char err[256] = "";
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, text, len, &m, err, sizeof(err)), 0);
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
	    {"id = 4\nslug = x\ntitle = t\nprogram = p.c\nsymptom = wrong-result hang\n"
	     "stall_ms = 300\n",
	     NULL},
	    /* One grammar for every reader: keys at column 0, each once, lists on one line
	     * as words separated by blanks (docs/manifest.md). */
	    {MINIMAL "symptom = crash\n", "line 6: 'symptom' given twice (first on line 5)"},
	    {MINIMAL "solutions = a\nsolutions = b\n", "line 7: 'solutions' given twice"},
	    {MINIMAL "  runs = 3\n", "line 6: 'runs = 3' is indented"},
	    {MINIMAL "\truns = 3\n", "line 6: 'runs = 3' is indented"},
	    {MINIMAL "   # an indented comment\n\t\n", NULL},
	    {"id = 4\nslug = x\ntitle = t\nprogram = p.c\nsymptom = wrong-result,hang\n",
	     "unknown symptom 'wrong-result,hang'"},
	    {MINIMAL "solutions_clean = maybe\n", "'maybe' is not yes or no"},
	    {MINIMAL "= 3\n", "line 6: unknown key ''"},
	    {MINIMAL "runs = 3 # many\n", "not a whole number"}, /* no comments after values */
	    {MINIMAL "size_knob = --iterations\nwork_ms = 40\n", NULL},
	    {MINIMAL "work_ms = 0\n", "not a whole number in range"},
	    {"# only a comment\n", "missing key 'id'"},
	    {MINIMAL "colour = red\n", "line 6: unknown key 'colour'"},
	    {MINIMAL "runs = many\n", "not a whole number"},
	    {MINIMAL "runs = 0\n", "not a whole number in range"},
	    {MINIMAL "timeout = 9999\n", "not a number in range"},
	    {"id = 4\nslug = x\ntitle = t\nprogram = p.c\nsymptom = slow\n",
	     "unknown symptom 'slow'"},
	    {MINIMAL "tsan_expect = data-race race-condition\n", "unknown TSan finding kind"},
	    {MINIMAL "just words\n", "expected 'key = value'"},
	    {"id = 100\n", "not a whole number in range"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct manifest m;
		char err[256] = "";
		int rc = manifest_parse(NULL, cases[i].text, strlen(cases[i].text), &m, err,
		                        sizeof(err));
		if (!cases[i].error) {
			CU_ASSERT_EQUAL(rc, 0);
			continue;
		}
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].error));
		if (!strstr(err, cases[i].error))
			fprintf(stderr, "case %zu: got \"%s\"\n", i, err);
	}
}

/* Runs sized to their cost (sizing.h): the knob and the work a run should do. */
static void test_sizing_keys(void)
{
	const char text[] = MINIMAL "size_knob = --iterations\nwork_ms = 40\n";
	struct manifest m;
	char err[256] = "";
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, text, strlen(text), &m, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(m.size_knob, "--iterations");
	CU_ASSERT_EQUAL(m.work_ms, 40);
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, MINIMAL, strlen(MINIMAL), &m, err, sizeof(err)),
	                      0);
	CU_ASSERT_STRING_EQUAL(m.size_knob, "");
	CU_ASSERT_EQUAL(m.work_ms, 0);
}

static void test_defaults_and_multiple_symptoms(void)
{
	const char *text =
	    "id = 4\nslug = x\ntitle = t\nprogram = p.c\n"
	    "symptom = wrong-result hang\ntsan_expect = none\nextra_sources = a.c b.c\n";
	struct manifest m;
	char err[256];
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, text, strlen(text), &m, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(m.symptoms, SYMPTOM_HANG | SYMPTOM_WRONG_RESULT);
	CU_ASSERT_EQUAL(m.n_tsan_expect, 0);
	CU_ASSERT_EQUAL(m.runs, 20);
	CU_ASSERT_DOUBLE_EQUAL(m.timeout_s, 5, 0);
	CU_ASSERT_STRING_EQUAL(manifest_symptom_text(m.symptoms), "wrong result / hang");
	CU_ASSERT_STRING_EQUAL(m.extra_sources, "a.c b.c"); /* freshness reads them */
}

/* Errors name the file and the line, as a compiler does. */
static void test_error_names_file_and_line(void)
{
	const char *text = MINIMAL "\n  args = --threads 2\n";
	struct manifest m;
	char err[256];
	CU_ASSERT_EQUAL(
	    manifest_parse("labs/04-x/lab.manifest", text, strlen(text), &m, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "labs/04-x/lab.manifest:7: 'args = --threads 2' is "
	                            "indented: a key starts at column 0");
	CU_ASSERT_EQUAL(manifest_parse("m", "id = 4\n", 7, &m, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "m: missing key 'slug'");
}

/* racelab manifest LAB KEY prints manifest_value: every key of lab 3's real manifest,
 * written back as the grammar writes it, parses to the same manifest. */
static void test_values_round_trip(void)
{
	size_t len;
	char *text = fixture_read("manifests/lab03.manifest", &len);
	struct manifest m, again;
	char err[256], value[MANIFEST_TEXT], written[4096] = "";
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, text, len, &m, err, sizeof(err)), 0);
	for (size_t i = 0; manifest_key_name(i); i++) {
		char at_start[64];
		snprintf(at_start, sizeof(at_start), "\n%s ", manifest_key_name(i));
		if (!strstr(text, at_start)) /* a key lab 3 leaves at its default */
			continue;
		CU_ASSERT_EQUAL_FATAL(
		    manifest_value(&m, manifest_key_name(i), value, sizeof(value)), 0);
		size_t n = strlen(written);
		snprintf(written + n, sizeof(written) - n, "%s = %s\n", manifest_key_name(i),
		         value);
	}
	CU_ASSERT_EQUAL_FATAL(
	    manifest_parse(NULL, written, strlen(written), &again, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(memcmp(&m, &again, sizeof(m)), 0);
	CU_ASSERT_EQUAL(manifest_value(&m, "runs", value, sizeof(value)), 0);
	CU_ASSERT_STRING_EQUAL(value, "20");
	CU_ASSERT_EQUAL(manifest_value(&m, "solutions", value, sizeof(value)), 0);
	CU_ASSERT_STRING_EQUAL(value, "mutex atomic");
	CU_ASSERT_EQUAL(manifest_value(&m, "tsan_expect", value, sizeof(value)), 0);
	CU_ASSERT_STRING_EQUAL(value, "data-race");
	CU_ASSERT_EQUAL(manifest_value(&m, "colour", value, sizeof(value)), -1);
	free(text);
}

/* cost_unit names what the cost table counts per second (lab 13: requests); absent, the
 * table shows time per operation only. */
static void test_cost_unit(void)
{
	static const char with[] = MINIMAL "cost_unit = requests\n";
	struct manifest m;
	char err[256] = "";
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, with, strlen(with), &m, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(m.cost_unit, "requests");
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, MINIMAL, strlen(MINIMAL), &m, err, sizeof(err)),
	                      0);
	CU_ASSERT_STRING_EQUAL(m.cost_unit, "");
}

/* The schedule keys (labkit/sched): yes, or no with its reason; sizes and budget. */
static void test_sched_keys(void)
{
	struct manifest m;
	char err[256] = "";
	const char *yes = MINIMAL "sched = yes\nsched_args = --threads 2 --iterations 3\n"
	                          "sched_budget = 50\nsched_depth = 3\n";
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, yes, strlen(yes), &m, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(m.sched);
	CU_ASSERT_STRING_EQUAL(m.sched_args, "--threads 2 --iterations 3");
	CU_ASSERT_EQUAL(m.sched_budget, 50);
	CU_ASSERT_EQUAL(m.sched_depth, 3);
	const char *no = MINIMAL "sched = no: it talks to the network\n";
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, no, strlen(no), &m, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(m.sched);
	CU_ASSERT_STRING_EQUAL(m.sched_reason, "it talks to the network");
	CU_ASSERT_EQUAL(m.sched_budget, 200); /* the default */
	const char *absent = MINIMAL;
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, absent, strlen(absent), &m, err, sizeof(err)),
	                      0);
	CU_ASSERT_FALSE(m.sched);
	const char *bad = MINIMAL "sched = maybe\n";
	CU_ASSERT_EQUAL(manifest_parse(NULL, bad, strlen(bad), &m, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "sched: expected yes, or no: REASON"));
	const char *deep = MINIMAL "sched_depth = 9\n";
	CU_ASSERT_EQUAL(manifest_parse(NULL, deep, strlen(deep), &m, err, sizeof(err)), -1);
}

/* The Python twin's keys: its own arguments, runs, rate and solutions (python_twin.h). */
static void test_python_twin_keys(void)
{
	const char *text = MINIMAL "runs = 30\npython = twin.py\npython_args = --threads 2\n"
	                           "python_runs = 10\npython_timeout = 20\n"
	                           "python_symptom_rate = 0.5\npython_solutions = lock pool\n";
	struct manifest m;
	char err[256] = "";
	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, text, strlen(text), &m, err, sizeof(err)), 0);
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
	char list[64], tiny[7];
	CU_ASSERT_TRUE(python_twin_solutions_text(&m, list, sizeof(list))); /* racelab labs, list */
	CU_ASSERT_STRING_EQUAL(list, "lock, pool");
	CU_ASSERT_TRUE(python_twin_solutions_text(&m, tiny, sizeof(tiny))); /* cut, terminated */
	CU_ASSERT_STRING_EQUAL(tiny, "lock, ");
	m.python.n_solutions = 0;
	CU_ASSERT_TRUE(python_twin_solutions_text(&m, list, sizeof(list)));
	CU_ASSERT_STRING_EQUAL(list, "");

	CU_ASSERT_EQUAL_FATAL(manifest_parse(NULL, MINIMAL, strlen(MINIMAL), &m, err, sizeof(err)),
	                      0);
	CU_ASSERT_STRING_EQUAL(m.python.program, ""); /* no twin */
	CU_ASSERT_FALSE(python_twin_solutions_text(&m, list, sizeof(list)));
	CU_ASSERT_STRING_EQUAL(list, "");
	CU_ASSERT_DOUBLE_EQUAL(m.python.symptom_rate, 0.95, 0);

	static const char *const bad[] = {MINIMAL "python_runs = 0\n",
	                                  MINIMAL "python_symptom_rate = 2\n",
	                                  MINIMAL "python_solutions = a b c d e f g h i\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(manifest_parse(NULL, bad[i], strlen(bad[i]), &m, err, sizeof(err)),
		                -1);
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
	CU_add_test(s, "errors name file:line", test_error_names_file_and_line);
	CU_add_test(s, "values round trip", test_values_round_trip);
	CU_add_test(s, "size knob and work", test_sizing_keys);
	CU_add_test(s, "the Python twin's keys", test_python_twin_keys);
	CU_add_test(s, "find lab by name", test_find_lab_by_any_name);
	CU_add_test(s, "cost unit", test_cost_unit);
	CU_add_test(s, "sched keys", test_sched_keys);
	return CU_get_error();
}
