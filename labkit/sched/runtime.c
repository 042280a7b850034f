/* runtime.c: the threads, the baton and the scheduling point (see runtime.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

struct runtime rt;
static __thread struct sthread *self;

static void stack_of_caller(uintptr_t *lo, uintptr_t *hi)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;
	*lo = *hi = 0;
	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return;
	if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
		*lo = (uintptr_t)addr;
		*hi = (uintptr_t)addr + size;
	}
	pthread_attr_destroy(&attr);
}

/* Reads one line from fd into buf; false at EOF. */
static bool read_line(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	while (n + 1 < cap) {
		ssize_t got = read(fd, buf + n, 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return true;
}

/* Server mode (protocol.h): serves schedules until its input ends; returns in each child,
 * with the child's spec and trace path in spec and trace. */
static void serve(char *spec, size_t cap, char **trace)
{
	for (;;) {
		if (!read_line(SCHED_SERVER_IN_FD, spec, cap))
			_exit(0);
		char *tab1 = strchr(spec, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		if (!tab2)
			_exit(SCHED_EXIT_BADSPEC);
		*tab1 = *tab2 = '\0';
		pid_t pid = fork();
		if (pid == 0) {
			close(SCHED_SERVER_IN_FD);
			close(SCHED_SERVER_OUT_FD);
			int fd = open(tab2 + 1, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			if (fd >= 0 && fd != SCHED_RESULT_FD) {
				dup2(fd, SCHED_RESULT_FD); /* the copy is not close-on-exec */
				close(fd);
			}
			*trace = tab1 + 1;
			return;
		}
		int status = 0;
		while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		char reply[64];
		int n = pid < 0 ? snprintf(reply, sizeof(reply), "exit %d\n", SCHED_EXIT_BADSPEC)
		        : WIFSIGNALED(status)
		            ? snprintf(reply, sizeof(reply), "signal %d\n", WTERMSIG(status))
		            : snprintf(reply, sizeof(reply), "exit %d\n", WEXITSTATUS(status));
		if (write(SCHED_SERVER_OUT_FD, reply, (size_t)n) != n)
			_exit(0);
	}
}

static void start(void)
{
	rt.ready = true;
	const char *spec = getenv(SCHED_ENV_SPEC);
	char *trace = getenv(SCHED_ENV_TRACE);
	static char request[8192];
	const char *server = getenv(SCHED_ENV_SERVER);
	if (server && *server == '1') {
		serve(request, sizeof(request), &trace);
		spec = request;
	}
	if (strategy_parse(spec, &rt.strategy) != 0) {
		static const char msg[] = "racelab: RACELAB_SCHED: not a schedule id\n";
		(void)!write(2, msg, sizeof(msg) - 1);
		_exit(SCHED_EXIT_BADSPEC);
	}
	const char *max = getenv(SCHED_ENV_MAX_STEPS);
	rt.max_steps = max && atol(max) > 0 ? atol(max) : SCHED_DEFAULT_MAX_STEPS;
	trace_open(trace);
	struct sthread *main_thread = &rt.threads[0];
	main_thread->id = 0;
	main_thread->handle = pthread_self();
	main_thread->state = ST_RUNNABLE;
	baton_init(&main_thread->go);
	rt.n_threads = 1;
	rt.alive = 1;
	strategy_thread_created(&rt.strategy, 0);
	self = main_thread;
	uintptr_t lo, hi;
	stack_of_caller(&lo, &hi);
	trace_thread(0, -1, lo, hi);
}

struct sthread *sched_running(void)
{
	return rt.ready ? self : NULL;
}

struct sthread *sched_self(void)
{
	if (!rt.ready)
		start();
	return self;
}

/* Called first thing by a new thread (sync_model.c's trampoline). */
void sched_adopt(struct sthread *t)
{
	self = t;
	baton_take(&t->go);
	uintptr_t lo, hi;
	stack_of_caller(&lo, &hi);
	trace_thread(t->id, -2, lo, hi);
}

int64_t sched_peek(const void *addr, int size)
{
	switch (size) {
	case 1:
		return *(const volatile int8_t *)addr;
	case 2:
		return *(const volatile int16_t *)addr;
	case 4:
		return *(const volatile int32_t *)addr;
	default:
		return *(const volatile int64_t *)addr;
	}
}

uintptr_t sched_site(struct sthread *me, uintptr_t pc)
{
	if (me->caller_pc) {
		pc = me->caller_pc;
		me->caller_pc = 0;
	}
	return pc;
}

void sched_flush_store(struct sthread *me)
{
	if (!me->pending_addr)
		return;
	int64_t now = sched_peek(me->pending_addr, me->pending_size);
	trace_event(me->id, SCHED_OP_STORE, me->pending_pc, me->pending_addr, me->pending_size,
	            me->pending_old, now);
	me->pending_addr = NULL;
}

static uint64_t runnable_mask(void)
{
	uint64_t mask = 0;
	for (int i = 0; i < rt.n_threads; i++)
		if (rt.threads[i].state == ST_RUNNABLE)
			mask |= 1ull << i;
	return mask;
}

/* Whether t, runnable, would block at its very next step: it is about to lock a mutex
 * another thread holds (or, woken from a condition wait, to take its mutex again), or to
 * join a thread still running. Running it changes nothing but its own state, so every
 * schedule that picks it there is the same as one that does not: not offering it is a
 * reduction that loses no behaviour (and the exhaustive search has far fewer schedules
 * to run). */
static bool blocks_at_once(const struct sthread *t)
{
	if (t->relock) {
		int owner = sync_mutex_owner(t->relock);
		return owner >= 0 && owner != t->id;
	}
	if (t->next_op == SCHED_OP_LOCK) {
		int owner = sync_mutex_owner(t->next_addr);
		return owner >= 0 && owner != t->id;
	}
	if (t->next_op == SCHED_OP_JOIN)
		return ((const struct sthread *)t->next_addr)->state != ST_DONE;
	return false;
}

/* The threads a decision may pick: the runnable ones that would not block at once, or
 * all runnable ones when every one would (one of them runs, blocks, and the deadlock is
 * found with its cycle). */
static uint64_t choosable_mask(void)
{
	uint64_t mask = runnable_mask(), useful = mask;
	for (uint64_t m = mask; m; m &= m - 1)
		if (blocks_at_once(&rt.threads[__builtin_ctzll(m)]))
			useful &= ~(m & -m);
	return useful ? useful : mask;
}

/* Nobody can run. A timed wait times out first; otherwise it is a deadlock. */
static int wake_a_timed_waiter(void)
{
	for (int i = 0; i < rt.n_threads; i++) {
		struct sthread *t = &rt.threads[i];
		if (t->state == ST_BLOCKED && t->timed_wait) {
			t->state = ST_RUNNABLE;
			t->timed_out = true;
			return i;
		}
	}
	return -1;
}

static _Noreturn void deadlock(void)
{
	for (int i = 0; i < rt.n_threads; i++) {
		const struct sthread *t = &rt.threads[i];
		if (t->state != ST_BLOCKED)
			continue;
		int owner = -1;
		if (t->wait_op == SCHED_OP_LOCK)
			owner = sync_mutex_owner(t->wait_obj);
		else if (t->wait_op == SCHED_OP_JOIN)
			owner = ((const struct sthread *)t->wait_obj)->id;
		trace_deadlock_line(t, owner);
	}
	trace_finish_and_exit(SCHED_END_DEADLOCK, SCHED_EXIT_DEADLOCK);
}

static _Noreturn void stop_here(uint64_t choosable)
{
	for (int i = 0; i < rt.n_threads; i++)
		if (rt.threads[i].state != ST_DONE)
			trace_next(&rt.threads[i], choosable >> i & 1);
	trace_finish_and_exit(SCHED_END_STOPPED, SCHED_EXIT_STOPPED);
}

/* The threads of mask that are not asleep; ends the schedule when none is (sleep.c). */
static uint64_t awake_of(uint64_t mask)
{
	uint64_t awake = mask & ~rt.sleep;
	if (!awake)
		trace_finish_and_exit(SCHED_END_COVERED, SCHED_EXIT_COVERED);
	return awake;
}

/* next runs: the sleep set keeps the threads whose step commutes with next's. */
static int picked(int next, bool yielding)
{
	rt.sleep = yielding ? 0 : sleep_after(rt.sleep, &rt.threads[next]);
	return next;
}

/* Who runs after me (me may be blocked or done). Ends the program on a deadlock, a
 * stop (step mode), the step limit, or a schedule covered by another (sleep.c). */
static int choose(struct sthread *me, bool yielding)
{
	uint64_t mask = choosable_mask();
	if (!mask && wake_a_timed_waiter() >= 0) {
		mask = choosable_mask();
		rt.sleep = 0; /* a timeout: not known to commute with anything */
	}
	if (!mask)
		deadlock();
	uint64_t others = mask & ~(1ull << me->id);
	bool choice = __builtin_popcountll(mask) >= 2;
	if (!choice)
		return picked(__builtin_ctzll(awake_of(mask)), false);
	struct strategy *s = &rt.strategy;
	if (s->kind == STRATEGY_CHOICES && s->stop && s->decision >= s->n_choices)
		stop_here(mask);
	if (s->kind == STRATEGY_CHOICES && s->decision + 1 == s->n_choices && s->sleep)
		rt.sleep = s->sleep; /* the search's sleep set at its new choice */
	uint64_t sleep = rt.sleep;
	int next = strategy_pick(s, awake_of(mask), me->id, yielding && others);
	if (next < 0) {
		static const char msg[] = "racelab: the schedule does not fit this program\n";
		(void)!write(2, msg, sizeof(msg) - 1);
		trace_finish_and_exit(SCHED_END_STOPPED, SCHED_EXIT_BADSPEC);
	}
	trace_decision(me->id, mask, yielding && others, next, sleep);
	if (++rt.decisions > rt.max_steps)
		trace_finish_and_exit(SCHED_END_STEPLIMIT, SCHED_EXIT_STEPLIMIT);
	return picked(next, yielding && others);
}

/* Hands the baton to next; waits for it to come back unless me is done. */
static void switch_to(struct sthread *me, int next)
{
	if (next == me->id)
		return;
	baton_give(&rt.threads[next].go);
	if (me->state == ST_DONE)
		return;
	baton_take(&me->go);
}

void sched_point(struct sthread *me, enum sched_op op, const void *addr, uintptr_t pc,
                 bool yielding)
{
	sched_flush_store(me);
	me->next_op = op;
	me->next_pc = pc;
	me->next_addr = addr;
	if (me->spinning) {
		yielding = true;
		me->spinning = false;
	}
	if (rt.alive < 2)
		return;
	switch_to(me, choose(me, yielding));
}

void sched_block(struct sthread *me, enum sched_op op, const void *obj)
{
	me->state = ST_BLOCKED;
	me->wait_op = op;
	me->wait_obj = obj;
	switch_to(me, choose(me, false));
}

void sched_exit_thread(struct sthread *me)
{
	sched_flush_store(me);
	me->state = ST_DONE;
	rt.alive--;
	rt.unjoined++;
	for (int i = 0; i < rt.n_threads; i++) {
		struct sthread *t = &rt.threads[i];
		if (t->state == ST_BLOCKED && t->wait_op == SCHED_OP_JOIN && t->wait_obj == me)
			t->state = ST_RUNNABLE;
	}
	trace_event(me->id, SCHED_OP_EXIT, 0, NULL, 0, 0, 0);
	switch_to(me, choose(me, false));
}
