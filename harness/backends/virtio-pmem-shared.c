// SPDX-License-Identifier: GPL-2.0
/*
 * One host image file attached to every guest. With virtio-pmem the file
 * is mapped (memory-backend-file, share=on, readonly=on) into each guest's
 * physical address space: the guest sees /dev/pmem0, DAX-capable at once
 * (no fsdax info block needed, unlike an nvdimm). A DAX mount then maps
 * the host's page-cache pages of the file straight into guest processes:
 * one host copy for all guests, what DCSS gave z/VM guests. Without DAX
 * the same device is read through each guest's own page cache; as a
 * virtio-blk disk it is the usual unshared setup; KSM is that setup with
 * the host merging identical guest pages after the fact.
 */
#include <string.h>
#include "backends.h"

void xb_share_mode_args(struct xb_argv *a, char **out_mem_extra, const struct xb_share_mode *m,
			const char *img, uint64_t size)
{
	*out_mem_extra = NULL;
	if (m->pmem) {
		/* a hot-pluggable slot and room above RAM for the device */
		*out_mem_extra = xb_strdup(",slots=2,maxmem=4G");
		xb_argv_add(a, "-object");
		xb_argv_addf(a, "memory-backend-file,id=usr,share=on,readonly=on,mem-path=%s,size=%llu",
			     img, (unsigned long long)size);
		xb_argv_add(a, "-device");
		xb_argv_add(a, "virtio-pmem-pci,memdev=usr,id=pmem0");
		return;
	}
	xb_argv_add(a, "-drive");
	xb_argv_addf(a, "file=%s,if=virtio,readonly=on,format=raw", img);
	if (m->ksm) {
		xb_argv_add(a, "-machine");
		xb_argv_add(a, "mem-merge=on");
	}
}
