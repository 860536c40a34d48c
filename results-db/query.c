// SPDX-License-Identifier: GPL-2.0
/* Reading runs back from the results database. No printing here. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "query.h"
#include "error.h"
#include "db-internal.h"

/* A growable array of doubles. */
struct dvec {
	double *v;
	size_t n;
	size_t cap;
};

static void dvec_add(struct dvec *d, const double *v, size_t n)
{
	if (d->n + n > d->cap) {
		d->cap = d->n + n > 2 * d->cap ? d->n + n : 2 * d->cap;
		d->v = xb_realloc(d->v, d->cap * sizeof(*d->v));
	}
	memcpy(d->v + d->n, v, n * sizeof(*v));
	d->n += n;
}

static int db_error(sqlite3 *db, int src, const char *what)
{
	return xb_error_set(xb_db_errno(src), "database %s: %s failed: %s",
			    sqlite3_db_filename(db, "main"), what, sqlite3_errmsg(db));
}

static int prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql)
{
	int src = sqlite3_prepare_v2(db, sql, -1, st, NULL);

	return src == SQLITE_OK ? 0 : db_error(db, src, "preparing a query");
}

static char *col_str(sqlite3_stmt *st, int i)
{
	return xb_strdup((const char *)sqlite3_column_text(st, i));
}

void xb_query_decode_samples(double *out, const void *blob, size_t n)
{
	const unsigned char *p = blob;

	for (size_t i = 0; i < n; i++) {
		uint64_t u = 0;

		for (int b = 7; b >= 0; b--)
			u = (u << 8) | p[8 * i + (size_t)b];
		memcpy(&out[i], &u, sizeof(u));
	}
}

/* Columns shared by list and load, in this order. */
#define RUN_COLUMNS \
	"r.id, r.uuid, r.label, r.suite, r.status, r.reason, r.started_at, r.ended_at, " \
	"coalesce((SELECT value FROM fingerprint WHERE run_id = r.id AND key = 'kernel.release'), " \
	"         (SELECT value FROM fingerprint WHERE run_id = r.id " \
	"          AND key = 'guest.kernel.release')), " \
	"(SELECT value FROM fingerprint WHERE run_id = r.id AND key = 'backend'), " \
	"(SELECT count(DISTINCT metric_id) FROM summaries WHERE run_id = r.id)"
#define RUN_NCOLUMNS 11

static void read_run_info(struct xb_run_info *ri, sqlite3_stmt *st)
{
	ri->id = sqlite3_column_int64(st, 0);
	ri->uuid = col_str(st, 1);
	ri->label = col_str(st, 2);
	ri->suite = col_str(st, 3);
	ri->status = col_str(st, 4);
	ri->reason = col_str(st, 5);
	ri->started = sqlite3_column_double(st, 6);
	ri->ended = sqlite3_column_double(st, 7);
	ri->kernel_release = col_str(st, 8);
	ri->backend = col_str(st, 9);
	ri->nmetrics = (size_t)sqlite3_column_int64(st, 10);
}

static void run_info_free(struct xb_run_info *ri)
{
	free(ri->uuid);
	free(ri->label);
	free(ri->suite);
	free(ri->status);
	free(ri->reason);
	free(ri->kernel_release);
	free(ri->backend);
}

int xb_query_list_runs(struct xb_run_list *out, struct xb_db *xdb,
		       const struct xb_list_filter *filter)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, src;

	memset(out, 0, sizeof(*out));
	rc = prepare(db, &st, "SELECT " RUN_COLUMNS " FROM runs r "
		     "WHERE ?1 IS NULL OR r.status = ?1 "
		     "ORDER BY r.started_at DESC, r.id DESC LIMIT ?2");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, filter ? filter->status : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, filter && filter->limit ? (sqlite3_int64)filter->limit : -1);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? 2 * cap : 16;
			out->runs = xb_realloc(out->runs, cap * sizeof(*out->runs));
		}
		read_run_info(&out->runs[out->n++], st);
	}
	if (src != SQLITE_DONE) {
		rc = db_error(db, src, "listing runs");
		xb_run_list_free(out);
	}
	sqlite3_finalize(st);
	return rc;
}

void xb_run_list_free(struct xb_run_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		run_info_free(&l->runs[i]);
	free(l->runs);
	l->runs = NULL;
	l->n = 0;
}

static bool is_decimal(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 19;
}

static bool is_uuid_prefix(const char *s)
{
	return strlen(s) >= XB_QUERY_MIN_PREFIX &&
	       strspn(s, "0123456789abcdefABCDEF-") == strlen(s);
}

/* At most two matches are fetched: one to answer, a second to see ambiguity. */
static int match_runs(int64_t *ids, size_t *out_n, sqlite3 *db, const char *sel)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	*out_n = 0;
	rc = prepare(db, &st, "SELECT id FROM runs WHERE id = ?1 "
		     "OR substr(uuid, 1, length(?2)) = lower(?2) "
		     "ORDER BY started_at DESC, id DESC LIMIT 2");
	if (rc)
		return rc;
	if (is_decimal(sel))
		sqlite3_bind_int64(st, 1, strtoll(sel, NULL, 10));
	if (is_uuid_prefix(sel))
		sqlite3_bind_text(st, 2, sel, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(st)) == SQLITE_ROW)
		ids[(*out_n)++] = sqlite3_column_int64(st, 0);
	if (src != SQLITE_DONE)
		rc = db_error(db, src, "looking up the run");
	sqlite3_finalize(st);
	return rc;
}

static int latest_run(int64_t *out_id, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prepare(db, &st, "SELECT id FROM runs ORDER BY started_at DESC, id DESC "
		     "LIMIT 1");
	if (rc)
		return rc;
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		*out_id = sqlite3_column_int64(st, 0);
	} else if (src == SQLITE_DONE) {
		rc = xb_error_set(-ENOENT, "database %s holds no runs yet: run `daxbench run` "
				  "first", sqlite3_db_filename(db, "main"));
	} else {
		rc = db_error(db, src, "looking up the latest run");
	}
	sqlite3_finalize(st);
	return rc;
}

int xb_query_resolve_run(int64_t *out_id, struct xb_db *xdb, const char *selector)
{
	sqlite3 *db = xdb->sql;
	int64_t ids[2];
	size_t n;
	int rc;

	if (!selector || !strcmp(selector, "latest"))
		return latest_run(out_id, db);
	rc = match_runs(ids, &n, db, selector);
	if (rc)
		return rc;
	if (n == 0)
		return xb_error_set(-ENOENT, "no run matches '%s' (see daxbench list)",
				    selector);
	if (n > 1)
		return xb_error_set(-ENOTUNIQ, "'%s' matches several runs: give more of the "
				    "uuid (see daxbench list)", selector);
	*out_id = ids[0];
	return 0;
}

static int load_info(struct xb_run_detail *d, sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prepare(db, &st, "SELECT " RUN_COLUMNS ", r.host, r.console_tail, r.artifacts "
		     "FROM runs r WHERE r.id = ?");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		read_run_info(&d->info, st);
		d->host = col_str(st, RUN_NCOLUMNS);
		d->console_tail = col_str(st, RUN_NCOLUMNS + 1);
		d->artifacts = col_str(st, RUN_NCOLUMNS + 2);
	} else if (src == SQLITE_DONE) {
		rc = xb_error_set(-ENOENT, "no run with id %lld in database %s", (long long)id,
				  sqlite3_db_filename(db, "main"));
	} else {
		rc = db_error(db, src, "loading the run");
	}
	sqlite3_finalize(st);
	return rc;
}

static int load_fingerprint(struct xb_run_detail *d, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prepare(db, &st, "SELECT key, value FROM fingerprint WHERE run_id = ? "
		     "ORDER BY key");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, d->info.id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW)
		xb_kv_add(&d->fingerprint, (const char *)sqlite3_column_text(st, 0),
			  (const char *)sqlite3_column_text(st, 1));
	if (src != SQLITE_DONE)
		rc = db_error(db, src, "loading the fingerprint");
	sqlite3_finalize(st);
	return rc;
}

static int load_boots(struct xb_run_detail *d, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, src;

	rc = prepare(db, &st, "SELECT idx, started_at, ended_at, accel, status, reason "
		     "FROM boots WHERE run_id = ? ORDER BY idx");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, d->info.id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct xb_boot_info *b;

		if (d->nboots == cap) {
			cap = cap ? 2 * cap : 8;
			d->boots = xb_realloc(d->boots, cap * sizeof(*d->boots));
		}
		b = &d->boots[d->nboots++];
		b->idx = sqlite3_column_int(st, 0);
		b->started = sqlite3_column_double(st, 1);
		b->ended = sqlite3_column_double(st, 2);
		b->accel = col_str(st, 3);
		b->status = col_str(st, 4);
		b->reason = col_str(st, 5);
	}
	if (src != SQLITE_DONE)
		rc = db_error(db, src, "loading the boots");
	sqlite3_finalize(st);
	return rc;
}

static int load_notes(struct xb_run_detail *d, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, src;

	rc = prepare(db, &st, "SELECT boot, kind, subject, text FROM notes "
		     "WHERE run_id = ? ORDER BY boot, rowid");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, d->info.id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct xb_note_info *nt;

		if (d->nnotes == cap) {
			cap = cap ? 2 * cap : 8;
			d->notes = xb_realloc(d->notes, cap * sizeof(*d->notes));
		}
		nt = &d->notes[d->nnotes++];
		nt->boot = sqlite3_column_int(st, 0);
		nt->kind = col_str(st, 1);
		nt->subject = col_str(st, 2);
		nt->text = col_str(st, 3);
	}
	if (src != SQLITE_DONE)
		rc = db_error(db, src, "loading the notes");
	sqlite3_finalize(st);
	return rc;
}

/* Rows arrive ordered by metric name, boot, rep; these accumulate one metric. */
struct metric_acc {
	struct xb_metric_result *m;
	struct dvec all;
	struct dvec boot;
	size_t boot_reps;
	int boot_idx;
};

static void finish_boot(struct metric_acc *a)
{
	struct xb_metric_result *m = a->m;
	struct xb_boot_summary *bs;

	if (!a->boot_reps)
		return;
	m->boots = xb_realloc(m->boots, (m->nboots + 1) * sizeof(*m->boots));
	bs = &m->boots[m->nboots++];
	bs->boot = a->boot_idx;
	bs->nreps = a->boot_reps;
	xb_stats_summarize(&bs->s, a->boot.v, a->boot.n);
	a->boot.n = 0;
	a->boot_reps = 0;
}

static void finish_metric(struct metric_acc *a)
{
	if (!a->m)
		return;
	finish_boot(a);
	xb_stats_summarize(&a->m->all, a->all.v, a->all.n);
	a->all.n = 0;
	a->m = NULL;
}

static void start_metric(struct metric_acc *a, struct xb_run_detail *d, sqlite3_stmt *st)
{
	struct xb_metric_result *m;

	finish_metric(a);
	d->metrics = xb_realloc(d->metrics, (d->nmetrics + 1) * sizeof(*d->metrics));
	m = &d->metrics[d->nmetrics++];
	memset(m, 0, sizeof(*m));
	m->name = col_str(st, 0);
	m->unit = col_str(st, 1);
	m->direction = col_str(st, 2);
	m->description = col_str(st, 3);
	a->m = m;
}

static int add_sample_row(struct metric_acc *a, struct xb_run_detail *d, sqlite3_stmt *st)
{
	int boot = sqlite3_column_int(st, 4);
	sqlite3_int64 n = sqlite3_column_int64(st, 5);
	const void *blob = sqlite3_column_blob(st, 6);
	double *v;

	if (n <= 0 || sqlite3_column_bytes(st, 6) != 8 * n) {
		return xb_error_set(-EBADMSG, "run %lld: a samples row of %s is corrupt "
				    "(%lld values in %d bytes)", (long long)d->info.id,
				    (const char *)sqlite3_column_text(st, 0), (long long)n,
				    sqlite3_column_bytes(st, 6));
	}
	if (!a->m || strcmp(a->m->name, (const char *)sqlite3_column_text(st, 0)))
		start_metric(a, d, st);
	else if (boot != a->boot_idx)
		finish_boot(a);
	a->boot_idx = boot;
	v = xb_malloc((size_t)n * sizeof(*v));
	xb_query_decode_samples(v, blob, (size_t)n);
	dvec_add(&a->all, v, (size_t)n);
	dvec_add(&a->boot, v, (size_t)n);
	free(v);
	a->boot_reps++;
	a->m->nreps++;
	return 0;
}

static int load_metrics(struct xb_run_detail *d, sqlite3 *db)
{
	struct metric_acc a = { 0 };
	sqlite3_stmt *st = NULL;
	int rc, src;

	rc = prepare(db, &st, "SELECT m.name, m.unit, m.direction, m.description, "
		     "s.boot, s.n, s.vals FROM samples s JOIN metrics m ON m.id = s.metric_id "
		     "WHERE s.run_id = ? ORDER BY m.name, s.boot, s.rep");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, d->info.id);
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW)
		rc = add_sample_row(&a, d, st);
	if (!rc && src != SQLITE_DONE)
		rc = db_error(db, src, "loading the samples");
	finish_metric(&a);
	free(a.all.v);
	free(a.boot.v);
	sqlite3_finalize(st);
	return rc;
}

int xb_query_load_run(struct xb_run_detail **out, struct xb_db *xdb, int64_t id)
{
	sqlite3 *db = xdb->sql;
	struct xb_run_detail *d = xb_malloc(sizeof(*d));
	int rc;

	*out = NULL;
	memset(d, 0, sizeof(*d));
	rc = load_info(d, db, id);
	if (!rc)
		rc = load_fingerprint(d, db);
	if (!rc)
		rc = load_boots(d, db);
	if (!rc)
		rc = load_notes(d, db);
	if (!rc)
		rc = load_metrics(d, db);
	if (rc) {
		xb_run_detail_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void xb_run_detail_free(struct xb_run_detail *d)
{
	if (!d)
		return;
	run_info_free(&d->info);
	free(d->host);
	free(d->console_tail);
	free(d->artifacts);
	xb_kv_free(&d->fingerprint);
	for (size_t i = 0; i < d->nboots; i++) {
		free(d->boots[i].accel);
		free(d->boots[i].status);
		free(d->boots[i].reason);
	}
	free(d->boots);
	for (size_t i = 0; i < d->nnotes; i++) {
		free(d->notes[i].kind);
		free(d->notes[i].subject);
		free(d->notes[i].text);
	}
	free(d->notes);
	for (size_t i = 0; i < d->nmetrics; i++) {
		free(d->metrics[i].name);
		free(d->metrics[i].unit);
		free(d->metrics[i].direction);
		free(d->metrics[i].description);
		free(d->metrics[i].boots);
	}
	free(d->metrics);
	free(d);
}

void xb_pooled_free(struct xb_pooled_list *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->m[i].name);
		free(p->m[i].v);
	}
	free(p->m);
	memset(p, 0, sizeof(*p));
}

int xb_query_pooled_samples(struct xb_pooled_list *out, struct xb_db *xdb, int64_t run,
			    const char *glob)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	int src;

	memset(out, 0, sizeof(*out));
	src = sqlite3_prepare_v2(db, "SELECT m.name, s.n, s.vals FROM samples s JOIN metrics m"
				 " ON m.id = s.metric_id WHERE s.run_id = ? AND m.name GLOB ?"
				 " ORDER BY m.id, s.boot, s.rep", -1, &st, NULL);
	if (src != SQLITE_OK)
		return xb_error_set(xb_db_errno(src), "reading samples: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, glob, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *mn = (const char *)sqlite3_column_text(st, 0);
		size_t n = (size_t)sqlite3_column_int64(st, 1);
		struct xb_pooled *k;

		if (!out->n || strcmp(out->m[out->n - 1].name, mn)) {
			out->m = xb_realloc(out->m, (out->n + 1) * sizeof(*out->m));
			out->m[out->n++] = (struct xb_pooled){ .name = xb_strdup(mn) };
		}
		k = &out->m[out->n - 1];
		k->v = xb_realloc(k->v, (k->n + n) * sizeof(double));
		xb_query_decode_samples(k->v + k->n, sqlite3_column_blob(st, 2), n);
		k->n += n;
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE) {
		xb_pooled_free(out);
		return xb_error_set(xb_db_errno(src), "reading samples: %s", sqlite3_errmsg(db));
	}
	for (size_t i = 0; i < out->n; i++)
		qsort(out->m[i].v, out->m[i].n, sizeof(double), xb_cmp_double);
	return 0;
}

int xb_query_fingerprint(struct xb_kvlist *out, struct xb_db *xdb, int64_t run)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	int src;

	memset(out, 0, sizeof(*out));
	src = sqlite3_prepare_v2(db, "SELECT key, value FROM fingerprint WHERE run_id = ?"
				 " ORDER BY key", -1, &st, NULL);
	if (src != SQLITE_OK)
		return db_error(db, src, "reading a fingerprint");
	sqlite3_bind_int64(st, 1, run);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);

		xb_kv_add(out, k ? k : "", v ? v : "");
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE) {
		xb_kv_free(out);
		return db_error(db, src, "reading a fingerprint");
	}
	return 0;
}

int xb_query_summary_median(double *out_median, int64_t *out_n, struct xb_db *xdb,
			    int64_t run, const char *metric)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	int src, rc = -ENOENT;

	src = sqlite3_prepare_v2(db, "SELECT su.median, su.n FROM summaries su JOIN metrics m "
				 "ON m.id = su.metric_id WHERE su.run_id = ? AND m.name = ?",
				 -1, &st, NULL);
	if (src != SQLITE_OK)
		return db_error(db, src, "reading a summary");
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		*out_median = sqlite3_column_double(st, 0);
		*out_n = sqlite3_column_int64(st, 1);
		rc = 0;
	} else if (src != SQLITE_DONE) {
		rc = db_error(db, src, "reading a summary");
	} else {
		rc = xb_error_set(-ENOENT, "run %lld has no summary of %s", (long long)run, metric);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Newest run first, so the first run seen of a backend+kernel is kept. */
static const char capprobe_sql[] =
	"SELECT r.id, coalesce(b.value, '?'), "
	"  coalesce(k.value, (SELECT value FROM fingerprint WHERE run_id = r.id "
	"                     AND key = 'guest.kernel.release'), '?'), "
	"  substr(n.subject, 10), n.text "
	"FROM runs r JOIN notes n ON n.run_id = r.id "
	"LEFT JOIN fingerprint b ON b.run_id = r.id AND b.key = 'backend' "
	"LEFT JOIN fingerprint k ON k.run_id = r.id AND k.key = 'kernel.release' "
	"WHERE r.status = 'finished' AND n.kind = 'info' AND n.subject LIKE 'capprobe.%' "
	"ORDER BY r.started_at DESC, r.id DESC, n.rowid";

static char *col_str_empty(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return xb_strdup(s ? (const char *)s : "");
}

void xb_capprobe_notes_free(struct xb_capprobe_note *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].backend);
		free(v[i].kernel);
		free(v[i].probe);
		free(v[i].text);
	}
	free(v);
}

int xb_query_capprobes(struct xb_capprobe_note **out, size_t *out_n, struct xb_db *xdb)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int src;

	*out = NULL;
	*out_n = 0;
	src = sqlite3_prepare_v2(db, capprobe_sql, -1, &st, NULL);
	if (src != SQLITE_OK)
		return xb_error_set(-EIO, "reading capability probes: %s", sqlite3_errmsg(db));
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xb_realloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = (struct xb_capprobe_note){
			.run_id = sqlite3_column_int64(st, 0),
			.backend = col_str_empty(st, 1), .kernel = col_str_empty(st, 2),
			.probe = col_str_empty(st, 3), .text = col_str_empty(st, 4) };
	}
	*out_n = n;
	if (src != SQLITE_DONE)
		src = xb_error_set(-EIO, "reading capability probes: %s", sqlite3_errmsg(db));
	else
		src = 0;
	sqlite3_finalize(st);
	return src;
}
