/* fake_tsan_end.c: behaves like a TSan build whose TSan run ends badly without printing a
 * report, so racelab must judge the run by how it ended. Plain runs (racelab gives them
 * no log_path) exit 0 at once. Under racelab's TSan run (TSAN_OPTIONS has log_path):
 *   fake_tsan_end exit N   exits with status N, printing nothing
 *   fake_tsan_end spin     computes until killed (a slow program)
 *   fake_tsan_end sleep    sleeps until killed (a blocked program)
 *   fake_tsan_end flood    fills its log (LOG_PATH.PID) with 2 MiB of WARNING lines and
 *                          exits 66: more findings than racelab can hold under ulimit -v
 * The string below makes racelab treat this file as a TSan build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes 2 MiB of one-line reports to the log_path TSan would use. */
static int flood(const char *options)
{
	const char *p = strstr(options, "log_path=") + strlen("log_path=");
	char path[4096];
	snprintf(path, sizeof(path), "%.*s.%d", (int)strcspn(p, " :"), p, (int)getpid());
	FILE *log = fopen(path, "w");
	if (!log)
		return 2;
	for (long written = 0; written < (2L << 20) - 64;)
		written += fprintf(log, "WARNING: ThreadSanitizer: data race (pid=1)\n");
	fclose(log);
	return 66;
}

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
	if (strcmp(argv[1], "flood") == 0)
		return flood(options);
	if (strcmp(argv[1], "sleep") == 0)
		for (;;)
			pause();
	return 0;
}
