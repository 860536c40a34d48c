// SPDX-License-Identifier: GPL-2.0
/* Unit tests of plots/: where a trend's data area is (the links over run
 * circles depend on it) and the detail plots of a run read from a real
 * sqlite database in a temporary folder (samples written by the test;
 * gnuplot is not run: the scripts and data files are checked). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "detail.h"
#include "plot.h"
#include "db.h"
#include "db-internal.h"

struct fx {
	char dir[64];
	char path[96];
	struct xb_db *db;
	struct xb_plot_queue q;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/xb-test-plot.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/a.db", f->dir);
	if (xb_db_open(&f->db, f->path, true))
		return -1;
	if (sqlite3_exec(f->db->sql, "INSERT INTO runs (id, uuid, suite, status, started_at)"
			 " VALUES (1, 'u1', 'share', 'finished', 1);"
			 "INSERT INTO boots (run_id, idx, status) VALUES (1, 0, 'finished'),"
			 " (1, 1, 'finished')", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	xb_plot_queue_init(&f->q, f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	xb_plot_queue_free(&f->q);
	xb_db_close(f->db);
	xb_rm_rf(f->dir);
	free(f);
	return 0;
}

/* The raw samples v[0..n) of metric name in boot 'boot' of run 1, as the
 * database stores them (little-endian float64). */
static void add_samples(struct xb_db *db, const char *name, const char *unit, int boot,
			const double *v, int n)
{
	sqlite3_stmt *st;
	uint8_t blob[8 * 64];

	assert_true(n <= 64);
	for (int i = 0; i < n; i++) {
		uint64_t u;

		memcpy(&u, &v[i], 8);
		for (int k = 0; k < 8; k++)
			blob[8 * i + k] = (uint8_t)(u >> (8 * k));
	}
	assert_int_equal(sqlite3_prepare_v2(db->sql, "INSERT OR IGNORE INTO metrics (name, unit,"
					    " direction) VALUES (?, ?, 'lower')", -1, &st, NULL), 0);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db->sql, "INSERT INTO samples (run_id, metric_id, boot,"
					    " rep, n, vals) SELECT 1, id, ?, 0, ?, ? FROM metrics"
					    " WHERE name = ?", -1, &st, NULL), 0);
	sqlite3_bind_int(st, 1, boot);
	sqlite3_bind_int(st, 2, n);
	sqlite3_bind_blob(st, 3, blob, 8 * n, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static char *slurp(const struct fx *f, const char *file)
{
	char *path = xb_asprintf("%s/%s", f->dir, file), *s = NULL;

	assert_int_equal(xb_read_file(&s, NULL, path), 0);
	free(path);
	return s;
}

/* The frame maps its corners onto its margins and refuses what is outside. */
static void test_plot__frame_pos(void **state)
{
	struct xb_plot_frame fr = { .lm = 0.1, .rm = 0.8, .bm = 0.2, .tm = 0.9,
				    .xmin = -0.5, .xmax = 2.5, .ymin = 100, .ymax = 200 };
	double l, t;

	(void)state;
	assert_true(xb_plot_frame_pos(&fr, -0.5, 100, &l, &t));
	assert_true(fabs(l - 0.1) < 1e-12 && fabs(t - 0.8) < 1e-12);
	assert_true(xb_plot_frame_pos(&fr, 2.5, 200, &l, &t));
	assert_true(fabs(l - 0.8) < 1e-12 && fabs(t - 0.1) < 1e-12);
	assert_true(xb_plot_frame_pos(&fr, 1, 150, &l, &t));
	assert_true(fabs(l - 0.45) < 1e-12 && fabs(t - 0.45) < 1e-12);
	assert_false(xb_plot_frame_pos(&fr, 3, 150, &l, &t));
	assert_false(xb_plot_frame_pos(&fr, 1, 99, &l, &t));
	/* runs of one point spread around it, symmetrically, within it */
	assert_true(xb_plot_trend_run_x(4, 0, 1) == 4);
	assert_true(fabs(xb_plot_trend_run_x(4, 0, 2) + xb_plot_trend_run_x(4, 1, 2) - 8) < 1e-12);
	assert_true(xb_plot_trend_run_x(4, 0, 2) < 4);
	assert_true(fabs(xb_plot_trend_run_x(4, 9, 10) - 4) <= 0.25);
}

/* share: a point per mode and N with the recorded sum; exec: a group per
 * mode, cold and warm with their median and quartiles; no radix metric, no
 * radix plot; no fault metric, no CDF. */
static void test_plot__share_details(void **state)
{
	struct fx *f = *state;
	struct xb_details d;
	const double dax1[] = { 1024 }, dax2[] = { 3072 }, pc1[] = { 2048 };
	const double cold[] = { 5000 }, warm[] = { 1000, 2000, 3000, 4000, 5000 };
	char *dat, *gp;

	add_samples(f->db, "share.dax.n1.host.pss_sum.kib", "KiB", 0, dax1, 1);
	add_samples(f->db, "share.dax.n2.host.pss_sum.kib", "KiB", 1, dax2, 1);
	add_samples(f->db, "share.pagecache.n1.host.pss_sum.kib", "KiB", 0, pc1, 1);
	add_samples(f->db, "share.dax.n1.exec.perl.cold.us", "us", 0, cold, 1);
	add_samples(f->db, "share.dax.n1.exec.perl.warm.us", "us", 0, warm, 5);
	add_samples(f->db, "share.dax.n1.exec.perl.hyperfine.us", "us", 0, warm, 5);
	assert_int_equal(xb_detail_run(&d, f->db, &f->q, 1, "r-", "run u1", NULL), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].name, "r-share-memory");
	assert_string_equal(d.v[1].name, "r-exec");
	dat = slurp(f, "r-share-memory.dat");
	assert_non_null(strstr(dat, "# dax: x y low high n\n1 1024 1024 1024 1\n2 3072 3072 3072 1\n"));
	assert_non_null(strstr(dat, "# pagecache: x y low high n\n1 2048 2048 2048 1\n"));
	gp = slurp(f, "r-share-memory.gp");
	/* KiB drawn as MiB, from zero, both formats */
	assert_non_null(strstr(gp, "($2*0.000976562)"));
	assert_non_null(strstr(gp, "set yrange [0:*]"));
	assert_non_null(strstr(gp, "pngcairo") && strstr(gp, "svg"));
	free(dat);
	free(gp);
	dat = slurp(f, "r-exec.dat");
	/* perl, dax: cold 5000 (n 1), warm median 3000, IQR 2000..4000 (n 5) */
	assert_non_null(strstr(dat, "0 \"dax\" 5000 5000 5000 1 3000 2000 4000 5\n"));
	assert_null(strstr(dat, "hyperfine"));
	free(dat);
	xb_details_free(&d);
}

/* radix: one plot per pattern and thread count, the kernel's curves in the
 * kernel column, the floor in the model panels. */
static void test_plot__radix_details(void **state)
{
	struct fx *f = *state;
	struct xb_details d;
	const double a[] = { 10, 20, 30 }, b[] = { 100, 200, 300 }, fl[] = { 5 };
	char *dat;

	add_samples(f->db, "radix.model.pmem.sector.64M.dense.uniform.t1.ns", "ns", 0, b, 3);
	add_samples(f->db, "radix.model.pmem.pfn.64M.dense.uniform.t1.ns", "ns", 0, a, 3);
	add_samples(f->db, "radix.model.flat.64M.dense.uniform.t1.ns", "ns", 0, fl, 1);
	add_samples(f->db, "radix.kernel.pmem.pfn.1T.sparse.uniform.t1.ns", "ns", 0, a, 3);
	add_samples(f->db, "radix.model.pmem.pfn.64M.dense.zipf.t2.ns", "ns", 0, a, 3);
	add_samples(f->db, "radix.model.pmem.sector_pfn_ratio.64M.dense.uniform.t1", "x", 0, a, 3);
	assert_int_equal(xb_detail_run(&d, f->db, &f->q, 1, "", "run u1", "radix"), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].kind, "radix-uniform-t1");
	assert_string_equal(d.v[1].kind, "radix-zipf-t2");
	dat = slurp(f, "radix-uniform-t1.dat");
	assert_non_null(strstr(dat, "# model: pmem, dense: sector entry + direct_access: x y low high n\n"
			       "67108864 200 150 250 3\n"));
	assert_non_null(strstr(dat, "# model: pmem, dense: pfn entry, decoded: x y low high n\n"
			       "67108864 20 15 25 3\n"));
	assert_non_null(strstr(dat, "# kernel: /dev/pmem0, sparse: xa_load + pfn_to_kaddr: x y low"
			       " high n\n1.09951163e+12 20 15 25 3\n"));
	/* the floor beside the pmem model, and no panel of a floor alone */
	assert_non_null(strstr(dat, "# model: pmem, dense: flat array (floor)"));
	assert_null(strstr(dat, "# model: dcssblk, dense"));
	free(dat);
	xb_details_free(&d);
	/* a kind the run has nothing of: no plot, no error */
	assert_int_equal(xb_detail_run(&d, f->db, &f->q, 1, "", "run u1", "cdf"), 0);
	assert_int_equal(d.n, 0);
	xb_details_free(&d);
}

/* cdf: the modes' 4 KiB reads and writes, colour by mode, writes dashed;
 * cdf-<mode> only for a mode with more paths, with all of them. */
static void test_plot__cdf_split(void **state)
{
	struct fx *f = *state;
	struct xb_details d;
	const double v[] = { 3000, 1000, 2000 };
	char *dat, *gp;

	add_samples(f->db, "fault.dax.read.pte.ns", "ns", 0, v, 3);
	add_samples(f->db, "fault.dax.read.pte.ns", "ns", 1, v, 2);
	add_samples(f->db, "fault.dax.write.pte.ns", "ns", 0, v, 3);
	add_samples(f->db, "fault.dax.mkwrite.pte.ns", "ns", 0, v, 3);
	add_samples(f->db, "fault.anon.read.pte.ns", "ns", 0, v, 3);
	add_samples(f->db, "fault.anon.read.pte.per_page_ns", "ns", 0, v, 3);
	assert_int_equal(xb_detail_run(&d, f->db, &f->q, 1, "", "run u1", "cdf"), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].kind, "cdf");
	assert_string_equal(d.v[1].kind, "cdf-dax");
	dat = slurp(f, "cdf.dat");
	/* boots pooled and sorted: 1000 2000 3000 and 1000 3000 */
	assert_non_null(strstr(dat, "# fault.dax.read.pte.ns: value cumulative-fraction (n=5)\n"
			       "1000 0.200000\n1000 0.400000\n2000 0.600000\n3000 0.800000\n"
			       "3000 1.000000\n3000 1\n"));
	assert_null(strstr(dat, "mkwrite"));
	assert_null(strstr(dat, "per_page"));
	gp = slurp(f, "cdf.gp");
	assert_non_null(strstr(gp, "lc rgb \"#1f77b4\" dt 2 title \"fault.dax.write.pte.ns (n=3)\""));
	free(gp);
	free(dat);
	dat = slurp(f, "cdf-dax.dat");
	assert_non_null(strstr(dat, "# fault.dax.mkwrite.pte.ns"));
	assert_non_null(strstr(dat, "# fault.dax.read.pte.ns"));
	assert_null(strstr(dat, "anon"));
	free(dat);
	xb_details_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plot__frame_pos),
		cmocka_unit_test_setup_teardown(test_plot__share_details, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plot__radix_details, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plot__cdf_split, setup, teardown),
	};

	return cmocka_run_group_tests_name("plot", tests, NULL, NULL);
}
