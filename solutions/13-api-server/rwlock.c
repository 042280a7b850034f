/* rwlock.c: Lab 13 fixed with a reader-writer lock around the store.
 *
 * Most requests only read (each POST is followed by GETs): a pthread_rwlock lets any
 * number of GETs read the store at once, and gives a POST the store to itself, waiting
 * until no GET is inside. Reads never see an item half written; POSTs never overlap.
 * Check: racelab run lab13 --solution=rwlock */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../labs/13-api-server/api.h"
#include "labkit.h"

static struct {
	struct item items[STORE_CAP]; /* items[0 .. count) are in use */
	long count;
	long next_id;
} store = {.next_id = 1}; /* shared by every connection's thread; hold store_lock */
static pthread_rwlock_t store_lock = PTHREAD_RWLOCK_INITIALIZER;

static void read_lock(void)
{
	int rc = pthread_rwlock_rdlock(&store_lock);
	if (rc != 0)
		rl_fail(__FILE__, __LINE__, "pthread_rwlock_rdlock", rc);
}

static void write_lock(void)
{
	int rc = pthread_rwlock_wrlock(&store_lock);
	if (rc != 0)
		rl_fail(__FILE__, __LINE__, "pthread_rwlock_wrlock", rc);
}

static void unlock(void)
{
	int rc = pthread_rwlock_unlock(&store_lock);
	if (rc != 0)
		rl_fail(__FILE__, __LINE__, "pthread_rwlock_unlock", rc);
}

long store_add(const char *name)
{
	write_lock(); /* FIXED: a POST has the store to itself, readers wait */
	long id = store.next_id;
	long slot = store.count;
	if (slot >= STORE_CAP) {
		unlock();
		return -1;
	}
	store.items[slot].id = id;
	snprintf(store.items[slot].name, sizeof(store.items[slot].name), "%s", name);
	rl_yield(); /* the same moment as in the lab: no other thread can enter now */
	store.next_id = id + 1;
	store.count = slot + 1;
	unlock();
	return id;
}

bool store_get(long id, struct item *out)
{
	bool found = false;
	read_lock(); /* FIXED: GETs share the store with each other, never with a POST */
	for (long i = 0; i < store.count && !found; i++) {
		if (store.items[i].id == id) {
			*out = store.items[i];
			found = true;
		}
	}
	unlock();
	return found;
}

size_t store_list(struct item *out, size_t cap)
{
	read_lock();
	size_t n = (size_t)store.count;
	memcpy(out, store.items, (n < cap ? n : cap) * sizeof(*out));
	unlock();
	return n;
}

void store_stats(long *items, long *next_id)
{
	read_lock();
	*items = store.count;
	*next_id = store.next_id;
	unlock();
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
