/* event_loop.c: Lab 14, one blocking call in an event loop stalls every client.
 *
 * A server in the shape of asyncio: one thread, one loop, many connections. epoll_wait()
 * says which sockets have something to read; the loop reads, handles each whole request,
 * answers, and goes back to waiting. Nothing else runs on this thread, so the program, not
 * the processor, decides when to switch from one client to the next: only where the loop
 * comes back to epoll_wait().
 *
 * /fast needs no work. /slow needs slow_operation(), a wait of --slow-ms standing for a
 * slow disk or a synchronous HTTP request, and the handler calls it right there, on the
 * loop's thread. While it waits, no other socket is read and no other client is answered.
 * Clients (threads of this process, loop_clients.c) send /fast every millisecond and
 * measure each answer's latency; another sends rounds of /slow requests, several at once.
 *
 * Expect: the fast clients' p99 latency far above --bound-ms (about the slow wait times
 * the batch), every run; a round of /slow requests takes as long as doing them one after
 * another. ThreadSanitizer stays silent: nothing here is a data race (README.md). Run it
 * with `make lab14`; the fixed versions are in solutions/14-event-loop-blocking-call/. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labkit.h"
#include "loop_clients.h"

#define TAG_LISTEN UINT32_MAX       /* epoll data of the listening socket */
#define TAG_STOP   (UINT32_MAX - 1) /* ... of the clients' "all done" eventfd */

static struct loop_connection connections[LOOP_MAX_CONNECTIONS];
static struct loop_config cfg;
static int epoll_fd;

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
	close(c->fd); /* also leaves the epoll set */
	c->fd = -1;
}

/* Answers one request. */
static void handle(struct loop_connection *c, enum request_kind kind)
{
	if (kind == REQUEST_SLOW)
		slow_operation(cfg.slow_ms); /* BUG: waits on the loop's thread: no other client
		                              * is served until it returns */
	if (!loop_send_ok(c->fd))
		close_connection(c);
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
	enum request_kind kind;
	while (c->fd >= 0 && (kind = loop_take_request(c)) != REQUEST_NONE) {
		if (kind == REQUEST_BAD) {
			close_connection(c);
			return;
		}
		handle(c, kind);
	}
}

int main(int argc, char **argv)
{
	loop_config_parse(argc, argv,
	                  "Lab 14: an epoll event loop whose /slow handler blocks the loop.", &cfg);
	for (int i = 0; i < LOOP_MAX_CONNECTIONS; i++)
		connections[i].fd = -1;
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
