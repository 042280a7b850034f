/* sched_raw_counter.c: a student-style fix of lab 3 written with raw pthread calls (no lab
 * kit): pthread_create, pthread_mutex_lock, sched_yield, usleep, pthread_join. Built with
 * the schedule runtime (-sched), every one of those calls must be scheduled: the test
 * (tests/integration/sched_raw_pthread.sh) runs it under many schedules and reads the
 * trace. With -DRAW_BUGGY the lock is left out and some schedule must lose an update.
 * With -DRAW_MIXED the first thread adds atomically and the others with a plain
 * read-modify-write: a data race between an atomic and a plain access, which a search
 * with points only at synchronisation must still report (racelab explore --strategy por). */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#define THREADS    2
#define ITERATIONS 3

static long counter;
static pthread_mutex_t lock __attribute__((unused)) = PTHREAD_MUTEX_INITIALIZER;

#ifdef RAW_MIXED
/* The first thread (arg NULL) adds atomically, the others with a plain counter++. */
static void *worker(void *arg)
{
	for (int i = 0; i < ITERATIONS; i++) {
		if (arg == NULL)
			__atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
		else
			counter++;
	}
	return NULL;
}
#else
static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITERATIONS; i++) {
#ifndef RAW_BUGGY
		pthread_mutex_lock(&lock);
#endif
		long seen = counter;
		sched_yield(); /* a student's "let the others run" */
		counter = seen + 1;
#ifndef RAW_BUGGY
		pthread_mutex_unlock(&lock);
#endif
		usleep(10); /* must not sleep for real under the scheduler */
	}
	return NULL;
}
#endif

int main(void)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, i ? &t[i] : NULL) != 0)
			return 3;
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("counter %ld expected %d\n", counter, THREADS * ITERATIONS);
	return counter == THREADS * ITERATIONS ? 0 : 1;
}
