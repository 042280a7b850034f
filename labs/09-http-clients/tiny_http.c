/* tiny_http.c: the loopback HTTP/1.1 server and client of tiny_http.h.
 *
 * The server is correct and shares nothing between its threads: the acceptor owns the
 * connection table; each connection thread owns its socket. Every call is checked;
 * on loopback a failure means something is badly wrong, so it aborts with the reason. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
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

static const char body_bytes[64 * 1024]; /* what every body is made of: zeros */

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

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* N of a "GET /bytes/N HTTP/1.1" request head; -1 for any other request. */
static long requested_size(char *head, size_t head_len)
{
	long size;
	head[head_len - 1] = '\0'; /* the last '\n' of the head */
	if (sscanf(head, "GET /bytes/%ld HTTP/1.1\r\n", &size) != 1)
		return -1;
	return size >= 0 && size <= HTTP_MAX_BODY ? size : -1;
}

static void answer(int fd, long size)
{
	char head[HTTP_HEAD_MAX];
	int len;
	if (size < 0) {
		len = snprintf(head, sizeof(head),
			       "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
			       "Connection: close\r\n\r\n");
		send_all(fd, head, (size_t)len);
		return;
	}
	len = snprintf(head, sizeof(head),
		       "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
		       "Content-Length: %ld\r\nConnection: close\r\n\r\n", size);
	send_all(fd, head, (size_t)len);
	for (long left = size; left > 0; left -= (long)sizeof(body_bytes))
		send_all(fd, body_bytes, left < (long)sizeof(body_bytes) ? (size_t)left
									 : sizeof(body_bytes));
}

/* One connection: read the request, think for delay_ms, answer, close. */
static void *connection_main(void *arg)
{
	struct http_connection *c = arg;
	char head[HTTP_HEAD_MAX];
	size_t head_len;
	long size = -1;
	if (read_head(c->fd, head, sizeof(head), &head_len) > 0)
		size = requested_size(head, head_len);
	sleep_ms(c->delay_ms); /* the server's work: a database, a disk, a slow backend */
	answer(c->fd, size);
	close(c->fd);
	return NULL;
}

static void start_connection(struct http_server *s, int fd)
{
	if (s->n_connections == HTTP_MAX_CONNECTIONS) {
		fprintf(stderr, "tiny_http: more than %d connections\n", HTTP_MAX_CONNECTIONS);
		abort();
	}
	struct http_connection *c = &s->connections[s->n_connections++];
	c->fd = fd;
	c->delay_ms = s->delay_ms;
	rl_thread_start(&c->thread, connection_main, c);
}

/* Accepts connections until http_server_stop writes to the wake pipe. */
static void *acceptor_main(void *arg)
{
	struct http_server *s = arg;
	struct pollfd fds[2] = { { s->listen_fd, POLLIN, 0 }, { s->wake_pipe[0], POLLIN, 0 } };
	for (;;) {
		int ready = poll(fds, 2, -1);
		if (ready < 0 && errno == EINTR)
			continue;
		CHECK(ready > 0, "poll");
		if (fds[1].revents)
			return NULL;
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		CHECK(fd >= 0, "accept4");
		start_connection(s, fd);
	}
}

void http_server_start(struct http_server *s, long delay_ms)
{
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) }; /* port 0: any free */
	socklen_t addr_len = sizeof(addr);
	s->delay_ms = delay_ms;
	s->n_connections = 0;
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(s->listen_fd >= 0, "socket");
	CHECK(bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) == 0, "bind 127.0.0.1");
	CHECK(listen(s->listen_fd, SOMAXCONN) == 0, "listen");
	CHECK(getsockname(s->listen_fd, (struct sockaddr *)&addr, &addr_len) == 0, "getsockname");
	s->port = ntohs(addr.sin_port);
	CHECK(pipe2(s->wake_pipe, O_CLOEXEC) == 0, "pipe2");
	rl_thread_start(&s->acceptor, acceptor_main, s);
}

void http_server_stop(struct http_server *s)
{
	CHECK(write(s->wake_pipe[1], "x", 1) == 1, "write");
	rl_thread_join(s->acceptor, NULL);
	for (int i = 0; i < s->n_connections; i++)
		rl_thread_join(s->connections[i].thread, NULL);
	close(s->listen_fd);
	close(s->wake_pipe[0]);
	close(s->wake_pipe[1]);
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
