/* doctor_probe.c: looks at the machine for `racelab doctor` (see doctor.h). Each compiler
 * is tried for real: a small threaded program is built with -fsanitize=thread and run, once
 * more with address randomisation off when TSan's runtime cannot map its memory, as
 * racelab's own runs do. Tools are looked up on PATH only, so a stripped PATH shows a
 * machine without them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "busy_probe.h"
#include "doctor.h"
#include "file_util.h"
#include "path_lookup.h"
#include "ptrace_scope.h"

#define PROBE_TIMEOUT_S 30

static const char probe_source[] =
    "#include <pthread.h>\n"
    "static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
    "static long n;\n"
    "static void *work(void *a) { pthread_mutex_lock(&m); n++; pthread_mutex_unlock(&m);"
    " return a; }\n"
    "int main(void) { pthread_t t; if (pthread_create(&t, 0, work, 0)) return 1;"
    " work(0); pthread_join(t, 0); return n == 2 ? 0 : 1; }\n";

static bool on_path(const char *name)
{
	char path[PATH_MAX];
	return path_lookup(name, path, sizeof(path));
}

/* Runs argv (argv[0] a full path) with stdout and stderr to log (or /dev/null), at most
 * PROBE_TIMEOUT_S. Returns its exit status, or -1 when it did not exit normally. */
static int run(char *const *argv, const char *log, bool aslr_off)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		int cur = personality(0xffffffff);
		if (aslr_off &&
		    (cur < 0 || personality((unsigned long)cur | ADDR_NO_RANDOMIZE) < 0))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	int status;
	for (int waited_ms = 0;; waited_ms += 10) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (waited_ms >= PROBE_TIMEOUT_S * 1000) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
}

static bool file_contains(const char *path, const char *needle)
{
	size_t len;
	char *text = file_read_all(path, 1 << 20, &len);
	bool found = text && strstr(text, needle);
	free(text);
	return found;
}

/* First line of `compiler --version`, without the Debian decoration. */
static void compiler_version(char *compiler, const char *dir, char *out, size_t cap)
{
	char log[PATH_MAX], *text;
	size_t len;
	snprintf(log, sizeof(log), "%s/version", dir);
	char *argv[] = {compiler, "--version", NULL};
	out[0] = '\0';
	if (run(argv, log, false) != 0 || !(text = file_read_all(log, 1 << 16, &len)))
		return;
	text[strcspn(text, "\n")] = '\0';
	char *paren = strstr(text, " (");
	if (paren && strstr(text, "gcc"))
		memmove(text + 3, paren + strcspn(paren, ")") + 1,
		        strlen(paren + strcspn(paren, ")") + 1) + 1);
	snprintf(out, cap, "%s", text);
	free(text);
}

static void probe_compiler(const char *name, const char *dir, struct doctor_compiler *c)
{
	char compiler[PATH_MAX], source[PATH_MAX], program[PATH_MAX], log[PATH_MAX];
	memset(c, 0, sizeof(*c));
	if (!path_lookup(name, compiler, sizeof(compiler)))
		return;
	c->present = true;
	compiler_version(compiler, dir, c->version, sizeof(c->version));
	snprintf(source, sizeof(source), "%s/probe.c", dir);
	snprintf(program, sizeof(program), "%s/probe-%s", dir, name);
	snprintf(log, sizeof(log), "%s/log", dir);
	char *build[] = {compiler, "-fsanitize=thread", "-g", "-pthread", source, "-o", program,
	                 NULL};
	if (file_write_atomic(source, probe_source, strlen(probe_source)) ||
	    run(build, NULL, false) != 0)
		return;
	c->tsan_builds = true;
	char *probe[] = {program, NULL};
	if (run(probe, log, false) == 0) {
		c->tsan_runs = true;
		return;
	}
	if (file_contains(log, "unexpected memory mapping") && run(probe, NULL, true) == 0)
		c->tsan_runs = c->needed_aslr_off = true;
}

static int read_int_file(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;
	if (f && fscanf(f, "%d", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

/* May a child turn address randomisation off (racelab's retry for TSan)? */
static bool aslr_off_allowed(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		int cur = personality(0xffffffff);
		if (cur < 0 || personality((unsigned long)cur | ADDR_NO_RANDOMIZE) < 0)
			_exit(1);
		_exit(personality(0xffffffff) & ADDR_NO_RANDOMIZE ? 0 : 1);
	}
	int status;
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool symbolizer_found(void)
{
	/* The same places tsan_run.c looks, and PATH. */
	return on_path("llvm-symbolizer") || access("/usr/bin/llvm-symbolizer", X_OK) == 0 ||
	       access("/usr/lib/llvm-14/bin/llvm-symbolizer", X_OK) == 0;
}

static bool bwrap_box_works(void)
{
	char bwrap[PATH_MAX];
	if (!path_lookup("bwrap", bwrap, sizeof(bwrap)))
		return false;
	char *argv[] = {
	    bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "/bin/true", NULL};
	return run(argv, NULL, false) == 0;
}

/* Can a cgroup be made (v2, or v1's memory controller)? Makes one and removes it. */
static bool cgroup_can_be_made(void)
{
	static const char *const roots[] = {"/sys/fs/cgroup", "/sys/fs/cgroup/unified",
	                                    "/sys/fs/cgroup/memory", NULL};
	for (int i = 0; roots[i]; i++) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%s/racelab-doctor-%d", roots[i], (int)getpid());
		if (mkdir(dir, 0755) == 0) {
			rmdir(dir);
			return true;
		}
	}
	return false;
}

static void remove_probe_files(const char *dir)
{
	static const char *const names[] = {"probe.c", "probe-clang", "probe-gcc",
	                                    "log",     "version",     NULL};
	char path[PATH_MAX];
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

void doctor_probe(struct doctor_facts *out, bool quick)
{
	memset(out, 0, sizeof(*out));
	out->quick = quick;
	char dir[] = "/tmp/racelab-doctor.XXXXXX";
	if (mkdtemp(dir)) {
		probe_compiler("clang", dir, &out->clang);
		probe_compiler("gcc", dir, &out->gcc);
		remove_probe_files(dir);
	}
	out->symbolizer = symbolizer_found();
	out->cmake = on_path("cmake");
	out->make = on_path("make");
	out->mmap_rnd_bits = read_int_file("/proc/sys/vm/mmap_rnd_bits");
	out->aslr_off_works = aslr_off_allowed();
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	out->ncpus = ncpus > 0 ? (int)ncpus : -1;
	double avg[3];
	busy_probe_loadavg(avg);
	out->load1 = avg[0];
	if (quick)
		return;
	out->ptrace_scope = ptrace_scope();
	out->is_root = geteuid() == 0;
	out->gdb = on_path("gdb");
	out->valgrind = on_path("valgrind");
	out->bwrap = on_path("bwrap");
	out->bwrap_works = out->bwrap && bwrap_box_works();
	out->cgroups_writable = cgroup_can_be_made();
	out->jq = on_path("jq");
	out->parallel = on_path("parallel");
}
