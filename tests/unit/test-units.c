// SPDX-License-Identifier: GPL-2.0
/* plots/units.c and plots/html.c: numbers in human units, families, and
 * the inline SVG charts. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "units.h"
#include "html.h"

static void expect(double v, const char *unit, const char *want)
{
	char out[XB_FMT_LEN];

	xb_fmt_human(out, v, unit);
	if (strcmp(out, want))
		fail_msg("%g %s: got '%s', want '%s'", v, unit, out, want);
}

static void test_units__time_scales(void **state)
{
	(void)state;
	expect(12000, "ns", "12.0 us");
	expect(12049, "ns", "12.0 us");
	expect(130, "ns", "130 ns");
	expect(71, "ns", "71.0 ns");
	expect(0.5, "ns", "0.50 ns");
	expect(999.6, "ns", "1.00 us");
	expect(227900, "ns", "228 us");
	expect(1.5e9, "ns", "1.50 s");
	expect(70000, "us", "70.0 ms");
	expect(3.2, "s", "3.20 s");
	expect(0, "ns", "0 ns");
	expect(-4500, "ns", "-4.50 us");
}

static void test_units__size_scales(void **state)
{
	(void)state;
	expect(117760, "KiB", "115 MiB");
	expect(8196, "KiB", "8.00 MiB");
	expect(16785408, "bytes", "16.0 MiB");
	expect(512, "bytes", "512 bytes");
	expect(10485760, "B", "10.0 MiB");
	expect(3 * 1048576.0, "MiB", "3.00 TiB");
	expect(-154.8 * 1024, "KiB", "-155 MiB");
}

static void test_units__counts_and_others(void **state)
{
	(void)state;
	expect(513, "count", "513");
	expect(15700, "pages", "15.7 k pages");
	expect(1.5e6, "instructions", "1.50 M instructions");
	expect(16, "pages", "16 pages");
	expect(15.98, "pages", "16.0 pages");
	expect(2.25, "ratio", "2.25 ratio");
	expect(12.5, "%", "12.5%");
	expect(NAN, "ns", "-");
	expect(INFINITY, "ns", "+inf");
	expect(7, NULL, "7");
	expect(1, "bool", "yes");
	expect(0, "bool", "no");
	expect(0.5, "bool", "0.50 bool");
}

static void test_units__pct(void **state)
{
	char out[XB_FMT_LEN];

	(void)state;
	xb_fmt_pct(out, 12.34);
	assert_string_equal(out, "+12.3%");
	xb_fmt_pct(out, -0.5);
	assert_string_equal(out, "-0.5%");
	xb_fmt_pct(out, 0.01);
	assert_string_equal(out, "+0.01%");
	xb_fmt_pct(out, NAN);
	assert_string_equal(out, "-");
}

static void test_units__class_and_family(void **state)
{
	(void)state;
	assert_int_equal(xb_unit_class("ns"), XB_UNIT_TIME);
	assert_int_equal(xb_unit_class("KiB"), XB_UNIT_SIZE);
	assert_int_equal(xb_unit_class("%"), XB_UNIT_RATIO);
	assert_int_equal(xb_unit_class("pages"), XB_UNIT_COUNT);
	assert_true(XB_UNIT_TIME < XB_UNIT_SIZE && XB_UNIT_SIZE < XB_UNIT_COUNT);
	assert_string_equal(xb_families[xb_metric_family("fault.dax.read.pte.ns")].name,
			    "fault paths");
	assert_string_equal(xb_families[xb_metric_family("share.dax.host_per_guest.kib")].name,
			    "sharing");
	assert_string_equal(xb_families[xb_metric_family("share.dax.n1.exec.true.cold.us")].name,
			    "exec");
	assert_string_equal(xb_families[xb_metric_family("share.dax.vmemmap_per_gib.kib")].name,
			    "struct pages");
	assert_string_equal(xb_families[xb_metric_family("radix.model.pmem.pfn.1M.dense."
							 "uniform.t1.ns")].name, "radix");
	assert_string_equal(xb_families[xb_metric_family("capprobe.dax.mlock.works")].name,
			    "capabilities");
	assert_string_equal(xb_families[xb_metric_family("timer.overhead.ns")].name, "other");
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* A series that moves by a few per mille draws (nearly) flat: the y range
 * is at least +-5% of its level. */
static void test_html__sparkline_flat_and_nan(void **state)
{
	const double v[] = { 4249, NAN, 4250, 4251 };
	struct xb_buf b = { 0 };
	double y0, y1, y2;
	const char *pts;

	(void)state;
	xb_svg_sparkline(&b, v, 4, 120, 26, "trend <x>");
	assert_non_null(strstr(b.p, "trend &lt;x&gt;"));
	pts = strstr(b.p, "points=\"");
	assert_non_null(pts);
	assert_int_equal(sscanf(pts, "points=\"%*f,%lf %*f,%lf %*f,%lf\"", &y0, &y1, &y2), 3);
	assert_true(fabs(y0 - y2) < 1.0);
	assert_int_equal(count(b.p, "<circle"), 1);
	xb_buf_free(&b);
	/* all zero, and a single point: drawn, no NaN coordinate */
	{
		const double z[] = { 0, 0, 0 };

		xb_svg_sparkline(&b, z, 3, 120, 26, "zeros");
		xb_svg_sparkline(&b, v, 1, 120, 26, "one");
		assert_null(strstr(b.p, "nan"));
		assert_int_equal(count(b.p, "<circle"), 2);
		xb_buf_free(&b);
	}
}

static void test_html__forest_rows_and_band(void **state)
{
	const struct xb_forest_row r[] = {
		{ "fault.dax.read.pte.ns", 12.0, 10.0, 14.0, "regression" },
		{ "fault.anon.read.pte.ns", -0.5, NAN, NAN, "no change" },
	};
	struct xb_buf b = { 0 };

	(void)state;
	xb_svg_forest(&b, r, 2, 5);
	assert_non_null(strstr(b.p, "no-change band +-5%"));
	assert_non_null(strstr(b.p, "+12.0% regression"));
	assert_non_null(strstr(b.p, "-0.5% no change"));
	/* the regression's interval and square are red */
	assert_int_equal(count(b.p, "#b2181b"), 3);
	/* band + one square per row */
	assert_int_equal(count(b.p, "<rect"), 3);
	/* the interval only where there is one */
	assert_int_equal(count(b.p, "stroke-width=\"2\""), 1);
	xb_buf_free(&b);
}

static void test_html__badge_says_the_word(void **state)
{
	struct xb_buf b = { 0 };

	(void)state;
	xb_html_badge(&b, "regression");
	assert_string_equal(b.p, "<span class=\"badge reg\">regression</span>");
	assert_string_equal(xb_html_verdict_class("inconclusive (+3 boots)"), "inc");
	assert_string_equal(xb_html_verdict_class("no change"), "nc");
	xb_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units__time_scales),
		cmocka_unit_test(test_units__size_scales),
		cmocka_unit_test(test_units__counts_and_others),
		cmocka_unit_test(test_units__pct),
		cmocka_unit_test(test_units__class_and_family),
		cmocka_unit_test(test_html__sparkline_flat_and_nan),
		cmocka_unit_test(test_html__forest_rows_and_band),
		cmocka_unit_test(test_html__badge_says_the_word),
	};
	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
