/* waiter.c: Lab 10 fixed with a waiter who keeps one seat empty.
 *
 * A deadlock needs all N philosophers to hold a left fork at once. Here a philosopher
 * asks the waiter before reaching for the forks, and the waiter lets at most N - 1 of
 * them reach at a time (a counting semaphore, made of a mutex and a condition variable).
 * With N forks and at most N - 1 reaching, one of them always gets both forks, eats and
 * lets go: the cycle never closes. Everyone still takes left, then right.
 * Check: racelab run lab10 --solution=waiter */
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

/* The waiter counts the philosophers reaching for forks; waiter_lock guards the count. */
static pthread_mutex_t waiter_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t seat_freed = PTHREAD_COND_INITIALIZER;
static long reaching; /* philosophers between sit_down() and stand_up() */

static void sit_down(void)
{
	rl_lock(&waiter_lock);
	while (reaching == philosophers - 1)
		rl_cond_wait(&seat_freed, &waiter_lock);
	reaching++;
	rl_unlock(&waiter_lock);
}

static void stand_up(void)
{
	rl_lock(&waiter_lock);
	reaching--;
	rl_cond_signal(&seat_freed);
	rl_unlock(&waiter_lock);
}

/* ThreadSanitizer's deadlock check still sees the forks taken in a cycle (fork p, then
 * fork p + 1, all round the table). It cannot know that the waiter keeps the cycle from
 * ever closing, so it would report a lock-order-inversion: a false alarm. This hook, read
 * by TSan at start-up (and unused in the plain build), tells it so for this file only. */
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
	return "deadlock:waiter.c\n";
}

static void think(unsigned *seed)
{
	if (think_us > 0)
		usleep((useconds_t)(rand_r(seed) % think_us));
}

static void eat(long p)
{
	long left = p;
	long right = (p + 1) % philosophers;
	sit_down(); /* FIXED: at most N - 1 philosophers reach for forks at once */
	rl_lock(&forks[left]);
	usleep(50); /* reaching for the second fork takes a moment: neighbours take theirs */
	rl_lock(&forks[right]);
	meals[p]++;
	rl_unlock(&forks[right]);
	rl_unlock(&forks[left]);
	stand_up();
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
	rl_args_parse(argc, argv, "Lab 10 (waiter): at most N - 1 reach for forks at once.",
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
