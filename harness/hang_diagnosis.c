/* hang_diagnosis.c: a deadlock explained from gdb's backtraces and the mutexes' owners. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hang_diagnosis.h"
#include "runner.h"

#define GDB_TIMEOUT_S      10
#define MUTEX_OWNER_OFFSET 8 /* glibc x86_64/aarch64: int __lock, unsigned __count, int __owner */

static bool own_frame(const char *file, const char *skip_path)
{
	return strncmp(file, "./", 2) != 0 && strncmp(file, "../", 3) != 0 &&
	       !(skip_path && strstr(file, skip_path));
}

/* "#4  0x000055 in t2 (x=0x0) at dl.c:5" or "#0  t2 (x=0) at dl.c:5". */
static void parse_frame(const char *line, const char *skip_path, struct hang_thread *t)
{
	const char *cond = strstr(line, "cond=");
	const char *mutex = cond ? cond : strstr(line, "mutex=");
	if (mutex && !t->waits_for[0]) {
		t->on_condition = cond != NULL;
		const char *lt = strchr(mutex, '<'), *gt = lt ? strchr(lt, '>') : NULL;
		t->mutex_addr =
		    strtoul(strstr(mutex, "0x") ? strstr(mutex, "0x") : mutex, NULL, 16);
		if (lt && gt && gt - lt < (long)sizeof(t->waits_for))
			snprintf(t->waits_for, sizeof(t->waits_for), "%.*s", (int)(gt - lt - 1),
			         lt + 1);
	}
	const char *at = strstr(line, ") at ");
	if (t->line || !at)
		return;
	char file[256];
	int line_no;
	if (sscanf(at + 5, "%255[^:]:%d", file, &line_no) != 2 || !own_frame(file, skip_path))
		return;
	const char *in = strstr(line, " in ");
	const char *name = in && in < at ? in + 4 : line + strcspn(line, " ");
	while (*name == ' ')
		name++;
	snprintf(t->function, sizeof(t->function), "%.*s", (int)strcspn(name, " ("), name);
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

static const char *relative(const char *path, const char *root)
{
	size_t n = root ? strlen(root) : 0;
	return n && strncmp(path, root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

static char *summarise(pid_t pid, struct hang_thread *threads, int n, const char *source_dir)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		return NULL;
	for (int i = 0; i < n; i++) {
		struct hang_thread *t = &threads[i];
		fprintf(out, "    thread %d ", t->lwp);
		if (t->on_condition) {
			fprintf(out, "waits on condition '%s'", t->waits_for);
		} else if (t->waits_for[0]) {
			t->owner_lwp = mutex_owner(pid, t->mutex_addr);
			fprintf(out, "waits for mutex '%s'", t->waits_for);
			if (t->owner_lwp)
				fprintf(out, " (held by thread %d)", t->owner_lwp);
		} else {
			fprintf(out, "waits");
		}
		if (t->line)
			fprintf(out, " in %s() at %s:%d", t->function,
			        relative(t->file, source_dir), t->line);
		fputc('\n', out);
	}
	fclose(out);
	return buf;
}

char *hang_diagnose(pid_t pid, const char *source_dir, char *note, size_t note_cap)
{
	static const char *const gdbs[] = {"/usr/bin/gdb", "/usr/local/bin/gdb", NULL};
	const char *gdb = NULL;
	for (int i = 0; gdbs[i] && !gdb; i++)
		gdb = access(gdbs[i], X_OK) == 0 ? gdbs[i] : NULL;
	if (!gdb) {
		snprintf(note, note_cap,
		         "gdb is not installed (apt-get install gdb) so racelab "
		         "cannot show where the threads wait");
		return NULL;
	}
	char pid_text[16];
	snprintf(pid_text, sizeof(pid_text), "%d", (int)pid);
	char *argv[] = {(char *)gdb,           "-nx", "-batch", "-p", pid_text, "-ex",
	                "thread apply all bt", NULL};
	struct run_spec spec = {.argv = argv,
	                        .timeout_s = GDB_TIMEOUT_S,
	                        .capture_limit = 1 << 18,
	                        .quiet_stdin = true};
	struct run_result rr;
	struct hang_thread threads[HANG_MAX_THREADS];
	int n = 0;
	if (runner_run(&spec, &rr) == 0 && rr.output)
		n = hang_parse_gdb(rr.output, "/labkit/", threads, HANG_MAX_THREADS);
	run_result_free(&rr);
	if (n == 0) {
		snprintf(note, note_cap, "gdb could not attach to process %d (ptrace not allowed?)",
		         (int)pid);
		return NULL;
	}
	return summarise(pid, threads, n, source_dir);
}
