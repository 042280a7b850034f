/* sched_explore.c: the exploration loop. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sched_dfs.h"
#include "sched_explore.h"
#include "sched_race.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void sched_explore_runtime_spec(const char *id, long steps, char *out, size_t cap)
{
	if (strncmp(id, "pct:", 4) == 0 && !strstr(id, ":k"))
		snprintf(out, cap, "%s:k%ld", id, steps > 0 ? steps : 1);
	else
		snprintf(out, cap, "%s", id);
}

long sched_explore_measure_steps(const char *program, const char *args, bool no_result,
                                 struct sched_outcome *scratch)
{
	if (sched_run_one(program, args, "fifo", 0, no_result, scratch) != 0 ||
	    scratch->kind == SCHED_ERROR)
		return -1;
	long k = (long)scratch->trace.n_decisions;
	return k > 0 ? k : 1;
}

/* Points only at synchronisation are sound for runs without a data race: a run with one
 * is a bug of its own (and its order of accesses may not have been tried). */
void sched_explore_check_race(struct sched_outcome *o)
{
	struct sched_race race;
	if (!sched_race_find(&o->trace, &race))
		return;
	o->kind = SCHED_RACE;
	o->race_first = race.first;
	o->race_second = race.second;
}

/* Runs one schedule; keeps it in out when it shows a bug or fails. Returns 1 when the
 * search should stop. */
static int one(const struct sched_explore_spec *spec, struct sched_explore_result *out,
               const char *id, struct sched_outcome *o)
{
	char runtime_spec[4300];
	sched_explore_runtime_spec(id, out->steps, runtime_spec, sizeof(runtime_spec));
	int rc = spec->server ? sched_server_run(spec->server, runtime_spec, o)
	                      : sched_run_one(spec->program, spec->args, runtime_spec, 0,
	                                      spec->no_result, o);
	out->schedules++;
	bool por = spec->strategy == EXPLORE_POR;
	if (rc == 0 && por && o->kind != SCHED_ERROR)
		sched_explore_check_race(o);
	out->covered += rc == 0 && o->kind == SCHED_COVERED;
	if (rc != 0 || o->kind == SCHED_ERROR) {
		out->error = true;
	} else if (sched_outcome_is_bug(o)) {
		out->found = true;
		if (spec->strategy == EXPLORE_EXHAUSTIVE || por) {
			char choices[sizeof(out->id)];
			sched_trace_choices_id(&o->trace, choices, sizeof(choices));
			snprintf(out->id, sizeof(out->id), "%s%s", por ? "sync:" : "", choices);
		} else {
			snprintf(out->id, sizeof(out->id), "%s", id);
		}
	} else {
		return 0;
	}
	out->outcome = *o;
	return 1;
}

/* A trylock that failed: its thread will try again, and every order of the synchronisation
 * includes the ones in which it fails for ever (two tellers backing off in turn). */
static bool retries(const struct sched_trace *t)
{
	for (size_t i = 0; i < t->n_events; i++)
		if (t->events[i].op == SCHED_OP_TRYLOCK && t->events[i].new_value == 0)
			return true;
	return false;
}

static int explore_exhaustive(const struct sched_explore_spec *spec,
                              struct sched_explore_result *out)
{
	struct sched_dfs dfs;
	bool por = spec->strategy == EXPLORE_POR;
	sched_dfs_init(&dfs, spec->preemptions, por);
	char id[4200];
	snprintf(id, sizeof(id), "%s", por ? "sync:fifo" : "fifo");
	while (out->schedules < spec->budget) {
		struct sched_outcome o;
		if (one(spec, out, id, &o))
			break;
		if (sched_dfs_record(&dfs, o.trace.decisions, o.trace.n_decisions)) {
			snprintf(
			    out->outcome.detail, sizeof(out->outcome.detail),
			    "a run did not follow its schedule: the program is not deterministic");
			out->outcome.kind = SCHED_ERROR;
			out->error = true;
			sched_outcome_free(&o);
			break;
		}
		if (por && retries(&o.trace))
			sched_dfs_cut(&dfs);
		sched_outcome_free(&o);
		if (!sched_dfs_next(&dfs)) {
			out->complete = !dfs.cut;
			out->cut = dfs.cut;
			break;
		}
		sched_dfs_prefix_id(&dfs, id, sizeof(id));
	}
	sched_dfs_free(&dfs);
	return out->error ? -1 : 0;
}

int sched_explore(const struct sched_explore_spec *given, struct sched_explore_result *out)
{
	memset(out, 0, sizeof(*out));
	struct sched_explore_spec with_server = *given, *spec = &with_server;
	struct sched_server server;
	if (sched_server_start(&server, given->program, given->args) == 0) {
		server.no_result = given->no_result;
		with_server.server = &server; /* else: one exec per schedule, slower */
	}
	double start = now_s();
	int rc = 0;
	if (spec->strategy == EXPLORE_EXHAUSTIVE || spec->strategy == EXPLORE_POR) {
		rc = explore_exhaustive(spec, out);
	} else {
		struct sched_outcome scratch;
		out->steps = sched_explore_measure_steps(spec->program, spec->args, spec->no_result,
		                                         &scratch);
		if (out->steps < 0) {
			out->error = true;
			out->outcome = scratch;
			out->seconds = now_s() - start;
			if (with_server.server)
				sched_server_stop(&server);
			return -1;
		}
		sched_outcome_free(&scratch);
		for (long n = 1; n <= spec->budget; n++) {
			char id[128];
			if (spec->strategy == EXPLORE_PCT)
				snprintf(id, sizeof(id), "pct:d%d:s%llu:n%ld", spec->depth,
				         spec->seed, n);
			else
				snprintf(id, sizeof(id), "random:s%llu:n%ld", spec->seed, n);
			struct sched_outcome o;
			if (one(spec, out, id, &o))
				break;
			sched_outcome_free(&o);
		}
		rc = out->error ? -1 : 0;
	}
	out->seconds = now_s() - start;
	if (with_server.server)
		sched_server_stop(&server);
	return rc;
}

void sched_explore_free(struct sched_explore_result *out)
{
	if (out->found || out->error)
		sched_outcome_free(&out->outcome);
}
