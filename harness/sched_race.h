/* sched_race.h: finds a data race in a schedule's trace, with vector clocks (the
 * happens-before of ThreadSanitizer and FastTrack). Pure.
 *
 * A schedule that runs threads only at synchronisation points, or explores one order of
 * independent steps for all, stands for every order of the plain accesses between them
 * only when no two of those accesses race: the explorer asks this of each trace.
 *
 * Happens-before, in trace order: program order; create (the child starts with its
 * parent's clock); exit then join; unlock then lock of the same mutex (a trylock that
 * took it too); signal or broadcast, then the woken waiter's relock; an atomic store or
 * read-modify-write, then an atomic load or read-modify-write of the same address. A
 * race: two loads or stores by different threads on a common byte, one a store, not
 * both atomic, neither before the other (an atomic access races with a plain one: with
 * points only at synchronisation, a plain counter++ beside an atomic add would otherwise
 * never be split). Erring towards order (a race missed,
 * not made up): a waiter's relock follows every signal on its condition so far, even one
 * that woke another or came before a timeout; a failed unlock releases. A heap block's
 * alloc event (malloc, calloc or realloc called by the program) starts its bytes afresh,
 * so a block one thread frees and another gets again does not look like a race; memory
 * reused otherwise (a thread's stack, libc's own allocations) is not known to the trace. */
#ifndef RACELAB_SCHED_RACE_H
#define RACELAB_SCHED_RACE_H

#include <stdbool.h>
#include <stddef.h>

#include "sched_trace.h"

struct sched_race {
	size_t first;  /* index in trace->events of the earlier access */
	size_t second; /* index of the later access, by another thread */
};

/* Finds the first data race of t, scanning its events in order: second is the first
 * access that races with an earlier one; first is the earliest of those it races with
 * that the checker keeps (each byte's last store and each thread's last load of it).
 * Returns true and fills *race when one is found; false when there is none, and also when
 * memory runs out (a race may then be missed). Events of a thread outside
 * 0..SCHED_MAX_THREADS-1 are skipped. Pure: t is not changed. */
bool sched_race_find(const struct sched_trace *t, struct sched_race *race);

#endif
