/* sched_run.h: runs a -sched program under one schedule and says what happened: the
 * program's result record, how the schedule ended, and its trace. */
#ifndef RACELAB_SCHED_RUN_H
#define RACELAB_SCHED_RUN_H

#include <stdbool.h>

#include "result_channel.h"
#include "sched_trace.h"

enum sched_outcome_kind {
	SCHED_OK,        /* finished, result correct */
	SCHED_WRONG,     /* finished, the result record says symptom */
	SCHED_DEADLOCK,  /* nobody could run */
	SCHED_CRASH,     /* a deadly signal */
	SCHED_STEPLIMIT, /* did not finish within the step limit (a livelock, or too big) */
	SCHED_STOPPED,   /* step mode: stopped where asked */
	SCHED_ERROR,     /* could not run, no result, bad schedule id */
	SCHED_COVERED,   /* cut short: the same as a schedule already run (sleep sets) */
	SCHED_RACE,      /* a data race in the trace (set by the caller: sched_race.h) */
};

struct sched_outcome {
	enum sched_outcome_kind kind;
	struct lab_result result; /* valid when have_result */
	bool have_result;
	int signal;        /* SCHED_CRASH */
	char detail[256];  /* SCHED_ERROR: why; otherwise empty */
	char output[2048]; /* the program's own output (start of it) */
	struct sched_trace trace;
	size_t race_first, race_second; /* SCHED_RACE: the two accesses, events' indexes */
};

/* Runs program with the words of args under spec ("pct:d2:s1:n3", "x:0*2.1", "fifo").
 * Returns 0 with *out filled (free with sched_outcome_free), -1 when it could not even
 * start (out->detail says why). max_steps <= 0: the runtime's default. no_result: the
 * program writes no result record (not a lab's): any exit is SCHED_OK, whatever its
 * status; only deadlock, crash and step limit are bugs (and a data race, for the caller). */
int sched_run_one(const char *program, const char *args, const char *spec, long max_steps,
                  bool no_result, struct sched_outcome *out);

void sched_outcome_free(struct sched_outcome *out);

/* A -sched program started once in server mode (labkit/sched/protocol.h): each schedule
 * is a fork of it, stopped before main, instead of a new exec. */
struct sched_server {
	int pid;        /* the server, leader of its process group; 0: not running */
	int to;         /* its requests */
	int from;       /* its replies */
	bool no_result; /* as sched_run_one's; set by the caller after sched_server_start */
};

/* Starts program with the words of args as a server. Returns 0, or -1 with errno. */
int sched_server_start(struct sched_server *s, const char *program, const char *args);

/* Like sched_run_one, through the server. A schedule that takes longer than 20 s kills the
 * server (the next call returns -1). */
int sched_server_run(struct sched_server *s, const char *spec, struct sched_outcome *out);

void sched_server_stop(struct sched_server *s);

/* True when the outcome shows a bug: wrong result, deadlock, crash or livelock. */
bool sched_outcome_is_bug(const struct sched_outcome *out);

/* "wrong result", "deadlock", ... for people. */
const char *sched_outcome_name(enum sched_outcome_kind kind);

#endif
