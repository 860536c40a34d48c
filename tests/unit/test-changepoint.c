// SPDX-License-Identifier: GPL-2.0
/* Unit tests of results-db/changepoint.c: Debian version order and
 * E-divisive change points on synthetic series with fixed seeds. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "test-random.h"
#include "changepoint.h"
#include "util.h"

static int sgn(int x)
{
	return (x > 0) - (x < 0);
}

static void test_changepoint__dpkg_vercmp(void **state)
{
	static const struct { const char *a, *b; int want; } c[] = {
		{ "1.0", "1.0", 0 },
		{ "1.0~rc1", "1.0", -1 },          /* ~ before the end */
		{ "1.0~~", "1.0~", -1 },
		{ "1.0a", "1.0+", -1 },            /* letters before other characters */
		{ "1:1.0", "2.0", 1 },             /* epoch first */
		{ "0:2.0", "2.0", 0 },
		{ "6.1.9-1", "6.1.10-1", -1 },     /* digit runs numerically */
		{ "6.1.148-1", "6.1.153-1", -1 },
		{ "1.0-10", "1.0-9", 1 },          /* revisions too */
		{ "1.0-1", "1.0-1.1", -1 },
		{ "00", "0", 0 },                  /* leading zeros */
		{ "1.2.3", "1.2.3.0", -1 },
		{ "6.1.0-54-amd64", "6.1.0-9-amd64", 1 },
		{ "6.12.117+deb12", "6.1.158", 1 },
		{ "2.30-1+b1", "2.30-1", 1 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int got = sgn(xb_dpkg_vercmp(c[i].a, c[i].b));

		if (got != c[i].want)
			fail_msg("%s vs %s: got %d want %d", c[i].a, c[i].b, got, c[i].want);
		assert_int_equal(sgn(xb_dpkg_vercmp(c[i].b, c[i].a)), -c[i].want);
	}
}

/* A random well-formed Debian version: [epoch:]upstream[-revision], the
 * upstream starting with a digit, the pieces dpkg's order cares about
 * (digit runs with leading zeros, letters, '~', '+', '.') over-represented. */
static void random_version(char *out, size_t size, uint64_t *rng)
{
	static const char *const piece[] = { "0", "1", "9", "10", "01", "00", "a", "b", "Z",
					     "~", "~~", "+", ".", "~rc", "+deb", "-", "" };
	size_t n = 0, npiece = sizeof(piece) / sizeof(piece[0]);
	bool rev = test_unif(rng) < 0.6;

	if (test_unif(rng) < 0.25)
		n += (size_t)snprintf(out + n, size - n, "%d:", (int)(test_unif(rng) * 3));
	n += (size_t)snprintf(out + n, size - n, "%d", (int)(test_unif(rng) * 12));
	for (int k = (int)(test_unif(rng) * 6); k > 0; k--) {
		const char *p = piece[(size_t)(test_unif(rng) * (double)(npiece - 1))];

		if (*p == '-' && !rev)
			continue;              /* a '-' in upstream needs a revision */
		n += (size_t)snprintf(out + n, size - n, "%s", p);
	}
	if (rev) {
		n += (size_t)snprintf(out + n, size - n, "-%d", (int)(test_unif(rng) * 11));
		for (int k = (int)(test_unif(rng) * 3); k > 0; k--) {
			const char *p = piece[(size_t)(test_unif(rng) * (double)(npiece - 1))];

			if (*p != '-')
				n += (size_t)snprintf(out + n, size - n, "%s", p);
		}
	}
}

/* dpkg's own answer: -1, 0, 1, or 2 when dpkg rejects a version. */
static int dpkg_says(const char *a, const char *b)
{
	const char *lt[] = { "dpkg", "--compare-versions", a, "lt", b, NULL };
	const char *gt[] = { "dpkg", "--compare-versions", a, "gt", b, NULL };
	struct xb_buf out = { 0 }, err = { 0 };
	int st = -1, st2 = -1;

	assert_int_equal(xb_run(lt, &out, &err, &st), 0);
	if (st == 0 || st == 1)
		assert_int_equal(xb_run(gt, &out, &err, &st2), 0);
	xb_buf_free(&out);
	xb_buf_free(&err);
	if ((st != 0 && st != 1) || (st2 != 0 && st2 != 1) || err.len)
		return 2;
	return st == 0 ? -1 : st2 == 0 ? 1 : 0;
}

/* Differential: the hand-written comparison against `dpkg --compare-versions`
 * on random pairs, half of them near each other (b derived from a). */
static void test_changepoint__dpkg_vercmp_matches_dpkg(void **state)
{
	uint64_t rng = 17;
	int compared = 0, equal = 0, less = 0;
	char a[96], b[96];

	for (int i = 0; i < 200; i++) {
		random_version(a, sizeof(a), &rng);
		if (i % 2) {
			random_version(b, sizeof(b), &rng);
		} else {
			/* a with a tail: ~ / letter / digit / revision added or a piece cut */
			static const char *const tail[] = { "~", "~1", "a", "+b1", ".0", "0", "-1", "" };
			const char *t = tail[(size_t)(test_unif(&rng) * 8)];

			snprintf(b, sizeof(b), "%s%s", a, strchr(a, '-') && *t == '-' ? "" : t);
			if (test_unif(&rng) < 0.3 && strlen(b) > 2)
				b[strlen(b) - 1] = '\0';
		}
		int want = dpkg_says(a, b);

		if (want == 2)
			continue;
		compared++;
		equal += want == 0;
		less += want < 0;
		if (sgn(xb_dpkg_vercmp(a, b)) != want)
			fail_msg("'%s' vs '%s': xb_dpkg_vercmp %d, dpkg %d", a, b,
				 sgn(xb_dpkg_vercmp(a, b)), want);
	}
	/* the pairs exercised all three answers, and dpkg took nearly all */
	assert_true(compared >= 190);
	assert_true(equal > 5 && less > 25 && compared - equal - less > 25);
	print_message("%d pairs compared with dpkg: %d equal, %d less\n", compared, equal, less);
}

/* Energy statistic by hand: {0,0,0,1,1,1}, tau 3: between-side distances
 * sum to 9 over 9 pairs, within-side 0: E = 2*9/9 = 2, Q = 3*3/6 * 2 = 3. */
static void test_changepoint__energy_by_hand(void **state)
{
	const double x[] = { 0, 0, 0, 1, 1, 1 };
	size_t tau;

	assert_true(fabs(xb_cp_best_split(&tau, x, 6, 3) - 3.0) < 1e-12);
	assert_int_equal(tau, 3);
	/* too short for two segments of 3 */
	assert_true(xb_cp_best_split(&tau, x, 5, 3) == 0);
}

/* The statistic by its definition, L = x[0..t), R = x[t..k). */
static double naive_q(const double *x, size_t t, size_t k)
{
	double b = 0, wl = 0, wr = 0, m = (double)t, r = (double)(k - t);

	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++) {
			double d = fabs(x[i] - x[j]);

			if (j < t)
				wl += d;
			else if (i >= t)
				wr += d;
			else
				b += d;
		}
	return m * r / (m + r) * (2 * b / (m * r) - wl / (m * (m - 1) / 2) -
				  wr / (r * (r - 1) / 2));
}

/* The best split against the definition: both ends on a short series, the
 * right end fixed beyond XB_CP_BOTH_ENDS_MAX. */
static void test_changepoint__energy_matches_naive(void **state)
{
	static double x[XB_CP_BOTH_ENDS_MAX + 1];
	const size_t lens[] = { 40, XB_CP_BOTH_ENDS_MAX + 1 };

	srand(7);
	for (size_t l = 0; l < 2; l++) {
		size_t n = lens[l], tau, best_tau = 0;
		double best = -1;

		for (size_t i = 0; i < n; i++)
			x[i] = (double)(rand() % 100) / 7.0 + (i > n / 2 && i < 3 * n / 4 ? 5 : 0);
		for (size_t t = 3; t + 3 <= n; t++)
			for (size_t k = l ? n : t + 3; k <= n; k++) {
				double q = naive_q(x, t, k);

				if (q > best) {
					best = q;
					best_tau = t;
				}
			}
		assert_true(fabs(xb_cp_best_split(&tau, x, n, 3) - best) < 1e-9 * best);
		assert_int_equal(tau, best_tau);
	}
}

/* Gaussian noise from a fixed seed (Box-Muller over splitmix64). */
static uint64_t rs;

static double gauss(void)
{
	return test_gauss(&rs);
}

static void series(double *x, size_t n, uint64_t seed, double base, double sd)
{
	rs = seed;
	for (size_t i = 0; i < n; i++)
		x[i] = base + sd * gauss();
}

static void test_changepoint__one_step_found(void **state)
{
	struct xb_cp_options o;
	struct xb_cp_result r;
	double x[30];

	xb_cp_default_options(&o);
	/* seeds 2-6: with seed 1 the noise of the upper half happens to split
	 * again (its last 8 points all exceed its first 7, p = 1/6435 by
	 * chance): over seeds 1-100, 98 give exactly this one change point */
	for (uint64_t seed = 2; seed <= 6; seed++) {
		series(x, 30, seed, 100, 2);
		for (size_t i = 15; i < 30; i++)
			x[i] += 10;    /* a 5-sigma step */
		assert_int_equal(xb_cp_detect(&r, x, 30, &o), 0);
		assert_int_equal(r.ncps, 1);
		assert_int_equal(r.cps[0].idx, 15);
		assert_int_equal(r.cps[0].level, XB_CP_CONFIRMED);
		assert_true(r.cps[0].p <= 0.001);
		assert_true(r.cps[0].after - r.cps[0].before > 7);
		xb_cp_result_free(&r);
	}
}

static void test_changepoint__two_steps_found(void **state)
{
	struct xb_cp_options o;
	struct xb_cp_result r;
	double x[45];

	xb_cp_default_options(&o);
	series(x, 45, 11, 50, 1);
	for (size_t i = 15; i < 45; i++)
		x[i] -= 6;
	for (size_t i = 30; i < 45; i++)
		x[i] += 12;
	assert_int_equal(xb_cp_detect(&r, x, 45, &o), 0);
	assert_int_equal(r.ncps, 2);
	assert_int_equal(r.cps[0].idx, 15);
	assert_int_equal(r.cps[1].idx, 30);
	assert_true(r.cps[0].after < r.cps[0].before);
	assert_true(r.cps[1].after > r.cps[1].before);
	xb_cp_result_free(&r);
}

static void test_changepoint__flat_noise_has_none(void **state)
{
	static const size_t lens[] = { 6, 12, 30, 100, 400 };
	struct xb_cp_options o;
	struct xb_cp_result r;
	double x[400];

	xb_cp_default_options(&o);
	for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
		for (uint64_t seed = 100; seed < 120; seed++) {
			series(x, lens[l], seed, 1000, 30);
			assert_int_equal(xb_cp_detect(&r, x, lens[l], &o), 0);
			if (r.ncps)
				fail_msg("flat n=%zu seed %llu: change point at %zu p=%g", lens[l],
					 (unsigned long long)seed, r.cps[0].idx, r.cps[0].p);
			xb_cp_result_free(&r);
		}
}

/* Whether r has a change point within 1 of idx. */
static bool has_cp_near(const struct xb_cp_result *r, size_t idx)
{
	for (size_t i = 0; i < r->ncps; i++)
		if (r->cps[i].idx + 1 >= idx && r->cps[i].idx <= idx + 1)
			return true;
	return false;
}

/* Series of `len` points of sd 2 around 100 with steps of size step[k] at
 * at[k]; how many of `seeds` series get every step as a change point (each
 * within one point), and how many get a change point elsewhere. */
static void step_rate(size_t *out_found, size_t *out_extra, size_t len, const size_t *at,
		      const double *step, size_t nsteps, size_t seeds)
{
	struct xb_cp_options o;
	struct xb_cp_result r;
	double x[120];

	xb_cp_default_options(&o);
	*out_found = *out_extra = 0;
	for (uint64_t seed = 1; seed <= seeds; seed++) {
		bool all = true;

		series(x, len, 1000 * len + seed, 100, 2);
		for (size_t k = 0; k < nsteps; k++)
			for (size_t i = at[k]; i < len; i++)
				x[i] += step[k];
		assert_int_equal(xb_cp_detect(&r, x, len, &o), 0);
		for (size_t k = 0; k < nsteps; k++)
			all = all && has_cp_near(&r, at[k]);
		*out_found += all;
		*out_extra += r.ncps > (all ? nsteps : 0);
		xb_cp_result_free(&r);
	}
}

/*
 * Detection over 40 seeded series each (sd 2, 5-sigma steps of 10): every
 * step found within one point; and false change points on flat noise over
 * 300 series of 12, 30 and 60 points. At the commit that searched both
 * ends (series with an extra change point besides the steps in brackets):
 * one step 39/40 (2), two steps 40/40 (1), a regression later fixed
 * (100/110/100, 10 points each) 40/40 (1) - with the right end fixed at
 * the end of the series 3/40 (issue 14 measured 4%) - and flat noise
 * 4/300. The first split of a series is tested by permutation at p <= 0.01,
 * so about 1% of flat series get a false weak change point by design: with
 * 1000 series of each length, 36/3000 = 1.2%; the test allows 4 of its 300.
 */
static void test_changepoint__detection_rates(void **state)
{
	static const size_t one_at[] = { 15 }, two_at[] = { 15, 30 }, fix_at[] = { 10, 20 };
	static const double one[] = { 10 }, two[] = { -10, 20 }, fix[] = { 10, -10 };
	static const size_t flat_lens[] = { 12, 30, 60 };
	size_t found, extra, flat = 0;

	step_rate(&found, &extra, 30, one_at, one, 1, 40);
	print_message("one step: %zu/40 (%zu with an extra change point)\n", found, extra);
	assert_true(found >= 39);
	step_rate(&found, &extra, 45, two_at, two, 2, 40);
	print_message("two steps: %zu/40 (%zu with an extra change point)\n", found, extra);
	assert_true(found >= 39);
	step_rate(&found, &extra, 30, fix_at, fix, 2, 40);
	print_message("100/110/100: %zu/40 (%zu with an extra change point)\n", found, extra);
	assert_true(found >= 39);
	for (size_t l = 0; l < 3; l++) {
		step_rate(&found, &extra, flat_lens[l], NULL, NULL, 0, 100);
		flat += extra;
	}
	print_message("flat noise: %zu/300 with a change point\n", flat);
	assert_true(flat <= 4);
}

/* A spike that reverts at once is an outlier, not two change points. */
static void test_changepoint__spike_is_outlier(void **state)
{
	struct xb_cp_options o;
	struct xb_cp_result r;
	double x[24];

	xb_cp_default_options(&o);
	series(x, 24, 3, 10, 0.5);
	x[10] += 20;
	assert_int_equal(xb_cp_detect(&r, x, 24, &o), 0);
	assert_int_equal(r.ncps, 0);
	assert_int_equal(r.noutliers, 1);
	assert_int_equal(r.outliers[0], 10);
	xb_cp_result_free(&r);
}

/* A step keeps its first point: it is not mistaken for a spike. */
static void test_changepoint__step_is_not_outlier(void **state)
{
	struct xb_cp_options o;
	struct xb_cp_result r;
	double x[20];

	xb_cp_default_options(&o);
	series(x, 20, 5, 10, 0.5);
	for (size_t i = 10; i < 20; i++)
		x[i] += 20;
	assert_int_equal(xb_cp_detect(&r, x, 20, &o), 0);
	assert_int_equal(r.noutliers, 0);
	assert_int_equal(r.ncps, 1);
	assert_int_equal(r.cps[0].idx, 10);
	xb_cp_result_free(&r);
}

/* Segments keep at least min_seg points: a step two points from the end
 * is not a change point yet. */
static void test_changepoint__min_segment(void **state)
{
	struct xb_cp_options o;
	struct xb_cp_result r;
	double x[20];

	xb_cp_default_options(&o);
	series(x, 20, 9, 10, 0.5);
	x[18] += 20;
	x[19] += 20;
	assert_int_equal(xb_cp_detect(&r, x, 20, &o), 0);
	for (size_t i = 0; i < r.ncps; i++)
		assert_true(r.cps[i].idx >= 3 && r.cps[i].idx <= 17);
	xb_cp_result_free(&r);
	/* five points: never two segments of three */
	assert_int_equal(xb_cp_detect(&r, x, 5, &o), 0);
	assert_int_equal(r.ncps, 0);
	xb_cp_result_free(&r);
}

/* A 1.5-sigma step over few points is at most weak; a fixed seed makes the
 * p-value repeatable. */
static void test_changepoint__repeatable_p(void **state)
{
	struct xb_cp_options o;
	struct xb_cp_result a, b;
	double x[40];

	xb_cp_default_options(&o);
	series(x, 40, 21, 0, 1);
	for (size_t i = 20; i < 40; i++)
		x[i] += 1.5;
	assert_int_equal(xb_cp_detect(&a, x, 40, &o), 0);
	assert_int_equal(xb_cp_detect(&b, x, 40, &o), 0);
	assert_int_equal(a.ncps, b.ncps);
	for (size_t i = 0; i < a.ncps; i++)
		assert_true(a.cps[i].p == b.cps[i].p && a.cps[i].idx == b.cps[i].idx);
	xb_cp_result_free(&a);
	xb_cp_result_free(&b);
}

static void test_changepoint__bad_input(void **state)
{
	struct xb_cp_options o;
	struct xb_cp_result r;
	double x[8] = { 1, 2, 3, NAN, 5, 6, 7, 8 };

	xb_cp_default_options(&o);
	assert_int_equal(xb_cp_detect(&r, x, 8, &o), -EINVAL);
	x[3] = 4;
	o.min_seg = 2;
	assert_int_equal(xb_cp_detect(&r, x, 8, &o), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changepoint__dpkg_vercmp),
		cmocka_unit_test(test_changepoint__dpkg_vercmp_matches_dpkg),
		cmocka_unit_test(test_changepoint__energy_by_hand),
		cmocka_unit_test(test_changepoint__energy_matches_naive),
		cmocka_unit_test(test_changepoint__one_step_found),
		cmocka_unit_test(test_changepoint__two_steps_found),
		cmocka_unit_test(test_changepoint__flat_noise_has_none),
		cmocka_unit_test(test_changepoint__detection_rates),
		cmocka_unit_test(test_changepoint__spike_is_outlier),
		cmocka_unit_test(test_changepoint__step_is_not_outlier),
		cmocka_unit_test(test_changepoint__min_segment),
		cmocka_unit_test(test_changepoint__repeatable_p),
		cmocka_unit_test(test_changepoint__bad_input),
	};

	return cmocka_run_group_tests_name("changepoint", tests, NULL, NULL);
}
