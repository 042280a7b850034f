/* time_model.c: yields, sleeps and clocks under the scheduler (--wrap). A sleep or a yield
 * is a scheduling point that asks for another thread, and returns at once: nothing sleeps
 * or spins for real. Time is virtual: each clock reading advances it by 1 microsecond, so
 * a loop that waits for a moment to pass (lab 5's checks) takes the same steps in every
 * replay. */
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"

#define PC               ((uintptr_t)__builtin_return_address(0))
#define VIRTUAL_START_NS 1000000000000LL /* 1000 s: far from 0, like a real clock */
#define VIRTUAL_TICK_NS  1000

int __real_sched_yield(void);
int __real_usleep(useconds_t us);
int __real_nanosleep(const struct timespec *req, struct timespec *rem);
unsigned __real_sleep(unsigned s);
int __real_clock_nanosleep(clockid_t clock, int flags, const struct timespec *req,
                           struct timespec *rem);
int __real_clock_gettime(clockid_t clock, struct timespec *ts);

/* A yield: returns true when the scheduler handled it. */
static bool yield_here(uintptr_t pc)
{
	struct sthread *me = sched_self();
	if (!me)
		return false;
	pc = sched_site(me, pc);
	sched_point(me, SCHED_OP_YIELD, NULL, pc, true);
	if (rt.alive >= 2)
		trace_event(me->id, SCHED_OP_YIELD, pc, NULL, 0, 0, 0);
	return true;
}

int __wrap_sched_yield(void)
{
	return yield_here(PC) ? 0 : __real_sched_yield();
}

int __wrap_usleep(useconds_t us)
{
	return yield_here(PC) ? 0 : __real_usleep(us);
}

int __wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
	return yield_here(PC) ? 0 : __real_nanosleep(req, rem);
}

unsigned __wrap_sleep(unsigned s)
{
	return yield_here(PC) ? 0 : __real_sleep(s);
}

int __wrap_clock_nanosleep(clockid_t clock, int flags, const struct timespec *req,
                           struct timespec *rem)
{
	return yield_here(PC) ? 0 : __real_clock_nanosleep(clock, flags, req, rem);
}

int __wrap_clock_gettime(clockid_t clock, struct timespec *ts)
{
	if (!sched_self() || (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME &&
	                      clock != CLOCK_MONOTONIC_RAW && clock != CLOCK_BOOTTIME))
		return __real_clock_gettime(clock, ts);
	rt.clock_ns += VIRTUAL_TICK_NS;
	long long now = VIRTUAL_START_NS + rt.clock_ns;
	ts->tv_sec = now / 1000000000LL;
	ts->tv_nsec = now % 1000000000LL;
	return 0;
}

/* The lab kit's wrappers (labkit/sync.c in its -sched flavour) name their caller here,
 * so the next operation is placed at the lab's line. */
void rl_sched_caller(void *pc)
{
	struct sthread *me = sched_self();
	if (me)
		me->caller_pc = (uintptr_t)pc;
}
