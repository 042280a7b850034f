/* sched_view.c: the interleaving, readable (see sched_view.h). */
#include <stdlib.h>
#include <string.h>

#include "sched_view.h"

#include "i18n.h"
#include "manifest.h"

#define MAX_VARS  1024
#define COLLAPSE  8 /* a run of more shown steps than this is collapsed */
#define KEEP_HEAD 4
#define KEEP_TAIL 2
#define COLUMN    34

/* A message with a context (gettext's pgettext, which glibc's libintl.h lacks): the same
 * English word can need another translation here ("wrong result" as a symptom).
 * scripts/po-update extracts C_(context, msgid). */
#define C_(context, msgid) context_text(context "\004" msgid)

static const char *context_text(const char *key)
{
	const char *text = _(key);
	return text == key ? strchr(key, '\004') + 1 : text;
}

static bool is_access(enum sched_op op)
{
	return op == SCHED_OP_LOAD || op == SCHED_OP_STORE || op == SCHED_OP_RMW ||
	       op == SCHED_OP_ATOMIC_LOAD || op == SCHED_OP_ATOMIC_STORE;
}

static bool is_write(enum sched_op op)
{
	return op == SCHED_OP_STORE || op == SCHED_OP_RMW || op == SCHED_OP_ATOMIC_STORE;
}

static bool is_sync(enum sched_op op)
{
	return op != SCHED_OP_YIELD && op != SCHED_OP_ALLOC && !is_access(op);
}

/* A variable: who touched it and whether anyone wrote it, and the lost-update bookkeeping. */
struct var {
	struct sched_addr addr;
	uint64_t threads;
	bool written;
	int last_writer;
	long last_write_step;
	long last_load[SCHED_MAX_THREADS];
};

static struct var *var_of(struct var *vars, int *n, struct sched_addr a)
{
	for (int i = 0; i < *n; i++)
		if (vars[i].addr.value == a.value && vars[i].addr.in_exe == a.in_exe)
			return &vars[i];
	if (*n == MAX_VARS)
		return NULL;
	struct var *v = &vars[(*n)++];
	memset(v, 0, sizeof(*v));
	v->addr = a;
	v->last_writer = -1;
	for (int t = 0; t < SCHED_MAX_THREADS; t++)
		v->last_load[t] = -1;
	return v;
}

static bool shared(struct var *vars, int n, struct sched_addr a)
{
	struct var *v = var_of(vars, &n, a);
	return v && v->written && __builtin_popcountll(v->threads) >= 2;
}

/* Does this store lose the last writer's update? The storing thread loaded the variable
 * before the other's store (or, without a load in the trace, stores the very value the
 * other stored). */
static bool loses_update(struct var *v, const struct sched_event *e)
{
	if (e->op != SCHED_OP_STORE || v->last_writer < 0 || v->last_writer == e->tid)
		return false;
	long loaded = v->last_load[e->tid];
	if (loaded >= 0)
		return loaded < v->last_write_step;
	return e->new_value == e->old_value;
}

static void add_row(struct sched_view *view, struct sched_row row)
{
	if (view->n_rows < SCHED_VIEW_MAX_ROWS)
		view->rows[view->n_rows++] = row;
}

/* Adds the shown events shown[from..to) of one thread, collapsing a long run. */
static void add_run(struct sched_view *view, const struct sched_trace *trace, const long *shown,
                    const bool *lost, long from, long to)
{
	long n = to - from;
	bool marked = false;
	for (long i = from + KEEP_HEAD; i < to - KEEP_TAIL; i++)
		marked |= lost[i];
	if (n <= COLLAPSE || marked) {
		for (long i = from; i < to; i++)
			add_row(view, (struct sched_row){.event = shown[i],
			                                 .tid = trace->events[shown[i]].tid,
			                                 .lost = lost[i]});
		return;
	}
	for (long i = from; i < from + KEEP_HEAD; i++)
		add_row(view,
		        (struct sched_row){.event = shown[i], .tid = trace->events[shown[i]].tid});
	struct sched_row c = {.event = -1,
	                      .tid = trace->events[shown[from]].tid,
	                      .hidden = n - KEEP_HEAD - KEEP_TAIL};
	const struct sched_event *first = &trace->events[shown[from]];
	for (long i = from + KEEP_HEAD; i < to - KEEP_TAIL; i++) {
		const struct sched_event *e = &trace->events[shown[i]];
		c.iterations += e->pc.value == first->pc.value && e->op == first->op;
	}
	add_row(view, c);
	for (long i = to - KEEP_TAIL; i < to; i++)
		add_row(view,
		        (struct sched_row){.event = shown[i], .tid = trace->events[shown[i]].tid});
}

void sched_view_build(const struct sched_trace *trace, struct sched_view *view)
{
	static struct var vars[MAX_VARS];
	int n_vars = 0;
	memset(view, 0, sizeof(*view));
	view->first_lost = -1;
	for (size_t i = 0; i < trace->n_events; i++) {
		const struct sched_event *e = &trace->events[i];
		if (e->tid + 1 > view->n_threads)
			view->n_threads = e->tid + 1;
		struct var *v = is_access(e->op) ? var_of(vars, &n_vars, e->addr) : NULL;
		if (v) {
			v->threads |= 1ull << e->tid;
			v->written |= is_write(e->op);
		}
	}
	long *shown = malloc((trace->n_events + 1) * sizeof(long));
	bool *lost = calloc(trace->n_events + 1, sizeof(bool));
	long n_shown = 0;
	for (size_t i = 0; shown && lost && i < trace->n_events; i++) {
		const struct sched_event *e = &trace->events[i];
		if (is_sync(e->op)) {
			shown[n_shown++] = (long)i;
			continue;
		}
		if (!is_access(e->op) || !shared(vars, n_vars, e->addr))
			continue;
		struct var *v = var_of(vars, &n_vars, e->addr);
		if (loses_update(v, e)) {
			lost[n_shown] = true;
			view->lost_updates++;
			if (view->first_lost < 0)
				view->first_lost = (long)i;
		}
		if (e->op == SCHED_OP_LOAD)
			v->last_load[e->tid] = e->step;
		if (is_write(e->op)) {
			v->last_writer = e->tid;
			v->last_write_step = e->step;
			v->last_load[e->tid] = -1;
		}
		shown[n_shown++] = (long)i;
	}
	for (long from = 0; shown && lost && from < n_shown;) {
		long to = from + 1;
		while (to < n_shown &&
		       trace->events[shown[to]].tid == trace->events[shown[from]].tid)
			to++;
		add_run(view, trace, shown, lost, from, to);
		from = to;
	}
	free(shown);
	free(lost);
}

void sched_view_event_text(const struct sched_trace *trace, const struct sched_symbols *sym,
                           const struct sched_event *e, char *out, size_t cap)
{
	char var[96];
	sched_symbols_data(sym, trace, e->addr, var, sizeof(var));
	switch (e->op) {
	case SCHED_OP_LOAD:
	case SCHED_OP_ATOMIC_LOAD:
		snprintf(out, cap, "%s %s -> %lld", sched_op_name(e->op), var, e->new_value);
		break;
	case SCHED_OP_STORE:
	case SCHED_OP_ATOMIC_STORE:
		snprintf(out, cap, "%s %s = %lld", sched_op_name(e->op), var, e->new_value);
		break;
	case SCHED_OP_RMW:
		snprintf(out, cap, "rmw %s %lld -> %lld", var, e->old_value, e->new_value);
		break;
	case SCHED_OP_TRYLOCK:
		snprintf(out, cap, _("trylock %s: %s"), var, e->new_value ? _("taken") : _("busy"));
		break;
	case SCHED_OP_SIGNAL:
		if (e->new_value >= 0)
			snprintf(out, cap, _("signal %s: wakes T%lld"), var, e->new_value);
		else
			snprintf(out, cap, _("signal %s: nobody waits"), var);
		break;
	case SCHED_OP_BROADCAST:
		snprintf(out, cap, _("broadcast %s: wakes %lld"), var, e->new_value);
		break;
	case SCHED_OP_CREATE:
	case SCHED_OP_JOIN:
		snprintf(out, cap, "%s T%lld", sched_op_name(e->op), e->new_value);
		break;
	case SCHED_OP_EXIT:
		snprintf(out, cap, "%s", _("exits"));
		break;
	default:
		snprintf(out, cap, "%s %s", sched_op_name(e->op), var);
	}
}

void sched_view_lost_text(const struct sched_trace *trace, const struct sched_symbols *sym,
                          long event, char *out, size_t cap)
{
	const struct sched_event *e = &trace->events[event];
	char var[96];
	sched_symbols_data(sym, trace, e->addr, var, sizeof(var));
	int writer = -1;
	for (long i = event - 1; i >= 0 && writer < 0; i--)
		if (trace->events[i].addr.value == e->addr.value && is_write(trace->events[i].op))
			writer = trace->events[i].tid;
	long long loaded = 0;
	bool have_load = false;
	for (long i = event - 1; i >= 0 && !have_load; i--)
		if (trace->events[i].tid == e->tid && trace->events[i].op == SCHED_OP_LOAD &&
		    trace->events[i].addr.value == e->addr.value)
			loaded = trace->events[i].new_value, have_load = true;
	if (e->new_value == e->old_value || !have_load)
		snprintf(out, cap, _("T%d stores %lld over T%d's %lld: one update lost (%s)"),
		         e->tid, e->new_value, writer, e->old_value, var);
	else
		snprintf(out, cap,
		         _("T%d stores %lld over T%d's %lld: T%d loaded %lld before T%d's stores, "
		           "which are lost (%s)"),
		         e->tid, e->new_value, writer, e->old_value, e->tid, loaded, writer, var);
}

/* "lost_update.c:26 store counter = 42" cut to the column. */
static void cell(const struct sched_trace *trace, const struct sched_symbols *sym,
                 const struct sched_row *row, char *out, size_t cap)
{
	if (row->event < 0) {
		if (row->iterations > 0)
			snprintf(out, cap, _("T%d: %ld more iterations"), row->tid,
			         row->iterations);
		else
			snprintf(out, cap, _("T%d: %ld more steps"), row->tid, row->hidden);
		return;
	}
	const struct sched_event *e = &trace->events[row->event];
	char what[128];
	sched_view_event_text(trace, sym, e, what, sizeof(what));
	const char *line = sched_symbols_line(sym, e->pc);
	const char *colon = strrchr(line, ':');
	snprintf(out, cap, "%s %s", e->pc.value && colon ? colon : "", what);
}

void sched_view_print(FILE *out, const struct sched_trace *trace, const struct sched_view *view,
                      const struct sched_symbols *sym)
{
	int width = view->n_threads > 3 ? 100 / view->n_threads : COLUMN;
	const char *file = NULL;
	for (int i = 0; i < view->n_rows && !file; i++)
		if (view->rows[i].event >= 0 && trace->events[view->rows[i].event].pc.value)
			file = sched_symbols_line(sym, trace->events[view->rows[i].event].pc);
	char pad[512];
	fprintf(out, "  %s", i18n_cell(pad, sizeof(pad), _("  step"), 6, false));
	for (int t = 0; t < view->n_threads; t++) {
		char head[64];
		snprintf(head, sizeof(head), t ? "T%d" : _("T%d (main)"), t);
		fprintf(out, "  %s", i18n_cell(pad, sizeof(pad), head, width, false));
	}
	fprintf(out, "\n");
	for (int i = 0; i < view->n_rows; i++) {
		const struct sched_row *row = &view->rows[i];
		char text[160];
		cell(trace, sym, row, text, sizeof(text));
		if (row->event >= 0)
			fprintf(out, "  %6ld", trace->events[row->event].step);
		else
			fprintf(out, "  %6s", "...");
		for (int t = 0; t < row->tid; t++)
			fprintf(out, "  %-*s", width, "");
		fprintf(out, "  %s", i18n_cell(pad, sizeof(pad), text, width, true));
		if (row->lost) {
			char why[200];
			sched_view_lost_text(trace, sym, row->event, why, sizeof(why));
			fprintf(out, "  <-- %s", why);
		}
		fprintf(out, "\n");
	}
	if (file) {
		char name[96];
		snprintf(name, sizeof(name), "%s", file);
		char *colon = strrchr(name, ':');
		if (colon)
			*colon = '\0';
		fprintf(
		    out,
		    _("  (:N is a line of %s; only shared variables and synchronisation shown)\n"),
		    name);
	}
}

/* "mutex 'accounts+48'" or "thread T2 to finish". */
static void wait_text(const struct sched_trace *trace, const struct sched_symbols *sym,
                      const struct sched_waiter *w, char *out, size_t cap)
{
	char var[96];
	sched_symbols_data(sym, trace, w->addr, var, sizeof(var));
	if (w->op == SCHED_OP_JOIN)
		snprintf(out, cap, _("T%d to finish (pthread_join)"), w->owner);
	else if (w->op == SCHED_OP_WAIT)
		snprintf(out, cap, _("a signal on '%s' (pthread_cond_wait)"), var);
	else if (w->owner >= 0)
		snprintf(out, cap, _("mutex '%s', held by T%d"), var, w->owner);
	else
		snprintf(out, cap, _("mutex '%s'"), var);
}

static const struct sched_waiter *waiter_of(const struct sched_trace *trace, int tid)
{
	for (int i = 0; i < trace->n_waiters; i++)
		if (trace->waiters[i].tid == tid)
			return &trace->waiters[i];
	return NULL;
}

void sched_view_print_deadlock(FILE *out, const struct sched_trace *trace,
                               const struct sched_symbols *sym)
{
	if (!trace->n_waiters)
		return;
	for (int i = 0; i < trace->n_waiters; i++) {
		const struct sched_waiter *w = &trace->waiters[i];
		char what[160];
		wait_text(trace, sym, w, what, sizeof(what));
		fprintf(out, _("    T%d waits for %s in %s() at %s\n"), w->tid, what,
		        sched_symbols_function(sym, w->pc), sched_symbols_line(sym, w->pc));
	}
	/* The cycle: follow "waits for a mutex held by" from each locker until a repeat. */
	for (int i = 0; i < trace->n_waiters; i++) {
		int seen[SCHED_MAX_THREADS] = {0}, tid = trace->waiters[i].tid;
		const struct sched_waiter *w;
		while ((w = waiter_of(trace, tid)) && w->op == SCHED_OP_LOCK && w->owner >= 0 &&
		       !seen[tid]) {
			seen[tid] = 1;
			tid = w->owner;
		}
		if (!seen[tid] || tid != trace->waiters[i].tid)
			continue;
		fprintf(out, "%s", _("  deadlock: "));
		int start = tid;
		do {
			w = waiter_of(trace, tid);
			char var[96];
			sched_symbols_data(sym, trace, w->addr, var, sizeof(var));
			fprintf(out, _("%sT%d waits for mutex '%s', held by T%d"),
			        tid == start ? "" : ", ", tid, var, w->owner);
			tid = w->owner;
		} while (tid != start);
		fprintf(out, "%s", _(": each waits for the next, so none can go on.\n"));
		return;
	}
	fprintf(out, "%s",
	        _("  deadlock: every thread waits and nobody is left to wake them (a lost "
	          "wake-up or a wait nobody signals).\n"));
}

void sched_view_json(struct json_writer *w, const struct sched_trace *trace,
                     const struct sched_view *view, const struct sched_symbols *sym)
{
	json_array(w, "interleaving");
	for (int i = 0; i < view->n_rows; i++) {
		const struct sched_row *row = &view->rows[i];
		json_object(w, NULL);
		json_int(w, "thread", row->tid);
		if (row->event < 0) {
			json_int(w, "collapsed_steps", row->hidden);
			json_int(w, "collapsed_iterations", row->iterations);
			json_end_object(w);
			continue;
		}
		const struct sched_event *e = &trace->events[row->event];
		char text[160], var[96];
		sched_view_event_text(trace, sym, e, text, sizeof(text));
		sched_symbols_data(sym, trace, e->addr, var, sizeof(var));
		json_int(w, "step", e->step);
		json_string(w, "op", sched_op_name(e->op));
		json_string(w, "where", e->pc.value ? sched_symbols_line(sym, e->pc) : NULL);
		json_string(w, "function", e->pc.value ? sched_symbols_function(sym, e->pc) : NULL);
		json_string(w, "variable", e->addr.value ? var : NULL);
		json_int(w, "old", e->old_value);
		json_int(w, "value", e->new_value);
		json_string(w, "text", text);
		if (row->lost) {
			sched_view_lost_text(trace, sym, row->event, text, sizeof(text));
			json_string(w, "lost_update", text);
		}
		json_end_object(w);
	}
	json_end_array(w);
	json_array(w, "deadlock");
	for (int i = 0; i < trace->n_waiters; i++) {
		const struct sched_waiter *wt = &trace->waiters[i];
		char what[160];
		wait_text(trace, sym, wt, what, sizeof(what));
		json_object(w, NULL);
		json_int(w, "thread", wt->tid);
		json_string(w, "waits_for", what);
		json_int(w, "held_by", wt->owner);
		json_string(w, "where", sched_symbols_line(sym, wt->pc));
		json_end_object(w);
	}
	json_end_array(w);
}

const char *sched_view_outcome_text(enum sched_outcome_kind kind)
{
	switch (kind) {
	case SCHED_OK:
		return _("outcome: correct");
	case SCHED_WRONG:
		return _("outcome: wrong result");
	case SCHED_DEADLOCK:
		return _("outcome: deadlock");
	case SCHED_CRASH:
		return _("outcome: crash");
	case SCHED_STEPLIMIT:
		return _("outcome: step limit");
	case SCHED_STOPPED:
		return _("outcome: stopped");
	case SCHED_COVERED:
		return _("outcome: the same as a schedule already run");
	case SCHED_RACE:
		return _("outcome: data race");
	default:
		return _("outcome: error");
	}
}

const char *sched_view_symptom_text(int symptoms)
{
	static char buf[160];
	buf[0] = '\0';
	if (symptoms & SYMPTOM_WRONG_RESULT)
		snprintf(buf, sizeof(buf), "%s", C_("symptom", "wrong result"));
	if (symptoms & SYMPTOM_HANG)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", buf[0] ? " / " : "",
		         C_("symptom", "hang"));
	if (symptoms & SYMPTOM_CRASH)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", buf[0] ? " / " : "",
		         C_("symptom", "crash"));
	return buf;
}
