// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "merge.h"
#include "db.h"
#include "db-internal.h"
#include "error.h"

/* A consistent copy of other (WAL included) through sqlite's backup API,
 * opened read-only so the original is never touched. */
static int copy_db(const char *other, const char *copy)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	int rc = 0, s;

	if (access(other, R_OK)) {
		rc = -errno;
		return xb_error_set(rc, "cannot read %s: %s", other, strerror(-rc));
	}
	s = sqlite3_open_v2(other, &src, SQLITE_OPEN_READONLY, NULL);
	if (s == SQLITE_OK)
		s = sqlite3_open_v2(copy, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (s == SQLITE_OK) {
		b = sqlite3_backup_init(dst, "main", src, "main");
		if (!b) {
			s = sqlite3_errcode(dst);
		} else {
			s = sqlite3_backup_step(b, -1);
			sqlite3_backup_finish(b);
			s = s == SQLITE_DONE ? SQLITE_OK : s;
		}
	}
	if (s != SQLITE_OK) {
		rc = xb_error_set(xb_db_errno(s), "cannot read %s as a database: %s", other,
				  sqlite3_errstr(s));
	}
	sqlite3_close_v2(dst);
	sqlite3_close_v2(src);
	return rc;
}

/* Metrics are shared by name; the same name with another unit or direction
 * would mix two quantities in one trend. */
static const char conflict_sql[] =
	"SELECT o.name, o.unit, o.direction, m.unit, m.direction FROM o.metrics o"
	" JOIN main.metrics m ON m.name = o.name"
	" WHERE o.unit <> m.unit OR o.direction <> m.direction LIMIT 1";

static const char *const merge_sql[] = {
	"CREATE TEMP TABLE newruns AS SELECT id, uuid FROM o.runs"
	" WHERE uuid NOT IN (SELECT uuid FROM main.runs)",
	"INSERT INTO main.metrics (name, unit, direction, description)"
	" SELECT name, unit, direction, description FROM o.metrics"
	" WHERE name NOT IN (SELECT name FROM main.metrics)",
	"INSERT INTO main.runs (uuid, label, suite, status, reason, started_at, ended_at,"
	" host, console_tail, artifacts) SELECT r.uuid, r.label, r.suite, r.status, r.reason,"
	" r.started_at, r.ended_at, r.host, r.console_tail, r.artifacts"
	" FROM o.runs r JOIN newruns n ON n.id = r.id ORDER BY r.started_at",
	"CREATE TEMP TABLE rmap AS SELECT n.id AS oid, m.id AS nid FROM newruns n"
	" JOIN main.runs m ON m.uuid = n.uuid",
	"CREATE TEMP TABLE mmap AS SELECT o.id AS oid, m.id AS nid FROM o.metrics o"
	" JOIN main.metrics m ON m.name = o.name",
	"INSERT INTO main.fingerprint SELECT r.nid, f.key, f.value FROM o.fingerprint f"
	" JOIN rmap r ON r.oid = f.run_id",
	"INSERT INTO main.boots SELECT r.nid, b.idx, b.started_at, b.ended_at, b.accel,"
	" b.status, b.reason FROM o.boots b JOIN rmap r ON r.oid = b.run_id",
	"INSERT INTO main.samples SELECT r.nid, m.nid, s.boot, s.rep, s.n, s.vals"
	" FROM o.samples s JOIN rmap r ON r.oid = s.run_id JOIN mmap m ON m.oid = s.metric_id",
	"INSERT INTO main.summaries SELECT r.nid, m.nid, s.boot, s.n, s.min, s.median,"
	" s.p90, s.p99, s.p999, s.max, s.mean, s.stddev FROM o.summaries s"
	" JOIN rmap r ON r.oid = s.run_id JOIN mmap m ON m.oid = s.metric_id",
	"INSERT INTO main.notes SELECT r.nid, n.boot, n.kind, n.subject, n.text"
	" FROM o.notes n JOIN rmap r ON r.oid = n.run_id",
};

static int count(sqlite3 *db, const char *sql, long *out)
{
	sqlite3_stmt *st = NULL;
	int s = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (s == SQLITE_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		s = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return s;
}

static int check_metrics(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int s = sqlite3_prepare_v2(db, conflict_sql, -1, &st, NULL), rc = 0;

	if (s != SQLITE_OK)
		return xb_error_set(xb_db_errno(s), "checking the metrics failed: %s",
				    sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = xb_error_set(-EINVAL, "metric %s is %s (%s) there but %s (%s) here: not "
				  "merged", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
				  sqlite3_column_text(st, 2), sqlite3_column_text(st, 3),
				  sqlite3_column_text(st, 4));
	sqlite3_finalize(st);
	return rc;
}

static int record(sqlite3 *db, const char *other, const struct xb_merge_stats *m)
{
	sqlite3_stmt *st = NULL;
	int s = sqlite3_prepare_v2(db, "INSERT INTO main.merges (merged_at, source,"
				   " source_version, runs_added, runs_present)"
				   " VALUES (?, ?, ?, ?, ?)", -1, &st, NULL);

	if (s != SQLITE_OK)
		return s;
	sqlite3_bind_double(st, 1, xb_now());
	sqlite3_bind_text(st, 2, other, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, m->source_version);
	sqlite3_bind_int64(st, 4, m->runs_added);
	sqlite3_bind_int64(st, 5, m->runs_present);
	sqlite3_step(st);
	return sqlite3_finalize(st);
}

static int add_facts(sqlite3 *db, const struct xb_kvlist *facts)
{
	sqlite3_stmt *st = NULL;
	int s = SQLITE_OK;

	if (!facts || !facts->n)
		return SQLITE_OK;
	s = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO main.fingerprint (run_id, key, value)"
			       " SELECT nid, ?1, ?2 FROM temp.rmap", -1, &st, NULL);
	for (size_t i = 0; s == SQLITE_OK && i < facts->n; i++) {
		sqlite3_bind_text(st, 1, facts->v[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, facts->v[i].value, -1, SQLITE_STATIC);
		s = sqlite3_step(st) == SQLITE_DONE ? sqlite3_reset(st) : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	return s;
}

static int merge_attached(struct xb_merge_stats *out, sqlite3 *db, const char *other,
			  const struct xb_kvlist *facts)
{
	long before = 0, after = 0, total = 0, mb = 0, ma = 0;
	int s, rc;

	rc = check_metrics(db);
	if (rc)
		return rc;
	s = count(db, "SELECT count(*) FROM main.runs", &before);
	if (s == SQLITE_OK)
		s = count(db, "SELECT count(*) FROM o.runs", &total);
	if (s == SQLITE_OK)
		s = count(db, "SELECT count(*) FROM main.metrics", &mb);
	for (size_t i = 0; s == SQLITE_OK && i < XB_ARRAY_SIZE(merge_sql); i++)
		s = sqlite3_exec(db, merge_sql[i], NULL, NULL, NULL);
	if (s == SQLITE_OK)
		s = add_facts(db, facts);
	if (s == SQLITE_OK)
		s = count(db, "SELECT count(*) FROM main.runs", &after);
	if (s == SQLITE_OK)
		s = count(db, "SELECT count(*) FROM main.metrics", &ma);
	out->runs_added = after - before;
	out->runs_present = total - out->runs_added;
	out->metrics_added = ma - mb;
	if (s == SQLITE_OK)
		s = record(db, other, out);
	if (s != SQLITE_OK)
		return xb_error_set(xb_db_errno(s), "merging %s failed: %s", other,
				    sqlite3_errmsg(db));
	return 0;
}

/* Refused before any migration, naming the file the user gave. */
static int check_source(struct xb_merge_stats *out, const char *copy, const char *other)
{
	sqlite3 *probe = NULL;
	long objects = -1;
	int rc = 0;

	out->source_version = -1;
	if (sqlite3_open_v2(copy, &probe, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		struct xb_db h = { .sql = probe };

		out->source_version = xb_db_schema_version(&h);
		if (count(probe, "SELECT count(*) FROM sqlite_master", &objects) != SQLITE_OK)
			objects = -1;
	}
	sqlite3_close_v2(probe);
	if (out->source_version > XB_DB_SCHEMA_VERSION)
		rc = xb_error_set(-EPROTONOSUPPORT, "%s has schema version %d, newer than this "
				  "daxbench supports (%d): merge it with a newer daxbench", other,
				  out->source_version, XB_DB_SCHEMA_VERSION);
	else if (out->source_version < 0 || objects < 0 ||
		 (out->source_version == 0 && objects > 0))
		rc = xb_error_set(-EBADMSG, "%s is not a daxbench database: nothing merged",
				  other);
	return rc;
}

int xb_db_merge(struct xb_merge_stats *out, struct xb_db *xdb, const char *other,
		const char *tmpdir)
{
	return xb_db_merge_facts(out, xdb, other, tmpdir, NULL);
}

int xb_db_merge_facts(struct xb_merge_stats *out, struct xb_db *xdb, const char *other,
		      const char *tmpdir, const struct xb_kvlist *facts)
{
	sqlite3 *db = xdb->sql;
	char *copy = xb_asprintf("%s/daxbench-merge-%d.db", tmpdir, (int)getpid());
	struct xb_db *cdb = NULL;
	sqlite3 *st;
	sqlite3_stmt *at = NULL;
	int rc, s;

	memset(out, 0, sizeof(*out));
	unlink(copy);
	rc = copy_db(other, copy);
	if (rc)
		goto out;
	rc = check_source(out, copy, other);
	if (rc)
		goto out;
	/* migrates an older schema up, in the copy */
	rc = xb_db_open(&cdb, copy, false);
	if (rc) {
		xb_error_wrap(rc, "%s cannot be merged", other);
		goto out;
	}
	xb_db_close(cdb);
	st = db;
	s = sqlite3_prepare_v2(st, "ATTACH DATABASE ? AS o", -1, &at, NULL);
	if (s == SQLITE_OK) {
		sqlite3_bind_text(at, 1, copy, -1, SQLITE_STATIC);
		sqlite3_step(at);
		s = sqlite3_finalize(at);
	}
	if (s != SQLITE_OK) {
		rc = xb_error_set(xb_db_errno(s), "cannot attach the copy of %s: %s", other,
				  sqlite3_errmsg(db));
		goto out;
	}
	rc = xb_db_exec(db, "BEGIN IMMEDIATE", "starting the merge");
	if (!rc) {
		rc = merge_attached(out, db, other, facts);
		if (rc)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		else
			rc = xb_db_exec(db, "COMMIT", "committing the merge");
	}
	sqlite3_exec(db, "DROP TABLE IF EXISTS temp.newruns; DROP TABLE IF EXISTS temp.rmap;"
		     " DROP TABLE IF EXISTS temp.mmap", NULL, NULL, NULL);
	sqlite3_exec(db, "DETACH DATABASE o", NULL, NULL, NULL);
out:
	unlink(copy);
	{
		char *wal = xb_asprintf("%s-wal", copy), *shm = xb_asprintf("%s-shm", copy);

		unlink(wal);
		unlink(shm);
		free(wal);
		free(shm);
	}
	free(copy);
	return rc;
}
