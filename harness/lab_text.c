/* lab_text.c: a lab's title and topic from its README.LANG.md; see lab_text.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_util.h"
#include "lab_text.h"

#define README_MAX  (256 * 1024)
#define TOPIC_LINES 5

/* Copies [s, e) into dst (cap bytes), trimmed of spaces, '*' and a final '.'. */
static void copy_trimmed(char *dst, size_t cap, const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '*'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '*' || e[-1] == '.' || e[-1] == '\r'))
		e--;
	size_t n = (size_t)(e - s) < cap - 1 ? (size_t)(e - s) : cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The end of the first clause in [s, e): ". ", " — " or e. */
static const char *clause_end(const char *s, const char *e)
{
	static const char *const stops[] = {". ", " \xe2\x80\x94 "}; /* " — " in UTF-8 */
	const char *end = e;
	for (size_t k = 0; k < sizeof(stops) / sizeof(stops[0]); k++) {
		for (const char *p = s; p + strlen(stops[k]) <= end; p++)
			if (memcmp(p, stops[k], strlen(stops[k])) == 0) {
				end = p;
				break;
			}
	}
	return end;
}

static void parse_topic(const char *line, const char *e, struct lab_text *out)
{
	static const char *const marks[] = {"\xd0\xa2\xd0\xb5\xd0\xbc\xd0\xb0: ", /* "Тема: " */
	                                    "\xd0\xa2\xd0\xb5\xd0\xbc\xd0\xb0 \xd0\xba\xd1\x83"
	                                    "\xd1\x80\xd1\x81\xd0\xb0: "}; /* "Тема курса: " */
	const char *s = line;
	while (s < e && *s == '*')
		s++;
	for (size_t k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
		size_t n = strlen(marks[k]);
		if ((size_t)(e - s) > n && memcmp(s, marks[k], n) == 0) {
			copy_trimmed(out->topic, sizeof(out->topic), s + n, clause_end(s + n, e));
			return;
		}
	}
}

void lab_text_parse(const char *readme, struct lab_text *out)
{
	memset(out, 0, sizeof(*out));
	const char *s = readme;
	for (int line = 0; *s && line < TOPIC_LINES; line++) {
		const char *e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		if (line == 0 && s[0] == '#' && s[1] == ' ') {
			const char *colon = strstr(s, ": ");
			if (colon && colon < e)
				copy_trimmed(out->title, sizeof(out->title), colon + 2, e);
		} else if (!out->topic[0]) {
			parse_topic(s, e, out);
		}
		s = *e ? e + 1 : e;
	}
}

void lab_text_load(const char *lab_dir, const char *lang, struct lab_text *out)
{
	char path[PATH_MAX];
	size_t len;
	memset(out, 0, sizeof(*out));
	if (strcmp(lang, "en") == 0)
		return;
	snprintf(path, sizeof(path), "%s/README.%s.md", lab_dir, lang);
	char *text = file_read_all(path, README_MAX, &len);
	if (!text)
		return;
	lab_text_parse(text, out);
	free(text);
}
