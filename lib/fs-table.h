/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Filesystems under test. Shared by the harness (which modules and which
 * mkfs program go into the guest image) and the guest program (how to make
 * and mount it, and how /proc/mounts shows that DAX is active).
 */
#ifndef XB_FS_TABLE_H
#define XB_FS_TABLE_H

struct xb_fs {
	const char *name;          /* "ext4": also the mount(2) type */
	const char *const *kmods;  /* kernel modules to load, NULL-terminated;
				    * dependencies come from modules.dep
				    * and modules.softdep */
	const char *mkfs;          /* host path of the mkfs program */
	const char *const *mkfs_args; /* arguments before the device */
	const char *dax_opt;       /* mount data that asks for DAX */
	const char *dax_shown;     /* option /proc/mounts shows when DAX is on */
};

const struct xb_fs *xb_fs_find(const char *name);
/* NULL-terminated table, for listings. */
extern const struct xb_fs *const xb_fs_table[];

#endif
