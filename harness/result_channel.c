/* result_channel.c: parses a lab's result record, line by line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result_channel.h"

enum seen { SEEN_HEADER = 1, SEEN_OBSERVED = 2, SEEN_EXPECTED = 4, SEEN_SYMPTOM = 8 };
#define SEEN_ALL (SEEN_HEADER | SEEN_OBSERVED | SEEN_EXPECTED | SEEN_SYMPTOM)

static bool parse_number(const char *text, double *out)
{
	char *end;
	*out = strtod(text, &end);
	return end != text && (*end == '\0' || *end == ' ');
}

/* A count a lab wrote: 0 when it is none (negative, NaN, beyond long long: converting
 * those is undefined behaviour). */
static long long to_count(double num)
{
	return num >= 0 && num < 9.2e18 ? (long long)num : 0;
}

static void add_metric(struct lab_result *r, const char *rest)
{
	const char *space = strchr(rest, ' ');
	double value;
	if (!space || r->n_metrics == RESULT_MAX_METRICS || !parse_number(space + 1, &value))
		return;
	struct result_metric *m = &r->metrics[r->n_metrics++];
	snprintf(m->name, sizeof(m->name), "%.*s", (int)(space - rest), rest);
	m->value = value;
}

/* Applies one line "key value"; returns the SEEN_ bit it satisfied, or 0. */
static int apply_line(struct lab_result *r, const char *key, const char *value)
{
	double num;
	if (strcmp(key, "racelab-result") == 0)
		return SEEN_HEADER;
	if (strcmp(key, "what") == 0) {
		snprintf(r->what, sizeof(r->what), "%s", value);
		return 0;
	}
	if (strcmp(key, "metric") == 0) {
		add_metric(r, value);
		return 0;
	}
	if (!parse_number(value, &num))
		return 0;
	if (strcmp(key, "observed") == 0)
		return r->observed = num, SEEN_OBSERVED;
	if (strcmp(key, "expected") == 0)
		return r->expected = num, SEEN_EXPECTED;
	if (strcmp(key, "symptom") == 0)
		return r->symptom = num != 0, SEEN_SYMPTOM;
	if (strcmp(key, "inconclusive") == 0)
		r->inconclusive = num != 0;
	else if (strcmp(key, "timing") == 0)
		r->timing = num != 0;
	else if (strcmp(key, "ops") == 0)
		r->ops = to_count(num);
	else if (strcmp(key, "work_ns") == 0)
		r->work_ns = to_count(num);
	return 0;
}

int result_channel_parse(const char *text, size_t len, struct lab_result *out)
{
	memset(out, 0, sizeof(*out));
	int seen = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[256];
		if (line_len < sizeof(line)) {
			memcpy(line, text + pos, line_len);
			line[line_len] = '\0';
			char *space = strchr(line, ' ');
			if (space)
				*space = '\0';
			int bit = apply_line(out, line, space ? space + 1 : "");
			out->records += bit == SEEN_HEADER;
			seen |= bit;
		}
		pos += line_len + 1;
	}
	return (seen & SEEN_ALL) == SEEN_ALL ? 0 : -1;
}
