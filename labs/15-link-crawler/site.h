/* site.h: lab 15's web site and the HTTP client the crawler fetches it with.
 *
 * The site: an HTTP/1.1 server inside the process, on 127.0.0.1 at a free port, a thread
 * per connection (keep-alive). It holds `pages` hypertext pages, "/" and "/page/1" ..
 * "/page/N-1"; each links to a few others (cycles included: pages link back to "/" and
 * to each other), and every page can be reached from "/". The server counts how many
 * times each page was fetched; it is correct (its counts are under a lock), so its
 * counts are the truth a crawler is judged by. */
#ifndef RACELAB_SITE_H
#define RACELAB_SITE_H

#include <pthread.h>
#include <stdbool.h>

#define SITE_MAX_PAGES 4096
#define SITE_URL_MAX   32 /* "/page/4095" and the NUL fit */

struct site {
	int listen_fd;
	int port;
	int pages;
	pthread_t acceptor;
	pthread_mutex_t lock;         /* guards fetches, open */
	pthread_cond_t closed;        /* a connection's thread ended */
	int open;                     /* connections being served */
	long fetches[SITE_MAX_PAGES]; /* GETs of each page answered */
};

/* Starts the site with `pages` pages; exits with a message when it cannot listen. */
void site_start(struct site *s, int pages);

/* Stops it: no new connections; waits for the open ones to close (their clients must have
 * closed them), and closes the listening socket. */
void site_stop(struct site *s);

/* The page number of a URL of the site ("/" is 0, "/page/7" is 7), or -1 for any other
 * URL, a page number out of range included. */
int site_page_of(const struct site *s, const char *url);

/* A keep-alive connection of a crawler thread to the site. */
struct site_client {
	int fd;
	char buf[1024];
	unsigned len;
};

void site_client_open(struct site_client *c, int port);
void site_client_close(struct site_client *c);

/* GETs url on c and returns the page (malloc'd, NUL-terminated; the caller frees it).
 * Exits with a message on any network or protocol error, or a status other than 200. */
char *site_fetch(struct site_client *c, const char *url);

/* Finds the next link in html from *at on: copies its URL (the href="..." value) into
 * url and moves *at past it. Returns false when there is none left. */
bool site_next_link(const char *html, const char **at, char url[SITE_URL_MAX]);

#endif
