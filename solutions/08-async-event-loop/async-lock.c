/* async-lock.c: Lab 8 fixed with an async lock (asyncio.Lock).
 *
 * A task takes counter_lock before it reads the counter and gives it back after it has
 * written it. Another task that wants the counter meanwhile waits at await_acquire: the
 * loop runs the other tasks, but not this one, until the lock is free. The price: the
 * waits inside the lock no longer overlap; the run takes several times longer.
 * Check: racelab run lab8 --solution=async-lock */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "labkit.h"
#include "../../labs/08-async-event-loop/event_loop.h"

static long counter; /* shared by every task; hold counter_lock to use it */
static struct aio_lock counter_lock = AIO_LOCK_INITIALIZER;
static long iterations;
static long max_io_us;

/* How long one simulated I/O takes: random, so each seed interleaves the tasks anew. */
static long io_time_us(void)
{
	return random() % (max_io_us + 1);
}

/* In Python: async def count_requests(): ...; async with counter_lock: seen = ... */
static void count_requests(void *arg)
{
	(void)arg;
	for (long i = 0; i < iterations; i++) {
		await_sleep_us(io_time_us()); /* wait for the next request */
		await_acquire(&counter_lock); /* FIXED: async with counter_lock: */
		long seen = counter;
		await_sleep_us(io_time_us()); /* other tasks run here, but wait for the lock */
		counter = seen + 1;
		aio_release(&counter_lock);
	}
}

int main(int argc, char **argv)
{
	long tasks = 8, seed = 0;
	iterations = 20;
	max_io_us = 1000;
	struct rl_knob knobs[] = {
	    {"tasks", &tasks, 1, AIO_MAX_TASKS, "tasks on the event loop"},
	    RL_KNOB_ITERATIONS(&iterations),
	    {"io-us", &max_io_us, 0, 100000, "longest simulated I/O wait, microseconds"},
	    {"seed", &seed, 0, 1000000000, "seed for the I/O times (0: a new one each run)"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 8 (async-lock solution): an async lock around the update.",
	              knobs);
	if (seed == 0)
		seed = (rl_clock_ns() ^ getpid()) % 1000000000 + 1;
	srandom((unsigned)seed);

	long long start = rl_clock_ns();
	for (long t = 0; t < tasks; t++)
		aio_create_task(count_requests, NULL); /* asyncio.create_task(count_requests()) */
	aio_run();                                     /* asyncio.run(): until every task is done */
	long long elapsed = rl_clock_ns() - start;

	long expected = tasks * iterations;
	printf("seed: %ld (--seed %ld runs this interleaving again)\n", seed, seed);
	struct rl_result result = {
	    .what = "counter",
	    .observed = (double)counter,
	    .expected = (double)expected,
	    .symptom = counter != expected,
	    .ops = expected,
	    .work_ns = elapsed,
	};
	rl_result_report(&result);
	return 0;
}
