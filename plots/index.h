/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The index page of the published report: what changed first (regressions,
 * largest first, then improvements, then other changes; from the trends'
 * change points and the stored comparisons), then every metric grouped by
 * family, latencies before sizes before counts, with its newest value in
 * human units and a sparkline of its trend.
 */
#ifndef XB_INDEX_H
#define XB_INDEX_H
#ifndef XB_LAYER_PLOTS
#error "plots/index.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "util.h"
#include "trend.h"
#include "compare-db.h"

struct xb_index_change {
	int rank;               /* 0 regression, 1 improvement, 2 other change */
	int cls;                /* enum xb_unit_class of the metric */
	double abs_pct;         /* |change|, NAN last */
	char *row;              /* the <tr> */
};

struct xb_index {
	struct xb_index_change *ch;
	size_t nch;
	struct xb_index_item { int cls; char *name; char *row; } *items;
	size_t nitems;
};

void xb_index_init(struct xb_index *x);
void xb_index_free(struct xb_index *x);
/* A metric's trend: its row in its family and its last change points. */
void xb_index_add_metric(struct xb_index *x, const struct xb_trend *t,
			 struct xb_trend_cp *const *cps, const size_t *ncps, const char *slug,
			 size_t min_seg);
/* The regressions and improvements (and inconclusive rows with a change
 * beyond the band) of a comparison published at href. */
void xb_index_add_comparison(struct xb_index *x, const struct xb_comparison *c,
			     const char *href);
/* The "what changed" table and the family sections, appended to b. */
void xb_index_render(struct xb_buf *b, struct xb_index *x);

#endif
