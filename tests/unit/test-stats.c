// SPDX-License-Identifier: GPL-2.0
/* Unit tests of results-db/stats.c against values computed by hand. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "stats.h"

#define assert_near(a, b) assert_near_((a), (b), __FILE__, __LINE__)

static void assert_near_(double got, double want, const char *file, int line)
{
	if (fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want)))
		return;
	print_error("got %.17g, want %.17g\n", got, want);
	_fail(file, line);
}

static void test_stats__quantile_even_n(void **state)
{
	const double x[] = { 1, 2, 3, 4 };

	/* type 7: h = (n-1)q = 3q */
	assert_near(xb_stats_quantile_sorted(x, 4, 0), 1);
	assert_near(xb_stats_quantile_sorted(x, 4, 1), 4);
	/* q=0.5: h=1.5 -> x[1] + 0.5(x[2]-x[1]) = 2 + 0.5 = 2.5 */
	assert_near(xb_stats_quantile_sorted(x, 4, 0.5), 2.5);
	/* q=0.9: h=2.7 -> 3 + 0.7 = 3.7 */
	assert_near(xb_stats_quantile_sorted(x, 4, 0.9), 3.7);
	/* q=0.99: h=2.97 -> 3.97 */
	assert_near(xb_stats_quantile_sorted(x, 4, 0.99), 3.97);
	/* q=0.25: h=0.75 -> 1.75 (numpy.percentile([1,2,3,4], 25) = 1.75) */
	assert_near(xb_stats_quantile_sorted(x, 4, 0.25), 1.75);
}

static void test_stats__quantile_odd_n(void **state)
{
	const double x[] = { 10, 20, 30, 40, 50 };

	/* h = 4q. q=0.5: h=2 -> x[2] = 30 exactly, no interpolation */
	assert_near(xb_stats_quantile_sorted(x, 5, 0.5), 30);
	/* q=0.9: h=3.6 -> 40 + 0.6*10 = 46 */
	assert_near(xb_stats_quantile_sorted(x, 5, 0.9), 46);
	/* q=0.999: h=3.996 -> 40 + 0.996*10 = 49.96 */
	assert_near(xb_stats_quantile_sorted(x, 5, 0.999), 49.96);
}

static void test_stats__n1(void **state)
{
	const double x[] = { 7.25 };
	struct xb_summary s;

	assert_int_equal(xb_stats_summarize(&s, x, 1), 0);
	assert_int_equal(s.n, 1);
	assert_near(s.min, 7.25);
	assert_near(s.median, 7.25);
	assert_near(s.p90, 7.25);
	assert_near(s.p99, 7.25);
	assert_near(s.p999, 7.25);
	assert_near(s.max, 7.25);
	assert_near(s.mean, 7.25);
	/* one sample has no spread to estimate: documented as 0 */
	assert_near(s.stddev, 0);
}

static void test_stats__n2_sample_stddev(void **state)
{
	const double x[] = { 3, 1 };
	struct xb_summary s;

	assert_int_equal(xb_stats_summarize(&s, x, 2), 0);
	/* sorted 1,3; h=q: median 1+0.5*2 = 2, p90 1+0.9*2 = 2.8, p99 2.98 */
	assert_near(s.median, 2);
	assert_near(s.p90, 2.8);
	assert_near(s.p99, 2.98);
	assert_near(s.mean, 2);
	/*
	 * Squared deviations 1 + 1 = 2. Sample variance 2/(n-1) = 2, so
	 * stddev = sqrt(2). The population form would give 1, and the standard
	 * error of the mean sqrt(2)/sqrt(2) = 1: both must not come out.
	 */
	assert_near(s.stddev, sqrt(2.0));
}

static void test_stats__unsorted_input_untouched(void **state)
{
	double x[] = { 5, 1, 4, 2, 3 };
	const double orig[] = { 5, 1, 4, 2, 3 };
	struct xb_summary s;

	assert_int_equal(xb_stats_summarize(&s, x, 5), 0);
	assert_memory_equal(x, orig, sizeof(x));
	assert_int_equal(s.n, 5);
	assert_near(s.min, 1);
	assert_near(s.max, 5);
	/* sorted 1..5, h = 4q: median x[2] = 3; p90 h=3.6 -> 4.6; p99 h=3.96 -> 4.96 */
	assert_near(s.median, 3);
	assert_near(s.p90, 4.6);
	assert_near(s.p99, 4.96);
	assert_near(s.p999, 4.996);
	/* mean 15/5 = 3; deviations 4+1+0+1+4 = 10; 10/4 = 2.5; sqrt(2.5) */
	assert_near(s.mean, 3);
	assert_near(s.stddev, sqrt(2.5));
}

static void test_stats__even_n_summary(void **state)
{
	const double x[] = { 8, 2, 6, 4, 10, 12 };
	struct xb_summary s;

	assert_int_equal(xb_stats_summarize(&s, x, 6), 0);
	/* sorted 2,4,6,8,10,12; h=5q. median h=2.5 -> 6 + 0.5*2 = 7 */
	assert_near(s.median, 7);
	/* p90 h=4.5 -> 10 + 0.5*2 = 11 */
	assert_near(s.p90, 11);
	/* mean 42/6 = 7; deviations 25+9+1+1+9+25 = 70; 70/5 = 14 */
	assert_near(s.mean, 7);
	assert_near(s.stddev, sqrt(14.0));
}

static void test_stats__large_offset_keeps_precision(void **state)
{
	const double x[] = { 1e9 + 1, 1e9 + 2, 1e9 + 3 };
	struct xb_summary s;

	assert_int_equal(xb_stats_summarize(&s, x, 3), 0);
	/* deviations 1+0+1 = 2, /(n-1) = 1: stddev exactly 1 */
	assert_near(s.mean, 1e9 + 2);
	assert_near(s.stddev, 1);
}

static void test_stats__empty_is_einval(void **state)
{
	struct xb_summary s;
	const double x[] = { 1 };

	assert_int_equal(xb_stats_summarize(&s, x, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats__quantile_even_n),
		cmocka_unit_test(test_stats__quantile_odd_n),
		cmocka_unit_test(test_stats__n1),
		cmocka_unit_test(test_stats__n2_sample_stddev),
		cmocka_unit_test(test_stats__unsorted_input_untouched),
		cmocka_unit_test(test_stats__even_n_summary),
		cmocka_unit_test(test_stats__large_offset_keeps_precision),
		cmocka_unit_test(test_stats__empty_is_einval),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
