/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a benchmark needs from the host before the guest boots: programs
 * copied into the guest image with their shared libraries (fio, perf), a
 * kernel module built against the guest kernel's headers ... One entry per
 * benchmark that needs anything, in xb_bench_hosts[] (bench-host.c).
 */
#ifndef XB_BENCH_HOST_H
#define XB_BENCH_HOST_H
#ifndef XB_LAYER_HARNESS
#error "harness/hostbench/bench-host.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "arch.h"
#include "initramfs.h"
#include "kernel.h"

struct xb_image_ctx {
	const struct xb_kernel *kernel;
	const struct xb_arch *arch;       /* the guest's */
	const char *device;               /* the backend's guest device, e.g. /dev/pmem0 */
	const char *cache_dir;
	const struct xb_kvlist *params;   /* the benchmark's suite parameters */
};

struct xb_bench_host {
	const char *bench;   /* name in xb_benches[] (bench/bench.c) */
	bool foreign;        /* prepare() handles foreign guests (s390x) too */
	/* Add to the image; an error (0 or -errno, the message in
	 * xb_error_last()) fails the run before boot. Something optional that is missing (fio not
	 * installed) is not an error: leave it out, and the guest records
	 * "unavailable" with the reason. */
	int (*prepare)(struct xb_image *img, const struct xb_image_ctx *ctx);
};

extern const struct xb_bench_host xb_bench_host_radix;
extern const struct xb_bench_host xb_bench_host_fio;
extern const struct xb_bench_host xb_bench_host_faultpath;
extern const struct xb_bench_host *const xb_bench_hosts[];
/* The program name (from PATH) with its shared libraries, when it is at
 * guest_path on the host too; nothing when it is missing or elsewhere (a
 * warning): the guest then records it unavailable with the reason. */
int xb_bench_host_optional_program(struct xb_image *img, const char *name,
				   const char *guest_path);
const struct xb_bench_host *xb_bench_host_find(const char *bench);

#endif
