/* publication.c: Lab 7, publishing data through a plain flag.
 *
 * A writer thread prepares a message, stores it, then sets a flag: `ready = 1`. Reader
 * threads wait for the flag, `while (!ready) ;`, then read the message. Threads share
 * memory, so this looks fine. But `ready` is a plain int that nothing synchronises: the
 * compiler may assume no other thread changes it while the loop runs. At -O2, gcc loads
 * `ready` once and spins on that copy forever; clang goes further and deletes the wait
 * (a loop without side effects may be assumed to end), so the reader reads the message
 * before it is written.
 *
 * Expect: no reader gets the message in almost every run: "never saw ready" (a reader
 * still spinning when main stops waiting) or "read before it was published" (a wrong
 * value); ThreadSanitizer reports a data race on `ready` at the marked lines. Run it with
 * `make lab7`; the lab text is README.md beside this file; the fixed versions are in
 * solutions/07-publication-visibility/. */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */
#define ANSWER 42        /* the message the writer publishes */

static long message; /* written by the writer before ready is set */
static int ready;    /* 1 once message is complete; plain int, synchronises nothing */
static long readers;
static long prepare_us;

/* Scaffolding, not part of the lesson. The writer starts preparing only once every reader
 * is at its wait loop, so every run shows what happens to a reader that is waiting (by
 * chance, a reader may also come late and find the message ready). A reader sets its done
 * flag when it has read the message, so main can tell a slow reader from one that never
 * finishes. */
static atomic_long readers_waiting;
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
	while (atomic_load(&readers_waiting) < readers)
		rl_yield();
	pause_us(prepare_us); /* preparing the message takes a while: readers wait meanwhile */
	message = ANSWER;
	ready = 1; /* RACE: a plain store; nothing makes readers see it, or see it after message */
	return NULL;
}

static void *reader(void *arg)
{
	long r = (long)arg;
	atomic_fetch_add(&readers_waiting, 1);
	while (!ready) /* RACE: a plain load; the compiler may read it once, or drop the loop */
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
	readers = 1;
	long wait_ms = 200;
	prepare_us = 1000;
	struct rl_knob knobs[] = {
		RL_KNOB_THREADS(&readers),
		{ "prepare-us", &prepare_us, 0, 1000000, "microseconds the writer takes to prepare" },
		{ "wait-ms", &wait_ms, 1, 4000, "how long main waits for the readers" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 7: a writer publishes a message through a plain flag.",
		      knobs);

	pthread_t writer_thread, reader_threads[MAX_THREADS];
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
