// SPDX-License-Identifier: GPL-2.0
/*
 * dcssblk: a Linux guest of z/VM, no QEMU. The benchmark program runs on
 * this machine against the dcssblk device made of the discontiguous saved
 * segments the user names (segments = NAME or NAME1:NAME2 for several
 * contiguous ones), added through /sys/devices/dcssblk before the run and
 * removed after it (lib/dcssblk.c). A device that is already added belongs
 * to someone else and is refused unless reuse = yes; then it is left in
 * place afterwards. DCSS memory has no struct page (FS_DAX_LIMITED).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "backends.h"
#include "error.h"
#include "caps.h"
#include "dcssblk.h"

static const char *const params[] = { "segments", "shared", "reuse", "sysfs", NULL };

static int yes_no(bool *out, const struct xb_kvlist *p, const char *key)
{
	const char *v = xb_kv_get(p, key);

	*out = v && !strcmp(v, "yes");
	if (v && strcmp(v, "yes") && strcmp(v, "no"))
		return xb_error_set(-EINVAL, "dcssblk: %s is yes or no, not '%s'", key, v);
	return 0;
}

static int configure(struct xb_backend_cfg *g, const struct xb_kvlist *p)
{
	struct xb_dcssblk d = { 0 };
	bool shared, reuse;
	int rc;

	if (!xb_kv_get(p, "segments"))
		return xb_error_set(-EINVAL, "dcssblk: name the segments to use: segments = NAME (or NAME1:NAME2) in [backend dcssblk]");
	rc = xb_dcssblk_parse(&d, xb_kv_get(p, "segments"));
	if (!rc)
		rc = yes_no(&shared, p, "shared");
	if (!rc)
		rc = yes_no(&reuse, p, "reuse");
	if (!rc) {
		/* Known once attach has added it; a dry run shows this. */
		g->device = xb_asprintf("(the dcssblk device of segment(s) %s, added at run time)",
					xb_kv_get(p, "segments"));
		xb_kv_set(&g->fingerprint, "backend.model", "dcssblk (z/VM DCSS)");
		xb_kv_set(&g->fingerprint, "backend.segments", xb_kv_get(p, "segments"));
		xb_kv_set(&g->fingerprint, "backend.shared", shared ? "yes" : "no");
	}
	xb_dcssblk_free(&d);
	return rc;
}

static int attach(struct xb_backend_cfg *g, const struct xb_kvlist *p)
{
	struct xb_dcssblk *d = calloc(1, sizeof(*d));
	struct xb_dcssblk_opts o = { 0 };
	const char *root = xb_kv_get(p, "sysfs");
	int rc;

	if (!d)
		abort();
	g->priv = d;
	rc = xb_dcssblk_parse(d, xb_kv_get(p, "segments"));
	if (!rc)
		rc = yes_no(&o.shared, p, "shared");
	if (!rc)
		rc = yes_no(&o.reuse, p, "reuse");
	if (!rc)
		rc = xb_dcssblk_setup(d, root ? root : "/sys", &o);
	if (rc)
		return rc;
	free(g->device);
	g->device = xb_asprintf("/dev/%s", d->disk);
	xb_kv_set(&g->fingerprint, "backend.device", g->device);
	xb_kv_set(&g->fingerprint, "backend.reused", d->added ? "no" : "yes");
	return 0;
}

static int detach(struct xb_backend_cfg *g)
{
	int rc = xb_dcssblk_teardown(g->priv);

	free(g->priv);
	g->priv = NULL;
	return rc;
}

const struct xb_backend_ops xb_backend_dcssblk = {
	.name = "dcssblk",
	.description = "a z/VM guest, no QEMU: the dcssblk device of the named DCSS segments (formatted!)",
	.caps = XB_CAP_FS_DAX | XB_CAP_FS_PAGECACHE | XB_CAP_ANON | XB_CAP_WRITABLE |
		XB_CAP_NO_STRUCT_PAGE,
	.params = params,
	.native = true,
	.configure = configure,
	.attach = attach,
	.detach = detach,
};
