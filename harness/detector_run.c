/* detector_run.c: one run under one detector (see detector_run.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detector_run.h"
#include "file_util.h"
#include "path_lookup.h"
#include "runner.h"
#include "tsan_run.h"
#include "valgrind_parse.h"

#define XML_LIMIT (8u << 20) /* bytes of a valgrind report read */
#define MAX_ARGV  64

/* Frames in the lab kit are wrappers; the finding belongs to the lab line that called them
 * (as tsan_run.c does). */
static const char *const skip_paths[] = {"/labkit/", NULL};

static int run_tsan(char *const *argv, double timeout_s, struct detector_outcome *out)
{
	struct tsan_outcome t;
	int rc = tsan_run(argv, timeout_s, 0, NULL, &t);
	out->wall_s = t.run.wall_s;
	snprintf(out->error, sizeof(out->error), "%s", t.error);
	snprintf(out->not_clean, sizeof(out->not_clean), "%s", t.not_clean);
	out->report = t.report; /* moved: t no longer owns it */
	memset(&t.report, 0, sizeof(t.report));
	tsan_outcome_free(&t);
	out->ran = rc == 0;
	return rc;
}

/* Reads and parses the XML report, then removes it and its directory. */
static int read_xml(const char *dir, const char *xml, struct detector_outcome *out)
{
	size_t len = 0;
	char *text = file_read_all(xml, XML_LIMIT, &len);
	unlink(xml);
	rmdir(dir);
	if (!text) {
		snprintf(out->error, sizeof(out->error), "valgrind left no report (%s): %s", xml,
		         strerror(errno));
		return -1;
	}
	struct tsan_parse_options popts = {.skip_paths = skip_paths};
	int rc = valgrind_parse(text, len, &popts, &out->report);
	free(text);
	if (rc) {
		snprintf(out->error, sizeof(out->error), "out of memory reading valgrind's report");
		return -1;
	}
	if (out->report.fatal) {
		snprintf(out->error, sizeof(out->error), "%s", out->report.fatal_line);
		return -1;
	}
	tsan_dedupe(&out->report);
	return 0;
}

static void judge_valgrind_end(const struct run_result *rr, struct detector_outcome *out)
{
	if (rr->timed_out)
		snprintf(out->not_clean, sizeof(out->not_clean),
		         "the run under valgrind did not finish in %.1f s", rr->wall_s);
	else if (rr->signaled)
		snprintf(out->not_clean, sizeof(out->not_clean),
		         "the run under valgrind died of %s", runner_signal_name(rr->term_signal));
	else if (rr->exited && rr->exit_status != 0 && !out->report.n_findings)
		snprintf(out->not_clean, sizeof(out->not_clean),
		         "the run under valgrind ended with status %d", rr->exit_status);
}

static int run_valgrind(enum detector d, char *const *argv, double timeout_s,
                        struct detector_outcome *out)
{
	char valgrind[PATH_MAX], tool[32], xml_opt[PATH_MAX + 16], xml[PATH_MAX];
	char *full[MAX_ARGV + 8];
	if (!path_lookup("valgrind", valgrind, sizeof(valgrind))) {
		snprintf(out->error, sizeof(out->error),
		         "valgrind is not installed (apt-get install valgrind; racelab doctor)");
		return -1;
	}
	if (access(argv[0], X_OK) != 0) {
		snprintf(out->error, sizeof(out->error), "%s: %s", argv[0], strerror(errno));
		return -1;
	}
	/* Under valgrind a TSan build reserves its shadow memory for real: measured, 20 GB of
	 * RAM within a minute on lab 3, never finishing. */
	if (tsan_is_instrumented(argv[0])) {
		snprintf(out->error, sizeof(out->error),
		         "%s is a ThreadSanitizer build: valgrind's tools need the plain build",
		         argv[0]);
		return -1;
	}
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/racelab-valgrind-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		snprintf(out->error, sizeof(out->error),
		         "cannot make a directory for the report: %s", strerror(errno));
		return -1;
	}
	snprintf(tool, sizeof(tool), "--tool=%s", detector_name(d));
	snprintf(xml, sizeof(xml), "%s/report.xml", dir);
	snprintf(xml_opt, sizeof(xml_opt), "--xml-file=%s", xml);
	int n = 0;
	full[n++] = valgrind, full[n++] = tool, full[n++] = "--xml=yes", full[n++] = xml_opt;
	for (int i = 0; argv[i] && n < MAX_ARGV + 7; i++)
		full[n++] = argv[i];
	full[n] = NULL;
	struct run_spec spec = {.argv = full,
	                        .timeout_s = timeout_s,
	                        .capture_limit = 1 << 16,
	                        .result_channel = true,
	                        .judged = true,
	                        .box_rw_dir = dir,
	                        .busy_extend = true};
	struct run_result rr;
	if (runner_run(&spec, &rr) != 0) {
		snprintf(out->error, sizeof(out->error), "%s: cannot run: %s", valgrind,
		         strerror(errno));
		run_result_free(&rr);
		unlink(xml);
		rmdir(dir);
		return -1;
	}
	out->wall_s = rr.wall_s;
	int rc = read_xml(dir, xml, out);
	if (rc == 0)
		judge_valgrind_end(&rr, out);
	run_result_free(&rr);
	out->ran = rc == 0;
	return rc;
}

int detector_run(enum detector d, char *const *argv, double timeout_s, struct detector_outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->detector = d;
	if (detector_is_valgrind(d))
		return run_valgrind(d, argv, timeout_s, out);
	if (access(argv[0], X_OK) != 0) {
		snprintf(out->error, sizeof(out->error), "%s: %s (%s build missing%s)", argv[0],
		         strerror(errno), detector_name(d),
		         d == DETECTOR_TSAN_GCC ? ": gcc with libtsan2 builds it; racelab doctor"
		                                : "");
		return -1;
	}
	return run_tsan(argv, timeout_s, out);
}

bool detector_outcome_clean(const struct detector_outcome *out)
{
	return out->ran && out->report.n_findings == 0 && !out->not_clean[0];
}

void detector_outcome_free(struct detector_outcome *out)
{
	tsan_report_free(&out->report);
	memset(out, 0, sizeof(*out));
}
