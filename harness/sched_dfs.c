/* sched_dfs.c: the exhaustive search (see sched_dfs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_dfs.h"

void sched_dfs_init(struct sched_dfs *s, int bound, bool por)
{
	memset(s, 0, sizeof(*s));
	s->bound = bound;
	s->por = por;
}

void sched_dfs_free(struct sched_dfs *s)
{
	free(s->path);
	s->path = NULL;
}

bool sched_dfs_is_preemption(const struct sched_decision *d, int chosen)
{
	return (d->runnable >> d->current & 1) && !d->yielding && chosen != d->current;
}

int sched_dfs_record(struct sched_dfs *s, const struct sched_decision *d, size_t n)
{
	if (n < s->prefix)
		return -1;
	for (size_t i = 0; i < s->prefix; i++)
		if (d[i].chosen != s->path[i].d.chosen || d[i].runnable != s->path[i].d.runnable)
			return -1;
	if (n > s->cap) {
		struct sched_dfs_node *p = realloc(s->path, n * sizeof(*p));
		if (!p)
			return -1;
		s->path = p;
		s->cap = n;
	}
	for (size_t i = s->prefix; i < n; i++) {
		s->path[i].d = d[i];
		s->path[i].tried = 1ull << d[i].chosen;
	}
	s->n_path = n;
	s->schedules++;
	s->cut |= s->por && n > SCHED_DFS_MAX_DEPTH;
	return 0;
}

/* The threads the search may pick at point d: a yielding thread is not picked while
 * another can run (as the runtime does), nor one asleep there. */
static uint64_t candidates(const struct sched_decision *d)
{
	uint64_t others = d->runnable & ~(1ull << d->current);
	return (d->yielding && others ? others : d->runnable) & ~d->sleep;
}

void sched_dfs_cut(struct sched_dfs *s)
{
	s->cut = true;
}

bool sched_dfs_next(struct sched_dfs *s)
{
	if (s->cut)
		return false; /* it cannot be complete: stop now */
	int preemptions[s->n_path + 1];
	preemptions[0] = 0;
	for (size_t i = 0; i < s->n_path; i++)
		preemptions[i + 1] =
		    preemptions[i] + sched_dfs_is_preemption(&s->path[i].d, s->path[i].d.chosen);
	for (size_t i = s->n_path; i-- > 0;) {
		struct sched_dfs_node *node = &s->path[i];
		uint64_t untried = candidates(&node->d) & ~node->tried;

		for (; untried; untried &= untried - 1) {
			int t = __builtin_ctzll(untried);
			int cost = preemptions[i] + sched_dfs_is_preemption(&node->d, t);
			if (cost > s->bound && !s->por) {
				node->tried |= 1ull << t; /* never within the bound from here */
				continue;
			}
			/* Asleep in the new run: those asleep here, and those tried here. */
			s->sleep = node->d.sleep | node->tried;
			node->tried |= 1ull << t;
			node->d.chosen = t;
			s->n_path = i + 1;
			s->prefix = i + 1;
			return true;
		}
	}
	return false;
}

void sched_dfs_prefix_id(const struct sched_dfs *s, char *out, size_t cap)
{
	struct sched_trace t = {0};
	struct sched_decision d[s->prefix ? s->prefix : 1];
	for (size_t i = 0; i < s->prefix; i++)
		d[i] = s->path[i].d;
	t.decisions = d;
	t.n_decisions = s->prefix;
	if (!s->por) {
		sched_trace_choices_id(&t, out, cap);
		return;
	}
	char choices[cap];
	sched_trace_choices_id(&t, choices, cap);
	if (s->sleep)
		snprintf(out, cap, "sync:%s:z%llx", choices, (unsigned long long)s->sleep);
	else
		snprintf(out, cap, "sync:%s", choices);
}
