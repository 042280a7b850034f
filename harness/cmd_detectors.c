/* cmd_detectors.c: `--detector` and `--sarif` for run and check: the program of an
 * experiment run again under each detector asked for, the side-by-side table, and the
 * findings written as SARIF. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "detector_table.h"
#include "i18n.h"
#include "sarif.h"

#define MAX_WORDS 48
/* Helgrind and DRD slow a program 50-140x (FIELD-NOTES), but on the labs' small
 * tsan_args every run took at most 7 s under them (README): 4x the TSan limit leaves room
 * without letting a run that deadlocks under valgrind hold `--detector all` for long. */
#define VALGRIND_TIMEOUT_FACTOR 4
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

/* --exec: the program is one build, its TSan run the experiment's own. It stands for
 * tsan-gcc when gcc built it and for tsan otherwise; the other column cannot run. */
static void exec_tsan(const struct experiment *ex, enum detector d, struct detector_outcome *o)
{
	bool gcc = strncmp(ex->compiler, "GNU", 3) == 0;
	memset(o, 0, sizeof(*o));
	o->detector = d;
	if (!ex->tsan_available)
		snprintf(o->error, sizeof(o->error), "the program is not a ThreadSanitizer build");
	else if (gcc != (d == DETECTOR_TSAN_GCC))
		snprintf(o->error, sizeof(o->error), "the program is built by %s",
		         ex->compiler[0] ? ex->compiler : "another compiler");
	else if (!ex->tsan_wanted)
		snprintf(o->error, sizeof(o->error), "not run (--no-tsan)");
	else if (copy_tsan(ex, o))
		snprintf(o->error, sizeof(o->error), "out of memory");
	o->detector = d;
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

static double timeout_for(const struct cli *cli, enum detector d)
{
	double t = cli->timeout_s > 0 ? cli->timeout_s : DEFAULT_TIMEOUT_S;
	return detector_is_valgrind(d) ? t * VALGRIND_TIMEOUT_FACTOR : t;
}

/* A lab's program under detector d, on args (the lab's TSan arguments). */
static void run_lab_detector(const struct cli *cli, const char *plain, const char *args,
                             enum detector d, struct detector_outcome *o)
{
	char words[1024], threads_buf[16], program[PATH_MAX + 16], *argv[MAX_WORDS];
	snprintf(program, sizeof(program), "%s%s", plain, detector_program_suffix(d));
	build_argv(program, args, cli->threads, words, sizeof(words), threads_buf, argv);
	detector_run(d, argv, timeout_for(cli, d), o);
}

/* One cell of `labs --detector`: the kinds found and the time, "clean 0.4s", or "n/a". */
static void lab_cell(const struct detector_outcome *o, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	if (!o->ran) {
		snprintf(out, cap, "%s", _("n/a"));
		return;
	}
	for (size_t i = 0; i < o->report.n_findings && len + 1 < cap; i++) {
		const char *slug = tsan_kind_slug(o->report.findings[i].kind);
		if (!strstr(out, slug))
			len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "," : "", slug);
	}
	if (len + 1 < cap)
		snprintf(out + len, cap - len,
		         len               ? _(" %.1fs")
		         : o->not_clean[0] ? _("unfinished %.1fs")
		                           : _("clean %.1fs"),
		         o->wall_s);
}

int commands_labs_detectors(const struct cli *cli, const struct catalogue *cat)
{
	char cell[128], padded[256], plain[PATH_MAX];
	printf("%s", i18n_cell(padded, sizeof(padded), _("lab"), 3, false));
	printf(" %s", i18n_cell(padded, sizeof(padded), _("slug"), 26, false));
	for (int d = 0; d < DETECTOR_COUNT; d++)
		if (cli->detectors & DETECTOR_BIT(d))
			printf(" %-30s", detector_name(d));
	printf("\n");
	for (size_t i = 0; i < cat->n_labs; i++) {
		const struct lab_entry *lab = &cat->labs[i];
		if (!lab->manifest_ok)
			continue;
		catalogue_program(cat, lab, NULL, false, plain, sizeof(plain));
		printf("%-3d %-26s", lab->manifest.id, lab->manifest.slug);
		fflush(stdout);
		for (int d = 0; d < DETECTOR_COUNT; d++) {
			if (!(cli->detectors & DETECTOR_BIT(d)))
				continue;
			struct detector_outcome o;
			run_lab_detector(cli, plain, lab->manifest.tsan_args, d, &o);
			lab_cell(&o, cell, sizeof(cell));
			printf(" %s", i18n_cell(padded, sizeof(padded), cell, 30, true));
			fflush(stdout);
			detector_outcome_free(&o);
		}
		printf("\n");
	}
	printf("%s", _("(each lab's tsan_args; n/a: the detector could not run here, see racelab "
	               "doctor)\n"));
	return EXIT_CLEAN;
}

int commands_run_detectors(const struct cli *cli, const struct experiment *ex,
                           struct detector_set *set)
{
	char *argv[MAX_WORDS];
	const char *args = !ex->lab         ? ""
	                   : cli->tsan_args ? cli->tsan_args
	                                    : ex->lab->manifest.tsan_args;
	int status = EXIT_CLEAN;
	memset(set, 0, sizeof(*set));
	for (int d = 0; d < DETECTOR_COUNT; d++) {
		if (!(cli->detectors & DETECTOR_BIT(d)))
			continue;
		struct detector_outcome *o = &set->outs[set->n++];
		if (!ex->lab && !detector_is_valgrind(d)) {
			exec_tsan(ex, d, o);
		} else if (d == DETECTOR_TSAN && ex->tsan_wanted) {
			if (copy_tsan(ex, o))
				snprintf(o->error, sizeof(o->error), "out of memory"),
				    o->ran = false;
		} else {
			if (ex->lab) {
				char plain[PATH_MAX];
				catalogue_program(ex->cat, ex->lab, ex->solution, false, plain,
				                  sizeof(plain));
				run_lab_detector(cli, plain, args, d, o);
			} else {
				exec_argv(ex->source, cli->exec_argv, argv);
				detector_run(d, argv, timeout_for(cli, d), o);
			}
		}
		if (o->report.n_findings)
			status = EXIT_BUG;
	}
	struct detector_table t;
	detector_table_build(set->outs, set->n, &t);
	printf(_("\nDetectors (%s%s%s):\n"), ex->source, *args ? _(", arguments ") : "", args);
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
