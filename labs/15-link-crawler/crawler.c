/* crawler.c: Lab 15, a thread pool follows links, and fetches pages twice.
 *
 * A web site runs inside this process (site.c beside this file): --pages hypertext pages
 * on 127.0.0.1 that link to each other, cycles included. A pool of --threads crawler
 * threads starts at "/": each takes a URL off the shared queue, fetches the page (each
 * followed link is a new HTTP request), finds its links, and queues those not seen yet.
 * The queue is guarded by a lock. The set of pages seen is not: a thread checks "seen?"
 * and later marks the page, and another thread can check the same page in between. Both
 * see it unseen, both queue it, and the page is fetched twice. The count of pages fetched
 * is a plain counter as well.
 *
 * Expect: the site answers more fetches than it has pages (some pages fetched twice), a
 * different number each run; ThreadSanitizer reports data races on `seen` and
 * `pages_fetched` at the marked lines. Run it with `make lab15`; the fixed versions are
 * in solutions/15-link-crawler/. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labkit.h"
#include "site.h"

#define MAX_THREADS 64

static struct site site;
static bool seen[SITE_MAX_PAGES]; /* pages queued once already: shared, guarded by nothing */
static long pages_fetched;        /* shared, guarded by nothing */

/* The queue of URLs to fetch. Correct: every access holds queue.lock. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* a URL was queued, or the crawl is over */
	char urls[SITE_MAX_PAGES * 8][SITE_URL_MAX];
	long head, tail; /* urls[head .. tail) wait to be fetched */
	long busy;       /* URLs queued or being fetched: 0 = the crawl is over */
} queue = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};

static void queue_push(const char *url)
{
	rl_lock(&queue.lock);
	if (queue.tail < (long)(sizeof(queue.urls) / sizeof(queue.urls[0]))) {
		snprintf(queue.urls[queue.tail++], SITE_URL_MAX, "%s", url);
		queue.busy++;
		rl_cond_signal(&queue.changed);
	}
	rl_unlock(&queue.lock);
}

/* Takes the next URL into url. Returns false once nothing is queued and no thread is
 * fetching (so no more links can come). */
static bool queue_pop(char url[SITE_URL_MAX])
{
	rl_lock(&queue.lock);
	while (queue.head == queue.tail && queue.busy > 0)
		rl_cond_wait(&queue.changed, &queue.lock);
	bool got = queue.head < queue.tail;
	if (got)
		memcpy(url, queue.urls[queue.head++], SITE_URL_MAX);
	rl_unlock(&queue.lock);
	return got;
}

/* A URL taken by queue_pop() is done: its links are queued. */
static void queue_done(void)
{
	rl_lock(&queue.lock);
	if (--queue.busy == 0)
		rl_cond_broadcast(&queue.changed); /* the crawl is over: wake every thread */
	rl_unlock(&queue.lock);
}

/* Queues url unless it was seen before. */
static void follow(const char *url)
{
	int page = site_page_of(&site, url);
	if (page < 0)
		return;    /* not a page of this site */
	if (!seen[page]) { /* RACE: check... */
		/* A real crawler does something here: normalises the URL, checks robots.txt,
		 * logs it, or is simply preempted. rl_yield() stands for that moment. */
		rl_yield();
		seen[page] = true; /* RACE: ...then act, on a page another thread may have queued */
		queue_push(url);
	}
}

static void *crawler(void *arg)
{
	struct site_client client;
	char url[SITE_URL_MAX], link[SITE_URL_MAX];
	(void)arg;
	site_client_open(&client, site.port);
	while (queue_pop(url)) {
		char *html = site_fetch(&client, url); /* a new HTTP request */
		pages_fetched = pages_fetched + 1;     /* RACE: a lost update, as in lab 3 */
		for (const char *at = html; site_next_link(html, &at, link);)
			follow(link);
		free(html);
		queue_done();
	}
	site_client_close(&client);
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = 4, pages = 400;
	struct rl_knob knobs[] = {
	    RL_KNOB_THREADS(&threads),
	    {"pages", &pages, 2, SITE_MAX_PAGES, "pages of the site"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 15: crawler threads follow the links of a site.", knobs);
	if (threads > MAX_THREADS) {
		fprintf(stderr, "lab15: --threads: at most %d\n", MAX_THREADS);
		return 2;
	}
	site_start(&site, (int)pages);
	seen[0] = true;
	queue_push("/");

	pthread_t pool[MAX_THREADS];
	long long start = rl_clock_ns();
	for (long t = 0; t < threads; t++)
		rl_thread_start(&pool[t], crawler, NULL);
	for (long t = 0; t < threads; t++)
		rl_thread_join(pool[t], NULL);
	long long elapsed = rl_clock_ns() - start;
	site_stop(&site);

	long fetches = 0, distinct = 0, twice = 0;
	for (long p = 0; p < pages; p++) {
		fetches += site.fetches[p];
		distinct += site.fetches[p] > 0;
		twice += site.fetches[p] > 1;
	}
	rl_result_metric("pages_fetched_twice_or_more", (double)twice);
	rl_result_metric("distinct_pages", (double)distinct);
	rl_result_metric("pages_counted", (double)pages_fetched);
	rl_result_metric("crawl_ms", elapsed / 1e6);
	struct rl_result result = {
	    .what = "fetches the site answered",
	    .observed = (double)fetches,
	    .expected = (double)pages,
	    .symptom = fetches != pages || distinct != pages || pages_fetched != pages,
	    .ops = fetches,
	    .work_ns = elapsed,
	};
	rl_result_report(&result);
	return 0;
}
