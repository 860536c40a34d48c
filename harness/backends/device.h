/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device safety: before daxbench formats a host device it proves the device
 * is one the user named, a block device, and free: not mounted (nor any of
 * its partitions), not a swap area, not held by device-mapper/md/LVM, and
 * openable with O_EXCL (the kernel's own "in use" test).
 */
#ifndef XB_DEVICE_H
#define XB_DEVICE_H
#ifndef XB_LAYER_HARNESS
#error "harness/backends/device.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "util.h"

struct xb_sysroot {
	const char *mountinfo;   /* text of /proc/self/mountinfo */
	const char *swaps;       /* text of /proc/swaps */
	const char *sys;         /* "/sys", or a fake tree in tests */
};

/*
 * 0 when path may be formatted; otherwise -EBUSY/-ENOTBLK/-ENOENT with one
 * line in err saying why ("/dev/loop3 is mounted at /mnt/x"). sr may be NULL
 * for the running system.
 */
int xb_device_check_free(const char *path, const struct xb_sysroot *sr);

/* Is device number maj:min, or a partition of it, mounted? Returns the
 * mount point (malloc'd) or NULL. Exposed for tests. */
char *xb_device_mounted(const char *mountinfo, const char *sys, unsigned maj, unsigned min);

/* Is something mounted at dir (per /proc/self/mountinfo)? */
bool xb_mounted_at(const char *dir);

#endif
