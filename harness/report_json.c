/* report_json.c: the machine-readable report; docs/json-report.md is its schema. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "file_util.h"
#include "i18n.h"
#include "json_writer.h"
#include "report.h"

#define JSON_SCHEMA_VERSION 1

static const char *verdict_id(enum verdict v)
{
	static const char *const ids[] = {"bug-shown",   "looks-fixed",  "not-proven",
	                                  "solution-ok", "solution-bad", "error",
	                                  "inconclusive"};
	return ids[v];
}

static void stats_object(struct json_writer *w, const char *key, const struct stats *s,
                         bool present)
{
	if (!present) {
		json_null(w, key);
		return;
	}
	json_object(w, key);
	json_int(w, "n", (long long)s->n);
	json_number(w, "min", s->min);
	json_number(w, "max", s->max);
	json_number(w, "mean", s->mean);
	json_number(w, "median", s->median);
	json_number(w, "stddev", s->stddev);
	json_end_object(w);
}

static void run_object(struct json_writer *w, const struct run_record *r)
{
	json_object(w, NULL);
	json_string(w, "class", run_class_name(r->cls));
	if (r->has_result) {
		json_number(w, "observed", r->result.observed);
		json_number(w, "expected", r->result.expected);
		json_bool(w, "symptom", r->result.symptom);
		if (r->result.ops > 0 && r->result.work_ns > 0)
			json_number(w, "ns_per_op",
			            (double)r->result.work_ns / (double)r->result.ops);
		json_object(w, "metrics");
		for (int i = 0; i < r->result.n_metrics; i++)
			json_number(w, r->result.metrics[i].name, r->result.metrics[i].value);
		json_end_object(w);
	}
	json_number(w, "wall_s", r->wall_s);
	json_number(w, "cpu_s", r->cpu_s);
	if (r->ncpus > 0 && r->wall_s > 0)
		json_number(w, "others_cpu_share", r->others_cpu_s / (r->wall_s * r->ncpus));
	else
		json_null(w, "others_cpu_share");
	json_number(w, "extended_s", r->extended_s);
	if (r->exit_status >= 0)
		json_int(w, "exit_status", r->exit_status);
	else
		json_null(w, "exit_status");
	if (r->signal)
		json_int(w, "signal", r->signal);
	else
		json_null(w, "signal");
	json_string(w, "detail", r->detail);
	json_bool(w, "killed_by_limit", series_run_killed_by_limit(r));
	json_end_object(w);
}

static void load_object(struct json_writer *w, const struct busy_load *load)
{
	if (load->ncpus <= 0) {
		json_null(w, "load");
		return;
	}
	json_object(w, "load");
	json_int(w, "ncpus", load->ncpus);
	json_number(w, "others_cpu_share", load->others_share);
	json_array(w, "loadavg");
	for (int i = 0; i < 3 && load->loadavg[0] >= 0; i++)
		json_number(w, NULL, load->loadavg[i]);
	json_end_array(w);
	json_int(w, "extended_runs", (long long)load->extended_runs);
	json_int(w, "busy_runs", (long long)load->busy_runs);
	json_bool(w, "too_busy", busy_too_busy(load));
	json_end_object(w);
}

static void series_object(struct json_writer *w, const char *key, const struct series *s)
{
	json_object(w, key);
	json_string(w, "label", s->label);
	json_string(w, "program", s->program);
	json_string(w, "args", s->args);
	json_array(w, "runs");
	for (size_t i = 0; i < s->n_runs; i++)
		run_object(w, &s->runs[i]);
	json_end_array(w);
	json_object(w, "counts");
	for (int c = 0; c < RUN_CLASS_COUNT; c++)
		json_int(w, run_class_name(c), (long long)s->counts[c]);
	json_end_object(w);
	json_int(w, "symptom_runs", (long long)s->symptom_runs);
	json_string(w, "what", s->have_values ? s->what : NULL);
	if (s->have_values)
		json_number(w, "expected", s->expected);
	else
		json_null(w, "expected");
	stats_object(w, "values", &s->values, s->have_values);
	json_array(w, "distinct");
	for (long i = 0; i < s->n_distinct && i < SERIES_MAX_DISTINCT; i++) {
		json_object(w, NULL);
		json_number(w, "value", s->distinct[i].value);
		json_int(w, "count", (long long)s->distinct[i].count);
		json_end_object(w);
	}
	json_end_array(w);
	json_int(w, "n_distinct", s->n_distinct);
	json_string(w, "hang_diagnosis", s->hang_diagnosis);
	if (s->hang_diagnosis_text)
		json_string(w, "hang_diagnosis_text", s->hang_diagnosis_text);
	json_string(w, "hang_note", s->hang_note[0] ? s->hang_note : NULL);
	if (s->hang_diagnosis) {
		json_number(w, "hang_named_after_s", s->hang_named_after_s);
		json_number(w, "hang_shown_after_s", s->hang_shown_after_s);
	} else {
		json_null(w, "hang_named_after_s");
		json_null(w, "hang_shown_after_s");
	}
	json_int(w, "runs_planned", (long long)s->runs_planned);
	json_int(w, "same_hangs", (long long)s->same_hangs);
	json_bool(w, "stopped", s->stopped);
	stats_object(w, "wall_s", &s->wall, s->n_runs > 0);
	stats_object(w, "ns_per_op", &s->ns_per_op, s->have_cost);
	load_object(w, &s->load);
	json_string(w, "stopped", s->stopped_note[0] ? s->stopped_note : NULL);
	json_end_object(w);
}

static void frame_fields(struct json_writer *w, const struct experiment *ex,
                         const struct tsan_frame *f)
{
	json_string(w, "file", f->line ? catalogue_relative(ex->cat, f->file) : NULL);
	if (f->line)
		json_int(w, "line", f->line);
	else
		json_null(w, "line");
	json_string(w, "function", f->line ? f->function : NULL);
}

static const char *location_kind(enum tsan_location_kind k)
{
	static const char *const names[] = {NULL, "global", "heap", "stack", "tls", "fd", "other"};
	return names[k];
}

static void access_object(struct json_writer *w, const struct experiment *ex,
                          const struct tsan_access *a)
{
	json_object(w, NULL);
	json_string(w, "op", a->is_write ? "write" : "read");
	json_bool(w, "atomic", a->is_atomic);
	json_int(w, "size", a->size);
	json_int(w, "thread", a->thread);
	json_string(w, "mutexes", a->mutexes);
	frame_fields(w, ex, &a->where);
	json_end_object(w);
}

static void finding_lists(struct json_writer *w, const struct tsan_finding *f)
{
	json_array(w, "threads");
	for (int i = 0; i < f->n_threads; i++)
		json_int(w, NULL, f->threads[i].id);
	json_end_array(w);
	json_array(w, "mutexes");
	for (int i = 0; i < f->n_mutexes; i++)
		json_int(w, NULL, f->mutexes[i].id);
	json_end_array(w);
	json_array(w, "cycle");
	for (int i = 0; i < f->cycle_len; i++)
		json_int(w, NULL, f->cycle[i]);
	json_end_array(w);
}

/* "crash": what TSan said when it stopped the program; null for WARNING kinds. */
static void crash_object(struct json_writer *w, const struct tsan_finding *f)
{
	static const char *const classes[] = {NULL, "null", "wild", "stack-overflow"};
	const struct tsan_crash *c = &f->crash;
	if (!tsan_kind_is_fatal(f->kind) && !c->message[0]) {
		json_null(w, "crash");
		return;
	}
	json_object(w, "crash");
	json_string(w, "signal", c->signal[0] ? c->signal : NULL);
	json_string(w, "address_class", classes[c->address_class]);
	char hex[24];
	snprintf(hex, sizeof(hex), "0x%llx", c->address);
	json_string(
	    w, "address",
	    c->address_class == TSAN_ADDR_NULL || c->address_class == TSAN_ADDR_WILD ? hex : NULL);
	json_string(w, "access", c->access[0] ? c->access : NULL);
	json_bool(w, "main_thread", c->main_thread);
	if (c->os_tid)
		json_int(w, "tid", c->os_tid);
	else
		json_null(w, "tid");
	json_string(w, "message", c->message[0] ? c->message : NULL);
	json_end_object(w);
}

static void finding_object(struct json_writer *w, const struct experiment *ex,
                           const struct tsan_finding *f)
{
	json_object(w, NULL);
	json_string(w, "kind", tsan_kind_slug(f->kind));
	json_string(w, "name", tsan_kind_name(f->kind));
	json_int(w, "count", f->count);
	frame_fields(w, ex, &f->where);
	json_string(w, "location", location_kind(f->location.kind));
	json_string(w, "variable", f->location.variable[0] ? f->location.variable : NULL);
	json_array(w, "accesses");
	for (int i = 0; i < 2; i++)
		if (f->access[i].present)
			access_object(w, ex, &f->access[i]);
	json_end_array(w);
	finding_lists(w, f);
	crash_object(w, f);
	json_string(w, "explanation", tsan_kind_explanation(f->kind));
	json_string(w, "lab_advice", lab_advice_for(&ex->advice, f->kind));
	if (strcmp(i18n_lang_code(), "en") != 0) { /* the reader's language beside English */
		json_string(w, "explanation_text", _(tsan_kind_explanation(f->kind)));
		json_string(w, "lab_advice_text", lab_advice_for(&ex->advice_text, f->kind));
	}
	json_end_object(w);
}

static void tsan_object(struct json_writer *w, const struct experiment *ex)
{
	const struct tsan_outcome *ts = &ex->tsan;
	json_object(w, "tsan");
	json_bool(w, "wanted", ex->tsan_wanted);
	json_bool(w, "ran", ts->ran);
	json_string(w, "error", ts->ran || !ex->tsan_wanted ? NULL : ts->error);
	json_string(w, "compiler",
	            ex->cat ? ex->cat->tsan_compiler : (ex->compiler[0] ? ex->compiler : NULL));
	json_string(w, "args", ex->tsan_args);
	json_bool(w, "retried_without_aslr", ts->retried_without_aslr);
	json_string(w, "class", ts->ran ? run_class_name(ts->run.cls) : NULL);
	json_number(w, "wall_s", ts->run.wall_s);
	json_int(w, "raw_reports", ts->raw_reports);
	json_string(w, "hang_diagnosis", ts->hang_diagnosis);
	if (ts->hang_diagnosis_text)
		json_string(w, "hang_diagnosis_text", ts->hang_diagnosis_text);
	json_string(w, "hang_note", ts->hang_note[0] ? ts->hang_note : NULL);
	json_number(w, "cpu_s", ts->cpu_s);
	json_string(w, "timeout", ts->run.cls != RUN_HANG ? NULL : ts->slow ? "slow" : "blocked");
	json_bool(w, "clean", tsan_outcome_clean(ts));
	json_string(w, "not_clean", ts->not_clean[0] ? ts->not_clean : NULL);
	json_array(w, "findings");
	for (size_t i = 0; i < ts->report.n_findings; i++)
		finding_object(w, ex, &ts->report.findings[i]);
	json_end_array(w);
	json_end_object(w);
}

static void lab_object(struct json_writer *w, const struct experiment *ex)
{
	if (!ex->lab) {
		json_null(w, "lab");
		return;
	}
	const struct manifest *m = &ex->lab->manifest;
	json_object(w, "lab");
	json_int(w, "id", m->id);
	json_string(w, "slug", m->slug);
	json_string(w, "title", m->title);
	json_string(w, "topic", m->topic);
	json_string(w, "symptom", manifest_symptom_text(m->symptoms));
	json_number(w, "symptom_rate", ex->python ? m->python.symptom_rate : m->symptom_rate);
	json_array(w, "tsan_expect");
	for (int i = 0; !ex->python && i < m->n_tsan_expect; i++)
		json_string(w, NULL, tsan_kind_slug(m->tsan_expect[i]));
	json_end_array(w);
	json_end_object(w);
}

void report_json_experiment(struct json_writer *w, const struct experiment *ex)
{
	json_object(w, NULL);
	lab_object(w, ex);
	json_string(w, "solution", ex->solution);
	json_string(w, "source", ex->source);
	json_string(w, "sizing", ex->sizing_note[0] ? ex->sizing_note : NULL);
	json_bool(w, "python", ex->python);
	if (ex->python)
		json_string(w, "interpreter", ex->compiler);
	series_object(w, "plain", &ex->plain);
	tsan_object(w, ex);
	json_array(w, "comparisons");
	for (int i = 0; i < ex->n_comparisons; i++)
		series_object(w, NULL, &ex->comparisons[i].plain);
	json_end_array(w);
	json_string(w, "verdict", verdict_id(ex->verdict));
	json_string(w, "verdict_text", verdict_name(ex->verdict));
	json_string(w, "evidence", ex->evidence);
	if (strcmp(i18n_lang_code(), "en") != 0) {
		json_string(w, "lang", i18n_lang_code());
		json_string(w, "verdict_text_local", _(verdict_name(ex->verdict)));
		json_string(w, "evidence_text", ex->evidence_text);
	}
	json_bool(w, "machine_too_busy", ex->machine_too_busy);
	if (ex->lab && !ex->solution) {
		json_bool(w, "symptom_rate_holds", ex->symptom_rate_holds);
		json_bool(w, "tsan_kinds_found", ex->tsan_kinds_found);
	}
	json_end_object(w);
}

int report_json_file(const char *path, const struct experiment *const *exs, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return -1;
	struct json_writer w;
	json_begin(&w, mem);
	json_object(&w, NULL);
	json_string(&w, "racelab", RACELAB_VERSION);
	json_int(&w, "schema", JSON_SCHEMA_VERSION);
	json_array(&w, "experiments");
	for (int i = 0; i < n; i++)
		report_json_experiment(&w, exs[i]);
	json_end_array(&w);
	json_end_object(&w);
	if (fclose(mem) != 0) {
		free(buf);
		return -1;
	}
	int rc = strcmp(path, "-") == 0 ? (fwrite(buf, 1, len, stdout) == len ? 0 : -1)
	                                : file_write_atomic(path, buf, len);
	int saved = errno;
	free(buf);
	errno = saved;
	return rc;
}
