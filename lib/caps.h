/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capabilities: what a backend offers and what a benchmark needs. The core
 * runs a benchmark against a target only when the target's capabilities
 * cover the benchmark's needs, and records a "skip" note naming the
 * missing ones otherwise.
 */
#ifndef XB_CAPS_H
#define XB_CAPS_H

enum xb_cap {
	XB_CAP_FS_DAX       = 1u << 0, /* a filesystem on it mounts with dax */
	XB_CAP_FS_PAGECACHE = 1u << 1, /* the same device mounts without dax */
	XB_CAP_ANON         = 1u << 2, /* anonymous memory (every target has it) */
	XB_CAP_WRITABLE     = 1u << 3, /* mkfs and writes allowed */
	XB_CAP_DEVDAX       = 1u << 4, /* a device-dax character device */
	XB_CAP_SHARED_IMAGE = 1u << 5, /* one read-only image shared by guests */
	XB_CAP_KMOD         = 1u << 6, /* out-of-tree modules can be loaded */
	XB_CAP_NO_STRUCT_PAGE = 1u << 7, /* memory without struct page (FS_DAX_LIMITED) */
	/* a new one: the next bit, and its name in caps.c's cap_names[] */
};

/* "fs_dax,fs_pagecache" <-> bits; unknown names are an error (-EINVAL). */
int xb_caps_parse(unsigned *out, const char *list);
/* Comma-separated names of the bits set; returns a malloc'd string. */
char *xb_caps_format(unsigned caps);

#endif
