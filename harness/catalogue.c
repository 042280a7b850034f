/* catalogue.c: loads the catalogue and the manifests, and finds labs by name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "file_util.h"

static int load_manifest(struct lab_entry *lab)
{
	char path[PATH_MAX + 32], err[sizeof(lab->manifest_error)];
	size_t len;
	snprintf(path, sizeof(path), "%s/lab.manifest", lab->path);
	char *text = file_read_all(path, 1 << 20, &len);
	if (!text) {
		snprintf(lab->manifest_error, sizeof(lab->manifest_error), "%s: %s", path,
		         strerror(errno));
		return -1;
	}
	int rc = manifest_parse(path, text, len, &lab->manifest, err, sizeof(err));
	free(text);
	if (rc)
		snprintf(lab->manifest_error, sizeof(lab->manifest_error), "%s", err);
	lab->manifest_ok = rc == 0;
	return rc;
}

static int add_lab(struct catalogue *cat, const char *dir)
{
	struct lab_entry *grown = realloc(cat->labs, (cat->n_labs + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	cat->labs = grown;
	struct lab_entry *lab = &cat->labs[cat->n_labs++];
	memset(lab, 0, sizeof(*lab));
	snprintf(lab->dir, sizeof(lab->dir), "%s", dir);
	snprintf(lab->path, sizeof(lab->path), "%s/labs/%s", cat->source_dir, dir);
	load_manifest(lab);
	return 0;
}

/* Applies one "key value" line of the catalogue. */
static int apply_line(struct catalogue *cat, char *line)
{
	char *space = strchr(line, ' ');
	if (line[0] == '#' || line[0] == '\0')
		return 0;
	if (!space)
		return -1;
	*space = '\0';
	const char *value = space + 1;
	if (strcmp(line, "source_dir") == 0)
		snprintf(cat->source_dir, sizeof(cat->source_dir), "%s", value);
	else if (strcmp(line, "bin_dir") == 0)
		snprintf(cat->bin_dir, sizeof(cat->bin_dir), "%s", value);
	else if (strcmp(line, "tsan_compiler") == 0)
		snprintf(cat->tsan_compiler, sizeof(cat->tsan_compiler), "%s", value);
	else if (strcmp(line, "lab") == 0)
		return add_lab(cat, value);
	return 0;
}

int catalogue_load(const char *path, struct catalogue *out, char *err, size_t err_cap)
{
	size_t len;
	memset(out, 0, sizeof(*out));
	char *text = file_read_all(path, 1 << 20, &len);
	if (!text) {
		snprintf(err, err_cap, "%s: %s", path, strerror(errno));
		return -1;
	}
	int line_no = 0;
	char *save_line;
	for (char *line = strtok_r(text, "\n", &save_line); line;
	     line = strtok_r(NULL, "\n", &save_line)) {
		line_no++;
		if (apply_line(out, line)) {
			snprintf(err, err_cap, "%s: line %d: malformed", path, line_no);
			free(text);
			catalogue_free(out);
			return -1;
		}
	}
	free(text);
	if (!out->source_dir[0] || !out->bin_dir[0]) {
		snprintf(err, err_cap, "%s: no source_dir or bin_dir", path);
		catalogue_free(out);
		return -1;
	}
	return 0;
}

void catalogue_free(struct catalogue *cat)
{
	free(cat->labs);
	memset(cat, 0, sizeof(*cat));
}

/* "lab03" -> 3, "lab3" -> 3, "03" -> 3, "3" -> 3; -1 otherwise. */
static int number_in(const char *name)
{
	if (strncmp(name, "lab", 3) == 0)
		name += 3;
	if (!*name || strlen(name) > 3)
		return -1;
	char *end;
	long n = strtol(name, &end, 10);
	return *end ? -1 : (int)n;
}

int catalogue_find(const struct catalogue *cat, const char *name)
{
	int number = number_in(name);
	for (size_t i = 0; i < cat->n_labs; i++) {
		const struct lab_entry *lab = &cat->labs[i];
		if (strcmp(lab->dir, name) == 0)
			return (int)i;
		if (!lab->manifest_ok)
			continue;
		if (lab->manifest.id == number || strcmp(lab->manifest.slug, name) == 0)
			return (int)i;
	}
	return -1;
}

void catalogue_program(const struct catalogue *cat, const struct lab_entry *lab,
                       const char *solution, bool tsan, char *out, size_t cap)
{
	snprintf(out, cap, "%s/lab%02d%s%s%s", cat->bin_dir, lab->manifest.id, solution ? "-" : "",
	         solution ? solution : "", tsan ? "-tsan" : "");
}

void catalogue_source(const struct lab_entry *lab, const char *solution, char *out, size_t cap)
{
	if (solution)
		snprintf(out, cap, "solutions/%s/%s.c", lab->dir, solution);
	else
		snprintf(out, cap, "labs/%s/%s", lab->dir, lab->manifest.program);
}

const char *catalogue_relative(const struct catalogue *cat, const char *path)
{
	if (!cat || !path)
		return path ? path : "";
	size_t n = strlen(cat->source_dir);
	if (n && strncmp(path, cat->source_dir, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}
