/* tiny_http.h: just enough HTTP/1.1 for lab 9, over loopback only.
 *
 * The server: one thread with an event loop that serves many connections at once on
 * 127.0.0.1 at a free port, as a real web server does. It knows one kind of URL:
 * GET /bytes/N answers, after delay_ms (the time a real server would think), with a body
 * of exactly N bytes of text in lines of HTTP_LINE bytes (the last line is cut short
 * unless N is a multiple of HTTP_LINE). One request per connection.
 *
 * The client: http_get() connects, sends the request and reads the response head;
 * http_read_body() then hands out the body chunk by chunk, as it arrives. */
#ifndef RACELAB_TINY_HTTP_H
#define RACELAB_TINY_HTTP_H

#include <pthread.h>
#include <stddef.h>

#define HTTP_MAX_CONNECTIONS 256        /* served at once; more wait in the listen queue */
#define HTTP_MAX_BODY        (1L << 20) /* largest N in /bytes/N */
#define HTTP_HEAD_MAX        1024       /* longest request or response head */
#define HTTP_LINE            64         /* bytes per line of a body, '\n' included */

/* One connection, as the server sees it. */
struct http_connection {
	int fd; /* -1: this slot is free */
	enum { HTTP_READING, HTTP_THINKING, HTTP_SENDING } state;
	char request[HTTP_HEAD_MAX]; /* READING: the request so far */
	size_t request_len;
	long long due_ns; /* THINKING: when the answer is due (rl_clock_ns) */
	char reply[256];  /* the response head */
	size_t reply_len;
	long body_len; /* body bytes after the head */
	long sent;     /* SENDING: bytes of head and body sent so far */
};

struct http_server {
	int listen_fd;    /* bound to 127.0.0.1:port, non-blocking */
	int wake_pipe[2]; /* http_server_stop writes here to end the loop */
	int port;         /* the free port the kernel chose */
	long delay_ms;    /* every request waits this long before the answer */
	pthread_t thread; /* runs the event loop; the only one to touch: */
	struct http_connection connections[HTTP_MAX_CONNECTIONS];
};

/* Starts the server on 127.0.0.1 at a free port (s->port). Aborts with a message when
 * it cannot. */
void http_server_start(struct http_server *s, long delay_ms);

/* Stops the server, joins its thread and closes every socket it had. Call it once no
 * request is in progress. */
void http_server_stop(struct http_server *s);

struct http_response {
	int fd;                   /* the connection; http_close closes it */
	int status;               /* 200 */
	long content_length;      /* body bytes the server announced */
	long body_read;           /* body bytes handed out so far */
	char head[HTTP_HEAD_MAX]; /* the head as received, maybe with the body's start */
	size_t early, early_len;  /* head[early..early+early_len): body that came early */
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
