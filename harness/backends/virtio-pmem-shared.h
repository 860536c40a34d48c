/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared-image backends of `daxbench share`: one host image file given
 * to every guest at once. A plug-in table, one entry per mode.
 */
#ifndef XB_BACKEND_VIRTIO_PMEM_SHARED_H
#define XB_BACKEND_VIRTIO_PMEM_SHARED_H
#ifndef XB_LAYER_HARNESS
#error "harness/backends/virtio-pmem-shared.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stdint.h>
#include "qemu.h"

struct xb_share_mode {
	const char *name;         /* dax | pagecache | blk | ksm | dax-erofs | pagecache-erofs */
	const char *description;
	const char *guest_mode;   /* what the guest mounts: dax | pagecache | blk */
	const char *guest_dev;    /* /dev/pmem0 or /dev/vda */
	const char *fs;           /* the image attached and mounted: ext4 | erofs */
	bool pmem;                /* virtio-pmem-pci over a shared memory-backend-file */
	bool ksm;                 /* host KSM on while the guests run */
};

extern const struct xb_share_mode xb_share_modes[];
extern const size_t xb_share_nmodes;
const struct xb_share_mode *xb_share_mode_find(const char *name);
/* The QEMU arguments attaching img (size bytes) read-only; *out_mem_extra
 * (malloc'd or NULL) goes after -m. */
void xb_share_mode_args(struct xb_argv *a, char **out_mem_extra, const struct xb_share_mode *m,
			const char *img, uint64_t size);

#endif
