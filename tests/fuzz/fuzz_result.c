/* fuzz_result.c: what a lab wrote on its result channel, into result_channel_parse. The
 * bytes are the lab's own (a student's program): anything may arrive. */
#include "fuzz.h"
#include "result_channel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lab_result r;
	int rc = result_channel_parse((const char *)data, size, &r);

	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(FUZZ_FITS(r.what, sizeof(r.what)));
	FUZZ_CHECK(r.n_metrics >= 0 && r.n_metrics <= RESULT_MAX_METRICS);
	for (int i = 0; i < r.n_metrics; i++)
		FUZZ_CHECK(FUZZ_FITS(r.metrics[i].name, sizeof(r.metrics[i].name)));
	return 0;
}
