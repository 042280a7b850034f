/* manifest.c: parses lab.manifest. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

#define MAX_LINE 512

struct parse_state {
	struct manifest *m;
	int line_no;
	char *err;
	size_t err_cap;
	unsigned seen; /* bit per required key */
};

static int fail(struct parse_state *st, const char *fmt, const char *what)
{
	char msg[200];
	snprintf(msg, sizeof(msg), fmt, what);
	if (st->line_no)
		snprintf(st->err, st->err_cap, "line %d: %s", st->line_no, msg);
	else
		snprintf(st->err, st->err_cap, "%s", msg);
	return -1;
}

static int copy_text(struct parse_state *st, char *dst, size_t cap, const char *value)
{
	if (strlen(value) >= cap)
		return fail(st, "value of '%s' is too long", "text");
	memcpy(dst, value, strlen(value) + 1);
	return 0;
}

static int parse_long(struct parse_state *st, const char *value, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(value, &end, 10);
	if (end == value || *end || v < lo || v > hi)
		return fail(st, "'%s' is not a whole number in range", value);
	*out = v;
	return 0;
}

static int parse_real(struct parse_state *st, const char *value, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(value, &end);
	if (end == value || *end || v < lo || v > hi)
		return fail(st, "'%s' is not a number in range", value);
	*out = v;
	return 0;
}

static int parse_symptoms(struct parse_state *st, char *value)
{
	char *save_word;
	for (char *word = strtok_r(value, " ,", &save_word); word;
	     word = strtok_r(NULL, " ,", &save_word)) {
		if (strcmp(word, "wrong-result") == 0)
			st->m->symptoms |= SYMPTOM_WRONG_RESULT;
		else if (strcmp(word, "hang") == 0)
			st->m->symptoms |= SYMPTOM_HANG;
		else if (strcmp(word, "crash") == 0)
			st->m->symptoms |= SYMPTOM_CRASH;
		else
			return fail(st, "unknown symptom '%s' (wrong-result, hang, crash)", word);
	}
	return 0;
}

static int parse_tsan_kinds(struct parse_state *st, char *value)
{
	char *save_word;
	for (char *word = strtok_r(value, " ,", &save_word); word;
	     word = strtok_r(NULL, " ,", &save_word)) {
		if (strcmp(word, "none") == 0)
			continue;
		enum tsan_kind kind = tsan_kind_from_slug(word);
		if (kind == TSAN_UNKNOWN)
			return fail(st, "unknown TSan finding kind '%s'", word);
		if (st->m->n_tsan_expect == MANIFEST_MAX_TSAN_KINDS)
			return fail(st, "too many TSan kinds at '%s'", word);
		st->m->tsan_expect[st->m->n_tsan_expect++] = kind;
	}
	return 0;
}

static int parse_names(struct parse_state *st, char *value, char (*names)[32], int *n)
{
	char *save_word;
	for (char *word = strtok_r(value, " ,", &save_word); word;
	     word = strtok_r(NULL, " ,", &save_word)) {
		if (*n == MANIFEST_MAX_SOLUTIONS)
			return fail(st, "too many solutions at '%s'", word);
		if (copy_text(st, names[(*n)++], sizeof(names[0]), word))
			return -1;
	}
	return 0;
}

static int parse_solutions(struct parse_state *st, char *value)
{
	return parse_names(st, value, st->m->solutions, &st->m->n_solutions);
}

/* The Python twin's keys (python, python_args, ...); 1 when key is none of them. */
static int apply_python(struct parse_state *st, const char *key, char *value)
{
	struct manifest_python *py = &st->m->python;
	long n;
	if (strcmp(key, "python") == 0)
		return copy_text(st, py->program, sizeof(py->program), value);
	if (strcmp(key, "python_args") == 0)
		return copy_text(st, py->args, sizeof(py->args), value);
	if (strcmp(key, "python_compare_args") == 0)
		return copy_text(st, py->compare_args, sizeof(py->compare_args), value);
	if (strcmp(key, "python_runs") == 0) {
		if (parse_long(st, value, 1, 100000, &n))
			return -1;
		py->runs = (int)n;
		return 0;
	}
	if (strcmp(key, "python_timeout") == 0)
		return parse_real(st, value, 0.1, 600, &py->timeout_s);
	if (strcmp(key, "python_symptom_rate") == 0)
		return parse_real(st, value, 0, 1, &py->symptom_rate);
	if (strcmp(key, "python_solutions") == 0)
		return parse_names(st, value, py->solutions, &py->n_solutions);
	return 1;
}

enum { REQ_ID = 1, REQ_SLUG = 2, REQ_TITLE = 4, REQ_PROGRAM = 8, REQ_SYMPTOM = 16 };
#define REQ_ALL (REQ_ID | REQ_SLUG | REQ_TITLE | REQ_PROGRAM | REQ_SYMPTOM)

static int apply(struct parse_state *st, const char *key, char *value)
{
	struct manifest *m = st->m;
	long n;
	if (strcmp(key, "id") == 0) {
		st->seen |= REQ_ID;
		if (parse_long(st, value, 1, 99, &n))
			return -1;
		m->id = (int)n;
		return 0;
	}
	if (strcmp(key, "runs") == 0) {
		if (parse_long(st, value, 1, 100000, &n))
			return -1;
		m->runs = (int)n;
		return 0;
	}
	if (strcmp(key, "stall_ms") == 0) {
		if (parse_long(st, value, 10, 60000, &n))
			return -1;
		m->stall_ms = (int)n;
		return 0;
	}
	if (strcmp(key, "slug") == 0)
		return st->seen |= REQ_SLUG, copy_text(st, m->slug, sizeof(m->slug), value);
	if (strcmp(key, "title") == 0)
		return st->seen |= REQ_TITLE, copy_text(st, m->title, sizeof(m->title), value);
	if (strcmp(key, "program") == 0)
		return st->seen |= REQ_PROGRAM,
		       copy_text(st, m->program, sizeof(m->program), value);
	if (strcmp(key, "symptom") == 0)
		return st->seen |= REQ_SYMPTOM, parse_symptoms(st, value);
	if (strcmp(key, "topic") == 0)
		return copy_text(st, m->topic, sizeof(m->topic), value);
	if (strcmp(key, "plain_cflags") == 0)
		return copy_text(st, m->plain_cflags, sizeof(m->plain_cflags), value);
	if (strcmp(key, "args") == 0)
		return copy_text(st, m->args, sizeof(m->args), value);
	if (strcmp(key, "tsan_args") == 0)
		return copy_text(st, m->tsan_args, sizeof(m->tsan_args), value);
	if (strcmp(key, "compare_args") == 0)
		return copy_text(st, m->compare_args, sizeof(m->compare_args), value);
	if (strcmp(key, "timeout") == 0)
		return parse_real(st, value, 0.1, 600, &m->timeout_s);
	if (strcmp(key, "symptom_rate") == 0)
		return parse_real(st, value, 0, 1, &m->symptom_rate);
	if (strcmp(key, "tsan_expect") == 0)
		return parse_tsan_kinds(st, value);
	if (strcmp(key, "solutions") == 0)
		return parse_solutions(st, value);
	if (strcmp(key, "solutions_clean") == 0) {
		m->solutions_clean = strcmp(value, "yes") == 0;
		return 0;
	}
	if (strcmp(key, "extra_sources") == 0)
		return copy_text(st, m->extra_sources, sizeof(m->extra_sources), value);
	int rc = apply_python(st, key, value);
	if (rc <= 0)
		return rc;
	return fail(st, "unknown key '%s'", key);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int parse_line(struct parse_state *st, char *line)
{
	char *text = trim(line);
	if (*text == '\0' || *text == '#')
		return 0;
	char *eq = strchr(text, '=');
	if (!eq)
		return fail(st, "expected 'key = value', got '%s'", text);
	*eq = '\0';
	return apply(st, trim(text), trim(eq + 1));
}

static void set_defaults(struct manifest *m)
{
	memset(m, 0, sizeof(*m));
	m->runs = 20;
	m->timeout_s = 5;
	m->symptom_rate = 0.95;
	m->solutions_clean = true;
	m->python.symptom_rate = 0.95;
}

static const char *missing_key(unsigned seen)
{
	return !(seen & REQ_ID)        ? "id"
	       : !(seen & REQ_SLUG)    ? "slug"
	       : !(seen & REQ_TITLE)   ? "title"
	       : !(seen & REQ_PROGRAM) ? "program"
	                               : "symptom";
}

int manifest_parse(const char *text, size_t len, struct manifest *out, char *err, size_t err_cap)
{
	struct parse_state st = {.m = out, .err = err, .err_cap = err_cap};
	set_defaults(out);
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[MAX_LINE];
		st.line_no++;
		if (line_len >= sizeof(line))
			return fail(&st, "line longer than %s characters", "511");
		memcpy(line, text + pos, line_len);
		line[line_len] = '\0';
		if (parse_line(&st, line))
			return -1;
		pos += line_len + 1;
	}
	st.line_no = 0;
	if (!out->compare_args[0])
		memcpy(out->compare_args, out->args, sizeof(out->args));
	if (!out->python.compare_args[0])
		memcpy(out->python.compare_args, out->python.args, sizeof(out->python.args));
	if ((st.seen & REQ_ALL) != REQ_ALL)
		return fail(&st, "missing key '%s'", missing_key(st.seen));
	return 0;
}

const char *manifest_symptom_text(int symptoms)
{
	static char buf[64];
	buf[0] = '\0';
	if (symptoms & SYMPTOM_WRONG_RESULT)
		strcat(buf, "wrong result");
	if (symptoms & SYMPTOM_HANG)
		strcat(buf, buf[0] ? " / hang" : "hang");
	if (symptoms & SYMPTOM_CRASH)
		strcat(buf, buf[0] ? " / crash" : "crash");
	return buf;
}
