/* fuzz_sched.c: a schedule's trace (what a -sched program wrote, so a student's program
 * may have scribbled on it) into sched_trace_parse, then sched_race_find on what it read.
 * A race found must be one: two accesses to a common byte by two threads, not both
 * atomic, one a store, the first earlier. */
#include "fuzz.h"
#include "sched_race.h"
#include "sched_trace.h"

/* Bytes an access covers, as the race check counts them. */
static unsigned long span(int size)
{
	return size < 1 ? 1 : size > 16 ? 16 : (unsigned long)size;
}

/* Do [a, a + span) and [b, b + span) share a byte (addresses wrap around)? */
static bool overlap(const struct sched_event *a, const struct sched_event *b)
{
	return a->addr.in_exe == b->addr.in_exe && (b->addr.value - a->addr.value < span(a->size) ||
	                                            a->addr.value - b->addr.value < span(b->size));
}

static bool is_plain(enum sched_op op)
{
	return op == SCHED_OP_LOAD || op == SCHED_OP_STORE;
}

static bool is_access(enum sched_op op)
{
	return is_plain(op) || op == SCHED_OP_ATOMIC_LOAD || op == SCHED_OP_ATOMIC_STORE ||
	       op == SCHED_OP_RMW;
}

static bool is_store(enum sched_op op)
{
	return op == SCHED_OP_STORE || op == SCHED_OP_ATOMIC_STORE || op == SCHED_OP_RMW;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sched_trace t;
	if (sched_trace_parse((const char *)data, size, &t) != 0)
		return 0;
	struct sched_race race;
	if (sched_race_find(&t, &race)) {
		FUZZ_CHECK(race.first < race.second && race.second < t.n_events);
		const struct sched_event *a = &t.events[race.first], *b = &t.events[race.second];
		FUZZ_CHECK(a->tid != b->tid);
		FUZZ_CHECK(is_access(a->op) && is_access(b->op));
		FUZZ_CHECK(is_plain(a->op) || is_plain(b->op));
		FUZZ_CHECK(is_store(a->op) || is_store(b->op));
		FUZZ_CHECK(overlap(a, b));
	}
	sched_trace_free(&t);
	return 0;
}
