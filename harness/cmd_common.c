/* cmd_common.c: what the commands share: finding the catalogue and the labs. */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

static int catalogue_path(char *out, size_t cap)
{
	const char *env = getenv("RACELAB_CATALOGUE");
	if (env && *env) {
		snprintf(out, cap, "%s", env);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	exe[n] = '\0';
	snprintf(out, cap, "%s/catalogue.txt", dirname(exe));
	return 0;
}

int commands_load_catalogue(struct catalogue *cat)
{
	char path[PATH_MAX + 32], err[PATH_MAX + 200];
	if (catalogue_path(path, sizeof(path))) {
		fprintf(stderr, "racelab: cannot find where racelab is installed\n");
		return -1;
	}
	if (catalogue_load(path, cat, err, sizeof(err))) {
		fprintf(stderr, "racelab: %s (build first: make)\n", err);
		return -1;
	}
	return 0;
}

const struct lab_entry *commands_find_lab(const struct catalogue *cat, const char *name)
{
	int i = catalogue_find(cat, name);
	if (i < 0) {
		fprintf(stderr, "racelab: %s: no such lab (racelab list shows them)\n", name);
		return NULL;
	}
	const struct lab_entry *lab = &cat->labs[i];
	if (!lab->manifest_ok) {
		fprintf(stderr, "racelab: %s\n", lab->manifest_error);
		return NULL;
	}
	return lab;
}
