/* detector_table.c: the side-by-side table of detectors (see detector_table.h). */
#include <string.h>

#include "detector_table.h"
#include "i18n.h"

/* file name without its directories */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool same_line(const struct tsan_frame *a, const struct tsan_frame *b)
{
	return a->line > 0 && a->line == b->line &&
	       strcmp(base_name(a->file), base_name(b->file)) == 0;
}

/* The source places a finding names: its accesses, its titled stacks, its main place. */
static int places(const struct tsan_finding *f, const struct tsan_frame **out)
{
	int n = 0;
	out[n++] = &f->where;
	out[n++] = &f->access[0].where;
	out[n++] = &f->access[1].where;
	for (int i = 0; i < f->n_stacks && n < TSAN_MAX_STACKS + 3; i++)
		out[n++] = &f->stacks[i].where;
	return n;
}

static bool same_bug(const struct tsan_finding *a, const struct tsan_finding *b)
{
	const struct tsan_frame *pa[TSAN_MAX_STACKS + 3], *pb[TSAN_MAX_STACKS + 3];
	if (a->kind != b->kind)
		return false;
	int na = places(a, pa), nb = places(b, pb);
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
			if (same_line(pa[i], pb[j]))
				return true;
	/* Neither names a line (a crash without symbols): one per kind. */
	return !a->where.line && !b->where.line;
}

static void add_finding(struct detector_table *t, enum detector d, const struct tsan_finding *f)
{
	for (int r = 0; r < t->n_rows; r++) {
		if (same_bug(&t->rows[r].finding, f)) {
			t->rows[r].count[d] += f->count;
			return;
		}
	}
	if (t->n_rows == DETECTOR_TABLE_MAX_ROWS) {
		t->n_dropped++;
		return;
	}
	struct detector_table_row *row = &t->rows[t->n_rows++];
	memset(row, 0, sizeof(*row));
	row->finding = *f;
	row->count[d] = f->count;
}

void detector_table_build(const struct detector_outcome *outs, int n, struct detector_table *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < n; i++) {
		enum detector d = outs[i].detector;
		t->by[d] = &outs[i];
		for (size_t k = 0; k < outs[i].report.n_findings; k++)
			add_finding(t, d, &outs[i].report.findings[k]);
	}
}

static void print_cell(FILE *out, const struct detector_outcome *o, int count)
{
	char cell[32], padded[64];
	if (!o->ran)
		snprintf(cell, sizeof(cell), "%s", _("n/a"));
	else if (!count)
		snprintf(cell, sizeof(cell), "-");
	else if (count == 1)
		snprintf(cell, sizeof(cell), "%s", _("yes"));
	else
		snprintf(cell, sizeof(cell), "x%d", count);
	fprintf(out, " %s", i18n_cell(padded, sizeof(padded), cell, 9, false));
}

static void print_header(FILE *out, const struct detector_table *t)
{
	char head[160];
	fprintf(out, "%s", i18n_cell(head, sizeof(head), _("finding"), 48, false));
	for (int d = 0; d < DETECTOR_COUNT; d++)
		if (t->by[d])
			fprintf(out, " %-9s", detector_name(d));
	fprintf(out, "\n");
}

void detector_table_print(FILE *out, const struct detector_table *t)
{
	print_header(out, t);
	for (int r = 0; r < t->n_rows; r++) {
		const struct tsan_finding *f = &t->rows[r].finding;
		char title[96], label[160], cell[256];
		tsan_finding_title(f, title, sizeof(title));
		if (f->where.line)
			snprintf(label, sizeof(label), "%s  %s:%d", title, base_name(f->where.file),
			         f->where.line);
		else
			snprintf(label, sizeof(label), "%s", title);
		fprintf(out, "%s", i18n_cell(cell, sizeof(cell), label, 48, true));
		for (int d = 0; d < DETECTOR_COUNT; d++)
			if (t->by[d])
				print_cell(out, t->by[d], t->rows[r].count[d]);
		fprintf(out, "\n");
	}
	char text[160];
	if (!t->n_rows)
		fprintf(out, "%s\n",
		        i18n_cell(text, sizeof(text), _("(nothing found)"), 48, false));
	if (t->n_dropped)
		fprintf(out, _("(%d more findings not shown)\n"), t->n_dropped);
	fprintf(out, "%s", i18n_cell(text, sizeof(text), _("time"), 48, false));
	for (int d = 0; d < DETECTOR_COUNT; d++) {
		if (!t->by[d])
			continue;
		char cell[32], padded[64];
		if (t->by[d]->ran)
			snprintf(cell, sizeof(cell), _("%.2fs"), t->by[d]->wall_s);
		else
			snprintf(cell, sizeof(cell), "%s", _("n/a"));
		fprintf(out, " %s", i18n_cell(padded, sizeof(padded), cell, 9, false));
	}
	fprintf(out, "\n");
	for (int d = 0; d < DETECTOR_COUNT; d++) {
		const struct detector_outcome *o = t->by[d];
		if (o && !o->ran)
			fprintf(out, _("  %s: could not run: %s\n"), detector_name(d), o->error);
		else if (o && o->not_clean[0])
			fprintf(out, "  %s: %s\n", detector_name(d), o->not_clean);
	}
}
