/* path_lookup.h: finding a program on a PATH-style list of directories: the one rule the
 * harness uses wherever it looks a program up (python3, valgrind, a program to run). */
#ifndef RACELAB_PATH_LOOKUP_H
#define RACELAB_PATH_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>

/* The list used when PATH is unset. */
#define PATH_LOOKUP_DEFAULT "/usr/bin:/bin"

/* Does candidate (a full path) do? ctx is the caller's. */
typedef bool (*path_usable_fn)(const char *candidate, void *ctx);

/* Tries "DIR/name" for each DIR of dirs (colon-separated, in order; empty entries are
 * skipped, never taken as the current directory) and writes the first one usable()
 * accepts to out. Returns true then; false when none does (out holds the last candidate
 * tried, or "" when there was none). A candidate longer than cap - 1 is not tried. Pure
 * when usable is. */
bool path_lookup_in(const char *dirs, const char *name, path_usable_fn usable, void *ctx, char *out,
                    size_t cap);

/* name on $PATH (PATH_LOOKUP_DEFAULT when unset): the first executable file
 * (access(X_OK)). Returns true with its path in out, false when there is none. */
bool path_lookup(const char *name, char *out, size_t cap);

#endif
