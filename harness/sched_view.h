/* sched_view.h: a schedule's interleaving for people: one column per thread, only the steps
 * that matter (accesses to variables that two threads touch and one writes, and the
 * synchronisation), each with file:line, the operation and the value; long runs of one
 * thread collapsed; the store that loses an update marked. Also the deadlock's wait-for
 * cycle, and the same content as JSON. */
#ifndef RACELAB_SCHED_VIEW_H
#define RACELAB_SCHED_VIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "json_writer.h"
#include "sched_run.h"
#include "sched_symbols.h"
#include "sched_trace.h"

#define SCHED_VIEW_MAX_ROWS 4096

/* One line of the interleaving: an event of the trace, or a collapsed run. */
struct sched_row {
	long event; /* index in trace->events; -1 for a collapsed run */
	int tid;
	long hidden;     /* collapsed: steps not shown */
	long iterations; /* collapsed: how many times the run's first line came round again */
	bool lost;       /* this store loses another thread's update */
};

struct sched_view {
	struct sched_row rows[SCHED_VIEW_MAX_ROWS];
	int n_rows;
	int n_threads;
	long lost_updates; /* stores that lost an update */
	long first_lost;   /* the first one's event index, -1: none */
};

/* Builds the view of trace (rows, marks). Pure. */
void sched_view_build(const struct sched_trace *trace, struct sched_view *view);

/* One event as the text and JSON say it: "store counter = 42" into out. */
void sched_view_event_text(const struct sched_trace *trace, const struct sched_symbols *sym,
                           const struct sched_event *e, char *out, size_t cap);

/* The lost update in words: "T2 stores 42 over T1's 42: one update lost". */
void sched_view_lost_text(const struct sched_trace *trace, const struct sched_symbols *sym,
                          long event, char *out, size_t cap);

void sched_view_print(FILE *out, const struct sched_trace *trace, const struct sched_view *view,
                      const struct sched_symbols *sym);

/* "deadlock: T1 waits for mutex 'a' (held by T2) at x.c:49, T2 waits for ...: each waits
 * for the next, so none can go on." Lines to out; nothing without deadlock lines. */
void sched_view_print_deadlock(FILE *out, const struct sched_trace *trace,
                               const struct sched_symbols *sym);

/* The texts below are in the reader's language (i18n.h); the caller forces English around
 * sched_view_json, whose words are data. */

/* "outcome: wrong result" for the text (sched_outcome_name is the JSON's word). */
const char *sched_view_outcome_text(enum sched_outcome_kind kind);

/* A lab's symptoms as manifest_symptom_text says them ("wrong result / hang"), translated.
 * Returns a static buffer. */
const char *sched_view_symptom_text(int symptoms);

void sched_view_json(struct json_writer *w, const struct sched_trace *trace,
                     const struct sched_view *view, const struct sched_symbols *sym);

#endif
