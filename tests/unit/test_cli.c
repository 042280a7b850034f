/* test_cli.c: racelab's command line: each command takes its own options and refuses the
 * others (a refused option is a usage error, never silently ignored). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "cli.h"
#include "cunit_main.h"

#define MAX_WORDS 16

/* Parses a command line given as one string of space-separated words. */
static int parse_line(const char *line, struct cli *out, char *err, size_t cap)
{
	static char buf[512];
	char *argv[MAX_WORDS + 1], *save;
	int argc = 0;
	snprintf(buf, sizeof(buf), "racelab %s", line);
	for (char *w = strtok_r(buf, " ", &save); w && argc < MAX_WORDS;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return cli_parse(argc, argv, out, err, cap);
}

static void test_options_table(void)
{
	static const struct {
		const char *line;
		int rc;
		const char *err; /* a part of the message, when rc is -1 */
	} cases[] = {
	    /* run LAB takes every option of a lab experiment */
	    {"run lab3 --solution --runs 5 --threads 4 --timeout 2 --no-tsan --quiet", 0, NULL},
	    {"run lab3 --solution=mutex --json r.json --args x --tsan-args y", 0, NULL},
	    {"run lab3 --junit j.xml", -1, "--junit: not an option of run "},
	    {"run lab3 --no-cost --fail-fast", 0, NULL},
	    /* --program: another build judged as the lab's program, never as a solution */
	    {"run lab3 --program build/bin/lab03-wrong-volatile", 0, NULL},
	    {"run lab3 --program p --solution=mutex", -1, "--program: replaces the lab's"},
	    {"run --exec --program p -- prog", -1, "--program: not an option of run --exec"},
	    {"check --program p", -1, "--program: not an option of check"},
	    {"run --exec --no-cost -- prog", -1, "--no-cost: not an option of run --exec"},
	    {"check --no-cost", -1, "--no-cost: not an option of check"},
	    /* --python: the Python twins, for run LAB and check */
	    {"run lab3 --python --solution=lock --runs 3", 0, NULL},
	    {"check lab3 --python", 0, NULL},
	    {"run lab3 --python --tsan-args x", -1, "--tsan-args: not an option of run --python"},
	    {"run --exec --python -- prog", -1, "--python: not an option of run --exec"},
	    {"labs --python", -1, "--python: not an option of labs"},
	    /* run --exec: no lab options */
	    {"run --exec --runs 3 --timeout 1 --no-tsan --json r.json -q -- prog", 0, NULL},
	    {"run --exec --threads 4 -- prog", -1, "--threads: not an option of run --exec"},
	    {"run --exec --solution -- prog", -1, "--solution: not an option of run --exec"},
	    {"run --exec --args x -- prog", -1, "--args: not an option of run --exec"},
	    /* check: --runs, --json, --junit, --quiet, nothing else */
	    {"check --runs 5 --json c.json --junit j.xml --quiet", 0, NULL},
	    {"check lab3 lab4", 0, NULL},
	    {"check --threads 4", -1, "--threads: not an option of check"},
	    {"check lab3 --solution=mutex", -1, "--solution: not an option of check"},
	    {"check --timeout 3", -1, "--timeout: not an option of check"},
	    {"check --no-tsan", -1, "--no-tsan: not an option of check"},
	    {"check --args x", -1, "--args: not an option of check"},
	    {"check --tsan-args x", -1, "--tsan-args: not an option of check"},
	    {"check --exec -- prog", -1, "--exec: not an option of check"},
	    /* labs: --quiet only; list: nothing */
	    {"labs --quiet", 0, NULL},
	    {"labs --runs 3", -1, "--runs: not an option of labs"},
	    {"list --json x", -1, "--json: not an option of list"},
	    /* manifest: LAB and an optional KEY, no options */
	    {"manifest lab3", 0, NULL},
	    {"manifest lab3 runs", 0, NULL},
	    {"manifest", -1, "manifest: takes LAB and an optional KEY"},
	    {"manifest lab3 runs args", -1, "manifest: takes LAB and an optional KEY"},
	    {"manifest lab3 --quiet", -1, "--quiet: not an option of manifest"},
	    /* help COMMAND */
	    {"help run", 0, NULL},
	    {"help run check", -1, "help: takes one command"},
	    {"help frob", -1, "frob: unknown command"},
	    {"help version", -1, "version: no help of its own"},
	    /* shape errors still come first */
	    {"run lab3 lab4 --junit x", -1, "run: takes one lab"},
	    {"check --fast", -1, "--fast: unknown option"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli cli;
		char err[256] = "";
		int rc = parse_line(cases[i].line, &cli, err, sizeof(err));
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (rc != cases[i].rc)
			fprintf(stderr, "\n  '%s': rc %d (%s)\n", cases[i].line, rc, err);
		if (cases[i].err && !strstr(err, cases[i].err)) {
			CU_FAIL("wrong message");
			fprintf(stderr, "\n  '%s': '%s', wanted '%s'\n", cases[i].line, err,
			        cases[i].err);
		}
	}
}

/* Every option against every command: taken exactly where the README says so, refused
 * (a usage error naming the command) everywhere else. */
static void test_every_option_every_command(void)
{
	static const char *const options[] = {
	    "--solution",    "--runs 2",       "--threads 2", "--timeout 2", "--args x",
	    "--tsan-args x", "--no-tsan",      "--quiet",     "--json f",    "--junit f",
	    "--wrap /w",     "--fail-fast",    "--no-cost",   "--program p", "--no-sched",
	    "--python",      "--detector all", "--sarif f",   "--quick"};
	static const struct {
		const char *line;  /* %s: the option */
		const char *taken; /* the options (their first word) it takes, space-separated */
	} commands[] = {
	    {"run lab3 %s",
	     "--solution --runs --threads --timeout --args --tsan-args --no-tsan "
	     "--quiet --json --wrap --fail-fast --no-cost --program --python --detector --sarif"},
	    {"run --exec %s -- prog",
	     "--runs --timeout --no-tsan --quiet --json --wrap --fail-fast --detector --sarif"},
	    {"check %s", "--runs --quiet --json --junit --no-sched --python --sarif"},
	    {"labs %s", "--quiet --detector"},
	    {"doctor %s", "--quick"},
	    {"list %s", ""},
	    {"manifest lab3 %s", ""},
	};
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		for (size_t o = 0; o < sizeof(options) / sizeof(options[0]); o++) {
			char line[128], name[32], padded[40];
			struct cli cli;
			char err[256] = "";
			snprintf(line, sizeof(line), commands[c].line, options[o]);
			sscanf(options[o], "%31s", name);
			snprintf(padded, sizeof(padded), "%s ", name);
			char taken[256];
			snprintf(taken, sizeof(taken), "%s ", commands[c].taken);
			bool want = strstr(taken, padded) != NULL;
			int rc = parse_line(line, &cli, err, sizeof(err));
			CU_ASSERT_EQUAL(rc, want ? 0 : -1);
			if (!want)
				CU_ASSERT_PTR_NOT_NULL(strstr(err, "not an option of"));
			if (rc != (want ? 0 : -1))
				fprintf(stderr, "\n  '%s': rc %d (%s)\n", line, rc, err);
		}
	}
}

/* racelab help COMMAND lists exactly the options the command takes. */
static void test_command_help(void)
{
	char help[1024];
	cli_command_help(CMD_CHECK, help, sizeof(help));
	CU_ASSERT_STRING_EQUAL(
	    help, "usage: racelab check [LAB...] [--runs N] [--quiet] "
	          "[--json FILE] [--junit FILE] [--no-sched] [--python] [--sarif FILE]\n");
	cli_command_help(CMD_LABS, help, sizeof(help));
	CU_ASSERT_STRING_EQUAL(help, "usage: racelab labs [--quiet] "
	                             "[--detector tsan|tsan-gcc|helgrind|drd|all]\n");
	cli_command_help(CMD_LIST, help, sizeof(help));
	CU_ASSERT_STRING_EQUAL(help, "usage: racelab list\n(no options)\n");
	cli_command_help(CMD_RUN, help, sizeof(help));
	CU_ASSERT_PTR_NOT_NULL(strstr(help, "racelab run LAB [--solution[=NAME]] [--runs N]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(help,
	                              "\n       racelab run --exec [--runs N] [--timeout S] "
	                              "[--no-tsan] [--quiet] [--json FILE] [--wrap WORD] "
	                              "[--fail-fast] [--detector tsan|tsan-gcc|helgrind|drd|all] "
	                              "[--sarif FILE] -- PROGRAM [ARGS...]\n"));
	CU_ASSERT_PTR_NULL(strstr(strstr(help, "--exec"), "--threads"));
}

static void test_values_reach_the_options(void)
{
	struct cli cli;
	char err[256] = "";
	CU_ASSERT_EQUAL_FATAL(
	    parse_line("check lab3 --runs 7 --junit j.xml", &cli, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(cli.command, CMD_CHECK);
	CU_ASSERT_EQUAL(cli.runs, 7);
	CU_ASSERT_STRING_EQUAL(cli.junit_path, "j.xml");
	CU_ASSERT_EQUAL_FATAL(cli.n_labs, 1);
	CU_ASSERT_STRING_EQUAL(cli.labs[0], "lab3");
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("cli", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "options each command takes", test_options_table);
	CU_add_test(s, "values reach the options", test_values_reach_the_options);
	CU_add_test(s, "every option against every command", test_every_option_every_command);
	CU_add_test(s, "help COMMAND", test_command_help);
	return CU_get_error();
}
