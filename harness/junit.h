/* junit.h: `racelab check` as JUnit XML, so CI systems show each lab and solution. */
#ifndef RACELAB_JUNIT_H
#define RACELAB_JUNIT_H

#include "experiment.h"

/* One <testcase> per lab ("labNN.shows-bug") and per solution ("labNN.solution.NAME"),
 * written atomically to path. Returns 0, or -1 with errno set. */
int junit_write_check(const char *path, const struct experiment *exs, int n);

#endif
