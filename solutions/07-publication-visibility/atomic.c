/* atomic.c: Lab 7 fixed with C11 atomics, release and acquire.
 *
 * `ready` becomes an atomic_int. The compiler must load it on every turn of the wait loop
 * (it may not assume no other thread changes it), and the release store / acquire load
 * pair orders the message: everything the writer wrote before its release store is
 * visible to a reader after its acquire load returns 1. The message itself stays a plain
 * variable: the flag publishes it. Check: racelab run lab7 --solution=atomic */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */
#define ANSWER 42        /* the message the writer publishes */

static long message;     /* written by the writer before ready is set */
static atomic_int ready; /* 1 once message is complete; its release/acquire orders message */
static long prepare_us;
static struct rl_gate gate;

/* Only for main's bounded wait, not part of the lesson: a reader sets its flag when it
 * has read the message, so main can tell a slow reader from one that never finishes. */
static atomic_bool reader_done[MAX_THREADS];
static long got[MAX_THREADS]; /* the message each reader read; main reads it after join */

static void pause_us(long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = us % 1000000 * 1000 };
	nanosleep(&ts, NULL);
}

static void *writer(void *arg)
{
	(void)arg;
	rl_gate_wait(&gate);
	pause_us(prepare_us); /* preparing the message takes a while: readers wait meanwhile */
	message = ANSWER;
	/* FIXED: a release store: a reader whose acquire load sees 1 also sees message. */
	atomic_store_explicit(&ready, 1, memory_order_release);
	return NULL;
}

static void *reader(void *arg)
{
	long r = (long)arg;
	rl_gate_wait(&gate);
	/* FIXED: an atomic load happens every turn and cannot be dropped; acquire pairs with
	 * the writer's release, so message is complete once ready reads 1. */
	while (!atomic_load_explicit(&ready, memory_order_acquire))
		;
	got[r] = message;
	atomic_store(&reader_done[r], true);
	return NULL;
}

/* Waits until every reader is done or wait_ms has passed; returns the number done. */
static long wait_for_readers(long readers, long wait_ms)
{
	long long deadline = rl_clock_ns() + wait_ms * 1000000LL;
	long done = 0;
	for (long r = 0; r < readers; r++) {
		while (!atomic_load(&reader_done[r]) && rl_clock_ns() < deadline)
			pause_us(1000);
		done += atomic_load(&reader_done[r]);
	}
	return done;
}

int main(int argc, char **argv)
{
	long readers = 1;
	long wait_ms = 200;
	prepare_us = 1000;
	struct rl_knob knobs[] = {
		RL_KNOB_THREADS(&readers),
		{ "prepare-us", &prepare_us, 0, 1000000, "microseconds the writer takes to prepare" },
		{ "wait-ms", &wait_ms, 1, 4000, "how long main waits for the readers" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 7 (atomic solution): the flag is a release/acquire atomic.",
		      knobs);

	pthread_t writer_thread, reader_threads[MAX_THREADS];
	rl_gate_init(&gate, (int)readers + 1);
	for (long r = 0; r < readers; r++)
		rl_thread_start(&reader_threads[r], reader, (void *)r);
	rl_thread_start(&writer_thread, writer, NULL);
	rl_thread_join(writer_thread, NULL);
	long done = wait_for_readers(readers, wait_ms);

	long correct = 0;
	for (long r = 0; r < readers; r++) {
		if (!atomic_load(&reader_done[r])) {
			printf("reader %ld: never saw ready == 1 (still spinning after %ld ms)\n", r,
			       wait_ms);
			continue; /* cannot join it: it would never return */
		}
		rl_thread_join(reader_threads[r], NULL);
		if (got[r] == ANSWER)
			correct++;
		else
			printf("reader %ld: read message %ld, expected %d: read before it was published\n",
			       r, got[r], ANSWER);
	}

	struct rl_result result = {
		.what = "readers that got the message",
		.observed = (double)correct,
		.expected = (double)readers,
		.symptom = correct != readers,
	};
	rl_result_metric("readers_stuck", (double)(readers - done));
	rl_result_report(&result);
	/* Returning from main ends the process, readers still spinning included. */
	return 0;
}
