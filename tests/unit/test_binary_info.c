/* test_binary_info.c: the compiler named in an ELF file's .comment section. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "binary_info.h"
#include "cunit_main.h"

/* A minimal ELF64 image: header, .shstrtab, .comment holding comment (len bytes). */
struct image {
	Elf64_Ehdr eh;
	char strtab[32];
	char comment[128];
	Elf64_Shdr sh[3];
};

static void make_image(struct image *im, const char *comment, size_t len)
{
	static const char names[] = "\0.shstrtab\0.comment";
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_shoff = offsetof(struct image, sh);
	im->eh.e_shentsize = sizeof(Elf64_Shdr);
	im->eh.e_shnum = 3;
	im->eh.e_shstrndx = 1;
	memcpy(im->strtab, names, sizeof(names));
	memcpy(im->comment, comment, len);
	im->sh[1] = (Elf64_Shdr){.sh_name = 1,
	                         .sh_type = SHT_STRTAB,
	                         .sh_offset = offsetof(struct image, strtab),
	                         .sh_size = sizeof(names)};
	im->sh[2] = (Elf64_Shdr){.sh_name = 11,
	                         .sh_type = SHT_PROGBITS,
	                         .sh_offset = offsetof(struct image, comment),
	                         .sh_size = len};
}

static void test_comment_lines(void)
{
	static const char both[] =
	    "GCC: (Debian 12.2.0-14+deb12u1) 12.2.0\0Debian clang version 14.0.6";
	static const char gcc[] = "GCC: (Debian 12.2.0-14+deb12u1) 12.2.0";
	struct image im;
	char out[64];

	make_image(&im, both, sizeof(both));
	CU_ASSERT_TRUE(
	    binary_compiler_of((const unsigned char *)&im, sizeof(im), out, sizeof(out)));
	CU_ASSERT_STRING_EQUAL(out, "Clang 14.0.6");
	make_image(&im, gcc, sizeof(gcc));
	CU_ASSERT_TRUE(
	    binary_compiler_of((const unsigned char *)&im, sizeof(im), out, sizeof(out)));
	CU_ASSERT_STRING_EQUAL(out, "GNU 12.2.0");
	make_image(&im, "Linker: LLD 14", 15);
	CU_ASSERT_FALSE(
	    binary_compiler_of((const unsigned char *)&im, sizeof(im), out, sizeof(out)));
	CU_ASSERT_STRING_EQUAL(out, "");
	/* Cut short, or a section running past the end: no answer, no read past the end. */
	make_image(&im, gcc, sizeof(gcc));
	CU_ASSERT_FALSE(binary_compiler_of((const unsigned char *)&im, 40, out, sizeof(out)));
	im.sh[2].sh_size = 1u << 30;
	CU_ASSERT_FALSE(
	    binary_compiler_of((const unsigned char *)&im, sizeof(im), out, sizeof(out)));
	CU_ASSERT_FALSE(
	    binary_compiler_of((const unsigned char *)"#!/bin/sh\n", 10, out, sizeof(out)));
}

/* This test binary itself, built by the project's compiler. */
static void test_self(void)
{
	char out[64];
	CU_ASSERT_TRUE(binary_compiler("/proc/self/exe", out, sizeof(out)));
	CU_ASSERT_STRING_EQUAL(out, RACELAB_EXPECT_COMPILER);
	CU_ASSERT_FALSE(binary_compiler("/nonexistent", out, sizeof(out)));
	CU_ASSERT_FALSE(binary_compiler("/proc/self/cmdline", out, sizeof(out)));
}

static CU_TestInfo tests[] = {
    {".comment lines: clang wins over GCC's crt line", test_comment_lines},
    {"this binary", test_self},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"binary_info", NULL, NULL, NULL, NULL, tests},
    CU_SUITE_INFO_NULL,
};

CU_ErrorCode register_suites(void)
{
	return CU_register_suites(suites);
}
