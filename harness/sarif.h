/* sarif.h: findings as SARIF 2.1.0, the format GitHub and GitLab code scanning read.
 *
 * One run whose tool is racelab; one rule per finding kind (id = the kind's slug, the
 * explanation as its description and help); one result per finding: the message says what
 * it is and what it means, locations[] holds its main place (the first access), and
 * relatedLocations[] both accesses; codeFlows[] holds a thread flow per thread involved
 * (the accesses, or a lock-order cycle's acquisitions). Paths under the source tree are
 * written relative to it, with uriBaseId SRCROOT, as code scanning wants them relative to
 * the repository root. Validated against the official schema by tests/sarif/. */
#ifndef RACELAB_SARIF_H
#define RACELAB_SARIF_H

#include <stdio.h>

#include "tsan_report.h"

/* The findings of one program under one detector. */
struct sarif_source {
	const char *subject;  /* what ran: "lab03", "lab03-mutex", a program's path */
	const char *detector; /* "tsan", "helgrind", ... */
	const struct tsan_report *report;
};

/* Writes one SARIF log of every finding of sources[0..n) to out. source_dir (may be NULL)
 * is the tree paths are made relative to. Returns 0, or -1 when writing failed. */
int sarif_write(FILE *out, const char *source_dir, const char *version,
                const struct sarif_source *sources, int n);

/* The same into the file at path ("-": stdout), written whole or not at all. Returns 0, or
 * -1 with errno set. */
int sarif_write_file(const char *path, const char *source_dir, const char *version,
                     const struct sarif_source *sources, int n);

#endif
