/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The results database: sqlite, schema versioned with PRAGMA user_version,
 * upgraded by ordered migrations (db.c, migrations[]), WAL journal,
 * foreign keys on. Schema (version 1):
 *
 *   runs(id, uuid UNIQUE, label, suite, status finished|failed, reason,
 *        started_at, ended_at, host, console_tail, artifacts)
 *   fingerprint(run_id, key, value)          kernel.release, qemu.version ...
 *   boots(run_id, idx, started_at, ended_at, accel, status, reason)
 *   metrics(id, name UNIQUE, unit, direction lower|higher|none, description)
 *   samples(run_id, metric_id, boot, rep, n, vals)   vals: n little-endian
 *                                                    IEEE-754 doubles, raw
 *   summaries(run_id, metric_id, boot, n, min, median, p90, p99, p999, max,
 *             mean, stddev)                  per boot, repetitions pooled
 *   notes(run_id, boot, kind, subject, text)
 *
 * Version 2 adds stored comparisons (daxbench compare):
 *   comparisons(id, created_at, selector_a/b, name_a/b, boots_a/b, alpha,
 *               forced, regressions, improvements, inconclusive,
 *               daxbench_commit, summary)
 *   comparison_runs(comparison_id, side a|b, run_id)
 *   comparison_rows(comparison_id, metric_id, stat p50|p90|p99, n_a, n_b,
 *               median_a/b, change_pct, ci_lo/hi_pct, shift, ci_lo/hi, p, q,
 *               noise_pct, verdict, more_boots); noise_pct holds the
 *               half-width of "no change" in percent: since issue 14 the
 *               fixed equivalence threshold, before it max(1%, 2 x the
 *               between-boot spread); more_boots -2: more boots cannot decide
 * Version 3 (trends): changepoints(metric_id, series, point, prev_point,
 *   before, after, change_pct, p, level weak|confirmed, regression,
 *   first_seen, last_seen); merges(merged_at, source, source_version,
 *   runs_added, runs_present).
 *
 * Later issues add tables by appending migrations, never by editing one.
 */
#ifndef XB_DB_H
#define XB_DB_H
#ifndef XB_LAYER_DB
#error "results-db/db.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stdint.h>
#include "util.h"
#include "stream.h"

#define XB_DB_SCHEMA_VERSION 3

/* An open database; only results-db/ sees inside (db-internal.h). */
struct xb_db;

/*
 * Open (creating when create is true) and migrate to XB_DB_SCHEMA_VERSION.
 * Errors, each with one message (lib/error.h): -ENOENT (missing and !create),
 * -EPROTONOSUPPORT (schema newer than this daxbench), -EBADMSG (not a
 * daxbench database, or corrupt), -EBUSY (locked past the busy timeout).
 */
int xb_db_open(struct xb_db **out, const char *path, bool create);
/*
 * XB_DB_READ opens an existing database read-only: no WAL switch, no
 * journal, no migration, nothing written, so it works for a user who may
 * not write the file or its folder. Writes through such a handle fail with
 * -EROFS. Besides xb_db_open()'s errors: -EROFS when the schema is older
 * and the file not writable (reading it needs a migration).
 */
enum xb_db_mode { XB_DB_READ, XB_DB_WRITE, XB_DB_CREATE };
int xb_db_open_mode(struct xb_db **out, const char *path, enum xb_db_mode mode);
bool xb_db_readonly(const struct xb_db *db);
void xb_db_close(struct xb_db *db);
/* Schema version of an open database (PRAGMA user_version). */
int xb_db_schema_version(struct xb_db *db);

/* One boot of a run: its stream is NULL when the boot produced none. */
struct xb_boot_record {
	int idx;
	double started;       /* unix seconds */
	double ended;
	const char *accel;    /* tcg | kvm | native */
	const char *status;   /* finished | failed */
	const char *reason;   /* why it failed, or NULL */
	const struct xb_stream *stream;
};

struct xb_run_record {
	char uuid[37];
	const char *label;        /* may be NULL */
	const char *suite;
	const char *status;       /* finished | failed */
	const char *reason;       /* NULL when finished */
	double started;
	double ended;
	const char *host;
	const char *console_tail; /* last console lines; may be NULL */
	const char *artifacts;    /* directory with console logs and streams */
	struct xb_kvlist fingerprint;
	struct xb_boot_record *boots;
	size_t nboots;
};

/*
 * Record a run in one transaction: the run, its fingerprint, boots, and -
 * only when status is "finished" - metrics, raw samples, per-boot summaries
 * and notes of every boot's stream. Any failure rolls everything back and
 * returns -errno (-EEXIST for a uuid already present, -EINVAL for a metric
 * whose unit or direction contradicts the stored one), with one message
 * (lib/error.h) for the caller to print.
 */
int xb_db_record_run(struct xb_db *db, const struct xb_run_record *r, int64_t *out_run_id);

/*
 * For tests: xb_db_record_run() fails with -EIO when it is about to write
 * sample row number xb_db_ingest_fail_after + 1 (0: before the first).
 * -1, the default, never fails.
 */
extern int xb_db_ingest_fail_after;
/* For tests: called before each sample row is written, with the rows so far
 * (a test kills the process there to prove a crash mid-ingest loses nothing). */
extern void (*xb_db_ingest_row_hook)(int rows_done);

#endif
