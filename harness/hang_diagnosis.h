/* hang_diagnosis.h: where each thread of a deadlocked process waits, and for whom.
 *
 * gdb attaches to the live process ("thread apply all bt", about 0.4 s) and names, for each
 * thread, the function and file:line where it blocks and the mutex it waits for by
 * variable name. glibc keeps a mutex's owner TID in __data.__owner (offset 8 on Linux), read
 * from /proc/PID/mem: enough to draw the wait-for cycle without changing the program. */
#ifndef RACELAB_HANG_DIAGNOSIS_H
#define RACELAB_HANG_DIAGNOSIS_H

#include <stdbool.h>
#include <sys/types.h>

#define HANG_MAX_THREADS 32

struct hang_thread {
	int lwp;           /* the thread's kernel id */
	char function[96]; /* first frame in the program's own code */
	char file[256];
	int line;
	char waits_for[96];       /* the mutex's (or condition's) variable, e.g. "accounts+40" */
	bool on_condition;        /* waits_for names a condition variable, not a mutex */
	unsigned long mutex_addr; /* its address; 0 if none */
	int owner_lwp;            /* the thread holding it; 0 if unknown */
};

/* Parses gdb's "thread apply all bt" output. Pure. Returns the number of threads found
 * (at most max). Frames in glibc sources (paths starting "./" or "../") and frames whose
 * file contains skip_path (may be NULL) are not the program's own. */
int hang_parse_gdb(const char *text, const char *skip_path, struct hang_thread *out, int max);

/* Attaches gdb to pid and returns a malloc'd summary, one line per thread, such as
 *   "thread 626 waits for mutex 'a' (held by thread 625) in t2() at dl.c:5"
 * with paths relative to source_dir. NULL when it cannot: why is in note. */
char *hang_diagnose(pid_t pid, const char *source_dir, char *note, size_t note_cap);

#endif
