/* cmd_run.c: `racelab run`, one lab, its solutions, or any program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "i18n.h"
#include "experiment.h"
#include "progress.h"
#include "report.h"
#include "runner.h"

#define COMPARE_RUNS 3 /* runs of each solution for the cost table */

struct progress_ctx {
	struct progress line;
	const char *label;
};

static void show_progress(void *ctx, const struct series *s, size_t done, size_t total)
{
	(void)s;
	struct progress_ctx *p = ctx;
	progress_update(&p->line, p->label, done, total, "runs");
}

static int exit_for(enum verdict v)
{
	switch (v) {
	case VERDICT_LOOKS_FIXED:
	case VERDICT_SOLUTION_OK:
		return EXIT_CLEAN;
	case VERDICT_NOT_PROVEN:
		return EXIT_NOT_PROVEN;
	case VERDICT_ERROR:
		return EXIT_ENV;
	case VERDICT_INCONCLUSIVE:
		return EXIT_INCONCLUSIVE;
	default:
		return EXIT_BUG;
	}
}

/* Worse of two exit statuses for a series of experiments: environment trouble first. */
static int worse(int a, int b)
{
	static const int rank[] = {[EXIT_CLEAN] = 0, [EXIT_NOT_PROVEN] = 1, [EXIT_INCONCLUSIVE] = 1,
	                           [EXIT_BUG] = 2,   [EXIT_ENV] = 3,        [EXIT_USAGE] = 4};
	return rank[a] >= rank[b] ? a : b;
}

static void show(const struct cli *cli, const struct term *t, const struct experiment *ex)
{
	if (cli->quiet)
		printf("%s: %s\n", _(verdict_name(ex->verdict)), ex->evidence_text);
	else
		report_text(stdout, t, ex);
	fflush(stdout);
}

/* --detector other than clang's TSan alone: the detectors' side-by-side table. */
static bool wants_detector_table(const struct cli *cli)
{
	return cli->detectors && cli->detectors != DETECTOR_BIT(DETECTOR_TSAN);
}

/* --wrap: every run of the program from now on starts inside the wrap. */
static int set_wrap(const struct cli *cli)
{
	if (!cli->n_wrap || runner_set_wrap(cli->wrap) == 0)
		return 0;
	fprintf(stderr, _("racelab: --wrap: cannot become a child subreaper: %m\n"));
	return -1;
}

/* The solutions to run: one named, all, or none (the lab itself: one NULL entry). */
static int subjects(const struct cli *cli, const struct manifest *m, const char **out)
{
	if (cli->solution) {
		out[0] = cli->solution;
		return 1;
	}
	if (!cli->all_solutions) {
		out[0] = NULL;
		return 1;
	}
	const struct manifest_python *py = &m->python;
	int n = cli->python ? py->n_solutions : m->n_solutions;
	for (int i = 0; i < n; i++)
		out[i] = cli->python ? py->solutions[i] : m->solutions[i];
	return n;
}

/* Each subject's build is newer than its sources; says which is not. */
static bool builds_are_fresh(const struct catalogue *cat, const struct lab_entry *lab,
                             const char **names, int n, bool tsan)
{
	bool fresh = true;
	for (int i = 0; i < n; i++)
		fresh &= commands_build_is_fresh(cat, lab, names[i], tsan);
	return fresh;
}

int cmd_run_lab(const struct cli *cli)
{
	struct catalogue cat;
	struct term t;
	char err[PATH_MAX + 300];
	term_detect(&t, cli->quiet);
	if (set_wrap(cli) || commands_load_catalogue(&cat))
		return EXIT_ENV;
	const struct lab_entry *lab = commands_find_lab(&cat, cli->labs[0]);
	if (!lab) {
		catalogue_free(&cat);
		return EXIT_USAGE;
	}
	const char *names[MANIFEST_MAX_SOLUTIONS];
	int n = subjects(cli, &lab->manifest, names), status = EXIT_CLEAN;
	if (!cli->program && !cli->python &&
	    !builds_are_fresh(&cat, lab, names, n, !cli->no_tsan)) {
		catalogue_free(&cat);
		return EXIT_ENV;
	}
	struct experiment exs[MANIFEST_MAX_SOLUTIONS];
	struct detector_set sets[MANIFEST_MAX_SOLUTIONS] = {0};
	int done = 0;
	for (int i = 0; i < n; i++) {
		struct progress_ctx pc = {.label = names[i] ? names[i] : lab->dir};
		progress_begin(&pc.line, t.progress);
		struct experiment_options opts = {
		    .runs = cli->runs,
		    .threads = cli->threads,
		    .timeout_s = cli->timeout_s,
		    .no_tsan = cli->no_tsan,
		    .max_runs = commands_max_runs(),
		    .settle = cli->runs == 0,
		    .python = cli->python,
		    .compare_runs = names[i] || cli->no_cost ? 0 : COMPARE_RUNS,
		    .fail_fast = cli->fail_fast,
		    .args = cli->args,
		    .program = cli->program,
		    .tsan_args = cli->tsan_args,
		    .progress = show_progress,
		    .progress_ctx = &pc,
		};
		int failure =
		    experiment_run_lab(&exs[done], &cat, lab, names[i], &opts, err, sizeof(err));
		progress_end(&pc.line);
		if (failure) {
			fprintf(stderr, "racelab: %s\n", err);
			status = worse(status, failure == EXPERIMENT_NO_SUCH_SOLUTION ? EXIT_USAGE
			                                                              : EXIT_ENV);
			experiment_free(&exs[done]);
			continue;
		}
		if (i > 0 && !cli->quiet)
			printf("\n");
		show(cli, &t, &exs[done]);
		status = worse(status, exit_for(exs[done].verdict));
		if (wants_detector_table(cli))
			status =
			    worse(status, commands_run_detectors(cli, &exs[done], &sets[done]));
		done++;
	}
	if (cli->json_path && done && commands_write_json(cli->json_path, exs, done))
		status = worse(status, EXIT_ENV);
	if (cli->sarif_path && done && commands_write_sarif(cli->sarif_path, exs, done, sets))
		status = worse(status, EXIT_ENV);
	for (int i = 0; i < done; i++) {
		experiment_free(&exs[i]);
		commands_detector_set_free(&sets[i]);
	}
	catalogue_free(&cat);
	return status;
}

int cmd_run_exec(const struct cli *cli)
{
	struct term t;
	struct experiment ex;
	char err[PATH_MAX + 300];
	term_detect(&t, cli->quiet);
	struct progress_ctx pc = {.label = cli->exec_argv[0]};
	struct experiment_options opts = {
	    .runs = cli->runs,
	    .timeout_s = cli->timeout_s,
	    .no_tsan = cli->no_tsan,
	    .max_runs = commands_max_runs(),
	    .fail_fast = cli->fail_fast,
	    .progress = show_progress,
	    .progress_ctx = &pc,
	};
	if (set_wrap(cli))
		return EXIT_ENV;
	progress_begin(&pc.line, t.progress);
	bool failed = experiment_run_exec(&ex, cli->exec_argv, &opts, err, sizeof(err)) != 0;
	progress_end(&pc.line);
	if (failed) {
		fprintf(stderr, "racelab: %s\n", err);
		experiment_free(&ex);
		return EXIT_ENV;
	}
	show(cli, &t, &ex);
	int status = exit_for(ex.verdict);
	struct detector_set set = {0};
	if (wants_detector_table(cli))
		status = worse(status, commands_run_detectors(cli, &ex, &set));
	if (cli->json_path && commands_write_json(cli->json_path, &ex, 1))
		status = worse(status, EXIT_ENV);
	if (cli->sarif_path && commands_write_sarif(cli->sarif_path, &ex, 1, &set))
		status = worse(status, EXIT_ENV);
	commands_detector_set_free(&set);
	experiment_free(&ex);
	return status;
}
