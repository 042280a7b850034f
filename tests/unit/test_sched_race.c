/* test_sched_race.c: the data race check of a schedule's trace (harness/sched_race.c), on
 * traces captured from the labs' -sched builds and on small made-up ones, one
 * happens-before edge or one overlap rule each. */
#include <stdio.h>
#include <stdlib.h>

#include "cunit_main.h"
#include "sched_race.h"
#include "sched_trace.h"

#define NO_RACE ((size_t)-1)

struct race_case {
	const char *name;
	const char *events;   /* the trace's "e" lines; "v 1" is added before them */
	size_t first, second; /* the race expected; NO_RACE: none */
};

static bool is_plain(enum sched_op op)
{
	return op == SCHED_OP_LOAD || op == SCHED_OP_STORE;
}

static bool is_store(enum sched_op op)
{
	return op == SCHED_OP_STORE || op == SCHED_OP_ATOMIC_STORE || op == SCHED_OP_RMW;
}

static unsigned long last_byte(const struct sched_event *e)
{
	return e->addr.value + (unsigned long)(e->size > 1 ? e->size - 1 : 0);
}

/* What any race found must be: accesses to a common byte by two threads, at least one
 * plain, one a store; and the first: the trace cut just before its second access has none, the
 * trace cut just after it has the same. */
static void check_race_shape(struct sched_trace *t, struct sched_race race)
{
	CU_ASSERT_FATAL(race.first < race.second && race.second < t->n_events);
	const struct sched_event *a = &t->events[race.first], *b = &t->events[race.second];
	CU_ASSERT_NOT_EQUAL(a->tid, b->tid);
	CU_ASSERT(is_plain(a->op) || is_plain(b->op));
	CU_ASSERT(is_store(a->op) || is_store(b->op));
	CU_ASSERT_EQUAL(a->addr.in_exe, b->addr.in_exe);
	CU_ASSERT(a->addr.value <= last_byte(b) && b->addr.value <= last_byte(a));
	size_t n = t->n_events;
	struct sched_race again;
	t->n_events = race.second;
	CU_ASSERT(!sched_race_find(t, &again));
	t->n_events = race.second + 1;
	CU_ASSERT(sched_race_find(t, &again) && again.first == race.first &&
	          again.second == race.second);
	t->n_events = n;
}

/* Parses text and checks the race found against first and second. */
static void check_trace(const char *name, const char *text, size_t len, size_t first, size_t second)
{
	struct sched_trace t;
	CU_ASSERT_EQUAL_FATAL(sched_trace_parse(text, len, &t), 0);
	struct sched_race race = {NO_RACE, NO_RACE};
	bool found = sched_race_find(&t, &race);
	if (found != (first != NO_RACE) ||
	    (found && (race.first != first || race.second != second)))
		fprintf(stderr, "\n%s: expected %zd/%zd, found %d %zd/%zd\n", name, (ssize_t)first,
		        (ssize_t)second, found, (ssize_t)race.first, (ssize_t)race.second);
	CU_ASSERT_EQUAL(found, first != NO_RACE);
	if (found) {
		CU_ASSERT_EQUAL(race.first, first);
		CU_ASSERT_EQUAL(race.second, second);
		check_race_shape(&t, race);
	}
	sched_trace_free(&t);
}

/* Thread 0 creates thread 1 (event 0), then thread 2 (event 1), before the rest. */
#define CREATE_1 "e 0 0 create 10 *0 0 0 1\n"
#define CREATE_2 "e 1 0 create 10 *0 0 0 2\n"

static const struct race_case synthetic[] = {
    {"store then load, unordered",
     CREATE_1 "e 1 0 store 20 4000 8 0 1\n"
              "e 2 1 load 30 4000 8 1 1\n",
     1, 2},
    {"load then store, unordered",
     CREATE_1 "e 1 1 load 30 4000 8 0 0\n"
              "e 2 0 store 20 4000 8 0 1\n",
     1, 2},
    {"two loads", CREATE_1 "e 1 0 load 20 4000 8 0 0\ne 2 1 load 30 4000 8 0 0\n", NO_RACE, 0},
    {"one thread stores and loads",
     CREATE_1 "e 1 1 store 30 4000 8 0 1\ne 2 1 load 30 4000 8 1 1\n", NO_RACE, 0},
    {"the same mutex around both",
     CREATE_1 "e 1 0 lock 20 5000 0 0 1\n"
              "e 2 0 store 20 4000 8 0 1\n"
              "e 3 0 unlock 20 5000 0 0 0\n"
              "e 4 1 lock 30 5000 0 0 1\n"
              "e 5 1 load 30 4000 8 1 1\n"
              "e 6 1 unlock 30 5000 0 0 0\n",
     NO_RACE, 0},
    {"two different mutexes",
     CREATE_1 "e 1 0 lock 20 5000 0 0 1\n"
              "e 2 0 store 20 4000 8 0 1\n"
              "e 3 0 unlock 20 5000 0 0 0\n"
              "e 4 1 lock 30 5008 0 0 1\n"
              "e 5 1 load 30 4000 8 1 1\n"
              "e 6 1 unlock 30 5008 0 0 0\n",
     2, 5},
    {"the store after the unlock",
     CREATE_1 "e 1 0 lock 20 5000 0 0 1\n"
              "e 2 0 unlock 20 5000 0 0 0\n"
              "e 3 0 store 20 4000 8 0 1\n"
              "e 4 1 lock 30 5000 0 0 1\n"
              "e 5 1 load 30 4000 8 1 1\n",
     3, 5},
    {"a trylock that took the mutex",
     CREATE_1 "e 1 0 lock 20 5000 0 0 1\n"
              "e 2 0 store 20 4000 8 0 1\n"
              "e 3 0 unlock 20 5000 0 0 0\n"
              "e 4 1 trylock 30 5000 0 0 1\n"
              "e 5 1 load 30 4000 8 1 1\n",
     NO_RACE, 0},
    {"a trylock that failed",
     CREATE_1 "e 1 0 lock 20 5000 0 0 1\n"
              "e 2 0 store 20 4000 8 0 1\n"
              "e 3 0 unlock 20 5000 0 0 0\n"
              "e 4 1 trylock 30 5000 0 0 0\n"
              "e 5 1 load 30 4000 8 1 1\n",
     2, 5},
    {"a store before the create",
     "e 0 0 store 20 4000 8 0 1\n"
     "e 1 0 create 10 *0 0 0 1\n"
     "e 2 1 load 30 4000 8 1 1\n",
     NO_RACE, 0},
    {"a grandchild knows its grandparent's past",
     "e 0 0 store 20 4000 8 0 1\n"
     "e 1 0 create 10 *0 0 0 1\n"
     "e 2 1 create 30 *0 0 0 2\n"
     "e 3 2 store 40 4000 8 1 2\n",
     NO_RACE, 0},
    {"a store after the join",
     CREATE_1 "e 1 1 store 30 4000 8 0 1\n"
              "e 2 1 exit *0 *0 0 0 0\n"
              "e 3 0 join 10 *0 0 0 1\n"
              "e 4 0 load 20 4000 8 1 1\n",
     NO_RACE, 0},
    {"the join of another thread",
     CREATE_1 CREATE_2 "e 2 1 store 30 4000 8 0 1\n"
                       "e 3 1 exit *0 *0 0 0 0\n"
                       "e 4 2 exit *0 *0 0 0 0\n"
                       "e 5 0 join 10 *0 0 0 2\n"
                       "e 6 0 load 20 4000 8 1 1\n",
     2, 6},
    {"signal, then the waiter's relock",
     CREATE_1 "e 1 1 lock 30 5000 0 0 1\n"
              "e 2 1 unlock 30 5000 0 0 0\n"
              "e 3 1 wait 30 6000 0 0 0\n"
              "e 4 0 store 20 4000 8 0 1\n"
              "e 5 0 signal 20 6000 0 0 1\n"
              "e 6 1 lock 30 5000 0 0 1\n"
              "e 7 1 load 30 4000 8 1 1\n",
     NO_RACE, 0},
    {"broadcast, then the waiter's relock",
     CREATE_1 "e 1 1 lock 30 5000 0 0 1\n"
              "e 2 1 unlock 30 5000 0 0 0\n"
              "e 3 1 wait 30 6000 0 0 0\n"
              "e 4 0 store 20 4000 8 0 1\n"
              "e 5 0 broadcast 20 6000 0 0 1\n"
              "e 6 1 lock 30 5000 0 0 1\n"
              "e 7 1 load 30 4000 8 1 1\n",
     NO_RACE, 0},
    {"a signal on another condition",
     CREATE_1 "e 1 1 lock 30 5000 0 0 1\n"
              "e 2 1 unlock 30 5000 0 0 0\n"
              "e 3 1 wait 30 6000 0 0 0\n"
              "e 4 0 store 20 4000 8 0 1\n"
              "e 5 0 signal 20 6008 0 0 -1\n"
              "e 6 1 lock 30 5000 0 0 1\n"
              "e 7 1 load 30 4000 8 1 1\n",
     4, 7},
    {"atomic store, then atomic load",
     CREATE_1 "e 1 0 store 20 4000 8 0 1\n"
              "e 2 0 atomic-store 20 4100 4 0 1\n"
              "e 3 1 atomic-load 30 4100 4 1 1\n"
              "e 4 1 load 30 4000 8 1 1\n",
     NO_RACE, 0},
    {"atomic store, then a load of another atomic",
     CREATE_1 "e 1 0 store 20 4000 8 0 1\n"
              "e 2 0 atomic-store 20 4100 4 0 1\n"
              "e 3 1 atomic-load 30 4104 4 0 0\n"
              "e 4 1 load 30 4000 8 1 1\n",
     1, 4},
    {"atomic loads do not release",
     CREATE_1 "e 1 0 store 20 4000 8 0 1\n"
              "e 2 0 atomic-load 20 4100 4 0 0\n"
              "e 3 1 atomic-load 30 4100 4 0 0\n"
              "e 4 1 load 30 4000 8 1 1\n",
     1, 4},
    {"read-modify-writes in a chain",
     CREATE_1 "e 1 0 store 20 4000 8 0 1\n"
              "e 2 0 rmw 20 4100 4 0 1\n"
              "e 3 1 rmw 30 4100 4 1 2\n"
              "e 4 1 store 30 4000 8 1 2\n",
     NO_RACE, 0},
    {"an atomic store and a plain load of its bytes race",
     CREATE_1 "e 1 0 atomic-store 20 4000 8 0 1\n"
              "e 2 1 load 30 4000 8 1 1\n"
              "e 3 1 rmw 30 4000 8 1 2\n",
     1, 2},
    {"a plain add beside an atomic add races (the atomic first)",
     CREATE_1 "e 1 0 rmw 20 4000 8 0 1\n"
              "e 2 1 store 30 4000 8 1 2\n",
     1, 2},
    {"...and the plain store first",
     CREATE_1 "e 1 1 store 30 4000 8 0 1\n"
              "e 2 0 rmw 20 4000 8 1 2\n",
     1, 2},
    {"two atomics never race",
     CREATE_1 "e 1 0 atomic-store 20 4000 8 0 1\n"
              "e 2 1 rmw 30 4000 8 1 2\n"
              "e 3 0 atomic-load 20 4000 8 2 2\n",
     NO_RACE, 0},
    {"a plain store published by an atomic store, read after the atomic load",
     CREATE_1 "e 1 0 store 20 4000 8 0 7\n"
              "e 2 0 atomic-store 20 5000 4 0 1\n"
              "e 3 1 atomic-load 30 5000 4 1 1\n"
              "e 4 1 load 30 4000 8 7 7\n",
     NO_RACE, 0},
    {"an atomic load that reads before the release does not order",
     CREATE_1 "e 1 1 atomic-load 30 5000 4 0 0\n"
              "e 2 0 store 20 4000 8 0 7\n"
              "e 3 0 atomic-store 20 5000 4 0 1\n"
              "e 4 1 load 30 4000 8 7 7\n",
     2, 4},
    {"a 4-byte store inside an 8-byte load",
     CREATE_1 "e 1 0 store 20 4004 4 0 1\n"
              "e 2 1 load 30 4000 8 1 1\n",
     1, 2},
    {"an 8-byte store over a 1-byte load",
     CREATE_1 "e 1 0 store 20 4000 8 0 1\n"
              "e 2 1 load 30 4007 1 0 0\n",
     1, 2},
    {"adjacent stores",
     CREATE_1 "e 1 0 store 20 4000 4 0 1\n"
              "e 2 1 store 30 4004 4 0 1\n"
              "e 3 1 store 30 3ff8 8 0 1\n",
     NO_RACE, 0},
    {"a 16-byte store and its last byte",
     CREATE_1 "e 1 0 store 20 4000 16 0 1\n"
              "e 2 1 load 30 400f 1 0 0\n",
     1, 2},
    {"size 0 counts as 1",
     CREATE_1 "e 1 0 store 20 4000 0 0 1\n"
              "e 2 1 load 30 4000 1 0 0\n",
     1, 2},
    {"an executable offset is not an absolute address",
     CREATE_1 "e 1 0 store 20 4000 8 0 1\n"
              "e 2 1 store 30 *4000 8 0 1\n",
     NO_RACE, 0},
    {"the earliest of the loads a store races with",
     CREATE_1 CREATE_2 "e 2 2 load 30 4000 8 0 0\n"
                       "e 3 1 load 30 4000 8 0 0\n"
                       "e 4 1 load 30 4000 8 0 0\n"
                       "e 5 0 store 20 4000 8 0 1\n",
     2, 5},
    {"a race with the store that replaced ordered loads",
     CREATE_1 CREATE_2 "e 2 1 load 30 4000 8 0 0\n"
                       "e 3 1 lock 30 5000 0 0 1\n"
                       "e 4 1 store 30 4000 8 0 1\n"
                       "e 5 1 unlock 30 5000 0 0 0\n"
                       "e 6 2 lock 30 5000 0 0 1\n"
                       "e 7 2 store 30 4000 8 1 2\n"
                       "e 8 2 unlock 30 5000 0 0 0\n"
                       "e 9 1 load 30 4000 8 2 2\n",
     7, 9},
    {"a heap block allocated again starts afresh",
     CREATE_1 "e 1 1 store 30 *4000 8 0 1\n"
              "e 2 0 alloc 20 *3ff8 16 0 0\n"
              "e 3 0 store 20 *4000 8 1 2\n",
     NO_RACE, 0},
    {"...only the block's own bytes",
     CREATE_1 "e 1 1 store 30 *4000 8 0 1\n"
              "e 2 0 alloc 20 *3ff8 8 0 0\n"
              "e 3 0 store 20 *4000 8 1 2\n",
     1, 3},
    {"threads out of range are skipped",
     CREATE_1 "e 1 64 store 20 4000 8 0 1\n"
              "e 2 -1 store 20 4000 8 0 1\n"
              "e 3 1 load 30 4000 8 1 1\n"
              "e 4 0 join 10 *0 0 0 99\n"
              "e 5 0 create 10 *0 0 0 -3\n",
     NO_RACE, 0},
};

static void test_synthetic(void)
{
	for (size_t i = 0; i < sizeof(synthetic) / sizeof(synthetic[0]); i++) {
		char text[2048];
		int n = snprintf(text, sizeof(text), "v 1\n%s", synthetic[i].events);
		CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof(text));
		check_trace(synthetic[i].name, text, (size_t)n, synthetic[i].first,
		            synthetic[i].second);
	}
}

/* Traces the -sched builds wrote (RACELAB_SCHED=<strategy> in the name, the lab's
 * sched_args), and what the check must say of each. */
static const struct {
	const char *file;
	size_t first, second;
} captured[] = {
    /* Lab 3's plain counter++: the first worker's last store, the second's first load. */
    {"sched/lab03-fifo.clang.trace", 10, 16},
    {"sched/lab03-pct-d2-s1-n1.gcc.trace", 3, 6},
    {"sched/lab03-mutex-random-s1-n3.clang.trace", NO_RACE, 0},
    {"sched/lab03-atomic-random-s1-n3.clang.trace", NO_RACE, 0},
    /* Locked store, unlocked load: the two stores (lock then none) still race. */
    {"sched/lab03-wrong-lock-read-only-random-s2-n3.clang.trace", 18, 21},
    /* Load and store each under the lock: an atomicity violation, not a data race (TSan
     * is silent too); exploring the lock orders finds its lost updates. */
    {"sched/lab03-wrong-split-lock-random-s1-n3.clang.trace", NO_RACE, 0},
    {"sched/lab04-cas-random-s1-n3.clang.trace", NO_RACE, 0},
    {"sched/lab06-two-conds-random-s1-n3.clang.trace", NO_RACE, 0},
    {"sched/lab06-broadcast-random-s2-n3.clang.trace", NO_RACE, 0},
    /* Lab 11: main's loop variable, stored after the create, read by the worker. */
    {"sched/lab11-fifo.clang.trace", 5, 7},
    {"sched/lab11-heap-random-s1-n3.clang.trace", NO_RACE, 0},
    /* --threads 3: worker 1 reads its heap copy and frees it, then main gets the same
     * block from malloc for worker 3 and stores into it. Captured before the runtime
     * logged allocations, the trace makes that look like a race (a false one)... */
    {"sched/lab11-heap-t3-random-s11-n3.clang.trace", 1, 7},
    /* ...and with the alloc events (the block at ...4b10 is allocated twice) it is none. */
    {"sched/lab11-heap-t3-alloc-random-s11-n3.clang.trace", NO_RACE, 0},
};

static void test_captured(void)
{
	for (size_t i = 0; i < sizeof(captured) / sizeof(captured[0]); i++) {
		size_t len;
		char *text = fixture_read(captured[i].file, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		check_trace(captured[i].file, text, len, captured[i].first, captured[i].second);
		free(text);
	}
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("sched race", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "made-up traces, one rule each", test_synthetic);
	CU_add_test(s, "captured traces of the labs", test_captured);
	return CU_get_error();
}
