/* bounded_buffer.c: Lab 6, a bounded buffer with one condition variable.
 *
 * Producers put numbered items into a small ring buffer; consumers take them out and add
 * them up. One mutex guards the buffer. One condition variable, `changed`, serves both
 * kinds of waiting: a producer waits on it while the buffer is full, a consumer while it
 * is empty. A waiting thread checks its condition with `if`, once, and a thread that
 * changes the buffer wakes one waiter with pthread_cond_signal.
 *
 * With one producer and one consumer this works. With several, a woken thread is not the
 * next to run: between the signal and its return from the wait, another consumer can
 * take the item it was woken for, or another producer fill the slot. The `if` does not
 * look again: the consumer takes from an empty buffer (an old item, counted twice), the
 * producer puts into a full one (overwriting an item nobody took). And with one condition
 * variable, a producer's signal may wake a producer while consumers wait: sooner or later
 * every thread waits and nobody is left to signal.
 *
 * Expect: the sum of the consumed items differs from the sum produced, or the run hangs
 * with every thread waiting. ThreadSanitizer finds nothing: every access is under the
 * mutex. Run it with `make lab6`; the lab text is README.md beside this file; the fixed
 * versions are in solutions/06-condvar-bounded-buffer/. */
#include <stddef.h>

#include "labkit.h"

#define MAX_PAIRS    512 /* producers (and as many consumers) at most */
#define MAX_CAPACITY 64

/* The buffer: a ring of `capacity` slots. lock must be held to use any of it. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER; /* BUG: one condition for two */
static long items[MAX_CAPACITY];
static long capacity;
static long count; /* items in the buffer */
static long in;    /* the next slot to fill */
static long out;   /* the next slot to empty */

static long iterations; /* items each producer makes, and each consumer takes */

static void put(long item)
{
	rl_lock(&lock);
	if (count == capacity) /* BUG: `if`, not `while`: after the wait it may be full again */
		rl_cond_wait(&changed, &lock);
	items[in] = item;
	in = (in + 1) % capacity;
	count++;
	rl_cond_signal(&changed); /* BUG: wakes one waiter: maybe a producer */
	rl_unlock(&lock);
}

static long get(void)
{
	rl_lock(&lock);
	if (count == 0) /* BUG: `if`, not `while`: after the wait it may be empty again */
		rl_cond_wait(&changed, &lock);
	long item = items[out];
	out = (out + 1) % capacity;
	count--;
	rl_cond_signal(&changed); /* BUG: wakes one waiter: maybe a consumer */
	rl_unlock(&lock);
	return item;
}

static void *producer(void *arg)
{
	long p = (long)arg;
	for (long i = 0; i < iterations; i++)
		put(p * iterations + i + 1); /* items are 1, 2, ..., pairs x iterations */
	return NULL;
}

static void *consumer(void *arg)
{
	long *sum = arg; /* this consumer's own total, read by main after the join */
	for (long i = 0; i < iterations; i++)
		*sum += get();
	return NULL;
}

int main(int argc, char **argv)
{
	long pairs = 3;
	iterations = 200;
	capacity = 1;
	struct rl_knob knobs[] = {
	    {"threads", &pairs, 1, MAX_PAIRS, "producers, and as many consumers"},
	    RL_KNOB_ITERATIONS(&iterations),
	    {"capacity", &capacity, 1, MAX_CAPACITY, "slots in the buffer"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 6: producers and consumers share one condition variable.",
	              knobs);

	static pthread_t producers[MAX_PAIRS], consumers[MAX_PAIRS];
	static long sums[MAX_PAIRS];
	/* No start gate: the threads meet at the buffer anyway, and the gate's pinning each
	 * thread to one CPU would only slow down the hand-offs between them. */
	long long start = rl_clock_ns();
	for (long p = 0; p < pairs; p++) {
		rl_thread_start(&producers[p], producer, (void *)p);
		rl_thread_start(&consumers[p], consumer, &sums[p]);
	}
	for (long p = 0; p < pairs; p++) {
		rl_thread_join(producers[p], NULL); /* waits forever if everyone waits */
		rl_thread_join(consumers[p], NULL);
	}
	long long elapsed = rl_clock_ns() - start;

	long total = 0;
	for (long p = 0; p < pairs; p++)
		total += sums[p];
	long n = pairs * iterations;
	long expected = n * (n + 1) / 2; /* 1 + 2 + ... + n: each item taken exactly once */
	struct rl_result result = {
	    .what = "sum of items taken",
	    .observed = (double)total,
	    .expected = (double)expected,
	    .symptom = total != expected,
	    .ops = n,
	    .work_ns = elapsed,
	};
	rl_result_report(&result);
	return 0;
}
