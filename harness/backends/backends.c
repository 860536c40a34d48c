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

const struct xb_backend_ops *xb_backend_find(const char *name)
{
	for (size_t i = 0; xb_backends[i]; i++)
		if (!strcmp(xb_backends[i]->name, name))
			return xb_backends[i];
	return NULL;
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

void xb_guest_config_free(struct xb_guest_config *g)
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
