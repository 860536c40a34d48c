/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The published report: a static site (HTML and images only, no external
 * script, font or style) of every metric's trend across kernels with its
 * change points, the fingerprint of every run, detail plots and the stored
 * comparisons. Regenerating redraws only plots whose script or data changed.
 */
#ifndef XB_PUBLISH_H
#define XB_PUBLISH_H
#ifndef XB_LAYER_PLOTS
#error "plots/publish.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <sqlite3.h>
#include "util.h"
#include "changepoint.h"

struct xb_publish_stats {
	size_t metrics;
	size_t runs;
	size_t comparisons;
	size_t plots_drawn;
	size_t plots_unchanged;
	size_t changepoints;
	size_t new_changepoints;
	size_t new_regressions;
	char **new_lines;       /* one line per new change point */
};

/* Publish into outdir (created). Stores the change points found in db.
 * Errors go to err once; -errno returned. */
int xb_publish(struct xb_publish_stats *out, sqlite3 *db, const char *outdir,
	       const struct xb_cp_options *cp, struct xb_buf *err);
void xb_publish_stats_free(struct xb_publish_stats *s);

#endif
