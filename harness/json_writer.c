/* json_writer.c: streaming JSON with correct commas and string escaping. */
#include <math.h>

#include "json_writer.h"

void json_begin(struct json_writer *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->need_comma[0] = false;
}

static void put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

/* Comma, newline and indentation before a member, then "key": when there is one. */
static void member(struct json_writer *w, const char *key)
{
	if (w->need_comma[w->depth])
		fputc(',', w->out);
	if (w->depth > 0)
		fprintf(w->out, "\n%*s", 2 * w->depth, "");
	w->need_comma[w->depth] = true;
	if (key) {
		put_string(w->out, key);
		fputs(": ", w->out);
	}
}

static void open_container(struct json_writer *w, const char *key, char bracket)
{
	member(w, key);
	fputc(bracket, w->out);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_container(struct json_writer *w, char bracket)
{
	bool had_members = w->need_comma[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (had_members)
		fprintf(w->out, "\n%*s", 2 * w->depth, "");
	fputc(bracket, w->out);
	if (w->depth == 0)
		fputc('\n', w->out);
}

void json_object(struct json_writer *w, const char *key)
{
	open_container(w, key, '{');
}

void json_array(struct json_writer *w, const char *key)
{
	open_container(w, key, '[');
}

void json_end_object(struct json_writer *w)
{
	close_container(w, '}');
}

void json_end_array(struct json_writer *w)
{
	close_container(w, ']');
}

void json_string(struct json_writer *w, const char *key, const char *value)
{
	member(w, key);
	if (value)
		put_string(w->out, value);
	else
		fputs("null", w->out);
}

void json_number(struct json_writer *w, const char *key, double value)
{
	member(w, key);
	if (isfinite(value))
		fprintf(w->out, "%.15g", value); /* 15 digits: no 0.1000000000000001 */
	else
		fputs("null", w->out);
}

void json_int(struct json_writer *w, const char *key, long long value)
{
	member(w, key);
	fprintf(w->out, "%lld", value);
}

void json_bool(struct json_writer *w, const char *key, bool value)
{
	member(w, key);
	fputs(value ? "true" : "false", w->out);
}

void json_null(struct json_writer *w, const char *key)
{
	member(w, key);
	fputs("null", w->out);
}
