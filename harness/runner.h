/* runner.h: runs one program once, bounded in time and output, and says what happened.
 *
 * The child leads its own process group; on timeout the whole group is killed with
 * SIGKILL and reaped, so nothing is left running and no zombie remains. */
#ifndef RACELAB_RUNNER_H
#define RACELAB_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "busy.h"
#include "result_fd.h" /* RL_RESULT_FD_ENV: the child learns its result channel's fd from it */
#include "stall.h"

struct run_spec {
	char *const *argv;      /* argv[0] is the program's path; NULL-terminated */
	char *const *env_extra; /* "NAME=value" entries set in the child on top of our
	                         * environment; NULL-terminated; may be NULL */
	double timeout_s;       /* wall-clock limit; <= 0 means none */
	size_t capture_limit;   /* bytes of stdout+stderr kept; the rest is read and dropped */
	bool result_channel;    /* give the child a pipe and RACELAB_RESULT_FD=<fd> */
	bool no_aslr;           /* run with address randomisation off (personality) */
	int stall_ms;           /* > 0: when every thread of the child waits in a futex with no
	                         * CPU progress this long, it is deadlocked: stop there (stall.h) */
	bool tsan_runtime;      /* the program is a TSan build: the stall rule ignores the
	                         * runtime's own background thread */
	pid_t ptracer;          /* > 0: the child names this process its ptracer before exec
	                         * (prctl PR_SET_PTRACER), so that under Yama ptrace_scope=1 a
	                         * debugger it starts may attach; forces the fork path */
	/* Called on a stall, before the kill, while the process can still be inspected; snap
	 * lists its blocked threads. */
	void (*on_stall)(pid_t pid, const struct stall_snapshot *snap, void *ctx);
	void *stall_ctx;
	bool judged;            /* the program under test: started through the wrap, when one is set
	                         * (runner_set_wrap); helper tools (gdb) leave this false */
	const char *box_rw_dir; /* a directory the judged program must be able to write (its
	                         * TSan logs): passed to the wrap as RACELAB_WRAP_RW; may be NULL */
	bool busy_extend;       /* a run past timeout_s that still makes CPU progress while other
	                         * programs take the CPUs is starved, not hung: give it more time
	                         * (busy.h), up to BUSY_CAP_FACTOR x timeout_s */
	int (*busy_sample)(pid_t pid, struct cpu_sample *out); /* NULL: busy_probe_sample();
	                                                        * tests pass a fake machine */
};

struct run_result {
	bool started; /* false: fork/exec failed; spawn_errno says why */
	int spawn_errno;
	bool exited; /* exited normally: exit_status is valid */
	int exit_status;
	bool signaled; /* killed by a signal: term_signal is valid (not our timeout) */
	int term_signal;
	bool timed_out;              /* we killed it at timeout_s, or on a stall */
	bool stalled;                /* we killed it because it was deadlocked (stall_ms) */
	struct stall_snapshot stall; /* when stalled: its blocked threads */
	double stall_seen_s;         /* when stalled: first sample that saw every thread blocked */
	double stall_named_s;        /* when stalled: on_stall returned (both from the start) */
	double wall_s;               /* start to reap */
	char *output;                /* stdout and stderr interleaved as written, NUL-terminated */
	size_t output_len;
	size_t output_dropped; /* bytes read past capture_limit and thrown away */
	char *result;          /* everything written to the result channel, NUL-terminated;
	                        * NULL when no channel was asked for */
	size_t result_len;
	size_t result_dropped; /* result-channel bytes past capture_limit, thrown away */

	/* What the run got of the machine (busy.h). */
	double cpu_s; /* CPU time the program (all its threads, and children it reaped) used */
	double others_cpu_s; /* CPU time the rest of the machine used meanwhile (ticks: coarse) */
	int ncpus;           /* CPUs of the machine; 0 when it could not be sampled */
	double extended_s;   /* time given past timeout_s because the machine starved the run */
	bool starved;        /* killed at the cap while still starved (timed_out is set too):
	                      * the machine was too busy to tell whether it hangs */
};

/* Environment variable through which a wrap learns the directory it must make writable. */
#define RUNNER_WRAP_RW_ENV "RACELAB_WRAP_RW"

/* Every later judged run starts as WRAP[0] WRAP[1] ... ARGV[0] ARGV[1] ... : a box around
 * the program (`racelab run --wrap`; scripts/sandbox for grading). wrap is borrowed, NULL
 * or empty for none. Process-wide, for main to call once before any run; it also makes this
 * process a child subreaper (prctl), so that after each wrapped run every process the run
 * started, wherever it moved, is killed and reaped before its results are read.
 *
 * The wrap protocol: the wrap passes the result channel (fd 3, RACELAB_RESULT_FD), stdin,
 * stdout and stderr through to the program; reports the program's death by signal N as exit
 * status 128 + N (as shells, timeout and bwrap do), which the runner reads back as the
 * signal; makes RACELAB_WRAP_RW, when set, writable at the same path inside its box; and
 * keeps the processes it does not hand to a PID namespace in the run's process group.
 * A wrapped run is never stall-sampled (the runner's child is the box, not the program):
 * a deadlock there ends at the timeout.
 * Returns 0, or -1 with errno when this process cannot become a subreaper. */
int runner_set_wrap(char *const *wrap);

/* Runs spec->argv[0] and fills *out (zeroed first). Returns 0 when the program ran, whatever
 * its fate; -1 with errno when it could not be started or waited for (out->started says
 * which). The result channel is bounded like the output. Caller frees with run_result_free. */
int runner_run(const struct run_spec *spec, struct run_result *out);

void run_result_free(struct run_result *result);

/* "SIGSEGV (segmentation fault)": the signal's name and its description. Static storage. */
const char *runner_signal_name(int sig);

#endif
