/* tsan_kinds.c: names, slugs and student explanations of ThreadSanitizer report kinds. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "tsan_report.h"

struct tsan_kind_info {
	const char *name;        /* TSan's words after "WARNING: ThreadSanitizer: " */
	const char *slug;        /* our stable identifier */
	const char *explanation; /* for a student: what happened, the usual fix */
};

/* Indexed by enum tsan_kind; names as compiler-rt's tsan_report.cpp prints them. */
static const struct tsan_kind_info kinds[TSAN_KIND_COUNT] = {
    [TSAN_DATA_RACE] =
        {"data race", "data-race",
         N_("Two threads touched the same memory, at least one of them wrote, and nothing "
            "ordered the two accesses. Order comes only from synchronisation: a lock both "
            "threads take, thread creation and join, a condition variable, or an atomic "
            "store with release read by an atomic load with acquire. The usual fix is to "
            "guard the whole operation (every read and write of the variable, and the "
            "decisions made on it) with one mutex. Making the variable atomic silences TSan "
            "but fixes only single accesses: if the logic needs several steps to happen "
            "together, it is still wrong.")},
    [TSAN_DATA_RACE_VPTR] =
        {"data race on vptr (ctor/dtor vs virtual call)", "data-race-vptr",
         N_("One thread called a virtual method on a C++ object while another was still "
            "constructing or already destroying it. Finish construction before sharing the "
            "object, and join its users before deleting it.")},
    [TSAN_HEAP_USE_AFTER_FREE] =
        {"heap-use-after-free", "heap-use-after-free",
         N_("One thread freed a block of memory that another thread then used, with nothing "
            "making the use happen before the free. Free memory only after every thread that "
            "uses it is done (join it, or count the users).")},
    [TSAN_HEAP_USE_AFTER_FREE_VPTR] =
        {"heap-use-after-free (virtual call vs free)", "heap-use-after-free-vptr",
         N_("A thread called a virtual method on a C++ object that another thread had already "
            "deleted. Delete an object only after every thread is done with it.")},
    [TSAN_RACE_EXTERNAL] =
        {"race on external object", "race-external",
         N_("Two threads used the same library object (the library told TSan about it) at the "
            "same time, and at least one changed it. Guard the object with a lock, or give "
            "each thread its own.")},
    [TSAN_THREAD_LEAK] =
        {"thread leak", "thread-leak",
         N_("A thread finished but was never joined (nor detached), so its result and "
            "resources were never collected. TSan reports only threads that had already "
            "finished when the program exited; one still running at exit is not reported. "
            "Call pthread_join on every thread you create, or pthread_detach it.")},
    [TSAN_DESTROY_LOCKED_MUTEX] =
        {"destroy of a locked mutex", "destroy-locked-mutex",
         N_("A mutex was destroyed while some thread still held it locked. Unlock it on every "
            "path first, and destroy it only when no thread can use it any more.")},
    [TSAN_DOUBLE_LOCK] =
        {"double lock of a mutex", "double-lock",
         N_("A thread took a mutex that, by TSan's records, another thread still held. A "
            "thread relocking its own normal mutex is not this report: it blocks forever "
            "before TSan can say anything (a hang). This one means the mutex's state went "
            "wrong earlier: an unlock by a thread that did not lock it, a mutex copied, "
            "reinitialised or its memory reused while locked. Each lock needs one unlock "
            "by the same thread, on every path, and the mutex must stay where it is.")},
    [TSAN_INVALID_MUTEX] =
        {"use of an invalid mutex (e.g. uninitialized or destroyed)", "invalid-mutex",
         N_("A mutex was used before it was initialised or after it was destroyed. Initialise "
            "it (pthread_mutex_init or PTHREAD_MUTEX_INITIALIZER) before any thread uses it, "
            "and destroy it only after all threads are done.")},
    [TSAN_UNLOCK_UNLOCKED] =
        {"unlock of an unlocked mutex (or by a wrong thread)", "unlock-unlocked",
         N_("A mutex was unlocked although it was not locked, or by a thread that did not lock "
            "it. Unlock only what the same thread locked, exactly once.")},
    [TSAN_READ_LOCK_WRITE_LOCKED] =
        {"read lock of a write locked mutex", "read-lock-write-locked",
         N_("A reader-writer lock was taken for reading while it was held for writing. Release "
            "the write lock first; one thread cannot hold both.")},
    [TSAN_READ_UNLOCK_WRITE_LOCKED] =
        {"read unlock of a write locked mutex", "read-unlock-write-locked",
         N_("A reader-writer lock held for writing was released as if it were held for "
            "reading. Release a lock the same way it was taken.")},
    [TSAN_SIGNAL_UNSAFE] =
        {"signal-unsafe call inside of a signal", "signal-unsafe-call",
         N_("A signal handler called a function (such as malloc or printf) that may break if "
            "the signal interrupted that same function. In a handler use only "
            "async-signal-safe calls; usually just set a volatile sig_atomic_t flag.")},
    [TSAN_SIGNAL_ERRNO] =
        {"signal handler spoils errno", "signal-errno",
         N_("A signal handler changed errno, so the code it interrupted may see a wrong error "
            "code. Save errno at the start of the handler and restore it before returning.")},
    [TSAN_LOCK_ORDER_INVERSION] =
        {"lock-order-inversion (potential deadlock)", "lock-order-inversion",
         N_("Mutexes were taken in orders that form a cycle: somewhere M0 was held while "
            "taking M1, elsewhere M1 while taking M0, or a longer ring (M0 => M1 => ... => "
            "M0) over several threads. If the threads of the cycle each hold their first "
            "lock at the same time, each waits for the next forever (a deadlock). TSan "
            "reports the cycle even on runs that did not hang, and even when something else "
            "(an outer lock, a limit on how many threads try) means it can never close; "
            "check whether it can. The usual fix: take locks in one fixed global order.")},
    [TSAN_CRASH] =
        {"crash (deadly signal)", "crash",
         N_("The program was killed by a signal: SEGV is a read or write through a bad pointer "
            "(NULL, freed, or garbage), BUS a bad mapping or alignment, FPE an integer division "
            "by zero, ABRT a call to abort() such as a failed assert. The line below is where it "
            "happened; look at the pointer or value used there and at who set it.")},
    [TSAN_ALLOCATION_TOO_BIG] =
        {"requested allocation size exceeds maximum supported size", "allocation-size-too-big",
         N_("The program asked malloc (or new, calloc, realloc) for more memory than can ever "
            "exist, and TSan stopped it. The size is usually a negative number turned unsigned, "
            "an overflowed multiplication, or an uninitialised variable: check how it is "
            "computed.")},
    [TSAN_OUT_OF_MEMORY] =
        {"allocator is out of memory", "out-of-memory",
         N_("An allocation failed because memory ran out, and TSan stopped the program. TSan "
            "needs several times the memory of a plain build; look for a leak or a structure "
            "that grows without bound, or give the run smaller arguments.")},
    [TSAN_RUNTIME_ERROR] =
        {"runtime error", "runtime-error",
         N_("ThreadSanitizer stopped the program with an error of its runtime; its own words are "
            "quoted below.")},
    [TSAN_CHECK_FAILED] =
        {"CHECK failed (TSan's own assertion)", "check-failed",
         N_("ThreadSanitizer's runtime hit one of its internal checks and stopped the program. "
            "This is rarely the race you are looking for: it comes from a memory limit "
            "(ulimit -v: TSan needs a huge address space), a program that overwrote memory TSan "
            "uses, or a TSan bug. Run without the limit, and look for out-of-bounds writes.")},
    [TSAN_FORK_NEW_THREADS] =
        {"starting new threads after multi-threaded fork is not supported", "fork-new-threads",
         N_("The program forked while it had several threads, and the child then started a "
            "thread. Only the forking thread survives in the child, so locks held by the others "
            "stay locked forever; TSan refuses to go on. In the child, call only exec or "
            "async-signal-safe functions, or fork before starting threads.")},
    [TSAN_IGNORES_ENABLED] =
        {"thread finished with ignores enabled", "ignores-enabled",
         N_("A thread ended while it had told TSan to ignore its accesses (an Ignore...Begin "
            "annotation without its End), so races in the rest of its code could go unseen. "
            "Pair every Begin with an End on every path.")},
    [TSAN_UNKNOWN] =
        {"unknown", "unknown",
         N_("ThreadSanitizer reported a problem this tool does not know; read its report "
            "below for the details.")},
};

bool tsan_kind_is_use_after_free(enum tsan_kind kind)
{
	return kind == TSAN_HEAP_USE_AFTER_FREE || kind == TSAN_HEAP_USE_AFTER_FREE_VPTR;
}

bool tsan_kind_has_accesses(enum tsan_kind kind)
{
	return kind == TSAN_DATA_RACE || kind == TSAN_DATA_RACE_VPTR ||
	       tsan_kind_is_use_after_free(kind) || kind == TSAN_RACE_EXTERNAL;
}

bool tsan_kind_is_fatal(enum tsan_kind kind)
{
	return kind >= TSAN_CRASH && kind <= TSAN_IGNORES_ENABLED;
}

static const struct tsan_kind_info *kind_info(enum tsan_kind kind)
{
	if ((unsigned)kind >= TSAN_KIND_COUNT)
		kind = TSAN_UNKNOWN;
	return &kinds[kind];
}

const char *tsan_kind_name(enum tsan_kind kind)
{
	return kind_info(kind)->name;
}

const char *tsan_kind_slug(enum tsan_kind kind)
{
	return kind_info(kind)->slug;
}

const char *tsan_kind_explanation(enum tsan_kind kind)
{
	return kind_info(kind)->explanation;
}

enum tsan_kind tsan_kind_from_slug(const char *slug)
{
	if (!slug)
		return TSAN_UNKNOWN;
	for (int k = 0; k < TSAN_UNKNOWN; k++)
		if (strcmp(kinds[k].slug, slug) == 0)
			return (enum tsan_kind)k;
	return TSAN_UNKNOWN;
}

/* The text names the external object's type ("race on MyQueue"), not "external object",
 * when the library registered a tag; any "race on " is that kind. */
#define EXTERNAL_RACE_PREFIX "race on "

enum tsan_kind tsan_kind_from_warning(const char *text, size_t len)
{
	size_t best_len = 0;
	enum tsan_kind best = TSAN_UNKNOWN;

	if (len >= strlen(EXTERNAL_RACE_PREFIX) &&
	    memcmp(text, EXTERNAL_RACE_PREFIX, strlen(EXTERNAL_RACE_PREFIX)) == 0)
		return TSAN_RACE_EXTERNAL;
	/* Longest matching name wins: "data race on vptr ..." also starts with "data race".
	 * Only WARNING kinds: the fatal ones never follow "WARNING:". */
	for (int k = 0; k < TSAN_CRASH; k++) {
		size_t n = strlen(kinds[k].name);
		if (n <= len && n > best_len && memcmp(text, kinds[k].name, n) == 0 &&
		    (n == len || text[n] == ' ')) {
			best = (enum tsan_kind)k;
			best_len = n;
		}
	}
	return best;
}

const char *tsan_address_class_name(enum tsan_address_class c)
{
	switch (c) {
	case TSAN_ADDR_NULL:
		return N_("a NULL pointer");
	case TSAN_ADDR_WILD:
		return N_("a wild pointer");
	case TSAN_ADDR_STACK_OVERFLOW:
		return N_("stack overflow");
	default:
		return "";
	}
}

void tsan_finding_title(const struct tsan_finding *f, char *out, size_t cap)
{
	const struct tsan_crash *c = &f->crash;
	const char *addr = tsan_address_class_name(c->address_class);
	const char *access = strcmp(c->access, "WRITE") == 0  ? " (write)"
	                     : strcmp(c->access, "READ") == 0 ? " (read)"
	                                                      : "";

	if (f->kind != TSAN_CRASH || !c->signal[0]) {
		snprintf(out, cap, "%s", tsan_kind_name(f->kind));
		return;
	}
	if (c->address_class == TSAN_ADDR_STACK_OVERFLOW)
		snprintf(out, cap, "SIG%s: stack overflow", c->signal);
	else if (*addr)
		snprintf(out, cap, "SIG%s on %s%s", c->signal, addr, access);
	else
		snprintf(out, cap, "SIG%s", c->signal);
}
