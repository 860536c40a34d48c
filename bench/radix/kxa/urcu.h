/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The liburcu names the kernel's radix-tree test shims use
 * (tools/testing/radix-tree/linux/rcupdate.h includes <urcu.h>), as a
 * non-preemptible kernel (Debian's s390x; amd64 adds a counter) has them:
 * an RCU read-side section is a compiler barrier. The model changes a
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

#define rcu_read_lock() __asm__ __volatile__("" ::: "memory")
#define rcu_read_unlock() __asm__ __volatile__("" ::: "memory")
#define rcu_dereference(p) (*(__typeof__(p) volatile *)&(p))
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

static inline void call_rcu(struct rcu_head *h, void (*func)(struct rcu_head *))
{
	func(h);
}

static inline void rcu_register_thread(void) {}
static inline void rcu_unregister_thread(void) {}

#endif
