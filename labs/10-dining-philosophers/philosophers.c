/* philosophers.c: Lab 10, the dining philosophers.
 *
 * Philosophers sit at a round table with one fork between each two neighbours; fork p is
 * on philosopher p's left, fork p + 1 on the right. A philosopher eats with both forks:
 * each takes the left fork, then the right one, eats, and puts both down. Dinner is a pot
 * of servings; each philosopher takes a serving, thinks a while, eats, and starts over
 * until the pot is empty. Each fork is a mutex.
 *
 * If every philosopher takes the left fork at the same moment, every right fork is some
 * neighbour's left fork: each waits for the philosopher to the right, around the whole
 * table, and nobody ever eats again. A deadlock: a cycle of threads, each holding a lock
 * the next one waits for.
 *
 * Expect: with no thinking (the default) almost every run hangs at once; the harness sees
 * every thread asleep on a fork and calls the run a HANG. A run that finishes prints how
 * many meals each philosopher got. ThreadSanitizer, on a run where the philosophers think
 * a random while and so do not deadlock, reports a lock-order-inversion: the cycle of
 * forks. Run it with `make lab10`; the lab text is README.md beside this file; the fixed
 * versions are in solutions/10-dining-philosophers/. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "labkit.h"

#define MAX_PHILOSOPHERS 16 /* one meals.N metric each: the result takes at most 16 */

static pthread_mutex_t forks[MAX_PHILOSOPHERS];
static long meals[MAX_PHILOSOPHERS]; /* meals[p] is written only by philosopher p */
static long philosophers;
static atomic_long servings; /* left in the pot */
static long think_us;        /* longest thinking time; 0: no thinking */
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
	rl_lock(&forks[left]);
	usleep(50); /* reaching for the second fork takes a moment: neighbours take theirs */
	rl_lock(&forks[right]); /* BUG: everyone holds a left fork and waits for a right one */
	meals[p]++;
	rl_unlock(&forks[right]);
	rl_unlock(&forks[left]);
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
	    {"threads", &philosophers, 2, MAX_PHILOSOPHERS, "philosophers (one thread each)"},
	    {"iterations", &each, 1, 1000000, "servings in the pot per philosopher"},
	    {"think-us", &think_us, 0, 1000000, "longest thinking time, microseconds"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 10: philosophers take the left fork, then the right.",
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
