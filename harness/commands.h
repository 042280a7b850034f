/* commands.h: racelab's commands. Each returns an enum racelab_exit status and prints its
 * own errors as "racelab: <what>: <why>". */
#ifndef RACELAB_COMMANDS_H
#define RACELAB_COMMANDS_H

#include "catalogue.h"
#include "detector_run.h"
#include "cli.h"
#include "experiment.h"

int cmd_list(const struct cli *cli);
int cmd_run_lab(const struct cli *cli);
int cmd_run_exec(const struct cli *cli);
int cmd_check(const struct cli *cli);
int cmd_labs(const struct cli *cli);
int cmd_manifest(const struct cli *cli);
/* explore, replay, step (cmd_explore.c): argv[1] is the command; parse their own options. */
int cmd_sched(int argc, char **argv);
bool cmd_sched_is_command(const char *word);
int cmd_sched_help(const char *command); /* prints its usage; EXIT_CLEAN */
int cmd_doctor(const struct cli *cli);   /* cmd_doctor.c: 0 the student's path works, else 1 */

/* Loads the catalogue beside the racelab binary (or $RACELAB_CATALOGUE). Prints why not
 * and returns -1 when it cannot. */
int commands_load_catalogue(struct catalogue *cat);

/* The lab named name, or NULL after printing "racelab: NAME: no such lab ...". */
const struct lab_entry *commands_find_lab(const struct catalogue *cat, const char *name);

/* False, after printing "racelab: lab3: the build is older than labs/03-lost-update/
 * lost_update.c: run make lab3", when the lab's (solution NULL) or a solution's program is
 * older than one of its sources (freshness.h); its TSan flavour too when tsan. */
bool commands_build_is_fresh(const struct catalogue *cat, const struct lab_entry *lab,
                             const char *solution, bool tsan);

/* What this run's TSan found, for a table: "data-race", "data-race x2, thread-leak",
 * "clean", "clean (blind to it)" for a lab whose bug TSan cannot see, or "did not run". */
void commands_tsan_found(const struct experiment *ex, char *out, size_t cap);

/* Writes the JSON report of exs[0..n) to path (every one of them). Returns 0, or -1 after
 * printing why not. */
/* Can the report files named be written (a writable file, or a new file in a writable
 * directory)? Says which cannot, and why, before anything runs. "-" (stdout) always can. */
/* RACELAB_MAX_RUNS from the environment: a cap on every series' runs, for smoke tests of
 * the commands the texts show (tests/integration/doc_commands.sh); 0 when unset or bad. */
int commands_max_runs(void);

bool commands_outputs_writable(const char *json_path, const char *junit_path);

int commands_write_json(const char *path, const struct experiment *exs, int n);

/* The runs of one experiment's program under each detector of --detector. */
struct detector_set {
	struct detector_outcome outs[DETECTOR_COUNT];
	int n;
};

/* --detector (cmd_detectors.c): runs ex's program (the lab's builds, or --exec's program)
 * under each detector of cli->detectors, ex's own TSan run standing for "tsan", and prints
 * the side-by-side table. Fills *set (free with commands_detector_set_free). Returns
 * EXIT_BUG when a detector found something, else EXIT_CLEAN. */
int commands_run_detectors(const struct cli *cli, const struct experiment *ex,
                           struct detector_set *set);
void commands_detector_set_free(struct detector_set *set);

/* `labs --detector`: every lab's build under each detector of cli->detectors on the lab's
 * TSan arguments, one row per lab: the kinds each found and the time it took. */
int commands_labs_detectors(const struct cli *cli, const struct catalogue *cat);

/* --sarif: writes the findings of exs[0..n) as SARIF 2.1.0 to path: each experiment's
 * detector runs when sets (may be NULL) has them, else its own TSan run. Returns 0, or -1
 * after printing why not. */
int commands_write_sarif(const char *path, const struct experiment *exs, int n,
                         const struct detector_set *sets);

#endif
