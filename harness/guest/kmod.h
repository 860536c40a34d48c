/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest kernel modules of bench/kmod (daxbench_radix, daxbench_inject),
 * built on the host against the guest kernel's Debian headers, cached by
 * kernel release and source hash under <cache>/kmod/. A foreign guest's
 * (s390x) headers are never installed: scripts/fetch-kheaders unpacks them
 * with the host's kbuild programs into <cache>/kheaders/<release>/, and
 * the modules are cross-compiled (<triplet>-gcc).
 */
#ifndef XB_KMOD_H
#define XB_KMOD_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/kmod.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "arch.h"

/*
 * *out_ko: the path of NAME.ko built for release, a kernel of arch (NULL:
 * the host's). Headers that are not installed (or, foreign, cannot be
 * fetched) are not an error: *out_ko stays NULL and *out_skip holds the
 * reason (with the line that fixes it). Both are the caller's. Any other
 * failure returns -errno with the message in xb_error_last().
 */
int xb_kmod_build(char **out_ko, char **out_skip, const char *name, const char *release,
		  const struct xb_arch *arch, const char *cache_dir);

#endif
