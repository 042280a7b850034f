/* mutex.c: Lab 7 fixed with a mutex and a condition variable.
 *
 * The writer sets message and ready while holding message_lock; a reader checks ready
 * while holding the same lock. Unlocking and then locking the same mutex orders
 * everything before the unlock before everything after the lock, so a reader that sees
 * ready == 1 sees the message too; and pthread_mutex_lock is a call the compiler must
 * assume changes shared memory, so `ready` is read again every turn. Instead of spinning,
 * a reader sleeps in pthread_cond_wait until the writer broadcasts.
 * Check: racelab run lab7 --solution=mutex */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */
#define ANSWER 42        /* the message main gives the writer to publish */

static long message; /* message_lock must be held to use message and ready */
static int ready;    /* 1 once message is complete */
static pthread_mutex_t message_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t message_ready = PTHREAD_COND_INITIALIZER; /* signalled when ready is set */
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
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = us % 1000000 * 1000 };
	nanosleep(&ts, NULL);
}

static void *writer(void *arg)
{
	long answer = (long)arg; /* what to publish, from main */
	while (atomic_load(&readers_waiting) < readers)
		rl_yield();
	pause_us(prepare_us); /* preparing the message takes a while: readers wait meanwhile */
	rl_lock(&message_lock);
	message = answer;
	ready = 1; /* FIXED: under the lock, and waiting readers are woken */
	rl_cond_broadcast(&message_ready);
	rl_unlock(&message_lock);
	return NULL;
}

static void *reader(void *arg)
{
	long r = (long)arg;
	atomic_fetch_add(&readers_waiting, 1);
	rl_lock(&message_lock);
	while (!ready) /* FIXED: checked under the lock; sleeps in the wait instead of spinning */
		rl_cond_wait(&message_ready, &message_lock);
	got[r] = message;
	rl_unlock(&message_lock);
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
		{ "prepare-us", &prepare_us, 0, 1000000, "time the writer takes to prepare (us)" },
		{ "stuck-ms", &stuck_ms, 1, 1000, "CPU ms a reader may spin after ready is set" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 7 (mutex solution): a mutex and a condvar.",
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
