/* fuzz_valgrind.c: valgrind's XML (Helgrind, DRD) into valgrind_parse, then the findings
 * through deduplication and the detectors' side-by-side table. The input is parsed whole,
 * and again as two pieces into one report (a cut file, then its rest). */
#include "detector_table.h"
#include "fuzz.h"
#include "valgrind_parse.h"

static void check_frame(const struct tsan_frame *f)
{
	FUZZ_CHECK(FUZZ_FITS(f->function, sizeof(f->function)));
	FUZZ_CHECK(FUZZ_FITS(f->file, sizeof(f->file)));
	FUZZ_CHECK(f->line >= 0);
}

static void check_finding(const struct tsan_finding *fi)
{
	FUZZ_CHECK(fi->kind >= 0 && fi->kind < TSAN_KIND_COUNT);
	FUZZ_CHECK(fi->count >= 1);
	FUZZ_CHECK(fi->n_mutexes >= 0 && fi->n_mutexes <= TSAN_MAX_MUTEXES);
	FUZZ_CHECK(fi->n_stacks >= 0 && fi->n_stacks <= TSAN_MAX_STACKS);
	FUZZ_CHECK(fi->cycle_len >= 0 && fi->cycle_len <= TSAN_MAX_MUTEXES + 1);
	for (int i = 0; i < 2; i++)
		check_frame(&fi->access[i].where);
	FUZZ_CHECK(FUZZ_FITS(fi->location.variable, sizeof(fi->location.variable)));
	FUZZ_CHECK(FUZZ_FITS(fi->crash.message, sizeof(fi->crash.message)));
	for (int i = 0; i < fi->n_stacks; i++) {
		FUZZ_CHECK(FUZZ_FITS(fi->stacks[i].title, sizeof(fi->stacks[i].title)));
		check_frame(&fi->stacks[i].where);
	}
	for (int i = 0; i < fi->n_mutexes; i++)
		check_frame(&fi->mutexes[i].created_at);
	check_frame(&fi->where);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const skip[] = {"/labkit/", NULL};
	const struct tsan_parse_options opts = {.skip_paths = skip};
	struct detector_outcome outs[2] = {{.detector = DETECTOR_HELGRIND, .ran = true},
	                                   {.detector = DETECTOR_DRD, .ran = true}};
	size_t half = size / 2;

	if (valgrind_parse((const char *)data, size, &opts, &outs[0].report) == 0 &&
	    valgrind_parse((const char *)data, half, &opts, &outs[1].report) == 0)
		valgrind_parse((const char *)data + half, size - half, &opts, &outs[1].report);
	for (int k = 0; k < 2; k++) {
		struct tsan_report *r = &outs[k].report;
		FUZZ_CHECK(r->n_findings <= r->cap_findings);
		FUZZ_CHECK(FUZZ_FITS(r->fatal_line, sizeof(r->fatal_line)));
		size_t before = r->n_findings;
		tsan_dedupe(r);
		FUZZ_CHECK(r->n_findings <= before);
		for (size_t i = 0; i < r->n_findings; i++)
			check_finding(&r->findings[i]);
	}
	struct detector_table t;
	detector_table_build(outs, 2, &t);
	FUZZ_CHECK(t.n_rows >= 0 && t.n_rows <= DETECTOR_TABLE_MAX_ROWS);
	FILE *null = fopen("/dev/null", "w");
	if (null) {
		detector_table_print(null, &t);
		fclose(null);
	}
	for (int k = 0; k < 2; k++)
		tsan_report_free(&outs[k].report);
	return 0;
}
