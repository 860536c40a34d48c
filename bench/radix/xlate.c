// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include "xlate.h"

int xb_dcssblk_init(struct xb_dcssblk *d, const struct xb_dcss_seg *seg, size_t n)
{
	if (!n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (seg[i].end < seg[i].start)
			return -EINVAL;
		/* dcssblk_add_store: each segment must start right after the
		 * previous one ends, or the device is refused. */
		if (i && seg[i].start != seg[i - 1].end + 1)
			return -EINVAL;
	}
	d->start = seg[0].start;
	d->end = seg[n - 1].end;
	d->nseg = n;
	return 0;
}

int xb_badblocks_check(const struct xb_badblock *bb, size_t n, uint64_t sector, uint64_t len)
{
	size_t lo = 0, hi = n;
	uint64_t end = sector + len;

	/* The last bad block that starts before the end of the range is the
	 * only one that can overlap it (the list is sorted, non-overlapping). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (bb[mid].sector < end)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && bb[lo - 1].sector + bb[lo - 1].len > sector;
}

/* noipa: __weak in the driver, so its callers never see into it */
__attribute__((noipa)) long xb_pmem_direct_access(const struct xb_pmem *p, uint64_t pgoff,
						  long nr_pages, uint64_t *kaddr, uint64_t *pfn)
{
	uint64_t offset = pgoff * XB_PAGE_SIZE + p->data_offset;

	if (p->bb_count &&
	    xb_badblocks_check(p->bb, p->bb_count, (pgoff * XB_PAGE_SIZE) >> XB_SECTOR_SHIFT,
			       ((uint64_t)nr_pages * XB_PAGE_SIZE) >> XB_SECTOR_SHIFT))
		return -EIO;
	*kaddr = p->virt_addr + offset;
	*pfn = xb_phys_to_pfn_t(p->phys_addr + offset, p->pfn_flags);
	/* With bad blocks about, promise only what was checked. */
	if (p->bb_count)
		return nr_pages;
	return (long)((p->size - p->pfn_pad - offset) / XB_PAGE_SIZE);
}
