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
	if (cli_parse(argc, argv, &cli, err, sizeof(err))) {
		fprintf(stderr, "racelab: %s\n", err);
		return EXIT_USAGE;
	}
	switch (cli.command) {
	case CMD_HELP:
		fputs(_(cli_usage), stdout);
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
	}
	return EXIT_USAGE;
}
