// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench share: the options, then the run (group/share-run.c): memory
 * saved per guest when many guests run programs from one shared /usr
 * image, and what it does to exec startup; then, unless
 * --no-struct-pages, one run of workloads/structpages.suite.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "options.h"
#include "common.h"
#include "error.h"
#include "run.h"
#include "share.h"
#include "clock.h"
#include "db.h"
#include "query.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench share [options]\n"
"\n"
"Boot N guests at once (N = 1..max) that all attach one shared, read-only\n"
"image of a real Debian root (workloads/usr-image.recipe), run a fixed\n"
"workload from it (exec its programs, read its files), and measure on the\n"
"host what each guest costs; time exec startup of programs from the image.\n"
"\n"
"  --modes LIST       comma-separated modes (below); default dax,pagecache,blk,ksm\n"
"  --max-guests N     largest group (default 4); groups of 1..N guests\n"
"  --min-guests N     smallest group (default 1)\n"
"  --quick            --max-guests 2 --modes dax,pagecache --exec-reps 5\n"
"                     --no-struct-pages\n"
"  --read DIRS        directories in the image the workload reads whole\n"
"                     (default /usr)\n"
"  --no-exec          skip the exec startup benchmark (otherwise one more boot\n"
"                     per mode, 1 guest, apart from the memory groups)\n"
"  --exec-reps N      warm repetitions per program (default 20)\n"
"  --no-struct-pages  skip the struct-page comparison (otherwise, after the\n"
"                     groups, one boot of workloads/structpages.suite: the\n"
"                     emulated nvdimm region as fsdax with its memmap in RAM\n"
"                     and on the device, and as devdax; a run of its own)\n"
"  --clock C          auto (default: icount), wall or icount: the guests' clock\n"
"                     for exec startup (icount: guest instructions, the same every\n"
"                     boot; see daxbench run --help); memory figures are the host's\n"
"  --kernel SPEC      Debian kernel (default: the newest 6.1 amd64 build)\n"
"  --timeout S        seconds a group may take to get ready (default 300)\n"
"  --recipe FILE      image recipe (default workloads/usr-image.recipe)\n"
"  --label TEXT       a label stored with the run\n"
"  --db PATH          results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  --cache-dir DIR    kernels, images, run artifacts (default ~/.cache/daxbench)\n"
"  -h, --help         this text\n"
"\n"
"Metrics: share.<mode>.n<N>.qemu.{rss,pss,...}.kib per guest (rep = guest),\n"
"share.<mode>.n<N>.host.{pss_sum,image_cached,memavail_drop}.kib,\n"
"share.<mode>.n<N>.guest.* and .exec.<prog>.{cold,warm}.us from the guests,\n"
"share.<mode>.host_per_guest.kib (slope over N), share.saved_per_guest.<mode>.kib\n"
"(that mode's slope minus the slope of dax on the same filesystem: dax, or\n"
"dax-erofs for pagecache-erofs), share.dax.vmemmap_per_gib.kib; with hyperfine\n"
"installed, .exec.<prog>.cmd.warm.us (the in-guest timer on hyperfine's command\n"
"line), .exec.<prog>.hyperfine.us and .exec.<prog>.hyperfine_vs_timer.pct.\n"
"The struct-page run: structpages.<raw|fsdax.mem|fsdax.dev|devdax.dev|devdax.mem>.\n"
"{struct_page,device_reserved}_bytes_per_gib (daxbench show RUN).\n"
"\n"
"Exit status: 0 recorded, 1 error or failed run, 2 usage, 130/143 interrupted.\n"
"\n"
"Modes:\n");
	for (size_t i = 0; xb_share_modes[i]; i++)
		fprintf(f, "  %-16s %s\n", xb_share_modes[i]->name, xb_share_modes[i]->description);
}

static int parse_one(void *ctx, int key, const char *arg)
{
	struct xb_share_opts *o = ctx;

	switch (key) {
	case 'm': free(o->modes); o->modes = xb_strdup(arg); return 0;
	case 'N': return xb_opt_uint(&o->max_guests, "max-guests", arg, 1, XB_GROUP_MAX_GUESTS);
	case 'n': return xb_opt_uint(&o->min_guests, "min-guests", arg, 1, XB_GROUP_MAX_GUESTS);
	case 'q':
		free(o->modes);
		o->modes = xb_strdup("dax,pagecache");
		o->max_guests = 2;
		o->exec_reps = 5;
		o->struct_pages = false;
		return 0;
	case 'S': o->struct_pages = false; return 0;
	case 'r': o->read = arg; return 0;
	case 'x': o->exec = false; return 0;
	case 'e': return xb_opt_uint(&o->exec_reps, "exec-reps", arg, 1, 10000);
	case 'k': o->kernel = arg; return 0;
	case 't': return xb_opt_uint(&o->timeout_s, "timeout", arg, 10, 86400);
	case 'R': o->recipe = arg; return 0;
	case 'l': o->label = arg; return 0;
	case 'c': o->cache = arg; return 0;
	}
	return -EINVAL;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct xb_share_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "modes", required_argument, NULL, 'm' },
		{ "max-guests", required_argument, NULL, 'N' },
		{ "min-guests", required_argument, NULL, 'n' },
		{ "quick", no_argument, NULL, 'q' },
		{ "read", required_argument, NULL, 'r' },
		{ "no-exec", no_argument, NULL, 'x' },
		{ "exec-reps", required_argument, NULL, 'e' },
		{ "no-struct-pages", no_argument, NULL, 'S' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "timeout", required_argument, NULL, 't' },
		{ "recipe", required_argument, NULL, 'R' },
		{ "label", required_argument, NULL, 'l' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ 0 },
	};
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB | XB_OPT_CLOCK,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage,
		.name = "share" };
	struct xb_opts so;
	int rc;

	o->modes = xb_strdup("dax,pagecache,blk,ksm");
	o->min_guests = 1;
	o->max_guests = 4;
	o->timeout_s = 300;
	o->exec_reps = 20;
	o->exec = true;
	o->struct_pages = true;
	o->read = "/usr";
	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	/* share's guests are TCG with one vCPU each: auto is icount */
	o->icount = so.clk != XB_CLOCK_WALL;
	if (o->min_guests > o->max_guests) {
		xb_err("--min-guests %u is above --max-guests %u", o->min_guests, o->max_guests);
		xb_opts_try("share");
		return -EINVAL;
	}
	return 0;
}

/* Per GiB of a DAX region: struct pages in RAM and the reservation on the
 * device, per namespace mode, medians of one structpages run. */
static void print_struct_pages(struct xb_db *db, int64_t run)
{
	static const char *const modes[] = { "fsdax.mem", "fsdax.dev", "devdax.dev", "devdax.mem" };

	printf("struct pages per GiB of DAX region (run %lld, median of n re-enables):\n",
	       (long long)run);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		double v[2] = { NAN, NAN };
		int64_t n[2] = { 0, 0 };

		for (int k = 0; k < 2; k++) {
			char *name = xb_asprintf("structpages.%s.%s_bytes_per_gib", modes[i],
						 k ? "device_reserved" : "struct_page");

			/* missing or unreadable: shown as unavailable */
			if (xb_query_summary_median(&v[k], &n[k], db, run, name)) {
				v[k] = NAN;
				xb_error_clear();
			}
			free(name);
		}
		if (isnan(v[0]))
			printf("  %-10s  unavailable (see daxbench show %lld)\n", modes[i], (long long)run);
		else
			printf("  %-10s  %8.2f MiB in RAM, %8.2f MiB on the device (n=%lld)\n",
			       modes[i], v[0] / 1048576, v[1] / 1048576, (long long)n[0]);
	}
}

/* After the groups: the nvdimm comparison virtio-pmem cannot give (memmap
 * in RAM against on the device), one boot of workloads/structpages.suite on
 * the same kernel, recorded as a run of its own. */
static int struct_pages(struct xb_share_ctx *c, struct xb_db *db)
{
	struct xb_run_request req = {
		.kernel = c->o.kernel, .suite = "structpages", .label = c->o.label,
		.cache = c->o.cache, .accel = "tcg", .clock = c->o.icount ? "icount" : "wall",
	};
	struct xb_buf report = { 0 };
	int64_t id = 0;
	int rc;

	if (xb_interrupted)
		return XB_EXIT_ERROR;
	fprintf(stderr, "daxbench: struct pages: one boot of workloads/structpages.suite "
		"(nvdimm namespace modes)\n");
	rc = xb_run_suite(db, &req, false, &id, &report);
	if (report.len)
		fputs(report.p, stdout);
	xb_buf_free(&report);
	if (rc && rc != -ECANCELED)   /* a failed run said why in its summary */
		xb_error_print(rc);
	if (rc)
		return XB_EXIT_ERROR;
	print_struct_pages(db, id);
	return XB_EXIT_OK;
}

int xb_cmd_share(int argc, char **argv)
{
	struct xb_share_ctx c = { 0 };
	struct xb_buf report = { 0 };
	struct xb_db *db = NULL;
	int64_t id = 0;
	int rc, ret = XB_EXIT_ERROR;

	rc = parse_opts(&c.o, argc, argv);
	if (rc) {
		free(c.o.modes);
		return xb_opts_exit(rc);
	}
	if (xb_share_parse_modes(&c)) {
		xb_error_print(-EINVAL);
		free(c.o.modes);
		return XB_EXIT_USAGE;
	}
	xb_signals_install();
	if (xb_cmd_db_open(&db, xb_default_db_path(c.o.db), XB_DB_CREATE))
		goto out;
	rc = xb_share_run(&c, db, &id, &report);
	if (report.len)
		fputs(report.p, stdout);
	xb_buf_free(&report);
	if (rc)
		xb_error_print(rc);
	else
		ret = c.o.struct_pages ? struct_pages(&c, db) : XB_EXIT_OK;
out:
	if (xb_interrupted)
		ret = 128 + xb_interrupted;
	xb_share_ctx_free(&c);
	xb_db_close(db);
	return ret;
}
