/* event_loop.h: a tiny asyncio for C. One thread runs an event loop; the loop runs
 * tasks, one at a time, each on its own stack. A task runs until it awaits: then it is
 * suspended and the loop runs another task. Nothing else ever switches tasks: no timer
 * interrupt, no second thread. The programmer decides where the switches are.
 *
 *   Python (asyncio)                  here
 *   asyncio.create_task(coro())       aio_create_task(fn, arg)
 *   asyncio.run(main())               aio_run()
 *   await asyncio.sleep(t)            await_sleep_us(us)
 *   lock = asyncio.Lock()             struct aio_lock lock = AIO_LOCK_INITIALIZER;
 *   await lock.acquire()              await_acquire(&lock)
 *   lock.release()                    aio_release(&lock)
 *
 * The functions whose name starts with await_ are the only places a task can be
 * suspended. Tasks and locks belong to the one thread that calls aio_run(). */
#ifndef RACELAB_EVENT_LOOP_H
#define RACELAB_EVENT_LOOP_H

#include <stdbool.h>

#define AIO_MAX_TASKS 64

struct aio_task;

/* An asyncio.Lock: at most one task holds it; the others wait at await_acquire. */
struct aio_lock {
	bool locked;                  /* some task holds it */
	struct aio_task *first_waiter; /* waiting tasks, in the order they came */
	struct aio_task *last_waiter;
};

#define AIO_LOCK_INITIALIZER { false, NULL, NULL }

/* Adds a task that will run fn(arg) once aio_run() starts the loop. At most
 * AIO_MAX_TASKS tasks; aborts beyond that or when out of memory. */
void aio_create_task(void (*fn)(void *arg), void *arg);

/* Runs the loop until every task has returned, then frees them. Aborts with a message
 * if every task left waits on a lock (no task can ever run again). */
void aio_run(void);

/* Suspends the calling task for us microseconds (0: just let the others run first).
 * Stands for any I/O wait: a network reply, a database query. Called from a task only. */
void await_sleep_us(long us);

/* Takes lock; while another task holds it, suspends the caller until it is handed over.
 * Called from a task only. */
void await_acquire(struct aio_lock *lock);

/* Releases lock, held by the caller; the first waiting task gets it next. Never
 * suspends. */
void aio_release(struct aio_lock *lock);

#endif
