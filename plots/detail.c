// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "detail.h"
#include "query.h"
#include "stats.h"

static const struct xb_pooled *pool_get(const struct xb_pooled_list *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->m[i].name, name))
			return &p->m[i];
	return NULL;
}

static double q(const struct xb_pooled *m, double f)
{
	return xb_stats_quantile_sorted(m->v, m->n, f);
}

/* Split a dotted name into at most max fields (in buf); returns the count. */
static size_t split(char *buf, size_t len, const char *name, char **f, size_t max)
{
	size_t n = 0;

	snprintf(buf, len, "%s", name);
	for (char *s = buf, *dot; n < max; s = dot + 1) {
		f[n++] = s;
		dot = strchr(s, '.');
		if (!dot)
			break;
		*dot = 0;
	}
	return n;
}

static void add(struct xb_details *out, const char *name, const char *kind, char *caption)
{
	out->v = xb_realloc(out->v, (out->n + 1) * sizeof(*out->v));
	out->v[out->n++] = (struct xb_detail){ .name = xb_strdup(name),
					       .kind = xb_strdup(kind), .caption = caption };
}

void xb_details_free(struct xb_details *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].name);
		free(d->v[i].kind);
		free(d->v[i].caption);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

struct dctx {
	struct xb_db *db;
	struct xb_plot_queue *q;
	int64_t run;
	const char *prefix;
	const char *title_run;
	struct xb_details *out;
};

static char *pname(const struct dctx *c, const char *kind)
{
	return xb_asprintf("%s%s", c->prefix, kind);
}

static int queue(struct dctx *c, const char *kind, const struct xb_buf *gp,
		 const struct xb_buf *dat, int w, int h, char *caption)
{
	char *name = pname(c, kind);
	int rc = xb_plot_add(c->q, name, gp->p, dat->p ? dat->p : "", w, h);

	if (!rc)
		add(c->out, name, kind, caption);
	else
		free(caption);
	free(name);
	return rc;
}

/* fault.<mode>.<op>.pte.ns, the figures every fault suite records */
static bool cdf_basic(const char *name, char *mode, size_t len, bool *out_write)
{
	char buf[128], *f[8];
	size_t n = split(buf, sizeof(buf), name, f, 8);

	if (n < 3)
		return false;
	snprintf(mode, len, "%s", f[1]);
	*out_write = n == 5 && !strcmp(f[2], "write");
	return n == 5 && (!strcmp(f[2], "read") || *out_write) && !strcmp(f[3], "pte");
}

static const char *mode_color(const char *mode);

static int cdf_one(struct dctx *c, const char *kind, const char *what,
		   const struct xb_cdf_curve *cv, size_t nc, int width)
{
	struct xb_buf gp = { 0 }, dat = { 0 };
	char *name = pname(c, kind), *title;
	size_t total = 0;
	int rc;

	for (size_t i = 0; i < nc; i++)
		total += cv[i].n;
	title = xb_asprintf("Page fault latency CDF: %s, %s", what, c->title_run);
	xb_plot_cdf(&gp, &dat, cv, nc, title, "latency of one fault (log scale, right is "
		    "slower)", name);
	rc = queue(c, kind, &gp, &dat, width, 460,
		   xb_asprintf("Every raw per-fault sample of the run (%zu in %zu series), "
			       "boots and repetitions pooled; n per series in the legend.", total,
			       nc));
	free(title);
	free(name);
	xb_buf_free(&gp);
	xb_buf_free(&dat);
	return rc;
}

/*
 * Per-fault latencies (fault.*.ns): "cdf" compares the modes on plain
 * 4 KiB reads and writes (colour: mode, dashed: write); a run with more
 * fault paths (the full suite) gets "cdf-<mode>" with every path of a mode.
 */
static int detail_cdf(struct dctx *c)
{
	struct xb_pooled_list p;
	struct xb_cdf_curve *cv;
	struct xb_kvlist modes = { 0 };
	size_t nc = 0;
	int rc;

	rc = xb_query_pooled_samples(&p, c->db, c->run, "fault.*.ns");
	if (rc)
		return rc;
	cv = xb_malloc((p.n + 1) * sizeof(*cv));
	for (size_t i = 0; i < p.n; i++) {
		char mode[64] = "";
		bool w;

		if (cdf_basic(p.m[i].name, mode, sizeof(mode), &w))
			cv[nc++] = (struct xb_cdf_curve){ .title = p.m[i].name, .v = p.m[i].v,
							  .n = p.m[i].n, .color = mode_color(mode),
							  .dt = w ? 2 : 1 };
		else if (*mode)
			xb_kv_set(&modes, mode, "more");
	}
	if (nc)
		rc = cdf_one(c, "cdf", "4 KiB reads and writes per mode", cv, nc, 900);
	for (size_t m = 0; !rc && m < modes.n; m++) {
		char *kind = xb_asprintf("cdf-%s", modes.v[m].key);
		char *what = xb_asprintf("%s, every path", modes.v[m].key);

		nc = 0;
		for (size_t i = 0; i < p.n; i++) {
			char mode[64] = "";
			bool w;

			cdf_basic(p.m[i].name, mode, sizeof(mode), &w);
			if (!strcmp(mode, modes.v[m].key))
				cv[nc++] = (struct xb_cdf_curve){ .title = p.m[i].name,
								  .v = p.m[i].v, .n = p.m[i].n };
		}
		rc = cdf_one(c, kind, what, cv, nc, 1100);
		free(kind);
		free(what);
	}
	xb_kv_free(&modes);
	free(cv);
	xb_pooled_free(&p);
	return rc;
}

static const char *mode_color(const char *mode)
{
	static const struct { const char *mode, *color; } m[] = {
		{ "dax", "#1f77b4" }, { "pagecache", "#ff7f0e" },
		{ "blk", "#9467bd" }, { "ksm", "#8c564b" }, { "anon", "#2ca02c" },
	};

	for (size_t i = 0; i < XB_ARRAY_SIZE(m); i++)
		if (!strcmp(m[i].mode, mode))
			return m[i].color;
	return "#17becf";
}

static struct xb_xy_curve *curve_of(struct xb_xy_panel *p, const char *title)
{
	for (size_t i = 0; i < p->nc; i++)
		if (!strcmp(p->c[i].title, title))
			return &p->c[i];
	p->c = xb_realloc(p->c, (p->nc + 1) * sizeof(*p->c));
	memset(&p->c[p->nc], 0, sizeof(*p->c));
	p->c[p->nc].title = xb_strdup(title);
	return &p->c[p->nc++];
}

/* share.<mode>.n<N>.host.pss_sum.kib: one sample per group of N guests. */
static int detail_share_memory(struct dctx *c)
{
	struct xb_pooled_list p, slope;
	struct xb_xy_panel *pan = xb_malloc(sizeof(*pan));
	struct xb_buf gp = { 0 }, dat = { 0 };
	int rc;

	memset(pan, 0, sizeof(*pan));
	rc = xb_query_pooled_samples(&p, c->db, c->run, "share.*.n*.host.pss_sum.kib");
	if (!rc)
		rc = xb_query_pooled_samples(&slope, c->db, c->run, "share.*.host_per_guest.kib");
	if (rc) {
		xb_pooled_free(&p);
		free(pan);
		return rc;
	}
	for (size_t i = 0; i < p.n; i++) {
		char buf[256], *f[8], *title, *sn;
		const struct xb_pooled *m = &p.m[i], *s;
		struct xb_xy_curve *cv;
		unsigned n;

		if (split(buf, sizeof(buf), m->name, f, 8) != 6 || sscanf(f[2], "n%u", &n) != 1)
			continue;
		sn = xb_asprintf("share.%s.host_per_guest.kib", f[1]);
		s = pool_get(&slope, sn);
		title = s ? xb_asprintf("%s: %+.0f MiB per added guest", f[1], q(s, 0.5) / 1024) :
			xb_strdup(f[1]);
		cv = curve_of(pan, title);
		cv->color = mode_color(f[1]);
		xb_xy_curve_add(cv, n, q(m, 0.5), m->v[0], m->v[m->n - 1], m->n);
		free(title);
		free(sn);
	}
	if (pan->nc) {
		struct xb_plot_style st = {
			.title = "Host memory of N guests sharing one /usr image", .xlabel =
			"guests running at once (N)", .ylabel = "host memory: sum of the QEMUs' Pss, "
			"MiB (lower is better)", .xtics = "1", .key = "top left", .y0 = true,
			.yscale = 1.0 / 1024,
		};
		char *t = xb_asprintf("%s, %s", st.title, c->title_run), *name;

		st.title = t;
		name = pname(c, "share-memory");
		{
			double lo = INFINITY, hi = -INFINITY;

			for (size_t k = 0; k < pan->nc; k++)
				for (size_t j = 0; j < pan->c[k].n; j++) {
					lo = fmin(lo, pan->c[k].x[j]);
					hi = fmax(hi, pan->c[k].x[j]);
				}
			xb_buf_addf(&gp, "set xrange [%g:%g]\n", lo - 0.25, hi + 0.25);
		}
		xb_plot_xy(&gp, &dat, pan, 1, &st, name);
		free(name);
		free(t);
	}
	xb_pooled_free(&p);
	xb_pooled_free(&slope);
	if (pan->nc)
		rc = queue(c, "share-memory", &gp, &dat, 900, 500,
			   xb_strdup("Sum of the Pss of the QEMU processes with all N guests alive, "
				     "per mode (one sample per group; bars min-max when a group was "
				     "measured more than once); the slope in the legend is the "
				     "least-squares fit over N (share.<mode>.host_per_guest.kib)."));
	xb_xy_panels_free(pan, 1);
	xb_buf_free(&gp);
	xb_buf_free(&dat);
	return rc;
}

static struct xb_bar_panel *bar_panel(struct xb_bar_panel **p, size_t *np, const char *title)
{
	for (size_t i = 0; i < *np; i++)
		if (!strcmp((*p)[i].title, title))
			return &(*p)[i];
	*p = xb_realloc(*p, (*np + 1) * sizeof(**p));
	(*p)[*np] = (struct xb_bar_panel){ .title = xb_strdup(title) };
	return &(*p)[(*np)++];
}

static struct xb_bar_group *bar_group(struct xb_bar_panel *p, const char *label)
{
	for (size_t i = 0; i < p->ng; i++)
		if (!strcmp(p->g[i].label, label))
			return &p->g[i];
	p->g = xb_realloc(p->g, (p->ng + 1) * sizeof(*p->g));
	memset(&p->g[p->ng], 0, sizeof(*p->g));
	p->g[p->ng].label = xb_strdup(label);
	return &p->g[p->ng++];
}

/* share.<mode>.n1.exec.<prog>.{cold,warm}.us: a panel per program, a
 * group per mode, cold and warm bars (median, IQR). */
static int detail_exec(struct dctx *c)
{
	static const char *const bars[] = { "cold (after drop_caches)", "warm (median, IQR)" };
	struct xb_bar_panel *pan = NULL;
	size_t np = 0;
	struct xb_pooled_list p;
	struct xb_buf gp = { 0 }, dat = { 0 };
	int rc;

	rc = xb_query_pooled_samples(&p, c->db, c->run, "share.*.n1.exec.*.us");
	if (rc)
		return rc;
	for (size_t i = 0; i < p.n; i++) {
		char buf[256], *f[8];
		const struct xb_pooled *m = &p.m[i];
		struct xb_bar_group *g;
		int b;

		if (split(buf, sizeof(buf), m->name, f, 8) != 7)
			continue;
		b = !strcmp(f[5], "cold") ? 0 : !strcmp(f[5], "warm") ? 1 : -1;
		if (b < 0)
			continue;
		g = bar_group(bar_panel(&pan, &np, f[4]), f[1]);
		g->v[b] = q(m, 0.5);
		g->lo[b] = q(m, 0.25);
		g->hi[b] = q(m, 0.75);
		g->n[b] = m->n;
	}
	if (np) {
		struct xb_plot_style st = {
			.ylabel = "ms from fork to exit (lower is better)", .key = "top right",
			.yscale = 1e-3, .cols = np < 2 ? 1 : 2, .rows = (int)(np + 1) / 2,
		};
		char *name = pname(c, "exec");

		st.title = xb_asprintf("Exec startup per program and mode (one guest), %s",
				       c->title_run);
		xb_plot_groupbars(&gp, &dat, pan, np, bars, 2, &st, name);
		free((char *)st.title);
		free(name);
		rc = queue(c, "exec", &gp, &dat, 900, np > 2 ? 640 : 420,
			   xb_strdup("fork + chroot + exec + wait of each program from the shared "
				     "image in the N=1 guest of each mode: cold is one sample after "
				     "drop_caches, warm the median of its repetitions with the "
				     "interquartile range; n above each bar."));
	}
	for (size_t i = 0; i < np; i++) {
		for (size_t k = 0; k < pan[i].ng; k++)
			free(pan[i].g[k].label);
		free(pan[i].g);
		free(pan[i].title);
	}
	free(pan);
	xb_pooled_free(&p);
	xb_buf_free(&gp);
	xb_buf_free(&dat);
	return rc;
}

/* radix.model.<backend>.<sector|pfn>.<size>.<density>.<pattern>.t<N>.ns,
 * radix.model.flat.<size>.<density>.<pattern>.t<N>.ns (the floor),
 * radix.kernel.<pmem|dcssblk|dcssblk_2dcss>.<sector|sector_locked|pfn>.<size>.<density>.<pattern>.t1.ns
 * (the kernel's pieces, radix.kernel.*.part.*, do not parse) */
struct radix_pt {
	const char *side, *backend, *variant, *density, *pattern, *threads;
	uint64_t size;
};

static bool radix_parse(struct radix_pt *o, char *buf, size_t len, const char *name)
{
	char *f[12];
	size_t n = split(buf, len, name, f, 12), i;

	if (n < 8 || strcmp(f[0], "radix") || strcmp(f[n - 1], "ns"))
		return false;
	o->side = f[1];
	o->backend = f[2];
	if (!strcmp(f[1], "model") && !strcmp(f[2], "flat")) {
		o->variant = "flat";
		i = 3;
	} else {
		o->variant = f[3];
		i = 4;
	}
	if (n != i + 5 || f[i + 3][0] != 't')
		return false;
	o->density = f[i + 1];
	o->pattern = f[i + 2];
	o->threads = f[i + 3];
	return !xb_parse_size(&o->size, f[i]) && o->size > 0;
}

static const char *const radix_backends[] = { "dcssblk", "axonram", "pmem" };
static const char *const radix_density[] = { "dense", "sparse" };

struct radix_curve_style {
	const char *side, *variant, *title, *color;
	int pt, dt;
};

static const struct radix_curve_style radix_styles[] = {
	{ "model", "sector", "sector entry + direct_access", "#c0392b", 7, 1 },
	{ "model", "pfn", "pfn entry, decoded", "#2471a3", 5, 1 },
	{ "model", "flat", "flat array (floor)", "#7f8c8d", 1, 2 },
	{ "kernel", "sector", "xa_load + dax_direct_access", "#c0392b", 7, 1 },
	{ "kernel", "sector_locked", "... + dax_read_lock per lookup", "#e67e22", 6, 3 },
	{ "kernel", "pfn", "xa_load + pfn_to_kaddr", "#2471a3", 5, 1 },
};

/* Panel of a point: density row, backend column (the kernel last). */
static int radix_panel(const struct radix_pt *r)
{
	int row = -1, col = -1;

	for (size_t i = 0; i < XB_ARRAY_SIZE(radix_density); i++)
		if (!strcmp(r->density, radix_density[i]))
			row = (int)i;
	/* the kernel's device; a joined dcssblk (dcssblk_2dcss, the same code
	 * on a device of more DCSS) is a shape the chart does not draw */
	if (!strcmp(r->side, "kernel") && !strchr(r->backend, '_'))
		col = 3;
	for (size_t i = 0; i < XB_ARRAY_SIZE(radix_backends); i++)
		if (!strcmp(r->side, "model") && !strcmp(r->backend, radix_backends[i]))
			col = (int)i;
	return row < 0 || col < 0 ? -1 : row * 4 + col;
}

static void radix_add(struct xb_xy_panel *pan, const struct radix_curve_style *st,
		      uint64_t size, const struct xb_pooled *m)
{
	struct xb_xy_curve *cv = curve_of(pan, st->title);

	cv->color = st->color;
	cv->pt = st->pt;
	cv->dt = st->dt;
	xb_xy_curve_add(cv, (double)size, q(m, 0.5), q(m, 0.25), q(m, 0.75), m->n);
}

static int radix_one(struct dctx *c, const struct xb_pooled_list *p, const char *pattern,
		     const char *threads)
{
	struct xb_xy_panel *pan = xb_malloc(8 * sizeof(*pan));
	struct xb_buf gp = { 0 }, dat = { 0 };
	char *kind = xb_asprintf("radix-%s-%s", pattern, threads), *name = pname(c, kind);
	size_t total = 0;
	int rc;

	memset(pan, 0, 8 * sizeof(*pan));
	for (int i = 0; i < 8; i++) {
		pan[i].title = i % 4 == 3 ? xb_asprintf("kernel: /dev/pmem0, %s", radix_density[i / 4]) :
			xb_asprintf("model: %s, %s", radix_backends[i % 4], radix_density[i / 4]);
		pan[i].empty = i % 4 == 3 ? "kernel module: not in this run (1 thread only)" :
			"model: not in this run";
	}
	/* in style order, so that every panel lists its curves alike */
	for (size_t s = 0; s < XB_ARRAY_SIZE(radix_styles); s++)
		for (size_t i = 0; i < p->n; i++) {
			char buf[256];
			struct radix_pt r;
			int k;

			if (!radix_parse(&r, buf, sizeof(buf), p->m[i].name) ||
			    strcmp(r.pattern, pattern) || strcmp(r.threads, threads) ||
			    strcmp(r.side, radix_styles[s].side) ||
			    strcmp(r.variant, radix_styles[s].variant))
				continue;
			if (!strcmp(r.variant, "flat")) {
				/* the floor is drawn in every model panel of its density */
				for (int b = 0; b < 3; b++)
					radix_add(&pan[(!strcmp(r.density, "dense") ? 0 : 4) + b],
						  &radix_styles[s], r.size, &p->m[i]);
				continue;
			}
			k = radix_panel(&r);
			if (k < 0)
				continue;
			if (!strcmp(r.side, "kernel") && !pan[k].nc) {
				/* the device the kernel half ran on: its driver names it */
				free((char *)pan[k].title);
				pan[k].title = xb_asprintf("kernel: /dev/%s0, %s", r.backend, r.density);
			}
			radix_add(&pan[k], &radix_styles[s], r.size, &p->m[i]);
			total++;
		}
	/* a floor alone is no panel */
	for (int i = 0; i < 8; i++)
		if (pan[i].nc == 1 && !strcmp(pan[i].c[0].title, radix_styles[2].title)) {
			xb_xy_curves_free(pan[i].c, pan[i].nc);
			pan[i].c = NULL;
			pan[i].nc = 0;
		}
	if (total) {
		struct xb_plot_style st = {
			.xlabel = "file size (log scale)", .ylabel = "per lookup, median and IQR "
			"(lower is better)", .yscale = 1e-9, .yformat = "%.0s %cs", .xtics = "(\"1M\" 2**20, \"64M\" 2**26, \"1G\" 2**30, "
			"\"1T\" 2**40)", .key = "top left font \",7\"", .logx = true, .logy = true,
			.rows = 2, .cols = 4,
		};
		char *t = xb_asprintf("DAX radix lookup: sector vs pfn entries, %s access, %s "
				      "thread%s, %s", pattern, threads + 1, strcmp(threads, "t1") ?
				      "s" : "", c->title_run);

		st.title = t;
		xb_buf_adds(&gp, "set xrange [2**19:2**41]\n");
		xb_plot_xy(&gp, &dat, pan, 8, &st, name);
		free(t);
		rc = queue(c, kind, &gp, &dat, 1400, 800,
			   xb_asprintf("Median ns per lookup (one sample: the mean of a batch of "
				       "lookups) against file size, dense (every page) and sparse (one "
				       "page in 512) files, %s access, %s thread(s); bars: interquartile "
				       "range over the batches, n per point in the data file.", pattern,
				       threads + 1));
	} else {
		rc = 0;
	}
	xb_xy_panels_free(pan, 8);
	xb_buf_free(&gp);
	xb_buf_free(&dat);
	free(kind);
	free(name);
	return rc;
}

/* One radix plot per access pattern and thread count in the run, uniform
 * with 1 thread first. */
static int detail_radix(struct dctx *c, const char *only)
{
	struct xb_pooled_list p;
	struct xb_kvlist combos = { 0 };
	int rc;

	rc = xb_query_pooled_samples(&p, c->db, c->run, "radix.*.ns");
	if (rc)
		return rc;
	xb_kv_set(&combos, "uniform", "t1");
	for (size_t i = 0; i < p.n; i++) {
		char buf[256], key[160];
		struct radix_pt r;

		if (!radix_parse(&r, buf, sizeof(buf), p.m[i].name))
			continue;
		snprintf(key, sizeof(key), "%s %s", r.pattern, r.threads);
		if (!xb_kv_get(&combos, key))
			xb_kv_set(&combos, key, "");
	}
	for (size_t i = 0; !rc && i < combos.n; i++) {
		char pat[160], thr[16];
		char *kind;

		if (i == 0) {
			snprintf(pat, sizeof(pat), "uniform");
			snprintf(thr, sizeof(thr), "t1");
		} else if (sscanf(combos.v[i].key, "%159s %15s", pat, thr) != 2 ||
			   (!strcmp(pat, "uniform") && !strcmp(thr, "t1"))) {
			continue;
		}
		kind = xb_asprintf("radix-%s-%s", pat, thr);
		if (!only || !strcmp(only, kind) || !strcmp(only, "radix"))
			rc = radix_one(c, &p, pat, thr);
		free(kind);
	}
	xb_kv_free(&combos);
	xb_pooled_free(&p);
	return rc;
}

int xb_detail_run(struct xb_details *out, struct xb_db *db, struct xb_plot_queue *q,
		  int64_t run_id, const char *prefix, const char *title_run, const char *kind)
{
	struct dctx c = { .db = db, .q = q, .run = run_id, .prefix = prefix,
			  .title_run = title_run, .out = out };
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!kind || !strcmp(kind, "cdf"))
		rc = detail_cdf(&c);
	if (!rc && (!kind || !strcmp(kind, "share-memory")))
		rc = detail_share_memory(&c);
	if (!rc && (!kind || !strcmp(kind, "exec")))
		rc = detail_exec(&c);
	if (!rc && (!kind || !strncmp(kind, "radix", 5)))
		rc = detail_radix(&c, kind);
	if (rc)
		xb_details_free(out);
	return rc;
}
