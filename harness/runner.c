/* runner.c: runs one program once in its own process group, bounded in time and output.
 *
 * How a run goes:
 *
 *   spawn    Usually posix_spawn (vfork semantics: about 1 ms a run cheaper than fork
 *            here); fork + exec only when address randomisation must be turned off, or
 *            the child must name its ptracer (prctl), which posix_spawn cannot do.
 *            The environment is built in the parent, so a forked child calls only
 *            async-signal-safe functions before exec.  The child leads a new
 *            process group, takes /dev/null as stdin, one pipe as both stdout and stderr
 *            (so they interleave as written) and, when asked, the result pipe at
 *            RUNNER_CHILD_RESULT_FD.  Everything else it holds is close-on-exec.
 *            Failure before or at exec (personality, ENOENT, EACCES, ...) comes back as an
 *            errno: from posix_spawn, or over a close-on-exec "error pipe" from a forked
 *            child (EOF on that pipe means exec worked).
 *
 *   pump     One ppoll() loop watches the output pipe, the result pipe and a pidfd of the
 *            child, so the child's exit is seen the moment it happens: there is no
 *            sleep-and-check interval anywhere.  Output beyond capture_limit is read and
 *            thrown away, so a flooding child neither blocks nor grows our memory.
 *
 *   reap     The child is reaped last, after kill(-pgid, SIGKILL): while it is an
 *            unreaped zombie its pid, and so its process group id, cannot be reused, so
 *            the final group kill can never hit an unrelated group.
 *
 *   wrap     With runner_set_wrap() (racelab run --wrap), a judged run starts as the wrap's
 *            words followed by its own argv: a box around the program.  The wrap reports a
 *            death by signal N as exit status 128 + N; that is read back as the signal.  The
 *            process is then a child subreaper, and after the run every process it left
 *            (a box's PID-namespace init whose parent was killed, a daemon that escaped) is
 *            killed and reaped: nothing of the run outlives runner_run().
 *
 * Not handled without a wrap: descendants that setsid() out of the group.  Catching them
 * needs PR_SET_CHILD_SUBREAPER, a PID namespace or a cgroup, and the first changes state
 * of the whole calling process, which is main's call to make (runner_set_wrap).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "busy_probe.h"
#include "runner.h"
#include "stall.h"

/* The fd number the child finds its result channel at. */
#define RUNNER_CHILD_RESULT_FD 3
/* How long descendants may keep the output pipe open after the child itself exited. */
#define RUNNER_GRACE_S 0.05
/* How often a child that may deadlock is sampled (stall_ms > 0). */
#define RUNNER_STALL_SAMPLE_S 0.02
/* One read's worth; a Linux pipe holds 64 KiB by default. */
#define RUNNER_READ_CHUNK 65536
/* How long the sweep after a wrapped run may take before it gives up (seconds). */
#define RUNNER_SWEEP_LIMIT_S 5.0

/* The wrap set by runner_set_wrap(): borrowed words, wrap_n of them. */
static char *const *wrap_words;
static size_t wrap_n;

/* A bounded byte sink: keeps the first limit bytes, counts the rest. */
struct capture {
	char *buf;      /* malloc'd, grows up to limit + 1; NULL until the first byte */
	size_t len;     /* bytes kept */
	size_t cap;     /* bytes allocated */
	size_t limit;   /* bytes we may keep */
	size_t dropped; /* bytes read past limit (or lost to a failed allocation) */
};

/* What the parent holds for one started child. */
struct child {
	pid_t pid;                /* also its process group id */
	int pidfd;                /* readable once the child has exited */
	int out_fd;               /* read end of stdout+stderr; -1 once at EOF */
	int res_fd;               /* read end of the result channel; -1 when none or at EOF */
	bool exited;              /* pidfd fired: the child is a zombie waiting for us */
	bool timed_out;           /* we killed the group at the deadline */
	double t_start;           /* monotonic, just before fork */
	double t_exit;            /* monotonic, when the exit was seen */
	bool stalled;             /* we killed the group because it was deadlocked */
	double t_named;           /* monotonic, when on_stall returned */
	struct stall_watch stall; /* used when the spec asks for stall_ms */
	double next_sample;       /* monotonic time of the next stall sample; 0: none */

	/* A busy machine is not a hang (busy.h). */
	struct busy_deadline busy; /* the deadline, moved on when the machine starves us */
	struct cpu_sample first;   /* the machine when the run started */
	struct cpu_sample last;    /* the machine when its exit was seen */
	bool starved;              /* killed at the cap, still starved */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Closes *fd if open and marks it closed; keeps errno, so clean-up paths can use it. */
static void close_fd(int *fd)
{
	int saved = errno;

	/* No retry on EINTR: on Linux the fd is gone whatever close() returned. */
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	errno = saved;
}

/* SIGKILLs the child's process group, and the child itself in case it moved to another
 * group (setpgid): until we reap it its pid cannot name anything else. */
static void kill_group(pid_t pgid)
{
	/* ESRCH: every member is already gone, which is what we want. */
	if (kill(-pgid, SIGKILL) < 0 && errno != ESRCH)
		perror("racelab: kill process group");
	if (kill(pgid, SIGKILL) < 0 && errno != ESRCH)
		perror("racelab: kill child");
}

static int reap(pid_t pid, int *status, struct rusage *usage)
{
	while (wait4(pid, status, 0, usage) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* ---- environment, built before fork ---- */

static size_t env_name_len(const char *entry)
{
	const char *eq = strchr(entry, '=');

	return eq ? (size_t)(eq - entry) : strlen(entry);
}

/* Replaces the entry of the same name in env[0..*n) with entry, or appends it. */
static void env_put(char **env, size_t *n, char *entry)
{
	size_t name_len = env_name_len(entry);

	for (size_t i = 0; i < *n; i++) {
		if (env_name_len(env[i]) == name_len && !strncmp(env[i], entry, name_len)) {
			env[i] = entry;
			return;
		}
	}
	env[(*n)++] = entry;
}

static void env_remove(char **env, size_t *n, const char *name)
{
	size_t name_len = strlen(name);

	for (size_t i = 0; i < *n; i++) {
		if (env_name_len(env[i]) == name_len && !strncmp(env[i], name, name_len)) {
			env[i] = env[--*n];
			return;
		}
	}
}

/* Our environment plus spec->env_extra plus the result fd. The array is malloc'd; its
 * strings are borrowed from environ, the spec and static storage. NULL with errno. */
static char **env_build(const struct run_spec *spec, char *rw_entry)
{
	static char result_fd_entry[] = RL_RESULT_FD_ENV "=3";
	size_t n_env = 0, n_extra = 0, n = 0;

	_Static_assert(RUNNER_CHILD_RESULT_FD == 3, "result_fd_entry names fd 3");
	while (environ && environ[n_env])
		n_env++;
	while (spec->env_extra && spec->env_extra[n_extra]) {
		if (!strchr(spec->env_extra[n_extra], '=')) {
			errno = EINVAL;
			return NULL;
		}
		n_extra++;
	}
	char **env = calloc(n_env + n_extra + 3, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n_env; i++)
		env[n++] = environ[i];
	for (size_t i = 0; i < n_extra; i++)
		env_put(env, &n, spec->env_extra[i]);
	/* An inherited RACELAB_RESULT_FD would name an fd the child does not have. */
	if (spec->result_channel)
		env_put(env, &n, result_fd_entry);
	else
		env_remove(env, &n, RL_RESULT_FD_ENV);
	if (rw_entry)
		env_put(env, &n, rw_entry);
	else
		env_remove(env, &n, RUNNER_WRAP_RW_ENV);
	env[n] = NULL;
	return env;
}

/* ---- the child, between fork and exec: async-signal-safe calls only ---- */

static _Noreturn void child_fail(int err_fd, int err)
{
	ssize_t unused = write(err_fd, &err, sizeof(err));

	(void)unused;
	_exit(127);
}

static int child_no_aslr(void)
{
	int cur = personality(0xffffffff);

	if (cur < 0 || personality((unsigned long)cur | ADDR_NO_RANDOMIZE) < 0)
		return -1;
	/* Some sandboxes answer success and change nothing: check it took. */
	if (!(personality(0xffffffff) & ADDR_NO_RANDOMIZE)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* Marks every fd from first up close-on-exec (the error pipe must survive until exec). */
static void child_cloexec_from(int first)
{
	struct rlimit rl;

	if (close_range((unsigned)first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	/* Kernels before 5.11, or a seccomp filter that refuses close_range. */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > 1 << 20)
		rl.rlim_cur = 1 << 20;
	for (int fd = first; fd < (int)rl.rlim_cur; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Signal dispositions set to SIG_IGN and the signal mask survive exec: undo ours so the
 * lab program starts the way it would from a shell. */
static void child_reset_signals(void)
{
	struct sigaction dfl;
	sigset_t none;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL); /* EINVAL for SIGKILL, SIGSTOP, glibc's own: fine */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Moves fd to a number >= 4 so that the dup2()s into 0..3 cannot clobber it. */
static int child_lift(int fd, int err_fd)
{
	int lifted = fcntl(fd, F_DUPFD, RUNNER_CHILD_RESULT_FD + 1);

	if (lifted < 0)
		child_fail(err_fd, errno);
	return lifted;
}

static _Noreturn void child_exec(const struct run_spec *spec, char **env, int out_w, int res_w,
                                 int err_w)
{
	int err_fd = fcntl(err_w, F_DUPFD_CLOEXEC, RUNNER_CHILD_RESULT_FD + 1);

	if (err_fd < 0)
		_exit(127); /* cannot even report: the parent sees exit 127 after EOF */
	if (setpgid(0, 0) < 0)
		child_fail(err_fd, errno);
	if (spec->no_aslr && child_no_aslr() < 0)
		child_fail(err_fd, errno);
	/* Without Yama this fails (EINVAL) and nothing needs it: no error. */
	if (spec->ptracer > 0)
		prctl(PR_SET_PTRACER, (unsigned long)spec->ptracer, 0, 0, 0);
	/* stdin is /dev/null: a lab waiting on a terminal would only ever time out. */
	int null_fd = open("/dev/null", O_RDONLY);
	if (null_fd < 0)
		child_fail(err_fd, errno);
	null_fd = child_lift(null_fd, err_fd);
	out_w = child_lift(out_w, err_fd);
	if (res_w >= 0)
		res_w = child_lift(res_w, err_fd);
	if (dup2(null_fd, 0) < 0 || dup2(out_w, 1) < 0 || dup2(out_w, 2) < 0)
		child_fail(err_fd, errno);
	if (res_w >= 0 && dup2(res_w, RUNNER_CHILD_RESULT_FD) < 0)
		child_fail(err_fd, errno);
	child_cloexec_from(res_w >= 0 ? RUNNER_CHILD_RESULT_FD + 1 : RUNNER_CHILD_RESULT_FD);
	child_reset_signals();
	execve(spec->argv[0], spec->argv, env);
	child_fail(err_fd, errno);
}

/* ---- spawn ---- */

/* Waits for exec to succeed (EOF) or for the child's errno. Returns 0 or that errno. */
static int spawn_wait_exec(int err_r)
{
	int err = 0;
	size_t got = 0;

	while (got < sizeof(err)) {
		ssize_t n = read(err_r, (char *)&err + got, sizeof(err) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return got == sizeof(err) ? err : 0;
}

/* The common case, through posix_spawn: glibc starts the child with vfork semantics,
 * about 1 ms faster per run than fork() on these machines (measured 2.0 vs 3.0 ms for
 * /bin/true), which is most of the harness's overhead against a shell loop. Same child
 * set-up as child_exec() but personality, which posix_spawn cannot do. Returns 0 or an
 * errno (exec failures included: glibc reports them). */
static int spawn_posix(const struct run_spec *spec, char **env, int out_w, int res_w, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all, none;
	int err;

	sigfillset(&all);
	sigemptyset(&none);
	if ((err = posix_spawn_file_actions_init(&fa)) != 0)
		return err;
	if ((err = posix_spawnattr_init(&attr)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return err;
	}
	err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
	                                          POSIX_SPAWN_SETSIGMASK);
	err = err ? err : posix_spawnattr_setpgroup(&attr, 0);
	err = err ? err : posix_spawnattr_setsigdefault(&attr, &all);
	err = err ? err : posix_spawnattr_setsigmask(&attr, &none);
	err = err ? err : posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	err = err ? err : posix_spawn_file_actions_adddup2(&fa, out_w, 1);
	err = err ? err : posix_spawn_file_actions_adddup2(&fa, out_w, 2);
	if (!err && res_w >= 0)
		err = posix_spawn_file_actions_adddup2(&fa, res_w, RUNNER_CHILD_RESULT_FD);
	if (!err)
		err = posix_spawn_file_actions_addclosefrom_np(
		    &fa, res_w >= 0 ? RUNNER_CHILD_RESULT_FD + 1 : RUNNER_CHILD_RESULT_FD);
	if (!err)
		err = posix_spawn(pid, spec->argv[0], &fa, &attr, spec->argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return err;
}

/* Forks and execs; on success c->pid, c->out_fd and c->res_fd are set. Returns 0, or -1
 * with errno (the child, if any, is reaped). */
static int spawn(const struct run_spec *spec, char **env, struct child *c)
{
	int out_p[2], res_p[2] = {-1, -1}, err_p[2];
	int err;

	if (pipe2(out_p, O_CLOEXEC) < 0)
		return -1;
	if (spec->result_channel && pipe2(res_p, O_CLOEXEC) < 0)
		goto out_close_out;
	c->t_start = now_s();
	if (!spec->no_aslr && spec->ptracer <= 0) {
		err = spawn_posix(spec, env, out_p[1], res_p[1], &c->pid);
		close_fd(&out_p[1]);
		close_fd(&res_p[1]);
		if (err) {
			errno = err;
			goto out_close_res;
		}
		c->out_fd = out_p[0];
		c->res_fd = res_p[0];
		return 0;
	}
	if (pipe2(err_p, O_CLOEXEC) < 0)
		goto out_close_res;
	c->pid = fork();
	if (c->pid < 0)
		goto out_close_err;
	if (c->pid == 0)
		child_exec(spec, env, out_p[1], res_p[1], err_p[1]);
	close_fd(&err_p[1]);
	close_fd(&out_p[1]);
	close_fd(&res_p[1]);
	/* The child called setpgid() before exec, so once this returns its group exists. */
	err = spawn_wait_exec(err_p[0]);
	if (err) {
		/* Normally it is already exiting; the kill matters only if our read failed. */
		kill_group(c->pid);
		reap(c->pid, NULL, NULL);
		errno = err;
		goto out_close_err;
	}
	c->out_fd = out_p[0];
	c->res_fd = res_p[0];
	close_fd(&err_p[0]);
	return 0;

out_close_err:
	close_fd(&err_p[0]);
	close_fd(&err_p[1]);
out_close_res:
	close_fd(&res_p[0]);
	close_fd(&res_p[1]);
out_close_out:
	close_fd(&out_p[0]);
	close_fd(&out_p[1]);
	return -1;
}

/* ---- pump ---- */

static void capture_add(struct capture *cap, const char *data, size_t n)
{
	size_t keep = cap->limit - cap->len;

	if (keep > n)
		keep = n;
	if (keep && cap->len + keep + 1 > cap->cap) {
		size_t want = cap->cap ? cap->cap : 4096;
		while (want < cap->len + keep + 1)
			want *= 2;
		if (want > cap->limit + 1)
			want = cap->limit + 1;
		char *bigger = realloc(cap->buf, want);
		if (!bigger) {
			/* Out of memory: count it as dropped rather than abort the run. */
			keep = 0;
		} else {
			cap->buf = bigger;
			cap->cap = want;
		}
	}
	if (keep)
		memcpy(cap->buf + cap->len, data, keep);
	cap->len += keep;
	cap->dropped += n - keep;
}

/* Hands the captured bytes over as a NUL-terminated string. Returns NULL without memory. */
static char *capture_finish(struct capture *cap, size_t *len)
{
	char *s = cap->buf ? cap->buf : malloc(1);

	if (s)
		s[cap->len] = '\0';
	*len = s ? cap->len : 0;
	cap->buf = NULL;
	return s;
}

/* Reads once from *fd into cap; closes it at EOF or on error. */
static void pump_read(int *fd, struct capture *cap)
{
	char chunk[RUNNER_READ_CHUNK];
	ssize_t n;

	do
		n = read(*fd, chunk, sizeof(chunk));
	while (n < 0 && errno == EINTR);
	if (n > 0)
		capture_add(cap, chunk, (size_t)n);
	else if (n == 0 || errno != EAGAIN)
		close_fd(fd);
}

/* The next moment the loop must act at without any fd being ready; 0 = none. */
static double pump_deadline(const struct child *c, double timeout_s)
{
	if (c->exited)
		return c->t_exit + RUNNER_GRACE_S;
	if (c->timed_out)
		return 0;
	double deadline = timeout_s > 0 ? c->busy.deadline : 0;
	if (c->next_sample > 0 && (deadline == 0 || c->next_sample < deadline))
		deadline = c->next_sample;
	return deadline;
}

/* A stall sample is due: is the child deadlocked? Then show it to on_stall and kill it. */
static bool pump_sample_stall(struct child *c, const struct run_spec *spec, double now)
{
	c->next_sample = now + RUNNER_STALL_SAMPLE_S;
	if (!stall_watch_sample(&c->stall, now))
		return false;
	if (spec->on_stall)
		spec->on_stall(c->pid, &c->stall.snap, spec->stall_ctx);
	c->t_named = now_s();
	c->stalled = true;
	return true;
}

static int sample_machine(const struct run_spec *spec, pid_t pid, struct cpu_sample *out)
{
	return (spec->busy_sample ? spec->busy_sample : busy_probe_sample)(pid, out);
}

/* The deadline passed: a hang, or a run the busy machine starves (busy.h)? True: kill. */
static bool pump_deadline_passed(struct child *c, const struct run_spec *spec)
{
	struct cpu_sample now = {0};
	if (!spec->busy_extend || sample_machine(spec, c->pid, &now) < 0)
		return true;
	switch (busy_deadline_reached(&c->busy, &now)) {
	case BUSY_EXTEND:
		return false;
	case BUSY_GIVE_UP:
		c->starved = true;
		return true;
	case BUSY_KILL:
		break;
	}
	return true;
}

/* Acts on a passed deadline. Returns true when the loop should stop reading. */
static bool pump_on_deadline(struct child *c, const struct run_spec *spec)
{
	double now = now_s();
	bool timeout = spec->timeout_s > 0 && now >= c->busy.deadline &&
	               (c->exited || pump_deadline_passed(c, spec));
	if (!c->exited && !timeout) {
		bool due = c->next_sample > 0 && now >= c->next_sample;
		if (!due || !pump_sample_stall(c, spec, now))
			return false; /* woke early, or sampled and still making progress */
	}
	kill_group(c->pid);
	if (c->exited)
		return true; /* grace over: something of the group still held the pipes */
	c->timed_out = true;
	return false; /* keep going until the pidfd reports the death */
}

static int pump_poll(double deadline, struct pollfd *pfd, nfds_t n)
{
	struct timespec ts, *tsp = NULL;

	if (deadline > 0) {
		double left = deadline - now_s();
		if (left < 0)
			left = 0;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		tsp = &ts;
	}
	return ppoll(pfd, n, tsp, NULL);
}

/* Runs until the child has exited and the pipes are at EOF (or the grace is over). */
static int pump(struct child *c, const struct run_spec *spec, struct capture *out,
                struct capture *res)
{
	for (;;) {
		struct pollfd pfd[3];
		nfds_t n = 0;
		int i_out = -1, i_res = -1, i_pid = -1;

		if (c->out_fd >= 0)
			pfd[i_out = (int)n++] = (struct pollfd){.fd = c->out_fd, .events = POLLIN};
		if (c->res_fd >= 0)
			pfd[i_res = (int)n++] = (struct pollfd){.fd = c->res_fd, .events = POLLIN};
		if (!c->exited)
			pfd[i_pid = (int)n++] = (struct pollfd){.fd = c->pidfd, .events = POLLIN};
		if (n == 0)
			return 0;
		double deadline = pump_deadline(c, spec->timeout_s);
		int ready = pump_poll(deadline, pfd, n);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			return -1;
		if (ready == 0 || (deadline > 0 && now_s() >= deadline)) {
			if (pump_on_deadline(c, spec))
				return 0;
			continue;
		}
		if (i_pid >= 0 && pfd[i_pid].revents) {
			c->exited = true;
			c->t_exit = now_s();
			sample_machine(spec, 0, &c->last);
		}
		if (i_out >= 0 && pfd[i_out].revents)
			pump_read(&c->out_fd, out);
		if (i_res >= 0 && pfd[i_res].revents)
			pump_read(&c->res_fd, res);
	}
}

/* ---- reap and report ---- */

/* What the run cost and what the machine did meanwhile. */
static void fill_usage(struct run_result *out, const struct child *c, const struct rusage *ru)
{
	out->cpu_s = (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
	             (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
	out->extended_s = c->busy.extended_s;
	out->starved = c->starved;
	if (c->first.ncpus > 0 && c->last.ncpus > 0) {
		out->ncpus = c->last.ncpus;
		out->others_cpu_s = c->last.machine_s - c->first.machine_s - out->cpu_s;
	}
}

static void fill_status(struct run_result *out, const struct child *c, int status, bool wrapped)
{
	out->timed_out = c->timed_out;
	out->stalled = c->stalled;
	if (c->stalled) {
		out->stall = c->stall.snap;
		out->stall_seen_s = c->stall.since - c->t_start;
		out->stall_named_s = c->t_named - c->t_start;
	}
	out->wall_s = (c->exited ? c->t_exit : now_s()) - c->t_start;
	if (WIFEXITED(status)) {
		out->exited = true;
		out->exit_status = WEXITSTATUS(status);
		/* Through a wrap, 128 + N is the program's death by signal N. */
		if (wrapped && out->exit_status > 128 && out->exit_status - 128 < NSIG) {
			out->exited = false;
			out->signaled = true;
			out->term_signal = out->exit_status - 128;
			out->exit_status = 0;
		}
	} else if (WIFSIGNALED(status)) {
		out->term_signal = WTERMSIG(status);
		/* Our own timeout SIGKILL is reported as timed_out, not as a crash. */
		out->signaled = !(c->timed_out && out->term_signal == SIGKILL);
	}
}

static int collect(struct run_result *out, struct capture *cap_out, struct capture *cap_res,
                   bool want_result)
{
	out->output = capture_finish(cap_out, &out->output_len);
	out->output_dropped = cap_out->dropped;
	if (want_result) {
		out->result = capture_finish(cap_res, &out->result_len);
		out->result_dropped = cap_res->dropped;
	}
	if (!out->output || (want_result && !out->result)) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Watches the started child until it is done; returns 0 or an errno. */
static int watch(struct child *c, const struct run_spec *spec, struct capture *cap_out,
                 struct capture *cap_res)
{
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (c->pidfd < 0)
		return errno;
	if (sample_machine(spec, 0, &c->first) < 0)
		c->first.ncpus = 0;
	c->first.t = c->t_start;
	busy_deadline_init(&c->busy, &c->first, spec->timeout_s);
	if (spec->stall_ms > 0) {
		stall_watch_init(&c->stall, c->pid, spec->stall_ms, spec->tsan_runtime);
		c->next_sample = now_s() + RUNNER_STALL_SAMPLE_S;
	}
	if (pump(c, spec, cap_out, cap_res) < 0)
		return errno;
	return 0;
}

/* ---- wrap ---- */

int runner_set_wrap(char *const *wrap)
{
	size_t n = 0;

	while (wrap && wrap[n])
		n++;
	if (n && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return -1;
	wrap_words = wrap;
	wrap_n = n;
	return 0;
}

/* WRAP... ARGV...: malloc'd, borrowing every word. NULL with errno. */
static char **wrap_argv(char *const *argv)
{
	size_t n = 0;

	while (argv[n])
		n++;
	char **full = calloc(wrap_n + n + 1, sizeof(*full));
	if (!full)
		return NULL;
	memcpy(full, wrap_words, wrap_n * sizeof(*full));
	memcpy(full + wrap_n, argv, n * sizeof(*full));
	return full;
}

/* SIGKILLs every child this process still has (orphans of a wrapped run, reparented to
 * us as their subreaper). Returns how many it found. */
static int kill_children(void)
{
	DIR *tasks = opendir("/proc/self/task");
	struct dirent *t;
	int found = 0;

	while (tasks && (t = readdir(tasks))) {
		char path[300];
		if (t->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/children", t->d_name);
		FILE *f = fopen(path, "re");
		int pid;
		while (f && fscanf(f, "%d", &pid) == 1) {
			kill(pid, SIGKILL);
			found++;
		}
		if (f)
			fclose(f);
	}
	if (tasks)
		closedir(tasks);
	return found;
}

/* After a wrapped run: kill and reap every process it left, until we have no child. A
 * box's PID-namespace init is reapable only once the kernel has killed everything in its
 * namespace, so an empty child list means the whole box is gone. */
static void sweep_orphans(void)
{
	double give_up = now_s() + RUNNER_SWEEP_LIMIT_S;

	for (;;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG | __WALL);
		if (pid > 0 || (pid < 0 && errno == EINTR))
			continue;
		if (pid < 0)
			return; /* ECHILD: nothing left */
		if (now_s() > give_up) {
			fprintf(stderr, "racelab: a wrapped run left processes that do not die\n");
			return;
		}
		kill_children();
		nanosleep(&(struct timespec){0, 2000000}, NULL);
	}
}

/* "RACELAB_WRAP_RW=dir" for a wrapped run that needs a writable directory, malloc'd;
 * NULL when none is needed (or without memory: the run then simply lacks it). */
static char *wrap_rw_entry(const struct run_spec *spec, bool wrapped)
{
	if (!wrapped || !spec->box_rw_dir)
		return NULL;
	size_t n = strlen(RUNNER_WRAP_RW_ENV) + strlen(spec->box_rw_dir) + 2;
	char *entry = malloc(n);
	if (entry)
		snprintf(entry, n, "%s=%s", RUNNER_WRAP_RW_ENV, spec->box_rw_dir);
	return entry;
}

int runner_run(const struct run_spec *spec, struct run_result *out)
{
	struct child c = {.pid = -1, .pidfd = -1, .out_fd = -1, .res_fd = -1};
	/* Clamped so that limit + 1 and the doubling in capture_add() cannot overflow. */
	size_t limit = spec->capture_limit < SIZE_MAX / 4 ? spec->capture_limit : SIZE_MAX / 4;
	struct capture cap_out = {.limit = limit}, cap_res = {.limit = limit};
	int status = 0, err, rc = -1;
	struct rusage usage = {0};

	bool wrapped = spec->judged && wrap_n > 0;
	struct run_spec run = *spec;
	char **full = NULL, *rw_entry = NULL;

	memset(out, 0, sizeof(*out));
	errno = EINVAL;
	if (spec->argv && spec->argv[0]) {
		rw_entry = wrap_rw_entry(spec, wrapped);
		full = wrapped ? wrap_argv(spec->argv) : NULL;
		run.argv = wrapped ? full : spec->argv;
		/* Through a wrap our child is the box, not the program: no stall sampling. */
		if (wrapped) {
			run.stall_ms = 0;
			run.ptracer = 0;
		}
		char **env = run.argv ? env_build(spec, rw_entry) : NULL;
		rc = env ? spawn(&run, env, &c) : -1;
		err = errno;
		free(env);
		free(full);
		free(rw_entry);
		errno = err;
	}
	if (rc < 0) {
		out->spawn_errno = errno;
		return -1;
	}
	out->started = true;
	err = watch(&c, &run, &cap_out, &cap_res);
	/* Whatever happened, nothing the run started may outlive it in its group. */
	kill_group(c.pid);
	if (reap(c.pid, &status, &usage) < 0 && !err)
		err = errno;
	if (wrapped)
		sweep_orphans();
	fill_status(out, &c, status, wrapped);
	fill_usage(out, &c, &usage);
	if (collect(out, &cap_out, &cap_res, spec->result_channel) < 0 && !err)
		err = errno;
	close_fd(&c.pidfd);
	close_fd(&c.out_fd);
	close_fd(&c.res_fd);
	free(cap_out.buf);
	free(cap_res.buf);
	errno = err;
	return err ? -1 : 0;
}

void run_result_free(struct run_result *result)
{
	if (!result)
		return;
	free(result->output);
	free(result->result);
	memset(result, 0, sizeof(*result));
}

/* ---- signal names ---- */

struct signal_name {
	int sig;
	const char *text;
};

static const struct signal_name signal_names[] = {
    {SIGSEGV, "SIGSEGV (segmentation fault)"},
    {SIGABRT, "SIGABRT (aborted)"},
    {SIGKILL, "SIGKILL (killed)"},
    {SIGFPE, "SIGFPE (arithmetic error)"},
    {SIGBUS, "SIGBUS (bus error)"},
    {SIGILL, "SIGILL (illegal instruction)"},
    {SIGTERM, "SIGTERM (terminated)"},
    {SIGINT, "SIGINT (interrupted)"},
    {SIGHUP, "SIGHUP (hangup)"},
    {SIGPIPE, "SIGPIPE (broken pipe)"},
    {SIGALRM, "SIGALRM (alarm clock)"},
    {SIGQUIT, "SIGQUIT (quit)"},
    {SIGTRAP, "SIGTRAP (trace/breakpoint trap)"},
    {SIGSYS, "SIGSYS (bad system call)"},
    {SIGXCPU, "SIGXCPU (CPU time limit exceeded)"},
    {SIGXFSZ, "SIGXFSZ (file size limit exceeded)"},
    {SIGUSR1, "SIGUSR1 (user signal 1)"},
    {SIGUSR2, "SIGUSR2 (user signal 2)"},
};

const char *runner_signal_name(int sig)
{
	/* Static storage, as the contract says: the fallback is not reentrant. */
	static char fallback[64];
	const char *desc;

	for (size_t i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++) {
		if (signal_names[i].sig == sig)
			return signal_names[i].text;
	}
	desc = sig > 0 && sig < NSIG ? strsignal(sig) : NULL;
	if (desc)
		snprintf(fallback, sizeof(fallback), "signal %d (%s)", sig, desc);
	else
		snprintf(fallback, sizeof(fallback), "signal %d", sig);
	return fallback;
}
