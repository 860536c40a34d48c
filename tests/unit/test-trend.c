// SPDX-License-Identifier: GPL-2.0
/* Unit tests of results-db/trend.c and merge.c on a real sqlite database
 * in a temporary folder: point ordering, pooling, stored change points,
 * idempotent merge. Runs are written with SQL (no guest). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "db.h"
#include "db-internal.h"
#include "merge.h"
#include "trend.h"
#include "error.h"

struct fx {
	char dir[64];
	char path[96];
	struct xb_db *db;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/xb-test-trend.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/a.db", f->dir);
	if (xb_db_open(&f->db, f->path, true))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	xb_db_close(f->db);
	xb_rm_rf(f->dir);
	free(f);
	return 0;
}

static void exec(struct xb_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* A finished run of kernel rel (package version pkg) with one boot per
 * value, each value a per-boot median of metric m.ns. */
static void add_run(struct xb_db *db, int id, const char *rel, const char *pkg, const char *commit,
		    const char *date, const char *host, const double *v, int nboots)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "INSERT INTO runs (id, uuid, suite, status, started_at, host)"
		 " VALUES (%d, 'uuid-%d-%s', 'quick', 'finished', %d, '%s');"
		 "INSERT INTO fingerprint VALUES (%d, 'backend', 'axonram-emu'),"
		 " (%d, 'kernel.release', '%s'), (%d, 'kernel.package_version', '%s');"
		 "INSERT OR IGNORE INTO metrics (name, unit, direction) VALUES ('m.ns', 'ns', 'lower');",
		 id, id, host, 1000 - id, host, id, id, rel, id, pkg);
	exec(db, sql);
	if (commit) {
		snprintf(sql, sizeof(sql), "INSERT INTO fingerprint VALUES (%d, 'kernel.commit', '%s'),"
			 " (%d, 'kernel.commit_date', '%s')", id, commit, id, date);
		exec(db, sql);
	}
	for (int b = 0; b < nboots; b++) {
		snprintf(sql, sizeof(sql), "INSERT INTO boots (run_id, idx, status) VALUES (%d, %d,"
			 " 'finished'); INSERT INTO summaries SELECT %d, id, %d, 1, %g, %g, %g, %g, %g,"
			 " %g, %g, 0 FROM metrics WHERE name = 'm.ns'", id, b, id, b, v[b], v[b], v[b],
			 v[b], v[b], v[b], v[b]);
		exec(db, sql);
	}
}

static struct xb_trend *load(struct xb_db *db, struct xb_trend_runs *runs)
{
	struct xb_metric_def *m;
	struct xb_trend *t;
	size_t n;

	assert_int_equal(xb_trend_runs_load(runs, db), 0);
	assert_int_equal(xb_trend_metrics(&m, &n, db), 0);
	assert_int_equal(n, 1);
	assert_int_equal(xb_trend_load(&t, db, runs, &m[0]), 0);
	xb_metric_defs_free(m, n);
	return t;
}

/* Version order, not run order: 6.1.0-9 (6.1.9-1) before 6.1.0-10
 * (6.1.10-1) although it ran later; two runs of one kernel pool. */
static void test_trend__order_and_pool(void **state)
{
	struct fx *f = *state;
	struct xb_trend_runs runs;
	struct xb_trend *t;
	const double a[] = { 10, 12 }, b[] = { 20 }, c[] = { 14 }, d[] = { 30, 31, 32 };

	add_run(f->db, 1, "6.1.0-10-amd64", "6.1.10-1", NULL, NULL, "h", b, 1);
	add_run(f->db, 2, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "h", a, 2);
	add_run(f->db, 3, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "h", c, 1);
	add_run(f->db, 4, "6.1.0-11-amd64", "6.1.11~rc1-1", NULL, NULL, "h", d, 3);
	t = load(f->db, &runs);
	assert_int_equal(t->nseries, 1);
	assert_string_equal(t->series[0].name, "axonram-emu");
	assert_false(t->series[0].by_date);
	assert_int_equal(t->series[0].n, 3);
	assert_string_equal(t->series[0].pts[0].first->label, "6.1.0-9-amd64");
	assert_string_equal(t->series[0].pts[1].first->label, "6.1.0-10-amd64");
	assert_string_equal(t->series[0].pts[2].first->label, "6.1.0-11-amd64");
	/* pooled: boots 10, 12, 14 of runs 2 and 3 */
	assert_int_equal(t->series[0].pts[0].nboots, 3);
	assert_int_equal(t->series[0].pts[0].nruns, 2);
	assert_true(t->series[0].pts[0].median == 12);
	assert_true(t->series[0].pts[0].q1 == 11 && t->series[0].pts[0].q3 == 13);
	/* each run's own median, for its circle: run 2 of boots 10 and 12, run 3 */
	assert_true(t->series[0].pts[0].runs[0] == 2 && t->series[0].pts[0].run_medians[0] == 11);
	assert_true(t->series[0].pts[0].runs[1] == 3 && t->series[0].pts[0].run_medians[1] == 14);
	assert_true(t->series[0].pts[2].nruns == 1 && t->series[0].pts[2].run_medians[0] == 31);
	xb_trend_free(t);
	xb_trend_runs_free(&runs);
}

/* With a commit date on every point, dates order them, whatever the
 * package version says; a second host makes a second series. */
static void test_trend__commit_date_and_hosts(void **state)
{
	struct fx *f = *state;
	struct xb_trend_runs runs;
	struct xb_trend *t;
	const double v[] = { 1 };

	add_run(f->db, 1, "6.1.0-9-amd64", "6.1.9-1", "bbbbbbb", "200", "h1", v, 1);
	add_run(f->db, 2, "6.1.0-10-amd64", "6.1.10-1", "aaaaaaa", "100", "h1", v, 1);
	add_run(f->db, 3, "6.1.0-10-amd64", "6.1.10-1", "aaaaaaa", "100", "h2", v, 1);
	t = load(f->db, &runs);
	assert_true(runs.multi_host);
	assert_int_equal(t->nseries, 2);
	assert_string_equal(t->series[0].name, "axonram-emu@h1");
	assert_string_equal(t->series[1].name, "axonram-emu@h2");
	assert_true(t->series[0].by_date);
	assert_string_equal(t->series[0].pts[0].first->point, "aaaaaaa");
	assert_string_equal(t->series[0].pts[1].first->point, "bbbbbbb");
	xb_trend_free(t);
	xb_trend_runs_free(&runs);
}

/* One kernel run in wall time (clock recorded, and not recorded: an old
 * run) and in icount: two series, never one pooled point. */
static void test_trend__clock_splits_series(void **state)
{
	struct fx *f = *state;
	struct xb_trend_runs runs;
	struct xb_trend *t;
	const double w[] = { 10 }, old[] = { 12 }, ic[] = { 4249, 4249 };

	add_run(f->db, 1, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "h", w, 1);
	add_run(f->db, 2, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "h", old, 1);
	add_run(f->db, 3, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "h", ic, 2);
	exec(f->db, "INSERT INTO fingerprint VALUES (1, 'clock', 'wall'), (3, 'clock', 'icount')");
	t = load(f->db, &runs);
	assert_int_equal(t->nseries, 2);
	assert_string_equal(t->series[0].name, "axonram-emu");
	assert_string_equal(t->series[1].name, "axonram-emu icount");
	assert_int_equal(t->series[0].pts[0].nruns, 2);
	assert_true(t->series[0].pts[0].median == 11);
	assert_int_equal(t->series[1].pts[0].nboots, 2);
	assert_true(t->series[1].pts[0].median == 4249);
	xb_trend_free(t);
	xb_trend_runs_free(&runs);
}

/* A step is stored once with its magnitude; detecting again keeps it (not
 * new); a regression in a lower-is-better metric is marked so. */
static void test_trend__changepoints_stored(void **state)
{
	struct fx *f = *state;
	struct xb_trend_runs runs;
	struct xb_trend *t;
	struct xb_trend_cp *cps;
	struct xb_cp_options o;
	size_t n;
	sqlite3_stmt *st;

	/* 20 kernels: with 12, even a perfect 6/6 split has p >= 2/924 under
	 * permutation and could never be confirmed (p <= 0.001) */
	for (int i = 0; i < 20; i++) {
		char rel[32], pkg[32];
		double v[] = { (i < 10 ? 100 : 150) + (i * 7 % 5) };

		snprintf(rel, sizeof(rel), "6.1.0-%d-amd64", 40 + i);
		snprintf(pkg, sizeof(pkg), "6.1.%d-1", 100 + i);
		add_run(f->db, i + 1, rel, pkg, NULL, NULL, "h", v, 1);
	}
	t = load(f->db, &runs);
	xb_cp_default_options(&o);
	assert_int_equal(xb_trend_changepoints(&cps, &n, f->db, t, &t->series[0], &o, 1000, NULL, NULL), 0);
	assert_int_equal(n, 1);
	assert_true(cps[0].is_new);
	assert_int_equal(cps[0].regression, 1);
	assert_string_equal(cps[0].at->first->label, "6.1.0-50-amd64");
	free(cps);
	assert_int_equal(xb_trend_changepoints(&cps, &n, f->db, t, &t->series[0], &o, 2000, NULL, NULL), 0);
	assert_int_equal(n, 1);
	assert_false(cps[0].is_new);
	free(cps);
	assert_int_equal(sqlite3_prepare_v2(f->db->sql, "SELECT count(*), min(first_seen), max(change_pct),"
					    " max(level) FROM changepoints", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	assert_true(sqlite3_column_double(st, 1) == 1000);
	assert_true(sqlite3_column_double(st, 2) > 40);
	assert_string_equal((const char *)sqlite3_column_text(st, 3), "confirmed");
	sqlite3_finalize(st);
	xb_trend_free(t);
	xb_trend_runs_free(&runs);
}

/* The step `daxbench publish` runs first: every metric's change points
 * found and stored, new only the first time. */
static void test_trend__analyze(void **state)
{
	struct fx *f = *state;
	struct xb_trend_analysis a;
	struct xb_cp_options o;

	for (int i = 0; i < 20; i++) {
		char rel[32], pkg[32];
		double v[] = { (i < 10 ? 100 : 150) + (i * 7 % 5) };

		snprintf(rel, sizeof(rel), "6.1.0-%d-amd64", 40 + i);
		snprintf(pkg, sizeof(pkg), "6.1.%d-1", 100 + i);
		add_run(f->db, i + 1, rel, pkg, NULL, NULL, "h", v, 1);
	}
	xb_cp_default_options(&o);
	assert_int_equal(xb_trend_analyze(&a, f->db, &o, 1000), 0);
	assert_int_equal(a.runs.n, 20);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.defs[0].name, "m.ns");
	assert_int_equal(a.m[0].t->nseries, 1);
	assert_int_equal(a.m[0].ncps[0], 1);
	assert_true(a.m[0].cps[0][0].is_new);
	assert_string_equal(a.m[0].cps[0][0].at->first->label, "6.1.0-50-amd64");
	assert_true(a.now == 1000);
	xb_trend_analysis_free(&a);
	assert_int_equal(xb_trend_analyze(&a, f->db, &o, 2000), 0);
	assert_int_equal(a.m[0].ncps[0], 1);
	assert_false(a.m[0].cps[0][0].is_new);
	xb_trend_analysis_free(&a);
}

static void test_trend__merge_idempotent(void **state)
{
	struct fx *f = *state;
	struct xb_merge_stats ms;
	char other[128];
	struct xb_db *odb;
	const double v[] = { 5, 6 };

	snprintf(other, sizeof(other), "%s/b.db", f->dir);
	assert_int_equal(xb_db_open(&odb, other, true), 0);
	add_run(odb, 1, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "other", v, 2);
	xb_db_close(odb);
	add_run(f->db, 1, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "here", v, 1);
	assert_int_equal(xb_db_merge(&ms, f->db, other, f->dir), 0);
	assert_int_equal(ms.runs_added, 1);
	assert_int_equal(ms.source_version, XB_DB_SCHEMA_VERSION);
	assert_int_equal(xb_db_merge(&ms, f->db, other, f->dir), 0);
	assert_int_equal(ms.runs_added, 0);
	assert_int_equal(ms.runs_present, 1);
	exec(f->db, "CREATE TEMP TABLE c AS SELECT count(*) AS n FROM summaries");
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(f->db->sql, "SELECT n FROM c", -1, &st, NULL), 0);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 3);   /* 1 here + 2 merged */
		sqlite3_finalize(st);
	}
}

static int count_where(struct xb_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int n;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* A LAVA job's facts go on the runs the merge adds, replacing a key the run
 * had, never on runs already here; importing again adds nothing. */
static void test_trend__merge_facts(void **state)
{
	struct fx *f = *state;
	struct xb_merge_stats ms;
	struct xb_kvlist facts = { 0 };
	char other[128];
	struct xb_db *odb;
	const double v[] = { 5, 6 };

	snprintf(other, sizeof(other), "%s/b.db", f->dir);
	assert_int_equal(xb_db_open(&odb, other, true), 0);
	add_run(odb, 1, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "dut", v, 2);
	exec(odb, "INSERT INTO fingerprint VALUES (1, 'lava.job_id', 'stale')");
	xb_db_close(odb);
	add_run(f->db, 1, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "here", v, 1);
	xb_kv_set(&facts, "lava.job_id", "42");
	xb_kv_set(&facts, "lava.device_type", "qemu");
	assert_int_equal(xb_db_merge_facts(&ms, f->db, other, f->dir, &facts), 0);
	assert_int_equal(ms.runs_added, 1);
	assert_int_equal(count_where(f->db, "SELECT count(*) FROM fingerprint f JOIN runs r"
				     " ON r.id = f.run_id WHERE r.host = 'dut' AND"
				     " ((key = 'lava.job_id' AND value = '42') OR"
				     " (key = 'lava.device_type' AND value = 'qemu'))"), 2);
	assert_int_equal(count_where(f->db, "SELECT count(*) FROM fingerprint f JOIN runs r"
				     " ON r.id = f.run_id WHERE r.host = 'here' AND"
				     " key LIKE 'lava.%'"), 0);
	assert_int_equal(xb_db_merge_facts(&ms, f->db, other, f->dir, &facts), 0);
	assert_int_equal(ms.runs_added, 0);
	assert_int_equal(ms.runs_present, 1);
	assert_int_equal(count_where(f->db, "SELECT count(*) FROM runs"), 2);
	xb_kv_free(&facts);
}

/* The same metric name with another unit would mix two quantities in one
 * trend: refused, nothing merged. */
static void test_trend__merge_refuses_other_unit(void **state)
{
	struct fx *f = *state;
	struct xb_merge_stats ms;
	char other[128];
	struct xb_db *odb;
	sqlite3_stmt *st;
	const double v[] = { 5 };

	snprintf(other, sizeof(other), "%s/b.db", f->dir);
	assert_int_equal(xb_db_open(&odb, other, true), 0);
	exec(odb, "INSERT INTO metrics (name, unit, direction) VALUES ('m.ns', 'us', 'lower')");
	add_run(odb, 1, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "other", v, 1);
	xb_db_close(odb);
	add_run(f->db, 1, "6.1.0-9-amd64", "6.1.9-1", NULL, NULL, "here", v, 1);
	assert_int_equal(xb_db_merge(&ms, f->db, other, f->dir), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "m.ns"));
	xb_error_clear();
	assert_int_equal(sqlite3_prepare_v2(f->db->sql, "SELECT count(*) FROM runs", -1, &st, NULL), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trend__order_and_pool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trend__commit_date_and_hosts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trend__clock_splits_series, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trend__changepoints_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trend__analyze, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trend__merge_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trend__merge_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trend__merge_refuses_other_unit, setup, teardown),
	};

	return cmocka_run_group_tests_name("trend", tests, NULL, NULL);
}
