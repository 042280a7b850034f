/* hang_diagnosis.c: a deadlock explained from /proc, gdb's backtraces and the mutexes' owners. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "elf_symbols.h"
#include "hang_diagnosis.h"
#include "ptrace_scope.h"
#include "runner.h"

#define GDB_TIMEOUT_S      10
#define GDB_FRAMES         "30" /* frames per thread: the blocking call is near the top */
#define MUTEX_OWNER_OFFSET 8  /* glibc x86_64/aarch64: int __lock, unsigned __count, int __owner */
#define COND_SIZE          48 /* sizeof(pthread_cond_t): its futex words lie inside */
#define SYMBOL_MARK        "@racelab-symbol "

static bool own_frame(const char *file, const char *skip_path)
{
	return strncmp(file, "./", 2) != 0 && strncmp(file, "../", 3) != 0 &&
	       !(skip_path && strstr(file, skip_path));
}

/* The blocking calls racelab knows, as gdb names their frames (with or without glibc's
 * debug information, TSan's interceptors, symbol versions). */
static const char *const api_names[] = {"pthread_mutex_lock",
                                        "pthread_mutex_timedlock",
                                        "pthread_mutex_clocklock",
                                        "pthread_cond_wait",
                                        "pthread_cond_timedwait",
                                        "pthread_cond_clockwait",
                                        "pthread_join",
                                        "pthread_clockjoin",
                                        "pthread_timedjoin",
                                        "sem_wait",
                                        "sem_timedwait",
                                        "sem_clockwait",
                                        "pthread_barrier_wait",
                                        "pthread_rwlock_rdlock",
                                        "pthread_rwlock_wrlock",
                                        NULL};

/* "#1  0x7f in pthread_mutex_lock () from ..." or "#3  ___pthread_mutex_lock (mutex=...)":
 * the known call this frame is, or NULL. */
static const char *frame_api(const char *name, size_t len)
{
	while (len && *name == '_')
		name++, len--;
	if (len > 12 && strncmp(name, "interceptor_", 12) == 0)
		name += 12, len -= 12;
	size_t bare = strcspn(name, "@ (");
	if (bare < len)
		len = bare;
	for (int i = 0; api_names[i]; i++)
		if (strlen(api_names[i]) == len && strncmp(name, api_names[i], len) == 0)
			return api_names[i];
	return NULL;
}

static void parse_args(const char *line, struct hang_thread *t)
{
	const char *cond = strstr(line, "cond=");
	const char *mutex = cond ? cond : strstr(line, "mutex=");
	if (!mutex || t->waits_for[0])
		return;
	t->on_condition = cond != NULL;
	const char *lt = strchr(mutex, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	t->mutex_addr = strtoul(strstr(mutex, "0x") ? strstr(mutex, "0x") : mutex, NULL, 16);
	if (lt && gt && gt - lt < (long)sizeof(t->waits_for))
		snprintf(t->waits_for, sizeof(t->waits_for), "%.*s", (int)(gt - lt - 1), lt + 1);
}

/* "#4  0x000055 in t2 (x=0x0) at dl.c:5" or "#0  t2 (x=0) at dl.c:5". */
static void parse_frame(const char *line, const char *skip_path, struct hang_thread *t)
{
	const char *name = strstr(line, " in ");
	const char *paren = strchr(line, '(');
	name = name && (!paren || name < paren) ? name + 4 : line + strcspn(line, " ");
	while (*name == ' ')
		name++;
	size_t name_len = strcspn(name, " (");
	const char *api = t->line ? NULL : frame_api(name, name_len);
	if (api && !t->api[0])
		snprintf(t->api, sizeof(t->api), "%s", api);
	parse_args(line, t);
	const char *at = strstr(line, ") at ");
	if (t->line || !at)
		return;
	char file[256];
	int line_no;
	if (sscanf(at + 5, "%255[^:]:%d", file, &line_no) != 2 || !own_frame(file, skip_path))
		return;
	snprintf(t->function, sizeof(t->function), "%.*s", (int)name_len, name);
	snprintf(t->file, sizeof(t->file), "%s", file);
	t->line = line_no;
}

int hang_parse_gdb(const char *text, const char *skip_path, struct hang_thread *out, int max)
{
	int n = -1;
	const char *line = text;
	while (line && *line) {
		const char *lwp = strstr(line, "(LWP ");
		const char *eol = strchr(line, '\n');
		if (strncmp(line, "Thread ", 7) == 0 && lwp && (!eol || lwp < eol)) {
			if (n + 1 >= max)
				break;
			memset(&out[++n], 0, sizeof(out[0]));
			out[n].lwp = atoi(lwp + 5);
		} else if (n >= 0 && line[0] == '#') {
			char frame[1024];
			size_t len = eol ? (size_t)(eol - line) : strlen(line);
			snprintf(frame, sizeof(frame), "%.*s", (int)len, line);
			parse_frame(frame, skip_path, &out[n]);
		}
		line = eol ? eol + 1 : NULL;
	}
	return n + 1;
}

bool hang_parse_symbol(const char *text, unsigned long addr, char *name, size_t cap)
{
	char mark[64];
	snprintf(mark, sizeof(mark), SYMBOL_MARK "0x%lx\n", addr);
	const char *at = strstr(text, mark);
	name[0] = '\0';
	if (!at)
		return false;
	at += strlen(mark);
	/* "lock_a in section .bss", "accounts + 48 in section .bss of /x/lib.so", or
	 * "No symbol matches 0x...". */
	const char *end = strstr(at, " in section ");
	const char *eol = strchr(at, '\n');
	if (!end || (eol && end > eol) || strncmp(at, "No symbol", 9) == 0)
		return false;
	size_t len = 0;
	for (const char *p = at; p < end && len + 1 < cap; p++)
		if (*p != ' ')
			name[len++] = *p;
	name[len] = '\0';
	return len > 0;
}

/* ---- one wait, explained ---- */

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
static void name_from_symbol(struct hang_wait *w, const char *symbol)
{
	char *plus;
	snprintf(w->name, sizeof(w->name), "%s", symbol ? symbol : "");
	plus = strchr(w->name, '+');
	if (plus && w->kind == HANG_CONDITION && atoi(plus + 1) < COND_SIZE)
		*plus = '\0';
}

/* glibc's pthread_cond_t waits on __g_signals[0] or [1], at offsets 40 and 44 of its 48. */
static bool inside_condition(const char *symbol, unsigned long size)
{
	const char *plus = symbol ? strchr(symbol, '+') : NULL;
	long off = plus ? atol(plus + 1) : 0;
	return size == COND_SIZE && off >= 40 && off < COND_SIZE;
}

void hang_wait_from(struct hang_wait *w, const struct stall_thread *s, const struct hang_thread *t,
                    const char *symbol, unsigned long symbol_size, const int *tids, int n_tids)
{
	memset(w, 0, sizeof(*w));
	w->tid = s->tid;
	w->addr = s->futex;
	w->kind = kind_of_api(t ? t->api : NULL);
	if (w->kind == HANG_FUTEX && inside_condition(symbol, symbol_size))
		w->kind = HANG_CONDITION;
	/* pthread_join sleeps on the joined thread's id: recognisable without gdb. */
	if ((w->kind == HANG_FUTEX || w->kind == HANG_JOIN) && is_tid(s->value, tids, n_tids)) {
		w->kind = HANG_JOIN;
		w->holder = (int)s->value;
	} else if (w->kind == HANG_FUTEX && (s->op & 0x7f) == 0 && s->value == 2) {
		w->kind = HANG_MUTEX; /* glibc's contended lock: FUTEX_WAIT for the value 2 */
	}
	if (t && t->waits_for[0] && (w->kind == HANG_MUTEX) == !t->on_condition)
		snprintf(w->name, sizeof(w->name), "%s", t->waits_for);
	else
		name_from_symbol(w, symbol);
	if (t && t->line) {
		snprintf(w->function, sizeof(w->function), "%s", t->function);
		snprintf(w->file, sizeof(w->file), "%s", t->file);
		w->line = t->line;
	}
}

/* ---- the explanation ---- */

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
		fprintf(out, "%s at 0x%lx", what, w->addr);
}

static bool alive(const struct hang_wait *w, int n, int tid)
{
	for (int i = 0; i < n; i++)
		if (w[i].tid == tid)
			return true;
	return false;
}

static void print_wait(FILE *out, const struct hang_wait *w, int n, int i, const char *source_dir)
{
	const struct hang_wait *t = &w[i];
	static const char *const what[] = {
	    [HANG_FUTEX] = "a futex",       [HANG_MUTEX] = "mutex",
	    [HANG_CONDITION] = "condition", [HANG_JOIN] = "",
	    [HANG_SEMAPHORE] = "semaphore", [HANG_BARRIER] = "barrier",
	    [HANG_RWLOCK] = "rwlock"};
	fprintf(out, "    thread %d ", t->tid);
	if (t->kind == HANG_JOIN) {
		fprintf(out, "waits for thread %d to finish (pthread_join)", t->holder);
	} else if (t->kind == HANG_CONDITION) {
		print_object(out, "waits on condition", t);
	} else if (t->kind == HANG_FUTEX && !t->addr) {
		fprintf(out, "is blocked in a futex wait (racelab may not read where)");
	} else if (t->kind == HANG_FUTEX) {
		fprintf(out, "waits on a futex at 0x%lx", t->addr);
	} else {
		fprintf(out, "waits for ");
		print_object(out, what[t->kind], t);
	}
	if (t->kind == HANG_MUTEX && t->holder && alive(w, n, t->holder))
		fprintf(out, " (held by thread %d)", t->holder);
	else if (t->kind == HANG_MUTEX && t->holder)
		fprintf(out, " (held by thread %d, which ended without unlocking it)", t->holder);
	if (t->line)
		fprintf(out, " in %s() at %s:%d", t->function, relative(t->file, source_dir),
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
	fprintf(out, "  deadlock: ");
	int i = start;
	do {
		int next = next_in_graph(w, n, i);
		if (i == start)
			fprintf(out, "thread %d waits for ", w[i].tid);
		else
			fprintf(out, ", which waits for ");
		if (w[i].kind == HANG_JOIN)
			fprintf(out, "thread %d to finish", w[i].holder);
		else {
			print_object(out, "mutex", &w[i]);
			fprintf(out, ", held by thread %d", w[i].holder);
		}
		i = next;
	} while (i != start && i >= 0);
	fprintf(out, ": each waits for the next, so none can go on.\n"
	             "    Fix: take the locks in one global order everywhere (or "
	             "pthread_mutex_trylock and back off).\n");
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
		fprintf(out,
		        "  lost wake-up: %d thread%s wait%s on condition %s%s%s and every other "
		        "thread waits too, so no thread is left to signal it. A signal sent while "
		        "nobody waited is lost.\n"
		        "    Fix: wait in a loop on a flag the signalling thread sets under the "
		        "mutex: while (!ready) pthread_cond_wait(&cond, &lock);\n",
		        on_condition, on_condition == 1 ? "" : "s", on_condition == 1 ? "s" : "",
		        cond_name[0] ? "'" : "", cond_name[0] ? cond_name : "variable",
		        cond_name[0] ? "'" : "");
	} else if (dead_owner) {
		fprintf(out, "  deadlock: a thread ended while holding a mutex; whoever waits for "
		             "it waits for ever. Fix: unlock on every path out of the thread.\n");
	} else {
		fprintf(out, "  deadlock: every thread waits for another one and none can run.\n");
	}
}

char *hang_explain(const struct hang_wait *w, int n, const char *source_dir)
{
	char *buf = NULL;
	size_t len = 0;
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

/* ---- gdb and the live process ---- */

static int mutex_owner(pid_t pid, unsigned long addr)
{
	char path[64];
	int owner = 0;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (pread(fd, &owner, sizeof(owner), (off_t)(addr + MUTEX_OWNER_OFFSET)) != sizeof(owner))
		owner = 0;
	close(fd);
	return owner;
}

static const char *find_gdb(void)
{
	static const char *const gdbs[] = {"/usr/bin/gdb", "/usr/local/bin/gdb", NULL};
	const char *forced = getenv("RACELAB_GDB");
	if (forced && *forced)
		return access(forced, X_OK) == 0 ? forced : NULL;
	for (int i = 0; gdbs[i]; i++)
		if (access(gdbs[i], X_OK) == 0)
			return gdbs[i];
	return NULL;
}

/* gdb's words for a failed attach, in its output: "ptrace: Operation not permitted." */
static void attach_failure(const char *output, pid_t pid, char *note, size_t cap)
{
	const char *ptrace = output ? strstr(output, "ptrace: ") : NULL;
	char why[120] = "", advice[300];
	if (ptrace)
		snprintf(why, sizeof(why), " (%.*s)", (int)strcspn(ptrace, ".\n"), ptrace);
	ptrace_scope_advice(ptrace_scope(), advice, sizeof(advice));
	snprintf(note, cap, "gdb could not attach to process %d%s: no file:line%s%s", (int)pid, why,
	         advice[0] ? "; " : "", advice);
}

/* Runs gdb on pid; its output (malloc'd) or NULL. */
static char *run_gdb(const char *gdb, pid_t pid, const struct stall_snapshot *snap)
{
	char pid_text[16], marks[STALL_MAX_THREADS][64], infos[STALL_MAX_THREADS][48];
	char *argv[16 + 4 * STALL_MAX_THREADS];
	int argc = 0;
	snprintf(pid_text, sizeof(pid_text), "%d", (int)pid);
	char *fixed[] = {(char *)gdb,
	                 "-nx",
	                 "-batch",
	                 "-iex",
	                 "set debuginfod enabled off",
	                 "-iex",
	                 "set debug-file-directory /nonexistent",
	                 "-iex",
	                 "set auto-load off",
	                 "-p",
	                 pid_text,
	                 "-ex",
	                 "thread apply all bt " GDB_FRAMES};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[argc++] = fixed[i];
	for (int i = 0; i < snap->n; i++) {
		snprintf(marks[i], sizeof(marks[i]), "echo " SYMBOL_MARK "0x%lx\\n",
		         snap->threads[i].futex);
		snprintf(infos[i], sizeof(infos[i]), "info symbol 0x%lx", snap->threads[i].futex);
		argv[argc++] = "-ex";
		argv[argc++] = marks[i];
		argv[argc++] = "-ex";
		argv[argc++] = infos[i];
	}
	argv[argc] = NULL;
	struct run_spec spec = {.argv = argv,
	                        .timeout_s = GDB_TIMEOUT_S,
	                        .capture_limit = 1 << 18,
	                        .quiet_stdin = true};
	struct run_result rr;
	char *output = NULL;
	if (runner_run(&spec, &rr) == 0) {
		output = rr.output;
		rr.output = NULL;
	}
	run_result_free(&rr);
	return output;
}

static const struct hang_thread *gdb_thread(const struct hang_thread *t, int n, int lwp)
{
	for (int i = 0; i < n; i++)
		if (t[i].lwp == lwp)
			return &t[i];
	return NULL;
}

static double monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The variables the threads wait on, by the executable's symbol table. */
struct names {
	char symbol[STALL_MAX_THREADS][96];
	unsigned long size[STALL_MAX_THREADS];
};

static void name_futexes(pid_t pid, const struct stall_snapshot *snap, struct names *nm)
{
	struct elf_symbols *elf = elf_symbols_open(pid);
	for (int i = 0; i < snap->n; i++) {
		nm->symbol[i][0] = '\0';
		nm->size[i] = 0;
		if (elf_symbols_name(elf, snap->threads[i].futex, nm->symbol[i],
		                     sizeof(nm->symbol[i])))
			nm->size[i] = elf_symbols_size(elf, snap->threads[i].futex);
	}
	elf_symbols_close(elf);
}

/* Every wait of the snapshot, with gdb's view when there is one (output may be NULL). */
static void fill_waits(pid_t pid, const struct stall_snapshot *snap, const struct names *nm,
                       const char *output, struct hang_wait *waits)
{
	struct hang_thread threads[HANG_MAX_THREADS];
	int tids[STALL_MAX_THREADS + 1], n_tids = 0;
	int n_gdb = output ? hang_parse_gdb(output, "/labkit/", threads, HANG_MAX_THREADS) : 0;
	for (int i = 0; i < snap->n; i++)
		tids[n_tids++] = snap->threads[i].tid;
	if (snap->runtime_tid)
		tids[n_tids++] = snap->runtime_tid;
	for (int i = 0; i < snap->n; i++) {
		const struct stall_thread *s = &snap->threads[i];
		char symbol[96];
		snprintf(symbol, sizeof(symbol), "%s", nm->symbol[i]);
		if (!symbol[0] && n_gdb)
			hang_parse_symbol(output, s->futex, symbol, sizeof(symbol));
		hang_wait_from(&waits[i], s, gdb_thread(threads, n_gdb, s->tid), symbol,
		               nm->size[i], tids, n_tids);
		if (waits[i].kind == HANG_MUTEX)
			waits[i].holder = mutex_owner(pid, s->futex);
	}
}

char *hang_diagnose(pid_t pid, const struct stall_snapshot *snap, const char *source_dir,
                    char *note, size_t note_cap, double *named_at)
{
	struct hang_wait waits[STALL_MAX_THREADS];
	struct names nm;
	/* Named at once from /proc and the symbol table; gdb only adds file:line. */
	name_futexes(pid, snap, &nm);
	fill_waits(pid, snap, &nm, NULL, waits);
	if (named_at)
		*named_at = monotonic_s();
	const char *gdb = find_gdb();
	int scope = ptrace_scope();
	/* Yama refuses every attach under 3, and under 2 without root: do not wait for gdb. */
	bool refused = scope == 3 || (scope == 2 && geteuid() != 0);
	char *output = gdb && !refused ? run_gdb(gdb, pid, snap) : NULL;
	struct hang_thread probe[1];
	note[0] = '\0';
	if (!gdb) {
		snprintf(note, note_cap,
		         "gdb is not installed (apt-get install gdb): no file:line");
	} else if (refused) {
		char advice[300];
		ptrace_scope_advice(scope, advice, sizeof(advice));
		snprintf(note, note_cap, "gdb not started: %s", advice);
	} else if (!output || hang_parse_gdb(output, NULL, probe, 1) == 0) {
		attach_failure(output, pid, note, note_cap);
	} else {
		fill_waits(pid, snap, &nm, output, waits);
	}
	free(output);
	return hang_explain(waits, snap->n, source_dir);
}
