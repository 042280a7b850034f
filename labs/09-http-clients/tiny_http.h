/* tiny_http.h: just enough HTTP/1.1 for lab 9, over loopback only.
 *
 * The server: a thread that accepts connections on 127.0.0.1 at a free port and serves
 * each on a thread of its own, so many requests are in progress at once, as on a real
 * web server. It knows one kind of URL: GET /bytes/N answers, after delay_ms (the time a
 * real server would think), with a body of exactly N bytes. One request per connection
 * (Connection: close).
 *
 * The client: http_get() connects, sends the request and reads the response head;
 * http_read_body() then hands out the body chunk by chunk, as it arrives. */
#ifndef RACELAB_TINY_HTTP_H
#define RACELAB_TINY_HTTP_H

#include <pthread.h>
#include <stddef.h>

#define HTTP_MAX_CONNECTIONS 4096 /* per server run; one thread each */
#define HTTP_MAX_BODY (1L << 20)  /* largest N in /bytes/N */
#define HTTP_HEAD_MAX 1024        /* longest request or response head */

struct http_connection {
	int fd;                      /* the accepted socket; its thread closes it */
	long delay_ms;               /* copied from the server */
	pthread_t thread;            /* serves this one request */
};

struct http_server {
	int listen_fd;               /* bound to 127.0.0.1:port */
	int wake_pipe[2];            /* http_server_stop writes here to end the accept loop */
	int port;                    /* the free port the kernel chose */
	long delay_ms;               /* every request waits this long before the answer */
	pthread_t acceptor;          /* accepts connections, starts one thread each */
	struct http_connection connections[HTTP_MAX_CONNECTIONS]; /* acceptor's, then stop's */
	int n_connections;
};

/* Starts the server on 127.0.0.1 at a free port (s->port). Aborts with a message when it
 * cannot (no loopback, no memory). */
void http_server_start(struct http_server *s, long delay_ms);

/* Stops accepting, waits for every request in progress to be answered, joins every
 * server thread and closes every socket. */
void http_server_stop(struct http_server *s);

struct http_response {
	int fd;                      /* the connection; http_close closes it */
	int status;                  /* 200 */
	long content_length;         /* body bytes the server announced */
	long body_read;              /* body bytes handed out so far */
	char head[HTTP_HEAD_MAX];    /* the head as received, maybe with the body's start */
	size_t early, early_len;     /* head[early..early+early_len): body that came early */
};

/* GETs path from 127.0.0.1:port and reads the response head into r. Aborts on any
 * network or protocol error (on loopback there should be none). */
void http_get(int port, const char *path, struct http_response *r);

/* Copies the next chunk of the body into buf (at most cap bytes, often fewer: what has
 * arrived). Returns its length, or 0 once the whole body has been read. Aborts if the
 * connection ends early, so a body is never silently short. */
long http_read_body(struct http_response *r, char *buf, size_t cap);

void http_close(struct http_response *r);

#endif
