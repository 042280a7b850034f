/* busy.h: a busy machine is not a hang. Tells a run that is slow because other programs
 * take the CPUs from one that is stuck, and a series run on a machine too busy to judge
 * from a fair one. Pure: the samples come from busy_probe.c (or a test's fake clock).
 *
 * The measure is the CPU time the rest of the machine took while the run ran: the CPU time
 * every CPU spent busy (/proc/stat) minus the run's own (its process CPU clock). A lab's
 * own threads, however many, are never "others": a five-thread lab on two CPUs waits for
 * itself, not for the machine. */
#ifndef RACELAB_BUSY_H
#define RACELAB_BUSY_H

#include <stdbool.h>
#include <stddef.h>

/* Others used at least this share of all CPUs: the machine is busy. Quiet here: 0-5%;
 * two `yes` beside a two-thread lab on two CPUs: about 50%. */
#define BUSY_OTHERS_SHARE 0.25
/* A run whose threads ran or waited to run (on a CPU's queue) for at least this share of
 * one CPU in a window wants the CPU: on average half a thread of it was runnable, so it is
 * not asleep on a lock as a deadlocked one is (a TSan build's background thread, waking
 * every 100 ms, stays well below). CPU time alone would not do: a busy machine starves a
 * run to under 1% of a CPU (lab 4's mutex solution yields inside its lock, and waits
 * behind every other runnable program at each yield). */
#define BUSY_MIN_PROGRESS 0.5
/* A starved run is given at most this many times its timeout, in steps of a half. */
#define BUSY_CAP_FACTOR  4.0
#define BUSY_STEP_FACTOR 0.5

/* One look at the machine and at a running (or just ended) program. */
struct cpu_sample {
	double t;            /* monotonic time, seconds */
	double machine_s;    /* CPU-seconds all CPUs have spent busy since boot */
	double child_s;      /* CPU-seconds the program has used since it started */
	double child_wait_s; /* seconds the live threads of its process group have waited on
	                      * a CPU's run queue, plus the CPU time of the group's other
	                      * processes (a TSan build's llvm-symbolizer, forked workers)
	                      * (/proc/PID/task/TID/schedstat); 0 when unknown */
	int child_runnable;  /* threads of the group running or waiting to run (state R) now:
	                      * schedstat counts a wait only once the thread gets the CPU, so
	                      * a thread starved through a whole window shows no wait yet */
	int ncpus;           /* CPUs the machine counts in machine_s */
	int child_threads;   /* live threads of the run's process group: a thread that started
	                      * or ended in a window is progress (and an ended one takes its
	                      * waits out of child_wait_s); 0: not counted (run start) */
};

/* The share (0..1) of all CPUs that other programs used between two samples; 0 when no
 * time passed. May be slightly negative or above 1 on short windows: /proc/stat counts
 * in ticks. */
double busy_others_share(const struct cpu_sample *from, const struct cpu_sample *to);

/* Does the program want the CPU: did it run, or wait to run, for at least
 * BUSY_MIN_PROGRESS of one CPU between the samples, or is a thread of it runnable now, or
 * did a thread start or end meanwhile? */
bool busy_progressing(const struct cpu_sample *from, const struct cpu_sample *to);

enum busy_action {
	BUSY_KILL,    /* not starved (idle machine, or no CPU progress): a real hang */
	BUSY_EXTEND,  /* starved and progressing: wait until d->deadline */
	BUSY_GIVE_UP, /* still starved at the cap: kill it, and say the machine was too busy */
};

/* A run's moving deadline. */
struct busy_deadline {
	double start;           /* when the run started (monotonic seconds) */
	double timeout_s;       /* its own limit */
	double deadline;        /* when to look again: start + timeout_s, then later */
	double extended_s;      /* time added so far */
	struct cpu_sample last; /* the sample at the start of the current window */
};

void busy_deadline_init(struct busy_deadline *d, const struct cpu_sample *start, double timeout_s);

/* The deadline passed; now is a fresh sample. Decides on the window since the last look:
 * a run that made CPU progress while others took at least BUSY_OTHERS_SHARE of the
 * machine gets BUSY_STEP_FACTOR x timeout more (d->deadline moves), up to
 * BUSY_CAP_FACTOR x timeout in all. */
enum busy_action busy_deadline_reached(struct busy_deadline *d, const struct cpu_sample *now);

/* The load a series of runs met. */
struct busy_load {
	double others_cpu_s;   /* CPU-seconds others used while the runs ran */
	double cpu_capacity_s; /* sum over runs of wall time x CPUs */
	double others_share;   /* others_cpu_s / cpu_capacity_s, clamped to 0..1 */
	size_t extended_runs;  /* runs given more time than their timeout */
	size_t busy_runs;      /* runs too busy to judge (class BUSY) */
	int ncpus;             /* CPUs of the machine (0: no run measured) */
	double loadavg[3];     /* /proc/loadavg after the runs; negative: unknown */
};

/* Adds one run (its wall time, the CPU-seconds others used meanwhile, the CPUs) to load,
 * and recomputes others_share. */
void busy_load_add(struct busy_load *load, double wall_s, double others_cpu_s, int ncpus,
                   bool extended, bool busy);

/* Could the machine not give a fair answer? True when others took BUSY_OTHERS_SHARE or
 * more, or a run was too busy to judge. */
bool busy_too_busy(const struct busy_load *load);

/* "other programs used 52% of 2 CPUs; load average 4.10 3.02 2.50; 3 runs given more
 * time": for people, into out. */
void busy_describe(const struct busy_load *load, char *out, size_t cap);

#endif
