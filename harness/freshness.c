/* freshness.c: compares a lab program's build time with its sources' modification times. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "freshness.h"

/* What the search has seen so far. */
struct probe {
	const char *source_dir; /* absolute path of the source tree */
	struct timespec built;  /* the oldest of the builds checked */
	struct timespec now;    /* sources later than this are skipped */
	struct timespec newest; /* the newest source found newer than built */
	char *newer;            /* its path, relative to the source tree */
	size_t cap;
	bool found;
};

static bool later(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec != b->tv_sec ? a->tv_sec > b->tv_sec : a->tv_nsec > b->tv_nsec;
}

/* Looks at one source, given relative to the source tree. */
static void probe_file(struct probe *p, const char *folder, const char *name)
{
	char path[PATH_MAX * 2];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s/%s", p->source_dir, folder, name);
	if (stat(path, &st) != 0 || !later(&st.st_mtim, &p->built) || later(&st.st_mtim, &p->now))
		return;
	if (p->found && !later(&st.st_mtim, &p->newest))
		return;
	p->found = true;
	p->newest = st.st_mtim;
	snprintf(p->newer, p->cap, "%s/%s", folder, name);
}

static bool ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n > k && strcmp(name + n - k, suffix) == 0;
}

/* The .h files of folder, and its .c files too when with_c. */
static void probe_folder(struct probe *p, const char *folder, bool with_c)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/%s", p->source_dir, folder);
	DIR *dir = opendir(path);
	if (!dir)
		return;
	for (struct dirent *e = readdir(dir); e; e = readdir(dir))
		if (ends_with(e->d_name, ".h") || (with_c && ends_with(e->d_name, ".c")))
			probe_file(p, folder, e->d_name);
	closedir(dir);
}

/* Each space-separated file of words, in folder. */
static void probe_words(struct probe *p, const char *folder, const char *words)
{
	char copy[MANIFEST_TEXT], *save;
	snprintf(copy, sizeof(copy), "%s", words);
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		probe_file(p, folder, w);
}

/* Lowers p->built to the program's modification time. Returns false when it is not built. */
static bool take_build_time(struct probe *p, const char *program)
{
	struct stat st;
	if (stat(program, &st) != 0)
		return false;
	if (later(&p->built, &st.st_mtim))
		p->built = st.st_mtim;
	return true;
}

bool freshness_stale_source(const struct catalogue *cat, const struct lab_entry *lab,
                            const char *solution, bool tsan, char *newer, size_t cap)
{
	struct probe p = {.source_dir = cat->source_dir, .newer = newer, .cap = cap};
	char program[PATH_MAX], folder[PATH_MAX];
	clock_gettime(CLOCK_REALTIME, &p.now);
	p.built = p.now;
	catalogue_program(cat, lab, solution, false, program, sizeof(program));
	bool built = take_build_time(&p, program);
	catalogue_program(cat, lab, solution, true, program, sizeof(program));
	if (tsan)
		built |= take_build_time(&p, program);
	if (!built)
		return false;

	snprintf(folder, sizeof(folder), "labs/%s", lab->dir);
	if (solution) {
		char sol_folder[PATH_MAX], own[64];
		snprintf(sol_folder, sizeof(sol_folder), "solutions/%s", lab->dir);
		snprintf(own, sizeof(own), "%s.c", solution);
		probe_file(&p, sol_folder, own);
	} else {
		probe_file(&p, folder, lab->manifest.program);
	}
	probe_words(&p, folder, lab->manifest.extra_sources);
	probe_folder(&p, folder, false);
	probe_folder(&p, "labkit", true);
	return p.found;
}
