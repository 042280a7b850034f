/* test_valgrind_parse.c: Helgrind's and DRD's XML reports (tests/fixtures/valgrind, real
 * valgrind 3.19 output of labs 3 and 5 and of a mutex-misuse program) read into findings;
 * and the side-by-side table of all four detectors on lab 3 and lab 5
 * (tests/fixtures/detectors: clang's and gcc's TSan logs of the same builds). */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "detector_table.h"
#include "valgrind_parse.h"

static const char *const skip[] = {"/labkit/", NULL};
static const struct tsan_parse_options opts = {.skip_paths = skip};

static void parse_fixture(const char *name, struct tsan_report *r)
{
	size_t len;
	char *text = fixture_read(name, &len);
	memset(r, 0, sizeof(*r));
	if (!text)
		return;
	CU_ASSERT_EQUAL(valgrind_parse(text, len, &opts, r), 0);
	free(text);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void test_helgrind_race(void)
{
	struct tsan_report r;
	parse_fixture("valgrind/helgrind-lab03-lost-update.xml", &r);
	CU_ASSERT_FALSE(r.fatal);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 2); /* read vs write, write vs write */
	const struct tsan_finding *f = &r.findings[0];
	CU_ASSERT_EQUAL(f->kind, TSAN_DATA_RACE);
	CU_ASSERT_TRUE(f->access[0].present);
	CU_ASSERT_FALSE(f->access[0].is_write); /* "during read of size 8" */
	CU_ASSERT_EQUAL(f->access[0].size, 8);
	CU_ASSERT_EQUAL(f->access[0].thread, 1); /* valgrind's #2 is TSan's T1 */
	CU_ASSERT_TRUE(ends_with(f->access[0].where.file, "03-lost-update/lost_update.c"));
	CU_ASSERT_EQUAL(f->access[0].where.line, 26);
	CU_ASSERT_STRING_EQUAL(f->access[0].where.function, "worker");
	CU_ASSERT_TRUE(f->access[1].present);
	CU_ASSERT_TRUE(f->access[1].is_write); /* "a previous write of size 8 by thread #3" */
	CU_ASSERT_EQUAL(f->access[1].thread, 2);
	CU_ASSERT_EQUAL(f->access[1].where.line, 26);
	CU_ASSERT_EQUAL(f->location.kind, TSAN_LOC_GLOBAL);
	CU_ASSERT_STRING_EQUAL(f->location.variable, "counter");
	CU_ASSERT_EQUAL(f->where.line, 26);
	tsan_dedupe(&r);
	CU_ASSERT_EQUAL(r.n_findings, 1);
	CU_ASSERT_EQUAL(r.findings[0].count, 2);
	tsan_report_free(&r);
}

static void test_drd_race(void)
{
	struct tsan_report r;
	parse_fixture("valgrind/drd-lab03-lost-update.xml", &r);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 3);
	for (size_t i = 0; i < r.n_findings; i++) {
		CU_ASSERT_EQUAL(r.findings[i].kind, TSAN_DATA_RACE);
		CU_ASSERT_EQUAL(r.findings[i].access[0].size, 8);
		CU_ASSERT_EQUAL(r.findings[i].location.kind, TSAN_LOC_GLOBAL); /* BSS section */
		CU_ASSERT_TRUE(r.findings[i].access[0].where.line == 25 ||
		               r.findings[i].access[0].where.line == 26);
	}
	CU_ASSERT_FALSE(r.findings[0].access[0].is_write); /* "Conflicting load" */
	CU_ASSERT_TRUE(r.findings[1].access[0].is_write);  /* "Conflicting store" */
	CU_ASSERT_EQUAL(r.findings[0].access[0].thread, 1);
	tsan_report_free(&r);
}

static void test_helgrind_lock_order(void)
{
	struct tsan_report r;
	parse_fixture("valgrind/helgrind-lab05-lock-order.xml", &r);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	const struct tsan_finding *f = &r.findings[0];
	CU_ASSERT_EQUAL(f->kind, TSAN_LOCK_ORDER_INVERSION);
	/* The lab kit's rl_lock_at (labkit/sync.c:67) is skipped: the lab's lines remain. */
	CU_ASSERT_EQUAL_FATAL(f->n_stacks, 3);
	CU_ASSERT_TRUE(ends_with(f->stacks[0].where.file, "transfer.c"));
	CU_ASSERT_EQUAL(f->stacks[0].where.line, 49); /* the violating acquisition */
	CU_ASSERT_EQUAL(f->stacks[1].where.line, 47); /* "Required order was established" */
	CU_ASSERT_PTR_NOT_NULL(strstr(f->stacks[1].title, "Required order"));
	CU_ASSERT_EQUAL(f->n_mutexes, 2); /* "Lock at ... was first observed" */
	CU_ASSERT_TRUE(ends_with(f->mutexes[0].created_at.file, "transfer.c"));
	CU_ASSERT_EQUAL(f->where.line, 49);
	CU_ASSERT_EQUAL(f->cycle_len, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(f->crash.message, "lock order"));
	tsan_report_free(&r);
}

static void test_clean_runs(void)
{
	static const char *const clean[] = {"valgrind/helgrind-lab03-mutex-clean.xml",
	                                    "valgrind/drd-lab03-mutex-clean.xml",
	                                    "valgrind/drd-lab05-lock-order.xml", NULL};
	for (int i = 0; clean[i]; i++) {
		struct tsan_report r;
		parse_fixture(clean[i], &r);
		CU_ASSERT_EQUAL(r.n_findings, 0);
		CU_ASSERT_FALSE(r.fatal);
		tsan_report_free(&r);
	}
}

static void test_mutex_misuse(void)
{
	struct tsan_report r;
	parse_fixture("valgrind/helgrind-mutex-misuse.xml", &r);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 2);
	CU_ASSERT_EQUAL(r.findings[0].kind, TSAN_INVALID_MUTEX);        /* UnlockBogus */
	CU_ASSERT_EQUAL(r.findings[1].kind, TSAN_DESTROY_LOCKED_MUTEX); /* Misc */
	CU_ASSERT_EQUAL(r.findings[1].where.line, 7);
	tsan_report_free(&r);
	parse_fixture("valgrind/drd-mutex-misuse.xml", &r);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 2);
	CU_ASSERT_EQUAL(r.findings[0].kind, TSAN_INVALID_MUTEX); /* "is not a mutex" */
	CU_ASSERT_EQUAL(r.findings[0].where.line, 5);
	CU_ASSERT_EQUAL(r.findings[1].kind, TSAN_DESTROY_LOCKED_MUTEX);
	tsan_report_free(&r);
}

/* Helgrind may print "Locks held: ..." between "This conflicts with ..." and that
 * access's stack: the stack is still the previous access's. */
static void test_locks_held_line(void)
{
	size_t len;
	char *text = fixture_read("valgrind/helgrind-lab03-lost-update.xml", &len);
	if (!text)
		return;
	static const char held[] =
	    "\n  <xauxwhat>\n    <text>Locks held: none</text>\n  </xauxwhat>";
	const char *at = strstr(text, "</xauxwhat>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	size_t head = (size_t)(at - text) + strlen("</xauxwhat>");
	char *edited = malloc(len + sizeof(held));
	memcpy(edited, text, head);
	memcpy(edited + head, held, sizeof(held) - 1);
	memcpy(edited + head + sizeof(held) - 1, text + head, len - head);
	struct tsan_report r = {0};
	CU_ASSERT_EQUAL(valgrind_parse(edited, len + sizeof(held) - 1, &opts, &r), 0);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 2);
	CU_ASSERT_TRUE(r.findings[0].access[1].present);
	CU_ASSERT_EQUAL(r.findings[0].access[1].where.line, 26);
	CU_ASSERT_EQUAL(r.findings[0].n_stacks, 0);
	tsan_report_free(&r);
	free(edited);
	free(text);
}

static void test_kinds(void)
{
	CU_ASSERT_EQUAL(valgrind_kind("UnlockUnlocked", ""), TSAN_UNLOCK_UNLOCKED);
	CU_ASSERT_EQUAL(valgrind_kind("MutexErr", "Recursive locking not allowed"),
	                TSAN_DOUBLE_LOCK);
	CU_ASSERT_EQUAL(valgrind_kind("PthAPIerror", "failed with error code 35 (EDEADLK"),
	                TSAN_DOUBLE_LOCK);
	CU_ASSERT_EQUAL(valgrind_kind("CondErr", "x"), TSAN_UNKNOWN);
	CU_ASSERT_EQUAL(valgrind_kind("Misc", NULL), TSAN_UNKNOWN);
}

static void test_truncated_and_garbage(void)
{
	size_t len;
	char *text = fixture_read("valgrind/helgrind-lab03-lost-update.xml", &len);
	if (!text)
		return;
	struct tsan_report r = {0};
	/* Cut inside the second error: the first is whole, the second still counts. */
	const char *second = strstr(strstr(text, "<error>") + 1, "<error>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(second);
	CU_ASSERT_EQUAL(valgrind_parse(text, (size_t)(second - text) + 200, &opts, &r), 0);
	CU_ASSERT_EQUAL(r.n_findings, 2);
	CU_ASSERT_EQUAL(r.findings[0].access[1].where.line, 26);
	tsan_report_free(&r);
	/* No preamble: valgrind did not start. */
	CU_ASSERT_EQUAL(valgrind_parse("valgrind: command not found", 27, &opts, &r), 0);
	CU_ASSERT_TRUE(r.fatal);
	CU_ASSERT_EQUAL(r.n_findings, 0);
	tsan_report_free(&r);
	free(text);
}

static void parse_tsan_fixture(const char *name, struct tsan_report *r)
{
	size_t len;
	char *text = fixture_read(name, &len);
	memset(r, 0, sizeof(*r));
	if (!text)
		return;
	CU_ASSERT_EQUAL(tsan_parse(text, len, &opts, r), 0);
	tsan_dedupe(r);
	free(text);
}

/* The four detectors' real reports of one lab, as detector_run would return them. */
static void four_outcomes(const char *lab, struct detector_outcome *outs)
{
	char name[128];
	static const char *const valgrind_tools[] = {"helgrind", "drd"};
	memset(outs, 0, 4 * sizeof(*outs));
	for (int d = 0; d < DETECTOR_COUNT; d++)
		outs[d].detector = d, outs[d].ran = true, outs[d].wall_s = 0.5 * (d + 1);
	snprintf(name, sizeof(name), "detectors/%s-tsan.txt", lab);
	parse_tsan_fixture(name, &outs[DETECTOR_TSAN].report);
	snprintf(name, sizeof(name), "detectors/%s-tsan-gcc.txt", lab);
	parse_tsan_fixture(name, &outs[DETECTOR_TSAN_GCC].report);
	for (int v = 0; v < 2; v++) {
		snprintf(name, sizeof(name), "valgrind/%s-%s.xml", valgrind_tools[v],
		         strcmp(lab, "lab03") == 0 ? "lab03-lost-update" : "lab05-lock-order");
		parse_fixture(name, &outs[DETECTOR_HELGRIND + v].report);
		tsan_dedupe(&outs[DETECTOR_HELGRIND + v].report);
	}
}

static void test_table_lab03(void)
{
	struct detector_outcome outs[DETECTOR_COUNT];
	struct detector_table t;
	four_outcomes("lab03", outs);
	detector_table_build(outs, DETECTOR_COUNT, &t);
	/* One race on line 26 that all four saw; DRD also names line 25 (the load). */
	CU_ASSERT_TRUE(t.n_rows >= 1);
	for (int d = 0; d < DETECTOR_COUNT; d++)
		CU_ASSERT_TRUE(t.rows[0].count[d] > 0);
	CU_ASSERT_EQUAL(t.rows[0].finding.kind, TSAN_DATA_RACE);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	detector_table_print(mem, &t);
	fclose(mem);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "data race  lost_update.c:26"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "tsan-gcc"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "2.00s")); /* drd's time column */
	free(text);
	for (int d = 0; d < DETECTOR_COUNT; d++)
		detector_outcome_free(&outs[d]);
}

static void test_table_lab05(void)
{
	struct detector_outcome outs[DETECTOR_COUNT];
	struct detector_table t;
	four_outcomes("lab05", outs);
	outs[DETECTOR_DRD].ran = false; /* shows as n/a */
	snprintf(outs[DETECTOR_DRD].error, sizeof(outs[DETECTOR_DRD].error), "valgrind missing");
	detector_table_build(outs, DETECTOR_COUNT, &t);
	CU_ASSERT_EQUAL_FATAL(t.n_rows, 1); /* TSan (both) and Helgrind: one inversion */
	CU_ASSERT_EQUAL(t.rows[0].finding.kind, TSAN_LOCK_ORDER_INVERSION);
	CU_ASSERT_TRUE(t.rows[0].count[DETECTOR_TSAN] > 0);
	CU_ASSERT_TRUE(t.rows[0].count[DETECTOR_TSAN_GCC] > 0);
	CU_ASSERT_TRUE(t.rows[0].count[DETECTOR_HELGRIND] > 0);
	CU_ASSERT_EQUAL(t.rows[0].count[DETECTOR_DRD], 0); /* DRD misses lock order */
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	detector_table_print(mem, &t);
	fclose(mem);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "n/a"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "drd: could not run: valgrind missing"));
	free(text);
	for (int d = 0; d < DETECTOR_COUNT; d++)
		detector_outcome_free(&outs[d]);
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("valgrind_parse", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "helgrind: lab 3's race", test_helgrind_race);
	CU_add_test(s, "drd: lab 3's race", test_drd_race);
	CU_add_test(s, "helgrind: lab 5's lock order", test_helgrind_lock_order);
	CU_add_test(s, "clean runs", test_clean_runs);
	CU_add_test(s, "mutex misuse, both tools", test_mutex_misuse);
	CU_add_test(s, "kinds", test_kinds);
	CU_add_test(s, "a Locks held line before the stack", test_locks_held_line);
	CU_add_test(s, "truncated and garbage", test_truncated_and_garbage);
	s = CU_add_suite("detector_table", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "lab 3: four detectors, one race", test_table_lab03);
	CU_add_test(s, "lab 5: DRD misses the lock order", test_table_lab05);
	return CU_get_error();
}
