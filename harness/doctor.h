/* doctor.h: `racelab doctor`: what this machine gives racelab, and what to do about each
 * gap. doctor_probe() looks at the machine (I/O); doctor_assess() turns what it saw into
 * the rows of a table (pure: facts in, rows out), so the advice is tested on made-up
 * machines. */
#ifndef RACELAB_DOCTOR_H
#define RACELAB_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

/* A compiler's ThreadSanitizer, tried for real: a tiny program built and run. */
struct doctor_compiler {
	bool present;     /* on PATH */
	bool tsan_builds; /* -fsanitize=thread compiles and links */
	bool tsan_runs;   /* the built program ran and exited 0 (with the ASLR retry if needed) */
	bool needed_aslr_off; /* it ran only with address randomisation off */
	char version[64];     /* first line of `--version`, shortened; "" unknown */
};

/* Everything doctor_probe saw. -1 in an int means "could not be read". */
struct doctor_facts {
	struct doctor_compiler clang, gcc;
	bool symbolizer;     /* llvm-symbolizer on PATH or at Debian's llvm-14 path */
	bool cmake, make;    /* the build */
	int mmap_rnd_bits;   /* /proc/sys/vm/mmap_rnd_bits */
	bool aslr_off_works; /* personality(ADDR_NO_RANDOMIZE) is allowed (racelab's retry) */
	int ptrace_scope;    /* kernel.yama.ptrace_scope; -1: no Yama (gdb may attach) */
	bool is_root;
	bool gdb, valgrind;
	int ncpus;             /* online CPUs */
	double load1;          /* 1-minute load average; < 0 unknown */
	bool bwrap;            /* bubblewrap on PATH */
	bool bwrap_works;      /* a box could be made (user namespaces allowed) */
	bool cgroups_writable; /* a cgroup could be made under /sys/fs/cgroup */
	bool jq, parallel;
	bool quick; /* only the probes a student's `make labN` needs were made */
};

enum doctor_status {
	DOCTOR_OK,      /* works */
	DOCTOR_LIMITED, /* works, with a limit the row explains */
	DOCTOR_MISSING, /* absent or refused */
};

/* One row of the table. */
struct doctor_row {
	char item[64]; /* "clang + TSan", "gdb", ... (UTF-8: room for Russian) */
	enum doctor_status status;
	bool needed;    /* the student's path (make labN) needs it: missing means exit 1 */
	char have[192]; /* what the machine has, in a few words */
	char todo[512]; /* what to do about it ("" when nothing): the Debian package first */
};

#define DOCTOR_MAX_ROWS 24

/* Fills *out from the machine. quick: only what `make labN` needs (compilers, symbolizer,
 * build tools, ASLR, CPUs); the rest is left absent and doctor_assess skips it. Takes a
 * few seconds (each compiler builds and runs a small program); never exits. */
void doctor_probe(struct doctor_facts *out, bool quick);

/* The table for *facts into rows[0..DOCTOR_MAX_ROWS); returns how many. Pure. */
int doctor_assess(const struct doctor_facts *facts, struct doctor_row *rows);

/* Does every row the student needs work (no needed row MISSING)? */
bool doctor_student_path_works(const struct doctor_row *rows, int n);

/* "ok", "limited", "MISSING" */
const char *doctor_status_name(enum doctor_status s);

#endif
