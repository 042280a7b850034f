/* fuzz_stall.c: a /proc task's stat line and wchan, into stall_parse_task. The stat line
 * holds the thread's name, which the program sets (prctl, pthread_setname_np). Input:
 * the stat line, a newline, then the wchan (tests/fixtures/proc/ has real ones). */
#include "fuzz.h"
#include "stall.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *nl = strchr(text, '\n');
	const char *wchan = "";
	bool blocked = false;
	unsigned long long ticks = 0;

	if (nl) {
		*nl = '\0';
		wchan = nl + 1;
	}
	if (stall_parse_task(text, wchan, &blocked, &ticks))
		FUZZ_CHECK(!blocked || strstr(wchan, "futex")); /* blocked means in a futex */
	free(text);
	return 0;
}
