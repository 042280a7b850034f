/* elf_symbols.c: a running program's global variables named from its ELF symbol table. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "elf_symbols.h"

struct elf_symbols {
	void *image; /* the executable, mapped read-only */
	size_t size;
	unsigned long bias; /* load address minus file address (0 for a non-PIE program) */
};

/* Bounds-checked: does [off, off + len) lie inside the image? */
static bool inside(size_t size, unsigned long off, unsigned long len)
{
	return off <= size && len <= size - off;
}

/* The symbol table to search: .symtab when the program is not stripped, else .dynsym. */
static const Elf64_Shdr *symbol_table(const unsigned char *img, size_t size, const Elf64_Ehdr *eh)
{
	const Elf64_Shdr *found = NULL;
	if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !inside(size, eh->e_shoff, (unsigned long)eh->e_shnum * sizeof(Elf64_Shdr)))
		return NULL;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type == SHT_SYMTAB)
			return &sh[i];
		if (sh[i].sh_type == SHT_DYNSYM)
			found = &sh[i];
	}
	return found;
}

unsigned long elf_image_lookup(const void *image, size_t size, unsigned long addr, char *name,
                               size_t cap)
{
	const unsigned char *img = image;
	const Elf64_Ehdr *eh = image;
	name[0] = '\0';
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64)
		return 0;
	const Elf64_Shdr *symtab = symbol_table(img, size, eh);
	if (!symtab || symtab->sh_link >= eh->e_shnum ||
	    !inside(size, symtab->sh_offset, symtab->sh_size))
		return 0;
	const Elf64_Shdr *strtab = (const Elf64_Shdr *)(img + eh->e_shoff) + symtab->sh_link;
	if (!inside(size, strtab->sh_offset, strtab->sh_size))
		return 0;
	const Elf64_Sym *sym = (const Elf64_Sym *)(img + symtab->sh_offset);
	size_t n = symtab->sh_size / sizeof(Elf64_Sym);
	for (size_t i = 0; i < n; i++) {
		if (ELF64_ST_TYPE(sym[i].st_info) != STT_OBJECT || sym[i].st_size == 0 ||
		    addr < sym[i].st_value || addr - sym[i].st_value >= sym[i].st_size ||
		    sym[i].st_name >= strtab->sh_size)
			continue;
		const char *s = (const char *)img + strtab->sh_offset + sym[i].st_name;
		size_t max = strtab->sh_size - sym[i].st_name;
		unsigned long off = addr - sym[i].st_value;
		if (off)
			snprintf(name, cap, "%.*s+%lu", (int)strnlen(s, max), s, off);
		else
			snprintf(name, cap, "%.*s", (int)strnlen(s, max), s);
		return sym[i].st_size;
	}
	return 0;
}

/* Where the executable's first mapping (file offset 0) starts, from /proc/PID/maps. */
static bool load_start(pid_t pid, unsigned long *start)
{
	char path[64], exe[4096], line[4352];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		unsigned long lo, offset;
		int file_at = 0;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%lx-%*x %*s %lx %*s %*s %n", &lo, &offset, &file_at) == 2 &&
		    file_at > 0 && offset == 0 && strcmp(line + file_at, exe) == 0) {
			*start = lo;
			found = true;
		}
	}
	if (f)
		fclose(f);
	return found;
}

struct elf_symbols *elf_symbols_open(pid_t pid)
{
	char path[64];
	struct stat st;
	unsigned long start;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct elf_symbols *s = calloc(1, sizeof(*s));
	if (!s || fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr) ||
	    !load_start(pid, &start))
		goto out_fail;
	s->size = (size_t)st.st_size;
	s->image = mmap(NULL, s->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (s->image == MAP_FAILED)
		goto out_fail;
	close(fd);
	/* A position-independent executable is linked at 0 and loaded at start. */
	s->bias = ((const Elf64_Ehdr *)s->image)->e_type == ET_DYN ? start : 0;
	return s;

out_fail:
	free(s);
	close(fd);
	return NULL;
}

bool elf_symbols_name(const struct elf_symbols *s, unsigned long addr, char *name, size_t cap)
{
	return s && addr >= s->bias &&
	       elf_image_lookup(s->image, s->size, addr - s->bias, name, cap) > 0;
}

unsigned long elf_symbols_size(const struct elf_symbols *s, unsigned long addr)
{
	char name[8];
	return s && addr >= s->bias
	           ? elf_image_lookup(s->image, s->size, addr - s->bias, name, sizeof(name))
	           : 0;
}

void elf_symbols_close(struct elf_symbols *s)
{
	if (!s)
		return;
	munmap(s->image, s->size);
	free(s);
}
