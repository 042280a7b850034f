/* catalogue.h: the labs this build knows, read from bin/catalogue.txt (written by CMake,
 * labs/CMakeLists.txt) and each lab's manifest. */
#ifndef RACELAB_CATALOGUE_H
#define RACELAB_CATALOGUE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"

struct lab_entry {
	char dir[128];            /* folder in labs/: "03-lost-update" */
	char path[PATH_MAX];      /* absolute path of that folder */
	struct manifest manifest; /* valid when manifest_ok */
	bool manifest_ok;
	char manifest_error[300]; /* why not, one line */
};

struct catalogue {
	char source_dir[PATH_MAX];
	char bin_dir[PATH_MAX];
	char tsan_compiler[64]; /* "Clang 14.0.6", "GNU 12.2.0", or "none" */
	struct lab_entry *labs;
	size_t n_labs;
};

/* Reads the catalogue at path and every lab's manifest. A bad manifest does not fail the
 * load (the lab's entry says why); an unreadable or malformed catalogue does: returns -1
 * with a one-line reason in err. */
int catalogue_load(const char *path, struct catalogue *out, char *err, size_t err_cap);

void catalogue_free(struct catalogue *cat);

/* The lab a student means by name: "lab3", "3", "lab03", "03", "lost-update" or
 * "03-lost-update". Returns its index, or -1. Pure. */
int catalogue_find(const struct catalogue *cat, const char *name);

/* Path of the built program: bin/labNN, bin/labNN-SOL, and "-tsan" after either.
 * solution may be NULL (the lab itself). */
void catalogue_program(const struct catalogue *cat, const struct lab_entry *lab,
                       const char *solution, bool tsan, char *out, size_t cap);

/* labs/DIR/PROGRAM relative to the source tree, for people: "labs/03-lost-update/x.c". */
void catalogue_source(const struct lab_entry *lab, const char *solution, char *out, size_t cap);

/* path relative to the source tree when it lies inside it, else path itself ("" for NULL).
 * cat may be NULL (--exec: no tree). Pure; points into path. */
const char *catalogue_relative(const struct catalogue *cat, const char *path);

#endif
