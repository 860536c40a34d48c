// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "radix.h"

void xb_radix_init(struct xb_radix *t)
{
	memset(t, 0, sizeof(*t));
}

static struct xb_radix_node *node_new(struct xb_radix *t, struct xb_radix_node *parent,
				      unsigned offset)
{
	struct xb_radix_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->parent = parent;
	n->offset = (uint8_t)offset;
	t->nodes++;
	return n;
}

static void node_free_all(struct xb_radix *t, void *e)
{
	struct xb_radix_node *n = e;

	if (!e || xb_radix_is_value(e))
		return;
	for (unsigned i = 0; i < XB_RADIX_SLOTS; i++)
		node_free_all(t, n->slots[i]);
	free(n);
	t->nodes--;
}

void xb_radix_destroy(struct xb_radix *t)
{
	node_free_all(t, t->root);
	xb_radix_init(t);
}

/* Largest index the current height can hold. */
static uint64_t max_index(const struct xb_radix *t)
{
	unsigned bits = t->shift + XB_RADIX_BITS;

	if (!t->root)
		return 0;
	if (xb_radix_is_value(t->root))
		return 0;
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/*
 * Grow upwards until index fits: the old root becomes slot 0 of a new root,
 * so existing indices keep their paths below it. A value entry at the root
 * (index 0 alone) moves down the same way.
 */
static int grow(struct xb_radix *t, uint64_t index)
{
	if (!t->root)
		return 0;
	if (xb_radix_is_value(t->root)) {
		struct xb_radix_node *n;

		if (!index)
			return 0;
		n = node_new(t, NULL, 0);
		if (!n)
			return -ENOMEM;
		n->slots[0] = t->root;
		n->count = 1;
		t->root = n;
		t->shift = 0;
	}
	while (index > max_index(t)) {
		struct xb_radix_node *old = t->root, *n = node_new(t, NULL, 0);

		if (!n)
			return -ENOMEM;
		n->slots[0] = old;
		n->count = 1;
		old->parent = n;
		old->offset = 0;
		t->root = n;
		t->shift += XB_RADIX_BITS;
	}
	return 0;
}

int xb_radix_store(struct xb_radix *t, uint64_t index, uint64_t v)
{
	struct xb_radix_node *n;
	unsigned shift;
	int rc;

	if (!t->root && !index) {
		t->root = xb_radix_mk_value(v);
		t->entries++;
		return 0;
	}
	rc = grow(t, index);
	if (rc)
		return rc;
	if (!t->root) {
		/* Height just enough for index: a leaf at shift 0, then grow. */
		t->root = node_new(t, NULL, 0);
		if (!t->root)
			return -ENOMEM;
		t->shift = 0;
		rc = grow(t, index);
		if (rc)
			return rc;
	}
	if (xb_radix_is_value(t->root)) {   /* index 0 over a root value */
		t->root = xb_radix_mk_value(v);
		return 0;
	}
	n = t->root;
	for (shift = t->shift; shift; shift -= XB_RADIX_BITS) {
		unsigned off = (index >> shift) & XB_RADIX_MASK;

		if (!n->slots[off]) {
			struct xb_radix_node *c = node_new(t, n, off);

			if (!c)
				return -ENOMEM;
			n->slots[off] = c;
			n->count++;
		}
		n = n->slots[off];
	}
	if (!n->slots[index & XB_RADIX_MASK]) {
		n->count++;
		t->entries++;
	}
	n->slots[index & XB_RADIX_MASK] = xb_radix_mk_value(v);
	return 0;
}

/* Drop the root while it has only slot 0 in use, as the kernel shrinks. */
static void shrink(struct xb_radix *t)
{
	while (t->root && !xb_radix_is_value(t->root)) {
		struct xb_radix_node *n = t->root;
		void *child = n->slots[0];

		if (n->count != 1 || !child)
			break;
		if (!xb_radix_is_value(child)) {
			((struct xb_radix_node *)child)->parent = NULL;
			t->shift -= XB_RADIX_BITS;
		} else if (t->shift) {
			break;   /* a value can only sit at the root for index 0 */
		}
		t->root = child;
		free(n);
		t->nodes--;
	}
	if (!t->root)
		t->shift = 0;
}

int xb_radix_delete(struct xb_radix *t, uint64_t index)
{
	struct xb_radix_node *n;
	unsigned shift;

	if (!t->root || index > max_index(t))
		return -ENOENT;
	if (xb_radix_is_value(t->root)) {
		t->root = NULL;
		t->entries--;
		return 0;
	}
	n = t->root;
	for (shift = t->shift; shift; shift -= XB_RADIX_BITS) {
		n = n->slots[(index >> shift) & XB_RADIX_MASK];
		if (!n)
			return -ENOENT;
	}
	if (!n->slots[index & XB_RADIX_MASK])
		return -ENOENT;
	n->slots[index & XB_RADIX_MASK] = NULL;
	t->entries--;
	/* Free nodes that became empty, bottom up. */
	while (n && !--n->count) {
		struct xb_radix_node *p = n->parent;

		if (p)
			p->slots[n->offset] = NULL;
		else
			t->root = NULL;
		free(n);
		t->nodes--;
		n = p;
	}
	shrink(t);
	return 0;
}

double xb_radix_bytes_per_entry(const struct xb_radix *t)
{
	if (!t->entries)
		return 0;
	return (double)t->nodes * sizeof(struct xb_radix_node) / (double)t->entries;
}
