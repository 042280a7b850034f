/* python_twin.h: a lab's Python twin, run and judged like the C program.
 *
 * A lab whose manifest has `python = FILE.py` has a twin in labs/DIR/python/ (and Python
 * solutions in solutions/DIR/python/NAME.py, named by `python_solutions`). racelab runs
 * it with the Debian interpreter through the same series, statistics, histogram, cost
 * table and verdict as the C program; the twin reports on the same result channel
 * (labkit/python/racelab_kit.py). ThreadSanitizer does not apply: it checks C code built
 * with -fsanitize=thread, and the twin's races are between Python bytecodes. */
#ifndef RACELAB_PYTHON_TWIN_H
#define RACELAB_PYTHON_TWIN_H

#include <stdbool.h>
#include <stddef.h>

#include "experiment.h"

/* The interpreter that runs twins: $RACELAB_PYTHON, else /usr/bin/python3 (Debian's),
 * else python3 on PATH. Writes its path to out; returns 0, or -1 when there is none. */
int python_twin_interpreter(char *out, size_t cap);

/* The twin's source (solution NULL) or a Python solution's, relative to the tree:
 * "labs/03-lost-update/python/lost_update.py", "solutions/03-lost-update/python/lock.py".
 * Pure. */
void python_twin_source(const struct lab_entry *lab, const char *solution, char *out, size_t cap);

/* Does the lab have a Python solution of that name? Pure. */
bool python_twin_has_solution(const struct manifest *m, const char *name);

/* The twin's Python solutions as one list into out: "no-await, async-lock" ("" when it has
 * none). Returns false (out "") when the lab has no twin. Pure. */
bool python_twin_solutions_text(const struct manifest *m, char *out, size_t cap);

/* Runs the twin (solution NULL) or one of its Python solutions: plain runs, no TSan, and
 * the cost table when opts->compare_runs. Returns 0 when it could be judged, -1 with a
 * reason in err when it could not run at all (no twin, no interpreter, no such solution). */
int python_twin_run(struct experiment *ex, const struct catalogue *cat, const struct lab_entry *lab,
                    const char *solution, const struct experiment_options *opts, char *err,
                    size_t err_cap);

#endif
