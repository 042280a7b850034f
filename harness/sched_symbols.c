/* sched_symbols.c: addr2line and the ELF symbol table for a trace. */
#include <elf.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_symbols.h"
#include "file_util.h"
#include "sched_symbols.h"

#define MAX_PCS 2048

struct pc_name {
	unsigned long pc;
	char line[96];
	char function[64];
};

struct sched_symbols {
	char *image; /* the executable's bytes */
	size_t image_len;
	unsigned long vaddr_base; /* added to trace offsets: 0 for PIE */
	struct pc_name pcs[MAX_PCS];
	int n_pcs;
};

static int find_pc(const struct sched_symbols *s, unsigned long pc)
{
	for (int i = 0; i < s->n_pcs; i++)
		if (s->pcs[i].pc == pc)
			return i;
	return -1;
}

static void add_pc(struct sched_symbols *s, struct sched_addr a)
{
	if (!a.in_exe || find_pc(s, a.value) >= 0 || s->n_pcs == MAX_PCS)
		return;
	struct pc_name *p = &s->pcs[s->n_pcs++];
	p->pc = a.value;
	snprintf(p->line, sizeof(p->line), "?");
	snprintf(p->function, sizeof(p->function), "?");
}

/* One addr2line for every pc: it prints a function line and a file:line line each. */
static void run_addr2line(struct sched_symbols *s, const char *exe)
{
	size_t cap = 64 + strlen(exe) + (size_t)s->n_pcs * 20;
	char *cmd = malloc(cap);
	if (!cmd || !s->n_pcs) {
		free(cmd);
		return;
	}
	size_t used = (size_t)snprintf(cmd, cap, "addr2line -f -e '%s'", exe);
	for (int i = 0; i < s->n_pcs; i++)
		used +=
		    (size_t)snprintf(cmd + used, cap - used, " %lx", s->pcs[i].pc + s->vaddr_base);
	FILE *p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return;
	char fn[512], where[1024];
	for (int i = 0; i < s->n_pcs && fgets(fn, sizeof(fn), p) && fgets(where, sizeof(where), p);
	     i++) {
		fn[strcspn(fn, "\n")] = '\0';
		where[strcspn(where, "\n (")] = '\0';
		snprintf(s->pcs[i].function, sizeof(s->pcs[i].function), "%s", fn);
		snprintf(s->pcs[i].line, sizeof(s->pcs[i].line), "%s", basename(where));
	}
	pclose(p);
}

struct sched_symbols *sched_symbols_open(const char *exe, const struct sched_trace *trace)
{
	struct sched_symbols *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->image = file_read_all(exe, 512u << 20, &s->image_len);
	if (s->image && s->image_len >= sizeof(Elf64_Ehdr) &&
	    ((Elf64_Ehdr *)s->image)->e_type == ET_EXEC)
		s->vaddr_base = 0x400000; /* a non-PIE program: offsets count from its start */
	for (size_t i = 0; i < trace->n_events; i++)
		add_pc(s, trace->events[i].pc);
	for (int i = 0; i < trace->n_waiters; i++)
		add_pc(s, trace->waiters[i].pc);
	for (int i = 0; i < trace->n_next; i++)
		add_pc(s, trace->next[i].pc);
	run_addr2line(s, exe);
	return s;
}

void sched_symbols_close(struct sched_symbols *s)
{
	if (!s)
		return;
	free(s->image);
	free(s);
}

const char *sched_symbols_line(const struct sched_symbols *s, struct sched_addr pc)
{
	int i = find_pc(s, pc.value);
	return pc.in_exe && i >= 0 ? s->pcs[i].line : "?";
}

const char *sched_symbols_function(const struct sched_symbols *s, struct sched_addr pc)
{
	int i = find_pc(s, pc.value);
	return pc.in_exe && i >= 0 ? s->pcs[i].function : "?";
}

void sched_symbols_data(const struct sched_symbols *s, const struct sched_trace *trace,
                        struct sched_addr a, char *out, size_t cap)
{
	if (a.in_exe && s->image &&
	    elf_image_lookup(s->image, s->image_len, a.value + s->vaddr_base, out, cap))
		return;
	if (!a.in_exe)
		for (int i = 0; i < trace->n_threads; i++)
			if (a.value >= trace->threads[i].stack_lo &&
			    a.value < trace->threads[i].stack_hi) {
				snprintf(out, cap, "T%d's stack", trace->threads[i].tid);
				return;
			}
	snprintf(out, cap, "%s%lx", a.in_exe ? "+" : "0x", a.value);
}
