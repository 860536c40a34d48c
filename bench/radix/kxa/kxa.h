/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's XArray as the radix model's tree (bench/radix/kxa/): the
 * model calls lib/xarray.c's own xa_load(), compiled from Debian's
 * linux-source at build time, so model and kernel walk the same code and
 * differ only in the translation. Its entries are xa_mk_value(v), the same
 * tagging as xb_radix_mk_value() (radix.h). No kernel header is needed to
 * use this one.
 */
#ifndef XB_KXA_H
#define XB_KXA_H

struct xarray;

/* lib/xarray.c */
void *xa_load(struct xarray *xa, unsigned long index);

/* A new empty XArray, or NULL (no memory). */
struct xarray *xb_kxa_new(void);
/* xa_store of the value entry v (< 2^63); 0, -EINVAL or -ENOMEM. */
int xb_kxa_store(struct xarray *xa, unsigned long index, unsigned long v);
void xb_kxa_free(struct xarray *xa);
/* Nodes allocated now by every XArray of the process. */
unsigned long xb_kxa_nodes(void);
unsigned long xb_kxa_node_bytes(void);

#endif
