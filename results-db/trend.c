// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "trend.h"
#include "db-internal.h"
#include "error.h"
#include "stats.h"
#include "clock.h"

static int fail(sqlite3 *db, int src, const char *what)
{
	return xb_error_set(xb_db_errno(src), "database: %s failed: %s", what,
			    sqlite3_errmsg(db));
}

static char *col(sqlite3_stmt *st, int i)
{
	return xb_strdup((const char *)sqlite3_column_text(st, i));
}

/* One row per finished run with the fingerprint keys trends need; not
 * calibration runs (daxbench calibrate): their kernel carried injected work. */
static const char runs_sql[] =
	"SELECT r.id, r.uuid, coalesce(r.host, ''),"
	" max(CASE WHEN f.key = 'backend' THEN f.value END),"
	" max(CASE WHEN f.key = 'kernel.release' THEN f.value END),"
	" max(CASE WHEN f.key = 'guest.kernel.release' THEN f.value END),"
	" max(CASE WHEN f.key = 'kernel.package_version' THEN f.value END),"
	" max(CASE WHEN f.key = 'kernel.commit' THEN f.value END),"
	" max(CASE WHEN f.key = 'kernel.describe' THEN f.value END),"
	" max(CASE WHEN f.key = 'kernel.commit_date' THEN f.value END),"
	" max(CASE WHEN f.key = '" XB_FP_CLOCK "' THEN f.value END)"
	" FROM runs r LEFT JOIN fingerprint f ON f.run_id = r.id"
	" WHERE r.status = 'finished' AND r.id NOT IN"
	" (SELECT run_id FROM fingerprint WHERE key = 'inject.dax_fault_spin')"
	" GROUP BY r.id ORDER BY r.id";

static void fill_run(struct xb_trend_run *r, sqlite3_stmt *st, bool multi_host)
{
	const char *host = (const char *)sqlite3_column_text(st, 2);
	const char *backend = (const char *)sqlite3_column_text(st, 3);
	const char *rel = (const char *)sqlite3_column_text(st, 4);
	const char *pkg = (const char *)sqlite3_column_text(st, 6);
	const char *commit = (const char *)sqlite3_column_text(st, 7);
	const char *desc = (const char *)sqlite3_column_text(st, 8);
	const char *date = (const char *)sqlite3_column_text(st, 9);
	const char *clock = xb_clock_of((const char *)sqlite3_column_text(st, 10));

	if (!rel)
		rel = (const char *)sqlite3_column_text(st, 5);
	if (!rel)
		rel = "unknown";
	if (!backend)
		backend = "unknown";
	r->id = sqlite3_column_int64(st, 0);
	r->uuid = col(st, 1);
	/* wall keeps the series name it had before runs recorded a clock */
	r->series = xb_asprintf("%s%s%s%s%s", backend, multi_host ? "@" : "",
				multi_host ? host : "", strcmp(clock, "wall") ? " " : "",
				strcmp(clock, "wall") ? clock : "");
	if (commit) {
		r->point = xb_strdup(commit);
		r->label = desc ? xb_strdup(desc) : xb_strndup(commit, 12);
	} else {
		r->point = xb_asprintf("%s %s", rel, pkg ? pkg : "");
		r->label = desc ? xb_strdup(desc) : xb_strdup(rel);
	}
	r->order_ver = xb_strdup(desc ? desc : pkg ? pkg : rel);
	r->commit_date = date ? strtod(date, NULL) : NAN;
	r->clock = strcmp(clock, "icount") ? "wall" : "icount";
}

int xb_trend_runs_load(struct xb_trend_runs *out, struct xb_db *xdb)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	int src, hosts = 0;

	memset(out, 0, sizeof(*out));
	src = sqlite3_prepare_v2(db, "SELECT count(DISTINCT coalesce(host, '')) FROM runs"
				 " WHERE status = 'finished'", -1, &st, NULL);
	if (src == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		hosts = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	out->multi_host = hosts > 1;
	src = sqlite3_prepare_v2(db, runs_sql, -1, &st, NULL);
	if (src != SQLITE_OK)
		return fail(db, src, "reading runs");
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		out->v = xb_realloc(out->v, (out->n + 1) * sizeof(*out->v));
		fill_run(&out->v[out->n++], st, out->multi_host);
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE) {
		xb_trend_runs_free(out);
		return fail(db, src, "reading runs");
	}
	return 0;
}

void xb_trend_runs_free(struct xb_trend_runs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].uuid);
		free(r->v[i].series);
		free(r->v[i].point);
		free(r->v[i].label);
		free(r->v[i].order_ver);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int xb_trend_metrics(struct xb_metric_def **out, size_t *out_n, struct xb_db *xdb)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	int src;

	*out = NULL;
	*out_n = 0;
	src = sqlite3_prepare_v2(db,
		"SELECT id, name, unit, direction, coalesce(description, '') FROM metrics m"
		" WHERE EXISTS (SELECT 1 FROM summaries s JOIN runs r ON r.id = s.run_id"
		"  WHERE s.metric_id = m.id AND r.status = 'finished') ORDER BY name",
		-1, &st, NULL);
	if (src != SQLITE_OK)
		return fail(db, src, "reading metrics");
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct xb_metric_def *m;

		*out = xb_realloc(*out, (*out_n + 1) * sizeof(**out));
		m = &(*out)[(*out_n)++];
		m->id = sqlite3_column_int64(st, 0);
		m->name = col(st, 1);
		m->unit = col(st, 2);
		m->direction = col(st, 3);
		m->description = col(st, 4);
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE) {
		xb_metric_defs_free(*out, *out_n);
		*out = NULL;
		*out_n = 0;
		return fail(db, src, "reading metrics");
	}
	return 0;
}

static void metric_def_clear(struct xb_metric_def *m)
{
	free(m->name);
	free(m->unit);
	free(m->direction);
	free(m->description);
}

void xb_metric_defs_free(struct xb_metric_def *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		metric_def_clear(&m[i]);
	free(m);
}

/* One per-boot median of a run. */
struct obs {
	const struct xb_trend_run *run;
	double v;
};

static int cmp_obs(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;
	int c = strcmp(x->run->series, y->run->series);

	if (!c)
		c = strcmp(x->run->point, y->run->point);
	if (!c)
		c = x->run->id < y->run->id ? -1 : x->run->id > y->run->id;
	if (!c)
		c = x->v < y->v ? -1 : x->v > y->v;
	return c;
}

const struct xb_trend_run *xb_trend_runs_find(const struct xb_trend_runs *runs, int64_t id)
{
	size_t lo = 0, hi = runs->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (runs->v[mid].id == id)
			return &runs->v[mid];
		if (runs->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int load_obs(struct obs **out, size_t *out_n, sqlite3 *db,
		    const struct xb_trend_runs *runs, int64_t metric_id)
{
	sqlite3_stmt *st = NULL;
	int src;

	*out = NULL;
	*out_n = 0;
	src = sqlite3_prepare_v2(db, "SELECT run_id, median FROM summaries WHERE metric_id = ?",
				 -1, &st, NULL);
	if (src != SQLITE_OK)
		return fail(db, src, "reading summaries");
	sqlite3_bind_int64(st, 1, metric_id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const struct xb_trend_run *r = xb_trend_runs_find(runs, sqlite3_column_int64(st, 0));

		if (!r)   /* a failed run */
			continue;
		*out = xb_realloc(*out, (*out_n + 1) * sizeof(**out));
		(*out)[*out_n].run = r;
		(*out)[(*out_n)++].v = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return fail(db, src, "reading summaries");
	}
	return 0;
}

/* The point of obs[a..b) (one series, one kernel). */
static void make_point(struct xb_trend_point *p, const struct obs *o, size_t a, size_t b)
{
	size_t n = b - a;
	double *v = xb_malloc(n * sizeof(*v));
	struct xb_summary s;

	memset(p, 0, sizeof(*p));
	p->first = o[a].run;
	for (size_t i = a, r = a; i < b; i++) {
		v[i - a] = o[i].v;
		if (!p->nruns || p->runs[p->nruns - 1] != o[i].run->id) {
			p->runs = xb_realloc(p->runs, (p->nruns + 1) * sizeof(*p->runs));
			p->run_medians = xb_realloc(p->run_medians,
						    (p->nruns + 1) * sizeof(*p->run_medians));
			p->runs[p->nruns++] = o[i].run->id;
			r = i;
		}
		/* a run's obs are sorted by value: v[r - a .. i - a] */
		p->run_medians[p->nruns - 1] = xb_stats_quantile_sorted(v + (r - a), i - r + 1, 0.5);
	}
	/* obs are sorted by value within a run only: sort the pool */
	xb_stats_summarize(&s, v, n);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	p->nboots = n;
	p->median = s.median;
	p->min = s.min;
	p->max = s.max;
	p->q1 = xb_stats_quantile_sorted(v, n, 0.25);
	p->q3 = xb_stats_quantile_sorted(v, n, 0.75);
	free(v);
}

static bool sort_by_date;

static int cmp_point(const void *a, const void *b)
{
	const struct xb_trend_run *x = ((const struct xb_trend_point *)a)->first;
	const struct xb_trend_run *y = ((const struct xb_trend_point *)b)->first;
	int c = 0;

	if (sort_by_date && x->commit_date != y->commit_date)
		return x->commit_date < y->commit_date ? -1 : 1;
	if (!sort_by_date)
		c = xb_dpkg_vercmp(x->order_ver, y->order_ver);
	return c ? c : strcmp(x->point, y->point);
}

static void order_series(struct xb_trend_series *s)
{
	s->by_date = true;
	for (size_t i = 0; i < s->n; i++)
		if (isnan(s->pts[i].first->commit_date))
			s->by_date = false;
	sort_by_date = s->by_date;
	qsort(s->pts, s->n, sizeof(*s->pts), cmp_point);
}

static void group(struct xb_trend *t, const struct obs *o, size_t n)
{
	size_t i = 0;

	while (i < n) {
		struct xb_trend_series *s;
		size_t j = i;

		t->series = xb_realloc(t->series, (t->nseries + 1) * sizeof(*t->series));
		s = &t->series[t->nseries++];
		memset(s, 0, sizeof(*s));
		s->name = xb_strdup(o[i].run->series);
		s->clock = o[i].run->clock;
		while (j < n && !strcmp(o[j].run->series, s->name)) {
			size_t k = j;

			while (k < n && !strcmp(o[k].run->series, s->name) &&
			       !strcmp(o[k].run->point, o[j].run->point))
				k++;
			s->pts = xb_realloc(s->pts, (s->n + 1) * sizeof(*s->pts));
			make_point(&s->pts[s->n++], o, j, k);
			j = k;
		}
		order_series(s);
		i = j;
	}
}

int xb_trend_load(struct xb_trend **out, struct xb_db *xdb, const struct xb_trend_runs *runs,
		  const struct xb_metric_def *m)
{
	sqlite3 *db = xdb->sql;
	struct xb_trend *t;
	struct obs *o;
	size_t n;
	int rc;

	*out = NULL;
	rc = load_obs(&o, &n, db, runs, m->id);
	if (rc)
		return rc;
	qsort(o, n, sizeof(*o), cmp_obs);
	t = xb_malloc(sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->m.id = m->id;
	t->m.name = xb_strdup(m->name);
	t->m.unit = xb_strdup(m->unit);
	t->m.direction = xb_strdup(m->direction);
	t->m.description = xb_strdup(m->description);
	group(t, o, n);
	free(o);
	*out = t;
	return 0;
}

void xb_trend_free(struct xb_trend *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nseries; i++) {
		for (size_t j = 0; j < t->series[i].n; j++) {
			free(t->series[i].pts[j].runs);
			free(t->series[i].pts[j].run_medians);
		}
		free(t->series[i].pts);
		free(t->series[i].name);
	}
	free(t->series);
	metric_def_clear(&t->m);
	free(t);
}

double xb_trend_change_pct(double a, double b)
{
	return a == 0 ? NAN : 100.0 * (b - a) / fabs(a);
}

static int regression_of(const char *direction, double before, double after)
{
	if (!strcmp(direction, "lower"))
		return after > before;
	if (!strcmp(direction, "higher"))
		return after < before;
	return -1;
}

static int store_cp(sqlite3 *db, const struct xb_trend *t, const struct xb_trend_series *s,
		    struct xb_trend_cp *c, double now)
{
	static const char sql[] =
		"INSERT INTO changepoints (metric_id, series, point, prev_point, before, after,"
		" change_pct, p, level, regression, first_seen, last_seen)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
		" ON CONFLICT (metric_id, series, point) DO UPDATE SET prev_point = ?4,"
		" before = ?5, after = ?6, change_pct = ?7, p = ?8, level = ?9,"
		" regression = ?10, last_seen = ?11 RETURNING first_seen";
	double pct = xb_trend_change_pct(c->cp.before, c->cp.after);
	sqlite3_stmt *st = NULL;
	int src;

	src = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (src != SQLITE_OK)
		return fail(db, src, "storing a change point");
	sqlite3_bind_int64(st, 1, t->m.id);
	sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->at->first->point, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->prev->first->point, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 5, c->cp.before);
	sqlite3_bind_double(st, 6, c->cp.after);
	if (isnan(pct))
		sqlite3_bind_null(st, 7);
	else
		sqlite3_bind_double(st, 7, pct);
	sqlite3_bind_double(st, 8, c->cp.p);
	sqlite3_bind_text(st, 9, c->cp.level == XB_CP_CONFIRMED ? "confirmed" : "weak", -1,
			  SQLITE_STATIC);
	if (c->regression < 0)
		sqlite3_bind_null(st, 10);
	else
		sqlite3_bind_int(st, 10, c->regression);
	sqlite3_bind_double(st, 11, now);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW)
		c->is_new = sqlite3_column_double(st, 0) == now;
	src = sqlite3_finalize(st);
	return src == SQLITE_OK ? 0 : fail(db, src, "storing a change point");
}

static int delete_stale(sqlite3 *db, const struct xb_trend *t, const struct xb_trend_series *s,
			double now)
{
	sqlite3_stmt *st = NULL;
	int src;

	src = sqlite3_prepare_v2(db, "DELETE FROM changepoints WHERE metric_id = ? AND"
				 " series = ? AND last_seen < ?", -1, &st, NULL);
	if (src != SQLITE_OK)
		return fail(db, src, "updating change points");
	sqlite3_bind_int64(st, 1, t->m.id);
	sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 3, now);
	sqlite3_step(st);
	src = sqlite3_finalize(st);
	return src == SQLITE_OK ? 0 : fail(db, src, "updating change points");
}

int xb_trend_changepoints(struct xb_trend_cp **out, size_t *out_n, struct xb_db *xdb,
			  const struct xb_trend *t, const struct xb_trend_series *s,
			  const struct xb_cp_options *o, double now,
			  size_t **out_outliers, size_t *out_noutliers)
{
	sqlite3 *db = xdb ? xdb->sql : NULL;
	struct xb_cp_result r;
	double *x = xb_malloc((s->n + 1) * sizeof(*x));
	int rc;

	*out = NULL;
	*out_n = 0;
	for (size_t i = 0; i < s->n; i++)
		x[i] = s->pts[i].median;
	rc = xb_cp_detect(&r, x, s->n, o);
	free(x);
	if (rc)
		return xb_error_set(rc, "change point detection of %s failed", t->m.name);
	*out = xb_malloc((r.ncps + 1) * sizeof(**out));
	for (size_t i = 0; i < r.ncps && !rc; i++) {
		struct xb_trend_cp *c = &(*out)[(*out_n)++];

		c->cp = r.cps[i];
		c->at = &s->pts[r.cps[i].idx];
		c->prev = &s->pts[r.cps[i].idx - 1];
		c->regression = regression_of(t->m.direction, c->cp.before, c->cp.after);
		c->is_new = false;
		if (db)
			rc = store_cp(db, t, s, c, now);
	}
	if (!rc && db)
		rc = delete_stale(db, t, s, now);
	if (out_outliers) {
		*out_outliers = r.outliers;
		*out_noutliers = r.noutliers;
		r.outliers = NULL;
	}
	xb_cp_result_free(&r);
	return rc;
}

static void metric_free(struct xb_trend_metric *m)
{
	for (size_t s = 0; m->t && s < m->t->nseries; s++) {
		free(m->cps[s]);
		free(m->outliers[s]);
	}
	free(m->cps);
	free(m->ncps);
	free(m->outliers);
	free(m->noutliers);
	xb_trend_free(m->t);
}

void xb_trend_analysis_free(struct xb_trend_analysis *a)
{
	for (size_t i = 0; i < a->n; i++)
		metric_free(&a->m[i]);
	free(a->m);
	xb_metric_defs_free(a->defs, a->n);
	xb_trend_runs_free(&a->runs);
	memset(a, 0, sizeof(*a));
}

static int analyze_metric(struct xb_trend_metric *out, struct xb_db *db,
			  const struct xb_trend_analysis *a, const struct xb_metric_def *m,
			  const struct xb_cp_options *o)
{
	size_t ns;
	int rc;

	rc = xb_trend_load(&out->t, db, &a->runs, m);
	if (rc)
		return rc;
	ns = out->t->nseries;
	out->cps = calloc(ns + 1, sizeof(*out->cps));
	out->ncps = calloc(ns + 1, sizeof(*out->ncps));
	out->outliers = calloc(ns + 1, sizeof(*out->outliers));
	out->noutliers = calloc(ns + 1, sizeof(*out->noutliers));
	if (!out->cps || !out->ncps || !out->outliers || !out->noutliers)
		abort();
	for (size_t s = 0; !rc && s < ns; s++)
		rc = xb_trend_changepoints(&out->cps[s], &out->ncps[s], db, out->t,
					   &out->t->series[s], o, a->now,
					   &out->outliers[s], &out->noutliers[s]);
	return rc;
}

int xb_trend_analyze(struct xb_trend_analysis *out, struct xb_db *xdb,
		     const struct xb_cp_options *o, double now)
{
	sqlite3 *db = xdb->sql;
	size_t nm = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->now = now;
	out->opts = *o;
	rc = xb_trend_runs_load(&out->runs, xdb);
	if (!rc)
		rc = xb_trend_metrics(&out->defs, &nm, xdb);
	if (rc)
		goto out;
	out->m = calloc(nm + 1, sizeof(*out->m));
	if (!out->m)
		abort();
	out->n = nm;
	/* one transaction: a failed analysis leaves the stored change points
	 * as they were */
	rc = xb_db_exec(db, "BEGIN IMMEDIATE", "storing change points");
	for (size_t i = 0; !rc && i < nm; i++)
		rc = analyze_metric(&out->m[i], xdb, out, &out->defs[i], o);
	if (!rc)
		rc = xb_db_exec(db, "COMMIT", "storing change points");
	else
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	if (rc)
		xb_trend_analysis_free(out);
	return rc;
}
