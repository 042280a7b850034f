/* abba_deadlock.c: two threads take the same two mutexes in opposite orders and deadlock
 * every time: each takes its first lock, both meet at a barrier, then each asks for the
 * lock the other holds. racelab must call it HANG and name both mutexes. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *take_a_then_b(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock_a);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&lock_b); /* DEADLOCK: the other thread holds lock_b */
	pthread_mutex_unlock(&lock_b);
	pthread_mutex_unlock(&lock_a);
	return NULL;
}

static void *take_b_then_a(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock_b);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&lock_a); /* DEADLOCK: the other thread holds lock_a */
	pthread_mutex_unlock(&lock_a);
	pthread_mutex_unlock(&lock_b);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	pthread_barrier_init(&both_hold_one, NULL, 2);
	pthread_create(&t1, NULL, take_a_then_b, NULL);
	pthread_create(&t2, NULL, take_b_then_a, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	puts("finished (not expected)");
	return 0;
}
