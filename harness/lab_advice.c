/* lab_advice.c: reads a lab's advice.LANG.txt ("kind: text" lines); format in lab_advice.h. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_util.h"
#include "lab_advice.h"

#define ADVICE_FILE_MAX (64 * 1024)

/* Appends the trimmed text [s, e) to dst, a space between pieces. Returns -1 if too long. */
static int append_text(char *dst, const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	size_t have = strlen(dst), add = (size_t)(e - s), sep = have && add ? 1 : 0;
	if (have + sep + add >= LAB_ADVICE_TEXT_MAX)
		return -1;
	if (sep)
		dst[have++] = ' ';
	memcpy(dst + have, s, add);
	dst[have + add] = '\0';
	return 0;
}

/* One "kind: text" line (the text may also start on the next, indented line): sets *kind
 * to the kind it names. */
static int parse_entry(const char *s, const char *e, struct lab_advice *out, enum tsan_kind *kind,
                       char *why, size_t why_cap)
{
	const char *colon = memchr(s, ':', (size_t)(e - s));
	char slug[64];
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(slug)) {
		snprintf(why, why_cap, "expected 'kind: text'");
		return -1;
	}
	memcpy(slug, s, (size_t)(colon - s));
	slug[colon - s] = '\0';
	*kind = tsan_kind_from_slug(slug);
	if (*kind == TSAN_UNKNOWN) {
		snprintf(why, why_cap, "unknown TSan finding kind '%s'", slug);
		return -1;
	}
	if (append_text(out->text[*kind], colon + 1, e)) {
		snprintf(why, why_cap, "text too long");
		return -1;
	}
	return 0;
}

/* A kind named with no text at all (not even on continuation lines) is an error. */
static int check_complete(const struct lab_advice *out, const bool *named, char *err,
                          size_t err_cap)
{
	for (int k = 0; k < TSAN_KIND_COUNT; k++)
		if (named[k] && !out->text[k][0]) {
			snprintf(err, err_cap, "kind '%s' has no text",
			         tsan_kind_slug((enum tsan_kind)k));
			return -1;
		}
	return 0;
}

int lab_advice_parse(const char *text, struct lab_advice *out, char *err, size_t err_cap)
{
	enum tsan_kind current = TSAN_KIND_COUNT; /* none yet */
	bool named[TSAN_KIND_COUNT] = {false};
	char why[160];
	int line_no = 0;
	memset(out, 0, sizeof(*out));
	for (const char *s = text; *s; line_no++) {
		const char *e = strchr(s, '\n');
		const char *next = e ? e + 1 : s + strlen(s);
		if (!e)
			e = next;
		int rc = 0;
		if (*s == '#' || strspn(s, " \t\r") >= (size_t)(e - s))
			; /* comment or blank */
		else if (*s == ' ' || *s == '\t') {
			if (current == TSAN_KIND_COUNT) {
				snprintf(why, sizeof(why),
				         "continuation line before any 'kind: text'");
				rc = -1;
			} else if (append_text(out->text[current], s, e)) {
				snprintf(why, sizeof(why), "text too long");
				rc = -1;
			}
		} else if ((rc = parse_entry(s, e, out, &current, why, sizeof(why))) == 0) {
			if (named[current]) {
				snprintf(why, sizeof(why), "kind '%s' given twice",
				         tsan_kind_slug(current));
				rc = -1;
			}
			named[current] = true;
		}
		if (rc) {
			snprintf(err, err_cap, "line %d: %s", line_no + 1, why);
			return -1;
		}
		s = next;
	}
	return check_complete(out, named, err, err_cap);
}

int lab_advice_load(const char *lab_dir, const char *lang, struct lab_advice *out, char *err,
                    size_t err_cap)
{
	char path[PATH_MAX], why[200];
	size_t len;
	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/advice.%s.txt", lab_dir, lang);
	char *text = file_read_all(path, ADVICE_FILE_MAX, &len);
	if (!text) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, err_cap, "%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = lab_advice_parse(text, out, why, sizeof(why));
	free(text);
	if (rc)
		snprintf(err, err_cap, "%s: %s", path, why);
	return rc;
}

const char *lab_advice_for(const struct lab_advice *advice, enum tsan_kind kind)
{
	if ((unsigned)kind >= TSAN_KIND_COUNT || !advice->text[kind][0])
		return NULL;
	return advice->text[kind];
}
