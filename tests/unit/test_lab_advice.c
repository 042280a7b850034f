/* test_lab_advice.c: advice.LANG.txt parsing (a table of texts and errors), and every
 * lab's real advice files: they parse, and the Russian file covers the English kinds. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "cunit_main.h"
#include "lab_advice.h"

static void test_parse_table(void)
{
	static const struct {
		const char *text;
		const char *error; /* substring of the message; NULL: parses */
		enum tsan_kind kind;
		const char *advice; /* that kind's text when it parses */
	} cases[] = {
	    {"data-race: guard it\n", NULL, TSAN_DATA_RACE, "guard it"},
	    {"# comment\n\ndata-race:  two\n  lines  \n\tjoined\n", NULL, TSAN_DATA_RACE,
	     "two lines joined"},
	    {"data-race:\n  text below\n", NULL, TSAN_DATA_RACE, "text below"},
	    {"lock-order-inversion: a\r\ndata-race: b", NULL, TSAN_LOCK_ORDER_INVERSION, "a"},
	    {"", NULL, TSAN_DATA_RACE, NULL},
	    {"race: x\n", "line 1: unknown TSan finding kind 'race'", 0, NULL},
	    {"unknown: x\n", "unknown TSan finding kind 'unknown'", 0, NULL},
	    {"just words\n", "line 1: expected 'kind: text'", 0, NULL},
	    {": x\n", "expected 'kind: text'", 0, NULL},
	    {"  orphan\n", "line 1: continuation line before", 0, NULL},
	    {"data-race: a\n\ndata-race: b\n", "line 3: kind 'data-race' given twice", 0, NULL},
	    {"thread-leak:\n", "kind 'thread-leak' has no text", 0, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lab_advice a;
		char err[256] = "";
		int rc = lab_advice_parse(cases[i].text, &a, err, sizeof(err));
		if (cases[i].error) {
			CU_ASSERT_EQUAL(rc, -1);
			CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].error));
			if (!strstr(err, cases[i].error))
				fprintf(stderr, "case %zu: got error '%s'\n", i, err);
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		const char *got = lab_advice_for(&a, cases[i].kind);
		if (cases[i].advice) {
			CU_ASSERT_PTR_NOT_NULL_FATAL(got);
			CU_ASSERT_STRING_EQUAL(got, cases[i].advice);
		} else
			CU_ASSERT_PTR_NULL(got);
		CU_ASSERT_PTR_NULL(lab_advice_for(&a, TSAN_THREAD_LEAK));
	}
}

static void test_too_long(void)
{
	size_t n = LAB_ADVICE_TEXT_MAX + 16;
	char *text = malloc(n + 32);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	strcpy(text, "data-race: ");
	memset(text + strlen(text), 'x', n);
	text[11 + n] = '\0';
	struct lab_advice a;
	char err[256] = "";
	CU_ASSERT_EQUAL(lab_advice_parse(text, &a, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "text too long"));
	free(text);
}

static void test_missing_file_is_no_advice(void)
{
	struct lab_advice a;
	char err[256] = "";
	CU_ASSERT_EQUAL(lab_advice_load(RACELAB_LABS_DIR, "xx", &a, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NULL(lab_advice_for(&a, TSAN_DATA_RACE));
}

/* Lab 4 is one of the labs where "make it atomic" is the wrong advice: its own must say so. */
static void test_lab4_warns_about_atomics(void)
{
	struct lab_advice a;
	char err[256] = "";
	CU_ASSERT_EQUAL_FATAL(
	    lab_advice_load(RACELAB_LABS_DIR "/04-check-then-act", "en", &a, err, sizeof(err)), 0);
	const char *here = lab_advice_for(&a, TSAN_DATA_RACE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(here);
	CU_ASSERT_PTR_NOT_NULL(strstr(here, "atomic"));
}

/* Every lab's advice files parse, and advice.ru.txt has advice for the same kinds. */
static void test_every_lab_file(void)
{
	DIR *d = opendir(RACELAB_LABS_DIR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	int with_advice = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char dir[1024], err[256] = "";
		struct lab_advice en, ru;
		snprintf(dir, sizeof(dir), "%s/%s", RACELAB_LABS_DIR, e->d_name);
		int rc_en = lab_advice_load(dir, "en", &en, err, sizeof(err));
		if (rc_en)
			fprintf(stderr, "%s\n", err);
		int rc_ru = lab_advice_load(dir, "ru", &ru, err, sizeof(err));
		if (rc_ru)
			fprintf(stderr, "%s\n", err);
		CU_ASSERT_EQUAL(rc_en, 0);
		CU_ASSERT_EQUAL(rc_ru, 0);
		for (int k = 0; k < TSAN_KIND_COUNT; k++) {
			bool has_en = lab_advice_for(&en, (enum tsan_kind)k) != NULL;
			bool has_ru = lab_advice_for(&ru, (enum tsan_kind)k) != NULL;
			if (has_en != has_ru)
				fprintf(stderr, "%s: advice for '%s' in one language only\n",
				        e->d_name, tsan_kind_slug((enum tsan_kind)k));
			CU_ASSERT_EQUAL(has_en, has_ru);
			with_advice += has_en;
		}
	}
	closedir(d);
	CU_ASSERT(with_advice >= 3); /* labs 4, 7 and 11 at least */
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("lab_advice", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "parse table", test_parse_table);
	CU_add_test(s, "too long", test_too_long);
	CU_add_test(s, "missing file", test_missing_file_is_no_advice);
	CU_add_test(s, "lab 4 warns about atomics", test_lab4_warns_about_atomics);
	CU_add_test(s, "every lab's files", test_every_lab_file);
	return CU_get_error();
}
