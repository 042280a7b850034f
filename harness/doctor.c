/* doctor.c: what the machine gives, as a table of rows with advice (pure; see doctor.h).
 * Package names are Debian 12's. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doctor.h"
#include "i18n.h"

/* Above this, clang 14's and gcc 12's TSan runtimes cannot map their shadow memory
 * (google/sanitizers#1716) and racelab retries with address randomisation off. */
#define TSAN_SAFE_RND_BITS 28

static struct doctor_row *add(struct doctor_row *rows, int *n, const char *item,
                              enum doctor_status status, bool needed)
{
	struct doctor_row *r = &rows[(*n)++];
	memset(r, 0, sizeof(*r));
	snprintf(r->item, sizeof(r->item), "%s", item);
	r->status = status;
	r->needed = needed;
	return r;
}

static void have(struct doctor_row *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->have, sizeof(r->have), fmt, ap);
	va_end(ap);
}

static void todo(struct doctor_row *r, const char *text)
{
	snprintf(r->todo, sizeof(r->todo), "%s", text);
}

/* Adds "; text" (or text) to the row's advice. */
static void append_todo(struct doctor_row *r, const char *text)
{
	size_t len = strlen(r->todo);
	snprintf(r->todo + len, sizeof(r->todo) - len, "%s%s", len ? "; " : "", text);
}

static bool tsan_ok(const struct doctor_compiler *c)
{
	return c->present && c->tsan_builds && c->tsan_runs;
}

/* One compiler's row. needed: no other compiler gives a working TSan. */
static void compiler_row(struct doctor_row *rows, int *n, const char *item,
                         const struct doctor_compiler *c, bool needed, const char *compiler_pkg,
                         const char *runtime_pkg)
{
	char text[200];
	if (!c->present) {
		struct doctor_row *r = add(rows, n, item, DOCTOR_MISSING, needed);
		have(r, _("not on PATH"));
		snprintf(text, sizeof(text), "apt-get install %s %s", compiler_pkg, runtime_pkg);
		todo(r, text);
		return;
	}
	if (!c->tsan_builds) {
		struct doctor_row *r = add(rows, n, item, DOCTOR_MISSING, needed);
		have(r, _("%s, no ThreadSanitizer runtime"), c->version);
		snprintf(text, sizeof(text), "apt-get install %s", runtime_pkg);
		todo(r, text);
		return;
	}
	if (!c->tsan_runs) {
		struct doctor_row *r = add(rows, n, item, DOCTOR_MISSING, needed);
		have(r, _("%s: TSan builds but its programs die at start"), c->version);
		todo(r, _("see the vm.mmap_rnd_bits row (sysctl vm.mmap_rnd_bits=28)"));
		return;
	}
	struct doctor_row *r =
	    add(rows, n, item, c->needed_aslr_off ? DOCTOR_LIMITED : DOCTOR_OK, needed);
	have(r, _("%s, TSan works%s"), c->version, c->needed_aslr_off ? _(" with ASLR off") : "");
}

static void toolchain_rows(const struct doctor_facts *f, struct doctor_row *rows, int *n)
{
	bool clang_ok = tsan_ok(&f->clang), gcc_ok = tsan_ok(&f->gcc);
	bool none = !clang_ok && !gcc_ok;
	compiler_row(rows, n, "clang + TSan", &f->clang, none, "clang", "libclang-rt-14-dev");
	compiler_row(rows, n, "gcc + TSan", &f->gcc, none, "gcc", "libtsan2");
	if (!gcc_ok && clang_ok)
		append_todo(&rows[*n - 1], _("optional: --detector tsan-gcc needs it"));
	/* clang's TSan names file:line only through llvm-symbolizer; gcc's needs none. */
	bool needed = clang_ok && !gcc_ok;
	struct doctor_row *r =
	    add(rows, n, "llvm-symbolizer", f->symbolizer ? DOCTOR_OK : DOCTOR_MISSING, needed);
	have(r, "%s",
	     f->symbolizer ? _("found") : _("not found: clang's TSan findings lack file:line"));
	if (!f->symbolizer)
		todo(r, "apt-get install llvm-14");
	r = add(rows, n, "cmake", f->cmake ? DOCTOR_OK : DOCTOR_MISSING, true);
	have(r, "%s", f->cmake ? _("found") : _("not on PATH"));
	if (!f->cmake)
		todo(r, "apt-get install cmake");
	r = add(rows, n, "make", f->make ? DOCTOR_OK : DOCTOR_MISSING, true);
	have(r, "%s", f->make ? _("found") : _("not on PATH"));
	if (!f->make)
		todo(r, "apt-get install make");
}

static void aslr_row(const struct doctor_facts *f, struct doctor_row *rows, int *n)
{
	bool high = f->mmap_rnd_bits > TSAN_SAFE_RND_BITS;
	enum doctor_status s = !high               ? DOCTOR_OK
	                       : f->aslr_off_works ? DOCTOR_LIMITED
	                                           : DOCTOR_MISSING;
	struct doctor_row *r = add(rows, n, "vm.mmap_rnd_bits", s, high);
	if (f->mmap_rnd_bits < 0)
		have(r, "%s",
		     f->aslr_off_works ? _("unreadable; ASLR retry works")
		                       : _("unreadable; ASLR retry refused"));
	else
		have(r, f->aslr_off_works ? _("%d; ASLR retry works") : _("%d; ASLR retry refused"),
		     f->mmap_rnd_bits);
	if (s == DOCTOR_LIMITED)
		todo(r, _("racelab retries TSan runs with ASLR off; to avoid it: "
		          "sysctl vm.mmap_rnd_bits=28 (root)"));
	else if (s == DOCTOR_MISSING)
		todo(r, _("TSan cannot start here: sysctl vm.mmap_rnd_bits=28 as root, or allow "
		          "personality() in the container (seccomp)"));
}

static void cpu_row(const struct doctor_facts *f, struct doctor_row *rows, int *n)
{
	bool one = f->ncpus == 1;
	bool busy = f->ncpus > 0 && f->load1 >= f->ncpus;
	struct doctor_row *r =
	    add(rows, n, _("CPUs and load"), one || busy ? DOCTOR_LIMITED : DOCTOR_OK, false);
	if (f->load1 >= 0)
		have(r,
		     ngettext("%d CPU, load %.2f", "%d CPUs, load %.2f", (unsigned long)f->ncpus),
		     f->ncpus, f->load1);
	else
		have(r,
		     ngettext("%d CPU, load unknown", "%d CPUs, load unknown",
		              (unsigned long)f->ncpus),
		     f->ncpus);
	if (one)
		todo(r, _("one CPU: threads never run at once, most labs cannot show their race "
		          "(verdict inconclusive); use a machine or VM with 2+ CPUs"));
	else if (busy)
		todo(r, _("too busy to show races fairly (verdicts may say inconclusive): stop "
		          "other programs, then run again"));
}

static void debugger_rows(const struct doctor_facts *f, struct doctor_row *rows, int *n)
{
	struct doctor_row *r = add(rows, n, "gdb", f->gdb ? DOCTOR_OK : DOCTOR_MISSING, false);
	have(r, "%s", f->gdb ? _("found") : _("not on PATH: deadlocks are detected, not shown"));
	if (!f->gdb)
		todo(r, "apt-get install gdb");
	bool attach = f->ptrace_scope <= 1 || (f->ptrace_scope == 2 && f->is_root);
	r = add(rows, n, "kernel.yama.ptrace_scope", attach ? DOCTOR_OK : DOCTOR_MISSING, false);
	if (f->ptrace_scope < 0)
		have(r, _("no Yama: gdb may attach"));
	else
		have(r, attach ? _("%d: gdb may attach") : _("%d: gdb may not attach"),
		     f->ptrace_scope);
	if (!attach)
		todo(r, f->ptrace_scope == 2 ? _("run racelab as root, or sysctl "
		                                 "kernel.yama.ptrace_scope=1 (root)")
		                             : _("scope 3 holds until reboot: no deadlock view"));
	r = add(rows, n, "valgrind", f->valgrind ? DOCTOR_OK : DOCTOR_MISSING, false);
	have(r, "%s", f->valgrind ? _("found: --detector helgrind, drd") : _("not on PATH"));
	if (!f->valgrind)
		todo(r, _("apt-get install valgrind (--detector helgrind, drd)"));
}

static void grading_rows(const struct doctor_facts *f, struct doctor_row *rows, int *n)
{
	enum doctor_status s = f->bwrap_works ? DOCTOR_OK : DOCTOR_MISSING;
	struct doctor_row *r = add(rows, n, "bubblewrap + userns", s, false);
	have(r, "%s",
	     !f->bwrap        ? _("bwrap not on PATH")
	     : f->bwrap_works ? _("a box can be made")
	                      : _("bwrap refused (user namespaces off, or seccomp)"));
	if (!f->bwrap)
		todo(r, _("apt-get install bubblewrap (grading's sandbox)"));
	else if (!f->bwrap_works)
		todo(r, _("sysctl kernel.unprivileged_userns_clone=1, or run grading outside "
		          "Docker's default seccomp profile"));
	r = add(rows, n, _("writable cgroups"), f->cgroups_writable ? DOCTOR_OK : DOCTOR_MISSING,
	        false);
	have(r, "%s", f->cgroups_writable ? _("a cgroup can be made") : _("cannot make a cgroup"));
	if (!f->cgroups_writable)
		todo(r, _("grading runs without memory/pids limits: run it as root on the host, or "
		          "delegate a cgroup (systemd-run --user --scope -p Delegate=yes)"));
	r = add(rows, n, "jq", f->jq ? DOCTOR_OK : DOCTOR_MISSING, false);
	have(r, "%s", f->jq ? _("found") : _("not on PATH"));
	if (!f->jq)
		todo(r, _("apt-get install jq (scripts/grade)"));
	r = add(rows, n, "GNU parallel", f->parallel ? DOCTOR_OK : DOCTOR_MISSING, false);
	have(r, "%s", f->parallel ? _("found") : _("not on PATH"));
	if (!f->parallel)
		todo(r, _("apt-get install parallel (grading on many machines)"));
}

int doctor_assess(const struct doctor_facts *facts, struct doctor_row *rows)
{
	int n = 0;
	toolchain_rows(facts, rows, &n);
	aslr_row(facts, rows, &n);
	cpu_row(facts, rows, &n);
	if (facts->quick)
		return n;
	debugger_rows(facts, rows, &n);
	grading_rows(facts, rows, &n);
	return n;
}

bool doctor_student_path_works(const struct doctor_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		if (rows[i].needed && rows[i].status == DOCTOR_MISSING)
			return false;
	return true;
}

const char *doctor_status_name(enum doctor_status s)
{
	switch (s) {
	case DOCTOR_OK:
		return _("ok");
	case DOCTOR_LIMITED:
		return _("limited");
	default:
		return _("MISSING");
	}
}
