/* args.c: parses a lab's knobs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

static const char *program_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	return slash ? slash + 1 : argv0;
}

static void usage(const char *prog, const char *summary, const struct rl_knob *knobs)
{
	int width = 4; /* "help" */
	for (const struct rl_knob *k = knobs; k->name; k++)
		width = (int)strlen(k->name) > width ? (int)strlen(k->name) : width;
	printf("usage: %s [options]\n%s\n\noptions:\n", prog, summary);
	for (const struct rl_knob *k = knobs; k->name; k++)
		printf("  --%-*s N  %s (default %ld)\n", width, k->name, k->help, *k->value);
	printf("  --%-*s    this text\n", width, "help");
	exit(0);
}

static _Noreturn void bad(const char *prog, const char *opt, const char *why)
{
	fprintf(stderr, "%s: %s: %s (try --help)\n", prog, opt, why);
	exit(2);
}

static struct rl_knob *find_knob(struct rl_knob *knobs, const char *name, size_t len)
{
	for (struct rl_knob *k = knobs; k->name; k++)
		if (strlen(k->name) == len && strncmp(k->name, name, len) == 0)
			return k;
	return NULL;
}

static void set_knob(const char *prog, const char *opt, struct rl_knob *k, const char *text)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end)
		bad(prog, opt, "expected a whole number");
	if (v < k->min || v > k->max) {
		char why[96];
		snprintf(why, sizeof(why), "must be between %ld and %ld", k->min, k->max);
		bad(prog, opt, why);
	}
	*k->value = v;
}

void rl_args_parse(int argc, char **argv, const char *summary, struct rl_knob *knobs)
{
	const char *prog = program_name(argv[0]);

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
			usage(prog, summary, knobs);
		if (strncmp(arg, "--", 2) != 0)
			bad(prog, arg, "unexpected argument");
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		struct rl_knob *k = find_knob(knobs, name, len);
		if (!k)
			bad(prog, arg, "unknown option");
		if (eq)
			set_knob(prog, arg, k, eq + 1);
		else if (i + 1 < argc)
			set_knob(prog, arg, k, argv[++i]);
		else
			bad(prog, arg, "needs a value");
	}
}
