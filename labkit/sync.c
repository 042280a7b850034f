/* sync.c: checked pthread wrappers behind a replaceable table of operations. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

#ifdef RL_SCHED_BUILD
/* The -sched flavour: each wrapper names its caller to the schedule runtime (labkit/sched/
 * time_model.c), which places the operation at the lab's line, not in this file. */
void rl_sched_caller(void *pc);
#define NAME_CALLER() rl_sched_caller(__builtin_return_address(0))
#else
#define NAME_CALLER() ((void)0)
#endif

static int pthreads_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	return pthread_create(t, NULL, fn, arg);
}

static void pthreads_yield(void)
{
	sched_yield();
}

static const struct rl_sched_ops pthreads_ops = {
    .thread_start = pthreads_start,
    .thread_join = pthread_join,
    .mutex_lock = pthread_mutex_lock,
    .mutex_trylock = pthread_mutex_trylock,
    .mutex_unlock = pthread_mutex_unlock,
    .cond_wait = pthread_cond_wait,
    .cond_signal = pthread_cond_signal,
    .cond_broadcast = pthread_cond_broadcast,
    .yield = pthreads_yield,
};

/* Written once before threads start, read-only afterwards. */
static const struct rl_sched_ops *ops = &pthreads_ops;

void rl_sched_install(const struct rl_sched_ops *new_ops)
{
	ops = new_ops ? new_ops : &pthreads_ops;
}

_Noreturn void rl_fail(const char *file, int line, const char *call, int rc)
{
	fprintf(stderr, "%s:%d: %s: %s\n", file, line, call, strerror(rc));
	abort();
}

void rl_yield(void)
{
	NAME_CALLER();
	ops->yield();
}

void rl_thread_start_at(const char *file, int line, pthread_t *t, void *(*fn)(void *), void *arg)
{
	NAME_CALLER();
	int rc = ops->thread_start(t, fn, arg);
	if (rc)
		rl_fail(file, line, "pthread_create", rc);
}

void rl_thread_join_at(const char *file, int line, pthread_t t, void **ret)
{
	NAME_CALLER();
	int rc = ops->thread_join(t, ret);
	if (rc)
		rl_fail(file, line, "pthread_join", rc);
}

void rl_lock_at(const char *file, int line, pthread_mutex_t *m)
{
	NAME_CALLER();
	int rc = ops->mutex_lock(m);
	if (rc)
		rl_fail(file, line, "pthread_mutex_lock", rc);
}

int rl_trylock_at(const char *file, int line, pthread_mutex_t *m)
{
	NAME_CALLER();
	int rc = ops->mutex_trylock(m);
	if (rc == EBUSY)
		return 0;
	if (rc)
		rl_fail(file, line, "pthread_mutex_trylock", rc);
	return 1;
}

void rl_unlock_at(const char *file, int line, pthread_mutex_t *m)
{
	NAME_CALLER();
	int rc = ops->mutex_unlock(m);
	if (rc)
		rl_fail(file, line, "pthread_mutex_unlock", rc);
}

void rl_cond_wait_at(const char *file, int line, pthread_cond_t *c, pthread_mutex_t *m)
{
	NAME_CALLER();
	int rc = ops->cond_wait(c, m);
	if (rc)
		rl_fail(file, line, "pthread_cond_wait", rc);
}

void rl_cond_signal_at(const char *file, int line, pthread_cond_t *c)
{
	NAME_CALLER();
	int rc = ops->cond_signal(c);
	if (rc)
		rl_fail(file, line, "pthread_cond_signal", rc);
}

void rl_cond_broadcast_at(const char *file, int line, pthread_cond_t *c)
{
	NAME_CALLER();
	int rc = ops->cond_broadcast(c);
	if (rc)
		rl_fail(file, line, "pthread_cond_broadcast", rc);
}
