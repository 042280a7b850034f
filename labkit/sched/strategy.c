/* strategy.c: random walk, PCT, explicit choices and the default pick. */
#include <stdlib.h>
#include <string.h>

#include "strategy.h"

uint64_t strategy_next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A uniform number in 0..n-1 (n > 0); the tiny modulo bias does not matter here. */
static uint64_t below(uint64_t *state, uint64_t n)
{
	return strategy_next_random(state) % n;
}

/* Reads "<letter><number>" at *p, then an optional ':'. */
static int field(const char **p, char letter, uint64_t *out)
{
	char *end;
	if (**p != letter)
		return -1;
	unsigned long long v = strtoull(*p + 1, &end, 10);
	if (end == *p + 1)
		return -1;
	*out = v;
	*p = *end == ':' ? end + 1 : end;
	return 0;
}

/* "1*3.0.2" into s->choices. */
static int parse_choices(const char *p, struct strategy *s)
{
	s->choices = malloc(STRATEGY_MAX_CHOICES);
	if (!s->choices)
		return -1;
	while (*p && *p != ':') {
		char *end;
		long tid = strtol(p, &end, 10), times = 1;
		if (end == p || tid < 0 || tid >= SCHED_MAX_THREADS)
			return -1;
		p = end;
		if (*p == '*') {
			times = strtol(p + 1, &end, 10);
			if (end == p + 1 || times < 1)
				return -1;
			p = end;
		}
		if (s->n_choices + times > STRATEGY_MAX_CHOICES)
			return -1;
		while (times--)
			s->choices[s->n_choices++] = (unsigned char)tid;
		if (*p == '.')
			p++;
	}
	if (strncmp(p, ":z", 2) == 0) {
		char *end;
		s->sleep = strtoull(p + 2, &end, 16);
		if (end == p + 2 || s->n_choices == 0)
			return -1;
		p = end;
	}
	if (*p == ':') {
		if (strcmp(p, ":stop") != 0)
			return -1;
		s->stop = true;
	} else if (*p) {
		return -1;
	}
	return 0;
}

/* PCT's d-1 change points, uniformly in 1..steps. */
static void draw_change_points(struct strategy *s)
{
	for (int i = 0; i < s->depth - 1; i++)
		s->change_at[i] = 1 + (long)below(&s->rng, (uint64_t)s->steps);
}

static int parse_seeded(const char *p, struct strategy *s)
{
	uint64_t v = 0;
	if (s->kind == STRATEGY_PCT) {
		if (field(&p, 'd', &v) || v < 1 || v > STRATEGY_MAX_DEPTH)
			return -1;
		s->depth = (int)v;
	}
	if (field(&p, 's', &s->seed) || field(&p, 'n', &s->index))
		return -1;
	s->steps = 100;
	if (*p && s->kind == STRATEGY_PCT) {
		if (field(&p, 'k', &v) || v < 1)
			return -1;
		s->steps = (long)v;
	}
	if (*p)
		return -1;
	/* Schedule N of seed S: its own stream, so any N replays without the N-1 before it. */
	s->rng = s->seed * 0x9e3779b97f4a7c15ull ^ (s->index + 1) * 0xd1b54a32d192ed03ull;
	strategy_next_random(&s->rng);
	if (s->kind == STRATEGY_PCT)
		draw_change_points(s);
	return 0;
}

int strategy_parse(const char *spec, struct strategy *s)
{
	memset(s, 0, sizeof(*s));
	if (spec && strncmp(spec, "sync:", 5) == 0) {
		int rc = strategy_parse(spec + 5, s);
		s->sync_only = true;
		return rc;
	}
	if (!spec || !*spec || strcmp(spec, "fifo") == 0)
		return 0;
	if (strncmp(spec, "random:", 7) == 0) {
		s->kind = STRATEGY_RANDOM;
		return parse_seeded(spec + 7, s);
	}
	if (strncmp(spec, "pct:", 4) == 0) {
		s->kind = STRATEGY_PCT;
		return parse_seeded(spec + 4, s);
	}
	if (strncmp(spec, "x:", 2) == 0) {
		s->kind = STRATEGY_CHOICES;
		return parse_choices(spec + 2, s);
	}
	return -1;
}

void strategy_free(struct strategy *s)
{
	free(s->choices);
	s->choices = NULL;
}

void strategy_thread_created(struct strategy *s, int tid)
{
	if (s->kind != STRATEGY_PCT || tid >= SCHED_MAX_THREADS)
		return;
	/* Distinct random priorities above every change point's (1..d-1): a random 40-bit
	 * value, with the id in the low bits to break ties, shifted above d. */
	s->priority[tid] = (int64_t)((below(&s->rng, 1ull << 40) << 6) | (uint64_t)tid) + 64;
}

int strategy_default_pick(uint64_t runnable, int current, bool yielding)
{
	uint64_t others = runnable & ~(1ull << current);
	if (current >= 0 && (runnable >> current & 1) && !(yielding && others))
		return current;
	if (yielding && others && current >= 0) {
		/* Round robin: the next thread after current, so that every spinner's turn
		 * comes (three threads at a gate must not leave the third out). */
		uint64_t after = others & ~((2ull << current) - 1);
		return __builtin_ctzll(after ? after : others);
	}
	return __builtin_ctzll(runnable);
}

/* The i-th set bit of mask. */
static int nth_bit(uint64_t mask, uint64_t i)
{
	while (i--)
		mask &= mask - 1;
	return __builtin_ctzll(mask);
}

static int pick_pct(struct strategy *s, uint64_t pool, int current, bool yielding)
{
	if (yielding && current >= 0) {
		/* A yield puts the thread below every other: a spinner lets all others run. */
		int64_t lowest = s->priority[current];
		for (uint64_t m = pool; m; m &= m - 1)
			if (s->priority[__builtin_ctzll(m)] < lowest)
				lowest = s->priority[__builtin_ctzll(m)];
		s->priority[current] = lowest - 1;
	}
	for (int i = 0; i < s->depth - 1; i++)
		if (s->change_at[i] == s->decision && current >= 0)
			s->priority[current] =
			    i + 1; /* change point i+1: below every start value */
	int best = -1;
	for (uint64_t m = pool; m; m &= m - 1) {
		int t = __builtin_ctzll(m);
		if (best < 0 || s->priority[t] > s->priority[best])
			best = t;
	}
	return best;
}

int strategy_pick(struct strategy *s, uint64_t runnable, int current, bool yielding)
{
	s->decision++;
	uint64_t others = current >= 0 ? runnable & ~(1ull << current) : runnable;
	uint64_t pool = yielding && others ? others : runnable;
	switch (s->kind) {
	case STRATEGY_RANDOM:
		return nth_bit(pool, below(&s->rng, (uint64_t)__builtin_popcountll(pool)));
	case STRATEGY_PCT:
		return pick_pct(s, pool, current, yielding && others);
	case STRATEGY_CHOICES:
		if (s->decision <= s->n_choices) {
			int t = s->choices[s->decision - 1];
			return runnable >> t & 1 ? t : -1;
		}
		if (s->stop)
			return -1;
		/* fall through */
	case STRATEGY_FIFO:
		break;
	}
	return strategy_default_pick(runnable, current, yielding);
}
