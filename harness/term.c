/* term.c: terminal capabilities and the progress line. */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "term.h"

static bool locale_is_utf8(void)
{
	setlocale(LC_CTYPE, "");
	const char *codeset = nl_langinfo(CODESET);
	return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

void term_detect(struct term *t, bool quiet)
{
	const char *no_colour = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	bool dumb = term && strcmp(term, "dumb") == 0;
	t->colour = isatty(STDOUT_FILENO) && !(no_colour && *no_colour) && !dumb;
	t->unicode = locale_is_utf8();
	t->progress = !quiet && isatty(STDERR_FILENO) && !dumb;
}

const char *term_on(const struct term *t, enum term_style style)
{
	static const char *const escapes[] = {
	    [TERM_BOLD] = "\033[1m",    [TERM_RED] = "\033[31m", [TERM_GREEN] = "\033[32m",
	    [TERM_YELLOW] = "\033[33m", [TERM_DIM] = "\033[2m",
	};
	return t->colour ? escapes[style] : "";
}

const char *term_off(const struct term *t)
{
	return t->colour ? "\033[0m" : "";
}
