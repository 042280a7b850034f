/* sizing.h: plain runs sized to their measured cost.
 *
 * A lab's plain runs are sized (args) so that the unsynchronised threads overlap for some
 * milliseconds: long enough for the race to show. A fix that takes a lock per operation
 * costs 10-100x as much per operation, so the same size takes seconds a run, and a student
 * waits half a minute for a verdict. What makes the bug show is time spent overlapping,
 * not a count, so a lab that names its size knob (manifest: size_knob, work_ms) gets a probe
 * run of 1/SIZING_PROBE_DIVISOR of the size first; when a full run would cost more than
 * work_ms on each of SIZING_CPUS CPUs, the runs are made smaller, to about that each.
 * The cost is the probe's CPU time, not its wall time: a busy machine stretches wall time
 * (measured: lab 3 at load 20 read 0.4 s for a 15 ms run and was cut to 1/9, and its
 * threads then overlapped too little to lose updates), CPU time much less. The number of runs
 * does not change, and each run still overlaps for about work_ms: a fix that loses updates
 * keeps about the chance to show it that the lab's own runs have (scripts/bench measures
 * it on tests/wrong-fixes). Pure: text in, numbers out. */
#ifndef RACELAB_SIZING_H
#define RACELAB_SIZING_H

#include <stdbool.h>
#include <stddef.h>

/* The probe run does this fraction of the full size. */
#define SIZING_PROBE_DIVISOR 16
/* work_ms is wall time with the lab's threads on this many CPUs: the CPU budget of a run
 * is SIZING_CPUS x work_ms. */
#define SIZING_CPUS 2

/* The value of knob in args ("--iterations 5000000" or "--iterations=5000000"); -1 when
 * knob is absent or its value is not a whole number above 0. */
long sizing_knob_value(const char *args, const char *knob);

/* args with knob's value replaced by value, in out. Returns 0, or -1 when knob is absent
 * or out is too small. */
int sizing_set_knob(const char *args, const char *knob, long value, char *out, size_t cap);

/* The size for a run of about work_ms, from a probe of probe_size that used probe_cpu_ns of
 * CPU (all its threads): full when a full-size run would fit in SIZING_CPUS x work_ms of CPU
 * (or the probe measured nothing), otherwise smaller in proportion, at least 1. */
long sizing_scaled(long full, long probe_size, long long probe_cpu_ns, int work_ms);

#endif
