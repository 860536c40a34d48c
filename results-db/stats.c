// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"
#include "util.h"

double xb_stats_quantile_sorted(const double *sorted, size_t n, double q)
{
	double h, lo;
	size_t i;

	assert(n > 0);
	if (!(q > 0))
		return sorted[0];
	if (q >= 1)
		return sorted[n - 1];
	h = (double)(n - 1) * q;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

int xb_stats_summarize(struct xb_summary *out, const double *v, size_t n)
{
	double *s, sum = 0, ss = 0;

	if (!n)
		return -EINVAL;
	s = xb_malloc(n * sizeof(*s));
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), xb_cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += s[i];
	out->n = n;
	out->min = s[0];
	out->max = s[n - 1];
	out->median = xb_stats_quantile_sorted(s, n, 0.5);
	out->p90 = xb_stats_quantile_sorted(s, n, 0.90);
	out->p99 = xb_stats_quantile_sorted(s, n, 0.99);
	out->p999 = xb_stats_quantile_sorted(s, n, 0.999);
	out->mean = sum / (double)n;
	/* Two passes: summing squared deviations from the mean avoids the
	 * cancellation of sum(x^2) - n*mean^2 on large, tightly spread values. */
	for (size_t i = 0; i < n; i++)
		ss += (s[i] - out->mean) * (s[i] - out->mean);
	out->stddev = n < 2 ? 0 : sqrt(ss / (double)(n - 1));
	free(s);
	return 0;
}
