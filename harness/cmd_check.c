/* cmd_check.c: `racelab check`, the course's gate: every lab still shows its declared
 * symptom (at its declared rate, by a binomial test) and the TSan kinds it declares, and
 * every solution is correct in every run and TSan-clean. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "busy.h"
#include "commands.h"
#include "experiment.h"
#include "i18n.h"
#include "progress.h"
#include "junit.h"
#include "cmd_check_sched.h"
#include "report.h"
#include "verdict.h"

struct check_state {
	const struct cli *cli;
	const struct catalogue *cat;
	struct term term;
	struct progress progress; /* the line while a lab or solution runs */
	struct experiment *exs;   /* every experiment run, for JSON and JUnit */
	int n_exs, cap_exs;
	int failures;
	int inconclusive; /* labs that did not fail, but could not all be judged: too busy */
};

/* PASS, FAIL, or inconclusive: the machine was too busy to judge (busy.h). */
enum check_outcome { CHECK_PASS, CHECK_INCONCLUSIVE, CHECK_FAIL };

static enum check_outcome outcome_of(const struct experiment *ex)
{
	if (!ex)
		return CHECK_FAIL;
	if (verdict_check_holds(ex))
		return CHECK_PASS;
	return verdict_check_inconclusive(ex) ? CHECK_INCONCLUSIVE : CHECK_FAIL;
}

static enum term_style outcome_colour(enum check_outcome o)
{
	return o == CHECK_PASS ? TERM_GREEN : o == CHECK_INCONCLUSIVE ? TERM_YELLOW : TERM_RED;
}

static void show_progress(void *ctx, const struct series *s, size_t done, size_t total)
{
	struct check_state *st = ctx;
	char label[80];
	snprintf(label, sizeof(label), "check %s", s->label);
	progress_update(&st->progress, label, done, total, "runs");
}

static struct experiment *next_slot(struct check_state *st)
{
	if (st->n_exs == st->cap_exs) {
		int cap = st->cap_exs ? st->cap_exs * 2 : 16;
		struct experiment *grown = realloc(st->exs, (size_t)cap * sizeof(*grown));
		if (!grown)
			return NULL;
		st->exs = grown;
		st->cap_exs = cap;
	}
	return &st->exs[st->n_exs];
}

/* Runs one lab or solution; returns it, or NULL (error printed) when it could not run. */
static struct experiment *run_one(struct check_state *st, const struct lab_entry *lab,
                                  const char *solution)
{
	char err[PATH_MAX + 300];
	struct experiment *ex = next_slot(st);
	struct experiment_options opts = {.runs = st->cli->runs,
	                                  .no_tsan = false,
	                                  .max_runs = commands_max_runs(),
	                                  .python = st->cli->python,
	                                  .progress = show_progress,
	                                  .progress_ctx = st};
	progress_begin(&st->progress, st->term.progress);
	if (!ex || experiment_run_lab(ex, st->cat, lab, solution, &opts, err, sizeof(err))) {
		progress_end(&st->progress);
		fprintf(stderr, "racelab: %s\n", ex ? err : _("out of memory"));
		if (ex)
			experiment_free(ex);
		return NULL;
	}
	progress_end(&st->progress);
	st->n_exs++;
	return ex;
}

static void print_lab_cells(const struct check_state *st, const struct experiment *ex)
{
	const struct manifest *m = &ex->lab->manifest;
	const struct term *t = &st->term;
	char rate[64], found[96], cell[2][160];
	snprintf(rate, sizeof(rate), _("%zu/%zu (need %.0f%%)"), ex->plain.symptom_runs,
	         ex->plain.n_runs, m->symptom_rate * 100);
	if (ex->plain.counts[RUN_BUSY]) /* not judged: left out of the rate */
		snprintf(rate, sizeof(rate), _("%zu/%zu, %zu too busy"), ex->plain.symptom_runs,
		         ex->plain.n_runs - ex->plain.counts[RUN_BUSY], ex->plain.counts[RUN_BUSY]);
	if (ex->cannot_judge)
		snprintf(rate, sizeof(rate), "%s", _("cannot judge here"));
	commands_tsan_found(ex, found, sizeof(found));
	printf("%-3d %-24s %s%s%s %s%s%s", m->id, m->slug,
	       term_on(t, ex->symptom_rate_holds ? TERM_GREEN
	                  : ex->machine_too_busy ? TERM_YELLOW
	                                         : TERM_RED),
	       i18n_cell(cell[0], sizeof(cell[0]), rate, 20, false), term_off(t),
	       term_on(t, ex->tsan_kinds_found ? TERM_GREEN : TERM_RED),
	       i18n_cell(cell[1], sizeof(cell[1]), found, 24, false), term_off(t));
}

/* The solutions check runs: the C ones, or with --python the twin's. */
static int solutions_of(const struct check_state *st, const struct manifest *m, const char **out)
{
	bool py = st->cli->python;
	int n = py ? m->python.n_solutions : m->n_solutions;
	for (int i = 0; i < n; i++)
		out[i] = py ? m->python.solutions[i] : m->solutions[i];
	return n;
}

static void check_lab(struct check_state *st, const struct lab_entry *lab)
{
	const struct manifest *m = &lab->manifest;
	const char *solutions[MANIFEST_MAX_SOLUTIONS];
	int n_solutions = solutions_of(st, m, solutions);
	struct experiment *ex = run_one(st, lab, NULL);
	enum check_outcome lab_outcome = outcome_of(ex);
	char cell[160];
	if (ex)
		print_lab_cells(st, ex);
	else
		printf("%-3d %-24s %s %-24s", m->id, m->slug,
		       i18n_cell(cell, sizeof(cell), _("could not run"), 20, false), "");
	fflush(stdout);
	for (int s = 0; s < n_solutions; s++) {
		struct experiment *sol = run_one(st, lab, solutions[s]);
		enum check_outcome o = outcome_of(sol);
		static const char *const words[] = {N_("ok"), N_("INCONCLUSIVE"), N_("FAILED")};
		if (o > lab_outcome)
			lab_outcome = o;
		printf(" %s%s %s%s", term_on(&st->term, outcome_colour(o)), solutions[s],
		       _(words[o]), term_off(&st->term));
		fflush(stdout);
	}
	static const char *const words[] = {N_("PASS"), N_("INCONCLUSIVE"), N_("FAIL")};
	printf("  %s%s%s\n", term_on(&st->term, outcome_colour(lab_outcome)), _(words[lab_outcome]),
	       term_off(&st->term));
	st->failures += lab_outcome == CHECK_FAIL;
	st->inconclusive += lab_outcome == CHECK_INCONCLUSIVE;
}

/* Lines of evidence for what failed, after the table. A lab that shows no bug at all is
 * what a student's fixed copy does: say what the gate checks, so a fix does not read as a
 * mistake (the gate still fails: in the course repository a lab must show its bug). */
static void print_failures(const struct check_state *st)
{
	for (int i = 0; i < st->n_exs; i++) {
		const struct experiment *ex = &st->exs[i];
		int id = ex->lab->manifest.id;
		enum check_outcome o = outcome_of(ex);
		if (o == CHECK_PASS)
			continue;
		printf("  lab%d%s%s%s: %s%s\n", id, ex->python ? " python" : "",
		       ex->solution ? " " : "", ex->solution ? ex->solution : "",
		       o == CHECK_INCONCLUSIVE ? _("inconclusive: the machine is too busy: ") : "",
		       ex->evidence_text);
		if (o == CHECK_INCONCLUSIVE && ex->verdict != VERDICT_INCONCLUSIVE) {
			char load[200];
			busy_describe(&ex->plain.load, load, sizeof(load));
			printf("    %s\n", load);
		}
		if (!ex->solution && ex->verdict == VERDICT_LOOKS_FIXED)
			printf(
			    _("  lab%d no longer shows its bug: expected for a student's fixed "
			      "copy; "
			      "this gate is for the course repository, where every lab must show "
			      "its bug\n"),
			    id);
	}
}

/* The labs to check: those named, or every lab. Returns how many, or -1 after saying which
 * name is unknown. Labs with a broken manifest are left out, with a line each in *broken. */
static int labs_to_check(const struct check_state *st, const struct lab_entry **out, int *broken)
{
	const struct cli *cli = st->cli;
	int n = 0;
	*broken = 0;
	for (int i = 0; i < cli->n_labs; i++)
		if (!(out[n++] = commands_find_lab(st->cat, cli->labs[i])))
			return -1;
	for (size_t i = 0; cli->n_labs == 0 && i < st->cat->n_labs; i++) {
		if (st->cat->labs[i].manifest_ok && cli->python &&
		    !st->cat->labs[i].manifest.python.program[0])
			continue; /* --python: only labs with a twin */
		if (st->cat->labs[i].manifest_ok) {
			out[n++] = &st->cat->labs[i];
			continue;
		}
		printf("racelab: %s\n", st->cat->labs[i].manifest_error);
		++*broken;
	}
	return n;
}

/* Every program check runs (each lab and its solutions, both flavours) is newer than its
 * sources; says which is not. */
static bool builds_are_fresh(const struct check_state *st, const struct lab_entry **labs, int n)
{
	bool fresh = true;
	for (int i = 0; i < n; i++) {
		const struct manifest *m = &labs[i]->manifest;
		fresh &= commands_build_is_fresh(st->cat, labs[i], NULL, true);
		for (int s = 0; s < m->n_solutions; s++)
			fresh &= commands_build_is_fresh(st->cat, labs[i], m->solutions[s], true);
	}
	return fresh;
}

static int check_all(struct check_state *st)
{
	const struct lab_entry **labs =
	    calloc(st->cat->n_labs + (size_t)st->cli->n_labs + 1, sizeof(*labs));
	if (!labs) {
		fprintf(stderr, "%s", _("racelab: out of memory\n"));
		return EXIT_ENV;
	}
	int broken, n = labs_to_check(st, labs, &broken), status = EXIT_USAGE;
	if (n < 0)
		goto out;
	status = EXIT_ENV;
	if (!st->cli->python && !builds_are_fresh(st, labs, n))
		goto out;
	st->failures = broken;
	char head[4][160];
	/* TRANSLATORS: the check table's column heads, padded to 3, 24, 20 and 24 characters
	 * (keep "lab" to 3 letters, the other heads within their columns). */
	printf("%s %s %s %s %s\n", i18n_cell(head[0], sizeof(head[0]), _("lab"), 3, false),
	       i18n_cell(head[1], sizeof(head[1]), _("slug"), 24, false),
	       i18n_cell(head[2], sizeof(head[2]), _("symptom runs"), 20, false),
	       i18n_cell(head[3], sizeof(head[3]), _("TSan found"), 24, false), _("solutions"));
	for (int i = 0; i < n; i++)
		check_lab(st, labs[i]);
	if (!st->cli->no_sched)
		st->failures += check_schedules(st->cat, labs, n);
	if (st->failures || st->inconclusive)
		print_failures(st);
	if (!st->failures && st->inconclusive) {
		printf(ngettext("\nINCONCLUSIVE: the machine is too busy: %d lab could not be "
		                "judged, none failed; run again when it is quieter\n",
		                "\nINCONCLUSIVE: the machine is too busy: %d labs could not be "
		                "judged, none failed; run again when it is quieter\n",
		                (unsigned long)st->inconclusive),
		       st->inconclusive);
		status = EXIT_INCONCLUSIVE;
		goto out;
	}
	printf(ngettext("\n%s: %d lab failed", "\n%s: %d labs failed", (unsigned long)st->failures),
	       st->failures ? _("FAIL") : _("PASS"), st->failures);
	if (st->inconclusive)
		printf(_(", %d inconclusive (the machine is too busy)"), st->inconclusive);
	printf("\n");
	status = st->failures ? EXIT_BUG : EXIT_CLEAN;
out:
	free(labs);
	return status;
}

static int write_outputs(const struct check_state *st)
{
	const struct cli *cli = st->cli;
	int rc = 0;
	if (cli->json_path && commands_write_json(cli->json_path, st->exs, st->n_exs))
		rc = -1;
	if (cli->sarif_path && commands_write_sarif(cli->sarif_path, st->exs, st->n_exs, NULL))
		rc = -1;
	if (cli->junit_path && junit_write_check(cli->junit_path, st->exs, st->n_exs)) {
		fprintf(stderr, _("racelab: %s: cannot write JUnit XML: %m\n"), cli->junit_path);
		rc = -1;
	}
	return rc;
}

int cmd_check(const struct cli *cli)
{
	struct catalogue cat;
	if (commands_load_catalogue(&cat))
		return EXIT_ENV;
	struct check_state st = {.cli = cli, .cat = &cat};
	term_detect(&st.term, cli->quiet);
	int status = check_all(&st);
	/* Reports only of a check that ran: a refused one must not leave a passing report. */
	bool ran = status == EXIT_CLEAN || status == EXIT_BUG;
	if (ran && write_outputs(&st) && status == EXIT_CLEAN)
		status = EXIT_ENV;
	for (int i = 0; i < st.n_exs; i++)
		experiment_free(&st.exs[i]);
	free(st.exs);
	catalogue_free(&cat);
	return status;
}
