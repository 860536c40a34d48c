// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench bisect: `git bisect` with a daxbench comparison as the test.
 * The good end is measured once; every step builds its commit (kbuild.h),
 * boots it, and compares it against the good end with compare's verdict
 * rules: the metric's regression is bad, no change or an improvement good,
 * anything undecided (inconclusive, a build or boot that failed) a skip.
 * git bisect runs with --no-checkout in a throwaway shared clone in the
 * cache: the user's repository and checkout are only read, whatever
 * happens (Ctrl-C included).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "options.h"
#include "common.h"
#include "compare-db.h"
#include "error.h"
#include "kbuild.h"
#include "kernel.h"
#include "run.h"
#include "db.h"

/* One boot a side decides under a deterministic clock (an unchanged kernel
 * gives the same medians boot after boot); under the wall clock, as
 * compare-kernels, 7 - which catches only large shifts: prefer icount. */
#define DEFAULT_ROUNDS_DETERMINISTIC 1
#define DEFAULT_ROUNDS 7

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench bisect --kernel-src DIR --good A --bad B --metric NAME [options]\n"
"\n"
"Find the commit between A (good) and B (bad) of the kernel tree DIR that\n"
"regressed metric NAME (e.g. fault.dax.read.pte.ns): git bisect, where each\n"
"step builds the commit (as `daxbench run --kernel-src DIR@COMMIT`), boots it\n"
"--rounds times, and compares it against A with `daxbench compare`'s rules.\n"
"A regression of NAME is bad; no change or an improvement good; an\n"
"inconclusive verdict, a build that fails or boots that all fail are `git\n"
"bisect skip`. First A and B are measured, and B must show the regression.\n"
"Every run is recorded (labels PREFIX-good-COMMIT, PREFIX-bad-COMMIT,\n"
"PREFIX-stepN-COMMIT) and every step's comparison stored, so `daxbench\n"
"list`, `daxbench compare` and sqlite show each step and its verdict. The\n"
"bisection runs in a throwaway clone in the cache: DIR, its checkout and\n"
"its refs are never touched, also when interrupted.\n"
"\n"
"  --kernel-src DIR   the kernel's git tree\n"
"  --good A, --bad B  commits (any git revision); A must be an ancestor of B\n"
"  --metric NAME      the metric to bisect (as `daxbench show` lists them)\n"
"  --stat S           which per-boot statistic of it: p50 (default), p90, p99\n"
"  --threshold PCT    half-width of \"no change\" (default: the clock's; 0.1%% under\n"
"                     icount), as for `daxbench compare`\n"
"  --rounds N         boots per commit (default %d under a deterministic clock,\n"
"                     icount: one boot decides; %d under the wall clock)\n"
"  --kconfig FILE     a config fragment for every build (as for `daxbench run`)\n"
"  --label PREFIX     run label prefix (default bisect-<random>)\n"
"  --suite NAME|FILE  suite to run (default quick)\n"
"  --clock C          auto (default: icount under TCG), wall or icount\n"
"  --backend NAME, --fs NAME, --accel A, --timeout S, --append ARGS,\n"
"  --cache-dir DIR    as for `daxbench run`\n"
"  --db PATH          results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 the first bad commit found (printed with its change and\n"
"interval), 1 error, or no single commit could be named (the candidates\n"
"are printed), 2 usage, 130/143 interrupted.\n",
		DEFAULT_ROUNDS_DETERMINISTIC, DEFAULT_ROUNDS);
}

struct bisect_opts {
	const char *db, *src, *good, *bad, *metric, *stat, *label;
	long long rounds;
	struct xb_run_request req;
	struct xb_compare_opts cmp;
};

enum { O_SRC = 256, O_GOOD, O_BAD, O_METRIC, O_STAT, O_ROUNDS, O_KCONFIG, O_LABEL,
       O_SUITE, O_BACKEND, O_FS, O_ACCEL, O_TIMEOUT, O_APPEND, O_CACHE };

static int parse_one(void *ctx, int key, const char *arg)
{
	struct bisect_opts *o = ctx;

	switch (key) {
	case O_SRC: o->src = arg; return 0;
	case O_GOOD: o->good = arg; return 0;
	case O_BAD: o->bad = arg; return 0;
	case O_METRIC: o->metric = arg; return 0;
	case O_STAT:
		if (strcmp(arg, "p50") && strcmp(arg, "p90") && strcmp(arg, "p99"))
			return xb_error_set(-EINVAL, "--stat is p50, p90 or p99, not '%s'", arg);
		o->stat = arg;
		return 0;
	case O_KCONFIG: o->req.kconfig = arg; return 0;
	case O_LABEL: o->label = arg; return 0;
	case O_SUITE: o->req.suite = arg; return 0;
	case O_BACKEND: o->req.backend = arg; return 0;
	case O_FS: o->req.fs = arg; return 0;
	case O_ACCEL: o->req.accel = arg; return 0;
	case O_APPEND: o->req.append = arg; return 0;
	case O_CACHE: o->req.cache = arg; return 0;
	case O_TIMEOUT: return xb_opt_uint(&o->req.timeout_s, "timeout", arg, 1, 86400);
	case O_ROUNDS: return xb_opt_int(&o->rounds, "rounds", arg, 1, 1000);
	}
	return -EINVAL;
}

static int parse_opts(struct bisect_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel-src", required_argument, NULL, O_SRC },
		{ "good", required_argument, NULL, O_GOOD },
		{ "bad", required_argument, NULL, O_BAD },
		{ "metric", required_argument, NULL, O_METRIC },
		{ "stat", required_argument, NULL, O_STAT },
		{ "rounds", required_argument, NULL, O_ROUNDS },
		{ "kconfig", required_argument, NULL, O_KCONFIG },
		{ "label", required_argument, NULL, O_LABEL },
		{ "suite", required_argument, NULL, O_SUITE },
		{ "backend", required_argument, NULL, O_BACKEND },
		{ "fs", required_argument, NULL, O_FS },
		{ "accel", required_argument, NULL, O_ACCEL },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "append", required_argument, NULL, O_APPEND },
		{ "cache-dir", required_argument, NULL, O_CACHE },
		{ 0 },
	};
	const struct xb_opts_spec spec = {
		.shared = XB_OPT_DB | XB_OPT_CLOCK | XB_OPT_THRESHOLD,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage,
		.name = "bisect", .max_args = 0 };
	struct xb_opts so;
	int rc;

	o->stat = "p50";
	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	o->req.clock = so.clock;
	o->cmp.threshold_pct = so.threshold_pct;
	if (!o->src || !o->good || !o->bad || !o->metric) {
		xb_err("bisect needs --kernel-src, --good, --bad and --metric");
		xb_opts_try("bisect");
		return -EINVAL;
	}
	if (strpbrk(o->label ? o->label : "", "*?[,")) {
		xb_err("bad --label '%s': it may not hold * ? [ or ,", o->label);
		return -EINVAL;
	}
	return 0;
}

/* What one measured commit came to against the good end. */
struct step {
	char *commit, *label, *what;   /* what: "good", "bad", "step3" */
	const char *verdict;           /* the metric's, or why there is none */
	const char *decision;          /* good | bad | skip */
	double change_pct, ci_lo_pct, ci_hi_pct, median_a, median_b;
	int64_t comparison_id;
	bool measured;
};

struct bisect {
	struct bisect_opts *o;
	struct xb_db *db;
	char *dir, *clone, *prefix;
	struct step *steps;
	size_t nsteps;
};

static char *short_commit(const char *c)
{
	return xb_strndup(c, 12);
}

/* Boot commit rounds times under label; the build happens on the first. 0
 * when at least one boot finished; -ECANCELED when none did (all recorded
 * as failed); another -errno when the kernel could not be built. */
static int measure(struct bisect *bs, const char *commit, const char *label)
{
	struct xb_run_request req = bs->o->req;
	char *src = xb_asprintf("%s@%s", bs->dir, commit);
	unsigned ok = 0;
	int rc = 0;

	req.kernel_src = src;
	req.label = label;
	req.boots = 1;
	for (long long r = 1; r <= bs->o->rounds && !xb_interrupted; r++) {
		struct xb_buf report = { 0 };
		int64_t id = 0;

		fprintf(stderr, "bisect: %s, boot %lld/%lld\n", label, r, bs->o->rounds);
		rc = xb_run_suite(bs->db, &req, false, &id, &report);
		if (report.len)
			fputs(report.p, stderr);
		xb_buf_free(&report);
		if (rc && rc != -ECANCELED)
			break;
		ok += !rc;
	}
	free(src);
	if (xb_interrupted)
		return xb_error_set(-EINTR, "interrupted");
	if (rc && rc != -ECANCELED)
		return rc;
	return ok ? 0 : xb_error_set(-ECANCELED, "no boot of %s finished (see daxbench list)",
				     label);
}

/* Compare the good end's runs with s's, store it, read the metric's row. */
static int judge(struct bisect *bs, struct step *s, const char *good_label)
{
	struct xb_comparison c;
	char *sa = xb_asprintf("label:%s", good_label), *sb = xb_asprintf("label:%s", s->label);
	const struct xb_comparison_row *row = NULL;
	int rc;

	rc = xb_comparison_build(&c, bs->db, sa, sb, &bs->o->cmp);
	if (rc)
		goto out_nocmp;
	if (c.nrefuse) {
		for (size_t i = 0; i < c.ndiffs; i++)
			if (c.diffs[i].refuse) {
				rc = xb_error_set(-EINVAL, "the runs of %s and %s differ in %s (%s | %s): "
						  "not comparable", good_label, s->label,
						  c.diffs[i].key, c.diffs[i].values_a,
						  c.diffs[i].values_b);
				break;
			}
		goto out;
	}
	for (size_t i = 0; i < c.nrows && !row; i++)
		if (!strcmp(c.rows[i].metric, bs->o->metric) &&
		    !strcmp(c.rows[i].stat, bs->o->stat))
			row = &c.rows[i];
	if (!row) {
		struct xb_buf names = { 0 };

		for (size_t i = 0; i < c.nrows; i++)
			if (!i || strcmp(c.rows[i].metric, c.rows[i - 1].metric))
				xb_buf_addf(&names, "%s%s", names.len ? ", " : "", c.rows[i].metric);
		rc = xb_error_set(-ENOENT, "the runs have no metric %s with a %s to compare; "
				  "they have: %s", bs->o->metric, bs->o->stat,
				  names.p ? names.p : "none");
		xb_buf_free(&names);
		goto out;
	}
	rc = xb_comparison_store(bs->db, &c, false, xb_git_commit());
	if (rc)
		goto out;
	s->measured = true;
	s->comparison_id = c.id;
	s->verdict = xb_cmp_verdict_name(row->r.verdict);
	s->change_pct = row->r.change_pct;
	s->ci_lo_pct = row->r.ci_lo_pct;
	s->ci_hi_pct = row->r.ci_hi_pct;
	s->median_a = row->r.median_a;
	s->median_b = row->r.median_b;
	switch (row->r.verdict) {
	case XB_VERDICT_REGRESSION: s->decision = "bad"; break;
	case XB_VERDICT_NO_CHANGE:
	case XB_VERDICT_IMPROVEMENT: s->decision = "good"; break;
	default: s->decision = "skip"; break;
	}
out:
	xb_comparison_free(&c);
out_nocmp:
	free(sa);
	free(sb);
	return rc;
}

static struct step *add_step(struct bisect *bs, const char *commit, const char *what)
{
	struct step *s;
	char *sh = short_commit(commit);

	bs->steps = xb_realloc(bs->steps, (bs->nsteps + 1) * sizeof(*bs->steps));
	s = &bs->steps[bs->nsteps++];
	*s = (struct step){ .commit = xb_strdup(commit), .what = xb_strdup(what) };
	s->label = xb_asprintf("%s-%s-%s", bs->prefix, what, sh);
	free(sh);
	return s;
}

/* The change's interval; with one boot a side (a deterministic clock) there
 * is none: the change is exact. */
static char *interval(const struct step *s)
{
	if (!isfinite(s->ci_lo_pct) || !isfinite(s->ci_hi_pct))
		return xb_strdup("exact");
	return xb_asprintf("[%+.3f%%, %+.3f%%]", s->ci_lo_pct, s->ci_hi_pct);
}

static void print_step(const struct step *s)
{
	char *sh = short_commit(s->commit), *ci = interval(s);

	if (s->measured && s->comparison_id)
		printf("%-7s %s  %-12s %+.3f%% %s  %s  (comparison %lld)\n", s->what, sh,
		       s->verdict, s->change_pct, ci, s->decision, (long long)s->comparison_id);
	else
		printf("%-7s %s  %-12s %s\n", s->what, sh, s->verdict ? s->verdict : "-",
		       s->decision ? s->decision : "(reference)");
	fflush(stdout);
	free(sh);
	free(ci);
}

/* Measure and judge one commit; a failure that does not decide is a skip
 * (build failure, no boot finished, inconclusive); -EINTR and database
 * errors end the bisection. */
static int test_commit(struct bisect *bs, struct step *s, const char *good_label)
{
	int rc = measure(bs, s->commit, s->label);

	if (rc == -EINTR)
		return rc;
	if (rc) {
		xb_warn("%s: %s", s->label, xb_error_last());
		xb_error_clear();
		s->verdict = rc == -ECANCELED ? "boots failed" : "build failed";
		s->decision = "skip";
		return 0;
	}
	rc = judge(bs, s, good_label);
	return rc;
}

/* git bisect VERB in the clone: its output in *out. Exit 2 with "only
 * 'skip'ped commits left" is an answer, not an error. */
static int git_bisect(char **out, struct bisect *bs, const char *verb, const char *a,
		      const char *b)
{
	const char *argv[] = { "git", "-C", bs->clone, "bisect", verb, a, b, NULL };
	struct xb_buf o = { 0 }, e = { 0 };
	int rc, status;

	rc = xb_run(argv, &o, &e, &status);
	if (rc)
		rc = xb_error_set(rc, "cannot run git: %s", strerror(-rc));
	else if (status && !(o.p && strstr(o.p, "only 'skip'ped commits left")))
		rc = xb_error_set(-EIO, "git bisect %s failed (exit %d): %s", verb, status,
				  e.p ? xb_trim(e.p) : "");
	else
		*out = xb_strdup(o.p ? xb_trim(o.p) : "");
	xb_buf_free(&o);
	xb_buf_free(&e);
	return rc;
}

/* "<sha> is the first bad commit" in git bisect's output, or NULL. */
static char *first_bad(const char *out)
{
	const char *p = strstr(out, " is the first bad commit");
	const char *start;

	if (!p)
		return NULL;
	for (start = p; start > out && start[-1] != '\n'; start--)
		;
	return xb_strndup(start, (size_t)(p - start));
}

static int resolve_commit(char **out, const char *dir, const char *rev)
{
	char *spec = xb_asprintf("%s^{commit}", rev);
	const char *args[] = { "rev-parse", "--verify", "--quiet", spec, NULL };
	int rc = xb_git(out, dir, args);

	if (rc)
		xb_error_set(rc, "%s: no commit '%s'", dir, rev);
	free(spec);
	return rc;
}

static void report_first_bad(struct bisect *bs, const char *commit)
{
	const char *args[] = { "log", "-1", "--format=%h %s", commit, NULL };
	const struct step *m = NULL;
	char *line = NULL;

	for (size_t i = 0; i < bs->nsteps; i++)
		if (!strcmp(bs->steps[i].commit, commit) && bs->steps[i].measured)
			m = &bs->steps[i];
	xb_git(&line, bs->dir, args);
	printf("\nfirst bad commit: %s\n  %s\n", commit, line ? line : "");
	if (m) {
		char *ci = interval(m);

		printf("  %s %s: %.6g -> %.6g, %+.3f%% %s against the good end (%s, "
		       "comparison %lld)\n", bs->o->metric, bs->o->stat, m->median_a,
		       m->median_b, m->change_pct, ci, m->verdict, (long long)m->comparison_id);
		free(ci);
	}
	free(line);
}

static void end_error(int rc, const char *end, const char *commit)
{
	char *why = xb_strdup(xb_error_last());

	if (rc != -EINTR)
		xb_error_set(rc, "the %s end %.12s could not be measured: %s", end, commit, why);
	free(why);
}

static int run_bisect(struct bisect *bs, const char *good, const char *bad)
{
	struct step *g = add_step(bs, good, "good"), *b;
	char *good_label = xb_strdup(g->label), *out = NULL, *cur = NULL, *fb = NULL;
	int rc, k = 0;

	rc = measure(bs, good, g->label);
	if (rc) {
		end_error(rc, "good", good);
		goto out;
	}
	print_step(g);
	b = add_step(bs, bad, "bad");
	rc = measure(bs, bad, b->label);
	if (!rc)
		rc = judge(bs, b, good_label);
	if (rc) {
		end_error(rc, "bad", bad);
		goto out;
	}
	print_step(b);
	if (strcmp(b->decision, "bad")) {
		rc = xb_error_set(-EINVAL, "the bad end %s shows no regression of %s %s against "
				  "the good end (%s, %+.3f%%): nothing to bisect", bad,
				  bs->o->metric, bs->o->stat, b->verdict, b->change_pct);
		goto out;
	}
	rc = git_bisect(&out, bs, "start", "--no-checkout", bad);
	if (!rc) {
		free(out);
		out = NULL;
		rc = git_bisect(&out, bs, "good", good, NULL);
	}
	while (!rc && !(fb = first_bad(out))) {
		const char *args[] = { "rev-parse", "BISECT_HEAD", NULL };
		char what[32];
		struct step *s;

		if (strstr(out, "only 'skip'ped commits left")) {
			printf("\n%s\n", out);
			rc = xb_error_set(-ENOENT, "no single first bad commit: the commits above "
					  "could not be decided (skipped)");
			break;
		}
		free(cur);
		cur = NULL;
		rc = xb_git(&cur, bs->clone, args);
		if (rc)
			break;
		snprintf(what, sizeof(what), "step%d", ++k);
		s = add_step(bs, cur, what);
		rc = test_commit(bs, s, good_label);
		if (rc)
			break;
		print_step(s);
		free(out);
		out = NULL;
		rc = git_bisect(&out, bs, s->decision, NULL, NULL);
	}
	if (fb)
		report_first_bad(bs, fb);
out:
	free(good_label);
	free(out);
	free(cur);
	free(fb);
	return rc;
}

/* The throwaway clone git bisect runs in: refs of its own, objects shared. */
static int make_clone(struct bisect *bs, const char *cache)
{
	char uuid[37], *parent;
	const char *argv[] = { "git", "clone", "--quiet", "--bare", "--shared", bs->dir, NULL,
			       NULL };
	int rc;

	if (xb_uuid(uuid))
		return xb_error_set(-EIO, "no random source");
	parent = xb_asprintf("%s/kbuild/bisect", cache);
	rc = xb_mkdir_p(parent, 0755);
	bs->clone = xb_asprintf("%s/%.8s", parent, uuid);
	free(parent);
	if (rc)
		return xb_error_set(rc, "cannot create %s: %s", bs->clone, strerror(-rc));
	argv[6] = bs->clone;
	return xb_run_checked(NULL, argv, "git clone --shared");
}

int xb_cmd_bisect(int argc, char **argv)
{
	struct bisect_opts o = { 0 };
	struct bisect bs = { .o = &o };
	char *good = NULL, *bad = NULL, *cache = NULL, uuid[37];
	double t0 = xb_monotonic();
	int rc, ret = XB_EXIT_ERROR;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	if (!o.rounds) {
		const struct xb_cmp_clock *k =
			xb_cmp_clock_find(xb_opt_planned_clock(o.req.clock, o.req.accel));

		o.rounds = k && k->deterministic ? DEFAULT_ROUNDS_DETERMINISTIC : DEFAULT_ROUNDS;
	}
	xb_signals_install();
	bs.dir = realpath(o.src, NULL);
	if (!bs.dir) {
		rc = xb_error_set(-errno, "--kernel-src %s: %s", o.src, strerror(errno));
		goto out;
	}
	rc = resolve_commit(&good, bs.dir, o.good);
	if (!rc)
		rc = resolve_commit(&bad, bs.dir, o.bad);
	if (rc)
		goto out;
	{
		const char *args[] = { "merge-base", "--is-ancestor", good, bad, NULL };

		if (xb_git(NULL, bs.dir, args)) {
			rc = xb_error_set(-EINVAL, "--good %s is not an ancestor of --bad %s", o.good,
					  o.bad);
			goto out;
		}
	}
	if (xb_uuid(uuid)) {
		rc = xb_error_set(-EIO, "cannot make a label: no random source");
		goto out;
	}
	bs.prefix = o.label ? xb_strdup(o.label) : xb_asprintf("bisect-%.8s", uuid);
	rc = xb_cmd_db_open(&bs.db, xb_default_db_path(o.db), XB_DB_CREATE);
	if (rc)
		goto out_quiet;
	cache = xb_cache_dir(o.req.cache);
	rc = make_clone(&bs, cache);
	if (rc)
		goto out;
	printf("bisecting %s %s between %.12s (good) and %.12s (bad), %lld boot%s a commit, "
	       "labels %s-*\n", o.metric, o.stat, good, bad, o.rounds, o.rounds == 1 ? "" : "s",
	       bs.prefix);
	fflush(stdout);
	rc = run_bisect(&bs, good, bad);
	if (!rc) {
		printf("%zu commits measured in %.0f s\n", bs.nsteps, xb_monotonic() - t0);
		ret = XB_EXIT_OK;
	}
out:
	if (rc)
		xb_error_print(rc);
out_quiet:
	if (bs.clone)
		xb_rm_rf(bs.clone);
	if (xb_interrupted)
		ret = 128 + xb_interrupted;
	for (size_t i = 0; i < bs.nsteps; i++) {
		free(bs.steps[i].commit);
		free(bs.steps[i].label);
		free(bs.steps[i].what);
	}
	free(bs.steps);
	free(bs.dir);
	free(bs.clone);
	free(bs.prefix);
	free(good);
	free(bad);
	free(cache);
	xb_db_close(bs.db);
	return ret;
}
