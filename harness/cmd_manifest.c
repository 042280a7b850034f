/* cmd_manifest.c: `racelab manifest LAB [KEY]`, a lab's manifest as racelab reads it, so
 * that scripts ask racelab instead of parsing lab.manifest again (docs/manifest.md). LAB is
 * a lab's name (from the catalogue) or the path of a lab.manifest (anything with a '/'),
 * which needs no catalogue. With KEY: its value, defaults included; without: every key. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file_util.h"

/* Reads the manifest at path into *m. Prints why not and returns -1. */
static int read_manifest_file(const char *path, struct manifest *m)
{
	char err[PATH_MAX + 300];
	size_t len;
	char *text = file_read_all(path, 1 << 20, &len);
	if (!text) {
		fprintf(stderr, "racelab: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int rc = manifest_parse(path, text, len, m, err, sizeof(err));
	free(text);
	if (rc)
		fprintf(stderr, "racelab: %s\n", err);
	return rc;
}

static int show(const struct manifest *m, const char *key)
{
	char value[MANIFEST_TEXT * 2];
	if (key) {
		if (manifest_value(m, key, value, sizeof(value))) {
			fprintf(stderr, "racelab: %s: not a manifest key (docs/manifest.md)\n",
			        key);
			return EXIT_USAGE;
		}
		printf("%s\n", value);
		return EXIT_CLEAN;
	}
	for (size_t i = 0; manifest_key_name(i); i++) {
		manifest_value(m, manifest_key_name(i), value, sizeof(value));
		printf("%s = %s\n", manifest_key_name(i), value);
	}
	return EXIT_CLEAN;
}

int cmd_manifest(const struct cli *cli)
{
	const char *key = cli->n_labs > 1 ? cli->labs[1] : NULL;
	if (strchr(cli->labs[0], '/')) {
		struct manifest *m = malloc(sizeof(*m));
		int status = !m || read_manifest_file(cli->labs[0], m) ? EXIT_ENV : show(m, key);
		free(m);
		return status;
	}
	struct catalogue cat;
	if (commands_load_catalogue(&cat))
		return EXIT_ENV;
	const struct lab_entry *lab = commands_find_lab(&cat, cli->labs[0]);
	int status = lab ? show(&lab->manifest, key) : EXIT_USAGE;
	catalogue_free(&cat);
	return status;
}
