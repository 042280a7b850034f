/* timed_sleeper.c: threads that sleep on purpose and finish correctly after about 2 s:
 * one in pthread_cond_timedwait, one in nanosleep, one in sleep(), main in pthread_join.
 * At times every thread is asleep and none uses CPU, but each sleep has an end: racelab
 * must never call this program deadlocked. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *timed_wait(void *arg)
{
	struct timespec until;
	int rc = 0;
	(void)arg;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 2;
	pthread_mutex_lock(&lock);
	while (rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&never, &lock, &until);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void *nap(void *arg)
{
	struct timespec half = {0, 500000000};
	(void)arg;
	for (int i = 0; i < 4; i++)
		nanosleep(&half, NULL);
	return NULL;
}

static void *doze(void *arg)
{
	(void)arg;
	sleep(2);
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	pthread_create(&t[0], NULL, timed_wait, NULL);
	pthread_create(&t[1], NULL, nap, NULL);
	pthread_create(&t[2], NULL, doze, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	puts("finished after about 2 s");
	return 0;
}
