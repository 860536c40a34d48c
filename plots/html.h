/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every page of the report shares: the inline style (no external
 * file, readable without colour: a verdict is always a word, the colour
 * only repeats it), escaping, and small inline SVG charts drawn for the
 * size they are shown at (sparklines, the comparison's forest plot, the
 * per-boot dots of both sides).
 */
#ifndef XB_HTML_H
#define XB_HTML_H
#ifndef XB_LAYER_PLOTS
#error "plots/html.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include "util.h"

extern const char xb_html_css[];

void xb_html_esc(struct xb_buf *b, const char *s);
/* A dotted metric name, escaped, with a line-break opportunity after each
 * dot (<wbr>): a narrow column wraps it between its parts. */
void xb_html_metric(struct xb_buf *b, const char *name);
/* <!DOCTYPE ...><h1>title</h1>; root: the site root relative to the page
 * for the "all metrics" link, NULL for none. */
void xb_html_head(struct xb_buf *b, const char *title, const char *root);
/* A verdict word in its badge: regression, improvement, no change,
 * inconclusive, change, or anything else (plain). */
void xb_html_badge(struct xb_buf *b, const char *verdict);
/* The CSS class of a verdict: "reg", "imp", "nc", "inc" or "". */
const char *xb_html_verdict_class(const char *verdict);

/* A sparkline of n values (NaN skipped), width x height px, the last point
 * marked; label is its accessible name. */
void xb_svg_sparkline(struct xb_buf *b, const double *v, size_t n, int width, int height,
		      const char *label);

/* The forest plot: per row its change in percent with its interval, the
 * band +-threshold shaded, regressions red, improvements green. */
struct xb_forest_row {
	const char *label;
	double pct, lo, hi;       /* percent; lo/hi NaN when there is no interval */
	const char *verdict;
};
void xb_svg_forest(struct xb_buf *b, const struct xb_forest_row *r, size_t n,
		   double threshold_pct);

/* The per-boot values of both sides as dots on one scale (A above, B
 * below), the extremes labelled in unit. */
void xb_svg_boots(struct xb_buf *b, const double *a, size_t na, const double *vb, size_t nb,
		  const char *unit);

#endif
