/* api_net.c: lab 13's HTTP plumbing (api.h): the server, its routes, and the load client.
 * Nothing here is shared between connections except the store, which api_server.c owns:
 * each connection's thread has its own buffers. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api.h"
#include "labkit.h"

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "lab13: %s: %s\n", what, strerror(errno));
	exit(3);
}

/* A growing text buffer for response bodies (GET /items can be long). */
struct text {
	char *p;
	size_t len, cap;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		t->cap = t->cap * 2 + (size_t)(n > 0 ? n : 0) + 256;
		t->p = realloc(t->p, t->cap);
		if (!t->p)
			die("realloc");
	}
}

static const char *reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	default:
		return "Insufficient Storage";
	}
}

static void route_items(const struct http_request *req, const char *body, struct text *out,
                        int *status, const char **allow)
{
	if (strcmp(req->method, "POST") == 0) {
		char name[API_NAME_MAX];
		if (api_parse_name(body, req->body_len, name) != 0) {
			*status = 400;
			text_add(out, "{\"error\":\"expected {\\\"name\\\": \\\"...\\\"}\"}");
			return;
		}
		long id = store_add(name);
		*status = id < 0 ? 507 : 201;
		if (id < 0)
			text_add(out, "{\"error\":\"the store is full\"}");
		else
			text_add(out, "{\"id\":%ld,\"name\":\"%s\"}", id, name);
	} else if (strcmp(req->method, "GET") == 0) {
		size_t cap = 1024;
		struct item *items = malloc(cap * sizeof(*items));
		size_t n;
		while (items && (n = store_list(items, cap)) > cap) {
			cap = n + 1024;
			free(items);
			items = malloc(cap * sizeof(*items));
		}
		if (!items)
			die("malloc");
		*status = 200;
		text_add(out, "{\"count\":%zu,\"items\":[", n);
		for (size_t i = 0; i < n; i++)
			text_add(out, "%s{\"id\":%ld,\"name\":\"%s\"}", i ? "," : "", items[i].id,
			         items[i].name);
		text_add(out, "]}");
		free(items);
	} else {
		*status = 405;
		*allow = "GET, POST";
	}
}

/* Answers one parsed request: sets *status and the JSON body, and *allow for a 405. */
static void route(const struct http_request *req, const char *body, struct text *out, int *status,
                  const char **allow)
{
	bool get = strcmp(req->method, "GET") == 0;
	long id = api_item_id(req->path);
	if (strcmp(req->path, "/items") == 0) {
		route_items(req, body, out, status, allow);
	} else if (strcmp(req->path, "/stats") == 0 || id > 0) {
		if (!get) {
			*status = 405;
			*allow = "GET";
		} else if (id > 0) {
			struct item it;
			*status = store_get(id, &it) ? 200 : 404;
			if (*status == 200)
				text_add(out, "{\"id\":%ld,\"name\":\"%s\"}", it.id, it.name);
		} else {
			long items, next_id;
			store_stats(&items, &next_id);
			*status = 200;
			text_add(out, "{\"items\":%ld,\"next_id\":%ld}", items, next_id);
		}
	} else {
		*status = 404;
	}
	if (*status >= 400 && out->len == 0)
		text_add(out, "{\"error\":\"%s\"}", reason(*status));
}

static bool send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool respond(int fd, int status, const char *allow, const struct text *body, bool keep)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
	                 "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
	                 "Content-Length: %zu\r\n%s%s%sConnection: %s\r\n\r\n",
	                 status, reason(status), body->len, allow ? "Allow: " : "",
	                 allow ? allow : "", allow ? "\r\n" : "", keep ? "keep-alive" : "close");
	return send_all(fd, head, (size_t)n) && send_all(fd, body->p, body->len);
}

struct connection {
	struct api_server *server;
	int fd;
};

/* Serves one connection's requests in order until the client closes it, asks to close,
 * or sends something malformed (answered 400, then closed). */
static void serve(int fd)
{
	static const size_t cap = HTTP_REQUEST_HEAD_MAX + HTTP_REQUEST_BODY_MAX;
	char *buf = malloc(cap);
	struct text out = {malloc(256), 0, 256};
	size_t len = 0;
	if (!buf || !out.p)
		die("malloc");
	for (;;) {
		struct http_request req;
		long n = http_parse_request(buf, len, &req);
		if (n == 0) {
			ssize_t r = recv(fd, buf + len, cap - len, 0);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			len += (size_t)r;
			continue;
		}
		int status = 400;
		const char *allow = NULL;
		out.len = 0;
		if (n > 0)
			route(&req, buf + req.body_offset, &out, &status, &allow);
		else
			text_add(&out, "{\"error\":\"malformed request\"}");
		bool keep = n > 0 && req.keep_alive;
		if (!respond(fd, status, allow, &out, keep) || !keep)
			break;
		memmove(buf, buf + n, len - (size_t)n);
		len -= (size_t)n;
	}
	free(out.p);
	free(buf);
}

static void *connection_thread(void *arg)
{
	struct connection *c = arg;
	struct api_server *s = c->server;
	serve(c->fd);
	close(c->fd);
	free(c);
	rl_lock(&s->lock);
	s->open--;
	rl_cond_broadcast(&s->closed);
	rl_unlock(&s->lock);
	return NULL;
}

static void *acceptor(void *arg)
{
	struct api_server *s = arg;
	for (;;) {
		int fd = accept(s->listen_fd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL; /* shut down by api_server_stop */
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		struct connection *c = malloc(sizeof(*c));
		if (!c)
			die("malloc");
		*c = (struct connection){s, fd};
		rl_lock(&s->lock);
		s->open++;
		rl_unlock(&s->lock);
		pthread_t t;
		rl_thread_start(&t, connection_thread, c);
		pthread_detach(t);
	}
}

void api_server_start(struct api_server *s, int port)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t alen = sizeof(addr);
	int one = 1;
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0)
		die("socket");
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
		die("bind 127.0.0.1");
	if (listen(s->listen_fd, 128) != 0 ||
	    getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) != 0)
		die("listen");
	s->port = ntohs(addr.sin_port);
	s->open = 0;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->closed, NULL);
	rl_thread_start(&s->acceptor, acceptor, s);
}

void api_server_stop(struct api_server *s)
{
	shutdown(s->listen_fd, SHUT_RDWR); /* accept() returns: the acceptor ends */
	rl_thread_join(s->acceptor, NULL);
	rl_lock(&s->lock);
	while (s->open > 0)
		rl_cond_wait(&s->closed, &s->lock);
	rl_unlock(&s->lock);
	close(s->listen_fd);
}

/* The client side: one keep-alive connection and what it has received. */
struct client {
	int fd;
	char buf[HTTP_REQUEST_HEAD_MAX + 256];
	size_t len;
};

static void client_connect(struct client *c, int port)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	c->len = 0;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
		die("connect 127.0.0.1");
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Receives more bytes into c->buf; exits if the server closed the connection early. */
static void client_fill(struct client *c)
{
	if (c->len == sizeof(c->buf) - 1) {
		fprintf(stderr, "lab13: an answer's head is too long\n");
		exit(3);
	}
	ssize_t r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);
	if (r < 0 && errno == EINTR)
		return;
	if (r <= 0) {
		errno = r == 0 ? ECONNRESET : errno;
		die("recv");
	}
	c->len += (size_t)r;
	c->buf[c->len] = '\0';
}

/* Sends a request and reads its answer; returns the status and the body (malloc'd). */
static char *client_request(struct client *c, const char *method, const char *path,
                            const char *body, int *status)
{
	char head[512];
	size_t blen = body ? strlen(body) : 0;
	int n = snprintf(head, sizeof(head),
	                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
	                 "Content-Length: %zu\r\n\r\n",
	                 method, path, blen);
	if (!send_all(c->fd, head, (size_t)n) || (blen && !send_all(c->fd, body, blen)))
		die("send");
	char *end;
	c->buf[c->len] = '\0';
	while (!(end = strstr(c->buf, "\r\n\r\n")))
		client_fill(c);
	size_t head_len = (size_t)(end - c->buf) + 4;
	long length = 0;
	const char *cl = strstr(c->buf, "Content-Length: ");
	if (sscanf(c->buf, "HTTP/1.1 %d", status) != 1 || !cl || cl > end ||
	    sscanf(cl, "Content-Length: %ld", &length) != 1 || length < 0) {
		fprintf(stderr, "lab13: an answer that does not parse\n");
		exit(3);
	}
	char *out = malloc((size_t)length + 1);
	if (!out)
		die("malloc");
	size_t have = c->len - head_len < (size_t)length ? c->len - head_len : (size_t)length;
	memcpy(out, c->buf + head_len, have);
	while (have < (size_t)length) {
		ssize_t r = recv(c->fd, out + have, (size_t)length - have, 0);
		if (r <= 0 && !(r < 0 && errno == EINTR))
			die("recv");
		have += r > 0 ? (size_t)r : 0;
	}
	out[length] = '\0';
	size_t used = head_len + (size_t)length < c->len ? head_len + (size_t)length : c->len;
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	return out;
}

char *api_get(int port, const char *path, int *status)
{
	struct client *c = malloc(sizeof(*c));
	if (!c)
		die("malloc");
	client_connect(c, port);
	char *body = client_request(c, "GET", path, NULL, status);
	close(c->fd);
	free(c);
	return body;
}

struct load_client {
	int port, index, posts, reads;
	long *ids; /* this client's part of load->ids */
	long posts_ok, bad, wrong_reads, requests;
	struct rl_gate *gate;
};

static void *load_client(void *arg)
{
	struct load_client *lc = arg;
	struct client *c = malloc(sizeof(*c));
	if (!c)
		die("malloc");
	client_connect(c, lc->port);
	/* One request first, so this connection's server thread is running before any POST:
	 * a connection accepted late, after another had ended, would start with the end of
	 * that one behind it (the server's lock), and the two could never overlap. */
	int status;
	free(client_request(c, "GET", "/stats", NULL, &status));
	rl_gate_wait(lc->gate); /* every client starts at once, so the POSTs overlap */
	for (int i = 0; i < lc->posts; i++) {
		char name[API_NAME_MAX], body[128], path[64];
		snprintf(name, sizeof(name), "client%d-item%d", lc->index, i);
		snprintf(body, sizeof(body), "{\"name\": \"%s\"}", name);
		char *answer = client_request(c, "POST", "/items", body, &status);
		lc->requests++;
		long id = -1;
		if (status == 201 && sscanf(answer, "{\"id\":%ld", &id) == 1 && id > 0) {
			lc->ids[lc->posts_ok++] = id;
		} else {
			lc->bad++;
			id = -1;
		}
		free(answer);
		for (int r = 0; r < lc->reads && id > 0; r++) {
			snprintf(path, sizeof(path), "/items/%ld", id);
			answer = client_request(c, "GET", path, NULL, &status);
			lc->requests++;
			char expect[128];
			snprintf(expect, sizeof(expect), "{\"id\":%ld,\"name\":\"%s\"}", id, name);
			lc->wrong_reads += status != 200 || strcmp(answer, expect) != 0;
			free(answer);
		}
		answer = client_request(c, "GET", "/stats", NULL, &status);
		lc->requests++;
		lc->bad += status != 200;
		free(answer);
	}
	close(c->fd);
	free(c);
	return NULL;
}

void api_load_run(int port, int clients, int posts, int reads, struct api_load *load)
{
	struct load_client *lcs = calloc((size_t)clients, sizeof(*lcs));
	pthread_t *threads = calloc((size_t)clients, sizeof(*threads));
	struct rl_gate gate;
	*load = (struct api_load){0};
	load->ids = calloc((size_t)clients * (size_t)posts, sizeof(long));
	if (!lcs || !threads || !load->ids)
		die("calloc");
	rl_gate_init(&gate, clients);
	long long start = rl_clock_ns();
	for (int k = 0; k < clients; k++) {
		lcs[k] = (struct load_client){.port = port,
		                              .index = k,
		                              .posts = posts,
		                              .reads = reads,
		                              .ids = load->ids + (long)k * posts,
		                              .gate = &gate};
		rl_thread_start(&threads[k], load_client, &lcs[k]);
	}
	for (int k = 0; k < clients; k++)
		rl_thread_join(threads[k], NULL);
	load->work_ns = rl_clock_ns() - start;
	for (int k = 0; k < clients; k++) { /* packs the ids of the 201s together */
		memmove(load->ids + load->n_ids, lcs[k].ids,
		        (size_t)lcs[k].posts_ok * sizeof(long));
		load->n_ids += lcs[k].posts_ok;
		load->posts_ok += lcs[k].posts_ok;
		load->bad_answers += lcs[k].bad;
		load->wrong_reads += lcs[k].wrong_reads;
		load->requests += lcs[k].requests;
	}
	free(threads);
	free(lcs);
}
