/* main.c: racelab's entry point; decides the exit status. Commands live in cmd_*.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "i18n.h"

static const char *env_lookup(const char *name)
{
	return getenv(name);
}

/* --lang, RACELAB_LANG or the locale: the language of everything printed after this. */
static int choose_language(int *argc, char **argv)
{
	const char *option;
	enum i18n_lang lang;
	char err[256];
	if ((*argc = i18n_strip_option(*argc, argv, &option)) < 0) {
		fprintf(stderr, "racelab: --lang: needs a value (ru or en)\n");
		return -1;
	}
	if (i18n_pick(option, env_lookup, &lang, err, sizeof(err))) {
		fprintf(stderr, "racelab: %s\n", err);
		return -1;
	}
	if (i18n_use(lang, err, sizeof(err)))
		fprintf(stderr, "racelab: %s\n", err);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	char err[512];
	if (choose_language(&argc, argv))
		return EXIT_USAGE;
	if (argc > 1 && cmd_sched_is_command(argv[1]))
		return cmd_sched(argc, argv);
	if (argc == 3 && strcmp(argv[1], "help") == 0 && cmd_sched_is_command(argv[2]))
		return cmd_sched_help(argv[2]);
	if (cli_parse(argc, argv, &cli, err, sizeof(err))) {
		fprintf(stderr, "racelab: %s\n", err);
		return EXIT_USAGE;
	}
	/* A report that cannot be written is refused now, not after the whole run. */
	if (!commands_outputs_writable(cli.json_path, cli.junit_path))
		return EXIT_ENV;
	switch (cli.command) {
	case CMD_HELP:
		if (cli.n_labs) {
			char help[1024];
			cli_command_help(cli.help_for, help, sizeof(help));
			fputs(help, stdout);
		} else {
			fputs(_(cli_usage), stdout);
		}
		return EXIT_CLEAN;
	case CMD_VERSION:
		printf("racelab %s\n", RACELAB_VERSION);
		return EXIT_CLEAN;
	case CMD_LIST:
		return cmd_list(&cli);
	case CMD_RUN:
		return cli.exec ? cmd_run_exec(&cli) : cmd_run_lab(&cli);
	case CMD_CHECK:
		return cmd_check(&cli);
	case CMD_LABS:
		return cmd_labs(&cli);
	case CMD_MANIFEST:
		return cmd_manifest(&cli);
	case CMD_DOCTOR:
		return cmd_doctor(&cli);
	}
	return EXIT_USAGE;
}
