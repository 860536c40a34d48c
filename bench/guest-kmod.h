/* SPDX-License-Identifier: GPL-2.0 */
/* Loading the image's bench/kmod modules in the guest (radix, inject). */
#ifndef XB_GUEST_KMOD_H
#define XB_GUEST_KMOD_H
#ifndef XB_LAYER_BENCH
#error "bench/guest-kmod.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

/* Loads a kernel module of the image with its parameters ("spin=10");
 * one already loaded is not an error. 0 or -errno, nothing sent. */
int xb_guest_kmod_load(const char *path, const char *params);

#endif
