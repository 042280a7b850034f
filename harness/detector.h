/* detector.h: the race detectors racelab can run a program under, and what each one costs
 * and needs. clang's TSan (the lab's -tsan build) is the default; gcc's TSan reads the
 * -tsan-gcc build; Helgrind and DRD run the plain build under valgrind. Every detector's
 * report becomes the same findings model (tsan_report.h), so tables, JSON and SARIF read
 * one shape whoever found it. */
#ifndef RACELAB_DETECTOR_H
#define RACELAB_DETECTOR_H

#include <stdbool.h>

enum detector {
	DETECTOR_TSAN,     /* clang's ThreadSanitizer: PROGRAM-tsan */
	DETECTOR_TSAN_GCC, /* gcc's ThreadSanitizer: PROGRAM-tsan-gcc */
	DETECTOR_HELGRIND, /* valgrind --tool=helgrind PROGRAM */
	DETECTOR_DRD,      /* valgrind --tool=drd PROGRAM */
	DETECTOR_COUNT
};

#define DETECTOR_BIT(d)   (1u << (d))
#define DETECTOR_ALL_BITS ((1u << DETECTOR_COUNT) - 1)

/* Sets *bits from a --detector value: one name of detector_name(), or "all". Returns 0, or
 * -1 when name is none of them. Pure. */
int detector_parse(const char *name, unsigned *bits);

/* "tsan", "tsan-gcc", "helgrind", "drd" */
const char *detector_name(enum detector d);

/* Does this detector run a valgrind tool over the plain build? */
bool detector_is_valgrind(enum detector d);

/* The suffix of the program this detector runs: "-tsan", "-tsan-gcc", "" (plain). */
const char *detector_program_suffix(enum detector d);

#endif
