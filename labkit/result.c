/* result.c: prints a run's result and writes its record to the result channel.
 *
 * Record format (parsed by harness/result_channel.c), one "key value" per line:
 *   racelab-result 1 / what <text> / observed <num> / expected <num> / symptom 0|1 /
 *   inconclusive 0|1 / timing 0|1 / ops <n> / work_ns <n> / metric <name> <num> ... / end
 * "end" tells the harness the record is whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "result.h"
#include "result_fd.h"

#define MAX_METRICS 16

struct metric {
	char name[48];
	double value;
};

static struct metric metrics[MAX_METRICS];
static int n_metrics;

long long rl_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void rl_result_metric(const char *name, double value)
{
	if (n_metrics == MAX_METRICS)
		return;
	struct metric *m = &metrics[n_metrics++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	for (char *p = m->name; *p; p++)
		if (*p == ' ' || *p == '\n')
			*p = '_';
	m->value = value;
}

/* The fd the harness gave us, or -1. */
static int channel_fd(void)
{
	const char *env = getenv(RL_RESULT_FD_ENV);
	if (!env || !*env)
		return -1;
	char *end;
	long fd = strtol(env, &end, 10);
	return (*end || fd < 0 || fd > 1 << 20) ? -1 : (int)fd;
}

static void print_line(const struct rl_result *r)
{
	printf("%s: observed %.17g, expected %.17g%s\n", r->what, r->observed, r->expected,
	       r->inconclusive ? "  (cannot judge here)"
	       : r->symptom    ? "  <-- the bug showed"
	                       : "");
	if (r->ops > 0 && r->work_ns > 0)
		printf("time: %.3f ms for %lld operations (%.2f ns each)\n", r->work_ns / 1e6,
		       r->ops, (double)r->work_ns / (double)r->ops);
	for (int i = 0; i < n_metrics; i++)
		printf("%s: %.17g\n", metrics[i].name, metrics[i].value);
	fflush(stdout);
}

/* The record keeps this much of `what`: the harness keeps 63 bytes of it
 * (harness/result_channel.h) and skips any line longer than 255. */
#define RECORD_WHAT_MAX 63

/* what for the record: at most RECORD_WHAT_MAX bytes, each line break made a space (a
 * newline would end the line and start another key). */
static void record_what(char *dst, size_t cap, const char *what)
{
	snprintf(dst, cap, "%.*s", RECORD_WHAT_MAX, what ? what : "");
	for (char *p = dst; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

/* Every field is bounded (what 63 bytes, names 47, numbers 24, 16 metrics): the record
 * takes under 2 KiB, so buf never fills. */
static void write_record(int fd, const struct rl_result *r)
{
	char buf[4096], what[RECORD_WHAT_MAX + 1];
	record_what(what, sizeof(what), r->what);
	int n = snprintf(buf, sizeof(buf),
	                 "racelab-result 1\nwhat %s\nobserved %.17g\nexpected %.17g\n"
	                 "symptom %d\ninconclusive %d\ntiming %d\nops %lld\nwork_ns %lld\n",
	                 what, r->observed, r->expected, r->symptom ? 1 : 0,
	                 r->inconclusive ? 1 : 0, r->timing ? 1 : 0, r->ops, r->work_ns);
	for (int i = 0; i < n_metrics && n < (int)sizeof(buf) - 80; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "metric %s %.17g\n", metrics[i].name,
		              metrics[i].value);
	n += snprintf(buf + n, sizeof(buf) - n, "end\n");
	/* One write: the record is small, so the pipe takes it whole. */
	if (write(fd, buf, (size_t)n) != n)
		perror("racelab result channel");
}

void rl_result_report(const struct rl_result *result)
{
	print_line(result);
	int fd = channel_fd();
	if (fd >= 0)
		write_record(fd, result);
}
