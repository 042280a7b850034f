/* python_twin.c: runs a lab's Python twin through the series and verdict of a C lab. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path_lookup.h"
#include "python_twin.h"
#include "verdict.h"

#define MAX_ARGS      64
#define CAPTURE_LIMIT (64u << 10) /* output kept per run, as for C labs */
#define DEBIAN_PYTHON "/usr/bin/python3"

/* Debian's interpreter comes before PATH's: a version manager's shim on PATH (pyenv) is
 * a shell script that costs seconds per start, and the twins teach Debian 12's 3.11. */
int python_twin_interpreter(char *out, size_t cap)
{
	const char *chosen = getenv("RACELAB_PYTHON");
	if (chosen && *chosen) {
		snprintf(out, cap, "%s", chosen);
		if (strchr(chosen, '/'))
			return access(out, X_OK);
		return path_lookup(chosen, out, cap) ? 0 : -1;
	}
	if (access(DEBIAN_PYTHON, X_OK) == 0) {
		snprintf(out, cap, "%s", DEBIAN_PYTHON);
		return 0;
	}
	return path_lookup("python3", out, cap) ? 0 : -1;
}

void python_twin_source(const struct lab_entry *lab, const char *solution, char *out, size_t cap)
{
	if (solution)
		snprintf(out, cap, "solutions/%s/python/%s.py", lab->dir, solution);
	else
		snprintf(out, cap, "labs/%s/python/%s", lab->dir, lab->manifest.python.program);
}

bool python_twin_has_solution(const struct manifest *m, const char *name)
{
	for (int i = 0; i < m->python.n_solutions; i++)
		if (strcmp(m->python.solutions[i], name) == 0)
			return true;
	return false;
}

bool python_twin_solutions_text(const struct manifest *m, char *out, size_t cap)
{
	size_t used = 0;
	if (cap)
		out[0] = '\0';
	for (int i = 0; m->python.program[0] && i < m->python.n_solutions && used < cap; i++) {
		int n =
		    snprintf(out + used, cap - used, "%s%s", i ? ", " : "", m->python.solutions[i]);
		used += n > 0 ? (size_t)n : 0;
	}
	return m->python.program[0] != '\0';
}

/* "Python 3.11.2 (/usr/bin/python3)" into out: what the header names as the runtime. */
static void describe_interpreter(const char *interp, char *out, size_t cap)
{
	char cmd[PATH_MAX + 32], line[64] = "";
	snprintf(out, cap, "%s", interp);
	if (strchr(interp, '\''))
		return;
	snprintf(cmd, sizeof(cmd), "'%s' --version 2>&1", interp);
	FILE *p = popen(cmd, "r");
	if (!p)
		return;
	if (fgets(line, sizeof(line), p))
		line[strcspn(line, "\n")] = '\0';
	pclose(p);
	if (line[0])
		snprintf(out, cap, "%s (%s)", line, interp);
}

/* argv: interpreter -B script, the words of args, and "--threads T" when threads > 0.
 * -B: a run writes no __pycache__ into the source tree. */
static int build_argv(char **argv, char *interp, char *script, const char *args, int threads,
                      char *words, size_t words_cap, char *threads_buf, size_t threads_cap)
{
	int argc = 0;
	argv[argc++] = interp;
	argv[argc++] = "-B";
	argv[argc++] = script;
	snprintf(words, words_cap, "%s", args);
	char *save_w;
	for (char *w = strtok_r(words, " \t", &save_w); w; w = strtok_r(NULL, " \t", &save_w)) {
		if (argc >= MAX_ARGS - 3)
			return -1;
		argv[argc++] = w;
	}
	if (threads > 0) {
		snprintf(threads_buf, threads_cap, "%d", threads);
		argv[argc++] = "--threads"; /* the kit takes the last occurrence */
		argv[argc++] = threads_buf;
	}
	argv[argc] = NULL;
	return 0;
}

/* One series of a twin or Python solution. */
static int run_series(const struct experiment *ex, const char *solution, const char *args,
                      const char *interp, const struct series_options *sopts, int threads,
                      struct series *out, char *err, size_t err_cap)
{
	char *argv[MAX_ARGS], words[512], threads_buf[16], source[PATH_MAX], script[PATH_MAX * 2],
	    interp_copy[PATH_MAX];
	python_twin_source(ex->lab, solution, source, sizeof(source));
	snprintf(script, sizeof(script), "%s/%s", ex->cat->source_dir, source);
	snprintf(interp_copy, sizeof(interp_copy), "%s", interp);
	if (access(script, R_OK) != 0) {
		snprintf(err, err_cap, "%s: %s", source, strerror(errno));
		return -1;
	}
	if (build_argv(argv, interp_copy, script, args, threads, words, sizeof(words), threads_buf,
	               sizeof(threads_buf))) {
		snprintf(err, err_cap, "too many arguments: %s", args);
		return -1;
	}
	if (series_run(argv, solution ? solution : "lab", sopts, out, err, err_cap))
		return -1;
	/* For people: the twin and its arguments, not the interpreter's. */
	snprintf(out->program, sizeof(out->program), "%s", script);
	series_join_args(argv + 2, out->args, sizeof(out->args));
	return 0;
}

/* The cost table: the twin and each Python solution, a few runs each on compare_args. */
static void run_comparisons(struct experiment *ex, const char *interp,
                            const struct experiment_options *opts, struct series_options sopts)
{
	const struct manifest_python *py = &ex->lab->manifest.python;
	ex->comparisons = calloc((size_t)py->n_solutions + 1, sizeof(*ex->comparisons));
	if (!ex->comparisons)
		return;
	sopts.runs = opts->compare_runs;
	sopts.progress = NULL;
	for (int i = -1; i < py->n_solutions; i++) {
		struct comparison *c = &ex->comparisons[ex->n_comparisons];
		const char *solution = i < 0 ? NULL : py->solutions[i];
		char err[PATH_MAX + 64];
		snprintf(c->name, sizeof(c->name), "%s", solution ? solution : "lab");
		if (run_series(ex, solution, py->compare_args, interp, &sopts, opts->threads,
		               &c->plain, err, sizeof(err)) == 0)
			ex->n_comparisons++;
		else
			series_free(&c->plain);
	}
}

/* Why a twin cannot run (an enum experiment_failure); 0 when it can. */
static int refuse(const struct manifest *m, const char *solution,
                  const struct experiment_options *opts, char *err, size_t err_cap)
{
	const struct manifest_python *py = &m->python;
	if (!py->program[0]) {
		snprintf(err, err_cap, "lab%d has no Python twin (no 'python' in its lab.manifest)",
		         m->id);
		return EXPERIMENT_NO_SUCH_SOLUTION;
	}
	if (solution && !python_twin_has_solution(m, solution)) {
		snprintf(err, err_cap, "lab%d has no solution '%s' in Python (it has: %s%s%s)",
		         m->id, solution, py->n_solutions ? py->solutions[0] : "none",
		         py->n_solutions > 1 ? ", " : "",
		         py->n_solutions > 1 ? py->solutions[1] : "");
		return EXPERIMENT_NO_SUCH_SOLUTION;
	}
	if (opts->threads > 0 && !strstr(py->args, "--threads")) {
		snprintf(err, err_cap, "--threads: lab%d's Python twin has no thread-count knob",
		         m->id);
		return -1;
	}
	return 0;
}

int python_twin_run(struct experiment *ex, const struct catalogue *cat, const struct lab_entry *lab,
                    const char *solution, const struct experiment_options *opts, char *err,
                    size_t err_cap)
{
	const struct manifest *m = &lab->manifest;
	char interp[PATH_MAX];
	memset(ex, 0, sizeof(*ex));
	ex->cat = cat;
	ex->lab = lab;
	ex->solution = solution;
	ex->python = true;
	int refused = refuse(m, solution, opts, err, err_cap);
	if (refused)
		return refused;
	if (python_twin_interpreter(interp, sizeof(interp))) {
		snprintf(err, err_cap,
		         "python3: not found (install python3, or set RACELAB_PYTHON)");
		return -1;
	}
	python_twin_source(lab, solution, ex->source, sizeof(ex->source));
	describe_interpreter(interp, ex->compiler, sizeof(ex->compiler));
	struct series_options sopts = {
	    .runs = opts->runs       ? opts->runs
	            : m->python.runs ? m->python.runs
	                             : m->runs,
	    .timeout_s = opts->timeout_s           ? opts->timeout_s
	                 : m->python.timeout_s > 0 ? m->python.timeout_s
	                                           : m->timeout_s,
	    .symptoms = m->symptoms,
	    .require_result = true,
	    .capture_limit = CAPTURE_LIMIT,
	    .hard_timeout = opts->timeout_s > 0,
	    .source_dir = cat->source_dir,
	    .stop_at_hang = opts->fail_fast,
	    .progress = opts->progress,
	    .progress_ctx = opts->progress_ctx,
	};
	series_settle_options(opts->settle, &sopts);
	const char *args = opts->args ? opts->args : m->python.args;
	if (run_series(ex, solution, args, interp, &sopts, opts->threads, &ex->plain, err, err_cap))
		return -1;
	snprintf(ex->tsan.error, sizeof(ex->tsan.error),
	         "not applicable: the twin is Python, TSan checks C built with it");
	if (!solution && opts->compare_runs > 0 && ex->plain.counts[RUN_HANG] == 0 &&
	    !ex->plain.stopped)
		run_comparisons(ex, interp, opts, sopts);
	verdict_judge(ex);
	return 0;
}
