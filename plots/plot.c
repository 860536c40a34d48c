// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "plot.h"
#include "../lib/sha256.h"

#define FONT "sans,9"
#define C_REGRESSION "#d62728"
#define C_IMPROVEMENT "#2ca02c"
#define C_NEUTRAL "#7f7f7f"

static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
};

void xb_plot_queue_init(struct xb_plot_queue *q, const char *dir)
{
	memset(q, 0, sizeof(*q));
	q->dir = xb_strdup(dir);
}

void xb_plot_queue_free(struct xb_plot_queue *q)
{
	xb_kv_free(&q->hashes);
	xb_buf_free(&q->script);
	free(q->dir);
	memset(q, 0, sizeof(*q));
}


/* A gnuplot double-quoted string. */
static void gp_str(struct xb_buf *b, const char *s)
{
	xb_buf_adds(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			xb_buf_adds(b, "\\");
		if (*s == '\n')
			continue;
		xb_buf_add(b, s, 1);
	}
	xb_buf_adds(b, "\"");
}

int xb_site_write(const char *path, const char *data, size_t len)
{
	char *old = NULL, *tmp;
	size_t olen = 0;
	FILE *f;
	int rc = 0;

	if (!xb_read_file(&old, &olen, path) && olen == len && !memcmp(old, data, len)) {
		free(old);
		return 0;
	}
	free(old);
	tmp = xb_asprintf("%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		rc = -errno;
		goto out;
	}
	if (fwrite(data, 1, len, f) != len)
		rc = -EIO;
	if (fclose(f) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
out:
	free(tmp);
	return rc;
}

static int write_text(const char *dir, const char *name, const char *ext, const char *text)
{
	char *path = xb_asprintf("%s/%s.%s", dir, name, ext);
	int rc = xb_site_write(path, text, strlen(text));

	if (rc)
		xb_err("cannot write %s: %s", path, strerror(-rc));
	free(path);
	return rc;
}

static bool unchanged(const char *dir, const char *name, const char *hash)
{
	char *hp = xb_asprintf("%s/%s.hash", dir, name);
	char *png = xb_asprintf("%s/%s.png", dir, name);
	char *svg = xb_asprintf("%s/%s.svg", dir, name);
	char *old = NULL;
	bool same = false;

	if (!xb_read_file(&old, NULL, hp))
		same = !strcmp(xb_trim(old), hash) && xb_path_exists(png) && xb_path_exists(svg);
	free(old);
	free(hp);
	free(png);
	free(svg);
	return same;
}

int xb_plot_add(struct xb_plot_queue *q, const char *name, const char *gp,
		const char *dat, int width, int height)
{
	struct xb_buf full = { 0 };
	struct xb_sha256 h;
	uint8_t d[32];
	char hex[65];
	int rc;

	xb_buf_addf(&full, "# %s: drawn by daxbench publish from %s.dat; re-run with\n"
		    "# `gnuplot %s.gp` in this folder to redraw %s.png and %s.svg.\n"
		    "reset\nset terminal pngcairo size %d,%d font \"" FONT "\" noenhanced\n"
		    "set output \"%s.png\"\n", name, name, name, name, name, width, height, name);
	xb_buf_adds(&full, gp);
	xb_buf_addf(&full, "set terminal svg size %d,%d font \"" FONT "\" noenhanced\n"
		    "set output \"%s.svg\"\nreplot\nunset output\n", width, height, name);
	xb_sha256_init(&h);
	xb_sha256_update(&h, full.p, full.len);
	xb_sha256_update(&h, dat, strlen(dat));
	xb_sha256_final(&h, d);
	xb_hex(hex, d, 32);
	if (unchanged(q->dir, name, hex)) {
		q->unchanged++;
		xb_buf_free(&full);
		return 0;
	}
	rc = write_text(q->dir, name, "gp", full.p);
	if (!rc)
		rc = write_text(q->dir, name, "dat", dat);
	xb_buf_free(&full);
	if (rc)
		return rc;
	xb_buf_addf(&q->script, "load '%s.gp'\n", name);
	xb_kv_set(&q->hashes, name, hex);
	q->queued++;
	return 0;
}

int xb_plot_draw(struct xb_plot_queue *q, struct xb_buf *err)
{
	struct xb_kvlist *p = &q->hashes;
	char *batch, *cd = NULL;
	struct xb_buf b = { 0 };
	int rc, status = 0;

	if (!q->queued)
		return 0;
	batch = xb_asprintf("%s/_batch.gp", q->dir);
	rc = xb_site_write(batch, q->script.p, q->script.len);
	if (rc) {
		xb_buf_addf(err, "cannot write %s: %s", batch, strerror(-rc));
		goto out;
	}
	gp_str(&b, q->dir);
	cd = xb_asprintf("cd %s", b.p);
	{
		const char *argv[] = { "gnuplot", "-e", cd, batch, NULL };
		struct xb_buf eout = { 0 };

		rc = xb_run(argv, NULL, &eout, &status);
		if (!rc && status) {
			xb_buf_addf(err, "gnuplot failed (status %d): %s", status,
				    eout.p ? xb_trim(eout.p) : "");
			rc = -EIO;
		} else if (rc) {
			xb_buf_addf(err, "cannot run gnuplot: %s (apt-get install gnuplot-nox)",
				    strerror(-rc));
		}
		xb_buf_free(&eout);
	}
	for (size_t i = 0; !rc && i < p->n; i++)
		rc = write_text(q->dir, p->v[i].key, "hash", p->v[i].value);
	unlink(batch);
out:
	xb_kv_free(p);
	memset(p, 0, sizeof(*p));
	xb_buf_free(&q->script);
	q->queued = 0;
	xb_buf_free(&b);
	free(cd);
	free(batch);
	return rc;
}

static const struct xb_trend_run **axis_pts;
static bool axis_by_date;

static int cmp_axis(const void *a, const void *b)
{
	const struct xb_trend_run *x = *(const struct xb_trend_run *const *)a;
	const struct xb_trend_run *y = *(const struct xb_trend_run *const *)b;
	int c = 0;

	if (axis_by_date && x->commit_date != y->commit_date)
		return x->commit_date < y->commit_date ? -1 : 1;
	if (!axis_by_date)
		c = xb_dpkg_vercmp(x->order_ver, y->order_ver);
	return c ? c : strcmp(x->point, y->point);
}

/* Series are ordered alike (commit date when all have one, else version),
 * so the union of their points sorts the same way. */
void xb_trend_axis_build(struct xb_trend_axis *out, const struct xb_trend *t)
{
	size_t n = 0, k = 0;

	axis_by_date = true;
	for (size_t i = 0; i < t->nseries; i++) {
		n += t->series[i].n;
		axis_by_date = axis_by_date && t->series[i].by_date;
	}
	axis_pts = xb_malloc((n + 1) * sizeof(*axis_pts));
	for (size_t i = 0; i < t->nseries; i++)
		for (size_t j = 0; j < t->series[i].n; j++)
			axis_pts[k++] = t->series[i].pts[j].first;
	qsort(axis_pts, n, sizeof(*axis_pts), cmp_axis);
	out->n = 0;
	for (size_t i = 0; i < n; i++)
		if (!out->n || strcmp(axis_pts[out->n - 1]->point, axis_pts[i]->point))
			axis_pts[out->n++] = axis_pts[i];
	out->pts = axis_pts;
	out->by_date = axis_by_date;
	axis_pts = NULL;
}

size_t xb_trend_axis_x(const struct xb_trend_axis *a, const struct xb_trend_point *p)
{
	size_t lo = 0, hi = a->n;

	/* binary search by the axis order, then by identity */
	axis_by_date = a->by_date;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct xb_trend_run *m = a->pts[mid];
		int c = cmp_axis(&m, &p->first);

		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->pts[i]->point, p->first->point))
			return i;
	return 0;
}

void xb_trend_axis_free(struct xb_trend_axis *a)
{
	free(a->pts);
	memset(a, 0, sizeof(*a));
}

/* At most 16 labelled ticks (what 900 pixels hold): every k-th point. */
static void trend_xtics(struct xb_buf *gp, const struct xb_trend_axis *a)
{
	size_t step = a->n > 16 ? (a->n + 15) / 16 : 1;

	xb_buf_adds(gp, "set xtics rotate by -35 font \",8\" (");
	for (size_t i = 0; i < a->n; i += step) {
		if (i)
			xb_buf_adds(gp, ", ");
		gp_str(gp, a->pts[i]->label);
		xb_buf_addf(gp, " %zu", i);
	}
	xb_buf_adds(gp, ")\n");
}

static void trend_cp_marks(struct xb_buf *gp, const struct xb_trend_axis *a,
			   const struct xb_trend_cp *c, size_t n, int *tag)
{
	for (size_t i = 0; i < n; i++, (*tag)++) {
		const char *col = c[i].regression == 1 ? C_REGRESSION :
				  c[i].regression == 0 ? C_IMPROVEMENT : C_NEUTRAL;
		double x = (xb_trend_axis_x(a, c[i].prev) + xb_trend_axis_x(a, c[i].at)) / 2.0;
		double pct = xb_trend_change_pct(c[i].cp.before, c[i].cp.after);
		char lab[96];

		if (isnan(pct))
			snprintf(lab, sizeof(lab), "%s%s", c[i].cp.level == XB_CP_CONFIRMED ? "" : "weak ",
				 c[i].regression == 1 ? "regression" : "change");
		else
			snprintf(lab, sizeof(lab), "%s%+.1f%%", c[i].cp.level == XB_CP_CONFIRMED ?
				 "" : "weak ", pct);
		xb_buf_addf(gp, "set arrow %d from %g, graph 0 to %g, graph 1 nohead lw 1.5 "
			    "lc rgb \"%s\" dt %d\n", *tag, x, x, col,
			    c[i].cp.level == XB_CP_CONFIRMED ? 1 : 2);
		xb_buf_addf(gp, "set label %d ", *tag);
		gp_str(gp, lab);
		xb_buf_addf(gp, " at %g, graph %g left offset 0.3,0 textcolor rgb \"%s\"\n", x,
			    0.96 - 0.06 * (*tag % 3), col);
	}
}

/* Data: one block per series (gnuplot index), x median q1 q3 min max n. */
static void trend_data(struct xb_buf *dat, const struct xb_trend *t,
		       const struct xb_trend_axis *a)
{
	for (size_t s = 0; s < t->nseries; s++) {
		const struct xb_trend_series *se = &t->series[s];

		xb_buf_addf(dat, "# series %s: x median q1 q3 min max boots point\n", se->name);
		for (size_t i = 0; i < se->n; i++) {
			const struct xb_trend_point *p = &se->pts[i];

			xb_buf_addf(dat, "%zu %.9g %.9g %.9g %.9g %.9g %zu \"%s\"\n",
				    xb_trend_axis_x(a, p), p->median, p->q1, p->q3, p->min, p->max,
				    p->nboots, p->first->label);
		}
		xb_buf_adds(dat, "\n\n");
	}
}

void xb_plot_trend(struct xb_buf *gp, struct xb_buf *dat, const struct xb_trend *t,
		   const struct xb_trend_axis *axis, struct xb_trend_cp *const *cps,
		   const size_t *ncps, const char *name)
{
	int tag = 1;

	trend_data(dat, t, axis);
	xb_buf_adds(gp, "set title ");
	gp_str(gp, t->m.name);
	xb_buf_adds(gp, "\nset ylabel ");
	{
		char *yl = xb_asprintf("%s (%s)", t->m.unit,
				       !strcmp(t->m.direction, "lower") ? "lower is better" :
				       !strcmp(t->m.direction, "higher") ? "higher is better" :
				       "no better direction");
		gp_str(gp, yl);
		free(yl);
	}
	xb_buf_addf(gp, "\nset xlabel \"kernel (%s order)\"\n",
		    t->nseries && t->series[0].by_date ? "commit date" : "Debian version");
	xb_buf_addf(gp, "set grid ytics lc rgb \"#dddddd\"\nset key outside right top\n"
		    "set xrange [-0.5:%g]\nset offsets 0, 0, graph 0.12, graph 0.05\n",
		    axis->n ? axis->n - 0.5 : 0.5);
	trend_xtics(gp, axis);
	for (size_t s = 0; s < t->nseries; s++)
		trend_cp_marks(gp, axis, cps[s], ncps[s], &tag);
	xb_buf_adds(gp, "plot ");
	for (size_t s = 0; s < t->nseries; s++) {
		const char *c = palette[s % XB_ARRAY_SIZE(palette)];

		xb_buf_addf(gp, "%s\"%s.dat\" index %zu using 1:3:4 with filledcurves "
			    "fc rgb \"%s\" fs transparent solid 0.2 noborder title ",
			    s ? ", \\\n  " : "", name, s, c);
		{
			char *tt = xb_asprintf("%s IQR", t->series[s].name);
			gp_str(gp, tt);
			free(tt);
		}
		xb_buf_addf(gp, ", \\\n  \"%s.dat\" index %zu using 1:2 with %s lw 1.5 pt 7 "
			    "ps 0.6 lc rgb \"%s\" title ", name, s,
			    axis->n > 100 ? "lines" : "linespoints", c);
		{
			char *tt = xb_asprintf("%s median", t->series[s].name);
			gp_str(gp, tt);
			free(tt);
		}
	}
	if (!t->nseries)
		xb_buf_adds(gp, "NaN notitle");
	xb_buf_adds(gp, "\n");
}

void xb_plot_cdf(struct xb_buf *gp, struct xb_buf *dat, const struct xb_cdf_curve *c,
		 size_t nc, const char *title, const char *xlabel, const char *name)
{
	for (size_t k = 0; k < nc; k++) {
		/* at most ~2000 steps a curve: every sample of small sets, an even
		 * quantile grid of large ones */
		size_t step = c[k].n > 2000 ? c[k].n / 2000 : 1;

		xb_buf_addf(dat, "# %s: value cumulative-fraction (n=%zu)\n", c[k].title, c[k].n);
		for (size_t i = 0; i < c[k].n; i += step)
			xb_buf_addf(dat, "%.9g %.6f\n", c[k].v[i], (double)(i + 1) / (double)c[k].n);
		if (c[k].n)
			xb_buf_addf(dat, "%.9g 1\n", c[k].v[c[k].n - 1]);
		xb_buf_adds(dat, "\n\n");
	}
	xb_buf_adds(gp, "set title ");
	gp_str(gp, title);
	xb_buf_adds(gp, "\nset xlabel ");
	gp_str(gp, xlabel);
	xb_buf_adds(gp, "\nset ylabel \"fraction of samples at or below\"\nset logscale x\n"
		    "set yrange [0:1]\nset grid lc rgb \"#dddddd\"\nset key outside right top\nplot ");
	for (size_t k = 0; k < nc; k++) {
		xb_buf_addf(gp, "%s\"%s.dat\" index %zu using 1:2 with steps lw 1.5 lc rgb \"%s\" title ",
			    k ? ", \\\n  " : "", name, k, palette[k % XB_ARRAY_SIZE(palette)]);
		gp_str(gp, c[k].title);
	}
	if (!nc)
		xb_buf_adds(gp, "NaN notitle");
	xb_buf_adds(gp, "\n");
}

void xb_plot_bars(struct xb_buf *gp, struct xb_buf *dat, const char *const *labels,
		  const double *v, const double *lo, const double *hi, size_t n,
		  const char *title, const char *ylabel, bool logy, const char *name)
{
	xb_buf_adds(dat, "# x value low high label\n");
	for (size_t i = 0; i < n; i++)
		xb_buf_addf(dat, "%zu %.9g %.9g %.9g \"%s\"\n", i, v[i], lo[i], hi[i], labels[i]);
	xb_buf_adds(gp, "set title ");
	gp_str(gp, title);
	xb_buf_adds(gp, "\nset ylabel ");
	gp_str(gp, ylabel);
	xb_buf_addf(gp, "\n%sset style fill solid 0.5\nset boxwidth 0.6\nset grid ytics\n"
		    "set xtics rotate by -35 font \",8\"\nset xrange [-0.6:%g]\n"
		    "plot \"%s.dat\" using 1:2:xtic(5) with boxes lc rgb \"%s\" notitle, \\\n"
		    "  \"\" using 1:2:3:4 with yerrorbars lc rgb \"#333333\" pt 0 notitle\n",
		    logy ? "set logscale y\n" : "set yrange [0:*]\n", n - 0.4, name, palette[0]);
}
