/* detector.c: the detectors' names (see detector.h). */
#include <string.h>

#include "detector.h"

static const char *const names[DETECTOR_COUNT] = {
    [DETECTOR_TSAN] = "tsan",
    [DETECTOR_TSAN_GCC] = "tsan-gcc",
    [DETECTOR_HELGRIND] = "helgrind",
    [DETECTOR_DRD] = "drd",
};

int detector_parse(const char *name, unsigned *bits)
{
	if (strcmp(name, "all") == 0) {
		*bits = DETECTOR_ALL_BITS;
		return 0;
	}
	for (int d = 0; d < DETECTOR_COUNT; d++) {
		if (strcmp(name, names[d]) == 0) {
			*bits = DETECTOR_BIT(d);
			return 0;
		}
	}
	return -1;
}

const char *detector_name(enum detector d)
{
	return d >= 0 && d < DETECTOR_COUNT ? names[d] : "?";
}

bool detector_is_valgrind(enum detector d)
{
	return d == DETECTOR_HELGRIND || d == DETECTOR_DRD;
}

const char *detector_program_suffix(enum detector d)
{
	switch (d) {
	case DETECTOR_TSAN:
		return "-tsan";
	case DETECTOR_TSAN_GCC:
		return "-tsan-gcc";
	default:
		return "";
	}
}
