// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "fio-json.h"

const char *const xb_fio_dir_names[XB_FIO_NDIR] = { "read", "write" };

/* A number fio wrote as an integer or a real; NAN when absent. */
static double num(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A count fio always writes: a finite number that fits the integer, or the
 * file is not fio's (a cast of NaN or 1e300 would be undefined). */
static int count(long long *out, const json_t *obj, const char *key, long long max)
{
	double v = num(obj, key);

	if (!isfinite(v) || v < -(double)max || v > (double)max) {
		return xb_error_set(-EINVAL, "fio JSON: '%s' is missing or not a count", key);
	}
	*out = (long long)v;
	return 0;
}

static double pct(const json_t *clat, const char *key)
{
	return num(json_object_get(clat, "percentile"), key);
}

static int parse_dir(struct xb_fio_dir *out, const json_t *d)
{
	const json_t *clat = json_object_get(d, "clat_ns");

	if (!json_is_object(d) || !json_is_object(clat)) {
		return xb_error_set(-EINVAL, "fio JSON: a job lacks its read/write clat_ns object");
	}
	if (count(&out->total_ios, d, "total_ios", 1ll << 62))
		return -EINVAL;
	out->iops = num(d, "iops");
	out->bw_bytes = num(d, "bw_bytes");
	out->clat_mean_ns = num(clat, "mean");
	out->clat_p50_ns = pct(clat, "50.000000");
	out->clat_p99_ns = pct(clat, "99.000000");
	out->clat_p999_ns = pct(clat, "99.900000");
	return 0;
}

static int parse_job(struct xb_fio_job *out, const json_t *j)
{
	const json_t *name = json_object_get(j, "jobname");
	long long error;
	int rc = 0;

	if (!json_is_string(name)) {
		return xb_error_set(-EINVAL, "fio JSON: a job without a jobname");
	}
	out->name = xb_strdup(json_string_value(name));
	if (count(&error, j, "error", INT_MAX) || count(&out->minf, j, "minf", 1ll << 62) ||
	    count(&out->majf, j, "majf", 1ll << 62))
		return -EINVAL;
	out->error = (int)error;
	out->usr_cpu = num(j, "usr_cpu");
	out->sys_cpu = num(j, "sys_cpu");
	for (int d = 0; d < XB_FIO_NDIR && !rc; d++)
		rc = parse_dir(&out->dir[d], json_object_get(j, xb_fio_dir_names[d]));
	return rc;
}

int xb_fio_parse(struct xb_fio_result *out, const char *text)
{
	const char *start = strchr(text, '{');
	json_error_t jerr;
	json_t *root, *jobs;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	root = start ? json_loads(start, JSON_DISABLE_EOF_CHECK, &jerr) : NULL;
	if (!root) {
		return xb_error_set(-EINVAL, "fio output is not JSON: %s",
				    start ? jerr.text : "no '{'");
	}
	jobs = json_object_get(root, "jobs");
	if (!json_is_array(jobs) || !json_array_size(jobs)) {
		rc = xb_error_set(-EINVAL, "fio JSON has no jobs array");
		goto out;
	}
	out->version = xb_strdup(json_string_value(json_object_get(root, "fio version")));
	out->njobs = json_array_size(jobs);
	out->jobs = calloc(out->njobs, sizeof(*out->jobs));
	if (!out->jobs)
		abort();
	for (size_t i = 0; i < out->njobs && !rc; i++)
		rc = parse_job(&out->jobs[i], json_array_get(jobs, i));
out:
	json_decref(root);
	if (rc)
		xb_fio_result_free(out);
	return rc;
}

void xb_fio_result_free(struct xb_fio_result *r)
{
	for (size_t i = 0; i < r->njobs; i++)
		free(r->jobs[i].name);
	free(r->jobs);
	free(r->version);
	memset(r, 0, sizeof(*r));
}
