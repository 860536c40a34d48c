/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the in-guest radix benchmark and the daxbench_radix module exchange
 * through /sys/kernel/debug/daxbench_radix/run. One write(): this header
 * followed by stream_len u32 entry ordinals (the access pattern, made in
 * user space where floating point is at hand). The module measures during
 * that write; a read then returns struct xb_kradix_result followed by
 * reps * paths * samples u64 batch durations in ns, laid out
 * [rep][path][sample]. The components need the module parameter method=,
 * the symbol of the driver's ->direct_access (pmem_dax_direct_access).
 */
#ifndef XB_RADIX_KMOD_ABI_H
#define XB_RADIX_KMOD_ABI_H

#include <linux/types.h>

#define XB_KRADIX_MAGIC 0x78627264u   /* "xbrd" */
#define XB_KRADIX_VERSION 2

/*
 * The timed paths, in result order. The first XB_KRADIX_PATHS are the
 * benchmark; the components after them (asked for with req.paths =
 * XB_KRADIX_ALL_PATHS) take the sector path apart, each a cut of it, so
 * that differences of two give one piece (README, radix section). All hold
 * dax_read_lock per batch, as the sector path does.
 */
enum {
	XB_KRADIX_SECTOR,         /* xa_load + dax_direct_access, dax_read_lock held per batch */
	XB_KRADIX_SECTOR_LOCKED,  /* the same, dax_read_lock taken per lookup, as fs/dax did */
	XB_KRADIX_PFN,            /* xa_load + pfn to kernel address */
	XB_KRADIX_PATHS,
	XB_KRADIX_LOAD = XB_KRADIX_PATHS, /* xa_load of a sector entry alone */
	XB_KRADIX_STEP,           /* + the module's sector -> pgoff (start_off, alignment) */
	XB_KRADIX_PRIV,           /* + dax_get_private(), the drivers' first call */
	XB_KRADIX_METHOD,         /* + the driver's ->direct_access through a pointer (address
				     and pfn asked, as dax_direct_access asks them) */
	XB_KRADIX_CALL,           /* + a direct call of an empty module function */
	XB_KRADIX_ICALL,          /* + the same function through a pointer */
	XB_KRADIX_FULL,           /* + dax_direct_access(): the sector path in this frame */
	XB_KRADIX_ALL_PATHS
};

struct xb_kradix_req {
	__u32 magic, version;
	__u32 entries;      /* populated entries */
	__u32 stride;       /* file pages between entries */
	__u32 reps, samples, batch;
	__u32 stream_len;   /* ordinals that follow, each < entries */
	__u32 paths;        /* XB_KRADIX_PATHS, or XB_KRADIX_ALL_PATHS with the components */
	__u32 pad;
};

struct xb_kradix_result {
	__u32 magic, version;
	__u32 reps, samples, batch;
	__u32 paths;
	__u64 device_pages;   /* what dax_direct_access offers from pgoff 0 */
	__u64 xa_bytes_sector, xa_bytes_pfn; /* unused: 0 (the XArray keeps no count) */
	__u64 mismatches;     /* entries whose two paths disagreed on the address */
	__u64 bad;            /* lookups that did not resolve */
	__u64 checksum;       /* sum of resolved addresses, keeps the loops honest */
};

#endif
