/* test_hang.c: deadlock detection from /proc lines, and gdb's backtraces of a real
 * deadlock (tests/fixtures/gdb/abba-deadlock.c, captured with gdb 13.1). */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "cunit_main.h"
#include "hang_diagnosis.h"
#include "stall.h"

static void test_task_stat_table(void)
{
	static const struct {
		const char *stat, *wchan;
		bool ok, blocked;
		unsigned long long cpu;
	} cases[] = {
	    {"626 (dl) S 1 623 1 0 -1 4194368 10 0 0 0 3 4 0 0 20 0 3 0", "futex_do_wait", true,
	     true, 7},
	    {"626 (dl) R 1 623 1 0 -1 4194368 10 0 0 0 30 4 0 0 20 0 3 0", "0", true, false, 34},
	    {"626 (dl) S 1 623 1 0 -1 4194368 10 0 0 0 3 4 0 0 20 0 3 0", "hrtimer_nanosleep", true,
	     false, 7},
	    {"77 (a (weird) name) S 1 2 3 4 5 6 7 8 9 10 11 12 0", "futex_wait_queue", true, true,
	     23},
	    {"garbage", "futex", false, false, 0},
	    {"1 (x) S 1", "futex", false, false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool blocked = !cases[i].blocked;
		unsigned long long cpu = 0;
		bool ok = stall_parse_task(cases[i].stat, cases[i].wchan, &blocked, &cpu);
		CU_ASSERT_EQUAL(ok, cases[i].ok);
		if (!ok)
			continue;
		CU_ASSERT_EQUAL(blocked, cases[i].blocked);
		CU_ASSERT_EQUAL(cpu, cases[i].cpu);
	}
}

static void test_gdb_abba(void)
{
	size_t len;
	char *text = fixture_read("gdb/abba-deadlock.txt", &len);
	struct hang_thread t[8];
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	int n = hang_parse_gdb(text, "/labkit/", t, 8);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	/* gdb lists the newest thread first: T2 (t2) waits for a, T1 (t1) for b, main joins. */
	CU_ASSERT_STRING_EQUAL(t[0].function, "t2");
	CU_ASSERT_STRING_EQUAL(t[0].file, "dl.c");
	CU_ASSERT_EQUAL(t[0].line, 5);
	CU_ASSERT_STRING_EQUAL(t[0].waits_for, "a");
	CU_ASSERT_FALSE(t[0].on_condition);
	CU_ASSERT_NOT_EQUAL(t[0].mutex_addr, 0);
	CU_ASSERT_STRING_EQUAL(t[1].function, "t1");
	CU_ASSERT_EQUAL(t[1].line, 4);
	CU_ASSERT_STRING_EQUAL(t[1].waits_for, "b");
	CU_ASSERT_STRING_EQUAL(t[2].function, "main");
	CU_ASSERT_EQUAL(t[2].line, 6);
	CU_ASSERT_STRING_EQUAL(t[2].waits_for, "");
	CU_ASSERT_NOT_EQUAL(t[0].lwp, t[1].lwp);
	free(text);
}

static void test_gdb_skip_path_and_condition(void)
{
	const char *text =
	    "Thread 2 (Thread 0x7f (LWP 41) \"lab\"):\n"
	    "#0  futex_wait (futex_word=0x1 <not_empty>) at ../sysdeps/nptl/futex-internal.h:146\n"
	    "#1  ___pthread_cond_wait (cond=0x5555 <not_empty>, mutex=0x5566 <lock>) at "
	    "./nptl/pthread_cond_wait.c:618\n"
	    "#2  0x1 in rl_cond_wait_at (file=0x0, line=3) at /src/labkit/sync.c:120\n"
	    "#3  0x2 in consumer (arg=0x0) at /src/labs/06-x/buffer.c:44\n";
	struct hang_thread t[2];
	CU_ASSERT_EQUAL_FATAL(hang_parse_gdb(text, "/labkit/", t, 2), 1);
	CU_ASSERT_EQUAL(t[0].lwp, 41);
	CU_ASSERT_TRUE(t[0].on_condition);
	CU_ASSERT_STRING_EQUAL(t[0].waits_for, "not_empty");
	CU_ASSERT_STRING_EQUAL(t[0].function, "consumer");
	CU_ASSERT_EQUAL(t[0].line, 44);
	CU_ASSERT_EQUAL(hang_parse_gdb("", NULL, t, 2), 0);
	CU_ASSERT_EQUAL(hang_parse_gdb("#0 nothing before a thread\n", NULL, t, 2), 0);
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("hang", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "task stat lines", test_task_stat_table);
	CU_add_test(s, "gdb: ABBA deadlock", test_gdb_abba);
	CU_add_test(s, "gdb: skip path, condition wait", test_gdb_skip_path_and_condition);
	return CU_get_error();
}
