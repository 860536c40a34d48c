/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics for comparing two sets of boots (daxbench compare). The unit
 * of observation is one boot: each value given here is one boot's statistic
 * of a metric (its median, p90 ...), so the spread the tests and intervals
 * see is the spread between boots, not the spread of faults within a boot.
 * Nothing here prints or touches the database.
 */
#ifndef XB_COMPARE_H
#define XB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

/* Largest side for which Mann-Whitney uses its exact distribution. */
#define XB_CMP_EXACT_MAX 50

/* Two-sided Mann-Whitney U test of a against b. */
struct xb_mw {
	double u;      /* U of a: pairs with a > b, ties counted 1/2 */
	double p;      /* two-sided p-value */
	bool exact;    /* exact null distribution (no ties, both sides small) */
};
int xb_cmp_mann_whitney(struct xb_mw *out, const double *a, size_t na,
			const double *b, size_t nb);
/* P(U <= u) under the null, exact, for sides of m and n without ties. */
double xb_cmp_mw_cdf(size_t m, size_t n, double u);

/*
 * Hodges-Lehmann estimate of the shift b - a (the median of the m*n
 * differences b_j - a_i) and its distribution-free confidence interval at
 * level 1 - alpha, from the order statistics of those differences given by
 * the null distribution of U. When the sides are too small for any interval
 * at that level (e.g. 3 boots a side at 95%), ci_ok is false and the bounds
 * are -inf and +inf.
 */
struct xb_hl {
	double shift;
	double lo;
	double hi;
	bool ci_ok;
};
int xb_cmp_hodges_lehmann(struct xb_hl *out, const double *a, size_t na,
			  const double *b, size_t nb, double alpha);
/* The k-th smallest (1-based) of the differences b_j - a_i; a and b sorted. */
double xb_cmp_kth_difference(const double *a, size_t na, const double *b, size_t nb,
			     size_t k);

/* Benjamini-Hochberg adjusted q-values of n p-values (out may be p). */
void xb_cmp_bh(double *out, const double *p, size_t n);

enum xb_verdict {
	XB_VERDICT_NONE,          /* direction none: reported, not judged */
	XB_VERDICT_NO_CHANGE,
	XB_VERDICT_INCONCLUSIVE,
	XB_VERDICT_IMPROVEMENT,
	XB_VERDICT_REGRESSION,
};
const char *xb_cmp_verdict_name(enum xb_verdict v);

enum xb_direction { XB_DIR_NONE, XB_DIR_LOWER, XB_DIR_HIGHER };
enum xb_direction xb_cmp_direction(const char *name);

/* One compared metric statistic: everything but q and the verdict comes from
 * xb_cmp_row_compute(); xb_cmp_rows_judge() adds those across all rows. */
struct xb_cmp_row {
	enum xb_direction dir;
	size_t na, nb;             /* boots per side */
	double median_a, median_b; /* of the per-boot values */
	double change_pct;         /* median_b / median_a - 1, in percent */
	struct xb_mw mw;
	struct xb_hl hl;           /* shift b - a, absolute units */
	double ci_lo_pct, ci_hi_pct;  /* hl interval relative to median_a */
	double spread;             /* robust between-boot sd, absolute */
	double noise_abs;          /* noise band half-width, absolute */
	double noise_pct;
	double q;
	enum xb_verdict verdict;
	long more_boots;           /* inconclusive: more boots per side; -1 unknown */
};

#define XB_CMP_ALPHA 0.05
#define XB_CMP_MIN_NOISE 0.01

/* a and b are copied and sorted inside; na, nb >= 1. */
int xb_cmp_row_compute(struct xb_cmp_row *out, enum xb_direction dir,
		       const double *a, size_t na, const double *b, size_t nb,
		       double alpha);
/* q-values across the judged rows (direction not none), then verdicts. */
void xb_cmp_rows_judge(struct xb_cmp_row *rows, size_t n, double alpha);
/* More boots per side expected to decide an inconclusive row; -1 unknown. */
long xb_cmp_more_boots(const struct xb_cmp_row *r, double alpha);

#endif
