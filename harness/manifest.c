/* manifest.c: parses lab.manifest, with one table of the keys it knows. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

#define MAX_LINE 512
#define MAX_KEYS 48 /* rows the key table may grow to (first_line below) */

/* List values are words separated by blanks; nothing else separates them (CMake's
 * separate_arguments reads solutions the same way). */
#define WORD_SEPARATORS " \t"

struct parse_state {
	struct manifest *m;
	const char *name; /* the file, for messages; may be NULL */
	int line_no;      /* 0: not at a line (after the last) */
	char *err;
	size_t err_cap;
	int first_line[MAX_KEYS]; /* line each key was given on; 0: not given */
};

/* Sets the error "NAME:LINE: msg" ("line LINE: msg" without a name, "NAME: msg" after the
 * last line) and returns -1. */
static int fail_msg(struct parse_state *st, const char *msg)
{
	char at[32] = "";
	if (st->line_no)
		snprintf(at, sizeof(at), "%s%d", st->name ? ":" : "line ", st->line_no);
	snprintf(st->err, st->err_cap, "%s%s%s%s", st->name ? st->name : "", at,
	         st->name || st->line_no ? ": " : "", msg);
	return -1;
}

static int fail(struct parse_state *st, const char *fmt, const char *what)
{
	char msg[400];
	snprintf(msg, sizeof(msg), fmt, what);
	return fail_msg(st, msg);
}

/* The symptom words, in the order they are written back. */
static const struct {
	int bit;
	const char *word;
} symptom_words[] = {
    {SYMPTOM_WRONG_RESULT, "wrong-result"},
    {SYMPTOM_HANG, "hang"},
    {SYMPTOM_CRASH, "crash"},
};

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
	for (char *word = strtok_r(value, WORD_SEPARATORS, &save_word); word;
	     word = strtok_r(NULL, WORD_SEPARATORS, &save_word)) {
		size_t i = 0;
		while (i < sizeof(symptom_words) / sizeof(symptom_words[0]) &&
		       strcmp(word, symptom_words[i].word) != 0)
			i++;
		if (i == sizeof(symptom_words) / sizeof(symptom_words[0]))
			return fail(st, "unknown symptom '%s' (wrong-result, hang, crash)", word);
		st->m->symptoms |= symptom_words[i].bit;
	}
	return 0;
}

static int parse_tsan_kinds(struct parse_state *st, char *value)
{
	char *save_word;
	for (char *word = strtok_r(value, WORD_SEPARATORS, &save_word); word;
	     word = strtok_r(NULL, WORD_SEPARATORS, &save_word)) {
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
	for (char *word = strtok_r(value, WORD_SEPARATORS, &save_word); word;
	     word = strtok_r(NULL, WORD_SEPARATORS, &save_word)) {
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

static int parse_python_solutions(struct parse_state *st, char *value)
{
	return parse_names(st, value, st->m->python.solutions, &st->m->python.n_solutions);
}

/* The known keys: the one table of them. A new key is one row here and a field in struct
 * manifest (manifest.h); docs/manifest.md describes each. Required keys come first in the
 * order "missing key" names them. */
enum key_kind {
	KEY_INT,        /* a whole number in [lo, hi] */
	KEY_REAL,       /* a number in [lo, hi] */
	KEY_TEXT,       /* the rest of the line */
	KEY_SYMPTOMS,   /* words: wrong-result hang crash */
	KEY_TSAN_KINDS, /* words: TSan kind slugs, or none */
	KEY_WORDS,      /* words: the solutions' names */
	KEY_PY_WORDS,   /* words: the Python twin's solutions' names */
	KEY_YES_NO,     /* yes or no */
	KEY_SCHED,      /* yes, or no with an optional ": reason" */
};

struct manifest_key {
	const char *name;
	enum key_kind kind;
	size_t offset; /* of the field in struct manifest */
	size_t size;   /* KEY_TEXT: the field's capacity */
	double lo, hi; /* KEY_INT, KEY_REAL */
	bool required;
};

#define FIELD(f) offsetof(struct manifest, f)
#define TEXT(k, f, req)                                                                            \
	{                                                                                          \
		k, KEY_TEXT, FIELD(f), sizeof(((struct manifest *)0)->f), 0, 0, req                \
	}

static const struct manifest_key keys[] = {
    {"id", KEY_INT, FIELD(id), 0, 1, 99, true},
    TEXT("slug", slug, true),
    TEXT("title", title, true),
    TEXT("program", program, true),
    {"symptom", KEY_SYMPTOMS, FIELD(symptoms), 0, 0, 0, true},
    TEXT("topic", topic, false),
    TEXT("extra_sources", extra_sources, false),
    TEXT("plain_cflags", plain_cflags, false),
    TEXT("args", args, false),
    TEXT("tsan_args", tsan_args, false),
    TEXT("compare_args", compare_args, false),
    TEXT("cost_unit", cost_unit, false),
    TEXT("size_knob", size_knob, false),
    {"work_ms", KEY_INT, FIELD(work_ms), 0, 1, 60000, false},
    {"runs", KEY_INT, FIELD(runs), 0, 1, 100000, false},
    {"timeout", KEY_REAL, FIELD(timeout_s), 0, 0.1, 600, false},
    {"stall_ms", KEY_INT, FIELD(stall_ms), 0, 10, 60000, false},
    {"symptom_rate", KEY_REAL, FIELD(symptom_rate), 0, 0, 1, false},
    {"tsan_expect", KEY_TSAN_KINDS, FIELD(tsan_expect), 0, 0, 0, false},
    {"solutions", KEY_WORDS, FIELD(solutions), 0, 0, 0, false},
    {"solutions_clean", KEY_YES_NO, FIELD(solutions_clean), 0, 0, 0, false},
    {"sched", KEY_SCHED, FIELD(sched), 0, 0, 0, false},
    TEXT("sched_args", sched_args, false),
    {"sched_budget", KEY_INT, FIELD(sched_budget), 0, 1, 1000000, false},
    {"sched_depth", KEY_INT, FIELD(sched_depth), 0, 1, 8, false},
    /* The Python twin (python_twin.h): its program, arguments, runs and solutions. */
    TEXT("python", python.program, false),
    TEXT("python_args", python.args, false),
    TEXT("python_compare_args", python.compare_args, false),
    {"python_runs", KEY_INT, FIELD(python.runs), 0, 1, 100000, false},
    {"python_timeout", KEY_REAL, FIELD(python.timeout_s), 0, 0.1, 600, false},
    {"python_symptom_rate", KEY_REAL, FIELD(python.symptom_rate), 0, 0, 1, false},
    {"python_solutions", KEY_PY_WORDS, FIELD(python.solutions), 0, 0, 0, false},
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))
_Static_assert(N_KEYS <= MAX_KEYS, "raise MAX_KEYS");

/* "yes", or "no" with an optional ": reason". */
static int parse_sched(struct parse_state *st, char *value)
{
	if (strcmp(value, "yes") == 0)
		return st->m->sched = true, 0;
	if (strncmp(value, "no", 2) != 0 || (value[2] && value[2] != ':' && value[2] != ' '))
		return fail(st, "sched: expected yes, or no: REASON (got '%s')", value);
	st->m->sched = false;
	char *reason = value + 2;
	while (*reason == ':' || *reason == ' ')
		reason++;
	return copy_text(st, st->m->sched_reason, sizeof(st->m->sched_reason), reason);
}

static const struct manifest_key *find_key(const char *name)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int apply(struct parse_state *st, const struct manifest_key *k, char *value)
{
	char *field = (char *)st->m + k->offset;
	long n;
	switch (k->kind) {
	case KEY_INT:
		if (parse_long(st, value, (long)k->lo, (long)k->hi, &n))
			return -1;
		*(int *)field = (int)n;
		return 0;
	case KEY_REAL:
		return parse_real(st, value, k->lo, k->hi, (double *)field);
	case KEY_TEXT:
		return copy_text(st, field, k->size, value);
	case KEY_SYMPTOMS:
		return parse_symptoms(st, value);
	case KEY_TSAN_KINDS:
		return parse_tsan_kinds(st, value);
	case KEY_WORDS:
		return parse_solutions(st, value);
	case KEY_PY_WORDS:
		return parse_python_solutions(st, value);
	case KEY_YES_NO:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return fail(st, "'%s' is not yes or no", value);
		*(bool *)field = strcmp(value, "yes") == 0;
		return 0;
	case KEY_SCHED:
		return parse_sched(st, value);
	}
	return -1;
}

static char *trim_end(char *s)
{
	char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* One line: blank, a comment ('#' after optional blanks), or "key = value" with the key at
 * column 0, a known key, not given before. */
static int parse_line(struct parse_state *st, char *line)
{
	char *text = line + strspn(line, " \t\r");
	if (*text == '\0' || *text == '#')
		return 0;
	if (text != line)
		return fail(st, "'%s' is indented: a key starts at column 0", trim_end(text));
	char *eq = strchr(line, '=');
	if (!eq)
		return fail(st, "expected 'key = value', got '%s'", trim_end(line));
	*eq = '\0';
	char *key = trim_end(line);
	const struct manifest_key *k = find_key(key);
	if (!k)
		return fail(st, "unknown key '%s' (docs/manifest.md lists them)", key);
	size_t i = (size_t)(k - keys);
	if (st->first_line[i]) {
		char msg[100];
		snprintf(msg, sizeof(msg), "'%s' given twice (first on line %d)", key,
		         st->first_line[i]);
		return fail_msg(st, msg);
	}
	st->first_line[i] = st->line_no;
	char *value = eq + 1;
	value += strspn(value, " \t");
	return apply(st, k, trim_end(value));
}

static void set_defaults(struct manifest *m)
{
	memset(m, 0, sizeof(*m));
	m->runs = 20;
	m->timeout_s = 5;
	m->symptom_rate = 0.95;
	m->solutions_clean = true;
	m->sched_budget = 200;
	m->sched_depth = 2;
	m->python.symptom_rate = 0.95;
}

int manifest_parse(const char *name, const char *text, size_t len, struct manifest *out, char *err,
                   size_t err_cap)
{
	struct parse_state st = {.m = out, .name = name, .err = err, .err_cap = err_cap};
	set_defaults(out);
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[MAX_LINE];
		st.line_no++;
		if (line_len >= sizeof(line))
			return fail(&st, "line longer than %s characters", "511");
		if (memchr(text + pos, '\0', line_len))
			return fail(&st, "a NUL byte in %s", "the line");
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
	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].required && !st.first_line[i])
			return fail(&st, "missing key '%s'", keys[i].name);
	return 0;
}

const char *manifest_key_name(size_t i)
{
	return i < N_KEYS ? keys[i].name : NULL;
}

/* Appends word to out (space-separated). */
static void add_word(char *out, size_t cap, const char *word)
{
	size_t len = strlen(out);
	snprintf(out + len, cap - len, "%s%s", len ? " " : "", word);
}

int manifest_value(const struct manifest *m, const char *key, char *out, size_t cap)
{
	const struct manifest_key *k = find_key(key);
	if (!k || cap == 0)
		return -1;
	const char *field = (const char *)m + k->offset;
	out[0] = '\0';
	switch (k->kind) {
	case KEY_INT:
		snprintf(out, cap, "%d", *(const int *)field);
		break;
	case KEY_REAL:
		snprintf(out, cap, "%g", *(const double *)field);
		break;
	case KEY_TEXT:
		snprintf(out, cap, "%s", field);
		break;
	case KEY_SYMPTOMS:
		for (size_t i = 0; i < sizeof(symptom_words) / sizeof(symptom_words[0]); i++)
			if (m->symptoms & symptom_words[i].bit)
				add_word(out, cap, symptom_words[i].word);
		break;
	case KEY_TSAN_KINDS:
		for (int i = 0; i < m->n_tsan_expect; i++)
			add_word(out, cap, tsan_kind_slug(m->tsan_expect[i]));
		if (!m->n_tsan_expect)
			snprintf(out, cap, "none");
		break;
	case KEY_WORDS:
		for (int i = 0; i < m->n_solutions; i++)
			add_word(out, cap, m->solutions[i]);
		break;
	case KEY_PY_WORDS:
		for (int i = 0; i < m->python.n_solutions; i++)
			add_word(out, cap, m->python.solutions[i]);
		break;
	case KEY_YES_NO:
		snprintf(out, cap, "%s", *(const bool *)field ? "yes" : "no");
		break;
	case KEY_SCHED:
		if (m->sched || !m->sched_reason[0])
			snprintf(out, cap, "%s", m->sched ? "yes" : "no");
		else
			snprintf(out, cap, "no: %s", m->sched_reason);
		break;
	}
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
