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

/* Wraps text in a colour when t->colour: "red", "green", "yellow", "bold", "dim". */
const char *term_on(const struct term *t, const char *what);
const char *term_off(const struct term *t);

#endif
