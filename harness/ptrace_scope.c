/* ptrace_scope.c: reads Yama's ptrace_scope and says what it means for racelab. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "ptrace_scope.h"

int ptrace_scope(void)
{
	const char *forced = getenv("RACELAB_PTRACE_SCOPE");
	int scope = -1;
	if (forced && *forced)
		return atoi(forced);
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &scope) != 1)
		scope = -1;
	fclose(f);
	return scope;
}

bool ptrace_scope_needs_ptracer(void)
{
	return ptrace_scope() == 1;
}

void ptrace_scope_advice(int scope, char *out, size_t cap)
{
	switch (scope) {
	case 1:
		snprintf(out, cap,
		         "kernel.yama.ptrace_scope = 1 and the program did not accept racelab as "
		         "its debugger");
		break;
	case 2:
		snprintf(out, cap,
		         "kernel.yama.ptrace_scope = 2: only root may attach a debugger (or read "
		         "where a thread waits); run racelab with sudo, or ask the machine's owner "
		         "for 'sudo sysctl kernel.yama.ptrace_scope=1'");
		break;
	case 3:
		snprintf(out, cap,
		         "kernel.yama.ptrace_scope = 3: no process, not even root, may attach a "
		         "debugger (or read where a thread waits) until the machine reboots with a "
		         "lower setting");
		break;
	default:
		snprintf(out, cap, "%s", "");
	}
}
