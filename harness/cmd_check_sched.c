/* cmd_check_sched.c: `racelab check`'s schedules section (labkit/sched): for each lab that
 * can be scheduled, `explore` must find the bug within the manifest's budget, and every
 * solution must pass every order of its synchronisation at sched_args, each run checked
 * for a data race (por), or, when that search has no end (a retry loop), the exhaustive
 * search with at most 2 preemptions. The words name what was tried ("every order of its
 * synchronisation", "no bug in any schedule with <= 2 preemptions") at these sizes, never
 * "race-free". */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd_check_sched.h"
#include "i18n.h"
#include "sched_explore.h"
#include "sched_view.h"

/* First every order of the synchronisation (por); lab 6's solutions need about 450 runs. */
#define CHECK_POR_BUDGET  2000
#define CHECK_PREEMPTIONS 2
/* Schedules; beyond this the search did not finish (about 20 s on 2 quiet cores): with a
 * point at every access, lab 6's five threads have tens of thousands of schedules. */
#define CHECK_EXHAUSTIVE_BUDGET 3000
/* ...and then this many PCT schedules of depth 3 (seeded): a depth-first search cut short
 * has only varied the last steps, where random priorities reach the whole run. */
#define CHECK_PCT_FALLBACK 500

/* The outcome's name as the line says it ("wrong result"): English as before, translated
 * through sched_view_outcome_text's "outcome: ..." (the same words, one translation). */
static const char *check_outcome_text(enum sched_outcome_kind kind)
{
	const char *text = sched_view_outcome_text(kind), *colon = strstr(text, ": ");
	return colon ? colon + 2 : text;
}

static void sched_program(const struct catalogue *cat, const struct lab_entry *lab,
                          const char *solution, char *out, size_t cap)
{
	char base[4096];
	catalogue_program(cat, lab, solution, false, base, sizeof(base));
	snprintf(out, cap, "%s-sched", base);
}

/* The lab: explore (PCT) finds the bug. Returns 1 on a failure. */
static int check_lab_explore(const struct catalogue *cat, const struct lab_entry *lab)
{
	const struct manifest *m = &lab->manifest;
	char program[4200];
	sched_program(cat, lab, NULL, program, sizeof(program));
	struct sched_explore_spec spec = {.program = program,
	                                  .args = m->sched_args,
	                                  .strategy = EXPLORE_PCT,
	                                  .depth = m->sched_depth,
	                                  .budget = m->sched_budget,
	                                  .seed = 1};
	static struct sched_explore_result r;
	sched_explore(&spec, &r);
	int failed = !r.found;
	if (r.found)
		printf(ngettext("%-3d %-24s bug found: %s after %ld schedule (%.2f s), %s\n",
		                "%-3d %-24s bug found: %s after %ld schedules (%.2f s), %s\n",
		                (unsigned long)r.schedules),
		       m->id, m->slug, check_outcome_text(r.outcome.kind), r.schedules, r.seconds,
		       r.id);
	else if (r.error)
		printf(_("%-3d %-24s FAIL: a schedule could not run: %s\n"), m->id, m->slug,
		       r.outcome.detail);
	else
		printf(_("%-3d %-24s FAIL: no bug in %ld schedules (pct, depth %d): the budget "
		         "(sched_budget) is too small or the lab lost its bug\n"),
		       m->id, m->slug, r.schedules, m->sched_depth);
	sched_explore_free(&r);
	return failed;
}

/* The exhaustive search (done) did not finish: PCT schedules then. Returns 1 on a failure. */
static int check_solution_pct(const struct sched_explore_spec *exhaustive, int lab, const char *sol,
                              const struct sched_explore_result *done)
{
	struct sched_explore_spec spec = *exhaustive;
	spec.strategy = EXPLORE_PCT;
	spec.depth = 3;
	spec.budget = CHECK_PCT_FALLBACK;
	spec.seed = 1;
	static struct sched_explore_result r;
	sched_explore(&spec, &r);
	int failed = r.found || r.error;
	if (r.found)
		printf(_("FAIL: %s in schedule %s (racelab replay lab%d %s --solution=%s)\n"),
		       check_outcome_text(r.outcome.kind), r.id, lab, r.id, sol);
	else if (r.error)
		printf(_("FAIL: a schedule could not run: %s\n"), r.outcome.detail);
	else
		printf(
		    _("not proven: no bug in %ld schedules with <= %d preemptions (the search did "
		      "not finish) nor in %ld PCT schedules of depth 3 (%.1f s)\n"),
		    done->schedules, CHECK_PREEMPTIONS, r.schedules, done->seconds + r.seconds);
	sched_explore_free(&r);
	return failed;
}

/* Every order of the solution's synchronisation (partial-order reduction). Returns 1 on
 * a failure, 0 when proven, -1 when the search could not finish. */
static int check_solution_por(const char *program, const struct manifest *m, const char *sol)
{
	struct sched_explore_spec spec = {.program = program,
	                                  .args = m->sched_args,
	                                  .strategy = EXPLORE_POR,
	                                  .budget = CHECK_POR_BUDGET};
	static struct sched_explore_result r;
	sched_explore(&spec, &r);
	int status = 1;
	if (r.found)
		printf(_("FAIL: %s in schedule %s (racelab replay lab%d %s --solution=%s)\n"),
		       check_outcome_text(r.outcome.kind), r.id, m->id, r.id, sol);
	else if (r.error)
		printf(_("FAIL: a schedule could not run: %s\n"), r.outcome.detail);
	else if (!r.complete)
		status = -1;
	else
		printf(
		    _("no bug in any schedule, with <= 2 preemptions or more: every order of its "
		      "synchronisation, none with a data race (%ld schedules, %.1f s)\n"),
		    r.schedules, r.seconds);
	if (status >= 0 && !r.found && !r.error)
		status = 0;
	sched_explore_free(&r);
	return status;
}

/* One solution: every order of its synchronisation, or, when that search cannot finish
 * (a retry loop), the exhaustive search with K = 2 finds nothing. Returns 1 on a failure;
 * a search too big to finish is said so and is no failure (nor a pass: "not proven"). */
static int check_solution(const struct catalogue *cat, const struct lab_entry *lab, const char *sol)
{
	const struct manifest *m = &lab->manifest;
	char program[4200];
	sched_program(cat, lab, sol, program, sizeof(program));
	printf("    %-12s ", sol);
	fflush(stdout);
	int por = check_solution_por(program, m, sol);
	if (por >= 0)
		return por;
	struct sched_explore_spec spec = {.program = program,
	                                  .args = m->sched_args,
	                                  .strategy = EXPLORE_EXHAUSTIVE,
	                                  .preemptions = CHECK_PREEMPTIONS,
	                                  .budget = CHECK_EXHAUSTIVE_BUDGET};
	static struct sched_explore_result r;
	sched_explore(&spec, &r);
	int failed = 1;
	if (r.found)
		printf(_("FAIL: %s in schedule %s (racelab replay lab%d %s --solution=%s)\n"),
		       check_outcome_text(r.outcome.kind), r.id, m->id, r.id, sol);
	else if (r.error)
		printf(_("FAIL: a schedule could not run: %s\n"), r.outcome.detail);
	else if (!r.complete) {
		failed = check_solution_pct(&spec, m->id, sol, &r);
	} else {
		printf(_("no bug in any schedule with <= %d preemptions (%ld schedules, %.1f s)\n"),
		       CHECK_PREEMPTIONS, r.schedules, r.seconds);
		failed = 0;
	}
	sched_explore_free(&r);
	return failed;
}

int check_schedules(const struct catalogue *cat, const struct lab_entry *const *labs, int n)
{
	int failures = 0, shown = 0;
	for (int i = 0; i < n; i++) {
		const struct manifest *m = &labs[i]->manifest;
		if (!m->sched)
			continue;
		if (!shown++)
			printf("%s",
			       _("\nSchedules (racelab explore; sched_args of each manifest):\n"));
		char program[4200];
		sched_program(cat, labs[i], NULL, program, sizeof(program));
		if (access(program, X_OK) !=
		    0) { /* a build without the flavour: say so, judge none */
			printf(
			    _("%-3d %-24s not checked: %s is not built (no -sched flavour in this "
			      "build)\n"),
			    m->id, m->slug, program);
			continue;
		}
		int failed = check_lab_explore(cat, labs[i]);
		for (int s = 0; s < m->n_solutions; s++)
			failed |= check_solution(cat, labs[i], m->solutions[s]);
		failures += failed;
	}
	return failures;
}
