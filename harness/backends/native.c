// SPDX-License-Identifier: GPL-2.0
/*
 * native: no guest. The benchmark program runs on this machine against a
 * block device the user names (device = /dev/pmem0 in [backend native], or
 * --device), e.g. a real nvdimm namespace on a test machine. It is the only
 * backend that formats a host device, so it refuses one that is mounted or in
 * use (harness/device.c) and has no default device.
 */
#include <errno.h>
#include <string.h>
#include "backends.h"
#include "error.h"
#include "caps.h"

static const char *const params[] = { "device", NULL };

static int configure(struct xb_backend_cfg *g, const struct xb_kvlist *p)
{
	const char *dev = xb_kv_get(p, "device");

	if (!dev || strncmp(dev, "/dev/", 5))
		return xb_error_set(-EINVAL, "the native backend formats the device you name, and only that: give --device /dev/NAME (or device = in [backend native])");
	g->device = xb_strdup(dev);
	xb_kv_set(&g->fingerprint, "backend.device", dev);
	return 0;
}

const struct xb_backend_ops xb_backend_native = {
	.name = "native",
	.description = "this machine, no guest: a block device named with --device (formatted!)",
	.caps = XB_CAP_FS_DAX | XB_CAP_FS_PAGECACHE | XB_CAP_ANON | XB_CAP_WRITABLE,
	.kmods = NULL,
	.params = params,
	.native = true,
	.configure = configure,
};
