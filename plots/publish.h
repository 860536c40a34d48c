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

#include "util.h"
#include "trend.h"

struct xb_db;

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

/*
 * Publish into outdir (created) the trends and change points of a, which
 * xb_trend_analyze() computed and stored before, with the runs' detail
 * plots and fingerprints and the stored comparisons read from db. Only
 * reads db. 0 or -errno with one message (lib/error.h).
 */
int xb_publish(struct xb_publish_stats *out, struct xb_db *db,
	       const struct xb_trend_analysis *a, const char *outdir);
void xb_publish_stats_free(struct xb_publish_stats *s);

#endif
