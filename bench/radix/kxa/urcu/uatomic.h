/* SPDX-License-Identifier: GPL-2.0 */
/* liburcu's atomics that tools/testing/radix-tree/linux.c uses (see ../urcu.h). */
#ifndef XB_KXA_UATOMIC_H
#define XB_KXA_UATOMIC_H
#define uatomic_inc(p) __atomic_add_fetch((p), 1, __ATOMIC_RELAXED)
#define uatomic_dec(p) __atomic_sub_fetch((p), 1, __ATOMIC_RELAXED)
#define uatomic_read(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#endif
