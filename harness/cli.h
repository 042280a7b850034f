/* cli.h: racelab's command line, parsed into options. Pure: no I/O, never exits. */
#ifndef RACELAB_CLI_H
#define RACELAB_CLI_H

#include <stdbool.h>

/* Exit statuses of racelab (documented in `racelab --help` and README.md). */
enum racelab_exit {
	EXIT_CLEAN = 0, /* run: no bug seen and TSan clean; check: everything held */
	EXIT_BUG = 1,   /* run: the bug showed (or a solution is broken); check: not all held */
	EXIT_USAGE = 2, /* bad command line, unknown lab or solution */
	EXIT_ENV = 3,   /* cannot run: not built, build older than its sources, catalogue
	                 * missing, program missing */
	EXIT_NOT_PROVEN = 4,   /* run: no bug seen, but TSan could not run */
	EXIT_INCONCLUSIVE = 5, /* the machine was too busy to judge (check: nothing failed, but
	                        * something could not be judged) */
};

enum cli_command {
	CMD_HELP,
	CMD_VERSION,
	CMD_LIST,
	CMD_RUN,
	CMD_CHECK,
	CMD_LABS,
	CMD_MANIFEST,
	CMD_DOCTOR
};

#define CLI_MAX_LABS 64
#define CLI_MAX_WRAP 64 /* words of --wrap */

struct cli {
	enum cli_command command;
	const char *labs[CLI_MAX_LABS]; /* run: exactly one; check: none means all; manifest:
	                                 * LAB and an optional KEY; help: the command asked about */
	enum cli_command help_for;      /* help with labs[0]: the command asked about */
	int n_labs;
	const char *solution; /* --solution=NAME */
	bool all_solutions;   /* --solution without a name */
	int runs;             /* 0: the manifest's */
	int threads;          /* 0: the manifest's */
	double timeout_s;     /* 0: the manifest's */
	const char *args; /* --args "...": the plain runs' arguments instead of the manifest's */
	const char *tsan_args; /* --tsan-args "...": the TSan run's, likewise */
	bool no_tsan;
	bool quiet;
	const char *json_path;  /* --json FILE ("-": stdout) */
	const char *junit_path; /* --junit FILE (check) */
	bool exec;              /* --exec: exec_argv is the program */
	char **exec_argv;
	char *wrap[CLI_MAX_WRAP + 1]; /* --wrap WORD, repeated: each run of the program starts
	                               * as WRAP... PROGRAM ARGS; NULL-terminated */
	int n_wrap;
	bool fail_fast;      /* --fail-fast: a series stops at its first hang or limit kill */
	bool no_cost;        /* --no-cost: no cost table (grading reads none; saves its runs) */
	const char *program; /* --program PATH: judged as the lab's program (PATH-tsan for TSan) */
	bool no_sched;       /* check --no-sched: no schedules section (labkit/sched) */
	bool python;         /* --python: the labs' Python twins instead of the C programs */
	unsigned detectors;  /* --detector NAME: bits of enum detector (detector.h); 0: TSan */
	const char *sarif_path; /* --sarif FILE: the findings as SARIF 2.1.0 */
	bool quick;             /* doctor --quick: only what make labN needs */
};

/* Parses argv into *out. Returns 0, or -1 with "what: why" in err. */
int cli_parse(int argc, char **argv, struct cli *out, char *err, size_t err_cap);

/* The --help text. */
extern const char cli_usage[];

/* `racelab help COMMAND`: the command's usage with exactly the options it takes (from the
 * table cli_parse checks them against), one line per form, ending in a newline. */
void cli_command_help(enum cli_command command, char *out, size_t cap);

#endif
