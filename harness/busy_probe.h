/* busy_probe.h: the samples busy.h decides on, read from the running system. */
#ifndef RACELAB_BUSY_PROBE_H
#define RACELAB_BUSY_PROBE_H

#include <sys/types.h>

#include "busy.h"

/* Fills *out: now (CLOCK_MONOTONIC), the machine's busy CPU time (/proc/stat), the CPU time
 * of process pid (its process CPU clock: all its threads, in nanoseconds) and the time its
 * threads waited to run (schedstat); pid <= 0: those two are 0.
 * Returns 0, or -1 when /proc/stat cannot be read (then machine_s and ncpus are 0). */
int busy_probe_sample(pid_t pid, struct cpu_sample *out);

/* The three load averages of /proc/loadavg into avg; -1 each when it cannot be read. */
void busy_probe_loadavg(double avg[3]);

/* Parses the first line of /proc/stat ("cpu  user nice system idle iowait irq softirq
 * steal ...") and counts its "cpuN" lines: busy ticks (all but idle and iowait) and CPUs.
 * Pure; exposed for tests. Returns 0, or -1 when the text does not parse. */
int busy_parse_proc_stat(const char *text, unsigned long long *busy_ticks, int *ncpus);

#endif
