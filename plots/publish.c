// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "publish.h"
#include "plot.h"
#include "detail.h"
#include "error.h"
#include "query.h"
#include "trend.h"
#include "compare-db.h"
#include "clock.h"
#include "html.h"
#include "units.h"
#include "cmppage.h"
#include "report.h"
#include "index.h"

struct ctx {
	struct xb_db *db;
	const char *out;
	const struct xb_cp_options *cp;
	struct xb_plot_queue q;
	const struct xb_trend_runs *runs;
	struct xb_publish_stats *st;
	struct xb_index ix;
	struct xb_buf new_cps;
	struct xb_kvlist latest;   /* detail kind -> "name run-uuid", the newest run's */
	double now;
};

#define esc xb_html_esc
#define page_head xb_html_head

/* A file name for a metric or run: [A-Za-z0-9._-], anything else '_'. */
static char *slug(const char *s)
{
	char *r = xb_strdup(s);

	for (char *p = r; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			*p = '_';
	return r;
}

/* Write a page that is already closed. */
static int write_closed(struct ctx *c, const char *rel, struct xb_buf *b)
{
	char *path = xb_asprintf("%s/%s", c->out, rel);
	int rc;

	rc = xb_site_write(path, b->p, b->len);
	if (rc)
		xb_error_set(rc, "cannot write %s: %s", path, strerror(-rc));
	free(path);
	return rc;
}

static int write_page(struct ctx *c, const char *rel, struct xb_buf *b)
{
	xb_buf_adds(b, "</body></html>\n");
	return write_closed(c, rel, b);
}

static const char *cp_class(const struct xb_trend_cp *c)
{
	return c->regression == 1 ? "reg" : c->regression == 0 ? "imp" : "";
}

/* "+12.3% regression, confirmed (p=0.001)" */
static void cp_text(struct xb_buf *b, const struct xb_trend_cp *c)
{
	double pct = xb_trend_change_pct(c->cp.before, c->cp.after);

	xb_buf_addf(b, "<span class=\"%s%s\">", cp_class(c),
		    c->cp.level == XB_CP_WEAK ? " weak" : "");
	if (!isnan(pct))
		xb_buf_addf(b, "%+.1f%% ", pct);
	xb_buf_addf(b, "%s, %s (p=%.3g)</span>", c->regression == 1 ? "regression" :
		    c->regression == 0 ? "improvement" : "change",
		    c->cp.level == XB_CP_CONFIRMED ? "confirmed" : "weak", c->cp.p);
}

static void point_runs(struct xb_buf *b, const struct xb_trend_point *p,
		       const struct xb_trend_runs *runs, const char *root)
{
	for (size_t i = 0; i < p->nruns; i++) {
		const struct xb_trend_run *r = xb_trend_runs_find(runs, p->runs[i]);

		if (r)
			xb_buf_addf(b, "%s<a href=\"%sruns/%s.html\">%.8s</a>", i ? " " : "", root,
				    r->uuid, r->uuid);
	}
}

/* Next to values of instruction time: what they are and what they miss. */
static void clock_note(struct xb_buf *b, const char *clock)
{
	if (strcmp(clock, "icount")) {
		xb_buf_adds(b, "<p class=\"muted\">Clock: wall (host time).</p>\n");
		return;
	}
	xb_buf_adds(b, "<p class=\"muted\">Clock: <b>icount</b>. ");
	esc(b, xb_clock_icount_captures);
	xb_buf_adds(b, " ");
	esc(b, xb_clock_icount_misses);
	xb_buf_adds(b, "</p>\n");
}

static void metric_series_table(struct xb_buf *b, const struct xb_trend *t, size_t s,
				struct xb_trend_cp *cps, size_t ncps, const struct ctx *c)
{
	const struct xb_trend_series *se = &t->series[s];
	char *unit = xb_clock_unit_label(t->m.unit, se->clock);

	xb_buf_adds(b, "<h2>Series ");
	esc(b, se->name);
	xb_buf_adds(b, "</h2>\n");
	clock_note(b, se->clock);
	xb_buf_addf(b, "<p>%zu points, ordered by %s. Change points (E-divisive means, "
		    "permutation test, %u permutations, seed %llu; at least %zu points a "
		    "segment): ", se->n, se->by_date ? "commit date" : "Debian version",
		    c->cp->perms, (unsigned long long)c->cp->seed, c->cp->min_seg);
	if (!ncps)
		xb_buf_addf(b, "none%s.</p>\n", se->n < 2 * c->cp->min_seg ?
			    " (too few points to split)" : "");
	else
		xb_buf_addf(b, "%zu.</p>\n", ncps);
	if (ncps) {
		xb_buf_adds(b, "<table><tr><th>between</th><th>and</th><th>median before</th>"
			    "<th>after</th><th>verdict</th></tr>\n");
		for (size_t i = 0; i < ncps; i++) {
			xb_buf_adds(b, "<tr><td>");
			esc(b, cps[i].prev->first->label);
			xb_buf_adds(b, "</td><td>");
			esc(b, cps[i].at->first->label);
			xb_buf_addf(b, "</td><td>%.4g</td><td>%.4g</td><td>", cps[i].cp.before,
				    cps[i].cp.after);
			cp_text(b, &cps[i]);
			xb_buf_addf(b, "%s</td></tr>\n", cps[i].is_new ? " <b>new</b>" : "");
		}
		xb_buf_adds(b, "</table>\n");
	}
	xb_buf_adds(b, "<table><tr><th>kernel</th><th>median (");
	esc(b, unit);
	xb_buf_adds(b, ")</th><th>IQR</th><th>min - max</th><th>boots</th>"
		    "<th>runs (fingerprints)</th></tr>\n");
	free(unit);
	for (size_t i = 0; i < se->n; i++) {
		const struct xb_trend_point *p = &se->pts[i];

		xb_buf_adds(b, "<tr><td>");
		esc(b, p->first->label);
		xb_buf_addf(b, "</td><td>%.4g</td><td>%.4g - %.4g</td><td>%.4g - %.4g</td>"
			    "<td>%zu</td><td>", p->median, p->q1, p->q3, p->min, p->max, p->nboots);
		point_runs(b, p, c->runs, "../");
		xb_buf_adds(b, "</td></tr>\n");
	}
	xb_buf_adds(b, "</table>\n");
}

static void note_new(struct ctx *c, const struct xb_trend *t, const struct xb_trend_series *se,
		     const struct xb_trend_cp *cp, const char *sl)
{
	double pct = xb_trend_change_pct(cp->cp.before, cp->cp.after);
	char *line = xb_asprintf("%s [%s]: %s -> %s: %.4g -> %.4g %s (%+.1f%%), %s, p=%.3g",
				 t->m.name, se->name, cp->prev->first->label, cp->at->first->label,
				 cp->cp.before, cp->cp.after, t->m.unit, pct,
				 cp->regression == 1 ? "regression" : cp->regression == 0 ?
				 "improvement" : "change",
				 cp->cp.p);
	struct xb_publish_stats *st = c->st;

	st->new_lines = xb_realloc(st->new_lines, (st->new_changepoints + 2) * sizeof(char *));
	st->new_lines[st->new_changepoints++] = line;
	st->new_lines[st->new_changepoints] = NULL;
	st->new_regressions += cp->regression == 1;
	xb_buf_addf(&c->new_cps, "<li><a href=\"metric/%s.html\">", sl);
	esc(&c->new_cps, line);
	xb_buf_adds(&c->new_cps, "</a></li>\n");
}

/* Outliers are shown, never silently dropped: they are left out of change
 * point detection only. */
static void outliers_note(struct xb_buf *b, const struct xb_trend_series *se,
			  const size_t *o, size_t n)
{
	if (!n)
		return;
	xb_buf_addf(b, "<p>One-kernel excursions that reverted at once (outliers, left out of "
		    "change point detection, %zu): ", n);
	for (size_t i = 0; i < n; i++) {
		xb_buf_adds(b, i ? ", " : "");
		esc(b, se->pts[o[i]].first->label);
		xb_buf_addf(b, " (%.4g)", se->pts[o[i]].median);
	}
	xb_buf_adds(b, "</p>\n");
}

#define TREND_W 900
#define TREND_H 420

/* The trend with a link over each run's circle, placed in percent of the
 * image so that it stays on its circle when the image is scaled. */
static void trend_image(struct xb_buf *b, const struct ctx *c, const struct xb_trend *t,
			const struct xb_trend_axis *axis, const struct xb_plot_frame *f,
			const char *sl)
{
	xb_buf_addf(b, "<div class=\"plot\"><img src=\"../plots/%s.png\" width=\"%d\" "
		    "height=\"%d\" alt=\"trend of ", sl, TREND_W, TREND_H);
	esc(b, t->m.name);
	xb_buf_adds(b, "\">\n");
	for (size_t s = 0; axis->n <= XB_PLOT_TREND_MAX_DOTS && s < t->nseries; s++)
		for (size_t i = 0; i < t->series[s].n; i++) {
			const struct xb_trend_point *p = &t->series[s].pts[i];
			size_t x = xb_trend_axis_x(axis, p);

			for (size_t k = 0; k < p->nruns; k++) {
				const struct xb_trend_run *r = xb_trend_runs_find(c->runs, p->runs[k]);
				double left, top;

				if (!r || !xb_plot_frame_pos(f, xb_plot_trend_run_x(x, k, p->nruns),
							     p->run_medians[k], &left, &top))
					continue;
				xb_buf_addf(b, "<a class=\"pt\" href=\"../runs/%s.html\" style=\"left:"
					    "%.2f%%;top:%.2f%%\" title=\"", r->uuid, 100 * left,
					    100 * top);
				esc(b, r->label);
				xb_buf_adds(b, " [");
				esc(b, t->series[s].name);
				xb_buf_addf(b, "], run %.8s: median %.4g ", r->uuid, p->run_medians[k]);
				esc(b, t->m.unit);
				xb_buf_adds(b, "\"></a>\n");
			}
		}
	xb_buf_adds(b, "</div>\n");
}

static int publish_metric(struct ctx *c, const struct xb_metric_def *m,
			  const struct xb_trend_metric *tm)
{
	const struct xb_trend *t = tm->t;
	struct xb_trend_axis axis = { 0 };
	struct xb_plot_frame frame;
	struct xb_trend_cp *const *cps = tm->cps;
	const size_t *ncps = tm->ncps;
	struct xb_buf gp = { 0 }, dat = { 0 }, page = { 0 };
	char *sl = slug(m->name), *rel;
	int rc;

	for (size_t s = 0; s < t->nseries; s++) {
		c->st->changepoints += ncps[s];
		for (size_t i = 0; i < ncps[s]; i++)
			if (cps[s][i].is_new)
				note_new(c, t, &t->series[s], &cps[s][i], sl);
	}
	xb_trend_axis_build(&axis, t);
	xb_plot_trend(&gp, &dat, &frame, t, c->runs, &axis, cps, ncps, sl);
	rc = xb_plot_add(&c->q, sl, gp.p, dat.p, TREND_W, TREND_H);
	if (rc)
		goto out;
	page_head(&page, m->name, "../");
	xb_buf_adds(&page, "<p>");
	esc(&page, m->description);
	xb_buf_adds(&page, " <span class=\"muted\">(");
	esc(&page, m->unit);
	xb_buf_addf(&page, ", %s)</span></p>\n", !strcmp(m->direction, "lower") ?
		    "lower is better" : !strcmp(m->direction, "higher") ? "higher is better" :
		    "no better direction");
	trend_image(&page, c, t, &axis, &frame, sl);
	xb_buf_addf(&page, "<p class=\"muted\">Median per kernel of the per-boot medians of all "
		    "its runs, band: interquartile range of those medians; a circle is one run "
		    "(the median of its boots)%s. <a href=\"../plots/%s.svg\">SVG</a>, "
		    "<a href=\"../plots/%s.gp\">gnuplot script</a>, <a href=\"../plots/%s.dat\">data"
		    "</a>.</p>\n", axis.n <= XB_PLOT_TREND_MAX_DOTS ? ": click it for the run's "
		    "fingerprint" : " (not drawn over this many kernels: the table below links "
		    "every run)", sl, sl, sl);
	for (size_t s = 0; s < t->nseries; s++) {
		metric_series_table(&page, t, s, cps[s], ncps[s], c);
		outliers_note(&page, &t->series[s], tm->outliers[s], tm->noutliers[s]);
	}
	rel = xb_asprintf("metric/%s.html", sl);
	rc = write_page(c, rel, &page);
	free(rel);
	if (!rc)
		xb_index_add_metric(&c->ix, t, cps, ncps, sl, c->cp->min_seg);
	c->st->metrics++;
out:
	xb_trend_axis_free(&axis);
	xb_buf_free(&gp);
	xb_buf_free(&dat);
	xb_buf_free(&page);
	free(sl);
	return rc;
}

static int cmp_metric_order(const void *pa, const void *pb)
{
	const struct xb_metric_result *a = pa, *b = pb;
	size_t fa = xb_metric_family(a->name), fb = xb_metric_family(b->name);

	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (xb_unit_class(a->unit) != xb_unit_class(b->unit))
		return (int)xb_unit_class(a->unit) - (int)xb_unit_class(b->unit);
	return strcmp(a->name, b->name);
}

/* `daxbench show`'s per-metric statistics, by family, latencies first. */
static void run_stats(struct xb_buf *b, struct xb_run_detail *d)
{
	static const char *const heads[] = { "n", "boots", "median", "p90", "p99", "max",
		"mean", "stddev" };
	size_t fam = SIZE_MAX;

	qsort(d->metrics, d->nmetrics, sizeof(*d->metrics), cmp_metric_order);
	xb_buf_addf(b, "<h2 id=\"stats\">Statistics of its %zu metrics</h2>\n"
		    "<p class=\"muted\">Every raw sample of every boot and repetition pooled "
		    "(<code>daxbench show %.8s</code> prints the same).</p>\n<div class=\"scroll\">"
		    "<table class=\"stack\"><tr><th>metric</th>", d->nmetrics, d->info.uuid);
	for (size_t i = 0; i < XB_ARRAY_SIZE(heads); i++)
		xb_buf_addf(b, "<th class=\"n\">%s</th>", heads[i]);
	xb_buf_adds(b, "</tr>\n");
	for (size_t i = 0; i < d->nmetrics; i++) {
		const struct xb_metric_result *m = &d->metrics[i];
		const double v[] = { m->all.median, m->all.p90, m->all.p99, m->all.max,
				     m->all.mean, m->all.stddev };

		if (xb_metric_family(m->name) != fam) {
			fam = xb_metric_family(m->name);
			xb_buf_addf(b, "<tr><th colspan=\"9\">%s</th></tr>\n",
				    xb_families[fam].name);
		}
		xb_buf_adds(b, "<tr><td><code>");
		xb_html_metric(b, m->name);
		xb_buf_addf(b, "</code></td><td class=\"n\" data-l=\"n\">%zu</td><td class=\"n\" "
			    "data-l=\"boots\">%zu</td>", m->all.n, m->nboots);
		for (size_t k = 0; k < XB_ARRAY_SIZE(v); k++) {
			char t[XB_FMT_LEN];

			xb_fmt_human(t, v[k], m->unit);
			xb_buf_addf(b, "<td class=\"n\" data-l=\"%s\">%s</td>", heads[k + 2], t);
		}
		xb_buf_adds(b, "</tr>\n");
	}
	xb_buf_adds(b, "</table></div>\n");
}

/* The fingerprint folded by its keys' first component (kernel, qemu, host...). */
static void run_fingerprint(struct xb_buf *b, const struct xb_kvlist *fp)
{
	xb_buf_addf(b, "<h2 id=\"fingerprint\">Fingerprint (%zu entries)</h2>\n<p class=\"muted\">"
		    "Everything recorded that could explain a difference between two runs, "
		    "folded by group.</p>\n", fp->n);
	for (size_t i = 0; i < fp->n;) {
		const char *k = fp->v[i].key, *dot = strchr(k, '.');
		size_t len = dot ? (size_t)(dot - k) : strlen(k), j = i;

		while (j < fp->n && !strncmp(fp->v[j].key, k, len) &&
		       (fp->v[j].key[len] == '.' || !fp->v[j].key[len]))
			j++;
		xb_buf_adds(b, "<details><summary><b>");
		xb_buf_add(b, k, len);
		xb_buf_addf(b, "</b> <span class=\"muted\">(%zu)</span></summary><div "
			    "class=\"scroll\"><table>\n", j - i);
		for (; i < j; i++) {
			xb_buf_adds(b, "<tr><td><code>");
			esc(b, fp->v[i].key);
			xb_buf_adds(b, "</code></td><td><code>");
			esc(b, fp->v[i].value);
			xb_buf_adds(b, "</code></td></tr>\n");
		}
		xb_buf_adds(b, "</table></div></details>\n");
	}
}

static int publish_run(struct ctx *c, const struct xb_trend_run *r)
{
	struct xb_buf b = { 0 };
	struct xb_details d = { 0 };
	struct xb_run_detail *rd = NULL;
	char *title = xb_asprintf("run %s", r->uuid), *rel, *prefix, *trun;
	int rc;

	prefix = xb_asprintf("run-%s-", r->uuid);
	trun = xb_asprintf("run %.8s, %s", r->uuid, r->label);
	rc = xb_detail_run(&d, c->db, &c->q, r->id, prefix, trun, NULL);
	free(prefix);
	free(trun);
	if (!rc)
		rc = xb_query_load_run(&rd, c->db, r->id);
	if (rc)
		goto out;
	page_head(&b, title, "../");
	xb_buf_adds(&b, "<p>Kernel <b>");
	esc(&b, r->label);
	xb_buf_adds(&b, "</b>, series ");
	esc(&b, r->series);
	xb_buf_adds(&b, ", suite ");
	esc(&b, rd->info.suite);
	if (rd->info.label) {
		xb_buf_adds(&b, ", label ");
		esc(&b, rd->info.label);
	}
	xb_buf_addf(&b, ", %zu boot%s. <a href=\"#stats\">Statistics</a> &middot; <a href=\""
		    "#fingerprint\">Fingerprint</a></p>\n", rd->nboots, rd->nboots == 1 ? "" : "s");
	clock_note(&b, r->clock);
	for (size_t i = 0; i < d.n; i++) {
		char *v = xb_asprintf("%s %s", d.v[i].name, r->uuid);

		xb_buf_addf(&b, "<p id=\"%s\"><img src=\"../plots/%s.png\" alt=\"%s\"></p>"
			    "<p class=\"muted\">", d.v[i].kind, d.v[i].name, d.v[i].kind);
		esc(&b, d.v[i].caption);
		xb_buf_addf(&b, " <a href=\"../plots/%s.svg\">SVG</a>, <a href=\"../plots/%s.gp\">"
			    "gnuplot script</a>, <a href=\"../plots/%s.dat\">data</a>.</p>\n",
			    d.v[i].name, d.v[i].name, d.v[i].name);
		xb_kv_set(&c->latest, d.v[i].kind, v);
		free(v);
	}
	run_stats(&b, rd);
	run_fingerprint(&b, &rd->fingerprint);
	rel = xb_asprintf("runs/%s.html", r->uuid);
	rc = write_page(c, rel, &b);
	free(rel);
	c->st->runs++;
out:
	xb_details_free(&d);
	xb_run_detail_free(rd);
	xb_buf_free(&b);
	free(title);
	return rc;
}

static const struct { const char *kind, *what; } detail_kinds[] = {
	{ "cdf", "fault-latency CDF" },
	{ "share-memory", "host memory against guests (daxbench share)" },
	{ "exec", "exec startup cold and warm (daxbench share)" },
	{ "radix-uniform-t1", "radix lookup against file size (--suite radix)" },
};

/* The index's section of detail plots: the newest run's of each kind, a
 * thumbnail of the main kinds and a link to the others (radix patterns). */
static void details_section(struct ctx *c, struct xb_buf *sec)
{
	struct xb_buf more = { 0 };

	for (size_t i = 0; i < XB_ARRAY_SIZE(detail_kinds); i++)
		if (!xb_kv_get(&c->latest, detail_kinds[i].kind))
			xb_buf_addf(sec, "<li class=\"muted\">%s: no run recorded one</li>\n",
				    detail_kinds[i].what);
	for (size_t i = 0; i < c->latest.n; i++) {
		const char *kind = c->latest.v[i].key, *what = NULL;
		char name[256], uuid[64];

		if (sscanf(c->latest.v[i].value, "%255s %63s", name, uuid) != 2)
			continue;
		for (size_t k = 0; k < XB_ARRAY_SIZE(detail_kinds); k++)
			if (!strcmp(kind, detail_kinds[k].kind))
				what = detail_kinds[k].what;
		if (!what) {
			xb_buf_addf(&more, "%s<a href=\"runs/%s.html#%s\">%s</a> (run %.8s)",
				    more.len ? ", " : "", uuid, kind, kind, uuid);
			continue;
		}
		xb_buf_addf(sec, "<li><a href=\"runs/%s.html#%s\">%s</a>, newest run %.8s<br>"
			    "<a href=\"runs/%s.html#%s\"><img src=\"plots/%s.png\" width=\"450\" "
			    "alt=\"%s\"></a></li>\n", uuid, kind, what, uuid, uuid, kind, name, kind);
	}
	if (more.len)
		xb_buf_addf(sec, "<li>more: %s</li>\n", more.p);
	xb_buf_free(&more);
}

static void cell_real(struct xb_buf *b, double v)
{
	if (isnan(v))
		xb_buf_adds(b, "-");
	else
		xb_buf_addf(b, "%.4g", v);
}

static void comparison_row(struct xb_buf *b, const struct xb_stored_row *r)
{
	const double reals[] = { r->median_a, r->median_b, r->change_pct, r->ci_lo_pct,
				 r->ci_hi_pct, r->q };
	const char *v = r->verdict;

	xb_buf_addf(b, "<tr class=\"%s\">", v && !strcmp(v, "regression") ? "reg" :
		    v && !strcmp(v, "improvement") ? "imp" : "");
	xb_buf_adds(b, "<td>");
	esc(b, r->metric);
	xb_buf_adds(b, "</td><td>");
	esc(b, r->stat);
	xb_buf_addf(b, "</td><td>%lld</td><td>%lld</td>", (long long)r->n_a, (long long)r->n_b);
	for (size_t i = 0; i < XB_ARRAY_SIZE(reals); i++) {
		xb_buf_adds(b, "<td>");
		cell_real(b, reals[i]);
		xb_buf_adds(b, "</td>");
	}
	xb_buf_adds(b, "<td>");
	esc(b, v);
	xb_buf_adds(b, "</td></tr>\n");
}

/* A stored comparison built again from its runs: the forest plot and the
 * per-boot dots need every boot's value. When its runs are gone, the
 * stored rows alone. */
static int comparison_page(struct ctx *c, int64_t id, const char *title)
{
	static const char *const heads[] = { "metric", "stat", "n A", "n B", "median A",
		"median B", "change %", "CI low %", "CI high %", "q", "verdict" };
	struct xb_buf b = { 0 };
	struct xb_stored_row *rows = NULL;
	struct xb_comparison cmp;
	size_t nrows = 0;
	char *rel = xb_asprintf("compare/%lld.html", (long long)id);
	int rc;

	rc = xb_stored_comparison_rebuild(&cmp, c->db, id, NULL);
	if (!rc) {
		char *href = xb_asprintf("compare/%lld.html", (long long)id);
		char *t = xb_cmp_page_title(&cmp), *full = xb_asprintf("comparison %lld: %s",
									 (long long)id, t);

		xb_cmp_page(&b, &cmp, full, "../");
		xb_index_add_comparison(&c->ix, &cmp, href);
		free(href);
		free(t);
		free(full);
		xb_comparison_free(&cmp);
		/* xb_cmp_page closed the page */
		rc = write_closed(c, rel, &b);
		goto out;
	}
	xb_comparison_free(&cmp);
	rc = xb_stored_comparison_rows(&rows, &nrows, c->db, id);
	if (rc)
		goto out;
	page_head(&b, title, "../");
	xb_buf_adds(&b, "<p class=\"muted\">The runs of this comparison are no longer in the "
		    "database: its stored rows.</p><table><tr>");
	for (size_t i = 0; i < XB_ARRAY_SIZE(heads); i++)
		xb_buf_addf(&b, "<th>%s</th>", heads[i]);
	xb_buf_adds(&b, "</tr>\n");
	for (size_t i = 0; i < nrows; i++)
		comparison_row(&b, &rows[i]);
	xb_buf_adds(&b, "</table>\n");
	rc = write_page(c, rel, &b);
out:
	free(rel);
	xb_buf_free(&b);
	xb_stored_rows_free(rows, nrows);
	return rc;
}

/* Stored comparisons (daxbench compare); the index's section. */
static int publish_comparisons(struct ctx *c, struct xb_buf *sec)
{
	struct xb_stored_comparison *v = NULL;
	size_t n = 0;
	int rc;

	rc = xb_stored_comparisons(&v, &n, c->db);
	for (size_t i = 0; !rc && i < n; i++) {
		char when[32], *title;

		xb_iso_time(when, v[i].created_at);
		title = xb_asprintf("comparison %lld: %s vs %s", (long long)v[i].id,
				    v[i].name_a, v[i].name_b);
		rc = comparison_page(c, v[i].id, title);
		xb_buf_addf(sec, "<li><a href=\"compare/%lld.html\">", (long long)v[i].id);
		esc(sec, title);
		xb_buf_addf(sec, "</a> (%s): <span class=\"%s\">%d regressions</span>, %d "
			    "improvements, %d inconclusive</li>\n", when,
			    v[i].regressions ? "reg" : "", v[i].regressions, v[i].improvements,
			    v[i].inconclusive);
		free(title);
		c->st->comparisons++;
	}
	xb_stored_comparisons_free(v, n);
	return rc;
}

static int write_index(struct ctx *c, const struct xb_buf *details, const struct xb_buf *cmps,
		       size_t report_filled, size_t report_tables)
{
	struct xb_buf b = { 0 };
	char when[32];
	int rc;

	xb_iso_time(when, c->now);
	page_head(&b, "daxbench: DAX across kernels", NULL);
	xb_buf_addf(&b, "<p class=\"muted\">Published %s from %zu runs; %zu metrics, %zu change "
		    "points. Each trend point is one kernel; several runs of one kernel pool their "
		    "per-boot medians.</p>\n", when, c->runs->n, c->st->metrics,
		    c->st->changepoints);
	xb_buf_addf(&b, "<p><a href=\"#changed\">What changed</a> &middot; <a href=\"report.html\">"
		    "DAX report</a> (%zu of %zu tables filled) &middot; <a href=\"#metrics\">"
		    "Every metric</a> &middot; <a href=\"#comparisons\">Comparisons</a> &middot; "
		    "<a href=\"#details\">Detail plots</a></p>\n", report_filled, report_tables);
	xb_index_render(&b, &c->ix);
	xb_buf_addf(&b, "<h2>New change points since the last publish (%zu)</h2>\n",
		    c->st->new_changepoints);
	if (c->new_cps.len)
		xb_buf_addf(&b, "<ul>%s</ul>\n", c->new_cps.p);
	else
		xb_buf_adds(&b, "<p class=\"muted\">none</p>\n");
	xb_buf_adds(&b, "<h2 id=\"comparisons\">Comparisons</h2>\n");
	if (cmps->len)
		xb_buf_addf(&b, "<ul>%s</ul>\n", cmps->p);
	else
		xb_buf_adds(&b, "<p class=\"muted\">no stored comparison</p>\n");
	xb_buf_addf(&b, "<h2 id=\"details\">Detail plots</h2>\n<ul>%s</ul>\n",
		    details->p ? details->p : "");
	rc = write_page(c, "index.html", &b);
	xb_buf_free(&b);
	return rc;
}

/* The DAX report as a page of the site (report.html). */
static int publish_report(struct ctx *c, size_t *out_filled, size_t *out_tables)
{
	struct xb_report r;
	struct xb_buf b = { 0 };
	int rc = xb_report_build(&r, c->db);

	if (!rc) {
		xb_report_html(&b, &r, "DB", "");
		rc = write_closed(c, "report.html", &b);
		*out_filled = xb_report_filled(&r);
		*out_tables = r.nt;
	}
	xb_report_free(&r);
	xb_buf_free(&b);
	return rc;
}

static int make_dirs(const char *out)
{
	static const char *const sub[] = { "", "/plots", "/metric", "/runs", "/compare" };

	for (size_t i = 0; i < XB_ARRAY_SIZE(sub); i++) {
		char *d = xb_asprintf("%s%s", out, sub[i]);
		int rc = xb_mkdir_p(d, 0755);

		if (rc)
			xb_error_set(rc, "cannot create %s: %s", d, strerror(-rc));
		free(d);
		if (rc)
			return rc;
	}
	return 0;
}

int xb_publish(struct xb_publish_stats *out, struct xb_db *db,
	       const struct xb_trend_analysis *a, const char *outdir)
{
	struct ctx c = { .db = db, .out = outdir, .cp = &a->opts, .st = out, .now = a->now,
			 .runs = &a->runs };
	struct xb_buf details = { 0 }, cmps = { 0 };
	char *pdir = xb_asprintf("%s/plots", outdir);
	size_t rfilled = 0, rtables = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	xb_plot_queue_init(&c.q, pdir);
	rc = make_dirs(outdir);
	for (size_t i = 0; !rc && i < a->n; i++)
		rc = publish_metric(&c, &a->defs[i], &a->m[i]);
	for (size_t i = 0; !rc && i < a->runs.n; i++)
		rc = publish_run(&c, &a->runs.v[i]);
	if (!rc)
		details_section(&c, &details);
	if (!rc)
		rc = publish_comparisons(&c, &cmps);
	out->plots_unchanged = c.q.unchanged;
	out->plots_drawn = c.q.queued;
	if (!rc)
		rc = xb_plot_draw(&c.q);
	if (!rc)
		rc = publish_report(&c, &rfilled, &rtables);
	if (!rc)
		rc = write_index(&c, &details, &cmps, rfilled, rtables);
	xb_plot_queue_free(&c.q);
	xb_index_free(&c.ix);
	xb_buf_free(&c.new_cps);
	xb_kv_free(&c.latest);
	xb_buf_free(&details);
	xb_buf_free(&cmps);
	free(pdir);
	return rc;
}

void xb_publish_stats_free(struct xb_publish_stats *s)
{
	for (size_t i = 0; i < s->new_changepoints; i++)
		free(s->new_lines[i]);
	free(s->new_lines);
	memset(s, 0, sizeof(*s));
}
