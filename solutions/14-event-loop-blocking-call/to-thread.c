/* to-thread.c: Lab 14 fixed by handing the slow wait to worker threads.
 *
 * The loop never waits itself. A /slow request becomes a job on a queue; a pool of
 * --slow-batch worker threads takes jobs, does slow_operation() and puts each finished
 * job on a done list, then writes to an eventfd the loop watches. The loop, woken by the
 * eventfd like by any socket, answers the finished jobs' clients. Meanwhile it keeps
 * serving /fast. This is asyncio's `await asyncio.to_thread(f)` (or
 * loop.run_in_executor): the blocking call runs elsewhere, and its result comes back
 * into the loop as one more event. The queue and the done list are shared with the
 * workers, so they are guarded by a mutex; the connections stay the loop's alone.
 * A connection waiting for its job handles no further request until the answer is sent,
 * so answers keep the order of the requests. The workers are as many as the requests a
 * round sends at once, so the waits of a round overlap (asyncio.gather).
 * Check: racelab run lab14 --solution=to-thread */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labkit.h"
#include "../../labs/14-event-loop-blocking-call/loop_clients.h"

#define TAG_LISTEN  UINT32_MAX       /* epoll data of the listening socket */
#define TAG_STOP    (UINT32_MAX - 1) /* ... of the clients' "all done" eventfd */
#define TAG_DONE    (UINT32_MAX - 2) /* ... of the workers' "jobs finished" eventfd */
#define MAX_WORKERS 32

static struct loop_connection connections[LOOP_MAX_CONNECTIONS];
static struct loop_config cfg;
static int epoll_fd;

/* A /slow request handed to a worker: which connection it came on. The generation tells
 * a connection from a later one in the same slot, should the first close meanwhile. */
struct job {
	uint32_t slot;
	unsigned generation;
	struct job *next;
};

static unsigned generation[LOOP_MAX_CONNECTIONS]; /* the loop's alone */
static bool waiting[LOOP_MAX_CONNECTIONS];        /* a job is out for this connection */

static struct {
	pthread_mutex_t lock; /* guards todo, done and stop */
	pthread_cond_t work;  /* signalled when todo gets a job, or at stop */
	struct job *todo;     /* jobs for the workers, oldest first */
	struct job **todo_end;
	struct job *done; /* finished jobs for the loop */
	bool stop;
	int done_fd; /* eventfd: a worker writes 1 per finished job */
	pthread_t threads[MAX_WORKERS];
	long n;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER};

static void *worker(void *arg)
{
	(void)arg;
	rl_lock(&pool.lock);
	for (;;) {
		while (!pool.todo && !pool.stop)
			rl_cond_wait(&pool.work, &pool.lock);
		if (pool.stop)
			break;
		struct job *j = pool.todo;
		pool.todo = j->next;
		if (!pool.todo)
			pool.todo_end = &pool.todo;
		rl_unlock(&pool.lock);
		slow_operation(cfg.slow_ms); /* FIXED: waits here, not on the loop's thread */
		rl_lock(&pool.lock);
		j->next = pool.done;
		pool.done = j;
		uint64_t one = 1;
		if (write(pool.done_fd, &one, sizeof(one)) != sizeof(one))
			rl_fail(__FILE__, __LINE__, "write eventfd", errno);
	}
	rl_unlock(&pool.lock);
	return NULL;
}

static void pool_start(long workers)
{
	pool.todo_end = &pool.todo;
	pool.done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (pool.done_fd < 0)
		rl_fail(__FILE__, __LINE__, "eventfd", errno);
	pool.n = workers < MAX_WORKERS ? workers : MAX_WORKERS;
	for (long w = 0; w < pool.n; w++)
		rl_thread_start(&pool.threads[w], worker, NULL);
}

static void pool_stop(void)
{
	rl_lock(&pool.lock);
	pool.stop = true;
	rl_cond_broadcast(&pool.work);
	rl_unlock(&pool.lock);
	for (long w = 0; w < pool.n; w++)
		rl_thread_join(pool.threads[w], NULL);
	for (struct job *j = pool.todo, *next; j; j = next) {
		next = j->next;
		free(j);
	}
	for (struct job *j = pool.done, *next; j; j = next) {
		next = j->next;
		free(j);
	}
	close(pool.done_fd);
}

static void watch(int fd, uint32_t tag)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = tag};
	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
		rl_fail(__FILE__, __LINE__, "epoll_ctl", errno);
}

static void accept_all(int listen_fd)
{
	int fd;
	while ((fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		uint32_t i = 0;
		while (i < LOOP_MAX_CONNECTIONS && connections[i].fd >= 0)
			i++;
		if (i == LOOP_MAX_CONNECTIONS) {
			close(fd); /* full: a real server would stop accepting for a while */
			continue;
		}
		connections[i] = (struct loop_connection){.fd = fd};
		generation[i]++;
		waiting[i] = false;
		watch(fd, i);
	}
}

static void close_connection(struct loop_connection *c)
{
	close(c->fd); /* also leaves the epoll set */
	c->fd = -1;
}

static void handle_requests(struct loop_connection *c);

/* Answers one request; a /slow one goes to the workers and is answered later. */
static void handle(struct loop_connection *c, enum request_kind kind)
{
	if (kind == REQUEST_SLOW) {
		uint32_t slot = (uint32_t)(c - connections);
		struct job *j = malloc(sizeof(*j));
		if (!j)
			rl_fail(__FILE__, __LINE__, "malloc", ENOMEM);
		*j = (struct job){slot, generation[slot], NULL};
		waiting[slot] = true;
		rl_lock(&pool.lock); /* FIXED: hand the wait over and go back to the loop */
		*pool.todo_end = j;
		pool.todo_end = &j->next;
		rl_cond_signal(&pool.work);
		rl_unlock(&pool.lock);
		return;
	}
	if (!loop_send_ok(c->fd))
		close_connection(c);
}

/* The eventfd said jobs are done: answers their clients, and goes on with what those
 * connections sent meanwhile. */
static void finish_jobs(void)
{
	uint64_t count;
	if (read(pool.done_fd, &count, sizeof(count)) != sizeof(count))
		return;
	rl_lock(&pool.lock);
	struct job *j = pool.done;
	pool.done = NULL;
	rl_unlock(&pool.lock);
	while (j) {
		struct job *next = j->next;
		struct loop_connection *c = &connections[j->slot];
		if (c->fd >= 0 && generation[j->slot] == j->generation) {
			waiting[j->slot] = false;
			if (!loop_send_ok(c->fd))
				close_connection(c);
			else
				handle_requests(c);
		}
		free(j);
		j = next;
	}
}

/* Handles the whole requests received on c, in order, until one must wait for a job. */
static void handle_requests(struct loop_connection *c)
{
	enum request_kind kind;
	while (c->fd >= 0 && !waiting[c - connections] &&
	       (kind = loop_take_request(c)) != REQUEST_NONE) {
		if (kind == REQUEST_BAD) {
			close_connection(c);
			return;
		}
		handle(c, kind);
	}
}

/* The connection is readable: reads what came and handles every whole request in it. */
static void serve_readable(struct loop_connection *c)
{
	ssize_t r = recv(c->fd, c->in + c->in_len, LOOP_BUF - c->in_len, 0);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		close_connection(c); /* the client is done, or gone */
		return;
	}
	c->in_len += (size_t)r;
	handle_requests(c);
}

int main(int argc, char **argv)
{
	loop_config_parse(argc, argv, "Lab 14 (to-thread): the /slow wait runs on worker threads.",
	                  &cfg);
	for (int i = 0; i < LOOP_MAX_CONNECTIONS; i++)
		connections[i].fd = -1;
	int port, listen_fd = loop_listen(&port);
	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (epoll_fd < 0)
		rl_fail(__FILE__, __LINE__, "epoll_create1", errno);
	watch(listen_fd, TAG_LISTEN);
	loop_clients_start(port, &cfg);
	watch(loop_clients_stop_fd(), TAG_STOP);
	pool_start(cfg.slow_batch);
	watch(pool.done_fd, TAG_DONE);

	for (bool running = true; running;) { /* the event loop */
		struct epoll_event events[64];
		int n = epoll_wait(epoll_fd, events, 64, -1);
		if (n < 0 && errno != EINTR)
			rl_fail(__FILE__, __LINE__, "epoll_wait", errno);
		for (int e = 0; e < n; e++) {
			uint32_t tag = events[e].data.u32;
			if (tag == TAG_LISTEN)
				accept_all(listen_fd);
			else if (tag == TAG_STOP)
				running = false;
			else if (tag == TAG_DONE)
				finish_jobs();
			else if (connections[tag].fd >= 0)
				serve_readable(&connections[tag]);
		}
	}

	for (int i = 0; i < LOOP_MAX_CONNECTIONS; i++)
		if (connections[i].fd >= 0)
			close_connection(&connections[i]);
	close(listen_fd);
	close(epoll_fd);
	pool_stop();
	loop_clients_report(&cfg);
	return 0;
}
