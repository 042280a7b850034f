/* elf_symbols.h: names a global variable of a running program from its address, without a
 * debugger: the executable's ELF symbol table (.symtab, else .dynsym) read through
 * /proc/PID/exe, shifted by where /proc/PID/maps says it was loaded. It names what lives
 * in the program's own data ('lock_a', 'accounts+48'); heap, stack and libraries' data
 * stay unnamed. A few milliseconds, against gdb's start-up of 0.2 s to 1.5 s. */
#ifndef RACELAB_ELF_SYMBOLS_H
#define RACELAB_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One data object of the executable: its name, its address (as loaded) and size. */
struct elf_symbols;

/* Opens pid's executable. NULL when it cannot (gone, no permission, not ELF64). */
struct elf_symbols *elf_symbols_open(pid_t pid);

/* The variable holding addr: "name" or "name+offset" in name. False when none does. */
bool elf_symbols_name(const struct elf_symbols *s, unsigned long addr, char *name, size_t cap);

/* The size of that variable (0 when none), e.g. 48 for a pthread_cond_t. */
unsigned long elf_symbols_size(const struct elf_symbols *s, unsigned long addr);

void elf_symbols_close(struct elf_symbols *s);

/* Pure: looks addr (an address as in the file, the load bias already taken off) up in an
 * ELF64 image in memory. Returns the symbol's size, 0 when no data object holds addr;
 * name gets "name" or "name+offset". */
unsigned long elf_image_lookup(const void *image, size_t size, unsigned long addr, char *name,
                               size_t cap);

#endif
