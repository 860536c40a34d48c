// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the fio benchmark's JSON reader, on a real output of fio
 * 3.33 (tests/data/fio-3.33-mmap-randread.json: ioengine=mmap, randread,
 * 8 MiB, captured on Debian 12) and on broken ones. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench.h"
#include "error.h"
#include "test-data.h"
#include "fio-json.h"

static void test_fio__real_output(void **state)
{
	char *text = data("fio-3.33-mmap-randread.json");
	/* fio prints warnings before the JSON at times: they are skipped */
	char *noisy = xb_asprintf("fio: some warning\n%s", text);
	struct xb_fio_result r;
	const struct xb_fio_dir *rd;

	assert_int_equal(xb_fio_parse(&r, noisy), 0);
	assert_string_equal(r.version, "fio-3.33");
	assert_int_equal(r.njobs, 1);
	assert_string_equal(r.jobs[0].name, "mmap-randread");
	assert_int_equal(r.jobs[0].error, 0);
	/* the values as they are in the file */
	rd = &r.jobs[0].dir[XB_FIO_READ];
	assert_int_equal(rd->total_ios, 2048);
	assert_true(fabs(rd->iops - 3220.125786) < 1e-6);
	assert_true(rd->bw_bytes == 13189635);
	assert_true(fabs(rd->clat_mean_ns - 309121.755859) < 1e-6);
	assert_true(rd->clat_p50_ns == 108032);
	assert_true(rd->clat_p99_ns == 4014080);
	assert_false(isnan(rd->clat_p999_ns));
	assert_int_equal(r.jobs[0].dir[XB_FIO_WRITE].total_ios, 0);
	assert_int_equal(r.jobs[0].minf, 11);
	assert_int_equal(r.jobs[0].majf, 2048);
	xb_fio_result_free(&r);
	free(noisy);
	free(text);
	xb_error_clear();
}

static void test_fio__broken(void **state)
{
	static const char *const bad[] = {
		"", "fio: engine mmap not loadable\n", "{\"jobs\": []}", "{\"jobs\": [ {",
		"{\"jobs\": [{\"jobname\": \"x\"}]}", "[1, 2]",
	};
	struct xb_fio_result r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(xb_fio_parse(&r, bad[i]), -EINVAL);
		assert_string_not_equal(xb_error_last(), "");
		assert_non_null(strstr(xb_error_last(), "fio"));
		assert_int_equal(r.njobs, 0);
		xb_error_clear();
	}
}

static void test_fio__check(void **state)
{
	const struct xb_bench_ops *b = xb_bench_find("fio");
	struct xb_kvlist p = { 0 };

	assert_non_null(b);
	/* every parameter has a default */
	assert_int_equal(xb_bench_check(b, &p), 0);
	xb_kv_set(&p, "jobs", "mmap-randread,");
	assert_int_equal(xb_bench_check(b, &p), 0);
	xb_kv_set(&p, "jobs", "mmap-randread, ,x");
	assert_int_equal(xb_bench_check(b, &p), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "jobs"));
	xb_error_clear();
	xb_kv_set(&p, "jobs", "mmap-randread,../etc/passwd");
	assert_int_equal(xb_bench_check(b, &p), -EINVAL);
	xb_error_clear();
	xb_kv_set(&p, "jobs", "mmap-randread, mmap-randwrite");
	xb_kv_set(&p, "file_size", "0");
	assert_int_equal(xb_bench_check(b, &p), -EINVAL);
	xb_error_clear();
	xb_kv_set(&p, "file_size", "16M");
	assert_int_equal(xb_bench_check(b, &p), 0);
	xb_kv_free(&p);
	xb_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fio__real_output),
		cmocka_unit_test(test_fio__broken),
		cmocka_unit_test(test_fio__check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
