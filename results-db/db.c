// SPDX-License-Identifier: GPL-2.0
/*
 * Opening and migrating the results database. A database is checked before
 * anything is written to it, so that a file that is not ours, or is newer
 * than this build, is left exactly as it was found.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "db.h"
#include "db-internal.h"
#include "error.h"

/*
 * migrations[i] takes user_version i to i + 1. Append, never edit: a
 * database in the field has already run the old ones.
 */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  label TEXT,"
	"  suite TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('finished', 'failed')),"
	"  reason TEXT,"
	"  started_at REAL NOT NULL,"     /* unix seconds */
	"  ended_at REAL,"
	"  host TEXT,"
	"  console_tail TEXT,"
	"  artifacts TEXT);"
	"CREATE INDEX runs_started_at ON runs(started_at);"
	"CREATE TABLE fingerprint ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (run_id, key));"
	"CREATE INDEX fingerprint_key_value ON fingerprint(key, value);"
	"CREATE TABLE boots ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  idx INTEGER NOT NULL CHECK (idx >= 0),"
	"  started_at REAL,"
	"  ended_at REAL,"
	"  accel TEXT,"
	"  status TEXT NOT NULL CHECK (status IN ('finished', 'failed')),"
	"  reason TEXT,"
	"  PRIMARY KEY (run_id, idx));"
	"CREATE TABLE metrics ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE CHECK (name <> ''),"
	"  unit TEXT NOT NULL,"
	"  direction TEXT NOT NULL CHECK (direction IN ('lower', 'higher', 'none')),"
	"  description TEXT);"
	"CREATE TABLE samples ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  metric_id INTEGER NOT NULL REFERENCES metrics(id),"
	"  boot INTEGER NOT NULL,"
	"  rep INTEGER NOT NULL CHECK (rep >= 0),"
	"  n INTEGER NOT NULL CHECK (n > 0),"
	"  vals BLOB NOT NULL CHECK (length(vals) = 8 * n),"
	"  UNIQUE (run_id, metric_id, boot, rep),"
	"  FOREIGN KEY (run_id, boot) REFERENCES boots(run_id, idx) ON DELETE CASCADE);"
	"CREATE INDEX samples_metric ON samples(metric_id);"
	"CREATE TABLE summaries ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  metric_id INTEGER NOT NULL REFERENCES metrics(id),"
	"  boot INTEGER NOT NULL,"
	"  n INTEGER NOT NULL CHECK (n > 0),"
	"  min REAL NOT NULL, median REAL NOT NULL, p90 REAL NOT NULL,"
	"  p99 REAL NOT NULL, p999 REAL NOT NULL, max REAL NOT NULL,"
	"  mean REAL NOT NULL, stddev REAL NOT NULL,"
	"  PRIMARY KEY (run_id, metric_id, boot),"
	"  FOREIGN KEY (run_id, boot) REFERENCES boots(run_id, idx) ON DELETE CASCADE);"
	"CREATE INDEX summaries_metric ON summaries(metric_id);"
	"CREATE TABLE notes ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  boot INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  FOREIGN KEY (run_id, boot) REFERENCES boots(run_id, idx) ON DELETE CASCADE);"
	"CREATE INDEX notes_run ON notes(run_id, boot);",
	/* 1 -> 2: stored comparisons (daxbench compare), one row per compared
	 * metric statistic; the runs of each side in comparison_runs. */
	"CREATE TABLE comparisons ("
	"  id INTEGER PRIMARY KEY,"
	"  created_at REAL NOT NULL,"
	"  selector_a TEXT NOT NULL,"
	"  selector_b TEXT NOT NULL,"
	"  name_a TEXT NOT NULL,"
	"  name_b TEXT NOT NULL,"
	"  boots_a INTEGER NOT NULL,"
	"  boots_b INTEGER NOT NULL,"
	"  alpha REAL NOT NULL,"
	"  forced INTEGER NOT NULL DEFAULT 0,"
	"  regressions INTEGER NOT NULL,"
	"  improvements INTEGER NOT NULL,"
	"  inconclusive INTEGER NOT NULL,"
	"  daxbench_commit TEXT,"
	"  summary TEXT);"
	"CREATE INDEX comparisons_created_at ON comparisons(created_at);"
	"CREATE TABLE comparison_runs ("
	"  comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,"
	"  side TEXT NOT NULL CHECK (side IN ('a', 'b')),"
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (comparison_id, side, run_id));"
	"CREATE INDEX comparison_runs_run ON comparison_runs(run_id);"
	"CREATE TABLE comparison_rows ("
	"  comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,"
	"  metric_id INTEGER NOT NULL REFERENCES metrics(id),"
	"  stat TEXT NOT NULL,"               /* p50 | p90 | p99 of each boot */
	"  n_a INTEGER NOT NULL, n_b INTEGER NOT NULL,"
	"  median_a REAL, median_b REAL,"
	"  change_pct REAL, ci_lo_pct REAL, ci_hi_pct REAL,"
	"  shift REAL, ci_lo REAL, ci_hi REAL,"
	"  p REAL, q REAL, noise_pct REAL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('regression', 'improvement',"
	"    'no change', 'inconclusive', '-')),"
	"  more_boots INTEGER,"
	"  PRIMARY KEY (comparison_id, metric_id, stat));",
	/* 2 -> 3: change points of the trends (daxbench publish), one row per
	 * metric, series (backend, or backend@host when several machines) and
	 * the point where the new segment starts; databases merged in (daxbench
	 * db merge). Depends on no table of 1 -> 2. */
	"CREATE TABLE changepoints ("
	"  id INTEGER PRIMARY KEY,"
	"  metric_id INTEGER NOT NULL REFERENCES metrics(id),"
	"  series TEXT NOT NULL,"
	"  point TEXT NOT NULL,"            /* first point of the new segment */
	"  prev_point TEXT NOT NULL,"       /* last point before it */
	"  before REAL NOT NULL,"           /* segment medians */
	"  after REAL NOT NULL,"
	"  change_pct REAL,"                /* NULL when before is 0 */
	"  p REAL NOT NULL,"                /* permutation p-value */
	"  level TEXT NOT NULL CHECK (level IN ('weak', 'confirmed')),"
	"  regression INTEGER,"             /* 1 worse, 0 better, NULL direction none */
	"  first_seen REAL NOT NULL,"
	"  last_seen REAL NOT NULL,"
	"  UNIQUE (metric_id, series, point));"
	"CREATE TABLE merges ("
	"  id INTEGER PRIMARY KEY,"
	"  merged_at REAL NOT NULL,"
	"  source TEXT NOT NULL,"
	"  source_version INTEGER NOT NULL,"
	"  runs_added INTEGER NOT NULL,"
	"  runs_present INTEGER NOT NULL);",
};

_Static_assert(XB_ARRAY_SIZE(migrations) == XB_DB_SCHEMA_VERSION,
	       "one migration per schema version");

int xb_db_errno(int sqlite_rc)
{
	switch (sqlite_rc & 0xff) {
	case SQLITE_OK: return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return -EBUSY;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT: return -EBADMSG;
	case SQLITE_NOMEM: return -ENOMEM;
	case SQLITE_READONLY: return -EROFS;
	case SQLITE_FULL: return -ENOSPC;
	case SQLITE_PERM:
	case SQLITE_AUTH: return -EACCES;
	case SQLITE_CANTOPEN: return -ENOENT;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE: return -EINVAL;
	case SQLITE_TOOBIG: return -E2BIG;
	default: return -EIO;
	}
}

int xb_db_fail(sqlite3 *db, int sqlite_rc, const char *what)
{
	int rc = xb_db_errno(sqlite_rc);
	const char *path = sqlite3_db_filename(db, "main");

	if (rc == -EBUSY)
		return xb_error_set(rc, "database %s is locked by another daxbench: %s timed "
				    "out after 10 s; try again when it is done", path, what);
	if (rc == -EBADMSG)
		return xb_error_set(rc, "%s is not a daxbench database or is corrupt (%s)",
				    path, sqlite3_errmsg(db));
	return xb_error_set(rc, "database %s: %s failed: %s", path, what, sqlite3_errmsg(db));
}

int xb_db_exec(sqlite3 *db, const char *sql, const char *what)
{
	int src = sqlite3_exec(db, sql, NULL, NULL, NULL);

	return src == SQLITE_OK ? 0 : xb_db_fail(db, src, what);
}

/* How long a writer waits for another daxbench holding the database. */
#define BUSY_TIMEOUT_MS 10000

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *st = NULL;
	int src;

	src = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (src == SQLITE_OK) {
		src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			*out = sqlite3_column_int(st, 0);
			src = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return src;
}

int xb_db_schema_version(struct xb_db *db)
{
	int v = -1;

	return pragma_int(db->sql, "PRAGMA user_version", &v) == SQLITE_OK ? v : -EIO;
}

/* Refuses, without writing anything, a database this build must not touch. */
static int check_foreign(sqlite3 *db, const char *path, int *out_version)
{
	int src, version = 0, nobjects = 0;

	/* one read transaction: another daxbench's migration must not commit
	 * between reading the version and counting the tables */
	src = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (src == SQLITE_OK)
		src = pragma_int(db, "PRAGMA user_version", &version);
	if (src == SQLITE_OK)
		src = pragma_int(db, "SELECT count(*) FROM sqlite_master", &nobjects);
	if (src != SQLITE_OK) {
		/* the message first: ending the transaction replaces sqlite's
		 * reason with "not an error" */
		int rc = xb_db_fail(db, src, "reading the schema version");

		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (version > XB_DB_SCHEMA_VERSION) {
		return xb_error_set(-EPROTONOSUPPORT, "database %s has schema version %d, newer "
				    "than this daxbench supports (%d): upgrade daxbench", path,
				    version, XB_DB_SCHEMA_VERSION);
	}
	/* Migrations bump user_version in the transaction that creates the
	 * tables, so a daxbench database at version 0 is always empty. */
	if (version < 0 || (version == 0 && nobjects > 0)) {
		return xb_error_set(-EBADMSG, "%s is not a daxbench database (it holds other "
				    "tables): give another --db path", path);
	}
	*out_version = version;
	return 0;
}

static int migrate_bump(sqlite3 *db, int version)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	return xb_db_exec(db, sql, "setting the schema version");
}

/* One migration per transaction; re-reading the version inside it makes two
 * daxbench processes opening a fresh database at once harmless. */
static int migrate(sqlite3 *db)
{
	int rc, src, version;

	for (;;) {
		rc = xb_db_exec(db, "BEGIN IMMEDIATE", "starting a migration");
		if (rc)
			return rc;
		src = pragma_int(db, "PRAGMA user_version", &version);
		if (src != SQLITE_OK) {
			rc = xb_db_fail(db, src, "reading the schema version");
			goto out_rollback;
		}
		if (version >= XB_DB_SCHEMA_VERSION)
			return xb_db_exec(db, "COMMIT", "committing");
		rc = xb_db_exec(db, migrations[version], "migrating the schema");
		if (rc)
			goto out_rollback;
		rc = migrate_bump(db, version + 1);
		if (rc)
			goto out_rollback;
		rc = xb_db_exec(db, "COMMIT", "committing a migration");
		if (rc)
			goto out_rollback;
	}
out_rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/*
 * Switching a fresh database to WAL takes an exclusive lock, and sqlite
 * answers SQLITE_BUSY at once there instead of calling the busy handler
 * (two daxbench processes creating one database at the same moment): retry
 * for as long as the busy timeout would have waited.
 */
static int enable_wal(sqlite3 *db)
{
	int src = SQLITE_BUSY;

	for (int ms = 0; ms < BUSY_TIMEOUT_MS; ms += 10) {
		src = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if ((src & 0xff) != SQLITE_BUSY && (src & 0xff) != SQLITE_LOCKED)
			break;
		usleep(10000);
	}
	return src == SQLITE_OK ? 0 : xb_db_fail(db, src, "switching to WAL");
}

static int open_failed(sqlite3 *db, int src, const char *path)
{
	int e = db ? sqlite3_system_errno(db) : 0;
	int rc = e ? -e : xb_db_errno(src);

	return xb_error_set(rc, "cannot open database %s: %s", path,
			    db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
}

/*
 * Whether this user may write the file and its folder. A reader that may
 * opens the connection read-write (but query_only, with no WAL switch and
 * no migration: it writes nothing): as the last connection to close, it
 * removes the -wal and -shm files as a writer does, where a read-only
 * connection would leave them behind.
 */
static bool may_write(const char *path)
{
	char *dir = xb_strdup(path), *slash = strrchr(dir, '/');
	bool ok;

	if (slash)
		*(slash == dir ? slash + 1 : slash) = 0;
	ok = !access(path, W_OK) && !access(slash ? dir : ".", W_OK);
	free(dir);
	return ok;
}

static int open_existing(sqlite3 **out, const char *path, enum xb_db_mode mode)
{
	struct stat st;
	int rc, src, flags;

	if (mode != XB_DB_CREATE && stat(path, &st)) {
		rc = -errno;
		if (rc == -ENOENT)
			return xb_error_set(rc, "no database at %s: run `daxbench run` first",
					    path);
		return xb_error_set(rc, "cannot open database %s: %s", path, strerror(-rc));
	}
	flags = mode == XB_DB_READ && !may_write(path) ? SQLITE_OPEN_READONLY :
		SQLITE_OPEN_READWRITE | (mode == XB_DB_CREATE ? SQLITE_OPEN_CREATE : 0);
	src = sqlite3_open_v2(path, out, flags, NULL);
	return src == SQLITE_OK ? 0 : open_failed(*out, src, path);
}

/* "file:" URI of a path: '%', '?' and '#' are the characters sqlite decodes. */
static char *path_uri(const char *path, const char *query)
{
	struct xb_buf b = { 0 };

	xb_buf_adds(&b, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			xb_buf_addf(&b, "%%%02X", (unsigned char)*p);
		else
			xb_buf_add(&b, p, 1);
	}
	xb_buf_addf(&b, "?%s", query);
	return xb_buf_detach(&b);
}

/*
 * A WAL database needs its -shm file even to read. When it is absent and
 * cannot be created (a folder this user may not write), no daxbench is
 * writing the database at the moment - a writer keeps -wal and -shm until
 * its last connection closes - so it can be read as an immutable file.
 */
static int reopen_immutable(sqlite3 **db, const char *path, int src)
{
	char *wal = xb_asprintf("%s-wal", path), *uri;
	bool writer = !access(wal, F_OK);
	int ext = src & 0xff;

	free(wal);
	if (writer || (ext != SQLITE_READONLY && ext != SQLITE_CANTOPEN))
		return 1;
	sqlite3_close_v2(*db);
	*db = NULL;
	uri = path_uri(path, "immutable=1");
	src = sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	return src == SQLITE_OK ? 0 : open_failed(*db, src, path);
}

static int open_read(sqlite3 **db, const char *path, int *version)
{
	int rc, v = 0, n = 0, src;

	rc = open_existing(db, path, XB_DB_READ);
	if (rc)
		return rc;
	sqlite3_extended_result_codes(*db, 1);
	sqlite3_busy_timeout(*db, BUSY_TIMEOUT_MS);
	/* probe without a message: check_foreign() gives the one message */
	src = sqlite3_exec(*db, "BEGIN", NULL, NULL, NULL);
	if (src == SQLITE_OK)
		src = pragma_int(*db, "PRAGMA user_version", &v);
	if (src == SQLITE_OK)
		src = pragma_int(*db, "SELECT count(*) FROM sqlite_master", &n);
	sqlite3_exec(*db, "ROLLBACK", NULL, NULL, NULL);
	if (src != SQLITE_OK) {
		rc = reopen_immutable(db, path, src);
		if (rc < 0)
			return rc;
	}
	rc = check_foreign(*db, path, version);
	if (rc)
		return rc;
	if (*version < XB_DB_SCHEMA_VERSION)
		return xb_error_set(-EROFS, "database %s has schema version %d, older than this "
				    "daxbench's %d: open it once with write access (e.g. "
				    "`daxbench list`) to upgrade it", path, *version,
				    XB_DB_SCHEMA_VERSION);
	return 0;
}

static int wrap(struct xb_db **out, sqlite3 *db, bool readonly)
{
	*out = malloc(sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->sql = db;
	(*out)->readonly = readonly;
	return 0;
}

/*
 * Reading: no WAL switch, no journal, no migration, nothing written
 * (query_only), so a user who may not write the database or its folder can
 * read it. An older schema cannot be
 * read without migrating: when the file is writable, migrate it as a
 * writer would.
 */
static int open_for_reading(struct xb_db **out, const char *path)
{
	sqlite3 *db = NULL;
	int rc, version = 0;

	rc = open_read(&db, path, &version);
	if (rc == -EROFS && version < XB_DB_SCHEMA_VERSION && !access(path, W_OK)) {
		sqlite3_close_v2(db);
		xb_error_clear();
		return xb_db_open_mode(out, path, XB_DB_WRITE);
	}
	if (!rc)
		rc = xb_db_exec(db, "PRAGMA query_only = ON", "making the connection read-only");
	if (!rc)
		rc = wrap(out, db, true);
	if (rc)
		sqlite3_close_v2(db);
	return rc;
}

int xb_db_open_mode(struct xb_db **out, const char *path, enum xb_db_mode mode)
{
	sqlite3 *db = NULL;
	int rc, version = 0;

	*out = NULL;
	if (mode == XB_DB_READ)
		return open_for_reading(out, path);
	rc = open_existing(&db, path, mode);
	if (rc)
		goto out_close;
	/* sqlite falls back to reading a file it may not write */
	if (sqlite3_db_readonly(db, "main") == 1) {
		rc = xb_error_set(-EROFS, "database %s is read-only for this user: it can be "
				  "read (list, show, compare), not written", path);
		goto out_close;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	rc = check_foreign(db, path, &version);
	if (rc)
		goto out_close;
	rc = xb_db_exec(db, "PRAGMA foreign_keys = ON", "enabling foreign keys");
	if (rc)
		goto out_close;
	rc = enable_wal(db);
	if (rc)
		goto out_close;
	/* Skipping the write transaction when current lets a reader open a
	 * database it may not write. */
	rc = version < XB_DB_SCHEMA_VERSION ? migrate(db) : 0;
	if (rc)
		goto out_close;
	rc = wrap(out, db, false);
	if (rc)
		goto out_close;
	return 0;
out_close:
	sqlite3_close_v2(db);
	return rc;
}

int xb_db_open(struct xb_db **out, const char *path, bool create)
{
	return xb_db_open_mode(out, path, create ? XB_DB_CREATE : XB_DB_WRITE);
}

bool xb_db_readonly(const struct xb_db *db)
{
	return db->readonly;
}

void xb_db_close(struct xb_db *db)
{
	if (!db)
		return;
	sqlite3_close_v2(db->sql);
	free(db);
}
