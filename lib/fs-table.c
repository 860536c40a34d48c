// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "fs-table.h"

/* crc32c, which both need at mount time through the crypto API, comes
 * from the kernel's modules.softdep (harness/guest/modules.c). */
static const char *const ext4_kmods[] = { "ext4", NULL };
static const char *const ext4_mkfs_args[] = {
	"-q", "-F", "-t", "ext4", "-b", "4096", "-E", "nodiscard,stride=512,stripe_width=512", NULL,
};

static const struct xb_fs fs_ext4 = {
	.name = "ext4",
	.kmods = ext4_kmods,
	.mkfs = "/sbin/mke2fs",
	.mkfs_args = ext4_mkfs_args,
	.dax_opt = "dax",
	.dax_shown = "dax=always",
};

static const char *const xfs_kmods[] = { "xfs", NULL };
static const char *const xfs_mkfs_args[] = { "-q", "-f", "-K", "-m", "reflink=0", NULL };

static const struct xb_fs fs_xfs = {
	.name = "xfs",
	.kmods = xfs_kmods,
	.mkfs = "/sbin/mkfs.xfs",
	.mkfs_args = xfs_mkfs_args,
	.dax_opt = "dax=always",
	.dax_shown = "dax=always",
};

const struct xb_fs *const xb_fs_table[] = { &fs_ext4, &fs_xfs, NULL };

const struct xb_fs *xb_fs_find(const char *name)
{
	for (size_t i = 0; xb_fs_table[i]; i++)
		if (!strcmp(xb_fs_table[i]->name, name))
			return xb_fs_table[i];
	return NULL;
}
