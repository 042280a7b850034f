/* broadcast.c: Lab 6 fixed with `while` and broadcast, keeping one condition variable.
 *
 * A woken thread is only told "something changed": by the time it holds the mutex again
 * another thread may have undone it. So it checks its condition again, in a `while`, and
 * waits again if it still does not hold. Producers and consumers still share one
 * condition variable, so a change wakes all waiters (broadcast): the ones that can go on
 * do, the others find their condition false and wait again. No wake-up is lost; the price
 * is threads woken for nothing. Check: racelab run lab6 --solution=broadcast */
#include <stddef.h>

#include "labkit.h"

#define MAX_PAIRS    512 /* producers (and as many consumers) at most */
#define MAX_CAPACITY 64

/* The buffer: a ring of `capacity` slots. lock must be held to use any of it. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER; /* both kinds wait here */
static long items[MAX_CAPACITY];
static long capacity;
static long count; /* items in the buffer */
static long in;    /* the next slot to fill */
static long out;   /* the next slot to empty */

static long iterations; /* items each producer makes, and each consumer takes */

static void put(long item)
{
	rl_lock(&lock);
	while (count == capacity) /* FIXED: check again after every wake-up */
		rl_cond_wait(&changed, &lock);
	items[in] = item;
	in = (in + 1) % capacity;
	count++;
	rl_cond_broadcast(&changed); /* FIXED: wakes every waiter, the consumers too */
	rl_unlock(&lock);
}

static long get(void)
{
	rl_lock(&lock);
	while (count == 0) /* FIXED: check again after every wake-up */
		rl_cond_wait(&changed, &lock);
	long item = items[out];
	out = (out + 1) % capacity;
	count--;
	rl_cond_broadcast(&changed); /* FIXED: wakes every waiter, the producers too */
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
	rl_args_parse(argc, argv, "Lab 6 (broadcast): while loops, one condition, broadcast.",
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
