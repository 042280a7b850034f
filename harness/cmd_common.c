/* cmd_common.c: what the commands share: finding the catalogue and the labs, refusing a
 * stale build, the "TSan found" cell of a table, the JSON report. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "i18n.h"
#include "freshness.h"
#include "report.h"

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
		fprintf(stderr, _("racelab: cannot find where racelab is installed\n"));
		return -1;
	}
	if (catalogue_load(path, cat, err, sizeof(err))) {
		fprintf(stderr, _("racelab: %s (build first: make)\n"), err);
		return -1;
	}
	return 0;
}

const struct lab_entry *commands_find_lab(const struct catalogue *cat, const char *name)
{
	int i = catalogue_find(cat, name);
	if (i < 0) {
		fprintf(stderr, _("racelab: %s: no such lab (./racelab list shows them)\n"), name);
		return NULL;
	}
	const struct lab_entry *lab = &cat->labs[i];
	if (!lab->manifest_ok) {
		fprintf(stderr, "racelab: %s\n", lab->manifest_error);
		return NULL;
	}
	return lab;
}

bool commands_build_is_fresh(const struct catalogue *cat, const struct lab_entry *lab,
                             const char *solution, bool tsan)
{
	char newer[PATH_MAX];
	if (!freshness_stale_source(cat, lab, solution, tsan, newer, sizeof(newer)))
		return true;
	fprintf(stderr, _("racelab: lab%d%s%s: the build is older than %s: run make lab%d\n"),
	        lab->manifest.id, solution ? " " : "", solution ? solution : "", newer,
	        lab->manifest.id);
	return false;
}

/* How many findings of r, from the i-th on, have the i-th's kind; 0 if one before it has. */
static size_t kind_count_from(const struct tsan_report *r, size_t i)
{
	size_t n = 0;
	for (size_t j = 0; j < r->n_findings; j++) {
		if (r->findings[j].kind != r->findings[i].kind)
			continue;
		if (j < i)
			return 0;
		n++;
	}
	return n;
}

void commands_tsan_found(const struct experiment *ex, char *out, size_t cap)
{
	const struct tsan_report *r = &ex->tsan.report;
	size_t len = 0;
	if (ex->python) {
		snprintf(out, cap, "not applicable (Python)");
		return;
	}
	if (!ex->tsan.ran) {
		snprintf(out, cap, _("did not run"));
		return;
	}
	bool blind = ex->lab && !ex->solution && ex->lab->manifest.n_tsan_expect == 0;
	snprintf(out, cap, blind ? _("clean (blind to it)") : _("clean"));
	for (size_t i = 0; i < r->n_findings && len < cap; i++) {
		size_t n = kind_count_from(r, i);
		if (n == 0)
			continue;
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? ", " : "",
		                        tsan_kind_slug(r->findings[i].kind));
		if (n > 1 && len < cap)
			len += (size_t)snprintf(out + len, cap - len, " x%zu", n);
	}
}

int commands_max_runs(void)
{
	const char *text = getenv("RACELAB_MAX_RUNS");
	char *end;
	long n = text ? strtol(text, &end, 10) : 0;
	return text && *text && !*end && n > 0 && n <= 100000 ? (int)n : 0;
}

/* Could path be written: an existing file that is writable, or a new file in a directory
 * that is? Sets errno when not. */
static bool can_write(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return false;
		}
		return access(path, W_OK) == 0;
	}
	if (errno != ENOENT)
		return false;
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return access(dir, W_OK | X_OK) == 0;
}

bool commands_outputs_writable(const char *json_path, const char *junit_path)
{
	if (json_path && strcmp(json_path, "-") != 0 && !can_write(json_path)) {
		fprintf(stderr, "racelab: %s: cannot write the JSON report: %m (nothing was run)\n",
		        json_path);
		return false;
	}
	if (junit_path && !can_write(junit_path)) {
		fprintf(stderr, "racelab: %s: cannot write JUnit XML: %m (nothing was run)\n",
		        junit_path);
		return false;
	}
	return true;
}

int commands_write_json(const char *path, const struct experiment *exs, int n)
{
	const struct experiment **ptrs = calloc((size_t)n + 1, sizeof(*ptrs));
	for (int i = 0; ptrs && i < n; i++)
		ptrs[i] = &exs[i];
	int rc = ptrs ? report_json_file(path, ptrs, n) : -1;
	free(ptrs);
	if (rc)
		fprintf(stderr, _("racelab: %s: cannot write the JSON report: %m\n"), path);
	return rc;
}
