/* atomic-flag.c: Lab 15 fixed with an atomic test-and-set per page.
 *
 * Each page's flag is an atomic_bool, and follow() sets it with atomic_exchange(), which
 * writes true and returns what was there in one indivisible step: of two threads that
 * find the same link, exactly one gets false back, and only that one queues the page.
 * No lock is held; threads touching different pages never wait for each other. The count
 * of pages fetched is an atomic_fetch_add.
 * Check: racelab run lab15 --solution=atomic-flag */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labkit.h"
#include "../../labs/15-link-crawler/site.h"

#define MAX_THREADS 64

static struct site site;
static atomic_bool seen[SITE_MAX_PAGES]; /* pages queued once already: each tested and
                                          * set in one atomic step */
static atomic_long pages_fetched;

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
		return; /* not a page of this site */
	rl_yield();     /* the same moment as in the lab, now before the one step */
	/* FIXED: test-and-set in one step: exactly one thread gets false back */
	if (!atomic_exchange(&seen[page], true))
		queue_push(url);
}

static void *crawler(void *arg)
{
	struct site_client client;
	char url[SITE_URL_MAX], link[SITE_URL_MAX];
	(void)arg;
	site_client_open(&client, site.port);
	while (queue_pop(url)) {
		char *html = site_fetch(&client, url); /* a new HTTP request */
		atomic_fetch_add(&pages_fetched, 1);
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
	long threads = 4, pages = 300;
	struct rl_knob knobs[] = {
	    RL_KNOB_THREADS(&threads),
	    {"pages", &pages, 2, SITE_MAX_PAGES, "pages of the site"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv,
	              "Lab 15 (atomic-flag): crawler threads follow the links of a site.", knobs);
	if (threads > MAX_THREADS) {
		fprintf(stderr, "lab15: --threads: at most %d\n", MAX_THREADS);
		return 2;
	}
	site_start(&site, (int)pages);
	atomic_store(&seen[0], true);
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
	rl_result_metric("pages_counted", (double)atomic_load(&pages_fetched));
	rl_result_metric("crawl_ms", elapsed / 1e6);
	struct rl_result result = {
	    .what = "fetches the site answered",
	    .observed = (double)fetches,
	    .expected = (double)pages,
	    .symptom =
	        fetches != pages || distinct != pages || atomic_load(&pages_fetched) != pages,
	    .ops = fetches,
	    .work_ns = elapsed,
	};
	rl_result_report(&result);
	return 0;
}
