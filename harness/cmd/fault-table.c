// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fault-table.h"
#include "bench.h"

static const char *const modes[] = { "dax", "pagecache", "anon" };

static const struct xb_metric_result *find(const struct xb_run_detail *d, const char *mode,
					   const char *path, const char *suffix)
{
	char *name = xb_asprintf("fault.%s.%s.%s", mode, path, suffix);
	const struct xb_metric_result *m = NULL;

	for (size_t i = 0; i < d->nmetrics && !m; i++)
		if (!strcmp(d->metrics[i].name, name))
			m = &d->metrics[i];
	free(name);
	return m;
}

/* "fault.<mode>.<path>.ns" -> a malloc'd "<path>", else NULL. */
static char *path_of(const char *name)
{
	const char *p = name + strlen("fault."), *end = name + strlen(name) - strlen(".ns");
	const char *dot;

	if (strncmp(name, "fault.", 6) || strlen(name) < 10 || strcmp(end, ".ns"))
		return NULL;
	dot = strchr(p, '.');
	if (!dot || dot >= end)
		return NULL;
	for (size_t i = 0; i < 3; i++)
		if ((size_t)(dot - p) == strlen(modes[i]) && !strncmp(p, modes[i], dot - p))
			return xb_strndup(dot + 1, (size_t)(end - dot - 1));
	return NULL;
}

/* The faultpath benchmark's order; paths it does not know go last. */
static size_t rank(const char *path)
{
	size_t i;

	for (i = 0; xb_faultpath_name(i); i++)
		if (!strcmp(xb_faultpath_name(i), path))
			break;
	return i;
}

static int cmp_paths(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t rx = rank(x), ry = rank(y);

	return rx != ry ? (rx < ry ? -1 : 1) : strcmp(x, y);
}

/* The paths of the run, in the benchmark's order. */
static size_t list_paths(char ***out, const struct xb_run_detail *d)
{
	char **v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < d->nmetrics; i++) {
		char *p = path_of(d->metrics[i].name);
		bool seen = false;

		for (size_t j = 0; p && j < n && !seen; j++)
			seen = !strcmp(v[j], p);
		if (!p || seen) {
			free(p);
			continue;
		}
		v = xb_realloc(v, (n + 1) * sizeof(*v));
		v[n++] = p;
	}
	qsort(v, n, sizeof(*v), cmp_paths);
	*out = v;
	return n;
}

static void cell_latency(struct xb_buf *b, const struct xb_metric_result *m)
{
	if (!m || !m->all.n) {
		xb_buf_adds(b, " - |");
		return;
	}
	xb_buf_addf(b, " %.0f (n=%zu, p90 %.0f, p99.9 %.0f) |", m->all.median, m->all.n,
		    m->all.p90, m->all.p999);
}

/* The throughput cross-check: the batch-median figure, its difference from
 * the per-fault median (median and range over reps) and from the timed
 * pass's median. */
static void cell_tput(struct xb_buf *b, const struct xb_run_detail *d, const char *path)
{
	const struct xb_metric_result *t = find(d, "dax", path, "tput_batch_ns");
	const struct xb_metric_result *a = find(d, "dax", path, "tput_vs_median_pct");
	const struct xb_metric_result *m = find(d, "dax", path, "tput_vs_timed_pct");

	if (!t || !a || !t->all.n || !a->all.n) {
		xb_buf_adds(b, " - |");
		return;
	}
	xb_buf_addf(b, " %.0f (%+.0f%%, %+.0f..%+.0f%% over %zu reps%s", t->all.median,
		    a->all.median, a->all.min, a->all.max, a->all.n,
		    a->all.max > 5 || a->all.min < -5 ? ", >5% off" : "");
	if (m && m->all.n)
		xb_buf_addf(b, "; vs the timed pass %+.0f%%", m->all.median);
	xb_buf_adds(b, ") |");
}

/* perf stat's page faults (and whether they match getrusage's) and its
 * task-clock per fault. */
static void cell_perf(struct xb_buf *b, const struct xb_run_detail *d, const char *path)
{
	const struct xb_metric_result *pf = find(d, "dax", path, "perf.page-faults");
	const struct xb_metric_result *dv = find(d, "dax", path, "perf.page-faults_vs_rusage");
	const struct xb_metric_result *tc = find(d, "dax", path, "perf.task-clock_per_fault_ns");

	if (!pf || !pf->all.n) {
		xb_buf_adds(b, " - |");
		return;
	}
	xb_buf_addf(b, " %.0f faults", pf->all.median);
	if (dv && dv->all.n)
		xb_buf_addf(b, dv->all.median ? " (getrusage %+.0f)" : " (= getrusage)",
			    -dv->all.median);
	if (tc && tc->all.n)
		xb_buf_addf(b, ", %.0f ns/fault", tc->all.median);
	xb_buf_adds(b, " |");
}

static bool has_result(const struct xb_run_detail *d, const char *event_metric)
{
	size_t len = strlen(event_metric);

	for (size_t i = 0; i < d->nmetrics; i++)
		if (!strncmp(d->metrics[i].name, event_metric, len) &&
		    d->metrics[i].name[len] == '.')
			return true;
	return false;
}

/* fs_dax events that fired, with their results: "trace.<ev>[.<RES>]". */
static void cell_trace(struct xb_buf *b, const struct xb_run_detail *d, const char *path)
{
	char *prefix = xb_asprintf("fault.dax.%s.trace.", path);
	size_t plen = strlen(prefix), shown = 0;
	const struct xb_metric_result *fb = find(d, "dax", path, "pte_fallback_ns");

	for (size_t i = 0; i < d->nmetrics; i++) {
		const struct xb_metric_result *m = &d->metrics[i];
		const char *key = m->name + plen;

		if (strncmp(m->name, prefix, plen) || !m->all.n || m->all.median <= 0)
			continue;
		/* an event with a result is shown by its results */
		if (!strchr(key, '.') && has_result(d, m->name))
			continue;
		xb_buf_addf(b, "%s%s %.0f", shown++ ? ", " : " ", key, m->all.median);
	}
	if (fb && fb->all.n)
		xb_buf_addf(b, "%s%zu faults fell back to 4 KiB (median %.0f ns)",
			    shown++ ? "; " : " ", fb->all.n, fb->all.median);
	xb_buf_adds(b, shown ? " |" : " - |");
	free(prefix);
}

int xb_fault_table_render(struct xb_buf *b, const struct xb_run_detail *d)
{
	char **paths;
	size_t n = list_paths(&paths, d);

	if (!n)
		return -ENOENT;
	xb_buf_adds(b, "| path | DAX ns | page cache ns | anon ns | DAX pages/fault | "
		    "DAX throughput ns/fault (vs median) | DAX perf stat (task-clock) | "
		    "DAX fs_dax events per pass |\n"
		    "|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		const struct xb_metric_result *ppf = find(d, "dax", paths[i], "pages_per_fault");

		xb_buf_addf(b, "| %s |", paths[i]);
		for (size_t m = 0; m < 3; m++)
			cell_latency(b, find(d, modes[m], paths[i], "ns"));
		if (ppf && ppf->all.n)
			xb_buf_addf(b, " %.1f |", ppf->all.median);
		else
			xb_buf_adds(b, " - |");
		cell_tput(b, d, paths[i]);
		cell_perf(b, d, paths[i]);
		cell_trace(b, d, paths[i]);
		xb_buf_adds(b, "\n");
		free(paths[i]);
	}
	free(paths);
	return 0;
}

int xb_fault_table_print(FILE *f, const struct xb_run_detail *d)
{
	struct xb_buf b = { 0 };
	int rc = xb_fault_table_render(&b, d);

	if (!rc)
		fputs(b.p, f);
	xb_buf_free(&b);
	return rc;
}
