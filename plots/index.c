// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "index.h"
#include "html.h"
#include "units.h"

#define esc xb_html_esc
#define SPARK_W 120
#define SPARK_H 26

void xb_index_init(struct xb_index *x)
{
	memset(x, 0, sizeof(*x));
}

void xb_index_free(struct xb_index *x)
{
	for (size_t i = 0; i < x->nch; i++)
		free(x->ch[i].row);
	for (size_t i = 0; i < x->nitems; i++) {
		free(x->items[i].name);
		free(x->items[i].row);
	}
	free(x->ch);
	free(x->items);
	memset(x, 0, sizeof(*x));
}

static void add_change(struct xb_index *x, int rank, const char *unit, double pct,
		       struct xb_buf *row)
{
	x->ch = xb_realloc(x->ch, (x->nch + 1) * sizeof(*x->ch));
	x->ch[x->nch++] = (struct xb_index_change){ .rank = rank, .cls = xb_unit_class(unit),
		.abs_pct = fabs(pct), .row = xb_buf_detach(row) };
}

static void spark_of_series(struct xb_buf *b, const struct xb_trend *t,
			    const struct xb_trend_series *se)
{
	double *v;
	char *label;

	if (se->n < 2)   /* one kernel: no trend to draw */
		return;
	v = xb_malloc((se->n + 1) * sizeof(*v));

	for (size_t i = 0; i < se->n; i++)
		v[i] = se->pts[i].median;
	label = xb_asprintf("trend of %s over %zu kernels (%s)", t->m.name, se->n, se->name);
	xb_svg_sparkline(b, v, se->n, SPARK_W, SPARK_H, label);
	free(label);
	free(v);
}

static void metric_link(struct xb_buf *b, const char *name, const char *slug)
{
	xb_buf_addf(b, "<a href=\"metric/%s.html\"><code>", slug);
	xb_html_metric(b, name);
	xb_buf_adds(b, "</code></a>");
}

/* A change point as a row of "what changed". The interval of a change
 * point is the interquartile range of the new kernel's per-boot medians
 * against the old segment's median: how far its boots spread. */
static void cp_change(struct xb_index *x, const struct xb_trend *t,
		      const struct xb_trend_series *se, const struct xb_trend_cp *cp,
		      const char *slug)
{
	struct xb_buf r = { 0 };
	double pct = xb_trend_change_pct(cp->cp.before, cp->cp.after);
	const char *word = cp->regression == 1 ? "regression" : cp->regression == 0 ?
			   "improvement" : "change";
	char a[XB_FMT_LEN], bb[XB_FMT_LEN], p[XB_FMT_LEN], lo[XB_FMT_LEN], hi[XB_FMT_LEN];
	char pv[XB_FMT_LEN];

	xb_buf_addf(&r, "<tr class=\"%s\"><td>", xb_html_verdict_class(word));
	xb_html_badge(&r, word);
	if (cp->cp.level == XB_CP_WEAK)
		xb_buf_adds(&r, " <span class=\"muted\">weak</span>");
	if (cp->is_new)
		xb_buf_adds(&r, " <b>new</b>");
	xb_buf_adds(&r, "</td><td>");
	metric_link(&r, t->m.name, slug);
	xb_buf_adds(&r, "</td><td>");
	esc(&r, cp->prev->first->label);
	xb_buf_adds(&r, " &rarr; ");
	esc(&r, cp->at->first->label);
	xb_buf_adds(&r, "<br><span class=\"muted\">trend, ");
	esc(&r, se->name);
	xb_buf_adds(&r, "</span></td>");
	xb_fmt_human(a, cp->cp.before, t->m.unit);
	xb_fmt_human(bb, cp->cp.after, t->m.unit);
	xb_fmt_pct(p, pct);
	xb_fmt_pct(lo, xb_trend_change_pct(cp->cp.before, cp->at->q1));
	xb_fmt_pct(hi, xb_trend_change_pct(cp->cp.before, cp->at->q3));
	xb_fmt_p(pv, cp->cp.p);
	xb_buf_addf(&r, "<td class=\"n\">%s &rarr; %s</td><td class=\"n\"><b>%s</b></td>"
		    "<td class=\"n\">%s .. %s<br><span class=\"muted\">IQR, p=%s</span></td><td>",
		    a, bb, p, lo, hi, pv);
	spark_of_series(&r, t, se);
	xb_buf_adds(&r, "</td></tr>\n");
	add_change(x, cp->regression == 1 ? 0 : cp->regression == 0 ? 1 : 2, t->m.unit, pct, &r);
}

static const char *direction_text(const char *d)
{
	return !strcmp(d, "lower") ? "lower is better" : !strcmp(d, "higher") ?
	       "higher is better" : "no better direction";
}

void xb_index_add_metric(struct xb_index *x, const struct xb_trend *t,
			 struct xb_trend_cp *const *cps, const size_t *ncps, const char *slug,
			 size_t min_seg)
{
	struct xb_buf r = { 0 };

	for (size_t s = 0; s < t->nseries; s++)
		if (ncps[s])
			cp_change(x, t, &t->series[s], &cps[s][ncps[s] - 1], slug);
	xb_buf_adds(&r, "<tr><td>");
	metric_link(&r, t->m.name, slug);
	xb_buf_adds(&r, "<br><span class=\"muted\">");
	esc(&r, direction_text(t->m.direction));
	xb_buf_adds(&r, "</span></td>");
	for (int col = 0; col < 4; col++) {
		xb_buf_adds(&r, col ? "<td>" : "<td class=\"n\">");
		for (size_t s = 0; s < t->nseries; s++) {
			const struct xb_trend_series *se = &t->series[s];
			const struct xb_trend_point *p = &se->pts[se->n - 1];
			char v[XB_FMT_LEN], q1[XB_FMT_LEN], q3[XB_FMT_LEN];

			xb_buf_adds(&r, s ? "<br>" : "");
			if (col == 0) {
				xb_fmt_human(v, p->median, t->m.unit);
				xb_fmt_human(q1, p->q1, t->m.unit);
				xb_fmt_human(q3, p->q3, t->m.unit);
				xb_buf_addf(&r, "<b>%s</b> <span class=\"muted\">(", v);
				if (strcmp(q1, v) || strcmp(q3, v))
					xb_buf_addf(&r, "%s .. %s, ", q1, q3);
				xb_buf_addf(&r, "%zu boot%s)</span>", p->nboots,
					    p->nboots == 1 ? "" : "s");
			} else if (col == 1) {
				esc(&r, p->first->label);
				xb_buf_adds(&r, " <span class=\"muted\">");
				esc(&r, se->name);
				xb_buf_adds(&r, "</span>");
			} else if (col == 2) {
				spark_of_series(&r, t, se);
			} else if (ncps[s]) {
				const struct xb_trend_cp *cp = &cps[s][ncps[s] - 1];

				xb_html_badge(&r, cp->regression == 1 ? "regression" :
					      cp->regression == 0 ? "improvement" : "change");
				xb_buf_adds(&r, " at ");
				esc(&r, cp->at->first->label);
			} else {
				xb_buf_addf(&r, "<span class=\"muted\">no change point, %zu kernel%s%s"
					    "</span>", se->n, se->n == 1 ? "" : "s",
					    se->n < 2 * min_seg ? " (too few to tell)" : "");
			}
		}
		xb_buf_adds(&r, "</td>");
	}
	xb_buf_adds(&r, "</tr>\n");
	x->items = xb_realloc(x->items, (x->nitems + 1) * sizeof(*x->items));
	x->items[x->nitems++] = (struct xb_index_item){ .cls = xb_unit_class(t->m.unit),
		.name = xb_strdup(t->m.name), .row = xb_buf_detach(&r) };
}

static void cmp_change(struct xb_index *x, const struct xb_comparison *c,
		       const struct xb_comparison_row *row, const char *href)
{
	const struct xb_cmp_row *k = &row->r;
	const char *word = xb_cmp_verdict_name(k->verdict);
	char a[XB_FMT_LEN], b[XB_FMT_LEN], p[XB_FMT_LEN], lo[XB_FMT_LEN], hi[XB_FMT_LEN];
	char pv[XB_FMT_LEN];
	struct xb_buf r = { 0 };

	xb_buf_addf(&r, "<tr class=\"%s\"><td>", xb_html_verdict_class(word));
	xb_html_badge(&r, word);
	xb_buf_addf(&r, "</td><td><a href=\"%s\"><code>", href);
	xb_html_metric(&r, row->metric);
	xb_buf_adds(&r, "</code></a>");
	if (strcmp(row->stat, "p50"))
		xb_buf_addf(&r, " <span class=\"muted\">%s</span>", row->stat);
	xb_buf_adds(&r, "</td><td>");
	esc(&r, c->name_a);
	xb_buf_adds(&r, " &rarr; ");
	esc(&r, c->name_b);
	xb_buf_addf(&r, "<br><span class=\"muted\">comparison %lld, %zu vs %zu boots</span></td>",
		    (long long)c->id, k->na, k->nb);
	xb_fmt_human(a, k->median_a, row->unit);
	xb_fmt_human(b, k->median_b, row->unit);
	xb_fmt_pct(p, k->change_pct);
	xb_fmt_pct(lo, k->ci_lo_pct);
	xb_fmt_pct(hi, k->ci_hi_pct);
	xb_buf_addf(&r, "<td class=\"n\">%s &rarr; %s</td><td class=\"n\"><b>%s</b></td>"
		    "<td class=\"n\">", a, b, p);
	xb_fmt_p(pv, k->q);
	if (k->hl.ci_ok)
		xb_buf_addf(&r, "%s .. %s<br><span class=\"muted\">95%%, q=%s</span>", lo, hi, pv);
	else
		xb_buf_adds(&r, k->deterministic ? "exact" : "-");
	xb_buf_adds(&r, "</td><td>");
	xb_svg_boots(&r, row->va, k->na, row->vb, k->nb, row->unit);
	xb_buf_adds(&r, "</td></tr>\n");
	add_change(x, k->verdict == XB_VERDICT_REGRESSION ? 0 :
		   k->verdict == XB_VERDICT_IMPROVEMENT ? 1 : 2, row->unit, k->change_pct, &r);
}

void xb_index_add_comparison(struct xb_index *x, const struct xb_comparison *c,
			     const char *href)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].r.verdict == XB_VERDICT_REGRESSION ||
		    c->rows[i].r.verdict == XB_VERDICT_IMPROVEMENT)
			cmp_change(x, c, &c->rows[i], href);
}

static int cmp_change_order(const void *pa, const void *pb)
{
	const struct xb_index_change *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank - b->rank;
	if (a->cls != b->cls)
		return a->cls - b->cls;
	if (isnan(a->abs_pct) != isnan(b->abs_pct))
		return isnan(a->abs_pct) ? 1 : -1;
	return a->abs_pct < b->abs_pct ? 1 : a->abs_pct > b->abs_pct ? -1 : 0;
}

static int cmp_item_order(const void *pa, const void *pb)
{
	const struct xb_index_item *a = pa, *b = pb;

	return a->cls != b->cls ? a->cls - b->cls : strcmp(a->name, b->name);
}

/* Families of more metrics than this start folded. */
#define FAMILY_OPEN_MAX 40

void xb_index_render(struct xb_buf *b, struct xb_index *x)
{
	qsort(x->ch, x->nch, sizeof(*x->ch), cmp_change_order);
	qsort(x->items, x->nitems, sizeof(*x->items), cmp_item_order);
	xb_buf_addf(b, "<h2 id=\"changed\">What changed (%zu)</h2>\n", x->nch);
	if (!x->nch) {
		xb_buf_adds(b, "<p class=\"muted\">Nothing: no change point on any trend and no "
			    "regression or improvement in a stored comparison.</p>\n");
	} else {
		xb_buf_adds(b, "<div class=\"scroll\"><table id=\"changes\" class=\"stack\"><tr><th>verdict</th>"
			    "<th>metric</th><th>where</th><th class=\"n\">before &rarr; after</th>"
			    "<th class=\"n\">change</th><th class=\"n\">interval</th><th>shape</th>"
			    "</tr>\n");
		for (size_t i = 0; i < x->nch; i++)
			xb_buf_adds(b, x->ch[i].row);
		xb_buf_adds(b, "</table></div>\n<p class=\"muted\">Regressions first, largest first, "
			    "then improvements, then changes of metrics with no better direction. "
			    "Interval: for a comparison the Hodges-Lehmann 95% interval of the change "
			    "(shape: each boot of A blue, of B orange); for a trend's change point the "
			    "interquartile range of the new kernel's boots against the old level "
			    "(shape: the trend).</p>\n");
	}
	xb_buf_adds(b, "<h2 id=\"metrics\">Every metric, by family</h2>\n");
	for (size_t f = 0; f < xb_nfamilies; f++) {
		size_t n = 0;

		for (size_t i = 0; i < x->nitems; i++)
			n += xb_metric_family(x->items[i].name) == f;
		if (!n)
			continue;
		xb_buf_addf(b, "<details id=\"family-%zu\"%s><summary><b>%s</b> (%zu metric%s) "
			    "<span class=\"muted\">%s</span></summary>\n<div class=\"scroll\"><table class=\"stack\">"
			    "<tr><th>metric</th><th class=\"n\">newest median (IQR when it differs, boots)</th>"
			    "<th>kernel, series</th><th>trend</th><th>last change</th></tr>\n", f,
			    n <= FAMILY_OPEN_MAX ? " open" : "", xb_families[f].name, n,
			    n == 1 ? "" : "s", xb_families[f].what);
		for (size_t i = 0; i < x->nitems; i++)
			if (xb_metric_family(x->items[i].name) == f)
				xb_buf_adds(b, x->items[i].row);
		xb_buf_adds(b, "</table></div></details>\n");
	}
}
