// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench compare SEL_A SEL_B: per metric, the boots of side A against the
 * boots of side B (statistics in results-db/compare.c), printed as a text
 * table, markdown or JSON, and stored in the database.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "text.h"
#include "options.h"
#include "compare-report.h"
#include "db.h"
#include "error.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench compare [options] SEL_A SEL_B\n"
"\n"
"Compare the boots of the runs SEL_A selects (the baseline) with those of\n"
"SEL_B. The unit of observation is one boot: each boot contributes its own\n"
"median (p50) and, for per-fault metrics, its p90 of a metric, so the noise\n"
"the statistics see is the variation between boots. Per metric: boots per\n"
"side, median per side, percent change, Hodges-Lehmann 95%% interval of the\n"
"change, Mann-Whitney U p-value (exact, with ties, for small sides),\n"
"Benjamini-Hochberg q-value across all judged rows, and a verdict that\n"
"follows the metric's direction:\n"
"  regression / improvement  q < 0.05 and the interval excludes 0\n"
"  no change                 otherwise, when the whole interval lies within\n"
"                            +-threshold (an equivalence test)\n"
"  inconclusive (+N boots)   neither; N boots more a side decide it with 80%%\n"
"                            power at its Benjamini-Hochberg rank, if shift\n"
"                            and spread are as observed (or: cannot decide)\n"
"When every boot of each side gave the same value (a deterministic clock,\n"
"or at least 2 boots a side), the difference is exact and judged by its\n"
"size alone: under the threshold no change, else regression or improvement,\n"
"marked (deterministic).\n"
"\n"
"Selectors (terms joined by ',', all must hold; finished runs only):\n"
"  N, id:N, id:N-M, a uuid prefix, latest, label:GLOB, kernel:GLOB,\n"
"  commit:PREFIX (daxbench commit), fp:KEY=GLOB, since:TIME, until:TIME\n"
"  (TIME: YYYY-MM-DD[THH:MM[:SS]] UTC, or unix seconds). Several runs on a\n"
"  side are pooled boot by boot.\n"
"\n"
"  --json             JSON (with schema_version) instead of the text table\n"
"  --markdown         a markdown table instead of the text table\n"
"  --stat LIST        per-boot statistics compared: p50,p90,p99 (default p50,p90)\n"
"  --threshold PCT    half-width of \"no change\" in percent of median A\n"
"                     (default by the runs' clock: wall 5, icount 0.1)\n"
"  --force            compare although backend, suite, suite.sha256,\n"
"                     daxbench.commit or clock (wall, icount) differ (refused\n"
"                     otherwise)\n"
"  --no-store         do not record the comparison in the database\n"
"  --plot DIR         also write DIR/index.html: the forest plot (every\n"
"                     metric's change with its interval and the no-change\n"
"                     band) and per metric the per-boot values of both sides;\n"
"                     DIR/forest.svg: the forest plot alone\n"
"  --simulate SHIFTS  instead of comparing: resample the pooled boots of both\n"
"                     sides (an A/A pair), inject each relative shift (e.g.\n"
"                     0,0.01,0.02,0.05,0.10) into one side, and print the\n"
"                     detection (or false positive) rate per metric\n"
"  --boots N          boots per side in the simulation (default 8)\n"
"  --trials T         simulated comparisons per shift (default 200)\n"
"  --db PATH          results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 no regression, 3 at least one regression, 1 error (or a\n"
"refused comparison), 2 usage.\n");
}

struct compare_opts {
	const char *db;
	const char *sim;
	const char *sel[2];
	long long sim_boots, trials;
	struct xb_report_opts r;
};

int xb_parse_stats(unsigned *out, const char *list)
{
	char *copy = xb_strdup(list), *save = NULL, *t;
	int rc = 0;

	*out = 0;
	for (t = strtok_r(copy, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save)) {
		size_t k = 0;

		while (k < 3 && strcmp(xb_trim(t), xb_cmp_stat_names[k]))
			k++;
		if (k == 3)
			rc = -EINVAL;
		else
			*out |= 1u << k;
	}
	free(copy);
	return rc ? rc : *out ? 0 : -EINVAL;
}

static int parse_one(void *ctx, int key, const char *arg)
{
	struct compare_opts *o = ctx;

	switch (key) {
	case 'j': o->r.format = XB_REPORT_JSON; return 0;
	case 'm': o->r.format = XB_REPORT_MARKDOWN; return 0;
	case 'f': o->r.force = true; return 0;
	case 'n': o->r.store = false; return 0;
	case 'S': o->sim = arg; return 0;
	case 'p': o->r.plot_dir = arg; return 0;
	case 's':
		if (!xb_parse_stats(&o->r.cmp.stats, arg))
			return 0;
		return xb_error_set(-EINVAL, "bad --stat '%s': give p50, p90 and/or p99, "
				    "comma-separated", arg);
	case 'b': return xb_opt_int(&o->sim_boots, "boots", arg, 1, 10000);
	case 't': return xb_opt_int(&o->trials, "trials", arg, 1, 1000000);
	}
	return -EINVAL;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct compare_opts *o, int argc, char **argv)
{
	/* --json is a report format here: the last of --json and --markdown wins */
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "markdown", no_argument, NULL, 'm' },
		{ "stat", required_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-store", no_argument, NULL, 'n' },
		{ "simulate", required_argument, NULL, 'S' },
		{ "plot", required_argument, NULL, 'p' },
		{ "boots", required_argument, NULL, 'b' },
		{ "trials", required_argument, NULL, 't' },
		{ 0 },
	};
	const struct xb_opts_spec spec = {
		.shared = XB_OPT_DB | XB_OPT_THRESHOLD,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage,
		.name = "compare", .min_args = 2, .max_args = 2, .operands = "two selectors" };
	struct xb_opts so;
	int rc;

	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	if (so.threshold_pct)
		o->r.cmp.threshold_pct = so.threshold_pct;
	o->sel[0] = argv[so.first_arg];
	o->sel[1] = argv[so.first_arg + 1];
	return 0;
}

/* Parses "0,0.01,0.05" into at most 16 shifts; 0 ok, else -EINVAL. */
static int parse_shifts(double *out, size_t *out_n, const char *list)
{
	char *copy = xb_strdup(list), *save = NULL, *t, *end;
	int rc = 0;

	*out_n = 0;
	for (t = strtok_r(copy, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save)) {
		double v = strtod(t, &end);

		if (end == t || *end || !isfinite(v) || v <= -1 || *out_n == 16)
			rc = -EINVAL;
		else
			out[(*out_n)++] = v;
	}
	free(copy);
	return rc ? rc : *out_n ? 0 : -EINVAL;
}

/*
 * One line per judged row: with shift 0 the rate of p < alpha before
 * correction and of regression/improvement verdicts after BH (false
 * positives), with any other shift the rate of the verdict the shift calls
 * for (detections).
 */
static void print_sim(const struct xb_comparison *c, struct xb_sim_result **res,
		      const double *shift, size_t nshift)
{
	struct xb_table t = { .ncols = 2 };
	char *align;

	xb_table_add(&t, "METRIC");
	xb_table_add(&t, "STAT");
	for (size_t k = 0; k < nshift; k++) {
		t.ncols += shift[k] == 0 ? 2 : 1;
		if (shift[k] == 0) {
			xb_table_add(&t, "A/A p<a");
			xb_table_add(&t, "A/A FP");
		} else {
			xb_table_addf(&t, "%+.1f%%", 100 * shift[k]);
		}
	}
	for (size_t i = 0; i < c->nrows; i++) {
		if (c->rows[i].r.dir == XB_DIR_NONE)
			continue;
		xb_table_add(&t, c->rows[i].metric);
		xb_table_add(&t, c->rows[i].stat);
		for (size_t k = 0; k < nshift; k++) {
			double n = (double)res[k][i].trials;

			if (shift[k] == 0) {
				xb_table_addf(&t, "%.1f%%", 100 * (double)res[k][i].raw_pos / n);
				xb_table_addf(&t, "%.1f%%", 100 * (double)res[k][i].false_pos / n);
			} else {
				xb_table_addf(&t, "%.1f%%", 100 * (double)res[k][i].detected / n);
			}
		}
	}
	align = xb_malloc(t.ncols + 1);
	memset(align, 'r', t.ncols);
	align[0] = align[1] = 'l';
	align[t.ncols] = 0;
	t.align = align;
	xb_table_print(&t, stdout, "");
	xb_table_free(&t);
	free(align);
}

static int simulate(struct xb_db *db, const struct compare_opts *o, const char *sel_a,
		    const char *sel_b)
{
	struct xb_comparison c;
	struct xb_sim_result *res[16] = { 0 };
	double shift[16];
	size_t nshift = 0, n;
	int rc = XB_EXIT_OK;

	if (parse_shifts(shift, &nshift, o->sim)) {
		xb_err("bad --simulate '%s': give up to 16 fractions like 0,0.05", o->sim);
		xb_opts_try("compare");
		return XB_EXIT_USAGE;
	}
	rc = xb_compare_check_selectors(db, sel_a, sel_b);
	if (rc)
		return rc;
	rc = xb_comparison_build(&c, db, sel_a, sel_b, &o->r.cmp);
	if (rc) {
		xb_error_print(rc);
		rc = XB_EXIT_ERROR;
		goto out;
	}
	for (size_t k = 0; k < nshift && !rc; k++)
		if (xb_comparison_simulate(&res[k], &n, &c, (size_t)o->sim_boots, shift[k],
					   (size_t)o->trials, 1)) {
			xb_err("nothing to simulate: the sides have no common metrics");
			rc = XB_EXIT_ERROR;
		}
	if (!rc) {
		printf("resampled from the %zu + %zu boots of %s and %s, %lld boots a side "
		       "(%s replacement), %lld trials per shift\n", c.boots_a, c.boots_b,
		       sel_a, sel_b, o->sim_boots, c.boots_a + c.boots_b >= 2 * (size_t)o->sim_boots ?
		       "without" : "with", o->trials);
		print_sim(&c, res, shift, nshift);
	}
	for (size_t k = 0; k < nshift; k++)
		if (res[k])
			xb_sim_results_free(res[k], c.nrows);
out:
	xb_comparison_free(&c);
	return rc;
}

/*
 * Storing the comparison needs write access; without it (a database
 * shared read-only) the comparison is still computed and printed.
 */
static int open_db(struct xb_db **out, struct compare_opts *o)
{
	const char *path = xb_default_db_path(o->db);
	int rc;

	if (!o->r.store || o->sim)
		return xb_cmd_db_open(out, path, XB_DB_READ);
	rc = xb_db_open_mode(out, path, XB_DB_WRITE);
	if (rc != -EROFS && rc != -EACCES && rc != -EPERM) {
		if (rc)
			xb_error_print(rc);
		return rc;
	}
	rc = xb_cmd_db_open(out, path, XB_DB_READ);
	if (!rc) {
		xb_warn("cannot store the comparison: database %s is read-only for this user; "
			"printing it only", path);
		o->r.store = false;
	}
	return rc;
}

int xb_cmd_compare(int argc, char **argv)
{
	struct compare_opts o = { .sim_boots = 8, .trials = 200, .r.store = true };
	struct xb_db *db = NULL;
	int rc;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	if (open_db(&db, &o))
		return XB_EXIT_ERROR;
	if (o.sim)
		rc = simulate(db, &o, o.sel[0], o.sel[1]);
	else
		rc = xb_compare_and_report(db, o.sel[0], o.sel[1], &o.r);
	xb_db_close(db);
	return rc;
}
