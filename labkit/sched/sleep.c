/* sleep.c: the sleep sets of the partial-order reduction (Godefroid, 1996), used by the
 * harness's `por` search with points only at synchronisation (strategy.h's sync:).
 *
 * Two threads' next steps commute when running them in either order leads to the same
 * state: then a schedule that runs one and then the other needs not be run again in the
 * other order. At a decision, a thread whose every order was already tried from here is
 * asleep (the sleep set, passed by the search as x:...:zMASK); it stays asleep while the
 * steps taken commute with its own next step, and a schedule in which every thread that
 * could run sleeps is one already run in another order: the runtime ends it (covered).
 *
 * A step is the thread's announced synchronisation operation and the plain code up to its
 * next one. Plain loads and stores are left out of "commute": that is sound only when no
 * run has a data race, which the harness checks on every trace (sched_race.h). Whatever is
 * not known to commute (a yield, a timed wait's timeout) is taken not to. */
#include "runtime.h"

/* What a thread's next step does to shared state. */
struct step {
	enum sched_op op;
	const void *obj;   /* the mutex, condition, atomic or joined thread; NULL: none */
	const void *mutex; /* a condition wait's mutex, let go of */
	bool opaque;       /* not known to commute with anything */
};

static struct step step_of(const struct sthread *t)
{
	struct step s = {t->next_op, t->next_addr, NULL, false};
	if (t->relock) /* woken from a wait: takes its mutex again */
		return (struct step){SCHED_OP_LOCK, t->relock, NULL, false};
	switch (t->next_op) {
	case SCHED_OP_WAIT:
		s.mutex = t->next_mutex;
		break;
	case SCHED_OP_LOAD:
	case SCHED_OP_STORE:  /* no point is announced there: a thread not started yet */
	case SCHED_OP_CREATE: /* the new thread cannot be asleep: it did not exist */
		s.obj = NULL;
		break;
	case SCHED_OP_YIELD:
	case SCHED_OP_EXIT:
	case SCHED_OP_ALLOC:
		s.opaque = true;
		break;
	default:
		break;
	}
	return s;
}

static bool touches(const struct step *s, const void *obj)
{
	return obj && (s->obj == obj || s->mutex == obj);
}

/* A join of thread x depends on every step of x (the last one ends it). */
static bool joins(const struct step *s, const struct sthread *t)
{
	return s->op == SCHED_OP_JOIN && s->obj == (const void *)t;
}

static bool commute(const struct sthread *a, const struct sthread *b)
{
	struct step sa = step_of(a), sb = step_of(b);
	if (sa.opaque || sb.opaque || joins(&sa, b) || joins(&sb, a))
		return false;
	if (sa.op == SCHED_OP_JOIN || sb.op == SCHED_OP_JOIN)
		return true; /* of a thread that neither step belongs to */
	if (!touches(&sa, sb.obj) && !touches(&sa, sb.mutex))
		return true;
	return sa.op == SCHED_OP_ATOMIC_LOAD && sb.op == SCHED_OP_ATOMIC_LOAD;
}

uint64_t sleep_after(uint64_t sleep, const struct sthread *chosen)
{
	for (uint64_t m = sleep; m; m &= m - 1) {
		const struct sthread *u = &rt.threads[__builtin_ctzll(m)];
		if (!commute(u, chosen))
			sleep &= ~(m & -m);
	}
	return sleep;
}
