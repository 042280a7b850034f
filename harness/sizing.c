/* sizing.c: plain runs sized to their measured cost (sizing.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sizing.h"

/* Where knob's value starts in args (after "knob " or "knob="); NULL when absent. The knob
 * must be a whole word. */
static const char *knob_value_at(const char *args, const char *knob)
{
	size_t n = strlen(knob);
	for (const char *p = args; n && (p = strstr(p, knob)); p += n) {
		bool starts_word = p == args || p[-1] == ' ' || p[-1] == '\t';
		if (!starts_word || (p[n] != ' ' && p[n] != '='))
			continue;
		const char *v = p + n + 1;
		while (p[n] == ' ' && *v == ' ')
			v++;
		return v;
	}
	return NULL;
}

long sizing_knob_value(const char *args, const char *knob)
{
	const char *v = knob_value_at(args, knob);
	if (!v)
		return -1;
	char *end;
	long value = strtol(v, &end, 10);
	if (end == v || (*end && *end != ' ' && *end != '\t') || value <= 0)
		return -1;
	return value;
}

int sizing_set_knob(const char *args, const char *knob, long value, char *out, size_t cap)
{
	const char *v = knob_value_at(args, knob);
	if (!v)
		return -1;
	size_t head = (size_t)(v - args);
	const char *tail = v + strcspn(v, " \t");
	int n = snprintf(out, cap, "%.*s%ld%s", (int)head, args, value, tail);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

long sizing_scaled(long full, long probe_size, long long probe_cpu_ns, int work_ms)
{
	if (full <= 0 || probe_size <= 0 || probe_cpu_ns <= 0 || work_ms <= 0)
		return full;
	double full_ns = (double)probe_cpu_ns * (double)full / (double)probe_size;
	double budget_ns = (double)work_ms * 1e6 * SIZING_CPUS;
	if (full_ns <= budget_ns)
		return full;
	long scaled = (long)((double)full * budget_ns / full_ns);
	return scaled < 1 ? 1 : scaled;
}
