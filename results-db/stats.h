/* SPDX-License-Identifier: GPL-2.0 */
/* Descriptive statistics of samples. */
#ifndef XB_STATS_H
#define XB_STATS_H
#ifndef XB_LAYER_DB
#error "results-db/stats.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>

struct xb_summary {
	size_t n;
	double min;
	double median;
	double p90;
	double p99;
	double p999;
	double max;
	double mean;
	double stddev;  /* sample standard deviation (n-1); 0 when n < 2 */
};

/*
 * Quantile q in [0,1] of sorted values by linear interpolation between
 * order statistics (Hyndman & Fan type 7, the default of R and numpy):
 * h = (n-1)q, Q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
double xb_stats_quantile_sorted(const double *sorted, size_t n, double q);
/* Summary of n values (not modified). n == 0 gives -EINVAL. */
int xb_stats_summarize(struct xb_summary *out, const double *v, size_t n);

#endif
