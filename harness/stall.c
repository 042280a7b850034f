/* stall.c: deadlock detection from /proc, without stopping or tracing the process. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stall.h"

void stall_watch_init(struct stall_watch *w, pid_t pid, int stall_ms)
{
	w->pid = pid;
	w->stall_s = stall_ms / 1000.0;
	w->since = -1;
	w->cpu = 0;
}

bool stall_parse_task(const char *stat_line, const char *wchan, bool *blocked,
                      unsigned long long *cpu_ticks)
{
	/* "tid (comm) S ppid ..." — comm may hold spaces and parentheses: find the last ')'. */
	const char *p = strrchr(stat_line, ')');
	char state;
	unsigned long long utime, stime;
	if (!p || sscanf(p + 1, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu", &state,
	                 &utime, &stime) != 3)
		return false;
	*blocked = state == 'S' && strstr(wchan, "futex") != NULL;
	*cpu_ticks = utime + stime;
	return true;
}

static bool read_small(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n > 0;
}

/* Are all threads blocked in futexes? Sums their CPU ticks into *cpu. */
static bool all_blocked(pid_t pid, unsigned long long *cpu)
{
	char dir_path[64], path[128], stat_line[1024], wchan[128];
	snprintf(dir_path, sizeof(dir_path), "/proc/%d/task", (int)pid);
	DIR *dir = opendir(dir_path);
	struct dirent *e;
	bool all = dir != NULL, any = false;
	*cpu = 0;
	while (all && (e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		bool blocked;
		unsigned long long ticks;
		snprintf(path, sizeof(path), "%s/%s/stat", dir_path, e->d_name);
		all = read_small(path, stat_line, sizeof(stat_line));
		snprintf(path, sizeof(path), "%s/%s/wchan", dir_path, e->d_name);
		if (all && !read_small(path, wchan, sizeof(wchan)))
			wchan[0] = '\0';
		all = all && stall_parse_task(stat_line, wchan, &blocked, &ticks) && blocked;
		*cpu += all ? ticks : 0;
		any = true;
	}
	if (dir)
		closedir(dir);
	return all && any;
}

bool stall_watch_sample(struct stall_watch *w, double now)
{
	unsigned long long cpu;
	if (!all_blocked(w->pid, &cpu) || (w->since >= 0 && cpu != w->cpu)) {
		w->since = -1;
		w->cpu = cpu;
		return false;
	}
	if (w->since < 0) {
		w->since = now;
		w->cpu = cpu;
	}
	return now - w->since >= w->stall_s;
}
