/* sched_trace.c: parses a schedule's trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_trace.h"

static const char *const op_names[] = {
#define SCHED_OP_NAME(name, text) text,
    SCHED_OPS(SCHED_OP_NAME)
#undef SCHED_OP_NAME
};

const char *sched_op_name(enum sched_op op)
{
	return op >= 0 && op < SCHED_OP_COUNT ? op_names[op] : NULL;
}

int sched_op_from_name(const char *name)
{
	for (int i = 0; i < SCHED_OP_COUNT; i++)
		if (strcmp(op_names[i], name) == 0)
			return i;
	return -1;
}

static struct sched_addr read_addr(const char *text)
{
	struct sched_addr a = {.in_exe = text[0] != '*'};
	a.value = strtoul(text + !a.in_exe, NULL, 16);
	if (!a.in_exe && a.value == 0)
		a.in_exe = false;
	return a;
}

/* Appends to a growing array. */
static void *grow(void *items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 256;
	return realloc(items, *cap * size);
}

static int parse_event(const char *line, struct sched_trace *t, size_t *cap)
{
	char op[32], pc[32], addr[32];
	struct sched_event e;
	if (sscanf(line, "e %ld %d %31s %31s %31s %d %lld %lld", &e.step, &e.tid, op, pc, addr,
	           &e.size, &e.old_value, &e.new_value) != 8)
		return 0;
	int k = sched_op_from_name(op);
	if (k < 0)
		return 0;
	e.op = k;
	e.pc = read_addr(pc);
	e.addr = read_addr(addr);
	struct sched_event *items = grow(t->events, t->n_events, cap, sizeof(e));
	if (!items)
		return -1;
	t->events = items;
	t->events[t->n_events++] = e;
	return 0;
}

static int parse_decision(const char *line, struct sched_trace *t, size_t *cap)
{
	struct sched_decision d;
	unsigned long long mask, sleep = 0;
	int yielding;
	if (sscanf(line, "d %d %llx %d %d %llx", &d.current, &mask, &yielding, &d.chosen, &sleep) <
	    4)
		return 0;
	d.runnable = mask;
	d.sleep = sleep;
	d.yielding = yielding;
	struct sched_decision *items = grow(t->decisions, t->n_decisions, cap, sizeof(d));
	if (!items)
		return -1;
	t->decisions = items;
	t->decisions[t->n_decisions++] = d;
	return 0;
}

/* "deadlock TID OP ADDR OWNER PC" and "n TID OP PC ADDR RUNNABLE". */
static void parse_waiter(const char *line, struct sched_trace *t)
{
	char op[32], a[32], b[32];
	struct sched_waiter w;
	int k;
	if (strncmp(line, "deadlock ", 9) == 0 && t->n_waiters < SCHED_MAX_THREADS &&
	    sscanf(line, "deadlock %d %31s %31s %d %31s", &w.tid, op, a, &w.owner, b) == 5 &&
	    (k = sched_op_from_name(op)) >= 0) {
		w.op = k;
		w.addr = strcmp(a, "-") == 0 ? (struct sched_addr){0} : read_addr(a);
		w.pc = read_addr(b);
		t->waiters[t->n_waiters++] = w;
	} else if (line[0] == 'n' && line[1] == ' ' && t->n_next < SCHED_MAX_THREADS &&
	           sscanf(line, "n %d %31s %31s %31s %d", &w.tid, op, a, b, &w.owner) == 5 &&
	           (k = sched_op_from_name(op)) >= 0) {
		w.op = k;
		w.pc = read_addr(a);
		w.addr = read_addr(b);
		t->next[t->n_next++] = w;
	}
}

static int parse_line(const char *line, struct sched_trace *t, size_t *ecap, size_t *dcap)
{
	struct sched_thread_info th;
	int parent, end;
	if (line[0] == 'e' && line[1] == ' ')
		return parse_event(line, t, ecap);
	if (line[0] == 'd' && line[1] == ' ')
		return parse_decision(line, t, dcap);
	if (line[0] == 't' && line[1] == ' ' && t->n_threads < SCHED_MAX_THREADS &&
	    sscanf(line, "t %d %d %lx %lx", &th.tid, &parent, &th.stack_lo, &th.stack_hi) == 4)
		t->threads[t->n_threads++] = th;
	else if (sscanf(line, "end %d %ld %ld", &end, &t->steps, &t->n_decided) == 3) {
		t->ended = true;
		t->end = end;
	} else
		parse_waiter(line, t);
	return 0;
}

int sched_trace_parse(const char *text, size_t len, struct sched_trace *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 4 || strncmp(text, "v 1\n", 4) != 0)
		return -1;
	size_t ecap = 0, dcap = 0;
	char line[512];
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		size_t keep = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
		memcpy(line, text + at, keep);
		line[keep] = '\0';
		if (parse_line(line, out, &ecap, &dcap)) {
			sched_trace_free(out);
			return -1;
		}
		at += n + 1;
	}
	return 0;
}

void sched_trace_free(struct sched_trace *t)
{
	free(t->events);
	free(t->decisions);
	t->events = NULL;
	t->decisions = NULL;
	t->n_events = t->n_decisions = 0;
}

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

uint64_t sched_trace_hash(const struct sched_trace *t)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < t->n_events; i++) {
		const struct sched_event *e = &t->events[i];
		/* Stack and heap addresses move between runs (ASLR): hash only what is the
		 * program's own, plus who did what and the values. */
		long long fields[] = {e->tid,
		                      e->op,
		                      (long long)(e->pc.in_exe ? e->pc.value : 0),
		                      (long long)(e->addr.in_exe ? e->addr.value : 0),
		                      e->size,
		                      e->op == SCHED_OP_CREATE || e->op == SCHED_OP_JOIN ? 0 : 1,
		                      e->addr.in_exe ? e->old_value : 0,
		                      e->addr.in_exe ? e->new_value : 0};
		h = fnv(h, fields, sizeof(fields));
	}
	for (size_t i = 0; i < t->n_decisions; i++)
		h = fnv(h, &t->decisions[i].chosen, sizeof(int));
	return h;
}

void sched_trace_choices_id(const struct sched_trace *t, char *out, size_t cap)
{
	size_t used = (size_t)snprintf(out, cap, "x:");
	for (size_t i = 0; i < t->n_decisions && used < cap;) {
		int tid = t->decisions[i].chosen;
		size_t run = 1;
		while (i + run < t->n_decisions && t->decisions[i + run].chosen == tid)
			run++;
		const char *sep = i ? "." : "";
		used += run > 1
		            ? (size_t)snprintf(out + used, cap - used, "%s%d*%zu", sep, tid, run)
		            : (size_t)snprintf(out + used, cap - used, "%s%d", sep, tid);
		i += run;
	}
}
