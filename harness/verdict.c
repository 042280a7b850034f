/* verdict.c: judges an experiment. */
#include <stdio.h>
#include <string.h>

#include "busy.h"
#include "experiment.h"
#include "i18n.h"
#include "verdict.h"

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_BUG_SHOWN:
		return N_("bug shown");
	case VERDICT_LOOKS_FIXED:
		return N_("looks fixed");
	case VERDICT_NOT_PROVEN:
		return N_("no bug seen, not proven");
	case VERDICT_SOLUTION_OK:
		return N_("solution clean");
	case VERDICT_SOLUTION_BAD:
		return N_("solution broken");
	case VERDICT_ERROR:
		return N_("could not judge");
	case VERDICT_INCONCLUSIVE:
		return N_("inconclusive: the machine is too busy");
	}
	return "?";
}

/* A TSan run the busy machine starved to its cap (killed: no result) may not have reached
 * the bug. A timing lab's BUSY (slow, with a result) is no matter: TSan is slow anyway. */
static bool tsan_starved(const struct tsan_outcome *t)
{
	return t->ran && t->run.cls == RUN_BUSY && !t->run.has_result;
}

static bool tsan_clean(const struct tsan_outcome *t)
{
	return tsan_outcome_clean(t) && !tsan_starved(t);
}

/* Clean, or not applicable: a Python twin has no TSan run to wait for (python_twin.h). */
static bool tsan_fine(const struct experiment *ex)
{
	return ex->python || tsan_clean(&ex->tsan);
}

/* "TSan clean", or for a Python twin why there is no TSan run. */
static const char *tsan_fine_words(const struct experiment *ex)
{
	return ex->python ? _("TSan not applicable (Python)") : _("TSan clean");
}

/* The first run's detail that says something, for "runs failed: ..." (a run's detail may be
 * empty: an OK run has none). */
static const char *first_detail(const struct series *s, enum run_class cls)
{
	for (size_t i = 0; i < s->n_runs; i++)
		if (s->runs[i].cls == cls && s->runs[i].detail[0])
			return s->runs[i].detail;
	return _("no detail");
}

/* What the TSan run says when it found nothing: _("clean"), or why it is not. */
static const char *tsan_quiet_words(const struct experiment *ex)
{
	const struct tsan_outcome *t = &ex->tsan;
	if (ex->python)
		return _("not applicable (Python)");
	if (!t->ran)
		return _("did not run");
	return t->not_clean[0] ? t->not_clean : _("clean");
}

/* "1 data race at lost_update.c:26, 1 thread leak at x.c:9" into out. */
static void describe_findings(const struct tsan_report *r, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < r->n_findings && i < 3 && len < cap; i++) {
		const struct tsan_finding *f = &r->findings[i];
		const char *file = strrchr(f->where.file, '/');
		char title[160];
		file = file ? file + 1 : f->where.file;
		tsan_finding_title(f, title, sizeof(title));
		if (f->kind == TSAN_UNKNOWN && f->crash.message[0])
			snprintf(title, sizeof(title), "%s", f->crash.message);
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", title);
		if (f->where.line && len < cap)
			len += (size_t)snprintf(out + len, cap - len, _(" at %s:%d"), file,
			                        f->where.line);
	}
	if (r->n_findings > 3 && len < cap)
		snprintf(out + len, cap - len, _(" and %zu more"), r->n_findings - 3);
}

/* "18/20 runs showed it (2 hung)" for the plain series. */
static void describe_runs(const struct series *s, char *out, size_t cap)
{
	size_t len =
	    (size_t)snprintf(out, cap, _("%zu/%zu runs went wrong"), series_bad_runs(s), s->n_runs);
	static const enum run_class shown[] = {RUN_SYMPTOM, RUN_HANG, RUN_CRASH};
	static const char *const words[] = {N_("wrong result"), N_("hung"), N_("crashed")};
	const char *sep = " (";
	for (int i = 0; i < 3 && len < cap; i++) {
		if (!s->counts[shown[i]])
			continue;
		len += (size_t)snprintf(out + len, cap - len, "%s%zu %s", sep, s->counts[shown[i]],
		                        _(words[i]));
		sep = ", ";
	}
	if (*sep == ',' && len < cap)
		snprintf(out + len, cap - len, ")");
}

static void judge_tsan_kinds(struct experiment *ex)
{
	const struct manifest *m = &ex->lab->manifest;
	ex->tsan_kinds_found = true;
	for (int k = 0; !ex->python && k < m->n_tsan_expect; k++) {
		bool found = false;
		for (size_t i = 0; ex->tsan.ran && i < ex->tsan.report.n_findings; i++)
			found |= ex->tsan.report.findings[i].kind == m->tsan_expect[k];
		ex->tsan_kinds_found &= found;
	}
}

/* Every run said it could not judge here (a timing lab on one CPU). */
static void judge_cannot(struct experiment *ex)
{
	ex->verdict = VERDICT_NOT_PROVEN;
	snprintf(ex->evidence, sizeof(ex->evidence),
	         _("cannot judge here: every run said so (a timing lab needs 2 CPUs or more)"));
}

static void judge_bug(struct experiment *ex)
{
	char runs[160], findings[300];
	describe_runs(&ex->plain, runs, sizeof(runs));
	describe_findings(&ex->tsan.report, findings, sizeof(findings));
	bool found = ex->tsan.ran && ex->tsan.report.n_findings > 0;
	ex->verdict = VERDICT_BUG_SHOWN;
	snprintf(ex->evidence, sizeof(ex->evidence), _("%s; TSan: %s"), runs,
	         found ? findings : tsan_quiet_words(ex));
	if (ex->plain.counts[RUN_ERROR]) {
		size_t len = strlen(ex->evidence);
		snprintf(ex->evidence + len, sizeof(ex->evidence) - len, _("; %zu runs failed: %s"),
		         ex->plain.counts[RUN_ERROR], first_detail(&ex->plain, RUN_ERROR));
	}
}

static void judge_quiet(struct experiment *ex)
{
	const struct series *s = &ex->plain;
	if (ex->cannot_judge) {
		judge_cannot(ex);
	} else if (s->counts[RUN_ERROR] == s->n_runs) {
		ex->verdict = VERDICT_ERROR;
		snprintf(ex->evidence, sizeof(ex->evidence), _("every run failed: %s"),
		         first_detail(s, RUN_ERROR));
	} else if (((ex->lab && ex->machine_too_busy) || s->counts[RUN_BUSY]) &&
	           (tsan_fine(ex) || tsan_starved(&ex->tsan))) {
		char load[200];
		busy_describe(&s->load, load, sizeof(load));
		ex->verdict = VERDICT_INCONCLUSIVE;
		snprintf(ex->evidence, sizeof(ex->evidence),
		         _("no bug seen in %zu judged runs, but %s%s: a bug may not show on a "
		           "machine this busy; run again when it is quieter"),
		         s->n_runs - s->counts[RUN_BUSY], load,
		         tsan_starved(&ex->tsan) ? _("; the TSan run was starved too") : "");
	} else if (tsan_fine(ex)) {
		ex->verdict = VERDICT_LOOKS_FIXED;
		snprintf(ex->evidence, sizeof(ex->evidence), _("no bug seen in %zu runs and %s"),
		         s->n_runs, tsan_fine_words(ex));
	} else if (ex->tsan.ran) {
		ex->verdict = VERDICT_NOT_PROVEN;
		snprintf(ex->evidence, sizeof(ex->evidence),
		         _("no bug seen in %zu runs, but TSan is not clean: %s"), s->n_runs,
		         ex->tsan.not_clean);
	} else {
		ex->verdict = VERDICT_NOT_PROVEN;
		snprintf(ex->evidence, sizeof(ex->evidence),
		         _("no bug seen in %zu runs, but TSan did not run (%s)"), s->n_runs,
		         ex->tsan_wanted ? ex->tsan.error : "--no-tsan");
	}
	if (s->counts[RUN_ERROR] && ex->verdict != VERDICT_ERROR) {
		size_t len = strlen(ex->evidence);
		snprintf(ex->evidence + len, sizeof(ex->evidence) - len, _("; %zu runs failed: %s"),
		         s->counts[RUN_ERROR], first_detail(s, RUN_ERROR));
	}
}

/* Every run that was not correct is one the busy machine starved to its cap. */
static bool unfinished_for_load(const struct series *s)
{
	return s->counts[RUN_BUSY] > 0 && s->counts[RUN_OK] + s->counts[RUN_BUSY] == s->n_runs;
}

static void judge_solution(struct experiment *ex)
{
	const struct series *s = &ex->plain;
	char findings[300];
	describe_findings(&ex->tsan.report, findings, sizeof(findings));
	bool correct = s->counts[RUN_OK] == s->n_runs;
	if (ex->cannot_judge) {
		judge_cannot(ex);
	} else if (correct && tsan_fine(ex)) {
		ex->verdict = VERDICT_SOLUTION_OK;
		snprintf(ex->evidence, sizeof(ex->evidence), _("correct in %zu/%zu runs and %s"),
		         s->n_runs, s->n_runs, tsan_fine_words(ex));
	} else if ((unfinished_for_load(s) || (correct && tsan_starved(&ex->tsan))) &&
	           !(ex->tsan.ran && ex->tsan.report.n_findings)) {
		char load[200];
		busy_describe(&s->load, load, sizeof(load));
		ex->verdict = VERDICT_INCONCLUSIVE;
		snprintf(
		    ex->evidence, sizeof(ex->evidence),
		    _("correct in %zu/%zu runs; %zu not judged%s, the machine being too busy: %s"),
		    s->counts[RUN_OK], s->n_runs, s->counts[RUN_BUSY],
		    tsan_starved(&ex->tsan) ? _(", nor the TSan run") : "", load);
	} else if (correct && !ex->tsan.ran) {
		ex->verdict = VERDICT_NOT_PROVEN;
		snprintf(ex->evidence, sizeof(ex->evidence),
		         _("correct in %zu/%zu runs, but TSan did not run (%s)"), s->n_runs,
		         s->n_runs, ex->tsan_wanted ? ex->tsan.error : "--no-tsan");
	} else if (correct && ex->tsan.report.n_findings == 0) {
		ex->verdict = VERDICT_NOT_PROVEN;
		snprintf(ex->evidence, sizeof(ex->evidence),
		         _("correct in %zu/%zu runs, but TSan is not clean: %s"), s->n_runs,
		         s->n_runs, ex->tsan.not_clean);
	} else {
		ex->verdict = VERDICT_SOLUTION_BAD;
		snprintf(ex->evidence, sizeof(ex->evidence), _("correct in %zu/%zu runs; TSan: %s"),
		         s->counts[RUN_OK], s->n_runs,
		         ex->tsan.report.n_findings ? findings : tsan_quiet_words(ex));
	}
}

static void judge(struct experiment *ex)
{
	ex->cannot_judge = ex->plain.n_runs && ex->plain.inconclusive_runs == ex->plain.n_runs;
	ex->machine_too_busy = busy_too_busy(&ex->plain.load) || tsan_starved(&ex->tsan);
	if (ex->lab && ex->solution) {
		judge_solution(ex);
		return;
	}
	bool found = ex->tsan.ran && ex->tsan.report.n_findings > 0;
	/* A TSan run that deadlocked (seen live) printed nothing, but it is not clean. */
	bool tsan_hung = ex->tsan.ran && ex->tsan.hang_diagnosis;
	if (series_bad_runs(&ex->plain) || found || tsan_hung)
		judge_bug(ex);
	else
		judge_quiet(ex);
	if (!ex->lab)
		return;
	const struct manifest *m = &ex->lab->manifest;
	double rate = ex->python ? m->python.symptom_rate : m->symptom_rate;
	/* A run the machine starved to its cap showed nothing either way. */
	size_t judged = ex->plain.n_runs - ex->plain.counts[RUN_BUSY];
	ex->symptom_rate_holds = judged > 0 && stats_rate_consistent(ex->plain.symptom_runs, judged,
	                                                             rate, VERDICT_ALPHA);
	/* The test gives a short series the benefit of the doubt (0 of 1 "holds"); a series
	 * cut short by a busy machine has not earned it: it must show the rate itself. */
	if (ex->plain.counts[RUN_BUSY] && (double)ex->plain.symptom_runs < rate * (double)judged)
		ex->symptom_rate_holds = false;
	judge_tsan_kinds(ex);
}

/* Judged twice when the reader's language is not English: the evidence in English for
 * the JSON and JUnit reports, then in that language for the text. Judging is pure. */
void verdict_judge(struct experiment *ex)
{
	bool was = i18n_force_english(true);
	judge(ex);
	i18n_force_english(was);
	if (strcmp(i18n_lang_code(), "en") == 0) {
		snprintf(ex->evidence_text, sizeof(ex->evidence_text), "%s", ex->evidence);
		return;
	}
	char english[sizeof(ex->evidence)];
	memcpy(english, ex->evidence, sizeof(english));
	judge(ex);
	_Static_assert(sizeof(ex->evidence_text) >= sizeof(ex->evidence), "room for the text");
	memcpy(ex->evidence_text, ex->evidence, sizeof(ex->evidence));
	memcpy(ex->evidence, english, sizeof(english));
}

bool verdict_check_holds(const struct experiment *ex)
{
	if (ex->solution)
		return ex->verdict == VERDICT_SOLUTION_OK || (ex->cannot_judge && tsan_fine(ex));
	return ex->cannot_judge || (ex->symptom_rate_holds && ex->tsan_kinds_found);
}

bool verdict_check_inconclusive(const struct experiment *ex)
{
	if (verdict_check_holds(ex))
		return false;
	if (ex->solution)
		return ex->verdict == VERDICT_INCONCLUSIVE;
	return ex->machine_too_busy;
}
