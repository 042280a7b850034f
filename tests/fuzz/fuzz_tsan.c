/* fuzz_tsan.c: ThreadSanitizer's text, as a program's log holds it, into tsan_parse.
 * The input is parsed in two pieces into one report (logs of several runs are appended
 * to one report), then deduplicated and freed. */
#include "fuzz.h"
#include "tsan_report.h"

static void check_frame(const struct tsan_frame *f)
{
	FUZZ_CHECK(FUZZ_FITS(f->function, sizeof(f->function)));
	FUZZ_CHECK(FUZZ_FITS(f->file, sizeof(f->file)));
	FUZZ_CHECK(f->line >= 0 && f->column >= 0);
}

static void check_finding(const struct tsan_finding *fi)
{
	FUZZ_CHECK(fi->kind >= 0 && fi->kind < TSAN_KIND_COUNT);
	FUZZ_CHECK(fi->count >= 1);
	FUZZ_CHECK(fi->n_mutexes >= 0 && fi->n_mutexes <= TSAN_MAX_MUTEXES);
	FUZZ_CHECK(fi->n_threads >= 0 && fi->n_threads <= TSAN_MAX_THREADS);
	FUZZ_CHECK(fi->n_stacks >= 0 && fi->n_stacks <= TSAN_MAX_STACKS);
	FUZZ_CHECK(fi->cycle_len >= 0 && fi->cycle_len <= TSAN_MAX_MUTEXES + 1);
	for (int i = 0; i < 2; i++) {
		FUZZ_CHECK(FUZZ_FITS(fi->access[i].mutexes, sizeof(fi->access[i].mutexes)));
		check_frame(&fi->access[i].where);
	}
	FUZZ_CHECK(FUZZ_FITS(fi->location.variable, sizeof(fi->location.variable)));
	for (int i = 0; i < fi->n_stacks; i++) {
		FUZZ_CHECK(FUZZ_FITS(fi->stacks[i].title, sizeof(fi->stacks[i].title)));
		check_frame(&fi->stacks[i].where);
	}
	check_frame(&fi->where);
	check_frame(&fi->summary);
	/* Strings the reports print must be proper C strings. */
	(void)strlen(tsan_kind_name(fi->kind));
	(void)strlen(tsan_kind_slug(fi->kind));
	(void)strlen(tsan_kind_explanation(fi->kind));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const skip[] = {"/labkit/", NULL};
	const struct tsan_parse_options opts = {.skip_paths = skip};
	struct tsan_report report = {0};
	size_t half = size / 2;

	if (tsan_parse((const char *)data, half, &opts, &report) == 0)
		tsan_parse((const char *)data + half, size - half, &opts, &report);
	FUZZ_CHECK(report.n_findings <= report.cap_findings);
	FUZZ_CHECK(FUZZ_FITS(report.fatal_line, sizeof(report.fatal_line)));
	size_t before = report.n_findings;
	tsan_dedupe(&report);
	FUZZ_CHECK(report.n_findings <= before);
	for (size_t i = 0; i < report.n_findings; i++)
		check_finding(&report.findings[i]);
	tsan_report_free(&report);
	return 0;
}
