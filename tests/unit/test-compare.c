// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of results-db/compare.c against published tables and values
 * worked by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "test-random.h"
#include "compare.h"

#define assert_near(a, b, tol) assert_near_((a), (b), (tol), __FILE__, __LINE__)

static void assert_near_(double got, double want, double tol, const char *file, int line)
{
	if (fabs(got - want) <= tol)
		return;
	print_error("got %.17g, want %.17g (tolerance %g)\n", got, want, tol);
	_fail(file, line);
}

/*
 * Critical values of U for a two-sided test at 0.05 from the published
 * table (e.g. Siegel & Castellan, Table J; Zar, Table B.11): the largest u
 * with P(U <= u) <= 0.025.
 */
static void test_compare__mw_critical_values_table(void **state)
{
	static const struct { size_t m, n; int crit; } t[] = {
		{ 4, 4, 0 }, { 5, 5, 2 }, { 6, 6, 5 }, { 4, 6, 2 }, { 5, 8, 6 },
		{ 8, 8, 13 }, { 10, 10, 23 }, { 20, 20, 127 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_true(xb_cmp_mw_cdf(t[i].m, t[i].n, t[i].crit) <= 0.025);
		assert_true(xb_cmp_mw_cdf(t[i].m, t[i].n, t[i].crit + 1) > 0.025);
	}
}

/* Small cases by counting arrangements: C(6,3) = 20, C(8,4) = 70. */
static void test_compare__mw_exact_by_counting(void **state)
{
	const double a[] = { 1, 2, 3, 4 }, b[] = { 5, 6, 7, 8 };
	struct xb_mw mw;

	(void)state;
	assert_near(xb_cmp_mw_cdf(3, 3, 0), 1.0 / 20, 1e-15);
	/* U = 0, 1, 2 for (3,3): 1, 1, 2 arrangements of the 20 */
	assert_near(xb_cmp_mw_cdf(3, 3, 2), 4.0 / 20, 1e-15);
	assert_near(xb_cmp_mw_cdf(3, 3, 9), 1, 0);
	assert_int_equal(xb_cmp_mann_whitney(&mw, a, 4, b, 4), 0);
	assert_true(mw.exact);
	assert_near(mw.u, 0, 0);
	assert_near(mw.p, 2.0 / 70, 1e-15);
	/* the other way round U = 16, same p */
	assert_int_equal(xb_cmp_mann_whitney(&mw, b, 4, a, 4), 0);
	assert_near(mw.u, 16, 0);
	assert_near(mw.p, 2.0 / 70, 1e-15);
}

/*
 * Exact p with ties, against a permutation enumeration independent of
 * daxbench, in python3:
 *   for idx in itertools.combinations(range(m + n), m): split the pooled
 *   values, U = pairs a > b plus half the ties, count |U - mn/2| >= |u - mn/2|
 * over all C(m+n, m) splits, with exact fractions:
 *   {1,1,1} vs {2,2,2}                      U 0, p 2/20  = 0.1 (normal: 0.047)
 *   {3,1,3,2} vs {7,3,4,5,6}                U 1, p 4/126
 *   {60,60,61} vs {60,61,61,62}             U 3, p 14/35 = 0.4
 *   {5,5,5,5} vs {5,5,5,6}                  U 6, p 70/70 = 1
 *   {10,10,10,11,12} vs {10,11,11,12,12,12} U 8, p 146/462
 */
static void test_compare__mw_exact_with_ties(void **state)
{
	static const struct {
		double a[6], b[6];
		size_t na, nb;
		double u, p;
	} c[] = {
		{ { 1, 1, 1 }, { 2, 2, 2 }, 3, 3, 0, 2.0 / 20 },
		{ { 3, 1, 3, 2 }, { 7, 3, 4, 5, 6 }, 4, 5, 1, 4.0 / 126 },
		{ { 60, 60, 61 }, { 60, 61, 61, 62 }, 3, 4, 3, 14.0 / 35 },
		{ { 5, 5, 5, 5 }, { 5, 5, 5, 6 }, 4, 4, 6, 1 },
		{ { 10, 10, 10, 11, 12 }, { 10, 11, 11, 12, 12, 12 }, 5, 6, 8, 146.0 / 462 },
	};
	struct xb_mw mw;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(xb_cmp_mann_whitney(&mw, c[i].a, c[i].na, c[i].b, c[i].nb), 0);
		assert_true(mw.exact);
		assert_near(mw.u, c[i].u, 0);
		assert_near(mw.p, c[i].p, 1e-12);
	}
}

/*
 * Above C(m+n, m) = 1e6 splits, ties use the normal approximation with the
 * tie-corrected variance mn/12 ((N+1) - sum(t^3 - t)/(N(N-1))) and a
 * continuity correction: 12 + 12 (C(24,12) = 2704156), U = 28.5, p by the
 * same formula in python3 (math.erfc) = 0.01241726988654349.
 */
static void test_compare__mw_ties_normal(void **state)
{
	const double a[] = { 1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 8 };
	const double b[] = { 3, 4, 5, 5, 6, 6, 7, 8, 8, 9, 9, 10 };
	struct xb_mw mw;

	(void)state;
	assert_int_equal(xb_cmp_mann_whitney(&mw, a, 12, b, 12), 0);
	assert_false(mw.exact);
	assert_near(mw.u, 28.5, 0);
	assert_near(mw.p, 0.01241726988654349, 1e-12);
}

/* Smallest exact p, 2 / C(2n, n), and the boots a lone change among R rows
 * needs to reach q = p R < 0.05 (python3: first k >= 4 with
 * 2/math.comb(2k, k) <= 0.05/R): R = 1: 4, 21: 6, 40: 7, 100: 8. */
static void test_compare__boots_for_rows(void **state)
{
	(void)state;
	assert_near(xb_cmp_mw_min_p(6, 6), 2.0 / 924, 1e-15);
	assert_near(xb_cmp_mw_min_p(3, 3), 0.1, 1e-15);
	assert_near(xb_cmp_mw_min_p(1, 1), 1, 0);
	assert_int_equal(xb_cmp_boots_for_rows(1, 0.05, 100), 4);
	assert_int_equal(xb_cmp_boots_for_rows(21, 0.05, 100), 6);
	assert_int_equal(xb_cmp_boots_for_rows(40, 0.05, 100), 7);
	assert_int_equal(xb_cmp_boots_for_rows(100, 0.05, 100), 8);
	assert_int_equal(xb_cmp_boots_for_rows(100, 0.05, 7), 0);
}

/* HL by hand: a = {1,2,3}, b = {4,6,9}: differences 3,2,1,5,4,3,8,7,6,
 * median 4. */
static void test_compare__hl_shift_by_hand(void **state)
{
	const double a[] = { 1, 2, 3 }, b[] = { 4, 6, 9 };
	struct xb_hl hl;

	(void)state;
	assert_int_equal(xb_cmp_hodges_lehmann(&hl, a, 3, b, 3, 0.05), 0);
	assert_near(hl.shift, 4, 0);
	/* 3 a side: the smallest two-sided p is 2/20 = 0.1, no 95% interval */
	assert_false(hl.ci_ok);
	assert_true(isinf(hl.lo) && isinf(hl.hi));
}

/*
 * m = n = 5 at 95%: P(U <= 2) = 4/252 <= 0.025 < P(U <= 3) = 7/252, so
 * k = 3 and the interval is [D(3), D(23)] of the 25 ordered differences.
 * With a = {0,100,...,400} and b = {1..5} the differences are the blocks
 * -399..-395, -299..-295, -199..-195, -99..-95, 1..5: D(3) = -397,
 * D(13) = -197, D(23) = 3.
 */
static void test_compare__hl_interval_by_hand(void **state)
{
	const double a[] = { 400, 0, 200, 100, 300 }, b[] = { 5, 1, 4, 2, 3 };
	struct xb_hl hl;

	(void)state;
	assert_int_equal(xb_cmp_hodges_lehmann(&hl, a, 5, b, 5, 0.05), 0);
	assert_true(hl.ci_ok);
	assert_near(hl.shift, -197, 0);
	assert_near(hl.lo, -397, 0);
	assert_near(hl.hi, 3, 0);
}

static int cmpd(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* The bisection selection against sorting all differences. */
static void test_compare__kth_difference_matches_sort(void **state)
{
	double a[13], b[7], d[13 * 7];

	(void)state;
	srand(7);
	for (int trial = 0; trial < 50; trial++) {
		for (size_t i = 0; i < 13; i++)
			a[i] = (double)(rand() % 50) / 7.0 + (trial % 3 ? 1e6 : 0);
		for (size_t i = 0; i < 7; i++)
			b[i] = (double)(rand() % 50) / 3.0;
		qsort(a, 13, sizeof(double), cmpd);
		qsort(b, 7, sizeof(double), cmpd);
		for (size_t i = 0; i < 13; i++)
			for (size_t j = 0; j < 7; j++)
				d[i * 7 + j] = b[j] - a[i];
		qsort(d, 13 * 7, sizeof(double), cmpd);
		for (size_t k = 1; k <= 13 * 7; k++)
			assert_near(xb_cmp_kth_difference(a, 13, b, 7, k), d[k - 1], 0);
	}
}

/*
 * Benjamini & Hochberg (1995), section 4.2: 15 p-values; at 0.05 the first
 * four are rejected. Adjusted by hand: q(4) = 0.0095 15/4 = 0.035625;
 * q(5) = min(0.0201 15/5, 0.0278 15/6, 0.0298 15/7, 0.0344 15/8, ...) =
 * 0.0603; q(6) = 0.0298 15/7 = 0.063857...; q(15) = 1.
 */
static void test_compare__bh_paper_example(void **state)
{
	const double p[15] = { 0.0201, 0.0001, 0.0004, 0.0019, 0.0095, 0.0278, 0.0298,
		0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000 };
	double q[15];
	int rejected = 0;

	(void)state;
	xb_cmp_bh(q, p, 15);
	for (int i = 0; i < 15; i++)
		rejected += q[i] <= 0.05;
	assert_int_equal(rejected, 4);
	assert_near(q[1], 0.0001 * 15, 1e-15);
	assert_near(q[4], 0.035625, 1e-15);
	assert_near(q[0], 0.0603, 1e-15);
	assert_near(q[5], 0.0298 * 15 / 7, 1e-15);
	assert_near(q[14], 1, 0);
}

static const struct xb_cmp_judging wall5 = { 0.05, 5, false };

static void test_compare__verdicts_follow_direction(void **state)
{
	const double a[] = { 100, 102, 98, 101, 99, 100.5, 99.5, 100.2 };
	double b[8];
	struct xb_cmp_row r[3];

	(void)state;
	for (int i = 0; i < 8; i++)
		b[i] = a[i] * 1.2;
	assert_int_equal(xb_cmp_row_compute(&r[0], XB_DIR_LOWER, a, 8, b, 8, 0.05), 0);
	assert_int_equal(xb_cmp_row_compute(&r[1], XB_DIR_HIGHER, a, 8, b, 8, 0.05), 0);
	assert_int_equal(xb_cmp_row_compute(&r[2], XB_DIR_NONE, a, 8, b, 8, 0.05), 0);
	xb_cmp_rows_judge(r, 3, &wall5);
	assert_int_equal(r[0].verdict, XB_VERDICT_REGRESSION);
	assert_int_equal(r[1].verdict, XB_VERDICT_IMPROVEMENT);
	assert_int_equal(r[2].verdict, XB_VERDICT_NONE);
	assert_true(isnan(r[2].q));
	/* two judged rows with p = 2/12870: q = p */
	assert_near(r[0].q, 2.0 / 12870, 1e-15);
	assert_near(r[0].change_pct, 20, 1e-9);
	assert_true(r[0].ci_lo_pct > 0);
	assert_false(r[0].deterministic);
}

static void test_compare__no_change_and_inconclusive(void **state)
{
	const double a[] = { 100, 102, 98, 101, 99, 100.5, 99.5, 100.2 };
	const double b[] = { 100.1, 101.9, 98.2, 100.8, 99.1, 100.4, 99.6, 100.3 };
	struct xb_cmp_row r;

	(void)state;
	/* the interval, about [-1.5%, +1.5%], lies within +-5% */
	assert_int_equal(xb_cmp_row_compute(&r, XB_DIR_LOWER, a, 8, b, 8, 0.05), 0);
	xb_cmp_rows_judge(&r, 1, &wall5);
	assert_int_equal(r.verdict, XB_VERDICT_NO_CHANGE);
	/* ... but not within +-1% */
	xb_cmp_rows_judge(&r, 1, &(struct xb_cmp_judging){ 0.05, 1, false });
	assert_int_equal(r.verdict, XB_VERDICT_INCONCLUSIVE);
	/* two boots a side cannot give a 95% interval: inconclusive, and at
	 * least 4 a side are needed (2/C(8,4) = 0.029 is the first p < 0.05) */
	assert_int_equal(xb_cmp_row_compute(&r, XB_DIR_LOWER, a, 2, b, 2, 0.05), 0);
	xb_cmp_rows_judge(&r, 1, &wall5);
	assert_int_equal(r.verdict, XB_VERDICT_INCONCLUSIVE);
	assert_true(r.more_boots >= 2);
}

/* The threshold does not grow with noise: boots spread +-10% around the
 * same median are inconclusive, where the old band max(1%, 2 x spread)
 * would have called them "no change". */
static void test_compare__threshold_fixed(void **state)
{
	const double a[] = { 90, 110, 95, 105, 100, 85, 115, 100 };
	const double b[] = { 110, 90, 105, 95, 100, 115, 85, 101 };
	struct xb_cmp_row r;

	(void)state;
	assert_int_equal(xb_cmp_row_compute(&r, XB_DIR_LOWER, a, 8, b, 8, 0.05), 0);
	xb_cmp_rows_judge(&r, 1, &wall5);
	assert_int_equal(r.verdict, XB_VERDICT_INCONCLUSIVE);
	assert_true(r.ci_lo_pct < -5 && r.ci_hi_pct > 5);
}

/*
 * Constant sides: equal is "no change", never "+1000s of boots"; under a
 * deterministic clock a difference is judged by its size against the
 * threshold (the +0.68% of a planted barrier() loop, issue 14), from one
 * boot a side. Under the wall clock constant sides are the clock's
 * resolution: a difference goes to the test like any other row (an A/A on
 * a loaded host gave timer.resolution.ns 60 in all 4 boots of A and 50 in
 * all 4 of B, which the size rule called an improvement).
 */
static void test_compare__deterministic(void **state)
{
	const double t60[] = { 60, 60, 60 }, a[] = { 4114, 4114, 4114 };
	const double b[] = { 4142, 4142, 4142 }, t50[] = { 50, 50, 50 };
	struct xb_cmp_row r;

	(void)state;
	assert_int_equal(xb_cmp_row_compute(&r, XB_DIR_LOWER, t60, 3, t60, 3, 0.05), 0);
	assert_true(r.constant);
	xb_cmp_rows_judge(&r, 1, &wall5);
	assert_int_equal(r.verdict, XB_VERDICT_NO_CHANGE);
	assert_false(r.deterministic);
	assert_int_equal(r.more_boots, -1);
	/* wall: 60 vs 50 in 3 boots each is p = 0.1 (exact), not a verdict */
	assert_int_equal(xb_cmp_row_compute(&r, XB_DIR_LOWER, t60, 3, t50, 3, 0.05), 0);
	assert_true(r.constant);
	xb_cmp_rows_judge(&r, 1, &wall5);
	assert_int_equal(r.verdict, XB_VERDICT_INCONCLUSIVE);
	assert_false(r.deterministic);
	assert_true(fabs(r.mw.p - 0.1) < 1e-9);
	assert_true(r.more_boots > 0 || r.more_boots == XB_CMP_CANNOT_DECIDE);
	/* the same under icount: exact, -16.7% is an improvement */
	xb_cmp_rows_judge(&r, 1, &(struct xb_cmp_judging){ 0.05, 0.1, true });
	assert_int_equal(r.verdict, XB_VERDICT_IMPROVEMENT);
	assert_true(r.deterministic);
	assert_int_equal(xb_cmp_row_compute(&r, XB_DIR_LOWER, a, 3, b, 3, 0.05), 0);
	xb_cmp_rows_judge(&r, 1, &(struct xb_cmp_judging){ 0.05, 1, true });
	assert_int_equal(r.verdict, XB_VERDICT_NO_CHANGE);
	xb_cmp_rows_judge(&r, 1, &(struct xb_cmp_judging){ 0.05, 0.5, true });
	assert_int_equal(r.verdict, XB_VERDICT_REGRESSION);
	assert_true(r.deterministic);
	/* one boot a side: wall clock inconclusive, deterministic clock decides */
	assert_int_equal(xb_cmp_row_compute(&r, XB_DIR_LOWER, a, 1, b, 1, 0.05), 0);
	xb_cmp_rows_judge(&r, 1, &(struct xb_cmp_judging){ 0.05, 0.5, false });
	assert_int_equal(r.verdict, XB_VERDICT_INCONCLUSIVE);
	assert_false(r.deterministic);
	xb_cmp_rows_judge(&r, 1, &(struct xb_cmp_judging){ 0.05, 0.5, true });
	assert_int_equal(r.verdict, XB_VERDICT_REGRESSION);
}

static void test_compare__clock_table(void **state)
{
	(void)state;
	assert_string_equal(xb_cmp_clock_find(NULL)->name, "wall");
	assert_false(xb_cmp_clock_find("wall")->deterministic);
	assert_true(xb_cmp_clock_find("icount")->deterministic);
	assert_true(xb_cmp_clock_find("icount")->threshold_pct <
		    xb_cmp_clock_find("wall")->threshold_pct);
	assert_null(xb_cmp_clock_find("sundial"));
}

/*
 * The estimate against the power model of compare.c worked independently
 * in python3 (null counts of U by Mann & Whitney's recurrence
 * c(m,n,u) = c(m-1,n,u-n) + c(m,n-1,u); Lehmann's variance of U under a
 * normal shift, its p2 = E[Phi(sqrt2 h - Z)^2] by a midpoint rule;
 * statistics.NormalDist). 7 boots a side, interval [1, 9] (half-width 4)
 * around a shift of 5, median A 100, threshold 5%: sigma = 4 / (1.95996
 * sqrt(pi/3 2/7)) = 3.73105; 80% power first at 24 boots a side for
 * p <= 0.05/40 (rank 1 of 40 rows): 17 more; at 20 for 0.05 2/40: 13
 * more; at 11 for 0.05: 4 more. A shift of 0.5 with the same half-width is
 * decided sooner by "no change": n = 2pi/3 (sigma (1.95996 + z_0.8) /
 * 4.5)^2 = 11.30: 5 more.
 */
static void test_compare__more_boots_by_hand(void **state)
{
	struct xb_cmp_row r = {
		.na = 7, .nb = 7, .median_a = 100,
		.hl = { .shift = 5, .lo = 1, .hi = 9, .ci_ok = true },
	};

	(void)state;
	assert_int_equal(xb_cmp_more_boots(&r, 0.05 / 40, &wall5), 17);
	assert_int_equal(xb_cmp_more_boots(&r, 0.05 * 2 / 40, &wall5), 13);
	assert_int_equal(xb_cmp_more_boots(&r, 0.05, &wall5), 4);
	r.hl = (struct xb_hl){ .shift = 0.5, .lo = -3.5, .hi = 4.5, .ci_ok = true };
	assert_int_equal(xb_cmp_more_boots(&r, 0.05 / 40, &wall5), 5);
	/* a shift at the threshold, hidden in noise: cannot decide */
	r.hl = (struct xb_hl){ .shift = 0.01, .lo = -40, .hi = 40, .ci_ok = true };
	r.median_a = 0.2;
	assert_int_equal(xb_cmp_more_boots(&r, 0.05 / 40, &wall5), XB_CMP_CANNOT_DECIDE);
}

/* Gaussian boots from a fixed seed (Box-Muller over splitmix64). */
static uint64_t rs;

static double gauss(void)
{
	return test_gauss(&rs);
}

#define SIM_ROWS 40
#define SIM_MAXN (7 + XB_CMP_MORE_MAX)

struct sim_case {
	size_t n;            /* boots a side to start with */
	double shift_pct;    /* of row 0; the other rows have none */
	double sd_pct;       /* between-boot sd */
	size_t trials;
	bool heavy;          /* Student t, 3 degrees of freedom, not normal */
};

/* One boot's noise of sd 1: normal, or t with 3 degrees of freedom (whose
 * variance is 3) for heavy tails. */
static double noise(bool heavy)
{
	double z = gauss(), c = 0;

	if (!heavy)
		return z;
	for (int i = 0; i < 3; i++) {
		double g = gauss();

		c += g * g;
	}
	return z / sqrt(c / 3) / sqrt(3);
}

struct sim_fig {
	size_t said;         /* rows that said +N */
	size_t decided;      /* of them, decided after N more boots a side */
	size_t cannot;       /* rows that said "cannot decide" */
	size_t sum_n;        /* of the N they said */
};

static void judge_all(struct xb_cmp_row *r, double (*v)[2][SIM_MAXN], size_t n)
{
	for (size_t i = 0; i < SIM_ROWS; i++)
		xb_cmp_row_compute(&r[i], XB_DIR_LOWER, v[i][0], n, v[i][1], n, 0.05);
	xb_cmp_rows_judge(r, SIM_ROWS, &wall5);
}

/* Row i said +N at n boots: give every row N more, judge again. */
static void sim_follow(struct sim_fig *f, double (*v)[2][SIM_MAXN], size_t n,
		       const struct xb_cmp_row *r, size_t i)
{
	static struct xb_cmp_row again[SIM_ROWS];

	if (r[i].verdict != XB_VERDICT_INCONCLUSIVE)
		return;
	if (r[i].more_boots == XB_CMP_CANNOT_DECIDE) {
		f->cannot++;
		return;
	}
	f->said++;
	f->sum_n += (size_t)r[i].more_boots;
	judge_all(again, v, n + (size_t)r[i].more_boots);
	f->decided += again[i].verdict != XB_VERDICT_INCONCLUSIVE;
}

/* Row 0 (shifted) and rows 1-3 (unchanged) of each simulated comparison. */
static void sim_more_boots(struct sim_fig *shifted, struct sim_fig *null,
			   const struct sim_case *c)
{
	static double v[SIM_ROWS][2][SIM_MAXN];
	static struct xb_cmp_row r[SIM_ROWS];

	for (size_t t = 0; t < c->trials; t++) {
		for (size_t i = 0; i < SIM_ROWS; i++)
			for (size_t k = 0; k < SIM_MAXN; k++) {
				v[i][0][k] = 100 + c->sd_pct * noise(c->heavy);
				v[i][1][k] = (100 + c->sd_pct * noise(c->heavy)) *
					(1 + (i ? 0 : c->shift_pct / 100));
			}
		judge_all(r, v, c->n);
		sim_follow(shifted, v, c->n, r, 0);
		for (size_t i = 1; i < 4; i++)
			sim_follow(null, v, c->n, r, i);
	}
}

/*
 * Validation of "+N boots": simulated comparisons of 40 rows (boots with sd
 * 2% or 3% of the median, threshold 5%), one row shifted; wherever a row
 * says +N, all rows get N more boots a side and that row must then be
 * decided (any verdict but inconclusive) in at least 80% of the cases. The
 * unit test runs 25 comparisons per case; tests/bench/more-boots-sim.sh 200
 * (XB_SIM_TRIALS=200, seed 1) gave, rows that said +N: decided after N more
 * (mean N):
 *   7+7, lone 5% shift, sd 2%:        shifted  82/84  (9.3),  unchanged  40/40  (10.9)
 *   7+7, lone 5% shift, sd 3%:        shifted 147/156 (19.0), unchanged 277/279 (20.1)
 *   7+7, lone 2% shift, sd 2%:        shifted  71/71  (15.2), unchanged  17/17  (14.5)
 *   3+3, lone 5% shift, sd 2%:        shifted 189/200 (16.2), unchanged 576/600 (10.8)
 *   4+4, lone 10% shift, sd 3%:       shifted 199/200 (9.1),  unchanged 543/551 (33.9)
 *   7+7, lone 5% shift, sd 3%, t3:    shifted  97/107 (16.7), unchanged 139/142 (18.3)
 * i.e. 91-100%: the estimate errs on the side of too many boots.
 */
static void test_compare__more_boots_simulated(void **state)
{
	static const struct sim_case cases[] = {
		{ 7, 5, 2, 0, false }, { 7, 5, 3, 0, false }, { 7, 2, 2, 0, false },
		{ 3, 5, 2, 0, false }, { 4, 10, 3, 0, false }, { 7, 5, 3, 0, true },
	};
	const char *env = getenv("XB_SIM_TRIALS");
	size_t trials = env ? strtoul(env, NULL, 10) : 25;

	(void)state;
	rs = 1;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct sim_fig sh = { 0 }, nu = { 0 };
		struct sim_case c = cases[k];

		c.trials = trials;
		sim_more_boots(&sh, &nu, &c);
		print_message("%zu+%zu, shift %g%%, sd %g%%%s: shifted %zu/%zu decided "
			      "(mean N %.1f, %zu cannot decide), unchanged %zu/%zu (mean N "
			      "%.1f, %zu cannot decide)\n", c.n, c.n, c.shift_pct, c.sd_pct,
			      c.heavy ? " (t3)" : "", sh.decided, sh.said,
			      (double)sh.sum_n / (double)(sh.said ? sh.said : 1), sh.cannot,
			      nu.decided, nu.said,
			      (double)nu.sum_n / (double)(nu.said ? nu.said : 1), nu.cannot);
		assert_true(sh.decided >= 0.8 * (double)sh.said);
		assert_true(nu.decided >= 0.8 * (double)nu.said);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare__mw_critical_values_table),
		cmocka_unit_test(test_compare__mw_exact_by_counting),
		cmocka_unit_test(test_compare__mw_exact_with_ties),
		cmocka_unit_test(test_compare__mw_ties_normal),
		cmocka_unit_test(test_compare__boots_for_rows),
		cmocka_unit_test(test_compare__hl_shift_by_hand),
		cmocka_unit_test(test_compare__hl_interval_by_hand),
		cmocka_unit_test(test_compare__kth_difference_matches_sort),
		cmocka_unit_test(test_compare__bh_paper_example),
		cmocka_unit_test(test_compare__verdicts_follow_direction),
		cmocka_unit_test(test_compare__no_change_and_inconclusive),
		cmocka_unit_test(test_compare__threshold_fixed),
		cmocka_unit_test(test_compare__deterministic),
		cmocka_unit_test(test_compare__clock_table),
		cmocka_unit_test(test_compare__more_boots_by_hand),
		cmocka_unit_test(test_compare__more_boots_simulated),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
