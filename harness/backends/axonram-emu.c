// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated axonram: a region of guest RAM that the kernel is told, with
 * memmap=SIZE!OFFSET, to treat as persistent memory. It is kept out of the
 * page allocator and exposed by the legacy e820 pmem driver (nd_e820 +
 * nd_pmem) as /dev/pmem0, a DAX-capable block device - what axonram did
 * with the Cell blade's DDR2. Unlike axonram the region gets struct pages
 * (the pmem driver's memmap); see the dcssblk-emu backend for the
 * FS_DAX_LIMITED case.
 */
#include <errno.h>
#include <string.h>
#include "backends.h"
#include "error.h"
#include "caps.h"

#define MiB (1024ull * 1024)
/* The kernel maps the legacy region in 128 MiB sections; a misaligned
 * one fails with "misaligned, unable to map". */
#define ALIGN (128 * MiB)

/* dax_pmem and device_dax: the devdax target turns the region into
 * /dev/daxN.M (bench/ndns.h); loaded, they change nothing until then. */
static const char *const kmods[] = { "nd_e820", "nd_pmem", "dax_pmem", "device_dax", NULL };
static const char *const params[] = { "memory", "region_size", "region_offset", NULL };

static int size_param(uint64_t *out, const struct xb_kvlist *p, const char *key,
		      const char *def)
{
	return xb_backend_size_param(out, &xb_backend_axonram_emu, p, key, def);
}

static int configure(struct xb_backend_cfg *g, const struct xb_kvlist *p)
{
	uint64_t mem, size, off;

	if (size_param(&mem, p, "memory", "2G") ||
	    size_param(&size, p, "region_size", "512M") ||
	    size_param(&off, p, "region_offset", "1G"))
		return -EINVAL;
	if (!size || size % ALIGN || off % ALIGN)
		return xb_error_set(-EINVAL, "axonram-emu: region_size and region_offset must be non-zero multiples of 128M (got %lluM at %lluM)",
					    (unsigned long long)(size / MiB), (unsigned long long)(off / MiB));
	if (off < 512 * MiB || off + size > mem || mem - size < 512 * MiB)
		return xb_error_set(-EINVAL, "axonram-emu: region %lluM at %lluM does not fit a guest of %lluM with at least 512M below it and 512M of RAM left",
					    (unsigned long long)(size / MiB), (unsigned long long)(off / MiB),
					    (unsigned long long)(mem / MiB));
	g->mem_mb = (unsigned)(mem / MiB);
	xb_buf_addf(&g->append, " memmap=%lluM!%lluM", (unsigned long long)(size / MiB),
		    (unsigned long long)(off / MiB));
	g->device = xb_strdup("/dev/pmem0");
	xb_kv_set(&g->fingerprint, "backend.model", "legacy e820 pmem (memmap=!), nd_pmem");
	xb_kv_setf(&g->fingerprint, "backend.region_size", "%llu", (unsigned long long)size);
	xb_kv_setf(&g->fingerprint, "backend.region_offset", "%llu", (unsigned long long)off);
	xb_kv_setf(&g->fingerprint, "backend.guest_memory", "%llu", (unsigned long long)mem);
	return 0;
}

const struct xb_backend_ops xb_backend_axonram_emu = {
	.name = "axonram-emu",
	.description = "emulated axonram: guest RAM carved out with memmap=SIZE!OFFSET, /dev/pmem0 with DAX",
	.caps = XB_CAP_FS_DAX | XB_CAP_FS_PAGECACHE | XB_CAP_ANON | XB_CAP_WRITABLE |
		XB_CAP_DEVDAX,
	.kmods = kmods,
	.params = params,
	.configure = configure,
};
