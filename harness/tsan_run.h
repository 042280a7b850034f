/* tsan_run.h: runs a ThreadSanitizer build with its reports kept apart from the program's
 * own output, and turns them into findings.
 *
 * TSAN_OPTIONS are set on purpose: log_path (reports go to files, not the program's
 * stderr), color=never, atexit_sleep_ms=50 (the default 1 s would dominate every run),
 * second_deadlock_stack=1 (both stacks of a lock-order inversion), exitcode=66, and the
 * symbolizer's path when we find one. A user's own TSAN_OPTIONS come first; ours win.
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
	char hang_note[400];       /* why that diagnosis is partial */
};

/* Runs argv (argv[0] a TSan build) once with the given timeout. stall_ms > 0: a run whose
 * threads all block for that long is stopped at once and diagnosed (a real deadlock under
 * TSan prints no report); source_dir shortens paths in that diagnosis (may be NULL). Fills
 * *out (zeroed first); returns 0 when it ran, -1 when it could not (out->error says why). */
int tsan_run(char *const *argv, double timeout_s, int stall_ms, const char *source_dir,
             struct tsan_outcome *out);

void tsan_outcome_free(struct tsan_outcome *out);

/* Does the file at path look like a ThreadSanitizer build (it carries __tsan_init)? */
bool tsan_is_instrumented(const char *path);

#endif
