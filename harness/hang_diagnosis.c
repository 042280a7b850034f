/* hang_diagnosis.c: a deadlocked process looked at while it still hangs: its waits named
 * from /proc, the symbol table and the mutexes' owners, then gdb's backtraces (parsed here)
 * for file:line. The words are hang_explain.c's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "elf_symbols.h"
#include "hang_diagnosis.h"
#include "i18n.h"
#include "ptrace_scope.h"
#include "runner.h"

#define GDB_TIMEOUT_S      10
#define GDB_FRAMES         "30" /* frames per thread: the blocking call is near the top */
#define MUTEX_OWNER_OFFSET 8 /* glibc x86_64/aarch64: int __lock, unsigned __count, int __owner */
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
	/* gdb's output is parsed: its messages (and strerror's) in English whatever the
	 * reader's language (--lang ru sets LANGUAGE for racelab itself). */
	static char *const gdb_env[] = {"LC_ALL=C", "LANGUAGE=", NULL};
	struct run_spec spec = {.argv = argv,
	                        .env_extra = gdb_env,
	                        .timeout_s = GDB_TIMEOUT_S,
	                        .capture_limit = 1 << 18};
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
		waits[i].is_main = s->tid == pid;
	}
}

char *hang_diagnose(pid_t pid, const struct stall_snapshot *snap, const char *source_dir,
                    char *note, size_t note_cap, double *named_at, char **local)
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
	bool was = i18n_force_english(true);
	char *english = hang_explain(waits, snap->n, source_dir);
	i18n_force_english(was);
	if (local)
		*local = strcmp(i18n_lang_code(), "en") ? hang_explain(waits, snap->n, source_dir)
		                                        : NULL;
	return english;
}
