// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#ifdef XB_RADIX_KERNEL_XARRAY
#include "kxa/kxa.h"
#endif

/*
 * Addresses of the model devices. Values are arbitrary but plausible:
 * what matters is that each driver does its own arithmetic on them.
 */
#define DCSS_START   UINT64_C(0x80000000)      /* s390: DCSS above guest memory, 1:1 */
#define AXON_PHYS    UINT64_C(0x40000000000)
#define PMEM_PHYS    UINT64_C(0x100000000)
#define PMEM_DATA_OFF UINT64_C(0x200000)         /* an fsdax info block's reserve */
#define DCSS_SEGS    3

/*
 * The exported functions of drivers/dax/super.c (2017) that the drivers
 * and fs/dax call across modules: never inlined into their callers, nor
 * specialised for them (noipa).
 */
__attribute__((noipa)) void *xb_dax_get_private(const struct xb_radix_dev *dax_dev)
{
	return dax_dev->private;
}

__attribute__((noipa)) int xb_bdev_dax_pgoff(const struct xb_block_device *bdev, uint64_t sector,
					     size_t size, uint64_t *pgoff)
{
	uint64_t phys_off = (bdev->bd_part->start_sect + sector) * 512;

	if (pgoff)
		*pgoff = phys_off >> XB_PAGE_SHIFT;
	if (phys_off % XB_PAGE_SIZE || size % XB_PAGE_SIZE)
		return -EINVAL;
	return 0;
}

/* The drivers' dax_operations methods (dcssblk_dax_direct_access,
 * axon_ram_dax_direct_access, pmem_dax_direct_access of 2017). */
static long dcssblk_da(const struct xb_radix_dev *dax_dev, uint64_t pgoff, long nr,
		       uint64_t *kaddr, uint64_t *pfn)
{
	return xb_dcssblk_direct_access(xb_dax_get_private(dax_dev), pgoff, nr, kaddr, pfn);
}

static long axonram_da(const struct xb_radix_dev *dax_dev, uint64_t pgoff, long nr,
		       uint64_t *kaddr, uint64_t *pfn)
{
	return xb_axonram_direct_access(xb_dax_get_private(dax_dev), pgoff, nr, kaddr, pfn);
}

static long pmem_da(const struct xb_radix_dev *dax_dev, uint64_t pgoff, long nr,
		    uint64_t *kaddr, uint64_t *pfn)
{
	return xb_pmem_direct_access(xb_dax_get_private(dax_dev), pgoff, nr, kaddr, pfn);
}

/* Three contiguous segments of nearly equal size, as a user might join
 * them with `echo seg1:seg2:seg3 > add`. */
static int dcssblk_make(void *dev, uint64_t pages)
{
	struct xb_dcss_seg seg[DCSS_SEGS];
	uint64_t per = (pages + DCSS_SEGS - 1) / DCSS_SEGS, at = DCSS_START;

	for (int i = 0; i < DCSS_SEGS; i++) {
		seg[i].start = at;
		seg[i].end = at + per * XB_PAGE_SIZE - 1;
		at = seg[i].end + 1;
	}
	return xb_dcssblk_init(dev, seg, DCSS_SEGS);
}

static int axonram_make(void *dev, uint64_t pages)
{
	struct xb_axonram *a = dev;

	a->ph_addr = AXON_PHYS;
	a->io_addr = XB_DIRECT_MAP_BASE + AXON_PHYS;
	a->size = pages * XB_PAGE_SIZE;
	return 0;
}

/*
 * A healthy pmem device has an empty bad-block list, so the check is one
 * test of the count: the common case on real hardware and the case
 * /dev/pmem0 in the guest is in. The kernel's figures compare with this.
 */
static int pmem_make(void *dev, uint64_t pages)
{
	struct xb_pmem *p = dev;

	memset(p, 0, sizeof(*p));
	p->phys_addr = PMEM_PHYS;
	p->virt_addr = XB_DIRECT_MAP_BASE + PMEM_PHYS;
	p->data_offset = PMEM_DATA_OFF;
	p->size = pages * XB_PAGE_SIZE + PMEM_DATA_OFF;
	p->pfn_flags = XB_PFN_DEV | XB_PFN_MAP;   /* an fsdax namespace: memmap on the device */
	return 0;
}

static const struct xb_radix_backend dcssblk = { "dcssblk", dcssblk_da, dcssblk_make,
						 sizeof(struct xb_dcssblk) };
static const struct xb_radix_backend axonram = { "axonram", axonram_da, axonram_make,
						 sizeof(struct xb_axonram) };
static const struct xb_radix_backend pmem = { "pmem", pmem_da, pmem_make,
					      sizeof(struct xb_pmem) };

const struct xb_radix_backend *const xb_radix_backends[] = { &dcssblk, &axonram, &pmem, NULL };

const struct xb_radix_backend *xb_radix_backend_find(const char *name)
{
	for (size_t i = 0; xb_radix_backends[i]; i++)
		if (!strcmp(xb_radix_backends[i]->name, name))
			return xb_radix_backends[i];
	return NULL;
}

int xb_radix_dev_make(struct xb_radix_dev *out, const struct xb_radix_backend *be,
		      uint64_t pages)
{
	memset(out, 0, sizeof(*out));
	out->be = be;
	out->alive = true;
	out->private = &out->u;
	out->bdev.bd_part = &out->part;
	return be->make(&out->u, pages ? pages : 1);
}

static int dev_pfn(uint64_t *out, const struct xb_radix_dev *dev, uint64_t page)
{
	uint64_t kaddr, pfn;
	long rc = xb_dax_direct_access(dev, page, 1, &kaddr, &pfn);

	*out = xb_pfn_t_to_pfn(pfn);
	return rc < 0 ? (int)rc : 0;
}

/* ---- the tree ----------------------------------------------------- */

#ifdef XB_RADIX_KERNEL_XARRAY
static inline void *tree_load(const struct xb_model_tree *t, uint64_t index)
{
	return xa_load(t->xa, index);
}

static int tree_store(struct xb_model_tree *t, uint64_t index, uint64_t v)
{
	unsigned long before = xb_kxa_nodes();
	int rc = t->xa ? xb_kxa_store(t->xa, index, v) : -ENOMEM;

	/* trees are filled one at a time: the cache's growth is this tree's */
	t->xa_nodes += xb_kxa_nodes() - before;
	t->xa_entries += !rc;
	return rc;
}

void xb_model_tree_init(struct xb_model_tree *t)
{
	memset(t, 0, sizeof(*t));
	t->xa = xb_kxa_new();
}

void xb_model_tree_destroy(struct xb_model_tree *t)
{
	xb_kxa_free(t->xa);
	t->xa = NULL;
}

double xb_model_tree_bytes_per_entry(const struct xb_model_tree *t)
{
	return t->xa_entries ? (double)(t->xa_nodes * xb_kxa_node_bytes()) / (double)t->xa_entries
			     : 0;
}

size_t xb_model_tree_node_bytes(void)
{
	return xb_kxa_node_bytes();
}
#else
static inline void *tree_load(const struct xb_model_tree *t, uint64_t index)
{
	return xb_radix_load(&t->r, index);
}

static int tree_store(struct xb_model_tree *t, uint64_t index, uint64_t v)
{
	return xb_radix_store(&t->r, index, v);
}

void xb_model_tree_init(struct xb_model_tree *t)
{
	memset(t, 0, sizeof(*t));
	xb_radix_init(&t->r);
}

void xb_model_tree_destroy(struct xb_model_tree *t)
{
	xb_radix_destroy(&t->r);
}

double xb_model_tree_bytes_per_entry(const struct xb_model_tree *t)
{
	return xb_radix_bytes_per_entry(&t->r);
}

size_t xb_model_tree_node_bytes(void)
{
	return sizeof(struct xb_radix_node);
}
#endif

#ifndef XB_RADIX_TREE
#define XB_RADIX_TREE "hand-written tree (bench/radix/radix.c)"
#endif

const char *xb_model_tree_name(void)
{
	return XB_RADIX_TREE;
}

int xb_radix_fill(struct xb_model_tree *t, const struct xb_radix_dev *dev, enum xb_encoding enc,
		  uint64_t n, uint64_t stride)
{
	for (uint64_t k = 0; k < n; k++) {
		uint64_t payload = k << (XB_PAGE_SHIFT - XB_SECTOR_SHIFT);
		int rc = 0;

		if (enc == XB_ENC_PFN)
			rc = dev_pfn(&payload, dev, k);
		if (!rc)
			rc = tree_store(t, k * stride, xb_dax_mk(payload, 0));
		if (rc)
			return rc;
	}
	return 0;
}

uint64_t *xb_radix_flat(const struct xb_radix_dev *dev, uint64_t n)
{
	uint64_t *flat = malloc((n ? n : 1) * sizeof(*flat));

	for (uint64_t k = 0; flat && k < n; k++) {
		uint64_t pfn;

		if (dev_pfn(&pfn, dev, k)) {
			free(flat);
			return NULL;
		}
		flat[k] = xb_dax_mk(pfn, 0);
	}
	return flat;
}

/*
 * dax_direct_access() as drivers/dax/super.c had it in 2017 (v4.12-v4.14):
 * the generic layer every sector lookup of fs/dax went through before the
 * driver's method. Its might_sleep() is left out: with Debian's
 * PREEMPT_VOLUNTARY a call of _cond_resched(), which user space has no
 * counterpart of (README, radix section).
 */
__attribute__((noipa)) long xb_dax_direct_access(const struct xb_radix_dev *dax_dev,
						 uint64_t pgoff, long nr_pages, uint64_t *kaddr,
						 uint64_t *pfn)
{
	long avail;

	if (!dax_dev)
		return -EOPNOTSUPP;
	if (!dax_dev->alive)
		return -ENXIO;
	if (nr_pages < 0)
		return nr_pages;
	avail = dax_dev->be->direct_access(dax_dev, pgoff, nr_pages, kaddr, pfn);
	if (!avail)
		return -ERANGE;
	return avail < nr_pages ? avail : nr_pages;
}

uint64_t xb_radix_lookup_sector(const struct xb_model_tree *t, const struct xb_radix_dev *dev,
				const uint32_t *ord, size_t len, uint64_t stride,
				uint64_t *bad)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i++) {
		void *e = tree_load(t, (uint64_t)ord[i] * stride);
		uint64_t v, pgoff, kaddr, pfn;
		size_t size;

		if (!e) {
			(*bad)++;
			continue;
		}
		v = xb_radix_to_value(e);
		size = XB_PAGE_SIZE << (xb_dax_flags(v) & XB_DAX_PMD ? XB_PMD_ORDER : 0);
		if (xb_bdev_dax_pgoff(&dev->bdev, xb_dax_payload(v), size, &pgoff) ||
		    xb_dax_direct_access(dev, pgoff, (long)(size / XB_PAGE_SIZE), &kaddr, &pfn) < 1) {
			(*bad)++;
			continue;
		}
		sum += xb_pfn_t_to_pfn(pfn) + kaddr;   /* fs/dax used pfn_t_to_pfn(pfn) */
	}
	return sum;
}

uint64_t xb_radix_lookup_pfn(const struct xb_model_tree *t, const uint32_t *ord, size_t len,
			     uint64_t stride, uint64_t *bad)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i++) {
		void *e = tree_load(t, (uint64_t)ord[i] * stride);
		uint64_t pfn;

		if (!e) {
			(*bad)++;
			continue;
		}
		pfn = xb_dax_payload(xb_radix_to_value(e));
		sum += pfn + xb_pfn_to_kaddr(pfn);
	}
	return sum;
}

uint64_t xb_radix_lookup_flat(const uint64_t *flat, const uint32_t *ord, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i++) {
		uint64_t pfn = xb_dax_payload(flat[ord[i]]);

		sum += pfn + xb_pfn_to_kaddr(pfn);
	}
	return sum;
}
