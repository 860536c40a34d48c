/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gnuplot plots: each plot is a data file (NAME.dat) and a script
 * (NAME.gp) written side by side, so a user can re-run or restyle one by
 * hand (`cd DIR && gnuplot NAME.gp`); the script draws NAME.png (pngcairo)
 * and NAME.svg. Plots are queued and drawn by one gnuplot process; a plot
 * whose script and data hash (NAME.hash) are unchanged is not redrawn.
 */
#ifndef XB_PLOT_H
#define XB_PLOT_H
#ifndef XB_LAYER_PLOTS
#error "plots/plot.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "util.h"
#include "trend.h"

struct xb_plot_queue {
	char *dir;
	struct xb_buf script;   /* the batch: one load per changed plot */
	struct xb_kvlist hashes; /* queued plot -> hash, written once drawn */
	size_t queued;
	size_t unchanged;
};

void xb_plot_queue_init(struct xb_plot_queue *q, const char *dir);
void xb_plot_queue_free(struct xb_plot_queue *q);

/*
 * Write NAME.gp and NAME.dat in q->dir; queue the plot unless its hash and
 * images are already there. gp is the script body (terminal and output
 * lines are added for both formats).
 */
int xb_plot_add(struct xb_plot_queue *q, const char *name, const char *gp,
		const char *dat, int width, int height);
/*
 * Write path (via path.tmp.<pid> and rename: xb_write_file_replace) unless it
 * already holds exactly data. No fsync: the site is regenerated from the
 * database at will, and a thousand fsyncs were most of a large publish.
 */
int xb_site_write(const char *path, const char *data, size_t len);

/* Draw every queued plot with one gnuplot. -EIO when gnuplot fails (its
 * error lines in the message, lib/error.h). */
int xb_plot_draw(struct xb_plot_queue *q);

/* The x position of each point of a trend over the union of its series'
 * points, and the labels of those positions. */
struct xb_trend_axis {
	const struct xb_trend_run **pts;   /* one per x position */
	size_t n;
	bool by_date;
};
void xb_trend_axis_build(struct xb_trend_axis *out, const struct xb_trend *t);
size_t xb_trend_axis_x(const struct xb_trend_axis *a, const struct xb_trend_point *p);
void xb_trend_axis_free(struct xb_trend_axis *a);

/*
 * Where a plot's data area sits in its image (fractions of width and
 * height, from the left and bottom, as gnuplot's "at screen") and the axis
 * ranges drawn there, set explicitly so that a page can place a link over
 * a data point without asking gnuplot.
 */
struct xb_plot_frame {
	double lm, rm, bm, tm;
	double xmin, xmax, ymin, ymax;
};
void xb_plot_frame_gp(struct xb_buf *gp, const struct xb_plot_frame *f);
/* Position of (x, y) in the image, 0..1 from the left and from the top;
 * false when outside the data area. */
bool xb_plot_frame_pos(const struct xb_plot_frame *f, double x, double y, double *out_left,
		       double *out_top);

/* Runs are drawn (and linked) one by one while a trend has at most this
 * many points; beyond, a point is a few pixels wide and the page's table
 * links the runs. */
#define XB_PLOT_TREND_MAX_DOTS 200
/* The x of run i of nruns at axis position x (spread around it). */
double xb_plot_trend_run_x(size_t x, size_t i, size_t nruns);

/* A trend's script and data: median with IQR band per series, each run's
 * median as a dot, change points as vertical lines (regressions red,
 * improvements green; weak dashed). cps[s] / ncps[s]: the change points of
 * series s. out_frame: where the data area is, for links. */
void xb_plot_trend(struct xb_buf *gp, struct xb_buf *dat, struct xb_plot_frame *out_frame,
		   const struct xb_trend *t, const struct xb_trend_runs *runs,
		   const struct xb_trend_axis *axis, struct xb_trend_cp *const *cps,
		   const size_t *ncps, const char *name);

/* Empirical CDF of each named sample set (ns), log x in SI time units;
 * the key outside on the right past 8 curves. */
struct xb_cdf_curve {
	const char *title;
	double *v;       /* sorted ascending, ns */
	size_t n;
	const char *color; /* NULL: the palette's, then dashed past its end */
	int dt;
};
void xb_plot_cdf(struct xb_buf *gp, struct xb_buf *dat, const struct xb_cdf_curve *c,
		 size_t nc, const char *title, const char *xlabel, const char *name);

/*
 * Panels of curves with error bars (detail plots). A curve's points are
 * x, y and the bar lo..hi; n is the number of samples behind each y,
 * written beside it in the data file.
 */
struct xb_xy_curve {
	char *title;
	const char *color;
	int pt;              /* gnuplot point type */
	int dt;              /* dash type, 1 solid */
	size_t n;
	double *x, *y, *lo, *hi;
	size_t *cnt;
};
struct xb_xy_panel {
	char *title;
	struct xb_xy_curve *c;
	size_t nc;
	const char *empty;   /* said in a panel with no curve */
};
struct xb_plot_style {
	const char *title, *xlabel, *ylabel;
	const char *xtics;   /* a gnuplot tics list, or NULL */
	const char *key;     /* a gnuplot key position, or NULL: top left */
	bool logx, logy, y0; /* y0: y axis from zero */
	double yscale;       /* values drawn times this (1 when 0) */
	const char *yformat; /* gnuplot format of the y tic labels, or NULL */
	int rows, cols;
};
void xb_xy_curve_add(struct xb_xy_curve *c, double x, double y, double lo, double hi,
		     size_t n);
void xb_xy_curves_free(struct xb_xy_curve *c, size_t n);
void xb_xy_panels_free(struct xb_xy_panel *p, size_t np);
void xb_plot_xy(struct xb_buf *gp, struct xb_buf *dat, const struct xb_xy_panel *p,
		size_t np, const struct xb_plot_style *st, const char *name);

/* Panels of grouped bars: per group (x label) nb bars with their spread
 * lo..hi and sample count (0: no bar). */
struct xb_bar_group {
	char *label;
	double v[4], lo[4], hi[4];
	size_t n[4];
};
struct xb_bar_panel {
	char *title;
	struct xb_bar_group *g;
	size_t ng;
};
void xb_plot_groupbars(struct xb_buf *gp, struct xb_buf *dat, const struct xb_bar_panel *p,
		       size_t np, const char *const *bar_titles, size_t nb,
		       const struct xb_plot_style *st, const char *name);

#define XB_PLOT_COLOR_A "#1f77b4"
#define XB_PLOT_COLOR_B "#ff7f0e"

#endif
