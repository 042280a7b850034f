/* sched_symbols.h: names a trace's code and data addresses: file:line and function through
 * addr2line (binutils; one call for all the trace's addresses), globals from the ELF symbol
 * table (elf_symbols.h), stack addresses by the thread whose stack holds them. */
#ifndef RACELAB_SCHED_SYMBOLS_H
#define RACELAB_SCHED_SYMBOLS_H

#include <stddef.h>

#include "sched_trace.h"

struct sched_symbols;

/* Opens exe and names every code address of trace. Never NULL unless memory runs out; an
 * address it cannot name reads "?". */
struct sched_symbols *sched_symbols_open(const char *exe, const struct sched_trace *trace);
void sched_symbols_close(struct sched_symbols *s);

/* "lost_update.c:26" (the file's base name) and "worker". */
const char *sched_symbols_line(const struct sched_symbols *s, struct sched_addr pc);
const char *sched_symbols_function(const struct sched_symbols *s, struct sched_addr pc);

/* "counter", "accounts+48", "T0's stack", or the hex address. */
void sched_symbols_data(const struct sched_symbols *s, const struct sched_trace *trace,
                        struct sched_addr a, char *out, size_t cap);

#endif
