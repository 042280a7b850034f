/* fuzz_manifest.c: a lab.manifest, into manifest_parse. Manifests come with the course,
 * but a student's tree (graded, or handed out) carries its own copy. */
#include "fuzz.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m;
	char err[128] = "";
	int rc = manifest_parse(NULL, (const char *)data, size, &m, err, sizeof(err));

	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(rc == 0 || err[0]); /* a failure always says why */
	FUZZ_CHECK(FUZZ_FITS(err, sizeof(err)));
	FUZZ_CHECK(m.n_tsan_expect >= 0 && m.n_tsan_expect <= MANIFEST_MAX_TSAN_KINDS);
	FUZZ_CHECK(m.n_solutions >= 0 && m.n_solutions <= MANIFEST_MAX_SOLUTIONS);
	for (int i = 0; i < m.n_solutions; i++)
		FUZZ_CHECK(FUZZ_FITS(m.solutions[i], sizeof(m.solutions[i])));
	FUZZ_CHECK(FUZZ_FITS(m.compare_args, sizeof(m.compare_args)));
	(void)strlen(manifest_symptom_text(m.symptoms));
	return 0;
}
