/* shared_lock_wait.c: the parent waits about 1 s for a process-shared mutex that its child
 * holds while it computes, then finishes correctly. All of the parent's threads sleep in an
 * endless futex wait, but the one who will wake them is another process of the group, and it
 * is running: racelab must not call this deadlocked. */
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	pthread_mutexattr_t attr;
	pthread_mutex_t *lock =
	    mmap(NULL, sizeof(*lock), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *held = (volatile int *)mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
	                                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (lock == MAP_FAILED || held == MAP_FAILED)
		return 1;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(lock, &attr);
	pid_t child = fork();
	if (child == 0) {
		pthread_mutex_lock(lock);
		*held = 1;
		for (double end = now_s() + 1.0; now_s() < end;)
			; /* compute, holding the lock */
		pthread_mutex_unlock(lock);
		_exit(0);
	}
	while (!*held)
		usleep(1000);
	pthread_mutex_lock(lock); /* waits for the child, which is running */
	pthread_mutex_unlock(lock);
	waitpid(child, NULL, 0);
	puts("finished after about 1 s");
	return 0;
}
