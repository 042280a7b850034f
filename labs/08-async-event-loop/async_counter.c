/* async_counter.c: Lab 8, a lost update with no thread in sight.
 *
 * One thread runs an event loop (event_loop.c beside this file: a tiny asyncio in C)
 * with a few tasks. Each task handles `iterations` requests: it awaits the next one
 * (simulated I/O of random length), then counts it the way a careless async program
 * does: reads the shared counter, awaits more I/O (say, writing a log record), and
 * writes back what it read, plus 1. While a task waits at that await, the loop runs the
 * other tasks; they count their requests, and the late write wipes out their counts.
 *
 * Expect: the counter ends far below tasks x iterations in every run; a different total
 * for each seed, the very same total for the same --seed. ThreadSanitizer says nothing:
 * there is one thread, and the interleaving is the program's own. Run it with
 * `make lab8`; the lab text is README.md beside this file; the fixed versions are in
 * solutions/08-async-event-loop/. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "labkit.h"
#include "event_loop.h"

static long counter; /* shared by every task; the loop runs one task at a time */
static long iterations;
static long max_io_us;

/* How long one simulated I/O takes: random, so each seed interleaves the tasks anew. */
static long io_time_us(void)
{
	return random() % (max_io_us + 1);
}

/* In Python: async def count_requests(): ...; seen = counter; await asyncio.sleep(t); ... */
static void count_requests(void *arg)
{
	(void)arg;
	for (long i = 0; i < iterations; i++) {
		await_sleep_us(io_time_us()); /* wait for the next request */
		long seen = counter;
		await_sleep_us(io_time_us()); /* RACE: other tasks run here and change counter */
		counter = seen + 1;           /* ...then this overwrites their changes */
	}
}

int main(int argc, char **argv)
{
	long tasks = 8, seed = 0;
	iterations = 20;
	max_io_us = 1000;
	struct rl_knob knobs[] = {
		{ "tasks", &tasks, 1, AIO_MAX_TASKS, "tasks on the event loop" },
		RL_KNOB_ITERATIONS(&iterations),
		{ "io-us", &max_io_us, 0, 100000, "longest simulated I/O wait, microseconds" },
		{ "seed", &seed, 0, 1000000000, "seed for the I/O times (0: a new one each run)" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 8: async tasks update one counter across an await.",
		      knobs);
	if (seed == 0)
		seed = (rl_clock_ns() ^ getpid()) % 1000000000 + 1;
	srandom((unsigned)seed);

	long long start = rl_clock_ns();
	for (long t = 0; t < tasks; t++)
		aio_create_task(count_requests, NULL); /* asyncio.create_task(count_requests()) */
	aio_run();                              /* asyncio.run(): until every task is done */
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
