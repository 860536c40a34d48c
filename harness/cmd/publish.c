// SPDX-License-Identifier: GPL-2.0
/* daxbench publish: the static report of every metric across kernels. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "json.h"
#include "options.h"
#include "publish.h"
#include "trend.h"
#include "db.h"
#include "error.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench publish [--db PATH] [--seed N] [--json] OUTDIR\n"
"\n"
"Write a static site to OUTDIR (HTML and images, no external script, font or\n"
"style; open OUTDIR/index.html, or serve it from any static host): every\n"
"metric's trend across kernels with its change points (each run's circle\n"
"links to its page), a page per metric, per run (its fingerprint and the\n"
"detail plots its metrics allow: fault-latency CDF, host memory against\n"
"guests, exec startup, radix lookup; see daxbench plot --help) and per\n"
"stored comparison.\n"
"Plots are drawn by gnuplot from NAME.gp and NAME.dat kept in OUTDIR/plots;\n"
"publishing again redraws only plots whose script or data changed.\n"
"\n"
"Change points (E-divisive means, permutation test, at least 3 kernels a\n"
"segment; weak p <= 0.01, confirmed p <= 0.001) are stored in the database;\n"
"the ones new since the last publish are listed on stdout.\n"
"\n"
"  --db PATH   results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  --seed N    seed of the permutations (default 1: repeatable)\n"
"  --json      the summary and the new change points, machine-readable\n"
"  -h, --help  this text\n"
"\n"
"Exit status: 0 published, 1 error, 2 usage, 3 published and a new change\n"
"point is a regression.\n");
}

static void print_text(const struct xb_publish_stats *st, const char *out, double secs)
{
	for (size_t i = 0; i < st->new_changepoints; i++)
		printf("new change point: %s\n", st->new_lines[i]);
	printf("published %s/index.html: %zu metrics, %zu runs, %zu comparisons, %zu change "
	       "points (%zu new); plots drawn %zu, unchanged %zu; %.1f s\n", out, st->metrics,
	       st->runs, st->comparisons, st->changepoints, st->new_changepoints,
	       st->plots_drawn, st->plots_unchanged, secs);
}

static void print_json(const struct xb_publish_stats *st, const char *out, double secs)
{
	struct xb_json j = { 0 };
	char *index = xb_asprintf("%s/index.html", out);

	xb_json_obj_open(&j);
	xb_json_key(&j, "schema_version"); xb_json_int(&j, XB_JSON_SCHEMA_VERSION);
	xb_json_key(&j, "index"); xb_json_str(&j, index);
	xb_json_key(&j, "metrics"); xb_json_int(&j, (long long)st->metrics);
	xb_json_key(&j, "runs"); xb_json_int(&j, (long long)st->runs);
	xb_json_key(&j, "comparisons"); xb_json_int(&j, (long long)st->comparisons);
	xb_json_key(&j, "changepoints"); xb_json_int(&j, (long long)st->changepoints);
	xb_json_key(&j, "new_regressions"); xb_json_int(&j, (long long)st->new_regressions);
	xb_json_key(&j, "new_changepoints");
	xb_json_arr_open(&j);
	for (size_t i = 0; i < st->new_changepoints; i++)
		xb_json_str(&j, st->new_lines[i]);
	xb_json_arr_close(&j);
	xb_json_key(&j, "plots_drawn"); xb_json_int(&j, (long long)st->plots_drawn);
	xb_json_key(&j, "plots_unchanged"); xb_json_int(&j, (long long)st->plots_unchanged);
	xb_json_key(&j, "seconds"); xb_json_num(&j, secs);
	xb_json_obj_close(&j);
	xb_json_print(&j, stdout);
	free(index);
}

static int parse_one(void *ctx, int key, const char *arg)
{
	struct xb_cp_options *cp = ctx;
	long long v;

	(void)key;   /* only --seed */
	if (xb_parse_int(&v, arg, 0, 1LL << 62))
		return xb_error_set(-EINVAL, "--seed takes a whole number, not '%s'", arg);
	cp->seed = (uint64_t)v;
	return 0;
}

int xb_cmd_publish(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ 0 },
	};
	struct xb_publish_stats st = { 0 };
	struct xb_trend_analysis an;
	struct xb_cp_options cp;
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB | XB_OPT_JSON,
		.longopts = longopts, .parse = parse_one, .ctx = &cp, .usage = usage,
		.name = "publish", .min_args = 1, .max_args = 1, .operands = "one OUTDIR" };
	struct xb_opts o;
	struct xb_db *db = NULL;
	double t0;
	int first, rc;

	xb_cp_default_options(&cp);
	rc = xb_opts_parse(&o, &spec, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	first = o.first_arg;
	rc = xb_cmd_db_open(&db, xb_default_db_path(o.db), XB_DB_WRITE);
	if (rc)
		return XB_EXIT_ERROR;
	t0 = xb_monotonic();
	/* change points are found and stored first; the site only reads */
	rc = xb_trend_analyze(&an, db, &cp, xb_now());
	if (!rc) {
		rc = xb_publish(&st, db, &an, argv[first]);
		xb_trend_analysis_free(&an);
	}
	xb_db_close(db);
	if (rc) {
		xb_err("publish to %s failed: %s", argv[first], *xb_error_last() ?
		       xb_error_last() : strerror(-rc));
		xb_error_clear();
		xb_publish_stats_free(&st);
		return XB_EXIT_ERROR;
	}
	if (o.json)
		print_json(&st, argv[first], xb_monotonic() - t0);
	else
		print_text(&st, argv[first], xb_monotonic() - t0);
	rc = st.new_regressions ? XB_EXIT_REGRESSION : XB_EXIT_OK;
	xb_publish_stats_free(&st);
	return rc;
}
