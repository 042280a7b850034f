/* valgrind_parse.c: Helgrind's and DRD's XML reports into struct tsan_finding.
 *
 * valgrind --xml=yes writes one <error> element per report: its <kind>, a headline
 * (<what> from DRD, <xwhat><text> from Helgrind), and then titled stacks: each <stack>
 * follows the <auxwhat>/<xauxwhat> that names it ("This conflicts with a previous write of
 * size 8 by thread #3", "Required order was established by acquisition of lock at ...").
 * Each <frame> has <fn>, <dir>, <file>, <line> when debug info names them.
 *
 * The parser does not build a tree: it walks an error's elements in order, keeping the
 * last title seen, and files each stack's first frame in the program's own code under
 * that title. Unknown elements are skipped, so a file cut short (the program killed at its
 * timeout) still gives the errors before the cut. Every copy is bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valgrind_parse.h"

#define TEXT_MAX 512 /* longer element texts are cut: only their start matters */

struct span {
	const char *p;   /* the current position */
	const char *end; /* the end of the error (or of the text) */
};

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* memmem bounded by the span. */
static const char *find(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	if (p >= end)
		return NULL;
	return memmem(p, (size_t)(end - p), needle, n);
}

/* Copies text [p, q) into out, decoding XML's five entities and trimming blanks. */
static void copy_text(const char *p, const char *q, char *out, size_t cap)
{
	static const struct {
		const char *name;
		char c;
	} entities[] = {
	    {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
	size_t n = 0;
	while (p < q && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	while (p < q && n + 1 < cap) {
		char c = *p++;
		for (size_t k = 0; c == '&' && k < sizeof(entities) / sizeof(entities[0]); k++) {
			size_t len = strlen(entities[k].name);
			if ((size_t)(q - (p - 1)) >= len &&
			    strncmp(p - 1, entities[k].name, len) == 0) {
				c = entities[k].c;
				p += len - 1;
				break;
			}
		}
		out[n++] = c;
	}
	while (n && (out[n - 1] == ' ' || out[n - 1] == '\n' || out[n - 1] == '\t'))
		n--;
	out[n] = '\0';
}

/* The text of the first <tag>...</tag> in [p, end) into out; false when absent. */
static bool element_text(const char *p, const char *end, const char *tag, char *out, size_t cap)
{
	char open[32], close[32];
	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	const char *a = find(p, end, open);
	if (!a)
		return false;
	a += strlen(open);
	const char *b = find(a, end, close);
	copy_text(a, b ? b : end, out, cap);
	return true;
}

/* ---- frames ---- */

struct raw_frame {
	char fn[TSAN_NAME_MAX];
	char dir[TSAN_PATH_MAX];
	char file[TSAN_PATH_MAX];
	char obj[TSAN_PATH_MAX];
	int line;
};

static bool is_user_frame(const struct raw_frame *f, const struct tsan_parse_options *opts)
{
	if (!f->file[0] || f->line <= 0)
		return false;
	/* glibc's and valgrind's own sources are named relative ("./nptl/./nptl"). */
	if (f->dir[0] && f->dir[0] != '/')
		return false;
	if (strstr(f->obj, "/valgrind/") || strstr(f->obj, "/libc.so") ||
	    strstr(f->obj, "/libpthread"))
		return false;
	char full[2 * TSAN_PATH_MAX + 2];
	snprintf(full, sizeof(full), "%s/%s", f->dir, f->file);
	for (const char *const *s = opts ? opts->skip_paths : NULL; s && *s; s++)
		if (strstr(full, *s) || strstr(f->obj, *s))
			return false;
	return true;
}

static void read_frame(const char *p, const char *end, struct raw_frame *f)
{
	char line[32] = "";
	memset(f, 0, sizeof(*f));
	element_text(p, end, "fn", f->fn, sizeof(f->fn));
	element_text(p, end, "dir", f->dir, sizeof(f->dir));
	element_text(p, end, "file", f->file, sizeof(f->file));
	element_text(p, end, "obj", f->obj, sizeof(f->obj));
	element_text(p, end, "line", line, sizeof(line));
	f->line = atoi(line);
}

static void frame_store(struct tsan_frame *dst, const struct raw_frame *f)
{
	memset(dst, 0, sizeof(*dst));
	snprintf(dst->function, sizeof(dst->function), "%s", f->fn);
	if (f->dir[0])
		snprintf(dst->file, sizeof(dst->file), "%s/%s", f->dir, f->file);
	else
		snprintf(dst->file, sizeof(dst->file), "%s", f->file);
	dst->line = f->line;
}

/* The first user frame of the stack [p, end) into *out; false when it has none. */
static bool first_user_frame(const char *p, const char *end, const struct tsan_parse_options *opts,
                             struct tsan_frame *out)
{
	const char *a;
	while ((a = find(p, end, "<frame>"))) {
		const char *b = find(a, end, "</frame>");
		struct raw_frame f;
		read_frame(a, b ? b : end, &f);
		if (is_user_frame(&f, opts)) {
			frame_store(out, &f);
			return true;
		}
		if (!b)
			break;
		p = b;
	}
	return false;
}

/* ---- kinds ---- */

enum tsan_kind valgrind_kind(const char *kind, const char *what)
{
	static const struct {
		const char *kind, *what; /* what NULL: any */
		enum tsan_kind tsan;
	} table[] = {
	    {"Race", NULL, TSAN_DATA_RACE},
	    {"ConflictingAccess", NULL, TSAN_DATA_RACE},
	    {"LockOrder", NULL, TSAN_LOCK_ORDER_INVERSION},
	    {"UnlockUnlocked", NULL, TSAN_UNLOCK_UNLOCKED},
	    {"UnlockForeign", NULL, TSAN_UNLOCK_UNLOCKED},
	    {"UnlockBogus", NULL, TSAN_INVALID_MUTEX},
	    {"MutexErr", "not locked", TSAN_UNLOCK_UNLOCKED},
	    {"MutexErr", "Destroying locked", TSAN_DESTROY_LOCKED_MUTEX},
	    {"MutexErr", "Recursive locking", TSAN_DOUBLE_LOCK},
	    {"MutexErr", "not a mutex", TSAN_INVALID_MUTEX},
	    {"MutexErr", NULL, TSAN_INVALID_MUTEX},
	    {"Misc", "destroy of a locked mutex", TSAN_DESTROY_LOCKED_MUTEX},
	    {"Misc", "pthread_mutex_destroy of a locked", TSAN_DESTROY_LOCKED_MUTEX},
	    {"PthAPIerror", "EDEADLK", TSAN_DOUBLE_LOCK},
	    {"PthAPIerror", "EPERM", TSAN_UNLOCK_UNLOCKED},
	    {"PthAPIerror", "EINVAL", TSAN_INVALID_MUTEX},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(kind, table[i].kind) == 0 &&
		    (!table[i].what || (what && strstr(what, table[i].what))))
			return table[i].tsan;
	return TSAN_UNKNOWN;
}

/* ---- one error ---- */

/* valgrind's thread number after "#" or "thread ", as TSan counts: main (1) is 0. */
static int thread_after(const char *text, const char *marker)
{
	const char *p = strstr(text, marker);
	if (!p)
		return -1;
	int n = atoi(p + strlen(marker));
	return n > 0 ? n - 1 : -1;
}

static int size_after(const char *text, const char *marker)
{
	const char *p = strstr(text, marker);
	return p ? atoi(p + strlen(marker)) : 0;
}

/* Fills access a from a headline: Helgrind "Possible data race during write of size 8 at
 * 0x.. by thread #2", "This conflicts with a previous read of size 8 by thread #3"; DRD
 * "Conflicting store by thread 2 at 0x.. size 8". */
static void read_access(const char *text, struct tsan_access *a)
{
	a->present = true;
	a->is_write = strstr(text, " write ") || strstr(text, " store ");
	a->size = size_after(text, "of size ");
	if (!a->size)
		a->size = size_after(text, " size ");
	a->thread = thread_after(text, "thread #");
	if (a->thread < 0)
		a->thread = thread_after(text, "thread ");
	if (a->thread < 0)
		a->thread = 0;
}

/* Location from an auxwhat: Helgrind 'Address 0x.. is 0 bytes inside data symbol
 * "counter"', '... inside a block of size 8 alloc'd', "... is on thread #1's stack"; DRD
 * "Allocation context: BSS section of ..." or "... Data section ...". */
static void read_location(const char *text, struct tsan_location *loc)
{
	const char *sym = strstr(text, "data symbol \"");
	if (sym) {
		loc->kind = TSAN_LOC_GLOBAL;
		sym += strlen("data symbol \"");
		size_t n = strcspn(sym, "\"");
		snprintf(loc->variable, sizeof(loc->variable), "%.*s", (int)n, sym);
	} else if (strstr(text, "BSS section") || strstr(text, "Data section") ||
	           strstr(text, "data section")) {
		loc->kind = TSAN_LOC_GLOBAL;
	} else if (strstr(text, "block of size") || strstr(text, "Allocation context")) {
		loc->kind = TSAN_LOC_HEAP;
		loc->size = size_after(text, "block of size ");
	} else if (strstr(text, "stack")) {
		loc->kind = TSAN_LOC_STACK;
		int t = thread_after(text, "thread #");
		loc->thread = t < 0 ? 0 : t;
	}
}

struct error_state {
	const struct tsan_parse_options *opts;
	struct tsan_finding *f;
	char title[TEXT_MAX]; /* the last what/auxwhat seen */
	int n_stacks_seen;
};

/* A <stack> under the current title. */
static void on_stack(struct error_state *st, const char *p, const char *end)
{
	struct tsan_finding *f = st->f;
	struct tsan_frame where;
	int index = st->n_stacks_seen++;
	if (!first_user_frame(p, end, st->opts, &where))
		return;
	if (tsan_kind_has_accesses(f->kind) && index == 0) {
		f->access[0].where = where;
		return;
	}
	/* The other access's stack follows "This conflicts with a previous ...", sometimes
	 * after a "Locks held: ..." line that then titles it. */
	if (tsan_kind_has_accesses(f->kind) && f->access[1].present && !f->access[1].where.line) {
		f->access[1].where = where;
		return;
	}
	if (strstr(st->title, "was first observed") && f->n_mutexes < TSAN_MAX_MUTEXES) {
		struct tsan_mutex *m = &f->mutexes[f->n_mutexes];
		m->id = f->n_mutexes++;
		m->created_at = where;
		return;
	}
	if (f->location.kind == TSAN_LOC_HEAP && !f->location.allocated_at.line) {
		f->location.allocated_at = where;
		return;
	}
	if (f->n_stacks < TSAN_MAX_STACKS) {
		struct tsan_stack *s = &f->stacks[f->n_stacks++];
		snprintf(s->title, sizeof(s->title), "%s", st->title);
		s->where = where;
	}
}

/* A headline or auxiliary text: it titles the next stack and may describe an access or a
 * location. */
static void on_title(struct error_state *st, const char *text, bool headline)
{
	snprintf(st->title, sizeof(st->title), "%s", text);
	struct tsan_finding *f = st->f;
	if (headline && tsan_kind_has_accesses(f->kind))
		read_access(text, &f->access[0]);
	else if (strstr(text, "conflicts with a previous"))
		read_access(text, &f->access[1]);
	else if (starts_with(text, "Address ") || strstr(text, "Allocation context"))
		read_location(text, &f->location);
	if (headline && f->kind != TSAN_DATA_RACE)
		snprintf(f->crash.message, sizeof(f->crash.message), "%s", text);
}

/* The next element of [p, end) that matters: returns where to go on, NULL at the end. */
static const char *on_element(struct error_state *st, const char *p, const char *end)
{
	static const char *const titled[] = {"<what>", "<xwhat>", "<auxwhat>", "<xauxwhat>"};
	const char *lt = find(p, end, "<");
	if (!lt)
		return NULL;
	for (size_t k = 0; k < 4; k++) {
		if (!starts_with(lt, titled[k]))
			continue;
		char text[TEXT_MAX], close[16];
		snprintf(close, sizeof(close), "</%s", titled[k] + 1);
		const char *stop = find(lt, end, close);
		stop = stop ? stop : end;
		if (titled[k][1] == 'x')
			element_text(lt, stop, "text", text, sizeof(text));
		else
			copy_text(lt + strlen(titled[k]), stop, text, sizeof(text));
		on_title(st, text, k < 2);
		return stop;
	}
	if (starts_with(lt, "<stack>")) {
		const char *stop = find(lt, end, "</stack>");
		on_stack(st, lt, stop ? stop : end);
		return stop ? stop : NULL;
	}
	return lt + 1;
}

static struct tsan_finding *new_finding(struct tsan_report *out)
{
	if (out->n_findings == out->cap_findings) {
		size_t cap = out->cap_findings ? out->cap_findings * 2 : 8;
		void *bigger = realloc(out->findings, cap * sizeof(*out->findings));
		if (!bigger)
			return NULL;
		out->findings = bigger;
		out->cap_findings = cap;
	}
	struct tsan_finding *f = &out->findings[out->n_findings++];
	memset(f, 0, sizeof(*f));
	f->count = 1;
	return f;
}

/* The finding's main place: the first access, else its first titled stack. */
static void finish_where(struct tsan_finding *f)
{
	if (f->access[0].where.line)
		f->where = f->access[0].where;
	else if (f->n_stacks)
		f->where = f->stacks[0].where;
	f->summary = f->where;
	/* A lock-order inversion of two locks: the cycle M0 => M1 => M0. */
	if (f->kind == TSAN_LOCK_ORDER_INVERSION) {
		f->cycle_len = 3;
		f->cycle[0] = 0, f->cycle[1] = 1, f->cycle[2] = 0;
	}
}

static int on_error(const char *p, const char *end, const struct tsan_parse_options *opts,
                    struct tsan_report *out)
{
	char kind[64] = "", what[TEXT_MAX] = "";
	if (!element_text(p, end, "kind", kind, sizeof(kind)))
		return 0;
	if (!element_text(p, end, "what", what, sizeof(what))) {
		const char *x = find(p, end, "<xwhat>");
		if (x)
			element_text(x, end, "text", what, sizeof(what));
	}
	struct tsan_finding *f = new_finding(out);
	if (!f)
		return -1;
	f->kind = valgrind_kind(kind, what);
	struct error_state st = {.opts = opts, .f = f};
	const char *kind_end = find(p, end, "</kind>");
	for (const char *q = kind_end ? kind_end : p; q && q < end;)
		q = on_element(&st, q, end);
	finish_where(f);
	return 0;
}

int valgrind_parse(const char *xml, size_t len, const struct tsan_parse_options *opts,
                   struct tsan_report *out)
{
	const char *end = xml + len, *p = xml;
	out->warnings_reported = -1;
	if (!find(xml, end, "<protocoltool>")) {
		out->fatal = true;
		snprintf(out->fatal_line, sizeof(out->fatal_line),
		         "valgrind wrote no XML report (did it start?)");
		return 0;
	}
	const char *a;
	while ((a = find(p, end, "<error>"))) {
		const char *b = find(a + 7, end, "</error>");
		const char *next = find(a + 7, end, "<error>");
		const char *stop = b && (!next || b < next) ? b : next ? next : end;
		if (on_error(a, stop, opts, out))
			return -1;
		p = stop;
	}
	return 0;
}
