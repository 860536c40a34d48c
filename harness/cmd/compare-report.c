// SPDX-License-Identifier: GPL-2.0
/*
 * A comparison built (results-db/compare-db.c), printed as text, markdown
 * or JSON, and stored: `daxbench compare` and `daxbench compare-kernels`.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "compare-report.h"
#include "cmppage.h"
#include "text.h"
#include "clock.h"
#include "json.h"
#include "db.h"
#include "error.h"
#include "options.h"

/* --- formatting ------------------------------------------------------------ */

static void fmt_val(char out[32], double v, const char *unit)
{
	double a = fabs(v);

	if (!isfinite(v))
		snprintf(out, 32, "-");
	else if (!strcmp(unit, "ns") || a >= 100)
		snprintf(out, 32, "%.1f", v);
	else if (a >= 1)
		snprintf(out, 32, "%.3f", v);
	else
		snprintf(out, 32, "%.4g", v);
}

static void fmt_pct(char out[32], double v)
{
	if (!isfinite(v))
		snprintf(out, 32, isinf(v) ? (v > 0 ? "+inf" : "-inf") : "-");
	else
		snprintf(out, 32, "%+.1f%%", v);
}

static void fmt_p(char out[32], double p)
{
	if (!isfinite(p))
		snprintf(out, 32, "-");
	else if (p < 0.001)
		snprintf(out, 32, "%.1e", p);
	else
		snprintf(out, 32, "%.3f", p);
}

static bool significant(const struct xb_comparison *c, const struct xb_cmp_row *r)
{
	return r->verdict == XB_VERDICT_REGRESSION || r->verdict == XB_VERDICT_IMPROVEMENT ||
	       (isfinite(r->q) && r->q < c->alpha);
}

static char *verdict_text(const struct xb_cmp_row *r)
{
	if (r->deterministic)
		return xb_asprintf("%s (deterministic)", xb_cmp_verdict_name(r->verdict));
	if (r->verdict == XB_VERDICT_INCONCLUSIVE && r->more_boots == XB_CMP_CANNOT_DECIDE)
		return xb_asprintf("inconclusive (cannot decide: > %d boots)",
				   XB_CMP_MORE_MAX);
	if (r->verdict == XB_VERDICT_INCONCLUSIVE && r->more_boots > 0)
		return xb_asprintf("inconclusive (+%ld boots)", r->more_boots);
	return xb_strdup(xb_cmp_verdict_name(r->verdict));
}

/* The cells of one row, shared by the text and markdown tables. */
#define NCOLS 12
static const char *const headers[NCOLS] = {
	"METRIC", "STAT", "UNIT", "N A/B", "MEDIAN A", "MEDIAN B", "CHANGE",
	"95% CI", "SPREAD", "P", "Q", "VERDICT",
};

static void row_cells(char *cell[NCOLS], const struct xb_comparison *c,
		      const struct xb_comparison_row *row)
{
	const struct xb_cmp_row *r = &row->r;
	char a[32], b[32], lo[32], hi[32], ch[32], nz[32], p[32], q[32];

	fmt_val(a, r->median_a, row->unit);
	fmt_val(b, r->median_b, row->unit);
	fmt_pct(ch, r->change_pct);
	fmt_pct(lo, r->ci_lo_pct);
	fmt_pct(hi, r->ci_hi_pct);
	fmt_p(p, r->mw.p);
	fmt_p(q, r->q);
	/* the between-boot spread in percent of median A */
	snprintf(nz, sizeof(nz), r->median_a != 0 ? "%.1f%%" : "-",
		 100 * r->spread / fabs(r->median_a));
	cell[0] = xb_strdup(row->metric);
	cell[1] = xb_strdup(row->stat);
	cell[2] = xb_strdup(row->unit);
	cell[3] = xb_asprintf("%zu/%zu", r->na, r->nb);
	cell[4] = xb_strdup(a);
	cell[5] = xb_strdup(b);
	cell[6] = xb_asprintf("%s%s", ch, significant(c, r) ? " *" : "");
	cell[7] = r->hl.ci_ok ? xb_asprintf("[%s, %s]", lo, hi) : xb_strdup("(too few boots)");
	cell[8] = xb_strdup(nz);
	cell[9] = xb_strdup(p);
	cell[10] = xb_strdup(q);
	cell[11] = verdict_text(r);
}

static void side_line(FILE *f, const char *tag, const char *name, const char *sel,
		      const struct xb_id_list *runs, size_t boots)
{
	fprintf(f, "%s %s  (%s: %zu run%s, %zu boot%s)\n", tag, name, sel, runs->n,
		runs->n == 1 ? "" : "s", boots, boots == 1 ? "" : "s");
}

/* The unit behind every value: icount "ns" are instructions. */
static const char *clock_meaning(const char *clock)
{
	if (!strcmp(clock, "icount"))
		return "guest instructions, 1 \"ns\" = 1 instruction, not time";
	return strstr(clock, "icount") ? "mixed: instructions against host time, not comparable" :
	       "host time";
}

/* "+412.3% regression of fault.dax.read.pte.ns p50 (A -> B, q=0.003, 8+8 boots)" */
static char *summary_line(const struct xb_comparison *c, const struct xb_comparison_row *row)
{
	const struct xb_cmp_row *r = &row->r;
	char q[32];

	/* a deterministic row is judged by size: its q says nothing */
	if (r->deterministic)
		snprintf(q, sizeof(q), "exact");
	else
		fmt_p(q, r->q);
	return xb_asprintf("%+.1f%% %s of %s %s (%s -> %s, %s%s, %zu+%zu boots)",
			   r->change_pct, xb_cmp_verdict_name(r->verdict), row->metric,
			   row->stat, c->name_a, c->name_b, r->deterministic ? "" : "q=", q,
			   r->na, r->nb);
}

static void print_counts(FILE *f, const struct xb_comparison *c)
{
	fprintf(f, "verdict: %zu regression%s, %zu improvement%s, %zu no change, "
		"%zu inconclusive", c->regressions, c->regressions == 1 ? "" : "s",
		c->improvements, c->improvements == 1 ? "" : "s", c->no_change,
		c->inconclusive);
	if (c->id)
		fprintf(f, " (stored as comparison %lld)", (long long)c->id);
	fprintf(f, "\n");
}

/* Under a clock that is not deterministic, sides measured one after the
 * other confound a change of the host with the kernel's. */
static bool separate_times(const struct xb_comparison *c)
{
	return !c->interleaved && !c->judging.deterministic_clock;
}

static void print_separate_times(const struct xb_comparison *c, const char *prefix)
{
	char a0[32], a1[32], b0[32], b1[32];

	xb_iso_time(a0, c->span_a[0]);
	xb_iso_time(a1, c->span_a[1]);
	xb_iso_time(b0, c->span_b[0]);
	xb_iso_time(b1, c->span_b[1]);
	printf("%snote: the sides ran at separate times (A %s to %s, B %s to %s): under the "
	       "%s clock a change of the host in between reads as a change of the kernel; "
	       "`daxbench compare-kernels` interleaves the boots\n", prefix, a0, a1, b0, b1,
	       c->clock);
}

static void print_text(const struct xb_comparison *c)
{
	struct xb_table t = { .ncols = NCOLS, .align = "lllrrrrrrrrl" };
	char *cell[NCOLS];

	side_line(stdout, "A", c->name_a, c->selector_a, &c->runs_a, c->boots_a);
	side_line(stdout, "B", c->name_b, c->selector_b, &c->runs_b, c->boots_b);
	printf("clock %s (%s)\n", c->clock, clock_meaning(c->clock));
	if (separate_times(c))
		print_separate_times(c, "");
	if (c->ndiffs)
		printf("\nfingerprint fields that differ (A | B):\n");
	for (size_t i = 0; i < c->ndiffs; i++)
		printf("  %s%s: %s | %s\n", c->diffs[i].refuse ? "! " : "", c->diffs[i].key,
		       c->diffs[i].values_a, c->diffs[i].values_b);
	printf("\nper-boot statistics; change = median B / median A - 1; * = a regression or "
	       "improvement, or q < %.2g;\n"
	       "no change = the 95%% interval within ±%g%% (clock %s)\n", c->alpha,
	       c->judging.threshold_pct, c->clock);
	for (size_t k = 0; k < NCOLS; k++)
		xb_table_add(&t, headers[k]);
	for (size_t i = 0; i < c->nrows; i++) {
		row_cells(cell, c, &c->rows[i]);
		for (size_t k = 0; k < NCOLS; k++) {
			xb_table_add(&t, cell[k]);
			free(cell[k]);
		}
	}
	xb_table_print(&t, stdout, "  ");
	xb_table_free(&t);
	printf("\n");
	for (size_t i = 0; i < c->nrows; i++) {
		enum xb_verdict v = c->rows[i].r.verdict;

		if (v == XB_VERDICT_REGRESSION || v == XB_VERDICT_IMPROVEMENT) {
			char *s = summary_line(c, &c->rows[i]);

			printf("%s\n", s);
			free(s);
		}
	}
	print_counts(stdout, c);
}

static void md_cell(const char *s)
{
	printf(" ");
	for (; *s; s++)
		printf(*s == '|' ? "\\|" : "%c", *s);
	printf(" |");
}

static void print_markdown(const struct xb_comparison *c)
{
	char *cell[NCOLS];

	printf("### daxbench compare: %s vs %s\n\n", c->name_a, c->name_b);
	printf("- **A**: `%s`, %zu runs, %zu boots\n", c->selector_a, c->runs_a.n, c->boots_a);
	printf("- **B**: `%s`, %zu runs, %zu boots\n", c->selector_b, c->runs_b.n, c->boots_b);
	printf("- **clock**: %s (%s)\n\n", c->clock, clock_meaning(c->clock));
	if (separate_times(c))
		print_separate_times(c, "- ");
	printf("- **no change**: the 95%% interval within ±%g%% (clock %s)\n\n",
	       c->judging.threshold_pct, c->clock);
	if (c->ndiffs)
		printf("Fingerprint fields that differ:\n\n| field | A | B |\n|---|---|---|\n");
	for (size_t i = 0; i < c->ndiffs; i++) {
		printf("|");
		md_cell(c->diffs[i].key);
		md_cell(c->diffs[i].values_a);
		md_cell(c->diffs[i].values_b);
		printf("\n");
	}
	printf("\n|");
	for (size_t k = 0; k < NCOLS; k++)
		md_cell(headers[k]);
	printf("\n|");
	for (size_t k = 0; k < NCOLS; k++)
		printf("%s|", k < 3 || k == NCOLS - 1 ? "---" : "---:");
	printf("\n");
	for (size_t i = 0; i < c->nrows; i++) {
		row_cells(cell, c, &c->rows[i]);
		printf("|");
		for (size_t k = 0; k < NCOLS; k++) {
			md_cell(cell[k]);
			free(cell[k]);
		}
		printf("\n");
	}
	printf("\n");
	for (size_t i = 0; i < c->nrows; i++) {
		enum xb_verdict v = c->rows[i].r.verdict;

		if (v == XB_VERDICT_REGRESSION || v == XB_VERDICT_IMPROVEMENT) {
			char *s = summary_line(c, &c->rows[i]);

			printf("- %s\n", s);
			free(s);
		}
	}
	printf("\n**");
	print_counts(stdout, c);
	printf("**\n");
}

static void json_side(struct xb_json *j, const char *sel, const char *name,
		      const struct xb_id_list *runs, size_t boots)
{
	xb_json_obj_open(j);
	xb_json_key(j, "selector");
	xb_json_str(j, sel);
	xb_json_key(j, "name");
	xb_json_str(j, name);
	xb_json_key(j, "runs");
	xb_json_arr_open(j);
	for (size_t i = 0; i < runs->n; i++)
		xb_json_int(j, runs->ids[i]);
	xb_json_arr_close(j);
	xb_json_key(j, "boots");
	xb_json_int(j, (long long)boots);
	xb_json_obj_close(j);
}

static void json_num(struct xb_json *j, const char *key, double v)
{
	xb_json_key(j, key);
	xb_json_num(j, v);
}

static void json_row(struct xb_json *j, const struct xb_comparison *c,
		     const struct xb_comparison_row *row)
{
	const struct xb_cmp_row *r = &row->r;

	xb_json_obj_open(j);
	xb_json_key(j, "metric");
	xb_json_str(j, row->metric);
	xb_json_key(j, "stat");
	xb_json_str(j, row->stat);
	xb_json_key(j, "unit");
	xb_json_str(j, row->unit);
	xb_json_key(j, "direction");
	xb_json_str(j, row->direction);
	xb_json_key(j, "n_a");
	xb_json_int(j, (long long)r->na);
	xb_json_key(j, "n_b");
	xb_json_int(j, (long long)r->nb);
	json_num(j, "median_a", r->median_a);
	json_num(j, "median_b", r->median_b);
	json_num(j, "change_pct", r->change_pct);
	json_num(j, "ci_lo_pct", r->ci_lo_pct);
	json_num(j, "ci_hi_pct", r->ci_hi_pct);
	json_num(j, "shift", r->hl.shift);
	json_num(j, "ci_lo", r->hl.lo);
	json_num(j, "ci_hi", r->hl.hi);
	json_num(j, "u", r->mw.u);
	xb_json_key(j, "p_exact");
	xb_json_bool(j, r->mw.exact);
	json_num(j, "p", r->mw.p);
	json_num(j, "q", r->q);
	json_num(j, "between_boot_spread", r->spread);
	xb_json_key(j, "deterministic");
	xb_json_bool(j, r->deterministic);
	xb_json_key(j, "verdict");
	xb_json_str(j, xb_cmp_verdict_name(r->verdict));
	xb_json_key(j, "more_boots");
	if (r->more_boots >= 0)
		xb_json_int(j, r->more_boots);
	else
		xb_json_null(j);
	xb_json_key(j, "cannot_decide");
	xb_json_bool(j, r->more_boots == XB_CMP_CANNOT_DECIDE);
	xb_json_key(j, "significant");
	xb_json_bool(j, significant(c, r));
	xb_json_obj_close(j);
}

static int print_json(const struct xb_comparison *c)
{
	struct xb_json j = { 0 };

	xb_json_obj_open(&j);
	xb_json_key(&j, "schema_version");
	xb_json_int(&j, XB_JSON_SCHEMA_VERSION);
	xb_json_key(&j, "comparison_id");
	if (c->id)
		xb_json_int(&j, c->id);
	else
		xb_json_null(&j);
	json_num(&j, "alpha", c->alpha);
	xb_json_key(&j, "clock");
	xb_json_str(&j, c->clock);
	json_num(&j, "threshold_pct", c->judging.threshold_pct);
	xb_json_key(&j, "interleaved");
	xb_json_bool(&j, c->interleaved);
	xb_json_key(&j, "a");
	json_side(&j, c->selector_a, c->name_a, &c->runs_a, c->boots_a);
	xb_json_key(&j, "b");
	json_side(&j, c->selector_b, c->name_b, &c->runs_b, c->boots_b);
	xb_json_key(&j, "fingerprint_differences");
	xb_json_arr_open(&j);
	for (size_t i = 0; i < c->ndiffs; i++) {
		xb_json_obj_open(&j);
		xb_json_key(&j, "key");
		xb_json_str(&j, c->diffs[i].key);
		xb_json_key(&j, "a");
		xb_json_str(&j, c->diffs[i].values_a);
		xb_json_key(&j, "b");
		xb_json_str(&j, c->diffs[i].values_b);
		xb_json_key(&j, "refuses");
		xb_json_bool(&j, c->diffs[i].refuse);
		xb_json_obj_close(&j);
	}
	xb_json_arr_close(&j);
	xb_json_key(&j, "rows");
	xb_json_arr_open(&j);
	for (size_t i = 0; i < c->nrows; i++)
		json_row(&j, c, &c->rows[i]);
	xb_json_arr_close(&j);
	xb_json_key(&j, "summary");
	xb_json_arr_open(&j);
	for (size_t i = 0; i < c->nrows; i++) {
		enum xb_verdict v = c->rows[i].r.verdict;

		if (v == XB_VERDICT_REGRESSION || v == XB_VERDICT_IMPROVEMENT) {
			char *s = summary_line(c, &c->rows[i]);

			xb_json_str(&j, s);
			free(s);
		}
	}
	xb_json_arr_close(&j);
	xb_json_key(&j, "regressions");
	xb_json_int(&j, (long long)c->regressions);
	xb_json_key(&j, "improvements");
	xb_json_int(&j, (long long)c->improvements);
	xb_json_key(&j, "no_change");
	xb_json_int(&j, (long long)c->no_change);
	xb_json_key(&j, "inconclusive");
	xb_json_int(&j, (long long)c->inconclusive);
	xb_json_obj_close(&j);
	return xb_json_print(&j, stdout);
}

/* --- the command --------------------------------------------------------- */

static void report_refusal(const struct xb_comparison *c)
{
	for (size_t i = 0; i < c->ndiffs; i++)
		if (c->diffs[i].refuse && !strcmp(c->diffs[i].key, XB_FP_CLOCK))
			xb_err("refusing to compare: the clock differs (A: %s | B: %s); icount "
			       "\"ns\" count guest instructions, wall ns are host time, so "
			       "their values are not comparable: select runs of one clock "
			       "(fp:clock=icount), or give --force", c->diffs[i].values_a,
			       c->diffs[i].values_b);
		else if (c->diffs[i].refuse)
			xb_err("refusing to compare: %s differs (A: %s | B: %s); runs of "
			       "different experiments are not comparable: select matching "
			       "runs, or give --force", c->diffs[i].key, c->diffs[i].values_a,
			       c->diffs[i].values_b);
}

/* A malformed selector is a usage error (exit 2); one matching nothing is not. */
int xb_compare_check_selectors(struct xb_db *db, const char *sel_a, const char *sel_b)
{
	const char *sel[] = { sel_a, sel_b };

	for (int i = 0; i < 2; i++) {
		struct xb_id_list ids;
		int rc = xb_select_runs(&ids, db, sel[i]);

		xb_id_list_free(&ids);
		if (rc == -EINVAL) {
			xb_error_print(rc);
			xb_opts_try("compare");
			return XB_EXIT_USAGE;
		}
		xb_error_clear();
	}
	return 0;
}

int xb_compare_and_report(struct xb_db *db, const char *sel_a, const char *sel_b,
			  const struct xb_report_opts *o)
{
	struct xb_comparison c;
	int rc;

	rc = xb_compare_check_selectors(db, sel_a, sel_b);
	if (rc)
		return rc;
	rc = xb_comparison_build(&c, db, sel_a, sel_b, &o->cmp);
	if (rc) {
		xb_error_print(rc);
		rc = XB_EXIT_ERROR;
		goto out;
	}
	if (c.nrefuse && !o->force) {
		report_refusal(&c);
		rc = XB_EXIT_ERROR;
		goto out;
	}
	rc = o->store ? xb_comparison_store(db, &c, o->force, xb_git_commit()) : 0;
	if (rc == -EROFS || rc == -EACCES || rc == -EPERM) {
		xb_error_print(rc);
		xb_warn("cannot store the comparison; printing it only");
		rc = 0;
	}
	if (rc) {
		xb_error_print(rc);
		rc = XB_EXIT_ERROR;
		goto out;
	}
	if (o->format == XB_REPORT_JSON)
		rc = print_json(&c) ? XB_EXIT_ERROR : 0;
	else if (o->format == XB_REPORT_MARKDOWN)
		print_markdown(&c), rc = 0;
	else
		print_text(&c), rc = 0;
	if (!rc && o->plot_dir) {
		if (xb_cmp_plot_dir(&c, o->plot_dir)) {
			xb_error_print(-EIO);
			rc = XB_EXIT_ERROR;
		} else if (o->format == XB_REPORT_TEXT) {
			printf("plot: %s/index.html, %s/forest.svg\n", o->plot_dir, o->plot_dir);
		}
	}
	if (!rc && c.regressions)
		rc = XB_EXIT_REGRESSION;
out:
	xb_comparison_free(&c);
	return rc;
}
