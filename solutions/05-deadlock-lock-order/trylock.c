/* trylock.c: Lab 5 fixed by never waiting while holding a lock.
 *
 * A deadlock needs a thread that holds one lock and waits for another. Here a teller
 * takes `from`, then only tries `to`: if another teller holds it, the teller lets go of
 * `from` (so the other can finish), steps back and starts over. Nobody waits while
 * holding a lock, so no cycle of waiting threads can form. The price: retries, wasted
 * checks, and in principle a livelock if two tellers kept colliding in step for ever.
 * Check: racelab run lab5 --solution=trylock */
#include <stddef.h>

#include "labkit.h"

#define MAX_THREADS     1024 /* RL_KNOB_THREADS accepts at most this many */
#define MAX_ACCOUNTS    64
#define OPENING_BALANCE 1000

struct account {
	pthread_mutex_t lock; /* must be held to read or change balance */
	long balance;
};

static struct account accounts[MAX_ACCOUNTS];
static long n_accounts;
static long iterations;
static long check_us; /* how long the checks between the two locks take */
static struct rl_gate gate;

/* The checks a bank makes while it holds `from` (funds, limits, fraud). They take a few
 * microseconds, and other tellers run meanwhile. */
static void check_transfer(void)
{
	long long until = rl_clock_ns() + check_us * 1000;
	while (rl_clock_ns() < until)
		rl_yield();
}

/* Moves amount from one account to another, holding both locks. */
static void transfer(struct account *from, struct account *to, long amount)
{
	for (;;) {
		rl_lock(&from->lock);
		check_transfer(); /* the other teller may take its first lock meanwhile */
		if (rl_trylock(&to->lock))
			break;
		rl_unlock(&from->lock); /* FIXED: `to` is busy: let go of `from`, back off, retry */
		rl_yield();
	}
	from->balance -= amount;
	to->balance += amount;
	rl_unlock(&to->lock);
	rl_unlock(&from->lock);
}

static void *teller(void *arg)
{
	long t = (long)arg;
	rl_gate_wait(&gate); /* all tellers start together, so their transfers collide */
	for (long i = 0; i < iterations; i++) {
		long from = (t + i) % n_accounts;
		long to = (from + 1) % n_accounts;
		transfer(&accounts[from], &accounts[to], 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = 2;
	n_accounts = 2;
	iterations = 1000;
	check_us = 10;
	struct rl_knob knobs[] = {
	    RL_KNOB_THREADS(&threads),
	    RL_KNOB_ITERATIONS(&iterations),
	    {"accounts", &n_accounts, 2, MAX_ACCOUNTS, "bank accounts"},
	    {"check-us", &check_us, 0, 1000000, "checks between the two locks, microseconds"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 5 (trylock): a teller backs off if its second lock is busy.",
	              knobs);

	for (long a = 0; a < n_accounts; a++) {
		pthread_mutex_init(&accounts[a].lock, NULL);
		accounts[a].balance = OPENING_BALANCE;
	}
	pthread_t tellers[MAX_THREADS];
	rl_gate_init(&gate, (int)threads);
	long long start = rl_clock_ns();
	for (long t = 0; t < threads; t++)
		rl_thread_start(&tellers[t], teller, (void *)t);
	for (long t = 0; t < threads; t++)
		rl_thread_join(tellers[t], NULL); /* waits forever if the tellers deadlock */
	long long elapsed = rl_clock_ns() - start;

	long total = 0;
	for (long a = 0; a < n_accounts; a++)
		total += accounts[a].balance;
	long expected = n_accounts * OPENING_BALANCE;
	struct rl_result result = {
	    .what = "total balance",
	    .observed = (double)total,
	    .expected = (double)expected,
	    .symptom = total != expected,
	    .ops = threads * iterations,
	    .work_ns = elapsed,
	};
	rl_result_report(&result);
	return 0;
}
