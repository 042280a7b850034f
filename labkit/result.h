/* result.h: what a run of a lab observed, reported twice: a line for the person watching,
 * and a record on the result channel the harness reads. The channel is a file descriptor
 * the harness names in RACELAB_RESULT_FD, apart from stdout and stderr, so nothing the
 * program prints can corrupt it. Outside the harness only the line is printed. */
#ifndef RACELAB_RESULT_H
#define RACELAB_RESULT_H

#include <stdbool.h>

struct rl_result {
	const char *what;  /* what observed measures: "counter", "total balance", ... (the
	                    * record keeps its first 63 bytes, line breaks made spaces) */
	double observed;   /* what this run produced */
	double expected;   /* what a correct program produces */
	bool symptom;      /* this run showed the bug */
	bool inconclusive; /* this run cannot judge (a timing lab on one CPU): say why in a
	                    * line of output; the harness reports "cannot judge", not a failure */
	long long ops;     /* operations done in the timed work (0: not timed) */
	long long work_ns; /* wall time of the timed work, from rl_clock_ns() */
};

/* Monotonic time in nanoseconds. */
long long rl_clock_ns(void);

/* Adds a named number to the record (at most 16 per run; names without spaces), e.g.
 * meals per philosopher or a speedup. Printed and sent with the result. */
void rl_result_metric(const char *name, double value);

/* Prints "counter: observed X, expected Y" (and the verdict of this run) on stdout and
 * writes the record to the result channel, if there is one. Call once, at the end. */
void rl_result_report(const struct rl_result *result);

#endif
