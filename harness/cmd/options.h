/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Option parsing for every builtin: one getopt_long loop, the options all
 * commands spell the same way (--help, --db, --json, --clock, --threshold)
 * and number parsers that say what they want. A builtin declares its own
 * options as a getopt_long table and one callback; it gets back
 *
 *   0   go on (operands from argv[first_arg])
 *   1   --help printed on stdout: exit 0
 *   <0  usage error, already reported on stderr in one line, then
 *       "try 'daxbench CMD --help'" (CMD: argv[0]): exit 2
 *
 * xb_opts_exit() turns the last two into the exit status.
 */
#ifndef XB_OPTIONS_H
#define XB_OPTIONS_H
#ifndef XB_LAYER_HARNESS
#error "harness/cmd/options.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include "clock.h"
#include "error.h"

#define XB_DEFAULT_DB "daxbench.db"
#define XB_DB_ENV "DAXBENCH_DB"

/* --db given, else $DAXBENCH_DB, else ./daxbench.db */
const char *xb_default_db_path(const char *given);

/* The shared options a command takes (a mask in struct xb_opts_spec). */
enum {
	XB_OPT_DB = 1u << 0,          /* --db PATH */
	XB_OPT_JSON = 1u << 1,        /* --json */
	XB_OPT_CLOCK = 1u << 2,       /* --clock auto|wall|icount, checked */
	XB_OPT_THRESHOLD = 1u << 3,   /* --threshold PCT, 0.001 to 1000 */
};

/* What the shared options and the operands came to. */
struct xb_opts {
	const char *db;               /* NULL: xb_default_db_path() decides */
	bool json;
	const char *clock;            /* as given; NULL when not */
	enum xb_clock clk;            /* XB_CLOCK_AUTO when not given */
	double threshold_pct;         /* 0 when not given */
	int first_arg;                /* argv index of the first operand */
	int nargs;                    /* number of operands */
};

/*
 * A command's own options. Keys (struct option .val) must stay below
 * XB_OPT_KEY_SHARED; 'h' is --help. parse() is called for each of them in
 * command-line order and returns 0, or a negative errno with the message
 * set (xb_error_set), which xb_opts_parse() prints.
 */
#define XB_OPT_KEY_SHARED 0x10000
struct xb_opts_spec {
	unsigned shared;                    /* XB_OPT_* */
	const struct option *longopts;      /* { 0 } ended; NULL: none of its own */
	int (*parse)(void *ctx, int key, const char *arg);
	void *ctx;
	void (*usage)(FILE *f);             /* the --help text */
	/* The operands, checked when name is set: "NAME takes OPERANDS, not N
	 * (see daxbench NAME --help)"; max_args 0 means none. */
	const char *name;
	int min_args, max_args;
	const char *operands;               /* e.g. "two selectors" */
};

int xb_opts_parse(struct xb_opts *out, const struct xb_opts_spec *spec, int argc, char **argv);

/* After a usage error found past xb_opts_parse(): "try 'daxbench CMD --help'". */
void xb_opts_try(const char *cmd);

/* The exit status for a non-zero xb_opts_parse() result: 0 after --help, 2 else. */
int xb_opts_exit(int rc);

/*
 * Number parsers for option values: 0, or -EINVAL with the message
 * "--NAME takes a whole number from MIN to MAX, not 'ARG'" set.
 */
int xb_opt_int(long long *out, const char *name, const char *arg, long long min, long long max);
int xb_opt_uint(unsigned *out, const char *name, const char *arg, unsigned min, unsigned max);
/* --threshold's percentage, 0.001 to 1000. */
int xb_opt_threshold(double *out, const char *arg);
/* One of valid (NULL ended): else -EINVAL, "--NAME is a, b or c, not 'ARG'". */
int xb_opt_choice(const char *name, const char *arg, const char *const *valid);
/* --accel (auto, tcg, kvm), --fs (ext4, xfs), --backend (xb_backends[]). */
int xb_opt_accel(const char *arg);
/*
 * The clock the guests will run under, as far as it is known before any
 * boot: --clock as given, else (auto) icount under TCG, which every guest
 * uses unless --accel kvm (an auto accel that finds a working KVM runs
 * wall: checks made on this answer are then skipped where they applied).
 */
const char *xb_opt_planned_clock(const char *clock, const char *accel);
int xb_opt_fs(const char *arg);
int xb_opt_backend(const char *arg);
/* --clock: auto, wall or icount. */
int xb_opt_clock(enum xb_clock *out, const char *arg);

#endif
