/* striped.c: Lab 13 fixed with striped locks and an atomic next id.
 *
 * The id comes from one atomic_fetch_add, so no two POSTs get the same one. The items
 * are spread over STRIPES stripes by id, each with its own mutex and its own slots: two
 * POSTs lock the same stripe only when their ids fall in it, and a GET /items/ID locks
 * just the stripe of that id. GET /items and /stats lock every stripe, always in the same
 * order (0, 1, 2, ...), so no two threads can wait for each other in a cycle.
 * Check: racelab run lab13 --solution=striped */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../labs/13-api-server/api.h"
#include "labkit.h"

#define STRIPES    8
#define STRIPE_CAP (STORE_CAP / STRIPES) /* a stripe's slots */

struct stripe {
	pthread_mutex_t lock; /* guards the stripe's items and count */
	struct item items[STRIPE_CAP];
	long count;
};

static struct stripe stripes[STRIPES];
static atomic_long next_id = 1; /* FIXED: handed out by atomic_fetch_add, once each */
static pthread_once_t stripes_once = PTHREAD_ONCE_INIT;

static void stripes_init(void)
{
	for (int s = 0; s < STRIPES; s++)
		pthread_mutex_init(&stripes[s].lock, NULL);
}

static struct stripe *stripe_of(long id)
{
	pthread_once(&stripes_once, stripes_init);
	return &stripes[id % STRIPES];
}

long store_add(const char *name)
{
	long id = atomic_fetch_add(&next_id, 1);
	struct stripe *s = stripe_of(id);
	rl_lock(&s->lock); /* FIXED: one POST at a time in this stripe */
	long slot = s->count;
	if (slot >= STRIPE_CAP) {
		rl_unlock(&s->lock);
		return -1;
	}
	s->items[slot].id = id;
	snprintf(s->items[slot].name, sizeof(s->items[slot].name), "%s", name);
	rl_yield(); /* the same moment as in the lab: no other thread can enter this stripe */
	s->count = slot + 1;
	rl_unlock(&s->lock);
	return id;
}

bool store_get(long id, struct item *out)
{
	struct stripe *s = stripe_of(id);
	bool found = false;
	rl_lock(&s->lock);
	for (long i = 0; i < s->count && !found; i++) {
		if (s->items[i].id == id) {
			*out = s->items[i];
			found = true;
		}
	}
	rl_unlock(&s->lock);
	return found;
}

static int by_id(const void *a, const void *b)
{
	long x = ((const struct item *)a)->id, y = ((const struct item *)b)->id;
	return (x > y) - (x < y);
}

/* Locks every stripe in index order, the one order every thread uses. */
static void lock_all(void)
{
	pthread_once(&stripes_once, stripes_init);
	for (int s = 0; s < STRIPES; s++)
		rl_lock(&stripes[s].lock);
}

static void unlock_all(void)
{
	for (int s = STRIPES - 1; s >= 0; s--)
		rl_unlock(&stripes[s].lock);
}

size_t store_list(struct item *out, size_t cap)
{
	size_t n = 0;
	lock_all(); /* one consistent picture of the whole store */
	for (int s = 0; s < STRIPES; s++)
		n += (size_t)stripes[s].count;
	if (n <= cap) {
		size_t at = 0;
		for (int s = 0; s < STRIPES; s++) {
			memcpy(out + at, stripes[s].items, (size_t)stripes[s].count * sizeof(*out));
			at += (size_t)stripes[s].count;
		}
	}
	unlock_all();
	if (n <= cap)
		qsort(out, n, sizeof(*out), by_id);
	return n;
}

void store_stats(long *items, long *next)
{
	long n = 0;
	lock_all();
	for (int s = 0; s < STRIPES; s++)
		n += stripes[s].count;
	*next = atomic_load(&next_id);
	unlock_all();
	*items = n;
}

/* How many ids in ids[0..n) are a repeat of an earlier one (sorts ids). */
static int by_value(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static long repeated_ids(long *ids, long n)
{
	qsort(ids, (size_t)n, sizeof(*ids), by_value);
	long repeats = 0;
	for (long i = 1; i < n; i++)
		repeats += ids[i] == ids[i - 1];
	return repeats;
}

/* --serve PORT: serves until Ctrl-C (SIGINT) or SIGTERM. */
static int serve_forever(int port)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL); /* every thread started after inherits it */
	struct api_server server;
	api_server_start(&server, port);
	printf("lab13: serving http://127.0.0.1:%d/ (try: curl -v http://127.0.0.1:%d/items); "
	       "Ctrl-C stops\n",
	       server.port, server.port);
	fflush(stdout);
	int sig;
	sigwait(&stop, &sig);
	printf("lab13: stopped\n");
	return 0; /* exit closes every socket */
}

int main(int argc, char **argv)
{
	long clients = 8, posts = 40, reads = 2, serve = -1;
	struct rl_knob knobs[] = {
	    {"clients", &clients, 1, 256, "connections of the load client, one thread each"},
	    {"posts", &posts, 1, 1000, "items each connection POSTs"},
	    {"reads", &reads, 0, 100, "GET /items/ID of each new item, per POST"},
	    {"serve", &serve, 0, 65535, "serve on this port until Ctrl-C (0: any free one)"},
	    RL_KNOB_END,
	};
	rl_args_parse(argc, argv, "Lab 13: a threaded JSON API server under concurrent POSTs.",
	              knobs);
	if (clients * posts > STORE_CAP) {
		fprintf(stderr, "lab13: --clients x --posts: at most %d items\n", STORE_CAP);
		return 2;
	}
	if (serve >= 0)
		return serve_forever((int)serve);

	struct api_server server;
	struct api_load load;
	api_server_start(&server, 0);
	api_load_run(server.port, (int)clients, (int)posts, (int)reads, &load);
	int status_items, status_stats;
	char *items = api_get(server.port, "/items", &status_items);
	char *stats = api_get(server.port, "/stats", &status_stats);
	api_server_stop(&server);

	long listed = -1, next_id = -1, held = -1;
	sscanf(items, "{\"count\":%ld", &listed);
	sscanf(stats, "{\"items\":%ld,\"next_id\":%ld", &held, &next_id);
	long expected = clients * posts;
	long repeats = repeated_ids(load.ids, load.n_ids);
	rl_result_metric("posts_answered_201", (double)load.posts_ok);
	rl_result_metric("ids_given_twice", (double)repeats);
	rl_result_metric("wrong_reads", (double)load.wrong_reads);
	rl_result_metric("next_id", (double)next_id);
	rl_result_metric("requests_per_s", load.requests / (load.work_ns / 1e9));
	struct rl_result result = {
	    .what = "items in the store",
	    .observed = (double)listed,
	    .expected = (double)expected,
	    .symptom = listed != expected || held != expected || repeats > 0 ||
	               load.posts_ok != expected || load.bad_answers > 0 || load.wrong_reads > 0 ||
	               next_id != expected + 1 || status_items != 200 || status_stats != 200,
	    .ops = load.requests,
	    .work_ns = load.work_ns,
	};
	rl_result_report(&result);
	free(items);
	free(stats);
	free(load.ids);
	return 0;
}
