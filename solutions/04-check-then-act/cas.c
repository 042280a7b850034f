/* cas.c: Lab 4 fixed with compare-and-swap (C11 atomic_compare_exchange_weak).
 *
 * A teller reads the balance, checks it, and then subtracts only if the balance is still
 * the one it checked: compare-and-swap does "compare, then store" as one indivisible
 * step. If another teller got there first, the swap fails, hands back the new balance,
 * and the teller checks again. No lock and no waiting in line; under heavy competition
 * tellers may retry. Check: racelab run lab4 --solution=cas */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */

static atomic_long balance; /* the account, shared by every teller; only touched atomically */
static long amount;  /* every withdrawal takes this much */
static struct rl_gate gate;

/* Takes amount from the account if it holds enough. Returns true when it paid out. */
static bool withdraw(void)
{
	long seen = atomic_load(&balance);
	while (seen >= amount) {
		/* A real teller does something here: writes an audit line, asks the fraud
		 * service, or is simply preempted. rl_yield() stands for that moment. */
		rl_yield();
		/* FIXED: store seen - amount only if balance still equals seen; otherwise
		 * seen gets the new balance and the loop checks again. */
		if (atomic_compare_exchange_weak(&balance, &seen, seen - amount))
			return true;
	}
	return false;
}

static void *teller(void *arg)
{
	long *paid_out = arg; /* this teller's own total: only it writes, main reads after join */
	rl_gate_wait(&gate); /* all tellers start together, so they compete for the account */
	while (withdraw())
		*paid_out += amount;
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = 4;
	long iterations = 2500;
	amount = 100;
	struct rl_knob knobs[] = {
		RL_KNOB_THREADS(&threads),
		RL_KNOB_ITERATIONS(&iterations),
		{ "amount", &amount, 1, 1000000, "money taken by one withdrawal" },
		RL_KNOB_END,
	};
	rl_args_parse(argc, argv,
		      "Lab 4 (cas solution): tellers subtract with compare-and-swap.",
		      knobs);

	/* Enough money for `iterations` withdrawals per teller, not one more. */
	long opening = threads * iterations * amount;
	atomic_store(&balance, opening);

	pthread_t tellers[MAX_THREADS];
	long paid_out[MAX_THREADS] = { 0 };
	rl_gate_init(&gate, (int)threads);
	long long start = rl_clock_ns();
	for (long t = 0; t < threads; t++)
		rl_thread_start(&tellers[t], teller, &paid_out[t]);
	for (long t = 0; t < threads; t++)
		rl_thread_join(tellers[t], NULL);
	long long elapsed = rl_clock_ns() - start;

	long left = atomic_load(&balance);
	long total_paid = 0;
	for (long t = 0; t < threads; t++)
		total_paid += paid_out[t];

	/* Money is neither made nor lost: paid out + what is left == opening balance, and
	 * the account never goes below zero. Correct tellers empty it exactly: paid out ==
	 * opening balance, final balance 0. */
	struct rl_result result = {
		.what = "paid out",
		.observed = (double)total_paid,
		.expected = (double)opening,
		.symptom = total_paid + left != opening || left < 0,
		.ops = threads * iterations,
		.work_ns = elapsed,
	};
	rl_result_metric("final_balance", (double)left);
	rl_result_report(&result);
	return 0;
}
