// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's lib/xarray.c, compiled in user space as the kernel's own
 * XArray test suite compiles it (tools/testing/radix-tree/xarray.c), from
 * the linux-source tree scripts/extract-xarray unpacked at configure time
 * (XB_KXA_SRC, set by bench/radix/kxa/meson.build). Without XA_DEBUG:
 * the lookups run the code a production kernel runs.
 */
#include "test.h"

#define module_init(x)
#define module_exit(x)
#define MODULE_AUTHOR(x)
#define MODULE_LICENSE(x)
#define dump_stack() assert(0)

#include XB_KXA_SRC
