/* tsan_run.c: one run of a TSan build, its log files collected and parsed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_util.h"
#include "hang_diagnosis.h"
#include "ptrace_scope.h"
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
	         "second_deadlock_stack=1 exitcode=%d handle_abort=1 handle_sigill=1%s%s",
	         user ? user : "", user ? " " : "", log_prefix, TSAN_EXIT_CODE,
	         symbolizer ? " external_symbolizer_path=" : "", symbolizer ? symbolizer : "");
}

/* Appends every file of dir to *buf (bounded), then removes files and dir. A log that
 * does not fit in memory is dropped, and *buf stays as it was. */
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

struct tsan_stall {
	struct tsan_outcome *out;
	const char *source_dir;
};

/* A TSan run that deadlocks is shown to gdb before it is killed. */
static void diagnose_stall(pid_t pid, const struct stall_snapshot *snap, void *ctx)
{
	struct tsan_stall *ts = ctx;
	free(ts->out->hang_diagnosis);
	free(ts->out->hang_diagnosis_text);
	ts->out->hang_diagnosis =
	    hang_diagnose(pid, snap, ts->source_dir, ts->out->hang_note, sizeof(ts->out->hang_note),
	                  NULL, &ts->out->hang_diagnosis_text);
}

static void discard_logs(const char *dir)
{
	char *buf = NULL;
	size_t len = 0;
	collect_logs(dir, &buf, &len);
	free(buf);
}

/* CPU seconds used by every child reaped so far (all their threads). */
static double children_cpu_s(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* The share of one CPU a runnable process can expect now: 1 on a quiet machine, about
 * cores/load when more threads want to run than there are cores (/proc/loadavg, the last
 * minute). Never below 0.05: a process that got less than that was not merely crowded. */
static double cpu_share_available(void)
{
	double load = 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	FILE *f = fopen("/proc/loadavg", "re");
	if (f) {
		if (fscanf(f, "%lf", &load) != 1)
			load = 0;
		fclose(f);
	}
	if (cores < 1)
		cores = 1;
	double share = load > (double)cores ? (double)cores / load : 1.0;
	return share < 0.05 ? 0.05 : share;
}

/* Parses what the run printed, then TSan's logs in dir (removed), as one text: TSan prints
 * start-up failures on stderr before log_path applies, and a failed assert's message is
 * the program's own stderr while its ABRT report is in the log. Returns 0, or -1 with
 * out->error set when memory ran out (a report cut short could read as clean). */
static int read_report(const char *dir, const struct run_result *rr, struct tsan_outcome *out)
{
	char *text = NULL;
	size_t text_len = 0;
	int rc;
	if (rr->output_len) {
		text = malloc(rr->output_len + 2);
		if (!text) {
			discard_logs(dir);
			goto out_of_memory;
		}
		memcpy(text, rr->output, rr->output_len);
		text_len = rr->output_len;
		text[text_len++] = '\n';
		text[text_len] = '\0';
	}
	collect_logs(dir, &text, &text_len);
	tsan_report_free(&out->report);
	struct tsan_parse_options popts = {.skip_paths = skip_paths};
	rc = tsan_parse(text, text_len, &popts, &out->report);
	free(text);
	if (rc == 0)
		return 0;
out_of_memory:
	snprintf(out->error, sizeof(out->error),
	         "out of memory while reading TSan's report (%zu bytes)", text_len);
	return -1;
}

static int attempt(char *const *argv, double timeout_s, int stall_ms, const char *source_dir,
                   bool no_aslr, struct tsan_outcome *out)
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
	struct tsan_stall ts = {out, source_dir};
	struct run_spec spec = {.argv = argv,
	                        .env_extra = env,
	                        .timeout_s = timeout_s,
	                        .capture_limit = 1 << 16,
	                        .result_channel = true,
	                        .no_aslr = no_aslr,
	                        .stall_ms = stall_ms,
	                        .tsan_runtime = true,
	                        .ptracer =
	                            stall_ms > 0 && ptrace_scope_needs_ptracer() ? getpid() : 0,
	                        .on_stall = diagnose_stall,
	                        .stall_ctx = &ts,
	                        .judged = true,
	                        .box_rw_dir = dir,
	                        .busy_extend = true};
	struct run_result rr;
	double cpu_before = children_cpu_s();
	int rc = runner_run(&spec, &rr);
	out->cpu_s = children_cpu_s() - cpu_before;
	if (rc != 0) {
		snprintf(out->error, sizeof(out->error), "%s: cannot run%s: %s", argv[0],
		         no_aslr ? " with address randomisation off" : "", strerror(errno));
		run_result_free(&rr);
		discard_logs(dir);
		return -1;
	}
	rc = read_report(dir, &rr, out);
	series_record(&out->run, &rr, false);
	run_result_free(&rr);
	return rc;
}

/* The first crash finding, if any. */
static const struct tsan_finding *first_crash(const struct tsan_report *r)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].kind == TSAN_CRASH)
			return &r->findings[i];
	return NULL;
}

/* Appends a finding of kind TSAN_UNKNOWN saying why; -1 when memory ran out. */
static int add_unreadable(struct tsan_outcome *out, const char *why)
{
	struct tsan_report *r = &out->report;
	if (r->n_findings == r->cap_findings) {
		size_t cap = r->cap_findings ? r->cap_findings * 2 : 4;
		void *bigger = realloc(r->findings, cap * sizeof(*r->findings));
		if (!bigger)
			return -1;
		r->findings = bigger;
		r->cap_findings = cap;
	}
	struct tsan_finding *f = &r->findings[r->n_findings++];
	memset(f, 0, sizeof(*f));
	f->kind = TSAN_UNKNOWN;
	f->count = 1;
	snprintf(f->crash.message, sizeof(f->crash.message), "%s", why);
	out->raw_reports++;
	return 0;
}

/* How the run ended, against what it reported: a crash TSan caught is a CRASH (the exit
 * status is only TSan's 66); TSan's exit code with nothing parsed is an unreadable report;
 * any other unhappy end with nothing parsed is not clean; a timeout is slow or blocked. */
static int judge_end(struct tsan_outcome *out)
{
	struct run_record *run = &out->run;
	const struct tsan_finding *crash = first_crash(&out->report);

	if (crash) {
		run->cls = RUN_CRASH;
		snprintf(run->detail, sizeof(run->detail), "SIG%s, caught by TSan",
		         crash->crash.signal[0] ? crash->crash.signal : "?");
	}
	if (run->cls == RUN_HANG && out->hang_diagnosis) {
		snprintf(out->not_clean, sizeof(out->not_clean), "the run deadlocked");
		return 0;
	}
	if (run->cls == RUN_BUSY && !run->has_result) {
		out->slow = true;
		snprintf(out->not_clean, sizeof(out->not_clean),
		         "the TSan run did not finish in %.1f s, still computing (%.1f s of CPU) "
		         "while other programs took the CPUs: slow under TSan, not hung",
		         run->wall_s, out->cpu_s);
		return 0;
	}
	if (run->cls == RUN_HANG) {
		out->slow =
		    out->cpu_s >= TSAN_PROGRESS_CPU_SHARE * cpu_share_available() * run->wall_s;
		snprintf(out->not_clean, sizeof(out->not_clean),
		         out->slow
		             ? "the TSan run did not finish in %.1f s but was still computing "
		               "(%.1f s of CPU): slow under TSan, not hung"
		             : "the TSan run was stopped after %.1f s, waiting rather than "
		               "computing (%.1f s of CPU): blocked as in a deadlock, or starved "
		               "on a busy machine",
		         run->wall_s, out->cpu_s);
		return 0;
	}
	if (out->report.n_findings)
		return 0;
	if (run->signal)
		snprintf(out->not_clean, sizeof(out->not_clean),
		         "TSan run died of %s and left no report we could read",
		         runner_signal_name(run->signal));
	else if (run->exit_status == TSAN_EXIT_CODE) {
		char why[200];
		snprintf(why, sizeof(why),
		         "TSan run ended with status %d (TSan's own: it reported something) and "
		         "no report we could read",
		         TSAN_EXIT_CODE);
		return add_unreadable(out, why);
	} else if (run->exit_status != 0)
		snprintf(out->not_clean, sizeof(out->not_clean),
		         "TSan run ended with status %d and no report we could read",
		         run->exit_status);
	return 0;
}

bool tsan_outcome_clean(const struct tsan_outcome *out)
{
	return out->ran && out->report.n_findings == 0 && !out->not_clean[0];
}

int tsan_run(char *const *argv, double timeout_s, int stall_ms, const char *source_dir,
             struct tsan_outcome *out)
{
	memset(out, 0, sizeof(*out));
	if (access(argv[0], X_OK) != 0) {
		snprintf(out->error, sizeof(out->error), "%s: %s (TSan build missing)", argv[0],
		         strerror(errno));
		return -1;
	}
	if (attempt(argv, timeout_s, stall_ms, source_dir, false, out))
		return -1;
	if (out->report.mapping_failure) {
		out->retried_without_aslr = true;
		if (attempt(argv, timeout_s, stall_ms, source_dir, true, out))
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
	if (judge_end(out)) {
		snprintf(out->error, sizeof(out->error),
		         "out of memory while reading TSan's report");
		return -1;
	}
	out->ran = true;
	return 0;
}

void tsan_outcome_free(struct tsan_outcome *out)
{
	tsan_report_free(&out->report);
	free(out->hang_diagnosis);
	free(out->hang_diagnosis_text);
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
