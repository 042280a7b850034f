/* site.c: lab 15's site and client (site.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labkit.h"
#include "site.h"

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "lab15: %s: %s\n", what, strerror(errno));
	exit(3);
}

int site_page_of(const struct site *s, const char *url)
{
	if (strcmp(url, "/") == 0)
		return 0;
	int n, used = 0;
	if (sscanf(url, "/page/%d%n", &n, &used) != 1 || url[used] != '\0' || n < 1 ||
	    n >= s->pages)
		return -1;
	return n;
}

static void url_of(int page, char url[SITE_URL_MAX])
{
	if (page == 0)
		snprintf(url, SITE_URL_MAX, "/");
	else
		snprintf(url, SITE_URL_MAX, "/page/%d", page);
}

/* Page n's hypertext: a title and five links. n + 1 makes every page reachable from "/";
 * the others jump about the site, back to lower pages and to "/", so the links form
 * cycles and most pages are linked from several others. */
static int page_html(int n, int pages, char *out, size_t cap)
{
	int links[5] = {(n + 1) % pages, (n * 7 + 3) % pages, (n * 13 + 5) % pages, n / 2,
	                (n * n + 11) % pages};
	int len = snprintf(out, cap,
	                   "<html><head><title>Page %d</title></head><body>\n"
	                   "<h1>Page %d</h1>\n<ul>\n",
	                   n, n);
	for (int i = 0; i < 5; i++) {
		char url[SITE_URL_MAX];
		url_of(links[i], url);
		len += snprintf(out + len, cap - (size_t)len,
		                "<li><a href=\"%s\">page %d</a></li>\n", url, links[i]);
	}
	len += snprintf(out + len, cap - (size_t)len, "</ul>\n</body></html>\n");
	return len;
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

struct connection {
	struct site *site;
	int fd;
};

/* Answers one request head ("GET URL HTTP/1.1 ..."). Returns false to close. */
static bool answer(struct site *s, int fd, const char *head)
{
	char url[SITE_URL_MAX + 1], body[2048], reply[2300];
	int page = -1, n;
	if (sscanf(head, "GET %32s HTTP/1.1", url) == 1)
		page = site_page_of(s, url);
	if (page < 0) {
		n = snprintf(reply, sizeof(reply),
		             "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
		             "Connection: close\r\n\r\n");
		send_all(fd, reply, (size_t)n);
		return false;
	}
	rl_lock(&s->lock);
	s->fetches[page]++;
	rl_unlock(&s->lock);
	int len = page_html(page, s->pages, body, sizeof(body));
	n = snprintf(reply, sizeof(reply),
	             "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s",
	             len, body);
	return send_all(fd, reply, (size_t)n);
}

static void *connection_thread(void *arg)
{
	struct connection *c = arg;
	struct site *s = c->site;
	char buf[1024];
	size_t len = 0;
	for (;;) {
		buf[len] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (end) {
			if (!answer(s, c->fd, buf))
				break;
			size_t used = (size_t)(end + 4 - buf);
			memmove(buf, buf + used, len - used);
			len -= used;
			continue;
		}
		ssize_t r =
		    len < sizeof(buf) - 1 ? recv(c->fd, buf + len, sizeof(buf) - 1 - len, 0) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
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
	struct site *s = arg;
	for (;;) {
		int fd = accept(s->listen_fd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL; /* shut down by site_stop */
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

void site_start(struct site *s, int pages)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t alen = sizeof(addr);
	memset(s, 0, sizeof(*s));
	s->pages = pages;
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    listen(s->listen_fd, 128) != 0 ||
	    getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) != 0)
		die("listen on 127.0.0.1");
	s->port = ntohs(addr.sin_port);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->closed, NULL);
	rl_thread_start(&s->acceptor, acceptor, s);
}

void site_stop(struct site *s)
{
	shutdown(s->listen_fd, SHUT_RDWR); /* accept() returns: the acceptor ends */
	rl_thread_join(s->acceptor, NULL);
	rl_lock(&s->lock);
	while (s->open > 0)
		rl_cond_wait(&s->closed, &s->lock);
	rl_unlock(&s->lock);
	close(s->listen_fd);
}

void site_client_open(struct site_client *c, int port)
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

void site_client_close(struct site_client *c)
{
	close(c->fd);
	c->fd = -1;
}

/* Receives more into c->buf; exits when the site closed the connection. */
static void client_fill(struct site_client *c)
{
	ssize_t r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);
	if (r < 0 && errno == EINTR)
		return;
	if (r <= 0) {
		errno = r == 0 ? ECONNRESET : errno;
		die("recv");
	}
	c->len += (unsigned)r;
	c->buf[c->len] = '\0';
}

char *site_fetch(struct site_client *c, const char *url)
{
	char request[128];
	int n =
	    snprintf(request, sizeof(request), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", url);
	if (!send_all(c->fd, request, (size_t)n))
		die("send");
	char *end;
	c->buf[c->len] = '\0';
	while (!(end = strstr(c->buf, "\r\n\r\n"))) {
		if (c->len >= sizeof(c->buf) - 1) {
			fprintf(stderr, "lab15: %s: the answer's head is too long\n", url);
			exit(3);
		}
		client_fill(c);
	}
	int status = 0;
	long length = -1;
	const char *cl = strstr(c->buf, "Content-Length: ");
	if (sscanf(c->buf, "HTTP/1.1 %d", &status) != 1 || status != 200 || !cl || cl > end ||
	    sscanf(cl, "Content-Length: %ld", &length) != 1 || length < 0 || length > 65536) {
		fprintf(stderr, "lab15: %s: status %d\n", url, status);
		exit(3);
	}
	size_t head = (size_t)(end + 4 - c->buf);
	char *page = malloc((size_t)length + 1);
	if (!page)
		die("malloc");
	size_t have = c->len - head < (size_t)length ? c->len - head : (size_t)length;
	memcpy(page, c->buf + head, have);
	while (have < (size_t)length) {
		ssize_t r = recv(c->fd, page + have, (size_t)length - have, 0);
		if (r <= 0 && !(r < 0 && errno == EINTR))
			die("recv");
		have += r > 0 ? (size_t)r : 0;
	}
	page[length] = '\0';
	size_t used = head + (size_t)length < c->len ? head + (size_t)length : c->len;
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= (unsigned)used;
	return page;
}

bool site_next_link(const char *html, const char **at, char url[SITE_URL_MAX])
{
	const char *p = strstr(*at ? *at : html, "href=\"");
	if (!p)
		return false;
	p += 6;
	size_t n = strcspn(p, "\"");
	if (p[n] != '"' || n >= SITE_URL_MAX) {
		*at = p + n;
		return site_next_link(html, at, url);
	}
	memcpy(url, p, n);
	url[n] = '\0';
	*at = p + n + 1;
	return true;
}
