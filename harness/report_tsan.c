/* report_tsan.c: ThreadSanitizer's findings explained in plain terms, with file:line. */
#include <string.h>

#include "report.h"

static void thread_name(int thread, char *out, size_t cap)
{
	if (thread == 0)
		snprintf(out, cap, "the main thread");
	else
		snprintf(out, cap, "thread T%d", thread);
}

static void place(FILE *out, const struct experiment *ex, const struct tsan_frame *f)
{
	if (f->line)
		fprintf(out, "in %s() at %s:%d", f->function, report_relative(ex, f->file),
		        f->line);
	else
		fprintf(out, "(no frame in the program's own code)");
}

static void location(FILE *out, const struct experiment *ex, const struct tsan_location *l)
{
	char who[32];
	thread_name(l->thread, who, sizeof(who));
	switch (l->kind) {
	case TSAN_LOC_GLOBAL:
		fprintf(out, "global '%s' (%ld bytes)", l->variable, l->size);
		return;
	case TSAN_LOC_HEAP:
		fprintf(out, "a heap block of %ld bytes allocated by %s ", l->size, who);
		place(out, ex, &l->allocated_at);
		return;
	case TSAN_LOC_STACK:
		fprintf(out, "a variable on the stack of %s", who);
		return;
	case TSAN_LOC_TLS:
		fprintf(out, "thread-local storage of %s", who);
		return;
	case TSAN_LOC_FD:
		fprintf(out, "a file descriptor");
		return;
	default:
		fprintf(out, "memory TSan could not name");
	}
}

static void access_line(FILE *out, const struct experiment *ex, const struct tsan_access *a,
                        const char *when)
{
	char who[32];
	if (!a->present)
		return;
	thread_name(a->thread, who, sizeof(who));
	fprintf(out, "      %s%s %s %s%d bytes ", when, who, a->is_write ? "writes" : "reads",
	        a->is_atomic ? "atomically " : "", a->size);
	place(out, ex, &a->where);
	if (a->mutexes[0])
		fprintf(out, " holding %s", a->mutexes);
	fputc('\n', out);
}

static void race_details(FILE *out, const struct experiment *ex, const struct tsan_finding *f)
{
	fprintf(out, "      on ");
	location(out, ex, &f->location);
	fputc('\n', out);
	access_line(out, ex, &f->access[0], "");
	access_line(out, ex, &f->access[1], "earlier, ");
}

static void lock_details(FILE *out, const struct experiment *ex, const struct tsan_finding *f)
{
	if (f->cycle_len) {
		fprintf(out, "      lock order cycle: ");
		for (int i = 0; i < f->cycle_len; i++)
			fprintf(out, "%sM%d", i ? " => " : "", f->cycle[i]);
		fputc('\n', out);
	}
	for (int i = 0; i < f->n_mutexes; i++) {
		if (!f->mutexes[i].created_at.line)
			continue;
		fprintf(out, "      mutex M%d created ", f->mutexes[i].id);
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
		fprintf(out, "      thread T%d (%s) was started ", th->id,
		        th->running ? "still running" : "finished");
		place(out, ex, &th->created_at);
		fputc('\n', out);
	}
}

static void finding(FILE *out, const struct term *t, const struct experiment *ex,
                    const struct tsan_finding *f, size_t index)
{
	fprintf(out, "  %s[%zu] %s%s, seen %d time%s", term_on(t, "red"), index + 1,
	        tsan_kind_name(f->kind), term_off(t), f->count, f->count == 1 ? "" : "s");
	if (f->where.line)
		fprintf(out, " at %s:%d", report_relative(ex, f->where.file), f->where.line);
	fputc('\n', out);
	if (f->kind == TSAN_DATA_RACE || f->kind == TSAN_HEAP_USE_AFTER_FREE)
		race_details(out, ex, f);
	else
		stacks(out, ex, f);
	lock_details(out, ex, f);
	if (f->kind == TSAN_THREAD_LEAK || f->kind == TSAN_DATA_RACE)
		threads(out, ex, f);
	fprintf(out, "      %swhat it means:%s %s\n", term_on(t, "bold"), term_off(t),
	        tsan_kind_explanation(f->kind));
	const char *here = lab_advice_for(&ex->advice, f->kind);
	if (here)
		fprintf(out, "      %swhat it means here:%s %s\n", term_on(t, "bold"), term_off(t),
		        here);
}

void report_text_tsan(FILE *out, const struct term *t, const struct experiment *ex)
{
	if (!ex->tsan_wanted) {
		if (ex->lab || ex->tsan_available)
			fprintf(out, "\nThreadSanitizer: not run (--no-tsan)\n");
		return;
	}
	const struct tsan_outcome *ts = &ex->tsan;
	const char *compiler = ex->cat ? ex->cat->tsan_compiler : "TSan build";
	fprintf(out, "\n%sThreadSanitizer%s (%s): 1 run with %s, %.2f s\n", term_on(t, "bold"),
	        term_off(t), compiler, ex->tsan_args[0] ? ex->tsan_args : "no arguments",
	        ts->run.wall_s);
	if (ts->retried_without_aslr)
		fprintf(out, "  note: TSan hit \"unexpected memory mapping\"; retried with address "
		             "randomisation off\n");
	if (!ts->ran) {
		fprintf(out, "  %snot run:%s %s\n", term_on(t, "yellow"), term_off(t), ts->error);
		return;
	}
	if (ts->run.cls == RUN_HANG && ts->hang_diagnosis)
		fprintf(out,
		        "  the TSan run deadlocked (TSan reports nothing for a deadlock that "
		        "happens, only lock orders it saw before one), seen live:\n%s",
		        ts->hang_diagnosis);
	else if (ts->run.cls == RUN_HANG)
		fprintf(out, "  the TSan run hung and was killed: a real deadlock prints nothing; "
		             "findings below were reported before it\n");
	if (ts->hang_note[0])
		fprintf(out, "  (%s)\n", ts->hang_note);
	if (ts->report.n_findings == 0) {
		fprintf(out, "  %sclean:%s no findings\n", term_on(t, "green"), term_off(t));
		if (ex->lab && ex->lab->manifest.n_tsan_expect == 0 && !ex->solution)
			fprintf(out,
			        "  (this lab's bug is one TSan cannot see: the lab's README says "
			        "why, and the plain runs above are what shows it)\n");
		return;
	}
	fprintf(out, "  %zu finding%s (%d report%s before merging repeats):\n",
	        ts->report.n_findings, ts->report.n_findings == 1 ? "" : "s", ts->raw_reports,
	        ts->raw_reports == 1 ? "" : "s");
	for (size_t i = 0; i < ts->report.n_findings; i++)
		finding(out, t, ex, &ts->report.findings[i], i);
}
