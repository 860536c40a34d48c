/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest kernel modules of bench/kmod (daxbench_radix, daxbench_inject),
 * built on the host against the guest kernel's Debian headers, cached by
 * kernel release and source hash under <cache>/kmod/.
 */
#ifndef XB_KMOD_H
#define XB_KMOD_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/kmod.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

/*
 * *out_ko: the path of NAME.ko built for release. Headers that are not
 * installed are not an error: *out_ko stays NULL and *out_skip holds the
 * reason (with the apt-get line that fixes it). Both are the caller's.
 * Any other failure returns -errno with the message in xb_error_last().
 */
int xb_kmod_build(char **out_ko, char **out_skip, const char *name, const char *release,
		  const char *cache_dir);

#endif
