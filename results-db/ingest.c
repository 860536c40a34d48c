// SPDX-License-Identifier: GPL-2.0
/* Recording a run: everything in one transaction, or nothing. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "db-internal.h"
#include "error.h"
#include "stats.h"

int xb_db_ingest_fail_after = -1;
void (*xb_db_ingest_row_hook)(int rows_done);

struct ingest {
	sqlite3 *db;
	const struct xb_run_record *r;
	int64_t run_id;
	int nsample_rows;
	sqlite3_stmt *metric_get;
	sqlite3_stmt *metric_add;
	sqlite3_stmt *sample_add;
	sqlite3_stmt *summary_add;
	sqlite3_stmt *note_add;
	sqlite3_stmt *fp_add;
};

static const char *const status_names[] = { "finished", "failed" };

static bool is_status(const char *s)
{
	for (size_t i = 0; s && i < XB_ARRAY_SIZE(status_names); i++)
		if (!strcmp(s, status_names[i]))
			return true;
	return false;
}

static int check_record(const struct xb_run_record *r)
{
	if (!r->uuid[0] || !r->suite || !is_status(r->status)) {
		return xb_error_set(-EINVAL, "cannot record run '%s': uuid, suite and status "
				    "(finished or failed) are required", r->uuid);
	}
	for (size_t i = 0; i < r->nboots; i++) {
		if (!is_status(r->boots[i].status) || r->boots[i].idx < 0) {
			return xb_error_set(-EINVAL, "cannot record run %s: boot %d has no "
					    "valid index and status", r->uuid, r->boots[i].idx);
		}
	}
	return 0;
}

static int prepare(struct ingest *in, sqlite3_stmt **st, const char *sql)
{
	int src = sqlite3_prepare_v2(in->db, sql, -1, st, NULL);

	return src == SQLITE_OK ? 0 : xb_db_fail(in->db, src, "preparing a statement");
}

static int prepare_all(struct ingest *in)
{
	int rc;

	rc = prepare(in, &in->metric_get,
		     "SELECT id, unit, direction FROM metrics WHERE name = ?");
	if (!rc)
		rc = prepare(in, &in->metric_add, "INSERT INTO metrics "
			     "(name, unit, direction, description) VALUES (?, ?, ?, ?)");
	if (!rc)
		rc = prepare(in, &in->sample_add, "INSERT INTO samples "
			     "(run_id, metric_id, boot, rep, n, vals) VALUES (?, ?, ?, ?, ?, ?)");
	if (!rc)
		rc = prepare(in, &in->summary_add, "INSERT INTO summaries (run_id, metric_id, "
			     "boot, n, min, median, p90, p99, p999, max, mean, stddev) "
			     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!rc)
		rc = prepare(in, &in->note_add, "INSERT INTO notes "
			     "(run_id, boot, kind, subject, text) VALUES (?, ?, ?, ?, ?)");
	if (!rc)
		rc = prepare(in, &in->fp_add, "INSERT OR IGNORE INTO fingerprint "
			     "(run_id, key, value) VALUES (?, ?, ?)");
	return rc;
}

static void finalize_all(struct ingest *in)
{
	sqlite3_finalize(in->metric_get);
	sqlite3_finalize(in->metric_add);
	sqlite3_finalize(in->sample_add);
	sqlite3_finalize(in->summary_add);
	sqlite3_finalize(in->note_add);
	sqlite3_finalize(in->fp_add);
}

/* Runs a bound statement that returns no rows, and resets it. */
static int step(struct ingest *in, sqlite3_stmt *st, const char *what)
{
	int src = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return src == SQLITE_DONE ? 0 : xb_db_fail(in->db, src, what);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static int insert_run(struct ingest *in)
{
	const struct xb_run_record *r = in->r;
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prepare(in, &st, "SELECT 1 FROM runs WHERE uuid = ?");
	if (rc)
		return rc;
	bind_text(st, 1, r->uuid);
	src = sqlite3_step(st);
	sqlite3_finalize(st);
	if (src == SQLITE_ROW) {
		return xb_error_set(-EEXIST, "run %s is already in database %s", r->uuid,
				    sqlite3_db_filename(in->db, "main"));
	}
	if (src != SQLITE_DONE)
		return xb_db_fail(in->db, src, "looking up the run");
	rc = prepare(in, &st, "INSERT INTO runs (uuid, label, suite, status, reason, "
		     "started_at, ended_at, host, console_tail, artifacts) "
		     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (rc)
		return rc;
	bind_text(st, 1, r->uuid);
	bind_text(st, 2, r->label);
	bind_text(st, 3, r->suite);
	bind_text(st, 4, r->status);
	bind_text(st, 5, r->reason);
	sqlite3_bind_double(st, 6, r->started);
	sqlite3_bind_double(st, 7, r->ended);
	bind_text(st, 8, r->host);
	bind_text(st, 9, r->console_tail);
	bind_text(st, 10, r->artifacts);
	rc = step(in, st, "recording the run");
	sqlite3_finalize(st);
	in->run_id = sqlite3_last_insert_rowid(in->db);
	return rc;
}

static int insert_fact(struct ingest *in, const char *key, const char *value)
{
	sqlite3_bind_int64(in->fp_add, 1, in->run_id);
	bind_text(in->fp_add, 2, key);
	bind_text(in->fp_add, 3, value ? value : "");
	return step(in, in->fp_add, "recording the fingerprint");
}

/* The first boot with a stream speaks for the guest: boot 0 unless it failed. */
static const struct xb_stream *guest_stream(const struct xb_run_record *r)
{
	for (size_t i = 0; i < r->nboots; i++)
		if (r->boots[i].stream)
			return r->boots[i].stream;
	return NULL;
}

/* Keys the caller set come first and win over facts of the guest (OR IGNORE). */
static int insert_fingerprint(struct ingest *in)
{
	const struct xb_kvlist *fp = &in->r->fingerprint;
	const struct xb_stream *s = guest_stream(in->r);
	int rc = 0;

	for (size_t i = 0; !rc && i < fp->n; i++)
		rc = insert_fact(in, fp->v[i].key, fp->v[i].value);
	for (size_t i = 0; !rc && s && i < s->hdr.n; i++) {
		char *key = xb_asprintf("guest.%s", s->hdr.v[i].key);

		rc = insert_fact(in, key, s->hdr.v[i].value);
		free(key);
	}
	return rc;
}

static int insert_boots(struct ingest *in)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(in, &st, "INSERT INTO boots (run_id, idx, started_at, ended_at, "
		     "accel, status, reason) VALUES (?, ?, ?, ?, ?, ?, ?)");
	for (size_t i = 0; !rc && i < in->r->nboots; i++) {
		const struct xb_boot_record *b = &in->r->boots[i];

		sqlite3_bind_int64(st, 1, in->run_id);
		sqlite3_bind_int(st, 2, b->idx);
		sqlite3_bind_double(st, 3, b->started);
		sqlite3_bind_double(st, 4, b->ended);
		bind_text(st, 5, b->accel);
		bind_text(st, 6, b->status);
		bind_text(st, 7, b->reason);
		rc = step(in, st, "recording a boot");
	}
	sqlite3_finalize(st);
	return rc;
}

static int add_metric(struct ingest *in, const struct xb_stream_metric *m, int64_t *out)
{
	sqlite3_stmt *st = in->metric_add;
	int rc;

	bind_text(st, 1, m->name);
	bind_text(st, 2, m->unit);
	bind_text(st, 3, m->direction);
	bind_text(st, 4, m->description);
	rc = step(in, st, "recording a metric");
	*out = sqlite3_last_insert_rowid(in->db);
	return rc;
}

/* The id of metric m, added when new; its unit and direction must not change. */
static int metric_id(struct ingest *in, const struct xb_stream_metric *m, int boot,
		     int64_t *out)
{
	sqlite3_stmt *st = in->metric_get;
	int rc = 0, src;

	bind_text(st, 1, m->name);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		const char *unit = (const char *)sqlite3_column_text(st, 1);
		const char *dir = (const char *)sqlite3_column_text(st, 2);

		*out = sqlite3_column_int64(st, 0);
		if (strcmp(unit ? unit : "", m->unit) || strcmp(dir ? dir : "", m->direction)) {
			rc = xb_error_set(-EINVAL, "metric %s: boot %d reports unit %s, "
					  "direction %s, but the database has %s, %s: rename the "
					  "metric if its meaning changed", m->name, boot, m->unit,
					  m->direction, unit, dir);
		}
	} else if (src != SQLITE_DONE) {
		rc = xb_db_fail(in->db, src, "looking up a metric");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (src == SQLITE_DONE)
		rc = add_metric(in, m, out);
	return rc;
}

/* Stored little-endian whatever the host, so a database can move between hosts. */
static unsigned char *encode_le(const double *v, size_t n)
{
	unsigned char *p = xb_malloc(8 * n);

	for (size_t i = 0; i < n; i++) {
		uint64_t u;

		memcpy(&u, &v[i], 8);
		for (int b = 0; b < 8; b++)
			p[8 * i + b] = (unsigned char)(u >> (8 * b));
	}
	return p;
}

static int insert_series(struct ingest *in, int boot, int64_t metric,
			 const struct xb_stream_series *sr)
{
	sqlite3_stmt *st = in->sample_add;
	unsigned char *blob;
	int rc;

	if (xb_db_ingest_row_hook)
		xb_db_ingest_row_hook(in->nsample_rows);
	if (xb_db_ingest_fail_after >= 0 && in->nsample_rows >= xb_db_ingest_fail_after) {
		return xb_error_set(-EIO, "recording samples failed: injected fault after %d rows",
				    in->nsample_rows);
	}
	blob = encode_le(sr->v, sr->n);
	sqlite3_bind_int64(st, 1, in->run_id);
	sqlite3_bind_int64(st, 2, metric);
	sqlite3_bind_int(st, 3, boot);
	sqlite3_bind_int(st, 4, sr->rep);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)sr->n);
	sqlite3_bind_blob64(st, 6, blob, 8 * (sqlite3_uint64)sr->n, SQLITE_STATIC);
	rc = step(in, st, "recording samples");
	free(blob);
	in->nsample_rows++;
	return rc;
}

static int insert_summary(struct ingest *in, int boot, int64_t metric,
			  const double *v, size_t n)
{
	sqlite3_stmt *st = in->summary_add;
	struct xb_summary s;
	const double *col[] = { &s.min, &s.median, &s.p90, &s.p99, &s.p999, &s.max,
				&s.mean, &s.stddev };
	int rc;

	rc = xb_stats_summarize(&s, v, n);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, in->run_id);
	sqlite3_bind_int64(st, 2, metric);
	sqlite3_bind_int(st, 3, boot);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s.n);
	for (size_t i = 0; i < XB_ARRAY_SIZE(col); i++)
		sqlite3_bind_double(st, 5 + (int)i, *col[i]);
	return step(in, st, "recording a summary");
}

/* All repetitions of metric m in one boot, pooled into one summary. */
static int summarize_metric(struct ingest *in, const struct xb_boot_record *b,
			    const size_t *series_metric, size_t m, int64_t metric)
{
	const struct xb_stream *s = b->stream;
	size_t n = 0, at = 0;
	double *pool;
	int rc;

	for (size_t i = 0; i < s->nseries; i++)
		if (series_metric[i] == m)
			n += s->series[i].n;
	if (!n)
		return 0;
	pool = xb_malloc(n * sizeof(*pool));
	for (size_t i = 0; i < s->nseries; i++) {
		if (series_metric[i] != m)
			continue;
		memcpy(pool + at, s->series[i].v, s->series[i].n * sizeof(*pool));
		at += s->series[i].n;
	}
	rc = insert_summary(in, b->idx, metric, pool, n);
	free(pool);
	return rc;
}

static int insert_note(struct ingest *in, int boot, const char *kind, const char *subject,
		       const char *text)
{
	sqlite3_stmt *st = in->note_add;

	sqlite3_bind_int64(st, 1, in->run_id);
	sqlite3_bind_int(st, 2, boot);
	bind_text(st, 3, kind);
	bind_text(st, 4, subject);
	bind_text(st, 5, text);
	return step(in, st, "recording a note");
}

/* A guest fact that changed between boots of one run is worth a warning. */
static int note_changed_facts(struct ingest *in, const struct xb_boot_record *b)
{
	const struct xb_stream *first = guest_stream(in->r);
	int rc = 0;

	for (size_t i = 0; !rc && first != b->stream && i < b->stream->hdr.n; i++) {
		const struct xb_kv *kv = &b->stream->hdr.v[i];
		const char *was = xb_kv_get(&first->hdr, kv->key);
		char *subject, *text;

		if (was && !strcmp(was, kv->value))
			continue;
		subject = xb_asprintf("guest.%s", kv->key);
		text = xb_asprintf("this boot reports '%s', the first reported '%s'",
				   kv->value, was ? was : "(nothing)");
		rc = insert_note(in, b->idx, "warning", subject, text);
		free(subject);
		free(text);
	}
	return rc;
}

static int insert_notes(struct ingest *in, const struct xb_boot_record *b)
{
	const struct xb_stream *s = b->stream;
	int rc = 0;

	for (size_t i = 0; !rc && i < s->nnotes; i++)
		rc = insert_note(in, b->idx, s->notes[i].kind, s->notes[i].subject,
				 s->notes[i].text);
	return rc ? rc : note_changed_facts(in, b);
}

static int insert_boot_results(struct ingest *in, const struct xb_boot_record *b)
{
	const struct xb_stream *s = b->stream;
	int64_t *ids = xb_malloc((s->nmetrics + 1) * sizeof(*ids));
	size_t *series_metric = xb_malloc((s->nseries + 1) * sizeof(*series_metric));
	int rc = 0;

	for (size_t m = 0; !rc && m < s->nmetrics; m++)
		rc = metric_id(in, &s->metrics[m], b->idx, &ids[m]);
	for (size_t i = 0; !rc && i < s->nseries; i++) {
		const struct xb_stream_metric *m = xb_stream_find_metric(s, s->series[i].metric);

		assert(m);
		series_metric[i] = (size_t)(m - s->metrics);
		rc = insert_series(in, b->idx, ids[series_metric[i]], &s->series[i]);
	}
	for (size_t m = 0; !rc && m < s->nmetrics; m++)
		rc = summarize_metric(in, b, series_metric, m, ids[m]);
	if (!rc)
		rc = insert_notes(in, b);
	free(ids);
	free(series_metric);
	return rc;
}

static int insert_all(struct ingest *in)
{
	int rc;

	rc = insert_run(in);
	if (!rc)
		rc = insert_fingerprint(in);
	if (!rc)
		rc = insert_boots(in);
	if (rc || strcmp(in->r->status, "finished"))
		return rc;
	for (size_t i = 0; !rc && i < in->r->nboots; i++)
		if (in->r->boots[i].stream)
			rc = insert_boot_results(in, &in->r->boots[i]);
	return rc;
}

int xb_db_record_run(struct xb_db *xdb, const struct xb_run_record *r, int64_t *out_run_id)
{
	sqlite3 *db = xdb->sql;
	struct ingest in = { .db = db, .r = r };
	int rc;

	rc = check_record(r);
	if (rc)
		return rc;
	rc = xb_db_exec(db, "BEGIN IMMEDIATE", "starting a transaction");
	if (rc)
		return rc;
	rc = prepare_all(&in);
	if (!rc)
		rc = insert_all(&in);
	finalize_all(&in);
	if (!rc)
		rc = xb_db_exec(db, "COMMIT", "committing the run");
	if (rc) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	if (out_run_id)
		*out_run_id = in.run_id;
	return 0;
}
