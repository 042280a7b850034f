/* path_lookup.c: a program found on a PATH-style list (path_lookup.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path_lookup.h"

bool path_lookup_in(const char *dirs, const char *name, path_usable_fn usable, void *ctx, char *out,
                    size_t cap)
{
	size_t name_len = strlen(name);
	if (cap)
		out[0] = '\0';
	for (const char *dir = dirs; dir && *dir;) {
		size_t len = strcspn(dir, ":");
		if (len && len + 1 + name_len < cap) {
			memcpy(out, dir, len);
			out[len] = '/';
			memcpy(out + len + 1, name, name_len + 1);
			if (usable(out, ctx))
				return true;
		}
		dir += len + (dir[len] == ':');
	}
	return false;
}

static bool executable(const char *candidate, void *ctx)
{
	(void)ctx;
	return access(candidate, X_OK) == 0;
}

bool path_lookup(const char *name, char *out, size_t cap)
{
	const char *path = getenv("PATH");
	return path_lookup_in(path ? path : PATH_LOOKUP_DEFAULT, name, executable, NULL, out, cap);
}
