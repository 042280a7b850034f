/* series.h: one program run N times in a row, each run classified, and the series
 * summarised. Runs are sequential on purpose: parallel runs would steal the cores the
 * program's own threads need to race. */
#ifndef RACELAB_SERIES_H
#define RACELAB_SERIES_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "busy.h"
#include "result_channel.h"
#include "runner.h"
#include "stats.h"

enum run_class {
	RUN_OK,      /* finished, result correct */
	RUN_SYMPTOM, /* finished, result wrong: the bug showed */
	RUN_CRASH,   /* died by a signal */
	RUN_HANG,    /* did not finish within the timeout; its process group was killed */
	RUN_ERROR,   /* exited non-zero, or left no result record */
	RUN_BUSY,    /* the machine was too busy to tell (busy.h): still running at
	              * BUSY_CAP_FACTOR x the timeout, starved by other programs all along;
	              * or a timing symptom (result "timing") while others took the CPUs */
	RUN_CLASS_COUNT
};

struct run_record {
	enum run_class cls;
	bool has_result;
	struct lab_result result;
	double wall_s;
	int exit_status; /* when it exited */
	int signal;      /* when it died by a signal; 0 otherwise */
	size_t output_bytes;
	char detail[200]; /* why ERROR or CRASH, for people: "exit status 2: ...", "SIGSEGV ..." */

	/* What the run got of the machine (busy.h). */
	double cpu_s;        /* CPU time it used */
	double others_cpu_s; /* CPU time other programs used meanwhile */
	int ncpus;           /* CPUs of the machine; 0: not measured */
	double extended_s;   /* time it was given past its timeout, the machine being busy */
};

#define SERIES_MAX_DISTINCT 8
/* A series stops once this many runs were too busy to judge (RUN_BUSY). */
#define SERIES_BUSY_STOP 2

struct series {
	char label[40]; /* "lab", a solution's name, or "program" */
	char program[PATH_MAX];
	char args[256]; /* as given, for people */
	struct run_record *runs;
	size_t n_runs;
	size_t counts[RUN_CLASS_COUNT];
	size_t symptom_runs;      /* runs whose class is one of the declared symptoms */
	size_t inconclusive_runs; /* runs whose record says they could not judge */
	bool have_values;         /* at least one run left a result record */
	char what[64];            /* what the value measures ("counter") */
	double expected;
	struct stats values; /* observed values of runs with a record */
	struct value_count distinct[SERIES_MAX_DISTINCT];
	long n_distinct;
	struct stats wall;         /* seconds per run, every run */
	char *hang_diagnosis;      /* where the threads of the first deadlocked run waited and the
	                            * cycle or lost wake-up they form (hang_diagnosis.h), malloc'd;
	                            * NULL when no run stalled */
	char *hang_diagnosis_text; /* the same in the reader's language; NULL in English */
	char hang_note[400];       /* why the diagnosis is partial (no gdb, attach refused) */
	double hang_named_after_s; /* first deadlocked run: seconds from the first sample
	                            * that saw every thread blocked to the named cycle */
	double hang_shown_after_s; /* the same, to the diagnosis with gdb's file:line */
	size_t runs_planned;       /* runs asked for; n_runs < runs_planned after a fail-fast */
	size_t same_hangs;         /* when the series stopped early: deadlocked runs alike */
	bool have_cost;
	struct stats ns_per_op; /* work_ns / ops of runs that timed their work */
	bool stopped;           /* stop_at_hang ended the series at a run that hung or was
	                         * killed by a limit (perhaps its last) */
	struct busy_load load;  /* how busy the machine was while the runs ran */
	char stopped_note[120]; /* why the series ran fewer runs than asked; "" when it did not */
	char stopped_note_text[240]; /* the same in the reader's language (the text report) */
};

typedef void series_progress_fn(void *ctx, const struct series *s, size_t done, size_t total);

struct series_options {
	int runs;
	double timeout_s;
	int symptoms;              /* enum symptom_kind bits: which classes count as the symptom */
	bool require_result;       /* a run without a result record is an ERROR */
	size_t capture_limit;      /* bytes of output kept per run */
	char *const *env_extra;    /* "NAME=value" set for each run; may be NULL */
	int stall_ms;              /* > 0: deadlocked runs are stopped early and diagnosed */
	bool tsan_build;           /* the program is a TSan build (stall.h ignores its runtime) */
	int stop_after_same_hangs; /* > 0: after this many runs deadlocked alike
	                            * (stall_same_shape), the rest are not run */
	bool no_aslr;              /* run with address randomisation off (a TSan build needed it) */
	const char *source_dir;    /* for relative paths in the diagnosis */
	bool stop_at_hang;         /* stop at the first run that hangs or is killed by a limit
	                            * (SIGKILL, SIGXCPU, SIGXFSZ): racelab run --fail-fast */
	bool hard_timeout;         /* timeout_s is a hard limit (the user's --timeout): no more
	                            * time for a run the busy machine starves (busy.h) */
	double settle_s;           /* > 0: once the runs so far took this long and
	                            * settle_symptoms of them showed the symptom, the verdict is
	                            * settled and the rest are not run (the student's loop) */
	int settle_symptoms;
	series_progress_fn *progress;
	void *progress_ctx;
};

/* Runs argv (argv[0] is the program) opts->runs times and fills *out. Returns 0, or -1 with
 * a reason in err when the program cannot be run at all (missing, not executable). */
int series_run(char *const *argv, const char *label, const struct series_options *opts,
               struct series *out, char *err, size_t err_cap);

/* Classifies one finished run. Pure. */
enum run_class series_classify(const struct run_result *run, const struct lab_result *result,
                               bool has_result, bool require_result, char *detail, size_t cap);

/* The student's loop's settle rule into s (settle_s, settle_symptoms,
 * stop_after_same_hangs), or none when !settle: the C lab's and the Python twin's plain runs
 * stop alike. */
void series_settle_options(bool settle, struct series_options *s);

/* Is the verdict settled early (series_options.settle_s)? Says so in s->stopped_note.
 * elapsed_s: the runs' time so far. Pure. */
bool series_settled(struct series *s, const struct series_options *opts, double elapsed_s);

/* Should a series stop here? Once SERIES_BUSY_STOP runs were too busy to judge, the rest
 * would be no fairer, and each may cost BUSY_CAP_FACTOR x the timeout. Then says so in
 * s->stopped_note. Pure. */
bool series_too_busy_to_go_on(struct series *s);

/* Recomputes counts and statistics from out->runs. Pure. */
void series_summarise(struct series *s, int symptoms);

void series_free(struct series *s);

/* Fills *rec (zeroed first) from one finished run: its result record, class and status. */
void series_record(struct run_record *rec, const struct run_result *rr, bool require_result);

/* Was this run killed by a limit: a CRASH by SIGKILL, SIGXCPU or SIGXFSZ (a sandbox's
 * memory, CPU or file-size limit)? The one definition (the JSON carries it: grading reads
 * it there). Pure. */
bool series_run_killed_by_limit(const struct run_record *rec);

/* Does this run end a series that stops at its first hang (a hang, or a kill by a
 * limit)? Pure. */
bool series_run_is_hang_or_kill(const struct run_record *rec);

/* The arguments after argv[0], joined by spaces, for people. */
void series_join_args(char *const *argv, char *out, size_t cap);

/* Runs that went wrong: a wrong result, a hang or a crash (not an ERROR: no result; not
 * BUSY: not judged). The one definition of "bad runs" (verdicts, tables). Pure. */
size_t series_bad_runs(const struct series *s);

/* "OK", "SYMPTOM", "CRASH", "HANG", "ERROR", "BUSY". */
const char *run_class_name(enum run_class cls);

#endif
