/* lab_advice.h: a lab's own "what it means here" for the TSan kinds it expects.
 *
 * The generic explanation of a kind (tsan_kinds.c) cannot know the lab: "make it atomic"
 * is a fix in one lab and a trap in the next. A lab may add a file per language,
 * labs/NN-slug/advice.LANG.txt (advice.en.txt, advice.ru.txt), printed under the generic
 * explanation of each finding of that kind.
 *
 * Format: "kind: text" lines, kind being a slug of tsan_kinds.c ("data-race",
 * "lock-order-inversion", ...); a line that starts with a space or a tab continues the
 * text above it (joined with one space); a line starting with '#' is a comment; blank
 * lines are ignored. Each kind at most once; an unknown kind is an error. */
#ifndef RACELAB_LAB_ADVICE_H
#define RACELAB_LAB_ADVICE_H

#include <stddef.h>

#include "tsan_report.h"

#define LAB_ADVICE_TEXT_MAX 1024

struct lab_advice {
	char text[TSAN_KIND_COUNT][LAB_ADVICE_TEXT_MAX]; /* "" where the lab adds nothing */
};

/* Parses an advice file's text (NUL-terminated) into out. Pure: no I/O. Returns 0, or -1
 * with "line N: why" in err (out is then partly filled; do not use it). */
int lab_advice_parse(const char *text, struct lab_advice *out, char *err, size_t err_cap);

/* Reads lab_dir/advice.LANG.txt into out. A lab without that file has no advice: returns
 * 0 with out empty. Returns -1 with "path: why" in err when the file cannot be read or
 * does not parse. */
int lab_advice_load(const char *lab_dir, const char *lang, struct lab_advice *out, char *err,
                    size_t err_cap);

/* The lab's advice for kind, or NULL when it has none. */
const char *lab_advice_for(const struct lab_advice *advice, enum tsan_kind kind);

#endif
