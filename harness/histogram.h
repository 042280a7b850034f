/* histogram.h: a histogram of a run series drawn with text, for a terminal. Pure. */
#ifndef RACELAB_HISTOGRAM_H
#define RACELAB_HISTOGRAM_H

#include <stdbool.h>
#include <stddef.h>

/* Draws values into buf (NUL-terminated, truncated to cap) as at most `bins` rows:
 *   "  181340 .. 204664  ████████▍      7"
 * Bars are at most `width` cells, in Unicode eighth blocks, or '#' when unicode is false.
 * When all values are equal one row is drawn. Returns the length written. */
size_t histogram_render(const double *values, size_t n, int bins, int width, bool unicode,
                        char *buf, size_t cap);

#endif
