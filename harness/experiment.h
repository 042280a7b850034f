/* experiment.h: everything racelab does to one lab (or one solution, or any program):
 * the plain runs, the TSan run, the solutions' runs for comparison, and the verdict with
 * its evidence. The reports (report_text.c, report_json.c) only read this. */
#ifndef RACELAB_EXPERIMENT_H
#define RACELAB_EXPERIMENT_H

#include <stdbool.h>

#include "catalogue.h"
#include "lab_advice.h"
#include "lab_text.h"
#include "series.h"
#include "tsan_run.h"
#include "verdict.h"

/* One comparison row: a solution run a few times beside the lab, for its cost. */
struct comparison {
	char name[32];
	struct series plain;
};

struct experiment {
	/* What was run. lab is NULL for --exec. */
	const struct catalogue *cat;
	const struct lab_entry *lab;
	const char *solution;  /* NULL: the lab itself */
	bool python;           /* the lab's Python twin (python_twin.h): TSan does not apply */
	char source[PATH_MAX]; /* the source file, relative to the tree, for people */
	char compiler[64];     /* --exec: who built the program ("Clang 14.0.6"); "" unknown */
	struct series plain;
	char sizing_note[240]; /* why the plain runs are smaller than the manifest's (sizing.h);
	                        * "" when they are not */
	char sizing_note_text[600]; /* the same in the reader's language (the text report) */
	bool tsan_wanted;
	bool tsan_available; /* a TSan build exists for this program */
	char tsan_args[256];
	struct tsan_outcome tsan;
	struct lab_advice advice;      /* the lab's own advice per TSan kind, English (JSON) */
	struct lab_advice advice_text; /* the same in the reader's language (advice.ru.txt) */
	struct lab_text text;          /* title and topic in the reader's language; "" in English */
	struct comparison *comparisons;
	int n_comparisons;
	enum verdict verdict;
	char evidence[1200];      /* one or two lines saying why, in English (JSON, JUnit); room
	                           * for the reader's language while verdict.c judges in it */
	char evidence_text[1200]; /* the same in the reader's language (i18n.h) */
	/* For `check`: did the lab show what its manifest declares? */
	bool symptom_rate_holds;
	bool tsan_kinds_found;
	bool cannot_judge;     /* every run said it could not judge here (one CPU) */
	bool machine_too_busy; /* other programs took so much CPU (or starved a run to its cap)
	                        * that a missing symptom or an unfinished run proves nothing */
};

struct experiment_options {
	int runs;              /* 0: the manifest's */
	int threads;           /* 0: the manifest's */
	double timeout_s;      /* 0: the manifest's */
	const char *args;      /* NULL: the manifest's */
	const char *tsan_args; /* NULL: the manifest's */
	const char *program;   /* NULL: the catalogue's build; else judged as the lab's program */
	bool no_tsan;
	int max_runs;     /* > 0: no series runs more often (RACELAB_MAX_RUNS: smoke tests of the
	                   * commands the texts show); 0: no cap */
	bool settle;      /* the student's loop: the plain runs stop once the verdict is settled (a
	                   * symptom shown in a few runs after half a second, or two runs
	                   * stuck alike); the verdict is the same, only the rate is less precise */
	bool python;      /* run the lab's Python twin (or a Python solution) instead */
	int compare_runs; /* runs of each solution for the cost table; 0: none */
	bool fail_fast;   /* the plain runs stop at the first hang or limit kill, and then
	                   * nothing more runs (no TSan run, no cost table) */
	series_progress_fn *progress;
	void *progress_ctx;
};

/* Why an experiment could not run at all (experiment_run_lab's negative returns). */
enum experiment_failure {
	EXPERIMENT_CANNOT_RUN = -1,       /* not built, program missing, advice unreadable... */
	EXPERIMENT_NO_SUCH_SOLUTION = -2, /* the lab has no solution of that name (usage) */
};

/* Runs a lab (solution == NULL) or one of its solutions. Returns 0 when it could be judged
 * (whatever the verdict), or an enum experiment_failure with a reason in err when it could
 * not run at all. */
int experiment_run_lab(struct experiment *ex, const struct catalogue *cat,
                       const struct lab_entry *lab, const char *solution,
                       const struct experiment_options *opts, char *err, size_t err_cap);

/* Runs any program (argv[0] is its path; PATH is searched when it has no '/'). A TSan build
 * is also read for findings on its first run. */
int experiment_run_exec(struct experiment *ex, char *const *argv,
                        const struct experiment_options *opts, char *err, size_t err_cap);

void experiment_free(struct experiment *ex);

#endif
