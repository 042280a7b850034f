/* test_i18n.c: the language racelab picks (--lang, RACELAB_LANG, the locale variables as
 * glibc reads them), --lang taken out of argv, ngettext's Russian plural forms through the
 * real catalogue, and the Russian title and topic read from every lab's README.ru.md. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "cunit_main.h"
#include "hang_diagnosis.h"
#include "i18n.h"
#include "lab_text.h"
#include "series.h"

/* A fake environment: "NAME=value" entries, NULL-terminated. */
static const char *const *fake_env;

static const char *fake_getenv(const char *name)
{
	size_t n = strlen(name);
	for (const char *const *e = fake_env; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static void test_pick_table(void)
{
	static const struct {
		const char *option;
		const char *env[4];
		int rc;
		enum i18n_lang want;
	} cases[] = {
	    {NULL, {NULL}, 0, I18N_EN},
	    {NULL, {"LANG=ru_RU.UTF-8"}, 0, I18N_RU},
	    {NULL, {"LANG=C.UTF-8"}, 0, I18N_EN},
	    {NULL, {"LANG=en_US.UTF-8", "LC_MESSAGES=ru_RU.UTF-8"}, 0, I18N_RU},
	    {NULL, {"LANG=ru_RU.UTF-8", "LC_ALL=C"}, 0, I18N_EN},
	    /* glibc ignores LANGUAGE in the C locale, and honours it in any other. */
	    {NULL, {"LANGUAGE=ru"}, 0, I18N_EN},
	    {NULL, {"LANGUAGE=ru", "LANG=C"}, 0, I18N_EN},
	    {NULL, {"LANGUAGE=ru", "LANG=C.UTF-8"}, 0, I18N_RU},
	    {NULL, {"LANGUAGE=de:ru:en", "LANG=de_DE.UTF-8"}, 0, I18N_RU},
	    {NULL, {"LANGUAGE=en", "LANG=ru_RU.UTF-8"}, 0, I18N_EN},
	    {NULL, {"LANG=de_DE.UTF-8"}, 0, I18N_EN},
	    {NULL, {"RACELAB_LANG=ru", "LANG=C"}, 0, I18N_RU},
	    {NULL, {"RACELAB_LANG=en", "LANG=ru_RU.UTF-8"}, 0, I18N_EN},
	    {NULL, {"RACELAB_LANG=", "LANG=ru_RU.UTF-8"}, 0, I18N_RU},
	    {"ru", {"RACELAB_LANG=en"}, 0, I18N_RU},
	    {"en", {"LANG=ru_RU.UTF-8"}, 0, I18N_EN},
	    {"ru_RU.UTF-8", {NULL}, 0, I18N_RU},
	    {"de", {NULL}, -1, I18N_EN},
	    {"", {NULL}, -1, I18N_EN},
	    {"russian", {NULL}, -1, I18N_EN},
	    {NULL, {"RACELAB_LANG=fr"}, -1, I18N_EN},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum i18n_lang got = I18N_EN;
		char err[200] = "";
		fake_env = cases[i].env;
		int rc = i18n_pick(cases[i].option, fake_getenv, &got, err, sizeof(err));
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc == 0) {
			CU_ASSERT_EQUAL(got, cases[i].want);
		} else {
			CU_ASSERT_PTR_NOT_NULL(strstr(err, "no catalogue for"));
		}
		if (rc != cases[i].rc || (rc == 0 && got != cases[i].want))
			fprintf(stderr, "case %zu: rc %d lang %d\n", i, rc, (int)got);
	}
}

static void test_strip_option(void)
{
	char *argv[] = {"racelab", "run", "--lang", "ru",     "lab3", "--lang=en", "--runs",
	                "2",       "--",  "prog",   "--lang", "x",    NULL};
	const char *value = NULL;
	int argc = i18n_strip_option(12, argv, &value);
	CU_ASSERT_EQUAL(argc, 9);
	CU_ASSERT_STRING_EQUAL(value, "en"); /* the last one given */
	CU_ASSERT_STRING_EQUAL(argv[2], "lab3");
	CU_ASSERT_STRING_EQUAL(argv[3], "--runs");
	CU_ASSERT_STRING_EQUAL(argv[5], "--"); /* a program's own --lang stays its own */
	CU_ASSERT_STRING_EQUAL(argv[7], "--lang");
	CU_ASSERT_PTR_NULL(argv[9]);

	char *missing[] = {"racelab", "list", "--lang", NULL};
	CU_ASSERT_EQUAL(i18n_strip_option(3, missing, &value), -1);
}

/* The real catalogue (build/locale) in Russian: plural forms and a marked message. This
 * runs last: it switches the process to Russian. */
static void test_russian_catalogue(void)
{
	char err[200] = "";
	setenv("RACELAB_LOCALEDIR", RACELAB_TEST_LOCALEDIR, 1);
	CU_ASSERT_EQUAL_FATAL(i18n_use(I18N_RU, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(i18n_lang_code(), "ru");
	static const struct {
		unsigned long n;
		const char *want;
	} forms[] = {{1, "  %zu находка"},  {2, "  %zu находки"},  {4, "  %zu находки"},
	             {5, "  %zu находок"},  {11, "  %zu находок"}, {12, "  %zu находок"},
	             {21, "  %zu находка"}, {22, "  %zu находки"}, {25, "  %zu находок"},
	             {111, "  %zu находок"}};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		CU_ASSERT_STRING_EQUAL(ngettext("  %zu finding", "  %zu findings", forms[i].n),
		                       forms[i].want);
	CU_ASSERT_STRING_EQUAL(_("bug shown"), "ошибка проявилась");
	/* Forced English (the JSON's evidence) gives the msgids back, plural rules too. */
	bool was = i18n_force_english(true);
	CU_ASSERT_STRING_EQUAL(_("bug shown"), "bug shown");
	CU_ASSERT_STRING_EQUAL(ngettext("  %zu finding", "  %zu findings", 2), "  %zu findings");
	i18n_force_english(was);
	CU_ASSERT_STRING_EQUAL(_("bug shown"), "ошибка проявилась");

	/* A live deadlock's words: two threads, each holding the mutex the other wants. */
	struct hang_wait w[2] = {{.tid = 11,
	                          .kind = HANG_MUTEX,
	                          .name = "a",
	                          .holder = 12,
	                          .function = "transfer",
	                          .file = "/src/x.c",
	                          .line = 49},
	                         {.tid = 12,
	                          .kind = HANG_MUTEX,
	                          .name = "b",
	                          .holder = 11,
	                          .function = "transfer",
	                          .file = "/src/x.c",
	                          .line = 50}};
	char *text = hang_explain(w, 2, "/src");
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	/* Threads are named as the English names them: the main thread, then T1, T2, ... */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "    главный поток ждёт мьютекс 'a' (его держит T1) в "
	                                    "transfer(), x.c:49\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "    T1 ждёт мьютекс 'b' (его держит главный поток) в "
	                                    "transfer(), x.c:50\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
	                              "  взаимная блокировка: главный поток ждёт мьютекс 'a', "
	                              "его держит T1, который ждёт мьютекс 'b'"));
	free(text);

	/* A lost or missing wake-up: the main thread joins T1; T1 and T2 wait on 'ready'. */
	struct hang_wait c[3] = {{.tid = 30, .kind = HANG_JOIN, .holder = 31},
	                         {.tid = 31, .kind = HANG_CONDITION, .name = "ready"},
	                         {.tid = 32, .kind = HANG_CONDITION, .name = "ready"}};
	text = hang_explain(c, 3, "/src");
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(text, "    главный поток ждёт, пока завершится T1 (pthread_join)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "    T2 ждёт на условной переменной 'ready'\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
	                              "  потерянное или не поданное пробуждение: 2 потока ждут "
	                              "на условной переменной 'ready', и все остальные"));
	CU_ASSERT_PTR_NULL(strstr(text, "wake-up"));
	free(text);

	/* A note that is also data: English for the JSON, Russian for the text report. */
	struct run_record runs[2] = {{.cls = RUN_BUSY}, {.cls = RUN_BUSY}};
	struct series s;
	memset(&s, 0, sizeof(s));
	s.runs = runs;
	s.n_runs = 2;
	CU_ASSERT_TRUE(series_too_busy_to_go_on(&s));
	CU_ASSERT_STRING_EQUAL(s.stopped_note,
	                       "stopped after 2 of the runs: 2 were too busy to judge");
	CU_ASSERT_STRING_EQUAL(s.stopped_note_text, "остановлено после 2-го запуска: в 2 из них "
	                                            "машина была слишком загружена, чтобы судить");
}

/* Table cells count characters, not bytes, and never cut one in half. */
static void test_cell(void)
{
	static const struct {
		const char *s;
		int width;
		bool cut;
		size_t cap;
		const char *want;
	} cases[] = {
	    {"lab", 3, false, 64, "lab"},     {"ab", 4, false, 64, "ab  "},
	    {"abcdef", 4, true, 64, "abcd"},  {"abcdef", 4, false, 64, "abcdef"},
	    {"тема", 6, false, 64, "тема  "}, {"состояние", 4, true, 64, "сост"},
	    {"", 2, true, 64, "  "},          {"ая", 1, true, 64, "а"},
	    {"яя", 5, false, 4, "я "}, /* the second "я" does not fit whole: dropped */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[64];
		CU_ASSERT_STRING_EQUAL(
		    i18n_cell(out, cases[i].cap, cases[i].s, cases[i].width, cases[i].cut),
		    cases[i].want);
	}
}

static void test_lab_text_table(void)
{
	static const struct {
		const char *readme, *title, *topic;
	} cases[] = {
	    {"# Лабораторная 3: потерянное обновление\n\n*Тема: состояние гонки и блокировки.*\n",
	     "потерянное обновление", "состояние гонки и блокировки"},
	    {"# Лабораторная 2: одна блокировка (как GIL): ждут\n\nТема курса: GIL. В CPython\n",
	     "одна блокировка (как GIL): ждут", "GIL"},
	    {"# Лаб 12: ложное\n\nТема курса: гонки — и цена.\n", "ложное", "гонки"},
	    {"# No colon here\nTopic: x\n", "", ""},
	    {"", "", ""},
	    {"text\n\n\n\n\n\n*Тема: too late*\n", "", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lab_text t;
		lab_text_parse(cases[i].readme, &t);
		CU_ASSERT_STRING_EQUAL(t.title, cases[i].title);
		CU_ASSERT_STRING_EQUAL(t.topic, cases[i].topic);
	}
}

/* Every lab's README.ru.md gives a title and a topic; English gives none. */
static void test_every_lab_readme(void)
{
	DIR *d = opendir(RACELAB_LABS_DIR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	int labs = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char dir[512];
		struct lab_text t;
		snprintf(dir, sizeof(dir), "%s/%s", RACELAB_LABS_DIR, e->d_name);
		lab_text_load(dir, "ru", &t);
		if (!t.title[0] || !t.topic[0])
			fprintf(stderr, "%s: title '%s' topic '%s'\n", e->d_name, t.title, t.topic);
		CU_ASSERT(t.title[0] && t.topic[0]);
		lab_text_load(dir, "en", &t);
		CU_ASSERT(!t.title[0] && !t.topic[0]);
		labs++;
	}
	closedir(d);
	CU_ASSERT(labs >= 10);
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("i18n", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "pick table", test_pick_table);
	CU_add_test(s, "strip --lang", test_strip_option);
	CU_add_test(s, "lab text table", test_lab_text_table);
	CU_add_test(s, "table cells", test_cell);
	CU_add_test(s, "every lab's README.ru.md", test_every_lab_readme);
	CU_add_test(s, "Russian catalogue", test_russian_catalogue);
	return CU_get_error();
}
