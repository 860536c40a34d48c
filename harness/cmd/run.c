// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench run: the options, then the run pipeline (harness/run/run.h):
 * kernel -> guest image -> boot(s) -> results stream -> db.
 */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "options.h"
#include "plugin-list.h"
#include "backends.h"
#include "common.h"
#include "error.h"
#include "run.h"
#include "clock.h"
#include "db.h"
#include "query.h"

struct run_opts {
	struct xb_run_request r;
	const char *db;
	bool dry_run;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench run [options]\n"
"\n"
"Boot a kernel in a QEMU guest on a backend device, run a suite of\n"
"benchmarks there, and record every sample in the results database.\n"
"\n"
"  --kernel SPEC      Debian kernel: a release (6.1.0-54-amd64) or package name\n"
"                     (linux-image-6.1.0-54-amd64-unsigned); default: the newest\n"
"                     6.1 amd64 build apt offers. Or a path to a bzImage.\n"
"  --modules DIR      with a bzImage: its lib/modules/<release> (with modules.dep)\n"
"  --kernel-src DIR[@COMMIT]  build the kernel from a git tree (its working\n"
"                     tree, or COMMIT, never touching the checkout) with a small\n"
"                     config for QEMU x86-64 guests, out of tree in the cache\n"
"                     (kept per commit, config and compiler; ccache when\n"
"                     installed); the fingerprint gets the commit, its git\n"
"                     describe and date, and the config's hash by itself\n"
"  --kconfig FILE     with --kernel-src: a config fragment (CONFIG_X=y lines)\n"
"                     added to daxbench's; an option Kconfig does not take is\n"
"                     an error\n"
"  --allow-dirty      with --kernel-src DIR: build the tree's uncommitted\n"
"                     changes (tracked files) instead of refusing; recorded\n"
"                     as kernel.src_dirty=yes\n"
"  --suite NAME|FILE  workloads/NAME.suite or a suite file (default: quick)\n"
"  --backend NAME     override the suite's backend (Backends below); a guest of\n"
"                     another architecture takes a --kernel of that architecture\n"
"  --device PATH      native backend: the block device to FORMAT and measure; it\n"
"                     must not be mounted or in use (checked, refused otherwise)\n"
"  --fs NAME          override the suite's filesystem (ext4, xfs)\n"
"  --boots N          boots of the guest (each its own sample of boot-to-boot noise)\n"
"  --timeout S        seconds a boot may take before the guest counts as hung\n"
"  --accel A          auto (default: KVM only if a probe boot proves it works), tcg, kvm\n"
"  --clock C          what guest time is: auto (default; the suite's [guest] clock\n"
"                     when it has one): icount under TCG with one vCPU, else wall;\n"
"                     icount: QEMU's instruction counter (TCG single-threaded,\n"
"                     1 ns = 1 guest instruction, the same every boot; misses cache,\n"
"                     TLB and memory latency); wall: host time\n"
"  --append ARGS      extra kernel command line\n"
"  --label TEXT       a label stored with the run, for selecting it later\n"
"  --inject-dax-spin N  calibration: load bench/kmod/daxbench_inject in the guest,\n"
"                     N empty-loop iterations per DAX PTE fault (fingerprint\n"
"                     inject.dax_fault_spin; see daxbench calibrate)\n"
"  --kernel-commit SHA      the kernel's git commit (7-40 hex digits); trends\n"
"                     then order its runs by commit date, not package version\n"
"  --kernel-describe STR    `git describe` of the kernel, shown on trend points\n"
"  --kernel-commit-date D   commit date: unix seconds or ISO 8601\n"
"                     (2024-05-01T10:00:00+02:00), as git log %%ct / %%cI print\n"
"  --db PATH          results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  --cache-dir DIR    kernels, guest images, run artifacts (default ~/.cache/daxbench)\n"
"  --dry-run          resolve everything and print the QEMU command; boot nothing,\n"
"                     record nothing\n"
"  -h, --help         this text\n"
"\n"
"Backends (daxbench list-backends: what each offers, its parameters):\n");
	xb_backends_help(f, xb_backends);
	fprintf(f,
"\n"
"Benchmarks, a suite's [bench NAME] sections (daxbench list-benches: what each\n"
"needs, its parameters):\n");
	xb_benches_help(f, xb_benches);
	fprintf(f,
"\n"
"Exit status: 0 run finished and recorded, 1 error or failed run (recorded as\n"
"failed with its reason when a boot had started), 2 usage, 77 skipped: this\n"
"machine or kernel cannot run the backend (the reason printed, nothing\n"
"recorded), 130/143 interrupted.\n");
}

static bool valid_commit(const char *s)
{
	size_t n = strlen(s);

	return n >= 7 && n <= 40 && strspn(s, "0123456789abcdefABCDEF") == n;
}

static int parse_one(void *ctx, int key, const char *arg)
{
	struct run_opts *o = ctx;
	int rc;

	switch (key) {
	case 'k': o->r.kernel = arg; return 0;
	case 'M': o->r.modules = arg; return 0;
	case 'S': o->r.kernel_src = arg; return 0;
	case 'K': o->r.kconfig = arg; return 0;
	case 'Y': o->r.allow_dirty = true; return 0;
	case 's': o->r.suite = arg; return 0;
	case 'b': o->r.backend = arg; return xb_opt_backend(arg);
	case 'f': o->r.fs = arg; return xb_opt_fs(arg);
	case 'D': o->r.device = arg; return 0;
	case 'a': o->r.accel = arg; return xb_opt_accel(arg);
	case 'A': o->r.append = arg; return 0;
	case 'l': o->r.label = arg; return xb_check_utf8("--label", arg);
	case 'C': o->r.kernel_commit = arg; return 0;
	case 'E': o->r.kernel_describe = arg; return 0;
	case 'T':
		if (!xb_parse_commit_date(&o->r.kernel_commit_date, arg))
			return 0;
		return xb_error_set(-EINVAL, "--kernel-commit-date takes unix seconds or ISO 8601 "
				    "(2024-05-01T10:00:00+02:00), not '%s'", arg);
	case 'c': o->r.cache = arg; return 0;
	case 'n': o->dry_run = true; return 0;
	case 'I':
		rc = xb_opt_uint(&o->r.inject_spin, "inject-dax-spin", arg, 0, 100000000);
		o->r.inject = !rc;
		return rc;
	case 'B': return xb_opt_uint(&o->r.boots, "boots", arg, 1, 1000);
	case 't': return xb_opt_uint(&o->r.timeout_s, "timeout", arg, 5, 86400);
	}
	return -EINVAL;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct run_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "modules", required_argument, NULL, 'M' },
		{ "kernel-src", required_argument, NULL, 'S' },
		{ "kconfig", required_argument, NULL, 'K' },
		{ "allow-dirty", no_argument, NULL, 'Y' },
		{ "suite", required_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ "fs", required_argument, NULL, 'f' },
		{ "device", required_argument, NULL, 'D' },
		{ "boots", required_argument, NULL, 'B' },
		{ "timeout", required_argument, NULL, 't' },
		{ "accel", required_argument, NULL, 'a' },
		{ "append", required_argument, NULL, 'A' },
		{ "label", required_argument, NULL, 'l' },
		{ "kernel-commit", required_argument, NULL, 'C' },
		{ "kernel-describe", required_argument, NULL, 'E' },
		{ "kernel-commit-date", required_argument, NULL, 'T' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "inject-dax-spin", required_argument, NULL, 'I' },
		{ 0 },
	};
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB | XB_OPT_CLOCK,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage,
		.name = "run" };
	struct xb_opts so;
	int rc;

	o->r.suite = "quick";
	o->r.accel = "auto";
	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	o->r.clock = so.clock;
	if (o->r.kernel_src && (o->r.kernel || o->r.modules || o->r.kernel_commit)) {
		xb_err("--kernel-src builds the kernel and knows its commit: give no --kernel, "
		       "--modules or --kernel-commit with it");
		return -EINVAL;
	}
	if (!o->r.kernel_src && (o->r.kconfig || o->r.allow_dirty)) {
		xb_err("--kconfig and --allow-dirty go with --kernel-src");
		return -EINVAL;
	}
	if (o->r.kernel_commit && !valid_commit(o->r.kernel_commit)) {
		xb_err("--kernel-commit takes a git commit id (7 to 40 hex digits), not '%s'",
		       o->r.kernel_commit);
		xb_opts_try(argv[0]);
		return -EINVAL;
	}
	if ((o->r.kernel_describe || o->r.kernel_commit_date) && !o->r.kernel_commit) {
		xb_err("--kernel-describe and --kernel-commit-date describe a --kernel-commit: give it too");
		xb_opts_try(argv[0]);
		return -EINVAL;
	}
	return 0;
}

static bool has_runs(struct xb_db *db)
{
	const struct xb_list_filter one = { .limit = 1 };
	struct xb_run_list l = { 0 };
	bool any = xb_query_list_runs(&l, db, &one) || l.n;   /* unsure: keep it */

	xb_run_list_free(&l);
	xb_error_clear();
	return any;
}

static void remove_db(const char *path)
{
	static const char *const side[] = { "", "-wal", "-shm", "-journal" };

	for (size_t i = 0; i < XB_ARRAY_SIZE(side); i++) {
		char *p = xb_asprintf("%s%s", path, side[i]);

		unlink(p);
		free(p);
	}
}

int xb_cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct xb_buf report = { 0 };
	struct xb_db *db = NULL;
	const char *path;
	bool created;
	int64_t id;
	int rc, ret = XB_EXIT_ERROR;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	path = xb_default_db_path(o.db);
	xb_signals_install();
	/* the database first: a newer schema or a corrupt file stops us
	 * before minutes of work */
	created = access(path, F_OK) != 0;
	if (!o.dry_run && xb_cmd_db_open(&db, path, XB_DB_CREATE))
		goto out;
	rc = xb_run_suite(db, &o.r, o.dry_run, &id, &report);

	if (report.len)
		fputs(report.p, stdout);
	if (!rc)
		ret = XB_EXIT_OK;
	else if (rc == -ENOTSUP)
		ret = XB_EXIT_SKIP;
	if (rc && rc != -ECANCELED)   /* a failed run said so with its summary */
		xb_error_print(rc);
	if (rc && created && db && !has_runs(db)) {
		/* nothing recorded (an unknown kernel, a bad suite): leave no
		 * empty database behind */
		xb_db_close(db);
		db = NULL;
		remove_db(path);
	}
out:
	if (xb_interrupted)
		ret = 128 + xb_interrupted;
	xb_db_close(db);
	xb_buf_free(&report);
	return ret;
}
