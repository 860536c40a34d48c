// SPDX-License-Identifier: GPL-2.0
/*
 * What lib/xarray.c needs from lib/radix-tree.c (its node cache and the
 * RCU callback that frees a node), and the model's side of the XArray:
 * create, store, free, count nodes (kxa.h). Compiled with the kernel's
 * test shims, apart from the rest of daxbench.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <linux/slab.h>
#include <linux/radix-tree.h>
#include <linux/xarray.h>
#include "kxa.h"

int kmalloc_verbose;

#if defined(__x86_64__)
/* kernel/rcu/tree_plugin.h (PREEMPT_RCU), with the task's counters
 * thread-local: see urcu.h. */
static __thread int rcu_read_lock_nesting, rcu_read_unlock_special;

noinline void __rcu_read_lock(void)
{
	rcu_read_lock_nesting++;
	__asm__ __volatile__("" ::: "memory");
}

noinline void __rcu_read_unlock(void)
{
	__asm__ __volatile__("" ::: "memory");
	if (--rcu_read_lock_nesting == 0 && READ_ONCE(rcu_read_unlock_special))
		abort();   /* never: no grace period waits in the model */
}
#endif
struct kmem_cache *radix_tree_node_cachep;

void radix_tree_node_rcu_free(struct rcu_head *head)
{
	struct xa_node *node = container_of(head, struct xa_node, rcu_head);

	memset(node->slots, 0, sizeof(node->slots));
	memset(node->tags, 0, sizeof(node->tags));
	INIT_LIST_HEAD(&node->private_list);
	kmem_cache_free(radix_tree_node_cachep, node);
}

/* lib/radix-tree.c's constructor: xarray.c relies on new nodes being zero. */
static void node_ctor(void *arg)
{
	struct xa_node *node = arg;

	memset(node, 0, sizeof(*node));
	INIT_LIST_HEAD(&node->private_list);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void cache_init(void)
{
	radix_tree_node_cachep = kmem_cache_create("radix_tree_node", sizeof(struct xa_node), 0,
						   SLAB_PANIC, node_ctor);
}

struct xarray *xb_kxa_new(void)
{
	struct xarray *xa = malloc(sizeof(*xa));

	pthread_once(&once, cache_init);
	if (xa)
		xa_init(xa);
	return xa;
}

int xb_kxa_store(struct xarray *xa, unsigned long index, unsigned long v)
{
	if (v > LONG_MAX)
		return -EINVAL;
	return xa_err(xa_store(xa, index, xa_mk_value(v), GFP_KERNEL));
}

void xb_kxa_free(struct xarray *xa)
{
	if (!xa)
		return;
	xa_destroy(xa);
	free(xa);
}

unsigned long xb_kxa_nodes(void)
{
	pthread_once(&once, cache_init);
	return kmem_cache_nr_allocated(radix_tree_node_cachep);
}

unsigned long xb_kxa_node_bytes(void)
{
	return sizeof(struct xa_node);
}
