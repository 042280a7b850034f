/* lost_wakeup.c: a lost wake-up. The producer signals `ready` once, before anyone waits,
 * and without setting a flag the waiters could check; the two waiters then wait on the
 * condition variable forever. racelab must say that every thread waits on a condition
 * nobody will signal. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	pthread_cond_wait(&ready, &lock); /* BUG: no predicate; the signal came before */
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t w1, w2;
	pthread_mutex_lock(&lock);
	pthread_cond_signal(&ready); /* nobody waits yet: this signal is lost */
	pthread_mutex_unlock(&lock);
	pthread_create(&w1, NULL, waiter, NULL);
	pthread_create(&w2, NULL, waiter, NULL);
	pthread_join(w1, NULL);
	pthread_join(w2, NULL);
	puts("finished (not expected)");
	return 0;
}
