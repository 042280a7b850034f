/* sched_run.c: one schedule of a -sched program, through the runner. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <poll.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "sched_run.h"

#define MAX_ARGS 32

const char *sched_outcome_name(enum sched_outcome_kind kind)
{
	static const char *const names[] = {
	    [SCHED_OK] = "correct",           [SCHED_WRONG] = "wrong result",
	    [SCHED_DEADLOCK] = "deadlock",    [SCHED_CRASH] = "crash",
	    [SCHED_STEPLIMIT] = "step limit", [SCHED_STOPPED] = "stopped",
	    [SCHED_ERROR] = "error",          [SCHED_COVERED] = "covered",
	    [SCHED_RACE] = "data race",
	};
	return names[kind];
}

bool sched_outcome_is_bug(const struct sched_outcome *out)
{
	return out->kind == SCHED_WRONG || out->kind == SCHED_DEADLOCK ||
	       out->kind == SCHED_CRASH || out->kind == SCHED_STEPLIMIT || out->kind == SCHED_RACE;
}

/* How the process ended, as the runner would say it. */
struct ending {
	bool signaled, timed_out;
	int status, signal;
};

static void classify(const struct ending *r, bool no_result, struct sched_outcome *out)
{
	if (r->signaled) {
		out->kind = SCHED_CRASH;
		out->signal = r->signal;
	} else if (r->timed_out) {
		out->kind = SCHED_ERROR;
		snprintf(out->detail, sizeof(out->detail), "the schedule took too long");
	} else if (r->status == SCHED_EXIT_DEADLOCK) {
		out->kind = SCHED_DEADLOCK;
	} else if (r->status == SCHED_EXIT_STEPLIMIT) {
		out->kind = SCHED_STEPLIMIT;
	} else if (r->status == SCHED_EXIT_STOPPED) {
		out->kind = SCHED_STOPPED;
	} else if (r->status == SCHED_EXIT_COVERED) {
		out->kind = SCHED_COVERED;
	} else if (r->status == SCHED_EXIT_BADSPEC) {
		out->kind = SCHED_ERROR;
		snprintf(out->detail, sizeof(out->detail),
		         "the schedule id does not fit this program");
	} else if (no_result) {
		out->kind = SCHED_OK; /* its exit status and any record are not judged */
		out->have_result = false;
	} else if (r->status != 0 || !out->have_result) {
		out->kind = SCHED_ERROR;
		snprintf(out->detail, sizeof(out->detail), "exit status %d, %s", r->status,
		         out->have_result ? "a result" : "no result");
	} else {
		out->kind = out->result.symptom ? SCHED_WRONG : SCHED_OK;
	}
}

/* A schedule is a few milliseconds of work: the full runner (stall sampling, busy
 * accounting, pipes) would cost more than the run. Here: posix_spawn, the result channel
 * and the output into files, one waitpid, a hard limit of TIMEOUT_S. */
#define TIMEOUT_S 20

static int spawn_and_wait(char **argv, char **env_extra, int result_fd, int output_fd,
                          struct ending *end)
{
	extern char **environ;
	size_t n_env = 0, n_extra = 0;
	while (environ[n_env])
		n_env++;
	while (env_extra[n_extra])
		n_extra++;
	char **env = calloc(n_env + n_extra + 2, sizeof(char *));
	if (!env)
		return -1;
	char fd_var[64];
	snprintf(fd_var, sizeof(fd_var), "%s=3", RL_RESULT_FD_ENV);
	size_t k = 0;
	for (size_t i = 0; i < n_env; i++)
		if (strncmp(environ[i], "RACELAB_", 8) != 0)
			env[k++] = environ[i];
	for (size_t i = 0; i < n_extra; i++)
		env[k++] = env_extra[i];
	env[k++] = fd_var;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, output_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, output_fd, 2);
	posix_spawn_file_actions_adddup2(&fa, result_fd, 3);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	if (rc) {
		errno = rc;
		return -1;
	}
	int status;
	for (long waited_us = 0;; waited_us += 200) {
		pid_t got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return -1;
		if (waited_us > TIMEOUT_S * 1000000L) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			end->timed_out = true;
			return 0;
		}
		usleep(waited_us < 5000 ? 50 : 200);
	}
	end->signaled = WIFSIGNALED(status);
	end->signal = end->signaled ? WTERMSIG(status) : 0;
	end->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return 0;
}

static int temp_file(char *path)
{
	int fd = mkstemp(path);
	if (fd >= 0)
		unlink(path); /* gone when closed; we read it through fd */
	return fd;
}

static char *read_back(int fd, size_t max, size_t *len)
{
	char *buf = malloc(max + 1);
	*len = 0;
	if (!buf)
		return NULL;
	lseek(fd, 0, SEEK_SET);
	ssize_t n;
	while (*len < max && (n = read(fd, buf + *len, max - *len)) > 0)
		*len += (size_t)n;
	buf[*len] = '\0';
	return buf;
}

int sched_run_one(const char *program, const char *args, const char *spec, long max_steps,
                  bool no_result, struct sched_outcome *out)
{
	memset(out, 0, sizeof(*out));
	char words[512], *argv[MAX_ARGS + 2], *save;
	int argc = 0;
	snprintf(words, sizeof(words), "%s", args ? args : "");
	argv[argc++] = (char *)program;
	for (char *w = strtok_r(words, " \t", &save); w && argc < MAX_ARGS;
	     w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc] = NULL;

	char trace_path[] = "/tmp/racelab-sched-XXXXXX";
	char result_path[] = "/tmp/racelab-result-XXXXXX";
	char output_path[] = "/tmp/racelab-output-XXXXXX";
	int trace_fd = mkstemp(trace_path);
	int result_fd = temp_file(result_path), output_fd = temp_file(output_path);
	char env_spec[4200], env_trace[128], env_steps[64];
	snprintf(env_spec, sizeof(env_spec), "%s=%s", SCHED_ENV_SPEC, spec);
	snprintf(env_trace, sizeof(env_trace), "%s=%s", SCHED_ENV_TRACE, trace_path);
	snprintf(env_steps, sizeof(env_steps), "%s=%ld", SCHED_ENV_MAX_STEPS, max_steps);
	char *env[] = {env_spec, env_trace, max_steps > 0 ? env_steps : NULL, NULL};
	struct ending end = {0};
	int rc = -1;
	if (trace_fd < 0 || result_fd < 0 || output_fd < 0 ||
	    spawn_and_wait(argv, env, result_fd, output_fd, &end) != 0) {
		snprintf(out->detail, sizeof(out->detail), "%s: %s", program, strerror(errno));
		out->kind = SCHED_ERROR;
		goto out_close;
	}
	size_t len;
	char *text = read_back(result_fd, 64 * 1024, &len);
	if (text && result_channel_parse(text, len, &out->result) == 0)
		out->have_result = true;
	free(text);
	classify(&end, no_result, out);
	text = read_back(output_fd, sizeof(out->output) - 1, &len);
	snprintf(out->output, sizeof(out->output), "%s", text ? text : "");
	free(text);
	text = read_back(trace_fd, 256u << 20, &len);
	if (text)
		sched_trace_parse(text, len, &out->trace);
	free(text);
	rc = 0;
out_close:
	if (trace_fd >= 0) {
		close(trace_fd);
		unlink(trace_path);
	}
	if (result_fd >= 0)
		close(result_fd);
	if (output_fd >= 0)
		close(output_fd);
	return rc;
}

static int split_args(const char *program, const char *args, char *words, size_t cap, char **argv)
{
	int argc = 0;
	char *save;
	snprintf(words, cap, "%s", args ? args : "");
	argv[argc++] = (char *)program;
	for (char *w = strtok_r(words, " \t", &save); w && argc < MAX_ARGS;
	     w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

int sched_server_start(struct sched_server *s, const char *program, const char *args)
{
	extern char **environ;
	memset(s, 0, sizeof(*s));
	char words[512], *argv[MAX_ARGS + 2];
	split_args(program, args, words, sizeof(words), argv);
	int req[2], rep[2];
	if (pipe2(req, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(rep, O_CLOEXEC) != 0) {
		close(req[0]);
		close(req[1]);
		return -1;
	}
	size_t n_env = 0;
	while (environ[n_env])
		n_env++;
	char **env = calloc(n_env + 3, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; env && i < n_env; i++)
		if (strncmp(environ[i], "RACELAB_", 8) != 0)
			env[k++] = environ[i];
	char server_var[64], fd_var[64];
	snprintf(server_var, sizeof(server_var), "%s=1", SCHED_ENV_SERVER);
	snprintf(fd_var, sizeof(fd_var), "%s=%d", RL_RESULT_FD_ENV, SCHED_RESULT_FD);
	if (env) {
		env[k++] = server_var;
		env[k++] = fd_var;
	}
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, req[0], SCHED_SERVER_IN_FD);
	posix_spawn_file_actions_adddup2(&fa, rep[1], SCHED_SERVER_OUT_FD);
	pid_t pid;
	int rc = env ? posix_spawn(&pid, program, &fa, &attr, argv, env) : ENOMEM;
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(env);
	close(req[0]);
	close(rep[1]);
	if (rc) {
		close(req[1]);
		close(rep[0]);
		errno = rc;
		return -1;
	}
	s->pid = pid;
	s->to = req[1];
	s->from = rep[0];
	return 0;
}

void sched_server_stop(struct sched_server *s)
{
	if (s->pid <= 0)
		return;
	close(s->to);
	close(s->from);
	kill(-s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
}

/* Reads the server's one-line reply into *end within TIMEOUT_S. */
static int read_reply(struct sched_server *s, struct ending *end)
{
	char line[64];
	size_t n = 0;
	while (n + 1 < sizeof(line)) {
		struct pollfd p = {.fd = s->from, .events = POLLIN};
		int ready = poll(&p, 1, TIMEOUT_S * 1000);
		if (ready == 0) {
			end->timed_out = true;
			sched_server_stop(s);
			return 0;
		}
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0 || read(s->from, line + n, 1) != 1)
			return -1;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	int v;
	if (sscanf(line, "exit %d", &v) == 1)
		end->status = v;
	else if (sscanf(line, "signal %d", &v) == 1)
		end->signaled = true, end->signal = v;
	else
		return -1;
	return 0;
}

int sched_server_run(struct sched_server *s, const char *spec, struct sched_outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = SCHED_ERROR;
	if (s->pid <= 0) {
		snprintf(out->detail, sizeof(out->detail), "the schedule server is gone");
		return -1;
	}
	char trace_path[] = "/tmp/racelab-sched-XXXXXX";
	char result_path[] = "/tmp/racelab-result-XXXXXX";
	int trace_fd = mkstemp(trace_path), result_fd = mkstemp(result_path), rc = -1;
	struct ending end = {0};
	char *request = malloc(strlen(spec) + 2 * sizeof(trace_path) + 8);
	if (trace_fd < 0 || result_fd < 0 || !request)
		goto out;
	int len = sprintf(request, "%s\t%s\t%s\n", spec, trace_path, result_path);
	if (write(s->to, request, (size_t)len) != len || read_reply(s, &end) != 0) {
		snprintf(out->detail, sizeof(out->detail), "the schedule server stopped answering");
		goto out;
	}
	size_t n;
	char *text = read_back(result_fd, 64 * 1024, &n);
	if (text && result_channel_parse(text, n, &out->result) == 0)
		out->have_result = true;
	free(text);
	classify(&end, s->no_result, out);
	text = read_back(trace_fd, 256u << 20, &n);
	if (text)
		sched_trace_parse(text, n, &out->trace);
	free(text);
	rc = 0;
out:
	free(request);
	if (trace_fd >= 0)
		close(trace_fd), unlink(trace_path);
	if (result_fd >= 0)
		close(result_fd), unlink(result_path);
	return rc;
}

void sched_outcome_free(struct sched_outcome *out)
{
	sched_trace_free(&out->trace);
}
