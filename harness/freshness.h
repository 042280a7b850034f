/* freshness.h: is a built lab program older than a source it is built from? Without this
 * check a student who edits a lab and runs racelab without rebuilding (or whose edit does
 * not compile) is judged on the old program.
 *
 * A program's sources are the files whose change makes `make labN` rebuild it
 * (cmake/racelab.cmake, labkit/CMakeLists.txt): its own file (labs/DIR/PROGRAM, or
 * solutions/DIR/SOL.c for a solution), the manifest's extra_sources, the headers in the
 * lab's folder, and the lab kit's .c and .h files. Nothing else counts (not a README, not
 * the manifest): a file the build ignores would make racelab refuse a build that make
 * considers up to date, forever. */
#ifndef RACELAB_FRESHNESS_H
#define RACELAB_FRESHNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "catalogue.h"

/* Compares the built program of lab (solution NULL) or of one of its solutions, its TSan
 * flavour too when tsan is true, with each of its sources. Returns true and the newest
 * source that is newer than a build in newer (relative to the source tree, e.g.
 * "labs/03-lost-update/lost_update.c") when a build is older than its sources; false
 * otherwise. A program that is not built is not stale (running it says "not built"); a
 * source that does not exist is skipped (the build names it); a source dated in the future
 * (unpacked from a machine whose clock is ahead) is skipped, since no build can be newer. */
bool freshness_stale_source(const struct catalogue *cat, const struct lab_entry *lab,
                            const char *solution, bool tsan, char *newer, size_t cap);

#endif
