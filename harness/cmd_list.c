/* cmd_list.c: `racelab list`, the labs this build knows. */
#include <stdio.h>
#include <unistd.h>

#include "commands.h"

int cmd_list(const struct cli *cli)
{
	(void)cli;
	struct catalogue cat;
	if (commands_load_catalogue(&cat))
		return EXIT_ENV;
	printf("%-4s %-26s %-32s %-14s %s\n", "lab", "slug", "topic", "symptom", "solutions");
	for (size_t i = 0; i < cat.n_labs; i++) {
		const struct lab_entry *lab = &cat.labs[i];
		if (!lab->manifest_ok) {
			printf("%-4s %-26s %s\n", "?", lab->dir, lab->manifest_error);
			continue;
		}
		const struct manifest *m = &lab->manifest;
		char program[PATH_MAX + 64];
		catalogue_program(&cat, lab, NULL, false, program, sizeof(program));
		printf("%-4d %-26s %-32.32s %-14s", m->id, m->slug, m->topic,
		       manifest_symptom_text(m->symptoms));
		for (int s = 0; s < m->n_solutions; s++)
			printf("%s%s", s ? ", " : "", m->solutions[s]);
		printf("%s\n", access(program, X_OK) == 0 ? "" : "  (not built)");
	}
	printf("\nTSan compiler: %s\n", cat.tsan_compiler);
	catalogue_free(&cat);
	return EXIT_CLEAN;
}
