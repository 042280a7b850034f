/* hang_diagnosis.h: where each thread of a deadlocked process waits, for what, and for whom.
 *
 * The stall watch (stall.h) already knows, from /proc, which futex word each blocked thread
 * sleeps on and the value it expects there. The executable's symbol table (elf_symbols.h)
 * names the variable holding that word ('lock_a', 'accounts+48'); glibc keeps a mutex's
 * owner TID in __data.__owner (offset 8 on Linux), read from /proc/PID/mem; a pthread_join
 * waits on the joined thread's TID. That is the wait-for graph, named within milliseconds,
 * and its shape: a cycle of mutexes (a deadlock), or every thread waiting on a condition that
 * nobody is left to signal (a lost wake-up). gdb then attaches once ("thread apply all bt"
 * for each thread's function, file:line and pthread call; "info symbol" for what the symbol
 * table could not name) — 0.2 s on a quiet machine, 1-2 s on a loaded one.
 *
 * gdb runs without glibc's separate debug information (libc6-dbg): loading it tripled the
 * attach time (about 0.6 s against 1.4 s on a loaded 2-core machine). hang_diagnosis.c runs
 * and parses gdb; hang_explain.c puts the waits into words. */
#ifndef RACELAB_HANG_DIAGNOSIS_H
#define RACELAB_HANG_DIAGNOSIS_H

#include <stdbool.h>
#include <sys/types.h>

#include "stall.h"

#define HANG_MAX_THREADS STALL_MAX_THREADS

/* One thread of gdb's "thread apply all bt". */
struct hang_thread {
	int lwp;           /* the thread's kernel id */
	char function[96]; /* first frame in the program's own code */
	char file[256];
	int line;
	char api[48];             /* the pthread/semaphore call it blocks in, e.g.
	                           * "pthread_mutex_lock"; "" when gdb could not name it */
	char waits_for[96];       /* the mutex's (or condition's) variable from a frame's
	                           * arguments, e.g. "accounts+40"; "" when not shown */
	bool on_condition;        /* waits_for names a condition variable, not a mutex */
	unsigned long mutex_addr; /* its address; 0 if none */
	int owner_lwp;            /* the thread holding it; 0 if unknown */
};

/* Parses gdb's "thread apply all bt" output. Pure. Returns the number of threads found
 * (at most max). Frames in glibc sources (paths starting "./" or "../") and frames whose
 * file contains skip_path (may be NULL) are not the program's own. */
int hang_parse_gdb(const char *text, const char *skip_path, struct hang_thread *out, int max);

/* Finds, in gdb's output, the answer to "info symbol ADDR" printed after the marker line
 * "@racelab-symbol 0xADDR": "lock_a in section .bss" gives "lock_a", "accounts + 48 in
 * section .bss" gives "accounts+48". Pure. Returns false when gdb named nothing there. */
bool hang_parse_symbol(const char *text, unsigned long addr, char *name, size_t cap);

enum hang_wait_kind {
	HANG_FUTEX,     /* a futex racelab cannot attribute */
	HANG_MUTEX,     /* pthread_mutex_lock */
	HANG_CONDITION, /* pthread_cond_wait */
	HANG_JOIN,      /* pthread_join: waits for a thread to finish */
	HANG_SEMAPHORE, /* sem_wait */
	HANG_BARRIER,   /* pthread_barrier_wait */
	HANG_RWLOCK,    /* pthread_rwlock_rdlock / wrlock */
};

/* One blocked thread, explained. */
struct hang_wait {
	int tid;
	enum hang_wait_kind kind;
	char name[96];             /* the variable it waits on ("lock_a"); "" when unknown */
	unsigned long object_size; /* that variable's size (0: unknown): an array's, to name
	                            * an element accounts[1] rather than accounts+48 */
	bool is_main;              /* the process's first thread (its tid is the pid) */
	unsigned long addr;        /* the futex word */
	int holder;                /* the mutex's owner, or the joined thread; 0 when unknown */
	char function[96];         /* where it waits, in the program's own code; "" unknown */
	char file[256];
	int line;
};

/* Fills w from one blocked thread of the stall snapshot and, when gdb saw it, gdb's view
 * of it (t may be NULL), the name of the variable holding its futex word (symbol may be
 * NULL or "") and that variable's size (0: unknown; 48, a pthread_cond_t's, with the word
 * at offset 40 to 47, is a condition variable's). tids lists every thread of the process
 * (to recognise a join). Pure; holder is left 0 for a mutex (its owner is read from
 * memory). */
void hang_wait_from(struct hang_wait *w, const struct stall_thread *s, const struct hang_thread *t,
                    const char *symbol, unsigned long symbol_size, const int *tids, int n_tids);

/* The explanation, malloc'd: one line per thread ("    T2 waits for mutex 'a' (held by T1)
 * in t2() at dl.c:5"), then one line naming the shape: the cycle of a deadlock, or a lost
 * wake-up. Threads are named as TSan names them: "main thread" (is_main; without one, the
 * smallest tid, Linux giving threads rising ids), then T1, T2, ... in creation order
 * (rising tid) among the threads still alive; a thread that has ended keeps its tid. An
 * element of an array of locks is named accounts[1] (hang_element_name). Paths are made
 * relative to source_dir. Pure. NULL without memory. */
char *hang_explain(const struct hang_wait *w, int n, const char *source_dir);

/* "accounts+48" as an element, "accounts[1]", in out, when offsets (every offset into the
 * same variable that the waits name, n_offsets of them) and the variable's size show a
 * stride: a multiple of sizeof(pthread_mutex_t) that every offset and the size divide
 * into (bare mutexes: 40 bytes; structs holding one: the smallest non-zero offset seen).
 * Otherwise name is copied as it is. Pure. */
void hang_element_name(const char *name, unsigned long size, const long *offsets, int n_offsets,
                       char *out, size_t cap);

/* Explains the stalled process pid (alive, stopped by nobody) from its snapshot: first the
 * waits, their variables (elf_symbols.h) and the mutexes' owners, in milliseconds (*named_at
 * gets that moment, CLOCK_MONOTONIC seconds; may be NULL); then gdb, when it can attach,
 * adds each thread's file:line and pthread call. Returns the malloc'd explanation, or NULL
 * without memory. note gets why the view is partial ("" when it is not): gdb missing,
 * attach refused (with what the kernel's ptrace_scope means), ... The explanation is
 * English (JSON); *local (when not NULL) gets the same in the reader's language (i18n.h),
 * malloc'd, or NULL when that is English. */
char *hang_diagnose(pid_t pid, const struct stall_snapshot *snap, const char *source_dir,
                    char *note, size_t note_cap, double *named_at, char **local);

#endif
