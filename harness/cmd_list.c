/* cmd_list.c: `racelab list`, the labs this build knows. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "i18n.h"
#include "python_twin.h"

/* The widest slug and symptom text of the labs, so that no column runs into the next. */
static void column_widths(const struct catalogue *cat, int *slug_w, int *symptom_w)
{
	*slug_w = 4;
	*symptom_w = 7;
	for (size_t i = 0; i < cat->n_labs; i++) {
		const struct lab_entry *lab = &cat->labs[i];
		if (!lab->manifest_ok)
			continue;
		int slug = (int)strlen(lab->manifest.slug);
		int symptom = (int)strlen(manifest_symptom_text(lab->manifest.symptoms));
		*slug_w = slug > *slug_w ? slug : *slug_w;
		*symptom_w = symptom > *symptom_w ? symptom : *symptom_w;
	}
}

int cmd_list(const struct cli *cli)
{
	(void)cli;
	struct catalogue cat;
	int slug_w, symptom_w;
	if (commands_load_catalogue(&cat))
		return EXIT_ENV;
	column_widths(&cat, &slug_w, &symptom_w);
	/* one row per lab, its topic in full on the line below: topics are long */
	printf("%-4s %-*s  %-*s  %s\n", "lab", slug_w, "slug", symptom_w, "symptom", "solutions");
	for (size_t i = 0; i < cat.n_labs; i++) {
		const struct lab_entry *lab = &cat.labs[i];
		if (!lab->manifest_ok) {
			printf("%-4s %-*s  %s\n", "?", slug_w, lab->dir, lab->manifest_error);
			continue;
		}
		const struct manifest *m = &lab->manifest;
		char program[PATH_MAX + 64];
		catalogue_program(&cat, lab, NULL, false, program, sizeof(program));
		printf("%-4d %-*s  %-*s  ", m->id, slug_w, m->slug, symptom_w,
		       manifest_symptom_text(m->symptoms));
		for (int s = 0; s < m->n_solutions; s++)
			printf("%s%s", s ? ", " : "", m->solutions[s]);
		printf("%s\n", access(program, X_OK) == 0 ? "" : "  (not built)");
		printf("     %s\n", m->topic);
		char twin[MANIFEST_MAX_SOLUTIONS * 34];
		if (python_twin_solutions_text(m, twin, sizeof(twin)))
			printf(_("     Python twin: %s; its solutions: %s\n"), m->python.program,
			       twin[0] ? twin : _("none"));
	}
	printf("\nTSan compiler: %s\n", cat.tsan_compiler);
	catalogue_free(&cat);
	return EXIT_CLEAN;
}
