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
#ifndef XB_LAYER_DB
#error "results-db/compare.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stddef.h>

/* Largest side for which Mann-Whitney uses its exact distribution. */
#define XB_CMP_EXACT_MAX 50
/* With ties, the exact permutation distribution is used while the number
 * of ways to split the pooled boots, C(m+n, m), is at most this. */
#define XB_CMP_EXACT_TIES_MAX 1e6

/* Two-sided Mann-Whitney U test of a against b. */
struct xb_mw {
	double u;      /* U of a: pairs with a > b, ties counted 1/2 */
	double p;      /* two-sided p: P(|U - mn/2| >= |u - mn/2|) */
	bool exact;    /* exact permutation distribution (else normal approx.) */
};
int xb_cmp_mann_whitney(struct xb_mw *out, const double *a, size_t na,
			const double *b, size_t nb);
/* P(U <= u) under the null, exact, for sides of m and n without ties. */
double xb_cmp_mw_cdf(size_t m, size_t n, double u);
/* The smallest two-sided p the exact test can give at m and n boots:
 * 2 / C(m+n, m) (1 when m or n is 0). */
double xb_cmp_mw_min_p(size_t m, size_t n);

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

/*
 * The clock a run measured time with (fingerprint fact `clock`; a run
 * without it is `wall`) sets the default equivalence threshold of
 * "no change" and whether one boot shows a value exactly.
 */
struct xb_cmp_clock {
	const char *name;
	double threshold_pct;   /* default half-width of "no change", percent */
	bool deterministic;     /* equal inputs give equal values, boot after boot */
};
/* The entry of a clock; NULL is wall; an unknown name gives NULL. */
const struct xb_cmp_clock *xb_cmp_clock_find(const char *name);

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
	double sd;                 /* pooled sample sd of the boots about their side's mean */
	bool constant;             /* every boot of each side gave the same value */
	double q;
	enum xb_verdict verdict;
	bool deterministic;        /* judged by size alone (constant, trusted) */
	long more_boots;           /* inconclusive: more boots per side, or
				      XB_CMP_CANNOT_DECIDE; else -1 */
};

#define XB_CMP_ALPHA 0.05
/* Power "+N boots" aims for, and the most boots per side it will suggest. */
#define XB_CMP_POWER 0.8
#define XB_CMP_MORE_MAX 1000
#define XB_CMP_CANNOT_DECIDE (-2L)

/* How rows are judged: alpha of the interval and of the BH q-values, the
 * half-width of "no change" in percent of median A, and whether constant
 * sides are trusted from one boot (a deterministic clock) or only from two. */
struct xb_cmp_judging {
	double alpha;
	double threshold_pct;
	bool deterministic_clock;
};

/* a and b are copied and sorted inside; na, nb >= 1. */
int xb_cmp_row_compute(struct xb_cmp_row *out, enum xb_direction dir,
		       const double *a, size_t na, const double *b, size_t nb,
		       double alpha);
/*
 * q-values across the judged rows (direction not none), then verdicts:
 * constant sides (deterministic): equal is no change, else the change
 * against the threshold; otherwise regression / improvement when the
 * interval excludes 0 and q < alpha, no change when the whole interval lies
 * within +-threshold, else inconclusive with more_boots.
 */
void xb_cmp_rows_judge(struct xb_cmp_row *rows, size_t n, const struct xb_cmp_judging *j);
/*
 * More boots per side that decide an inconclusive row with XB_CMP_POWER
 * probability if its shift and spread are as observed; alpha_row is the
 * p-value the row needs at its Benjamini-Hochberg rank. XB_CMP_CANNOT_DECIDE
 * beyond XB_CMP_MORE_MAX.
 */
long xb_cmp_more_boots(const struct xb_cmp_row *r, double alpha_row,
		       const struct xb_cmp_judging *j);
/*
 * The fewest boots per side (up to max) at which a lone change among nrows
 * judged rows can reach q < alpha, and a 1 - alpha interval exists; 0 when
 * none up to max.
 */
size_t xb_cmp_boots_for_rows(size_t nrows, double alpha, size_t max);

#endif
