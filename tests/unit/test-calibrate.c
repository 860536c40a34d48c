// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of harness/run/calibrate.c: the spin count per target shift,
 * worked by hand, and the detection table's text and JSON.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "json.h"
#include "calibrate.h"

/* 4000 ns at spin 0, 6000 at spin 1000: 2 ns per iteration. */
static void test_calibrate__cost_from_two_medians(void **state)
{
	double cost = 0;

	(void)state;
	assert_int_equal(xb_calib_cost(&cost, 4000, 6000, 1000), 0);
	assert_true(fabs(cost - 2.0) < 1e-12);
}

/* The probe not slower (noise), no probe, no base: no cost. */
static void test_calibrate__cost_refuses_noise(void **state)
{
	double cost = -1;

	(void)state;
	assert_int_equal(xb_calib_cost(&cost, 4000, 3990, 1000), -EINVAL);
	assert_int_equal(xb_calib_cost(&cost, 4000, 4000, 1000), -EINVAL);
	assert_int_equal(xb_calib_cost(&cost, 4000, 6000, 0), -EINVAL);
	assert_int_equal(xb_calib_cost(&cost, 0, 6000, 10), -EINVAL);
	assert_true(cost == -1);
}

/*
 * 4249 ns (the icount DAX read median of PLATFORM.md), 1.87 ns per
 * iteration: 1% is 42.49 ns, 22.7 iterations -> 23, planned 23 x 1.87 /
 * 4249 = 1.0122%; 10% -> 227.2 -> 227, 9.99%; 0.01% -> 0.23 -> at least 1.
 */
static void test_calibrate__plan_rounds_to_whole_iterations(void **state)
{
	static const double targets[] = { 1, 10, 0.01 };
	struct xb_calib_shift s[3];

	(void)state;
	assert_int_equal(xb_calib_plan(s, targets, 3, 4249, 1.87), 0);
	assert_int_equal(s[0].spin, 23);
	assert_true(fabs(s[0].planned_pct - 100.0 * 23 * 1.87 / 4249) < 1e-9);
	assert_int_equal(s[1].spin, 227);
	assert_true(fabs(s[1].planned_pct - 9.9901) < 1e-3);
	assert_int_equal(s[2].spin, 1);
	assert_true(s[2].target_pct == 0.01);
}

static void test_calibrate__plan_refuses_bad_inputs(void **state)
{
	static const double targets[] = { 1 };
	struct xb_calib_shift s[1];

	(void)state;
	assert_int_equal(xb_calib_plan(s, targets, 1, 0, 2), -EINVAL);
	assert_int_equal(xb_calib_plan(s, targets, 1, 4000, 0), -EINVAL);
	assert_int_equal(xb_calib_plan(s, targets, 1, 4000, NAN), -EINVAL);
}

static void two_rows(struct xb_calib_row r[2])
{
	memset(r, 0, 2 * sizeof(*r));
	r[0] = (struct xb_calib_row){ .clock = "wall", .rounds = 3,
				      .shift = { .target_pct = 2, .spin = 40, .planned_pct = 2.01 } };
	r[1] = (struct xb_calib_row){ .clock = "wall", .rounds = 3,
				      .shift = { .target_pct = 10, .spin = 200, .planned_pct = 10.05 } };
	assert_int_equal(xb_calib_row_add(&r[0], 1.5, false, 1, 9), 0);
	assert_int_equal(xb_calib_row_add(&r[0], 3.0, true, 0, 9), 0);
	assert_int_equal(xb_calib_row_add(&r[0], -0.5, false, 0, 9), 0);
	assert_int_equal(xb_calib_row_add(&r[1], 9.0, true, 0, 9), 0);
}

static void test_calibrate__row_counts_trials(void **state)
{
	struct xb_calib_row r[2];

	(void)state;
	two_rows(r);
	assert_int_equal(r[0].trials, 3);
	assert_int_equal(r[0].caught, 1);
	assert_int_equal(r[0].false_calls, 1);
	assert_int_equal(r[0].untouched, 27);
	r[1].trials = XB_CALIB_MAX_TRIALS;
	assert_int_equal(xb_calib_row_add(&r[1], 1, true, 0, 0), -ENOSPC);
}

/* Measured is the median over trials with min..max; caught "k of n". */
static void test_calibrate__table_text(void **state)
{
	static const char want[] =
		"clock   target       spin  planned  measured (min..max)       rounds  caught     false calls\n"
		"wall      2.0%         40    2.01%  +1.50% (-0.5..+3.0)            3  1 of 3     1 of 27\n"
		"wall     10.0%        200   10.05%  +9.00% (+9.0..+9.0)            3  1 of 1     0 of 9\n";
	struct xb_calib_row r[2];
	struct xb_buf out = { 0 };

	(void)state;
	two_rows(r);
	xb_calib_table_text(&out, r, 2);
	assert_string_equal(out.p, want);
	xb_buf_free(&out);
}

static void test_calibrate__table_json(void **state)
{
	struct xb_calib_row r[2];
	struct xb_buf out = { 0 };
	char *schema = xb_asprintf("\"schema_version\":%d", XB_JSON_SCHEMA_VERSION);

	(void)state;
	two_rows(r);
	xb_calib_table_json(&out, r, 2, 4249, 1.87);
	assert_non_null(strstr(out.p, schema));
	free(schema);
	assert_non_null(strstr(out.p, "\"metric\":\"fault.dax.read.pte.ns\""));
	assert_non_null(strstr(out.p, "\"ns_per_spin\":1.87"));
	assert_non_null(strstr(out.p, "\"target_pct\":2,\"spin\":40,"));
	assert_non_null(strstr(out.p, "\"measured_pct\":1.5,\"measured_min_pct\":-0.5,"
				      "\"measured_max_pct\":3,"));
	assert_non_null(strstr(out.p, "\"trials\":3,\"caught\":1,\"false_calls\":1,"
				      "\"untouched_rows\":27}"));
	xb_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calibrate__cost_from_two_medians),
		cmocka_unit_test(test_calibrate__cost_refuses_noise),
		cmocka_unit_test(test_calibrate__plan_rounds_to_whole_iterations),
		cmocka_unit_test(test_calibrate__plan_refuses_bad_inputs),
		cmocka_unit_test(test_calibrate__row_counts_trials),
		cmocka_unit_test(test_calibrate__table_text),
		cmocka_unit_test(test_calibrate__table_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
