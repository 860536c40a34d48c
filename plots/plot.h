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

#include <stdbool.h>
#include "../lib/util.h"
#include "../results-db/trend.h"

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
 * Write path (via path.tmp and rename) unless it already holds exactly
 * data. No fsync: the site is regenerated from the database at will, and
 * a thousand fsyncs were most of the time of a large publish.
 */
int xb_site_write(const char *path, const char *data, size_t len);

/* Draw every queued plot with one gnuplot. -EIO when gnuplot fails
 * (its error lines in err). */
int xb_plot_draw(struct xb_plot_queue *q, struct xb_buf *err);

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

/* A trend's script and data: median with IQR band per series, change
 * points as vertical lines (regressions red, improvements green; weak
 * dashed). cps[s] / ncps[s]: the change points of series s. */
void xb_plot_trend(struct xb_buf *gp, struct xb_buf *dat, const struct xb_trend *t,
		   const struct xb_trend_axis *axis, struct xb_trend_cp *const *cps,
		   const size_t *ncps, const char *name);

/* Empirical CDF of each named sample set, log x. */
struct xb_cdf_curve {
	const char *title;
	double *v;       /* sorted ascending */
	size_t n;
};
void xb_plot_cdf(struct xb_buf *gp, struct xb_buf *dat, const struct xb_cdf_curve *c,
		 size_t nc, const char *title, const char *xlabel, const char *name);

/* Bars of values by label (the detail plots of mem., exec., radix.). */
void xb_plot_bars(struct xb_buf *gp, struct xb_buf *dat, const char *const *labels,
		  const double *v, const double *lo, const double *hi, size_t n,
		  const char *title, const char *ylabel, bool logy, const char *name);

#endif
