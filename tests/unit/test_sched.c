/* test_sched.c: the schedule strategies (labkit/sched/strategy.c), the exhaustive search
 * (harness/sched_dfs.c) on toy programs of known size, and the trace reader and view on a
 * captured trace of lab 3. */
#include <stdlib.h>
#include <string.h>

#include "cunit_main.h"
#include "sched_dfs.h"
#include "sched_trace.h"
#include "sched_view.h"
#include "strategy.h"

static void test_pct_change_points_from_seed(void)
{
	struct strategy a, b, c;
	CU_ASSERT_EQUAL_FATAL(strategy_parse("pct:d3:s7:n13:k50", &a), 0);
	CU_ASSERT_EQUAL_FATAL(strategy_parse("pct:d3:s7:n13:k50", &b), 0);
	CU_ASSERT_EQUAL_FATAL(strategy_parse("pct:d3:s7:n14:k50", &c), 0);
	CU_ASSERT_EQUAL(a.depth, 3);
	CU_ASSERT_EQUAL(a.steps, 50);
	bool differs = false;
	for (int i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(a.change_at[i], b.change_at[i]); /* same id, same points */
		CU_ASSERT(a.change_at[i] >= 1 && a.change_at[i] <= 50);
		differs |= a.change_at[i] != c.change_at[i];
	}
	CU_ASSERT_EQUAL(a.change_at[2], 0); /* d - 1 = 2 points, no third */
	CU_ASSERT(differs);                 /* schedule 14 is another schedule */
	/* Priorities: distinct, above every change point's, the same for the same id. */
	for (int t = 0; t < 4; t++) {
		strategy_thread_created(&a, t);
		strategy_thread_created(&b, t);
		CU_ASSERT_EQUAL(a.priority[t], b.priority[t]);
		CU_ASSERT(a.priority[t] > 8);
		for (int u = 0; u < t; u++)
			CU_ASSERT_NOT_EQUAL(a.priority[t], a.priority[u]);
	}
}

/* PCT always runs the highest priority; at a change point the running thread drops below
 * every other, so the other runs from then on. */
static void test_pct_runs_highest_and_drops_at_change_point(void)
{
	struct strategy s;
	CU_ASSERT_EQUAL_FATAL(strategy_parse("pct:d2:s3:n1:k20", &s), 0);
	strategy_thread_created(&s, 0);
	strategy_thread_created(&s, 1);
	int high = s.priority[0] > s.priority[1] ? 0 : 1, change = (int)s.change_at[0];
	int current = high;
	for (int step = 1; step <= 20; step++) {
		int next = strategy_pick(&s, 3, current, false);
		CU_ASSERT_EQUAL(next, step < change ? high : 1 - high);
		current = next;
	}
}

static void test_random_is_reproducible(void)
{
	struct strategy a, b;
	strategy_parse("random:s5:n2", &a);
	strategy_parse("random:s5:n2", &b);
	int same = 0, ones = 0;
	for (int i = 0; i < 200; i++) {
		int x = strategy_pick(&a, 0x7, 0, false), y = strategy_pick(&b, 0x7, 0, false);
		same += x == y;
		ones += x == 1;
		CU_ASSERT(x >= 0 && x <= 2);
	}
	CU_ASSERT_EQUAL(same, 200);
	CU_ASSERT(ones > 30 && ones < 110); /* about a third */
}

static void test_choices_and_stop(void)
{
	struct strategy s;
	CU_ASSERT_EQUAL_FATAL(strategy_parse("x:0*3.1.2:stop", &s), 0);
	CU_ASSERT_EQUAL(s.n_choices, 5);
	CU_ASSERT(s.stop);
	int want[] = {0, 0, 0, 1, 2};
	for (int i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(strategy_pick(&s, 0x7, 0, false), want[i]);
	CU_ASSERT_EQUAL(strategy_pick(&s, 0x7, 0, false), -1); /* ran out, with stop */
	strategy_free(&s);
	CU_ASSERT_EQUAL_FATAL(strategy_parse("x:2", &s), 0);
	CU_ASSERT_EQUAL(strategy_pick(&s, 0x3, 0, false), -1); /* T2 cannot run: mismatch */
	strategy_free(&s);
	CU_ASSERT_EQUAL(strategy_parse("x:0*0", &s), -1);
	strategy_free(&s);
	CU_ASSERT_EQUAL(strategy_parse("pct:d9:s1:n1", &s), -1);
	CU_ASSERT_EQUAL(strategy_parse("random:s1", &s), -1);
	CU_ASSERT_EQUAL(strategy_parse("pct:d2:s1:n1:k5:extra", &s), -1);
}

static void test_default_pick_and_yield(void)
{
	CU_ASSERT_EQUAL(strategy_default_pick(0x7, 1, false), 1); /* no preemption */
	CU_ASSERT_EQUAL(strategy_default_pick(0x5, 1, false), 0); /* 1 blocked: lowest */
	CU_ASSERT_EQUAL(strategy_default_pick(0x7, 1, true), 2);  /* yield: the next one */
	CU_ASSERT_EQUAL(strategy_default_pick(0x7, 2, true), 0);  /* ...round the table */
	CU_ASSERT_EQUAL(strategy_default_pick(0x4, 2, true), 2);  /* alone: goes on */
}

/* A toy program: thread t has steps[t] steps, none blocks. The runtime's rule: before
 * each step, where two or more threads could run, a decision. Runs one schedule along the
 * dfs's prefix, then the default, and records it. */
static void run_toy(struct sched_dfs *dfs, const int *steps, int n)
{
	int left[8];
	memcpy(left, steps, n * sizeof(int));
	struct sched_decision d[64];
	size_t nd = 0;
	int current = 0;
	for (;;) {
		uint64_t mask = 0;
		for (int t = 0; t < n; t++)
			if (left[t])
				mask |= 1ull << t;
		if (!mask)
			break;
		int next = __builtin_ctzll(mask);
		if (__builtin_popcountll(mask) >= 2) {
			next = nd < dfs->prefix ? dfs->path[nd].d.chosen
			                        : strategy_default_pick(mask, current, false);
			d[nd++] = (struct sched_decision){current, mask, false, next, 0};
		}
		left[next]--;
		current = next;
	}
	CU_ASSERT_EQUAL(sched_dfs_record(dfs, d, nd), 0);
}

static long count_schedules(const int *steps, int n, int bound)
{
	struct sched_dfs dfs;
	sched_dfs_init(&dfs, bound, false);
	do
		run_toy(&dfs, steps, n);
	while (sched_dfs_next(&dfs) && dfs.schedules < 100000);
	long count = dfs.schedules;
	sched_dfs_free(&dfs);
	return count;
}

static void test_exhaustive_counts(void)
{
	int two_by_two[] = {2, 2};
	/* Every interleaving of 2 + 2 steps: 4!/(2!2!) = 6. */
	CU_ASSERT_EQUAL(count_schedules(two_by_two, 2, 99), 6);
	/* No preemption: T0 runs to its end, then T1. */
	CU_ASSERT_EQUAL(count_schedules(two_by_two, 2, 0), 1);
	/* One: T0 gives way after 0 or 1 steps (T1 T1 T0 T0, T0 T1 T1 T0), or not at all. */
	CU_ASSERT_EQUAL(count_schedules(two_by_two, 2, 1), 3);
	int three[] = {1, 1, 1};
	CU_ASSERT_EQUAL(count_schedules(three, 3, 99), 6); /* 3! orders */
	int big[] = {3, 3};
	CU_ASSERT_EQUAL(count_schedules(big, 2, 99), 20); /* 6!/(3!3!) */
}

/* A toy program for the partial-order reduction: thread t's k-th step touches object
 * obj[t][k]; two steps commute when their objects differ. Its traces (the classes of
 * schedules that only reorder commuting steps) are named by, for each object, the order
 * of the threads that touched it. */
struct por_toy {
	int n;
	int steps[3];
	int obj[3][3];
};

/* Appends thread t touching object o to sig: one line of threads per object. */
static void sign(char sig[4][16], int o, int t)
{
	size_t len = strlen(sig[o]);
	sig[o][len] = (char)('0' + t);
	sig[o][len + 1] = '\0';
}

/* Runs one schedule as the runtime would (labkit/sched/sleep.c's rule, on the toy's
 * objects): along the prefix, the sleep set at its last choice, the default after.
 * Returns false when it ends covered; *name gets the trace's name when it completes. */
static bool run_por_toy(struct sched_dfs *dfs, const struct por_toy *toy, char *name, size_t cap)
{
	int done[3] = {0}, current = 0;
	uint64_t sleep = 0;
	struct sched_decision d[64];
	size_t nd = 0;
	char sig[4][16] = {""};
	bool complete = true;
	for (;;) {
		uint64_t mask = 0;
		for (int t = 0; t < toy->n; t++)
			if (done[t] < toy->steps[t])
				mask |= 1ull << t;
		if (!mask)
			break;
		if (__builtin_popcountll(mask) >= 2 && nd + 1 == dfs->prefix)
			sleep = dfs->sleep;
		uint64_t awake = mask & ~sleep;
		if (!awake) {
			complete = false;
			break;
		}
		int next = __builtin_ctzll(awake);
		if (__builtin_popcountll(mask) >= 2) {
			next = nd < dfs->prefix ? dfs->path[nd].d.chosen
			                        : strategy_default_pick(awake, current, false);
			d[nd++] = (struct sched_decision){current, mask, false, next, sleep};
		}
		int o = toy->obj[next][done[next]];
		for (uint64_t m = sleep; m; m &= m - 1) {
			int u = __builtin_ctzll(m);
			if (toy->obj[u][done[u]] == o)
				sleep &= ~(m & -m);
		}
		sign(sig, o, next);
		done[next]++;
		current = next;
	}
	CU_ASSERT_EQUAL(sched_dfs_record(dfs, d, nd), 0);
	snprintf(name, cap, "%s|%s|%s|%s", sig[0], sig[1], sig[2], sig[3]);
	return complete;
}

/* Every trace of the toy, by brute force over every schedule: how many distinct. */
static int count_traces(const struct por_toy *toy, int *done, char sig[4][16], char names[][64],
                        int *n_names)
{
	bool any = false;
	for (int t = 0; t < toy->n; t++) {
		if (done[t] == toy->steps[t])
			continue;
		any = true;
		char saved[4][16];
		memcpy(saved, sig, sizeof(saved));
		sign(sig, toy->obj[t][done[t]], t);
		done[t]++;
		count_traces(toy, done, sig, names, n_names);
		done[t]--;
		memcpy(sig, saved, sizeof(saved));
	}
	if (!any) {
		char name[64];
		snprintf(name, sizeof(name), "%s|%s|%s|%s", sig[0], sig[1], sig[2], sig[3]);
		for (int i = 0; i < *n_names; i++)
			if (strcmp(names[i], name) == 0)
				return *n_names;
		snprintf(names[(*n_names)++], 64, "%s", name);
	}
	return *n_names;
}

/* The search with sleep sets runs each trace to its end exactly once, and every one. */
static void check_por_toy(const struct por_toy *toy)
{
	static char all[400][64], seen[400][64];
	int n_all = 0, n_seen = 0, done[3] = {0};
	char sig[4][16] = {""};
	count_traces(toy, done, sig, all, &n_all);
	struct sched_dfs dfs;
	sched_dfs_init(&dfs, 0, true);
	do {
		char name[64];
		if (run_por_toy(&dfs, toy, name, sizeof(name)) && n_seen < 400) {
			for (int i = 0; i < n_seen; i++)
				CU_ASSERT_STRING_NOT_EQUAL(seen[i], name); /* never twice */
			snprintf(seen[n_seen++], 64, "%s", name);
		}
	} while (sched_dfs_next(&dfs) && dfs.schedules < 10000);
	sched_dfs_free(&dfs);
	CU_ASSERT_EQUAL(n_seen, n_all);
	for (int i = 0; i < n_all; i++) {
		bool found = false;
		for (int j = 0; j < n_seen; j++)
			found |= strcmp(all[i], seen[j]) == 0;
		CU_ASSERT(found);
	}
}

static void test_por_runs_each_trace_once(void)
{
	/* All independent: one trace (of 6 schedules). */
	check_por_toy(&(struct por_toy){2, {2, 2}, {{0, 1}, {2, 3}}});
	/* All on one object: every schedule is its own trace. */
	check_por_toy(&(struct por_toy){2, {2, 2}, {{0, 0}, {0, 0}}});
	/* Mixed, three threads: a lock (0) shared, private work (1, 2, 3) around it. */
	check_por_toy(&(struct por_toy){3, {3, 2, 2}, {{1, 0, 1}, {0, 2}, {3, 0}}});
	check_por_toy(&(struct por_toy){3, {2, 2, 2}, {{0, 1}, {1, 2}, {2, 0}}});
}

static void test_sync_spec(void)
{
	struct strategy s;
	CU_ASSERT_EQUAL_FATAL(strategy_parse("sync:x:0.1*2.2:z5", &s), 0);
	CU_ASSERT(s.sync_only);
	CU_ASSERT_EQUAL(s.kind, STRATEGY_CHOICES);
	CU_ASSERT_EQUAL(s.n_choices, 4);
	CU_ASSERT_EQUAL(s.sleep, 5u);
	strategy_free(&s);
	CU_ASSERT_EQUAL(strategy_parse("sync:fifo", &s), 0);
	CU_ASSERT(s.sync_only);
	CU_ASSERT_EQUAL(strategy_parse("sync:pct:d2:s1:n3", &s), 0);
	CU_ASSERT(s.sync_only && s.kind == STRATEGY_PCT);
	CU_ASSERT_EQUAL(strategy_parse("x:0.1", &s), 0);
	CU_ASSERT(!s.sync_only);
	strategy_free(&s);
	CU_ASSERT_EQUAL(strategy_parse("x:0.1:z", &s), -1);
	strategy_free(&s);
	CU_ASSERT_EQUAL(strategy_parse("x:0.1:zq", &s), -1);
	strategy_free(&s);
	CU_ASSERT_EQUAL(strategy_parse("x:0.1:z3:junk", &s), -1);
	strategy_free(&s);
	CU_ASSERT_EQUAL(strategy_parse("sync:bogus", &s), -1);
}

/* A captured trace: lab 3, 2 threads x 3 iterations, under pct:d2:s1:n1:k29 (gcc 12: no load
 * events, the view falls back on equal values). */
static void test_trace_and_lost_update(void)
{
	size_t len;
	char *text = fixture_read("sched/lab03-pct-d2-s1-n1.gcc.trace", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	struct sched_trace t;
	CU_ASSERT_EQUAL_FATAL(sched_trace_parse(text, len, &t), 0);
	CU_ASSERT(t.ended);
	CU_ASSERT_EQUAL(t.end, SCHED_END_EXIT);
	CU_ASSERT(t.n_events > 10);
	CU_ASSERT_EQUAL(t.n_decisions, (size_t)t.n_decided);
	static struct sched_view view;
	sched_view_build(&t, &view);
	CU_ASSERT(view.lost_updates >= 1);
	CU_ASSERT(view.first_lost >= 0);
	const struct sched_event *e = &t.events[view.first_lost];
	CU_ASSERT_EQUAL(e->op, SCHED_OP_STORE);
	/* The same text twice hashes the same; one changed value changes it. */
	uint64_t h = sched_trace_hash(&t);
	CU_ASSERT_EQUAL(h, sched_trace_hash(&t));
	t.events[view.first_lost].new_value++;
	CU_ASSERT_NOT_EQUAL(h, sched_trace_hash(&t));
	char id[256];
	sched_trace_choices_id(&t, id, sizeof(id));
	CU_ASSERT_EQUAL(strncmp(id, "x:", 2), 0);
	sched_trace_free(&t);
	free(text);
	CU_ASSERT_EQUAL(sched_trace_parse("nonsense", 8, &t), -1);
}

static void test_deadlock_lines(void)
{
	const char text[] = "v 1\nt 0 -1 0 0\n"
	                    "deadlock 1 lock 4010 2 1234\n"
	                    "deadlock 2 lock 4040 1 1234\n"
	                    "deadlock 0 join - 1 1200\n"
	                    "end 1 12 9\n";
	struct sched_trace t;
	CU_ASSERT_EQUAL_FATAL(sched_trace_parse(text, sizeof(text) - 1, &t), 0);
	CU_ASSERT_EQUAL(t.n_waiters, 3);
	CU_ASSERT_EQUAL(t.end, SCHED_END_DEADLOCK);
	CU_ASSERT_EQUAL(t.waiters[0].owner, 2);
	CU_ASSERT_EQUAL(t.waiters[1].addr.value, 0x4040);
	CU_ASSERT_EQUAL(t.waiters[2].op, SCHED_OP_JOIN);
	sched_trace_free(&t);
}

/* A long run of one thread is collapsed ("T1: N more iterations"); the rows kept show the
 * start and the end of the run, and the other thread's steps stay. */
static void test_view_collapses_long_runs(void)
{
	char text[8192];
	size_t used = (size_t)snprintf(text, sizeof(text), "v 1\n");
	long step = 0;
	used += (size_t)snprintf(text + used, sizeof(text) - used, "e %ld 2 load 10 4000 8 0 0\n",
	                         step++);
	for (int i = 0; i < 20; i++) {
		used += (size_t)snprintf(
		    text + used, sizeof(text) - used,
		    "e %ld 1 load 10 4000 8 %d %d\ne %ld 1 store 20 4000 8 %d %d\n", step, i, i,
		    step + 1, i, i + 1);
		step += 2;
	}
	used += (size_t)snprintf(text + used, sizeof(text) - used, "e %ld 2 store 20 4000 8 20 1\n",
	                         step++);
	struct sched_trace t;
	CU_ASSERT_EQUAL_FATAL(sched_trace_parse(text, used, &t), 0);
	CU_ASSERT_EQUAL(t.n_events, 42);
	static struct sched_view view;
	sched_view_build(&t, &view);
	int collapsed = 0;
	for (int i = 0; i < view.n_rows; i++)
		if (view.rows[i].event < 0) {
			collapsed++;
			CU_ASSERT_EQUAL(view.rows[i].tid, 1);
			CU_ASSERT_EQUAL(view.rows[i].hidden, 40 - 6);
			CU_ASSERT_EQUAL(view.rows[i].iterations,
			                17); /* the run's first line, again */
		}
	CU_ASSERT_EQUAL(collapsed, 1);
	CU_ASSERT_EQUAL(view.n_rows, 1 + 4 + 1 + 2 + 1);
	/* T2 loaded 0, T1 stored 20 meanwhile, T2 stores 1: T1's twenty updates are lost. */
	CU_ASSERT_EQUAL(view.lost_updates, 1);
	CU_ASSERT_EQUAL(view.first_lost, 41);
	sched_trace_free(&t);
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("sched strategy", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "pct change points and priorities from a seed",
	            test_pct_change_points_from_seed);
	CU_add_test(s, "pct runs highest, drops at change point",
	            test_pct_runs_highest_and_drops_at_change_point);
	CU_add_test(s, "random reproducible", test_random_is_reproducible);
	CU_add_test(s, "choices and stop", test_choices_and_stop);
	CU_add_test(s, "default pick and yield", test_default_pick_and_yield);
	CU_pSuite d = CU_add_suite("sched exhaustive", NULL, NULL);
	CU_add_test(d, "counts on toy programs", test_exhaustive_counts);
	CU_add_test(d, "por: each trace once, every one", test_por_runs_each_trace_once);
	CU_add_test(d, "sync: and sleep set in the id", test_sync_spec);
	CU_pSuite t = CU_add_suite("sched trace", NULL, NULL);
	CU_add_test(t, "lab 3 trace, lost update, hash", test_trace_and_lost_update);
	CU_add_test(t, "deadlock lines", test_deadlock_lines);
	CU_add_test(t, "long runs collapsed", test_view_collapses_long_runs);
	return CU_get_error();
}
