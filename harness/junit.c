/* junit.c: JUnit XML for `racelab check`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "file_util.h"
#include "junit.h"
#include "verdict.h"

static void put_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				fputc(*s, out);
		}
	}
}

static double seconds(const struct experiment *ex)
{
	double total = ex->tsan.run.wall_s;
	for (size_t i = 0; i < ex->plain.n_runs; i++)
		total += ex->plain.runs[i].wall_s;
	return total;
}

static void testcase(FILE *out, const struct experiment *ex)
{
	const struct manifest *m = &ex->lab->manifest;
	fprintf(
	    out,
	    "    <testcase classname=\"racelab.lab%02d\" name=\"lab%02d.%s%s%s\" time=\"%.3f\">\n",
	    m->id, m->id, ex->python ? "python." : "", ex->solution ? "solution." : "shows-bug",
	    ex->solution ? ex->solution : "", seconds(ex));
	if (verdict_check_inconclusive(ex)) {
		/* Not judged: a CI's test view shows it skipped, not failed (busy.h). */
		fputs("      <skipped message=\"inconclusive: the machine is too busy: ", out);
		put_escaped(out, ex->evidence);
		fputs("\"/>\n", out);
	} else if (!verdict_check_holds(ex)) {
		fputs("      <failure message=\"", out);
		put_escaped(out, ex->evidence);
		fputs("\"/>\n", out);
	}
	fputs("      <system-out>", out);
	put_escaped(out, ex->evidence);
	fputs("</system-out>\n    </testcase>\n", out);
}

int junit_write_check(const char *path, const struct experiment *exs, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		return -1;
	int failures = 0, skipped = 0;
	double total = 0;
	for (int i = 0; i < n; i++) {
		skipped += verdict_check_inconclusive(&exs[i]);
		failures += !verdict_check_holds(&exs[i]) && !verdict_check_inconclusive(&exs[i]);
		total += seconds(&exs[i]);
	}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	fprintf(out,
	        "  <testsuite name=\"racelab check\" tests=\"%d\" failures=\"%d\" "
	        "skipped=\"%d\" time=\"%.3f\">\n",
	        n, failures, skipped, total);
	for (int i = 0; i < n; i++)
		testcase(out, &exs[i]);
	fprintf(out, "  </testsuite>\n</testsuites>\n");
	if (fclose(out) != 0) {
		free(buf);
		return -1;
	}
	int rc = file_write_atomic(path, buf, len);
	int saved = errno;
	free(buf);
	errno = saved;
	return rc;
}
