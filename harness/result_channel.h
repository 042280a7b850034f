/* result_channel.h: parses the record a lab writes on its result channel (written by
 * labkit/result.c; the format is described there). Pure. */
#ifndef RACELAB_RESULT_CHANNEL_H
#define RACELAB_RESULT_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>

#define RESULT_MAX_METRICS 16

struct result_metric {
	char name[48];
	double value;
};

struct lab_result {
	int records; /* "racelab-result" headers seen: the lab kit writes one; more means
	              * something else wrote on the channel too (a forgery) */
	char what[64];
	double observed;
	double expected;
	bool symptom;
	bool inconclusive; /* the run could not judge (e.g. a timing lab on one CPU) */
	bool timing;       /* symptom is a timing, which a busy machine can fake */
	long long ops;
	long long work_ns;
	struct result_metric metrics[RESULT_MAX_METRICS];
	int n_metrics;
};

/* Parses len bytes. Returns 0 when a record with at least observed, expected and symptom
 * was found, -1 when text holds no usable record.
 * Unknown keys are ignored (newer labs, older harness). */
int result_channel_parse(const char *text, size_t len, struct lab_result *out);

#endif
