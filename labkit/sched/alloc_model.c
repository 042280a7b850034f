/* alloc_model.c: malloc and its kin under the scheduler (--wrap). The heap itself is
 * glibc's; what the trace needs is where a block begins its life: a block one thread
 * frees and another gets again is new memory, not an access racing with the old owner's
 * (racelab's race check forgets what it knew of those bytes at an "alloc" event). */
#include <limits.h>
#include <stdlib.h>

#include "runtime.h"

#define PC ((uintptr_t)__builtin_return_address(0))

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);

/* Logs block p of size bytes, got by the running managed thread (if any). */
static void *born(void *p, size_t size, uintptr_t pc)
{
	struct sthread *me = sched_running();
	if (p && me) {
		sched_flush_store(me);
		trace_event(me->id, SCHED_OP_ALLOC, pc, p, size > INT_MAX ? INT_MAX : (int)size, 0,
		            0);
	}
	return p;
}

void *__wrap_malloc(size_t size)
{
	return born(__real_malloc(size), size, PC);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return born(__real_calloc(n, size), n * size, PC);
}

void *__wrap_realloc(void *p, size_t size)
{
	return born(__real_realloc(p, size), size, PC);
}
