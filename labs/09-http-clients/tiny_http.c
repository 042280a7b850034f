/* tiny_http.c: the loopback HTTP/1.1 server and client of tiny_http.h.
 *
 * The server is one thread running an event loop, as in lab 8 but on real sockets: it
 * waits in ppoll() for whichever connection is ready, or for the moment an answer is due,
 * and never blocks on any one connection, so it serves many at once. Only that thread
 * touches its connections. The client side is plain blocking sockets. Every call is
 * checked; on loopback a failure means something is badly wrong, so the program aborts
 * with the reason. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "labkit.h"
#include "tiny_http.h"

/* On failure, reports "file:line: call: strerror(errno)" and aborts. */
#define CHECK(ok, call)                                             \
	do {                                                        \
		if (!(ok))                                          \
			rl_fail(__FILE__, __LINE__, (call), errno); \
	} while (0)

/* What every body is made of: lines of HTTP_LINE bytes, HTTP_LINE - 1 letters and '\n'.
 * Filled by http_server_start; read-only while the server runs. */
static char body_bytes[64 * 1024];

static void fill_body_bytes(void)
{
	for (size_t i = 0; i < sizeof(body_bytes); i++) {
		bool line_end = i % HTTP_LINE == HTTP_LINE - 1;
		body_bytes[i] = line_end ? '\n' : (char)('a' + i / HTTP_LINE % 26);
	}
}

/* N of a "GET /bytes/N HTTP/1.1" request head; -1 for any other request. */
static long requested_size(const char *head, size_t head_len)
{
	char text[HTTP_HEAD_MAX + 1];
	long size;
	memcpy(text, head, head_len);
	text[head_len] = '\0';
	if (sscanf(text, "GET /bytes/%ld HTTP/1.1\r\n", &size) != 1)
		return -1;
	return size >= 0 && size <= HTTP_MAX_BODY ? size : -1;
}

/* ---- The server: one thread, one event loop over every connection. ---- */

static struct http_connection *free_slot(struct http_server *s)
{
	for (int i = 0; i < HTTP_MAX_CONNECTIONS; i++)
		if (s->connections[i].fd < 0)
			return &s->connections[i];
	return NULL;
}

static void close_connection(struct http_connection *c)
{
	close(c->fd);
	c->fd = -1;
}

/* Takes every connection waiting in the listen queue, while there are free slots. */
static void accept_all(struct http_server *s)
{
	struct http_connection *c;
	while ((c = free_slot(s)) != NULL) {
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		CHECK(fd >= 0, "accept4");
		c->fd = fd;
		c->state = HTTP_READING;
		c->request_len = 0;
	}
}

/* Composes the answer to a request for size bytes (-1: not found); it is sent later. */
static void prepare_reply(struct http_connection *c, long size)
{
	int len;
	if (size < 0)
		len = snprintf(c->reply, sizeof(c->reply),
			       "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
			       "Connection: close\r\n\r\n");
	else
		len = snprintf(c->reply, sizeof(c->reply),
			       "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
			       "Content-Length: %ld\r\nConnection: close\r\n\r\n", size);
	c->reply_len = (size_t)len;
	c->body_len = size < 0 ? 0 : size;
	c->sent = 0;
}

/* HTTP_READING: reads what has arrived; once the head is whole, starts thinking. */
static void read_request(struct http_server *s, struct http_connection *c)
{
	size_t room = sizeof(c->request) - c->request_len;
	ssize_t n = recv(c->fd, c->request + c->request_len, room, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) { /* the client went away, or an error: forget it */
		close_connection(c);
		return;
	}
	c->request_len += (size_t)n;
	char *end = memmem(c->request, c->request_len, "\r\n\r\n", 4);
	if (!end && c->request_len < sizeof(c->request))
		return; /* more to come */
	prepare_reply(c, end ? requested_size(c->request, (size_t)(end + 4 - c->request)) : -1);
	c->state = HTTP_THINKING;
	c->due_ns = rl_clock_ns() + s->delay_ms * 1000000LL;
}

/* HTTP_SENDING: sends what the socket takes now; closes the connection when all is sent. */
static void send_reply(struct http_connection *c)
{
	long total = (long)c->reply_len + c->body_len;
	while (c->sent < total) {
		const char *from;
		size_t len;
		if (c->sent < (long)c->reply_len) {
			from = c->reply + c->sent;
			len = c->reply_len - (size_t)c->sent;
		} else { /* the body: body_bytes over and over */
			size_t at = (size_t)(c->sent - (long)c->reply_len) % sizeof(body_bytes);
			from = body_bytes + at;
			len = sizeof(body_bytes) - at;
		}
		if ((long)len > total - c->sent)
			len = (size_t)(total - c->sent);
		ssize_t n = send(c->fd, from, len, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return; /* the socket is full: poll says when it has room again */
		if (n < 0) {
			close_connection(c); /* the client went away */
			return;
		}
		c->sent += n;
	}
	close_connection(c);
}

/* Moves every connection whose thinking time is over to sending. Returns the time until
 * the next one is due, in ns, or -1 if none is thinking. */
static long long wake_thinkers(struct http_server *s)
{
	long long now = rl_clock_ns(), next = -1;
	for (int i = 0; i < HTTP_MAX_CONNECTIONS; i++) {
		struct http_connection *c = &s->connections[i];
		if (c->fd < 0 || c->state != HTTP_THINKING)
			continue;
		if (c->due_ns <= now) {
			c->state = HTTP_SENDING;
			send_reply(c);
		} else if (next < 0 || c->due_ns - now < next) {
			next = c->due_ns - now;
		}
	}
	return next;
}

/* Fills fds with what the loop waits for: the wake pipe, the listening socket (while a
 * slot is free), and each connection that reads or sends. owner[i] is the connection
 * of fds[i] (NULL for the first two). Returns the number of entries. */
static int what_to_poll(struct http_server *s, struct pollfd *fds,
			struct http_connection **owner)
{
	int n = 0;
	fds[n] = (struct pollfd){ s->wake_pipe[0], POLLIN, 0 };
	owner[n++] = NULL;
	if (free_slot(s)) {
		fds[n] = (struct pollfd){ s->listen_fd, POLLIN, 0 };
		owner[n++] = NULL;
	}
	for (int i = 0; i < HTTP_MAX_CONNECTIONS; i++) {
		struct http_connection *c = &s->connections[i];
		if (c->fd < 0 || c->state == HTTP_THINKING)
			continue;
		fds[n] = (struct pollfd){ c->fd, c->state == HTTP_READING ? POLLIN : POLLOUT, 0 };
		owner[n++] = c;
	}
	return n;
}

/* The server's event loop: waits in ppoll() until a socket is ready or an answer is due,
 * then does what is ready. Runs until http_server_stop writes to the wake pipe. */
static void *server_main(void *arg)
{
	struct pollfd fds[HTTP_MAX_CONNECTIONS + 2];
	struct http_connection *owner[HTTP_MAX_CONNECTIONS + 2];
	struct http_server *s = arg;
	for (;;) {
		long long wait_ns = wake_thinkers(s);
		struct timespec timeout = { wait_ns / 1000000000, wait_ns % 1000000000 };
		int n = what_to_poll(s, fds, owner);
		int ready = ppoll(fds, (nfds_t)n, wait_ns < 0 ? NULL : &timeout, NULL);
		if (ready < 0 && errno == EINTR)
			continue;
		CHECK(ready >= 0, "ppoll");
		if (fds[0].revents)
			return NULL;
		for (int i = 1; i < n; i++) {
			if (!fds[i].revents)
				continue;
			if (!owner[i])
				accept_all(s);
			else if (owner[i]->state == HTTP_READING)
				read_request(s, owner[i]);
			else
				send_reply(owner[i]);
		}
	}
}

void http_server_start(struct http_server *s, long delay_ms)
{
	/* port 0: the kernel picks a free one */
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t addr_len = sizeof(addr);
	fill_body_bytes();
	s->delay_ms = delay_ms;
	for (int i = 0; i < HTTP_MAX_CONNECTIONS; i++)
		s->connections[i].fd = -1;
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CHECK(s->listen_fd >= 0, "socket");
	CHECK(bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) == 0, "bind 127.0.0.1");
	CHECK(listen(s->listen_fd, SOMAXCONN) == 0, "listen");
	CHECK(getsockname(s->listen_fd, (struct sockaddr *)&addr, &addr_len) == 0, "getsockname");
	s->port = ntohs(addr.sin_port);
	CHECK(pipe2(s->wake_pipe, O_CLOEXEC) == 0, "pipe2");
	rl_thread_start(&s->thread, server_main, s);
}

void http_server_stop(struct http_server *s)
{
	CHECK(write(s->wake_pipe[1], "", 1) == 1, "write");
	rl_thread_join(s->thread, NULL);
	for (int i = 0; i < HTTP_MAX_CONNECTIONS; i++)
		if (s->connections[i].fd >= 0)
			close_connection(&s->connections[i]);
	close(s->listen_fd);
	close(s->wake_pipe[0]);
	close(s->wake_pipe[1]);
}

/* ---- The client: blocking sockets, one connection per request. ---- */

/* Sends all of buf on a blocking socket. */
static void send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		/* MSG_NOSIGNAL: a peer that went away is an error here, not a SIGPIPE */
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		CHECK(n > 0, "send");
		buf += n;
		len -= (size_t)n;
	}
}

/* Reads from fd until the end of a message head (an empty line). Returns the bytes read,
 * the head and whatever followed it, and sets *head_len; -1 if the peer closed first or
 * the head does not fit in cap bytes. */
static long read_head(int fd, char *buf, size_t cap, size_t *head_len)
{
	size_t len = 0;
	while (len < cap) {
		ssize_t n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		len += (size_t)n;
		char *end = memmem(buf, len, "\r\n\r\n", 4);
		if (end) {
			*head_len = (size_t)(end + 4 - buf);
			return (long)len;
		}
	}
	return -1;
}

static int connect_loopback(int port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(fd >= 0, "socket");
	while (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
		CHECK(errno == EINTR, "connect 127.0.0.1");
	return fd;
}

/* Fills r's status and content_length from its head; aborts on a malformed one. */
static void parse_response_head(struct http_response *r, size_t head_len)
{
	char text[HTTP_HEAD_MAX + 1];
	memcpy(text, r->head, head_len);
	text[head_len] = '\0';
	const char *length = strcasestr(text, "\r\nContent-Length:");
	if (sscanf(text, "HTTP/1.1 %d", &r->status) != 1 || !length ||
	    sscanf(length + 17, "%ld", &r->content_length) != 1 || r->content_length < 0) {
		fprintf(stderr, "tiny_http: malformed response head: %.60s\n", text);
		abort();
	}
}

void http_get(int port, const char *path, struct http_response *r)
{
	char request[HTTP_HEAD_MAX];
	size_t head_len;
	int len = snprintf(request, sizeof(request),
			   "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n",
			   path, port);
	r->fd = connect_loopback(port);
	send_all(r->fd, request, (size_t)len);
	long got = read_head(r->fd, r->head, sizeof(r->head), &head_len);
	if (got < 0) {
		fprintf(stderr, "tiny_http: GET %s: no response head\n", path);
		abort();
	}
	parse_response_head(r, head_len);
	r->body_read = 0;
	r->early = head_len;
	r->early_len = (size_t)got - head_len;
}

long http_read_body(struct http_response *r, char *buf, size_t cap)
{
	long left = r->content_length - r->body_read;
	ssize_t n;
	if (left <= 0)
		return 0;
	if (cap > (size_t)left)
		cap = (size_t)left;
	if (r->early_len > 0) {
		n = (ssize_t)(r->early_len < cap ? r->early_len : cap);
		memcpy(buf, r->head + r->early, (size_t)n);
		r->early += (size_t)n;
		r->early_len -= (size_t)n;
	} else {
		do
			n = recv(r->fd, buf, cap, 0);
		while (n < 0 && errno == EINTR);
		CHECK(n >= 0, "recv");
	}
	if (n == 0) {
		fprintf(stderr, "tiny_http: connection closed after %ld of %ld body bytes\n",
			r->body_read, r->content_length);
		abort();
	}
	r->body_read += n;
	return n;
}

void http_close(struct http_response *r)
{
	close(r->fd);
	r->fd = -1;
}
