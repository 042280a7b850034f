/* json_writer.h: a small streaming JSON writer (commas and escaping handled here, so the
 * report code reads like the document it writes). */
#ifndef RACELAB_JSON_WRITER_H
#define RACELAB_JSON_WRITER_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_begin(struct json_writer *w, FILE *out);
void json_object(struct json_writer *w, const char *key); /* key NULL inside arrays/top */
void json_array(struct json_writer *w, const char *key);
void json_end_object(struct json_writer *w);
void json_end_array(struct json_writer *w);
void json_string(struct json_writer *w, const char *key, const char *value); /* NULL: null */
void json_number(struct json_writer *w, const char *key, double value);      /* NaN/inf: null */
void json_int(struct json_writer *w, const char *key, long long value);
void json_bool(struct json_writer *w, const char *key, bool value);
void json_null(struct json_writer *w, const char *key);

#endif
