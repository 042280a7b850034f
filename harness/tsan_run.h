/* tsan_run.h: runs a ThreadSanitizer build with its reports kept apart from the program's
 * own output, and turns them into findings.
 *
 * TSAN_OPTIONS are set on purpose: log_path (reports go to files, not the program's
 * stderr), color=never, atexit_sleep_ms=50 (the default 1 s would dominate every run),
 * second_deadlock_stack=1 (both stacks of a lock-order inversion), exitcode=66,
 * handle_abort=1 and handle_sigill=1 (an abort() or a failed assert is reported with its
 * stack, as SEGV, BUS and FPE are by default), and the symbolizer's path when we find one.
 * A user's own TSAN_OPTIONS come first; ours win. The program's output (where start-up
 * failures and a failed assert's message go) and then the logs are parsed as one text.
 *
 * A TSan run is clean only when it ran to its end, exited 0 and reported nothing: a run
 * that ended with TSan's exit code but left nothing we could read has a finding of kind
 * "unknown"; one that ended otherwise (another status, a signal, a timeout) is not clean,
 * and not_clean says why.
 * When TSan fails with "unexpected memory mapping" the run is retried once with address
 * randomisation off, and the outcome says so. */
#ifndef RACELAB_TSAN_RUN_H
#define RACELAB_TSAN_RUN_H

#include <stdbool.h>

#include "series.h"
#include "tsan_report.h"

#define TSAN_EXIT_CODE 66

struct tsan_outcome {
	bool ran;                  /* the program ran under TSan and its logs were read */
	char error[400];           /* why not, one line (when !ran) */
	bool retried_without_aslr; /* the first attempt hit "unexpected memory mapping" */
	struct run_record run;     /* the (last) attempt's class, wall time, exit status */
	struct tsan_report report; /* findings, deduplicated, with counts */
	int raw_reports;           /* WARNING blocks before deduplication */
	char *hang_diagnosis;      /* the run deadlocked (stall_ms): where its threads wait and
	                            * the cycle they form (hang_diagnosis.h); malloc'd or NULL */
	char *hang_diagnosis_text; /* the same in the reader's language; NULL in English */
	char hang_note[400];       /* why that diagnosis is partial */
	double cpu_s;              /* CPU time the (last) attempt used, all threads */
	bool slow;                 /* timed out while still computing: slow under TSan, not hung */
	char not_clean[200];       /* why a run without findings is not clean; "" otherwise */
};

/* Runs argv (argv[0] a TSan build) once with the given timeout. stall_ms > 0: a run whose
 * threads all block for that long is stopped at once and diagnosed (a real deadlock under
 * TSan prints no report); source_dir shortens paths in that diagnosis (may be NULL). Fills
 * *out (zeroed first); returns 0 when it ran, -1 when it could not (out->error says why). */
int tsan_run(char *const *argv, double timeout_s, int stall_ms, const char *source_dir,
             struct tsan_outcome *out);

void tsan_outcome_free(struct tsan_outcome *out);

/* Did TSan run to the end and find nothing (see above)? */
bool tsan_outcome_clean(const struct tsan_outcome *out);

/* A timed-out run that used at least this share of its wall time as CPU time was still
 * computing (slow); below it the process sat waiting, as a deadlocked one does (TSan's
 * background thread wakes every 100 ms but uses next to no CPU). On a crowded machine the
 * share is scaled by what a runnable process could get (cores / load average). */
#define TSAN_PROGRESS_CPU_SHARE 0.1

/* Does the file at path look like a ThreadSanitizer build (it carries __tsan_init)? */
bool tsan_is_instrumented(const char *path);

#endif
