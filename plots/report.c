// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "html.h"
#include "units.h"
#include "error.h"
#include "query.h"
#include "clock.h"

#define SOURCE_HEAD "kernel backend clock"

/* One source of figures: the finished runs of one kernel on one backend
 * under one clock, newest first. A cell is the newest run's that has the
 * metric: runs of one kernel are not pooled here (publish's trends do). */
struct src {
	char *key;
	struct xb_run_detail **runs;
	size_t n;
};

struct ctx {
	struct src *s;
	size_t ns;
	struct xb_report *r;
	struct xb_db *db;
};

static void src_free(struct src *s)
{
	for (size_t i = 0; i < s->n; i++)
		xb_run_detail_free(s->runs[i]);
	free(s->runs);
	free(s->key);
}

static char *src_key(const struct xb_run_detail *d)
{
	const char *clock = xb_kv_get(&d->fingerprint, XB_FP_CLOCK);

	return xb_asprintf("%s %s%s", d->info.kernel_release ? d->info.kernel_release : "?",
			   d->info.backend ? d->info.backend : "?",
			   clock && !strcmp(clock, "icount") ? " icount" : "");
}

static void src_add(struct ctx *c, struct xb_run_detail *d)
{
	char *key = src_key(d);
	size_t i = 0;

	while (i < c->ns && strcmp(c->s[i].key, key))
		i++;
	if (i == c->ns) {
		c->s = xb_realloc(c->s, (c->ns + 1) * sizeof(*c->s));
		c->s[c->ns++] = (struct src){ .key = key };
	} else {
		free(key);
	}
	c->s[i].runs = xb_realloc(c->s[i].runs, (c->s[i].n + 1) * sizeof(*c->s[i].runs));
	c->s[i].runs[c->s[i].n++] = d;
}

static int cmp_metric(const void *k, const void *m)
{
	return strcmp(k, ((const struct xb_metric_result *)m)->name);
}

/* The newest run of s with metric name, and the metric. */
static const struct xb_metric_result *find(const struct src *s, const char *name,
					   const struct xb_run_detail **out_run)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct xb_metric_result *m = bsearch(name, s->runs[i]->metrics,
							   s->runs[i]->nmetrics,
							   sizeof(*s->runs[i]->metrics), cmp_metric);
		if (m) {
			if (out_run)
				*out_run = s->runs[i];
			return m;
		}
	}
	return NULL;
}

static const struct xb_metric_result *findf(const struct src *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const struct xb_metric_result *findf(const struct src *s, const char *fmt, ...)
{
	const struct xb_metric_result *m;
	struct xb_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	xb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	m = find(s, b.p, NULL);
	xb_buf_free(&b);
	return m;
}

/* "12.0 us (n=12288, p90 18.5 us)", "16.0 MiB (n=5, 16.0 .. 16.0 MiB)". */
static char *cell_of(const struct xb_metric_result *m, double scale, const char *unit)
{
	char v[XB_FMT_LEN], a[XB_FMT_LEN], b[XB_FMT_LEN];
	const struct xb_summary *s;

	if (!m)
		return xb_strdup("");
	s = &m->all;
	if (!unit)
		unit = m->unit;
	xb_fmt_human(v, s->median * scale, unit);
	if (s->n == 1)
		return xb_asprintf("%s (n=1)", v);
	if (s->n >= 10) {
		xb_fmt_human(a, s->p90 * scale, unit);
		return xb_asprintf("%s (n=%zu, p90 %s)", v, s->n, a);
	}
	xb_fmt_human(a, s->min * scale, unit);
	xb_fmt_human(b, s->max * scale, unit);
	if (!strcmp(a, b))
		return xb_asprintf("%s (n=%zu, all %s)", v, s->n, a);
	return xb_asprintf("%s (n=%zu, %s .. %s)", v, s->n, a, b);
}

/* --- tables ---------------------------------------------------------------- */

static struct xb_rtable *table(struct ctx *c, const char *id, const char *title,
			       const char *question, const char *command,
			       const char *const *head, size_t ncols)
{
	struct xb_rtable *t;

	c->r->t = xb_realloc(c->r->t, (c->r->nt + 1) * sizeof(*c->r->t));
	t = &c->r->t[c->r->nt++];
	*t = (struct xb_rtable){ .id = id, .title = title, .question = question,
				 .command = command, .ncols = ncols };
	t->head = xb_malloc(ncols * sizeof(*t->head));
	for (size_t i = 0; i < ncols; i++)
		t->head[i] = xb_strdup(head[i]);
	return t;
}

/* Append a row of owned cells; a row whose value cells (from first_value
 * on) are all empty is dropped. */
static void row(struct xb_rtable *t, char **cells, size_t first_value)
{
	bool any = false;

	for (size_t i = first_value; i < t->ncols; i++)
		any |= cells[i] && *cells[i];
	if (!any) {
		for (size_t i = 0; i < t->ncols; i++)
			free(cells[i]);
		return;
	}
	t->cell = xb_realloc(t->cell, (t->nrows + 1) * t->ncols * sizeof(*t->cell));
	for (size_t i = 0; i < t->ncols; i++)
		t->cell[t->nrows * t->ncols + i] = cells[i] ? cells[i] : xb_strdup("");
	t->nrows++;
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xb_kv *)a)->key, ((const struct xb_kv *)b)->key);
}

/* Distinct middles of metric names "<prefix>MIDDLE<suffix>" of any run, sorted. */
static void middles(struct xb_kvlist *out, const struct ctx *c, const char *prefix,
		    const char *suffix)
{
	size_t lp = strlen(prefix), ls = strlen(suffix);

	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < c->s[i].n; k++)
			for (size_t j = 0; j < c->s[i].runs[k]->nmetrics; j++) {
				const char *n = c->s[i].runs[k]->metrics[j].name;
				size_t ln = strlen(n);
				char *mid;

				if (ln <= lp + ls || strncmp(n, prefix, lp) ||
				    strcmp(n + ln - ls, suffix))
					continue;
				mid = xb_strndup(n + lp, ln - lp - ls);
				xb_kv_set(out, mid, "");
				free(mid);
			}
	qsort(out->v, out->n, sizeof(*out->v), kv_cmp);
}

/* 1. What works on a DAX mapping, per backend and kernel. */
static int caps_table(struct ctx *c)
{
	static const char *const head0[] = { "probe" };
	struct xb_capprobe_note *v = NULL;
	struct xb_kvlist cols = { 0 }, probes = { 0 };
	struct xb_rtable *t;
	size_t n = 0;
	int rc = xb_query_capprobes(&v, &n, c->db);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char *col = xb_asprintf("%s %s", v[i].backend, v[i].kernel);

		xb_kv_set(&cols, col, "");
		xb_kv_set(&probes, v[i].probe, "");
		free(col);
	}
	t = table(c, "capabilities", "Capabilities: what works on a DAX mapping",
		  "Does DAX work without struct page, and what breaks? Each cell: the outcome of "
		  "one probe in a child process on a prefaulted MAP_SHARED mapping (dax.*) and on "
		  "a page-cache mount of the same device (pagecache.*).",
		  "daxbench run --suite capabilities --kernel K; daxbench run --suite dcssblk-emu; "
		  "daxbench capabilities", head0, 1);
	t->head = xb_realloc(t->head, (cols.n + 1) * sizeof(*t->head));
	for (size_t i = 0; i < cols.n; i++)
		t->head[1 + i] = xb_strdup(cols.v[i].key);
	t->ncols = cols.n + 1;
	for (size_t p = 0; p < probes.n; p++) {
		char **cells = xb_calloc(t->ncols, sizeof(*cells));

		cells[0] = xb_strdup(probes.v[p].key);
		for (size_t i = 0; i < n; i++) {   /* newest run first: keep the first */
			char *col = xb_asprintf("%s %s", v[i].backend, v[i].kernel);
			size_t k = 0;

			while (strcmp(cols.v[k].key, col))
				k++;
			if (!strcmp(v[i].probe, probes.v[p].key) && !cells[1 + k])
				cells[1 + k] = xb_strdup(v[i].text);
			free(col);
		}
		row(t, cells, 1);
		free(cells);
	}
	t->note = xb_asprintf("One probe per cell, from the newest run of each backend and "
			      "kernel (n=1: a probe's outcome repeats, it is not sampled); "
			      "%zu probe results in the database.", n);
	xb_kv_free(&cols);
	xb_kv_free(&probes);
	xb_capprobe_notes_free(v, n);
	return 0;
}

/* "64M.dense" -> 64 << 20, for ordering shapes by file size. */
static double shape_bytes(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	const char *u = "KMGT", *p = strchr(u, *end);

	return p && *end ? v * pow(1024, (double)(p - u + 1)) : v;
}

static int shape_cmp(const void *a, const void *b)
{
	const char *x = ((const struct xb_kv *)a)->key, *y = ((const struct xb_kv *)b)->key;
	double bx = shape_bytes(x), by = shape_bytes(y);

	return bx != by ? (bx < by ? -1 : 1) : strcmp(x, y);
}

/* The driver whose device the kernel half of source i ran on (its metrics
 * radix.kernel.<driver>.*); "pmem" when it has none. */
static const char *kernel_driver(const struct src *s, const char *shape)
{
	static const char *const drivers[] = { "pmem", "dcssblk" };

	for (size_t d = 0; d < XB_ARRAY_SIZE(drivers); d++)
		if (findf(s, "radix.kernel.%s.pfn.%s.uniform.t1.ns", drivers[d], shape))
			return drivers[d];
	return "pmem";
}

/* 2. Sector against pfn radix entries, model and kernel, uniform access,
 * one thread. The kernel columns are the device the run measured (pmem on
 * x86, dcssblk on s390x); the ratio columns compare model and kernel for
 * that same driver. */
static void radix_table(struct ctx *c)
{
	static const char *const head[] = { SOURCE_HEAD, "shape",
		"model pfn", "model sector dcssblk", "model sector axonram",
		"model sector pmem", "kernel device", "kernel pfn", "kernel sector",
		"kernel sector, lock per lookup", "sector/pfn, model", "sector/pfn, kernel" };
	static const char *const model_be[] = { "dcssblk", "axonram", "pmem" };
	struct xb_kvlist shapes = { 0 };
	struct xb_rtable *t = table(c, "radix", "Radix lookup: sector against pfn entries",
		"What does storing a sector instead of a pfn in fs/dax's radix tree cost per "
		"lookup, in a userspace model per 2017 driver and in the real kernel?",
		"daxbench run --suite radix --kernel K [--backend dcssblk-emu]", head,
		XB_ARRAY_SIZE(head));

	middles(&shapes, c, "radix.model.pmem.pfn.", ".uniform.t1.ns");
	qsort(shapes.v, shapes.n, sizeof(*shapes.v), shape_cmp);
	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < shapes.n; k++) {
			const char *sh = shapes.v[k].key;
			const char *drv = kernel_driver(&c->s[i], sh);
			char **cells = xb_calloc(t->ncols, sizeof(*cells));

			cells[0] = xb_strdup(c->s[i].key);
			cells[1] = xb_strdup(sh);
			cells[2] = cell_of(findf(&c->s[i], "radix.model.%s.pfn.%s.uniform.t1.ns", drv,
						 sh), 1, NULL);
			for (size_t b = 0; b < 3; b++)
				cells[3 + b] = cell_of(findf(&c->s[i], "radix.model.%s.sector.%s."
							     "uniform.t1.ns", model_be[b], sh), 1, NULL);
			cells[7] = cell_of(findf(&c->s[i], "radix.kernel.%s.pfn.%s.uniform.t1.ns",
						 drv, sh), 1, NULL);
			cells[6] = xb_strdup(*cells[7] ? drv : "");
			cells[8] = cell_of(findf(&c->s[i], "radix.kernel.%s.sector.%s.uniform.t1.ns",
						 drv, sh), 1, NULL);
			cells[9] = cell_of(findf(&c->s[i], "radix.kernel.%s.sector_locked.%s."
						 "uniform.t1.ns", drv, sh), 1, NULL);
			cells[10] = cell_of(findf(&c->s[i], "radix.model.%s.sector_pfn_ratio.%s."
						  "uniform.t1", drv, sh), 1, "x");
			cells[11] = cell_of(findf(&c->s[i], "radix.kernel.%s.sector_pfn_ratio.%s."
						  "uniform.t1", drv, sh), 1, "x");
			row(t, cells, 2);
			free(cells);
		}
	t->note = xb_strdup("Median time per lookup (one sample: the mean of a batch of 1024 "
			    "lookups), n batches and their p90, uniform access, one thread; the "
			    "ratios: median over repetitions. The model's backends translate a "
			    "sector as the 2017 drivers did (dcssblk, axonram, pmem); model pfn and "
			    "both ratios are for the driver of the kernel's device (pmem where the "
			    "kernel half did not run).");
	xb_kv_free(&shapes);
}

/* 3. Host memory per guest, per mode and N. */
static void memory_table(struct ctx *c)
{
	static const char *const head[] = { SOURCE_HEAD, "mode",
		"host memory per additional guest", "dax saves per guest against it",
		"host Pss, N=1", "N=2", "N=3", "N=4", "image in host page cache (N=max)",
		"Pss of the shared segment, all guests (N=max)" };
	struct xb_kvlist mn = { 0 }, modes = { 0 };
	struct xb_rtable *t = table(c, "memory", "Memory: guests sharing one image",
		"How much host memory does each additional guest cost when all share one "
		"image, and how much does DAX save against each other way of sharing it?",
		"daxbench share [--quick]; daxbench run --suite dcssblk-emu", head,
		XB_ARRAY_SIZE(head));

	middles(&mn, c, "share.", ".host.pss_sum.kib");
	for (size_t i = 0; i < mn.n; i++) {
		char *m = xb_strdup(mn.v[i].key), *dot = strstr(m, ".n");

		if (dot) {
			*dot = 0;
			xb_kv_set(&modes, m, "");
		}
		free(m);
	}
	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < modes.n; k++) {
			const char *mo = modes.v[k].key;
			char **cells = xb_calloc(t->ncols, sizeof(*cells));
			const struct xb_metric_result *cached = NULL, *seg = NULL;

			cells[0] = xb_strdup(c->s[i].key);
			cells[1] = xb_strdup(mo);
			cells[2] = cell_of(findf(&c->s[i], "share.%s.host_per_guest.kib", mo), 1, NULL);
			cells[3] = cell_of(findf(&c->s[i], "share.saved_per_guest.%s.kib", mo), 1, NULL);
			for (unsigned n = 1; n <= 4; n++) {
				const struct xb_metric_result *im;

				cells[3 + n] = cell_of(findf(&c->s[i], "share.%s.n%u.host.pss_sum.kib",
							     mo, n), 1, NULL);
				im = findf(&c->s[i], "share.%s.n%u.host.image_cached.kib", mo, n);
				cached = im ? im : cached;
				im = findf(&c->s[i], "share.%s.n%u.host.segment_pss_sum.kib", mo, n);
				seg = im ? im : seg;
			}
			cells[8] = cell_of(cached, 1, NULL);
			cells[9] = cell_of(seg, 1, NULL);
			row(t, cells, 2);
			free(cells);
		}
	t->note = xb_strdup("Host memory: the sum of the QEMU processes' Pss with all N guests "
			    "alive (one boot per group, n = its guests or 1); per additional guest: "
			    "the least-squares slope over N (n=1 value per run); saved: against "
			    "mode dax (dax-erofs for the erofs modes). dcssblk-emu boots one group of "
			    "share_guests guests (default 2), so it has no slope.");
	xb_kv_free(&mn);
	xb_kv_free(&modes);
}

/* 4. Struct pages per GiB of DAX region. */
static void structpages_table(struct ctx *c)
{
	static const char *const head[] = { SOURCE_HEAD, "mode",
		"RAM per GiB of region", "reserved on the device per GiB", "usable of the region" };
	struct xb_kvlist modes = { 0 };
	struct xb_rtable *t = table(c, "structpages", "Struct pages: the memmap of a DAX region",
		"What does the memmap (struct pages) of a DAX region cost in RAM and on the "
		"device, per namespace mode?",
		"daxbench run --suite structpages --kernel K (or daxbench share, which runs it)",
		head, XB_ARRAY_SIZE(head));

	middles(&modes, c, "structpages.", ".struct_page_bytes_per_gib");
	for (size_t i = 0; i < c->ns; i++) {
		for (size_t k = 0; k < modes.n; k++) {
			const char *mo = modes.v[k].key;
			char **cells = xb_calloc(t->ncols, sizeof(*cells));

			cells[0] = xb_strdup(c->s[i].key);
			cells[1] = xb_strdup(mo);
			cells[2] = cell_of(findf(&c->s[i], "structpages.%s.struct_page_bytes_per_gib",
						 mo), 1, NULL);
			cells[3] = cell_of(findf(&c->s[i], "structpages.%s.device_reserved_bytes_per_gib", mo),
					   1, NULL);
			cells[4] = cell_of(findf(&c->s[i], "structpages.%s.usable.bytes", mo), 1, NULL);
			row(t, cells, 2);
			free(cells);
		}
		{
			char **cells = xb_calloc(t->ncols, sizeof(*cells));

			cells[0] = xb_strdup(c->s[i].key);
			cells[1] = xb_strdup("virtio-pmem (daxbench share, in RAM)");
			cells[2] = cell_of(find(&c->s[i], "share.dax.vmemmap_per_gib.kib", NULL), 1,
					   NULL);
			row(t, cells, 2);
			free(cells);
		}
	}
	t->note = xb_strdup("Per enable of the namespace (n re-enables): the drop of free memory "
			    "(MemFree plus the per-CPU free lists) scaled to 1 GiB, and what "
			    "map=dev reserves on the device (sysfs); min .. max over the re-enables.");
	xb_kv_free(&modes);
}

/* The main paths first: read and write, pte then pmd; the rest by name. */
static int path_rank(const char *p)
{
	static const char *const first[] = { "read.pte", "write.pte", "read.pmd", "write.pmd" };

	for (size_t i = 0; i < XB_ARRAY_SIZE(first); i++)
		if (!strcmp(p, first[i]))
			return (int)i;
	return (int)XB_ARRAY_SIZE(first);
}

static int path_cmp(const void *a, const void *b)
{
	const char *x = ((const struct xb_kv *)a)->key, *y = ((const struct xb_kv *)b)->key;

	return path_rank(x) != path_rank(y) ? path_rank(x) - path_rank(y) : strcmp(x, y);
}

/* 5. Fault cost: DAX, page cache, anonymous memory; PTE and PMD. */
static void fault_table(struct ctx *c)
{
	static const char *const head[] = { SOURCE_HEAD, "fault",
		"DAX", "page cache", "anonymous", "device-dax" };
	static const char *const mode[] = { "dax", "pagecache", "anon", "devdax" };
	struct xb_kvlist paths = { 0 };
	struct xb_rtable *t = table(c, "faults", "Fault cost: DAX, page cache, anonymous memory",
		"What does one page fault cost on a DAX mapping against the page cache and "
		"anonymous memory, for 4 KiB (pte) and 2 MiB (pmd) mappings, and on the same "
		"region as a device-dax character device (no filesystem)?",
		"daxbench run --suite full --kernel K",
		head, XB_ARRAY_SIZE(head));

	for (size_t m = 0; m < XB_ARRAY_SIZE(mode); m++) {
		char *p = xb_asprintf("fault.%s.", mode[m]);

		middles(&paths, c, p, ".ns");
		free(p);
	}
	qsort(paths.v, paths.n, sizeof(*paths.v), path_cmp);
	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < paths.n; k++) {
			const char *pa = paths.v[k].key;
			char **cells;

			/* fault.MODE.OP.pte.ns and .pmd.ns; not the derived per_page_ns etc. */
			if (strchr(pa, '_') || (!strstr(pa, ".pte") && !strstr(pa, ".pmd")))
				continue;
			cells = xb_calloc(t->ncols, sizeof(*cells));
			cells[0] = xb_strdup(c->s[i].key);
			cells[1] = xb_strdup(pa);
			for (size_t m = 0; m < XB_ARRAY_SIZE(mode); m++)
				cells[2 + m] = cell_of(findf(&c->s[i], "fault.%s.%s.ns", mode[m], pa), 1,
						       NULL);
			row(t, cells, 2);
			free(cells);
		}
	t->note = xb_strdup("Median time of one fault over every fault of the newest run's boots "
			    "and repetitions (n faults, p90). Under the icount clock a nanosecond "
			    "is one guest instruction. Device-dax: the full suite's devdax step "
			    "(the guest's namespace in devdax mode, a MAP_SHARED mapping of "
			    "/dev/dax0.0, 4 KiB aligned for pte, 2 MiB for pmd). The quick suite "
			    "gives the read and write pte rows only.");
	xb_kv_free(&paths);
}

/* 6. Exec startup from the shared image, cold and warm. */
static void exec_table(struct ctx *c)
{
	static const char *const head[] = { SOURCE_HEAD, "mode, guests, program",
		"cold (first after drop_caches)", "warm" };
	struct xb_kvlist progs = { 0 };
	struct xb_rtable *t = table(c, "exec", "Exec startup from the shared image",
		"How long does a program take to start from a DAX-mapped image, cold and warm, "
		"against the page cache?", "daxbench share; daxbench run --suite dcssblk-emu",
		head, XB_ARRAY_SIZE(head));

	middles(&progs, c, "share.", ".cold.us");
	for (size_t i = 0; i < c->ns; i++)
		for (size_t k = 0; k < progs.n; k++) {
			const char *pr = progs.v[k].key;
			char **cells;

			if (!strstr(pr, ".exec."))
				continue;
			cells = xb_calloc(t->ncols, sizeof(*cells));
			cells[0] = xb_strdup(c->s[i].key);
			cells[1] = xb_strdup(pr);
			cells[2] = cell_of(findf(&c->s[i], "share.%s.cold.us", pr), 1, NULL);
			cells[3] = cell_of(findf(&c->s[i], "share.%s.warm.us", pr), 1, NULL);
			row(t, cells, 2);
			free(cells);
		}
	t->note = xb_strdup("Fork, exec and wait of one program in one guest (daxbench share: "
			    "its N=1 guest, with chroot; dcssblk-emu: guest 0 of the group): cold "
			    "n=1 (first after drop_caches), warm n repetitions (min .. max or p90).");
	xb_kv_free(&progs);
}

int xb_report_build(struct xb_report *out, struct xb_db *db)
{
	struct xb_list_filter f = { .status = "finished" };
	struct xb_run_list l = { 0 };
	struct ctx c = { .r = out, .db = db };
	struct xb_buf src = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = xb_query_list_runs(&l, db, &f);
	for (size_t i = 0; !rc && i < l.n; i++) {
		struct xb_run_detail *d = NULL;

		rc = xb_query_load_run(&d, db, l.runs[i].id);
		if (!rc)
			src_add(&c, d);
	}
	out->nruns = l.n;
	if (!rc)
		rc = caps_table(&c);
	if (!rc) {
		radix_table(&c);
		memory_table(&c);
		structpages_table(&c);
		fault_table(&c);
		exec_table(&c);
	}
	for (size_t i = 0; i < c.ns; i++) {
		xb_buf_addf(&src, "%s%s (%zu run%s)", i ? ", " : "", c.s[i].key, c.s[i].n,
			    c.s[i].n == 1 ? "" : "s");
		src_free(&c.s[i]);
	}
	out->sources = xb_buf_detach(&src);
	free(c.s);
	xb_run_list_free(&l);
	return rc;
}

void xb_report_free(struct xb_report *r)
{
	for (size_t i = 0; i < r->nt; i++) {
		struct xb_rtable *t = &r->t[i];

		for (size_t k = 0; k < t->ncols; k++)
			free(t->head[k]);
		for (size_t k = 0; k < t->nrows * t->ncols; k++)
			free(t->cell[k]);
		free(t->head);
		free(t->cell);
		free(t->note);
	}
	free(r->t);
	free(r->sources);
	memset(r, 0, sizeof(*r));
}

size_t xb_report_filled(const struct xb_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nt; i++)
		n += r->t[i].nrows > 0;
	return n;
}

/* --- rendering --------------------------------------------------------------- */

static void md_cell(struct xb_buf *b, const char *s)
{
	if (!*s)
		s = "-";
	xb_buf_adds(b, " ");
	for (; *s; s++)
		xb_buf_adds(b, *s == '|' ? "\\|" : (char[2]){ *s, 0 });
	xb_buf_adds(b, " |");
}

/* Columns after the first two hold figures: right-aligned. */
static bool numeric_col(const struct xb_rtable *t, size_t k)
{
	return strcmp(t->id, "capabilities") ? k >= 2 : false;
}

const char *const xb_report_ids[] = {
	"capabilities", "radix", "memory", "structpages", "faults", "exec", NULL
};

const struct xb_rtable *xb_report_find(const struct xb_report *r, const char *id)
{
	for (size_t i = 0; i < r->nt; i++)
		if (!strcmp(r->t[i].id, id))
			return &r->t[i];
	return NULL;
}

void xb_report_markdown_body(struct xb_buf *b, const struct xb_rtable *t)
{
	xb_buf_addf(b, "%s\n\n", t->question);
	if (!t->nrows) {
		xb_buf_addf(b, "No data in this database. `%s` fills this table.\n", t->command);
		return;
	}
	xb_buf_adds(b, "|");
	for (size_t k = 0; k < t->ncols; k++)
		md_cell(b, t->head[k]);
	xb_buf_adds(b, "\n|");
	for (size_t k = 0; k < t->ncols; k++)
		xb_buf_adds(b, numeric_col(t, k) ? "---:|" : "---|");
	xb_buf_adds(b, "\n");
	for (size_t rr = 0; rr < t->nrows; rr++) {
		xb_buf_adds(b, "|");
		for (size_t k = 0; k < t->ncols; k++)
			md_cell(b, t->cell[rr * t->ncols + k]);
		xb_buf_adds(b, "\n");
	}
	xb_buf_addf(b, "\n%s Regenerate: `%s`.\n", t->note, t->command);
}

void xb_report_markdown_heading(struct xb_buf *b, const char *id, const char *title)
{
	xb_buf_addf(b, "\n<a id=\"%s\"></a>\n\n## %s\n\n", id, title);
}

void xb_report_markdown(struct xb_buf *b, const struct xb_report *r, const char *dbname)
{
	xb_buf_addf(b, "# DAX report\n\nGenerated by `daxbench report --db %s` from %zu finished "
		    "runs: %s. Nothing here is written by hand: run the command again after new "
		    "runs.\n", dbname, r->nruns, *r->sources ? r->sources : "none");
	for (size_t i = 0; i < r->nt; i++) {
		xb_report_markdown_heading(b, r->t[i].id, r->t[i].title);
		xb_report_markdown_body(b, &r->t[i]);
	}
}

static void html_cell(struct xb_buf *b, const struct xb_rtable *t, size_t k, const char *v)
{
	const char *detail = numeric_col(t, k) ? strstr(v, " (") : NULL;
	bool bad = !strcmp(t->id, "capabilities") && k && strcmp(v, "works") && *v;

	xb_buf_addf(b, "<td%s>", numeric_col(t, k) ? " class=\"n\"" : bad ? " class=\"reg\"" : "");
	if (detail) {
		char *val = xb_strndup(v, (size_t)(detail - v));

		xb_buf_adds(b, "<b>");
		xb_html_esc(b, val);
		xb_buf_adds(b, "</b><br><span class=\"muted\">");
		xb_html_esc(b, detail + 1);
		xb_buf_adds(b, "</span>");
		free(val);
	} else {
		xb_html_esc(b, *v ? v : "-");
	}
	xb_buf_adds(b, "</td>");
}

/* Tables whose first column is the source (kernel, backend, clock) show it
 * as a heading row over its rows instead: the figures get the width. */
static void html_table(struct xb_buf *b, const struct xb_rtable *t)
{
	bool grouped = !strcmp(t->head[0], SOURCE_HEAD);
	const char *last = NULL;

	xb_buf_addf(b, "<div class=\"scroll\"><table class=\"report\" data-rows=\"%zu\"><tr>",
		    t->nrows);
	for (size_t k = grouped; k < t->ncols; k++) {
		xb_buf_addf(b, "<th%s>", numeric_col(t, k) ? " class=\"n\"" : "");
		xb_html_esc(b, t->head[k]);
		xb_buf_adds(b, "</th>");
	}
	xb_buf_adds(b, "</tr>\n");
	for (size_t rr = 0; rr < t->nrows; rr++) {
		char *const *row = &t->cell[rr * t->ncols];

		if (grouped && (!last || strcmp(last, row[0]))) {
			xb_buf_addf(b, "<tr><th colspan=\"%zu\" class=\"src\">", t->ncols - 1);
			xb_html_esc(b, row[0]);
			xb_buf_adds(b, "</th></tr>\n");
			last = row[0];
		}
		xb_buf_adds(b, "<tr>");
		for (size_t k = grouped; k < t->ncols; k++)
			html_cell(b, t, k, row[k]);
		xb_buf_adds(b, "</tr>\n");
	}
}

void xb_report_html(struct xb_buf *b, const struct xb_report *r, const char *dbname,
		    const char *root)
{
	xb_html_head(b, "DAX report", root);
	xb_buf_addf(b, "<p>Generated from the database (<code>daxbench report --db ");
	xb_html_esc(b, dbname);
	xb_buf_addf(b, " OUT.md</code> writes the same as Markdown) from %zu finished runs: ",
		    r->nruns);
	xb_html_esc(b, *r->sources ? r->sources : "none");
	xb_buf_adds(b, ".</p>\n<ul>");
	for (size_t i = 0; i < r->nt; i++) {
		xb_buf_addf(b, "<li><a href=\"#%s\">", r->t[i].id);
		xb_html_esc(b, r->t[i].title);
		xb_buf_addf(b, "</a>%s</li>", r->t[i].nrows ? "" : " <span class=\"muted\">(no "
			    "data)</span>");
	}
	xb_buf_adds(b, "</ul>\n");
	for (size_t i = 0; i < r->nt; i++) {
		const struct xb_rtable *t = &r->t[i];

		xb_buf_addf(b, "<h2 id=\"%s\">", t->id);
		xb_html_esc(b, t->title);
		xb_buf_adds(b, "</h2>\n<p>");
		xb_html_esc(b, t->question);
		xb_buf_adds(b, "</p>\n");
		if (!t->nrows) {
			xb_buf_adds(b, "<p class=\"empty\"><b>No data in this database.</b> "
				    "<code>");
			xb_html_esc(b, t->command);
			xb_buf_adds(b, "</code> fills this table.</p>\n");
			continue;
		}
		html_table(b, t);
		xb_buf_adds(b, "</table></div>\n<p class=\"muted\">");
		xb_html_esc(b, t->note);
		xb_buf_adds(b, " Regenerate: <code>");
		xb_html_esc(b, t->command);
		xb_buf_adds(b, "</code>.</p>\n");
	}
	xb_buf_adds(b, "</body></html>\n");
}
