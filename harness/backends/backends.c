// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "backends.h"
#include "error.h"

const struct xb_backend_ops *const xb_backends[] = {
	&xb_backend_axonram_emu,
	&xb_backend_native,
	&xb_backend_dcssblk,
	&xb_backend_dcssblk_emu,
	NULL,
};

/* The modes of `daxbench share` (virtio-pmem-shared.c attaches them). */
static const struct xb_share_mode share_dax = {
	.name = "dax",
	.description = "virtio-pmem, ext4 mounted ro,dax: guests map the shared host pages",
	.guest_mode = "dax", .guest_dev = "/dev/pmem0", .fs = "ext4",
	.pmem = true,
};

static const struct xb_share_mode share_pagecache = {
	.name = "pagecache",
	.description = "virtio-pmem, ext4 mounted ro without dax: each guest caches its copy",
	.guest_mode = "pagecache", .guest_dev = "/dev/pmem0", .fs = "ext4",
	.pmem = true,
};

static const struct xb_share_mode share_blk = {
	.name = "blk",
	.description = "virtio-blk disk of the image: the usual setup, no sharing",
	.guest_mode = "blk", .guest_dev = "/dev/vda", .fs = "ext4",
};

static const struct xb_share_mode share_ksm = {
	.name = "ksm",
	.description = "virtio-blk with host KSM merging identical guest pages (mem-merge=on)",
	.guest_mode = "blk", .guest_dev = "/dev/vda", .fs = "ext4",
	.ksm = true,
};

static const struct xb_share_mode share_dax_erofs = {
	.name = "dax-erofs",
	.description = "virtio-pmem, the erofs image mounted dax=always",
	.guest_mode = "dax", .guest_dev = "/dev/pmem0", .fs = "erofs",
	.pmem = true,
};

static const struct xb_share_mode share_pagecache_erofs = {
	.name = "pagecache-erofs",
	.description = "virtio-pmem, the erofs image mounted without dax",
	.guest_mode = "pagecache", .guest_dev = "/dev/pmem0", .fs = "erofs",
	.pmem = true,
};

const struct xb_share_mode *const xb_share_modes[] = {
	&share_dax,
	&share_pagecache,
	&share_blk,
	&share_ksm,
	&share_dax_erofs,
	&share_pagecache_erofs,
	NULL,
};

const struct xb_share_mode *xb_share_mode_find(const char *name)
{
	for (size_t i = 0; xb_share_modes[i]; i++)
		if (!strcmp(xb_share_modes[i]->name, name))
			return xb_share_modes[i];
	return NULL;
}

const struct xb_backend_ops *xb_backend_find_in(const struct xb_backend_ops *const *table,
					       const char *name)
{
	for (size_t i = 0; table[i]; i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

const struct xb_backend_ops *xb_backend_find(const char *name)
{
	return xb_backend_find_in(xb_backends, name);
}

int xb_backend_check_params(const struct xb_backend_ops *ops, const struct xb_kvlist *params)
{
	for (size_t i = 0; i < params->n; i++) {
		size_t j;

		for (j = 0; ops->params && ops->params[j]; j++)
			if (!strcmp(ops->params[j], params->v[i].key))
				break;
		if (!ops->params || !ops->params[j])
			return xb_error_set(-EINVAL, "backend %s has no parameter '%s'", ops->name,
					    params->v[i].key);
	}
	return 0;
}

void xb_backend_cfg_free(struct xb_backend_cfg *g)
{
	free(g->mem_extra);
	xb_buf_free(&g->append);
	xb_argv_free(&g->qemu_args);
	xb_kv_free(&g->fingerprint);
	free(g->device);
	memset(g, 0, sizeof(*g));
}

int xb_backend_size_param(uint64_t *out, const struct xb_backend_ops *ops,
			  const struct xb_kvlist *p, const char *key, const char *def)
{
	const char *v = xb_kv_get(p, key);

	if (xb_parse_size(out, v ? v : def))
		return xb_error_set(-EINVAL, "%s: %s '%s' is not a size (e.g. %s)", ops->name, key,
				    v, def);
	return 0;
}
