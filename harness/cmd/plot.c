// SPDX-License-Identifier: GPL-2.0
/* daxbench plot: one run's detail plots, as `daxbench publish` draws them. */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "detail.h"
#include "options.h"
#include "db.h"
#include "query.h"
#include "trend.h"
#include "error.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench plot [--db PATH] [--kind KIND] [RUN] OUTDIR\n"
"\n"
"Draw the detail plots of one finished run into OUTDIR (created): for each\n"
"kind its metrics allow, KIND.gp and KIND.dat (re-run by hand with\n"
"`cd OUTDIR && gnuplot KIND.gp`), KIND.png and KIND.svg. They are the\n"
"plots `daxbench publish` shows on the run's page.\n"
"\n"
"Kinds:\n"
"  cdf                  fault-latency CDF of every per-fault sample, log x:\n"
"                       4 KiB reads and writes per mode, and with the full\n"
"                       suite cdf-MODE, every fault path of a mode\n"
"  share-memory         host memory against the number of guests, per mode\n"
"                       (daxbench share)\n"
"  exec                 exec startup cold and warm, per program and mode\n"
"                       (daxbench share)\n"
"  radix-PATTERN-tN     radix lookup ns against file size, log x: sector vs\n"
"                       pfn entries, model and kernel (--suite radix);\n"
"                       `radix` is every pattern and thread count\n"
"\n"
"  RUN          run id, uuid or uuid prefix (default: the newest finished\n"
"               run that has a plot of KIND, or any plot)\n"
"  --db PATH    results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  --kind KIND  only that kind\n"
"  -h, --help   this text\n"
"\n"
"Exit status: 0 drawn, 1 error (no such run, nothing to draw), 2 usage.\n");
}

static bool kind_known(const char *k)
{
	return !strcmp(k, "cdf") || !strcmp(k, "share-memory") || !strcmp(k, "exec") ||
	       !strncmp(k, "radix", 5);
}

/* Queue run r's plots; *out_n: how many. */
static int try_run(size_t *out_n, struct xb_buf *lines, struct xb_db *db, struct xb_plot_queue *q,
		   const struct xb_trend_run *r, const char *kind)
{
	struct xb_details d = { 0 };
	char *title = xb_asprintf("run %.8s, %s", r->uuid, r->label);
	int rc = xb_detail_run(&d, db, q, r->id, "", title, kind);

	*out_n = d.n;
	for (size_t i = 0; i < d.n; i++)
		xb_buf_addf(lines, "%s/%s.png (and .svg, .gp, .dat): run %s\n", q->dir,
			    d.v[i].name, r->uuid);
	xb_details_free(&d);
	free(title);
	return rc;
}

static int parse_one(void *ctx, int key, const char *arg)
{
	(void)key;   /* only --kind */
	*(const char **)ctx = arg;
	return 0;
}

int xb_cmd_plot(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ 0 },
	};
	const char *kind = NULL, *sel = NULL, *out;
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB, .longopts = longopts,
		.parse = parse_one, .ctx = &kind, .usage = usage,
		.name = "plot", .min_args = 1, .max_args = 2, .operands = "[RUN] OUTDIR" };
	struct xb_trend_runs runs = { 0 };
	struct xb_plot_queue q;
	struct xb_buf lines = { 0 };
	struct xb_opts o;
	struct xb_db *db = NULL;
	size_t n = 0;
	int64_t id = 0;
	bool existed;
	int first, rc;

	rc = xb_opts_parse(&o, &spec, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	first = o.first_arg;
	if (kind && !kind_known(kind)) {
		xb_err("unknown plot kind '%s' (cdf, share-memory, exec, radix, radix-PATTERN-tN)",
		       kind);
		return XB_EXIT_USAGE;
	}
	if (o.nargs == 2)
		sel = argv[first++];
	out = argv[first];
	rc = xb_cmd_db_open(&db, xb_default_db_path(o.db), XB_DB_READ);
	if (rc)
		return XB_EXIT_ERROR;
	rc = xb_trend_runs_load(&runs, db);
	/* the run before the folder: a bad selector creates nothing */
	if (!rc && sel)
		rc = xb_query_resolve_run(&id, db, sel);
	existed = !access(out, F_OK);
	if (!rc) {
		rc = xb_mkdir_p(out, 0755);
		if (rc)
			xb_error_set(rc, "cannot create %s: %s", out, strerror(-rc));
	}
	xb_plot_queue_init(&q, out);
	if (!rc && sel) {
		const struct xb_trend_run *r;

		r = xb_trend_runs_find(&runs, id);
		if (!rc && !r)
			rc = xb_error_set(-ENOENT, "run %s did not finish: nothing to plot", sel);
		if (r)
			rc = try_run(&n, &lines, db, &q, r, kind);
	}
	/* newest first: the first run with something to draw */
	for (size_t i = runs.n; !rc && !sel && !n && i > 0; i--)
		rc = try_run(&n, &lines, db, &q, &runs.v[i - 1], kind);
	if (!rc && !n)
		rc = xb_error_set(-ENOENT, "no %s plot: %s the metrics it is drawn from",
				  kind ? kind : "detail",
				  sel ? "that run has none of" : "no finished run has");
	if (!rc)
		rc = xb_plot_draw(&q);
	if (!rc)
		fputs(lines.p, stdout);
	if (rc) {
		xb_err("plot: %s", *xb_error_last() ? xb_error_last() : strerror(-rc));
		xb_error_clear();
		if (!existed)
			rmdir(out);   /* ours, and empty when nothing was drawn */
	}
	xb_plot_queue_free(&q);
	xb_trend_runs_free(&runs);
	xb_buf_free(&lines);
	xb_db_close(db);
	return rc ? XB_EXIT_ERROR : XB_EXIT_OK;
}
