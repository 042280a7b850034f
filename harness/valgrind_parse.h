/* valgrind_parse.h: Helgrind's and DRD's XML reports (valgrind --xml=yes) parsed into the
 * findings model of tsan_report.h, so every detector's findings read alike.
 *
 * Pure code: text in, structs out; no I/O, never exits. Kinds map onto TSan's: Helgrind
 * Race and DRD ConflictingAccess are data races, LockOrder a lock-order inversion, unlock
 * and mutex misuse their TSan kinds; anything else is "unknown" with valgrind's own words
 * in crash.message. Threads are renumbered as TSan counts them (valgrind's #1, the main
 * thread, is 0). Tested on captured reports in tests/fixtures/valgrind/. */
#ifndef RACELAB_VALGRIND_PARSE_H
#define RACELAB_VALGRIND_PARSE_H

#include <stddef.h>

#include "tsan_report.h"

/* Parses len bytes of one valgrind XML file and appends one finding per <error> to out,
 * each with count 1. out must be zeroed or previously used. A file without valgrind's
 * preamble sets out->fatal (fatal_line says so); a file cut short still yields the errors
 * it holds. Returns 0, or -1 when memory ran out (out stays consistent). */
int valgrind_parse(const char *xml, size_t len, const struct tsan_parse_options *opts,
                   struct tsan_report *out);

/* The TSan kind for valgrind's <kind> (and, for DRD's MutexErr and Helgrind's Misc and
 * PthAPIerror, its <what> text). TSAN_UNKNOWN when none fits. */
enum tsan_kind valgrind_kind(const char *kind, const char *what);

#endif
