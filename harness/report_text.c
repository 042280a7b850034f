/* report_text.c: the report a student reads after `make labN`. */
#include <string.h>

#include "cli.h"
#include "histogram.h"
#include "i18n.h"
#include "report.h"

#define HISTOGRAM_BINS  8
#define HISTOGRAM_WIDTH 40

static void header(FILE *out, const struct term *t, const struct experiment *ex)
{
	if (!ex->lab) {
		fprintf(out, "%sracelab: %s%s\n", term_on(t, TERM_BOLD), ex->source, term_off(t));
		fprintf(out, _("  built by: %s%s\n"),
		        ex->compiler[0] ? ex->compiler
		                        : _("unknown compiler (no .comment section)"),
		        ex->tsan_available ? _(", with ThreadSanitizer") : "");
		return;
	}
	const struct manifest *m = &ex->lab->manifest;
	fprintf(out, _("%sLab %d (%s)%s%s: %s%s\n"), term_on(t, TERM_BOLD), m->id, m->slug,
	        ex->solution ? _(", solution ") : "", ex->solution ? ex->solution : "",
	        ex->text.title[0] ? ex->text.title : m->title, term_off(t));
	fprintf(out, _("  topic: %s\n  source: %s\n"),
	        ex->text.topic[0] ? ex->text.topic : m->topic, ex->source);
	if (ex->python)
		fprintf(out, _("  interpreter: %s\n"), ex->compiler);
}

static const char class_letter[RUN_CLASS_COUNT] = {'.', 'S', 'C', 'H', 'E', 'B'};

static void run_strip(FILE *out, const struct series *s)
{
	fprintf(out, _("  run by run: "));
	for (size_t i = 0; i < s->n_runs && i < 100; i++)
		fputc(class_letter[s->runs[i].cls], out);
	fprintf(out, _("%s   (. ok  S wrong result  C crash  H hang  E error%s)\n"),
	        s->n_runs > 100 ? "..." : "", s->counts[RUN_BUSY] ? _("  B machine too busy") : "");
}

static void class_counts(FILE *out, const struct term *t, const struct series *s)
{
	fprintf(out, "  ");
	for (int c = 0; c < RUN_CLASS_COUNT; c++) {
		if (c == RUN_BUSY && !s->counts[c])
			continue; /* shown only when it happened */
		bool bad = c != RUN_OK && s->counts[c];
		fprintf(out, "%s%s %zu%s   ", bad ? term_on(t, TERM_RED) : "", _(run_class_name(c)),
		        s->counts[c], bad ? term_off(t) : "");
	}
	fputc('\n', out);
}

static void value_block(FILE *out, const struct term *t, const struct series *s)
{
	const struct stats *v = &s->values;
	fprintf(out, _("  %s: expected %.15g\n"), s->what, s->expected);
	fprintf(out,
	        _("    observed  min %.15g  max %.15g  mean %.1f  median %.15g  stddev %.1f\n"),
	        v->min, v->max, v->mean, v->median, v->stddev);
	fprintf(out,
	        ngettext("    %ld distinct value:", "    %ld distinct values:",
	                 (unsigned long)s->n_distinct),
	        s->n_distinct);
	for (long i = 0; i < s->n_distinct && i < 5; i++)
		fprintf(out, "%s %.15g x%zu", i ? "," : "", s->distinct[i].value,
		        s->distinct[i].count);
	fprintf(out, "%s\n", s->n_distinct > 5 ? ", ..." : "");

	double values[512];
	size_t n = 0;
	for (size_t i = 0; i < s->n_runs && n < 512; i++)
		if (s->runs[i].has_result)
			values[n++] = s->runs[i].result.observed;
	char hist[4096];
	histogram_render(values, n, HISTOGRAM_BINS, HISTOGRAM_WIDTH, t->unicode, hist,
	                 sizeof(hist));
	fprintf(out, _("  histogram of observed values:\n%s"), hist);
}

/* The lab's extra numbers (meals per philosopher, a final balance, ...): the median of
 * each over the runs that reported it. */
static void metrics(FILE *out, const struct series *s)
{
	const struct lab_result *first = NULL;
	for (size_t i = 0; i < s->n_runs && !first; i++)
		if (s->runs[i].has_result && s->runs[i].result.n_metrics)
			first = &s->runs[i].result;
	if (!first)
		return;
	fprintf(out, _("  metrics (median of the runs):"));
	for (int m = 0; m < first->n_metrics; m++) {
		double values[512];
		size_t n = 0;
		for (size_t i = 0; i < s->n_runs && n < 512; i++) {
			const struct lab_result *r = &s->runs[i].result;
			if (s->runs[i].has_result && m < r->n_metrics &&
			    strcmp(r->metrics[m].name, first->metrics[m].name) == 0)
				values[n++] = r->metrics[m].value;
		}
		struct stats st;
		stats_compute(values, n, &st);
		fprintf(out, "%s %s %.10g", m ? "," : "", first->metrics[m].name, st.median);
	}
	fputc('\n', out);
}

/* The first FAILURES_SHOWN runs that say why they failed; how many more are left out. */
#define FAILURES_SHOWN 3

static void failures(FILE *out, const struct series *s)
{
	size_t shown = 0, left_out = 0;
	for (size_t i = 0; i < s->n_runs; i++) {
		if (!s->runs[i].detail[0])
			continue;
		if (shown == FAILURES_SHOWN) {
			left_out++;
			continue;
		}
		fprintf(out, _("    run %zu: %s\n"), i + 1, s->runs[i].detail);
		shown++;
	}
	if (left_out)
		fprintf(out,
		        ngettext("    (%zu more run like these left out: see run by run above)\n",
		                 "    (%zu more runs like these left out: see run by run above)\n",
		                 left_out),
		        left_out);
}

static void plain_section(FILE *out, const struct term *t, const struct experiment *ex)
{
	const struct series *s = &ex->plain;
	const char *name = strrchr(s->program, '/');
	fprintf(out, _("\n%sPlain runs%s: %zu x %s %s\n"), term_on(t, TERM_BOLD), term_off(t),
	        s->n_runs, name ? name + 1 : s->program, s->args);
	if (ex->sizing_note[0])
		fprintf(out, "  (%s)\n",
		        ex->sizing_note_text[0] ? ex->sizing_note_text : ex->sizing_note);
	class_counts(out, t, s);
	run_strip(out, s);
	if (s->stopped_note[0])
		fprintf(out, "  (%s)\n",
		        s->stopped_note_text[0] ? s->stopped_note_text : s->stopped_note);
	failures(out, s);
	if (s->same_hangs && s->n_runs < s->runs_planned)
		fprintf(out,
		        ngettext("  %zu run got stuck the same way; the other %zu were not run\n",
		                 "  %zu runs got stuck the same way; the other %zu were not run\n",
		                 s->same_hangs),
		        s->same_hangs, s->runs_planned - s->n_runs);
	if (s->hang_diagnosis)
		fprintf(out, _("  %sthe first stuck run, seen live:%s\n%s"), term_on(t, TERM_BOLD),
		        term_off(t),
		        s->hang_diagnosis_text ? s->hang_diagnosis_text : s->hang_diagnosis);
	if (s->hang_note[0])
		fprintf(out, "  (%s)\n", s->hang_note);
	if (s->have_values)
		value_block(out, t, s);
	metrics(out, s);
	fprintf(out, _("  wall time per run: median %.1f ms (min %.1f, max %.1f)\n"),
	        s->wall.median * 1e3, s->wall.min * 1e3, s->wall.max * 1e3);
	if (s->load.ncpus > 0) {
		char load[200];
		busy_describe(&s->load, load, sizeof(load));
		fprintf(out, _("  machine: %s%s\n"), load,
		        busy_too_busy(&s->load) ? _(" (too busy to judge a missing symptom)") : "");
	}
}

static void comparisons(FILE *out, const struct term *t, const struct experiment *ex)
{
	if (ex->n_comparisons < 2 || !ex->comparisons[0].plain.have_cost)
		return;
	const struct series *racy = &ex->comparisons[0].plain;
	fprintf(out,
	        ngettext("\n%sCost%s (median time per operation, %zu run each with %s):\n",
	                 "\n%sCost%s (median time per operation, %zu runs each with %s):\n",
	                 racy->n_runs),
	        term_on(t, TERM_BOLD), term_off(t), racy->n_runs, racy->args);
	for (int i = 0; i < ex->n_comparisons; i++) {
		const struct series *c = &ex->comparisons[i].plain;
		fprintf(out, _("  %-12s %9.2f ns   %s %zu/%zu runs"), c->label, c->ns_per_op.median,
		        i == 0 ? _("bug in") : _("correct in"),
		        i == 0 ? c->symptom_runs : c->counts[RUN_OK], c->n_runs);
		if (i > 0 && racy->ns_per_op.median > 0)
			fprintf(out, _("   %.1fx the lab's cost"),
			        c->ns_per_op.median / racy->ns_per_op.median);
		if (ex->lab && ex->lab->manifest.cost_unit[0] && c->ns_per_op.median > 0)
			fprintf(out, "   %.0f %s/s", 1e9 / c->ns_per_op.median,
			        ex->lab->manifest.cost_unit);
		fputc('\n', out);
	}
}

/* Did a run give a wrong value (not a timing) while TSan, having run, found nothing? */
static bool wrong_but_tsan_clean(const struct experiment *ex)
{
	if (!ex->tsan.ran || !tsan_outcome_clean(&ex->tsan) || ex->tsan.report.n_findings)
		return false;
	if (ex->lab && ex->lab->manifest.n_tsan_expect == 0)
		return false; /* a bug TSan cannot see by design (lab 1: processes share nothing) */
	for (size_t i = 0; i < ex->plain.n_runs; i++)
		if (ex->plain.runs[i].cls == RUN_SYMPTOM && !ex->plain.runs[i].result.timing)
			return true;
	return false;
}

/* Runs went wrong and TSan is clean: every access was guarded, but a read-modify-write
 * was not one critical section. TSan checks accesses, not atomicity, so say so. */
static void atomicity_note(FILE *out, const struct term *t, const struct experiment *ex)
{
	if (!wrong_but_tsan_clean(ex))
		return;
	fprintf(out,
	        _("\n%sWrong results, yet TSan is clean%s: each access is guarded (a lock or an "
	          "atomic),\n  but a read-modify-write is split into separate critical sections, "
	          "and another\n  thread runs between them. That is an atomicity violation, which "
	          "TSan cannot\n  see: the critical section must cover the whole read-modify-write "
	          "(read, compute\n  and write under one lock).\n"),
	        term_on(t, TERM_BOLD), term_off(t));
	/* `racelab explore` replays the interleaving, in builds that have it */
	if (ex->lab && strstr(cli_usage, "racelab explore"))
		fprintf(out,
		        _("  racelab explore lab%d shows such an interleaving, step by step.\n"),
		        ex->lab->manifest.id);
}

static enum term_style verdict_colour(enum verdict v)
{
	switch (v) {
	case VERDICT_LOOKS_FIXED:
	case VERDICT_SOLUTION_OK:
		return TERM_GREEN;
	case VERDICT_NOT_PROVEN:
	case VERDICT_INCONCLUSIVE:
		return TERM_YELLOW;
	default:
		return TERM_RED;
	}
}

void report_text(FILE *out, const struct term *t, const struct experiment *ex)
{
	header(out, t, ex);
	plain_section(out, t, ex);
	report_text_tsan(out, t, ex);
	atomicity_note(out, t, ex);
	comparisons(out, t, ex);
	fprintf(out, _("\n%sVerdict: %s%s: %s\n"), term_on(t, verdict_colour(ex->verdict)),
	        _(verdict_name(ex->verdict)), term_off(t), ex->evidence_text);
}
