/* term.h: what the terminal can show. Colour only on a terminal and never with NO_COLOR;
 * Unicode blocks only when the locale says UTF-8; progress only when stderr is a terminal. */
#ifndef RACELAB_TERM_H
#define RACELAB_TERM_H

#include <stdbool.h>
#include <stdio.h>

struct term {
	bool colour;   /* stdout gets ANSI colours */
	bool unicode;  /* stdout can show block characters */
	bool progress; /* stderr gets a live progress line */
};

/* Decides from isatty, NO_COLOR, TERM and the locale. quiet turns progress off. */
void term_detect(struct term *t, bool quiet);

/* What term_on can show. */
enum term_style {
	TERM_BOLD,
	TERM_RED,
	TERM_GREEN,
	TERM_YELLOW,
	TERM_DIM,
};

/* The escape that starts style when t->colour, else "". term_off ends it. */
const char *term_on(const struct term *t, enum term_style style);
const char *term_off(const struct term *t);

#endif
