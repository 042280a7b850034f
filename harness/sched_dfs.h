/* sched_dfs.h: exhaustive search of the schedules with at most K preemptions (CHESS's
 * iterative context bounding, stateless: each schedule is a fresh run). Pure.
 *
 * Each run follows a prefix of choices, then the default (no preemption), and reports
 * every point where two or more threads could run (sched_trace's decisions). The search
 * keeps, for each point of the current path, what was tried; the next prefix changes the
 * deepest point that still has an untried thread within the bound. A preemption is a
 * switch away from a thread that could go on and did not yield.
 *
 * With partial-order reduction (por: the runs have points only at synchronisation,
 * labkit/sched/strategy.h's sync:), there is no bound: every order of the synchronisation
 * is tried once, up to the order of steps that commute. At each point the search skips
 * the threads asleep there (labkit/sched/sleep.c) and, when it tries another thread,
 * passes the run the threads already tried there, which the runtime keeps asleep while
 * what runs commutes with them. A loop that retries (a trylock's back-off) gives schedules
 * without end when nothing bounds the preemptions: the search stops at the first schedule
 * longer than SCHED_DFS_MAX_DEPTH points, or when the caller sees a retry (sched_dfs_cut),
 * and says so (cut). */
#ifndef RACELAB_SCHED_DFS_H
#define RACELAB_SCHED_DFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sched_trace.h"

struct sched_dfs_node {
	struct sched_decision d; /* what the run saw, and the thread picked */
	uint64_t tried;          /* threads picked at this point so far */
};

struct sched_dfs {
	int bound;                   /* K */
	bool por;                    /* partial-order reduction, no bound */
	struct sched_dfs_node *path; /* the current schedule's points */
	size_t n_path, cap;
	size_t prefix;  /* how many of path the next run must follow */
	uint64_t sleep; /* por: the sleep set to pass with the next prefix */
	long schedules; /* runs recorded so far */
	bool cut;       /* stopped: a retry, or a schedule too long (above) */
};

#define SCHED_DFS_MAX_DEPTH 500

/* bound: K, ignored with por. */
void sched_dfs_init(struct sched_dfs *s, int bound, bool por);
void sched_dfs_free(struct sched_dfs *s);

/* Records the decisions of the run that followed the last prefix. Returns 0, or -1 when
 * memory runs out or the run did not follow the prefix (the program is not deterministic). */
int sched_dfs_record(struct sched_dfs *s, const struct sched_decision *d, size_t n);

/* Stops the search: it cannot be complete (the run just recorded retried in a loop). */
void sched_dfs_cut(struct sched_dfs *s);

/* Moves to the next schedule: false when every one within the bound has been run. */
bool sched_dfs_next(struct sched_dfs *s);

/* The next run's schedule id ("x:..." choices; with por, "sync:x:...:zMASK") into out. */
void sched_dfs_prefix_id(const struct sched_dfs *s, char *out, size_t cap);

/* Whether decision d, picking chosen, is a preemption. */
bool sched_dfs_is_preemption(const struct sched_decision *d, int chosen);

#endif
