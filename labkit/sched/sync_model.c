/* sync_model.c: pthread calls under the scheduler, through the linker's --wrap (cmake/
 * racelab.cmake lists them): thread start and join, mutexes and condition variables are
 * modelled here and never reach the kernel, so a student's raw pthread_mutex_lock is
 * scheduled like the lab kit's rl_lock. Each call is a scheduling point first. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "runtime.h"

#define PC          ((uintptr_t)__builtin_return_address(0))
#define MAX_MUTEXES 1024

int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
int __real_pthread_join(pthread_t t, void **ret);
int __real_pthread_mutex_lock(pthread_mutex_t *m);
int __real_pthread_mutex_trylock(pthread_mutex_t *m);
int __real_pthread_mutex_unlock(pthread_mutex_t *m);
int __real_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int __real_pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                  const struct timespec *until);
int __real_pthread_cond_signal(pthread_cond_t *c);
int __real_pthread_cond_broadcast(pthread_cond_t *c);
_Noreturn void __real_pthread_exit(void *ret);
void sched_adopt(struct sthread *t);

/* Mutexes by address: who holds each (-1: nobody). Found by a linear search: labs have
 * a handful. */
static struct {
	const void *addr;
	int owner;
} mutexes[MAX_MUTEXES];
static int n_mutexes;

static int *owner_of(const void *m)
{
	for (int i = 0; i < n_mutexes; i++)
		if (mutexes[i].addr == m)
			return &mutexes[i].owner;
	if (n_mutexes == MAX_MUTEXES)
		abort();
	mutexes[n_mutexes].addr = m;
	mutexes[n_mutexes].owner = -1;
	return &mutexes[n_mutexes++].owner;
}

int sync_mutex_owner(const void *m)
{
	return *owner_of(m);
}

/* Wakes every thread blocked on (op, obj); returns how many. */
static int wake_all(enum sched_op op, const void *obj)
{
	int woken = 0;
	for (int i = 0; i < rt.n_threads; i++) {
		struct sthread *t = &rt.threads[i];
		if (t->state == ST_BLOCKED && t->wait_op == op && t->wait_obj == obj) {
			t->state = ST_RUNNABLE;
			woken++;
		}
	}
	return woken;
}

static void *trampoline(void *arg)
{
	struct sthread *t = arg;
	sched_adopt(t);
	void *ret = t->fn(t->arg);
	sched_exit_thread(t);
	return ret;
}

int __wrap_pthread_create(pthread_t *out, const pthread_attr_t *attr, void *(*fn)(void *),
                          void *arg)
{
	struct sthread *me = sched_self();
	if (!me)
		return __real_pthread_create(out, attr, fn, arg);
	uintptr_t pc = sched_site(me, PC);
	sched_point(me, SCHED_OP_CREATE, NULL, pc, false);
	if (rt.n_threads == SCHED_MAX_THREADS)
		return EAGAIN;
	struct sthread *t = &rt.threads[rt.n_threads];
	t->id = rt.n_threads;
	t->state = ST_RUNNABLE;
	t->fn = fn;
	t->arg = arg;
	baton_init(&t->go);
	int rc = __real_pthread_create(&t->handle, attr, trampoline, t);
	if (rc)
		return rc;
	rt.n_threads++;
	rt.alive++;
	strategy_thread_created(&rt.strategy, t->id);
	*out = t->handle;
	trace_event(me->id, SCHED_OP_CREATE, pc, NULL, 0, 0, t->id);
	return 0;
}

/* The newest thread with this handle: a joined thread's handle is given to the next one
 * created (the same stack), so an older match is a thread that has been joined. */
static struct sthread *find_thread(pthread_t handle)
{
	for (int i = rt.n_threads - 1; i >= 1; i--)
		if (pthread_equal(rt.threads[i].handle, handle))
			return &rt.threads[i];
	return NULL;
}

int __wrap_pthread_join(pthread_t handle, void **ret)
{
	struct sthread *me = sched_self();
	struct sthread *t = me ? find_thread(handle) : NULL;
	if (!t)
		return __real_pthread_join(handle, ret);
	uintptr_t pc = sched_site(me, PC);
	sched_point(me, SCHED_OP_JOIN, t, pc, false);
	while (t->state != ST_DONE)
		sched_block(me, SCHED_OP_JOIN, t);
	rt.unjoined--;
	trace_event(me->id, SCHED_OP_JOIN, pc, NULL, 0, 0, t->id);
	return __real_pthread_join(handle, ret); /* it has passed the baton on: ends at once */
}

_Noreturn void __wrap_pthread_exit(void *ret)
{
	struct sthread *me = sched_self();
	if (me && me->id != 0)
		sched_exit_thread(me);
	__real_pthread_exit(ret);
}

/* Takes m for me, waiting (blocked) while another thread holds it. */
static void acquire(struct sthread *me, pthread_mutex_t *m)
{
	int *owner = owner_of(m);
	while (*owner >= 0)
		sched_block(me, SCHED_OP_LOCK, m);
	*owner = me->id;
}

int __wrap_pthread_mutex_lock(pthread_mutex_t *m)
{
	struct sthread *me = sched_self();
	if (!me)
		return __real_pthread_mutex_lock(m);
	uintptr_t pc = sched_site(me, PC);
	sched_point(me, SCHED_OP_LOCK, m, pc, false);
	acquire(me, m);
	trace_event(me->id, SCHED_OP_LOCK, pc, m, 0, 0, 1);
	return 0;
}

int __wrap_pthread_mutex_trylock(pthread_mutex_t *m)
{
	struct sthread *me = sched_self();
	if (!me)
		return __real_pthread_mutex_trylock(m);
	uintptr_t pc = sched_site(me, PC);
	sched_point(me, SCHED_OP_TRYLOCK, m, pc, false);
	int *owner = owner_of(m);
	bool took = *owner < 0;
	if (took)
		*owner = me->id;
	else
		me->spinning = true; /* a retry loop must let the holder run */
	trace_event(me->id, SCHED_OP_TRYLOCK, pc, m, 0, 0, took);
	return took ? 0 : EBUSY;
}

static int release(struct sthread *me, pthread_mutex_t *m)
{
	int *owner = owner_of(m);
	if (*owner != me->id)
		return EPERM;
	*owner = -1;
	wake_all(SCHED_OP_LOCK, m);
	return 0;
}

int __wrap_pthread_mutex_unlock(pthread_mutex_t *m)
{
	struct sthread *me = sched_self();
	if (!me)
		return __real_pthread_mutex_unlock(m);
	uintptr_t pc = sched_site(me, PC);
	sched_point(me, SCHED_OP_UNLOCK, m, pc, false);
	int rc = release(me, m);
	trace_event(me->id, SCHED_OP_UNLOCK, pc, m, 0, 0, 0);
	return rc;
}

/* Releases m, sleeps on c until signalled (or, timed, until nobody else can run), takes m
 * again. */
static int wait_on(struct sthread *me, pthread_cond_t *c, pthread_mutex_t *m, uintptr_t pc,
                   bool timed)
{
	me->next_mutex = m;
	sched_point(me, SCHED_OP_WAIT, c, pc, false);
	int rc = release(me, m);
	if (rc)
		return rc;
	/* Logged as two events, so that the trace says which mutex the wait let go of. */
	trace_event(me->id, SCHED_OP_UNLOCK, pc, m, 0, 0, 0);
	trace_event(me->id, SCHED_OP_WAIT, pc, c, 0, 0, 0);
	me->wait_ticket = rt.ticket++;
	me->timed_wait = timed;
	me->timed_out = false;
	me->relock = m;
	sched_block(me, SCHED_OP_WAIT, c);
	me->timed_wait = false;
	acquire(me, m);
	me->relock = NULL;
	trace_event(me->id, SCHED_OP_LOCK, pc, m, 0, 0, 1);
	return me->timed_out ? ETIMEDOUT : 0;
}

int __wrap_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	struct sthread *me = sched_self();
	if (!me)
		return __real_pthread_cond_wait(c, m);
	return wait_on(me, c, m, sched_site(me, PC), false);
}

int __wrap_pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                  const struct timespec *until)
{
	struct sthread *me = sched_self();
	if (!me)
		return __real_pthread_cond_timedwait(c, m, until);
	return wait_on(me, c, m, sched_site(me, PC), true);
}

/* Wakes the oldest waiter on c; returns its id, or -1 when none waits. */
static int wake_oldest(pthread_cond_t *c)
{
	struct sthread *oldest = NULL;
	for (int i = 0; i < rt.n_threads; i++) {
		struct sthread *t = &rt.threads[i];
		if (t->state == ST_BLOCKED && t->wait_op == SCHED_OP_WAIT && t->wait_obj == c &&
		    (!oldest || t->wait_ticket < oldest->wait_ticket))
			oldest = t;
	}
	if (!oldest)
		return -1;
	oldest->state = ST_RUNNABLE;
	return oldest->id;
}

int __wrap_pthread_cond_signal(pthread_cond_t *c)
{
	struct sthread *me = sched_self();
	if (!me)
		return __real_pthread_cond_signal(c);
	uintptr_t pc = sched_site(me, PC);
	sched_point(me, SCHED_OP_SIGNAL, c, pc, false);
	int woken = wake_oldest(c);
	trace_event(me->id, SCHED_OP_SIGNAL, pc, c, 0, 0, woken);
	return 0;
}

int __wrap_pthread_cond_broadcast(pthread_cond_t *c)
{
	struct sthread *me = sched_self();
	if (!me)
		return __real_pthread_cond_broadcast(c);
	uintptr_t pc = sched_site(me, PC);
	sched_point(me, SCHED_OP_BROADCAST, c, pc, false);
	int woken = wake_all(SCHED_OP_WAIT, c);
	trace_event(me->id, SCHED_OP_BROADCAST, pc, c, 0, 0, woken);
	return 0;
}
