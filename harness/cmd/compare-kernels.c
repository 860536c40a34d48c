// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench compare-kernels A B: boot A and B in turn, A B B A A B ..., one boot per
 * run, so that drift of the machine over the session hits both sides alike;
 * then compare the two sets of boots (cmd-compare.c) and store the result.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "options.h"
#include "compare-report.h"
#include "common.h"
#include "error.h"
#include "run.h"
#include "kbuild.h"
#include "workload.h"
#include "clock.h"
#include "db.h"
#include "error.h"

/*
 * Default rounds per clock. icount (the default under TCG): one boot a side
 * decides by size, and 3 show that the boots repeat; daxbench calibrate
 * --clock icount --rounds 3 caught 0.5%, 1% and 2% DAX read shifts in 3 of 3
 * trials each. wall: 7 rounds (14 boots of about 40 s) is what fits the 10
 * minutes an A/B comparison of the quick suite may take on the 2-core
 * development machine, and it does not reach the goal of detecting a 5%
 * shift 95% of the time there: resampling 16 A/A boots of an idle machine
 * (daxbench compare --simulate 0.05) caught the DAX read median's 5% in 6.5%
 * of trials at 7 a side, 32% at 15, 71% at 30 and 99% at 60, because
 * between-boot spread under TCG is 20-25%. Fewer than 4 a side never gives a
 * 95% interval; 5 is the least that survives the Benjamini-Hochberg
 * correction when every fault metric separates.
 */
#define DEFAULT_ROUNDS_DETERMINISTIC 3
#define DEFAULT_ROUNDS 7

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench compare-kernels [options] KERNEL_A KERNEL_B\n"
"\n"
"Boot KERNEL_A (the baseline) and KERNEL_B alternately for K rounds, in\n"
"the order A B B A A B ... (so a machine that drifts over the session\n"
"shifts both sides alike), each boot its own run (labelled PREFIX-a / PREFIX-b), then compare\n"
"the two sets of boots as `daxbench compare label:PREFIX-a label:PREFIX-b`\n"
"would, print the table and store the comparison. A kernel is a Debian\n"
"release, a package name or a bzImage path (as for `daxbench run`); give\n"
"the same kernel twice with --append-a/--append-b to compare two kernel\n"
"command lines (e.g. --append-b pti=on). With --kernel-src DIR, KERNEL_A and\n"
"KERNEL_B are commits of the git tree DIR, both built (as `daxbench run\n"
"--kernel-src DIR@COMMIT`) before the first boot.\n"
"\n"
"  --kernel-src DIR   KERNEL_A and KERNEL_B are commits of this kernel tree\n"
"  --kconfig FILE     with --kernel-src: a config fragment for both builds\n"
"  --rounds K         boots per side (default %d under a deterministic clock,\n"
"                     icount, where one boot a side decides and the rest show\n"
"                     the boots repeat; %d under the wall clock, where TCG's\n"
"                     boot-to-boot spread lets it catch a 10%% shift about one\n"
"                     time in four: README). Before any boot, rounds\n"
"                     that cannot reach a verdict are refused (exit 2) with\n"
"                     the rounds that can: at least 4 for any 95%% interval,\n"
"                     and, as the suite's last run in the database counts its\n"
"                     judged rows R, enough for a lone change to reach\n"
"                     q = p R < 0.05 (7 for R = 40). Under a deterministic\n"
"                     clock one boot a side decides by size: never refused.\n"
"  --append ARGS      extra kernel command line for both sides\n"
"  --append-a ARGS    extra kernel command line for side A only\n"
"  --append-b ARGS    extra kernel command line for side B only\n"
"  --label PREFIX     run labels PREFIX-a and PREFIX-b (default cmpk-<random>)\n"
"  --suite NAME|FILE  suite to run (default quick)\n"
"  --clock C          auto (default), wall or icount, as for `daxbench run`: both\n"
"                     sides boot with the same clock (icount under TCG by default)\n"
"  --backend NAME, --fs NAME, --accel A, --timeout S, --cache-dir DIR,\n"
"  --modules DIR      as for `daxbench run` (--modules: both sides)\n"
"  --json, --markdown, --stat LIST, --threshold PCT   as for `daxbench compare`\n"
"  --force            as for `daxbench compare`, and boot although the rounds\n"
"                     cannot reach a verdict\n"
"  --db PATH          results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 no regression, 3 at least one regression of B against A,\n"
"1 error (a run that could not start, or a refused comparison), 2 usage.\n",
		DEFAULT_ROUNDS_DETERMINISTIC, DEFAULT_ROUNDS);
}

struct ck_opts {
	const char *db;
	const char *kernel[2];
	const char *append, *append_side[2];
	const char *label;
	const char *src;
	char *src_spec[2];
	long long rounds;
	struct xb_run_request req;
	struct xb_report_opts r;
};

enum { O_APPEND = 256, O_APPEND_A, O_APPEND_B, O_SUITE, O_BACKEND, O_FS, O_ACCEL,
       O_TIMEOUT, O_CACHE, O_MODULES, O_LABEL, O_ROUNDS, O_JSON, O_MD, O_STAT,
       O_FORCE, O_SRC, O_KCONFIG };

static int parse_one(void *ctx, int key, const char *arg)
{
	struct ck_opts *o = ctx;

	switch (key) {
	case O_APPEND: o->append = arg; return 0;
	case O_APPEND_A: o->append_side[0] = arg; return 0;
	case O_APPEND_B: o->append_side[1] = arg; return 0;
	case O_SUITE: o->req.suite = arg; return 0;
	case O_BACKEND: o->req.backend = arg; return xb_opt_backend(arg);
	case O_FS: o->req.fs = arg; return xb_opt_fs(arg);
	case O_ACCEL: o->req.accel = arg; return xb_opt_accel(arg);
	case O_CACHE: o->req.cache = arg; return 0;
	case O_MODULES: o->req.modules = arg; return 0;
	case O_LABEL: o->label = arg; return xb_check_utf8("--label", arg);
	case O_SRC: o->src = arg; return 0;
	case O_KCONFIG: o->req.kconfig = arg; return 0;
	case O_JSON: o->r.format = XB_REPORT_JSON; return 0;
	case O_MD: o->r.format = XB_REPORT_MARKDOWN; return 0;
	case O_FORCE: o->r.force = true; return 0;
	case O_TIMEOUT: return xb_opt_uint(&o->req.timeout_s, "timeout", arg, 1, 86400);
	case O_ROUNDS: return xb_opt_int(&o->rounds, "rounds", arg, 1, 1000);
	case O_STAT:
		if (!xb_parse_stats(&o->r.cmp.stats, arg))
			return 0;
		return xb_error_set(-EINVAL, "bad --stat '%s': give p50, p90 and/or p99, "
				    "comma-separated", arg);
	}
	return -EINVAL;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct ck_opts *o, int argc, char **argv)
{
	/* --json is a report format here: the last of --json and --markdown wins */
	static const struct option longopts[] = {
		{ "append", required_argument, NULL, O_APPEND },
		{ "append-a", required_argument, NULL, O_APPEND_A },
		{ "append-b", required_argument, NULL, O_APPEND_B },
		{ "suite", required_argument, NULL, O_SUITE },
		{ "backend", required_argument, NULL, O_BACKEND },
		{ "fs", required_argument, NULL, O_FS },
		{ "accel", required_argument, NULL, O_ACCEL },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "cache-dir", required_argument, NULL, O_CACHE },
		{ "modules", required_argument, NULL, O_MODULES },
		{ "label", required_argument, NULL, O_LABEL },
		{ "rounds", required_argument, NULL, O_ROUNDS },
		{ "json", no_argument, NULL, O_JSON },
		{ "markdown", no_argument, NULL, O_MD },
		{ "stat", required_argument, NULL, O_STAT },
		{ "force", no_argument, NULL, O_FORCE },
		{ "kernel-src", required_argument, NULL, O_SRC },
		{ "kconfig", required_argument, NULL, O_KCONFIG },
		{ 0 },
	};
	const struct xb_opts_spec spec = {
		.shared = XB_OPT_DB | XB_OPT_CLOCK | XB_OPT_THRESHOLD,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage,
		.name = "compare-kernels", .min_args = 2, .max_args = 2,
		.operands = "two kernels" };
	struct xb_opts so;
	int rc;

	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	if (so.clock)
		o->req.clock = so.clock;
	if (so.threshold_pct)
		o->r.cmp.threshold_pct = so.threshold_pct;
	o->kernel[0] = argv[so.first_arg];
	o->kernel[1] = argv[so.first_arg + 1];
	if (o->req.kconfig && !o->src) {
		xb_err("--kconfig goes with --kernel-src");
		return -EINVAL;
	}
	if (o->src && o->req.modules) {
		xb_err("--kernel-src builds the modules in: give no --modules with it");
		return -EINVAL;
	}
	for (int s = 0; o->src && s < 2; s++)
		o->src_spec[s] = xb_asprintf("%s@%s", o->src, o->kernel[s]);
	return 0;
}

static char *side_append(const struct ck_opts *o, int side)
{
	const char *both = o->append, *mine = o->append_side[side];

	if (both && mine)
		return xb_asprintf("%s %s", both, mine);
	return xb_strdup(both ? both : mine);
}

/* One boot of one side. A failed run (recorded as failed) is reported and
 * skipped; anything that kept a run from starting ends the session. */
static int run_side(struct xb_db *db, const struct ck_opts *o, int side, const char *label,
		    unsigned round, unsigned *nfailed)
{
	struct xb_run_request req = o->req;
	char *append = side_append(o, side);
	struct xb_buf report = { 0 };
	int64_t id = 0;
	int rc;

	if (o->src)
		req.kernel_src = o->src_spec[side];
	else
		req.kernel = o->kernel[side];
	req.append = append;
	req.label = label;
	req.boots = 1;
	fprintf(stderr, "compare-kernels: round %u/%lld, side %c: %s%s%s\n", round,
		o->rounds, 'A' + side, o->kernel[side], append ? " " : "", append ? append : "");
	rc = xb_run_suite(db, &req, false, &id, &report);
	if (report.len)   /* stdout is the comparison's */
		fputs(report.p, stderr);
	xb_buf_free(&report);
	free(append);
	if (rc && rc != -ECANCELED)   /* a failed run said why in its summary */
		xb_error_print(rc);
	if (rc == -ECANCELED) {
		(*nfailed)++;
		return 0;
	}
	return rc;
}

/* Both commits built before the first boot: a build that fails stops the
 * session before anything is recorded. */
static int build_both(const struct ck_opts *o)
{
	char *cache = xb_cache_dir(o->req.cache);
	struct xb_kbuild_opts ko = { .cache_dir = cache, .fragment = o->req.kconfig };
	int rc = 0;

	for (int s = 0; s < 2 && !rc; s++) {
		struct xb_kbuild *b = NULL;
		char *dir = NULL, *rev = NULL;

		rc = xb_kbuild_parse_spec(&dir, &rev, o->src_spec[s]);
		if (!rc)
			rc = xb_kbuild(&b, dir, rev, &ko);
		if (!rc)
			fprintf(stderr, "compare-kernels: side %c: %s (%s), %s\n", 'A' + s,
				b->describe, b->commit, b->cached ? "built before" : "built");
		else
			xb_error_print(rc);
		xb_kbuild_free(b);
		free(dir);
		free(rev);
	}
	free(cache);
	return rc;
}

/* The name the suite's runs are recorded under; NULL after an error. */
static char *suite_name(const char *given)
{
	char *path, *name = NULL;
	struct xb_suite *s = NULL;
	int rc = xb_suite_path(&path, given ? given : "quick");

	if (!rc)
		rc = xb_suite_load(&s, path);
	if (!rc)
		name = xb_strdup(s->name);
	else
		xb_error_print(rc);
	xb_suite_free(s);
	free(path);
	return name;
}

/*
 * Before any boot: can o->rounds boots a side reach a verdict? A lone
 * change among R judged rows has Benjamini-Hochberg rank 1, q = p R, and
 * the exact test's p is at least 2 / C(2n, n). R comes from the suite's
 * last run in db; without one, only the floor of any 95% interval is
 * checked. Returns -1 to go on, else the exit status.
 */
static int check_design(struct xb_db *db, const struct ck_opts *o)
{
	const struct xb_cmp_clock *k =
		xb_cmp_clock_find(xb_opt_planned_clock(o->req.clock, o->req.accel));
	unsigned stats = o->r.cmp.stats ? o->r.cmp.stats : XB_STAT_P50 | XB_STAT_P90;
	char *suite;
	size_t rows = 0, need;
	double pmin = xb_cmp_mw_min_p((size_t)o->rounds, (size_t)o->rounds);

	if ((k && k->deterministic) || o->r.force)
		return -1;
	suite = suite_name(o->req.suite);
	if (!suite)
		return XB_EXIT_ERROR;
	if (xb_comparison_rows_expected(&rows, db, suite, stats)) {
		xb_warn("%s; checking the rounds for one row", xb_error_last());
		xb_error_clear();
	}
	need = xb_cmp_boots_for_rows(rows ? rows : 1, XB_CMP_ALPHA, 1000);
	if ((size_t)o->rounds < need && rows)
		xb_err("%lld rounds cannot reach a verdict on a lone change among the %zu "
		       "judged rows of suite %s (its last run): the smallest p at %lld+%lld "
		       "boots, %.3g, x %zu is %.3g, not < %g; give --rounds %zu or more, or "
		       "--force", o->rounds, rows, suite, o->rounds, o->rounds, pmin, rows,
		       pmin * (double)rows, XB_CMP_ALPHA, need);
	else if ((size_t)o->rounds < need)
		xb_err("%lld rounds cannot reach any verdict: a 95%% interval needs %zu boots "
		       "a side; give --rounds %zu or more, or --force", o->rounds, need, need);
	free(suite);
	return (size_t)o->rounds < need ? XB_EXIT_USAGE : -1;
}

int xb_cmd_compare_kernels(int argc, char **argv)
{
	struct ck_opts o = { .r.store = true };
	char uuid[37], *prefix = NULL, *label[2] = { 0 }, *sel[2] = { 0 };
	unsigned nfailed = 0;
	struct xb_db *db = NULL;
	int rc;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	if (!o.rounds) {
		const struct xb_cmp_clock *k =
			xb_cmp_clock_find(xb_opt_planned_clock(o.req.clock, o.req.accel));

		o.rounds = k && k->deterministic ? DEFAULT_ROUNDS_DETERMINISTIC : DEFAULT_ROUNDS;
	}
	if (xb_uuid(uuid)) {
		xb_err("cannot make a label: no random source");
		return XB_EXIT_ERROR;
	}
	prefix = o.label ? xb_strdup(o.label) : xb_asprintf("cmpk-%.8s", uuid);
	if (strpbrk(prefix, "*?[,")) {
		xb_err("bad --label '%s': it may not hold * ? [ or ,", prefix);
		free(prefix);
		return XB_EXIT_USAGE;
	}
	for (int s = 0; s < 2; s++) {
		label[s] = xb_asprintf("%s-%c", prefix, 'a' + s);
		sel[s] = xb_asprintf("label:%s", label[s]);
	}
	if (xb_cmd_db_open(&db, xb_default_db_path(o.db), XB_DB_CREATE)) {
		rc = XB_EXIT_ERROR;
		goto out;
	}
	rc = check_design(db, &o);
	if (rc >= 0)
		goto out;
	rc = 0;
	if (o.src) {
		/* Ctrl-C stops the builds' make, then the session */
		xb_signals_install();
		if (build_both(&o)) {
			rc = xb_interrupted ? 128 + xb_interrupted : XB_EXIT_ERROR;
			goto out;
		}
	}
	/* A B, B A, A B, ...: a machine that drifts (gets slower or faster
	 * over the session) shifts both sides alike instead of favouring the
	 * side that always boots first in its round */
	for (unsigned r = 1; r <= o.rounds && !rc && !xb_interrupted; r++)
		for (int i = 0; i < 2 && !rc && !xb_interrupted; i++) {
			int s = r % 2 ? i : 1 - i;

			rc = run_side(db, &o, s, label[s], r, &nfailed);
		}
	if (rc || xb_interrupted) {
		rc = xb_interrupted ? 128 + xb_interrupted : XB_EXIT_ERROR;
		goto out;
	}
	if (nfailed)
		xb_warn("%u of %lld boots failed and are left out of the comparison "
			"(see daxbench list)", nfailed, 2 * o.rounds);
	fprintf(stderr, "compare-kernels: daxbench compare %s %s\n", sel[0], sel[1]);
	rc = xb_compare_and_report(db, sel[0], sel[1], &o.r);
out:
	for (int s = 0; s < 2; s++) {
		free(label[s]);
		free(sel[s]);
	}
	free(prefix);
	free(o.src_spec[0]);
	free(o.src_spec[1]);
	xb_db_close(db);
	return rc;
}
