/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A comparison (results-db/compare-db.h) as a page: what changed first,
 * a forest plot of every judged row's change with its interval against
 * the no-change band, and per row the per-boot values of both sides as
 * dots, so a verdict that rests on one odd boot shows. Used by publish
 * (stored comparisons) and `daxbench compare --plot DIR`.
 */
#ifndef XB_CMPPAGE_H
#define XB_CMPPAGE_H
#ifndef XB_LAYER_PLOTS
#error "plots/cmppage.h is not visible from this layer (docs/ARCHITECTURE.md)"
/* `daxbench compare --plot DIR`: DIR/index.html (the page) and
 * DIR/forest.svg. 0 or -errno with one message (lib/error.h). */
int xb_cmp_plot_dir(const struct xb_comparison *c, const char *dir);

#endif

#include "util.h"
#include "compare-db.h"

/* "6.1.0-56-amd64 (A) vs 6.1.0-57-amd64 (B)"; the caller's. */
char *xb_cmp_page_title(const struct xb_comparison *c);
/* A whole page (head to </html>); root as xb_html_head's. */
void xb_cmp_page(struct xb_buf *b, const struct xb_comparison *c, const char *title,
		 const char *root);
/* The forest plot (inline SVG) of the rows in order ix (xb_cmp_order). */
void xb_cmp_forest_body(struct xb_buf *b, const struct xb_comparison *c, const size_t *ix);
/* The forest plot alone, a standalone SVG file's text. */
void xb_cmp_forest_svg(struct xb_buf *b, const struct xb_comparison *c);
/* Row order of the page: regressions, improvements, the rest; within
 * each, latencies before sizes before counts, then by |change|. *out
 * (caller's) holds c->nrows indices. */
void xb_cmp_order(size_t **out, const struct xb_comparison *c);

/* `daxbench compare --plot DIR`: DIR/index.html (the page) and
 * DIR/forest.svg. 0 or -errno with one message (lib/error.h). */
int xb_cmp_plot_dir(const struct xb_comparison *c, const char *dir);

#endif
