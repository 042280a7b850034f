/* binary_info.h: what a compiled program says about how it was built. */
#ifndef RACELAB_BINARY_INFO_H
#define RACELAB_BINARY_INFO_H

#include <stdbool.h>
#include <stddef.h>

/* Names the compiler that built the ELF file at path, from its .comment section:
 * "Clang 14.0.6" or "GNU 12.2.0" (the same words the catalogue uses). A clang build also
 * carries GCC's line (from the C runtime's start files): clang wins. Returns false, with
 * out = "", when the file is no ELF64 file or has no such line (stripped with -R .comment). */
bool binary_compiler(const char *path, char *out, size_t cap);

/* The same on an ELF image already in memory (len bytes). Pure; exposed for tests. */
bool binary_compiler_of(const unsigned char *image, size_t len, char *out, size_t cap);

#endif
