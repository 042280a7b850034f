/* args.h: the knobs a lab takes on its command line, with defaults. Every lab has
 * --threads and --iterations; a lab adds its own (--accounts, --delay-ms, ...). The
 * harness passes the manifest's arguments; a student can pass their own. */
#ifndef RACELAB_ARGS_H
#define RACELAB_ARGS_H

struct rl_knob {
	const char *name; /* without the dashes: "threads" */
	long *value;      /* holds the default on entry, the parsed value on return */
	long min;         /* smallest value accepted */
	long max;         /* largest value accepted */
	const char *help; /* one line for --help */
};

#define RL_KNOB_THREADS(p)                                                                         \
	{                                                                                          \
		"threads", (p), 1, 1024, "worker threads"                                          \
	}
#define RL_KNOB_ITERATIONS(p)                                                                      \
	{                                                                                          \
		"iterations", (p), 1, 1000000000L, "iterations per worker"                         \
	}
#define RL_KNOB_END                                                                                \
	{                                                                                          \
		0                                                                                  \
	}

/* Parses "--name N" and "--name=N" for every knob (the last occurrence wins), and --help.
 * summary is one line saying what the program does. On --help prints usage and exits 0;
 * on bad input prints "prog: --name: why" and exits 2. */
void rl_args_parse(int argc, char **argv, const char *summary, struct rl_knob *knobs);

#endif
