/* sched_unjoined.c: a foreign -sched program (no lab kit, no result record) with a data
 * race that only a thread's end, not its join, separates: the thread stores to shared and
 * ends; main waits for that on a flag the race check cannot see (uninstrumented, as an
 * "invisible" test barrier would), then stores to shared itself while the ended thread is
 * not yet joined. Nothing orders the two stores: racelab explore --strategy por
 * --no-result must report the race. With -DJOIN_FIRST main joins before its store: no
 * race in any schedule. (tests/integration/CMakeLists.txt: cli.sched-unjoined-*) */
#include <pthread.h>
#include <sched.h>

static int shared;
static int finished;

__attribute__((no_sanitize("thread"))) static void say_finished(void)
{
	*(volatile int *)&finished = 1; /* not seen: TSan would still see an atomic here */
}

__attribute__((no_sanitize("thread"))) static int has_finished(void)
{
	return *(volatile int *)&finished;
}

static void *worker(void *arg)
{
	(void)arg;
	shared = 42;
	say_finished();
	return NULL;
}

int main(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, worker, NULL) != 0)
		return 1;
	while (!has_finished())
		sched_yield();
#ifdef JOIN_FIRST
	pthread_join(t, NULL);
	shared = 43;
#else
	shared = 43;
	pthread_join(t, NULL);
#endif
	return shared == 43 ? 0 : 1;
}
