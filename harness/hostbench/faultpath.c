// SPDX-License-Identifier: GPL-2.0
/* The faultpath benchmark's needs: perf with its shared libraries in the
 * guest image, so that each path also runs under perf stat. */
#include <string.h>
#include "bench-host.h"
#include "perf-stat.h"

static int faultpath_prepare(struct xb_image *img, const struct xb_image_ctx *ctx)
{
	const char *perf = xb_kv_get(ctx->params, "perf");

	if (perf && !strcmp(perf, "off"))
		return 0;
	return xb_bench_host_optional_program(img, "perf", XB_PERF_GUEST_PATH);
}

const struct xb_bench_host xb_bench_host_faultpath = {
	.bench = "faultpath",
	.prepare = faultpath_prepare,
};
