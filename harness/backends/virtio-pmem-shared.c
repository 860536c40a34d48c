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
#include "virtio-pmem-shared.h"

const struct xb_share_mode xb_share_modes[] = {
	{ "dax", "virtio-pmem, ext4 mounted ro,dax: guests map the shared host pages",
	  "dax", "/dev/pmem0", "ext4", true, false },
	{ "pagecache", "virtio-pmem, ext4 mounted ro without dax: each guest caches its copy",
	  "pagecache", "/dev/pmem0", "ext4", true, false },
	{ "blk", "virtio-blk disk of the image: the usual setup, no sharing",
	  "blk", "/dev/vda", "ext4", false, false },
	{ "ksm", "virtio-blk with host KSM merging identical guest pages (mem-merge=on)",
	  "blk", "/dev/vda", "ext4", false, true },
	{ "dax-erofs", "virtio-pmem, the erofs image mounted dax=always",
	  "dax", "/dev/pmem0", "erofs", true, false },
	{ "pagecache-erofs", "virtio-pmem, the erofs image mounted without dax",
	  "pagecache", "/dev/pmem0", "erofs", true, false },
};
const size_t xb_share_nmodes = sizeof(xb_share_modes) / sizeof(xb_share_modes[0]);

const struct xb_share_mode *xb_share_mode_find(const char *name)
{
	for (size_t i = 0; i < xb_share_nmodes; i++)
		if (!strcmp(xb_share_modes[i].name, name))
			return &xb_share_modes[i];
	return NULL;
}

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
