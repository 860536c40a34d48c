// SPDX-License-Identifier: GPL-2.0
/* The one getopt_long loop of the builtins, and option value parsers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "backends.h"
#include "cmd.h"
#include "error.h"
#include "options.h"
#include "util.h"

enum { K_DB = XB_OPT_KEY_SHARED, K_JSON, K_CLOCK, K_THRESHOLD };

static const struct {
	unsigned mask;
	struct option opt;
} shared_opts[] = {
	{ XB_OPT_DB, { "db", required_argument, NULL, K_DB } },
	{ XB_OPT_JSON, { "json", no_argument, NULL, K_JSON } },
	{ XB_OPT_CLOCK, { "clock", required_argument, NULL, K_CLOCK } },
	{ XB_OPT_THRESHOLD, { "threshold", required_argument, NULL, K_THRESHOLD } },
	{ 0 },
};

/* The command's options, the shared ones it takes and --help, { 0 } ended. */
static struct option *longopts_of(const struct xb_opts_spec *spec)
{
	size_t n = 0, k = 0;
	struct option *v;

	while (spec->longopts && spec->longopts[n].name)
		n++;
	for (size_t i = 0; shared_opts[i].mask; i++)
		n++;
	v = xb_malloc((n + 2) * sizeof(*v));
	for (size_t i = 0; spec->longopts && spec->longopts[i].name; i++)
		v[k++] = spec->longopts[i];
	for (size_t i = 0; shared_opts[i].mask; i++)
		if (spec->shared & shared_opts[i].mask)
			v[k++] = shared_opts[i].opt;
	v[k++] = (struct option){ "help", no_argument, NULL, 'h' };
	v[k] = (struct option){ 0 };
	return v;
}

static int parse_shared(struct xb_opts *out, int key, const char *arg)
{
	switch (key) {
	case K_DB: out->db = arg; return 0;
	case K_JSON: out->json = true; return 0;
	case K_CLOCK:
		out->clock = arg;
		return xb_opt_clock(&out->clk, arg);
	case K_THRESHOLD: return xb_opt_threshold(&out->threshold_pct, arg);
	}
	return xb_error_set(-EINVAL, "unknown option key %d", key);
}

static int check_operands(const struct xb_opts *o, const struct xb_opts_spec *spec,
			  char **argv)
{
	if (o->nargs >= spec->min_args && o->nargs <= spec->max_args)
		return 0;
	if (!spec->max_args)
		xb_err("%s takes no arguments, not '%s'", spec->name, argv[o->first_arg]);
	else
		xb_err("%s takes %s, not %d", spec->name, spec->operands, o->nargs);
	xb_opts_try(spec->name);
	return -EINVAL;
}

int xb_opts_parse(struct xb_opts *out, const struct xb_opts_spec *spec, int argc, char **argv)
{
	struct option *longopts = longopts_of(spec);
	int c, rc = 0;

	char *cmd = argv[0], *prog = xb_asprintf("daxbench %s", cmd);

	*out = (struct xb_opts){ .clk = XB_CLOCK_AUTO };
	optind = 0;
	/* getopt_long's one line names its argv[0]: "daxbench CMD: unrecognized option" */
	argv[0] = prog;
	while (!rc && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			spec->usage(stdout);
			rc = 1;
		} else if (c == '?') {
			rc = -EINVAL;   /* getopt_long said what was wrong, in one line */
		} else if (c >= XB_OPT_KEY_SHARED) {
			rc = parse_shared(out, c, optarg);
		} else {
			rc = spec->parse(spec->ctx, c, optarg);
		}
		if (rc < 0 && c != '?')
			xb_error_print(rc);
		if (rc < 0)
			xb_opts_try(cmd);
	}
	argv[0] = cmd;
	free(prog);
	free(longopts);
	out->first_arg = optind;
	out->nargs = argc - optind;
	if (!rc && spec->name)
		rc = check_operands(out, spec, argv);
	return rc;
}

void xb_opts_try(const char *cmd)
{
	fprintf(stderr, "try 'daxbench %s --help'\n", cmd);
}

const char *xb_default_db_path(const char *given)
{
	const char *env = getenv(XB_DB_ENV);

	if (given)
		return given;
	return env && *env ? env : XB_DEFAULT_DB;
}

int xb_opts_exit(int rc)
{
	return rc > 0 ? XB_EXIT_OK : XB_EXIT_USAGE;
}

int xb_opt_int(long long *out, const char *name, const char *arg, long long min, long long max)
{
	if (!xb_parse_int(out, arg, min, max))
		return 0;
	return xb_error_set(-EINVAL, "--%s takes a whole number from %lld to %lld, not '%s'",
			    name, min, max, arg);
}

int xb_opt_uint(unsigned *out, const char *name, const char *arg, unsigned min, unsigned max)
{
	long long v;
	int rc = xb_opt_int(&v, name, arg, min, max);

	if (!rc)
		*out = (unsigned)v;
	return rc;
}

int xb_opt_threshold(double *out, const char *arg)
{
	if (!xb_parse_double(out, arg, 0.001, 1000))
		return 0;
	return xb_error_set(-EINVAL, "bad --threshold '%s': give a percentage, 0.001 to 1000",
			    arg);
}

int xb_opt_choice(const char *name, const char *arg, const char *const *valid)
{
	struct xb_buf b = { 0 };
	int rc;

	for (size_t i = 0; valid[i]; i++)
		if (!strcmp(arg, valid[i]))
			return 0;
	for (size_t i = 0; valid[i]; i++)
		xb_buf_addf(&b, "%s%s", i ? (valid[i + 1] ? ", " : " or ") : "", valid[i]);
	rc = xb_error_set(-EINVAL, "--%s is %s, not '%s'", name, b.p ? b.p : "(nothing)", arg);
	xb_buf_free(&b);
	return rc;
}

int xb_opt_accel(const char *arg)
{
	static const char *const accels[] = { "auto", "tcg", "kvm", NULL };

	return xb_opt_choice("accel", arg, accels);
}

int xb_opt_fs(const char *arg)
{
	static const char *const fss[] = { "ext4", "xfs", NULL };

	return xb_opt_choice("fs", arg, fss);
}

int xb_opt_backend(const char *arg)
{
	const char *names[32];
	size_t n = 0;

	for (size_t i = 0; xb_backends[i] && n + 1 < XB_ARRAY_SIZE(names); i++)
		names[n++] = xb_backends[i]->name;
	names[n] = NULL;
	return xb_opt_choice("backend", arg, names);
}

int xb_opt_clock(enum xb_clock *out, const char *arg)
{
	if (!xb_clock_parse(out, arg))
		return 0;
	return xb_error_set(-EINVAL, "--clock is auto, wall or icount, not '%s'", arg);
}

const char *xb_opt_planned_clock(const char *clock, const char *accel)
{
	if (clock && strcmp(clock, "auto"))
		return clock;
	return accel && !strcmp(accel, "kvm") ? "wall" : "icount";
}
