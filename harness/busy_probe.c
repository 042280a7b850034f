/* busy_probe.c: how busy the machine is, and how much CPU a process got, from /proc and
 * the process's CPU clock (nanoseconds, where /proc/PID/stat counts 10 ms ticks). */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "busy_probe.h"

int busy_parse_proc_stat(const char *text, unsigned long long *busy_ticks, int *ncpus)
{
	unsigned long long v[8] = {0};
	if (strncmp(text, "cpu ", 4) != 0 ||
	    sscanf(text + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
	           &v[4], &v[5], &v[6], &v[7]) < 4)
		return -1;
	/* user nice system [idle iowait] irq softirq steal; guest time is inside user. */
	*busy_ticks = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	*ncpus = 0;
	for (const char *p = strstr(text, "\ncpu"); p; p = strstr(p + 1, "\ncpu"))
		*ncpus += p[4] >= '0' && p[4] <= '9';
	return *ncpus > 0 ? 0 : -1;
}

static double monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double process_cpu_s(pid_t pid)
{
	clockid_t clock;
	struct timespec ts;
	if (pid <= 0 || clock_getcpuclockid(pid, &clock) != 0 || clock_gettime(clock, &ts) != 0)
		return 0;
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads a small /proc file whole (one read: the kernel builds it at once). */
static ssize_t read_proc(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Is this task running or runnable ("tid (comm) R ...")? comm may hold ')': the last. */
static bool task_runnable(const char *task_dir)
{
	char path[160], text[1024];
	snprintf(path, sizeof(path), "%s/stat", task_dir);
	if (read_proc(path, text, sizeof(text)) <= 0)
		return false;
	const char *p = strrchr(text, ')');
	return p && p[1] == ' ' && p[2] == 'R';
}

/* Adds the threads of process member to out: their run-queue waits (the second field of
 * /proc/PID/task/TID/schedstat, nanoseconds; none without CONFIG_SCHED_INFO), their CPU
 * time too when count_run (the leader's is child_s already), and those runnable now. */
static void add_process(pid_t member, bool count_run, struct cpu_sample *out)
{
	char dir_path[64], task_dir[128], path[160], text[128];
	unsigned long long run_ns, wait_ns;
	struct dirent *e;
	snprintf(dir_path, sizeof(dir_path), "/proc/%d/task", (int)member);
	DIR *dir = opendir(dir_path);
	if (!dir)
		return;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(task_dir, sizeof(task_dir), "%s/%s", dir_path, e->d_name);
		snprintf(path, sizeof(path), "%s/schedstat", task_dir);
		if (read_proc(path, text, sizeof(text)) > 0 &&
		    sscanf(text, "%llu %llu", &run_ns, &wait_ns) == 2)
			out->child_wait_s += (double)(wait_ns + (count_run ? run_ns : 0)) / 1e9;
		out->child_runnable += task_runnable(task_dir);
		out->child_threads++;
	}
	closedir(dir);
}

/* The process group pid leads: pid itself and every process it started that stayed in
 * the group (a TSan build's llvm-symbolizer, a lab's forked workers), found in /proc. */
static void process_group(pid_t pid, struct cpu_sample *out)
{
	char path[64], text[512];
	struct dirent *e;
	out->child_wait_s = 0;
	out->child_runnable = 0;
	out->child_threads = 0;
	if (pid <= 0)
		return;
	add_process(pid, false, out);
	DIR *proc = opendir("/proc");
	while (proc && (e = readdir(proc))) {
		int member = atoi(e->d_name), pgrp = 0;
		if (member <= 0 || member == pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", member);
		const char *p = read_proc(path, text, sizeof(text)) > 0 ? strrchr(text, ')') : NULL;
		if (p && sscanf(p + 1, " %*c %*d %d", &pgrp) == 1 && pgrp == pid)
			add_process(member, true, out);
	}
	if (proc)
		closedir(proc);
}

int busy_probe_sample(pid_t pid, struct cpu_sample *out)
{
	/* The "cpu" lines come first; 4 KiB holds them for dozens of CPUs. Beyond that the
	 * count of CPUs falls short, and others' share reads a little high. */
	char text[4096];
	unsigned long long busy;
	out->t = monotonic_s();
	out->child_s = process_cpu_s(pid);
	process_group(pid, out);
	out->machine_s = 0;
	out->ncpus = 0;
	if (read_proc("/proc/stat", text, sizeof(text)) <= 0 ||
	    busy_parse_proc_stat(text, &busy, &out->ncpus) < 0)
		return -1;
	long hz = sysconf(_SC_CLK_TCK);
	out->machine_s = (double)busy / (double)(hz > 0 ? hz : 100);
	return 0;
}

void busy_probe_loadavg(double avg[3])
{
	char text[128];
	avg[0] = avg[1] = avg[2] = -1;
	if (read_proc("/proc/loadavg", text, sizeof(text)) > 0 &&
	    sscanf(text, "%lf %lf %lf", &avg[0], &avg[1], &avg[2]) != 3)
		avg[0] = avg[1] = avg[2] = -1;
}
