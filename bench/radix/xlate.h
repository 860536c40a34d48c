/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sector-to-address translation models: what each driver's
 * ->direct_access() did for fs/dax when a radix entry held a sector, and
 * what decoding a pfn costs when the entry holds the pfn instead.
 * Written to follow the 2017 drivers (drivers/s390/block/dcssblk.c,
 * arch/powerpc/sysdev/axonram.c, drivers/nvdimm/pmem.c), not copied.
 *
 * Addresses are modelled as integers (uintptr_t): the model never
 * dereferences them, it computes them the way the drivers did.
 */
#ifndef XB_RADIX_XLATE_H
#define XB_RADIX_XLATE_H
#ifndef XB_LAYER_BENCH
#error "bench/radix/xlate.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include <errno.h>
#include <stdint.h>

#define XB_PAGE_SHIFT 12
#define XB_PAGE_SIZE  (UINT64_C(1) << XB_PAGE_SHIFT)
#define XB_SECTOR_SHIFT 9

/*
 * dcssblk: a device built from one or more DCSS segments. dcssblk_add
 * refuses segments that are not contiguous in the guest's address space,
 * so the device is one range [start, end]; direct_access is start + offset
 * and the pages left to the end.
 */
struct xb_dcss_seg {
	uint64_t start, end;   /* inclusive, as segment_load() reports them */
};
struct xb_dcssblk {
	uint64_t start, end;   /* of the whole device, inclusive */
	size_t nseg;
};
/* 0, or -EINVAL when the segments are not contiguous and ascending. */
int xb_dcssblk_init(struct xb_dcssblk *d, const struct xb_dcss_seg *seg, size_t n);

/* axonram: one bank, ioremapped; base plus offset. */
struct xb_axonram {
	uint64_t io_addr;   /* kernel virtual address of the bank */
	uint64_t ph_addr;   /* physical address */
	uint64_t size;
};

/*
 * pmem: base plus offset, but first a bad-block check: the range asked for
 * must not overlap a known bad sector. The list is kept sorted by sector,
 * as the kernel's badblocks table is, and searched only when non-empty.
 */
struct xb_badblock {
	uint64_t sector;
	uint64_t len;   /* sectors */
};
struct xb_pmem {
	uint64_t virt_addr;
	uint64_t phys_addr;
	uint64_t data_offset;  /* reserved room at the start (pfn metadata) */
	uint64_t size;
	uint64_t pfn_pad;
	const struct xb_badblock *bb;
	size_t bb_count;
};

/*
 * ->direct_access(pgoff, nr_pages): 0..n pages available from the address
 * in *kaddr, with its pfn in *pfn, or a negative errno (-EIO for a bad
 * block in range, -ERANGE past the end of the device).
 */
long xb_dcssblk_direct_access(const struct xb_dcssblk *d, uint64_t pgoff, long nr_pages,
			      uint64_t *kaddr, uint64_t *pfn);
long xb_axonram_direct_access(const struct xb_axonram *a, uint64_t pgoff, long nr_pages,
			      uint64_t *kaddr, uint64_t *pfn);
long xb_pmem_direct_access(const struct xb_pmem *p, uint64_t pgoff, long nr_pages,
			   uint64_t *kaddr, uint64_t *pfn);

/* Whether [sector, sector + len) overlaps a bad block: binary search. */
int xb_badblocks_check(const struct xb_badblock *bb, size_t n, uint64_t sector, uint64_t len);

/* What fs/dax computed before calling direct_access: the page offset of
 * a sector on the device (bdev_dax_pgoff), -EINVAL if not page aligned. */
static inline int xb_sector_to_pgoff(uint64_t *out, uint64_t sector, uint64_t part_start)
{
	uint64_t off = (sector + part_start) << XB_SECTOR_SHIFT;

	if (off & (XB_PAGE_SIZE - 1))
		return -EINVAL;
	*out = off >> XB_PAGE_SHIFT;
	return 0;
}

/* The pfn-style path: a pfn straight to a kernel address through the
 * direct map, as pfn_to_kaddr() does for pages the kernel maps linearly. */
#define XB_DIRECT_MAP_BASE UINT64_C(0xffff888000000000)
static inline uint64_t xb_pfn_to_kaddr(uint64_t pfn)
{
	return XB_DIRECT_MAP_BASE + (pfn << XB_PAGE_SHIFT);
}

#endif
