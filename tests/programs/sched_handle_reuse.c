/* sched_handle_reuse.c: a thread joined, then two more created: glibc gives the second
 * the first one's stack, so the same pthread_t. The runtime must join the thread that has
 * that handle now, not the one it had before (which is done: the join would not wait,
 * and the real join would then wait for ever for a thread the scheduler never runs). No
 * race, no bug in any schedule. (tests/integration/CMakeLists.txt: cli.sched-handle-reuse) */
#include <pthread.h>
#include <stdint.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int total;

static void *add(void *arg)
{
	pthread_mutex_lock(&lock);
	total += (int)(intptr_t)arg;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t first, t[2];
	pthread_create(&first, NULL, add, (void *)1);
	pthread_join(first, NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, add, (void *)(intptr_t)(i + 2));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return total == 6 && (pthread_equal(first, t[0]) || pthread_equal(first, t[1])) ? 0 : 1;
}
