/* timer.c: Lab 14 fixed by making the slow wait non-blocking on the loop.
 *
 * The slow operation here is a wait, so the loop can wait for it the way it waits for
 * sockets: a /slow request starts a timerfd due in --slow-ms and adds it to the epoll set;
 * when epoll_wait() says the timer fired, the loop answers that client. Until then it
 * serves everyone else. This is `await asyncio.sleep(d)` in place of `time.sleep(d)`, or
 * an aiohttp request in place of requests.get(): the same wait, but one the loop watches
 * instead of sitting in. One thread, no lock. A connection whose timer runs handles no
 * further request until the answer is sent, so answers keep the order of the requests.
 * Check: racelab run lab14 --solution=timer */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labkit.h"
#include "../../labs/14-event-loop-blocking-call/loop_clients.h"

#define TAG_LISTEN UINT32_MAX       /* epoll data of the listening socket */
#define TAG_STOP   (UINT32_MAX - 1) /* ... of the clients' "all done" eventfd */
#define TAG_TIMER  0x10000u         /* TAG_TIMER + slot: the timer of connection slot */

static struct loop_connection connections[LOOP_MAX_CONNECTIONS];
static struct loop_config cfg;
static int epoll_fd;
static int timer_fd[LOOP_MAX_CONNECTIONS]; /* -1, or the running timer of a /slow request */

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
		watch(fd, i);
	}
}

static void close_connection(struct loop_connection *c)
{
	int slot = (int)(c - connections);
	close(c->fd); /* also leaves the epoll set */
	c->fd = -1;
	if (timer_fd[slot] >= 0)
		close(timer_fd[slot]);
	timer_fd[slot] = -1;
}

/* Answers one request; a /slow one starts a timer and is answered when it fires. */
static void handle(struct loop_connection *c, enum request_kind kind)
{
	if (kind == REQUEST_SLOW) {
		uint32_t slot = (uint32_t)(c - connections);
		struct itimerspec due = {
		    .it_value = {cfg.slow_ms / 1000, (cfg.slow_ms % 1000) * 1000000L + 1}};
		int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (fd < 0 || timerfd_settime(fd, 0, &due, NULL) != 0)
			rl_fail(__FILE__, __LINE__, "timerfd", errno);
		timer_fd[slot] = fd; /* FIXED: the loop waits for it among the sockets */
		watch(fd, TAG_TIMER + slot);
		return;
	}
	if (!loop_send_ok(c->fd))
		close_connection(c);
}

/* Handles the whole requests received on c, in order, until one must wait for a timer. */
static void handle_requests(struct loop_connection *c)
{
	enum request_kind kind;
	while (c->fd >= 0 && timer_fd[c - connections] < 0 &&
	       (kind = loop_take_request(c)) != REQUEST_NONE) {
		if (kind == REQUEST_BAD) {
			close_connection(c);
			return;
		}
		handle(c, kind);
	}
}

/* The timer of a /slow request fired: the wait is over, answer it. */
static void timer_fired(uint32_t slot)
{
	struct loop_connection *c = &connections[slot];
	if (c->fd < 0 || timer_fd[slot] < 0)
		return;
	close(timer_fd[slot]);
	timer_fd[slot] = -1;
	if (!loop_send_ok(c->fd))
		close_connection(c);
	else
		handle_requests(c);
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
	loop_config_parse(argc, argv, "Lab 14 (timer): the /slow wait is a timer the loop watches.",
	                  &cfg);
	for (int i = 0; i < LOOP_MAX_CONNECTIONS; i++) {
		connections[i].fd = -1;
		timer_fd[i] = -1;
	}
	int port, listen_fd = loop_listen(&port);
	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (epoll_fd < 0)
		rl_fail(__FILE__, __LINE__, "epoll_create1", errno);
	watch(listen_fd, TAG_LISTEN);
	loop_clients_start(port, &cfg);
	watch(loop_clients_stop_fd(), TAG_STOP);

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
			else if (tag >= TAG_TIMER && tag < TAG_TIMER + LOOP_MAX_CONNECTIONS)
				timer_fired(tag - TAG_TIMER);
			else if (connections[tag].fd >= 0)
				serve_readable(&connections[tag]);
		}
	}

	for (int i = 0; i < LOOP_MAX_CONNECTIONS; i++)
		if (connections[i].fd >= 0)
			close_connection(&connections[i]);
	close(listen_fd);
	close(epoll_fd);
	loop_clients_report(&cfg);
	return 0;
}
