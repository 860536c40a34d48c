/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A userspace model of the page-cache radix tree (an XArray since v4.20) as
 * fs/dax uses it: 64-slot nodes, one level per 6 bits of the file page index,
 * internal pointers untagged (nodes are at least 8-byte aligned), value
 * entries tagged with bit 0 so that a lookup tells the two apart without a
 * table. Written from the design, not from the kernel's code.
 *
 * A DAX entry is a value whose low XB_DAX_SHIFT bits are flags and whose
 * upper bits are the payload: a sector (the design before late 2017) or a
 * pfn (after). The flags follow fs/dax's: lock, PMD, zero page, empty.
 */
#ifndef XB_RADIX_H
#define XB_RADIX_H
#ifndef XB_LAYER_BENCH
#error "bench/radix/radix.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XB_RADIX_BITS    6
#define XB_RADIX_SLOTS   (1u << XB_RADIX_BITS)
#define XB_RADIX_MASK    (XB_RADIX_SLOTS - 1)

/* Tagging: value entries have bit 0 set; node pointers never do. */
static inline void *xb_radix_mk_value(uint64_t v)   { return (void *)(uintptr_t)((v << 1) | 1); }
static inline bool xb_radix_is_value(const void *e) { return (uintptr_t)e & 1; }
static inline uint64_t xb_radix_to_value(const void *e) { return (uint64_t)(uintptr_t)e >> 1; }

/* DAX flags below the payload, as fs/dax keeps them. */
#define XB_DAX_LOCKED    (1u << 0)
#define XB_DAX_PMD       (1u << 1)
#define XB_DAX_ZERO_PAGE (1u << 2)
#define XB_DAX_EMPTY     (1u << 3)
#define XB_DAX_SHIFT     4

static inline uint64_t xb_dax_mk(uint64_t payload, unsigned flags)
{
	return (payload << XB_DAX_SHIFT) | flags;
}
static inline uint64_t xb_dax_payload(uint64_t v) { return v >> XB_DAX_SHIFT; }
static inline unsigned xb_dax_flags(uint64_t v)   { return (unsigned)(v & ((1u << XB_DAX_SHIFT) - 1)); }

/* The payload a value entry can carry: 63 bits of value less the flags. */
#define XB_DAX_PAYLOAD_MAX ((UINT64_C(1) << (63 - XB_DAX_SHIFT)) - 1)

struct xb_radix_node {
	void *slots[XB_RADIX_SLOTS];
	/* Three mark bitmaps (fs/dax uses dirty and towrite): unused by a
	 * lookup, kept so that memory per entry counts what a node costs. */
	uint64_t marks[3];
	struct xb_radix_node *parent;
	uint8_t offset;   /* slot in the parent */
	uint8_t count;    /* non-empty slots */
};

struct xb_radix {
	void *root;       /* NULL, a value entry (index 0 only), or a node */
	unsigned shift;   /* shift of the root node's slot index; 0 for a leaf root */
	size_t nodes;     /* allocated nodes, for memory per entry */
	size_t entries;
};

void xb_radix_init(struct xb_radix *t);
void xb_radix_destroy(struct xb_radix *t);

/* Store value v (<= 2^63-1) at index, replacing any entry. 0 or -ENOMEM. */
int xb_radix_store(struct xb_radix *t, uint64_t index, uint64_t v);
/* Remove the entry at index; 0, or -ENOENT when there was none. */
int xb_radix_delete(struct xb_radix *t, uint64_t index);

/* The entry at index, or NULL: the hot path, kept inline. */
static inline void *xb_radix_load(const struct xb_radix *t, uint64_t index)
{
	void *e = t->root;
	unsigned shift = t->shift;

	if (!e)
		return NULL;
	if (xb_radix_is_value(e))
		return index ? NULL : e;
	if (shift + XB_RADIX_BITS < 64 && (index >> (shift + XB_RADIX_BITS)))
		return NULL;
	for (;;) {
		const struct xb_radix_node *n = e;

		e = n->slots[(index >> shift) & XB_RADIX_MASK];
		if (!e || xb_radix_is_value(e))
			return e;
		shift -= XB_RADIX_BITS;
	}
}

/* Bytes of node memory per stored entry (0 when empty). */
double xb_radix_bytes_per_entry(const struct xb_radix *t);

#endif
