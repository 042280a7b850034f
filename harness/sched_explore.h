/* sched_explore.h: runs schedules of a -sched program until one shows a bug or the budget
 * ends: random walks, PCT, or every schedule with at most K preemptions. */
#ifndef RACELAB_SCHED_EXPLORE_H
#define RACELAB_SCHED_EXPLORE_H

#include <stdbool.h>

#include "sched_run.h"

/* EXPLORE_POR: every order of the synchronisation, up to steps that commute (sched_dfs.h),
 * points only at synchronisation, each run checked for a data race (sched_race.h). */
enum sched_strategy { EXPLORE_RANDOM, EXPLORE_PCT, EXPLORE_EXHAUSTIVE, EXPLORE_POR };

struct sched_explore_spec {
	const char *program; /* the -sched build */
	const char *args;    /* its arguments (the manifest's sched_args) */
	enum sched_strategy strategy;
	int depth;       /* PCT */
	int preemptions; /* exhaustive: K */
	long budget;     /* schedules at most */
	unsigned long long seed;
	bool no_result;              /* the program writes no result record (sched_run_one) */
	struct sched_server *server; /* set by sched_explore itself: NULL */
};

struct sched_explore_result {
	long schedules; /* run */
	long covered;   /* por: of them, cut short as the same as one run before */
	bool found;     /* a schedule showed a bug: outcome is it */
	bool complete;  /* exhaustive, por: every schedule (within the bound) was run */
	bool cut;       /* por: not complete: schedules longer than SCHED_DFS_MAX_DEPTH */
	bool error;     /* a run failed (outcome.detail says why) */
	long steps;     /* PCT's K: points of the first (default) schedule */
	char id[4200];  /* the schedule that showed it, replayable */
	double seconds;
	struct sched_outcome outcome; /* the bug's run (or the error's) */
};

/* o ran with points only at synchronisation: a data race in its trace makes it
 * SCHED_RACE (the two accesses in race_first, race_second). */
void sched_explore_check_race(struct sched_outcome *o);

/* Explores; fills *out (free with sched_explore_free). Returns 0, -1 on an error. */
int sched_explore(const struct sched_explore_spec *spec, struct sched_explore_result *out);
void sched_explore_free(struct sched_explore_result *out);

/* The runtime's spec of the id: "pct:d2:s7:n13" gains ":kK" (the count a default
 * schedule measured, steps); others are passed as they are. */
void sched_explore_runtime_spec(const char *id, long steps, char *out, size_t cap);

/* Measures K: the points of the default schedule (at least 1). -1 when it cannot run. */
long sched_explore_measure_steps(const char *program, const char *args, bool no_result,
                                 struct sched_outcome *scratch);

#endif
