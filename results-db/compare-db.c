// SPDX-License-Identifier: GPL-2.0
/* Comparisons against the results database (compare-db.h). No printing. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "compare-db.h"
#include "db-internal.h"
#include "error.h"
#include "clock.h"

const char *const xb_cmp_stat_names[3] = { "p50", "p90", "p99" };

/* A comparison across these is a comparison of different experiments;
 * across clocks, of different units (instructions against nanoseconds). */
const char *const xb_cmp_refuse_keys[] = {
	"backend", "suite", "suite.sha256", "daxbench.commit", XB_FP_CLOCK, "inject.dax_fault_spin",
	NULL,
};

static int db_error(sqlite3 *db, const char *what)
{
	return xb_error_set(xb_db_errno(sqlite3_errcode(db)), "database %s: %s failed: %s",
			    sqlite3_db_filename(db, "main"), what, sqlite3_errmsg(db));
}

void xb_id_list_free(struct xb_id_list *l)
{
	free(l->ids);
	l->ids = NULL;
	l->n = 0;
}

/* --- selectors ----------------------------------------------------------- */

static bool is_decimal(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 19;
}

static bool is_uuid_prefix(const char *s)
{
	return strlen(s) >= 8 && strspn(s, "0123456789abcdefABCDEF-") == strlen(s);
}

/* Bindings collected while building the WHERE clause. */
struct binds {
	char *text[32];
	int64_t num[32];
	bool is_num[32];
	int n;
};

static void bind_text(struct xb_buf *w, struct binds *b, const char *sql, const char *v)
{
	xb_buf_adds(w, sql);
	b->text[b->n] = xb_strdup(v);
	b->is_num[b->n++] = false;
}

static void bind_num(struct xb_buf *w, struct binds *b, const char *sql, int64_t v)
{
	xb_buf_adds(w, sql);
	b->num[b->n] = v;
	b->is_num[b->n++] = true;
}

/* Unix seconds of "YYYY-MM-DD[THH:MM[:SS]][Z]" (UTC) or of a plain number. */
static int parse_time(int64_t *out, sqlite3 *db, const char *s)
{
	sqlite3_stmt *st = NULL;
	int rc = -EINVAL;

	if (is_decimal(s)) {
		*out = strtoll(s, NULL, 10);
		return 0;
	}
	if (sqlite3_prepare_v2(db, "SELECT CAST(strftime('%s', ?) AS INTEGER), "
			       "strftime('%s', ?) IS NULL", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, s, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && !sqlite3_column_int(st, 1)) {
		*out = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

#define FP_MATCH "EXISTS (SELECT 1 FROM fingerprint f WHERE f.run_id = r.id AND "

static int add_term(struct xb_buf *w, struct binds *b, sqlite3 *db, const char *t)
{
	const char *colon = strchr(t, ':'), *v = colon ? colon + 1 : "";
	size_t klen = colon ? (size_t)(colon - t) : 0;
	long long lo, hi;
	int64_t when;

	if (b->n > 28)
		return xb_error_set(-EINVAL, "selector has too many terms (at most 28)");
	xb_buf_adds(w, " AND ");
	if (!strcmp(t, "latest")) {
		xb_buf_adds(w, "r.id = (SELECT id FROM runs WHERE status = 'finished' "
			    "ORDER BY started_at DESC, id DESC LIMIT 1)");
	} else if (is_decimal(t) || (klen == 2 && !strncmp(t, "id", 2) && is_decimal(v))) {
		bind_num(w, b, "r.id = ?", strtoll(colon ? v : t, NULL, 10));
	} else if (klen == 2 && !strncmp(t, "id", 2) &&
		   sscanf(v, "%lld-%lld", &lo, &hi) == 2 && lo <= hi) {
		bind_num(w, b, "r.id >= ?", lo);
		bind_num(w, b, " AND r.id <= ?", hi);
	} else if (!colon && is_uuid_prefix(t)) {
		bind_text(w, b, "instr(r.uuid, lower(?)) = 1", t);
	} else if (klen == 4 && !strncmp(t, "uuid", 4) && *v) {
		bind_text(w, b, "instr(r.uuid, lower(?)) = 1", v);
	} else if (klen == 5 && !strncmp(t, "label", 5) && *v) {
		bind_text(w, b, "r.label GLOB ?", v);
	} else if (klen == 6 && !strncmp(t, "kernel", 6) && *v) {
		/* the release daxbench booted; what the guest said only when
		 * the host side did not record it (as daxbench list shows) */
		bind_text(w, b, "coalesce((SELECT value FROM fingerprint WHERE run_id = "
			  "r.id AND key = 'kernel.release'), (SELECT value FROM "
			  "fingerprint WHERE run_id = r.id AND key = "
			  "'guest.kernel.release')) GLOB ?", v);
	} else if (klen == 6 && !strncmp(t, "commit", 6) && *v) {
		bind_text(w, b, FP_MATCH "f.key = 'daxbench.commit' AND "
			  "instr(f.value, lower(?)) = 1)", v);
	} else if (klen == 2 && !strncmp(t, "fp", 2) && strchr(v, '=') && *v != '=') {
		char *key = xb_strndup(v, (size_t)(strchr(v, '=') - v));

		bind_text(w, b, FP_MATCH "f.key = ?", key);
		bind_text(w, b, " AND f.value GLOB ?)", strchr(v, '=') + 1);
		free(key);
	} else if ((klen == 5 && !strncmp(t, "since", 5)) ||
		   (klen == 5 && !strncmp(t, "until", 5))) {
		if (parse_time(&when, db, v))
			return xb_error_set(-EINVAL, "bad time '%s' in selector term '%s': "
					    "give YYYY-MM-DD[THH:MM[:SS]] (UTC) or unix seconds",
					    v, t);
		bind_num(w, b, t[0] == 's' ? "r.started_at >= ?" : "r.started_at < ?",
			 when);
	} else {
		return xb_error_set(-EINVAL, "bad selector term '%s': give an id, id:N-M, a "
				    "uuid prefix, latest, label:, kernel:, commit:, fp:KEY=, "
				    "since: or until:", t);
	}
	return 0;
}

static int run_select(struct xb_id_list *out, sqlite3 *db, const char *sql,
		      const struct binds *b)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int src;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "preparing the run selection");
	for (int i = 0; i < b->n; i++) {
		if (b->is_num[i])
			sqlite3_bind_int64(st, i + 1, b->num[i]);
		else
			sqlite3_bind_text(st, i + 1, b->text[i], -1, SQLITE_STATIC);
	}
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? 2 * cap : 16;
			out->ids = xb_realloc(out->ids, cap * sizeof(*out->ids));
		}
		out->ids[out->n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE) {
		xb_id_list_free(out);
		return db_error(db, "selecting runs");
	}
	return 0;
}

int xb_select_runs(struct xb_id_list *out, struct xb_db *xdb, const char *selector)
{
	sqlite3 *db = xdb->sql;
	struct xb_buf w = { 0 };
	struct binds b = { .n = 0 };
	char *copy = xb_strdup(selector ? selector : ""), *save = NULL, *t;
	int rc = 0, nterms = 0;

	memset(out, 0, sizeof(*out));
	xb_buf_adds(&w, "SELECT r.id FROM runs r WHERE r.status = 'finished'");
	for (t = strtok_r(copy, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save)) {
		rc = add_term(&w, &b, db, xb_trim(t));
		nterms++;
	}
	if (!rc && !nterms)
		rc = xb_error_set(-EINVAL, "empty selector: name runs by id, label:, "
				  "kernel: ...");
	xb_buf_adds(&w, " ORDER BY r.id");
	if (!rc)
		rc = run_select(out, db, w.p, &b);
	if (!rc && !out->n)
		rc = xb_error_set(-ENOENT, "no finished run matches '%s' (see daxbench list)",
				  selector);
	for (int i = 0; i < b.n; i++)
		free(b.text[i]);
	xb_buf_free(&w);
	free(copy);
	return rc;
}

static char *id_csv(const struct xb_id_list *l)
{
	struct xb_buf b = { 0 };

	for (size_t i = 0; i < l->n; i++)
		xb_buf_addf(&b, "%s%lld", i ? "," : "", (long long)l->ids[i]);
	return xb_buf_detach(&b);
}

/* --- per-boot values of a side ------------------------------------------- */

struct side_metric {
	char *name, *unit, *direction;
	double *v[3];             /* p50, p90, p99 per boot */
	size_t n, cap;
	size_t min_samples;
};

struct side {
	struct side_metric *m;
	size_t n;
	size_t nboots;
};

static void side_free(struct side *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->m[i].name);
		free(s->m[i].unit);
		free(s->m[i].direction);
		for (int k = 0; k < 3; k++)
			free(s->m[i].v[k]);
	}
	free(s->m);
}

static void side_add(struct side_metric *m, sqlite3_stmt *st)
{
	size_t n = (size_t)sqlite3_column_int64(st, 3);

	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 16;
		for (int k = 0; k < 3; k++)
			m->v[k] = xb_realloc(m->v[k], m->cap * sizeof(double));
	}
	for (int k = 0; k < 3; k++)
		m->v[k][m->n] = sqlite3_column_double(st, 4 + k);
	m->n++;
	if (m->n == 1 || n < m->min_samples)
		m->min_samples = n;
}

/* Rows come ordered by metric name: a new name starts a new metric. */
static int load_side(struct side *out, sqlite3 *db, const struct xb_id_list *runs)
{
	char *ids = id_csv(runs);
	char *sql = xb_asprintf(
		"SELECT m.name, m.unit, m.direction, s.n, s.median, s.p90, s.p99 "
		"FROM summaries s JOIN metrics m ON m.id = s.metric_id "
		"WHERE s.run_id IN (%s) ORDER BY m.name, s.run_id, s.boot", ids);
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int src, rc = 0;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "preparing the per-boot query");
		goto out;
	}
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		if (!out->n || strcmp(out->m[out->n - 1].name, name)) {
			if (out->n == cap) {
				cap = cap ? 2 * cap : 32;
				out->m = xb_realloc(out->m, cap * sizeof(*out->m));
			}
			memset(&out->m[out->n], 0, sizeof(out->m[0]));
			out->m[out->n].name = xb_strdup(name);
			out->m[out->n].unit = xb_strdup((const char *)sqlite3_column_text(st, 1));
			out->m[out->n].direction =
				xb_strdup((const char *)sqlite3_column_text(st, 2));
			out->n++;
		}
		side_add(&out->m[out->n - 1], st);
	}
	if (src != SQLITE_DONE)
		rc = db_error(db, "loading per-boot summaries");
	for (size_t i = 0; i < out->n; i++)
		if (out->m[i].n > out->nboots)
			out->nboots = out->m[i].n;
out:
	sqlite3_finalize(st);
	free(sql);
	free(ids);
	return rc;
}

/* --- fingerprints ---------------------------------------------------------- */

/* Distinct key=value pairs over a side's runs, sorted by key then value; a
 * run recorded before clocks were counts as clock=wall. */
static int load_fps(struct xb_kvlist *out, sqlite3 *db, const struct xb_id_list *runs)
{
	char *ids = id_csv(runs);
	char *sql = xb_asprintf("SELECT DISTINCT key, value FROM ("
				"SELECT key, value FROM fingerprint WHERE run_id IN (%s) "
				"UNION ALL SELECT '" XB_FP_CLOCK "', '%s' FROM runs "
				"WHERE id IN (%s) AND id NOT IN (SELECT run_id FROM fingerprint "
				"WHERE key = '" XB_FP_CLOCK "')) ORDER BY key, value",
				ids, xb_clock_of(NULL), ids);
	sqlite3_stmt *st = NULL;
	int src, rc = 0;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "preparing the fingerprint query");
	} else {
		while ((src = sqlite3_step(st)) == SQLITE_ROW)
			xb_kv_add(out, (const char *)sqlite3_column_text(st, 0),
				  (const char *)sqlite3_column_text(st, 1));
		if (src != SQLITE_DONE)
			rc = db_error(db, "loading fingerprints");
	}
	sqlite3_finalize(st);
	free(sql);
	free(ids);
	return rc;
}

/* The first start and the last end of a side's runs. */
static int load_span(double span[2], sqlite3 *db, const struct xb_id_list *runs)
{
	char *ids = id_csv(runs);
	char *sql = xb_asprintf("SELECT min(started_at), max(coalesce(ended_at, started_at)) "
				"FROM runs WHERE id IN (%s)", ids);
	sqlite3_stmt *st = NULL;
	int rc = 0;

	span[0] = span[1] = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(db, "preparing the run time query");
	} else if (sqlite3_step(st) == SQLITE_ROW) {
		span[0] = sqlite3_column_double(st, 0);
		span[1] = sqlite3_column_double(st, 1);
	} else {
		rc = db_error(db, "loading run times");
	}
	sqlite3_finalize(st);
	free(sql);
	free(ids);
	return rc;
}

/* ", "-joined values of key in a sorted list; "(none)" when absent. */
static char *values_of(const struct xb_kvlist *l, const char *key, size_t *out_count)
{
	struct xb_buf b = { 0 };

	*out_count = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			xb_buf_addf(&b, "%s%s", (*out_count)++ ? ", " : "", l->v[i].value);
	if (!*out_count)
		xb_buf_adds(&b, "(none)");
	return xb_buf_detach(&b);
}

static bool is_refuse_key(const char *key)
{
	for (size_t i = 0; xb_cmp_refuse_keys[i]; i++)
		if (!strcmp(key, xb_cmp_refuse_keys[i]))
			return true;
	return false;
}

static void diff_key(struct xb_comparison *c, const struct xb_kvlist *fa,
		     const struct xb_kvlist *fb, const char *key)
{
	size_t na, nb;
	char *va = values_of(fa, key, &na), *vb = values_of(fb, key, &nb);
	bool refuse = is_refuse_key(key) && (strcmp(va, vb) || na > 1 || nb > 1);

	if (!strcmp(va, vb) && !refuse) {
		free(va);
		free(vb);
		return;
	}
	c->diffs = xb_realloc(c->diffs, (c->ndiffs + 1) * sizeof(*c->diffs));
	c->diffs[c->ndiffs++] = (struct xb_fp_diff){ xb_strdup(key), va, vb, refuse };
	c->nrefuse += refuse;
}

static void diff_fps(struct xb_comparison *c, const struct xb_kvlist *fa,
		     const struct xb_kvlist *fb)
{
	const struct xb_kvlist *l[2] = { fa, fb };
	const char *prev = NULL;

	/* every key once, in the order of the first list then the second's extras */
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < l[s]->n; i++) {
			const char *key = l[s]->v[i].key;

			if ((prev && !strcmp(prev, key)) || (s == 1 && xb_kv_get(fa, key)))
				continue;
			prev = key;
			diff_key(c, fa, fb, key);
		}
}

/* The clock both sides ran with; "wall | icount" when they differ. */
static char *clock_of_sides(const struct xb_kvlist *fa, const struct xb_kvlist *fb)
{
	size_t n;
	char *a = values_of(fa, XB_FP_CLOCK, &n), *b = values_of(fb, XB_FP_CLOCK, &n), *both;

	if (!strcmp(a, b)) {
		free(b);
		return a;
	}
	both = xb_asprintf("%s | %s", a, b);
	free(a);
	free(b);
	return both;
}

/* Words of one side's kernel command line the other side's lacks. */
static char *cmdline_extra(const struct xb_kvlist *mine, const struct xb_kvlist *other)
{
	size_t n;
	char *m = values_of(mine, "guest.kernel.cmdline", &n), *o, *save = NULL, *w;
	struct xb_buf b = { 0 };

	o = values_of(other, "guest.kernel.cmdline", &n);
	for (w = strtok_r(m, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *pad = xb_asprintf(" %s ", w), *opad = xb_asprintf(" %s ", o);

		if (!strstr(opad, pad))
			xb_buf_addf(&b, " %s", w);
		free(pad);
		free(opad);
	}
	free(m);
	free(o);
	return b.p ? xb_buf_detach(&b) : xb_strdup("");
}

/* "6.1.0-54-amd64" or "6.1.0-56-amd64 pti=on"; the selector when the runs'
 * kernels are mixed. */
static char *side_name(const struct xb_kvlist *mine, const struct xb_kvlist *other,
		       const char *selector)
{
	size_t n;
	char *rel = values_of(mine, "kernel.release", &n), *extra, *name;

	if (n != 1) {
		free(rel);
		return xb_strdup(selector);
	}
	extra = cmdline_extra(mine, other);
	name = xb_asprintf("%s%s", rel, extra);
	free(extra);
	free(rel);
	return name;
}

/* --- clock and expected rows ---------------------------------------------- */

/* Per judged metric of the run, whether its smallest boot has the samples
 * for tail statistics: the judged rows add_rows() would make. */
int xb_comparison_rows_expected(size_t *out, struct xb_db *xdb, const char *suite,
				unsigned stats)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	int src, rc = 0;

	*out = 0;
	if (sqlite3_prepare_v2(db, "SELECT min(s.n) FROM summaries s JOIN metrics m ON "
			       "m.id = s.metric_id AND m.direction IN ('lower', 'higher') WHERE s.run_id = "
			       "(SELECT id FROM runs WHERE status = 'finished' AND suite = ? "
			       "ORDER BY started_at DESC, id DESC LIMIT 1) GROUP BY s.metric_id",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "preparing the expected rows query");
	sqlite3_bind_text(st, 1, suite, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		bool tails = sqlite3_column_int64(st, 0) >= XB_CMP_MIN_SAMPLES_FOR_TAILS;

		for (int k = 0; k < 3; k++)
			*out += (stats & (1u << k)) && (k == 0 || tails);
	}
	if (src != SQLITE_DONE)
		rc = db_error(db, "counting the rows of the suite's last run");
	sqlite3_finalize(st);
	return rc;
}

/* --- rows ------------------------------------------------------------------ */

static const struct side_metric *find_metric(const struct side *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].name, name))
			return &s->m[i];
	return NULL;
}

static double *dup_values(const double *v, size_t n)
{
	double *d = xb_malloc(n * sizeof(*d));

	memcpy(d, v, n * sizeof(*d));
	return d;
}

static int add_rows(struct xb_comparison *c, const struct side *a, const struct side *b,
		    unsigned stats)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct side_metric *ma = &a->m[i], *mb = find_metric(b, ma->name);

		if (!mb) {
			c->only_one_side++;
			continue;
		}
		for (int k = 0; k < 3; k++) {
			struct xb_comparison_row *row;
			bool tails = ma->min_samples >= XB_CMP_MIN_SAMPLES_FOR_TAILS &&
				     mb->min_samples >= XB_CMP_MIN_SAMPLES_FOR_TAILS;
			int rc;

			if (!(stats & (1u << k)) || (k > 0 && !tails))
				continue;
			c->rows = xb_realloc(c->rows, (c->nrows + 1) * sizeof(*c->rows));
			row = &c->rows[c->nrows];
			row->metric = xb_strdup(ma->name);
			row->unit = xb_strdup(ma->unit);
			row->direction = xb_strdup(ma->direction);
			row->stat = xb_cmp_stat_names[k];
			row->va = dup_values(ma->v[k], ma->n);
			row->vb = dup_values(mb->v[k], mb->n);
			c->nrows++;
			rc = xb_cmp_row_compute(&row->r, xb_cmp_direction(ma->direction),
						row->va, ma->n, row->vb, mb->n, c->alpha);
			if (rc)
				return rc;
		}
	}
	for (size_t i = 0; i < b->n; i++)
		c->only_one_side += !find_metric(a, b->m[i].name);
	return 0;
}

static void count_verdicts(struct xb_comparison *c)
{
	for (size_t i = 0; i < c->nrows; i++) {
		enum xb_verdict v = c->rows[i].r.verdict;

		c->regressions += v == XB_VERDICT_REGRESSION;
		c->improvements += v == XB_VERDICT_IMPROVEMENT;
		c->no_change += v == XB_VERDICT_NO_CHANGE;
		c->inconclusive += v == XB_VERDICT_INCONCLUSIVE;
	}
}

static void judge(struct xb_comparison *c)
{
	struct xb_cmp_row *r = xb_malloc((c->nrows ? c->nrows : 1) * sizeof(*r));

	for (size_t i = 0; i < c->nrows; i++)
		r[i] = c->rows[i].r;
	xb_cmp_rows_judge(r, c->nrows, &c->judging);
	for (size_t i = 0; i < c->nrows; i++)
		c->rows[i].r = r[i];
	free(r);
	c->regressions = c->improvements = c->no_change = c->inconclusive = 0;
	count_verdicts(c);
}

/* The clock's threshold unless one is given; an unknown or mixed
 * ("wall | icount") clock counts as wall (the wider threshold, never
 * trusted from one boot). */
static void set_judging(struct xb_comparison *c, const struct xb_compare_opts *o)
{
	const struct xb_cmp_clock *k = xb_cmp_clock_find(c->clock);

	if (!k)
		k = xb_cmp_clock_find("wall");
	c->judging.alpha = c->alpha;
	c->judging.threshold_pct = o && o->threshold_pct > 0 ? o->threshold_pct :
		k->threshold_pct;
	c->judging.deterministic_clock = k->deterministic;
}

static int build_selected(struct xb_comparison *out, struct xb_db *xdb,
			  const struct xb_compare_opts *o);

int xb_comparison_build(struct xb_comparison *out, struct xb_db *xdb, const char *sel_a,
			const char *sel_b, const struct xb_compare_opts *o)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->alpha = o && o->alpha > 0 ? o->alpha : XB_CMP_ALPHA;
	out->selector_a = xb_strdup(sel_a);
	out->selector_b = xb_strdup(sel_b);
	rc = xb_select_runs(&out->runs_a, xdb, sel_a);
	if (!rc)
		rc = xb_select_runs(&out->runs_b, xdb, sel_b);
	return rc ? rc : build_selected(out, xdb, o);
}

/* The rest of xb_comparison_build once out->runs_a and runs_b are set. */
static int build_selected(struct xb_comparison *out, struct xb_db *xdb,
			  const struct xb_compare_opts *o)
{
	sqlite3 *db = xdb->sql;
	struct side a = { 0 }, b = { 0 };
	struct xb_kvlist fa = { 0 }, fb = { 0 };
	const char *sel_a = out->selector_a, *sel_b = out->selector_b;
	int rc;

	rc = load_side(&a, db, &out->runs_a);
	if (!rc)
		rc = load_side(&b, db, &out->runs_b);
	if (!rc)
		rc = load_fps(&fa, db, &out->runs_a);
	if (!rc)
		rc = load_fps(&fb, db, &out->runs_b);
	if (!rc)
		rc = load_span(out->span_a, db, &out->runs_a);
	if (!rc)
		rc = load_span(out->span_b, db, &out->runs_b);
	if (rc)
		goto out;
	out->interleaved = out->span_a[0] < out->span_b[1] && out->span_b[0] < out->span_a[1];
	out->boots_a = a.nboots;
	out->boots_b = b.nboots;
	diff_fps(out, &fa, &fb);
	out->clock = clock_of_sides(&fa, &fb);
	set_judging(out, o);
	out->name_a = side_name(&fa, &fb, sel_a);
	out->name_b = side_name(&fb, &fa, sel_b);
	if (!strcmp(out->name_a, out->name_b)) {
		free(out->name_a);
		free(out->name_b);
		out->name_a = xb_strdup(sel_a);
		out->name_b = xb_strdup(sel_b);
	}
	rc = add_rows(out, &a, &b, o && o->stats ? o->stats : XB_STAT_P50 | XB_STAT_P90);
	if (!rc)
		judge(out);
out:
	side_free(&a);
	side_free(&b);
	xb_kv_free(&fa);
	xb_kv_free(&fb);
	return rc;
}

void xb_comparison_free(struct xb_comparison *c)
{
	free(c->selector_a);
	free(c->selector_b);
	free(c->name_a);
	free(c->name_b);
	free(c->clock);
	xb_id_list_free(&c->runs_a);
	xb_id_list_free(&c->runs_b);
	for (size_t i = 0; i < c->ndiffs; i++) {
		free(c->diffs[i].key);
		free(c->diffs[i].values_a);
		free(c->diffs[i].values_b);
	}
	free(c->diffs);
	for (size_t i = 0; i < c->nrows; i++) {
		free(c->rows[i].metric);
		free(c->rows[i].unit);
		free(c->rows[i].direction);
		free(c->rows[i].va);
		free(c->rows[i].vb);
	}
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

/* --- storing ---------------------------------------------------------------- */

static void bind_real(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int store_head(sqlite3 *db, struct xb_comparison *c, bool forced,
		      const char *commit)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(db, "INSERT INTO comparisons (created_at, selector_a, "
			       "selector_b, name_a, name_b, boots_a, boots_b, alpha, forced, "
			       "regressions, improvements, inconclusive, daxbench_commit) "
			       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "preparing to store the comparison");
	sqlite3_bind_double(st, 1, xb_now());
	sqlite3_bind_text(st, 2, c->selector_a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->selector_b, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->name_a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->name_b, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)c->boots_a);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)c->boots_b);
	sqlite3_bind_double(st, 8, c->alpha);
	sqlite3_bind_int(st, 9, forced);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)c->regressions);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)c->improvements);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)c->inconclusive);
	sqlite3_bind_text(st, 13, commit, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(db, "storing the comparison");
	else
		c->id = sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	return rc;
}

static int store_runs(sqlite3 *db, const struct xb_comparison *c)
{
	const struct xb_id_list *l[2] = { &c->runs_a, &c->runs_b };
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(db, "INSERT INTO comparison_runs VALUES (?, ?, ?)", -1,
			       &st, NULL) != SQLITE_OK)
		return db_error(db, "preparing to store the compared runs");
	for (int s = 0; s < 2 && !rc; s++)
		for (size_t i = 0; i < l[s]->n && !rc; i++) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, c->id);
			sqlite3_bind_text(st, 2, s ? "b" : "a", -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, l[s]->ids[i]);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_error(db, "storing the compared runs");
		}
	sqlite3_finalize(st);
	return rc;
}

static int store_rows(sqlite3 *db, const struct xb_comparison *c)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(db, "INSERT INTO comparison_rows VALUES (?, "
			       "(SELECT id FROM metrics WHERE name = ?), "
			       "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return db_error(db, "preparing to store comparison rows");
	for (size_t i = 0; i < c->nrows && !rc; i++) {
		const struct xb_cmp_row *r = &c->rows[i].r;

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, c->id);
		sqlite3_bind_text(st, 2, c->rows[i].metric, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c->rows[i].stat, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)r->na);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)r->nb);
		bind_real(st, 6, r->median_a);
		bind_real(st, 7, r->median_b);
		bind_real(st, 8, r->change_pct);
		bind_real(st, 9, r->ci_lo_pct);
		bind_real(st, 10, r->ci_hi_pct);
		bind_real(st, 11, r->hl.shift);
		bind_real(st, 12, r->hl.lo);
		bind_real(st, 13, r->hl.hi);
		bind_real(st, 14, r->mw.p);
		bind_real(st, 15, r->q);
		bind_real(st, 16, c->judging.threshold_pct);
		sqlite3_bind_text(st, 17, xb_cmp_verdict_name(r->verdict), -1, SQLITE_STATIC);
		if (r->more_boots >= 0)
			sqlite3_bind_int64(st, 18, r->more_boots);
		else
			sqlite3_bind_null(st, 18);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(db, "storing a comparison row");
	}
	sqlite3_finalize(st);
	return rc;
}

int xb_comparison_store(struct xb_db *xdb, struct xb_comparison *c, bool forced,
			const char *daxbench_commit)
{
	sqlite3 *db = xdb->sql;
	int rc;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(db, "starting to store the comparison");
	rc = store_head(db, c, forced, daxbench_commit);
	if (!rc)
		rc = store_runs(db, c);
	if (!rc)
		rc = store_rows(db, c);
	if (!rc && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = db_error(db, "committing the comparison");
	if (rc) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		c->id = 0;
	}
	return rc;
}

/* --- simulation ---------------------------------------------------------- */

/* xorshift64*: reproducible for a seed, good enough for resampling. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* n draws from pool into out; without replacement when without (a partial
 * Fisher-Yates shuffle of perm, which holds 0..npool-1 in some order). */
static void draw(double *out, size_t n, const double *pool, size_t *perm, size_t npool,
		 bool without, uint64_t *s, size_t offset)
{
	for (size_t i = 0; i < n; i++) {
		if (without)
			out[i] = pool[perm[offset + i]];
		else
			out[i] = pool[rnd(s) % npool];
	}
}

static void shuffle(size_t *perm, size_t n, uint64_t *s)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rnd(s) % i, t = perm[i - 1];

		perm[i - 1] = perm[j];
		perm[j] = t;
	}
}

static enum xb_verdict expected(enum xb_direction dir, double shift)
{
	if (dir == XB_DIR_NONE)
		return XB_VERDICT_NONE;
	return (dir == XB_DIR_LOWER) == (shift > 0) ? XB_VERDICT_REGRESSION :
		XB_VERDICT_IMPROVEMENT;
}

/* One trial: every row resampled from the same boots (a boot is drawn
 * whole, keeping the correlation between metrics), then judged together. */
static void sim_trial(struct xb_sim_result *res, const struct xb_comparison *c,
		      struct xb_cmp_row *rows, double *va, double *vb, double **pools,
		      size_t npool, size_t *perm, size_t nboots, double shift, uint64_t *s)
{
	bool without = npool >= 2 * nboots;
	uint64_t state = *s, s2 = state;

	if (without)
		shuffle(perm, npool, s);
	for (size_t i = 0; i < c->nrows; i++) {
		s2 = state;        /* the same boots for every row */
		draw(va, nboots, pools[i], perm, npool, without, &s2, 0);
		draw(vb, nboots, pools[i], perm, npool, without, &s2, nboots);
		for (size_t k = 0; k < nboots; k++)
			vb[k] *= 1 + shift;
		xb_cmp_row_compute(&rows[i], c->rows[i].r.dir, va, nboots, vb, nboots,
				   c->alpha);
	}
	if (!without)
		*s = s2;
	xb_cmp_rows_judge(rows, c->nrows, &c->judging);
	for (size_t i = 0; i < c->nrows; i++) {
		enum xb_verdict v = rows[i].verdict;

		res[i].trials++;
		if (shift != 0)
			res[i].detected += v != XB_VERDICT_NONE && v == expected(rows[i].dir, shift);
		else
			res[i].false_pos += v == XB_VERDICT_REGRESSION ||
					    v == XB_VERDICT_IMPROVEMENT;
		res[i].raw_pos += rows[i].mw.p < c->alpha;
	}
}

int xb_comparison_simulate(struct xb_sim_result **out, size_t *out_n,
			   const struct xb_comparison *c, size_t nboots, double shift,
			   size_t trials, unsigned seed)
{
	size_t npool = 0, *perm;
	double **pools, *va, *vb;
	struct xb_cmp_row *rows;
	struct xb_sim_result *res;
	uint64_t s = 0x9E3779B97F4A7C15ULL ^ seed;

	/* boots pooled across both sides; rows of one metric set have equal n */
	for (size_t i = 0; i < c->nrows; i++)
		if (!i || c->rows[i].r.na + c->rows[i].r.nb < npool)
			npool = c->rows[i].r.na + c->rows[i].r.nb;
	if (!c->nrows || !nboots || npool < 2)
		return -EINVAL;
	pools = xb_malloc(c->nrows * sizeof(*pools));
	for (size_t i = 0; i < c->nrows; i++) {
		pools[i] = xb_malloc(npool * sizeof(double));
		memcpy(pools[i], c->rows[i].va, c->rows[i].r.na * sizeof(double));
		memcpy(pools[i] + c->rows[i].r.na, c->rows[i].vb,
		       (npool - c->rows[i].r.na) * sizeof(double));
	}
	perm = xb_malloc(npool * sizeof(*perm));
	for (size_t i = 0; i < npool; i++)
		perm[i] = i;
	res = calloc(c->nrows, sizeof(*res));
	rows = xb_malloc(c->nrows * sizeof(*rows));
	va = xb_malloc(nboots * sizeof(*va));
	vb = xb_malloc(nboots * sizeof(*vb));
	if (!res)
		abort();
	for (size_t i = 0; i < c->nrows; i++) {
		res[i].metric = xb_strdup(c->rows[i].metric);
		res[i].stat = c->rows[i].stat;
	}
	for (size_t t = 0; t < trials; t++)
		sim_trial(res, c, rows, va, vb, pools, npool, perm, nboots, shift, &s);
	for (size_t i = 0; i < c->nrows; i++)
		free(pools[i]);
	free(pools);
	free(perm);
	free(rows);
	free(va);
	free(vb);
	*out = res;
	*out_n = c->nrows;
	return 0;
}

void xb_sim_results_free(struct xb_sim_result *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].metric);
	free(r);
}

/* Stored comparisons read back. */
static int read_error(sqlite3 *db, int src, const char *what)
{
	return xb_error_set(xb_db_errno(src), "database %s: %s failed: %s",
			    sqlite3_db_filename(db, "main"), what, sqlite3_errmsg(db));
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xb_strdup((const char *)s) : NULL;
}

static double col_real(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

void xb_stored_comparisons_free(struct xb_stored_comparison *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name_a);
		free(v[i].name_b);
	}
	free(v);
}

int xb_stored_comparisons(struct xb_stored_comparison **out, size_t *out_n,
			  struct xb_db *xdb)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int src;

	*out = NULL;
	*out_n = 0;
	src = sqlite3_prepare_v2(db, "SELECT id, created_at, name_a, name_b, regressions,"
				 " improvements, inconclusive FROM comparisons ORDER BY id DESC",
				 -1, &st, NULL);
	if (src != SQLITE_OK)
		return read_error(db, src, "reading stored comparisons");
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xb_realloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = (struct xb_stored_comparison){
			.id = sqlite3_column_int64(st, 0),
			.created_at = sqlite3_column_double(st, 1),
			.name_a = col_dup(st, 2), .name_b = col_dup(st, 3),
			.regressions = sqlite3_column_int(st, 4),
			.improvements = sqlite3_column_int(st, 5),
			.inconclusive = sqlite3_column_int(st, 6) };
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE) {
		xb_stored_comparisons_free(*out, n);
		*out = NULL;
		return read_error(db, src, "reading stored comparisons");
	}
	*out_n = n;
	return 0;
}

void xb_stored_rows_free(struct xb_stored_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].metric);
		free(v[i].stat);
		free(v[i].verdict);
	}
	free(v);
}

int xb_stored_comparison_rows(struct xb_stored_row **out, size_t *out_n, struct xb_db *xdb,
			      int64_t id)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int src;

	*out = NULL;
	*out_n = 0;
	src = sqlite3_prepare_v2(db, "SELECT m.name, r.stat, r.n_a, r.n_b, r.median_a,"
				 " r.median_b, r.change_pct, r.ci_lo_pct, r.ci_hi_pct, r.q,"
				 " r.verdict FROM comparison_rows r JOIN metrics m"
				 " ON m.id = r.metric_id WHERE r.comparison_id = ?"
				 " ORDER BY m.name, r.stat", -1, &st, NULL);
	if (src != SQLITE_OK)
		return read_error(db, src, "reading a stored comparison");
	sqlite3_bind_int64(st, 1, id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xb_realloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = (struct xb_stored_row){
			.metric = col_dup(st, 0), .stat = col_dup(st, 1),
			.n_a = sqlite3_column_int64(st, 2), .n_b = sqlite3_column_int64(st, 3),
			.median_a = col_real(st, 4), .median_b = col_real(st, 5),
			.change_pct = col_real(st, 6), .ci_lo_pct = col_real(st, 7),
			.ci_hi_pct = col_real(st, 8), .q = col_real(st, 9),
			.verdict = col_dup(st, 10) };
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE) {
		xb_stored_rows_free(*out, n);
		*out = NULL;
		return read_error(db, src, "reading a stored comparison");
	}
	*out_n = n;
	return 0;
}

/* The runs of each side of stored comparison id, ascending id. */
static int stored_sides(struct xb_comparison *out, sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int src;

	src = sqlite3_prepare_v2(db, "SELECT side, run_id FROM comparison_runs"
				 " WHERE comparison_id = ? ORDER BY run_id", -1, &st, NULL);
	if (src != SQLITE_OK)
		return read_error(db, src, "reading a stored comparison's runs");
	sqlite3_bind_int64(st, 1, id);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct xb_id_list *l = sqlite3_column_text(st, 0)[0] == 'a' ? &out->runs_a :
				       &out->runs_b;

		l->ids = xb_realloc(l->ids, (l->n + 1) * sizeof(*l->ids));
		l->ids[l->n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (src != SQLITE_DONE)
		return read_error(db, src, "reading a stored comparison's runs");
	if (!out->runs_a.n || !out->runs_b.n)
		return xb_error_set(-ENOENT, "stored comparison %lld has no runs on a side "
				    "(deleted since?)", (long long)id);
	return 0;
}

int xb_stored_comparison_rebuild(struct xb_comparison *out, struct xb_db *xdb, int64_t id,
				 const struct xb_compare_opts *o)
{
	sqlite3 *db = xdb->sql;
	sqlite3_stmt *st = NULL;
	int src, rc;

	memset(out, 0, sizeof(*out));
	src = sqlite3_prepare_v2(db, "SELECT selector_a, selector_b, alpha FROM comparisons"
				 " WHERE id = ?", -1, &st, NULL);
	if (src != SQLITE_OK)
		return read_error(db, src, "reading a stored comparison");
	sqlite3_bind_int64(st, 1, id);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		out->selector_a = col_dup(st, 0);
		out->selector_b = col_dup(st, 1);
		out->alpha = sqlite3_column_double(st, 2);
	}
	sqlite3_finalize(st);
	if (src != SQLITE_ROW)
		return src == SQLITE_DONE ? xb_error_set(-ENOENT, "no stored comparison %lld",
							 (long long)id) :
		       read_error(db, src, "reading a stored comparison");
	rc = stored_sides(out, db, id);
	if (!rc)
		rc = build_selected(out, xdb, o);
	out->id = id;
	return rc;
}
