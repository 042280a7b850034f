/* progress.c: the progress line (progress.h). */
#include <time.h>

#include "progress.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_begin(struct progress *p, bool on)
{
	p->on = on;
	p->out = stderr;
	p->start_s = now_s();
	p->drawn = false;
}

int progress_format(char *out, size_t cap, const char *label, size_t done, size_t total,
                    const char *units, double elapsed_s)
{
	return snprintf(out, cap, "%s: %zu of %zu %s, %.1f s", label, done, total, units,
	                elapsed_s);
}

void progress_update(struct progress *p, const char *label, size_t done, size_t total,
                     const char *units)
{
	double elapsed = now_s() - p->start_s;
	if (!p->on || elapsed < PROGRESS_DELAY_S)
		return;
	char line[160];
	progress_format(line, sizeof(line), label, done, total, units, elapsed);
	/* \r and "erase to the end of the line": the next update overwrites this one */
	fprintf(p->out, "\r\033[K  %s", line);
	fflush(p->out);
	p->drawn = true;
}

void progress_end(struct progress *p)
{
	if (!p->drawn)
		return;
	fprintf(p->out, "\r\033[K");
	fflush(p->out);
	p->drawn = false;
}
