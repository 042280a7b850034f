/* fake_tsan_end.c: behaves like a TSan build whose TSan run ends badly without printing a
 * report, so racelab must judge the run by how it ended. Plain runs (racelab gives them
 * no log_path) exit 0 at once. Under racelab's TSan run (TSAN_OPTIONS has log_path):
 *   fake_tsan_end exit N   exits with status N, printing nothing
 *   fake_tsan_end spin     computes until killed (a slow program)
 *   fake_tsan_end sleep    sleeps until killed (a blocked program)
 * The string below makes racelab treat this file as a TSan build. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char tsan_marker[] = "__tsan_init";

int main(int argc, char **argv)
{
	const char *options = getenv("TSAN_OPTIONS");
	volatile unsigned long spins = 0;

	if (!options || !strstr(options, "log_path=") || argc < 2 || !tsan_marker[0])
		return 0;
	if (strcmp(argv[1], "exit") == 0 && argc > 2)
		return atoi(argv[2]);
	if (strcmp(argv[1], "spin") == 0)
		for (;;)
			spins++;
	if (strcmp(argv[1], "sleep") == 0)
		for (;;)
			pause();
	return 0;
}
