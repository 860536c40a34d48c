/* SPDX-License-Identifier: GPL-2.0 */
/* fio's --output-format=json, read with a JSON parser (jansson): per job
 * and direction the figures daxbench stores. */
#ifndef XB_FIO_JSON_H
#define XB_FIO_JSON_H
#ifndef XB_LAYER_BENCH
#error "bench/fio-json.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include "util.h"

enum { XB_FIO_READ, XB_FIO_WRITE, XB_FIO_NDIR };

struct xb_fio_dir {
	long long total_ios;   /* 0: the job did not do this direction */
	double iops, bw_bytes;
	double clat_mean_ns, clat_p50_ns, clat_p99_ns, clat_p999_ns;
};

struct xb_fio_job {
	char *name;
	int error;             /* fio's error code for the job */
	struct xb_fio_dir dir[XB_FIO_NDIR];
	long long minf, majf;  /* page faults of the job */
	double usr_cpu, sys_cpu;
};

struct xb_fio_result {
	char *version;         /* "fio-3.33" */
	struct xb_fio_job *jobs;
	size_t njobs;
};

/* Where the host puts fio and the job files in the guest image. */
#define XB_FIO_GUEST_PATH "/usr/bin/fio"
#define XB_FIO_JOB_DIR "/etc/daxbench/fio"

extern const char *const xb_fio_dir_names[XB_FIO_NDIR];

/* Parses text (fio's stdout: anything before the first '{' is skipped, as
 * fio prints warnings there). -EINVAL with a reason in xb_error_last()
 * otherwise. */
int xb_fio_parse(struct xb_fio_result *out, const char *text);
void xb_fio_result_free(struct xb_fio_result *r);

#endif
