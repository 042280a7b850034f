/* report.h: an experiment reported for people (text) and for programs (JSON; the schema
 * is docs/json-report.md). Reports only read the experiment. */
#ifndef RACELAB_REPORT_H
#define RACELAB_REPORT_H

#include <stdio.h>

#include "experiment.h"
#include "term.h"

void report_text(FILE *out, const struct term *t, const struct experiment *ex);

/* The ThreadSanitizer section of the text report: each finding explained (report_tsan.c). */
void report_text_tsan(FILE *out, const struct term *t, const struct experiment *ex);

/* The JSON report of one experiment, as an object; the caller frames several. */
struct json_writer;
void report_json_experiment(struct json_writer *w, const struct experiment *ex);

/* Writes a whole JSON document {"racelab": version, "experiments": [...]} to path
 * atomically. Returns 0, or -1 with errno set. */
int report_json_file(const char *path, const struct experiment *const *exs, int n);

#endif
