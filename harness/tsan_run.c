/* tsan_run.c: one run of a TSan build, its log files collected and parsed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_util.h"
#include "tsan_run.h"

#define LOG_LIMIT (8u << 20) /* bytes of TSan logs read per run */

/* Frames in the lab kit are wrappers; the finding belongs to the lab line that called them. */
static const char *const skip_paths[] = {"/labkit/", NULL};

static const char *find_symbolizer(void)
{
	static const char *const candidates[] = {"/usr/bin/llvm-symbolizer",
	                                         "/usr/lib/llvm-14/bin/llvm-symbolizer",
	                                         "/usr/bin/llvm-symbolizer-14", NULL};
	for (int i = 0; candidates[i]; i++)
		if (access(candidates[i], X_OK) == 0)
			return candidates[i];
	return NULL;
}

static void build_options(char *out, size_t cap, const char *log_prefix)
{
	const char *user = getenv("TSAN_OPTIONS");
	const char *symbolizer = find_symbolizer();
	snprintf(out, cap,
	         "TSAN_OPTIONS=%s%slog_path=%s color=never atexit_sleep_ms=50 "
	         "second_deadlock_stack=1 exitcode=%d%s%s",
	         user ? user : "", user ? " " : "", log_prefix, TSAN_EXIT_CODE,
	         symbolizer ? " external_symbolizer_path=" : "", symbolizer ? symbolizer : "");
}

/* Appends every file of dir to *buf (bounded), then removes files and dir. */
static void collect_logs(const char *dir, char **buf, size_t *len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		size_t n;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		char *text = file_read_all(path, LOG_LIMIT, &n);
		unlink(path);
		if (!text)
			continue;
		char *grown = *len + n <= LOG_LIMIT ? realloc(*buf, *len + n + 1) : NULL;
		if (grown) {
			memcpy(grown + *len, text, n);
			*len += n;
			grown[*len] = '\0';
			*buf = grown;
		}
		free(text);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static int attempt(char *const *argv, double timeout_s, bool no_aslr, struct tsan_outcome *out)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], prefix[4200], options[8192];
	snprintf(dir, sizeof(dir), "%s/racelab-tsan-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		snprintf(out->error, sizeof(out->error),
		         "cannot make a directory for TSan's logs: %s", strerror(errno));
		return -1;
	}
	snprintf(prefix, sizeof(prefix), "%s/tsan", dir);
	build_options(options, sizeof(options), prefix);
	char *env[] = {options, NULL};
	struct run_spec spec = {.argv = argv,
	                        .env_extra = env,
	                        .timeout_s = timeout_s,
	                        .capture_limit = 1 << 16,
	                        .result_channel = true,
	                        .no_aslr = no_aslr,
	                        .quiet_stdin = true,
	                        .judged = true,
	                        .box_rw_dir = dir};
	struct run_result rr;
	int rc = runner_run(&spec, &rr);
	if (rc != 0) {
		snprintf(out->error, sizeof(out->error), "%s: cannot run%s: %s", argv[0],
		         no_aslr ? " with address randomisation off" : "", strerror(errno));
		run_result_free(&rr);
		collect_logs(dir, &(char *){NULL}, &(size_t){0});
		return -1;
	}
	char *logs = NULL;
	size_t logs_len = 0;
	collect_logs(dir, &logs, &logs_len);
	/* TSan prints start-up failures on stderr before log_path applies: parse both. */
	tsan_report_free(&out->report);
	struct tsan_parse_options popts = {.skip_paths = skip_paths};
	tsan_parse(rr.output ? rr.output : "", rr.output_len, &popts, &out->report);
	tsan_parse(logs ? logs : "", logs_len, &popts, &out->report);
	free(logs);

	series_record(&out->run, &rr, false);
	run_result_free(&rr);
	return 0;
}

int tsan_run(char *const *argv, double timeout_s, struct tsan_outcome *out)
{
	memset(out, 0, sizeof(*out));
	if (access(argv[0], X_OK) != 0) {
		snprintf(out->error, sizeof(out->error), "%s: %s (TSan build missing)", argv[0],
		         strerror(errno));
		return -1;
	}
	if (attempt(argv, timeout_s, false, out))
		return -1;
	if (out->report.mapping_failure) {
		out->retried_without_aslr = true;
		if (attempt(argv, timeout_s, true, out))
			return -1;
	}
	if (out->report.mapping_failure || out->report.fatal) {
		snprintf(out->error, sizeof(out->error), "ThreadSanitizer failed to start: %s%s",
		         out->report.fatal_line,
		         out->report.mapping_failure
		             ? " (even with address randomisation off; try: sudo sysctl "
		               "vm.mmap_rnd_bits=28)"
		             : "");
		return -1;
	}
	out->raw_reports = (int)out->report.n_findings;
	tsan_dedupe(&out->report);
	out->ran = true;
	return 0;
}

void tsan_outcome_free(struct tsan_outcome *out)
{
	tsan_report_free(&out->report);
	memset(out, 0, sizeof(*out));
}

bool tsan_is_instrumented(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	bool found = false;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map != MAP_FAILED) {
			found = memmem(map, (size_t)st.st_size, "__tsan_init", 11) != NULL;
			munmap(map, (size_t)st.st_size);
		}
	}
	close(fd);
	return found;
}
