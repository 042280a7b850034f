/* cmd_check_sched.h: the schedules section of `racelab check` (cmd_check_sched.c). */
#ifndef RACELAB_CMD_CHECK_SCHED_H
#define RACELAB_CMD_CHECK_SCHED_H

#include "catalogue.h"

/* Prints, for each of labs[0..n) that can be scheduled, whether explore finds its bug and
 * every solution passes the exhaustive search with at most 2 preemptions. Returns the
 * number of labs that failed. */
int check_schedules(const struct catalogue *cat, const struct lab_entry *const *labs, int n);

#endif
