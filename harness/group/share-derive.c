// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench share: the derived figures of a run - host memory per
 * additional guest (the slope over N), the memory the DAX mode saves per
 * guest against each other mode, struct pages per GiB of the DAX region.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "common.h"
#include "share.h"

/* Least-squares slope of y over x; *out_se its standard error (NAN with
 * fewer than 3 points: two points fit exactly, no spread to estimate). */
static double slope(const double *x, const double *y, size_t n, double *out_se)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0, ssr = 0, b;

	for (size_t i = 0; i < n; i++) {
		mx += x[i] / (double)n;
		my += y[i] / (double)n;
	}
	for (size_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	b = sxx > 0 ? sxy / sxx : NAN;
	for (size_t i = 0; i < n; i++) {
		double r = y[i] - my - b * (x[i] - mx);

		ssr += r * r;
	}
	*out_se = n > 2 && sxx > 0 ? sqrt(ssr / (double)(n - 2) / sxx) : NAN;
	return b;
}

static double mode_slope(const struct xb_share_ctx *c, const struct xb_share_mode *m, double *se)
{
	double x[XB_GROUP_MAX_GUESTS], y[XB_GROUP_MAX_GUESTS];
	size_t n = 0;

	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i].mode == m && !c->groups[i].exec) {
			x[n] = c->groups[i].n;
			y[n++] = c->groups[i].pss_sum;
		}
	return n >= 2 ? slope(x, y, n, se) : NAN;
}

/* The DAX mode run on the same filesystem as m (dax for the ext4 modes,
 * dax-erofs for pagecache-erofs), NULL when not in this run. */
static const struct xb_share_mode *dax_of(const struct xb_share_ctx *c, const struct xb_share_mode *m)
{
	for (size_t i = 0; i < c->nmodes; i++)
		if (!strcmp(c->modes[i]->guest_mode, "dax") && !strcmp(c->modes[i]->fs, m->fs))
			return c->modes[i];
	return NULL;
}

void xb_share_derive(struct xb_buf *out, struct xb_share_ctx *c, struct xb_stream *rec)
{
	const struct xb_share_mode *dax = xb_share_mode_find("dax");
	double se, s, read = 0;
	char name[128];

	xb_buf_addf(out, "\nhost memory per additional guest (slope of the QEMUs' summed Pss over N):\n");
	for (size_t i = 0; i < c->nmodes; i++) {
		s = mode_slope(c, c->modes[i], &se);
		if (isnan(s))
			continue;
		snprintf(name, sizeof(name), "share.%s.host_per_guest.kib", c->modes[i]->name);
		xb_stream_add_metric(rec, name, "KiB", "lower", "host memory per additional guest");
		xb_stream_add_samples(rec, name, 0, &s, 1);
		xb_buf_addf(out, "  %-15s %9.1f MiB", c->modes[i]->name, s / 1024);
		if (!isnan(se))
			xb_buf_addf(out, " (standard error %.1f MiB)", se / 1024);
		xb_buf_addf(out, "\n");
	}
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i].read_bytes > read)
			read = c->groups[i].read_bytes;
	for (size_t i = 0; i < c->nmodes; i++) {
		const struct xb_share_mode *m = c->modes[i], *d = dax_of(c, m);

		if (!d || d == m)
			continue;
		s = mode_slope(c, m, &se) - mode_slope(c, d, &se);
		if (isnan(s))
			continue;
		snprintf(name, sizeof(name), "share.saved_per_guest.%s.kib", m->name);
		xb_stream_add_metric(rec, name, "KiB", "higher",
				 "host memory per guest saved by the DAX mode of the same filesystem against this mode");
		xb_stream_add_samples(rec, name, 0, &s, 1);
		xb_buf_addf(out, "%s saves %.1f MiB per guest against %s: %.0f%% of the %.1f MiB each guest's workload read\n",
			    d->name, s / 1024, m->name, 100 * s * 1024 / read, read / 1048576);
	}
	for (size_t i = 0; i < c->ngroups; i++) {
		const struct xb_share_group *g = &c->groups[i];

		if (g->mode == dax && g->n == 1 && g->region_bytes > 0) {
			s = g->vmemmap_kib / (g->region_bytes / 1073741824.0);
			xb_stream_add_metric(rec, "share.dax.vmemmap_per_gib.kib", "KiB", "lower",
					 "struct pages of the virtio-pmem region per GiB (memmap in guest RAM)");
			xb_stream_add_samples(rec, "share.dax.vmemmap_per_gib.kib", 0, &s, 1);
			xb_buf_addf(out, "struct pages of the DAX region: %.0f KiB per GiB (MemFree drop across the nd_pmem probe, memmap in RAM; virtio-pmem offers no on-device memmap)\n", s);
		}
	}
	xb_stream_add_metric(rec, "share.workload.read.kib", "KiB", "none",
			 "file data each guest's workload read");
	read /= 1024;
	xb_stream_add_samples(rec, "share.workload.read.kib", 0, &read, 1);
}
