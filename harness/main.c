/* main.c: racelab's entry point; decides the exit status. Commands live in cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

int main(int argc, char **argv)
{
	struct cli cli;
	char err[512];
	if (cli_parse(argc, argv, &cli, err, sizeof(err))) {
		fprintf(stderr, "racelab: %s\n", err);
		return EXIT_USAGE;
	}
	switch (cli.command) {
	case CMD_HELP:
		fputs(cli_usage, stdout);
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
	case CMD_DOCTOR:
		return cmd_doctor(&cli);
	}
	return EXIT_USAGE;
}
