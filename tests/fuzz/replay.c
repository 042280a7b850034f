/* replay.c: runs a fuzz target's LLVMFuzzerTestOneInput on saved inputs, without
 * libFuzzer, so `make test` replays every crash fuzzing ever found (regressions/) and
 * the seeds (tests/fixtures) with the regular compiler.
 * usage: fuzz_replay_NAME FILE_OR_DIR...  (a directory: each regular file in it) */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "fuzz.h"

static int n_inputs;

/* Reads path whole and feeds it to the target; -1 when it cannot be read. */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "racelab: %s: %s\n", path, strerror(errno));
		return -1;
	}
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;
	do {
		if (size == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *bigger = realloc(data, cap);
			if (!bigger)
				abort();
			data = bigger;
		}
		n = fread(data + size, 1, cap - size, f);
		size += n;
	} while (n > 0);
	fclose(f);
	/* libFuzzer hands over exactly size bytes: copy so ASan sees reads past them. */
	uint8_t *exact = malloc(size ? size : 1);
	if (!exact)
		abort();
	memcpy(exact, data, size);
	free(data);
	LLVMFuzzerTestOneInput(exact, size);
	free(exact);
	n_inputs++;
	return 0;
}

static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct stat st;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "racelab: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc |= replay_file(path);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	struct stat st;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "racelab: %s: %s\n", argv[i], strerror(errno));
			rc = -1;
		} else {
			rc |= S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]);
		}
	}
	printf("replayed %d inputs\n", n_inputs);
	/* No input at all means a wrong path, not a pass. */
	return rc != 0 || n_inputs == 0 ? 1 : 0;
}
