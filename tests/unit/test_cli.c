/* test_cli.c: racelab's command line: each command takes its own options and refuses the
 * others (a refused option is a usage error, never silently ignored). */
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
	return CU_get_error();
}
