// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>
#include "html.h"
#include "units.h"

/* Verdict colours are those of the plots (plot.c); each badge also has a
 * border and its word, so it survives grey-scale printing. The tables
 * scroll sideways on a narrow window instead of squeezing the page. */
const char xb_html_css[] =
	"body{font-family:sans-serif;margin:1em;color:#222;max-width:1200px;line-height:1.35}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.4em}h3{font-size:1.05em}"
	".scroll{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"td,th{border:1px solid #ccc;padding:.2em .45em;text-align:left;vertical-align:top;font-size:90%}"
	"th{background:#f3f3f3}th.src{background:#e6eefa;text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	".reg{color:#b2181b}.imp{color:#1a7a1a}.weak{font-style:italic}.muted{color:#666}"
	".badge{display:inline-block;border:1px solid;border-radius:3px;padding:0 .3em;"
	"font-size:85%;font-weight:bold;white-space:nowrap}"
	".badge.reg{background:#fde0de;color:#b2181b}.badge.imp{background:#dcf2dc;color:#1a7a1a}"
	".badge.nc{background:#eee;color:#444}.badge.inc{background:#fff4d6;color:#7a5a00}"
	".badge.chg{background:#e6eefa;color:#1f4e8c}"
	"img{max-width:100%;height:auto}svg{max-width:100%;height:auto}svg.boots,svg.spark{max-width:none}"
	"code{font-size:95%}"
	"details{margin:.3em 0}summary{cursor:pointer}"
	".plot{position:relative;display:inline-block;max-width:100%}.plot img{display:block;height:auto}"
	".pt{position:absolute;width:12px;height:12px;margin:-6px 0 0 -6px;border-radius:50%}"
	".pt:hover,.pt:focus{outline:2px solid #d62728}"
	"@media (max-width:600px){body{margin:.5em}td,th{font-size:85%;padding:.15em .3em}"
	/* a narrow window: each row of a stacked table becomes a block */
	".stack tr{display:block;border-bottom:1px solid #ccc;padding:.3em 0}"
	".stack tr:first-child{display:none}.stack td{display:inline-block;border:none}"
	".stack td.n{text-align:left}.stack td[data-l]::before{content:attr(data-l) \": \";"
	"color:#666;font-weight:normal}}"
	"@media print{a{color:inherit;text-decoration:none}.scroll{overflow:visible}"
	"body{max-width:none}details>*{display:block}}";

void xb_html_esc(struct xb_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': xb_buf_adds(b, "&lt;"); break;
		case '>': xb_buf_adds(b, "&gt;"); break;
		case '&': xb_buf_adds(b, "&amp;"); break;
		case '"': xb_buf_adds(b, "&quot;"); break;
		default: xb_buf_add(b, s, 1);
		}
	}
}

void xb_html_metric(struct xb_buf *b, const char *name)
{
	for (const char *p = name; p && *p; p++) {
		char c[2] = { *p, 0 };

		xb_html_esc(b, c);
		if (*p == '.' && p[1])
			xb_buf_adds(b, "<wbr>");
	}
}

void xb_html_head(struct xb_buf *b, const char *title, const char *root)
{
	xb_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	xb_html_esc(b, title);
	xb_buf_addf(b, "</title><style>%s</style></head><body>\n", xb_html_css);
	if (root)
		xb_buf_addf(b, "<p><a href=\"%sindex.html\">&larr; all metrics</a></p>\n", root);
	xb_buf_adds(b, "<h1>");
	xb_html_esc(b, title);
	xb_buf_adds(b, "</h1>\n");
}

const char *xb_html_verdict_class(const char *v)
{
	if (!v)
		return "";
	if (!strncmp(v, "regression", 10))
		return "reg";
	if (!strncmp(v, "improvement", 11))
		return "imp";
	if (!strncmp(v, "no change", 9))
		return "nc";
	if (!strncmp(v, "inconclusive", 12))
		return "inc";
	if (!strncmp(v, "change", 6))
		return "chg";
	return "";
}

void xb_html_badge(struct xb_buf *b, const char *v)
{
	xb_buf_addf(b, "<span class=\"badge %s\">", xb_html_verdict_class(v));
	xb_html_esc(b, v && *v ? v : "-");
	xb_buf_adds(b, "</span>");
}

static void minmax(double *lo, double *hi, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i])) {
			*lo = fmin(*lo, v[i]);
			*hi = fmax(*hi, v[i]);
		}
}

void xb_svg_sparkline(struct xb_buf *b, const double *v, size_t n, int w, int h,
		      const char *label)
{
	double lo = INFINITY, hi = -INFINITY, pad = 3;
	size_t last = n, npts = 0;

	minmax(&lo, &hi, v, n);
	xb_buf_addf(b, "<svg class=\"spark\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		    "role=\"img\" aria-label=\"", w, h, w, h);
	xb_html_esc(b, label);
	xb_buf_adds(b, "\"><title>");
	xb_html_esc(b, label);
	xb_buf_adds(b, "</title>");
	if (!isfinite(lo)) {
		xb_buf_adds(b, "</svg>");
		return;
	}
	/* at least +-5% of the level: noise of a few per mille stays flat */
	if (hi - lo <= 0.1 * fmax(fabs(hi), fabs(lo))) {
		double mid = (hi + lo) / 2, half = 0.05 * fmax(fabs(hi), fabs(lo));

		lo = mid - (half > 0 ? half : 1);
		hi = mid + (half > 0 ? half : 1);
	}
	xb_buf_adds(b, "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
	for (size_t i = 0; i < n; i++) {
		double x, y;

		if (!isfinite(v[i]))
			continue;
		x = n > 1 ? pad + (w - 2 * pad) * i / (double)(n - 1) : w / 2.0;
		y = h - pad - (h - 2 * pad) * (v[i] - lo) / (hi - lo);
		xb_buf_addf(b, "%s%.1f,%.1f", npts++ ? " " : "", x, y);
		last = i;
	}
	xb_buf_adds(b, "\"/>");
	if (last < n) {
		double x = n > 1 ? pad + (w - 2 * pad) * last / (double)(n - 1) : w / 2.0;
		double y = h - pad - (h - 2 * pad) * (v[last] - lo) / (hi - lo);

		xb_buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#222\"/>", x, y);
	}
	xb_buf_adds(b, "</svg>");
}

static const char *verdict_color(const char *v)
{
	const char *k = xb_html_verdict_class(v);

	return !strcmp(k, "reg") ? "#b2181b" : !strcmp(k, "imp") ? "#1a7a1a" :
	       !strcmp(k, "inc") ? "#a07800" : "#555";
}

#define FOREST_W 640
#define FOREST_LABEL 250
#define FOREST_RIGHT 130
#define FOREST_ROW 18

/* A symmetric axis wide enough for every interval and twice the band. */
static double forest_range(const struct xb_forest_row *r, size_t n, double thr)
{
	double m = 2 * thr;

	for (size_t i = 0; i < n; i++) {
		const double v[] = { r[i].pct, r[i].lo, r[i].hi };

		for (size_t k = 0; k < 3; k++)
			if (isfinite(v[k]))
				m = fmax(m, fabs(v[k]));
	}
	return m > 0 ? m * 1.08 : 1;
}

void xb_svg_forest(struct xb_buf *b, const struct xb_forest_row *r, size_t n, double thr)
{
	double range = forest_range(r, n, thr), x0 = FOREST_LABEL,
	       pw = FOREST_W - FOREST_LABEL - FOREST_RIGHT;
	int h = (int)(n * FOREST_ROW + 34);
#define FX(p) (x0 + pw * ((p) + range) / (2 * range))

	xb_buf_addf(b, "<svg class=\"forest\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		    "role=\"img\" aria-label=\"forest plot: change of each metric in percent "
		    "with its 95%% interval\" font-family=\"sans-serif\" font-size=\"11\">",
		    FOREST_W, h, FOREST_W, h);
	xb_buf_addf(b, "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"%zu\" fill=\"#e8e8e8\">"
		    "<title>no-change band +-%.3g%%</title></rect>", FX(-thr),
		    FX(thr) - FX(-thr), n * FOREST_ROW, thr);
	xb_buf_addf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"4\" y2=\"%zu\" stroke=\"#888\"/>",
		    FX(0), FX(0), n * FOREST_ROW + 4);
	for (size_t i = 0; i < n; i++) {
		double y = 4 + FOREST_ROW * (i + 0.5);
		const char *col = verdict_color(r[i].verdict);
		char pct[XB_FMT_LEN];

		xb_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" dy=\"4\">",
			    x0 - 6, y);
		xb_html_esc(b, r[i].label);
		xb_buf_adds(b, "</text>");
		if (isfinite(r[i].lo) && isfinite(r[i].hi))
			xb_buf_addf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
				    "stroke=\"%s\" stroke-width=\"2\"/>", FX(fmax(-range, r[i].lo)),
				    FX(fmin(range, r[i].hi)), y, y, col);
		if (isfinite(r[i].pct))
			xb_buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" "
				    "fill=\"%s\"/>", FX(r[i].pct) - 3.5, y - 3.5, col);
		xb_fmt_pct(pct, r[i].pct);
		xb_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"4\" fill=\"%s\">%s ",
			    x0 + pw + 6, y, col, pct);
		xb_html_esc(b, r[i].verdict);
		xb_buf_adds(b, "</text>");
	}
	for (int k = -1; k <= 1; k++) {
		char t[XB_FMT_LEN];

		xb_fmt_pct(t, k * range / 1.08);
		xb_buf_addf(b, "<text x=\"%.1f\" y=\"%zu\" text-anchor=\"middle\" fill=\"#555\">%s"
			    "</text>", FX(k * range / 1.08), n * FOREST_ROW + 20, k ? t : "0");
	}
	xb_buf_addf(b, "<text x=\"%.1f\" y=\"%zu\" fill=\"#555\">grey band: no change "
		    "(+-%.3g%%)</text></svg>", x0, n * FOREST_ROW + 32, thr);
#undef FX
}

#define BOOTS_W 240
#define BOOTS_H 44

void xb_svg_boots(struct xb_buf *b, const double *a, size_t na, const double *vb, size_t nb,
		  const char *unit)
{
	double lo = INFINITY, hi = -INFINITY, l = 22, r = BOOTS_W - 8;
	char t0[XB_FMT_LEN], t1[XB_FMT_LEN];

	minmax(&lo, &hi, a, na);
	minmax(&lo, &hi, vb, nb);
	if (!isfinite(lo))
		return;
	xb_fmt_human(t0, lo, unit);
	xb_fmt_human(t1, hi, unit);
	xb_buf_addf(b, "<svg class=\"boots\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		    "role=\"img\" aria-label=\"per-boot values: %zu of A, %zu of B, %s to %s\" "
		    "font-family=\"sans-serif\" font-size=\"10\">", BOOTS_W, BOOTS_H, BOOTS_W,
		    BOOTS_H, na, nb, t0, t1);
	if (hi - lo < 1e-12 * fmax(1, fabs(hi))) {
		lo -= 1;
		hi += 1;
	}
	xb_buf_adds(b, "<text x=\"2\" y=\"12\">A</text><text x=\"2\" y=\"27\">B</text>");
	for (int s = 0; s < 2; s++) {
		const double *v = s ? vb : a;
		size_t n = s ? nb : na;

		for (size_t i = 0; i < n; i++)
			if (isfinite(v[i]))
				xb_buf_addf(b, "<circle cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"%s\" "
					    "fill-opacity=\"0.7\"/>", l + (r - l) * (v[i] - lo) /
					    (hi - lo), s ? 23 : 8, s ? "#ff7f0e" : "#1f77b4");
	}
	xb_buf_addf(b, "<text x=\"%.0f\" y=\"41\" fill=\"#555\">%s</text><text x=\"%.0f\" y=\"41\" "
		    "text-anchor=\"end\" fill=\"#555\">%s</text></svg>", l, t0, r, t1);
}
