/* verdict.h: what an experiment's runs and findings mean, with the evidence. Pure. */
#ifndef RACELAB_VERDICT_H
#define RACELAB_VERDICT_H

#include "experiment.h"

/* Sets ex->verdict, ex->evidence, and (for labs) symptom_rate_holds and tsan_kinds_found. */
void verdict_judge(struct experiment *ex);

/* Significance of the binomial test that decides whether a lab still shows its symptom at
 * the declared rate: a lab fails only when so few runs showing it would happen by chance
 * less than 1 time in 100. */
#define VERDICT_ALPHA 0.01

#endif
