/* cmd_labs.c: `racelab labs`, one table of every lab for the student's current code:
 * topic, how often the bug showed, what TSan found, and the verdict. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "experiment.h"
#include "progress.h"
#include "python_twin.h"
#include "i18n.h"
#include "term.h"

struct labs_progress {
	struct progress line;
	const char *lab; /* the lab's folder name, for the line */
};

static void show_progress(void *ctx, const struct series *s, size_t done, size_t total)
{
	(void)s;
	struct labs_progress *p = ctx;
	progress_update(&p->line, p->lab, done, total, "runs");
}

/* The py column: "py" when the lab has a Python twin (racelab run labN --python). */
static const char *python_marker(const struct manifest *m)
{
	return m->python.program[0] ? "py" : "";
}

/* Under the table: each twin and its Python solutions, the py column's key. */
static void python_twins_key(const struct catalogue *cat)
{
	bool first = true;
	for (size_t i = 0; i < cat->n_labs; i++) {
		const struct manifest *m = &cat->labs[i].manifest;
		char solutions[MANIFEST_MAX_SOLUTIONS * 34];
		if (!cat->labs[i].manifest_ok ||
		    !python_twin_solutions_text(m, solutions, sizeof(solutions)))
			continue;
		if (first)
			printf("\n%s\n",
			       _("py: the lab has a Python twin (racelab run labN --python); "
			         "its Python solutions:"));
		first = false;
		printf("  lab%-3d %s\n", m->id, solutions[0] ? solutions : _("none"));
	}
}

static int row(const struct catalogue *cat, const struct lab_entry *lab, const struct term *t)
{
	struct experiment ex;
	struct labs_progress progress = {.lab = lab->dir};
	char err[PATH_MAX + 300], rate[32], tsan[96];
	struct experiment_options opts = {
	    .max_runs = commands_max_runs(), .progress = show_progress, .progress_ctx = &progress};
	progress_begin(&progress.line, t->progress);
	if (experiment_run_lab(&ex, cat, lab, NULL, &opts, err, sizeof(err))) {
		progress_end(&progress.line);
		printf("%-3d %-26s %-2s %s\n", lab->manifest.id, lab->manifest.slug,
		       python_marker(&lab->manifest), err);
		experiment_free(&ex);
		return -1;
	}
	progress_end(&progress.line);
	snprintf(rate, sizeof(rate), "%zu/%zu", series_bad_runs(&ex.plain), ex.plain.n_runs);
	commands_tsan_found(&ex, tsan, sizeof(tsan));
	bool fixed = ex.verdict == VERDICT_LOOKS_FIXED;
	char topic[128], went[64], found[128];
	printf("%-3d %-26s %-2s %s %s %s %s%s%s\n", lab->manifest.id, lab->manifest.slug,
	       python_marker(&lab->manifest),
	       i18n_cell(topic, sizeof(topic),
	                 ex.text.topic[0] ? ex.text.topic : lab->manifest.topic, 30, true),
	       i18n_cell(went, sizeof(went), ex.cannot_judge ? _("n/a") : rate, 10, false),
	       i18n_cell(found, sizeof(found), tsan, 28, true),
	       term_on(t, fixed ? TERM_GREEN : TERM_RED), _(verdict_name(ex.verdict)), term_off(t));
	fflush(stdout);
	experiment_free(&ex);
	return 0;
}

/* Every lab's build (both flavours) is newer than its sources; says which is not. */
static bool builds_are_fresh(const struct catalogue *cat)
{
	bool fresh = true;
	for (size_t i = 0; i < cat->n_labs; i++)
		if (cat->labs[i].manifest_ok)
			fresh &= commands_build_is_fresh(cat, &cat->labs[i], NULL, true);
	return fresh;
}

int cmd_labs(const struct cli *cli)
{
	struct catalogue cat;
	struct term t;
	term_detect(&t, cli->quiet);
	if (commands_load_catalogue(&cat))
		return EXIT_ENV;
	if (!builds_are_fresh(&cat)) {
		catalogue_free(&cat);
		return EXIT_ENV;
	}
	if (cli->detectors) {
		int status = commands_labs_detectors(cli, &cat);
		catalogue_free(&cat);
		return status;
	}
	char c[6][64];
	printf("%s %s %s %s %s %s %s\n", i18n_cell(c[0], sizeof(c[0]), _("lab"), 3, false),
	       i18n_cell(c[4], sizeof(c[4]), _("slug"), 26, false),
	       i18n_cell(c[5], sizeof(c[5]), "py", 2, false),
	       i18n_cell(c[1], sizeof(c[1]), _("topic"), 30, false),
	       i18n_cell(c[2], sizeof(c[2]), _("went wrong"), 10, false),
	       i18n_cell(c[3], sizeof(c[3]), _("TSan found"), 28, false), _("verdict"));
	int failed = 0;
	for (size_t i = 0; i < cat.n_labs; i++) {
		if (!cat.labs[i].manifest_ok) {
			printf("racelab: %s\n", cat.labs[i].manifest_error);
			failed++;
			continue;
		}
		failed += row(&cat, &cat.labs[i], &t) != 0;
	}
	python_twins_key(&cat);
	catalogue_free(&cat);
	return failed ? EXIT_ENV : EXIT_CLEAN;
}
