/* cli.c: parses racelab's command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "detector.h"
#include "i18n.h"

const char cli_usage[] =
    N_("usage: racelab list\n"
       "       racelab run LAB [--solution[=NAME]] [--runs N] [--threads T] [--timeout S]\n"
       "                       [--args \"ARGS\"] [--tsan-args \"ARGS\"] [--no-tsan]\n"
       "                       [--json FILE] [--quiet] [--wrap WORD]... [--fail-fast] [--no-cost]\n"
       "                       [--program PATH] [--python]\n"
       "       racelab run --exec [--runs N] [--timeout S] [--json FILE] -- PROGRAM [ARGS...]\n"
       "       racelab check [LAB...] [--runs N] [--json FILE] [--junit FILE] [--quiet]\n"
       "                     [--no-sched] [--python]\n"
       "       racelab explore LAB [--solution[=NAME]] [--strategy random|pct|exhaustive]\n"
       "                       [--depth D] [--preemptions K] [--budget N] [--seed S]\n"
       "                       [--args \"ARGS\"] [--json FILE]\n"
       "       racelab replay LAB SCHEDULE [--solution=NAME] [--json FILE] [--hash]\n"
       "       racelab step LAB [--solution=NAME]\n"
       "       racelab labs [--quiet]\n"
       "       racelab manifest LAB [KEY]\n"
       "       racelab help COMMAND\n"
       "       racelab run ... [--detector tsan|tsan-gcc|helgrind|drd|all] [--sarif FILE]\n"
       "       racelab check ... [--sarif FILE]\n"
       "       racelab labs --detector all\n"
       "       racelab doctor [--quick]\n"
       "       racelab --help | --version\n"
       "\n"
       "LAB is lab3, 3, lab03 or the lab's slug (lost-update). `run` builds nothing: use\n"
       "`make lab3`, which builds and then runs `racelab run lab3`.\n"
       "\n"
       "run      runs the lab's plain build N times and shows how the result varies, runs\n"
       "         its ThreadSanitizer build and explains each finding, compares the cost of\n"
       "         the solutions, and says whether the bug showed.\n"
       "         --solution[=NAME]  run a solution (all of them without NAME)\n"
       "         --args, --tsan-args  arguments instead of the manifest's (e.g. grading)\n"
       "         --exec -- PROGRAM  run any program; a TSan build also gets its findings\n"
       "         --wrap WORD  start each run as WORD... PROGRAM ARGS, one word per --wrap\n"
       "                    (WORD 1 a path): a box around the program (scripts/sandbox)\n"
       "         --fail-fast  stop at the first run that hangs or is killed by a limit;\n"
       "                    no TSan run then (grading: a hostile program costs one timeout)\n"
       "         --no-cost  no cost table (grading reads none: its runs are saved)\n"
       "         --program PATH  judge PATH (and PATH-tsan) as the lab's program: another\n"
       "                    build of the lab, e.g. a variant kept beside it\n"
       "         --python   run the lab's Python twin (labs/DIR/python/) instead; no TSan\n"
       "check    exit 0 only if every lab still shows its declared symptom and every\n"
       "         solution is correct in every run and TSan-clean; prints a table\n"
       "         --python   check the labs' Python twins and their solutions instead\n"
       "explore  runs the lab's -sched build (threads one at a time) under seeded\n"
       "         schedules until one shows the bug; prints its id and the interleaving\n"
       "replay   the same schedule again, exactly; step: you choose who runs\n"
       "         (check: each solution, every schedule with <= 2 preemptions;\n"
       "         --no-sched leaves that out)\n"
       "labs     one table of every lab for your current code: how often the bug\n"
       "         showed, what TSan found, the verdict\n"
       "list     the labs this build knows\n"
       "doctor   what this machine gives racelab (compilers with TSan, symbolizer, ASLR,\n"
       "         gdb, valgrind, CPUs, sandbox) and what to do about each gap; exit 1 when\n"
       "         something make labN needs is missing (--quick: only those)\n"
       "--detector  which race detector reads the program: tsan (clang's, the default),\n"
       "         tsan-gcc (gcc's build), helgrind, drd (valgrind), or all of them, with one\n"
       "         table of which saw each finding and the time each took\n"
       "--sarif FILE  the findings as SARIF 2.1.0 (GitHub/GitLab code scanning)\n"
       "\n"
       "A command refuses options it does not take; `racelab help COMMAND` lists those it\n"
       "takes. `racelab manifest LAB [KEY]` prints the lab's manifest as racelab reads it.\n"
       "\n"
       "exit status: 0 no bug seen and TSan clean (check: all held); 1 bug shown or\n"
       "solution broken (check: something did not hold); 2 usage error; 3 cannot run\n"
       "(not built, build older than its sources, program missing); 4 no bug seen but\n"
       "TSan could not run; 5 inconclusive: the machine was too busy to judge (other\n"
       "programs took the CPUs). `make labN` exits 0 when racelab does, otherwise 2 (make's\n"
       "only failure status): after the compiler's errors when the build failed, else\n"
       "with racelab's status in make's last line (\"Error 1\": the bug showed).\n"
       "Colour only on a terminal and never when NO_COLOR is set.\n"
       "--lang ru|en (any command; or RACELAB_LANG): the language of what racelab prints;\n"
       "by default the locale's (LANG); JSON stays English.\n");

/* The options, one bit each, so each command can say which it takes. */
enum cli_option {
	OPT_SOLUTION = 1 << 0,
	OPT_RUNS = 1 << 1,
	OPT_THREADS = 1 << 2,
	OPT_TIMEOUT = 1 << 3,
	OPT_ARGS = 1 << 4,
	OPT_TSAN_ARGS = 1 << 5,
	OPT_NO_TSAN = 1 << 6,
	OPT_QUIET = 1 << 7,
	OPT_JSON = 1 << 8,
	OPT_JUNIT = 1 << 9,
	OPT_EXEC = 1 << 10,
	OPT_WRAP = 1 << 11,
	OPT_FAIL_FAST = 1 << 12,
	OPT_NO_COST = 1 << 13,
	OPT_PROGRAM = 1 << 14,
	OPT_NO_SCHED = 1 << 15,
	OPT_PYTHON = 1 << 16,
	OPT_DETECTOR = 1 << 17,
	OPT_SARIF = 1 << 18,
	OPT_QUICK = 1 << 19,
};

static const struct {
	unsigned bit;
	const char *name;
	const char *usage; /* as `racelab help COMMAND` shows it */
} option_names[] = {
    {OPT_SOLUTION, "--solution", "--solution[=NAME]"},
    {OPT_RUNS, "--runs", "--runs N"},
    {OPT_THREADS, "--threads", "--threads T"},
    {OPT_TIMEOUT, "--timeout", "--timeout S"},
    {OPT_ARGS, "--args", "--args \"ARGS\""},
    {OPT_TSAN_ARGS, "--tsan-args", "--tsan-args \"ARGS\""},
    {OPT_NO_TSAN, "--no-tsan", "--no-tsan"},
    {OPT_QUIET, "--quiet", "--quiet"},
    {OPT_JSON, "--json", "--json FILE"},
    {OPT_JUNIT, "--junit", "--junit FILE"},
    {OPT_EXEC, "--exec", "--exec"},
    {OPT_WRAP, "--wrap", "--wrap WORD"},
    {OPT_FAIL_FAST, "--fail-fast", "--fail-fast"},
    {OPT_NO_COST, "--no-cost", "--no-cost"},
    {OPT_PROGRAM, "--program", "--program PATH"},
    {OPT_NO_SCHED, "--no-sched", "--no-sched"},
    {OPT_PYTHON, "--python", "--python"},
    {OPT_DETECTOR, "--detector", "--detector tsan|tsan-gcc|helgrind|drd|all"},
    {OPT_SARIF, "--sarif", "--sarif FILE"},
    {OPT_QUICK, "--quick", "--quick"},
};
#define N_OPTIONS (sizeof(option_names) / sizeof(option_names[0]))

/* The options each command honours; any other is refused, never silently ignored. */
static unsigned command_options(enum cli_command command, bool exec, bool python)
{
	switch (command) {
	case CMD_RUN:
		if (exec)
			return OPT_EXEC | OPT_RUNS | OPT_TIMEOUT | OPT_NO_TSAN | OPT_QUIET |
			       OPT_JSON | OPT_WRAP | OPT_FAIL_FAST | OPT_DETECTOR | OPT_SARIF;
		if (python) /* a twin has no TSan run to give arguments to */
			return OPT_SOLUTION | OPT_RUNS | OPT_THREADS | OPT_TIMEOUT | OPT_ARGS |
			       OPT_NO_TSAN | OPT_QUIET | OPT_JSON | OPT_WRAP | OPT_FAIL_FAST |
			       OPT_NO_COST | OPT_PYTHON;
		return OPT_SOLUTION | OPT_RUNS | OPT_THREADS | OPT_TIMEOUT | OPT_ARGS |
		       OPT_TSAN_ARGS | OPT_NO_TSAN | OPT_QUIET | OPT_JSON | OPT_WRAP |
		       OPT_FAIL_FAST | OPT_NO_COST | OPT_PROGRAM | OPT_PYTHON | OPT_DETECTOR |
		       OPT_SARIF;
	case CMD_CHECK:
		return OPT_RUNS | OPT_JSON | OPT_JUNIT | OPT_QUIET | OPT_NO_SCHED | OPT_PYTHON |
		       OPT_SARIF;
	case CMD_LABS:
		return OPT_QUIET | OPT_DETECTOR;
	case CMD_DOCTOR:
		return OPT_QUICK;
	default:
		return 0;
	}
}

static unsigned options_taken(const struct cli *c)
{
	return command_options(c->command, c->exec, c->python);
}

static int fail(char *err, size_t cap, const char *what, const char *why)
{
	snprintf(err, cap, "%s: %s", what, why);
	return -1;
}

static int parse_int(const char *text, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (end == text || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_seconds(const char *text, double *out)
{
	char *end;
	double v = strtod(text, &end);
	if (end == text || *end || !(v > 0) || v > 3600)
		return -1;
	*out = v;
	return 0;
}

/* The value of "--name=V" or "--name V" (advancing *i); NULL when absent. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static bool is_option(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* Applies one option at argv[*i], adding its bit to *given. Returns 0, or -1 with err set. */
static int parse_option(int argc, char **argv, int *i, struct cli *out, unsigned *given, char *err,
                        size_t cap)
{
	const char *arg = argv[*i], *v;
	if (strcmp(arg, "--solution") == 0)
		return *given |= OPT_SOLUTION, out->all_solutions = true, 0;
	if (strcmp(arg, "--no-tsan") == 0)
		return *given |= OPT_NO_TSAN, out->no_tsan = true, 0;
	if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0)
		return *given |= OPT_QUIET, out->quiet = true, 0;
	if (strcmp(arg, "--exec") == 0)
		return *given |= OPT_EXEC, out->exec = true, 0;
	if (strcmp(arg, "--fail-fast") == 0)
		return *given |= OPT_FAIL_FAST, out->fail_fast = true, 0;
	if (strcmp(arg, "--no-cost") == 0)
		return *given |= OPT_NO_COST, out->no_cost = true, 0;
	if (strcmp(arg, "--no-sched") == 0)
		return *given |= OPT_NO_SCHED, out->no_sched = true, 0;
	if (strcmp(arg, "--python") == 0)
		return *given |= OPT_PYTHON, out->python = true, 0;
	if (strcmp(arg, "--quick") == 0)
		return *given |= OPT_QUICK, out->quick = true, 0;
	if (strncmp(arg, "--solution=", 11) == 0)
		return *given |= OPT_SOLUTION, out->solution = arg + 11,
		                               *out->solution ? 0 : fail(err, cap, arg, "no name");
	bool takes_value = is_option(arg, "--runs") || is_option(arg, "--threads") ||
	                   is_option(arg, "--timeout") || is_option(arg, "--json") ||
	                   is_option(arg, "--junit") || is_option(arg, "--args") ||
	                   is_option(arg, "--tsan-args") || is_option(arg, "--wrap") ||
	                   is_option(arg, "--program") || is_option(arg, "--detector") ||
	                   is_option(arg, "--sarif");
	if (!takes_value)
		return fail(err, cap, arg, "unknown option (see racelab --help)");
	if ((v = option_value(argc, argv, i, "--runs")))
		return *given |= OPT_RUNS,
		       parse_int(v, 1, 100000, &out->runs)
		           ? fail(err, cap, "--runs", "expected a number of runs from 1 to 100000")
		           : 0;
	if ((v = option_value(argc, argv, i, "--threads")))
		return *given |= OPT_THREADS,
		       parse_int(v, 1, 1024, &out->threads)
		           ? fail(err, cap, "--threads",
		                  "expected a number of threads from 1 to 1024")
		           : 0;
	if ((v = option_value(argc, argv, i, "--timeout")))
		return *given |= OPT_TIMEOUT,
		       parse_seconds(v, &out->timeout_s)
		           ? fail(err, cap, "--timeout",
		                  "expected seconds, more than 0 and at most 3600")
		           : 0;
	if ((v = option_value(argc, argv, i, "--json")))
		return *given |= OPT_JSON, out->json_path = v, 0;
	if ((v = option_value(argc, argv, i, "--junit")))
		return *given |= OPT_JUNIT, out->junit_path = v, 0;
	if ((v = option_value(argc, argv, i, "--tsan-args")))
		return *given |= OPT_TSAN_ARGS, out->tsan_args = v, 0;
	if ((v = option_value(argc, argv, i, "--program")))
		return *given |= OPT_PROGRAM, out->program = v, 0;
	if ((v = option_value(argc, argv, i, "--args")))
		return *given |= OPT_ARGS, out->args = v, 0;
	if ((v = option_value(argc, argv, i, "--detector")))
		return *given |= OPT_DETECTOR,
		       detector_parse(v, &out->detectors)
		           ? fail(err, cap, "--detector",
		                  "expected tsan, tsan-gcc, helgrind, drd or all")
		           : 0;
	if ((v = option_value(argc, argv, i, "--sarif")))
		return *given |= OPT_SARIF, out->sarif_path = v, 0;
	if ((v = option_value(argc, argv, i, "--wrap"))) {
		if (out->n_wrap == CLI_MAX_WRAP)
			return fail(err, cap, "--wrap", "too many words");
		if (out->n_wrap == 0 && !strchr(v, '/'))
			return fail(err, cap, "--wrap",
			            "the first word must be a path (with a '/')");
		return *given |= OPT_WRAP, out->wrap[out->n_wrap++] = (char *)v, 0;
	}
	return fail(err, cap, arg, "needs a value");
}

static int parse_command(const char *word, struct cli *out, char *err, size_t cap)
{
	if (strcmp(word, "list") == 0)
		out->command = CMD_LIST;
	else if (strcmp(word, "run") == 0)
		out->command = CMD_RUN;
	else if (strcmp(word, "check") == 0)
		out->command = CMD_CHECK;
	else if (strcmp(word, "labs") == 0)
		out->command = CMD_LABS;
	else if (strcmp(word, "manifest") == 0)
		out->command = CMD_MANIFEST;
	else if (strcmp(word, "doctor") == 0)
		out->command = CMD_DOCTOR;
	else if (strcmp(word, "help") == 0 || strcmp(word, "--help") == 0 ||
	         strcmp(word, "-h") == 0)
		out->command = CMD_HELP;
	else if (strcmp(word, "--version") == 0 || strcmp(word, "version") == 0)
		out->command = CMD_VERSION;
	else
		return fail(err, cap, word, "unknown command (try racelab --help)");
	return 0;
}

/* `racelab help COMMAND`: COMMAND is the one word after help, a command with options. */
static int help_topic(const char *word, struct cli *out, char *err, size_t cap)
{
	struct cli topic = {0};
	if (out->n_labs)
		return fail(err, cap, "help", "takes one command");
	if (parse_command(word, &topic, err, cap))
		return -1;
	if (topic.command == CMD_HELP || topic.command == CMD_VERSION)
		return fail(err, cap, word, "no help of its own (try racelab --help)");
	out->help_for = topic.command;
	out->labs[out->n_labs++] = word;
	return 0;
}

static const char *command_name(const struct cli *c)
{
	static const char *names[] = {
	    [CMD_LIST] = "list", [CMD_RUN] = "run",           [CMD_CHECK] = "check",
	    [CMD_LABS] = "labs", [CMD_MANIFEST] = "manifest", [CMD_DOCTOR] = "doctor"};
	if (c->command == CMD_RUN && c->python && !c->exec)
		return "run --python";
	return c->command == CMD_RUN && c->exec ? "run --exec" : names[c->command];
}

/* Refuses the first option given that the command does not take. */
static int check_options(const struct cli *out, unsigned given, char *err, size_t cap)
{
	unsigned refused = given & ~options_taken(out);
	for (size_t k = 0; refused && k < sizeof(option_names) / sizeof(option_names[0]); k++) {
		if (!(refused & option_names[k].bit))
			continue;
		snprintf(err, cap, "%s: not an option of %s (see racelab --help)",
		         option_names[k].name, command_name(out));
		return -1;
	}
	return 0;
}

static int check_shape(const struct cli *out, char *err, size_t cap)
{
	if (out->command == CMD_RUN && out->exec && !out->exec_argv)
		return fail(err, cap, "run --exec", "needs -- PROGRAM [ARGS...]");
	if (out->command == CMD_RUN && out->exec && out->n_labs)
		return fail(err, cap, "run --exec", "takes a program after --, not a lab");
	if (out->command == CMD_RUN && !out->exec && out->n_labs != 1)
		return fail(err, cap, "run",
		            out->n_labs ? "takes one lab" : "which lab? (racelab list)");
	if ((out->command == CMD_LIST || out->command == CMD_LABS) && out->n_labs)
		return fail(err, cap, out->command == CMD_LIST ? "list" : "labs",
		            "takes no arguments");
	if (out->command == CMD_MANIFEST && (out->n_labs < 1 || out->n_labs > 2))
		return fail(err, cap, "manifest", "takes LAB and an optional KEY");
	if (out->command == CMD_DOCTOR && out->n_labs)
		return fail(err, cap, "doctor", "takes no arguments");
	if (out->solution && out->all_solutions)
		return fail(err, cap, "--solution", "given twice");
	if (out->program && (out->solution || out->all_solutions))
		return fail(err, cap, "--program", "replaces the lab's program, not a solution's");
	return 0;
}

int cli_parse(int argc, char **argv, struct cli *out, char *err, size_t err_cap)
{
	unsigned given = 0;
	memset(out, 0, sizeof(*out));
	if (argc < 2)
		return fail(err, err_cap, "racelab", "no command (try racelab --help)");
	if (parse_command(argv[1], out, err, err_cap))
		return -1;
	for (int i = 2; i < argc; i++) {
		if (out->command == CMD_HELP && argv[i][0] != '-') {
			if (help_topic(argv[i], out, err, err_cap))
				return -1;
			continue;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			out->command = CMD_HELP;
			return 0;
		}
		if (strcmp(argv[i], "--") == 0) {
			out->exec_argv = i + 1 < argc ? argv + i + 1 : NULL;
			break;
		}
		if (argv[i][0] == '-') {
			if (parse_option(argc, argv, &i, out, &given, err, err_cap))
				return -1;
			continue;
		}
		if (out->n_labs == CLI_MAX_LABS)
			return fail(err, err_cap, argv[i], "too many labs");
		out->labs[out->n_labs++] = argv[i];
	}
	return check_shape(out, err, err_cap) ? -1 : check_options(out, given, err, err_cap);
}

/* Appends the usage of each option in bits to out. */
static size_t add_options(char *out, size_t cap, size_t len, unsigned bits)
{
	for (size_t k = 0; k < N_OPTIONS && len < cap; k++)
		if (bits & option_names[k].bit && option_names[k].bit != OPT_EXEC)
			len +=
			    (size_t)snprintf(out + len, cap - len, " [%s]", option_names[k].usage);
	return len;
}

void cli_command_help(enum cli_command command, char *out, size_t cap)
{
	static const char *const shapes[] = {
	    [CMD_LIST] = "racelab list",
	    [CMD_RUN] = "racelab run LAB",
	    [CMD_CHECK] = "racelab check [LAB...]",
	    [CMD_LABS] = "racelab labs",
	    [CMD_MANIFEST] = "racelab manifest LAB|PATH/lab.manifest [KEY]",
	};
	size_t len = 0;
	out[0] = '\0';
	if (command >= sizeof(shapes) / sizeof(shapes[0]) || !shapes[command])
		return;
	len += (size_t)snprintf(out, cap, "usage: %s", shapes[command]);
	len = add_options(out, cap, len, command_options(command, false, false));
	if (command == CMD_RUN && len < cap) {
		len += (size_t)snprintf(out + len, cap - len, "\n       racelab run --exec");
		len = add_options(out, cap, len, command_options(command, true, false));
		if (len < cap)
			len += (size_t)snprintf(out + len, cap - len, " -- PROGRAM [ARGS...]");
	}
	if (len < cap && !command_options(command, false, false))
		len += (size_t)snprintf(out + len, cap - len, "\n(no options)");
	if (len < cap)
		snprintf(out + len, cap - len, "\n");
}
