/* stall.h: notices a deadlocked process while it is still running.
 *
 * A process is stalled when every one of its threads sleeps in a futex wait that has no
 * timeout (a mutex, a condition variable, a join, a semaphore) and none of them has run for
 * stall_s: nothing inside the process is left to wake any of them. /proc/PID/task/TID/syscall
 * tells the wait apart from a sleep that ends by itself: the syscall number, and for a
 * futex its operation and timeout argument (pthread_cond_timedwait, sem_timedwait and
 * nanosleep all have an end, so such a thread is never "blocked"). Whether a thread ran is
 * read in nanoseconds from /proc/PID/task/TID/schedstat (clock ticks from stat where that is
 * missing). Reading the syscall file needs ptrace access: racelab, the program's parent, has
 * it under Yama's ptrace_scope 0 and 1; where it has not, the wait channel (wchan) stands in
 * and the stall must last 2 s.
 *
 * ThreadSanitizer's runtime starts a background thread of its own (the first thread a TSan
 * program creates, at its first pthread_create) that wakes every 100 ms in a raw nanosleep:
 * in a TSan build that thread is recognised, once, and ignored. */
#ifndef RACELAB_STALL_H
#define RACELAB_STALL_H

#include <stdbool.h>
#include <sys/types.h>

#define STALL_MAX_THREADS 64

/* One thread's system call as /proc/PID/task/TID/syscall shows it. */
struct stall_syscall {
	bool in_syscall;       /* false: "running" (in user space), or unreadable */
	long nr;               /* the syscall number (x86_64 / aarch64 numbering) */
	unsigned long args[6]; /* its arguments */
};

/* What a thread is doing, as far as a deadlock is concerned. */
enum stall_wait {
	STALL_NOT_WAITING,  /* running, or in a system call that is not a wait */
	STALL_WAIT_FOREVER, /* a futex wait without a timeout: only another thread can end it */
	STALL_WAIT_TIMED,   /* a wait or sleep that ends by itself (timeout, nanosleep) */
};

/* One blocked thread at the moment the stall was declared. */
struct stall_thread {
	int tid;
	unsigned long futex; /* the futex word it waits on (a mutex, or inside a condition) */
	unsigned long op;    /* the futex operation (FUTEX_WAIT, FUTEX_WAIT_BITSET, ...) */
	unsigned long value; /* the value it expects there (2 for a contended mutex; the
	                      * joined thread's id for pthread_join) */
};

/* The blocked threads of a stalled process, for the diagnosis and to compare two hangs. */
struct stall_snapshot {
	int n;
	struct stall_thread threads[STALL_MAX_THREADS];
	int runtime_tid; /* TSan's background thread, left out of threads[]; 0: none */
	double seen_at;  /* the sampler's clock (monotonic seconds) when every thread was first
	                  * seen blocked */
};

struct stall_watch {
	pid_t pid;
	double stall_s;         /* how long the condition must hold */
	double since;           /* when it was first seen to hold; < 0: it does not */
	unsigned long long cpu; /* the threads' CPU time (ns) at the last sample */
	bool tsan_runtime;      /* the program runs TSan's runtime: look for its thread */
	bool blind; /* a thread's syscall could not be read (no ptrace access): timed and
	             * endless waits look alike, so the stall must last at least 2 s */
	struct stall_snapshot snap; /* the blocked threads at the last sample */
};

/* tsan_runtime: the program is a ThreadSanitizer build (its runtime's own thread is then
 * recognised and ignored). */
void stall_watch_init(struct stall_watch *w, pid_t pid, int stall_ms, bool tsan_runtime);

/* Samples /proc/PID/task now (at time now, seconds). Returns true once every thread has
 * been blocked forever (STALL_WAIT_FOREVER) with no CPU progress for at least stall_s, and
 * no other process of the group is running; w->snap then lists the blocked threads. */
bool stall_watch_sample(struct stall_watch *w, double now);

/* Two stalls that look alike: the same number of threads, blocked in the same kinds of
 * waits (addresses and thread ids differ from run to run and are not compared). Pure. */
bool stall_same_shape(const struct stall_snapshot *a, const struct stall_snapshot *b);

/* ---- pure parsers, exposed for tests ---- */

/* One task's /proc stat line: its state letter and CPU ticks (utime + stime). Returns false
 * when the line cannot be parsed. */
bool stall_parse_stat(const char *stat_line, char *state, unsigned long long *cpu_ticks);

/* A /proc/PID/task/TID/syscall line: "202 0x55.. 0x80 0x2 0x0 0x0 0x0 0x7ff.. 0x7f..",
 * "running", or "-1 0x... 0x..." (blocked, not in a syscall). Returns false when it cannot be
 * parsed. */
bool stall_parse_syscall(const char *line, struct stall_syscall *out);

/* Classifies a thread from its state letter and its syscall. */
enum stall_wait stall_classify(char state, const struct stall_syscall *sc);

/* One thread of a sample, in /proc/PID/task order (index 0 is the main thread): records it
 * in w->snap when it is blocked for ever, recognises TSan's runtime thread. Returns false
 * when this thread keeps the process from being stalled. Pure (no I/O). */
bool stall_watch_task(struct stall_watch *w, int index, int tid, enum stall_wait wait,
                      const struct stall_syscall *sc);

/* The first number of a /proc schedstat line: nanoseconds spent on a CPU. */
bool stall_parse_schedstat(const char *line, unsigned long long *run_ns);

#endif
