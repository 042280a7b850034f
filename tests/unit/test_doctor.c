/* test_doctor.c: doctor_assess's advice on made-up machines (doctor.h): what is needed,
 * what only limits, and the Debian package named for each gap. */
#include <string.h>

#include "cunit_main.h"
#include "detector.h"
#include "doctor.h"

static const struct doctor_compiler working = {
    .present = true, .tsan_builds = true, .tsan_runs = true, .version = "cc 1"};

/* A machine where everything works. */
static struct doctor_facts good_machine(void)
{
	return (struct doctor_facts){.clang = working,
	                             .gcc = working,
	                             .symbolizer = true,
	                             .cmake = true,
	                             .make = true,
	                             .mmap_rnd_bits = 28,
	                             .aslr_off_works = true,
	                             .ptrace_scope = -1,
	                             .gdb = true,
	                             .valgrind = true,
	                             .ncpus = 2,
	                             .load1 = 0.2,
	                             .bwrap = true,
	                             .bwrap_works = true,
	                             .cgroups_writable = true,
	                             .jq = true,
	                             .parallel = true};
}

static const struct doctor_row *row(const struct doctor_row *rows, int n, const char *item)
{
	for (int i = 0; i < n; i++)
		if (strcmp(rows[i].item, item) == 0)
			return &rows[i];
	CU_FAIL("no such row");
	return &rows[0];
}

static void test_good_machine(void)
{
	struct doctor_facts f = good_machine();
	struct doctor_row rows[DOCTOR_MAX_ROWS];
	int n = doctor_assess(&f, rows);
	CU_ASSERT_EQUAL(n, 14);
	for (int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(rows[i].status, DOCTOR_OK);
		CU_ASSERT_STRING_EQUAL(rows[i].todo, "");
	}
	CU_ASSERT_TRUE(doctor_student_path_works(rows, n));
}

static void test_fresh_debian(void)
{
	/* Debian 12 as installed: gcc without libtsan2, no clang, no tools. */
	struct doctor_facts f = {.gcc = {.present = true, .version = "gcc 12.2.0"},
	                         .make = true,
	                         .mmap_rnd_bits = 28,
	                         .aslr_off_works = true,
	                         .ptrace_scope = -1,
	                         .ncpus = 2};
	struct doctor_row rows[DOCTOR_MAX_ROWS];
	int n = doctor_assess(&f, rows);
	CU_ASSERT_FALSE(doctor_student_path_works(rows, n));
	const struct doctor_row *clang = row(rows, n, "clang + TSan");
	CU_ASSERT_EQUAL(clang->status, DOCTOR_MISSING);
	CU_ASSERT_TRUE(clang->needed);
	CU_ASSERT_PTR_NOT_NULL(strstr(clang->todo, "apt-get install clang libclang-rt-14-dev"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "gcc + TSan")->todo, "libtsan2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "cmake")->todo, "apt-get install cmake"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "gdb")->todo, "apt-get install gdb"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "valgrind")->todo, "apt-get install valgrind"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "bubblewrap + userns")->todo, "bubblewrap"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "jq")->todo, "apt-get install jq"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "GNU parallel")->todo, "parallel"));
	/* Every row that is not ok says what to do. */
	for (int i = 0; i < n; i++)
		if (rows[i].status != DOCTOR_OK)
			CU_ASSERT_NOT_EQUAL(rows[i].todo[0], '\0');
}

static void test_one_compiler_is_enough(void)
{
	struct doctor_facts f = good_machine();
	f.gcc = (struct doctor_compiler){0};
	f.valgrind = f.gdb = f.jq = f.parallel = f.bwrap = f.bwrap_works = false;
	struct doctor_row rows[DOCTOR_MAX_ROWS];
	int n = doctor_assess(&f, rows);
	CU_ASSERT_TRUE(doctor_student_path_works(rows, n)); /* optional pieces only */
	CU_ASSERT_FALSE(row(rows, n, "gcc + TSan")->needed);
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "gcc + TSan")->todo, "tsan-gcc"));
	/* clang alone: its symbolizer is needed. */
	f.symbolizer = false;
	n = doctor_assess(&f, rows);
	CU_ASSERT_TRUE(row(rows, n, "llvm-symbolizer")->needed);
	CU_ASSERT_FALSE(doctor_student_path_works(rows, n));
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "llvm-symbolizer")->todo, "llvm-14"));
	/* gcc alone needs no symbolizer. */
	f.gcc = working;
	f.clang = (struct doctor_compiler){0};
	n = doctor_assess(&f, rows);
	CU_ASSERT_FALSE(row(rows, n, "llvm-symbolizer")->needed);
	CU_ASSERT_TRUE(doctor_student_path_works(rows, n));
}

static void test_aslr(void)
{
	struct doctor_facts f = good_machine();
	struct doctor_row rows[DOCTOR_MAX_ROWS];
	f.mmap_rnd_bits = 32;
	int n = doctor_assess(&f, rows);
	CU_ASSERT_EQUAL(row(rows, n, "vm.mmap_rnd_bits")->status, DOCTOR_LIMITED);
	CU_ASSERT_TRUE(doctor_student_path_works(rows, n));
	f.aslr_off_works = false; /* a container refusing personality() */
	n = doctor_assess(&f, rows);
	CU_ASSERT_EQUAL(row(rows, n, "vm.mmap_rnd_bits")->status, DOCTOR_MISSING);
	CU_ASSERT_FALSE(doctor_student_path_works(rows, n));
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "vm.mmap_rnd_bits")->todo, "sysctl"));
}

static void test_cpus_ptrace_and_quick(void)
{
	struct doctor_facts f = good_machine();
	struct doctor_row rows[DOCTOR_MAX_ROWS];
	f.ncpus = 1;
	int n = doctor_assess(&f, rows);
	CU_ASSERT_EQUAL(row(rows, n, "CPUs and load")->status, DOCTOR_LIMITED);
	f.ncpus = 2, f.load1 = 3.5;
	n = doctor_assess(&f, rows);
	CU_ASSERT_PTR_NOT_NULL(strstr(row(rows, n, "CPUs and load")->todo, "busy"));
	f.ptrace_scope = 2, f.is_root = false;
	n = doctor_assess(&f, rows);
	CU_ASSERT_EQUAL(row(rows, n, "kernel.yama.ptrace_scope")->status, DOCTOR_MISSING);
	f.is_root = true;
	n = doctor_assess(&f, rows);
	CU_ASSERT_EQUAL(row(rows, n, "kernel.yama.ptrace_scope")->status, DOCTOR_OK);
	f.quick = true;
	CU_ASSERT_EQUAL(doctor_assess(&f, rows), 7);
}

static void test_detector_names(void)
{
	unsigned bits = 0;
	CU_ASSERT_EQUAL(detector_parse("all", &bits), 0);
	CU_ASSERT_EQUAL(bits, DETECTOR_ALL_BITS);
	for (int d = 0; d < DETECTOR_COUNT; d++) {
		CU_ASSERT_EQUAL(detector_parse(detector_name(d), &bits), 0);
		CU_ASSERT_EQUAL(bits, DETECTOR_BIT(d));
	}
	CU_ASSERT_EQUAL(detector_parse("asan", &bits), -1);
	CU_ASSERT_STRING_EQUAL(detector_program_suffix(DETECTOR_TSAN_GCC), "-tsan-gcc");
	CU_ASSERT_TRUE(detector_is_valgrind(DETECTOR_DRD));
	CU_ASSERT_FALSE(detector_is_valgrind(DETECTOR_TSAN));
}

CU_ErrorCode register_suites(void)
{
	CU_pSuite s = CU_add_suite("doctor", NULL, NULL);
	if (!s)
		return CU_get_error();
	CU_add_test(s, "a good machine", test_good_machine);
	CU_add_test(s, "a fresh Debian 12", test_fresh_debian);
	CU_add_test(s, "one TSan compiler is enough", test_one_compiler_is_enough);
	CU_add_test(s, "ASLR and its retry", test_aslr);
	CU_add_test(s, "CPUs, ptrace scope, --quick", test_cpus_ptrace_and_quick);
	CU_add_test(s, "detector names", test_detector_names);
	return CU_get_error();
}
