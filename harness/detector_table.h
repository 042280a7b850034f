/* detector_table.h: the side-by-side table of `--detector all`: each finding once, which
 * detectors saw it, and the time each detector's run took. Building it is pure; printing
 * writes to a FILE. */
#ifndef RACELAB_DETECTOR_TABLE_H
#define RACELAB_DETECTOR_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "detector_run.h"

#define DETECTOR_TABLE_MAX_ROWS 32

struct detector_table_row {
	struct tsan_finding finding; /* as the first detector that saw it reported it */
	int count[DETECTOR_COUNT];   /* reports of it per detector; 0: not seen */
};

struct detector_table {
	struct detector_table_row rows[DETECTOR_TABLE_MAX_ROWS];
	int n_rows;
	int n_dropped; /* findings past DETECTOR_TABLE_MAX_ROWS */
	const struct detector_outcome *by[DETECTOR_COUNT]; /* NULL: not asked for */
};

/* Groups the findings of outs[0..n) (one outcome per detector) into rows: two findings are
 * the same when their kinds are equal and they share a source line (file name and line
 * of an access, a titled stack or the main place), as detectors name different lines of
 * the same bug. t keeps pointers to outs. Pure. */
void detector_table_build(const struct detector_outcome *outs, int n, struct detector_table *t);

/* Prints the table: one row per finding ("data race  lost_update.c:26"), a column per
 * detector asked for ("yes", "x3", "-", or "n/a" when it could not run), then the time each
 * took, then why any could not run or was not clean. */
void detector_table_print(FILE *out, const struct detector_table *t);

#endif
