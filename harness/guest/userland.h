/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs of another Debian architecture for a foreign guest (s390x):
 * packages fetched with apt-get download and unpacked with dpkg-deb into the
 * cache, never installed, like the kernels (kernel.c).
 */
#ifndef XB_USERLAND_H
#define XB_USERLAND_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/userland.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "util.h"

/* apt knows arch's packages: dpkg --add-architecture + apt-get update when
 * it does not yet (root only; otherwise -EPERM with the command to run). */
int xb_apt_ensure_arch(const char *arch);

/*
 * pkgs (names without ":arch", NULL-terminated) unpacked into one tree,
 * <cache_dir>/userland/<arch>-<sha256 of the names>/root, *out_root; kept
 * and reused (offline too) once made. *versions: "pkg=version" per line.
 */
int xb_userland(char **out_root, char **versions, const char *cache_dir, const char *arch,
		const char *const *pkgs);

#endif
