/* progress.h: a live progress line on stderr for work that takes more than a second:
 * "  lab3: 7 of 20 runs, 1.4 s". Nothing is drawn when stderr is not a terminal (piped,
 * redirected, TERM=dumb, --quiet: term.h decides), nor during the first second, so quick
 * work leaves no trace. The line has no colour, so NO_COLOR holds by construction.
 * Usage: progress_begin once, progress_update after each unit of work, progress_end before
 * printing anything else on the terminal. */
#ifndef RACELAB_PROGRESS_H
#define RACELAB_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Nothing is drawn before this many seconds have passed since progress_begin. */
#define PROGRESS_DELAY_S 1.0

struct progress {
	bool on;        /* draw at all: stderr is a terminal (term.h's `progress`) */
	FILE *out;      /* where the line goes: stderr */
	double start_s; /* monotonic clock at progress_begin */
	bool drawn;     /* a line is on the screen now: progress_end clears it */
};

/* Starts the clock. on: whether a line may be drawn (pass term.progress). */
void progress_begin(struct progress *p, bool on);

/* Redraws the line: label, done of total units ("runs", "schedules"), seconds since
 * progress_begin. Draws nothing before PROGRESS_DELAY_S or when p->on is false. */
void progress_update(struct progress *p, const char *label, size_t done, size_t total,
                     const char *units);

/* Clears the line if one was drawn. The clock keeps running. */
void progress_end(struct progress *p);

/* The line's text, "lab3: 7 of 20 runs, 1.4 s", in out. Pure. Returns its length
 * (as snprintf). */
int progress_format(char *out, size_t cap, const char *label, size_t done, size_t total,
                    const char *units, double elapsed_s);

#endif
