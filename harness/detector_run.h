/* detector_run.h: runs a program once under one race detector (detector.h) and reads its
 * report into findings. clang's and gcc's TSan go through tsan_run.h; Helgrind and DRD run
 * the plain build as `valgrind --tool=T --xml=yes --xml-file=F` (valgrind_parse.h), with
 * the program's output kept apart from the report. */
#ifndef RACELAB_DETECTOR_RUN_H
#define RACELAB_DETECTOR_RUN_H

#include <stdbool.h>

#include "detector.h"
#include "tsan_report.h"

struct detector_outcome {
	enum detector detector;
	bool ran;                  /* the program ran under the detector and its report was read */
	char error[400];           /* why not (when !ran): no valgrind, no -tsan-gcc build, ... */
	double wall_s;             /* how long the run took, start to end */
	struct tsan_report report; /* findings, deduplicated, with counts */
	char not_clean[200];       /* why a run without findings is not clean; "" otherwise */
};

/* Runs argv under detector d and fills *out (zeroed first). For TSan detectors argv[0] is
 * the instrumented program; for valgrind ones the plain program (valgrind is found on
 * PATH). timeout_s bounds the run (a run past it is stopped and not_clean says so).
 * Returns 0 when it ran, -1 when it could not (out->error says why). */
int detector_run(enum detector d, char *const *argv, double timeout_s,
                 struct detector_outcome *out);

/* Did the detector run to its end and find nothing? */
bool detector_outcome_clean(const struct detector_outcome *out);

void detector_outcome_free(struct detector_outcome *out);

#endif
