/* fuzz.h: what the fuzz targets share. Each target defines LLVMFuzzerTestOneInput, which
 * libFuzzer calls (make fuzz) and replay.c calls on saved inputs (make test). */
#ifndef RACELAB_FUZZ_H
#define RACELAB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the parser's output: a broken one is a bug, reported like a crash. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,       \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* Does the NUL-terminated s fit in an array of cap bytes? */
#define FUZZ_FITS(s, cap) (strnlen((s), (cap)) < (cap))

/* A malloc'd NUL-terminated copy of size bytes (for parsers that take C strings); the
 * input's own NUL bytes end the string early, as they would in a real read. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
