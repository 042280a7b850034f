/* ordered.c: Lab 10 fixed by numbering the forks.
 *
 * A deadlock needs a cycle of waiting. Here every philosopher takes the lower-numbered of
 * its two forks first. For all but the last that is still the left fork; the last one,
 * between fork N-1 and fork 0, now reaches for fork 0 first, like its right-hand
 * neighbour. Locks are always taken in increasing order, so no philosopher holding a
 * higher fork ever waits for a lower one, and the cycle cannot close.
 * Check: racelab run lab10 --solution=ordered */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "labkit.h"

#define MAX_PHILOSOPHERS 16 /* one meals.N metric each: the result takes at most 16 */

static pthread_mutex_t forks[MAX_PHILOSOPHERS];
static long meals[MAX_PHILOSOPHERS]; /* meals[p] is written only by philosopher p */
static long philosophers;
static atomic_long servings;          /* left in the pot */
static long think_us;                 /* longest thinking time; 0: no thinking */
static struct rl_gate gate;

static void think(unsigned *seed)
{
	if (think_us > 0)
		usleep((useconds_t)(rand_r(seed) % think_us));
}

static void eat(long p)
{
	long left = p;
	long right = (p + 1) % philosophers;
	long first = left < right ? left : right; /* FIXED: lower-numbered fork first */
	long second = left < right ? right : left;
	rl_lock(&forks[first]);
	usleep(50); /* reaching for the second fork takes a moment: neighbours take theirs */
	rl_lock(&forks[second]);
	meals[p]++;
	rl_unlock(&forks[second]);
	rl_unlock(&forks[first]);
}

static void *philosopher(void *arg)
{
	long p = (long)arg;
	unsigned seed = (unsigned)p + 1;
	rl_gate_wait(&gate); /* all sit down together, so they reach for forks together */
	while (atomic_fetch_sub(&servings, 1) > 0) {
		think(&seed);
		eat(p);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long each = 200;
	philosophers = 5;
	struct rl_knob knobs[] = {
		{ "threads", &philosophers, 2, MAX_PHILOSOPHERS, "philosophers (one thread each)" },
		{ "iterations", &each, 1, 1000000, "servings in the pot per philosopher" },
		{ "think-us", &think_us, 0, 1000000, "longest thinking time, microseconds" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 10 (ordered): lower-numbered fork first.",
		      knobs);

	for (long p = 0; p < philosophers; p++)
		pthread_mutex_init(&forks[p], NULL);
	atomic_init(&servings, philosophers * each);
	pthread_t threads[MAX_PHILOSOPHERS];
	rl_gate_init(&gate, (int)philosophers);
	long long start = rl_clock_ns();
	for (long p = 0; p < philosophers; p++)
		rl_thread_start(&threads[p], philosopher, (void *)p);
	for (long p = 0; p < philosophers; p++)
		rl_thread_join(threads[p], NULL); /* waits forever if the table deadlocks */
	long long elapsed = rl_clock_ns() - start;

	long total = 0;
	for (long p = 0; p < philosophers; p++) {
		char name[32];
		snprintf(name, sizeof(name), "meals.%ld", p);
		rl_result_metric(name, (double)meals[p]); /* how fairly the pot was shared */
		total += meals[p];
	}
	struct rl_result result = {
		.what = "meals eaten",
		.observed = (double)total,
		.expected = (double)(philosophers * each),
		.symptom = total != philosophers * each,
		.ops = total,
		.work_ns = elapsed,
	};
	rl_result_report(&result);
	return 0;
}
