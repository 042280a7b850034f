/* cmd_doctor.c: `racelab doctor`, one table of what this machine gives and what to do about
 * each gap; exit 0 when the student's path (make labN) works, 1 when it does not. */
#include <stdio.h>

#include "commands.h"
#include "doctor.h"
#include "i18n.h"

static void print_row(const struct doctor_row *r)
{
	char item[160], status[64];
	printf("%s %s %s%s\n", i18n_cell(item, sizeof(item), r->item, 25, false),
	       i18n_cell(status, sizeof(status), doctor_status_name(r->status), 8, false), r->have,
	       r->needed && r->status == DOCTOR_MISSING ? _("  (make labN needs it)") : "");
	if (r->todo[0])
		printf("%-25s %-8s -> %s\n", "", "", r->todo);
}

int cmd_doctor(const struct cli *cli)
{
	struct doctor_facts facts;
	struct doctor_row rows[DOCTOR_MAX_ROWS];
	doctor_probe(&facts, cli->quick);
	int n = doctor_assess(&facts, rows);
	char what[160], status[64];
	printf("%s %s %s\n", i18n_cell(what, sizeof(what), _("what"), 25, false),
	       i18n_cell(status, sizeof(status), _("status"), 8, false), _("this machine"));
	for (int i = 0; i < n; i++)
		print_row(&rows[i]);
	if (doctor_student_path_works(rows, n)) {
		printf("%s",
		       _("\nThe student's path works: make labN can build, run and explain the "
		         "labs.\n"));
		return EXIT_CLEAN;
	}
	printf("%s", _("\nSomething make labN needs is missing: see the rows marked (make labN "
	               "needs it).\nscripts/configure installs them when run as root.\n"));
	return EXIT_BUG;
}
