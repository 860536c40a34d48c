// SPDX-License-Identifier: GPL-2.0
/* The fio benchmark's needs: fio with its shared libraries, and the job
 * files the suite names, in the guest image. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "config.h"
#include "bench-host.h"
#include "common.h"
#include "error.h"
#include "fio-json.h"

/* workloads/fio/NAME.fio of daxbench's data (xb_data_path). */
static char *job_path(const char *name)
{
	char *rel = xb_asprintf("workloads/fio/%s.fio", name), *p = NULL;

	if (xb_data_path(&p, rel))
		p = NULL;
	free(rel);
	return p;
}

static int add_jobs(struct xb_image *img, const char *list)
{
	char *dup = xb_strdup(list), *save = NULL;
	int rc = 0;

	for (char *j = strtok_r(dup, ",", &save); j && !rc; j = strtok_r(NULL, ",", &save)) {
		char *host = job_path(xb_trim(j)), *guest;

		if (!host) {
			rc = xb_error_set(-ENOENT, "bench fio: no job file workloads/fio/%s.fio",
					  xb_trim(j));
			break;
		}
		guest = xb_asprintf(XB_FIO_JOB_DIR "/%s.fio", xb_trim(j));
		xb_image_file(img, guest, host, 0644);
		free(guest);
		free(host);
	}
	free(dup);
	return rc;
}

static int fio_prepare(struct xb_image *img, const struct xb_image_ctx *ctx)
{
	const char *jobs = xb_kv_get(ctx->params, "jobs") ?: "mmap-randread";
	int rc;

	rc = add_jobs(img, jobs);
	/* No fio on the host: the guest records it unavailable, with why. */
	if (!rc)
		rc = xb_bench_host_optional_program(img, "fio", XB_FIO_GUEST_PATH);
	return rc;
}

const struct xb_bench_host xb_bench_host_fio = {
	.bench = "fio",
	.prepare = fio_prepare,
};
