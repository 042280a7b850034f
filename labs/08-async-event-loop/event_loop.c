/* event_loop.c: the event loop behind event_loop.h, built on ucontext. Each task has a
 * stack of its own; swapcontext() saves the registers of the running code and resumes
 * other saved code. The loop and the tasks take turns: the loop resumes a task, the task
 * runs until it awaits, which swaps back to the loop, which picks the next task.
 *
 * The loop's clock. A task that awaits a sleep of `us` is due `us` after the moment the
 * loop resumed it, on the loop's own clock, which moves only when the loop resumes a
 * task. So the order in which tasks run depends only on the durations they sleep, never
 * on how fast or busy the machine is: the same durations give the same interleaving,
 * every time. The loop still waits in real time until a task is due, as a real event
 * loop waits for I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <ucontext.h>

#include "event_loop.h"
#include "labkit.h"

#define TASK_STACK_BYTES (256 * 1024)

/* ThreadSanitizer keeps one call stack per thread. Our tasks switch stacks inside one
 * thread, so we tell it about each switch (its fiber API); each switch also orders what
 * ran before it before what runs after it, exactly as it happens. */
#if defined(__SANITIZE_THREAD__)
#define LOOP_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LOOP_UNDER_TSAN 1
#endif
#endif

#ifdef LOOP_UNDER_TSAN
#include <sanitizer/tsan_interface.h>
#define fiber_current()  __tsan_get_current_fiber()
#define fiber_create()   __tsan_create_fiber(0)
#define fiber_destroy(f) __tsan_destroy_fiber(f)
#define fiber_switch(f)  __tsan_switch_to_fiber((f), 0)
#else
#define fiber_current()  NULL
#define fiber_create()   NULL
#define fiber_destroy(f) ((void)(f))
#define fiber_switch(f)  ((void)(f))
#endif

enum task_state {
	TASK_DUE,     /* runs when the loop's clock reaches due_ns */
	TASK_WAITING, /* waits for a lock; aio_release makes it due */
	TASK_DONE,    /* its function returned */
};

struct aio_task {
	ucontext_t context;    /* its registers and stack pointer while suspended */
	void *stack;           /* TASK_STACK_BYTES from malloc */
	void (*fn)(void *arg); /* what it runs, once */
	void *arg;
	enum task_state state;
	long long due_ns;             /* TASK_DUE: when, on the loop's clock */
	long long order;              /* TASK_DUE: first come, first served on equal due_ns */
	struct aio_task *next_waiter; /* TASK_WAITING: next task waiting on the same lock */
	void *fiber;                  /* ThreadSanitizer's name for its stack, or NULL */
};

static struct aio_task tasks[AIO_MAX_TASKS];
static int n_tasks;
static struct aio_task *current; /* the running task; NULL while the loop runs */
static ucontext_t loop_context;  /* where the loop was when it resumed a task */
static void *loop_fiber;
static long long loop_clock_ns; /* the loop's clock: due time of the task last resumed */
static long long loop_start_ns; /* rl_clock_ns() when aio_run started */
static long long next_order;

static _Noreturn void die(const char *why)
{
	fprintf(stderr, "event loop: %s\n", why);
	abort();
}

static void make_due(struct aio_task *t, long long due_ns)
{
	t->state = TASK_DUE;
	t->due_ns = due_ns;
	t->order = next_order++;
}

/* From a task: saves it and resumes the loop. Returns when the loop resumes the task. */
static void suspend(void)
{
	struct aio_task *t = current;
	fiber_switch(loop_fiber);
	swapcontext(&t->context, &loop_context);
}

/* From the loop: runs t until it awaits or returns. */
static void resume(struct aio_task *t)
{
	current = t;
	fiber_switch(t->fiber);
	swapcontext(&loop_context, &t->context);
	current = NULL;
}

/* Every task starts here; makecontext passes only ints, so it gets its index. */
static void task_main(int index)
{
	struct aio_task *t = &tasks[index];
	t->fn(t->arg);
	t->state = TASK_DONE;
	suspend(); /* the loop never resumes a finished task */
}

void aio_create_task(void (*fn)(void *arg), void *arg)
{
	if (n_tasks == AIO_MAX_TASKS)
		die("too many tasks");
	struct aio_task *t = &tasks[n_tasks];
	t->stack = malloc(TASK_STACK_BYTES);
	if (!t->stack || getcontext(&t->context) != 0)
		die("cannot make a task");
	t->context.uc_stack.ss_sp = t->stack;
	t->context.uc_stack.ss_size = TASK_STACK_BYTES;
	t->context.uc_link = NULL;
	makecontext(&t->context, (void (*)(void))task_main, 1, n_tasks);
	t->fn = fn;
	t->arg = arg;
	t->fiber = fiber_create();
	make_due(t, loop_clock_ns); /* runs as soon as the loop starts, in creation order */
	n_tasks++;
}

/* The due task with the earliest due time, or NULL when none is due. */
static struct aio_task *next_due(void)
{
	struct aio_task *best = NULL;
	for (int i = 0; i < n_tasks; i++) {
		struct aio_task *t = &tasks[i];
		if (t->state != TASK_DUE)
			continue;
		if (!best || t->due_ns < best->due_ns ||
		    (t->due_ns == best->due_ns && t->order < best->order))
			best = t;
	}
	return best;
}

/* Sleeps until real time catches up with due_ns on the loop's clock. */
static void wait_until(long long due_ns)
{
	long long ahead = loop_start_ns + due_ns - rl_clock_ns();
	if (ahead <= 0)
		return;
	struct timespec ts = {ahead / 1000000000, ahead % 1000000000};
	nanosleep(&ts, NULL);
}

void aio_run(void)
{
	int finished = 0;
	loop_start_ns = rl_clock_ns();
	loop_fiber = fiber_current();
	while (finished < n_tasks) {
		struct aio_task *t = next_due();
		if (!t)
			die("every task waits for a lock: none can ever run again");
		wait_until(t->due_ns);
		loop_clock_ns = t->due_ns;
		resume(t);
		if (t->state != TASK_DONE)
			continue;
		fiber_destroy(t->fiber);
		free(t->stack);
		finished++;
	}
	n_tasks = 0;
}

void await_sleep_us(long us)
{
	if (!current)
		die("await_sleep_us outside a task");
	make_due(current, loop_clock_ns + us * 1000);
	suspend();
}

void await_acquire(struct aio_lock *lock)
{
	if (!current)
		die("await_acquire outside a task");
	if (!lock->locked) {
		lock->locked = true; /* free: taken at once, no switch (as in asyncio) */
		return;
	}
	current->state = TASK_WAITING;
	current->next_waiter = NULL;
	if (lock->last_waiter)
		lock->last_waiter->next_waiter = current;
	else
		lock->first_waiter = current;
	lock->last_waiter = current;
	suspend(); /* resumed by aio_release, which has handed the lock to us */
}

void aio_release(struct aio_lock *lock)
{
	struct aio_task *next = lock->first_waiter;
	if (!lock->locked)
		die("aio_release of a lock nobody holds");
	if (!next) {
		lock->locked = false;
		return;
	}
	lock->first_waiter = next->next_waiter;
	if (!lock->first_waiter)
		lock->last_waiter = NULL;
	make_due(next, loop_clock_ns); /* still locked: now it is next's */
}
