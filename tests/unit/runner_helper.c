/* runner_helper.c: a program that misbehaves on request, for the runner's tests.
 *
 * Usage: runner_helper MODE [ARG]; MODE is one of the names in the modes table below.
 * Everything is written with write(2), unbuffered, so the order on the pipe is the
 * order of the calls. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/resource.h>

static void say(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len > 0) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			exit(3);
		s += n;
		len -= (size_t)n;
	}
}

static void say_pid(const char *label, pid_t pid)
{
	char line[64];

	snprintf(line, sizeof(line), "%s %d\n", label, (int)pid);
	say(1, line);
}

/* A crash should not spend time writing a core file. */
static void no_core(void)
{
	struct rlimit none = {0, 0};

	setrlimit(RLIMIT_CORE, &none);
}

static void sleep_forever(void)
{
	for (;;)
		pause();
}

static int mode_exit(const char *arg)
{
	return arg ? atoi(arg) : 0;
}

static int mode_segv(const char *arg)
{
	(void)arg;
	no_core();
	raise(SIGSEGV); /* a real fault would be UB the compiler may remove */
	return 1;
}

static int mode_abort(const char *arg)
{
	(void)arg;
	no_core();
	abort();
}

static int mode_sleep(const char *arg)
{
	double s = arg ? atof(arg) : 1;
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

static int mode_hang_with_child(const char *arg)
{
	(void)arg;
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0)
		sleep_forever();
	say_pid("grandchild", pid);
	sleep_forever();
	return 0;
}

static int mode_orphan_holds_pipe(const char *arg)
{
	(void)arg;
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		sleep(30); /* stdout, the runner's pipe, stays open all along */
		_exit(0);
	}
	say_pid("orphan", pid);
	return 0;
}

static int mode_flood(const char *arg)
{
	static char block[1 << 16];
	long long left = arg ? atoll(arg) : 0;

	memset(block, 'x', sizeof(block));
	while (left > 0) {
		size_t n = left < (long long)sizeof(block) ? (size_t)left : sizeof(block);
		ssize_t done = write(1, block, n);
		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return 3;
		left -= done;
	}
	return 0;
}

static int mode_result(const char *arg)
{
	const char *fd_text = getenv("RACELAB_RESULT_FD");

	if (!fd_text) {
		say(2, "RACELAB_RESULT_FD not set\n");
		return 4;
	}
	say(1, "on stdout\n");
	say(atoi(fd_text), arg ? arg : "");
	return 0;
}

static int mode_echo_env(const char *arg)
{
	const char *value = arg ? getenv(arg) : NULL;

	say(1, value ? value : "(unset)");
	say(1, "\n");
	return 0;
}

static int mode_stderr_and_stdout(const char *arg)
{
	(void)arg;
	say(1, "out1\n");
	say(2, "err1\n");
	say(1, "out2\n");
	say(2, "err2\n");
	return 0;
}

static int mode_ignore_term(const char *arg)
{
	(void)arg;
	signal(SIGTERM, SIG_IGN);
	say(1, "ignoring SIGTERM\n");
	sleep_forever();
	return 0;
}

/* A child that escapes the runner's process group (as a daemon would) and keeps stdout
 * open for 30 s; this process exits 0 at once. A group leader cannot setsid() itself. */
static int mode_setsid_holds_pipe(const char *arg)
{
	(void)arg;
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		if (setsid() < 0)
			_exit(2);
		sleep(30);
		_exit(0);
	}
	say_pid("escapee", pid);
	return 0;
}

static int mode_print_personality(const char *arg)
{
	(void)arg;
	int persona = personality(0xffffffff);

	say(1, persona >= 0 && (persona & ADDR_NO_RANDOMIZE) ? "1\n" : "0\n");
	return 0;
}

/* Prints the fds open here, e.g. "0 1 2 3", leaving out the one reading the list. */
static int mode_fds(const char *arg)
{
	(void)arg;
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *ent;
	const char *sep = "";

	if (!dir)
		return 5;
	while ((ent = readdir(dir))) {
		if (ent->d_name[0] == '.' || atoi(ent->d_name) == dirfd(dir))
			continue;
		say(1, sep);
		say(1, ent->d_name);
		sep = " ";
	}
	closedir(dir);
	say(1, "\n");
	return 0;
}

struct mode {
	const char *name;
	int (*run)(const char *arg);
};

static const struct mode modes[] = {
    {"exit", mode_exit},
    {"segv", mode_segv},
    {"abort", mode_abort},
    {"sleep", mode_sleep},
    {"hang-with-child", mode_hang_with_child},
    {"orphan-holds-pipe", mode_orphan_holds_pipe},
    {"flood", mode_flood},
    {"result", mode_result},
    {"echo-env", mode_echo_env},
    {"stderr-and-stdout", mode_stderr_and_stdout},
    {"ignore-term", mode_ignore_term},
    {"setsid-holds-pipe", mode_setsid_holds_pipe},
    {"print-personality", mode_print_personality},
    {"fds", mode_fds},
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s MODE [ARG]\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(argv[1], modes[i].name))
			return modes[i].run(argc > 2 ? argv[2] : NULL);
	}
	fprintf(stderr, "runner_helper: unknown mode '%s'\n", argv[1]);
	return 2;
}
