/* fuzz_stall.c: what stall.c reads from /proc for one thread: its stat line (which holds
 * the thread's name, set by the program), its syscall line and its schedstat line. Input:
 * those three lines, in that order (tests/fixtures/proc/ has real ones). */
#include "fuzz.h"
#include "stall.h"

/* Cuts the next line off *rest and returns it ("" once the input is used up). */
static const char *next_line(char **rest)
{
	char *line = *rest;
	char *nl = strchr(line, '\n');

	if (nl) {
		*nl = '\0';
		*rest = nl + 1;
	} else {
		*rest = line + strlen(line);
	}
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *rest = text;
	const char *stat_line = next_line(&rest);
	const char *syscall_line = next_line(&rest);
	const char *schedstat_line = next_line(&rest);
	char state = '?';
	unsigned long long ticks = 0, run_ns = 0;
	struct stall_syscall sc = {0};

	if (!stall_parse_stat(stat_line, &state, &ticks))
		state = '?';
	if (stall_parse_syscall(syscall_line, &sc)) {
		enum stall_wait wait = stall_classify(state, &sc);
		FUZZ_CHECK(wait == STALL_NOT_WAITING || wait == STALL_WAIT_FOREVER ||
		           wait == STALL_WAIT_TIMED);
		FUZZ_CHECK(sc.in_syscall || wait == STALL_NOT_WAITING); /* waits are syscalls */
	}
	(void)stall_parse_schedstat(schedstat_line, &run_ns);
	free(text);
	return 0;
}
