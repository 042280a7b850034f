/* report_tsan.c: ThreadSanitizer's findings explained in plain terms, with file:line. */
#include <string.h>

#include "i18n.h"
#include "report.h"

static void thread_name(int thread, char *out, size_t cap)
{
	if (thread == 0)
		snprintf(out, cap, _("the main thread"));
	else
		snprintf(out, cap, _("thread T%d"), thread);
}

static void place(FILE *out, const struct experiment *ex, const struct tsan_frame *f)
{
	/* C++ frames carry their signature already: "Thread(void*)", "A::~A()". */
	bool has_parens = strchr(f->function, '(') != NULL;
	if (f->line)
		fprintf(out, _("in %s%s at %s:%d"), f->function, has_parens ? "" : "()",
		        catalogue_relative(ex->cat, f->file), f->line);
	else
		fprintf(out, _("(no frame in the program's own code)"));
}

static void location(FILE *out, const struct experiment *ex, const struct tsan_finding *f)
{
	const struct tsan_location *l = &f->location;
	char who[32];
	thread_name(l->thread, who, sizeof(who));
	switch (l->kind) {
	case TSAN_LOC_GLOBAL:
		fprintf(out, _("global '%s' (%ld bytes)"), l->variable, l->size);
		return;
	case TSAN_LOC_HEAP:
		fprintf(out, _("a heap block of %ld bytes allocated by %s "), l->size, who);
		place(out, ex, &l->allocated_at);
		return;
	case TSAN_LOC_STACK:
		fprintf(out, _("a variable on the stack of %s"), who);
		return;
	case TSAN_LOC_TLS:
		fprintf(out, _("thread-local storage of %s"), who);
		return;
	case TSAN_LOC_FD:
		fprintf(out, _("a file descriptor"));
		return;
	case TSAN_LOC_NONE:
		/* A use-after-free names no location: the block is gone, freed by the
		 * "Previous" access. */
		if (tsan_kind_is_use_after_free(f->kind)) {
			fprintf(out, _("a freed heap block"));
			return;
		}
		/* fall through */
	default:
		fprintf(out, _("memory TSan could not name"));
	}
}

static void access_line(FILE *out, const struct experiment *ex, const struct tsan_access *a,
                        const char *when, bool is_free)
{
	char who[32];
	if (!a->present)
		return;
	thread_name(a->thread, who, sizeof(who));
	if (is_free)
		fprintf(out, _("      %s%s freed it "), when, who);
	else
		fprintf(out, _("      %s%s %s %s%d bytes "), when, who,
		        a->is_write ? _("writes") : _("reads"),
		        a->is_atomic ? _("atomically ") : "", a->size);
	place(out, ex, &a->where);
	if (a->mutexes[0])
		fprintf(out, _(" holding %s"), a->mutexes);
	fputc('\n', out);
}

static void race_details(FILE *out, const struct experiment *ex, const struct tsan_finding *f)
{
	/* In a use-after-free the "Previous" access is the free itself. */
	bool freed = tsan_kind_is_use_after_free(f->kind);
	fprintf(out, _("      on "));
	location(out, ex, f);
	fputc('\n', out);
	access_line(out, ex, &f->access[0], "", false);
	access_line(out, ex, &f->access[1], _("earlier, "), freed);
}

/* A crash, or the runtime's fatal message: what TSan said, where, in which thread. */
static void fatal_details(FILE *out, const struct experiment *ex, const struct tsan_finding *f)
{
	const struct tsan_crash *c = &f->crash;
	if (f->kind == TSAN_CRASH) {
		fprintf(out, _("      the program died of SIG%s"), c->signal[0] ? c->signal : "?");
		if (c->address_class == TSAN_ADDR_NULL || c->address_class == TSAN_ADDR_WILD)
			fprintf(out, _(": a %s of address 0x%llx (%s)"),
			        c->access[0] == 'W'   ? _("write")
			        : c->access[0] == 'R' ? _("read")
			                              : _("use"),
			        c->address, _(tsan_address_class_name(c->address_class)));
		else if (c->address_class == TSAN_ADDR_STACK_OVERFLOW)
			fprintf(out, _(": the stack overflowed (runaway recursion?)"));
		fprintf(out, _(", in %s"), c->main_thread ? _("the main thread") : _("a thread"));
		if (!c->main_thread && c->os_tid)
			fprintf(out, _(" (tid %d)"), c->os_tid);
		fputc('\n', out);
		if (f->where.line) {
			fprintf(out, _("      crash site: "));
			place(out, ex, &f->where);
			fputc('\n', out);
		}
	}
	if (f->kind != TSAN_CRASH && c->message[0])
		fprintf(out, _("      TSan said: %s\n"), c->message);
	else if (strstr(c->message, "Assertion `"))
		fprintf(out, _("      the program said: %s\n"), c->message);
}

static void lock_details(FILE *out, const struct experiment *ex, const struct tsan_finding *f)
{
	if (f->cycle_len) {
		fprintf(out, _("      lock order cycle: "));
		for (int i = 0; i < f->cycle_len; i++)
			fprintf(out, "%sM%d", i ? " => " : "", f->cycle[i]);
		fputc('\n', out);
	}
	for (int i = 0; i < f->n_mutexes; i++) {
		if (!f->mutexes[i].created_at.line)
			continue;
		fprintf(out, _("      mutex M%d created "), f->mutexes[i].id);
		place(out, ex, &f->mutexes[i].created_at);
		fputc('\n', out);
	}
}

static void stacks(FILE *out, const struct experiment *ex, const struct tsan_finding *f)
{
	for (int i = 0; i < f->n_stacks; i++) {
		if (!f->stacks[i].where.line)
			continue;
		fprintf(out, "      %s: ", f->stacks[i].title);
		place(out, ex, &f->stacks[i].where);
		fputc('\n', out);
	}
}

static void threads(FILE *out, const struct experiment *ex, const struct tsan_finding *f)
{
	for (int i = 0; i < f->n_threads; i++) {
		const struct tsan_thread *th = &f->threads[i];
		if (!th->created_at.line)
			continue;
		fprintf(out, _("      thread T%d (%s) was started "), th->id,
		        th->running ? _("still running") : _("finished"));
		place(out, ex, &th->created_at);
		fputc('\n', out);
	}
}

static void finding(FILE *out, const struct term *t, const struct experiment *ex,
                    const struct tsan_finding *f, size_t index)
{
	char title[160];
	tsan_finding_title(f, title, sizeof(title));
	fprintf(out,
	        ngettext("  %s[%zu] %s%s, seen %d time", "  %s[%zu] %s%s, seen %d times", f->count),
	        term_on(t, TERM_RED), index + 1, title, term_off(t), f->count);
	if (f->where.line)
		fprintf(out, _(" at %s:%d"), catalogue_relative(ex->cat, f->where.file),
		        f->where.line);
	fputc('\n', out);
	if (tsan_kind_has_accesses(f->kind))
		race_details(out, ex, f);
	else if (tsan_kind_is_fatal(f->kind) || f->crash.message[0])
		fatal_details(out, ex, f);
	if (!tsan_kind_has_accesses(f->kind) && f->kind != TSAN_CRASH)
		stacks(out, ex, f);
	lock_details(out, ex, f);
	if (f->kind == TSAN_THREAD_LEAK || f->kind == TSAN_DATA_RACE)
		threads(out, ex, f);
	fprintf(out, _("      %swhat it means:%s %s\n"), term_on(t, TERM_BOLD), term_off(t),
	        _(tsan_kind_explanation(f->kind)));
	const char *here = lab_advice_for(&ex->advice_text, f->kind);
	if (here)
		fprintf(out, _("      %swhat it means here:%s %s\n"), term_on(t, TERM_BOLD),
		        term_off(t), here);
}

void report_text_tsan(FILE *out, const struct term *t, const struct experiment *ex)
{
	if (ex->python) {
		fprintf(out,
		        _("\nThreadSanitizer: not applicable: it checks C built with "
		          "-fsanitize=thread; this twin's races are between Python bytecodes\n"));
		return;
	}
	if (!ex->tsan_wanted) {
		if (ex->lab || ex->tsan_available)
			fprintf(out, _("\nThreadSanitizer: not run (--no-tsan)\n"));
		return;
	}
	const struct tsan_outcome *ts = &ex->tsan;
	const char *compiler = ex->cat           ? ex->cat->tsan_compiler
	                       : ex->compiler[0] ? ex->compiler
	                                         : _("compiler unknown");
	fprintf(out, _("\n%sThreadSanitizer%s (%s): 1 run with %s, %.2f s\n"),
	        term_on(t, TERM_BOLD), term_off(t), compiler,
	        ex->tsan_args[0] ? ex->tsan_args : _("no arguments"), ts->run.wall_s);
	if (ts->retried_without_aslr)
		fprintf(out,
		        _("  note: TSan hit \"unexpected memory mapping\"; retried with address "
		          "randomisation off\n"));
	if (!ts->ran) {
		fprintf(out, _("  %snot run:%s %s\n"), term_on(t, TERM_YELLOW), term_off(t),
		        ts->error);
		return;
	}
	if (ts->run.cls == RUN_HANG && ts->hang_diagnosis)
		fprintf(out,
		        _("  the TSan run deadlocked (TSan reports nothing for a deadlock that "
		          "happens, only lock orders it saw before one), seen live:\n%s"),
		        ts->hang_diagnosis_text ? ts->hang_diagnosis_text : ts->hang_diagnosis);
	else if (ts->run.cls == RUN_HANG)
		fprintf(out, "  %s%s\n", ts->not_clean,
		        ts->slow ? _("; give it more time (--timeout) or smaller arguments")
		                 : _(" (a real deadlock under TSan prints nothing)"));
	if (ts->hang_note[0])
		fprintf(out, "  (%s)\n", ts->hang_note);
	if (ts->report.n_findings == 0 && ts->not_clean[0]) {
		if (ts->run.cls != RUN_HANG)
			fprintf(out, _("  %snot clean:%s %s\n"), term_on(t, TERM_YELLOW),
			        term_off(t), ts->not_clean);
		return;
	}
	if (ts->report.n_findings == 0) {
		fprintf(out, _("  %sclean:%s no findings\n"), term_on(t, TERM_GREEN), term_off(t));
		if (ex->lab && ex->lab->manifest.n_tsan_expect == 0 && !ex->solution)
			fprintf(out,
			        _("  (this lab's bug is one TSan cannot see: the lab's README says "
			          "why, and the plain runs above are what shows it)\n"));
		return;
	}
	/* TRANSLATORS: the findings and "(N reports before merging repeats)" are two plurals. */
	fprintf(out, ngettext("  %zu finding", "  %zu findings", ts->report.n_findings),
	        ts->report.n_findings);
	fprintf(out,
	        ngettext(" (%d report before merging repeats):\n",
	                 " (%d reports before merging repeats):\n", ts->raw_reports),
	        ts->raw_reports);
	for (size_t i = 0; i < ts->report.n_findings; i++)
		finding(out, t, ex, &ts->report.findings[i], i);
}
