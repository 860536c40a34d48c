/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sector-to-address translation models: what each driver's
 * ->direct_access() did for fs/dax when a radix entry held a sector, and
 * what decoding a pfn costs when the entry holds the pfn instead.
 * Written to follow the 2017 drivers (drivers/s390/block/dcssblk.c,
 * arch/powerpc/sysdev/axonram.c, drivers/nvdimm/pmem.c of v4.12-v4.14),
 * not copied: these are their inner methods (__dcssblk_direct_access,
 * __axon_ram_direct_access, __pmem_direct_access), which trust the caller
 * to stay inside the device (none checks the range: past the last page
 * dcssblk and axonram report 0 pages, which dax_direct_access() turns
 * into -ERANGE) and return the pfn as a pfn_t, flags in its top bits.
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
#define XB_PMD_ORDER 9   /* dax_radix_order() of a PMD entry: PMD_SHIFT - PAGE_SHIFT, x86 */

/* pfn_t of include/linux/pfn_t.h (2017): flags in the top PAGE_SHIFT
 * bits of the value, phys_to_pfn_t() masks them in. */
#define XB_PFN_FLAGS_MASK (~UINT64_C(0) << (64 - XB_PAGE_SHIFT))
#define XB_PFN_DEV        (UINT64_C(1) << 61)
#define XB_PFN_MAP        (UINT64_C(1) << 60)
static inline uint64_t xb_phys_to_pfn_t(uint64_t phys, uint64_t flags)
{
	return (phys >> XB_PAGE_SHIFT) | (flags & XB_PFN_FLAGS_MASK);
}
static inline uint64_t xb_pfn_t_to_pfn(uint64_t pfn_t)
{
	return pfn_t & ~XB_PFN_FLAGS_MASK;
}

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
 * pmem: base plus offset, but first a bad-block check (is_bad_pmem): the
 * range asked for must not overlap a known bad sector. The list is kept
 * sorted by sector, as the kernel's badblocks table is, and searched only
 * when non-empty. The pfn carries the device's pfn_flags.
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
	uint64_t pfn_flags;    /* PFN_DEV, | PFN_MAP with a memmap */
	const struct xb_badblock *bb;
	size_t bb_count;
};

/*
 * The drivers' inner ->direct_access(pgoff, nr_pages): the pages available
 * from the address in *kaddr, its pfn_t in *pfn, or -EIO (pmem, a bad
 * block in range). dcssblk's and axonram's are static in their drivers and
 * inlined into the method, so inline here; pmem's is __weak (a test
 * harness overrides it), so never inlined, so out of line here.
 */
static inline long xb_dcssblk_direct_access(const struct xb_dcssblk *d, uint64_t pgoff,
					    long nr_pages, uint64_t *kaddr, uint64_t *pfn)
{
	uint64_t offset = pgoff * XB_PAGE_SIZE;
	uint64_t dev_sz = d->end - d->start + 1;

	(void)nr_pages;   /* dcssblk reports what is left, whatever was asked */
	*kaddr = d->start + offset;   /* DCSS memory is mapped 1:1 */
	*pfn = xb_phys_to_pfn_t(d->start + offset, XB_PFN_DEV);
	return (long)((dev_sz - offset) / XB_PAGE_SIZE);
}

static inline long xb_axonram_direct_access(const struct xb_axonram *a, uint64_t pgoff,
					    long nr_pages, uint64_t *kaddr, uint64_t *pfn)
{
	uint64_t offset = pgoff * XB_PAGE_SIZE;

	(void)nr_pages;
	*kaddr = a->io_addr + offset;
	*pfn = xb_phys_to_pfn_t(a->ph_addr + offset, XB_PFN_DEV);
	return (long)((a->size - offset) / XB_PAGE_SIZE);
}

long xb_pmem_direct_access(const struct xb_pmem *p, uint64_t pgoff, long nr_pages,
			   uint64_t *kaddr, uint64_t *pfn);

/* Whether [sector, sector + len) overlaps a bad block: binary search. */
int xb_badblocks_check(const struct xb_badblock *bb, size_t n, uint64_t sector, uint64_t len);

/* The pfn-style path: a pfn straight to a kernel address through the
 * direct map, as pfn_to_kaddr() does for pages the kernel maps linearly. */
#define XB_DIRECT_MAP_BASE UINT64_C(0xffff888000000000)
static inline uint64_t xb_pfn_to_kaddr(uint64_t pfn)
{
	return XB_DIRECT_MAP_BASE + (pfn << XB_PAGE_SHIFT);
}

#endif
