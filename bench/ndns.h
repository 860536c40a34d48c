/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ndns: the guest's own legacy (memmap=SIZE!OFFSET) pmem namespace put in
 * another mode through /sys/bus/nd - raw, fsdax with its memmap in RAM
 * (map=mem) or on the device (map=dev), device-dax - as
 * `ndctl create-namespace -f -e namespace0.0 -m MODE -M MAP` does.
 *
 * Why sysfs and not the ndctl binary: libndctl's sequence for a legacy
 * "io" namespace is seven attribute writes (disable the namespace; the
 * region's pfn or dax seed gets uuid, mode, align, namespace; bind), and
 * doing them here reports which write the kernel refused with its errno,
 * where ndctl in a busybox guest would first need itself, libndctl,
 * libdaxctl, libkmod (with modules.alias), libudev, json-c and libuuid in
 * the image and then say "failed to create namespace". The kernel code
 * measured is the same either way: ndctl only writes these files.
 *
 * Only a namespace of the legacy e820 bus (provider "e820": memory the
 * kernel was told on its command line to set aside) is ever touched, and
 * only benchmarks on the devdax target call this, which only guest
 * backends grant (capability devdax). Functions return 0 or -errno after
 * an "error" note on the sink (when one is given).
 */
#ifndef XB_NDNS_H
#define XB_NDNS_H
#ifndef XB_LAYER_BENCH
#error "bench/ndns.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stdint.h>
#include "bench.h"

#define XB_NDNS_SYS "/sys/bus/nd"

enum xb_ndns_mode {
	XB_NDNS_RAW,            /* the namespace itself: /dev/pmemN, memmap in RAM */
	XB_NDNS_FSDAX_MEM,      /* pfn device, mode "ram": memmap in RAM */
	XB_NDNS_FSDAX_DEV,      /* pfn device, mode "pmem": memmap on the device */
	XB_NDNS_DEVDAX_DEV,     /* dax device, memmap on the device: /dev/daxN.M */
	XB_NDNS_DEVDAX_MEM,     /* dax device, memmap in RAM */
	XB_NDNS_NMODES,
};

/* "raw", "fsdax.mem", "fsdax.dev", "devdax.dev", "devdax.mem" */
const char *xb_ndns_mode_name(enum xb_ndns_mode m);
int xb_ndns_mode_find(enum xb_ndns_mode *out, const char *name);

struct xb_ndns {
	char *sys;              /* XB_NDNS_SYS, or a fake tree in tests */
	char *ns;               /* "namespace0.0" */
	char *claim;            /* "pfn0.1" / "dax0.1" holding ns, or NULL (raw) */
	enum xb_ndns_mode mode; /* what ns is configured as now */
	uint64_t ns_start;      /* namespace resource (physical address) */
	uint64_t ns_size;
};

/*
 * The namespace behind block device dev ("/dev/pmem0", through
 * /sys/block/pmem0/device), refused unless it is an nd_namespace_io on a
 * bus whose provider is e820. Its current mode and claim are read back.
 */
int xb_ndns_of_blockdev(char **out_ns, const char *sysblock, const char *sys,
			const char *dev, struct xb_sink *sink);
/* The namespace whose directory is ns_dir ("<sys>/devices/namespace0.0",
 * the devdax target's dir), checked as above, its state read back. */
int xb_ndns_open(struct xb_ndns *n, const char *ns_dir, struct xb_sink *sink);
void xb_ndns_close(struct xb_ndns *n);

/*
 * Makes ns mode m (align bytes for the pfn/dax modes, 0 for the kernel's
 * default), enabled. Leaving a pfn/dax mode for raw wipes the info block
 * (first 8 KiB of the namespace) as ndctl does, else the namespace's next
 * probe would find it and claim itself again. -EOPNOTSUPP (and the
 * kernel's reason in the note) when this kernel does not offer m.
 */
int xb_ndns_configure(struct xb_ndns *n, enum xb_ndns_mode m, uint64_t align,
		      struct xb_sink *sink);
/* Unbind / bind the device that holds the memory (claim, or ns when raw):
 * the memmap is freed and allocated again. */
int xb_ndns_disable(struct xb_ndns *n, struct xb_sink *sink);
int xb_ndns_enable(struct xb_ndns *n, struct xb_sink *sink);

/* What the enabled device offers: its data start and size (pfn/dax
 * resource and size; the namespace's when raw), its align (0 when raw),
 * and the node in /dev ("/dev/pmem0", "/dev/dax0.0"). */
struct xb_ndns_info {
	uint64_t data_start, data_size, align;
	char *node;
};
int xb_ndns_info(struct xb_ndns_info *out, const struct xb_ndns *n, struct xb_sink *sink);
void xb_ndns_info_free(struct xb_ndns_info *i);

/*
 * The devdax target's device: the plan's namespace made device-dax
 * (memmap on the device) with alignment align - 2 MiB: only PMD faults,
 * 4 KiB: only PTE faults - unless it is that already; its /dev node into
 * *out_node and its size into *out_size.
 */
int xb_ndns_devdax(char **out_node, uint64_t *out_size, const char *ns_dir, uint64_t align,
		   struct xb_sink *sink);

/* Free memory as the kernel counts it, in KiB: MemTotal and MemFree from
 * /proc/meminfo, the pages on per-CPU free lists from /proc/zoneinfo (not
 * in MemFree, yet free), nr_memmap from /proc/vmstat (6.11 on; -1 before). */
struct xb_meminfo {
	long long mem_total_kib, mem_free_kib, pcp_kib, memmap_kib;
};
int xb_meminfo_parse(struct xb_meminfo *out, const char *meminfo, const char *zoneinfo,
		     const char *vmstat);
/* Folds the per-CPU vmstat deltas (/proc/sys/vm/stat_refresh) and reads. */
int xb_meminfo_read(struct xb_meminfo *out);

#endif
