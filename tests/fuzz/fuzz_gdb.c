/* fuzz_gdb.c: gdb's "thread apply all bt" output, into hang_parse_gdb. The backtraces
 * hold the program's own names and arguments, so they are the program's to shape. */
#include "fuzz.h"
#include "hang_diagnosis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hang_thread threads[4];
	char *text = fuzz_cstr(data, size);
	/* A small array, so inputs with more threads than room are common. */
	int n = hang_parse_gdb(text, "/labkit/", threads, 4);

	FUZZ_CHECK(n >= 0 && n <= 4);
	for (int i = 0; i < n; i++) {
		FUZZ_CHECK(FUZZ_FITS(threads[i].function, sizeof(threads[i].function)));
		FUZZ_CHECK(FUZZ_FITS(threads[i].file, sizeof(threads[i].file)));
		FUZZ_CHECK(FUZZ_FITS(threads[i].waits_for, sizeof(threads[i].waits_for)));
	}
	free(text);
	return 0;
}
