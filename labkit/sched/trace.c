/* trace.c: the schedule's trace, in protocol.h's format, through a buffer flushed with
 * write(2): at exit, at a deadlock, on a deadly signal, and whenever it fills. */
#include <fcntl.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

extern char __executable_start[], _end[];

static int fd = -1;
static char buf[1 << 16];
static size_t used;
static bool ended;

static const char *const op_names[] = {
#define SCHED_OP_NAME(name, text) text,
    SCHED_OPS(SCHED_OP_NAME)
#undef SCHED_OP_NAME
};

static void flush(void)
{
	size_t off = 0;
	while (fd >= 0 && off < used) {
		ssize_t n = write(fd, buf + off, used - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	used = 0;
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	if (fd < 0)
		return;
	if (used + 256 > sizeof(buf))
		flush();
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + used, sizeof(buf) - used, fmt, ap);
	va_end(ap);
	if (n > 0)
		used += (size_t)n < sizeof(buf) - used ? (size_t)n : sizeof(buf) - used - 1;
}

/* An address as the trace writes it: an offset inside the executable, else '*' and the
 * absolute address. */
static void format_addr(char *out, size_t cap, uintptr_t a)
{
	uintptr_t base = (uintptr_t)__executable_start;
	if (a >= base && a < (uintptr_t)_end)
		snprintf(out, cap, "%lx", (unsigned long)(a - base));
	else
		snprintf(out, cap, "*%lx", (unsigned long)a);
}

static void at_exit(void)
{
	trace_end(SCHED_END_EXIT);
}

static void on_signal(int sig)
{
	trace_end(SCHED_END_CRASH);
	signal(sig, SIG_DFL);
	raise(sig);
}

void trace_open(const char *path)
{
	if (!path || !*path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	emit("v 1\n");
	atexit(at_exit);
	static const int deadly[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	for (size_t i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
		signal(deadly[i], on_signal);
}

void trace_thread(int tid, int parent, uintptr_t stack_lo, uintptr_t stack_hi)
{
	emit("t %d %d %lx %lx\n", tid, parent, (unsigned long)stack_lo, (unsigned long)stack_hi);
}

void trace_decision(int current, uint64_t runnable, bool yielding, int chosen, uint64_t sleep)
{
	if (sleep)
		emit("d %d %llx %d %d %llx\n", current, (unsigned long long)runnable, yielding,
		     chosen, (unsigned long long)sleep);
	else
		emit("d %d %llx %d %d\n", current, (unsigned long long)runnable, yielding, chosen);
}

void trace_event(int tid, enum sched_op op, uintptr_t pc, const void *addr, int size,
                 int64_t old_value, int64_t new_value)
{
	char pcs[32], addrs[32];
	format_addr(pcs, sizeof(pcs), pc ? pc - 1 : 0); /* the call, not the return address */
	format_addr(addrs, sizeof(addrs), (uintptr_t)addr);
	emit("e %ld %d %s %s %s %d %lld %lld\n", rt.step, tid, op_names[op], pcs, addrs, size,
	     (long long)old_value, (long long)new_value);
	if (++rt.step > rt.max_steps)
		trace_finish_and_exit(SCHED_END_STEPLIMIT, SCHED_EXIT_STEPLIMIT);
}

void trace_next(const struct sthread *t, bool can_run)
{
	char pcs[32], addrs[32];
	format_addr(pcs, sizeof(pcs), t->next_pc ? t->next_pc - 1 : 0);
	format_addr(addrs, sizeof(addrs), (uintptr_t)t->next_addr);
	emit("n %d %s %s %s %d\n", t->id, op_names[t->next_op], pcs, addrs, can_run);
}

void trace_deadlock_line(const struct sthread *t, int owner)
{
	char addrs[32], pcs[32];
	format_addr(addrs, sizeof(addrs), (uintptr_t)t->wait_obj);
	format_addr(pcs, sizeof(pcs), t->next_pc ? t->next_pc - 1 : 0);
	if (t->wait_op == SCHED_OP_JOIN)
		snprintf(addrs, sizeof(addrs), "-");
	emit("deadlock %d %s %s %d %s\n", t->id, op_names[t->wait_op], addrs, owner, pcs);
}

void trace_end(enum sched_end how)
{
	if (ended)
		return;
	ended = true;
	emit("end %d %ld %ld\n", how, rt.step, rt.decisions);
	flush();
}

_Noreturn void trace_finish_and_exit(enum sched_end how, int status)
{
	trace_end(how);
	_exit(status);
}
