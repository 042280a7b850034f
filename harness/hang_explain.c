/* hang_explain.c: the waits of a deadlocked process, classified and put into words: each
 * thread's wait, then the shape they form (a cycle of locks, a lost wake-up, a lock whose
 * owner is gone). Pure: no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hang_diagnosis.h"
#include "i18n.h"

#define COND_SIZE         48 /* sizeof(pthread_cond_t): its futex words lie inside */
#define FUTEX_WAIT_BITSET 9  /* how glibc's pthread_cond_wait sleeps */

static enum hang_wait_kind kind_of_api(const char *api)
{
	static const struct {
		const char *part;
		enum hang_wait_kind kind;
	} parts[] = {{"mutex", HANG_MUTEX},    {"cond", HANG_CONDITION},  {"join", HANG_JOIN},
	             {"sem_", HANG_SEMAPHORE}, {"barrier", HANG_BARRIER}, {"rwlock", HANG_RWLOCK}};
	for (size_t i = 0; api && i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strstr(api, parts[i].part))
			return parts[i].kind;
	return HANG_FUTEX;
}

static bool is_tid(unsigned long value, const int *tids, int n)
{
	for (int i = 0; i < n; i++)
		if (value == (unsigned long)tids[i])
			return true;
	return false;
}

/* "accounts+48" stays; a condition's "ready+40" (its futex word inside) is 'ready'. */
/* The symbol's offset: 48 for "accounts+48", 0 for "lock_a". */
static long symbol_offset(const char *symbol)
{
	const char *plus = symbol ? strchr(symbol, '+') : NULL;
	return plus ? atol(plus + 1) : 0;
}

/* 'lock_a', 'accounts+48' (an element or a field: without the types racelab cannot tell
 * which, so the offset stays); a condition's futex word inside it names the condition
 * ('ready', not 'ready+40'). */
static void name_from_symbol(struct hang_wait *w, const char *symbol, unsigned long size)
{
	snprintf(w->name, sizeof(w->name), "%s", symbol ? symbol : "");
	char *plus = strchr(w->name, '+');
	if (plus && w->kind == HANG_CONDITION && (size == COND_SIZE || size == 0) &&
	    symbol_offset(symbol) < COND_SIZE)
		*plus = '\0';
}

/* glibc's pthread_cond_t waits on __g_signals[0] or [1], at offsets 40 and 44 of its 48. */
static bool inside_condition(const struct stall_thread *s, const char *symbol, unsigned long size)
{
	long off = symbol_offset(symbol);
	return (s->op & 0x7f) == FUTEX_WAIT_BITSET && size == COND_SIZE && off >= 40;
}

void hang_wait_from(struct hang_wait *w, const struct stall_thread *s, const struct hang_thread *t,
                    const char *symbol, unsigned long symbol_size, const int *tids, int n_tids)
{
	memset(w, 0, sizeof(*w));
	w->tid = s->tid;
	w->addr = s->futex;
	w->kind = kind_of_api(t ? t->api : NULL);
	if (w->kind == HANG_FUTEX && inside_condition(s, symbol, symbol_size))
		w->kind = HANG_CONDITION;
	/* pthread_join sleeps on the joined thread's id: recognisable without gdb. */
	if ((w->kind == HANG_FUTEX || w->kind == HANG_JOIN) && is_tid(s->value, tids, n_tids)) {
		w->kind = HANG_JOIN;
		w->holder = (int)s->value;
	} else if (w->kind == HANG_FUTEX && (s->op & 0x7f) == 0 && s->value == 2) {
		w->kind = HANG_MUTEX; /* glibc's contended lock: FUTEX_WAIT for the value 2 */
	}
	w->object_size = symbol_size;
	if (symbol && symbol[0])
		name_from_symbol(w, symbol, symbol_size);
	else if (t && t->waits_for[0] && (w->kind == HANG_MUTEX) == !t->on_condition)
		snprintf(w->name, sizeof(w->name), "%s", t->waits_for);
	if (t && t->line) {
		snprintf(w->function, sizeof(w->function), "%s", t->function);
		snprintf(w->file, sizeof(w->file), "%s", t->file);
		w->line = t->line;
	}
}

static const char *relative(const char *path, const char *root)
{
	size_t n = root ? strlen(root) : 0;
	return n && strncmp(path, root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

static void print_object(FILE *out, const char *what, const struct hang_wait *w)
{
	if (w->name[0])
		fprintf(out, "%s '%s'", what, w->name);
	else
		fprintf(out, _("%s at 0x%lx"), what, w->addr);
}

static bool alive(const struct hang_wait *w, int n, int tid)
{
	for (int i = 0; i < n; i++)
		if (w[i].tid == tid)
			return true;
	return false;
}

/* The main thread: the one flagged, else the smallest tid (Linux gives the first thread
 * the process id and later threads rising ids). */
static int main_tid(const struct hang_wait *w, int n)
{
	int smallest = n ? w[0].tid : 0;
	for (int i = 0; i < n; i++) {
		if (w[i].is_main)
			return w[i].tid;
		smallest = w[i].tid < smallest ? w[i].tid : smallest;
	}
	return smallest;
}

/* "main thread", "T2" (creation order among the living), or "thread 9" (ended). */
static const char *thread_label(const struct hang_wait *w, int n, int tid, char *buf, size_t cap)
{
	int main = main_tid(w, n), k = 1;
	if (tid == main)
		return _("main thread");
	if (!alive(w, n, tid)) {
		snprintf(buf, cap, _("thread %d"), tid);
		return buf;
	}
	for (int j = 0; j < n; j++)
		k += w[j].tid != main && w[j].tid < tid;
	snprintf(buf, cap, "T%d", k);
	return buf;
}

static void print_wait(FILE *out, const struct hang_wait *w, int n, int i, const char *source_dir)
{
	char me[32], other[32];
	const struct hang_wait *t = &w[i];
	static const char *const what[] = {
	    [HANG_FUTEX] = N_("a futex"),       [HANG_MUTEX] = N_("mutex"),
	    [HANG_CONDITION] = N_("condition"), [HANG_JOIN] = "",
	    [HANG_SEMAPHORE] = N_("semaphore"), [HANG_BARRIER] = N_("barrier"),
	    [HANG_RWLOCK] = N_("rwlock")};
	fprintf(out, "    %s ", thread_label(w, n, t->tid, me, sizeof(me)));
	if (t->kind == HANG_JOIN) {
		fprintf(out, _("waits for %s to finish (pthread_join)"),
		        thread_label(w, n, t->holder, other, sizeof(other)));
	} else if (t->kind == HANG_CONDITION) {
		print_object(out, _("waits on condition"), t);
	} else if (t->kind == HANG_FUTEX && !t->addr) {
		fprintf(out, _("is blocked in a futex wait (racelab may not read where)"));
	} else if (t->kind == HANG_FUTEX) {
		fprintf(out, _("waits on a futex at 0x%lx"), t->addr);
	} else {
		fprintf(out, _("waits for "));
		print_object(out, _(what[t->kind]), t);
	}
	if (t->kind == HANG_MUTEX && t->holder && alive(w, n, t->holder))
		fprintf(out, _(" (held by %s)"),
		        thread_label(w, n, t->holder, other, sizeof(other)));
	else if (t->kind == HANG_MUTEX && t->holder)
		fprintf(out, _(" (held by thread %d, which ended without unlocking it)"),
		        t->holder);
	if (t->line)
		fprintf(out, _(" in %s() at %s:%d"), t->function, relative(t->file, source_dir),
		        t->line);
	fputc('\n', out);
}

/* The thread holding what w[i] waits for, as an index; -1 when none is known. */
static int next_in_graph(const struct hang_wait *w, int n, int i)
{
	if (w[i].kind != HANG_MUTEX && w[i].kind != HANG_JOIN)
		return -1;
	for (int j = 0; j < n; j++)
		if (w[i].holder && w[j].tid == w[i].holder)
			return j;
	return -1;
}

/* A cycle of waits through mutexes: its first thread's index, or -1. */
static int find_cycle(const struct hang_wait *w, int n)
{
	for (int start = 0; start < n; start++) {
		int i = start;
		for (int steps = 0; steps < n && i >= 0; steps++) {
			i = next_in_graph(w, n, i);
			if (i == start)
				return start;
		}
	}
	return -1;
}

static void print_cycle(FILE *out, const struct hang_wait *w, int n, int start)
{
	char label[32];
	fprintf(out, _("  deadlock: "));
	int i = start;
	do {
		int next = next_in_graph(w, n, i);
		if (i == start)
			fprintf(out, _("%s waits for "),
			        thread_label(w, n, w[i].tid, label, sizeof(label)));
		else
			fprintf(out, _(", which waits for "));
		if (w[i].kind == HANG_JOIN)
			fprintf(out, _("%s to finish"),
			        thread_label(w, n, w[i].holder, label, sizeof(label)));
		else {
			print_object(out, _("mutex"), &w[i]);
			fprintf(out, _(", held by %s"),
			        thread_label(w, n, w[i].holder, label, sizeof(label)));
		}
		i = next;
	} while (i != start && i >= 0);
	fprintf(out, _(": each waits for the next, so none can go on.\n"
	               "    Fix: take the locks in one global order everywhere (or "
	               "pthread_mutex_trylock and back off).\n"));
}

static void print_shape(FILE *out, const struct hang_wait *w, int n)
{
	int cycle = find_cycle(w, n), on_condition = 0, on_join = 0, dead_owner = 0;
	const char *cond_name = "";
	for (int i = 0; i < n; i++) {
		if (w[i].kind == HANG_CONDITION) {
			on_condition++;
			cond_name = w[i].name;
		}
		on_join += w[i].kind == HANG_JOIN;
		dead_owner |= w[i].kind == HANG_MUTEX && w[i].holder && !alive(w, n, w[i].holder);
	}
	if (cycle >= 0) {
		print_cycle(out, w, n, cycle);
	} else if (on_condition && on_condition + on_join == n) {
		fprintf(
		    out,
		    ngettext("  lost or missing wake-up: %d thread waits on condition %s%s%s and "
		             "every other thread waits too, so no thread is left to signal it: a "
		             "signal sent while nobody waited was lost, or none was ever sent.\n"
		             "    Fix: wait in a loop on a flag the signalling thread sets under "
		             "the mutex: while (!ready) pthread_cond_wait(&cond, &lock);\n",
		             "  lost or missing wake-up: %d threads wait on condition %s%s%s and "
		             "every other thread waits too, so no thread is left to signal it: a "
		             "signal sent while nobody waited was lost, or none was ever sent.\n"
		             "    Fix: wait in a loop on a flag the signalling thread sets under "
		             "the mutex: while (!ready) pthread_cond_wait(&cond, &lock);\n",
		             (unsigned long)on_condition),
		    on_condition, cond_name[0] ? "'" : "", cond_name[0] ? cond_name : _("variable"),
		    cond_name[0] ? "'" : "");
	} else if (dead_owner) {
		fprintf(out,
		        _("  deadlock: a thread ended while holding a mutex; whoever waits for "
		          "it waits for ever. Fix: unlock on every path out of the thread.\n"));
	} else {
		fprintf(out,
		        _("  deadlock: every thread waits for another one and none can run.\n"));
	}
}

#define MUTEX_SIZE 40 /* sizeof(pthread_mutex_t) on Linux x86-64 and aarch64 */

static long gcd(long a, long b)
{
	while (b) {
		long r = a % b;
		a = b;
		b = r;
	}
	return a;
}

void hang_element_name(const char *name, unsigned long size, const long *offsets, int n_offsets,
                       char *out, size_t cap)
{
	const char *plus = strchr(name, '+');
	long off = plus ? atol(plus + 1) : 0, stride = 0;
	snprintf(out, cap, "%s", name);
	for (int i = 0; i < n_offsets; i++)
		stride = offsets[i] > 0 ? gcd(offsets[i], stride) : stride;
	/* The stride is a guess from the offsets seen: exact once two neighbours are among them */
	if (stride < MUTEX_SIZE || size == 0 || size % (unsigned long)stride ||
	    size / (unsigned long)stride < 2 || off % stride)
		return;
	snprintf(out, cap, "%.*s[%ld]", (int)(plus ? plus - name : (long)strlen(name)), name,
	         off / stride);
}

/* The waits with each lock that is an array's element named as one (accounts[1]). */
static void name_elements(struct hang_wait *w, int n)
{
	char named[STALL_MAX_THREADS][sizeof(w->name)];
	for (int i = 0; i < n; i++) {
		snprintf(named[i], sizeof(named[i]), "%s", w[i].name);
		long offsets[STALL_MAX_THREADS];
		int n_offsets = 0;
		size_t base = strcspn(w[i].name, "+");
		if (w[i].kind != HANG_MUTEX || !w[i].name[0])
			continue;
		for (int j = 0; j < n; j++) {
			const char *p = w[j].name;
			if (w[j].kind == HANG_MUTEX && strncmp(p, w[i].name, base) == 0 &&
			    (p[base] == '\0' || p[base] == '+'))
				offsets[n_offsets++] = p[base] ? atol(p + base + 1) : 0;
		}
		hang_element_name(w[i].name, w[i].object_size, offsets, n_offsets, named[i],
		                  sizeof(named[i]));
	}
	for (int i = 0; i < n; i++) /* after all are named: each reads the others' offsets */
		snprintf(w[i].name, sizeof(w[i].name), "%s", named[i]);
}

char *hang_explain(const struct hang_wait *waits, int n, const char *source_dir)
{
	char *buf = NULL;
	size_t len = 0;
	struct hang_wait w[STALL_MAX_THREADS];
	if (n > STALL_MAX_THREADS)
		n = STALL_MAX_THREADS;
	memcpy(w, waits, (size_t)(n > 0 ? n : 0) * sizeof(*w));
	name_elements(w, n);
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		return NULL;
	for (int i = 0; i < n; i++)
		print_wait(out, w, n, i, source_dir);
	if (n > 0)
		print_shape(out, w, n);
	if (fclose(out) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
