// SPDX-License-Identifier: GPL-2.0
/* Unit tests of perf stat's CSV reader, on a real output of perf 6.1
 * (tests/data/perf-6.1-stat-v.csv: -v -x, over faultpath's child reading
 * 4096 anonymous pages, on a machine without hardware counters) and on
 * broken ones; and of the control protocol against the real perf when
 * the machine has it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench.h"
#include "error.h"
#include "test-data.h"
#include "perf-stat.h"

static void test_perf__real_output(void **state)
{
	char *text = data("perf-6.1-stat-v.csv");
	struct xb_perf_result r;
	const struct xb_perf_event *e;

	assert_int_equal(xb_perf_parse(&r, text), 0);
	assert_int_equal(r.n, 6);
	e = xb_perf_get(&r, "page-faults");
	assert_non_null(e);
	assert_true(e->counted);
	assert_true(e->value == 4096);
	assert_string_equal(e->unit, "count");
	e = xb_perf_get(&r, "major-faults");
	assert_true(e->counted);
	assert_true(e->value == 0);             /* a counted zero is a count */
	/* task-clock: the -v line's exact ns, not the CSV's 5.16 msec */
	e = xb_perf_get(&r, "task-clock");
	assert_true(e->counted);
	assert_string_equal(e->unit, "ns");
	assert_true(e->value == 5157445);
	/* no hardware counter: unavailable with perf's word, never a zero */
	e = xb_perf_get(&r, "cycles");
	assert_false(e->counted);
	assert_string_equal(e->reason, "<not supported>");
	assert_null(xb_perf_get(&r, "branches"));
	xb_perf_result_free(&r);
	free(text);
}

static void test_perf__csv_only(void **state)
{
	struct xb_perf_result r;
	const struct xb_perf_event *e;

	assert_int_equal(xb_perf_parse(&r, "2.50,msec,task-clock,2500000,100.00,0.9,CPUs\n"
				       "<not counted>,,page-faults,0,100.00,,\n"), 0);
	e = xb_perf_get(&r, "task-clock");
	assert_true(e->value == 2.5e6);         /* msec in ns */
	e = xb_perf_get(&r, "page-faults");
	assert_false(e->counted);
	assert_string_equal(e->reason, "<not counted>");
	xb_perf_result_free(&r);
}

static void test_perf__broken(void **state)
{
	static const char *const bad[] = {
		"",                                     /* nothing reported */
		"# started on ...\n\n",
		"12,,\n",                               /* no event name */
		"twelve,,page-faults,0,100.00,,\n",     /* not a number */
		"-3,,page-faults,0,100.00,,\n",         /* a negative count */
		"12\n",
	};

	for (size_t i = 0; i < XB_ARRAY_SIZE(bad); i++) {
		struct xb_perf_result r;

		assert_int_equal(xb_perf_parse(&r, bad[i]), -EINVAL);
		assert_string_not_equal(xb_error_last(), "");
		assert_int_equal(r.n, 0);
		xb_error_clear();
	}
}

/* The real perf, a shell as the child: counters on and off through the
 * control descriptors; a child that fails makes an error, not counts. */
static void test_perf__control_protocol(void **state)
{
	const char *const ok[] = { "/bin/sh", "-c", "printf 'enable\\n' >&$0; head -c5 <&$1 "
				   ">/dev/null; echo x >/dev/null; printf 'disable\\n' >&$0; "
				   "head -c5 <&$1 >/dev/null; echo done", "%CTL", "%ACK", NULL };
	const char *const fail[] = { "/bin/sh", "-c", "exit 3", NULL };
	struct xb_buf out = { 0 }, err = { 0 };
	struct xb_perf_result r;

	if (access(XB_PERF_GUEST_PATH, X_OK))
		skip();
	assert_int_equal(xb_perf_stat(&r, &out, &err, XB_PERF_GUEST_PATH,
				      "page-faults,task-clock", ok), 0);
	assert_string_equal(out.p, "done\n");
	assert_non_null(xb_perf_get(&r, "page-faults"));
	assert_true(xb_perf_get(&r, "task-clock")->counted);
	xb_perf_result_free(&r);
	xb_buf_free(&out);
	xb_buf_free(&err);
	assert_int_equal(xb_perf_stat(&r, &out, &err, XB_PERF_GUEST_PATH, "page-faults", fail),
			 -EIO);
	assert_non_null(strstr(xb_error_last(), "exited 3"));
	xb_error_clear();
	xb_buf_free(&out);
	xb_buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perf__real_output),
		cmocka_unit_test(test_perf__csv_only),
		cmocka_unit_test(test_perf__broken),
		cmocka_unit_test(test_perf__control_protocol),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
