/* test_tsan_parse.c: the TSan parser on real clang 14 and gcc 12 output (tests/fixtures/tsan). */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "tsan_report.h"

static const char *const compilers[] = {"clang", "gcc"};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Parses tests/fixtures/tsan/<dir>/<name>.txt into r; false when it cannot. */
static bool parse_fixture(const char *dir, const char *name, const struct tsan_parse_options *opts,
                          struct tsan_report *r)
{
	char rel[256];
	size_t len = 0;
	char *text;
	int rc;

	snprintf(rel, sizeof(rel), "tsan/%s/%s.txt", dir, name);
	text = fixture_read(rel, &len);
	if (!text)
		return false;
	rc = tsan_parse(text, len, opts, r);
	free(text);
	CU_ASSERT_EQUAL(rc, 0);
	return rc == 0;
}

static void assert_frame(const struct tsan_frame *f, const char *function, const char *file,
                         int line)
{
	CU_ASSERT_STRING_EQUAL(f->function, function);
	CU_ASSERT_STRING_EQUAL(base_name(f->file), file);
	CU_ASSERT_EQUAL(f->line, line);
}

/* ---- races and use-after-free: one table, both compilers ---- */

struct access_case {
	bool is_write;
	bool is_atomic;
	int size;
	int thread;
	const char *function;
	int line;
	const char *mutexes;
};

struct race_case {
	const char *name;
	enum tsan_kind kind;
	struct access_case access[2];
	bool gcc_reads_first; /* gcc instruments x++ as a read first: TSan reports that read */
	enum tsan_location_kind location;
	const char *variable; /* global's name */
	int location_thread;
	int allocated_line; /* heap: the malloc line */
	int created_line;   /* where main created T1 */
};

static const struct race_case race_cases[] = {
    {"race_global",
     TSAN_DATA_RACE,
     {{true, false, 8, 0, "main", 20, ""}, {true, false, 8, 1, "bump", 11, ""}},
     true,
     TSAN_LOC_GLOBAL,
     "counter",
     0,
     0,
     18},
    {"race_heap",
     TSAN_DATA_RACE,
     {{false, false, 4, 0, "main", 20, ""}, {true, false, 4, 1, "fill", 9, ""}},
     false,
     TSAN_LOC_HEAP,
     "",
     0,
     15,
     18},
    {"race_stack",
     TSAN_DATA_RACE,
     {{true, false, 4, 0, "main", 18, ""}, {true, false, 4, 1, "store", 8, ""}},
     false,
     TSAN_LOC_STACK,
     "",
     0,
     0,
     16},
    {"race_atomic",
     TSAN_DATA_RACE,
     {{false, false, 4, 0, "main", 19, ""}, {true, true, 4, 1, "setter", 10, ""}},
     false,
     TSAN_LOC_GLOBAL,
     "flag",
     0,
     0,
     17},
    {"race_mutex",
     TSAN_DATA_RACE,
     {{true, false, 8, 0, "main", 22, ""}, {true, false, 8, 1, "deposit", 12, "write M0"}},
     true,
     TSAN_LOC_GLOBAL,
     "balance",
     0,
     0,
     20},
    {"race_tls",
     TSAN_DATA_RACE,
     {{true, false, 4, 0, "main", 24, ""}, {true, false, 4, 1, "owner", 13, ""}},
     false,
     TSAN_LOC_TLS,
     "",
     1,
     0,
     21},
    {"race_external",
     TSAN_RACE_EXTERNAL,
     {{true, false, 0, 0, "main", 23, ""}, {true, false, 0, 1, "writer", 13, ""}},
     false,
     TSAN_LOC_GLOBAL,
     "object",
     0,
     0,
     21},
    {"use_after_free",
     TSAN_HEAP_USE_AFTER_FREE,
     {{true, false, 4, 0, "main", 18, ""}, {true, false, 8, 1, "release", 8, ""}},
     false,
     TSAN_LOC_NONE,
     "",
     0,
     0,
     16},
};

static void check_access(const struct tsan_access *a, const struct access_case *c, const char *file,
                         bool clang)
{
	CU_ASSERT_TRUE(a->present);
	CU_ASSERT_EQUAL(a->is_write, c->is_write);
	CU_ASSERT_EQUAL(a->is_atomic, c->is_atomic);
	CU_ASSERT_EQUAL(a->size, c->size);
	CU_ASSERT_EQUAL(a->thread, c->thread);
	CU_ASSERT_STRING_EQUAL(a->mutexes, c->mutexes);
	assert_frame(&a->where, c->function, file, c->line);
	/* clang prints file:line:col, gcc file:line. */
	CU_ASSERT_EQUAL(a->where.column > 0, clang);
}

static void check_race(const struct race_case *c, int cc)
{
	struct tsan_report r = {0};
	char file[64];
	struct access_case first = c->access[0];

	snprintf(file, sizeof(file), "%s.c", c->name);
	if (!parse_fixture(compilers[cc], c->name, NULL, &r))
		return;
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	struct tsan_finding *f = &r.findings[0];
	CU_ASSERT_EQUAL(f->kind, c->kind);
	if (cc == 1 && c->gcc_reads_first)
		first.is_write = false;
	check_access(&f->access[0], &first, file, cc == 0);
	check_access(&f->access[1], &c->access[1], file, cc == 0);
	assert_frame(&f->where, first.function, file, first.line);
	CU_ASSERT_EQUAL(f->location.kind, c->location);
	CU_ASSERT_STRING_EQUAL(f->location.variable, c->variable);
	CU_ASSERT_EQUAL(f->location.thread, c->location_thread);
	CU_ASSERT_EQUAL(f->location.allocated_at.line, c->allocated_line);
	CU_ASSERT_EQUAL_FATAL(f->n_threads, 1);
	CU_ASSERT_EQUAL(f->threads[0].id, 1);
	CU_ASSERT_EQUAL(f->threads[0].created_by, 0);
	assert_frame(&f->threads[0].created_at, "main", file, c->created_line);
	assert_frame(&f->summary, first.function, file, first.line);
	CU_ASSERT_EQUAL(f->count, 1);
	CU_ASSERT_EQUAL(r.warnings_reported, 1);
	CU_ASSERT_FALSE(r.mapping_failure);
	CU_ASSERT_FALSE(r.fatal);
	tsan_report_free(&r);
}

static void test_races(void)
{
	for (size_t i = 0; i < sizeof(race_cases) / sizeof(race_cases[0]); i++)
		for (int cc = 0; cc < 2; cc++)
			check_race(&race_cases[i], cc);
}

static void test_race_mutex_created(void)
{
	for (int cc = 0; cc < 2; cc++) {
		struct tsan_report r = {0};
		if (!parse_fixture(compilers[cc], "race_mutex", NULL, &r))
			continue;
		CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
		CU_ASSERT_EQUAL_FATAL(r.findings[0].n_mutexes, 1);
		CU_ASSERT_EQUAL(r.findings[0].mutexes[0].id, 0);
		assert_frame(&r.findings[0].mutexes[0].created_at, "deposit", "race_mutex.c", 11);
		tsan_report_free(&r);
	}
}

/* ---- misuse, signal and leak reports: where is the first user frame ---- */

struct misuse_case {
	const char *name;
	enum tsan_kind kind;
	const char *function; /* first user frame under WARNING (leak: creation) */
	int line;
	int mutex_created_line;             /* -1: no mutex; 0: mutex with no creation stack */
	int findings;                       /* in the log (both compilers) */
	const char *clang_summary_function; /* clang's SUMMARY names the interceptor */
};

static const struct misuse_case misuse_cases[] = {
    {"destroy_locked", TSAN_DESTROY_LOCKED_MUTEX, "main", 9, 7, 1, "pthread_mutex_destroy"},
    {"double_lock", TSAN_DOUBLE_LOCK, "take", 12, 25, 1, "__tsan_mutex_post_lock"},
    {"unlock_unlocked", TSAN_UNLOCK_UNLOCKED, "main", 8, 7, 1, "pthread_mutex_unlock"},
    {"invalid_mutex", TSAN_INVALID_MUTEX, "main", 9, 0, 3, "__interceptor_pthread_mutex_lock"},
    {"rwlock_misuse", TSAN_READ_LOCK_WRITE_LOCKED, "main", 14, 10, 1, "__tsan_mutex_post_lock"},
    {"read_unlock", TSAN_READ_UNLOCK_WRITE_LOCKED, "main", 12, 9, 1, "__tsan_mutex_pre_unlock"},
    {"signal_errno", TSAN_SIGNAL_ERRNO, "on_signal", 9, -1, 1, "on_signal"},
    {"thread_leak", TSAN_THREAD_LEAK, "main", 14, -1, 1, "pthread_create"},
};

static void check_misuse(const struct misuse_case *c, int cc)
{
	struct tsan_report r = {0};
	char file[64];

	snprintf(file, sizeof(file), "%s.c", c->name);
	if (!parse_fixture(compilers[cc], c->name, NULL, &r))
		return;
	CU_ASSERT_EQUAL_FATAL(r.n_findings, (size_t)c->findings);
	CU_ASSERT_EQUAL(r.warnings_reported, c->findings);
	struct tsan_finding *f = &r.findings[0];
	CU_ASSERT_EQUAL(f->kind, c->kind);
	CU_ASSERT_FALSE(f->access[0].present);
	assert_frame(&f->where, c->function, file, c->line);
	if (c->mutex_created_line >= 0) {
		CU_ASSERT_EQUAL_FATAL(f->n_mutexes, 1);
		CU_ASSERT_EQUAL(f->mutexes[0].id, 0);
		CU_ASSERT_EQUAL(f->mutexes[0].created_at.line, c->mutex_created_line);
	} else {
		CU_ASSERT_EQUAL(f->n_mutexes, 0);
	}
	/* clang's SUMMARY names the interceptor without a line; gcc's names user code. */
	if (cc == 0) {
		CU_ASSERT_STRING_EQUAL(f->summary.function, c->clang_summary_function);
	} else {
		assert_frame(&f->summary, c->function, file, c->line);
	}
	tsan_report_free(&r);
}

static void test_misuse(void)
{
	for (size_t i = 0; i < sizeof(misuse_cases) / sizeof(misuse_cases[0]); i++)
		for (int cc = 0; cc < 2; cc++)
			check_misuse(&misuse_cases[i], cc);
}

static void test_thread_leak_thread(void)
{
	for (int cc = 0; cc < 2; cc++) {
		struct tsan_report r = {0};
		if (!parse_fixture(compilers[cc], "thread_leak", NULL, &r))
			continue;
		CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
		CU_ASSERT_EQUAL_FATAL(r.findings[0].n_threads, 1);
		CU_ASSERT_EQUAL(r.findings[0].threads[0].id, 1);
		CU_ASSERT_FALSE(r.findings[0].threads[0].running);
		CU_ASSERT_EQUAL(r.findings[0].threads[0].created_by, 0);
		tsan_report_free(&r);
	}
}

/* Both compilers report malloc and free in the handler; gcc's malloc also sets errno. */
static void test_signal_unsafe(void)
{
	static const enum tsan_kind want[2][3] = {
	    {TSAN_SIGNAL_UNSAFE, TSAN_SIGNAL_UNSAFE, TSAN_KIND_COUNT},
	    {TSAN_SIGNAL_UNSAFE, TSAN_SIGNAL_UNSAFE, TSAN_SIGNAL_ERRNO},
	};
	static const int lines[3] = {12, 13, 10};

	for (int cc = 0; cc < 2; cc++) {
		struct tsan_report r = {0};
		size_t n = cc == 0 ? 2 : 3;
		if (!parse_fixture(compilers[cc], "signal_unsafe", NULL, &r))
			continue;
		CU_ASSERT_EQUAL_FATAL(r.n_findings, n);
		for (size_t i = 0; i < n; i++) {
			CU_ASSERT_EQUAL(r.findings[i].kind, want[cc][i]);
			assert_frame(&r.findings[i].where, "on_signal", "signal_unsafe.c",
			             lines[i]);
		}
		tsan_report_free(&r);
	}
}

static void test_lock_order(void)
{
	for (int cc = 0; cc < 2; cc++) {
		struct tsan_report r = {0};
		if (!parse_fixture(compilers[cc], "lock_order", NULL, &r))
			continue;
		CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
		struct tsan_finding *f = &r.findings[0];
		CU_ASSERT_EQUAL(f->kind, TSAN_LOCK_ORDER_INVERSION);
		CU_ASSERT_EQUAL_FATAL(f->cycle_len, 3);
		CU_ASSERT_EQUAL(f->cycle[0], 0);
		CU_ASSERT_EQUAL(f->cycle[1], 1);
		CU_ASSERT_EQUAL(f->cycle[2], 0);
		CU_ASSERT_EQUAL_FATAL(f->n_mutexes, 2);
		CU_ASSERT_EQUAL(f->mutexes[0].id, 0);
		CU_ASSERT_EQUAL(f->mutexes[1].id, 1);
		assert_frame(&f->where, "a_then_b", "lock_order.c", 11);
		/* second_deadlock_stack=1: both acquisitions of both threads. */
		CU_ASSERT_EQUAL_FATAL(f->n_stacks, 4);
		CU_ASSERT_STRING_EQUAL(
		    f->stacks[0].title,
		    "Mutex M1 acquired here while holding mutex M0 in thread T1");
		assert_frame(&f->stacks[1].where, "a_then_b", "lock_order.c", 10);
		assert_frame(&f->stacks[2].where, "b_then_a", "lock_order.c", 21);
		assert_frame(&f->stacks[3].where, "b_then_a", "lock_order.c", 20);
		CU_ASSERT_EQUAL_FATAL(f->n_threads, 2);
		CU_ASSERT_FALSE(f->threads[0].running);
		CU_ASSERT_EQUAL(f->threads[1].id, 2);
		CU_ASSERT_TRUE(f->threads[1].running);
		assert_frame(&f->threads[1].created_at, "main", "lock_order.c", 32);
		tsan_report_free(&r);
	}
}

/* ---- several reports, deduplication ---- */

static void test_two_races(void)
{
	for (int cc = 0; cc < 2; cc++) {
		struct tsan_report r = {0};
		if (!parse_fixture(compilers[cc], "two_races", NULL, &r))
			continue;
		CU_ASSERT_EQUAL_FATAL(r.n_findings, 2);
		CU_ASSERT_EQUAL(r.warnings_reported, 2);
		CU_ASSERT_STRING_EQUAL(r.findings[0].location.variable, "hits");
		CU_ASSERT_STRING_EQUAL(r.findings[1].location.variable, "misses");
		CU_ASSERT_EQUAL(r.findings[0].where.line, 21);
		CU_ASSERT_EQUAL(r.findings[1].where.line, 22);
		tsan_dedupe(&r);
		CU_ASSERT_EQUAL(r.n_findings, 2);
		CU_ASSERT_EQUAL(r.findings[0].count, 1);
		tsan_report_free(&r);
	}
}

/* Two runs print one race with current and previous swapped: one finding, count 2. */
static void test_dedupe_swapped(void)
{
	for (int cc = 0; cc < 2; cc++) {
		struct tsan_report r = {0};
		if (!parse_fixture(compilers[cc], "race_swapped", NULL, &r))
			continue;
		CU_ASSERT_EQUAL_FATAL(r.n_findings, 2);
		CU_ASSERT_EQUAL(r.warnings_reported, 2); /* two logs: "reported 1" twice */
		CU_ASSERT_EQUAL(r.findings[0].access[0].where.line, 14);
		CU_ASSERT_EQUAL(r.findings[1].access[0].where.line, 26);
		tsan_dedupe(&r);
		CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
		CU_ASSERT_EQUAL(r.findings[0].count, 2);
		CU_ASSERT_EQUAL(r.findings[0].where.line, 14); /* the first one's details */
		tsan_report_free(&r);
	}
}

/* Parsing into a used report appends; dedupe merges same places, keeps different kinds. */
static void test_dedupe_across_logs(void)
{
	struct tsan_report r = {0};

	if (!parse_fixture("clang", "race_global", NULL, &r) ||
	    !parse_fixture("gcc", "thread_leak", NULL, &r) ||
	    !parse_fixture("clang", "race_global", NULL, &r) ||
	    !parse_fixture("clang", "lock_order", NULL, &r) ||
	    !parse_fixture("gcc", "lock_order", NULL, &r))
		goto out;
	CU_ASSERT_EQUAL(r.n_findings, 5);
	CU_ASSERT_EQUAL(r.warnings_reported, 5);
	tsan_dedupe(&r);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 3);
	CU_ASSERT_EQUAL(r.findings[0].kind, TSAN_DATA_RACE);
	CU_ASSERT_EQUAL(r.findings[0].count, 2);
	CU_ASSERT_EQUAL(r.findings[1].kind, TSAN_THREAD_LEAK);
	CU_ASSERT_EQUAL(r.findings[1].count, 1);
	CU_ASSERT_EQUAL(r.findings[2].kind, TSAN_LOCK_ORDER_INVERSION);
	CU_ASSERT_EQUAL(r.findings[2].count, 2);
out:
	tsan_report_free(&r);
}

static void test_dedupe_invalid_mutex(void)
{
	struct tsan_report r = {0};

	if (!parse_fixture("gcc", "invalid_mutex", NULL, &r) ||
	    !parse_fixture("gcc", "invalid_mutex", NULL, &r))
		goto out;
	CU_ASSERT_EQUAL(r.n_findings, 6);
	tsan_dedupe(&r);
	/* invalid at 9, unlock-unlocked at 10, invalid at 10: three places, twice each. */
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 3);
	for (size_t i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(r.findings[i].count, 2);
out:
	tsan_report_free(&r);
}

/* ---- frames: unsymbolized, skip_paths ---- */

static void test_unsymbolized(void)
{
	struct tsan_report r = {0};

	if (!parse_fixture("clang", "race_global_nosym", NULL, &r))
		return;
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	struct tsan_finding *f = &r.findings[0];
	CU_ASSERT_EQUAL(f->kind, TSAN_DATA_RACE);
	CU_ASSERT_TRUE(f->access[0].present && f->access[1].present);
	CU_ASSERT_EQUAL(f->access[0].size, 8);
	CU_ASSERT_EQUAL(f->access[1].thread, 1);
	CU_ASSERT_EQUAL(f->access[0].where.line, 0);
	CU_ASSERT_EQUAL(f->where.line, 0);
	CU_ASSERT_STRING_EQUAL(f->where.function, "");
	CU_ASSERT_EQUAL(f->summary.line, 0);
	CU_ASSERT_EQUAL(r.warnings_reported, 1);
	tsan_report_free(&r);
}

static void test_skip_paths_fixture(void)
{
	static const char *const skip[] = {"racelab-fixtures/race_global.c", NULL};
	static const char *const other[] = {"labkit/", NULL};
	struct tsan_parse_options opts = {skip};
	struct tsan_report r = {0};

	if (!parse_fixture("gcc", "race_global", &opts, &r))
		return;
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	CU_ASSERT_EQUAL(r.findings[0].where.line, 0);
	CU_ASSERT_EQUAL(r.findings[0].threads[0].created_at.line, 0);
	CU_ASSERT_EQUAL(r.findings[0].summary.line, 20); /* as printed */
	tsan_report_free(&r);
	opts.skip_paths = other;
	if (!parse_fixture("gcc", "race_global", &opts, &r))
		return;
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	CU_ASSERT_EQUAL(r.findings[0].where.line, 20);
	tsan_report_free(&r);
}

/* A frame in a skipped path (the lab kit's wrapper) gives way to its caller. */
static void test_skip_paths_wrapper(void)
{
	static const char text[] =
	    "WARNING: ThreadSanitizer: destroy of a locked mutex (pid=1)\n"
	    "    #0 pthread_mutex_destroy <null> (lab+0x52d2a) (BuildId: ab)\n"
	    "    #1 lk_mutex_destroy /work/labkit/lk.c:40:2 (lab+0xd0100) (BuildId: ab)\n"
	    "    #2 main /work/labs/bank.c:33:2 (lab+0xd010f) (BuildId: ab)\n"
	    "\n";
	static const char *const skip[] = {"/labkit/", NULL};
	struct tsan_parse_options opts = {skip};
	struct tsan_report r = {0};

	CU_ASSERT_EQUAL(tsan_parse(text, strlen(text), NULL, &r), 0);
	CU_ASSERT_EQUAL(tsan_parse(text, strlen(text), &opts, &r), 0);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 2);
	assert_frame(&r.findings[0].where, "lk_mutex_destroy", "lk.c", 40);
	assert_frame(&r.findings[1].where, "main", "bank.c", 33);
	CU_ASSERT_EQUAL(r.findings[1].where.column, 2);
	CU_ASSERT_EQUAL(r.warnings_reported, -1); /* no "reported N warnings" line */
	tsan_report_free(&r);
}

/* ---- failures of TSan itself ---- */

static void test_mapping_failure(void)
{
	static const char *const files[] = {"tsan/mapping-failure.txt",
	                                    "tsan/gcc/mapping_failure.txt"};

	for (int i = 0; i < 2; i++) {
		struct tsan_report r = {0};
		size_t len = 0;
		char *text = fixture_read(files[i], &len);
		if (!text)
			continue;
		CU_ASSERT_EQUAL(tsan_parse(text, len, NULL, &r), 0);
		CU_ASSERT_TRUE(r.mapping_failure);
		CU_ASSERT_FALSE(r.fatal);
		CU_ASSERT_EQUAL(r.n_findings, 0);
		CU_ASSERT_EQUAL(r.warnings_reported, -1);
		free(text);
		tsan_report_free(&r);
	}
}

/* TSan's own assertion is a finding (the run crashed), not a start-up failure. */
static void test_check_failed(void)
{
	static const char text[] =
	    "==77==CHECK failed: sanitizer_allocator_primary64.h:133 \"((kSpaceBeg)) == "
	    "((address_range.Init(TotalSpaceSize, PrimaryAllocatorName, kSpaceBeg)))\"\r\n";
	struct tsan_report r = {0};

	CU_ASSERT_EQUAL(tsan_parse(text, strlen(text), NULL, &r), 0);
	CU_ASSERT_FALSE(r.fatal);
	CU_ASSERT_FALSE(r.mapping_failure);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	CU_ASSERT_EQUAL(r.findings[0].kind, TSAN_CHECK_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.findings[0].crash.message, "primary64.h:133"));
	CU_ASSERT_PTR_NULL(strchr(r.findings[0].crash.message, '\r'));
	tsan_report_free(&r);
	CU_ASSERT_PTR_NULL(r.findings); /* free zeroes */

	/* The real thing, both runtimes: an address-space limit (ulimit -v). */
	for (int cc = 0; cc < 2; cc++) {
		struct tsan_report f = {0};
		if (!parse_fixture(compilers[cc], "check_failed", NULL, &f))
			continue;
		CU_ASSERT_EQUAL_FATAL(f.n_findings, 1);
		CU_ASSERT_EQUAL(f.findings[0].kind, TSAN_CHECK_FAILED);
		CU_ASSERT_TRUE(tsan_kind_is_fatal(f.findings[0].kind));
		CU_ASSERT_PTR_NOT_NULL(strstr(f.findings[0].crash.message,
		                              "CHECK failed: sanitizer_allocator_primary64.h:13"));
		tsan_report_free(&f);
	}
	/* A program's own line that mentions it is not TSan's. */
	static const char own[] = "test 4: CHECK failed: x == 2\n";
	CU_ASSERT_EQUAL(tsan_parse(own, strlen(own), NULL, &r), 0);
	CU_ASSERT_EQUAL(r.n_findings, 0);
	tsan_report_free(&r);
}

/* ---- crashes: deadly signals TSan caught ---- */

struct crash_case {
	const char *name;
	const char *signal;
	enum tsan_address_class address_class;
	unsigned long long address;
	const char *access;
	bool main_thread;
	const char *function; /* the crash site: first frame in the program */
	int line;
	const char *message; /* a substring of the message; NULL: not checked */
	const char *title;
};

static const struct crash_case crash_cases[] = {
    {"crash_null", "SEGV", TSAN_ADDR_NULL, 0, "WRITE", false, "worker", 9, NULL,
     "SIGSEGV on a NULL pointer (write)"},
    {"crash_wild", "SEGV", TSAN_ADDR_WILD, 0x7ff0dead0000ull, "READ", true, "main", 9, NULL,
     "SIGSEGV on a wild pointer (read)"},
    {"crash_abort", "ABRT", TSAN_ADDR_NONE, 0, "", false, "withdraw", 14,
     "Assertion `balance >= 0' failed", "SIGABRT"},
    {"crash_fpe", "FPE", TSAN_ADDR_NONE, 0, "", true, "main", 8, NULL, "SIGFPE"},
    {"crash_bus", "BUS", TSAN_ADDR_NONE, 0, "READ", true, "main", 16, NULL, "SIGBUS"},
};

static void check_crash(const struct crash_case *c, int cc)
{
	struct tsan_report r = {0};
	char file[64], title[160];

	snprintf(file, sizeof(file), "%s.c", c->name);
	if (!parse_fixture(compilers[cc], c->name, NULL, &r))
		return;
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	const struct tsan_finding *f = &r.findings[0];
	CU_ASSERT_EQUAL(f->kind, TSAN_CRASH);
	CU_ASSERT_STRING_EQUAL(f->crash.signal, c->signal);
	CU_ASSERT_EQUAL(f->crash.address_class, c->address_class);
	if (c->address_class == TSAN_ADDR_WILD)
		CU_ASSERT_EQUAL(f->crash.address, c->address);
	CU_ASSERT_STRING_EQUAL(f->crash.access, c->access);
	CU_ASSERT_EQUAL(f->crash.main_thread, c->main_thread);
	CU_ASSERT_TRUE(f->crash.os_tid > 0);
	assert_frame(&f->where, c->function, file, c->line);
	if (c->message)
		CU_ASSERT_PTR_NOT_NULL(strstr(f->crash.message, c->message));
	tsan_finding_title(f, title, sizeof(title));
	CU_ASSERT_STRING_EQUAL(title, c->title);
	CU_ASSERT_TRUE(tsan_kind_is_fatal(f->kind));
	CU_ASSERT_FALSE(tsan_kind_has_accesses(f->kind));
	CU_ASSERT_FALSE(r.fatal);
	tsan_report_free(&r);
}

static void test_crashes(void)
{
	for (size_t i = 0; i < sizeof(crash_cases) / sizeof(crash_cases[0]); i++)
		for (int cc = 0; cc < 2; cc++)
			check_crash(&crash_cases[i], cc);
}

/* Hand-written lines for what the fixtures cannot show: a NULL-plus-offset fault without
 * the zero-page hint, a stack overflow, and an unknown "ERROR:" line. */
static void test_crash_lines(void)
{
	static const char text[] =
	    "ThreadSanitizer:DEADLYSIGNAL\n"
	    "==10==ERROR: ThreadSanitizer: SEGV on unknown address 0x000000000018 (pc 0x1 bp "
	    "0x2 sp 0x3 T11)\n"
	    "==10==The signal is caused by a READ memory access.\n"
	    "    #0 get_field /src/a.c:4:9 (a+0x1)\n"
	    "SUMMARY: ThreadSanitizer: SEGV /src/a.c:4:9 in get_field\n"
	    "==10==ABORTING\n"
	    "==12==ERROR: ThreadSanitizer: stack-overflow on address 0x7ffc0000aff8 (pc 0x1 bp "
	    "0x2 sp 0x3 T12)\n"
	    "    #0 recurse /src/b.c:3 (b+0x1)\n"
	    "==13==ERROR: ThreadSanitizer: invalid alignment requested in aligned_alloc: 3\n";
	struct tsan_report r = {0};
	char title[160];

	CU_ASSERT_EQUAL(tsan_parse(text, strlen(text), NULL, &r), 0);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 3);
	CU_ASSERT_EQUAL(r.findings[0].crash.address_class, TSAN_ADDR_NULL);
	CU_ASSERT_EQUAL(r.findings[0].crash.address, 0x18);
	CU_ASSERT_FALSE(r.findings[0].crash.main_thread);
	CU_ASSERT_EQUAL(r.findings[0].crash.os_tid, 11);
	assert_frame(&r.findings[0].where, "get_field", "a.c", 4);
	assert_frame(&r.findings[0].summary, "get_field", "a.c", 4);
	CU_ASSERT_EQUAL(r.findings[1].kind, TSAN_CRASH);
	CU_ASSERT_EQUAL(r.findings[1].crash.address_class, TSAN_ADDR_STACK_OVERFLOW);
	CU_ASSERT_TRUE(r.findings[1].crash.main_thread);
	tsan_finding_title(&r.findings[1], title, sizeof(title));
	CU_ASSERT_STRING_EQUAL(title, "SIGSEGV: stack overflow");
	CU_ASSERT_EQUAL(r.findings[2].kind, TSAN_RUNTIME_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.findings[2].crash.message, "invalid alignment"));
	tsan_report_free(&r);
}

/* ---- the runtime's fatal messages (no WARNING line) ---- */

struct fatal_case {
	const char *name;
	enum tsan_kind kind;
	const char *message;  /* a substring */
	const char *function; /* NULL: no frame in the program */
	int line;
};

static const struct fatal_case fatal_cases[] = {
    {"fork_threads", TSAN_FORK_NEW_THREADS,
     "starting new threads after multi-threaded fork is not supported. Dying", NULL, 0},
    {"ignores_left", TSAN_IGNORES_ENABLED, "main thread finished with ignores enabled", "main", 7},
    {"alloc_too_big", TSAN_ALLOCATION_TOO_BIG,
     "requested allocation size 0x4000000000000000 exceeds maximum supported size", "main", 9},
};

static void test_fatal_messages(void)
{
	for (size_t i = 0; i < sizeof(fatal_cases) / sizeof(fatal_cases[0]); i++) {
		const struct fatal_case *c = &fatal_cases[i];
		char file[64];
		snprintf(file, sizeof(file), "%s.c", c->name);
		for (int cc = 0; cc < 2; cc++) {
			struct tsan_report r = {0};
			if (!parse_fixture(compilers[cc], c->name, NULL, &r))
				continue;
			CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
			CU_ASSERT_EQUAL(r.findings[0].kind, c->kind);
			CU_ASSERT_TRUE(tsan_kind_is_fatal(c->kind));
			CU_ASSERT_PTR_NOT_NULL(strstr(r.findings[0].crash.message, c->message));
			if (c->function)
				assert_frame(&r.findings[0].where, c->function, file, c->line);
			else
				CU_ASSERT_EQUAL(r.findings[0].where.line, 0);
			CU_ASSERT_FALSE(r.fatal);
			tsan_report_free(&r);
		}
	}
}

/* "thread T1  finished with ignores enabled, created at:" names the thread and where it
 * was created; the ignore's own stack says where the Begin was. */
static void test_thread_ignores(void)
{
	static const char text[] =
	    "ThreadSanitizer: thread T1  finished with ignores enabled, created at:\n"
	    "    #0 pthread_create <null> (t+0x1)\n"
	    "    #1 main /src/t.cpp:20:3 (t+0x2)\n"
	    "  One of the following ignores was not ended (in order of probability)\n"
	    "  Ignore was enabled at:\n"
	    "    #0 AnnotateIgnoreReadsBegin <null> (t+0x3)\n"
	    "    #1 Thread(void*) /src/t.cpp:10:3 (t+0x4)\n";
	struct tsan_report r = {0};

	CU_ASSERT_EQUAL(tsan_parse(text, strlen(text), NULL, &r), 0);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	CU_ASSERT_EQUAL(r.findings[0].kind, TSAN_IGNORES_ENABLED);
	CU_ASSERT_FALSE(r.findings[0].crash.main_thread);
	CU_ASSERT_EQUAL_FATAL(r.findings[0].n_threads, 1);
	CU_ASSERT_EQUAL(r.findings[0].threads[0].id, 1);
	assert_frame(&r.findings[0].threads[0].created_at, "main", "t.cpp", 20);
	assert_frame(&r.findings[0].where, "Thread(void*)", "t.cpp", 10);
	tsan_report_free(&r);
}

/* ---- robustness ---- */

/* Every prefix of a report, in a buffer of exactly that size (ASan catches overreads). */
static void test_truncated_everywhere(void)
{
	size_t len = 0;
	char *text = fixture_read("tsan/clang/race_heap.txt", &len);
	const char *warning = text ? strstr(text, "WARNING:") : NULL;
	const char *summary = text ? strstr(text, "SUMMARY:") : NULL;

	if (!warning || !summary)
		goto out;
	for (size_t n = 0; n <= len; n++) {
		struct tsan_report r = {0};
		char *cut = malloc(n ? n : 1);
		memcpy(cut, text, n);
		CU_ASSERT_EQUAL(tsan_parse(cut, n, NULL, &r), 0);
		/* Once the WARNING line is complete there is a finding, always of its kind. */
		if (n > (size_t)(strchr(warning, '\n') - text)) {
			CU_ASSERT_EQUAL(r.n_findings, 1);
			if (r.n_findings)
				CU_ASSERT_EQUAL(r.findings[0].kind, TSAN_DATA_RACE);
		} else if (n < (size_t)(warning - text)) {
			CU_ASSERT_EQUAL(r.n_findings, 0);
		}
		if (n > (size_t)(summary - text) && r.n_findings)
			CU_ASSERT_EQUAL(r.findings[0].where.line, 20);
		tsan_report_free(&r);
		free(cut);
	}
out:
	free(text);
}

/* Every fixture cut in the middle still parses, and yields a finding when it had one. */
static void test_truncated_half(void)
{
	static const char *const names[] = {"lock_order",     "race_mutex",     "thread_leak",
	                                    "destroy_locked", "use_after_free", "race_external"};

	for (int cc = 0; cc < 2; cc++) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			char rel[128];
			size_t len = 0;
			struct tsan_report r = {0};
			snprintf(rel, sizeof(rel), "tsan/%s/%s.txt", compilers[cc], names[i]);
			char *text = fixture_read(rel, &len);
			if (!text)
				continue;
			CU_ASSERT_EQUAL(tsan_parse(text, len / 2, NULL, &r), 0);
			CU_ASSERT_EQUAL(r.n_findings, 1);
			CU_ASSERT_EQUAL(r.warnings_reported, -1);
			tsan_report_free(&r);
			free(text);
		}
	}
}

/* Replaces each "\n" with "\r\n". */
static char *to_crlf(const char *text, size_t len, size_t *out_len)
{
	char *out = malloc(2 * len + 1);
	size_t n = 0;

	for (size_t i = 0; out && i < len; i++) {
		if (text[i] == '\n')
			out[n++] = '\r';
		out[n++] = text[i];
	}
	*out_len = n;
	return out;
}

static void test_crlf(void)
{
	size_t len = 0, crlf_len = 0;
	struct tsan_report r = {0};
	char *text = fixture_read("tsan/clang/race_heap.txt", &len);
	char *crlf = text ? to_crlf(text, len, &crlf_len) : NULL;

	if (!crlf)
		goto out;
	CU_ASSERT_EQUAL(tsan_parse(crlf, crlf_len, NULL, &r), 0);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	assert_frame(&r.findings[0].where, "main", "race_heap.c", 20);
	CU_ASSERT_EQUAL(r.findings[0].where.column, 13);
	CU_ASSERT_EQUAL(r.findings[0].location.allocated_at.line, 15);
	CU_ASSERT_EQUAL(r.warnings_reported, 1);
out:
	tsan_report_free(&r);
	free(crlf);
	free(text);
}

/* Program output between the lines of a report, and a 100 000-character line. */
static void test_interleaved_and_long(void)
{
	static const char head[] = "balance=10\n"
	                           "WARNING: ThreadSanitizer: data race (pid=9)\n"
	                           "starting worker 2 of 4: ok\n"
	                           "  Write of size 8 at 0x1 by thread T2:\n"
	                           "hello from the program\n";
	static const char tail[] =
	    "\n    #0 work /labs/l1/bank.c:17:9 (bank+0x1) (BuildId: 1)\n"
	    "\n  Previous read of size 8 at 0x1 by main thread:\n"
	    "    #0 main /labs/l1/bank.c:30:5 (bank+0x2)\n"
	    "\nSUMMARY: ThreadSanitizer: data race /labs/l1/bank.c:17:9 in work\n"
	    "ThreadSanitizer: reported 1 warnings\n";
	size_t long_len = 100000;
	size_t len = strlen(head) + long_len + strlen(tail);
	char *text = malloc(len);
	struct tsan_report r = {0};

	if (!text)
		return;
	memcpy(text, head, strlen(head));
	memset(text + strlen(head), '#', long_len);
	memcpy(text + strlen(head) + long_len, tail, strlen(tail));
	CU_ASSERT_EQUAL(tsan_parse(text, len, NULL, &r), 0);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 1);
	struct tsan_finding *f = &r.findings[0];
	CU_ASSERT_EQUAL(f->access[0].thread, 2);
	CU_ASSERT_TRUE(f->access[0].is_write);
	CU_ASSERT_FALSE(f->access[1].is_write);
	/* Neither the program's lines nor the long one end the access section. */
	assert_frame(&f->where, "work", "bank.c", 17);
	assert_frame(&f->access[1].where, "main", "bank.c", 30);
	assert_frame(&f->summary, "work", "bank.c", 17);
	CU_ASSERT_EQUAL(r.warnings_reported, 1);
	tsan_report_free(&r);
	free(text);
}

static void test_garbage(void)
{
	static const char *const inputs[] = {
	    "",
	    "\n\n\r\n",
	    "hello world\ncounter=2\n#0 main x.c:1:1\nSUMMARY: ThreadSanitizer: data race\n",
	    "Thread T1 (tid=3, running) created by main thread at:\n    #0 main a.c:3:1 (a+0x1)\n",
	    "\xff\xfe\x01 WARNING: ThreadSanit",
	    "ThreadSanitizer: reported x warnings\n",
	};

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct tsan_report r = {0};
		CU_ASSERT_EQUAL(tsan_parse(inputs[i], strlen(inputs[i]), NULL, &r), 0);
		CU_ASSERT_EQUAL(r.n_findings, 0);
		CU_ASSERT_EQUAL(r.warnings_reported, -1);
		CU_ASSERT_FALSE(r.mapping_failure || r.fatal);
		tsan_report_free(&r);
	}
	struct tsan_report r = {0};
	CU_ASSERT_EQUAL(tsan_parse(NULL, 0, NULL, &r), 0);
	CU_ASSERT_EQUAL(r.n_findings, 0);
	tsan_report_free(&r);
}

/* Malformed report lines: numbers too big, missing parts, a kind nobody knows. */
static void test_malformed(void)
{
	static const char text[] =
	    "WARNING: ThreadSanitizer: mutex held in wrong context (pid=4)\n"
	    "    #0 f /a.c:99999999999999999999:3 (a+0x1)\n"
	    "    #1 g /a.c:7 (a+0x2)\n"
	    "  Cycle in lock order graph: M1 => M2 => M3 => M4 => M5 => M6 => M7 => M8 => "
	    "M9 => M10 => M11 => M1\n"
	    "  Mutex M (0x1) created at:\n"
	    "  Thread T (tid=1, running) created by thread T at:\n"
	    "  Write of size at 0x1 by thread T:\n"
	    "    #0\n"
	    "    #1 \n"
	    "SUMMARY: ThreadSanitizer: x in \n"
	    "WARNING: ThreadSanitizer: data race on vptr (ctor/dtor vs virtual call) (pid=4)\n"
	    "WARNING: ThreadSanitizer: heap-use-after-free (virtual call vs free) (pid=4)\n"
	    "WARNING: ThreadSanitizer: race on external object (pid=4)\n"
	    "WARNING: ThreadSanitizer: data race";
	struct tsan_report r = {0};

	CU_ASSERT_EQUAL(tsan_parse(text, strlen(text), NULL, &r), 0);
	CU_ASSERT_EQUAL_FATAL(r.n_findings, 5);
	CU_ASSERT_EQUAL(r.findings[0].kind, TSAN_UNKNOWN);
	assert_frame(&r.findings[0].where, "g", "a.c", 7);
	CU_ASSERT_EQUAL(r.findings[0].cycle_len, TSAN_MAX_MUTEXES + 1);
	CU_ASSERT_EQUAL(r.findings[0].n_mutexes, TSAN_MAX_MUTEXES);
	CU_ASSERT_EQUAL(r.findings[1].kind, TSAN_DATA_RACE_VPTR);
	CU_ASSERT_EQUAL(r.findings[2].kind, TSAN_HEAP_USE_AFTER_FREE_VPTR);
	CU_ASSERT_EQUAL(r.findings[3].kind, TSAN_RACE_EXTERNAL);
	CU_ASSERT_EQUAL(r.findings[4].kind, TSAN_DATA_RACE);
	tsan_report_free(&r);
}

/* ---- kinds ---- */

static void test_kinds(void)
{
	for (int k = 0; k < TSAN_KIND_COUNT; k++) {
		const char *name = tsan_kind_name((enum tsan_kind)k);
		const char *slug = tsan_kind_slug((enum tsan_kind)k);
		CU_ASSERT_EQUAL(tsan_kind_from_slug(slug), (enum tsan_kind)k);
		CU_ASSERT_TRUE(strlen(tsan_kind_explanation((enum tsan_kind)k)) > 40);
		/* Only WARNING kinds come from a WARNING line. */
		if (k != TSAN_UNKNOWN && !tsan_kind_is_fatal((enum tsan_kind)k))
			CU_ASSERT_EQUAL(tsan_kind_from_warning(name, strlen(name)),
			                (enum tsan_kind)k);
		if (tsan_kind_is_fatal((enum tsan_kind)k))
			CU_ASSERT_EQUAL(tsan_kind_from_warning(name, strlen(name)), TSAN_UNKNOWN);
		for (int j = 0; j < k; j++)
			CU_ASSERT_STRING_NOT_EQUAL(slug, tsan_kind_slug((enum tsan_kind)j));
	}
	CU_ASSERT_STRING_EQUAL(tsan_kind_slug(TSAN_DATA_RACE), "data-race");
	CU_ASSERT_STRING_EQUAL(tsan_kind_slug(TSAN_SIGNAL_UNSAFE), "signal-unsafe-call");
	CU_ASSERT_STRING_EQUAL(tsan_kind_name(TSAN_LOCK_ORDER_INVERSION),
	                       "lock-order-inversion (potential deadlock)");
	CU_ASSERT_EQUAL(tsan_kind_from_slug("no-such-kind"), TSAN_UNKNOWN);
	CU_ASSERT_EQUAL(tsan_kind_from_slug(NULL), TSAN_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(tsan_kind_slug(TSAN_KIND_COUNT), "unknown");
	CU_ASSERT_EQUAL(tsan_kind_from_warning("race on MyQueue (pid=3)", 23), TSAN_RACE_EXTERNAL);
	CU_ASSERT_EQUAL(tsan_kind_from_warning("data races", 10), TSAN_UNKNOWN);
	CU_ASSERT_EQUAL(tsan_kind_from_warning("data race (pid=3)", 17), TSAN_DATA_RACE);
	CU_ASSERT_STRING_EQUAL(tsan_kind_slug(TSAN_ALLOCATION_TOO_BIG), "allocation-size-too-big");
	CU_ASSERT_STRING_EQUAL(tsan_kind_slug(TSAN_CRASH), "crash");
	/* Which kinds carry two accesses: the report prints them for all of these. */
	CU_ASSERT_TRUE(tsan_kind_has_accesses(TSAN_DATA_RACE_VPTR));
	CU_ASSERT_TRUE(tsan_kind_has_accesses(TSAN_HEAP_USE_AFTER_FREE_VPTR));
	CU_ASSERT_TRUE(tsan_kind_has_accesses(TSAN_RACE_EXTERNAL));
	CU_ASSERT_FALSE(tsan_kind_has_accesses(TSAN_THREAD_LEAK));
	CU_ASSERT_FALSE(tsan_kind_is_fatal(TSAN_UNKNOWN));
	CU_ASSERT_FALSE(tsan_kind_is_fatal(TSAN_LOCK_ORDER_INVERSION));
}

static CU_TestInfo parse_tests[] = {
    {"races and use-after-free, clang and gcc", test_races},
    {"race under a mutex: mutex created at", test_race_mutex_created},
    {"mutex misuse, signal, leak: where", test_misuse},
    {"thread leak: the thread", test_thread_leak_thread},
    {"signal-unsafe calls", test_signal_unsafe},
    {"lock-order-inversion: cycle and stacks", test_lock_order},
    {"two races in one log", test_two_races},
    {"dedupe: current/previous swapped", test_dedupe_swapped},
    {"dedupe: across logs and kinds", test_dedupe_across_logs},
    {"dedupe: mutex misuse by place", test_dedupe_invalid_mutex},
    {"unsymbolized frames give line 0", test_unsymbolized},
    {"skip_paths on a fixture", test_skip_paths_fixture},
    {"skip_paths skips a wrapper", test_skip_paths_wrapper},
    {"unexpected memory mapping", test_mapping_failure},
    {"CHECK failed is a finding", test_check_failed},
    {"crashes: signal, address, thread, site", test_crashes},
    {"crashes: NULL plus offset, stack overflow", test_crash_lines},
    {"fatal messages: fork, ignores, allocation", test_fatal_messages},
    {"thread finished with ignores enabled", test_thread_ignores},
    {"truncated at every byte", test_truncated_everywhere},
    {"every fixture cut in half", test_truncated_half},
    {"CRLF line ends", test_crlf},
    {"interleaved output and a very long line", test_interleaved_and_long},
    {"garbage and empty input", test_garbage},
    {"malformed lines", test_malformed},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo kind_tests[] = {
    {"names, slugs, explanations", test_kinds},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"tsan.parse", NULL, NULL, NULL, NULL, parse_tests},
    {"tsan.kinds", NULL, NULL, NULL, NULL, kind_tests},
    CU_SUITE_INFO_NULL,
};

CU_ErrorCode register_suites(void)
{
	return CU_register_suites(suites);
}
