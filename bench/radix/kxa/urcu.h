/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The liburcu names the kernel's radix-tree test shims use
 * (tools/testing/radix-tree/linux/rcupdate.h includes <urcu.h>), as the
 * guest's Debian kernel has them (see rcu_read_lock below). The model changes a
 * tree only while nobody reads it (fill, then lookups), so freeing at once
 * in call_rcu() is safe. In place of liburcu, whose read lock would add
 * work the kernel's xa_load() does not do.
 */
#ifndef XB_KXA_URCU_H
#define XB_KXA_URCU_H

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

#if defined(__x86_64__)
/* Debian's amd64 6.1 kernel has PREEMPT_RCU (PREEMPT_DYNAMIC): an
 * out-of-line __rcu_read_lock()/__rcu_read_unlock() pair around the walk,
 * counting the task's nesting (glue.c). Its s390x kernel (voluntary
 * preemption, no preempt count) has nothing but the compiler barrier. */
void __rcu_read_lock(void);
void __rcu_read_unlock(void);
#define rcu_read_lock() __rcu_read_lock()
#define rcu_read_unlock() __rcu_read_unlock()
#else
#define rcu_read_lock() __asm__ __volatile__("" ::: "memory")
#define rcu_read_unlock() __asm__ __volatile__("" ::: "memory")
#endif
#define rcu_dereference(p) (*(__typeof__(p) volatile *)&(p))
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

static inline void call_rcu(struct rcu_head *h, void (*func)(struct rcu_head *))
{
	func(h);
}

static inline void rcu_register_thread(void) {}
static inline void rcu_unregister_thread(void) {}

#endif
