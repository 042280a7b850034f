/* cmd_explore.c: `racelab explore`, `racelab replay` and `racelab step`: a lab's -sched
 * build under controlled schedules (labkit/sched; sched_explore.h). They parse their own
 * options (cli.h stays with the other commands). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "i18n.h"
#include "sched_dfs.h"
#include "sched_explore.h"
#include "sched_view.h"
#include "strategy.h"

struct explore_options {
	const char *lab;
	const char *schedule; /* replay */
	const char *solution;
	struct sched_explore_spec spec;
	const char *json_path;
	const char *args;    /* --args: instead of sched_args */
	const char *program; /* --program: a -sched build to run instead of the lab's */
	bool args_given;
	bool hash; /* replay --hash: print only the trace's hash */
};

/* Each command's usage, as racelab --help gives it. */
static const char *const helps[][2] = {
    {"explore",
     "usage: racelab explore LAB [--solution[=NAME]] [--strategy random|pct|exhaustive|por]\n"
     "                       [--depth D] [--preemptions K] [--budget N] [--seed S]\n"
     "                       [--args \"ARGS\"] [--program PATH-sched [--no-result]]\n"
     "                       [--json FILE]\n"},
    {"replay",
     "usage: racelab replay LAB SCHEDULE [--solution=NAME] [--args \"ARGS\"] [--json FILE]\n"
     "                      [--hash]\n"},
    {"step", "usage: racelab step LAB [--solution=NAME] [--args \"ARGS\"]\n"},
};

bool cmd_sched_is_command(const char *word)
{
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (strcmp(word, helps[i][0]) == 0)
			return true;
	return false;
}

int cmd_sched_help(const char *command)
{
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (strcmp(command, helps[i][0]) == 0)
			fputs(helps[i][1], stdout); /* syntax: the same in every language */
	return EXIT_CLEAN;
}

static int usage(const char *what, const char *why)
{
	fprintf(stderr, _("racelab: %s: %s (see racelab --help)\n"), what, _(why));
	return EXIT_USAGE;
}

static const char *value_of(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int parse_number(const char *text, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Parses argv[2..]; command is "explore", "replay" or "step". */
static int parse(const char *command, int argc, char **argv, struct explore_options *o)
{
	memset(o, 0, sizeof(*o));
	o->spec.strategy = EXPLORE_PCT;
	o->spec.seed = 1;
	o->spec.preemptions = -1; /* not given: 2 */
	long v;
	bool explore = strcmp(command, "explore") == 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *val;
		if (a[0] != '-') {
			if (!o->lab)
				o->lab = a;
			else if (!o->schedule && strcmp(command, "replay") == 0)
				o->schedule = a;
			else
				return usage(a, N_("unexpected argument"));
		} else if (strcmp(a, "--solution") == 0) {
			o->solution = "";
		} else if (strncmp(a, "--solution=", 11) == 0) {
			o->solution = a + 11;
		} else if (strcmp(a, "--hash") == 0 && !explore) {
			o->hash = true;
		} else if ((val = value_of(argc, argv, &i, "--json"))) {
			o->json_path = val;
		} else if (explore && (val = value_of(argc, argv, &i, "--program"))) {
			o->program = val;
		} else if (explore && strcmp(a, "--no-result") == 0) {
			o->spec.no_result = true;
		} else if ((val = value_of(argc, argv, &i, "--args"))) {
			o->args = val;
			o->args_given = true;
		} else if (explore && (val = value_of(argc, argv, &i, "--strategy"))) {
			if (strcmp(val, "random") == 0)
				o->spec.strategy = EXPLORE_RANDOM;
			else if (strcmp(val, "pct") == 0)
				o->spec.strategy = EXPLORE_PCT;
			else if (strcmp(val, "exhaustive") == 0)
				o->spec.strategy = EXPLORE_EXHAUSTIVE;
			else if (strcmp(val, "por") == 0)
				o->spec.strategy = EXPLORE_POR;
			else
				return usage("--strategy",
				             N_("expected random, pct, exhaustive or por"));
		} else if (explore && (val = value_of(argc, argv, &i, "--depth"))) {
			if (parse_number(val, 1, STRATEGY_MAX_DEPTH, &v))
				return usage("--depth", N_("expected a depth from 1 to 8"));
			o->spec.depth = (int)v;
		} else if (explore && (val = value_of(argc, argv, &i, "--preemptions"))) {
			if (parse_number(val, 0, 10, &v))
				return usage("--preemptions", N_("expected a number from 0 to 10"));
			o->spec.preemptions = (int)v;
		} else if (explore && (val = value_of(argc, argv, &i, "--budget"))) {
			if (parse_number(val, 1, 10000000, &v))
				return usage("--budget", N_("expected a number of schedules"));
			o->spec.budget = v;
		} else if (explore && (val = value_of(argc, argv, &i, "--seed"))) {
			if (parse_number(val, 0, 1L << 62, &v))
				return usage("--seed", N_("expected a number"));
			o->spec.seed = (unsigned long long)v;
		} else {
			return usage(a, N_("not an option of this command"));
		}
	}
	if (!o->lab)
		return usage(command, N_("needs a LAB"));
	if (o->spec.no_result && !o->program)
		return usage("--no-result", N_("only with --program"));
	if (strcmp(command, "replay") == 0 && !o->schedule)
		return usage(command, N_("needs a SCHEDULE id (as explore prints it)"));
	return 0;
}

/* The lab's -sched program and arguments; prints why not and returns an exit status. */
static int locate(const struct catalogue *cat, const struct lab_entry **lab,
                  struct explore_options *o, char *program, size_t cap)
{
	*lab = commands_find_lab(cat, o->lab);
	if (!*lab)
		return EXIT_USAGE;
	const struct manifest *m = &(*lab)->manifest;
	if (!m->sched) {
		fprintf(stderr, _("racelab: lab%d: cannot be scheduled: %s\n"), m->id,
		        m->sched_reason[0] ? m->sched_reason
		                           : _("its manifest does not say sched = yes"));
		return EXIT_USAGE;
	}
	if (o->solution && !*o->solution)
		o->solution = m->solutions[0];
	bool known = !o->solution;
	for (int i = 0; o->solution && i < m->n_solutions; i++)
		known |= strcmp(m->solutions[i], o->solution) == 0;
	if (!known) {
		fprintf(stderr, _("racelab: lab%d: no solution '%s'\n"), m->id, o->solution);
		return EXIT_USAGE;
	}
	char base[4096];
	catalogue_program(cat, *lab, o->solution, false, base, sizeof(base));
	snprintf(program, cap, "%s-sched", base);
	if (o->program)
		snprintf(program, cap, "%s", o->program);
	if (access(program, X_OK) != 0) {
		fprintf(stderr, _("racelab: %s: not built: run make lab%d (or make)\n"), program,
		        m->id);
		return EXIT_ENV;
	}
	if (!o->args)
		o->args = m->sched_args;
	if (!o->spec.depth)
		o->spec.depth = m->sched_depth;
	bool search = o->spec.strategy == EXPLORE_EXHAUSTIVE || o->spec.strategy == EXPLORE_POR;
	if (!o->spec.budget) /* a search: until it ends (a bound, not a budget) */
		o->spec.budget = search ? 1000000 : m->sched_budget;
	if (o->spec.preemptions < 0)
		o->spec.preemptions = 2;
	o->spec.program = program;
	o->spec.args = o->args;
	return EXIT_CLEAN;
}

/* Ends a replay hint: --args when they were given (the schedule fits only those). */
static void print_args_given(const struct explore_options *o)
{
	if (o->args_given)
		printf(" --args \"%s\"", o->args);
	printf("\n");
}

static void print_outcome(const struct sched_outcome *out)
{
	printf("  %s", sched_view_outcome_text(out->kind));
	if (out->have_result && out->kind == SCHED_RACE)
		printf(_(" (the result of this run: %s: observed %.17g, expected %.17g)"),
		       out->result.what, out->result.observed, out->result.expected);
	else if (out->have_result)
		printf(_(" (%s: observed %.17g, expected %.17g)"), out->result.what,
		       out->result.observed, out->result.expected);
	if (out->kind == SCHED_ERROR)
		printf(": %s", out->detail);
	printf("\n");
}

/* The two accesses of a data race, each with its thread and line. */
static void print_race(const struct sched_outcome *out, const struct sched_symbols *sym)
{
	printf(_("\nA data race: nothing orders these two accesses (no lock, join, condition or "
	         "atomic between them), so they can happen in either order, or at once:\n"));
	size_t both[] = {out->race_first, out->race_second};
	for (int i = 0; i < 2; i++) {
		const struct sched_event *e = &out->trace.events[both[i]];
		char what[160];
		sched_view_event_text(&out->trace, sym, e, what, sizeof(what));
		printf("  T%d %s  %s\n", e->tid, sched_symbols_line(sym, e->pc), what);
	}
}

static void race_json(struct json_writer *w, const struct sched_outcome *out,
                      const struct sched_symbols *sym)
{
	json_array(w, "race");
	size_t both[] = {out->race_first, out->race_second};
	for (int i = 0; i < 2; i++) {
		const struct sched_event *e = &out->trace.events[both[i]];
		char what[160];
		sched_view_event_text(&out->trace, sym, e, what, sizeof(what));
		json_object(w, NULL);
		json_int(w, "thread", e->tid);
		json_int(w, "step", e->step);
		json_string(w, "line", sched_symbols_line(sym, e->pc));
		json_string(w, "access", what);
		json_end_object(w);
	}
	json_end_array(w);
}

/* Prints the interleaving (and the deadlock) of out, and writes the JSON report. */
static void show(const char *program, const struct sched_outcome *out, const char *id,
                 long schedules, const char *json_path)
{
	struct sched_symbols *sym = sched_symbols_open(program, &out->trace);
	static struct sched_view view;
	sched_view_build(&out->trace, &view);
	printf(_("\nInterleaving (%zu steps, %zu scheduling decisions):\n"), out->trace.n_events,
	       out->trace.n_decisions);
	sched_view_print(stdout, &out->trace, &view, sym);
	if (view.first_lost >= 0) {
		char why[200];
		sched_view_lost_text(&out->trace, sym, view.first_lost, why, sizeof(why));
		printf(_("  the switch that loses an update: %s\n"), why);
	}
	if (out->kind == SCHED_DEADLOCK) {
		printf(_("\nNobody can run:\n"));
		sched_view_print_deadlock(stdout, &out->trace, sym);
	}
	if (out->kind == SCHED_RACE)
		print_race(out, sym);
	if (json_path) {
		bool was = i18n_force_english(true); /* the JSON's texts stay English */
		FILE *f = strcmp(json_path, "-") == 0 ? stdout : fopen(json_path, "w");
		if (!f) {
			fprintf(stderr, "racelab: %s: %s\n", json_path, strerror(errno));
		} else {
			struct json_writer w;
			json_begin(&w, f);
			json_object(&w, NULL);
			json_string(&w, "schedule", id);
			json_int(&w, "schedules", schedules);
			json_string(&w, "outcome", sched_outcome_name(out->kind));
			if (out->have_result) {
				json_number(&w, "observed", out->result.observed);
				json_number(&w, "expected", out->result.expected);
			}
			char hash[32];
			snprintf(hash, sizeof(hash), "%016llx",
			         (unsigned long long)sched_trace_hash(&out->trace));
			json_string(&w, "trace_hash", hash);
			sched_view_json(&w, &out->trace, &view, sym);
			if (out->kind == SCHED_RACE)
				race_json(&w, out, sym);
			json_end_object(&w);
			fputc('\n', f);
			if (f != stdout)
				fclose(f);
		}
		i18n_force_english(was);
	}
	sched_symbols_close(sym);
}

static const char *strategy_text(const struct sched_explore_spec *s, char *out, size_t cap)
{
	if (s->strategy == EXPLORE_EXHAUSTIVE)
		snprintf(out, cap, _("exhaustive, at most %d preemptions"), s->preemptions);
	else if (s->strategy == EXPLORE_POR)
		snprintf(out, cap, "%s", _("por: every order of the synchronisation"));
	else if (s->strategy == EXPLORE_PCT)
		snprintf(out, cap, _("pct, depth %d, seed %llu"), s->depth, s->seed);
	else
		snprintf(out, cap, _("random, seed %llu"), s->seed);
	return out;
}

static int explore(struct explore_options *o, const struct lab_entry *lab)
{
	char how[96];
	const struct manifest *m = &lab->manifest;
	printf(_("Lab %d (%s)%s%s: explore, strategy %s, budget %ld schedules\n"), m->id, m->slug,
	       o->solution ? _(", solution ") : "", o->solution ? o->solution : "",
	       strategy_text(&o->spec, how, sizeof(how)), o->spec.budget);
	printf(_("  program: %s %s\n"), o->spec.program, o->spec.args);
	fflush(stdout);
	static struct sched_explore_result r;
	int rc = sched_explore(&o->spec, &r);
	if (rc != 0) {
		fprintf(stderr, _("racelab: lab%d: a schedule could not run: %s\n"), m->id,
		        r.outcome.detail);
		sched_explore_free(&r);
		return EXIT_ENV;
	}
	if (!r.found) {
		if (r.complete && o->spec.strategy == EXPLORE_POR)
			printf(_("  no bug and no data race in any schedule (%ld schedules, %ld of "
			         "them cut short as the same as one before, %.2f s)\n"),
			       r.schedules, r.covered, r.seconds);
		else if (r.complete)
			printf(_("  no bug in any schedule with <= %d preemptions (%ld schedules, "
			         "%.2f s)\n"),
			       o->spec.preemptions, r.schedules, r.seconds);
		else if (r.cut)
			printf(
			    _("  not finished: a thread retries in a loop (a trylock failed) or a "
			      "schedule passed %d points, so without a bound on preemptions the "
			      "schedules have no end; try --strategy exhaustive (%ld schedules, "
			      "%.2f s)\n"),
			    SCHED_DFS_MAX_DEPTH, r.schedules, r.seconds);
		else
			/* TRANSLATORS: English says "schedules" even for 1 (its output stays as
			 * it was); the plural forms are for the translation. */
			printf(
			    ngettext("  no bug seen in %ld schedules (%.2f s, %.0f schedules/s)\n",
			             "  no bug seen in %ld schedules (%.2f s, %.0f schedules/s)\n",
			             (unsigned long)r.schedules),
			    r.schedules, r.seconds, r.schedules / (r.seconds > 0 ? r.seconds : 1));
		if (!r.complete && !r.cut && o->spec.strategy == EXPLORE_EXHAUSTIVE)
			printf("%s",
			       _("  the search did not finish within the budget: --strategy por "
			         "tries every order of the synchronisation instead, often far "
			         "fewer schedules\n"));
		sched_explore_free(&r);
		return EXIT_CLEAN;
	}
	printf(ngettext("  found after %ld schedule, %.2f s (%.0f schedules/s)\n",
	                "  found after %ld schedules, %.2f s (%.0f schedules/s)\n",
	                (unsigned long)r.schedules),
	       r.schedules, r.seconds, r.schedules / (r.seconds > 0 ? r.seconds : 1));
	print_outcome(&r.outcome);
	printf(_("  schedule: %s\n  replay it: racelab replay lab%d %s%s%s"), r.id, m->id, r.id,
	       o->solution ? " --solution=" : "", o->solution ? o->solution : "");
	print_args_given(o);
	show(o->spec.program, &r.outcome, r.id, r.schedules, o->json_path);
	sched_explore_free(&r);
	return EXIT_BUG;
}

static int replay(struct explore_options *o, const struct lab_entry *lab)
{
	long steps = 0;
	struct sched_outcome out;
	if (strncmp(o->schedule, "pct:", 4) == 0) {
		steps = sched_explore_measure_steps(o->spec.program, o->spec.args, false, &out);
		sched_outcome_free(&out);
	}
	char spec[4300];
	sched_explore_runtime_spec(o->schedule, steps, spec, sizeof(spec));
	if (sched_run_one(o->spec.program, o->spec.args, spec, 0, false, &out) != 0 ||
	    out.kind == SCHED_ERROR) {
		fprintf(stderr, "racelab: %s: %s\n", o->schedule, out.detail);
		sched_outcome_free(&out);
		return out.detail[0] && strstr(out.detail, "does not fit") ? EXIT_USAGE : EXIT_ENV;
	}
	if (strncmp(o->schedule, "sync:", 5) == 0)
		sched_explore_check_race(&out);
	if (o->hash) {
		printf("%016llx %s\n", (unsigned long long)sched_trace_hash(&out.trace),
		       sched_outcome_name(out.kind));
	} else {
		printf(_("Lab %d (%s): replay %s\n"), lab->manifest.id, lab->manifest.slug,
		       o->schedule);
		printf(_("  program: %s %s\n"), o->spec.program, o->spec.args);
		print_outcome(&out);
		show(o->spec.program, &out, o->schedule, 1, o->json_path);
	}
	int status = sched_outcome_is_bug(&out) ? EXIT_BUG : EXIT_CLEAN;
	sched_outcome_free(&out);
	return status;
}

/* The choices so far as an id: "x:0.1.1" (with ":stop" to stop after them). */
static void choices_id(const int *c, int n, bool stop, char *out, size_t cap)
{
	size_t used = (size_t)snprintf(out, cap, "x:");
	for (int i = 0; i < n && used < cap; i++)
		used += (size_t)snprintf(out + used, cap - used, "%s%d", i ? "." : "", c[i]);
	if (stop && used < cap)
		snprintf(out + used, cap - used, ":stop");
}

/* `racelab step`: the student is the scheduler. Each step reruns the program along the
 * choices so far and stops at the next point (labkit/sched's ":stop"), so nothing stays
 * running between two questions. */
static int cmd_step(const struct explore_options *o, const struct lab_entry *lab)
{
	static int choices[STRATEGY_MAX_CHOICES];
	int n = 0;
	char id[STRATEGY_MAX_CHOICES * 4];
	const struct manifest *m = &lab->manifest;
	printf(_("Lab %d (%s): you are the scheduler.\n"), m->id, m->title);
	printf(_("  goal: make it show its bug (%s) by choosing who runs at each step.\n"),
	       sched_view_symptom_text(m->symptoms));
	printf(_("  program: %s %s\n"), o->spec.program, o->spec.args);
	for (;;) {
		struct sched_outcome out;
		choices_id(choices, n, true, id, sizeof(id));
		if (sched_run_one(o->spec.program, o->spec.args, id, 0, false, &out) != 0 ||
		    out.kind == SCHED_ERROR) {
			fprintf(stderr, _("racelab: step: %s\n"), out.detail);
			sched_outcome_free(&out);
			return EXIT_ENV;
		}
		if (out.kind != SCHED_STOPPED) {
			choices_id(choices, n, false, id, sizeof(id));
			print_outcome(&out);
			bool bug = sched_outcome_is_bug(&out);
			printf(bug ? _("  goal reached: the bug showed. Schedule: %s\n")
			           : _("  the program ended without the bug. Schedule: %s\n"),
			       id);
			printf(_("  replay it: racelab replay lab%d %s"), m->id, id);
			print_args_given(o);
			show(o->spec.program, &out, id, 1, o->json_path);
			sched_outcome_free(&out);
			return bug ? EXIT_BUG : EXIT_CLEAN;
		}
		struct sched_symbols *sym = sched_symbols_open(o->spec.program, &out.trace);
		printf(_("\nstep %d: who runs next?\n"), n + 1);
		uint64_t can = 0;
		for (int i = 0; i < out.trace.n_next; i++) {
			const struct sched_waiter *w = &out.trace.next[i];
			char var[96];
			sched_symbols_data(sym, &out.trace, w->addr, var, sizeof(var));
			printf(_("  T%d %s next: %s %s at %s in %s()\n"), w->tid,
			       w->owner ? "       " : _("(waits)"), sched_op_name(w->op),
			       w->addr.value ? var : "", sched_symbols_line(sym, w->pc),
			       sched_symbols_function(sym, w->pc));
			if (w->owner)
				can |= 1ull << w->tid;
		}
		sched_symbols_close(sym);
		sched_outcome_free(&out);
		int pick = -1;
		while (pick < 0) {
			printf(_("thread number (q quits)> "));
			fflush(stdout);
			char line[64];
			if (!fgets(line, sizeof(line), stdin) || line[0] == 'q') {
				printf("\n");
				return EXIT_CLEAN;
			}
			char *end;
			long t = strtol(line, &end, 10);
			if (end != line && t >= 0 && t < SCHED_MAX_THREADS && (can >> t & 1))
				pick = (int)t;
			else
				printf(_("  not a thread that can run now\n"));
		}
		if (n == STRATEGY_MAX_CHOICES)
			return EXIT_USAGE;
		choices[n++] = pick;
	}
}

int cmd_sched(int argc, char **argv)
{
	const char *command = argv[1];
	if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0))
		return cmd_sched_help(command);
	struct explore_options o;
	int rc = parse(command, argc, argv, &o);
	if (rc)
		return rc;
	if (strcmp(command, "step") == 0 && !isatty(STDIN_FILENO)) {
		fprintf(stderr,
		        _("racelab: step: needs a terminal: you pick who runs at each step\n"));
		return EXIT_USAGE;
	}
	struct catalogue cat;
	if (commands_load_catalogue(&cat))
		return EXIT_ENV;
	const struct lab_entry *lab;
	char program[4200];
	rc = locate(&cat, &lab, &o, program, sizeof(program));
	if (rc == EXIT_CLEAN) {
		if (strcmp(command, "explore") == 0)
			rc = explore(&o, lab);
		else if (strcmp(command, "replay") == 0)
			rc = replay(&o, lab);
		else
			rc = cmd_step(&o, lab);
	}
	catalogue_free(&cat);
	return rc;
}
