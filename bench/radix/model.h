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

struct xb_radix_dev;

/* A backend model: a device and its dax_operations' ->direct_access(),
 * called through a pointer as dax_direct_access() called it. The method
 * takes the dax device and finds its driver's device with
 * xb_dax_get_private(), as the 2017 drivers did. */
struct xb_radix_backend {
	const char *name;
	long (*direct_access)(const struct xb_radix_dev *dax_dev, uint64_t pgoff, long nr_pages,
			      uint64_t *kaddr, uint64_t *pfn);
	/* Make a device of at least `pages` pages; 0 or -errno. */
	int (*make)(void *dev, uint64_t pages);
	size_t dev_size;
};

/* NULL-terminated table: dcssblk, axonram, pmem. */
extern const struct xb_radix_backend *const xb_radix_backends[];
const struct xb_radix_backend *xb_radix_backend_find(const char *name);

/* The block device fs/dax held: its partition's start sector, reached
 * through bd_part as get_start_sect() did in 2017. */
struct xb_hd_struct { uint64_t start_sect; };
struct xb_block_device { const struct xb_hd_struct *bd_part; };

/*
 * A backend's device, made by make(): the dax_device (ops, alive, private)
 * and the whole-disk block device on it (partition start 0). Not to be
 * copied: bdev.bd_part and private point into the struct itself.
 */
struct xb_radix_dev {
	const struct xb_radix_backend *be;
	bool alive;      /* dax_alive(): set by xb_radix_dev_make() */
	void *private;   /* dax_get_private(): the driver's device, &u */
	struct xb_hd_struct part;
	struct xb_block_device bdev;
	union {
		struct xb_dcssblk dcssblk;
		struct xb_axonram axonram;
		struct xb_pmem pmem;
	} u;
};
int xb_radix_dev_make(struct xb_radix_dev *out, const struct xb_radix_backend *be,
		      uint64_t pages);

/* dax_get_private() of 2017: the driver's device behind a dax_device. */
void *xb_dax_get_private(const struct xb_radix_dev *dax_dev);

/*
 * bdev_dax_pgoff() of 2017 (drivers/dax/super.c): the page offset on the
 * dax device of a sector of the block device, -EINVAL if the sector or the
 * size is not page aligned (*pgoff is set all the same).
 */
int xb_bdev_dax_pgoff(const struct xb_block_device *bdev, uint64_t sector, size_t size,
		      uint64_t *pgoff);

/* dax_direct_access() of 2017: a device pgoff to an address and a pfn_t
 * through the driver's method; the pages available or a negative errno. */
long xb_dax_direct_access(const struct xb_radix_dev *dax_dev, uint64_t pgoff, long nr_pages,
			  uint64_t *kaddr, uint64_t *pfn);

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
 * each to a pfn as the encoding demands: a sector entry as fs/dax did in
 * 2017 (dax_writeback_one: size from the entry's order, bdev_dax_pgoff,
 * dax_direct_access for an address and a pfn). Returns the sum of the pfns so
 * nothing is optimised away; *bad counts entries that did not resolve.
 */
uint64_t xb_radix_lookup_sector(const struct xb_model_tree *t, const struct xb_radix_dev *dev,
				const uint32_t *ord, size_t len, uint64_t stride,
				uint64_t *bad);
uint64_t xb_radix_lookup_pfn(const struct xb_model_tree *t, const uint32_t *ord, size_t len,
			     uint64_t stride, uint64_t *bad);
uint64_t xb_radix_lookup_flat(const uint64_t *flat, const uint32_t *ord, size_t len);

#endif
