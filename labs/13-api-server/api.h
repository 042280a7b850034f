/* api.h: lab 13's two halves. The store (api_server.c, the part to fix: it holds the items
 * every connection shares) and the HTTP plumbing around it (api_net.c: the server that
 * serves each connection on a thread of its own, its routes, and the load client). */
#ifndef RACELAB_API_H
#define RACELAB_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "http_request.h"

#define STORE_CAP 65536 /* items the store holds at most; POST answers 507 when full */

struct item {
	long id;                 /* given by the store: 1, 2, 3, ... never twice */
	char name[API_NAME_MAX]; /* from the POST body */
};

/* The store, in api_server.c: called by every connection's thread at once. */
long store_add(const char *name);                /* the new item's id, or -1 when full */
bool store_get(long id, struct item *out);       /* false when no item has this id */
size_t store_list(struct item *out, size_t cap); /* copies up to cap items; returns how
                                                  * many the store holds */
void store_stats(long *items, long *next_id);    /* items held, and the id the next gets */

/* The server: a thread accepting connections on 127.0.0.1:port (0: a free one), and a
 * thread per connection that serves its requests one after another. */
struct api_server {
	int listen_fd;
	int port; /* the port actually bound */
	pthread_t acceptor;
	pthread_mutex_t lock;  /* guards open, for the stop */
	pthread_cond_t closed; /* signalled when a connection's thread ends */
	int open;              /* connections being served */
};

/* Starts the server; exits with a message when it cannot listen. */
void api_server_start(struct api_server *s, int port);

/* Stops accepting, waits for every connection's thread to finish (their clients must
 * have closed), and closes the listening socket. */
void api_server_stop(struct api_server *s);

/* What the load client saw. */
struct api_load {
	long posts_ok;     /* 201 answers */
	long bad_answers;  /* any other status, or an answer that did not parse */
	long wrong_reads;  /* GET /items/ID of an item just added answered another name */
	long requests;     /* requests sent in the timed part */
	long long work_ns; /* its wall time */
	long *ids;         /* the id of each 201, clients * posts of them (malloc'd) */
	long n_ids;
};

/* Starts `clients` threads, each with one keep-alive connection to 127.0.0.1:port; all
 * leave a start gate together, then each POSTs `posts` items and GETs each one back
 * `reads` times (/items/ID) and /stats once per post. Fills *load. */
void api_load_run(int port, int clients, int posts, int reads, struct api_load *load);

/* GETs path on a connection of its own. Returns the body, NUL-terminated and malloc'd (the
 * caller frees it), and the status in *status. Exits with a message on a network error. */
char *api_get(int port, const char *path, int *status);

#endif
