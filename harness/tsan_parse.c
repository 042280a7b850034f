/* tsan_parse.c: turns ThreadSanitizer's text reports into struct tsan_finding.
 *
 * TSan prints each report as a WARNING line followed by sections: an access ("Write of
 * size 8 at ... by thread T1:"), a location ("Location is global 'x' ..."), a mutex
 * ("Mutex M0 (0x...) created at:"), a thread ("Thread T1 (tid=..., running) created by
 * main thread at:") or some other titled stack, each followed by frames ("#0 func
 * file:line:col (module+0xoff)") and ended by a blank line; then a SUMMARY line.
 *
 * The parser reads line by line and keeps one piece of state: which field the next
 * frames belong to. Of each stack it keeps only the first frame in the program's own
 * code. Anything it does not recognise (the program's own output, symbolizer noise) is
 * ignored, so truncated or interleaved logs still yield what they contain. Every copy
 * into the fixed-size arrays is bounded.
 *
 * When the runtime stops the program it prints no WARNING but one of: a deadly-signal
 * report ("ThreadSanitizer:DEADLYSIGNAL", "==PID==ERROR: ThreadSanitizer: SEGV on unknown
 * address 0x0 (pc .. bp .. sp .. T<tid>)", "==PID==The signal is caused by a WRITE memory
 * access.", "==PID==Hint: address points to the zero page.", frames, a SUMMARY); an
 * allocator error ("ERROR: ThreadSanitizer: requested allocation size ..."); its own
 * assertion ("ThreadSanitizer: CHECK failed: ..."); or a fatal limitation ("ThreadSanitizer:
 * starting new threads after multi-threaded fork is not supported. Dying", "main thread
 * finished with ignores enabled"). Each becomes a finding of its own kind. The "==PID=="
 * prefix is cut from every line first.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tsan_report.h"

#define LINE_BUF 4096 /* longer lines are cut: only their start matters */

/* Which field the frames that follow belong to. */
enum section {
	SEC_NONE,    /* frames here are ignored */
	SEC_WARNING, /* the stack right under WARNING (mutex misuse, signals) */
	SEC_TARGET,  /* an access, heap block, mutex or thread: fill one frame */
	SEC_STACK,   /* a titled stack: appended to stacks[] at its first frame */
};

struct parser {
	const struct tsan_parse_options *opts;
	struct tsan_report *out;
	struct tsan_finding *cur; /* NULL before the first WARNING */
	enum section section;
	struct tsan_frame *target; /* SEC_TARGET: the frame to fill */
	bool target_done;          /* it holds a user frame already */
	char title[TSAN_NAME_MAX]; /* SEC_WARNING / SEC_STACK: the stack's title */
	long line_pid;             /* N of the current line's "==N==" prefix; -1 if none */
	char assertion[200];       /* the last "...: Assertion `x' failed." line, for an ABRT */
};

/* A frame as printed, split into its parts; pointers into the line buffer. */
struct raw_frame {
	char *function;
	char *file; /* "" when the frame has none */
	char *module;
	int line;
	int column;
};

static void copy_bounded(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void copy_str(char *dst, size_t size, const char *src)
{
	copy_bounded(dst, size, src, strlen(src));
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Reads a non-negative decimal at *s, advancing it past all digits; -1 when there are
 * none or it is too big to be a line, size or id (garbage, not TSan). */
static long read_number(const char **s)
{
	long n = 0;
	bool overflow = false;

	if (!isdigit((unsigned char)**s))
		return -1;
	while (isdigit((unsigned char)**s)) {
		overflow |= n > 100000000;
		if (!overflow)
			n = n * 10 + (**s - '0');
		(*s)++;
	}
	return overflow ? -1 : n;
}

/* "main thread" is 0, "thread T5" is 5; -1 when s names no thread. */
static int read_thread(const char *s)
{
	if (starts_with(s, "main thread"))
		return 0;
	if (!starts_with(s, "thread T"))
		return -1;
	s += strlen("thread T");
	return (int)read_number(&s);
}

/* ---- frames ---- */

static bool contains_any(const char *s, const char *const *needles)
{
	for (; needles && *needles; needles++)
		if (**needles && strstr(s, *needles))
			return true;
	return false;
}

static const char *const runtime_prefixes[] = {
    "__interceptor_", "__tsan", "__sanitizer", "internal_", NULL,
};
static const char *const runtime_files[] = {
    "libsanitizer",
    "compiler-rt",
    "sanitizer_common",
    NULL,
};
static const char *const runtime_modules[] = {
    "libtsan", "libc.so", "libc-", "ld-linux", "libpthread", NULL,
};

/* Is the frame in the program's own code? A frame without a file cannot say where, so it
 * never is: the interceptors clang links in print "pthread_create <null>". */
static bool is_user_frame(const struct raw_frame *f, const struct tsan_parse_options *opts)
{
	for (const char *const *p = runtime_prefixes; *p; p++)
		if (starts_with(f->function, *p))
			return false;
	if (!f->file[0] || strcmp(f->file, "<null>") == 0 || f->line <= 0)
		return false;
	if (contains_any(f->file, runtime_files) || contains_any(f->module, runtime_modules))
		return false;
	if (opts &&
	    (contains_any(f->file, opts->skip_paths) || contains_any(f->module, opts->skip_paths)))
		return false;
	return true;
}

/* Splits a trailing ":digits" off s and returns the number; 0 when s has none, -1 when
 * the digits are no valid line (0, or too big). */
static int cut_trailing_number(char *s)
{
	char *colon = strrchr(s, ':');
	const char *digits;
	long n;

	if (!colon || !colon[1])
		return 0;
	digits = colon + 1;
	n = read_number(&digits);
	if (*digits)
		return 0;
	if (n <= 0)
		return -1;
	*colon = '\0';
	return (int)n;
}

/* "file:line:col" (clang), "file:line" (gcc), "<null>" or "x.cpp.o": fills f. */
static void split_location(char *loc, struct raw_frame *f)
{
	int last = cut_trailing_number(loc);
	int before = last > 0 ? cut_trailing_number(loc) : 0;

	f->file = loc;
	f->line = before ? before : last;
	f->column = before ? last : 0;
	if (last < 0 || before < 0)
		f->line = f->column = 0; /* a frame with a broken line is no place to show */
}

/* Removes trailing " (module+0xoff)" and " (BuildId: ...)" groups from s, noting the
 * module. A C++ signature's parentheses hold neither "+0x" nor "BuildId:", so stay. */
static void cut_module(char *s, struct raw_frame *f)
{
	for (int i = 0; i < 2; i++) {
		size_t n = strlen(s);
		char *open = n && s[n - 1] == ')' ? strrchr(s, '(') : NULL;
		if (!open || open == s || open[-1] != ' ')
			return;
		if (starts_with(open, "(BuildId: ")) {
			open[-1] = '\0';
			continue;
		}
		if (!strstr(open, "+0x"))
			return;
		s[n - 1] = '\0';
		f->module = open + 1;
		open[-1] = '\0';
	}
}

/* Parses "#N func file:line:col (module+0xoff) (BuildId: x)" (s after "#N "). */
static void split_frame(char *s, struct raw_frame *f)
{
	static char empty[1];
	char *space;

	f->function = f->file = f->module = empty;
	f->line = f->column = 0;
	cut_module(s, f);
	space = strrchr(s, ' ');
	f->function = s;
	if (!space)
		return;
	*space = '\0';
	split_location(space + 1, f);
}

static void frame_store(struct tsan_frame *dst, const struct raw_frame *f)
{
	copy_str(dst->function, sizeof(dst->function), f->function);
	copy_str(dst->file, sizeof(dst->file), f->file);
	dst->line = f->line;
	dst->column = f->column;
}

/* s is a stripped line: is it "#N ..."? Returns the text after "#N " or NULL. */
static char *frame_body(char *s)
{
	const char *p = s + 1;

	if (s[0] != '#' || read_number(&p) < 0 || *p != ' ')
		return NULL;
	return (char *)p + 1;
}

/* ---- sections ---- */

static void begin_target(struct parser *ps, struct tsan_frame *target)
{
	ps->section = SEC_TARGET;
	ps->target = target;
	ps->target_done = false;
}

static void begin_stack(struct parser *ps, enum section section, const char *title)
{
	size_t n = strlen(title);

	if (n && title[n - 1] == ':')
		n--;
	ps->section = section;
	copy_bounded(ps->title, sizeof(ps->title), title, n);
	ps->target = NULL;
	ps->target_done = false;
}

/* The first frame of a titled stack opens its entry in stacks[]. */
static void open_stack(struct parser *ps)
{
	struct tsan_finding *fi = ps->cur;

	ps->target = NULL;
	if (fi->n_stacks >= TSAN_MAX_STACKS)
		return;
	copy_str(fi->stacks[fi->n_stacks].title, TSAN_NAME_MAX, ps->title);
	ps->target = &fi->stacks[fi->n_stacks++].where;
}

static void on_frame(struct parser *ps, char *body)
{
	struct raw_frame f;

	if (ps->section == SEC_NONE || !ps->cur)
		return;
	if (ps->section != SEC_TARGET && !ps->target && !ps->target_done)
		open_stack(ps);
	if (ps->target_done || !ps->target)
		return;
	split_frame(body, &f);
	if (!is_user_frame(&f, ps->opts))
		return;
	frame_store(ps->target, &f);
	ps->target_done = true;
	/* The stack under WARNING is where mutex misuse and signal reports happen. */
	if (ps->section == SEC_WARNING && ps->cur->where.line == 0)
		frame_store(&ps->cur->where, &f);
}

/* "[Previous ][atomic ]write of size 8 at 0x... by thread T1[ (mutexes: write M0)]:"
 * or, for external objects, "[Previous ]modifying access of Tag at 0x... by ...:". */
static bool on_access(struct parser *ps, const char *s)
{
	struct tsan_access a = {.present = true};
	bool previous = starts_with(s, "Previous ");
	const char *p;
	int index = previous ? 1 : 0;

	if (previous)
		s += strlen("Previous ");
	if (strncasecmp(s, "atomic ", 7) == 0) {
		a.is_atomic = true;
		s += 7;
	}
	if (strncasecmp(s, "write of size ", 14) == 0 || strncasecmp(s, "read of size ", 13) == 0) {
		a.is_write = tolower((unsigned char)s[0]) == 'w';
		p = s + (a.is_write ? 14 : 13); /* any case: strstr "size " may miss */
		a.size = (int)read_number(&p);
	} else if (strncasecmp(s, "modifying access of ", 20) == 0) {
		a.is_write = true;
	} else if (strncasecmp(s, "read-only access of ", 20) != 0) {
		return false;
	}
	p = strstr(s, " by ");
	a.thread = p ? read_thread(p + 4) : -1;
	p = strstr(s, "(mutexes: ");
	if (p) {
		p += strlen("(mutexes: ");
		copy_bounded(a.mutexes, sizeof(a.mutexes), p, strcspn(p, ")"));
	}
	ps->cur->access[index] = a;
	begin_target(ps, &ps->cur->access[index].where);
	return true;
}

/* "Location is global 'x' of size 8 at ...", "heap block of size 4 at ... allocated by
 * main thread:", "stack of thread T1.", "TLS of main thread.", "file descriptor 3 ...".
 * TSan may print a second Location line for the same address (for stacks, a bogus
 * "global '??'"): the first one counts. */
static void on_location(struct parser *ps, const char *s)
{
	struct tsan_location *loc = &ps->cur->location;
	const char *p;

	if (loc->kind != TSAN_LOC_NONE)
		return;
	if (starts_with(s, "global '")) {
		loc->kind = TSAN_LOC_GLOBAL;
		s += strlen("global '");
		copy_bounded(loc->variable, sizeof(loc->variable), s, strcspn(s, "'"));
	} else if (starts_with(s, "heap block")) {
		loc->kind = TSAN_LOC_HEAP;
		p = strstr(s, " allocated by ");
		loc->thread = p ? read_thread(p + strlen(" allocated by ")) : -1;
		begin_target(ps, &loc->allocated_at);
	} else if (starts_with(s, "stack of ") || starts_with(s, "TLS of ")) {
		loc->kind = s[0] == 's' ? TSAN_LOC_STACK : TSAN_LOC_TLS;
		loc->thread = read_thread(strstr(s, "of ") + 3);
	} else if (starts_with(s, "file descriptor")) {
		loc->kind = TSAN_LOC_FD;
	} else {
		loc->kind = TSAN_LOC_OTHER;
	}
	p = strstr(s, " of size ");
	if (p) {
		p += strlen(" of size ");
		loc->size = read_number(&p);
	}
}

static struct tsan_mutex *mutex_get(struct tsan_finding *fi, int id)
{
	for (int i = 0; i < fi->n_mutexes; i++)
		if (fi->mutexes[i].id == id)
			return &fi->mutexes[i];
	if (fi->n_mutexes >= TSAN_MAX_MUTEXES)
		return NULL;
	fi->mutexes[fi->n_mutexes].id = id;
	return &fi->mutexes[fi->n_mutexes++];
}

/* "Cycle in lock order graph: M0 (0x...) => M1 (0x...) => M0". */
static void on_cycle(struct parser *ps, const char *s)
{
	struct tsan_finding *fi = ps->cur;
	long id;

	fi->cycle_len = 0;
	while (s && fi->cycle_len < TSAN_MAX_MUTEXES + 1) {
		s += strspn(s, " ");
		if (*s++ != 'M' || (id = read_number(&s)) < 0)
			break;
		fi->cycle[fi->cycle_len++] = (int)id;
		mutex_get(fi, (int)id);
		s = strstr(s, "=>");
		if (s)
			s += 2;
	}
}

/* "Mutex M0 (0x...) created at:" fills a mutex; "Mutex M0 is already destroyed." names
 * one; "Mutex M1 acquired here while holding mutex M0 in thread T1:" is a titled stack. */
static void on_mutex(struct parser *ps, const char *line)
{
	const char *s = line + strlen("Mutex M");
	long id = read_number(&s);
	struct tsan_mutex *m;

	if (id < 0)
		return;
	if (starts_with(s, " (") || starts_with(s, " is already destroyed")) {
		m = mutex_get(ps->cur, (int)id);
		if (m && strstr(s, "created at:"))
			begin_target(ps, &m->created_at);
		return;
	}
	begin_stack(ps, SEC_STACK, line);
}

/* "Thread T1 'name' (tid=123, running) created by main thread at:" */
static void on_thread(struct parser *ps, const char *s)
{
	struct tsan_finding *fi = ps->cur;
	struct tsan_thread *t;
	const char *p = s + strlen("Thread T");
	long id = read_number(&p);

	if (id < 0 || fi->n_threads >= TSAN_MAX_THREADS)
		return;
	t = &fi->threads[fi->n_threads++];
	t->id = (int)id;
	t->running = strstr(s, ", running)") != NULL;
	p = strstr(s, " created by ");
	t->created_by = p ? read_thread(p + strlen(" created by ")) : -1;
	begin_target(ps, &t->created_at);
}

/* "SUMMARY: ThreadSanitizer: <kind> file:line[:col] in func", or with
 * "(module+0xoff) (BuildId: ...)" in place of file:line when there is no source. */
static void on_summary(struct parser *ps, char *s)
{
	struct tsan_frame *sum = &ps->cur->summary;
	struct raw_frame f = {0};
	char *in = NULL, *space;

	for (char *p = strstr(s, " in "); p; p = strstr(p + 1, " in "))
		in = p;
	if (in && !strchr(in + 4, ' ')) {
		copy_str(sum->function, sizeof(sum->function), in + 4);
		*in = '\0';
	}
	space = strrchr(s, ' ');
	if (!space || !strchr(space, ':') || space[strlen(space) - 1] == ')')
		return;
	split_location(space + 1, &f);
	if (f.line <= 0)
		return;
	copy_str(sum->file, sizeof(sum->file), f.file);
	sum->line = f.line;
	sum->column = f.column;
}

/* ---- lines ---- */

/* Appends a zeroed finding of kind and makes it current; -1 when memory ran out. Its
 * stack (SEC_WARNING) is titled with title's first title_len bytes. */
static int new_finding(struct parser *ps, enum tsan_kind kind, const char *title, size_t title_len)
{
	struct tsan_report *out = ps->out;

	if (out->n_findings == out->cap_findings) {
		size_t cap = out->cap_findings ? out->cap_findings * 2 : 8;
		void *bigger = realloc(out->findings, cap * sizeof(*out->findings));
		if (!bigger)
			return -1;
		out->findings = bigger;
		out->cap_findings = cap;
	}
	ps->cur = &out->findings[out->n_findings++];
	memset(ps->cur, 0, sizeof(*ps->cur));
	ps->cur->kind = kind;
	ps->cur->count = 1;
	copy_bounded(ps->title, sizeof(ps->title), title, title_len);
	begin_stack(ps, SEC_WARNING, ps->title);
	return 0;
}

static int on_warning(struct parser *ps, const char *text)
{
	const char *pid = strstr(text, " (pid=");
	size_t len = pid ? (size_t)(pid - text) : strlen(text);

	/* The stack's title is the kind as printed, without the pid that changes each run. */
	return new_finding(ps, tsan_kind_from_warning(text, len), text, len);
}

/* ---- the runtime stopping the program ---- */

static bool is_signal_name(const char *s, size_t n)
{
	static const char *const names[] = {"SEGV", "BUS", "FPE", "ABRT", "ILL", "TRAP", NULL};
	for (int i = 0; names[i]; i++)
		if (strlen(names[i]) == n && memcmp(s, names[i], n) == 0)
			return true;
	return false;
}

/* Linux maps nothing below 64 KiB (vm.mmap_min_addr): a fault there is NULL plus an
 * offset, such as a field of a struct reached through a NULL pointer. */
#define NULL_PAGE_LIMIT 0x10000ull

/* "... on unknown address 0x0000 (pc 0x.. bp 0x.. sp 0x.. T123)": address and thread. */
static void read_crash_place(struct parser *ps, const char *text)
{
	struct tsan_crash *c = &ps->cur->crash;
	const char *p = strstr(text, " address ");
	const char *t = strrchr(text, 'T');

	if (p && starts_with(p + 9, "0x")) {
		c->address = strtoull(p + 9, NULL, 16);
		c->address_class = c->address < NULL_PAGE_LIMIT ? TSAN_ADDR_NULL : TSAN_ADDR_WILD;
	}
	if (t && t > text && t[-1] == ' ' && isdigit((unsigned char)t[1])) {
		t++;
		long tid = read_number(&t);
		c->os_tid = tid > 0 ? (int)tid : 0;
		c->main_thread = tid > 0 && tid == ps->line_pid;
	}
}

/* "ERROR: ThreadSanitizer: SEGV on unknown address ...", "stack-overflow on address ...",
 * "requested allocation size ...", "allocator is out of memory ...", and the like. */
static int on_error(struct parser *ps, const char *text)
{
	size_t word = strcspn(text, " ");
	enum tsan_kind kind = TSAN_RUNTIME_ERROR;
	struct tsan_crash *c;

	if (starts_with(text + word, " on ") &&
	    (is_signal_name(text, word) || starts_with(text, "stack-overflow ")))
		kind = TSAN_CRASH;
	else if (starts_with(text, "requested allocation size"))
		kind = TSAN_ALLOCATION_TOO_BIG;
	else if (strstr(text, "out of memory"))
		kind = TSAN_OUT_OF_MEMORY;
	if (new_finding(ps, kind, text, strcspn(text, "(")))
		return -1;
	c = &ps->cur->crash;
	copy_str(c->message, sizeof(c->message), text);
	if (kind != TSAN_CRASH)
		return 0;
	if (starts_with(text, "stack-overflow ")) {
		copy_str(c->signal, sizeof(c->signal), "SEGV");
		read_crash_place(ps, text);
		c->address_class = TSAN_ADDR_STACK_OVERFLOW;
		return 0;
	}
	copy_bounded(c->signal, sizeof(c->signal), text, word);
	if (strcmp(c->signal, "SEGV") == 0 || strcmp(c->signal, "BUS") == 0)
		read_crash_place(ps, text);
	else
		read_crash_place(ps, strstr(text, "(pc ") ? strstr(text, "(pc ") : text);
	if (strcmp(c->signal, "ABRT") == 0 && ps->assertion[0])
		copy_str(c->message, sizeof(c->message), ps->assertion);
	return 0;
}

/* "The signal is caused by a WRITE memory access.", "Hint: address points to the zero
 * page.": details of the current crash. True when the line was one of them. */
static bool on_crash_detail(struct parser *ps, const char *s)
{
	struct tsan_crash *c = &ps->cur->crash;
	const char *caused = "The signal is caused by a ";

	if (ps->cur->kind != TSAN_CRASH)
		return false;
	if (starts_with(s, caused)) {
		s += strlen(caused);
		copy_bounded(c->access, sizeof(c->access), s, strcspn(s, " "));
		return true;
	}
	if (starts_with(s, "Hint: address points to the zero page")) {
		c->address_class = TSAN_ADDR_NULL;
		return true;
	}
	return false;
}

/* "ThreadSanitizer: CHECK failed: ...", "ThreadSanitizer: starting new threads after
 * multi-threaded fork is not supported. Dying ...", "ThreadSanitizer: main thread finished
 * with ignores enabled", "ThreadSanitizer: thread T1  finished with ignores enabled,
 * created at:". text is the line from "ThreadSanitizer: " on, or from "CHECK failed". */
static int on_fatal_message(struct parser *ps, const char *text, enum tsan_kind kind)
{
	const char *msg = starts_with(text, "ThreadSanitizer: ") ? text + 17 : text;
	const char *p;

	if (new_finding(ps, kind, msg, strcspn(msg, ",.(:")))
		return -1;
	copy_str(ps->cur->crash.message, sizeof(ps->cur->crash.message), msg);
	if (kind != TSAN_IGNORES_ENABLED)
		return 0;
	ps->cur->crash.main_thread = starts_with(msg, "main thread");
	if (starts_with(msg, "thread T") && (p = strstr(msg, "created at:"))) {
		struct tsan_thread *t = &ps->cur->threads[ps->cur->n_threads++];
		t->id = read_thread(msg);
		t->created_by = -1;
		begin_target(ps, &t->created_at);
	}
	return 0;
}

static void on_fatal(struct tsan_report *out, const char *line)
{
	if (strstr(line, "unexpected memory mapping")) {
		out->mapping_failure = true;
		return;
	}
	if (!out->fatal)
		copy_str(out->fatal_line, sizeof(out->fatal_line), line);
	out->fatal = true;
}

/* Cuts a leading "==1234==" off s, noting the pid. */
static char *cut_pid_prefix(struct parser *ps, char *s)
{
	const char *p = s + 2;
	long pid;

	ps->line_pid = -1;
	if (!starts_with(s, "==") || (pid = read_number(&p)) < 0 || !starts_with(p, "=="))
		return s;
	ps->line_pid = pid;
	return (char *)p + 2;
}

/* A line inside a report, indentation stripped. */
static void on_report_line(struct parser *ps, char *s)
{
	char *body = frame_body(s);

	if (body)
		on_frame(ps, body);
	else if (!*s)
		ps->section = SEC_NONE;
	else if (starts_with(s, "SUMMARY: ThreadSanitizer: "))
		on_summary(ps, s + strlen("SUMMARY: ThreadSanitizer: "));
	else if (starts_with(s, "Location is "))
		on_location(ps, s + strlen("Location is "));
	else if (starts_with(s, "Cycle in lock order graph:"))
		on_cycle(ps, s + strlen("Cycle in lock order graph:"));
	else if (starts_with(s, "Mutex M"))
		on_mutex(ps, s);
	else if (starts_with(s, "Thread T"))
		on_thread(ps, s);
	else if (on_crash_detail(ps, s))
		;
	else if (on_access(ps, s))
		;
	else if (s[strlen(s) - 1] == ':')
		begin_stack(ps, SEC_STACK, s); /* "As if synchronized via sleep:", "and:" */
	/* "[failed to restore the stack]" and the program's own output fall through. */
}

/* Remembers a failed assert's message ("prog: f.c:14: fn: Assertion `x' failed.") for
 * the ABRT report that follows it. */
static void note_assertion(struct parser *ps, const char *line)
{
	if (strstr(line, ": Assertion `") && strstr(line, "' failed"))
		copy_str(ps->assertion, sizeof(ps->assertion), line);
}

static int on_line(struct parser *ps, char *line)
{
	const char *p;
	char *s = cut_pid_prefix(ps, line + strspn(line, " \t"));

	if ((p = strstr(line, "WARNING: ThreadSanitizer: ")))
		return on_warning(ps, p + strlen("WARNING: ThreadSanitizer: "));
	if ((p = strstr(line, "ERROR: ThreadSanitizer: ")))
		return on_error(ps, p + strlen("ERROR: ThreadSanitizer: "));
	/* The runtime's own assert: "==N==ThreadSanitizer: CHECK failed: f.h:133 ...", or with
	 * no tool name in older runtimes; never a program's line that merely says so. */
	if (starts_with(s, "CHECK failed:") || (starts_with(s, "ThreadSanitizer: CHECK failed:")))
		return on_fatal_message(ps, strstr(s, "CHECK failed:"), TSAN_CHECK_FAILED);
	if ((p = strstr(line, "ThreadSanitizer: starting new threads after multi-threaded fork")))
		return on_fatal_message(ps, p, TSAN_FORK_NEW_THREADS);
	if ((p = strstr(line, "ThreadSanitizer: ")) && strstr(p, " finished with ignores enabled"))
		return on_fatal_message(ps, p, TSAN_IGNORES_ENABLED);
	note_assertion(ps, line);
	if ((p = strstr(line, "ThreadSanitizer: reported "))) {
		p += strlen("ThreadSanitizer: reported ");
		long n = read_number(&p);
		if (n >= 0)
			ps->out->warnings_reported = ps->out->warnings_reported < 0
			                                 ? (int)n
			                                 : ps->out->warnings_reported + (int)n;
		return 0;
	}
	if (strstr(line, "FATAL: ThreadSanitizer"))
		on_fatal(ps->out, s);
	else if (ps->cur)
		on_report_line(ps, s);
	return 0;
}

/* ---- the finding's main place ---- */

static const struct tsan_frame *first_stack_titled(const struct tsan_finding *fi, const char *title)
{
	for (int i = 0; i < fi->n_stacks; i++)
		if (strstr(fi->stacks[i].title, title) && fi->stacks[i].where.line > 0)
			return &fi->stacks[i].where;
	return NULL;
}

/* Sets where per kind (see tsan_report.h), falling back to any user frame found. */
static void finish_where(struct tsan_finding *fi)
{
	const struct tsan_frame *w = NULL;

	if (tsan_kind_has_accesses(fi->kind))
		w = fi->access[0].where.line ? &fi->access[0].where : &fi->access[1].where;
	else if (fi->kind == TSAN_LOCK_ORDER_INVERSION)
		w = first_stack_titled(fi, "acquired here while holding");
	else if (fi->kind == TSAN_THREAD_LEAK && fi->n_threads)
		w = &fi->threads[0].created_at;
	else if (fi->kind == TSAN_IGNORES_ENABLED)
		w = first_stack_titled(fi, "Ignore was enabled at");
	if (w && w->line > 0)
		fi->where = *w;
	for (int i = 0; i < 2 && !fi->where.line; i++)
		fi->where = fi->access[i].where;
	for (int i = 0; i < fi->n_stacks && !fi->where.line; i++)
		fi->where = fi->stacks[i].where;
	/* Not the SUMMARY line: it ignores skip_paths and may name an interceptor. */
}

int tsan_parse(const char *text, size_t len, const struct tsan_parse_options *opts,
               struct tsan_report *out)
{
	struct parser ps = {.opts = opts, .out = out, .line_pid = -1};
	size_t first = out->n_findings;
	char line[LINE_BUF];
	int rc = 0;

	/* A zeroed report has seen no "reported N warnings" yet. */
	if (!out->cap_findings && !out->warnings_reported && !out->mapping_failure && !out->fatal)
		out->warnings_reported = -1;
	while (text && len && rc == 0) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;
		size_t used = nl ? n + 1 : n;

		if (n && text[n - 1] == '\r')
			n--;
		copy_bounded(line, sizeof(line), text, n);
		rc = on_line(&ps, line);
		text += used;
		len -= used;
	}
	for (size_t i = first; i < out->n_findings; i++)
		finish_where(&out->findings[i]);
	return rc;
}

/* ---- deduplication ---- */

static bool same_place(const struct tsan_frame *a, const struct tsan_frame *b)
{
	return a->line == b->line && strcmp(a->file, b->file) == 0;
}

/* Lock-order inversions are the same when their acquisition sites are the same set. */
static bool same_acquisitions(const struct tsan_finding *a, const struct tsan_finding *b)
{
	int na = 0, nb = 0;

	for (int i = 0; i < a->n_stacks; i++) {
		if (!strstr(a->stacks[i].title, "acquired here while holding"))
			continue;
		na++;
		bool found = false;
		for (int j = 0; j < b->n_stacks && !found; j++)
			found = strstr(b->stacks[j].title, "acquired here while holding") &&
			        same_place(&a->stacks[i].where, &b->stacks[j].where);
		if (!found)
			return false;
	}
	for (int j = 0; j < b->n_stacks; j++)
		nb += strstr(b->stacks[j].title, "acquired here while holding") != NULL;
	return na == nb && na > 0;
}

static bool same_finding(const struct tsan_finding *a, const struct tsan_finding *b)
{
	const struct tsan_frame *a0 = &a->access[0].where, *a1 = &a->access[1].where;
	const struct tsan_frame *b0 = &b->access[0].where, *b1 = &b->access[1].where;

	if (a->kind != b->kind)
		return false;
	if (tsan_kind_has_accesses(a->kind))
		return (same_place(a0, b0) && same_place(a1, b1)) ||
		       (same_place(a0, b1) && same_place(a1, b0));
	if (a->kind == TSAN_LOCK_ORDER_INVERSION && same_acquisitions(a, b))
		return true;
	return same_place(&a->where, &b->where);
}

void tsan_dedupe(struct tsan_report *report)
{
	size_t kept = 0;

	for (size_t i = 0; i < report->n_findings; i++) {
		struct tsan_finding *fi = &report->findings[i];
		size_t j = 0;

		while (j < kept && !same_finding(&report->findings[j], fi))
			j++;
		if (j < kept) {
			report->findings[j].count += fi->count;
			continue;
		}
		if (kept != i)
			report->findings[kept] = *fi;
		kept++;
	}
	report->n_findings = kept;
}

void tsan_report_free(struct tsan_report *report)
{
	free(report->findings);
	memset(report, 0, sizeof(*report));
}
