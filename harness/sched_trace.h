/* sched_trace.h: reads the trace a -sched program writes (format in labkit/sched/
 * protocol.h) into arrays. Pure: text in, struct out. */
#ifndef RACELAB_SCHED_TRACE_H
#define RACELAB_SCHED_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

/* An address in the trace: an offset inside the executable (in_exe) or absolute. */
struct sched_addr {
	bool in_exe;
	unsigned long value;
};

struct sched_event {
	long step;
	int tid;
	enum sched_op op;
	struct sched_addr pc; /* value 0: none */
	struct sched_addr addr;
	int size;
	long long old_value; /* a load: the value loaded (old == new) */
	long long new_value; /* create/join: the other thread; signal: the thread woken */
};

struct sched_decision {
	int current;
	uint64_t runnable;
	bool yielding;
	int chosen;
	uint64_t sleep; /* the sleep set there (partial-order reduction), or 0 */
};

struct sched_thread_info {
	int tid;
	unsigned long stack_lo, stack_hi;
};

/* A blocked thread at a deadlock, or a thread's next operation at a stop. */
struct sched_waiter {
	int tid;
	enum sched_op op;
	struct sched_addr addr;
	int owner; /* deadlock: who holds it (-1: nobody); stop: 1 when runnable */
	struct sched_addr pc;
};

struct sched_trace {
	struct sched_event *events;
	size_t n_events;
	struct sched_decision *decisions;
	size_t n_decisions;
	struct sched_thread_info threads[SCHED_MAX_THREADS];
	int n_threads;
	struct sched_waiter waiters[SCHED_MAX_THREADS]; /* deadlock lines */
	int n_waiters;
	struct sched_waiter next[SCHED_MAX_THREADS]; /* stop: each live thread's next op */
	int n_next;
	bool ended;
	enum sched_end end;
	long steps, n_decided;
};

/* Parses len bytes. Returns 0, or -1 when text is not a trace (no "v 1" line) or memory
 * runs out. Malformed lines are skipped. Free with sched_trace_free. */
int sched_trace_parse(const char *text, size_t len, struct sched_trace *out);
void sched_trace_free(struct sched_trace *t);

/* "load", "store", ...; NULL for an unknown name / -1. */
const char *sched_op_name(enum sched_op op);
int sched_op_from_name(const char *name);

/* FNV-1a over the events and decisions: two traces with the same hash ran the same way. */
uint64_t sched_trace_hash(const struct sched_trace *t);

/* The choices, as an explicit schedule id "x:0*3.1.2" (the thread picked at each point,
 * runs collapsed) into out. */
void sched_trace_choices_id(const struct sched_trace *t, char *out, size_t cap);

#endif
