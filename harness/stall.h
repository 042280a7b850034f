/* stall.h: notices a deadlocked process while it is still running. A process is stalled
 * when every one of its threads sleeps in a futex wait (a mutex, a condition variable, a
 * join) and their CPU time has not grown for a while: nothing can wake any of them. */
#ifndef RACELAB_STALL_H
#define RACELAB_STALL_H

#include <stdbool.h>
#include <sys/types.h>

struct stall_watch {
	pid_t pid;
	double stall_s;         /* how long the condition must hold */
	double since;           /* when it was first seen to hold; < 0: it does not */
	unsigned long long cpu; /* the threads' CPU ticks at the last sample */
};

void stall_watch_init(struct stall_watch *w, pid_t pid, int stall_ms);

/* Samples /proc/PID/task now (at time now, seconds). Returns true once every thread has
 * been blocked in a futex with no CPU progress for at least stall_s. */
bool stall_watch_sample(struct stall_watch *w, double now);

/* One task's /proc stat line and wchan: is it asleep in a futex, and its CPU ticks. Pure;
 * exposed for tests. Returns false when the line cannot be parsed. */
bool stall_parse_task(const char *stat_line, const char *wchan, bool *blocked,
                      unsigned long long *cpu_ticks);

#endif
