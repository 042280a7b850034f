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
 * Expect: no reader gets the message, in almost every run: it "never saw ready" (main
 * finds it still spinning long after the flag was set and gives up on it) or it read the
 * message before it was published; ThreadSanitizer reports a data race on `ready` or on
 * `message` (whichever the compiler kept) at the marked lines. Run it with `make lab7`;
 * the lab text is README.md beside this file; the fixed versions are in
 * solutions/07-publication-visibility/. */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */
#define ANSWER      42   /* the message main gives the writer to publish */

static long message; /* written by the writer before ready is set */
static int ready;    /* 1 once message is complete; plain int, synchronises nothing */
static long readers;
static long prepare_us;

/* Scaffolding, not part of the lesson. The writer starts preparing only once every reader
 * is at its wait loop, so every run shows what happens to a reader that is waiting (by
 * chance, a reader may also come late and find the message ready). A reader sets its done
 * flag when it has read the message, so main can tell a slow reader from one that never
 * finishes (wait_for_reader). */
static atomic_long readers_waiting;
static atomic_bool reader_done[MAX_THREADS];
static long got[MAX_THREADS]; /* the message each reader read; main reads it after join */

static void pause_us(long us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = us % 1000000 * 1000};
	nanosleep(&ts, NULL);
}

static void *writer(void *arg)
{
	long answer = (long)arg; /* what to publish, from main */
	while (atomic_load(&readers_waiting) < readers)
		rl_yield();
	pause_us(prepare_us); /* preparing the message takes a while: readers wait meanwhile */
	message = answer;     /* RACE: the data... */
	ready = 1; /* RACE: ...and the flag: plain stores; nothing orders them for readers */
	return NULL;
}

static void *reader(void *arg)
{
	long r = (long)arg;
	atomic_fetch_add(&readers_waiting, 1);
	while (!ready) /* RACE: a plain load; the compiler may read it once, or drop the loop */
		;
	got[r] = message; /* RACE: may read the message before it is written */
	atomic_store(&reader_done[r], true);
	return NULL;
}

/* CPU time thread t has used so far, in ns (0 if it cannot be read). */
static long long cpu_ns(pthread_t t)
{
	clockid_t clock;
	struct timespec ts;
	if (pthread_getcpuclockid(t, &clock) || clock_gettime(clock, &ts))
		return 0;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Waits, once the message is published, for reader r (thread t) to finish. Returns false
 * if it burns stuck_ms of CPU time without finishing: a reader that sees ready == 1 needs
 * microseconds, so it is spinning on a stale copy. A reader that merely has not been
 * scheduled uses no CPU time and is waited for (up to 2 s). */
static bool wait_for_reader(pthread_t t, long r, long stuck_ms)
{
	long long cpu_start = cpu_ns(t);
	long long give_up = rl_clock_ns() + 2000000000LL;
	while (!atomic_load(&reader_done[r])) {
		if (cpu_ns(t) - cpu_start > stuck_ms * 1000000LL || rl_clock_ns() > give_up)
			return false;
		pause_us(1000);
	}
	return true;
}

/* Waits for every reader, joins those that finish and says what went wrong. Returns the
 * number of readers that got the message; *stuck counts those main gave up on. */
static long collect_readers(pthread_t *threads, long stuck_ms, long *stuck)
{
	long correct = 0;
	for (long r = 0; r < readers; r++) {
		if (!wait_for_reader(threads[r], r, stuck_ms)) {
			printf("reader %ld: never saw ready (spun %ld CPU ms after it was set)\n",
			       r, stuck_ms);
			(*stuck)++;
			continue; /* cannot join it: it would never return */
		}
		rl_thread_join(threads[r], NULL);
		if (got[r] == ANSWER)
			correct++;
		else
			printf("reader %ld: got message %ld, not %d: read before it was sent\n", r,
			       got[r], ANSWER);
	}
	return correct;
}

int main(int argc, char **argv)
{
	readers = 1;
	prepare_us = 1000;
	long stuck_ms = 20;
	struct rl_knob knobs[] = {
	    RL_KNOB_THREADS(&readers),
	    {"prepare-us", &prepare_us, 0, 1000000, "time the writer takes to prepare (us)"},
	    {"stuck-ms", &stuck_ms, 1, 1000, "CPU ms a reader may spin after ready is set"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 7: a writer publishes a message through a plain flag.",
	              knobs);

	pthread_t writer_thread, reader_threads[MAX_THREADS];
	for (long r = 0; r < readers; r++)
		rl_thread_start(&reader_threads[r], reader, (void *)r);
	rl_thread_start(&writer_thread, writer, (void *)(long)ANSWER);
	rl_thread_join(writer_thread, NULL); /* from here on, ready == 1 in memory */
	long stuck = 0;
	long correct = collect_readers(reader_threads, stuck_ms, &stuck);

	struct rl_result result = {
	    .what = "readers that got the message",
	    .observed = (double)correct,
	    .expected = (double)readers,
	    .symptom = correct != readers,
	};
	rl_result_metric("readers_stuck", (double)stuck);
	rl_result_report(&result);
	/* Returning from main ends the process, readers still spinning included. */
	return 0;
}
