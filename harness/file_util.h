/* file_util.h: small file helpers shared by the harness. */
#ifndef RACELAB_FILE_UTIL_H
#define RACELAB_FILE_UTIL_H

#include <stddef.h>

/* Reads a whole file (at most max bytes; more is an error, EFBIG) into a malloc'd,
 * NUL-terminated buffer; *len gets its size. Returns NULL with errno set on failure. */
char *file_read_all(const char *path, size_t max, size_t *len);

/* Writes len bytes to path atomically: to a temporary file beside it, then rename.
 * Returns 0, or -1 with errno set. */
int file_write_atomic(const char *path, const char *data, size_t len);

#endif
