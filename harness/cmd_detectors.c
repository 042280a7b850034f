/* cmd_detectors.c: `--detector` and `--sarif` for run and check: the program of an
 * experiment run again under each detector asked for, the side-by-side table, and the
 * findings written as SARIF. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "detector_table.h"
#include "sarif.h"

#define MAX_WORDS 48
/* Helgrind and DRD slow a program 50-140x (FIELD-NOTES): their runs get this many times
 * the TSan run's time limit. */
#define VALGRIND_TIMEOUT_FACTOR 20
#define DEFAULT_TIMEOUT_S       30

/* A deep copy of the experiment's own TSan run, so that "tsan" is not run twice. */
static int copy_tsan(const struct experiment *ex, struct detector_outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->detector = DETECTOR_TSAN;
	out->ran = ex->tsan.ran;
	out->wall_s = ex->tsan.run.wall_s;
	snprintf(out->error, sizeof(out->error), "%s", ex->tsan.error);
	snprintf(out->not_clean, sizeof(out->not_clean), "%s", ex->tsan.not_clean);
	const struct tsan_report *r = &ex->tsan.report;
	out->report.warnings_reported = r->warnings_reported;
	if (!r->n_findings)
		return 0;
	out->report.findings = malloc(r->n_findings * sizeof(*r->findings));
	if (!out->report.findings)
		return -1;
	memcpy(out->report.findings, r->findings, r->n_findings * sizeof(*r->findings));
	out->report.n_findings = out->report.cap_findings = r->n_findings;
	return 0;
}

/* argv: program, the words of args, and "--threads T" when threads > 0. */
static void build_argv(const char *program, const char *args, int threads, char *words,
                       size_t words_cap, char *threads_buf, char **argv)
{
	int n = 0;
	char *save;
	argv[n++] = (char *)program;
	snprintf(words, words_cap, "%s", args ? args : "");
	for (char *w = strtok_r(words, " \t", &save); w && n < MAX_WORDS - 3;
	     w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	if (threads > 0) {
		snprintf(threads_buf, 16, "%d", threads);
		argv[n++] = "--threads";
		argv[n++] = threads_buf;
	}
	argv[n] = NULL;
}

/* --exec: the program (resolved) and its own arguments. */
static void exec_argv(const char *program, char *const *given, char **argv)
{
	int n = 1;
	argv[0] = (char *)program;
	for (; given && given[0] && given[n] && n < MAX_WORDS - 1; n++)
		argv[n] = given[n];
	argv[n] = NULL;
}

/* The program a detector runs: the lab's plain build plus the detector's suffix; for
 * --exec the program itself. */
static void program_for(const struct experiment *ex, enum detector d, char *out, size_t cap)
{
	if (!ex->lab) {
		snprintf(out, cap, "%s", ex->source);
		return;
	}
	char plain[PATH_MAX];
	catalogue_program(ex->cat, ex->lab, ex->solution, false, plain, sizeof(plain));
	snprintf(out, cap, "%s%s", plain, detector_program_suffix(d));
}

static double timeout_for(const struct cli *cli, enum detector d)
{
	double t = cli->timeout_s > 0 ? cli->timeout_s : DEFAULT_TIMEOUT_S;
	return detector_is_valgrind(d) ? t * VALGRIND_TIMEOUT_FACTOR : t;
}

int commands_run_detectors(const struct cli *cli, const struct experiment *ex,
                           struct detector_set *set)
{
	char words[1024], threads_buf[16], program[PATH_MAX + 16], *argv[MAX_WORDS];
	const char *args = !ex->lab         ? ""
	                   : cli->tsan_args ? cli->tsan_args
	                                    : ex->lab->manifest.tsan_args;
	int status = EXIT_CLEAN;
	memset(set, 0, sizeof(*set));
	for (int d = 0; d < DETECTOR_COUNT; d++) {
		if (!(cli->detectors & DETECTOR_BIT(d)))
			continue;
		struct detector_outcome *o = &set->outs[set->n++];
		if (d == DETECTOR_TSAN && ex->tsan_wanted) {
			if (copy_tsan(ex, o))
				snprintf(o->error, sizeof(o->error), "out of memory"),
				    o->ran = false;
		} else {
			program_for(ex, d, program, sizeof(program));
			if (ex->lab)
				build_argv(program, args, cli->threads, words, sizeof(words),
				           threads_buf, argv);
			else
				exec_argv(program, cli->exec_argv, argv);
			detector_run(d, argv, timeout_for(cli, d), o);
		}
		if (o->report.n_findings)
			status = EXIT_BUG;
	}
	struct detector_table t;
	detector_table_build(set->outs, set->n, &t);
	printf("\nDetectors (%s%s%s):\n", ex->source, *args ? ", arguments " : "", args);
	detector_table_print(stdout, &t);
	fflush(stdout);
	return status;
}

void commands_detector_set_free(struct detector_set *set)
{
	for (int i = 0; i < set->n; i++)
		detector_outcome_free(&set->outs[i]);
	memset(set, 0, sizeof(*set));
}

int commands_write_sarif(const char *path, const struct experiment *exs, int n,
                         const struct detector_set *sets)
{
	struct sarif_source *src = calloc((size_t)n * DETECTOR_COUNT + 1, sizeof(*src));
	int k = 0;
	for (int i = 0; src && i < n; i++) {
		if (sets && sets[i].n) {
			for (int j = 0; j < sets[i].n; j++)
				src[k++] = (struct sarif_source){
				    exs[i].source, detector_name(sets[i].outs[j].detector),
				    &sets[i].outs[j].report};
		} else if (exs[i].tsan_wanted) {
			src[k++] =
			    (struct sarif_source){exs[i].source, "tsan", &exs[i].tsan.report};
		}
	}
	const char *root = n && exs[0].cat ? exs[0].cat->source_dir : NULL;
	int rc = src ? sarif_write_file(path, root, RACELAB_VERSION, src, k) : -1;
	free(src);
	if (rc)
		fprintf(stderr, "racelab: %s: cannot write the SARIF report: %m\n", path);
	return rc;
}
