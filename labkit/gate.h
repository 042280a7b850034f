/* gate.h: a spin start gate. Threads created one by one start skewed by tens of
 * microseconds, enough to hide a race entirely (see FIELD-NOTES); a barrier wakes them
 * through the kernel, still skewed. Here each worker first takes a CPU of its own, then
 * announces itself and spins until all have arrived, so they leave the gate within
 * nanoseconds of each other, each on its own core. */
#ifndef RACELAB_GATE_H
#define RACELAB_GATE_H

#include <stdatomic.h>

struct rl_gate {
	atomic_int seated;  /* workers that have taken a CPU so far */
	atomic_int arrived; /* workers at the gate so far */
	int parties;        /* workers expected */
	int cpus;           /* CPUs this process may run on */
};

void rl_gate_init(struct rl_gate *gate, int parties);

/* Called by each worker: pins it to CPU (n mod cpus) for the n-th caller, and returns
 * once all parties have called it. */
void rl_gate_wait(struct rl_gate *gate);

/* The same meeting without taking a CPU: for workers that already hold theirs, e.g. each
 * timed round of long-lived threads (new threads for each round would each wait for a
 * CPU first). A gate is used once: give each round its own. */
void rl_gate_meet(struct rl_gate *gate);

#endif
