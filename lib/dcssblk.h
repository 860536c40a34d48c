/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dcssblk through its sysfs interface (drivers/s390/block/dcssblk.c):
 * <root>/devices/dcssblk/add takes "NAME1:NAME2..." (segment names of at
 * most 8 characters, upper-cased by the driver; several contiguous
 * segments make one device named for the first), <root>/devices/dcssblk/
 * NAME/{shared,seglist} describe the device, and .../remove takes NAME.
 * The block device is the one entry of NAME/block/ (dcssblkN).
 *
 * Used on a z/VM guest by the native dcssblk backend and inside an s390x
 * QEMU guest by the guest program; root is "/sys" there and a fake tree in
 * the unit tests. Only the segments the caller names are touched. Each
 * function returns 0 or -errno with a one-line reason in xb_error_last().
 */
#ifndef XB_DCSSBLK_H
#define XB_DCSSBLK_H

#include <stdbool.h>
#include "util.h"

#define XB_DCSSBLK_MAX_SEGS 16

struct xb_dcssblk {
	char *root;                     /* "/sys" */
	char *name;                     /* device name: the first segment, upper case */
	char *segs[XB_DCSSBLK_MAX_SEGS];
	size_t nsegs;
	char *disk;                     /* "dcssblk0" */
	bool added;                     /* added by us: remove on teardown */
};

struct xb_dcssblk_opts {
	bool shared;                    /* keep it shared; else exclusive-writable */
	bool reuse;                     /* accept a device that is already added */
};

/* "a:b" or "a,b" -> upper-case names in d->segs; -EINVAL for an empty,
 * overlong or non-CP name, a duplicate, or more than the maximum. */
int xb_dcssblk_parse(struct xb_dcssblk *d, const char *list);
/* Add the device of d->segs (parsed first) under root, or take over an
 * added one when o->reuse and its seglist is exactly d->segs. */
int xb_dcssblk_setup(struct xb_dcssblk *d, const char *root, const struct xb_dcssblk_opts *o);
/* Remove the device when setup added it; frees d either way. */
int xb_dcssblk_teardown(struct xb_dcssblk *d);
void xb_dcssblk_free(struct xb_dcssblk *d);
/* The seglist file's text -> names; -EBADMSG for malformed contents. */
int xb_dcssblk_parse_seglist(struct xb_dcssblk *out, const char *text);

#endif
