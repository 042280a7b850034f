/* verdict.h: what an experiment's runs and findings mean, with the evidence. Pure. */
#ifndef RACELAB_VERDICT_H
#define RACELAB_VERDICT_H

#include <stdbool.h>

enum verdict {
	VERDICT_BUG_SHOWN,    /* a run showed the symptom, or TSan found something */
	VERDICT_LOOKS_FIXED,  /* no symptom in N runs and TSan clean */
	VERDICT_NOT_PROVEN,   /* no symptom in N runs, but TSan could not run */
	VERDICT_SOLUTION_OK,  /* a solution: correct in every run and TSan-clean */
	VERDICT_SOLUTION_BAD, /* a solution: a wrong run, or a TSan finding */
	VERDICT_ERROR,        /* runs could not be judged (crashed with errors, missing build) */
	VERDICT_INCONCLUSIVE, /* the machine was too busy to give a fair answer (busy.h) */
};

/* "bug shown", "looks fixed", ... Static storage. */
const char *verdict_name(enum verdict v);

/* The judge reads an experiment (experiment.h); it is declared here only by name, so the
 * verdict is owned here and experiment.h includes this file, not the other way round. */
struct experiment;

/* Sets ex->verdict, ex->evidence, and (for labs) symptom_rate_holds and tsan_kinds_found. */
void verdict_judge(struct experiment *ex);

/* For `racelab check`: a lab holds when it shows its declared symptom at its declared rate
 * and TSan finds the kinds it declares; a solution holds when it is correct in every run
 * and TSan-clean. A timing lab that cannot judge here (one CPU) holds, and says so. */
bool verdict_check_holds(const struct experiment *ex);

/* Significance of the binomial test that decides whether a lab still shows its symptom at
 * the declared rate: a lab fails only when so few runs showing it would happen by chance
 * less than 1 time in 100. */
#define VERDICT_ALPHA 0.01

/* For `racelab check`, when verdict_check_holds() is false: was the machine too busy to
 * tell (no broken result, no TSan finding against a solution; a lab that did not show its
 * symptom while other programs took the CPUs)? Then the gate says "inconclusive", not
 * FAIL. */
bool verdict_check_inconclusive(const struct experiment *ex);

#endif
