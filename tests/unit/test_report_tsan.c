/* test_report_tsan.c: the text report's TSan section, rendered from parsed TSan output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "json_writer.h"
#include "report.h"

/* Parses text into an --exec experiment's TSan outcome and renders the TSan section into a
 * malloc'd string. */
static char *render(const char *text, size_t len)
{
	struct experiment ex;
	struct term plain = {0};
	char *buf = NULL;
	size_t size = 0;

	memset(&ex, 0, sizeof(ex));
	ex.tsan_wanted = ex.tsan_available = true;
	ex.tsan.ran = true;
	snprintf(ex.compiler, sizeof(ex.compiler), "Clang 14.0.6");
	CU_ASSERT_EQUAL(tsan_parse(text, len, NULL, &ex.tsan.report), 0);
	tsan_dedupe(&ex.tsan.report);
	FILE *out = open_memstream(&buf, &size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	report_text_tsan(out, &plain, &ex);
	fclose(out);
	tsan_outcome_free(&ex.tsan);
	return buf;
}

static char *render_fixture(const char *rel)
{
	size_t len = 0;
	char *text = fixture_read(rel, &len);
	if (!text)
		return NULL;
	char *shown = render(text, len);
	free(text);
	return shown;
}

/* A C++ vptr race: both accesses shown (the JSON has them), C++ names without a second
 * "()", the --exec compiler in the heading. */
static void test_vptr_cpp(void)
{
	static const char text[] =
	    "WARNING: ThreadSanitizer: data race on vptr (ctor/dtor vs virtual call) (pid=9)\n"
	    "  Write of size 8 at 0x7b08 by main thread:\n"
	    "    #0 A::~A() /src/vptr.cpp:10:15 (vptr+0x1)\n"
	    "    #1 main /src/vptr.cpp:30:3 (vptr+0x2)\n"
	    "\n"
	    "  Previous read of size 8 at 0x7b08 by thread T1:\n"
	    "    #0 Thread(void*) /src/vptr.cpp:20:6 (vptr+0x3)\n"
	    "\n"
	    "SUMMARY: ThreadSanitizer: data race on vptr (ctor/dtor vs virtual call) "
	    "/src/vptr.cpp:10:15 in A::~A()\n";
	char *shown = render(text, sizeof(text) - 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(shown);
	CU_ASSERT_PTR_NOT_NULL(strstr(shown, "ThreadSanitizer (Clang 14.0.6)"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(shown, "the main thread writes 8 bytes in A::~A() at /src/vptr.cpp:10"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(shown, "earlier, thread T1 reads 8 bytes in Thread(void*) at /src/vptr.cpp:20"));
	CU_ASSERT_PTR_NULL(strstr(shown, ")()"));
	free(shown);
}

/* A use-after-free names the freed block and says who freed it. */
static void test_use_after_free(void)
{
	char *shown = render_fixture("tsan/clang/use_after_free.txt");
	CU_ASSERT_PTR_NOT_NULL_FATAL(shown);
	CU_ASSERT_PTR_NOT_NULL(strstr(shown, "on a freed heap block"));
	CU_ASSERT_PTR_NULL(strstr(shown, "could not name"));
	CU_ASSERT_PTR_NOT_NULL(strstr(shown, "earlier, thread T1 freed it in release() at "));
	free(shown);
}

/* A crash: the signal, the address, the thread and the crash site; an assert's words. */
static void test_crash(void)
{
	char *shown = render_fixture("tsan/gcc/crash_null.txt");
	CU_ASSERT_PTR_NOT_NULL_FATAL(shown);
	CU_ASSERT_PTR_NOT_NULL(strstr(shown, "[1] SIGSEGV on a NULL pointer (write), seen 1 time"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(shown, "died of SIGSEGV: a write of address 0x0 (a NULL pointer), in a thread"));
	CU_ASSERT_PTR_NOT_NULL(strstr(shown, "crash site: in worker() at "));
	free(shown);
	shown = render_fixture("tsan/clang/crash_abort.txt");
	CU_ASSERT_PTR_NOT_NULL_FATAL(shown);
	CU_ASSERT_PTR_NOT_NULL(strstr(shown, "the program said: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(shown, "Assertion `balance >= 0' failed"));
	free(shown);
	shown = render_fixture("tsan/clang/fork_threads.txt");
	CU_ASSERT_PTR_NOT_NULL_FATAL(shown);
	CU_ASSERT_PTR_NOT_NULL(strstr(shown, "TSan said: starting new threads after"));
	free(shown);
}

/* The JSON report carries the crash: signal, address class, access, thread, message. */
static void test_crash_json(void)
{
	size_t len = 0;
	char *text = fixture_read("tsan/clang/crash_null.txt", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	struct experiment ex;
	memset(&ex, 0, sizeof(ex));
	ex.tsan_wanted = ex.tsan_available = ex.tsan.ran = true;
	ex.tsan.run.cls = RUN_CRASH;
	CU_ASSERT_EQUAL(tsan_parse(text, len, NULL, &ex.tsan.report), 0);
	free(text);
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	struct json_writer w;
	json_begin(&w, out);
	report_json_experiment(&w, &ex);
	fclose(out);
	static const char *const wanted[] = {
	    "\"class\": \"CRASH\"",        "\"kind\": \"crash\"",  "\"signal\": \"SEGV\"",
	    "\"address_class\": \"null\"", "\"address\": \"0x0\"", "\"access\": \"WRITE\"",
	    "\"main_thread\": false",      "\"line\": 9",          "\"clean\": false",
	    "\"not_clean\": null",
	};
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (!strstr(buf, wanted[i]))
			CU_FAIL(wanted[i]);
	free(buf);
	tsan_outcome_free(&ex.tsan);
}

static CU_TestInfo tests[] = {
    {"crash in JSON", test_crash_json},
    {"vptr race: accesses and C++ names", test_vptr_cpp},
    {"use-after-free: the freed block", test_use_after_free},
    {"crash: signal, address, site", test_crash},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"report.tsan", NULL, NULL, NULL, NULL, tests},
    CU_SUITE_INFO_NULL,
};

CU_ErrorCode register_suites(void)
{
	return CU_register_suites(suites);
}
