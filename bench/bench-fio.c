// SPDX-License-Identifier: GPL-2.0
/*
 * fio: an independent instrument on the same mounts. fio (ioengine=mmap)
 * runs a job file from workloads/fio/ that the host copied into the guest
 * image with fio and its shared libraries (harness/hostbench/bench-host.c); its JSON
 * is parsed here and stored per job and direction. Without fio in the
 * image the benchmark records "unavailable" with the reason, never a zero.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench.h"
#include "error.h"
#include "fio-json.h"
#include "ndns.h"

#define FIO_DEFAULT_SIZE "16M"
#define FIO_DEFAULT_JOBS "mmap-randread"

static const struct {
	const char *suffix, *unit, *direction, *what;
	size_t off;             /* in struct xb_fio_dir */
} dir_metrics[] = {
	{ "iops", "ops/s", "higher", "fio IOPS", offsetof(struct xb_fio_dir, iops) },
	{ "clat_mean_ns", "ns", "lower", "fio mean completion latency",
	  offsetof(struct xb_fio_dir, clat_mean_ns) },
	{ "clat_p50_ns", "ns", "lower", "fio median completion latency",
	  offsetof(struct xb_fio_dir, clat_p50_ns) },
	{ "clat_p99_ns", "ns", "lower", "fio p99 completion latency",
	  offsetof(struct xb_fio_dir, clat_p99_ns) },
	{ "clat_p999_ns", "ns", "lower", "fio p99.9 completion latency",
	  offsetof(struct xb_fio_dir, clat_p999_ns) },
};

static int fio_note(struct xb_sink *s, const struct xb_target *t, const char *kind,
		    const char *text)
{
	char *subject = xb_asprintf("fio.%s", t ? t->mode : "check");
	int rc = s->note(s, kind, subject, text);

	free(subject);
	return rc;
}

static int check_job(const char *job, struct xb_sink *sink)
{
	for (const char *p = job; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') && *p != '-') {
			fio_note(sink, NULL, "error", "bad parameter jobs: a job name is "
				 "lower case letters, digits and '-' (a file workloads/fio/NAME.fio)");
			return -EINVAL;
		}
	if (*job)
		return 0;
	fio_note(sink, NULL, "error", "bad parameter jobs: an empty job name");
	return -EINVAL;
}

static bool names_devdax(const char *modes)
{
	char *dup = xb_strdup(modes), *save = NULL;
	bool found = false;

	for (char *m = dup ? strtok_r(dup, ",", &save) : NULL; m && !found;
	     m = strtok_r(NULL, ",", &save))
		found = !strcmp(xb_trim(m), "devdax");
	free(dup);
	return found;
}

static int fio_check(const struct xb_kvlist *params, struct xb_sink *sink)
{
	const char *jobs = xb_kv_get(params, "jobs"), *size = xb_kv_get(params, "file_size");
	char *dup, *save = NULL;
	uint64_t bytes;
	int rc = 0;

	if (size && (xb_parse_size(&bytes, size) || !bytes || bytes % 4096)) {
		fio_note(sink, NULL, "error", "bad parameter file_size: want a non-zero "
			 "multiple of 4096 such as 16M");
		return -EINVAL;
	}
	/* device-dax refuses a mapping that is not a whole number of its 2 MiB
	 * pages: say so before the boot, not as fio's failure in the guest */
	if (size && bytes % (2u << 20) && names_devdax(xb_kv_get(params, "modes"))) {
		fio_note(sink, NULL, "error", "bad parameter file_size: the devdax target maps "
			 "whole 2 MiB pages: want a multiple of 2M such as 16M");
		return -EINVAL;
	}
	dup = xb_strdup(jobs ? jobs : FIO_DEFAULT_JOBS);
	for (char *j = strtok_r(dup, ",", &save); j && !rc; j = strtok_r(NULL, ",", &save))
		rc = check_job(xb_trim(j), sink);
	free(dup);
	return rc;
}

static int store_dir(struct xb_sink *s, const struct xb_target *t, const struct xb_fio_job *j,
		     int d, int rep)
{
	const struct xb_fio_dir *fd = &j->dir[d];
	int rc = 0;

	for (size_t i = 0; i < XB_ARRAY_SIZE(dir_metrics) && !rc; i++) {
		double v = *(const double *)((const char *)fd + dir_metrics[i].off);
		char *name = xb_asprintf("fio.%s.%s.%s.%s", t->mode, j->name,
					 xb_fio_dir_names[d], dir_metrics[i].suffix);

		if (isnan(v)) {
			free(name);
			continue;
		}
		rc = s->metric(s, name, dir_metrics[i].unit, dir_metrics[i].direction,
			       dir_metrics[i].what);
		if (!rc)
			rc = s->samples(s, name, rep, &v, 1);
		free(name);
	}
	return rc;
}

static int store_job(struct xb_sink *s, const struct xb_target *t, const struct xb_fio_job *j,
		     int rep)
{
	char *minf = xb_asprintf("fio.%s.%s.minf", t->mode, j->name);
	char *majf = xb_asprintf("fio.%s.%s.majf", t->mode, j->name);
	double vmin = (double)j->minf, vmaj = (double)j->majf;
	int rc;

	rc = s->metric(s, minf, "count", "none", "minor page faults of the fio job");
	if (!rc)
		rc = s->samples(s, minf, rep, &vmin, 1);
	if (!rc)
		rc = s->metric(s, majf, "count", "none", "major page faults of the fio job");
	if (!rc)
		rc = s->samples(s, majf, rep, &vmaj, 1);
	for (int d = 0; d < XB_FIO_NDIR && !rc; d++)
		if (j->dir[d].total_ios > 0)
			rc = store_dir(s, t, j, d, rep);
	free(minf);
	free(majf);
	return rc;
}

static int run_job(const struct xb_target *t, const char *job, int rep, struct xb_sink *s)
{
	char *file = xb_asprintf(XB_FIO_JOB_DIR "/%s.fio", job);
	const char *argv[] = { XB_FIO_GUEST_PATH, "--output-format=json", file, NULL };
	struct xb_buf out = { 0 }, err = { 0 };
	struct xb_fio_result r;
	int status = 0, rc;

	rc = xb_run(argv, &out, &err, &status);
	if (!rc && status) {
		char *text = xb_asprintf("%s exited %d: %.200s", file, status, err.p ? err.p : "");

		fio_note(s, t, "error", text);
		free(text);
		rc = -EIO;
	} else if (rc) {
		fio_note(s, t, "error", "cannot run " XB_FIO_GUEST_PATH);
	}
	if (!rc) {
		rc = xb_fio_parse(&r, out.p ? out.p : "");
		if (rc)
			fio_note(s, t, "error", xb_error_last());
	}
	for (size_t i = 0; !rc && i < r.njobs; i++)
		rc = store_job(s, t, &r.jobs[i], rep);
	if (!rc) {
		rc = s->fact(s, "fio.version", r.version ? r.version : "unknown");
		xb_fio_result_free(&r);
	}
	xb_buf_free(&out);
	xb_buf_free(&err);
	free(file);
	return rc;
}

/* A job file names either a directory (${DAXBENCH_DIR}, the mounts) or a
 * device (${DAXBENCH_DEV}, devdax-*.fio): each runs where it can. */
static bool job_fits(const struct xb_target *t, const char *job)
{
	return (t->kind == XB_TARGET_DEVDAX) == !strncmp(job, "devdax-", 7);
}

static int fio_run(const struct xb_target *t, const struct xb_kvlist *params,
		   struct xb_sink *sink)
{
	const char *size = xb_kv_get(params, "file_size"), *reps_s = xb_kv_get(params, "reps");
	char *dup, *save = NULL;
	long long reps = 1;
	int rc, ran = 0;

	rc = fio_check(params, sink);
	if (!rc && reps_s && xb_parse_int(&reps, reps_s, 1, 100))
		rc = fio_note(sink, t, "error", "bad parameter reps: want 1 to 100") ?: -EINVAL;
	if (rc)
		return rc;
	if (access(XB_FIO_GUEST_PATH, X_OK))
		return fio_note(sink, t, "skip", "fio unavailable: " XB_FIO_GUEST_PATH " is not "
				"in the guest image (the host had no fio to copy: apt-get install "
				"fio)");
	if (t->kind == XB_TARGET_DEVDAX) {
		char *node = NULL;
		uint64_t have;

		/* Job files for it name filename=${DAXBENCH_DEV}. */
		rc = xb_ndns_devdax(&node, &have, t->dir, 2u << 20, sink);
		if (rc)
			return rc;
		setenv("DAXBENCH_DEV", node, 1);
		free(node);
	} else {
		setenv("DAXBENCH_DIR", t->dir, 1);
	}
	setenv("DAXBENCH_SIZE", size ? size : FIO_DEFAULT_SIZE, 1);
	for (long long r = 0; r < reps && !rc; r++) {
		dup = xb_strdup(xb_kv_get(params, "jobs") ?: FIO_DEFAULT_JOBS);
		for (char *j = strtok_r(dup, ",", &save); j && !rc; j = strtok_r(NULL, ",", &save))
			if (job_fits(t, xb_trim(j)) && ++ran)
				rc = run_job(t, xb_trim(j), (int)r, sink);
		free(dup);
	}
	if (!rc && !ran)
		rc = fio_note(sink, t, "skip", "no job for this target: jobs named devdax-* run "
			      "on the devdax target, the others on the mounts");
	return rc;
}

static const char *const fio_params[] = { "jobs", "file_size", "reps", "modes", NULL };

const struct xb_bench_ops xb_bench_fio = {
	.name = "fio",
	.description = "fio (ioengine=mmap) job files from workloads/fio on the same mounts",
	.targets = XB_TARGET_DAX | XB_TARGET_PAGECACHE | XB_TARGET_DEVDAX,
	.params = fio_params,
	.check = fio_check,
	.run = fio_run,
};
