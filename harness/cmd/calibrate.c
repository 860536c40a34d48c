// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench calibrate: inject known shifts of the DAX read fault (planned
 * from a measured base median and cost per spin iteration), run real
 * comparisons of baseline boots against injected boots of the same kernel,
 * and print what this machine catches (calibrate.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "options.h"
#include "calibrate.h"
#include "compare-report.h"
#include "common.h"
#include "error.h"
#include "run.h"
#include "compare-db.h"
#include "db.h"
#include "error.h"

#define DEFAULT_ROUNDS 3
#define DEFAULT_TRIALS 1
#define DEFAULT_PROBE_SPIN 50000
#define MAX_SHIFTS 16

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench calibrate [options]\n"
"\n"
"Learn what this machine can detect. The guest kernel gets\n"
"bench/kmod/daxbench_inject, a kprobe on dax_iomap_pte_fault spinning N\n"
"empty-loop iterations per DAX fault. Two planning boots (spin 0 and\n"
"--probe-spin) give the DAX read fault median and the cost of one iteration;\n"
"N is then chosen per target shift. Each trial boots, per round, the\n"
"baseline (spin 0) and every shift in turn, then compares each shift's boots\n"
"against the baseline's as `daxbench compare` would. The table says per\n"
"shift: the spin, the shift planned and measured, how many trials called\n"
"fault.dax.read.pte.ns a regression, and how many verdicts fell on metrics\n"
"the probe does not touch (anything outside fault.dax.*): false calls.\n"
"Every boot is a run labelled PREFIX-plan-{base,probe} or PREFIX-tT-{base,Npct}\n"
"with fingerprint inject.dax_fault_spin; each comparison is stored.\n"
"\n"
"  --shifts LIST      target shifts in percent (default 0.5,1,2,5,10)\n"
"  --rounds K         boots per side in each comparison (default %d)\n"
"  --trials T         comparisons per shift (default %d)\n"
"  --clock C          wall (default) or icount: the guest clock of every boot\n"
"  --threshold PCT    half-width of \"no change\" in the comparisons, as for\n"
"                     `daxbench compare` (default: the clock's)\n"
"  --probe-spin N     spin of the planning boot (default %d)\n"
"  --base NS, --ns-per-spin NS   skip the planning boots: the DAX read median\n"
"                     at spin 0 and the cost of one iteration, both measured\n"
"                     before with the same kernel and clock\n"
"  --kernel SPEC      as for `daxbench run` (default: the default kernel)\n"
"  --suite NAME|FILE  suite to boot (default calibrate)\n"
"  --label PREFIX     run label prefix (default calib-<random>)\n"
"  --accel A, --timeout S, --cache-dir DIR, --append ARGS   as for `daxbench run`\n"
"  --json             the table as JSON\n"
"  --db PATH          results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 table printed, 1 error (a boot that could not start, a plan\n"
"the noise swallowed), 2 usage.\n",
		DEFAULT_ROUNDS, DEFAULT_TRIALS, DEFAULT_PROBE_SPIN);
}

/* What the boots are run with: handed whole to boot(). */
struct cal_opts {
	const char *db, *label;
	const char *clock;         /* "wall" | "icount" */
	long long rounds, trials, probe_spin;
	double shifts[MAX_SHIFTS];
	size_t nshifts;
	double base_ns, cost_ns;   /* given: no planning boots */
	double threshold_pct;      /* 0: the clock's */
	bool json;
	struct xb_run_request req;
};

struct cal_state {
	struct xb_db *db;
	char *prefix;
	struct xb_calib_shift shift[MAX_SHIFTS];
	struct xb_calib_row row[MAX_SHIFTS];
	double base_ns, cost_ns;
	double threshold_pct;
	unsigned nfailed;
};

enum { O_SHIFTS = 256, O_ROUNDS, O_TRIALS, O_CLOCK, O_PROBE, O_BASE, O_COST, O_KERNEL,
       O_SUITE, O_LABEL, O_ACCEL, O_TIMEOUT, O_CACHE, O_APPEND, O_JSON, O_DB };

static int parse_shifts(struct cal_opts *o, const char *list)
{
	char *copy = xb_strdup(list), *save = NULL, *end;
	int rc = 0;

	o->nshifts = 0;
	for (char *t = strtok_r(copy, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save)) {
		double v = strtod(t, &end);

		if (end == t || *end || !(v > 0 && v <= 100) || o->nshifts == MAX_SHIFTS)
			rc = -EINVAL;
		else
			o->shifts[o->nshifts++] = v;
	}
	free(copy);
	return rc || !o->nshifts ? -EINVAL : 0;
}

static int parse_number(double *out, const char *s)
{
	char *end;

	*out = strtod(s, &end);
	return end == s || *end || !(*out > 0) ? -EINVAL : 0;
}

static int parse_one(void *ctx, int key, const char *arg)
{
	struct cal_opts *o = ctx;

	switch (key) {
	case O_ROUNDS: return xb_opt_int(&o->rounds, "rounds", arg, 1, 100);
	case O_TRIALS: return xb_opt_int(&o->trials, "trials", arg, 1, XB_CALIB_MAX_TRIALS);
	case O_PROBE: return xb_opt_int(&o->probe_spin, "probe-spin", arg, 1, 100000000);
	case O_CLOCK: o->clock = arg; return 0;
	case O_KERNEL: o->req.kernel = arg; return 0;
	case O_SUITE: o->req.suite = arg; return 0;
	case O_LABEL: o->label = arg; return 0;
	case O_ACCEL: o->req.accel = arg; return xb_opt_accel(arg);
	case O_CACHE: o->req.cache = arg; return 0;
	case O_APPEND: o->req.append = arg; return 0;
	case O_TIMEOUT: return xb_opt_uint(&o->req.timeout_s, "timeout", arg, 1, 86400);
	case O_SHIFTS:
		if (!parse_shifts(o, arg))
			return 0;
		return xb_error_set(-EINVAL, "bad --shifts '%s': give up to %d percentages above 0, "
				    "comma-separated", arg, MAX_SHIFTS);
	case O_BASE:
	case O_COST:
		if (!parse_number(key == O_BASE ? &o->base_ns : &o->cost_ns, arg))
			return 0;
		return xb_error_set(-EINVAL, "bad --%s '%s': give a positive number of ns",
				    key == O_BASE ? "base" : "ns-per-spin", arg);
	}
	return -EINVAL;
}

static int check_opts(const struct cal_opts *o)
{
	if (!o->base_ns != !o->cost_ns) {
		xb_err("--base and --ns-per-spin go together (both measured before)");
		return -EINVAL;
	}
	if (strcmp(o->clock, "wall") && strcmp(o->clock, "icount")) {
		xb_err("--clock is wall or icount, not '%s'", o->clock);
		return -EINVAL;
	}
	if (o->label && strpbrk(o->label, "*?[,")) {
		xb_err("bad --label '%s': it may not hold * ? [ or ,", o->label);
		return -EINVAL;
	}
	return 0;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct cal_opts *o, int argc, char **argv)
{
	/* --clock is calibrate's own: wall or icount, no auto */
	static const struct option longopts[] = {
		{ "shifts", required_argument, NULL, O_SHIFTS },
		{ "rounds", required_argument, NULL, O_ROUNDS },
		{ "trials", required_argument, NULL, O_TRIALS },
		{ "clock", required_argument, NULL, O_CLOCK },
		{ "probe-spin", required_argument, NULL, O_PROBE },
		{ "base", required_argument, NULL, O_BASE },
		{ "ns-per-spin", required_argument, NULL, O_COST },
		{ "kernel", required_argument, NULL, O_KERNEL },
		{ "suite", required_argument, NULL, O_SUITE },
		{ "label", required_argument, NULL, O_LABEL },
		{ "accel", required_argument, NULL, O_ACCEL },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "cache-dir", required_argument, NULL, O_CACHE },
		{ "append", required_argument, NULL, O_APPEND },
		{ 0 },
	};
	const struct xb_opts_spec spec = {
		.shared = XB_OPT_DB | XB_OPT_JSON | XB_OPT_THRESHOLD,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage,
		.name = "calibrate" };
	struct xb_opts so;
	int rc;

	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	o->json = so.json;
	o->threshold_pct = so.threshold_pct;
	return check_opts(o);
}

/* One boot at spin, labelled PREFIX-what. A failed run (recorded as
 * failed) is counted and left out; one that could not start ends it all. */
static int boot(struct cal_state *s, const struct cal_opts *o, const char *what,
		unsigned spin)
{
	struct xb_run_request req = o->req;
	char *label = xb_asprintf("%s-%s", s->prefix, what);
	struct xb_buf report = { 0 };
	int64_t id = 0;
	int rc;

	req.label = label;
	req.clock = o->clock;
	req.boots = 1;
	req.inject = true;
	req.inject_spin = spin;
	xb_progress("calibrate: %s, spin %u", label, spin);
	rc = xb_run_suite(s->db, &req, false, &id, &report);
	xb_progress_done();
	if (report.len)   /* stdout is the calibration's */
		fputs(report.p, stderr);
	xb_buf_free(&report);
	if (rc && rc != -ECANCELED)   /* a failed run said why in its summary */
		xb_error_print(rc);
	free(label);
	if (rc == -ECANCELED) {
		s->nfailed++;
		rc = 0;
	}
	return rc ? rc : xb_interrupted ? -EINTR : 0;
}

/* Build the comparison PREFIX-a against PREFIX-b (and store it). */
static int compare(struct xb_comparison *out, const struct cal_state *s, const char *a,
		   const char *b)
{
	char *sa = xb_asprintf("label:%s-%s", s->prefix, a);
	char *sb = xb_asprintf("label:%s-%s", s->prefix, b);
	struct xb_compare_opts co = { .threshold_pct = s->threshold_pct };
	int rc;

	rc = xb_comparison_build(out, s->db, sa, sb, &co);
	if (!rc)
		rc = xb_comparison_store(s->db, out, true, xb_git_commit());
	if (rc)
		xb_err("calibrate: %s", *xb_error_last() ? xb_error_last() : strerror(-rc));
	xb_error_clear();
	free(sa);
	free(sb);
	return rc;
}

static const struct xb_cmp_row *shifted_row(const struct xb_comparison *c)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (!strcmp(c->rows[i].metric, XB_CALIB_METRIC) && !strcmp(c->rows[i].stat, "p50"))
			return &c->rows[i].r;
	xb_err("calibrate: no %s in the comparison (does the suite read DAX faults?)",
	       XB_CALIB_METRIC);
	return NULL;
}

/* One trial of one shift: caught or not, and verdicts on untouched rows. */
static int judge(struct xb_calib_row *row, const struct cal_state *s, const char *a,
		 const char *b)
{
	struct xb_comparison c = { 0 };
	const struct xb_cmp_row *r;
	unsigned false_calls = 0, untouched = 0;
	int rc = compare(&c, s, a, b);

	if (!rc && !(r = shifted_row(&c)))
		rc = -ENOENT;
	for (size_t i = 0; !rc && i < c.nrows; i++) {
		const struct xb_cmp_row *u = &c.rows[i].r;

		if (!strncmp(c.rows[i].metric, XB_CALIB_TOUCHED, strlen(XB_CALIB_TOUCHED)) ||
		    u->verdict == XB_VERDICT_NONE)
			continue;
		untouched++;
		false_calls += u->verdict == XB_VERDICT_REGRESSION ||
			       u->verdict == XB_VERDICT_IMPROVEMENT;
	}
	if (!rc)
		rc = xb_calib_row_add(row, r->change_pct, r->verdict == XB_VERDICT_REGRESSION,
				      false_calls, untouched);
	xb_comparison_free(&c);
	return rc;
}

/* The base median and cost per iteration: given, or from two boots. */
static int plan(struct cal_state *s, const struct cal_opts *o)
{
	struct xb_comparison c = { 0 };
	const struct xb_cmp_row *r;
	int rc;

	s->base_ns = o->base_ns;
	s->cost_ns = o->cost_ns;
	if (!s->cost_ns) {
		rc = boot(s, o, "plan-base", 0);
		if (!rc)
			rc = boot(s, o, "plan-probe", (unsigned)o->probe_spin);
		if (!rc)
			rc = compare(&c, s, "plan-base", "plan-probe");
		if (rc)
			goto out;
		rc = (r = shifted_row(&c)) ? 0 : -ENOENT;
		if (!rc && (rc = xb_calib_cost(&s->cost_ns, r->median_a, r->median_b,
					       (unsigned)o->probe_spin)))
			xb_err("calibrate: spin %lld did not slow the DAX read fault (%.0f -> %.0f ns): "
			       "raise --probe-spin", o->probe_spin, r->median_a, r->median_b);
		if (rc)
			goto out;
		s->base_ns = r->median_a;
	}
	fprintf(stderr, "calibrate: %s median %.0f ns at spin 0, %.3f ns per spin iteration\n",
		XB_CALIB_METRIC, s->base_ns, s->cost_ns);
	rc = xb_calib_plan(s->shift, o->shifts, o->nshifts, s->base_ns, s->cost_ns);
out:
	xb_comparison_free(&c);
	return rc;
}

static int trial(struct cal_state *s, const struct cal_opts *o, unsigned t)
{
	char base[32], side[MAX_SHIFTS][32];
	int rc = 0;

	snprintf(base, sizeof(base), "t%u-base", t);
	for (size_t i = 0; i < o->nshifts; i++)
		snprintf(side[i], sizeof(side[i]), "t%u-%gpct", t, s->shift[i].target_pct);
	for (long long r = 0; r < o->rounds && !rc; r++) {
		rc = boot(s, o, base, 0);
		for (size_t i = 0; i < o->nshifts && !rc; i++)
			rc = boot(s, o, side[i], s->shift[i].spin);
	}
	for (size_t i = 0; i < o->nshifts && !rc; i++)
		rc = judge(&s->row[i], s, base, side[i]);
	return rc;
}

static void print_table(const struct cal_state *s, const struct cal_opts *o)
{
	struct xb_buf out = { 0 };

	if (o->json) {
		xb_calib_table_json(&out, s->row, o->nshifts, s->base_ns, s->cost_ns);
	} else {
		xb_buf_addf(&out, "%s: median %.0f ns at spin 0, %.3f ns per spin iteration\n",
			    XB_CALIB_METRIC, s->base_ns, s->cost_ns);
		xb_calib_table_text(&out, s->row, o->nshifts);
	}
	fwrite(out.p, 1, out.len, stdout);
	xb_buf_free(&out);
}

static int calibrate(struct cal_state *s, const struct cal_opts *o)
{
	int rc = plan(s, o);

	for (size_t i = 0; i < o->nshifts; i++) {
		s->row[i].clock = o->clock;
		s->row[i].shift = s->shift[i];
		s->row[i].rounds = (unsigned)o->rounds;
	}
	for (unsigned t = 1; t <= o->trials && !rc; t++)
		rc = trial(s, o, t);
	if (s->nfailed)
		xb_warn("%u boots failed and are left out of the comparisons (see daxbench list)",
			s->nfailed);
	if (!rc)
		print_table(s, o);
	return rc;
}

int xb_cmd_calibrate(int argc, char **argv)
{
	struct cal_opts o = { .rounds = DEFAULT_ROUNDS, .trials = DEFAULT_TRIALS,
			      .probe_spin = DEFAULT_PROBE_SPIN, .clock = "wall",
			      .nshifts = 5, .shifts = { 0.5, 1, 2, 5, 10 },
			      .req.suite = "calibrate" };
	struct cal_state s = { 0 };
	char uuid[37];
	int rc;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	if (!o.label && xb_uuid(uuid)) {
		xb_err("cannot make a label: no random source");
		return XB_EXIT_ERROR;
	}
	s.threshold_pct = o.threshold_pct;
	s.prefix = o.label ? xb_strdup(o.label) : xb_asprintf("calib-%.8s", uuid);
	xb_signals_install();
	rc = xb_cmd_db_open(&s.db, xb_default_db_path(o.db), XB_DB_CREATE) ? -EIO : calibrate(&s, &o);
	xb_db_close(s.db);
	free(s.prefix);
	if (xb_interrupted)
		return 128 + xb_interrupted;
	return rc ? XB_EXIT_ERROR : XB_EXIT_OK;
}
