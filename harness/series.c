/* series.c: runs a program repeatedly and summarises what happened. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "busy_probe.h"
#include "hang_diagnosis.h"
#include "manifest.h"
#include "ptrace_scope.h"
#include "i18n.h"
#include "series.h"

const char *run_class_name(enum run_class cls)
{
	static const char *const names[RUN_CLASS_COUNT] = {N_("OK"),   N_("SYMPTOM"), N_("CRASH"),
	                                                   N_("HANG"), N_("ERROR"),   N_("BUSY")};
	return cls < RUN_CLASS_COUNT ? names[cls] : "?";
}

/* The line of the program's output that says why, for an ERROR's detail: the first line,
 * or TSan's own when its runtime stopped the program (exit status 66, "==12==ThreadSanitizer:
 * starting new threads ..."), without the "==pid==" prefix. */
static void first_line(const char *output, char *out, size_t cap)
{
	const char *tsan = output ? strstr(output, "ThreadSanitizer: ") : NULL;
	if (tsan) {
		while (tsan > output && tsan[-1] != '\n')
			tsan--;
		const char *digits = tsan[0] == '=' && tsan[1] == '=' ? tsan + 2 : tsan;
		const char *end = digits + strspn(digits, "0123456789");
		output = end > digits && end[0] == '=' && end[1] == '=' ? end + 2 : tsan;
	}
	size_t n = output ? strcspn(output, "\n") : 0;
	snprintf(out, cap, "%.*s", (int)(n < 120 ? n : 120), output ? output : "");
}

/* Did other programs take the CPUs while this run ran? /proc/stat counts whole clock ticks
 * (10 ms), so each CPU's share of a short run is off by up to a tick: a quiet machine reads
 * 27-45% "others" over a 14 ms run. Only the share beyond that error counts. */
static bool run_was_starved(const struct run_result *run)
{
	long hz = sysconf(_SC_CLK_TCK);
	if (run->ncpus <= 0 || run->wall_s <= 0 || hz <= 0)
		return false;
	double tick_error_s = (double)run->ncpus / (double)hz;
	return (run->others_cpu_s - tick_error_s) / (run->wall_s * run->ncpus) >= BUSY_OTHERS_SHARE;
}

enum run_class series_classify(const struct run_result *run, const struct lab_result *result,
                               bool has_result, bool require_result, char *detail, size_t cap)
{
	char line[128];
	detail[0] = '\0';
	if (run->stalled) {
		snprintf(detail, cap,
		         "stuck: every thread blocked waiting, no progress; killed after "
		         "%.2f s",
		         run->wall_s);
		return RUN_HANG;
	}
	if (run->starved) {
		snprintf(detail, cap,
		         "still running after %.1f s while other programs took the CPUs: the "
		         "machine was too busy to tell a hang",
		         run->wall_s);
		return RUN_BUSY;
	}
	if (run->timed_out) {
		snprintf(detail, cap, "no result after %.1f s: killed", run->wall_s);
		return RUN_HANG;
	}
	if (run->signaled) {
		snprintf(detail, cap, "died of %s", runner_signal_name(run->term_signal));
		return RUN_CRASH;
	}
	if (run->exit_status != 0) {
		first_line(run->output, line, sizeof(line));
		snprintf(detail, cap, "exit status %d%s%s", run->exit_status, line[0] ? ": " : "",
		         line);
		return RUN_ERROR;
	}
	if (has_result && result->records > 1) {
		snprintf(detail, cap,
		         "%d result records on the channel (the lab kit writes one): not trusted",
		         result->records);
		return RUN_ERROR;
	}
	if (has_result && result->symptom && result->timing && !result->inconclusive &&
	    run_was_starved(run)) {
		snprintf(detail, cap,
		         "slow, but other programs used %.0f%% of the CPUs meanwhile: a timing "
		         "on a machine this busy proves nothing",
		         100 * run->others_cpu_s / (run->wall_s * run->ncpus));
		return RUN_BUSY;
	}
	if (has_result)
		return result->symptom && !result->inconclusive ? RUN_SYMPTOM : RUN_OK;
	if (require_result) {
		snprintf(detail, cap, "exited 0 but wrote no result record");
		return RUN_ERROR;
	}
	return RUN_OK;
}

static bool is_symptom(enum run_class cls, int symptoms)
{
	return (cls == RUN_SYMPTOM && (symptoms & SYMPTOM_WRONG_RESULT)) ||
	       (cls == RUN_HANG && (symptoms & SYMPTOM_HANG)) ||
	       (cls == RUN_CRASH && (symptoms & SYMPTOM_CRASH));
}

/* Values, wall times and costs of the runs, in three arrays sized n_runs. */
static void summarise_numbers(struct series *s, double *values, double *walls, double *costs)
{
	size_t n_values = 0, n_costs = 0;
	for (size_t i = 0; i < s->n_runs; i++) {
		const struct run_record *r = &s->runs[i];
		walls[i] = r->wall_s;
		if (!r->has_result)
			continue;
		if (!s->have_values) {
			snprintf(s->what, sizeof(s->what), "%s", r->result.what);
			s->expected = r->result.expected;
		}
		s->have_values = true;
		values[n_values++] = r->result.observed;
		if (r->result.ops > 0 && r->result.work_ns > 0)
			costs[n_costs++] = (double)r->result.work_ns / (double)r->result.ops;
	}
	stats_compute(walls, s->n_runs, &s->wall);
	stats_compute(values, n_values, &s->values);
	s->n_distinct = stats_distinct(values, n_values, s->distinct, SERIES_MAX_DISTINCT);
	s->have_cost = n_costs > 0;
	stats_compute(costs, n_costs, &s->ns_per_op);
}

void series_summarise(struct series *s, int symptoms)
{
	memset(s->counts, 0, sizeof(s->counts));
	s->symptom_runs = 0;
	s->inconclusive_runs = 0;
	s->have_values = false;
	struct busy_load load = {
	    .loadavg = {s->load.loadavg[0], s->load.loadavg[1], s->load.loadavg[2]}};
	for (size_t i = 0; i < s->n_runs; i++) {
		const struct run_record *r = &s->runs[i];
		if (r->ncpus > 0)
			busy_load_add(&load, r->wall_s, r->others_cpu_s, r->ncpus,
			              r->extended_s > 0, r->cls == RUN_BUSY);
		s->counts[s->runs[i].cls]++;
		s->inconclusive_runs += s->runs[i].has_result && s->runs[i].result.inconclusive;
		s->symptom_runs += is_symptom(s->runs[i].cls, symptoms);
	}
	s->load = load;
	size_t n = s->n_runs ? s->n_runs : 1;
	double *values = calloc(n, sizeof(double)), *walls = calloc(n, sizeof(double));
	double *costs = calloc(n, sizeof(double));
	if (values && walls && costs)
		summarise_numbers(s, values, walls, costs);
	free(values);
	free(walls);
	free(costs);
}

void series_record(struct run_record *rec, const struct run_result *rr, bool require_result)
{
	memset(rec, 0, sizeof(*rec));
	rec->has_result =
	    rr->result && result_channel_parse(rr->result, rr->result_len, &rec->result) == 0;
	rec->cls = series_classify(rr, &rec->result, rec->has_result, require_result, rec->detail,
	                           sizeof(rec->detail));
	rec->wall_s = rr->wall_s;
	rec->cpu_s = rr->cpu_s;
	rec->others_cpu_s = rr->others_cpu_s;
	rec->ncpus = rr->ncpus;
	rec->extended_s = rr->extended_s;
	rec->exit_status = rr->exited ? rr->exit_status : -1;
	rec->signal = rr->signaled ? rr->term_signal : 0;
	rec->output_bytes = rr->output_len + rr->output_dropped;
}

bool series_run_killed_by_limit(const struct run_record *rec)
{
	return rec->cls == RUN_CRASH &&
	       (rec->signal == SIGKILL || rec->signal == SIGXCPU || rec->signal == SIGXFSZ);
}

bool series_run_is_hang_or_kill(const struct run_record *rec)
{
	return rec->cls == RUN_HANG || series_run_killed_by_limit(rec);
}

void series_join_args(char *const *argv, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 1; argv[i] && len + 1 < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i > 1 ? " " : "", argv[i]);
}

struct stall_ctx {
	struct series *series;
	const char *source_dir;
};

/* The first deadlocked run of a series is shown to gdb before it is killed. */
static void diagnose_stall(pid_t pid, const struct stall_snapshot *snap, void *ctx)
{
	struct stall_ctx *sc = ctx;
	struct series *s = sc->series;
	double named_at = 0;
	if (s->hang_diagnosis)
		return;
	s->hang_diagnosis = hang_diagnose(pid, snap, sc->source_dir, s->hang_note,
	                                  sizeof(s->hang_note), &named_at, &s->hang_diagnosis_text);
	s->hang_named_after_s = named_at - snap->seen_at;
}

/* Fail fast: has this run deadlocked like the first deadlocked run, often enough now? */
static bool same_hang_again(const struct series_options *opts, struct stall_snapshot *first,
                            size_t *same, const struct run_result *rr)
{
	if (opts->stop_after_same_hangs <= 0 || !rr->stalled)
		return false;
	if (*same == 0)
		*first = rr->stall;
	else if (!stall_same_shape(first, &rr->stall))
		return false;
	return ++*same >= (size_t)opts->stop_after_same_hangs;
}

/* After this long, and this many runs that showed the bug, the rest would not change the
 * verdict; two runs stuck alike settle a hang. */
#define SETTLE_S        0.5
#define SETTLE_SYMPTOMS 3
#define SETTLE_HANGS    2

void series_settle_options(bool settle, struct series_options *s)
{
	s->settle_s = settle ? SETTLE_S : 0;
	s->settle_symptoms = SETTLE_SYMPTOMS;
	s->stop_after_same_hangs = settle ? SETTLE_HANGS : 0;
}

bool series_settled(struct series *s, const struct series_options *opts, double elapsed_s)
{
	size_t shown = 0;
	if (opts->settle_s <= 0 || elapsed_s < opts->settle_s || s->n_runs >= s->runs_planned)
		return false;
	for (size_t i = 0; i < s->n_runs; i++)
		shown += is_symptom(s->runs[i].cls, opts->symptoms);
	if (shown < (size_t)opts->settle_symptoms)
		return false;
	/* English for the JSON, then the reader's language for the text report. */
	for (int local = 0; local < 2; local++) {
		bool was = local ? false : i18n_force_english(true);
		snprintf(
		    local ? s->stopped_note_text : s->stopped_note,
		    local ? sizeof(s->stopped_note_text) : sizeof(s->stopped_note),
		    _("stopped after %zu of %zu runs: the bug had shown in %zu; --runs %zu runs "
		      "them all"),
		    s->n_runs, s->runs_planned, shown, s->runs_planned);
		if (!local)
			i18n_force_english(was);
	}
	return true;
}

bool series_too_busy_to_go_on(struct series *s)
{
	size_t busy = 0;
	for (size_t i = 0; i < s->n_runs; i++)
		busy += s->runs[i].cls == RUN_BUSY;
	if (busy < SERIES_BUSY_STOP)
		return false;
	for (int local = 0; local < 2; local++) {
		bool was = local ? false : i18n_force_english(true);
		snprintf(local ? s->stopped_note_text : s->stopped_note,
		         local ? sizeof(s->stopped_note_text) : sizeof(s->stopped_note),
		         _("stopped after %zu of the runs: %zu were too busy to judge"), s->n_runs,
		         busy);
		if (!local)
			i18n_force_english(was);
	}
	return true;
}

int series_run(char *const *argv, const char *label, const struct series_options *opts,
               struct series *out, char *err, size_t err_cap)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->label, sizeof(out->label), "%s", label);
	snprintf(out->program, sizeof(out->program), "%s", argv[0]);
	series_join_args(argv, out->args, sizeof(out->args));
	if (access(argv[0], X_OK) != 0) {
		snprintf(err, err_cap, "%s: %s", argv[0], strerror(errno));
		return -1;
	}
	out->runs = calloc((size_t)opts->runs, sizeof(*out->runs));
	if (!out->runs) {
		snprintf(err, err_cap, "out of memory");
		return -1;
	}
	struct run_spec spec = {
	    .argv = argv,
	    .env_extra = opts->env_extra,
	    .timeout_s = opts->timeout_s,
	    .capture_limit = opts->capture_limit,
	    .result_channel = true,
	    .stall_ms = opts->stall_ms,
	    .tsan_runtime = opts->tsan_build,
	    .ptracer = opts->stall_ms > 0 && ptrace_scope_needs_ptracer() ? getpid() : 0,
	    .no_aslr = opts->no_aslr,
	    .on_stall = diagnose_stall,
	    .judged = true,
	    .busy_extend = !opts->hard_timeout,
	};
	struct stall_ctx sc = {out, opts->source_dir};
	struct stall_snapshot first_hang;
	size_t same = 0;
	spec.stall_ctx = &sc;
	out->runs_planned = (size_t)opts->runs;
	double elapsed = 0;
	for (int i = 0; i < opts->runs; i++) {
		struct run_result rr;
		if (runner_run(&spec, &rr) != 0) {
			snprintf(err, err_cap, "%s: cannot run: %s", argv[0], strerror(errno));
			run_result_free(&rr);
			return -1;
		}
		series_record(&out->runs[out->n_runs++], &rr, opts->require_result);
		elapsed += rr.wall_s;
		if (rr.stalled && out->hang_shown_after_s == 0)
			out->hang_shown_after_s = rr.stall_named_s - rr.stall_seen_s;
		bool stop = same_hang_again(opts, &first_hang, &same, &rr);
		run_result_free(&rr);
		if (opts->progress)
			opts->progress(opts->progress_ctx, out, out->n_runs, (size_t)opts->runs);
		if (stop) {
			out->same_hangs = same;
			break;
		}
		if (opts->stop_at_hang && series_run_is_hang_or_kill(&out->runs[out->n_runs - 1])) {
			out->stopped = true;
			break;
		}
		if (series_too_busy_to_go_on(out) || series_settled(out, opts, elapsed))
			break;
	}
	busy_probe_loadavg(out->load.loadavg);
	series_summarise(out, opts->symptoms);
	return 0;
}

void series_free(struct series *s)
{
	free(s->runs);
	free(s->hang_diagnosis);
	free(s->hang_diagnosis_text);
	memset(s, 0, sizeof(*s));
}

size_t series_bad_runs(const struct series *s)
{
	return s->counts[RUN_SYMPTOM] + s->counts[RUN_HANG] + s->counts[RUN_CRASH];
}
