/* baton.h: hands the right to run from one real thread to another. Only one thread of a
 * scheduled program runs at a time; at a switch the running thread gives the baton to the
 * next and waits for its own. The next thread spins briefly before it sleeps in the
 * kernel: a switch that comes back within microseconds (two threads taking turns) then
 * costs no system call, where a semaphore cost two futex calls and a wake-up each time
 * (measured: 6.6 us a switch on lab 3). */
#ifndef RACELAB_SCHED_BATON_H
#define RACELAB_SCHED_BATON_H

#include <stdint.h>

/* A thread's baton: BATON_IDLE, BATON_GO (its turn) or BATON_SLEEPING (waiting in the
 * kernel). Zero-initialised is idle. */
struct baton {
	uint32_t word;
};

void baton_init(struct baton *b);

/* Gives b's thread its turn (wakes it when it sleeps). */
void baton_give(struct baton *b);

/* Waits until b's thread is given its turn, then takes it. */
void baton_take(struct baton *b);

#endif
