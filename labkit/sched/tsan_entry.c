/* tsan_entry.c: the entry points that -fsanitize=thread code calls (clang 14 and gcc 12
 * emit the same names), each a scheduling point of the schedule runtime instead of TSan's
 * race detection. A plain access is logged with the value it loads or stores; an atomic
 * is done here, sequentially consistent (one thread runs at a time, so the memory order
 * asked for changes nothing), and logged with its old and new value. */
#include <string.h>

#include "runtime.h"

#define PC ((uintptr_t)__builtin_return_address(0))

void __tsan_init(void)
{
	sched_self();
}

void __tsan_func_entry(void *pc)
{
	(void)pc;
}

void __tsan_func_exit(void)
{
}

void __tsan_ignore_thread_begin(void)
{
}

void __tsan_ignore_thread_end(void)
{
}

/* Addresses stored to while two or more threads lived: an open-addressing set. */
#define WRITTEN_SLOTS 8192
static uintptr_t written[WRITTEN_SLOTS];

static bool was_written(uintptr_t a, bool add)
{
	for (unsigned i = (unsigned)(a >> 3) * 2654435761u % WRITTEN_SLOTS, n = 0;
	     n < WRITTEN_SLOTS; i = (i + 1) % WRITTEN_SLOTS, n++) {
		if (written[i] == a)
			return true;
		if (!written[i]) {
			if (add)
				written[i] = a;
			return false;
		}
	}
	return true; /* full: treat everything as written (more points, never fewer) */
}

/* Is an access to be logged? While two threads live, and while one lives but another
 * has ended without a join: nothing orders that one's accesses before this one's, so the
 * race check (por) needs them. Otherwise (before the threads, after every join) not. */
static bool logged(void)
{
	return rt.alive >= 2 || rt.unjoined > 0;
}

static void access_at(const void *addr, int size, bool write, uintptr_t pc)
{
	struct sthread *me = sched_self();
	if (!me)
		return;
	/* No point before a read of what nobody has written since the threads started (the
	 * lab's settings, read-only data): a switch there equals one at the next point, and
	 * skipping it keeps the exhaustive search small. */
	if (!logged()) {
		sched_flush_store(me);
		return;
	}
	if (rt.alive >= 2 && !rt.strategy.sync_only &&
	    (write || was_written((uintptr_t)addr, false)))
		sched_point(me, write ? SCHED_OP_STORE : SCHED_OP_LOAD, addr, pc, false);
	else
		sched_flush_store(me); /* logged below all the same: the trace shows the value */
	if (write)
		was_written((uintptr_t)addr, true);
	if (write) {
		me->pending_addr = addr;
		me->pending_size = size;
		me->pending_old = sched_peek(addr, size);
		me->pending_pc = pc;
		me->pending_step = rt.step;
		return;
	}
	int64_t v = sched_peek(addr, size);
	trace_event(me->id, SCHED_OP_LOAD, pc, addr, size, v, v);
}

#define PLAIN_ACCESS(n)                                                                            \
	void __tsan_read##n(void *a)                                                               \
	{                                                                                          \
		access_at(a, n, false, PC);                                                        \
	}                                                                                          \
	void __tsan_write##n(void *a)                                                              \
	{                                                                                          \
		access_at(a, n, true, PC);                                                         \
	}                                                                                          \
	void __tsan_unaligned_read##n(void *a)                                                     \
	{                                                                                          \
		access_at(a, n, false, PC);                                                        \
	}                                                                                          \
	void __tsan_unaligned_write##n(void *a)                                                    \
	{                                                                                          \
		access_at(a, n, true, PC);                                                         \
	}                                                                                          \
	void __tsan_volatile_read##n(void *a)                                                      \
	{                                                                                          \
		access_at(a, n, false, PC);                                                        \
	}                                                                                          \
	void __tsan_volatile_write##n(void *a)                                                     \
	{                                                                                          \
		access_at(a, n, true, PC);                                                         \
	}                                                                                          \
	void __tsan_read##n##_pc(void *a, void *pc)                                                \
	{                                                                                          \
		access_at(a, n, false, (uintptr_t)pc);                                             \
	}                                                                                          \
	void __tsan_write##n##_pc(void *a, void *pc)                                               \
	{                                                                                          \
		access_at(a, n, true, (uintptr_t)pc);                                              \
	}
PLAIN_ACCESS(1)
PLAIN_ACCESS(2)
PLAIN_ACCESS(4)
PLAIN_ACCESS(8)
PLAIN_ACCESS(16)

void __tsan_read_range(void *a, unsigned long size)
{
	access_at(a, size >= 8 ? 8 : (int)size, false, PC);
}

void __tsan_write_range(void *a, unsigned long size)
{
	access_at(a, size >= 8 ? 8 : (int)size, true, PC);
}

void __tsan_vptr_read(void **p)
{
	access_at(p, 8, false, PC);
}

void __tsan_vptr_update(void **p, void *v)
{
	(void)v;
	access_at(p, 8, true, PC);
}

/* An atomic: a point, then the operation, logged as op with its old and new value. A load
 * that finds what the same line found last time is a spin: the next point yields. */
static struct sthread *atomic_begin(enum sched_op op, const volatile void *a, uintptr_t pc)
{
	struct sthread *me = sched_self();
	if (me && rt.alive >= 2)
		sched_point(me, op, (const void *)a, pc, false);
	else if (me)
		sched_flush_store(me);
	return me;
}

static void atomic_end(struct sthread *me, enum sched_op op, const volatile void *a, int size,
                       int64_t old_value, uintptr_t pc)
{
	if (!me || !logged())
		return;
	int64_t now = sched_peek((const void *)a, size);
	if (op == SCHED_OP_ATOMIC_LOAD) {
		me->spinning = me->last_load_pc == pc && me->last_load_value == now;
		me->last_load_pc = pc;
		me->last_load_value = now;
	} else {
		me->last_load_pc = 0;
	}
	trace_event(me->id, op, pc, (const void *)a, size, old_value, now);
}

#define ATOMICS(n, T)                                                                              \
	T __tsan_atomic##n##_load(const volatile T *a, int mo)                                     \
	{                                                                                          \
		(void)mo;                                                                          \
		struct sthread *me = atomic_begin(SCHED_OP_ATOMIC_LOAD, a, PC);                    \
		T v = __atomic_load_n(a, __ATOMIC_SEQ_CST);                                        \
		atomic_end(me, SCHED_OP_ATOMIC_LOAD, a, n / 8, (int64_t)v, PC);                    \
		return v;                                                                          \
	}                                                                                          \
	void __tsan_atomic##n##_store(volatile T *a, T v, int mo)                                  \
	{                                                                                          \
		(void)mo;                                                                          \
		struct sthread *me = atomic_begin(SCHED_OP_ATOMIC_STORE, a, PC);                   \
		T old = *a;                                                                        \
		__atomic_store_n(a, v, __ATOMIC_SEQ_CST);                                          \
		atomic_end(me, SCHED_OP_ATOMIC_STORE, a, n / 8, (int64_t)old, PC);                 \
	}                                                                                          \
	RMW(n, T, exchange, __atomic_exchange_n)                                                   \
	RMW(n, T, fetch_add, __atomic_fetch_add)                                                   \
	RMW(n, T, fetch_sub, __atomic_fetch_sub)                                                   \
	RMW(n, T, fetch_and, __atomic_fetch_and)                                                   \
	RMW(n, T, fetch_or, __atomic_fetch_or)                                                     \
	RMW(n, T, fetch_xor, __atomic_fetch_xor)                                                   \
	RMW(n, T, fetch_nand, __atomic_fetch_nand)                                                 \
	int __tsan_atomic##n##_compare_exchange_strong(volatile T *a, T *expected, T desired,      \
	                                               int mo, int fail_mo)                        \
	{                                                                                          \
		(void)mo, (void)fail_mo;                                                           \
		struct sthread *me = atomic_begin(SCHED_OP_RMW, a, PC);                            \
		T old = *a;                                                                        \
		int ok = __atomic_compare_exchange_n(a, expected, desired, 0, __ATOMIC_SEQ_CST,    \
		                                     __ATOMIC_SEQ_CST);                            \
		atomic_end(me, SCHED_OP_RMW, a, n / 8, (int64_t)old, PC);                          \
		return ok;                                                                         \
	}                                                                                          \
	int __tsan_atomic##n##_compare_exchange_weak(volatile T *a, T *expected, T desired,        \
	                                             int mo, int fail_mo)                          \
	{                                                                                          \
		(void)mo, (void)fail_mo;                                                           \
		struct sthread *me = atomic_begin(SCHED_OP_RMW, a, PC);                            \
		T old = *a;                                                                        \
		int ok = __atomic_compare_exchange_n(a, expected, desired, 0, __ATOMIC_SEQ_CST,    \
		                                     __ATOMIC_SEQ_CST);                            \
		atomic_end(me, SCHED_OP_RMW, a, n / 8, (int64_t)old, PC);                          \
		return ok;                                                                         \
	}                                                                                          \
	T __tsan_atomic##n##_compare_exchange_val(volatile T *a, T expected, T desired, int mo,    \
	                                          int fail_mo)                                     \
	{                                                                                          \
		(void)mo, (void)fail_mo;                                                           \
		struct sthread *me = atomic_begin(SCHED_OP_RMW, a, PC);                            \
		T old = *a;                                                                        \
		__atomic_compare_exchange_n(a, &expected, desired, 0, __ATOMIC_SEQ_CST,            \
		                            __ATOMIC_SEQ_CST);                                     \
		atomic_end(me, SCHED_OP_RMW, a, n / 8, (int64_t)old, PC);                          \
		return old;                                                                        \
	}

#define RMW(n, T, name, builtin)                                                                   \
	T __tsan_atomic##n##_##name(volatile T *a, T v, int mo)                                    \
	{                                                                                          \
		(void)mo;                                                                          \
		struct sthread *me = atomic_begin(SCHED_OP_RMW, a, PC);                            \
		T old = builtin(a, v, __ATOMIC_SEQ_CST);                                           \
		atomic_end(me, SCHED_OP_RMW, a, n / 8, (int64_t)old, PC);                          \
		return old;                                                                        \
	}

ATOMICS(8, int8_t)
ATOMICS(16, int16_t)
ATOMICS(32, int32_t)
ATOMICS(64, int64_t)

void __tsan_atomic_thread_fence(int mo)
{
	(void)mo;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void __tsan_atomic_signal_fence(int mo)
{
	(void)mo;
}
