/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ordering trend points and finding change points in a series of them.
 * Pure computation: nothing here prints or touches the database.
 */
#ifndef XB_CHANGEPOINT_H
#define XB_CHANGEPOINT_H
#ifndef XB_LAYER_DB
#error "results-db/changepoint.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include <stdint.h>

/*
 * Debian version comparison ([epoch:]upstream[-revision]) by dpkg's rules
 * (deb-version(7)): epochs numerically, then upstream and revision by
 * alternating non-digit runs (letters before other characters, '~' before
 * everything, even the end) and digit runs (numerically). <0, 0, >0.
 */
int xb_dpkg_vercmp(const char *a, const char *b);

enum xb_cp_level { XB_CP_WEAK = 1, XB_CP_CONFIRMED = 2 };

struct xb_cp_options {
	size_t min_seg;          /* points per segment, at least 3 */
	unsigned perms;          /* permutations of the significance test */
	double alpha_weak;       /* p at most this: a weak change point */
	double alpha_confirmed;  /* p at most this: confirmed */
	double outlier_k;        /* spike threshold in robust sigmas */
	uint64_t seed;           /* the permutations' PRNG seed (fixed: repeatable) */
};

/* min_seg 3, 999 permutations, weak p <= 0.01, confirmed p <= 0.001,
 * outlier_k 5, seed 1. */
void xb_cp_default_options(struct xb_cp_options *out);

struct xb_changepoint {
	size_t idx;        /* first point of the new segment (index into the input) */
	double before;     /* median of the segment before */
	double after;      /* median of the segment after */
	double p;          /* permutation p-value */
	enum xb_cp_level level;
};

struct xb_cp_result {
	struct xb_changepoint *cps;  /* ascending idx */
	size_t ncps;
	size_t *outliers;            /* indices of one-point excursions, ascending */
	size_t noutliers;
};

/* Segments up to this long search both ends of a split (the right side
 * need not reach the segment's end); longer ones fix the right end. */
#define XB_CP_BOTH_ENDS_MAX 400

/*
 * E-divisive means (Matteson & James 2014, as in R's ecp, Apache
 * Otava/hunter and MongoDB's change-point paper) on x[0..n): bisect the
 * segment with the largest energy statistic, accept the split when a
 * permutation test says it is significant, repeat. One-point excursions that revert at once are
 * set aside as outliers first and never start a segment. -EINVAL on bad
 * options or a non-finite value.
 */
int xb_cp_detect(struct xb_cp_result *out, const double *x, size_t n,
		 const struct xb_cp_options *o);
void xb_cp_result_free(struct xb_cp_result *r);

/* The energy statistic of every split of x (tau, and the right side's end
 * while n <= XB_CP_BOTH_ENDS_MAX), both sides at least min_seg; *out_tau the
 * best, return value its statistic (0 when none fits). For tests. */
double xb_cp_best_split(size_t *out_tau, const double *x, size_t n, size_t min_seg);

#endif
