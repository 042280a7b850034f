/* runtime.h: the schedule runtime's insides, shared by its files (not by labs).
 *
 * How it works. A `-sched` build is compiled with -fsanitize=thread, so the compiler puts
 * a call before every shared access (tsan_entry.c), and linked with --wrap for the pthread
 * calls that create, join, lock, wait and sleep (sync_model.c, time_model.c), but without
 * TSan's runtime: this one stands in. Every managed thread is a real pthread, yet only one
 * runs at a time: each has a baton (baton.h), and the running thread, at a scheduling
 * point, asks the strategy who runs next, gives it the baton and waits for its own.
 * Locks, condition variables and joins are modelled here, never handed to the kernel, so
 * a thread that would block is simply not runnable; when nobody is runnable the program
 * is deadlocked and the runtime says so at once (trace.c writes who waits for whom).
 * All state below is touched only by the thread holding the baton, so it needs no lock. */
#ifndef RACELAB_SCHED_RUNTIME_H
#define RACELAB_SCHED_RUNTIME_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "baton.h"
#include "protocol.h"
#include "strategy.h"

enum sthread_state { ST_RUNNABLE, ST_BLOCKED, ST_DONE };

struct sthread {
	int id;                   /* 0: main, then 1, 2, ... in creation order */
	pthread_t handle;         /* the real thread */
	struct baton go;          /* given when this thread may run */
	enum sthread_state state; /* ST_BLOCKED: wait_op on wait_obj */
	enum sched_op wait_op;    /* SCHED_OP_LOCK, _WAIT or _JOIN */
	const void *wait_obj;     /* the mutex, the condition, or the struct sthread joined */
	long wait_ticket;         /* condition waits: signal wakes the oldest */
	bool timed_wait;          /* a timed wait: when nobody else can run, it times out */
	bool timed_out;           /* ...and did */
	const void *relock;       /* a condition wait's mutex, to take again once woken */
	bool spinning;            /* its last atomic load or trylock changed nothing: its next
	                           * point is a yield, so a spin loop lets the others run */
	void *(*fn)(void *);
	void *arg;
	/* A store announced by its hook but not yet done: logged, with the value stored, at
	 * this thread's next scheduling point (nobody else runs in between). */
	const void *pending_addr;
	int pending_size;
	int64_t pending_old;
	uintptr_t pending_pc;
	long pending_step;
	/* The operation this thread is about to do (step mode and deadlock reports). */
	enum sched_op next_op;
	uintptr_t next_pc;
	const void *next_addr;
	const void *next_mutex; /* next_op SCHED_OP_WAIT: the mutex the wait lets go of */
	/* The last atomic load, to see a spin. */
	uintptr_t last_load_pc;
	int64_t last_load_value;
	/* A labkit wrapper's caller, so a lock taken through rl_lock() is placed at the lab's
	 * line, not inside the lab kit. 0 when none. */
	uintptr_t caller_pc;
};

struct runtime {
	bool ready;
	struct strategy strategy;
	struct sthread threads[SCHED_MAX_THREADS];
	int n_threads;  /* created so far (ids 0..n_threads-1) */
	int alive;      /* not ST_DONE */
	int unjoined;   /* ST_DONE and not joined: nothing orders them before the living */
	long step;      /* events so far */
	long decisions; /* points where two or more could run */
	long max_steps;
	long ticket;      /* condition wait order */
	int64_t clock_ns; /* the virtual clock (time_model.c) */
	uint64_t sleep;   /* the sleep set (sleep.c): threads not to pick */
};

extern struct runtime rt;

/* The calling thread's record; starts the runtime on first use (main becomes thread 0).
 * NULL for a thread the runtime does not manage. */
struct sthread *sched_self(void);

/* The calling thread's record when the runtime has started and manages it, else NULL;
 * never starts the runtime (malloc calls it, and starting it calls malloc). */
struct sthread *sched_running(void);

/* A scheduling point before op: may switch to another thread and return later. */
void sched_point(struct sthread *me, enum sched_op op, const void *addr, uintptr_t pc,
                 bool yielding);

/* me cannot go on until another thread changes something: marks it blocked on obj and
 * runs someone else; returns once woken. Deadlock (nobody runnable) ends the program. */
void sched_block(struct sthread *me, enum sched_op op, const void *obj);

/* me has finished: runs the next thread and returns without waiting. */
void sched_exit_thread(struct sthread *me);

/* Logs the store me announced last, if any. */
void sched_flush_store(struct sthread *me);

/* The pc to log for me's operation: the labkit caller's when set, else pc. */
uintptr_t sched_site(struct sthread *me, uintptr_t pc);

/* Reads size bytes at addr as a signed number (the first 8 of larger accesses). */
int64_t sched_peek(const void *addr, int size);

/* trace.c */
void trace_open(const char *path);
void trace_thread(int tid, int parent, uintptr_t stack_lo, uintptr_t stack_hi);
void trace_decision(int current, uint64_t runnable, bool yielding, int chosen, uint64_t sleep);
void trace_event(int tid, enum sched_op op, uintptr_t pc, const void *addr, int size,
                 int64_t old_value, int64_t new_value);
/* t's next operation at a stop; can_run: it may be picked now. */
void trace_next(const struct sthread *t, bool can_run);
void trace_deadlock_line(const struct sthread *t, int owner);
void trace_end(enum sched_end how);
_Noreturn void trace_finish_and_exit(enum sched_end how, int status);

/* sleep.c: sleep without the threads whose next step does not commute with chosen's. */
uint64_t sleep_after(uint64_t sleep, const struct sthread *chosen);

/* sync_model.c: who holds mutex m (-1: nobody), for deadlock reports. */
int sync_mutex_owner(const void *m);

#endif
