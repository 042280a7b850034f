/* loop_clients.h: what lab 14's server loop has around it: the listening socket, the
 * connections' buffers, the clients that measure it, and the report. The loop itself, the
 * part to fix, is in event_loop.c.
 *
 * The protocol is a sliver of HTTP/1.1 on keep-alive connections: a client sends
 * "GET /fast HTTP/1.1\r\n\r\n" or "GET /slow HTTP/1.1\r\n\r\n" and the server answers each,
 * in order, with "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n". /fast needs no work;
 * /slow needs a slow operation (slow_operation(): --slow-ms of waiting, standing for a
 * slow disk or a synchronous HTTP request to another service). */
#ifndef RACELAB_LOOP_CLIENTS_H
#define RACELAB_LOOP_CLIENTS_H

#include <stdbool.h>
#include <stddef.h>

#define LOOP_MAX_CONNECTIONS 64
#define LOOP_BUF             256

enum request_kind { REQUEST_NONE, REQUEST_FAST, REQUEST_SLOW, REQUEST_BAD };

/* One connection as the server sees it. Only the loop's thread touches it. */
struct loop_connection {
	int fd;            /* -1: free */
	char in[LOOP_BUF]; /* received, not yet handled */
	size_t in_len;
};

/* The knobs, read by main. */
struct loop_config {
	long fast_clients; /* connections that send /fast every period_us */
	long period_us;
	long slow_batch; /* /slow requests sent at once in a round, like asyncio.gather */
	long slow_rounds;
	long slow_ms;  /* how long the slow operation takes */
	long gap_ms;   /* pause between rounds */
	long bound_ms; /* the fast clients' p99 latency must stay at or below this */
};

/* Listens on 127.0.0.1 at a free port (non-blocking); returns the socket, *port the port. */
int loop_listen(int *port);

/* Takes the first whole request off c->in. REQUEST_NONE: not complete yet. */
enum request_kind loop_take_request(struct loop_connection *c);

/* Sends the answer to one request (blocking until all of it is written: 47 bytes, the
 * socket's buffer always has room). Returns false when the client has gone. */
bool loop_send_ok(int fd);

/* The slow operation: waits slow_ms, blocking the calling thread, as a synchronous disk
 * read or requests.get() would. */
void slow_operation(long slow_ms);

/* Starts the clients (threads) against 127.0.0.1:port. The fast clients send /fast on
 * schedule until the slow client has done its rounds; the slow client sends slow_batch
 * /slow requests at once on as many connections, waits for every answer, and times the
 * round. loop_clients_stop_fd() becomes readable once every client has finished. */
void loop_clients_start(int port, const struct loop_config *cfg);
int loop_clients_stop_fd(void);

/* Joins the clients and reports: the fast clients' latency percentiles and histogram (as
 * metrics), the rounds' times against one-after-another, and the result (p99 > bound is
 * the symptom). Call after the loop has ended. */
void loop_clients_report(const struct loop_config *cfg);

/* Parses the knobs shared by the lab and its solutions. */
void loop_config_parse(int argc, char **argv, const char *summary, struct loop_config *cfg);

#endif
