/* sched_race.c: the first data race of a schedule's trace, by vector clocks.
 *
 * How it works. Each thread t has a vector clock: C[t][u] is how far t knows thread u has
 * got. An access by t is stamped with the epoch (t, C[t][t]); an earlier access stamped
 * (u, c) happens before t's current point iff c <= C[t][u]. A release (unlock, signal,
 * atomic store, create, exit) joins C[t] into the object's clock and ticks C[t][t], so that
 * t's later accesses are not covered by it; an acquire joins the object's clock into C[t].
 * Shadow memory, one cell per byte, keeps the last store's epoch and each thread's last
 * load since; a store that races with none of them replaces them all (FastTrack): what
 * comes after that store in happens-before comes after them too, and what does not races
 * with the store itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sched_race.h"

#define MAX_ACCESS_BYTES 16 /* the runtime logs none larger */
#define FIRST_TABLE_CAP  256

struct vclock {
	uint32_t c[SCHED_MAX_THREADS];
};

/* One access, as shadow memory keeps it. Clock 0: none (a thread's own clock starts at 1,
 * so an epoch of 0 happens before everything). */
struct epoch {
	int tid;
	uint32_t clock;
	size_t index; /* in the trace's events */
	bool atomic;  /* two atomic accesses never race; an atomic and a plain one can */
};

struct shadow {
	struct epoch store;
	struct epoch *loads; /* each thread's last load since the store */
	int n_loads, cap_loads;
};

/* Open addressing on trace addresses; values of elem_size bytes, zeroed when first asked
 * for. A value moves when the table grows: use it before the next table_get. */
struct addr_table {
	struct sched_addr *keys;
	bool *used;
	unsigned char *values;
	size_t elem_size, cap, count;
};

struct checker {
	struct vclock clocks[SCHED_MAX_THREADS];
	bool started[SCHED_MAX_THREADS];
	bool woken[SCHED_MAX_THREADS];             /* waited: the next event acquires cond[t] */
	struct sched_addr cond[SCHED_MAX_THREADS]; /* the condition waited on */
	struct addr_table sync;                    /* struct vclock by mutex, condition, atomic */
	struct addr_table memory;                  /* struct shadow by byte */
	bool out_of_memory;
	bool found;
	struct sched_race race;
};

static size_t addr_hash(struct sched_addr a, size_t cap)
{
	uint64_t h = ((uint64_t)a.value + (a.in_exe ? 0x5bd1e995u : 0)) * 0x9e3779b97f4a7c15ull;
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static size_t table_slot(const struct addr_table *tab, struct sched_addr key)
{
	size_t i = addr_hash(key, tab->cap);
	while (tab->used[i] &&
	       (tab->keys[i].value != key.value || tab->keys[i].in_exe != key.in_exe))
		i = (i + 1) & (tab->cap - 1);
	return i;
}

static void table_free(struct addr_table *tab)
{
	free(tab->keys);
	free(tab->used);
	free(tab->values);
}

static bool table_grow(struct addr_table *tab)
{
	size_t cap = tab->cap ? tab->cap * 2 : FIRST_TABLE_CAP;
	struct addr_table bigger = {calloc(cap, sizeof(*tab->keys)),
	                            calloc(cap, sizeof(bool)),
	                            calloc(cap, tab->elem_size),
	                            tab->elem_size,
	                            cap,
	                            0};
	if (!bigger.keys || !bigger.used || !bigger.values) {
		table_free(&bigger);
		return false;
	}
	for (size_t i = 0; i < tab->cap; i++) {
		if (!tab->used[i])
			continue;
		size_t j = table_slot(&bigger, tab->keys[i]);
		bigger.keys[j] = tab->keys[i];
		bigger.used[j] = true;
		memcpy(bigger.values + j * tab->elem_size, tab->values + i * tab->elem_size,
		       tab->elem_size);
		bigger.count++;
	}
	table_free(tab);
	*tab = bigger;
	return true;
}

/* key's value, added (zeroed) when absent; NULL when memory runs out. */
static void *table_get(struct addr_table *tab, struct sched_addr key)
{
	if ((tab->count + 1) * 2 > tab->cap && !table_grow(tab))
		return NULL;
	size_t i = table_slot(tab, key);
	if (!tab->used[i]) {
		tab->used[i] = true;
		tab->keys[i] = key;
		tab->count++;
	}
	return tab->values + i * tab->elem_size;
}

static void vclock_join(struct vclock *into, const struct vclock *from)
{
	for (int u = 0; u < SCHED_MAX_THREADS; u++)
		if (from->c[u] > into->c[u])
			into->c[u] = from->c[u];
}

/* tid's clock; a thread first seen without a create starts knowing nobody. */
static struct vclock *clock_of(struct checker *k, int tid)
{
	if (!k->started[tid]) {
		memset(&k->clocks[tid], 0, sizeof(k->clocks[tid]));
		k->clocks[tid].c[tid] = 1;
		k->started[tid] = true;
	}
	return &k->clocks[tid];
}

static struct vclock *sync_clock(struct checker *k, struct sched_addr obj)
{
	struct vclock *v = table_get(&k->sync, obj);
	if (!v)
		k->out_of_memory = true;
	return v;
}

static void acquire(struct checker *k, int tid, struct sched_addr obj)
{
	struct vclock *v = sync_clock(k, obj);
	if (v)
		vclock_join(clock_of(k, tid), v);
}

/* Joins, not overwrites: a signal adds to the wake-ups before it; an unlock by a thread
 * that did not hold the mutex must not hide the holder's release. */
static void release(struct checker *k, int tid, struct sched_addr obj)
{
	struct vclock *v = sync_clock(k, obj);
	if (v)
		vclock_join(v, clock_of(k, tid));
	clock_of(k, tid)->c[tid]++;
}

static bool is_thread(long long tid)
{
	return tid >= 0 && tid < SCHED_MAX_THREADS;
}

/* parent creates child: the child starts with all the parent knows. */
static void create(struct checker *k, int parent, long long child)
{
	if (!is_thread(child))
		return;
	vclock_join(clock_of(k, (int)child), clock_of(k, parent));
	clock_of(k, (int)child)->c[child]++;
	clock_of(k, parent)->c[parent]++;
}

/* joiner learns all the joined thread did (its clock has not moved since its exit). */
static void join(struct checker *k, int joiner, long long joined)
{
	if (is_thread(joined) && joined != joiner)
		vclock_join(clock_of(k, joiner), clock_of(k, (int)joined));
}

/* Whether the kept access e races with access a (tid's, at clock now). */
static bool conflicts(const struct epoch *e, const struct epoch *a, const struct vclock *now)
{
	return e->tid != a->tid && e->clock > now->c[e->tid] && !(e->atomic && a->atomic);
}

/* The lowest index of an access kept in s that races with a; SIZE_MAX if none. */
static size_t racing(const struct shadow *s, const struct epoch *a, const struct vclock *now,
                     bool store)
{
	size_t first = conflicts(&s->store, a, now) ? s->store.index : SIZE_MAX;
	for (int i = 0; store && i < s->n_loads; i++)
		if (conflicts(&s->loads[i], a, now) && s->loads[i].index < first)
			first = s->loads[i].index;
	return first;
}

/* Keeps e as this thread's last load of the byte; false when memory runs out. */
static bool remember_load(struct shadow *s, struct epoch e)
{
	for (int i = 0; i < s->n_loads; i++)
		if (s->loads[i].tid == e.tid) {
			s->loads[i] = e;
			return true;
		}
	if (s->n_loads == s->cap_loads) {
		int cap = s->cap_loads ? s->cap_loads * 2 : 2;
		struct epoch *grown = realloc(s->loads, (size_t)cap * sizeof(*grown));
		if (!grown)
			return false;
		s->loads = grown;
		s->cap_loads = cap;
	}
	s->loads[s->n_loads++] = e;
	return true;
}

/* Checks event i, a load or store (plain, or atomic: then only against plain ones), byte
 * by byte against shadow memory. */
static void check_access(struct checker *k, size_t i, const struct sched_event *e)
{
	int size = e->size < 1 ? 1 : e->size > MAX_ACCESS_BYTES ? MAX_ACCESS_BYTES : e->size;
	bool store =
	    e->op == SCHED_OP_STORE || e->op == SCHED_OP_ATOMIC_STORE || e->op == SCHED_OP_RMW;
	bool atomic = e->op != SCHED_OP_LOAD && e->op != SCHED_OP_STORE;
	const struct vclock *now = clock_of(k, e->tid);
	struct epoch stamp = {e->tid, now->c[e->tid], i, atomic};
	size_t first = SIZE_MAX;
	for (int b = 0; b < size && !k->out_of_memory; b++) {
		struct sched_addr byte = {e->addr.in_exe, e->addr.value + (unsigned long)b};
		struct shadow *s = table_get(&k->memory, byte);
		if (!s) {
			k->out_of_memory = true;
			break;
		}
		size_t r = racing(s, &stamp, now, store);
		if (r < first)
			first = r;
		if (store) {
			s->store = stamp;
			s->n_loads = 0;
		} else if (!remember_load(s, stamp)) {
			k->out_of_memory = true;
		}
	}
	if (first != SIZE_MAX) {
		k->found = true;
		k->race.first = first;
		k->race.second = i;
	}
}

/* A heap block begins its life (malloc, calloc, realloc): what was known of its bytes
 * belonged to a block freed before, maybe by another thread. */
static void forget(struct checker *k, const struct sched_event *e)
{
	unsigned long lo = e->addr.value, hi = lo + (unsigned long)(e->size > 0 ? e->size : 0);
	struct addr_table *tab = &k->memory;
	for (size_t i = 0; i < tab->cap; i++) {
		if (!tab->used[i] || tab->keys[i].in_exe != e->addr.in_exe ||
		    tab->keys[i].value < lo || tab->keys[i].value >= hi)
			continue;
		struct shadow *s = (struct shadow *)tab->values + i;
		s->store = (struct epoch){0};
		s->n_loads = 0;
	}
}

static void step(struct checker *k, size_t i, const struct sched_event *e)
{
	int tid = e->tid;
	if (k->woken[tid]) { /* the relock after a wait: it follows the wake-up */
		k->woken[tid] = false;
		acquire(k, tid, k->cond[tid]);
	}
	switch (e->op) {
	case SCHED_OP_LOAD:
	case SCHED_OP_STORE:
		check_access(k, i, e);
		break;
	case SCHED_OP_LOCK:
		acquire(k, tid, e->addr);
		break;
	case SCHED_OP_ATOMIC_LOAD: /* ordered after the store it read from, then checked */
		acquire(k, tid, e->addr);
		check_access(k, i, e);
		break;
	case SCHED_OP_TRYLOCK:
		if (e->new_value == 1)
			acquire(k, tid, e->addr);
		break;
	case SCHED_OP_RMW:
		acquire(k, tid, e->addr);
		check_access(k, i, e);
		release(k, tid, e->addr);
		break;
	case SCHED_OP_ATOMIC_STORE:
		check_access(k, i, e);
		release(k, tid, e->addr);
		break;
	case SCHED_OP_UNLOCK:
	case SCHED_OP_SIGNAL:
	case SCHED_OP_BROADCAST:
		release(k, tid, e->addr);
		break;
	case SCHED_OP_WAIT:
		k->woken[tid] = true;
		k->cond[tid] = e->addr;
		break;
	case SCHED_OP_CREATE:
		create(k, tid, e->new_value);
		break;
	case SCHED_OP_JOIN:
		join(k, tid, e->new_value);
		break;
	case SCHED_OP_EXIT:
		clock_of(k, tid)->c[tid]++;
		break;
	case SCHED_OP_ALLOC:
		forget(k, e);
		break;
	default: /* yield */
		break;
	}
}

static void checker_free(struct checker *k)
{
	for (size_t i = 0; i < k->memory.cap; i++)
		if (k->memory.used[i])
			free(((struct shadow *)k->memory.values)[i].loads);
	table_free(&k->memory);
	table_free(&k->sync);
	free(k);
}

bool sched_race_find(const struct sched_trace *t, struct sched_race *race)
{
	struct checker *k = calloc(1, sizeof(*k));
	if (!k)
		return false;
	k->sync.elem_size = sizeof(struct vclock);
	k->memory.elem_size = sizeof(struct shadow);
	for (size_t i = 0; i < t->n_events && !k->found && !k->out_of_memory; i++)
		if (is_thread(t->events[i].tid))
			step(k, i, &t->events[i]);
	bool found = k->found && !k->out_of_memory;
	if (found)
		*race = k->race;
	checker_free(k);
	return found;
}
