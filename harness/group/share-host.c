// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench share, host side: what the host measures while a group of
 * guests lives - each QEMU's smaps_rollup, the host page cache held for the
 * image (mincore), MemAvailable - and host KSM, switched on, settled and
 * restored for the ksm mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "common.h"
#include "error.h"
#include "share.h"

#define KSM_DIR "/sys/kernel/mm/ksm"

/* smaps_rollup, mincore and meminfo: hostmem.c (shared with run/sharing.c). */

/* ---- host KSM ---- */

static const char *const ksm_knobs[] = { "run", "pages_to_scan", "sleep_millisecs" };

static double ksm_value(const char *knob)
{
	char *path = xb_asprintf(KSM_DIR "/%s", knob), *text = NULL;
	double v = NAN;

	if (!xb_read_file(&text, NULL, path))
		v = strtod(text, NULL);
	free(text);
	free(path);
	return v;
}

static int ksm_write(const char *knob, const char *value)
{
	char *path = xb_asprintf(KSM_DIR "/%s", knob);
	int fd = open(path, O_WRONLY), rc = 0;

	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	if (rc)
		xb_error_set(rc, "cannot write %s: %s", path, strerror(-rc));
	free(path);
	return rc;
}

int xb_share_ksm_on(struct xb_share_ctx *c)
{
	for (size_t i = 0; i < 3; i++) {
		char *path = xb_asprintf(KSM_DIR "/%s", ksm_knobs[i]), *text = NULL;
		int rc = xb_read_file(&text, NULL, path);

		if (!rc)
			snprintf(c->ksm_saved[i], sizeof(c->ksm_saved[i]), "%s", xb_trim(text));
		else
			xb_error_set(rc, "host KSM is not available (%s: %s)", path, strerror(-rc));
		free(text);
		free(path);
		if (rc)
			return rc;
	}
	if (ksm_write("pages_to_scan", "4000") || ksm_write("sleep_millisecs", "20"))
		return -EIO;
	return ksm_write("run", "1");
}

void xb_share_ksm_restore(struct xb_share_ctx *c)
{
	char *before = xb_error_take();   /* the group's error, if any, stays the error */

	for (size_t i = 0; i < 3; i++)
		if (c->ksm_saved[i][0] && ksm_write(ksm_knobs[i], c->ksm_saved[i]))
			xb_warn("host KSM not restored: %s", xb_error_last());
	xb_error_clear();
	if (*before)
		xb_error_set(-EIO, "%s", before);
	free(before);
	memset(c->ksm_saved, 0, sizeof(c->ksm_saved));
}

/* ksmd's CPU seconds, from /proc/<ksmd>/stat (utime + stime). */
static double ksmd_cpu_s(void)
{
	const char *argv[] = { "pgrep", "-x", "ksmd", NULL };
	struct xb_buf out = { 0 };
	double s = NAN;
	int status;

	if (!xb_run(argv, &out, NULL, &status) && !status && out.p) {
		char *path = xb_asprintf("/proc/%ld/stat", strtol(out.p, NULL, 10)), *t = NULL;
		unsigned long ut, st;

		if (!xb_read_file(&t, NULL, path) && strrchr(t, ')') &&
		    sscanf(strrchr(t, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			   &ut, &st) == 2)
			s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
		free(t);
		free(path);
	}
	xb_buf_free(&out);
	return s;
}

/* Merging has settled when pages_sharing moved less than 1% over 3 s. */
static void ksm_settle(struct xb_share_ctx *c, struct xb_stream *rec, const char *pfx,
		       double timeout_s)
{
	double t0 = xb_monotonic(), cpu0 = ksmd_cpu_s(), last = -1, cur;
	double v;

	(void)c;
	for (;;) {
		cur = ksm_value("pages_sharing");
		if (last >= 0 && fabs(cur - last) <= 0.01 * (last > 100 ? last : 100))
			break;
		if (xb_interrupted || xb_monotonic() - t0 > timeout_s) {
			xb_warn("KSM merging had not settled after %.0f s", xb_monotonic() - t0);
			break;
		}
		last = cur;
		xb_progress("ksm: waiting for merging to settle (pages_sharing %.0f, %.0f s)",
			    cur, xb_monotonic() - t0);
		sleep(3);
	}
	char name[160];

	v = xb_monotonic() - t0;
	snprintf(name, sizeof(name), "%s.ksm.settle.s", pfx);
	xb_stream_add_metric(rec, name, "s", "lower", "time until KSM pages_sharing settled");
	xb_stream_add_samples(rec, name, 0, &v, 1);
	v = ksmd_cpu_s() - cpu0;
	snprintf(name, sizeof(name), "%s.ksm.cpu.s", pfx);
	xb_stream_add_metric(rec, name, "s", "lower", "ksmd CPU time while settling");
	xb_stream_add_samples(rec, name, 0, &v, 1);
	v = ksm_value("pages_sharing") * (double)sysconf(_SC_PAGESIZE) / 1024;
	snprintf(name, sizeof(name), "%s.ksm.sharing.kib", pfx);
	xb_stream_add_metric(rec, name, "KiB", "none", "KSM pages_sharing (memory saved)");
	xb_stream_add_samples(rec, name, 0, &v, 1);
}



/* Processes outside the group that map its image share its pages' Pss
 * with the guests: counted, and warned about when there are any. */
static void other_mappers(struct xb_share_ctx *c, struct xb_share_group *g,
			  const struct xb_group *gp, const char *pfx)
{
	pid_t *pids = xb_calloc(g->n, sizeof(*pids));
	size_t n = 0;

	for (unsigned i = 0; i < g->n; i++)
		pids[i] = gp->g[i].pid;
	if (!xb_file_mappers(&n, xb_share_image(c, g->mode), pids, g->n)) {
		xb_record1(g->rec, pfx, "host.image_other_mappers", "count", "none",
			   "processes outside the group mapping its image", 0, (double)n);
		char *text = n ? xb_asprintf("%zu other processes map the image (another "
					     "daxbench run?): the guests' Pss shares its pages "
					     "with them and understates host memory", n) : NULL;

		if (text)
			xb_stream_add_note(g->rec, "warning", pfx, text);
		free(text);
	}
	free(pids);
}

/* Host figures while all N guests live. */
int xb_share_measure_host(struct xb_share_ctx *c, struct xb_share_group *g,
			  const struct xb_group *gp, const char *pfx, double avail0)
{
	struct xb_smaps_fig f;
	double v = 0;

	if (g->mode->ksm)
		ksm_settle(c, g->rec, pfx, c->o.timeout_s);
	for (unsigned i = 0; i < g->n; i++) {
		if (xb_smaps_rollup(&f, gp->g[i].pid))
			return xb_error_set(-EIO, "guest %u: QEMU's smaps_rollup unreadable", i);
		xb_record_smaps(g->rec, pfx, "qemu", "QEMU smaps_rollup", (int)i, &f);
		g->pss_sum += f.pss;
	}
	xb_record1(g->rec, pfx, "host.pss_sum.kib", "KiB", "lower",
		   "host memory of the group: sum of the QEMUs' Pss", 0, g->pss_sum);
	other_mappers(c, g, gp, pfx);
	if (xb_file_cached_kib(&v, xb_share_image(c, g->mode)))
		return xb_error_set(-EIO, "mincore of the image failed");
	xb_record1(g->rec, pfx, "host.image_cached.kib", "KiB", "none",
		   "host page cache held for the image file (mincore)", 0, v);
	v = avail0 - xb_meminfo_kib("/proc/meminfo", "MemAvailable");
	xb_record1(g->rec, pfx, "host.memavail_drop.kib", "KiB", "none",
		   "MemAvailable before the group minus while it runs (other load included)", 0, v);
	return 0;
}
