/* stall.c: deadlock detection from /proc, without stopping or tracing the process. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "stall.h"

/* linux/futex.h, without depending on kernel headers being installed. */
#define FUTEX_CMD_MASK        0x7f /* without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME */
#define FUTEX_WAIT            0
#define FUTEX_LOCK_PI         6
#define FUTEX_WAIT_BITSET     9
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_LOCK_PI2        13
#define NSEC_PER_TICK         10000000ULL /* USER_HZ = 100 on every Linux ABI */
/* Without the syscall file a timed wait looks endless: a thread in pthread_cond_timedwait
 * would be "blocked". Then the stall must last at least this long. */
#define STALL_BLIND_MIN_S 2.0

void stall_watch_init(struct stall_watch *w, pid_t pid, int stall_ms, bool tsan_runtime)
{
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->stall_s = stall_ms / 1000.0;
	w->since = -1;
	w->tsan_runtime = tsan_runtime;
}

bool stall_parse_stat(const char *stat_line, char *state, unsigned long long *cpu_ticks)
{
	/* "tid (comm) S ppid ..." — comm may hold spaces and parentheses: find the last ')'. */
	const char *p = strrchr(stat_line, ')');
	unsigned long long utime, stime;
	if (!p || sscanf(p + 1, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu", state,
	                 &utime, &stime) != 3)
		return false;
	*cpu_ticks = utime + stime;
	return true;
}

bool stall_parse_syscall(const char *line, struct stall_syscall *out)
{
	memset(out, 0, sizeof(*out));
	if (strncmp(line, "running", 7) == 0)
		return true;
	unsigned long *a = out->args;
	int got = sscanf(line, "%ld %lx %lx %lx %lx %lx %lx", &out->nr, &a[0], &a[1], &a[2], &a[3],
	                 &a[4], &a[5]);
	if (got < 1)
		return false;
	/* "-1 sp pc": blocked in the kernel but not in a system call (a page fault, ptrace). */
	out->in_syscall = got == 7 && out->nr >= 0;
	return got == 7 || (got >= 1 && out->nr == -1);
}

static bool is_futex_wait(unsigned long op)
{
	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
	case FUTEX_LOCK_PI:
	case FUTEX_WAIT_BITSET:
	case FUTEX_WAIT_REQUEUE_PI:
	case FUTEX_LOCK_PI2:
		return true;
	}
	return false;
}

enum stall_wait stall_classify(char state, const struct stall_syscall *sc)
{
	if (state != 'S' || !sc->in_syscall)
		return STALL_NOT_WAITING;
	if (sc->nr == SYS_nanosleep || sc->nr == SYS_clock_nanosleep)
		return STALL_WAIT_TIMED;
#ifdef SYS_futex_waitv
	/* futex_waitv(waiters, nr, flags, timeout, clockid) */
	if (sc->nr == SYS_futex_waitv)
		return sc->args[3] ? STALL_WAIT_TIMED : STALL_WAIT_FOREVER;
#endif
	if (sc->nr != SYS_futex || !is_futex_wait(sc->args[1]))
		return STALL_NOT_WAITING;
	/* futex(uaddr, op, val, timeout, ...): a NULL timeout waits for ever. */
	return sc->args[3] ? STALL_WAIT_TIMED : STALL_WAIT_FOREVER;
}

bool stall_parse_schedstat(const char *line, unsigned long long *run_ns)
{
	return sscanf(line, "%llu", run_ns) == 1;
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

/* One thread, read from /proc/PID/task/TID. */
struct task_sample {
	enum stall_wait wait;
	bool blind; /* the syscall file could not be read: wait comes from wchan */
	struct stall_syscall sc;
	unsigned long long cpu_ns;
};

static bool sample_task(const char *task_dir, struct task_sample *t)
{
	char path[160], line[1024];
	char state;
	unsigned long long ticks;
	snprintf(path, sizeof(path), "%s/stat", task_dir);
	if (!read_small(path, line, sizeof(line)) || !stall_parse_stat(line, &state, &ticks))
		return false;
	snprintf(path, sizeof(path), "%s/schedstat", task_dir);
	if (!read_small(path, line, sizeof(line)) || !stall_parse_schedstat(line, &t->cpu_ns))
		t->cpu_ns = ticks * NSEC_PER_TICK;
	snprintf(path, sizeof(path), "%s/syscall", task_dir);
	t->blind = false;
	if (read_small(path, line, sizeof(line)) && stall_parse_syscall(line, &t->sc)) {
		t->wait = stall_classify(state, &t->sc);
		return true;
	}
	t->blind = true;
	/* No syscall file (a kernel without CONFIG_HAVE_ARCH_TRACEHOOK, or no permission: it
	 * needs ptrace access, which Yama's ptrace_scope 2 and 3 refuse): fall back on the wait
	 * channel, which cannot tell a timed wait from an endless one. */
	memset(&t->sc, 0, sizeof(t->sc));
	snprintf(path, sizeof(path), "%s/wchan", task_dir);
	bool futex = read_small(path, line, sizeof(line)) && strstr(line, "futex");
	t->wait = state == 'S' && futex ? STALL_WAIT_FOREVER : STALL_NOT_WAITING;
	return true;
}

/* TSan's background thread: the first thread the program created, asleep in the raw
 * nanosleep its runtime calls. Recognised once, then ignored whatever it is doing. */
static bool is_runtime_thread(struct stall_watch *w, int index, int tid,
                              const struct stall_syscall *sc)
{
	if (w->snap.runtime_tid)
		return tid == w->snap.runtime_tid;
	if (!w->tsan_runtime || index != 1 || !sc->in_syscall ||
	    (sc->nr != SYS_nanosleep && sc->nr != SYS_clock_nanosleep))
		return false;
	w->snap.runtime_tid = tid;
	return true;
}

bool stall_watch_task(struct stall_watch *w, int index, int tid, enum stall_wait wait,
                      const struct stall_syscall *sc)
{
	if (index == 0)
		w->snap.n = 0;
	if (is_runtime_thread(w, index, tid, sc))
		return true;
	if (wait != STALL_WAIT_FOREVER)
		return false;
	if (w->snap.n < STALL_MAX_THREADS)
		w->snap.threads[w->snap.n++] = (struct stall_thread){
		    .tid = tid, .futex = sc->args[0], .op = sc->args[1], .value = sc->args[2]};
	return true;
}

/* Are all threads blocked for ever? Sums their CPU time into *cpu and lists them in
 * w->snap. */
static bool all_blocked(struct stall_watch *w, pid_t pid, unsigned long long *cpu)
{
	char dir_path[64], task_dir[96];
	snprintf(dir_path, sizeof(dir_path), "/proc/%d/task", (int)pid);
	DIR *dir = opendir(dir_path);
	struct dirent *e;
	bool all = dir != NULL, any = false;
	int index = 0;
	*cpu = 0;
	w->snap.n = 0;
	while (all && (e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		struct task_sample t;
		int tid = atoi(e->d_name);
		bool runtime = w->snap.runtime_tid == tid;
		snprintf(task_dir, sizeof(task_dir), "%s/%s", dir_path, e->d_name);
		all = sample_task(task_dir, &t) && stall_watch_task(w, index++, tid, t.wait, &t.sc);
		w->blind |= all && t.blind;
		runtime = runtime || w->snap.runtime_tid == tid;
		*cpu += all && !runtime ? t.cpu_ns : 0;
		any = true;
	}
	if (dir)
		closedir(dir);
	return all && any;
}

/* Is another process of pid's group (a child it forked) still running? Such a process may
 * hold a process-shared mutex or post a shared semaphore: the group is not stalled then.
 * Read only while every thread of pid is blocked, so the scan of /proc is rare. */
static bool group_has_runner(pid_t pid)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	bool runner = false;
	while (proc && !runner && (e = readdir(proc))) {
		char path[96], line[1024], state;
		int other = atoi(e->d_name), pgrp = 0;
		unsigned long long ticks;
		if (other <= 0 || other == pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", other);
		if (!read_small(path, line, sizeof(line)) ||
		    !stall_parse_stat(line, &state, &ticks) || state == 'Z' || state == 'X')
			continue; /* gone, or a zombie its parent has not reaped: not running */
		const char *p = strrchr(line, ')');
		if (sscanf(p + 1, " %*c %*d %d", &pgrp) != 1 || pgrp != pid)
			continue;
		struct stall_watch child;
		unsigned long long cpu;
		stall_watch_init(&child, other, 0, false);
		runner = !all_blocked(&child, other, &cpu);
	}
	if (proc)
		closedir(proc);
	return runner;
}

bool stall_watch_sample(struct stall_watch *w, double now)
{
	unsigned long long cpu;
	bool blocked = all_blocked(w, w->pid, &cpu);
	if (!blocked || (w->since >= 0 && cpu != w->cpu) || group_has_runner(w->pid)) {
		w->since = -1;
		w->cpu = cpu;
		return false;
	}
	if (w->since < 0) {
		w->since = now;
		w->cpu = cpu;
	}
	double needed = w->blind && w->stall_s < STALL_BLIND_MIN_S ? STALL_BLIND_MIN_S : w->stall_s;
	w->snap.seen_at = w->since;
	return now - w->since >= needed;
}

/* A wait's kind, for comparing shapes: the syscall's futex operation, and whether the
 * expected value is the contended-mutex 2. */
static unsigned long wait_kind(const struct stall_thread *t)
{
	return ((t->op & FUTEX_CMD_MASK) << 1) | (t->value == 2);
}

bool stall_same_shape(const struct stall_snapshot *a, const struct stall_snapshot *b)
{
	if (a->n != b->n || a->n == 0)
		return false;
	/* Compare the multisets of kinds: count each kind of a in both. */
	for (int i = 0; i < a->n; i++) {
		unsigned long k = wait_kind(&a->threads[i]);
		int in_a = 0, in_b = 0;
		for (int j = 0; j < a->n; j++) {
			in_a += wait_kind(&a->threads[j]) == k;
			in_b += wait_kind(&b->threads[j]) == k;
		}
		if (in_a != in_b)
			return false;
	}
	return true;
}
