/* test_hang.c: deadlock detection from /proc lines, and gdb's backtraces of real deadlocks
 * (tests/fixtures/gdb: abba-deadlock.c with libc6-dbg; tests/programs/abba_deadlock.c and
 * lost_wakeup.c, plain and TSan, as racelab runs gdb; captured with gdb 13.1). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include <unistd.h>

#include "cunit_main.h"
#include "elf_symbols.h"
#include "hang_diagnosis.h"
#include "stall.h"

static void test_task_stat_table(void)
{
	static const struct {
		const char *stat;
		bool ok;
		char state;
		unsigned long long cpu;
	} cases[] = {
	    {"626 (dl) S 1 623 1 0 -1 4194368 10 0 0 0 3 4 0 0 20 0 3 0", true, 'S', 7},
	    {"626 (dl) R 1 623 1 0 -1 4194368 10 0 0 0 30 4 0 0 20 0 3 0", true, 'R', 34},
	    {"77 (a (weird) name) S 1 2 3 4 5 6 7 8 9 10 11 12 0", true, 'S', 23},
	    {"garbage", false, 0, 0},
	    {"1 (x) S 1", false, 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char state = 0;
		unsigned long long cpu = 0;
		bool ok = stall_parse_stat(cases[i].stat, &state, &cpu);
		CU_ASSERT_EQUAL(ok, cases[i].ok);
		if (!ok)
			continue;
		CU_ASSERT_EQUAL(state, cases[i].state);
		CU_ASSERT_EQUAL(cpu, cases[i].cpu);
	}
}

/* /proc/PID/task/TID/syscall lines captured on kernel 6.18 (x86_64, glibc 2.36). */
static void test_syscall_table(void)
{
	static const struct {
		const char *line;
		char state;
		bool ok;
		enum stall_wait wait;
		const char *what;
	} cases[] = {
	    {"202 0x56540bdf3098 0x80 0x2 0x0 0x0 0x0 0x7f014b6b4e98 0x7f014b73f12b", 'S', true,
	     STALL_WAIT_FOREVER, "pthread_mutex_lock: FUTEX_WAIT_PRIVATE for 2, no timeout"},
	    {"202 0x7f014b6b5990 0x109 0x6f1b 0x0 0x0 0xffffffff 0x7fff973ce690 0x7f014b73ef16",
	     'S', true, STALL_WAIT_FOREVER, "pthread_join: FUTEX_WAIT_BITSET on the thread id"},
	    {"202 0x55a9f763a0a0 0x189 0x0 0x0 0x0 0xffffffff 0x7f4e94835dd0 0x7f4e948bff16", 'S',
	     true, STALL_WAIT_FOREVER, "pthread_cond_wait"},
	    {"202 0x55f0114b60b0 0x189 0x0 0x7f2a61efeeb0 0x0 0xffffffff 0x7f2a61efeda0 "
	     "0x7f2a61f88f16",
	     'S', true, STALL_WAIT_TIMED, "pthread_cond_timedwait: a timeout pointer"},
	    {"230 0x0 0x0 0x7f2a616fdeb0 0x0 0x0 0x7ffd6fdf8587 0x7f2a616fde70 0x7f2a61fd2545", 'S',
	     true, STALL_WAIT_TIMED, "sleep(): clock_nanosleep"},
	    {"35 0x7f65437fe6b8 0x7f65437fe6b8 0x0 0x8 0x0 0x7ffd77f8a0d7 0x7f65437fe6c8 "
	     "0x55ce391448ce",
	     'S', true, STALL_WAIT_TIMED, "TSan's runtime: raw nanosleep"},
	    {"202 0x56540bdf3098 0x80 0x2 0x0 0x0 0x0 0x7f014b6b4e98 0x7f014b73f12b", 'R', true,
	     STALL_NOT_WAITING, "woken: runnable"},
	    {"202 0x1000 0x81 0x1 0x0 0x0 0x0 0x7f 0x7f", 'S', true, STALL_NOT_WAITING,
	     "FUTEX_WAKE is not a wait"},
	    {"7 0x55 0x1 0xffffffff 0x0 0x0 0x0 0x7ff 0x7f", 'S', true, STALL_NOT_WAITING,
	     "poll: waits for I/O, not for a thread"},
	    {"running", 'R', true, STALL_NOT_WAITING, "in user space"},
	    {"-1 0x7ffd50ab80d0 0x7fb7045f6f16", 'S', true, STALL_NOT_WAITING, "not in a syscall"},
	    {"", 'S', false, STALL_NOT_WAITING, "empty"},
	    {"nonsense", 'S', false, STALL_NOT_WAITING, "garbage"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stall_syscall sc;
		bool ok = stall_parse_syscall(cases[i].line, &sc);
		CU_ASSERT_EQUAL(ok, cases[i].ok);
		if (ok && stall_classify(cases[i].state, &sc) != cases[i].wait)
			CU_FAIL(cases[i].what);
	}
	unsigned long long ns = 0;
	CU_ASSERT_TRUE(stall_parse_schedstat("7690867 26025574 3\n", &ns));
	CU_ASSERT_EQUAL(ns, 7690867ULL);
	CU_ASSERT_FALSE(stall_parse_schedstat("", &ns));
}

/* Feeds a captured "<tid> <state> <syscall line>" listing (tests/fixtures/gdb/NAME.proc, in
 * /proc/PID/task order) to a stall watch. Returns whether every thread counted as blocked. */
static bool watch_fixture(const char *name, bool tsan, struct stall_watch *w)
{
	size_t len;
	char *text = fixture_read(name, &len);
	bool all = text != NULL;
	int index = 0;
	stall_watch_init(w, 1, 100, tsan);
	for (char *line = text, *eol; all && line && *line; line = eol ? eol + 1 : NULL) {
		struct stall_syscall sc;
		int tid, used = 0;
		char state;
		eol = strchr(line, '\n');
		if (eol)
			*eol = '\0';
		all = sscanf(line, "%d %c %n", &tid, &state, &used) == 2 &&
		      stall_parse_syscall(line + used, &sc) &&
		      stall_watch_task(w, index++, tid, stall_classify(state, &sc), &sc);
	}
	free(text);
	return all;
}

static void test_stall_snapshots(void)
{
	struct stall_watch plain, clang_tsan, gcc_tsan, as_plain;
	CU_ASSERT_TRUE(watch_fixture("gdb/abba-plain.proc", false, &plain));
	CU_ASSERT_EQUAL(plain.snap.n, 3);
	CU_ASSERT_EQUAL(plain.snap.runtime_tid, 0);
	CU_ASSERT_EQUAL(plain.snap.threads[1].tid, 28479);
	CU_ASSERT_EQUAL(plain.snap.threads[1].futex, 0x560190dbd098UL);
	CU_ASSERT_EQUAL(plain.snap.threads[1].value, 2);
	/* TSan builds: the runtime's thread (second, in nanosleep) is recognised and left out. */
	CU_ASSERT_TRUE(watch_fixture("gdb/abba-clang-tsan.proc", true, &clang_tsan));
	CU_ASSERT_EQUAL(clang_tsan.snap.runtime_tid, 29038);
	CU_ASSERT_EQUAL(clang_tsan.snap.n, 3);
	CU_ASSERT_TRUE(watch_fixture("gdb/lost-wakeup-gcc-tsan.proc", true, &gcc_tsan));
	CU_ASSERT_EQUAL(gcc_tsan.snap.runtime_tid, 28691);
	/* The same threads, not known to be TSan's: a sleeping thread, so no stall. */
	CU_ASSERT_FALSE(watch_fixture("gdb/abba-clang-tsan.proc", false, &as_plain));
	/* Two ABBA deadlocks (plain, TSan) block alike; a lost wake-up does not. */
	CU_ASSERT_TRUE(stall_same_shape(&plain.snap, &clang_tsan.snap));
	CU_ASSERT_FALSE(stall_same_shape(&plain.snap, &gcc_tsan.snap));
	CU_ASSERT_TRUE(stall_same_shape(&gcc_tsan.snap, &gcc_tsan.snap));
}

/* The whole explanation from a captured snapshot and gdb output; mutex owners as the live
 * process's memory had them. */
static char *explain_fixture(const char *name, bool tsan, const int *owners)
{
	char path[128];
	size_t len;
	struct stall_watch w;
	struct hang_thread t[8];
	struct hang_wait waits[8];
	int tids[8], n_tids = 0;
	snprintf(path, sizeof(path), "gdb/%s.proc", name);
	CU_ASSERT_TRUE_FATAL(watch_fixture(path, tsan, &w));
	snprintf(path, sizeof(path), "gdb/%s.txt", name);
	char *text = fixture_read(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	int n = hang_parse_gdb(text, "/labkit/", t, 8);
	for (int i = 0; i < w.snap.n; i++)
		tids[n_tids++] = w.snap.threads[i].tid;
	for (int i = 0; i < w.snap.n; i++) {
		char symbol[96] = "";
		const struct hang_thread *gt = NULL;
		for (int j = 0; j < n; j++)
			gt = t[j].lwp == w.snap.threads[i].tid ? &t[j] : gt;
		hang_parse_symbol(text, w.snap.threads[i].futex, symbol, sizeof(symbol));
		hang_wait_from(&waits[i], &w.snap.threads[i], gt, symbol, 0, tids, n_tids);
		if (waits[i].kind == HANG_MUTEX)
			waits[i].holder = owners[i];
	}
	free(text);
	return hang_explain(waits, w.snap.n, "/work/wt/deadlock");
}

static void test_explain_abba(void)
{
	const int owners[] = {0, 28482, 28479};
	char *text = explain_fixture("abba-plain", false, owners);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	/* Threads as TSan names them: main thread, then T1, T2 in creation (tid) order. */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "main thread waits for T1 to finish "
	                                    "(pthread_join) in main() at "
	                                    "tests/programs/abba_deadlock.c:39\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "T1 waits for mutex 'lock_b' (held by "
	                                    "T2) in take_a_then_b() at "
	                                    "tests/programs/abba_deadlock.c:16\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "T2 waits for mutex 'lock_a' (held by "
	                                    "T1) in take_b_then_a()"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "deadlock: T1 waits for mutex 'lock_b', held "
	                                    "by T2, which waits for mutex 'lock_a', held "
	                                    "by T1"));
	CU_ASSERT_PTR_NULL(strstr(text, "28479"));
	CU_ASSERT_PTR_NULL(strstr(text, "lost wake-up"));
	free(text);
}

static void test_explain_tsan_builds(void)
{
	const int owners[] = {0, 29042, 29039}, none[] = {0, 0, 0};
	char *text = explain_fixture("abba-clang-tsan", true, owners);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "waits for mutex 'lock_b' (held by T2)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "deadlock: T"));
	CU_ASSERT_PTR_NULL(strstr(text, "29038")); /* TSan's own thread is not the program's */
	free(text);
	text = explain_fixture("lost-wakeup-gcc-tsan", true, none);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "T1 waits on condition 'ready' in waiter()"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(text, "lost or missing wake-up: 2 threads wait on condition 'ready'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "main thread waits for T1 to finish"));
	CU_ASSERT_PTR_NULL(strstr(text, "deadlock:"));
	free(text);
}

/* An element of an array of locks is named as one: lab 5's accounts are structs of 48
 * bytes holding a mutex each; lab 10's forks are bare mutexes. */
static void test_element_names(void)
{
	char out[96];
	const long lab5[] = {0, 48}, forks[] = {80, 120}, lone[] = {48}, odd[] = {0, 8};
	hang_element_name("accounts+48", 96, lab5, 2, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "accounts[1]");
	hang_element_name("accounts", 96, lab5, 2, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "accounts[0]");
	hang_element_name("forks+120", 200, forks, 2, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "forks[3]");
	hang_element_name("accounts+48", 3072, lone, 1, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "accounts[1]");
	/* No stride: a field, not an element; a size unknown; a single lock. */
	hang_element_name("pair+8", 48, odd, 2, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "pair+8");
	hang_element_name("accounts+48", 0, lab5, 2, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "accounts+48");
	hang_element_name("lock_a", 40, odd, 1, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "lock_a");
}

static void test_symbols_and_api(void)
{
	const char *text = "@racelab-symbol 0x10\nlock_a in section .bss\n"
	                   "@racelab-symbol 0x20\naccounts + 48 in section .bss of /x/lab05\n"
	                   "@racelab-symbol 0x30\nNo symbol matches 0x30.\n";
	char name[96];
	CU_ASSERT_TRUE(hang_parse_symbol(text, 0x10, name, sizeof(name)));
	CU_ASSERT_STRING_EQUAL(name, "lock_a");
	CU_ASSERT_TRUE(hang_parse_symbol(text, 0x20, name, sizeof(name)));
	CU_ASSERT_STRING_EQUAL(name, "accounts+48");
	CU_ASSERT_FALSE(hang_parse_symbol(text, 0x30, name, sizeof(name)));
	CU_ASSERT_FALSE(hang_parse_symbol(text, 0x40, name, sizeof(name)));
	/* A mutex whose owner is no longer a thread of the process. */
	struct hang_wait w = {.tid = 5, .kind = HANG_MUTEX, .holder = 9, .name = "m"};
	char *out = hang_explain(&w, 1, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(held by thread 9, which ended without unlocking it)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "a thread ended while holding a mutex"));
	free(out);
}

/* Globals of this test binary, named through its own /proc entries as racelab names a
 * deadlocked program's mutexes. */
int probe_array[4];
pthread_cond_t probe_cond = PTHREAD_COND_INITIALIZER;

static void test_elf_symbols_of_self(void)
{
	char name[96];
	struct elf_symbols *elf = elf_symbols_open(getpid());
	CU_ASSERT_PTR_NOT_NULL_FATAL(elf);
	CU_ASSERT_TRUE(elf_symbols_name(elf, (unsigned long)&probe_array[0], name, sizeof(name)));
	CU_ASSERT_STRING_EQUAL(name, "probe_array");
	CU_ASSERT_TRUE(elf_symbols_name(elf, (unsigned long)&probe_array[2], name, sizeof(name)));
	CU_ASSERT_STRING_EQUAL(name, "probe_array+8");
	CU_ASSERT_EQUAL(elf_symbols_size(elf, (unsigned long)&probe_array[3]), sizeof(probe_array));
	/* A condition's futex word lies inside it: named as the condition. */
	unsigned long word = (unsigned long)&probe_cond + 40;
	CU_ASSERT_TRUE(elf_symbols_name(elf, word, name, sizeof(name)));
	CU_ASSERT_EQUAL(elf_symbols_size(elf, word), 48);
	struct stall_thread s = {.tid = 7, .futex = word, .op = 0x189, .value = 0};
	struct hang_wait w;
	hang_wait_from(&w, &s, NULL, name, 48, NULL, 0);
	CU_ASSERT_EQUAL(w.kind, HANG_CONDITION);
	CU_ASSERT_STRING_EQUAL(w.name, "probe_cond");
	/* The heap and the stack are nobody's variable. */
	int *heap = malloc(sizeof(int)), local = 0;
	CU_ASSERT_FALSE(elf_symbols_name(elf, (unsigned long)heap, name, sizeof(name)));
	CU_ASSERT_FALSE(elf_symbols_name(elf, (unsigned long)&local, name, sizeof(name)));
	free(heap);
	elf_symbols_close(elf);
	CU_ASSERT_EQUAL(elf_image_lookup("not an ELF file at all, just text", 33, 0, name, 96), 0);
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
	CU_add_test(s, "syscall lines: timed and endless waits", test_syscall_table);
	CU_add_test(s, "stall snapshots, TSan's runtime thread", test_stall_snapshots);
	CU_add_test(s, "explained: ABBA cycle", test_explain_abba);
	CU_add_test(s, "explained: TSan builds, lost wake-up", test_explain_tsan_builds);
	CU_add_test(s, "gdb symbols, dead owner", test_symbols_and_api);
	CU_add_test(s, "array elements named", test_element_names);
	CU_add_test(s, "ELF symbols of a live process", test_elf_symbols_of_self);
	CU_add_test(s, "gdb: ABBA deadlock", test_gdb_abba);
	CU_add_test(s, "gdb: skip path, condition wait", test_gdb_skip_path_and_condition);
	return CU_get_error();
}
