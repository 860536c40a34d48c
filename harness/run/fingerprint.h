/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fingerprint of a run: everything that could explain a difference
 * between two runs. Host-side facts are collected here; the guest adds its
 * own through the stream's hdr records (stored as guest.<key>).
 */
#ifndef XB_FINGERPRINT_H
#define XB_FINGERPRINT_H
#ifndef XB_LAYER_HARNESS
#error "harness/run/fingerprint.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "util.h"
#include "kernel.h"

/* host, host.kernel, host.cpu, daxbench.version/.commit/.dirty */
void xb_fingerprint_host(struct xb_kvlist *fp);
/* kernel.release, kernel.package/.package_version or kernel.image,
 * kernel.image_sha256, kernel.config_sha256 */
void xb_fingerprint_kernel(struct xb_kvlist *fp, const struct xb_kernel *k);
/* kernel.config.NAME (y, m, a value, or "unset") for each CONFIG_NAME in
 * names (NULL-terminated) of the kernel config text; the ones neither y nor
 * m are listed in *missing ("CONFIG_X=unset, ..."). */
void xb_fingerprint_kconfig(struct xb_kvlist *fp, const char *config_text,
			    const char *const *names, struct xb_buf *missing);
/* "model name" of /proc/cpuinfo-like text, malloc'd, or NULL. */
char *xb_cpuinfo_model(const char *cpuinfo);

#endif
