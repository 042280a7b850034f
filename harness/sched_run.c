/* sched_run.c: one schedule of a -sched program, through the runner. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_util.h"
#include "runner.h"
#include "sched_run.h"

#define MAX_ARGS 32

const char *sched_outcome_name(enum sched_outcome_kind kind)
{
	static const char *const names[] = {
	    [SCHED_OK] = "correct",          [SCHED_WRONG] = "wrong result",
	    [SCHED_DEADLOCK] = "deadlock",   [SCHED_CRASH] = "crash",
	    [SCHED_STEPLIMIT] = "step limit", [SCHED_STOPPED] = "stopped",
	    [SCHED_ERROR] = "error",
	};
	return names[kind];
}

bool sched_outcome_is_bug(const struct sched_outcome *out)
{
	return out->kind == SCHED_WRONG || out->kind == SCHED_DEADLOCK ||
	       out->kind == SCHED_CRASH || out->kind == SCHED_STEPLIMIT;
}

static void classify(const struct run_result *r, struct sched_outcome *out)
{
	if (r->result && result_channel_parse(r->result, r->result_len, &out->result) == 0)
		out->have_result = true;
	if (r->signaled) {
		out->kind = SCHED_CRASH;
		out->signal = r->term_signal;
	} else if (r->timed_out) {
		out->kind = SCHED_ERROR;
		snprintf(out->detail, sizeof(out->detail), "the schedule took too long");
	} else if (r->exit_status == SCHED_EXIT_DEADLOCK) {
		out->kind = SCHED_DEADLOCK;
	} else if (r->exit_status == SCHED_EXIT_STEPLIMIT) {
		out->kind = SCHED_STEPLIMIT;
	} else if (r->exit_status == SCHED_EXIT_STOPPED) {
		out->kind = SCHED_STOPPED;
	} else if (r->exit_status == SCHED_EXIT_BADSPEC) {
		out->kind = SCHED_ERROR;
		snprintf(out->detail, sizeof(out->detail),
		         "the schedule id does not fit this program");
	} else if (r->exit_status != 0 || !out->have_result) {
		out->kind = SCHED_ERROR;
		snprintf(out->detail, sizeof(out->detail), "exit status %d, %s", r->exit_status,
		         out->have_result ? "a result" : "no result");
	} else {
		out->kind = out->result.symptom ? SCHED_WRONG : SCHED_OK;
	}
}

int sched_run_one(const char *program, const char *args, const char *spec, long max_steps,
                  struct sched_outcome *out)
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
	int fd = mkstemp(trace_path);
	if (fd < 0) {
		snprintf(out->detail, sizeof(out->detail), "mkstemp: %s", strerror(errno));
		out->kind = SCHED_ERROR;
		return -1;
	}
	close(fd);
	char env_spec[4200], env_trace[128], env_steps[64];
	snprintf(env_spec, sizeof(env_spec), "%s=%s", SCHED_ENV_SPEC, spec);
	snprintf(env_trace, sizeof(env_trace), "%s=%s", SCHED_ENV_TRACE, trace_path);
	snprintf(env_steps, sizeof(env_steps), "%s=%ld", SCHED_ENV_MAX_STEPS, max_steps);
	char *env[] = {env_spec, env_trace, max_steps > 0 ? env_steps : NULL, NULL};
	struct run_spec rs = {
	    .argv = argv,
	    .env_extra = env,
	    .timeout_s = 20,
	    .capture_limit = 64 * 1024,
	    .result_channel = true,
	    .quiet_stdin = true,
	};
	struct run_result r;
	int rc = runner_run(&rs, &r);
	if (rc != 0) {
		snprintf(out->detail, sizeof(out->detail), "%s: %s", program,
		         strerror(r.spawn_errno ? r.spawn_errno : errno));
		out->kind = SCHED_ERROR;
		unlink(trace_path);
		run_result_free(&r);
		return -1;
	}
	classify(&r, out);
	snprintf(out->output, sizeof(out->output), "%s", r.output ? r.output : "");
	run_result_free(&r);
	size_t len = 0;
	char *text = file_read_all(trace_path, 256u << 20, &len);
	if (text)
		sched_trace_parse(text, len, &out->trace);
	free(text);
	unlink(trace_path);
	return 0;
}

void sched_outcome_free(struct sched_outcome *out)
{
	sched_trace_free(&out->trace);
}
