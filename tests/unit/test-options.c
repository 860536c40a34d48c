// SPDX-License-Identifier: GPL-2.0
/* Unit tests of harness/cmd/options.c: the one getopt loop of the builtins,
 * its three results (go on, help printed, usage error) and the value parsers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>
#include "cmd.h"
#include "error.h"
#include "options.h"

struct toy {
	const char *name;
	unsigned n;
	bool flag;
	int calls;
};

static int usage_calls;

static void toy_usage(FILE *f)
{
	(void)f;
	usage_calls++;
}

static int toy_parse(void *ctx, int key, const char *arg)
{
	struct toy *t = ctx;

	t->calls++;
	switch (key) {
	case 'n': t->name = arg; return 0;
	case 'c': return xb_opt_uint(&t->n, "count", arg, 1, 10);
	case 'f': t->flag = true; return 0;
	}
	return -EINVAL;
}

static const struct option toy_longopts[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "count", required_argument, NULL, 'c' },
	{ "flag", no_argument, NULL, 'f' },
	{ 0 },
};

/* argv as getopt_long wants it: writable, NULL ended */
static int parse(struct xb_opts *o, struct toy *t, unsigned shared, char **argv)
{
	const struct xb_opts_spec spec = { .shared = shared, .longopts = toy_longopts,
		.parse = toy_parse, .ctx = t, .usage = toy_usage };
	int argc = 0;

	while (argv[argc])
		argc++;
	usage_calls = 0;
	return xb_opts_parse(o, &spec, argc, argv);
}

static void test_options__own_and_shared_then_operands(void **state)
{
	char *argv[] = { "toy", "--name", "x", "A", "--db", "p.db", "--json", "--count=3",
			 "--flag", "B", NULL };
	struct toy t = { 0 };
	struct xb_opts o;

	(void)state;
	assert_int_equal(parse(&o, &t, XB_OPT_DB | XB_OPT_JSON, argv), 0);
	assert_string_equal(t.name, "x");
	assert_int_equal(t.n, 3);
	assert_true(t.flag);
	assert_string_equal(o.db, "p.db");
	assert_true(o.json);
	assert_null(o.clock);
	assert_int_equal(o.clk, XB_CLOCK_AUTO);
	assert_true(o.threshold_pct == 0);
	/* operands permuted to the end, in order */
	assert_int_equal(o.nargs, 2);
	assert_string_equal(argv[o.first_arg], "A");
	assert_string_equal(argv[o.first_arg + 1], "B");
	assert_int_equal(usage_calls, 0);
}

/* With a name, the operand count is checked: within the range it goes on,
 * outside it is a usage error (the message on stderr, no usage text). */
static void test_options__operand_count_checked(void **state)
{
	const struct xb_opts_spec none = { .usage = toy_usage, .name = "toy" };
	const struct xb_opts_spec one_or_two = { .usage = toy_usage, .name = "toy",
		.min_args = 1, .max_args = 2, .operands = "[RUN] OUTDIR" };
	char *zero[] = { "toy", NULL }, *one[] = { "toy", "a", NULL };
	char *two[] = { "toy", "a", "b", NULL }, *three[] = { "toy", "a", "b", "c", NULL };
	struct xb_opts o;

	(void)state;
	usage_calls = 0;
	assert_int_equal(xb_opts_parse(&o, &none, 1, zero), 0);
	assert_int_equal(xb_opts_parse(&o, &none, 2, one), -EINVAL);
	assert_int_equal(xb_opts_parse(&o, &one_or_two, 1, zero), -EINVAL);
	assert_int_equal(xb_opts_parse(&o, &one_or_two, 2, one), 0);
	assert_int_equal(xb_opts_parse(&o, &one_or_two, 3, two), 0);
	assert_int_equal(o.nargs, 2);
	assert_int_equal(xb_opts_parse(&o, &one_or_two, 4, three), -EINVAL);
	assert_int_equal(xb_opts_exit(-EINVAL), XB_EXIT_USAGE);
	assert_int_equal(usage_calls, 0);
}

static void test_options__help_is_one_and_exit_zero(void **state)
{
	char *argv[] = { "toy", "--flag", "--help", "--count", "99", NULL };
	struct toy t = { 0 };
	struct xb_opts o;
	int rc;

	(void)state;
	rc = parse(&o, &t, 0, argv);
	assert_int_equal(rc, 1);
	assert_int_equal(usage_calls, 1);
	assert_int_equal(t.calls, 1);   /* stops at --help: --count 99 never parsed */
	assert_int_equal(xb_opts_exit(rc), XB_EXIT_OK);

	char *argv2[] = { "toy", "-h", NULL };
	assert_int_equal(parse(&o, &t, 0, argv2), 1);
}

static void test_options__unknown_and_missing_are_usage(void **state)
{
	char *unknown[] = { "toy", "--bogus", NULL };
	char *missing[] = { "toy", "--name", NULL };
	char *not_taken[] = { "toy", "--db", "x", NULL };   /* --db not in the mask */
	struct toy t = { 0 };
	struct xb_opts o;
	int rc;

	(void)state;
	rc = parse(&o, &t, 0, unknown);
	assert_true(rc < 0);
	assert_int_equal(usage_calls, 0);   /* one line and "try --help", not the help */
	assert_string_equal(unknown[0], "toy");   /* argv[0] given back */
	assert_int_equal(xb_opts_exit(rc), XB_EXIT_USAGE);
	assert_true(parse(&o, &t, 0, missing) < 0);
	assert_true(parse(&o, &t, XB_OPT_JSON, not_taken) < 0);
}

static void test_options__bad_values_are_usage_without_usage_text(void **state)
{
	char *count[] = { "toy", "--count", "11", NULL };
	char *clock[] = { "toy", "--clock", "sundial", NULL };
	char *thr[] = { "toy", "--threshold", "0", NULL };
	struct toy t = { 0 };
	struct xb_opts o;

	(void)state;
	assert_int_equal(parse(&o, &t, 0, count), -EINVAL);
	assert_int_equal(usage_calls, 0);
	assert_int_equal(parse(&o, &t, XB_OPT_CLOCK, clock), -EINVAL);
	assert_int_equal(parse(&o, &t, XB_OPT_THRESHOLD, thr), -EINVAL);
	assert_int_equal(usage_calls, 0);
	/* the message was printed and cleared */
	assert_string_equal(xb_error_last(), "");
}

static void test_options__clock_and_threshold(void **state)
{
	char *argv[] = { "toy", "--clock", "icount", "--threshold", "2.5", NULL };
	struct toy t = { 0 };
	struct xb_opts o;

	(void)state;
	assert_int_equal(parse(&o, &t, XB_OPT_CLOCK | XB_OPT_THRESHOLD, argv), 0);
	assert_string_equal(o.clock, "icount");
	assert_int_equal(o.clk, XB_CLOCK_ICOUNT);
	assert_true(o.threshold_pct == 2.5);
	assert_int_equal(o.nargs, 0);
}

/* An invalid value lists the valid ones. */
/* The clock compare-kernels and bisect plan for before any boot. */
static void test_options__planned_clock(void **state)
{
	(void)state;
	assert_string_equal(xb_opt_planned_clock(NULL, NULL), "icount");
	assert_string_equal(xb_opt_planned_clock("auto", "tcg"), "icount");
	assert_string_equal(xb_opt_planned_clock("auto", "kvm"), "wall");
	assert_string_equal(xb_opt_planned_clock(NULL, "kvm"), "wall");
	assert_string_equal(xb_opt_planned_clock("wall", NULL), "wall");
	assert_string_equal(xb_opt_planned_clock("icount", "kvm"), "icount");
}

static void test_options__choices_list_the_valid_values(void **state)
{
	static const char *const v[] = { "a", "bb", "c", NULL };

	(void)state;
	assert_int_equal(xb_opt_choice("x", "bb", v), 0);
	assert_int_equal(xb_opt_choice("x", "d", v), -EINVAL);
	assert_string_equal(xb_error_last(), "--x is a, bb or c, not 'd'");
	assert_int_equal(xb_opt_accel("kvm"), 0);
	assert_int_equal(xb_opt_accel("bogus"), -EINVAL);
	assert_string_equal(xb_error_last(), "--accel is auto, tcg or kvm, not 'bogus'");
	assert_int_equal(xb_opt_fs("xfs"), 0);
	assert_int_equal(xb_opt_fs("zfs"), -EINVAL);
	assert_int_equal(xb_opt_backend("axonram-emu"), 0);
	assert_int_equal(xb_opt_backend("bogus-backend"), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "axonram-emu"));
	assert_non_null(strstr(xb_error_last(), "dcssblk-emu"));
	xb_error_clear();
}

static void test_options__parsers_say_what_they_want(void **state)
{
	long long v = 7;
	unsigned u = 7;
	double d;
	enum xb_clock c;

	(void)state;
	assert_int_equal(xb_opt_int(&v, "rounds", "12", 1, 100), 0);
	assert_int_equal(v, 12);
	assert_int_equal(xb_opt_int(&v, "rounds", "101", 1, 100), -EINVAL);
	assert_int_equal(v, 12);
	assert_string_equal(xb_error_last(),
			    "--rounds takes a whole number from 1 to 100, not '101'");
	assert_int_equal(xb_opt_int(&v, "rounds", "3x", 1, 100), -EINVAL);
	assert_int_equal(xb_opt_int(&v, "rounds", "", 1, 100), -EINVAL);
	assert_int_equal(xb_opt_uint(&u, "boots", "0", 1, 1000), -EINVAL);
	assert_int_equal(u, 7);
	assert_int_equal(xb_opt_uint(&u, "boots", "1000", 1, 1000), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(xb_opt_uint(&u, "boots", "-1", 1, 1000), -EINVAL);
	assert_int_equal(xb_opt_threshold(&d, "0.001"), 0);
	assert_int_equal(xb_opt_threshold(&d, "1000.1"), -EINVAL);
	assert_string_equal(xb_error_last(),
			    "bad --threshold '1000.1': give a percentage, 0.001 to 1000");
	assert_int_equal(xb_opt_clock(&c, "wall"), 0);
	assert_int_equal(c, XB_CLOCK_WALL);
	assert_int_equal(xb_opt_clock(&c, "WALL"), -EINVAL);
	xb_error_clear();
}

/* Every builtin through xb_opts_parse: --help exits 0, an unknown option 2. */
static void test_options__every_builtin_help_and_usage(void **state)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "run", xb_cmd_run }, { "list", xb_cmd_list }, { "show", xb_cmd_show },
		{ "kernels", xb_cmd_kernels }, { "list-backends", xb_cmd_list_backends },
		{ "list-benches", xb_cmd_list_benches }, { "compare", xb_cmd_compare },
		{ "compare-kernels", xb_cmd_compare_kernels }, { "calibrate", xb_cmd_calibrate },
		{ "publish", xb_cmd_publish }, { "db", xb_cmd_db },
		{ "capabilities", xb_cmd_capabilities }, { "ingest", xb_cmd_ingest },
		{ "share", xb_cmd_share }, { "plot", xb_cmd_plot }, { NULL, NULL },
	};
	int null = open("/dev/null", O_WRONLY), out = dup(1), err = dup(2);

	(void)state;
	assert_true(null >= 0 && out >= 0 && err >= 0);
	for (size_t i = 0; cmds[i].name; i++) {
		char *help[] = { (char *)cmds[i].name, "--help", NULL };
		char *bogus[] = { (char *)cmds[i].name, "--no-such-option", NULL };
		int rc_help, rc_bogus;

		fflush(stdout);
		dup2(null, 1);
		dup2(null, 2);
		rc_help = cmds[i].fn(2, help);
		rc_bogus = cmds[i].fn(2, bogus);
		fflush(stdout);
		fflush(stderr);
		dup2(out, 1);
		dup2(err, 2);
		if (rc_help != XB_EXIT_OK || rc_bogus != XB_EXIT_USAGE)
			fail_msg("%s: --help %d, unknown option %d", cmds[i].name, rc_help,
				 rc_bogus);
	}
	close(null);
	close(out);
	close(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options__own_and_shared_then_operands),
		cmocka_unit_test(test_options__operand_count_checked),
		cmocka_unit_test(test_options__help_is_one_and_exit_zero),
		cmocka_unit_test(test_options__unknown_and_missing_are_usage),
		cmocka_unit_test(test_options__bad_values_are_usage_without_usage_text),
		cmocka_unit_test(test_options__clock_and_threshold),
		cmocka_unit_test(test_options__parsers_say_what_they_want),
		cmocka_unit_test(test_options__choices_list_the_valid_values),
		cmocka_unit_test(test_options__planned_clock),
		cmocka_unit_test(test_options__every_builtin_help_and_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
