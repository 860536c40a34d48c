/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's devices and its timed loops: a file of n populated pages,
 * spread one every `stride` file pages, allocated contiguously on a device
 * of one of the backend models; a radix tree of its DAX entries in one of
 * the two encodings; lookups of a stream of entry ordinals.
 */
#ifndef XB_RADIX_MODEL_H
#define XB_RADIX_MODEL_H
#ifndef XB_LAYER_BENCH
#error "bench/radix/model.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "radix.h"
#include "xlate.h"

enum xb_encoding { XB_ENC_SECTOR, XB_ENC_PFN };

/* A backend model: a device and its ->direct_access(), called through a
 * pointer as fs/dax called dax_operations. */
struct xb_radix_backend {
	const char *name;
	long (*direct_access)(const void *dev, uint64_t pgoff, long nr_pages,
			      uint64_t *kaddr, uint64_t *pfn);
	/* Make a device of at least `pages` pages; 0 or -errno. */
	int (*make)(void *dev, uint64_t pages);
	size_t dev_size;
};

/* NULL-terminated table: dcssblk, axonram, pmem. */
extern const struct xb_radix_backend *const xb_radix_backends[];
const struct xb_radix_backend *xb_radix_backend_find(const char *name);

/* A backend's device, made by make(). */
struct xb_radix_dev {
	const struct xb_radix_backend *be;
	bool alive;   /* dax_alive(): set by xb_radix_dev_make() */
	union {
		struct xb_dcssblk dcssblk;
		struct xb_axonram axonram;
		struct xb_pmem pmem;
	} u;
};
int xb_radix_dev_make(struct xb_radix_dev *out, const struct xb_radix_backend *be,
		      uint64_t pages);

/*
 * The model's tree. Built with the kernel's XArray (meson option
 * kernel_xarray, bench/radix/kxa/): lib/xarray.c's own xa_store and
 * xa_load, so the model walks the tree the kernel walks. Otherwise the
 * hand-written tree of radix.h, which costs a fraction of xa_load.
 */
struct xarray;
struct xb_model_tree {
	struct xb_radix r;     /* the hand-written build */
	struct xarray *xa;     /* the kernel-XArray build */
	size_t xa_nodes, xa_entries;
};
void xb_model_tree_init(struct xb_model_tree *t);
void xb_model_tree_destroy(struct xb_model_tree *t);
/* Bytes of node memory per stored entry (0 when empty). */
double xb_model_tree_bytes_per_entry(const struct xb_model_tree *t);
size_t xb_model_tree_node_bytes(void);
/* Which tree this build has, for the run's facts. */
const char *xb_model_tree_name(void);

/*
 * Fill t with n entries, entry k at file page k * stride, its data on
 * device page k: a sector (k * 8) or the pfn that dev's direct_access
 * gives for that page. 0 or -errno.
 */
int xb_radix_fill(struct xb_model_tree *t, const struct xb_radix_dev *dev, enum xb_encoding enc,
		  uint64_t n, uint64_t stride);

/* The same entries in a flat array indexed by ordinal: the floor. */
uint64_t *xb_radix_flat(const struct xb_radix_dev *dev, uint64_t n);

/*
 * Look up ord[0..len) (ordinals, file page = ordinal * stride) and resolve
 * each to a pfn as the encoding demands. Returns the sum of the pfns so
 * nothing is optimised away; *bad counts entries that did not resolve.
 */
uint64_t xb_radix_lookup_sector(const struct xb_model_tree *t, const struct xb_radix_dev *dev,
				const uint32_t *ord, size_t len, uint64_t stride,
				uint64_t *bad);
uint64_t xb_radix_lookup_pfn(const struct xb_model_tree *t, const uint32_t *ord, size_t len,
			     uint64_t stride, uint64_t *bad);
uint64_t xb_radix_lookup_flat(const uint64_t *flat, const uint32_t *ord, size_t len);

#endif
