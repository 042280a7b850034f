/* test_sarif.c: the SARIF writer on real findings (tests/fixtures/detectors: clang's TSan
 * log of lab 3, Helgrind's XML of lab 5): rule ids, paths relative to the source tree,
 * both accesses as related locations, thread flows; and an empty log for no findings.
 * (Validity against the official schema: tests/sarif/sarif.sh.) */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "sarif.h"
#include "valgrind_parse.h"

/* Where the fixtures were captured: the tree their absolute paths start with. */
#define CAPTURE_ROOT "/work/wt/detect"

static char *sarif_of(const struct sarif_source *src, int n, const char *root)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	CU_ASSERT_EQUAL(sarif_write(mem, root, "9.9", src, n), 0);
	fclose(mem);
	return text;
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_race(void)
{
	size_t len;
	char *log = fixture_read("detectors/lab03-tsan.txt", &len);
	if (!log)
		return;
	struct tsan_report r = {0};
	CU_ASSERT_EQUAL(tsan_parse(log, len, NULL, &r), 0);
	tsan_dedupe(&r);
	struct sarif_source src = {"labs/03-lost-update/lost_update.c", "tsan", &r};
	char *text = sarif_of(&src, 1, CAPTURE_ROOT "/");
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"version\": \"2.1.0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"ruleId\": \"data-race\""));
	CU_ASSERT_EQUAL(count(text, "\"ruleId\""), 1);
	/* Relative to the tree, with the base id code scanning resolves. */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"uri\": \"labs/03-lost-update/lost_update.c\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"uri\": \"file://" CAPTURE_ROOT "/\""));
	CU_ASSERT_PTR_NULL(strstr(text, "\"uri\": \"/work"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"startLine\": 26"));
	/* Both accesses: related locations 1 and 2, and a thread flow each. */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"relatedLocations\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"id\": 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "previous "));
	CU_ASSERT_EQUAL(count(text, "\"threadFlows\""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "on 'counter'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Two threads touched the same memory"));
	free(text);
	/* Without a source tree the paths stay absolute. */
	text = sarif_of(&src, 1, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"uri\": \"" CAPTURE_ROOT "/labs/03-lost-update/"));
	CU_ASSERT_PTR_NULL(strstr(text, "SRCROOT"));
	free(text);
	tsan_report_free(&r);
	free(log);
}

static void test_lock_order_from_helgrind(void)
{
	size_t len;
	char *xml = fixture_read("valgrind/helgrind-lab05-lock-order.xml", &len);
	if (!xml)
		return;
	static const char *const skip[] = {"/labkit/", NULL};
	struct tsan_parse_options opts = {.skip_paths = skip};
	struct tsan_report r = {0};
	CU_ASSERT_EQUAL(valgrind_parse(xml, len, &opts, &r), 0);
	struct sarif_source src = {"labs/05-deadlock-lock-order/transfer.c", "helgrind", &r};
	char *text = sarif_of(&src, 1, CAPTURE_ROOT);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"ruleId\": \"lock-order-inversion\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"detector\": \"helgrind\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Required order was established"));
	CU_ASSERT_EQUAL(count(text, "\"threadFlows\""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"uri\": \"labs/05-deadlock-lock-order/transfer.c\""));
	free(text);
	tsan_report_free(&r);
	free(xml);
}

static void test_clean(void)
{
	struct tsan_report empty = {0};
	struct sarif_source src = {"labs/03-lost-update/lost_update.c", "tsan", &empty};
	char *text = sarif_of(&src, 1, "/tmp");
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"results\": []"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"id\": \"data-race\"")); /* the rules stay */
	free(text);
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("sarif", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "lab 3's race (clang TSan)", test_race);
	CU_add_test(s, "lab 5's lock order (Helgrind)", test_lock_order_from_helgrind);
	CU_add_test(s, "no findings", test_clean);
	return CU_get_error();
}
