/* test_freshness.c: a lab's build is stale when it is older than a file the build reads
 * (its own source, extra sources, the lab folder's headers, the lab kit), and only then:
 * a README, another program's source or a file dated in the future never make it stale. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "catalogue.h"
#include "cunit_main.h"
#include "freshness.h"

static char root[64];
static struct catalogue cat;
static struct lab_entry lab;

/* Creates root/rel, dated age_s seconds ago (negative: in the future). */
static void make_file(const char *rel, double age_s)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	struct timespec now, t[2];
	clock_gettime(CLOCK_REALTIME, &now);
	long long ns =
	    (long long)now.tv_sec * 1000000000LL + now.tv_nsec - (long long)(age_s * 1e9);
	t[0].tv_sec = t[1].tv_sec = (time_t)(ns / 1000000000LL);
	t[0].tv_nsec = t[1].tv_nsec = (long)(ns % 1000000000LL);
	CU_ASSERT_EQUAL_FATAL(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* A tree where every build is newer than every source. */
static int setup(void)
{
	static const char *dirs[] = {"src",        "src/labs",      "src/labs/03-x",
	                             "src/labkit", "src/solutions", "src/solutions/03-x",
	                             "bin"};
	snprintf(root, sizeof(root), "/tmp/racelab-freshness.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (mkdir(path, 0755))
			return -1;
	}
	snprintf(cat.source_dir, sizeof(cat.source_dir), "%s/src", root);
	snprintf(cat.bin_dir, sizeof(cat.bin_dir), "%s/bin", root);
	snprintf(lab.dir, sizeof(lab.dir), "03-x");
	snprintf(lab.path, sizeof(lab.path), "%s/labs/03-x", cat.source_dir);
	lab.manifest.id = 3;
	lab.manifest_ok = true;
	snprintf(lab.manifest.program, sizeof(lab.manifest.program), "lab.c");
	snprintf(lab.manifest.extra_sources, sizeof(lab.manifest.extra_sources), "loop.c");
	return 0;
}

static int teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* Every file of the tree back to its place: sources 100 s old, builds 50 s old. */
static void reset_tree(void)
{
	static const char *sources[] = {"src/labs/03-x/lab.c",        "src/labs/03-x/loop.c",
	                                "src/labs/03-x/loop.h",       "src/labs/03-x/README.md",
	                                "src/labs/03-x/lab.manifest", "src/labs/03-x/notes.c",
	                                "src/labkit/gate.c",          "src/labkit/gate.h",
	                                "src/labkit/CMakeLists.txt",  "src/solutions/03-x/mutex.c"};
	static const char *builds[] = {"bin/lab03", "bin/lab03-tsan", "bin/lab03-mutex",
	                               "bin/lab03-mutex-tsan"};
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		make_file(sources[i], 100);
	for (size_t i = 0; i < sizeof(builds) / sizeof(builds[0]); i++)
		make_file(builds[i], 50);
}

static void test_sources_table(void)
{
	static const struct {
		const char *touched;  /* made 10 s old: newer than the builds */
		const char *solution; /* NULL: the lab */
		bool tsan;
		const char *newer; /* the source named, or NULL: fresh */
	} cases[] = {
	    {NULL, NULL, true, NULL},
	    {"src/labs/03-x/lab.c", NULL, false, "labs/03-x/lab.c"},
	    {"src/labs/03-x/loop.c", NULL, false, "labs/03-x/loop.c"},
	    {"src/labs/03-x/loop.h", NULL, false, "labs/03-x/loop.h"},
	    {"src/labkit/gate.c", NULL, false, "labkit/gate.c"},
	    {"src/labkit/gate.h", NULL, true, "labkit/gate.h"},
	    /* not read by the build: never stale, or make lab3 could never satisfy racelab */
	    {"src/labs/03-x/README.md", NULL, true, NULL},
	    {"src/labs/03-x/lab.manifest", NULL, true, NULL},
	    {"src/labs/03-x/notes.c", NULL, true, NULL},
	    {"src/labkit/CMakeLists.txt", NULL, true, NULL},
	    /* a solution is built from its own file, not from the lab's program */
	    {"src/solutions/03-x/mutex.c", "mutex", false, "solutions/03-x/mutex.c"},
	    {"src/solutions/03-x/mutex.c", NULL, true, NULL},
	    {"src/labs/03-x/lab.c", "mutex", true, NULL},
	    {"src/labs/03-x/loop.h", "mutex", true, "labs/03-x/loop.h"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char newer[PATH_MAX] = "";
		reset_tree();
		if (cases[i].touched)
			make_file(cases[i].touched, 10);
		bool stale = freshness_stale_source(&cat, &lab, cases[i].solution, cases[i].tsan,
		                                    newer, sizeof(newer));
		CU_ASSERT_EQUAL(stale, cases[i].newer != NULL);
		if (stale && cases[i].newer)
			CU_ASSERT_STRING_EQUAL(newer, cases[i].newer);
		if (stale != (cases[i].newer != NULL))
			fprintf(stderr, "\n  case %zu (%s): stale %d, newer '%s'\n", i,
			        cases[i].touched ? cases[i].touched : "nothing", stale, newer);
	}
}

static void test_tsan_build_counts_only_when_asked(void)
{
	char newer[PATH_MAX] = "";
	reset_tree();
	make_file("src/labs/03-x/lab.c", 30); /* newer than the TSan build only */
	make_file("bin/lab03", 20);
	CU_ASSERT_FALSE(freshness_stale_source(&cat, &lab, NULL, false, newer, sizeof(newer)));
	CU_ASSERT_TRUE(freshness_stale_source(&cat, &lab, NULL, true, newer, sizeof(newer)));
	CU_ASSERT_STRING_EQUAL(newer, "labs/03-x/lab.c");
}

static void test_newest_source_is_named(void)
{
	char newer[PATH_MAX] = "";
	reset_tree();
	make_file("src/labkit/gate.h", 20);
	make_file("src/labs/03-x/lab.c", 10);
	make_file("src/labs/03-x/loop.c", 30);
	CU_ASSERT_TRUE(freshness_stale_source(&cat, &lab, NULL, true, newer, sizeof(newer)));
	CU_ASSERT_STRING_EQUAL(newer, "labs/03-x/lab.c");
}

static void test_future_source_and_missing_build(void)
{
	char newer[PATH_MAX] = "";
	reset_tree();
	make_file("src/labs/03-x/lab.c", -3600); /* from a machine whose clock is an hour ahead */
	CU_ASSERT_FALSE(freshness_stale_source(&cat, &lab, NULL, true, newer, sizeof(newer)));

	reset_tree();
	make_file("src/labs/03-x/lab.c", 10);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/bin/lab03-mutex", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bin/lab03-mutex-tsan", root);
	unlink(path);
	/* not built at all: running it says so; freshness has nothing to compare */
	CU_ASSERT_FALSE(freshness_stale_source(&cat, &lab, "mutex", true, newer, sizeof(newer)));
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("freshness", setup, teardown);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "which sources make a build stale", test_sources_table);
	CU_add_test(s, "the TSan build counts when asked", test_tsan_build_counts_only_when_asked);
	CU_add_test(s, "the newest source is named", test_newest_source_is_named);
	CU_add_test(s, "future sources, missing builds", test_future_source_and_missing_build);
	return CU_get_error();
}
