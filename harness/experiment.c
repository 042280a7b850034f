/* experiment.c: runs a lab, a solution or any program, and judges it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binary_info.h"
#include "experiment.h"
#include "path_lookup.h"
#include "sizing.h"
#include "python_twin.h"
#include "i18n.h"
#include "verdict.h"

#define MAX_ARGS      64
#define CAPTURE_LIMIT (64u << 10) /* output kept per run: enough for an error message */
/* --exec: a run whose threads have all slept in endless futex waits for this long, none of
 * them running, is deadlocked (stall.h): nothing inside it can wake them. Short, so that
 * the cycle is named within half a second of the block. */
#define EXEC_STALL_MS 100
/* --exec: after this many runs deadlocked the same way, the rest are not run. */
#define EXEC_SAME_HANGS 2

/* runs, or at most max when max > 0 (RACELAB_MAX_RUNS). */
static int capped(int runs, int max)
{
	return max > 0 && runs > max ? max : runs;
}

/* argv for program + the words of args + "--threads T" when threads > 0. Words point into
 * words_buf. Returns -1 when there are too many. */
static int build_argv(const char *program, const char *args, int threads, char **argv,
                      char *words_buf, size_t buf_cap, char *threads_buf, size_t threads_cap)
{
	int argc = 0;
	argv[argc++] = (char *)program;
	snprintf(words_buf, buf_cap, "%s", args);
	char *save_w;
	bool skip_value = false;
	for (char *w = strtok_r(words_buf, " \t", &save_w); w; w = strtok_r(NULL, " \t", &save_w)) {
		if (argc >= MAX_ARGS - 3)
			return -1;
		/* --threads T on the command line replaces the manifest's: one in the header */
		bool knob = threads > 0 && strncmp(w, "--threads", 9) == 0;
		if (skip_value) {
			skip_value = false;
			continue;
		}
		if (knob && (w[9] == '\0' || w[9] == '=')) {
			skip_value = w[9] == '\0';
			continue;
		}
		argv[argc++] = w;
	}
	if (threads > 0) {
		snprintf(threads_buf, threads_cap, "%d", threads);
		argv[argc++] = "--threads";
		argv[argc++] = threads_buf;
	}
	argv[argc] = NULL;
	return 0;
}

static int run_series_of(const char *program, const char *args, const char *label,
                         const struct series_options *sopts, int threads, struct series *out,
                         char *err, size_t err_cap)
{
	char *argv[MAX_ARGS], words[512], threads_buf[16];
	if (build_argv(program, args, threads, argv, words, sizeof(words), threads_buf,
	               sizeof(threads_buf))) {
		snprintf(err, err_cap, "too many arguments: %s", args);
		return -1;
	}
	return series_run(argv, label, sopts, out, err, err_cap);
}

static void run_tsan_of(struct experiment *ex, const char *program, const char *args, int threads,
                        double timeout_s, int stall_ms)
{
	char *argv[MAX_ARGS], words[512], threads_buf[16];
	snprintf(ex->tsan_args, sizeof(ex->tsan_args), "%s", args);
	if (build_argv(program, args, threads, argv, words, sizeof(words), threads_buf,
	               sizeof(threads_buf))) {
		snprintf(ex->tsan.error, sizeof(ex->tsan.error), "too many arguments: %s", args);
		return;
	}
	tsan_run(argv, timeout_s, stall_ms, ex->cat->source_dir, &ex->tsan);
}

/* The program to judge: the catalogue's build, or --program PATH (PATH-tsan for TSan). */
static void lab_program(const struct catalogue *cat, const struct lab_entry *lab,
                        const char *solution, const char *given, bool tsan, char *out, size_t cap)
{
	if (given)
		snprintf(out, cap, "%s%s", given, tsan ? "-tsan" : "");
	else
		catalogue_program(cat, lab, solution, tsan, out, cap);
}

/* The cost table: the lab and each solution, a few runs each on compare_args. */
static void run_comparisons(struct experiment *ex, const struct experiment_options *opts,
                            struct series_options sopts)
{
	const struct manifest *m = &ex->lab->manifest;
	ex->comparisons = calloc((size_t)m->n_solutions + 1, sizeof(*ex->comparisons));
	if (!ex->comparisons)
		return;
	sopts.runs = capped(opts->compare_runs, opts->max_runs);
	sopts.progress = NULL;
	for (int i = -1; i < m->n_solutions; i++) {
		struct comparison *c = &ex->comparisons[ex->n_comparisons];
		const char *solution = i < 0 ? NULL : m->solutions[i];
		char program[PATH_MAX], err[300];
		snprintf(c->name, sizeof(c->name), "%s", solution ? solution : "lab");
		lab_program(ex->cat, ex->lab, solution, solution ? NULL : opts->program, false,
		            program, sizeof(program));
		if (run_series_of(program, m->compare_args, c->name, &sopts, opts->threads,
		                  &c->plain, err, sizeof(err)) == 0)
			ex->n_comparisons++;
		else
			series_free(&c->plain);
	}
}

/* Sizes the plain runs to their cost (sizing.h): one probe run of 1/SIZING_PROBE_DIVISOR
 * of the manifest's size, then the manifest's args with a smaller size in out. Returns 0
 * when the runs were made smaller (ex->sizing_note says how), -1 when they keep the
 * manifest's size. */
static int size_runs(struct experiment *ex, const char *program, int threads,
                     const struct series_options *sopts, char *out, size_t cap)
{
	const struct manifest *m = &ex->lab->manifest;
	long full = sizing_knob_value(m->args, m->size_knob);
	char probe_args[MANIFEST_TEXT], err[300];
	if (!m->size_knob[0] || m->work_ms <= 0 || full < SIZING_PROBE_DIVISOR ||
	    sizing_set_knob(m->args, m->size_knob, full / SIZING_PROBE_DIVISOR, probe_args,
	                    sizeof(probe_args)))
		return -1;
	struct series_options one = *sopts;
	one.runs = 1;
	one.progress = NULL;
	struct series probe;
	long long ns = 0;
	if (run_series_of(program, probe_args, "probe", &one, threads, &probe, err, sizeof(err)) ==
	        0 &&
	    probe.n_runs && probe.runs[0].has_result &&
	    (probe.runs[0].cls == RUN_OK || probe.runs[0].cls == RUN_SYMPTOM))
		ns = (long long)(probe.runs[0].cpu_s * 1e9); /* CPU: busy machines stretch wall */
	series_free(&probe);
	long size = sizing_scaled(full, full / SIZING_PROBE_DIVISOR, ns, m->work_ms);
	if (size >= full || sizing_set_knob(m->args, m->size_knob, size, out, cap))
		return -1;
	/* English for the JSON, then the reader's language for the text report. */
	for (int local = 0; local < 2; local++) {
		bool was = local ? false : i18n_force_english(true);
		snprintf(
		    local ? ex->sizing_note_text : ex->sizing_note,
		    local ? sizeof(ex->sizing_note_text) : sizeof(ex->sizing_note),
		    _("sized to the code's cost: %s %ld, not %ld: a run of %ld would use about "
		      "%.1f s of CPU; each run works about %d ms, as long as the lab's own runs"),
		    m->size_knob, size, full, full, (double)ns * SIZING_PROBE_DIVISOR / 1e9,
		    m->work_ms);
		if (!local)
			i18n_force_english(was);
	}
	return 0;
}

static bool has_solution(const struct manifest *m, const char *name)
{
	for (int i = 0; i < m->n_solutions; i++)
		if (strcmp(m->solutions[i], name) == 0)
			return true;
	return false;
}

int experiment_run_lab(struct experiment *ex, const struct catalogue *cat,
                       const struct lab_entry *lab, const char *solution,
                       const struct experiment_options *opts, char *err, size_t err_cap)
{
	const struct manifest *m = &lab->manifest;
	if (opts->python)
		return python_twin_run(ex, cat, lab, solution, opts, err, err_cap);
	memset(ex, 0, sizeof(*ex));
	ex->cat = cat;
	ex->lab = lab;
	ex->solution = solution;
	if (solution && !has_solution(m, solution)) {
		snprintf(err, err_cap, "lab%d has no solution '%s' (it has: %s%s%s)", m->id,
		         solution, m->n_solutions ? m->solutions[0] : "none",
		         m->n_solutions > 1 ? ", " : "", m->n_solutions > 1 ? m->solutions[1] : "");
		return EXPERIMENT_NO_SUCH_SOLUTION;
	}
	catalogue_source(lab, solution, ex->source, sizeof(ex->source));
	if (opts->program)
		snprintf(ex->source, sizeof(ex->source), "%s", opts->program);
	if (lab_advice_load(lab->path, "en", &ex->advice, err, err_cap))
		return -1;
	if (lab_advice_load(lab->path, i18n_lang_code(), &ex->advice_text, err, err_cap))
		return -1;
	lab_text_load(lab->path, i18n_lang_code(), &ex->text);
	if (opts->threads > 0 && !strstr(m->args, "--threads")) {
		snprintf(err, err_cap, "--threads: lab%d has no thread-count knob (see its --help)",
		         m->id);
		return -1;
	}

	char program[PATH_MAX];
	lab_program(cat, lab, solution, opts->program, false, program, sizeof(program));
	struct series_options sopts = {
	    .runs = capped(opts->runs ? opts->runs : m->runs, opts->max_runs),
	    .timeout_s = opts->timeout_s ? opts->timeout_s : m->timeout_s,
	    .symptoms = m->symptoms,
	    .require_result = true,
	    .capture_limit = CAPTURE_LIMIT,
	    .stall_ms = m->stall_ms,
	    .hard_timeout = opts->timeout_s > 0,
	    .source_dir = cat->source_dir,
	    .stop_at_hang = opts->fail_fast,
	    .progress = opts->progress,
	    .progress_ctx = opts->progress_ctx,
	};
	series_settle_options(opts->settle, &sopts);
	if (access(program, X_OK) != 0) {
		snprintf(err, err_cap, "%s: not built (%s); run: make lab%d", program,
		         strerror(errno), m->id);
		return -1;
	}
	const char *args = opts->args ? opts->args : m->args;
	char sized[MANIFEST_TEXT];
	if (!opts->args && size_runs(ex, program, opts->threads, &sopts, sized, sizeof(sized)) == 0)
		args = sized;
	if (run_series_of(program, args, solution ? solution : "lab", &sopts, opts->threads,
	                  &ex->plain, err, err_cap))
		return -1;

	ex->tsan_wanted = !opts->no_tsan;
	lab_program(cat, lab, solution, opts->program, true, program, sizeof(program));
	ex->tsan_available = access(program, X_OK) == 0;
	if (ex->tsan_wanted && ex->plain.stopped)
		snprintf(ex->tsan.error, sizeof(ex->tsan.error),
		         "not run: a plain run hung or was killed by a limit (--fail-fast)");
	else if (ex->tsan_wanted && ex->tsan_available)
		run_tsan_of(ex, program, opts->tsan_args ? opts->tsan_args : m->tsan_args,
		            opts->threads, sopts.timeout_s, m->stall_ms);
	else if (ex->tsan_wanted)
		snprintf(ex->tsan.error, sizeof(ex->tsan.error),
		         "no TSan build (%s): the compiler could not build with -fsanitize=thread",
		         program);

	/* A lab that hangs has no cost to compare: its runs would only hang again. */
	if (!solution && opts->compare_runs > 0 && ex->plain.counts[RUN_HANG] == 0 &&
	    !ex->plain.stopped)
		run_comparisons(ex, opts, sopts);
	verdict_judge(ex);
	return 0;
}

/* The program's path: as given when it has a '/', else found on PATH. */
static int resolve_program(const char *name, char *out, size_t cap)
{
	if (strchr(name, '/')) {
		snprintf(out, cap, "%s", name);
		return 0;
	}
	if (path_lookup(name, out, cap))
		return 0;
	errno = ENOENT;
	return -1;
}

int experiment_run_exec(struct experiment *ex, char *const *argv,
                        const struct experiment_options *opts, char *err, size_t err_cap)
{
	char program[PATH_MAX];
	memset(ex, 0, sizeof(*ex));
	if (resolve_program(argv[0], program, sizeof(program))) {
		snprintf(err, err_cap, "%s: not found", argv[0]);
		return -1;
	}
	snprintf(ex->source, sizeof(ex->source), "%s", program);
	binary_compiler(program, ex->compiler, sizeof(ex->compiler));
	int argc = 0;
	while (argv[argc])
		argc++;
	char **full = calloc((size_t)argc + 1, sizeof(*full));
	if (!full) {
		snprintf(err, err_cap, "out of memory");
		return -1;
	}
	memcpy(full, argv, (size_t)argc * sizeof(*full));
	full[0] = program;
	/* A TSan build's plain runs are for behaviour and timing: no reports, no 1 s at exit.
	 * Its findings come from the one TSan run below.
	 * A crash must stay a crash. TSan's runtime catches SEGV, BUS, FPE and ILL, prints its
	 * report and leaves through `exitcode`, so with exitcode=0 a SEGV looked like success.
	 * handle_*=0 leaves those signals to the kernel: the run dies of the signal itself,
	 * exactly as a plain build would, and the runner names it without reading any text
	 * (text can be cut, interleaved or sent elsewhere). exitcode stays TSan's 66 so that
	 * the runtime's own deaths (CHECK failed, "... Dying") are failures, never OK; with
	 * report_bugs=0 no report is made, so a race alone never sets it. */
	static char quiet_tsan[] =
	    "TSAN_OPTIONS=report_bugs=0 atexit_sleep_ms=0 exitcode=66 handle_segv=0 "
	    "handle_sigbus=0 handle_sigfpe=0 handle_sigill=0 handle_abort=0";
	char *quiet_env[] = {quiet_tsan, NULL};
	struct series_options sopts = {
	    .env_extra = quiet_env,
	    .runs = capped(opts->runs ? opts->runs : 10, opts->max_runs),
	    .timeout_s = opts->timeout_s ? opts->timeout_s : 10,
	    .hard_timeout = opts->timeout_s > 0,
	    .symptoms = SYMPTOM_WRONG_RESULT,
	    .capture_limit = CAPTURE_LIMIT,
	    .stop_at_hang = opts->fail_fast,
	    .stall_ms = EXEC_STALL_MS,
	    .stop_after_same_hangs = EXEC_SAME_HANGS,
	    .progress = opts->progress,
	    .progress_ctx = opts->progress_ctx,
	};
	/* A TSan build runs under TSan first: if it needs address randomisation off to start
	 * at all ("unexpected memory mapping"), its plain runs need that too. */
	ex->tsan_available = tsan_is_instrumented(program);
	sopts.tsan_build = ex->tsan_available;
	ex->tsan_wanted = ex->tsan_available && !opts->no_tsan;
	if (ex->tsan_wanted) {
		series_join_args(full, ex->tsan_args, sizeof(ex->tsan_args));
		tsan_run(full, sopts.timeout_s, EXEC_STALL_MS, NULL, &ex->tsan);
		sopts.no_aslr = ex->tsan.retried_without_aslr;
	}
	int rc = series_run(full, "program", &sopts, &ex->plain, err, err_cap);
	free(full);
	if (rc == 0)
		verdict_judge(ex);
	return rc;
}

void experiment_free(struct experiment *ex)
{
	series_free(&ex->plain);
	tsan_outcome_free(&ex->tsan);
	for (int i = 0; i < ex->n_comparisons; i++)
		series_free(&ex->comparisons[i].plain);
	free(ex->comparisons);
	memset(ex, 0, sizeof(*ex));
}
