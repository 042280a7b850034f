/* check_then_act.c: Lab 4, check-then-act.
 *
 * One bank account and a few tellers (worker threads). Each teller withdraws the same
 * amount again and again, as long as the account holds enough:
 *
 *	if (balance >= amount) { ...; balance -= amount; }
 *
 * The check and the act are two separate steps and nothing holds the account between
 * them. Two tellers can both see "enough" for the last withdrawal and both pay it out,
 * and the two `balance -= amount` can overwrite each other. The bank pays out more than
 * the account ever held, and the balance can end below zero.
 *
 * Expect: "paid out" above the opening balance in almost every run, by a different
 * amount each time; ThreadSanitizer reports a data race on `balance` at the marked
 * lines. Run it with `make lab4`; the lab text is README.md beside this file; the fixed
 * versions are in solutions/04-check-then-act/. */
#include <stdbool.h>
#include <stddef.h>

#include "labkit.h"

#define MAX_THREADS 1024 /* RL_KNOB_THREADS accepts at most this many */

static long balance; /* the account, shared by every teller, guarded by nothing */
static long amount;  /* every withdrawal takes this much */
static struct rl_gate gate;

/* Takes amount from the account if it holds enough. Returns true when it paid out. */
static bool withdraw(void)
{
	if (balance >= amount) { /* RACE: check... */
		/* A real teller does something here: writes an audit line, asks the fraud
		 * service, or is simply preempted. rl_yield() stands for that moment. */
		rl_yield();
		balance -= amount; /* RACE: ...then act, on a balance that may have changed */
		return true;
	}
	return false;
}

static void *teller(void *arg)
{
	long *paid_out = arg; /* this teller's own total: only it writes, main reads after join */
	rl_gate_wait(&gate);  /* all tellers start together, so they compete for the account */
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
	    {"amount", &amount, 1, 1000000, "money taken by one withdrawal"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv,
	              "Lab 4: tellers withdraw from one account: check the balance, then subtract.",
	              knobs);

	/* Enough money for `iterations` withdrawals per teller, not one more. */
	long opening = threads * iterations * amount;
	balance = opening;

	pthread_t tellers[MAX_THREADS];
	long paid_out[MAX_THREADS] = {0};
	rl_gate_init(&gate, (int)threads);
	long long start = rl_clock_ns();
	for (long t = 0; t < threads; t++)
		rl_thread_start(&tellers[t], teller, &paid_out[t]);
	for (long t = 0; t < threads; t++)
		rl_thread_join(tellers[t], NULL);
	long long elapsed = rl_clock_ns() - start;

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
	    .symptom = total_paid + balance != opening || balance < 0,
	    .ops = threads * iterations,
	    .work_ns = elapsed,
	};
	rl_result_metric("final_balance", (double)balance);
	rl_result_report(&result);
	return 0;
}
