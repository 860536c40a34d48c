// SPDX-License-Identifier: GPL-2.0
/*
 * The database under the faults a benchmark machine sees: the process killed
 * in the middle of a transaction, two writers at once, a full disk. Each case
 * asserts that earlier runs are intact and no half run is visible.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "crc32.h"
#include "util.h"
#include "db.h"
#include "db-internal.h"

#define NSAMPLES_BIG 200000   /* 1.6 MB of samples in one run */

struct fixture {
	char dir[64];
	char *path;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/xb-test-dbf-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->path = xb_asprintf("%s/r.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	umount(f->dir);
	xb_rm_rf(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* A stream with `reps` series of n samples of one metric. */
static struct xb_stream *make_stream(int reps, size_t n)
{
	struct xb_buf b = { 0 };
	struct xb_stream *s = NULL;
	size_t recs = 1;

	xb_buf_adds(&b, "DAXBENCH-STREAM 1\nmet\t1\tfault.ns\tns\tlower\tx\n");
	for (int r = 0; r < reps; r++) {
		xb_buf_addf(&b, "smp\t%zu\tfault.ns\t%d\t%zu\t", ++recs, r, n);
		for (size_t i = 0; i < n; i++)
			xb_buf_addf(&b, "%s%zu", i ? "," : "", 1000 + i % 977);
		xb_buf_adds(&b, "\n");
	}
	xb_buf_addf(&b, "end\t%zu\t%08x\n", recs, (unsigned)xb_crc32(0, b.p, b.len));
	assert_int_equal(xb_stream_parse(&s, b.p, b.len), 0);
	xb_buf_free(&b);
	return s;
}

static int record(struct xb_db *db, const char *uuid, int reps, size_t n)
{
	struct xb_stream *s = make_stream(reps, n);
	struct xb_boot_record boot = { .idx = 0, .started = 1, .ended = 2, .accel = "tcg",
				       .status = "finished", .stream = s };
	struct xb_run_record r = { .label = "t", .suite = "quick", .status = "finished",
				   .started = 1, .ended = 2, .host = "h", .boots = &boot,
				   .nboots = 1 };
	int64_t id;
	int rc;

	snprintf(r.uuid, sizeof(r.uuid), "%s", uuid);
	xb_kv_add(&r.fingerprint, "kernel.release", "6.1.0-56-amd64");
	rc = xb_db_record_run(db, &r, &id);
	xb_kv_free(&r.fingerprint);
	xb_stream_free(s);
	return rc;
}

static long long count(struct xb_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void assert_clean(struct xb_db *db)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db->sql, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(count(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

static void die_at_row_3(int rows)
{
	if (rows == 3)
		raise(SIGKILL);
}

#define UUID(n) "00000000-0000-4000-8000-0000000000" #n

static void test_dbfaults__sigkill_mid_ingest(void **state)
{
	struct fixture *f = *state;
	struct xb_db *db;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (xb_db_open(&db, f->path, true) || record(db, UUID(01), 2, 100))
			_exit(1);
		xb_db_ingest_row_hook = die_at_row_3;
		record(db, UUID(02), 10, 100);
		_exit(2);   /* not reached: killed at the fourth row */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_int_equal(xb_db_open(&db, f->path, false), 0);
	assert_clean(db);
	assert_int_equal(count(db, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM runs WHERE uuid='" UUID(01) "'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM samples"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM fingerprint f LEFT JOIN runs r "
				   "ON r.id=f.run_id WHERE r.id IS NULL"), 0);
	/* and the database takes the next run */
	assert_int_equal(record(db, UUID(03), 1, 10), 0);
	xb_db_close(db);
}

static void test_dbfaults__two_writers(void **state)
{
	struct fixture *f = *state;
	pid_t pids[2];
	struct xb_db *db;

	for (int w = 0; w < 2; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0) {
			int bad = 0;

			if (xb_db_open(&db, f->path, true))
				_exit(1);
			for (int i = 0; i < 15; i++) {
				char uuid[37];

				snprintf(uuid, sizeof(uuid), "%08d-0000-4000-8000-%012d", w, i);
				bad |= record(db, uuid, 3, 2000) != 0;
			}
			xb_db_close(db);
			_exit(bad);
		}
	}
	for (int w = 0; w < 2; w++) {
		int status;

		assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(xb_db_open(&db, f->path, false), 0);
	assert_clean(db);
	assert_int_equal(count(db, "SELECT count(*) FROM runs"), 30);
	assert_int_equal(count(db, "SELECT count(*) FROM samples"), 90);
	xb_db_close(db);
}

static void test_dbfaults__disk_full(void **state)
{
	struct fixture *f = *state;
	char *filler = xb_asprintf("%s/filler", f->dir);
	char block[4096];
	struct xb_db *db;
	FILE *fp;
	int rc;

	/* a 1 MiB filesystem of our own: needs root; skipped otherwise */
	if (mount("tmpfs", f->dir, "tmpfs", 0, "size=1m")) {
		free(filler);
		skip();
	}
	assert_int_equal(xb_db_open(&db, f->path, true), 0);
	assert_int_equal(record(db, UUID(01), 1, 100), 0);
	memset(block, 0xa5, sizeof(block));
	fp = fopen(filler, "w");
	assert_non_null(fp);
	while (fwrite(block, 1, sizeof(block), fp) == sizeof(block) && !fflush(fp))
		;
	fclose(fp);
	rc = record(db, UUID(02), 1, NSAMPLES_BIG);
	assert_true(rc == -ENOSPC || rc == -EIO);
	assert_clean(db);
	assert_int_equal(count(db, "SELECT count(*) FROM runs"), 1);
	xb_db_close(db);
	/* space back: the database opens clean, run 1 intact, run 2 absent */
	unlink(filler);
	assert_int_equal(xb_db_open(&db, f->path, false), 0);
	assert_clean(db);
	assert_int_equal(count(db, "SELECT count(*) FROM runs WHERE uuid='" UUID(01) "'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(record(db, UUID(03), 1, 10), 0);
	xb_db_close(db);
	free(filler);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dbfaults__sigkill_mid_ingest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dbfaults__two_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dbfaults__disk_full, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
