/* commands.h: racelab's commands. Each returns an enum racelab_exit status and prints its
 * own errors as "racelab: <what>: <why>". */
#ifndef RACELAB_COMMANDS_H
#define RACELAB_COMMANDS_H

#include "catalogue.h"
#include "cli.h"

int cmd_list(const struct cli *cli);
int cmd_run_lab(const struct cli *cli);
int cmd_run_exec(const struct cli *cli);
int cmd_check(const struct cli *cli);
int cmd_labs(const struct cli *cli);

/* Loads the catalogue beside the racelab binary (or $RACELAB_CATALOGUE). Prints why not
 * and returns -1 when it cannot. */
int commands_load_catalogue(struct catalogue *cat);

/* The lab named name, or NULL after printing "racelab: NAME: no such lab ...". */
const struct lab_entry *commands_find_lab(const struct catalogue *cat, const char *name);

#endif
