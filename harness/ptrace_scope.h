/* ptrace_scope.h: what the kernel's Yama module lets a debugger attach to.
 *
 * racelab's gdb is racelab's child and the program it attaches to is another child: gdb is
 * not the program's ancestor. kernel.yama.ptrace_scope (Ubuntu's default is 1):
 *   absent, 0  any process of the same user may be attached: gdb just works;
 *   1          only descendants, unless the target names its ptracer with
 *              prctl(PR_SET_PTRACER): racelab's children name racelab (runner.h ptracer),
 *              and gdb, racelab's child, is then allowed;
 *   2          only with CAP_SYS_PTRACE (root): racelab run as a user gets no gdb view;
 *   3          nobody, not even root, until reboot. */
#ifndef RACELAB_PTRACE_SCOPE_H
#define RACELAB_PTRACE_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

/* The value of /proc/sys/kernel/yama/ptrace_scope; -1 when the kernel has no Yama. The
 * environment variable RACELAB_PTRACE_SCOPE, when set, is used instead (for tests on
 * kernels without Yama). */
int ptrace_scope(void);

/* Should racelab's children name racelab their ptracer? True only under scope 1. */
bool ptrace_scope_needs_ptracer(void);

/* Why gdb could not attach, for people: what the scope means and what to do. Writes "" when
 * the scope does not explain a refusal. */
void ptrace_scope_advice(int scope, char *out, size_t cap);

#endif
