/* manifest.h: a lab's lab.manifest, the one place that describes a lab. Pure parser.
 *
 * The grammar (docs/manifest.md): "key = value" lines with the key at column 0, each known
 * key at most once, lists as words separated by blanks on that one line; '#' starts a
 * comment line; blank lines are ignored. Anything else is an error naming file:line.
 * Other readers ask racelab (`racelab manifest LAB KEY`); CMake, which runs before racelab
 * is built, reads the same grammar (cmake/racelab.cmake, checked by tests/style). */
#ifndef RACELAB_MANIFEST_H
#define RACELAB_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "tsan_report.h"

#define MANIFEST_MAX_SOLUTIONS  8
#define MANIFEST_MAX_TSAN_KINDS 8
#define MANIFEST_TEXT           256

/* What a lab's bug does to a run, as the plain build shows it. */
enum symptom_kind {
	SYMPTOM_WRONG_RESULT = 1, /* the result record says symptom */
	SYMPTOM_HANG = 2,         /* the run does not finish within the timeout */
	SYMPTOM_CRASH = 4,        /* the run dies by a signal */
};

/* A lab's Python twin (labs/DIR/python/PROGRAM, solutions/DIR/python/NAME.py), run by
 * `racelab run LAB --python` and judged like the C program, without TSan. */
struct manifest_python {
	char program[128];                /* "lost_update.py"; "" when the lab has no twin */
	char args[MANIFEST_TEXT];         /* plain runs */
	char compare_args[MANIFEST_TEXT]; /* the cost table's runs; default: args */
	int runs;                         /* 0: the lab's runs */
	double timeout_s;                 /* 0: the lab's timeout */
	double symptom_rate;              /* share of the twin's plain runs that must show it */
	char solutions[MANIFEST_MAX_SOLUTIONS][32];
	int n_solutions;
};

struct manifest {
	int id;        /* 3 */
	char slug[64]; /* "lost-update" */
	char title[MANIFEST_TEXT];
	char topic[MANIFEST_TEXT];
	char program[128];                 /* source file in the lab's folder */
	char extra_sources[MANIFEST_TEXT]; /* more files of the lab's folder that the lab and
	                                    * its solutions are built from, space-separated */
	char plain_cflags[128];
	char args[MANIFEST_TEXT];         /* plain runs */
	char tsan_args[MANIFEST_TEXT];    /* TSan runs (smaller) */
	char compare_args[MANIFEST_TEXT]; /* the cost table's runs of lab and solutions; default:
	                                   * args (smaller when a fix is much slower) */
	char cost_unit[32];               /* "requests": the cost table also shows requests per
	                                   * second (1 / time per operation); "": only the time */
	char size_knob[32];               /* the knob of args that scales the work linearly
	                                   * ("--iterations"); "" none (sizing.h) */
	int work_ms;                      /* with size_knob: a plain run whose work would take
	                                   * longer is run smaller, to about this many ms */
	int runs;                         /* plain runs by default */
	double timeout_s;                 /* per run */
	int stall_ms;                     /* > 0: a run whose threads all wait on locks with no
	                                   * CPU progress for this long is a HANG (deadlock),
	                                   * found without waiting for the timeout */
	int symptoms;                     /* enum symptom_kind bits */
	double symptom_rate;              /* share of plain runs that must show it */
	enum tsan_kind tsan_expect[MANIFEST_MAX_TSAN_KINDS];
	int n_tsan_expect; /* 0: TSan is expected to be silent (say why in text) */
	char solutions[MANIFEST_MAX_SOLUTIONS][32];
	int n_solutions;
	bool solutions_clean;
	/* Controlled schedules (racelab explore; labkit/sched): */
	bool sched;                       /* "sched = yes": a -sched build exists */
	char sched_reason[MANIFEST_TEXT]; /* "sched = no: why" (I/O, the network, timing) */
	char sched_args[MANIFEST_TEXT];   /* small sizes for schedules: 2 threads x 3 */
	int sched_budget;                 /* schedules explore may take to find the bug */
	int sched_depth;                  /* PCT depth explore uses by default (2) */
	struct manifest_python python;    /* keys python, python_args, ... (python_twin.h) */
};

/* Parses text into *out. Returns 0, or -1 with a one-line reason in err, prefixed with
 * "NAME:LINE: " (name may be NULL: "line 7: "): "unknown key 'foo' ...", "'id' given twice
 * (first on line 3)", "missing key 'id'". */
int manifest_parse(const char *name, const char *text, size_t len, struct manifest *out, char *err,
                   size_t err_cap);

/* The i-th known key's name, in the table's order; NULL past the last. */
const char *manifest_key_name(size_t i);

/* The value of key in m as the manifest grammar writes it, defaults included ("20" for
 * runs when absent; compare_args is args when absent; tsan_expect "none" when empty).
 * Returns 0, or -1 for an unknown key. */
int manifest_value(const struct manifest *m, const char *key, char *out, size_t cap);

/* "wrong-result", "hang", "crash" joined with '/', for people. Static storage. */
const char *manifest_symptom_text(int symptoms);

#endif
