/* gate.c: the spin start gate. */
#include <sched.h>
#include <stdbool.h>

#include "gate.h"
#include "sync.h"

void rl_gate_init(struct rl_gate *gate, int parties)
{
	cpu_set_t allowed;
	atomic_init(&gate->seated, 0);
	atomic_init(&gate->arrived, 0);
	gate->parties = parties;
	gate->cpus = sched_getaffinity(0, sizeof(allowed), &allowed) == 0 ? CPU_COUNT(&allowed) : 1;
}

/* The scheduler starts a new thread on its creator's CPU and spreads threads out only
 * after milliseconds, longer than a whole lab run: two racing threads would take turns
 * on one core and hardly ever interleave. So each worker takes a CPU of its own first. */
static void take_a_cpu(struct rl_gate *gate)
{
#ifdef RL_SCHED_BUILD
	(void)gate; /* under the schedule runtime one thread runs at a time: no CPU to take */
	return;
#endif
	cpu_set_t allowed, mine;
	int seat = atomic_fetch_add(&gate->seated, 1);
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || CPU_COUNT(&allowed) < 2)
		return;
	int wanted = seat % CPU_COUNT(&allowed);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &allowed) && wanted-- == 0) {
			CPU_ZERO(&mine);
			CPU_SET(cpu, &mine);
			sched_setaffinity(0, sizeof(mine), &mine); /* best effort */
			return;
		}
	}
}

void rl_gate_meet(struct rl_gate *gate)
{
#ifdef RL_SCHED_BUILD
	/* Under the schedule runtime the scheduler decides who runs when: a gate would add
	 * nothing but scheduling points (every spin a yield, every yield a branch). */
	(void)gate;
	return;
#endif
	atomic_fetch_add(&gate->arrived, 1);
	/* Spin, do not sleep: waking from a futex would reintroduce the skew. With more
	 * workers than CPUs, yield so the late ones get a CPU to arrive on. */
	bool crowded = gate->parties > gate->cpus;
#ifdef RL_SCHED_BUILD
	crowded = true; /* one thread runs at a time: spinning would never end, so yield */
#endif
	while (atomic_load(&gate->arrived) < gate->parties)
		if (crowded)
			rl_yield();
}

void rl_gate_wait(struct rl_gate *gate)
{
	take_a_cpu(gate); /* before arriving: migrating later would delay this worker's start */
	rl_gate_meet(gate);
}
