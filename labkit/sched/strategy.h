/* strategy.h: who runs next. Pure: no I/O, no threads; the runtime (runtime.c) asks at
 * each scheduling point where two or more threads could run, and CUnit tests it alone.
 *
 * A schedule is named by a spec, the same text as its id:
 *   random:sS:nN         a random walk: every runnable thread equally likely at each
 *                        point; schedule N of seed S (N's generator is mixed from S and N)
 *   pct:dD:sS:nN[:kK]    PCT (Burckhardt et al., ASPLOS 2010): random distinct thread
 *                        priorities, D-1 change points drawn uniformly in 1..K; the
 *                        highest-priority runnable thread runs. For a program of n
 *                        threads and K points, one schedule finds any bug of depth D
 *                        with probability >= 1/(n * K^(D-1)). K defaults to 100; the
 *                        harness passes the count measured by a first run.
 *   x:C.C*R...[:stop]    explicit choices: the thread picked at each point, in order
 *                        ("1*3" is 1 three times); after them, the default. With
 *                        ":stop" the program stops where the list ends (step mode).
 *   fifo (or empty)      the default: keep the running thread while it can run, else
 *                        the lowest-numbered runnable one. No preemption.
 *   sync:SPEC            SPEC, with scheduling points only at synchronisation (locks,
 *                        condition variables, create, join, atomics, yields), none at plain
 *                        loads and stores: sound only for runs without a data race, so the
 *                        harness checks each such run's trace for one (sched_race.h).
 *   x:...:zMASK          (with sync:) the sleep set (sleep.c), hex, just before the last
 *                        listed choice: the partial-order reduction's search passes it.
 * A yield (sched_yield, usleep, a spin gate) asks for someone else: the yielding thread
 * is not picked while another can run, so a spin loop cannot starve the thread it waits
 * for. Such a switch is not a preemption. */
#ifndef RACELAB_SCHED_STRATEGY_H
#define RACELAB_SCHED_STRATEGY_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"

#define STRATEGY_MAX_DEPTH   8
#define STRATEGY_MAX_CHOICES 4096

enum strategy_kind { STRATEGY_FIFO, STRATEGY_RANDOM, STRATEGY_PCT, STRATEGY_CHOICES };

struct strategy {
	enum strategy_kind kind;
	uint64_t seed;                       /* S */
	uint64_t index;                      /* N: which schedule of the seed */
	int depth;                           /* PCT's D */
	long steps;                          /* PCT's K: points expected in one schedule */
	bool stop;                           /* choices: stop when they run out */
	bool sync_only;                      /* sync: points only at synchronisation */
	uint64_t sleep;                      /* choices: the sleep set before the last one */
	uint64_t rng;                        /* the generator's state (splitmix64) */
	long decision;                       /* points decided so far */
	long change_at[STRATEGY_MAX_DEPTH];  /* PCT: the decision numbers (1-based) at which the
	                                      * running thread's priority drops */
	int64_t priority[SCHED_MAX_THREADS]; /* PCT: higher runs first */
	unsigned char *choices;              /* CHOICES: thread ids; owned */
	long n_choices;
};

/* Parses spec into *s. Returns 0, or -1 when it is malformed. */
int strategy_parse(const char *spec, struct strategy *s);

/* Frees what strategy_parse allocated. */
void strategy_free(struct strategy *s);

/* A new thread tid exists (the main thread is 0, told first). */
void strategy_thread_created(struct strategy *s, int tid);

/* Picks the next thread. runnable: bit i set when thread i can run (at least one bit).
 * current: the thread that ran the last step; yielding: it asked for someone else.
 * Returns a thread of runnable, or -1 when a CHOICES strategy with stop has run out, or
 * names a thread that cannot run (the replay does not match the program). */
int strategy_pick(struct strategy *s, uint64_t runnable, int current, bool yielding);

/* The default pick (see above). */
int strategy_default_pick(uint64_t runnable, int current, bool yielding);

/* splitmix64: the generator, exposed for tests. */
uint64_t strategy_next_random(uint64_t *state);

#endif
