/* tsan_report.h: ThreadSanitizer's text output parsed into findings.
 *
 * Pure code: text in, structs out; no I/O, never exits. Handles the output of
 * clang 14's and gcc 12's runtimes alike (see tests/fixtures/tsan/). */
#ifndef RACELAB_TSAN_REPORT_H
#define RACELAB_TSAN_REPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Every report kind of compiler-rt's tsan_report.cpp, in its order; then the ways TSan's
 * runtime stops a program without a WARNING (a deadly signal, an allocator error, its own
 * CHECK, a fatal limitation), which are findings too. */
enum tsan_kind {
	TSAN_DATA_RACE,
	TSAN_DATA_RACE_VPTR,
	TSAN_HEAP_USE_AFTER_FREE,
	TSAN_HEAP_USE_AFTER_FREE_VPTR,
	TSAN_RACE_EXTERNAL,
	TSAN_THREAD_LEAK,
	TSAN_DESTROY_LOCKED_MUTEX,
	TSAN_DOUBLE_LOCK,
	TSAN_INVALID_MUTEX,
	TSAN_UNLOCK_UNLOCKED,
	TSAN_READ_LOCK_WRITE_LOCKED,
	TSAN_READ_UNLOCK_WRITE_LOCKED,
	TSAN_SIGNAL_UNSAFE,
	TSAN_SIGNAL_ERRNO,
	TSAN_LOCK_ORDER_INVERSION,
	TSAN_CRASH,              /* "ERROR: ThreadSanitizer: SEGV on unknown address ..." */
	TSAN_ALLOCATION_TOO_BIG, /* "ERROR: ... requested allocation size ... exceeds maximum" */
	TSAN_OUT_OF_MEMORY,      /* "ERROR: ... allocator is out of memory trying to allocate" */
	TSAN_RUNTIME_ERROR,      /* any other "ERROR: ThreadSanitizer: ..." */
	TSAN_CHECK_FAILED,     /* "ThreadSanitizer: CHECK failed: ...": the runtime's own assert */
	TSAN_FORK_NEW_THREADS, /* "starting new threads after multi-threaded fork ... Dying" */
	TSAN_IGNORES_ENABLED,  /* "main thread finished with ignores enabled" (or thread TN) */
	TSAN_UNKNOWN, /* a WARNING line whose kind we do not know; also a TSan run that ended
	               * with TSan's exit code and left no report we could read */
	TSAN_KIND_COUNT
};

#define TSAN_NAME_MAX    128
#define TSAN_PATH_MAX    256
#define TSAN_MAX_MUTEXES 8
#define TSAN_MAX_THREADS 8
#define TSAN_MAX_STACKS  8

/* One stack frame: the first one in the program's own code. line == 0: none found. */
struct tsan_frame {
	char function[TSAN_NAME_MAX];
	char file[TSAN_PATH_MAX]; /* as TSan printed it (usually absolute) */
	int line;
	int column; /* 0 when absent (gcc prints none) */
};

/* One memory access of a data race or use-after-free. */
struct tsan_access {
	bool present;
	bool is_write;    /* "Write" / "Atomic write" */
	bool is_atomic;   /* "Atomic read" / "Atomic write" */
	int size;         /* bytes */
	int thread;       /* 0 for "main thread", N for "thread TN" */
	char mutexes[64]; /* what TSan listed after "(mutexes: ", e.g. "write M0"; "" if none */
	struct tsan_frame where;
};

enum tsan_location_kind {
	TSAN_LOC_NONE,
	TSAN_LOC_GLOBAL, /* "Location is global 'counter' of size 8 at ..." */
	TSAN_LOC_HEAP,   /* "Location is heap block of size N at ... allocated by ..." */
	TSAN_LOC_STACK,  /* "Location is stack of main thread." / "of thread T1." */
	TSAN_LOC_TLS,    /* "Location is TLS of thread T1." */
	TSAN_LOC_FD,     /* "Location is file descriptor N ..." */
	TSAN_LOC_OTHER
};

struct tsan_location {
	enum tsan_location_kind kind;
	char variable[TSAN_NAME_MAX];   /* global's name; "" otherwise */
	long size;                      /* bytes, when TSan says; 0 otherwise */
	int thread;                     /* stack/TLS owner, or the heap block's allocating thread */
	struct tsan_frame allocated_at; /* heap: first user frame of the allocation stack */
};

struct tsan_mutex {
	int id;                       /* N of "Mutex MN" */
	struct tsan_frame created_at; /* first user frame of "Mutex MN (...) created at:" */
};

struct tsan_thread {
	int id;                       /* N of "Thread TN" */
	bool running;                 /* "(tid=..., running)" vs "finished" */
	int created_by;               /* 0 = main thread */
	struct tsan_frame created_at; /* first user frame of the creation stack */
};

/* A titled stack of a report that is not an access: "Mutex M1 acquired here while holding
 * mutex M0 in thread T1:", the stack under the WARNING of a mutex misuse, and so on. */
struct tsan_stack {
	char title[TSAN_NAME_MAX]; /* the line before the frames, without indentation or colon */
	struct tsan_frame where;
};

/* How a crash's faulting address looks (SEGV and BUS; other signals carry none). */
enum tsan_address_class {
	TSAN_ADDR_NONE,           /* no address given, or the signal has none (FPE, ABRT) */
	TSAN_ADDR_NULL,           /* the zero page: a NULL pointer, or NULL plus a small offset */
	TSAN_ADDR_WILD,           /* any other address: a dangling or garbage pointer */
	TSAN_ADDR_STACK_OVERFLOW, /* "stack-overflow on address": runaway recursion */
};

/* What TSan said about a crash or about a fatal message (kinds TSAN_CRASH and after). */
struct tsan_crash {
	char signal[8]; /* "SEGV", "BUS", "FPE", "ABRT", "ILL"; "" if none */
	enum tsan_address_class address_class;
	unsigned long long address; /* the faulting address, when address_class says so */
	char access[8];             /* "READ", "WRITE" or "" ("The signal is caused by") */
	bool main_thread;           /* the crash happened in the main thread */
	int os_tid;                 /* the crashing thread's kernel tid (TSan's "T<tid>") */
	char message[200];          /* TSan's line (pid prefix cut), or a failed assertion */
};

struct tsan_finding {
	enum tsan_kind kind;
	struct tsan_access access[2]; /* [0] current, [1] "Previous"; data race / use-after-free */
	struct tsan_location location;
	struct tsan_mutex mutexes[TSAN_MAX_MUTEXES];
	int n_mutexes;
	int cycle[TSAN_MAX_MUTEXES + 1]; /* lock-order-inversion: M0 => M1 => M0 as {0, 1, 0} */
	int cycle_len;
	struct tsan_thread threads[TSAN_MAX_THREADS];
	int n_threads;
	struct tsan_stack stacks[TSAN_MAX_STACKS];
	int n_stacks;
	struct tsan_frame summary; /* SUMMARY line's location as printed (may be an interceptor) */
	struct tsan_frame where;   /* the finding's main place in the program's own code:
	                            * first access for races; first user frame otherwise */
	int count;                 /* how many reports merged into this finding (>= 1) */
	struct tsan_crash crash;   /* kinds TSAN_CRASH and after; zeroed for the others */
};

struct tsan_report {
	struct tsan_finding *findings;
	size_t n_findings;
	size_t cap_findings;
	int warnings_reported; /* N of "ThreadSanitizer: reported N warnings"; -1 if absent */
	bool mapping_failure;  /* "FATAL: ThreadSanitizer: unexpected memory mapping" */
	bool fatal;            /* any other "FATAL: ThreadSanitizer" line (start-up failure) */
	char fatal_line[256];  /* that line, for the error message */
};

/* Which frames are not the program's own code. Frames whose file or module contains one of
 * skip_paths (NULL-terminated; may be NULL) are skipped too, e.g. the lab kit's wrappers. */
struct tsan_parse_options {
	const char *const *skip_paths;
};

/* Parses len bytes of TSan output (one log file, or several concatenated) and appends one
 * finding per WARNING block to out, each with count 1. out must be zeroed or previously
 * used. Returns 0, or -1 when memory ran out (out stays consistent). Tolerates truncated
 * and interleaved text: a malformed block still yields a finding of its kind. */
int tsan_parse(const char *text, size_t len, const struct tsan_parse_options *opts,
               struct tsan_report *out);

/* Merges findings of the same kind whose unordered pair of source locations (file:line of
 * the two accesses, or of where/summary for other kinds) is equal, summing counts. Keeps
 * the first finding's details. Order: first appearance. */
void tsan_dedupe(struct tsan_report *report);

/* Frees what tsan_parse allocated and zeroes the report. */
void tsan_report_free(struct tsan_report *report);

/* The kind that a WARNING line names: text is what follows "WARNING: ThreadSanitizer: "
 * (len bytes, need not be NUL-terminated; a trailing " (pid=N)" is fine). TSAN_UNKNOWN when
 * it names none. Used by tsan_parse; defined in tsan_kinds.c with the other names. */
enum tsan_kind tsan_kind_from_warning(const char *text, size_t len);

/* Does this kind describe two memory accesses (access[] filled)? Races, use-after-free. */
bool tsan_kind_has_accesses(enum tsan_kind kind);

/* A use-after-free (plain or vptr): its "Previous" access is the free itself. */
bool tsan_kind_is_use_after_free(enum tsan_kind kind);

/* Is this kind the runtime stopping the program (a crash or a fatal message), rather than
 * a WARNING printed while it ran on? */
bool tsan_kind_is_fatal(enum tsan_kind kind);

/* A finding's headline for people, into out: the kind's name, or for a crash the signal
 * and the address ("SIGSEGV on a NULL pointer (write)", "SIGABRT", "SIGSEGV: stack
 * overflow"). */
void tsan_finding_title(const struct tsan_finding *f, char *out, size_t cap);

/* The address class in words: "a NULL pointer", "a wild pointer", ...; "" for none. */
const char *tsan_address_class_name(enum tsan_address_class c);

/* TSan's own words: "data race", "lock-order-inversion (potential deadlock)", ... */
const char *tsan_kind_name(enum tsan_kind kind);

/* Stable identifier used in manifests and JSON: "data-race", "lock-order-inversion", ... */
const char *tsan_kind_slug(enum tsan_kind kind);

/* The kind whose slug is slug; TSAN_UNKNOWN when none. */
enum tsan_kind tsan_kind_from_slug(const char *slug);

/* One or two sentences, for a student, saying what this kind of finding means and the
 * usual fix, e.g. for a data race: two threads touched the same memory, at least one
 * wrote, and nothing ordered the two accesses (no common lock, no atomics). */
const char *tsan_kind_explanation(enum tsan_kind kind);

#endif
