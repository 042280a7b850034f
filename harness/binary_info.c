/* binary_info.c: the compiler named in an ELF file's .comment section.
 *
 * Compilers leave one NUL-terminated line each in .comment: "GCC: (Debian 12.2.0-14)
 * 12.2.0", "Debian clang version 14.0.6". Only ELF64 little-endian files are read (the
 * machines racelab runs on); every offset is checked against the file's size. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binary_info.h"

/* The section called name, or NULL; *size gets its size. */
static const unsigned char *find_section(const unsigned char *image, size_t len, const char *name,
                                         size_t *size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)image;
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff > len || (len - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum ||
	    eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(image + eh->e_shoff);
	const Elf64_Shdr *names = &sh[eh->e_shstrndx];
	if (names->sh_offset > len || names->sh_size > len - names->sh_offset)
		return NULL;
	for (int i = 0; i < eh->e_shnum; i++) {
		size_t n = strlen(name);
		if (sh[i].sh_name >= names->sh_size || names->sh_size - sh[i].sh_name <= n ||
		    memcmp(image + names->sh_offset + sh[i].sh_name, name, n + 1) != 0)
			continue;
		if (sh[i].sh_type == SHT_NOBITS || sh[i].sh_offset > len ||
		    sh[i].sh_size > len - sh[i].sh_offset)
			return NULL;
		*size = sh[i].sh_size;
		return image + sh[i].sh_offset;
	}
	return NULL;
}

/* The version number that follows marker in line ("14.0.6"), into out. */
static bool version_after(const char *line, size_t line_len, const char *marker, const char *prefix,
                          char *out, size_t cap)
{
	const char *p = memmem(line, line_len, marker, strlen(marker));
	if (!p)
		return false;
	p += strlen(marker);
	size_t rest = line_len - (size_t)(p - line);
	size_t n = 0;
	while (n < rest && (p[n] == '.' || (p[n] >= '0' && p[n] <= '9')))
		n++;
	if (n == 0)
		return false;
	snprintf(out, cap, "%s %.*s", prefix, (int)n, p);
	return true;
}

bool binary_compiler_of(const unsigned char *image, size_t len, char *out, size_t cap)
{
	size_t size = 0;
	const char *sec = (const char *)find_section(image, len, ".comment", &size);
	char gnu[64] = "";

	out[0] = '\0';
	for (size_t at = 0; sec && at < size;) {
		const char *line = sec + at;
		const char *nul = memchr(line, '\0', size - at);
		size_t n = nul ? (size_t)(nul - line) : size - at;
		if (version_after(line, n, "clang version ", "Clang", out, cap))
			return true;
		/* "GCC: (Debian 12.2.0-14) 12.2.0": the version after the closing parenthesis. */
		const char *close = memchr(line, ')', n);
		if (!gnu[0] && n > 5 && memcmp(line, "GCC: ", 5) == 0 && close)
			version_after(close, n - (size_t)(close - line), ") ", "GNU", gnu,
			              sizeof(gnu));
		at += n + 1;
	}
	if (gnu[0])
		snprintf(out, cap, "%s", gnu);
	return out[0] != '\0';
}

bool binary_compiler(const char *path, char *out, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	bool found = false;

	out[0] = '\0';
	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map != MAP_FAILED) {
			found = binary_compiler_of(map, (size_t)st.st_size, out, cap);
			munmap(map, (size_t)st.st_size);
		}
	}
	close(fd);
	return found;
}
