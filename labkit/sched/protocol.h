/* protocol.h: what the schedule runtime (labkit/sched) and racelab agree on: environment
 * variables, exit statuses and the trace's line format. The one home of these facts; both
 * sides include it.
 *
 * The harness starts a `-sched` build with RACELAB_SCHED (which schedule) and
 * RACELAB_SCHED_TRACE (a file to write the trace to). The trace is text, one record a line:
 *   v 1                                 format version
 *   base ADDR                           where the executable was loaded (hex)
 *   t TID PARENT                        thread TID was created by PARENT (-1 for main)
 *   d CUR MASK YIELD CHOSEN [SLEEP]     a decision: the running thread, the runnable
 *                                       threads (hex bit mask), whether CUR yielded,
 *                                       the thread picked (only where >= 2 could run);
 *                                       SLEEP (hex, when not 0): the sleep set there
 *   e STEP TID OP PC ADDR SIZE OLD NEW  an event: PC and ADDR are hex offsets from base
 *                                       when inside the executable, else absolute with a
 *                                       '*' prefix; OLD/NEW are the values (decimal)
 *   n TID OP PC ADDR                    at a stop (step mode): TID's next operation
 *   deadlock TID OP ADDR OWNER ...      at a deadlock: every blocked thread, what it
 *                                       waits on and who holds that (-1: nobody)
 *   end STATUS STEPS DECISIONS          how the schedule ended (see enum below) */
#ifndef RACELAB_SCHED_PROTOCOL_H
#define RACELAB_SCHED_PROTOCOL_H

#define SCHED_ENV_SPEC      "RACELAB_SCHED"       /* the schedule: see sched_spec below */
#define SCHED_ENV_TRACE     "RACELAB_SCHED_TRACE" /* path of the trace file */
#define SCHED_ENV_MAX_STEPS "RACELAB_SCHED_MAX_STEPS"
/* Server mode (RACELAB_SCHED_SERVER=1): the program stops before main and serves
 * schedules: it reads "SPEC<TAB>TRACE<TAB>RESULT\n" on fd 4, forks, and the child runs
 * main under SPEC, its trace in TRACE and its result record in RESULT (as fd 3); the
 * server answers "exit N\n" or "signal N\n" on fd 5 and reads the next request. A fork
 * costs a fraction of an exec, so exploring is several times faster. */
#define SCHED_ENV_SERVER    "RACELAB_SCHED_SERVER"
#define SCHED_SERVER_IN_FD  4
#define SCHED_SERVER_OUT_FD 5
#define SCHED_RESULT_FD     3

/* Exit statuses of a scheduled program that the scheduler itself ends. */
#define SCHED_EXIT_DEADLOCK  86 /* nobody can run: the trace's deadlock lines say why */
#define SCHED_EXIT_STEPLIMIT 87 /* more steps than RACELAB_SCHED_MAX_STEPS (a livelock) */
#define SCHED_EXIT_STOPPED   88 /* step mode: stopped at the asked decision */
#define SCHED_EXIT_BADSPEC   89 /* RACELAB_SCHED could not be read */
#define SCHED_EXIT_COVERED                                                                         \
	90 /* every thread that could run sleeps (sleep.c): the rest of                            \
	    * this schedule is one already run, in another order */

#define SCHED_MAX_THREADS       64 /* threads one schedule can hold (a bit mask each) */
#define SCHED_DEFAULT_MAX_STEPS 200000

/* Operations, as the trace names them. */
#define SCHED_OPS(X)                                                                               \
	X(LOAD, "load")                                                                            \
	X(STORE, "store")                                                                          \
	X(RMW, "rmw")                                                                              \
	X(ATOMIC_LOAD, "atomic-load")                                                              \
	X(ATOMIC_STORE, "atomic-store")                                                            \
	X(LOCK, "lock")                                                                            \
	X(TRYLOCK, "trylock")                                                                      \
	X(UNLOCK, "unlock")                                                                        \
	X(WAIT, "wait")                                                                            \
	X(SIGNAL, "signal")                                                                        \
	X(BROADCAST, "broadcast")                                                                  \
	X(CREATE, "create")                                                                        \
	X(JOIN, "join")                                                                            \
	X(EXIT, "exit")                                                                            \
	X(YIELD, "yield")                                                                          \
	X(ALLOC, "alloc") /* a heap block's life begins: ADDR, SIZE bytes (no sync) */

enum sched_op {
#define SCHED_OP_ENUM(name, text) SCHED_OP_##name,
	SCHED_OPS(SCHED_OP_ENUM)
#undef SCHED_OP_ENUM
	    SCHED_OP_COUNT
};

/* How a schedule ended (the trace's end line). */
enum sched_end {
	SCHED_END_EXIT = 0,     /* the program exited by itself */
	SCHED_END_DEADLOCK = 1, /* nobody could run */
	SCHED_END_STEPLIMIT = 2,
	SCHED_END_STOPPED = 3,
	SCHED_END_CRASH = 4,   /* a deadly signal */
	SCHED_END_COVERED = 5, /* cut short: SCHED_EXIT_COVERED */
};

#endif
