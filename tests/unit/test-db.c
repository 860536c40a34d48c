// SPDX-License-Identifier: GPL-2.0
/* Unit tests of results-db/: open and migrate, ingest, queries. */
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
#include "crc32.h"
#include "util.h"
#include "compare-db.h"
#include "db.h"
#include "db-internal.h"
#include "error.h"
#include "query.h"
#include "stats.h"
#include "stream.h"

static const char *const tables[] = {
	"runs", "fingerprint", "boots", "metrics", "samples", "summaries", "notes",
};

struct fixture {
	char dir[64];
	char *path;
	struct xb_db *db;
};

static int setup(void **state)
{
	struct fixture *f = xb_malloc(sizeof(*f));

	memset(f, 0, sizeof(*f));
	strcpy(f->dir, "/tmp/xb-test-db-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->path = xb_asprintf("%s/test.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xb_db_ingest_fail_after = -1;
	xb_db_close(f->db);
	xb_rm_rf(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static long long count(struct xb_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static char *text(struct xb_db *db, const char *sql)
{
	sqlite3_stmt *st;
	char *s;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	s = xb_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static void assert_text(struct xb_db *db, const char *sql, const char *want)
{
	char *got = text(db, sql);

	assert_string_equal(got, want);
	free(got);
}

/* Row counts of every table, to compare before and after. */
static void snapshot(struct xb_db *db, long long out[XB_ARRAY_SIZE(tables)])
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(tables); i++) {
		char *sql = xb_asprintf("SELECT count(*) FROM %s", tables[i]);

		out[i] = count(db, sql);
		free(sql);
	}
}

/* A raw sqlite database made without daxbench, to be refused. */
static void make_foreign(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void assert_file_equal(const char *path, const char *data, size_t len)
{
	char *now;
	size_t now_len;

	assert_int_equal(xb_read_file(&now, &now_len, path), 0);
	assert_int_equal(now_len, len);
	assert_memory_equal(now, data, len);
	free(now);
}

/* --- streams and runs to record ---------------------------------------- */

static struct xb_stream *stream_of(const char *records)
{
	struct xb_buf b = { 0 };
	struct xb_stream *s;
	size_t n = 0;

	for (const char *p = records; *p; p++)
		n += *p == '\n';
	xb_buf_addf(&b, "DAXBENCH-STREAM 1\n%s", records);
	xb_buf_addf(&b, "end\t%zu\t%08x\n", n, (unsigned)xb_crc32(0, b.p, b.len));
	assert_int_equal(xb_stream_parse(&s, b.p, b.len), 0);
	xb_buf_free(&b);
	return s;
}

/* Values of boot b: not exact in decimal, so %.17g must round-trip them. */
static double val(int b, int rep, int i, double base)
{
	return base + b * 10 + rep + (i + 1) / 3.0;
}

static struct xb_stream *boot_stream(int b, double base, const char *unit)
{
	struct xb_buf r = { 0 };
	struct xb_stream *s;

	xb_buf_addf(&r, "hdr\t1\tkernel.release\t6.1.0-%d-amd64\n", 54 + b);
	xb_buf_adds(&r, "hdr\t2\tclocksource\ttsc\n");
	xb_buf_addf(&r, "met\t3\tfault.ns\t%s\tlower\tfault cost\n", unit);
	xb_buf_addf(&r, "smp\t4\tfault.ns\t0\t3\t%.17g,%.17g,%.17g\n",
		    val(b, 0, 0, base), val(b, 0, 1, base), val(b, 0, 2, base));
	xb_buf_addf(&r, "smp\t5\tfault.ns\t1\t2\t%.17g,%.17g\n",
		    val(b, 1, 0, base), val(b, 1, 1, base));
	xb_buf_adds(&r, "met\t6\tbw\tMiB/s\thigher\tbandwidth\n");
	xb_buf_addf(&r, "smp\t7\tbw\t0\t1\t%.17g\n", 1000.5 + b);
	xb_buf_addf(&r, "note\t8\tinfo\tfault.ns\tnote of boot %d\n", b);
	s = stream_of(r.p);
	xb_buf_free(&r);
	return s;
}

struct run {
	struct xb_run_record r;
	struct xb_boot_record boots[2];
	struct xb_stream *streams[2];
};

static void make_run(struct run *run, const char *uuid, double started, const char *unit)
{
	memset(run, 0, sizeof(*run));
	snprintf(run->r.uuid, sizeof(run->r.uuid), "%s", uuid);
	run->r.label = "label";
	run->r.suite = "quick";
	run->r.status = "finished";
	run->r.started = started;
	run->r.ended = started + 60;
	run->r.host = "testhost";
	run->r.artifacts = "/tmp/artifacts";
	xb_kv_add(&run->r.fingerprint, "kernel.release", "6.1.0-54-amd64");
	xb_kv_add(&run->r.fingerprint, "backend", "axonram-emu");
	xb_kv_add(&run->r.fingerprint, "guest.clocksource", "from-caller");
	for (int b = 0; b < 2; b++) {
		run->streams[b] = boot_stream(b, started, unit);
		run->boots[b] = (struct xb_boot_record){
			.idx = b, .started = started + 30 * b, .ended = started + 30 * b + 29,
			.accel = "tcg", .status = "finished", .stream = run->streams[b],
		};
	}
	run->r.boots = run->boots;
	run->r.nboots = 2;
}

static void free_run(struct run *run)
{
	for (int b = 0; b < 2; b++)
		xb_stream_free(run->streams[b]);
	xb_kv_free(&run->r.fingerprint);
}

static int64_t record(struct xb_db *db, const char *uuid, double started)
{
	struct run run;
	int64_t id = -1;

	make_run(&run, uuid, started, "ns");
	assert_int_equal(xb_db_record_run(db, &run.r, &id), 0);
	free_run(&run);
	return id;
}

#define UUID_A "a1b2c3d4-0000-4000-8000-000000000001"
#define UUID_B "b1b2c3d4-0000-4000-8000-000000000002"
#define UUID_C1 "cccccccc-1111-4000-8000-000000000003"
#define UUID_C2 "cccccccc-2222-4000-8000-000000000004"

/* --- open and migrate --------------------------------------------------- */

static void test_db__migrate_fresh(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	assert_int_equal(xb_db_schema_version(f->db), XB_DB_SCHEMA_VERSION);
	assert_int_equal(XB_DB_SCHEMA_VERSION, 3);
	for (size_t i = 0; i < XB_ARRAY_SIZE(tables); i++) {
		char *sql = xb_asprintf("SELECT count(*) FROM sqlite_master WHERE "
					"type = 'table' AND name = '%s'", tables[i]);

		assert_int_equal(count(f->db, sql), 1);
		free(sql);
	}
	assert_text(f->db, "PRAGMA journal_mode", "wal");
	assert_int_equal(count(f->db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM sqlite_master WHERE "
			       "name = 'fingerprint_key_value'"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM sqlite_master WHERE "
			       "name = 'runs_started_at'"), 1);
	/* the constraints are there: a bad status is refused */
	assert_int_not_equal(sqlite3_exec(f->db->sql, "INSERT INTO runs (uuid, suite, status, "
					  "started_at) VALUES ('x', 's', 'maybe', 0)",
					  NULL, NULL, NULL), SQLITE_OK);
}

static void test_db__reopen_is_idempotent(void **state)
{
	struct fixture *f = *state;
	long long before[XB_ARRAY_SIZE(tables)], after[XB_ARRAY_SIZE(tables)];
	long long objects;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	record(f->db, UUID_A, 1000);
	snapshot(f->db, before);
	objects = count(f->db, "SELECT count(*) FROM sqlite_master");
	xb_db_close(f->db);
	f->db = NULL;
	assert_int_equal(xb_db_open(&f->db, f->path, false), 0);
	assert_int_equal(xb_db_schema_version(f->db), XB_DB_SCHEMA_VERSION);
	assert_int_equal(count(f->db, "SELECT count(*) FROM sqlite_master"), objects);
	snapshot(f->db, after);
	assert_memory_equal(before, after, sizeof(before));
}

static void test_db__missing_without_create(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xb_db_open(&f->db, f->path, false), -ENOENT);
	assert_null(f->db);
	assert_false(xb_path_exists(f->path));
}

static void test_db__newer_schema_refused_unchanged(void **state)
{
	struct fixture *f = *state;
	char *before, *wal = xb_asprintf("%s-wal", f->path);
	size_t len;

	make_foreign(f->path, "CREATE TABLE runs (id INTEGER); PRAGMA user_version = 99");
	assert_int_equal(xb_read_file(&before, &len, f->path), 0);
	assert_int_equal(xb_db_open(&f->db, f->path, true), -EPROTONOSUPPORT);
	assert_null(f->db);
	assert_file_equal(f->path, before, len);
	assert_false(xb_path_exists(wal));
	free(before);
	free(wal);
}

static void test_db__garbage_refused_unchanged(void **state)
{
	struct fixture *f = *state;
	char garbage[8192];

	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (char)(i * 131 + 7);
	assert_int_equal(xb_write_file_atomic(f->path, garbage, sizeof(garbage)), 0);
	assert_int_equal(xb_db_open(&f->db, f->path, true), -EBADMSG);
	assert_null(f->db);
	assert_file_equal(f->path, garbage, sizeof(garbage));
}

static void test_db__foreign_sqlite_refused_unchanged(void **state)
{
	struct fixture *f = *state;
	char *before;
	size_t len;

	make_foreign(f->path, "CREATE TABLE photos (id INTEGER, name TEXT);"
		     "INSERT INTO photos VALUES (1, 'cat')");
	assert_int_equal(xb_read_file(&before, &len, f->path), 0);
	assert_int_equal(xb_db_open(&f->db, f->path, true), -EBADMSG);
	assert_null(f->db);
	assert_file_equal(f->path, before, len);
	free(before);
}

static void test_db__empty_file_is_migrated(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xb_write_file_atomic(f->path, "", 0), 0);
	assert_int_equal(xb_db_open(&f->db, f->path, false), 0);
	assert_int_equal(xb_db_schema_version(f->db), XB_DB_SCHEMA_VERSION);
}

/* A text file keeps sqlite's reason in the message (issue 17: it said
 * "(not an error)", the transaction's end having replaced the reason). */
static void test_db__foreign_file_keeps_sqlite_reason(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "root:x:0:0:root:/root:/bin/bash\n"
		"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";

	assert_int_equal(xb_write_file_atomic(f->path, text, sizeof(text) - 1), 0);
	for (int mode = XB_DB_READ; mode <= XB_DB_CREATE; mode++) {
		assert_int_equal(xb_db_open_mode(&f->db, f->path, (enum xb_db_mode)mode), -EBADMSG);
		assert_non_null(strstr(xb_error_last(), "file is not a database"));
		assert_null(strstr(xb_error_last(), "not an error"));
		xb_error_clear();
	}
	assert_file_equal(f->path, text, sizeof(text) - 1);
}

/* XB_DB_READ: reads work, writes fail with -EROFS, and the file (and its
 * folder: no -wal or -shm) is left as it was. */
static void test_db__read_only_open(void **state)
{
	struct fixture *f = *state;
	struct xb_run_list l = { 0 };
	struct run run;
	char *before, *after, *wal = xb_asprintf("%s-wal", f->path);
	size_t len, len2;
	int64_t id = -1;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	record(f->db, UUID_A, 1000);
	xb_db_close(f->db);
	f->db = NULL;
	assert_int_equal(xb_read_file(&before, &len, f->path), 0);
	assert_int_equal(xb_db_open_mode(&f->db, f->path, XB_DB_READ), 0);
	assert_true(xb_db_readonly(f->db));
	assert_int_equal(xb_query_list_runs(&l, f->db, NULL), 0);
	assert_int_equal(l.n, 1);
	xb_run_list_free(&l);
	make_run(&run, UUID_B, 2000, "ns");
	assert_int_not_equal(xb_db_record_run(f->db, &run.r, &id), 0);
	xb_error_clear();
	free_run(&run);
	xb_db_close(f->db);
	f->db = NULL;
	assert_int_equal(xb_read_file(&after, &len2, f->path), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(before, after, len);
	assert_int_equal(access(wal, F_OK), -1);
	free(before);
	free(after);
	free(wal);
}

/* Reading never creates a database. */
static void test_db__read_only_open_missing(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xb_db_open_mode(&f->db, f->path, XB_DB_READ), -ENOENT);
	xb_error_clear();
	assert_int_equal(access(f->path, F_OK), -1);
}

/* --- ingest ------------------------------------------------------------- */

/* The samples of (run, metric, boot, rep) as stored, decoded by hand. */
static void assert_samples(struct xb_db *db, int64_t run, const char *metric, int boot,
			   int rep, const double *want, size_t n)
{
	sqlite3_stmt *st;
	const unsigned char *blob;

	assert_int_equal(sqlite3_prepare_v2(db->sql, "SELECT s.n, s.vals FROM samples s JOIN "
					    "metrics m ON m.id = s.metric_id WHERE "
					    "s.run_id = ? AND m.name = ? AND s.boot = ? AND "
					    "s.rep = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, boot);
	sqlite3_bind_int(st, 4, rep);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), n);
	blob = sqlite3_column_blob(st, 1);
	assert_int_equal(sqlite3_column_bytes(st, 1), 8 * n);
	for (size_t i = 0; i < n; i++) {
		uint64_t u = 0, w;

		for (int b = 7; b >= 0; b--)
			u = (u << 8) | blob[8 * i + (size_t)b];
		memcpy(&w, &want[i], 8);
		assert_int_equal(u, w);
	}
	sqlite3_finalize(st);
}

static void test_db__record_finished_two_boots(void **state)
{
	struct fixture *f = *state;
	struct xb_summary want;
	sqlite3_stmt *st;
	struct run run;
	int64_t id = -1;
	double pool[5];

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	make_run(&run, UUID_A, 1000, "ns");
	assert_int_equal(xb_db_record_run(f->db, &run.r, &id), 0);
	assert_true(id > 0);

	assert_int_equal(count(f->db, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM boots"), 2);
	assert_int_equal(count(f->db, "SELECT count(*) FROM metrics"), 2);
	/* per boot: fault.ns rep 0 and 1, bw rep 0 */
	assert_int_equal(count(f->db, "SELECT count(*) FROM samples"), 6);
	assert_int_equal(count(f->db, "SELECT count(*) FROM summaries"), 4);
	/* one info note per boot, one warning (see below) */
	assert_int_equal(count(f->db, "SELECT count(*) FROM notes"), 3);
	for (int b = 0; b < 2; b++) {
		double r0[] = { val(b, 0, 0, 1000), val(b, 0, 1, 1000), val(b, 0, 2, 1000) };
		double r1[] = { val(b, 1, 0, 1000), val(b, 1, 1, 1000) };
		double bw[] = { 1000.5 + b };

		assert_samples(f->db, id, "fault.ns", b, 0, r0, 3);
		assert_samples(f->db, id, "fault.ns", b, 1, r1, 2);
		assert_samples(f->db, id, "bw", b, 0, bw, 1);
	}
	/* 1000.5 is 0x408f440000000000; little-endian puts 0x40 last */
	assert_text(f->db, "SELECT hex(vals) FROM samples WHERE boot = 0 AND metric_id = "
		    "(SELECT id FROM metrics WHERE name = 'bw')", "0000000000448F40");

	/* boot 1's summary pools its two repetitions */
	for (int i = 0; i < 3; i++)
		pool[i] = val(1, 0, i, 1000);
	pool[3] = val(1, 1, 0, 1000);
	pool[4] = val(1, 1, 1, 1000);
	assert_int_equal(xb_stats_summarize(&want, pool, 5), 0);
	assert_int_equal(sqlite3_prepare_v2(f->db->sql, "SELECT n, min, median, p90, p99, p999, "
					    "max, mean, stddev FROM summaries WHERE boot = 1 "
					    "AND metric_id = (SELECT id FROM metrics WHERE "
					    "name = 'fault.ns')", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 5);
	assert_true(sqlite3_column_double(st, 1) == want.min);
	assert_true(sqlite3_column_double(st, 2) == want.median);
	assert_true(sqlite3_column_double(st, 3) == want.p90);
	assert_true(sqlite3_column_double(st, 4) == want.p99);
	assert_true(sqlite3_column_double(st, 5) == want.p999);
	assert_true(sqlite3_column_double(st, 6) == want.max);
	assert_true(sqlite3_column_double(st, 7) == want.mean);
	assert_true(sqlite3_column_double(st, 8) == want.stddev);
	assert_true(want.stddev > 0);
	sqlite3_finalize(st);

	/* fingerprint: the caller's keys, then boot 0's facts unless already set */
	assert_text(f->db, "SELECT value FROM fingerprint WHERE key = 'backend'", "axonram-emu");
	assert_text(f->db, "SELECT value FROM fingerprint WHERE key = 'guest.kernel.release'",
		    "6.1.0-54-amd64");
	assert_text(f->db, "SELECT value FROM fingerprint WHERE key = 'guest.clocksource'",
		    "from-caller");
	assert_text(f->db, "SELECT unit || ' ' || direction FROM metrics WHERE name = 'bw'",
		    "MiB/s higher");
	assert_text(f->db, "SELECT group_concat(boot || ':' || text, ',') FROM notes "
		    "WHERE kind = 'info'", "0:note of boot 0,1:note of boot 1");
	/* boot 1 reported another kernel than boot 0: a warning says so */
	assert_int_equal(count(f->db, "SELECT count(*) FROM notes WHERE kind = 'warning' "
			       "AND boot = 1 AND subject = 'guest.kernel.release'"), 1);
	free_run(&run);
}

static void test_db__failed_run_stores_no_samples(void **state)
{
	struct fixture *f = *state;
	struct run run;
	int64_t id = -1;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	make_run(&run, UUID_A, 1000, "ns");
	run.r.status = "failed";
	run.r.reason = "boot 1 timed out";
	run.r.console_tail = "Kernel panic\n";
	run.boots[1].status = "failed";
	run.boots[1].reason = "timed out after 300 s";
	assert_int_equal(xb_db_record_run(f->db, &run.r, &id), 0);
	assert_text(f->db, "SELECT status || ': ' || reason FROM runs", "failed: boot 1 timed out");
	assert_int_equal(count(f->db, "SELECT count(*) FROM boots"), 2);
	assert_text(f->db, "SELECT reason FROM boots WHERE idx = 1", "timed out after 300 s");
	assert_true(count(f->db, "SELECT count(*) FROM fingerprint") >= 3);
	assert_int_equal(count(f->db, "SELECT count(*) FROM samples"), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM summaries"), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM notes"), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM metrics"), 0);
	free_run(&run);
}

static void test_db__duplicate_uuid(void **state)
{
	struct fixture *f = *state;
	long long before[XB_ARRAY_SIZE(tables)], after[XB_ARRAY_SIZE(tables)];
	struct run run;
	int64_t id = -1;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	record(f->db, UUID_A, 1000);
	snapshot(f->db, before);
	make_run(&run, UUID_A, 2000, "ns");
	run.r.label = "second";
	assert_int_equal(xb_db_record_run(f->db, &run.r, &id), -EEXIST);
	assert_int_equal(id, -1);
	snapshot(f->db, after);
	assert_memory_equal(before, after, sizeof(before));
	assert_text(f->db, "SELECT label FROM runs", "label");
	assert_true(count(f->db, "SELECT started_at FROM runs") == 1000);
	free_run(&run);
}

static void assert_integrity(struct xb_db *db)
{
	sqlite3_stmt *st;

	assert_text(db, "PRAGMA integrity_check", "ok");
	assert_int_equal(sqlite3_prepare_v2(db->sql, "PRAGMA foreign_key_check", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void test_db__fault_mid_ingest_leaves_no_trace(void **state)
{
	struct fixture *f = *state;
	long long before[XB_ARRAY_SIZE(tables)], after[XB_ARRAY_SIZE(tables)];
	struct run run;
	int64_t id = -1;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	record(f->db, UUID_A, 1000);
	snapshot(f->db, before);
	make_run(&run, UUID_B, 2000, "ns");
	/* a metric no run has yet, so the metrics table is written too */
	run.streams[0]->metrics[1].name[0] = 'B';
	run.streams[0]->series[2].metric[0] = 'B';
	for (int after_rows = 0; after_rows < 6; after_rows++) {
		xb_db_ingest_fail_after = after_rows;
		assert_int_equal(xb_db_record_run(f->db, &run.r, &id), -EIO);
		snapshot(f->db, after);
		assert_memory_equal(before, after, sizeof(before));
		assert_int_equal(count(f->db, "SELECT count(*) FROM runs WHERE uuid = '"
				       UUID_B "'"), 0);
		assert_int_equal(count(f->db, "SELECT count(*) FROM metrics WHERE "
				       "name = 'Bw'"), 0);
	}
	assert_int_equal(id, -1);
	assert_integrity(f->db);
	assert_text(f->db, "SELECT uuid FROM runs", UUID_A);
	assert_int_equal(count(f->db, "SELECT count(*) FROM samples"), 6);

	/* the same run goes in once the fault is gone: nothing was left half-done */
	xb_db_ingest_fail_after = 6;
	assert_int_equal(xb_db_record_run(f->db, &run.r, &id), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM samples"), 12);
	assert_integrity(f->db);
	free_run(&run);
}

static void test_db__conflicting_unit_rolls_back(void **state)
{
	struct fixture *f = *state;
	long long before[XB_ARRAY_SIZE(tables)], after[XB_ARRAY_SIZE(tables)];
	struct run run;
	int64_t id = -1;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	record(f->db, UUID_A, 1000);
	snapshot(f->db, before);
	make_run(&run, UUID_B, 2000, "us");
	assert_int_equal(xb_db_record_run(f->db, &run.r, &id), -EINVAL);
	snapshot(f->db, after);
	assert_memory_equal(before, after, sizeof(before));
	assert_text(f->db, "SELECT unit FROM metrics WHERE name = 'fault.ns'", "ns");
	free_run(&run);

	/* two boots of one run that disagree are refused the same way */
	make_run(&run, UUID_B, 2000, "ns");
	xb_stream_free(run.streams[1]);
	run.streams[1] = boot_stream(1, 2000, "ms");
	run.boots[1].stream = run.streams[1];
	assert_int_equal(xb_db_record_run(f->db, &run.r, &id), -EINVAL);
	snapshot(f->db, after);
	assert_memory_equal(before, after, sizeof(before));
	free_run(&run);
}

static void test_db__bad_record_refused(void **state)
{
	struct fixture *f = *state;
	struct run run;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	make_run(&run, UUID_A, 1000, "ns");
	run.r.status = "done";
	assert_int_equal(xb_db_record_run(f->db, &run.r, NULL), -EINVAL);
	run.r.status = "finished";
	run.boots[0].status = NULL;
	assert_int_equal(xb_db_record_run(f->db, &run.r, NULL), -EINVAL);
	assert_int_equal(count(f->db, "SELECT count(*) FROM runs"), 0);
	free_run(&run);
}

/* --- queries ------------------------------------------------------------ */

static void test_db__query_list(void **state)
{
	struct fixture *f = *state;
	struct xb_list_filter filter = { 0 };
	struct xb_run_list l;
	struct run run;
	int64_t a, b, c;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	assert_int_equal(xb_query_list_runs(&l, f->db, NULL), 0);
	assert_int_equal(l.n, 0);
	xb_run_list_free(&l);

	a = record(f->db, UUID_A, 1000);
	c = record(f->db, UUID_C1, 3000);
	make_run(&run, UUID_B, 2000, "ns");
	run.r.status = "failed";
	run.r.reason = "no stream";
	run.r.label = NULL;
	xb_kv_free(&run.r.fingerprint);
	assert_int_equal(xb_db_record_run(f->db, &run.r, &b), 0);
	free_run(&run);

	assert_int_equal(xb_query_list_runs(&l, f->db, &filter), 0);
	assert_int_equal(l.n, 3);
	/* newest first */
	assert_int_equal(l.runs[0].id, c);
	assert_int_equal(l.runs[1].id, b);
	assert_int_equal(l.runs[2].id, a);
	assert_string_equal(l.runs[2].uuid, UUID_A);
	assert_string_equal(l.runs[2].label, "label");
	assert_string_equal(l.runs[2].suite, "quick");
	assert_string_equal(l.runs[2].status, "finished");
	assert_null(l.runs[2].reason);
	assert_true(l.runs[2].started == 1000 && l.runs[2].ended == 1060);
	assert_string_equal(l.runs[2].kernel_release, "6.1.0-54-amd64");
	assert_string_equal(l.runs[2].backend, "axonram-emu");
	assert_int_equal(l.runs[2].nmetrics, 2);
	/* no caller fingerprint: kernel from the guest, no backend, no metrics */
	assert_null(l.runs[1].label);
	assert_string_equal(l.runs[1].reason, "no stream");
	assert_string_equal(l.runs[1].kernel_release, "6.1.0-54-amd64");
	assert_null(l.runs[1].backend);
	assert_int_equal(l.runs[1].nmetrics, 0);
	xb_run_list_free(&l);

	filter.status = "failed";
	assert_int_equal(xb_query_list_runs(&l, f->db, &filter), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.runs[0].id, b);
	xb_run_list_free(&l);

	filter.status = NULL;
	filter.limit = 2;
	assert_int_equal(xb_query_list_runs(&l, f->db, &filter), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.runs[1].id, b);
	xb_run_list_free(&l);
}

static void test_db__query_load(void **state)
{
	struct fixture *f = *state;
	struct xb_run_detail *d;
	struct xb_summary want;
	double all[10], boot1[5];
	size_t n = 0;
	int64_t id;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	id = record(f->db, UUID_A, 1000);
	assert_int_equal(xb_query_load_run(&d, f->db, id), 0);
	assert_int_equal(d->info.id, id);
	assert_string_equal(d->info.uuid, UUID_A);
	assert_string_equal(d->host, "testhost");
	assert_string_equal(d->artifacts, "/tmp/artifacts");
	assert_null(d->console_tail);
	/* sorted by key */
	assert_true(d->fingerprint.n >= 4);
	for (size_t i = 1; i < d->fingerprint.n; i++)
		assert_true(strcmp(d->fingerprint.v[i - 1].key, d->fingerprint.v[i].key) < 0);
	assert_string_equal(xb_kv_get(&d->fingerprint, "guest.clocksource"), "from-caller");
	assert_int_equal(d->nboots, 2);
	assert_int_equal(d->boots[1].idx, 1);
	assert_string_equal(d->boots[1].accel, "tcg");
	assert_true(d->boots[1].started == 1030);
	assert_int_equal(d->nnotes, 3);
	assert_string_equal(d->notes[0].text, "note of boot 0");
	assert_int_equal(d->notes[2].boot, 1);

	/* sorted by name: bw, fault.ns */
	assert_int_equal(d->nmetrics, 2);
	assert_string_equal(d->metrics[0].name, "bw");
	assert_string_equal(d->metrics[1].name, "fault.ns");
	assert_string_equal(d->metrics[1].unit, "ns");
	assert_string_equal(d->metrics[1].direction, "lower");
	assert_string_equal(d->metrics[1].description, "fault cost");
	for (int b = 0; b < 2; b++) {
		for (int i = 0; i < 3; i++)
			all[n++] = val(b, 0, i, 1000);
		for (int i = 0; i < 2; i++)
			all[n++] = val(b, 1, i, 1000);
	}
	assert_int_equal(xb_stats_summarize(&want, all, 10), 0);
	assert_int_equal(d->metrics[1].all.n, 10);
	assert_int_equal(d->metrics[1].nreps, 4);
	assert_true(d->metrics[1].all.median == want.median);
	assert_true(d->metrics[1].all.p99 == want.p99);
	assert_true(d->metrics[1].all.mean == want.mean);
	assert_true(d->metrics[1].all.stddev == want.stddev);
	assert_int_equal(d->metrics[1].nboots, 2);
	assert_int_equal(d->metrics[1].boots[1].boot, 1);
	assert_int_equal(d->metrics[1].boots[1].nreps, 2);
	memcpy(boot1, all + 5, sizeof(boot1));
	assert_int_equal(xb_stats_summarize(&want, boot1, 5), 0);
	assert_true(d->metrics[1].boots[1].s.median == want.median);
	assert_int_equal(d->metrics[1].boots[1].s.n, 5);
	assert_true(d->metrics[0].all.max == 1001.5);
	xb_run_detail_free(d);

	assert_int_equal(xb_query_load_run(&d, f->db, id + 100), -ENOENT);
	assert_null(d);
}

/* The read functions plots/ and the commands use instead of SQL. */
static void test_db__query_readers(void **state)
{
	struct fixture *f = *state;
	struct xb_pooled_list p;
	struct xb_kvlist fp;
	double all[10], median;
	size_t n = 0;
	int64_t id, sn;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	id = record(f->db, UUID_A, 1000);
	assert_int_equal(xb_query_pooled_samples(&p, f->db, id, "fault.*"), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.m[0].name, "fault.ns");
	for (int b = 0; b < 2; b++) {
		for (int i = 0; i < 3; i++)
			all[n++] = val(b, 0, i, 1000);
		for (int i = 0; i < 2; i++)
			all[n++] = val(b, 1, i, 1000);
	}
	qsort(all, 10, sizeof(double), xb_cmp_double);
	assert_int_equal(p.m[0].n, 10);
	assert_memory_equal(p.m[0].v, all, sizeof(all));
	xb_pooled_free(&p);
	assert_int_equal(xb_query_pooled_samples(&p, f->db, id, "nothing.*"), 0);
	assert_int_equal(p.n, 0);

	assert_int_equal(xb_query_fingerprint(&fp, f->db, id), 0);
	assert_true(fp.n >= 4);
	for (size_t i = 1; i < fp.n; i++)
		assert_true(strcmp(fp.v[i - 1].key, fp.v[i].key) < 0);
	assert_string_equal(xb_kv_get(&fp, "backend"), "axonram-emu");
	xb_kv_free(&fp);

	assert_int_equal(xb_query_summary_median(&median, &sn, f->db, id, "fault.ns"), 0);
	assert_int_equal(sn, 5);
	assert_int_equal(xb_query_summary_median(&median, &sn, f->db, id, "no.such"), -ENOENT);
	assert_non_null(strstr(xb_error_last(), "no.such"));
	xb_error_clear();

	assert_int_equal(sqlite3_exec(f->db->sql, "INSERT INTO notes (run_id, boot, kind, subject,"
				      " text) VALUES (1, 0, 'info', 'capprobe.fsdax.mmap', 'works')",
				      NULL, NULL, NULL), SQLITE_OK);
	{
		struct xb_capprobe_note *notes;
		size_t nn;

		assert_int_equal(xb_query_capprobes(&notes, &nn, f->db), 0);
		assert_int_equal(nn, 1);
		assert_string_equal(notes[0].probe, "fsdax.mmap");
		assert_string_equal(notes[0].text, "works");
		assert_string_equal(notes[0].backend, "axonram-emu");
		assert_string_equal(notes[0].kernel, "6.1.0-54-amd64");
		xb_capprobe_notes_free(notes, nn);
	}
}

static int resolve(struct xb_db *db, const char *sel, int64_t *id, const char *err_has)
{
	int rc = xb_query_resolve_run(id, db, sel);

	if (rc && !strstr(xb_error_last(), err_has)) {
		print_error("reason '%s' does not mention '%s'\n", xb_error_last(), err_has);
		fail();
	}
	xb_error_clear();
	return rc;
}

static void test_db__query_selector(void **state)
{
	struct fixture *f = *state;
	int64_t a, c1, c2, id;
	char sel[32];

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	assert_int_equal(resolve(f->db, NULL, &id, "no runs"), -ENOENT);
	a = record(f->db, UUID_A, 3000);
	c1 = record(f->db, UUID_C1, 1000);
	c2 = record(f->db, UUID_C2, 2000);

	/* latest is the most recently started, not the last recorded */
	assert_int_equal(resolve(f->db, NULL, &id, ""), 0);
	assert_int_equal(id, a);
	assert_int_equal(resolve(f->db, "latest", &id, ""), 0);
	assert_int_equal(id, a);
	snprintf(sel, sizeof(sel), "%lld", (long long)c2);
	assert_int_equal(resolve(f->db, sel, &id, ""), 0);
	assert_int_equal(id, c2);
	assert_int_equal(resolve(f->db, UUID_C1, &id, ""), 0);
	assert_int_equal(id, c1);
	assert_int_equal(resolve(f->db, "a1b2c3d4", &id, ""), 0);
	assert_int_equal(id, a);
	assert_int_equal(resolve(f->db, "A1B2C3D4-0000", &id, ""), 0);
	assert_int_equal(id, a);
	assert_int_equal(resolve(f->db, "cccccccc-2", &id, ""), 0);
	assert_int_equal(id, c2);
	assert_int_equal(resolve(f->db, "cccccccc", &id, "several runs"), -ENOTUNIQ);
	/* a uuid prefix shorter than 8 characters is not a selector */
	assert_int_equal(resolve(f->db, "a1b2c3d", &id,
				 "no run matches 'a1b2c3d' (see daxbench list)"), -ENOENT);
	assert_int_equal(resolve(f->db, "ffffffff", &id, "no run matches"), -ENOENT);
	assert_int_equal(resolve(f->db, "999", &id, "no run matches '999'"), -ENOENT);
	assert_int_equal(resolve(f->db, "a1b2c3d4%", &id, "no run matches"), -ENOENT);
	assert_int_equal(resolve(f->db, "", &id, "no run matches"), -ENOENT);
}

/* --- schema v2: comparisons ------------------------------------------------ */

/* A v1 database is what the current schema is without the tables the later
 * migrations add (they are append-only): make one, then open it with this
 * build, which must migrate it all the way and keep its runs. */
static void test_db__migrate_v1_to_v2_keeps_runs(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	record(f->db, UUID_A, 1000);
	assert_int_equal(sqlite3_exec(f->db->sql, "DROP TABLE comparison_rows; "
				      "DROP TABLE comparison_runs; DROP TABLE comparisons; "
				      "DROP TABLE changepoints; DROP TABLE merges; "
				      "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	xb_db_close(f->db);
	f->db = NULL;
	assert_int_equal(xb_db_open(&f->db, f->path, false), 0);
	assert_int_equal(xb_db_schema_version(f->db), XB_DB_SCHEMA_VERSION);
	assert_int_equal(count(f->db, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM samples"), 6);
	assert_int_equal(count(f->db, "SELECT count(*) FROM sqlite_master WHERE type = "
			       "'table' AND name IN ('comparisons', 'comparison_runs', "
			       "'comparison_rows')"), 3);
}

static int64_t record_as(struct xb_db *db, const char *uuid, double started, const char *label,
			 const char *kernel, const char *backend)
{
	struct run run;
	int64_t id = -1;

	make_run(&run, uuid, started, "ns");
	run.r.label = label;
	xb_kv_set(&run.r.fingerprint, "kernel.release", kernel);
	xb_kv_set(&run.r.fingerprint, "backend", backend);
	xb_kv_set(&run.r.fingerprint, "daxbench.commit", "abc123def");
	assert_int_equal(xb_db_record_run(db, &run.r, &id), 0);
	free_run(&run);
	return id;
}

static void three_a_three_b(struct xb_db *db)
{
	static const char *const uuids[] = {
		"a0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000002",
		"a0000000-0000-4000-8000-000000000003", "b0000000-0000-4000-8000-000000000001",
		"b0000000-0000-4000-8000-000000000002", "b0000000-0000-4000-8000-000000000003",
	};

	for (int i = 0; i < 6; i++)
		record_as(db, uuids[i], i < 3 ? 1000 + i : 2000 + i, i < 3 ? "base" : "cand",
			  i < 3 ? "6.1.0-47-amd64" : "6.1.0-54-amd64", "axonram-emu");
}

static size_t nselected(struct xb_db *db, const char *sel, int want_rc)
{
	struct xb_id_list l;
	size_t n;

	assert_int_equal(xb_select_runs(&l, db, sel), want_rc);
	if (want_rc)
		assert_true(*xb_error_last());
	xb_error_clear();
	n = l.n;
	xb_id_list_free(&l);
	return n;
}

static void test_db__select_runs(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	three_a_three_b(f->db);
	assert_int_equal(nselected(f->db, "label:base", 0), 3);
	assert_int_equal(nselected(f->db, "label:ca*", 0), 3);
	assert_int_equal(nselected(f->db, "kernel:6.1.0-54-amd64", 0), 3);
	assert_int_equal(nselected(f->db, "kernel:6.1.0-*", 0), 6);
	assert_int_equal(nselected(f->db, "commit:ABC1", 0), 6);
	assert_int_equal(nselected(f->db, "2", 0), 1);
	assert_int_equal(nselected(f->db, "id:2-4", 0), 3);
	assert_int_equal(nselected(f->db, "b0000000", 0), 3);
	assert_int_equal(nselected(f->db, "uuid:a0000000-0000-4000-8000-000000000002", 0), 1);
	assert_int_equal(nselected(f->db, "latest", 0), 1);
	assert_int_equal(nselected(f->db, "fp:backend=axonram-emu, label:base", 0), 3);
	/* 1970-01-01T00:33:20Z is 2000 s */
	assert_int_equal(nselected(f->db, "since:1970-01-01T00:33:20", 0), 3);
	assert_int_equal(nselected(f->db, "until:2000", 0), 3);
	assert_int_equal(nselected(f->db, "since:1970-01-01,label:base", 0), 3);
	assert_int_equal(nselected(f->db, "label:nope", -ENOENT), 0);
	assert_int_equal(nselected(f->db, "color:red", -EINVAL), 0);
	assert_int_equal(nselected(f->db, "since:yesterday", -EINVAL), 0);
	assert_int_equal(nselected(f->db, "", -EINVAL), 0);
}

static void test_db__comparison_build_and_store(void **state)
{
	struct fixture *f = *state;
	struct xb_comparison c;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	three_a_three_b(f->db);
	assert_int_equal(xb_comparison_build(&c, f->db, "label:base", "label:cand", NULL), 0);
	assert_int_equal(c.boots_a, 6);
	assert_int_equal(c.boots_b, 6);
	/* base ran from 1000 to 1062, cand from 2003 to 2065: one after the other */
	assert_true(c.span_a[0] == 1000 && c.span_a[1] == 1062);
	assert_true(c.span_b[0] == 2003 && c.span_b[1] == 2065);
	assert_false(c.interleaved);
	assert_string_equal(c.name_a, "6.1.0-47-amd64");
	assert_string_equal(c.name_b, "6.1.0-54-amd64");
	assert_int_equal(c.nrefuse, 0);
	assert_true(c.ndiffs >= 1);
	assert_string_equal(c.diffs[0].key, "kernel.release");
	/* fault.ns (3 samples a boot: p50 only) and bw */
	assert_int_equal(c.nrows, 2);
	assert_string_equal(c.rows[1].metric, "fault.ns");
	/* side B's values are ~1000 higher: 6 vs 6 fully separated boots give
	 * p = 2/924; q over the two judged rows = 2 p */
	assert_int_equal(c.rows[1].r.verdict, XB_VERDICT_REGRESSION);
	assert_true(fabs(c.rows[1].r.mw.p - 2.0 / 924) < 1e-12);
	assert_true(fabs(c.rows[1].r.q - 4.0 / 924) < 1e-12);
	assert_int_equal(c.rows[0].r.verdict, XB_VERDICT_NO_CHANGE);
	assert_int_equal(c.regressions, 1);
	/* no clock fact: wall, its threshold */
	assert_string_equal(c.clock, "wall");
	assert_true(c.judging.threshold_pct == xb_cmp_clock_find("wall")->threshold_pct);
	assert_false(c.judging.deterministic_clock);
	assert_int_equal(xb_comparison_store(f->db, &c, false, "abc"), 0);
	assert_true(c.id > 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM comparison_rows"), 2);
	assert_int_equal(count(f->db, "SELECT count(*) FROM comparison_runs WHERE side = 'b'"), 3);
	assert_text(f->db, "SELECT verdict FROM comparison_rows r JOIN metrics m ON "
		    "m.id = r.metric_id WHERE m.name = 'fault.ns'", "regression");
	{
		/* read back as the published report does */
		struct xb_stored_comparison *sc;
		struct xb_stored_row *rows;
		size_t nsc, nrows;

		assert_int_equal(xb_stored_comparisons(&sc, &nsc, f->db), 0);
		assert_int_equal(nsc, 1);
		assert_true(sc[0].id == c.id);
		assert_string_equal(sc[0].name_b, "6.1.0-54-amd64");
		assert_int_equal(sc[0].regressions, 1);
		assert_int_equal(xb_stored_comparison_rows(&rows, &nrows, f->db, sc[0].id), 0);
		assert_int_equal(nrows, 2);
		assert_string_equal(rows[1].metric, "fault.ns");
		assert_string_equal(rows[1].stat, "p50");
		assert_string_equal(rows[1].verdict, "regression");
		assert_int_equal(rows[1].n_a, 6);
		assert_true(rows[1].median_b > rows[1].median_a);
		xb_stored_rows_free(rows, nrows);
		xb_stored_comparisons_free(sc, nsc);
	}
	xb_comparison_free(&c);
	/* a different backend on one side refuses the comparison */
	record_as(f->db, "c0000000-0000-4000-8000-000000000001", 3000, "other",
		  "6.1.0-54-amd64", "virtio-pmem");
	assert_int_equal(xb_comparison_build(&c, f->db, "label:base", "label:other", NULL), 0);
	assert_int_equal(c.nrefuse, 1);
	xb_comparison_free(&c);
}

/* Runs of another clock are refused like another backend; a run without
 * a recorded clock counts as wall and is compared with wall runs. */
static void test_db__comparison_refuses_other_clock(void **state)
{
	struct fixture *f = *state;
	struct xb_comparison c;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	three_a_three_b(f->db);
	assert_int_equal(sqlite3_exec(f->db->sql, "INSERT INTO fingerprint SELECT id, 'clock', "
				      "CASE WHEN label = 'base' THEN 'wall' ELSE 'icount' END "
				      "FROM runs WHERE uuid NOT LIKE '%3'", NULL, NULL, NULL),
			 SQLITE_OK);
	/* A: wall, wall and none (wall); B: icount, icount and none (wall) */
	assert_int_equal(xb_comparison_build(&c, f->db, "label:base", "label:cand", NULL), 0);
	assert_int_equal(c.nrefuse, 1);
	assert_string_equal(c.diffs[0].key, "clock");
	assert_string_equal(c.diffs[0].values_a, "wall");
	assert_string_equal(c.diffs[0].values_b, "icount, wall");
	xb_comparison_free(&c);
	assert_int_equal(xb_comparison_build(&c, f->db, "label:base", "id:6", NULL), 0);
	assert_int_equal(c.nrefuse, 0);
	assert_string_equal(c.clock, "wall");
	xb_comparison_free(&c);
	assert_int_equal(xb_comparison_build(&c, f->db, "id:4", "id:5", NULL), 0);
	assert_int_equal(c.nrefuse, 0);
	assert_string_equal(c.clock, "icount");
	assert_true(c.interleaved);   /* 2003-2063 and 2004-2064 overlap */
	xb_comparison_free(&c);
}

/* The clock of a comparison: every run's fact `clock`, wall without one,
 * wall when mixed; --threshold overrides the clock's; the rows a suite's
 * last run would give. */
static void test_db__comparison_clock_and_rows(void **state)
{
	struct fixture *f = *state;
	struct xb_compare_opts o = { .threshold_pct = 2.5 };
	struct xb_comparison c;
	size_t rows;

	assert_int_equal(xb_db_open(&f->db, f->path, true), 0);
	three_a_three_b(f->db);
	assert_int_equal(xb_comparison_rows_expected(&rows, f->db, "quick",
						     XB_STAT_P50 | XB_STAT_P90), 0);
	assert_int_equal(rows, 2);   /* fault.ns and bw, too few samples for p90 */
	assert_int_equal(xb_comparison_rows_expected(&rows, f->db, "full", XB_STAT_P50), 0);
	assert_int_equal(rows, 0);
	assert_int_equal(sqlite3_exec(f->db->sql, "INSERT INTO fingerprint SELECT id, 'clock', "
				      "'icount' FROM runs", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(xb_comparison_build(&c, f->db, "label:base", "label:cand", NULL), 0);
	assert_string_equal(c.clock, "icount");
	assert_true(c.judging.deterministic_clock);
	assert_true(c.judging.threshold_pct == xb_cmp_clock_find("icount")->threshold_pct);
	xb_comparison_free(&c);
	assert_int_equal(sqlite3_exec(f->db->sql, "DELETE FROM fingerprint WHERE key = 'clock' "
				      "AND run_id = (SELECT max(id) FROM runs)", NULL, NULL,
				      NULL), SQLITE_OK);
	assert_int_equal(xb_comparison_build(&c, f->db, "label:base", "label:cand", &o), 0);
	/* one run without a clock (wall) beside icount runs: mixed, judged as wall */
	assert_non_null(strstr(c.clock, "|"));
	assert_false(c.judging.deterministic_clock);
	assert_true(c.judging.threshold_pct == 2.5);
	xb_comparison_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_db__migrate_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__migrate_v1_to_v2_keeps_runs,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__select_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__comparison_build_and_store,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__comparison_refuses_other_clock,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__comparison_clock_and_rows,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__reopen_is_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__missing_without_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__newer_schema_refused_unchanged,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__garbage_refused_unchanged,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__foreign_sqlite_refused_unchanged,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__foreign_file_keeps_sqlite_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__read_only_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__read_only_open_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__empty_file_is_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__record_finished_two_boots,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__failed_run_stores_no_samples,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__duplicate_uuid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__fault_mid_ingest_leaves_no_trace,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__conflicting_unit_rolls_back,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__bad_record_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__query_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__query_readers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__query_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db__query_selector, setup, teardown),
	};

	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
