// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "plot.h"
#include "error.h"
#include "sha256.h"

#define FONT "sans,9"
#define C_REGRESSION "#d62728"
#define C_IMPROVEMENT "#2ca02c"
#define C_NEUTRAL "#7f7f7f"

static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
	"#7f7f7f", "#2ca02c", "#d62728",
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
	char *old = NULL;
	size_t olen = 0;

	if (!xb_read_file(&old, &olen, path) && olen == len && !memcmp(old, data, len)) {
		free(old);
		return 0;
	}
	free(old);
	/* no fsync: a site is regenerated, not a record, and publishing
	 * thousands of files would wait on the disk for each */
	return xb_write_file_replace(path, data, len, false);
}

static int write_text(const char *dir, const char *name, const char *ext, const char *text)
{
	char *path = xb_asprintf("%s/%s.%s", dir, name, ext);
	int rc = xb_site_write(path, text, strlen(text));

	if (rc)
		xb_error_set(rc, "cannot write %s: %s", path, strerror(-rc));
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

	/* the body runs once per format: a multiplot cannot be replotted */
	xb_buf_addf(&full, "# %s: drawn by daxbench from %s.dat; re-run with\n"
		    "# `gnuplot %s.gp` in this folder to redraw %s.png and %s.svg.\n"
		    "do for [fmt in \"png svg\"] {\nreset\nif (fmt eq \"png\") {\n"
		    "  set terminal pngcairo size %d,%d font \"" FONT "\" noenhanced\n"
		    "} else {\n  set terminal svg size %d,%d font \"" FONT "\" noenhanced\n}\n"
		    "set output \"%s.\".fmt\n", name, name, name, name, name, width, height,
		    width, height, name);
	xb_buf_adds(&full, gp);
	xb_buf_adds(&full, "unset output\n}\n");
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

int xb_plot_draw(struct xb_plot_queue *q)
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
		xb_error_set(rc, "cannot write %s: %s", batch, strerror(-rc));
		goto out;
	}
	gp_str(&b, q->dir);
	cd = xb_asprintf("cd %s", b.p);
	{
		/* gnuplot has changed to q->dir when it reads the batch */
		const char *argv[] = { "gnuplot", "-e", cd, "_batch.gp", NULL };
		struct xb_buf eout = { 0 };

		rc = xb_run(argv, NULL, &eout, &status);
		if (!rc && status) {
			rc = xb_error_set(-EIO, "gnuplot failed (status %d): %s", status,
					  eout.p ? xb_trim(eout.p) : "");
		} else if (rc) {
			xb_error_set(rc, "cannot run gnuplot: %s (apt-get install gnuplot-nox)",
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

void xb_plot_frame_gp(struct xb_buf *gp, const struct xb_plot_frame *f)
{
	xb_buf_addf(gp, "set lmargin at screen %g\nset rmargin at screen %g\n"
		    "set bmargin at screen %g\nset tmargin at screen %g\n"
		    "set xrange [%.9g:%.9g]\nset yrange [%.9g:%.9g]\n",
		    f->lm, f->rm, f->bm, f->tm, f->xmin, f->xmax, f->ymin, f->ymax);
}

/* Linear axes only (the trends'); gnuplot maps screen 0..1 onto the
 * image's pixels, so the fractions are the image's too. */
bool xb_plot_frame_pos(const struct xb_plot_frame *f, double x, double y, double *out_left,
		       double *out_top)
{
	double fx = (x - f->xmin) / (f->xmax - f->xmin);
	double fy = (y - f->ymin) / (f->ymax - f->ymin);

	if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1))
		return false;
	*out_left = f->lm + fx * (f->rm - f->lm);
	*out_top = 1 - (f->bm + fy * (f->tm - f->bm));
	return true;
}

double xb_plot_trend_run_x(size_t x, size_t i, size_t nruns)
{
	double step = nruns > 1 ? fmin(0.12, 0.5 / (double)nruns) : 0;

	return (double)x + ((double)i - (double)(nruns - 1) / 2.0) * step;
}

/* y range from every drawn value: the band, the medians and the runs';
 * room above for the change point labels. */
static void trend_frame(struct xb_plot_frame *f, const struct xb_trend *t,
			const struct xb_trend_axis *axis)
{
	double lo = INFINITY, hi = -INFINITY, span;

	for (size_t s = 0; s < t->nseries; s++)
		for (size_t i = 0; i < t->series[s].n; i++) {
			const struct xb_trend_point *p = &t->series[s].pts[i];

			lo = fmin(lo, fmin(p->q1, p->median));
			hi = fmax(hi, fmax(p->q3, p->median));
			for (size_t r = 0; r < p->nruns; r++) {
				lo = fmin(lo, p->run_medians[r]);
				hi = fmax(hi, p->run_medians[r]);
			}
		}
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	span = hi - lo;
	if (span <= 0)
		span = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
	*f = (struct xb_plot_frame){
		.lm = 0.1, .rm = 0.78, .bm = 0.22, .tm = 0.86,
		.xmin = -0.5, .xmax = axis->n ? (double)axis->n - 0.5 : 0.5,
		.ymin = lo - 0.08 * span, .ymax = hi + 0.22 * span,
	};
}

/* Data block S + s: the median of each run of series s, spread around its
 * point: x value run. */
static void trend_run_data(struct xb_buf *dat, const struct xb_trend *t,
			   const struct xb_trend_axis *a, const struct xb_trend_runs *runs)
{
	for (size_t s = 0; s < t->nseries; s++) {
		const struct xb_trend_series *se = &t->series[s];

		xb_buf_addf(dat, "# series %s, each run: x median-of-its-boots run\n", se->name);
		for (size_t i = 0; i < se->n; i++) {
			const struct xb_trend_point *p = &se->pts[i];
			size_t x = xb_trend_axis_x(a, p);

			for (size_t r = 0; r < p->nruns; r++) {
				const struct xb_trend_run *run = xb_trend_runs_find(runs, p->runs[r]);

				xb_buf_addf(dat, "%.4f %.9g %.8s\n", xb_plot_trend_run_x(x, r, p->nruns),
					    p->run_medians[r], run ? run->uuid : "-");
			}
		}
		xb_buf_adds(dat, "\n\n");
	}
}

void xb_plot_trend(struct xb_buf *gp, struct xb_buf *dat, struct xb_plot_frame *out_frame,
		   const struct xb_trend *t, const struct xb_trend_runs *runs,
		   const struct xb_trend_axis *axis, struct xb_trend_cp *const *cps,
		   const size_t *ncps, const char *name)
{
	bool dots = axis->n <= XB_PLOT_TREND_MAX_DOTS;
	int tag = 1;

	trend_data(dat, t, axis);
	if (dots)
		trend_run_data(dat, t, axis, runs);
	trend_frame(out_frame, t, axis);
	/* the name, and under it the start of the description */
	xb_buf_adds(gp, "set title ");
	gp_str(gp, t->m.name);
	if (t->m.description && *t->m.description) {
		char *d = xb_asprintf("%.120s", t->m.description);

		xb_buf_adds(gp, " . \"\\n\" . ");
		gp_str(gp, d);
		free(d);
	}
	xb_buf_adds(gp, "\nset ylabel ");
	{
		char *yl = xb_asprintf("%s, %s", t->m.unit,
				       !strcmp(t->m.direction, "lower") ? "lower is better" :
				       !strcmp(t->m.direction, "higher") ? "higher is better" :
				       "no better direction");
		gp_str(gp, yl);
		free(yl);
	}
	xb_buf_addf(gp, "\nset xlabel \"kernel (%s order)\"\n",
		    t->nseries && t->series[0].by_date ? "commit date" : "Debian version");
	xb_buf_adds(gp, "set grid ytics lc rgb \"#dddddd\"\nset key outside right top\n");
	xb_plot_frame_gp(gp, out_frame);
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
			char *tt = xb_asprintf("%s IQR of boots", t->series[s].name);
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
		if (dots)
			xb_buf_addf(gp, ", \\\n  \"%s.dat\" index %zu using 1:2 with points pt 6 "
				    "ps 1.4 lw 1.2 lc rgb \"%s\" title \"%s\"", name, t->nseries + s, c,
				    s ? "" : "one run (median of its boots)");
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
	xb_buf_adds(gp, " font \",11\"\nset xlabel ");
	gp_str(gp, xlabel);
	/* the data stay in ns; drawn in seconds for gnuplot's SI tic labels */
	xb_buf_adds(gp, "\nset ylabel \"fraction of faults at or below\"\nset logscale x\n"
		    "set format x \"%.0s %cs\"\nset yrange [0:1]\nset ytics 0.1\n"
		    "set grid xtics mxtics ytics lc rgb \"#dddddd\"\n");
	xb_buf_addf(gp, "set key %s box lc rgb \"#bbbbbb\" opaque samplen 3\nplot ",
		    nc > 8 ? "outside right top font \",8\"" : "bottom right");
	for (size_t k = 0; k < nc; k++) {
		char *tt = xb_asprintf("%s (n=%zu)", c[k].title, c[k].n);
		size_t np = XB_ARRAY_SIZE(palette);

		xb_buf_addf(gp, "%s\"%s.dat\" index %zu using ($1*1e-9):2 with steps lw 1.5 "
			    "lc rgb \"%s\" dt %d title ", k ? ", \\\n  " : "", name, k,
			    c[k].color ? c[k].color : palette[k % np],
			    c[k].dt ? c[k].dt : (int)(1 + k / np));
		gp_str(gp, tt);
		free(tt);
	}
	if (!nc)
		xb_buf_adds(gp, "NaN notitle");
	xb_buf_adds(gp, "\n");
}

void xb_xy_curve_add(struct xb_xy_curve *c, double x, double y, double lo, double hi,
		     size_t n)
{
	c->x = xb_realloc(c->x, (c->n + 1) * sizeof(double));
	c->y = xb_realloc(c->y, (c->n + 1) * sizeof(double));
	c->lo = xb_realloc(c->lo, (c->n + 1) * sizeof(double));
	c->hi = xb_realloc(c->hi, (c->n + 1) * sizeof(double));
	c->cnt = xb_realloc(c->cnt, (c->n + 1) * sizeof(size_t));
	c->x[c->n] = x;
	c->y[c->n] = y;
	c->lo[c->n] = lo;
	c->hi[c->n] = hi;
	c->cnt[c->n++] = n;
}

void xb_xy_curves_free(struct xb_xy_curve *c, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(c[k].title);
		free(c[k].x);
		free(c[k].y);
		free(c[k].lo);
		free(c[k].hi);
		free(c[k].cnt);
	}
	free(c);
}

void xb_xy_panels_free(struct xb_xy_panel *p, size_t np)
{
	for (size_t i = 0; i < np; i++) {
		xb_xy_curves_free(p[i].c, p[i].nc);
		free(p[i].title);
	}
	free(p);
}

/* Key, labels, scales and tics: set once, and again after an empty panel. */
static void style_axes(struct xb_buf *gp, const struct xb_plot_style *st)
{
	xb_buf_addf(gp, "set key %s box lc rgb \"#bbbbbb\" opaque samplen 2 spacing 1.1\n"
		    "set border\nset ytics\n", st->key ? st->key : "top left");
	if (st->xlabel) {
		xb_buf_adds(gp, "set xlabel ");
		gp_str(gp, st->xlabel);
		xb_buf_adds(gp, "\n");
	}
	if (st->ylabel) {
		xb_buf_adds(gp, "set ylabel ");
		gp_str(gp, st->ylabel);
		xb_buf_adds(gp, "\n");
	}
	if (st->logx)
		xb_buf_adds(gp, "set logscale x 2\n");
	if (st->logy)
		xb_buf_adds(gp, "set logscale y\n");
	xb_buf_addf(gp, "set xtics %s\n", st->xtics ? st->xtics : "");
}

static void style_head(struct xb_buf *gp, const struct xb_plot_style *st, size_t np)
{
	xb_buf_adds(gp, "set grid lc rgb \"#dddddd\"\n");
	style_axes(gp, st);
	if (st->yformat) {
		xb_buf_adds(gp, "set format y ");
		gp_str(gp, st->yformat);
		xb_buf_adds(gp, "\n");
	}
	if (np > 1) {
		xb_buf_addf(gp, "set multiplot layout %d,%d title ", st->rows, st->cols);
		gp_str(gp, st->title);
		xb_buf_adds(gp, " font \",11\"\n");
	} else {
		xb_buf_adds(gp, "set title ");
		gp_str(gp, st->title);
		xb_buf_adds(gp, " font \",11\"\n");
	}
}

static void panel_title(struct xb_buf *gp, const char *title, size_t np)
{
	if (np < 2)
		return;
	xb_buf_adds(gp, "set title ");
	gp_str(gp, title ? title : "");
	xb_buf_adds(gp, "\n");
}

/* A panel without data still takes its place, saying why it is empty. */
static void empty_panel(struct xb_buf *gp, const char *why, const struct xb_plot_style *st)
{
	xb_buf_adds(gp, "unset logscale\nunset key\nunset xtics\nunset ytics\nunset border\n"
		    "unset xlabel\nunset ylabel\nset label 1 ");
	gp_str(gp, why ? why : "no data");
	xb_buf_adds(gp, " at graph 0.5, graph 0.5 center textcolor rgb \"#777777\"\n"
		    "plot [1:2] [0:1] NaN notitle\nunset label 1\n");
	style_axes(gp, st);
}

/* On a log axis, the top 30% of the panel is left to the key. */
static void xy_yrange(struct xb_buf *gp, const struct xb_xy_panel *p,
		      const struct xb_plot_style *st)
{
	double ys = st->yscale ? st->yscale : 1, lo = INFINITY, hi = -INFINITY, span;

	if (!st->logy) {
		xb_buf_addf(gp, "set yrange [%s:*]\n", st->y0 ? "0" : "*");
		return;
	}
	for (size_t k = 0; k < p->nc; k++)
		for (size_t j = 0; j < p->c[k].n; j++) {
			if (p->c[k].lo[j] > 0)
				lo = fmin(lo, p->c[k].lo[j] * ys);
			if (p->c[k].y[j] > 0)
				lo = fmin(lo, p->c[k].y[j] * ys);
			hi = fmax(hi, fmax(p->c[k].hi[j], p->c[k].y[j]) * ys);
		}
	if (!isfinite(lo) || !isfinite(hi) || hi <= 0) {
		xb_buf_adds(gp, "set yrange [*:*]\n");
		return;
	}
	lo /= 1.3;
	hi *= 1.3;
	span = log(hi) - log(lo);
	xb_buf_addf(gp, "set yrange [%.6g:%.6g]\n", lo, exp(log(hi) + span * 0.43));
}

void xb_plot_xy(struct xb_buf *gp, struct xb_buf *dat, const struct xb_xy_panel *p,
		size_t np, const struct xb_plot_style *st, const char *name)
{
	double ys = st->yscale ? st->yscale : 1;
	size_t block = 0;

	style_head(gp, st, np);
	for (size_t i = 0; i < np; i++) {
		panel_title(gp, p[i].title, np);
		xy_yrange(gp, &p[i], st);
		if (!p[i].nc) {
			empty_panel(gp, p[i].empty, st);
			continue;
		}
		xb_buf_adds(gp, "plot ");
		for (size_t k = 0; k < p[i].nc; k++, block++) {
			const struct xb_xy_curve *c = &p[i].c[k];

			xb_buf_addf(dat, "# ");
			if (p[i].title)
				xb_buf_addf(dat, "%s: ", p[i].title);
			xb_buf_addf(dat, "%s: x y low high n\n", c->title);
			for (size_t j = 0; j < c->n; j++)
				xb_buf_addf(dat, "%.9g %.9g %.9g %.9g %zu\n", c->x[j], c->y[j],
					    c->lo[j], c->hi[j], c->cnt[j]);
			xb_buf_adds(dat, "\n\n");
			xb_buf_addf(gp, "%s\"%s.dat\" index %zu using 1:($2*%g):($3*%g):($4*%g) "
				    "with yerrorlines lw 1.8 pt %d ps 0.8 dt %d lc rgb \"%s\" title ",
				    k ? ", \\\n  " : "", name, block, ys, ys, ys, c->pt ? c->pt : 7,
				    c->dt ? c->dt : 1, c->color ? c->color : palette[k % XB_ARRAY_SIZE(palette)]);
			gp_str(gp, c->title);
		}
		xb_buf_adds(gp, "\n");
	}
	if (np > 1)
		xb_buf_adds(gp, "unset multiplot\n");
}

void xb_plot_groupbars(struct xb_buf *gp, struct xb_buf *dat, const struct xb_bar_panel *p,
		       size_t np, const char *const *bar_titles, size_t nb,
		       const struct xb_plot_style *st, const char *name)
{
	static const char *const col[] = { XB_PLOT_COLOR_B, XB_PLOT_COLOR_A, "#9467bd", "#8c564b" };
	double ys = st->yscale ? st->yscale : 1, w = 0.8 / (double)nb;

	assert(nb <= 4);
	style_head(gp, st, np);
	xb_buf_addf(gp, "set key outside top center horizontal noopaque nobox\n"
		    "set style fill solid 0.75 noborder\nset boxwidth %g\nunset xtics\n"
		    "set xtics nomirror scale 0\nset grid noxtics ytics\n", w * 0.95);
	for (size_t i = 0; i < np; i++) {
		xb_buf_addf(dat, "# %s: group label then per bar: value low high n\n",
			    p[i].title ? p[i].title : "");
		for (size_t g = 0; g < p[i].ng; g++) {
			xb_buf_addf(dat, "%zu \"%s\"", g, p[i].g[g].label);
			for (size_t b = 0; b < nb; b++)
				if (p[i].g[g].n[b])
					xb_buf_addf(dat, " %.9g %.9g %.9g %zu", p[i].g[g].v[b],
						    p[i].g[g].lo[b], p[i].g[g].hi[b], p[i].g[g].n[b]);
				else
					xb_buf_adds(dat, " NaN NaN NaN 0");
			xb_buf_adds(dat, "\n");
		}
		xb_buf_adds(dat, "\n\n");
		panel_title(gp, p[i].title, np);
		xb_buf_addf(gp, "set xrange [-0.6:%g]\nset yrange [0:*]\nset offsets 0, 0, graph 0.12, 0\n",
			    (double)p[i].ng - 0.4);
		xb_buf_adds(gp, "plot ");
		for (size_t b = 0; b < nb; b++) {
			double off = ((double)b - (double)(nb - 1) / 2.0) * w;
			int c = 3 + 4 * (int)b;

			xb_buf_addf(gp, "%s\"%s.dat\" index %zu using ($1%+g):($%d*%g)%s with boxes "
				    "lc rgb \"%s\" title ", b ? ", \\\n  " : "", name, i, off, c, ys,
				    b ? "" : ":xtic(2)", col[b]);
			gp_str(gp, bar_titles[b]);
			/* the spread as a line from lo to hi, n above it */
			xb_buf_addf(gp, ", \\\n  \"\" index %zu using ($1%+g):($%d*%g):(0):"
				    "(($%d-$%d)*%g) with vectors nohead lw 1.2 lc rgb \"#333333\" notitle, "
				    "\\\n  \"\" index %zu using ($1%+g):($%d*%g):(sprintf(\"n=%%d\", $%d)) "
				    "with labels offset 0,0.6 font \",7\" notitle", i, off, c + 1, ys,
				    c + 2, c + 1, ys, i, off, c + 2, ys, c + 3);
		}
		/* one key for the whole figure */
		xb_buf_adds(gp, "\nunset key\n");
	}
	if (np > 1)
		xb_buf_adds(gp, "unset multiplot\n");
}
