/* sync.h: checked pthread wrappers. They call first and check after, so they survive
 * -DNDEBUG (unlike assert(pthread_create(...) == 0)), and on failure print
 * "file:line: call: strerror(rc)" and abort.
 *
 * Every wrapper goes through one table of operations (struct rl_sched_ops). Today it holds
 * plain pthreads; a controlled scheduler can install its own table and take over thread
 * start, locks, condition waits and yield points without touching lab code. */
#ifndef RACELAB_SYNC_H
#define RACELAB_SYNC_H

#include <pthread.h>

struct rl_sched_ops {
	int (*thread_start)(pthread_t *t, void *(*fn)(void *), void *arg);
	int (*thread_join)(pthread_t t, void **ret);
	int (*mutex_lock)(pthread_mutex_t *m);
	int (*mutex_trylock)(pthread_mutex_t *m);
	int (*mutex_unlock)(pthread_mutex_t *m);
	int (*cond_wait)(pthread_cond_t *c, pthread_mutex_t *m);
	int (*cond_signal)(pthread_cond_t *c);
	int (*cond_broadcast)(pthread_cond_t *c);
	void (*yield)(void);
};

/* Replaces the operations (NULL restores pthreads). Call before starting any thread. */
void rl_sched_install(const struct rl_sched_ops *ops);

#define rl_thread_start(t, fn, arg) rl_thread_start_at(__FILE__, __LINE__, (t), (fn), (arg))
#define rl_thread_join(t, ret)      rl_thread_join_at(__FILE__, __LINE__, (t), (ret))
#define rl_lock(m)                  rl_lock_at(__FILE__, __LINE__, (m))
#define rl_unlock(m)                rl_unlock_at(__FILE__, __LINE__, (m))
#define rl_cond_wait(c, m)          rl_cond_wait_at(__FILE__, __LINE__, (c), (m))
#define rl_cond_signal(c)           rl_cond_signal_at(__FILE__, __LINE__, (c))
#define rl_cond_broadcast(c)        rl_cond_broadcast_at(__FILE__, __LINE__, (c))

/* Returns 1 if it took the lock, 0 if another thread holds it; aborts on any other error. */
#define rl_trylock(m) rl_trylock_at(__FILE__, __LINE__, (m))

/* An explicit yield point: lets another thread run here (sched_yield today). Labs put it
 * inside a race window to widen it; a controlled scheduler switches threads here. */
void rl_yield(void);

void rl_thread_start_at(const char *file, int line, pthread_t *t, void *(*fn)(void *), void *arg);
void rl_thread_join_at(const char *file, int line, pthread_t t, void **ret);
void rl_lock_at(const char *file, int line, pthread_mutex_t *m);
int rl_trylock_at(const char *file, int line, pthread_mutex_t *m);
void rl_unlock_at(const char *file, int line, pthread_mutex_t *m);
void rl_cond_wait_at(const char *file, int line, pthread_cond_t *c, pthread_mutex_t *m);
void rl_cond_signal_at(const char *file, int line, pthread_cond_t *c);
void rl_cond_broadcast_at(const char *file, int line, pthread_cond_t *c);

/* Reports "file:line: call: strerror(rc)" on stderr and aborts. For a lab's own checks. */
_Noreturn void rl_fail(const char *file, int line, const char *call, int rc);

#endif
