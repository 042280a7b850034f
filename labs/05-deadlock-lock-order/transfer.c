/* transfer.c: Lab 5, deadlock by lock order.
 *
 * A bank: a few accounts, each with its own lock. Teller threads move money between
 * them. A transfer locks the account it takes money from, then the account it pays into.
 * Teller t's i-th transfer goes from account (t + i) mod accounts to the next one, so
 * with two tellers and two accounts one pays A -> B while the other pays B -> A. Each
 * takes its first lock, then waits for the lock the other holds: neither lets go, and
 * both wait forever (an ABBA deadlock).
 *
 * Expect: almost every run hangs; the harness sees every thread asleep on a lock and
 * calls the run a HANG. A run that finishes has the right total. ThreadSanitizer, on a
 * run that does not deadlock (one teller doing both directions), reports a
 * lock-order-inversion: a cycle in the order the locks were taken. Run it with
 * `make lab5`; the lab text is README.md beside this file; the fixed versions are in
 * solutions/05-deadlock-lock-order/. */
#include <stddef.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */
#define MAX_ACCOUNTS 64
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
	rl_lock(&from->lock);
	check_transfer(); /* the other teller may take its first lock meanwhile */
	rl_lock(&to->lock); /* BUG: locks taken in transfer order; the opposite transfer
			     * holds `to` and waits for `from` */
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
		{ "accounts", &n_accounts, 2, MAX_ACCOUNTS, "bank accounts" },
		{ "check-us", &check_us, 0, 1000000, "checks between the two locks, microseconds" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 5: tellers transfer money, locking from, then to.",
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
