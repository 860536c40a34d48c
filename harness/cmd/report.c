// SPDX-License-Identifier: GPL-2.0
/* daxbench report: the DAX report (plots/report.h) as Markdown. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "options.h"
#include "report.h"
#include "clock.h"
#include "fault-table.h"
#include "query.h"
#include "db.h"
#include "error.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench report [--db PATH] [--section ID] OUT.md\n"
"\n"
"Write the DAX report, generated from the database, as Markdown to OUT.md\n"
"('-': stdout). For every kernel and backend the database holds it answers:\n"
"  - capabilities: what works on a DAX mapping (get_user_pages users, fork,\n"
"    madvise, ...), per backend and kernel\n"
"  - radix lookup: sector against pfn entries, model per 2017 driver and kernel\n"
"  - memory: host memory per additional guest sharing one image, memory DAX\n"
"    saves, per mode and number of guests\n"
"  - struct pages: memmap cost per GiB of DAX region, per namespace mode\n"
"  - fault cost: DAX against page cache against anonymous memory, pte and pmd\n"
"  - exec startup from the shared image, cold and warm\n"
"  - fault paths: every path of the newest run of the full suite, with its\n"
"    throughput cross-check, perf stat and fs_dax events (show --fault-table)\n"
"Every table says n, the spread and the command that regenerates it; a\n"
"table with no data says which command fills it. `daxbench publish` puts\n"
"the same report on its site (report.html).\n"
"\n"
"  --db PATH     results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  --section ID  write only the body of one section (question, table, note;\n"
"                no heading): what a marked region of README.md or docs/*.md\n"
"                holds (scripts/update-docs). ID is one of capabilities, radix,\n"
"                memory, structpages, faults, exec, fault-paths\n"
"  -h, --help    this text\n"
"\n"
"Exit status: 0 written, 1 error, 2 usage.\n");
}

/* The plots' table ids and the section this command adds. */
static const char *const *section_ids(void)
{
	static const char *ids[16];

	if (!ids[0]) {
		size_t n = 0;

		while (xb_report_ids[n] && n < 14) {
			ids[n] = xb_report_ids[n];
			n++;
		}
		ids[n] = "fault-paths";
	}
	return ids;
}

static int parse_one(void *ctx, int key, const char *arg)
{
	const char **section = ctx;

	(void)key;
	*section = arg;
	return xb_opt_choice("section", arg, section_ids());
}

static bool full_suite(const char *suite)
{
	size_t n = strlen(suite);

	return !strcmp(suite, "full") ||
	       (n >= 11 && !strcmp(suite + n - 11, "/full.suite"));
}

/*
 * The fault-path table of the newest finished run of the full suite (the
 * one suite with every path), as `show --fault-table` prints it: in the
 * harness layer, where that table is made. Its body into b.
 */
static int fault_paths_body(struct xb_buf *b, struct xb_db *db)
{
	static const char cmd[] = "daxbench run --suite full; daxbench show --fault-table";
	struct xb_list_filter f = { .status = "finished" };
	struct xb_run_list l = { 0 };
	struct xb_run_detail *d = NULL;
	const struct xb_run_info *ri = NULL;
	int rc;

	xb_buf_adds(b, "What does each fault path cost on DAX against the page cache and "
		    "anonymous memory, and do the throughput figure, perf stat and the fs_dax "
		    "tracepoints agree with the timed faults?\n\n");
	rc = xb_query_list_runs(&l, db, &f);
	for (size_t i = 0; !rc && i < l.n && !ri; i++)
		if (full_suite(l.runs[i].suite))
			ri = &l.runs[i];
	if (!rc && ri)
		rc = xb_query_load_run(&d, db, ri->id);
	if (!rc && (!d || xb_fault_table_render(b, d))) {
		xb_buf_addf(b, "No data in this database. `%s` fills this table.\n", cmd);
	} else if (!rc) {
		const char *clock = xb_kv_get(&d->fingerprint, XB_FP_CLOCK);
		bool icount = clock && !strcmp(clock, "icount");

		xb_buf_addf(b, "\nThe newest run of the full suite (run %lld: %s %s%s): each latency "
			    "cell is the median ns of one fault over the run's boots and repetitions "
			    "(n faults, p90, p99.9); DAX pages/fault is pages mapped over getrusage's "
			    "faults; the throughput column is the median over repetitions of the "
			    "batch-timed cost per fault and its difference from the per-fault median; "
			    "perf stat and the fs_dax tracepoints count one pass.%s Regenerate: `%s`.\n",
			    (long long)ri->id, ri->kernel_release ? ri->kernel_release : "?",
			    ri->backend ? ri->backend : "?", icount ? " icount" : "",
			    icount ? " Under the icount clock a nanosecond is one guest instruction." : "",
			    cmd);
	}
	if (d)
		xb_run_detail_free(d);
	xb_run_list_free(&l);
	return rc;
}

static int render(struct xb_buf *md, const struct xb_report *r, struct xb_db *db,
		  const char *dbpath, const char *section)
{
	const struct xb_rtable *t;

	if (!section) {
		xb_report_markdown(md, r, dbpath);
		xb_report_markdown_heading(md, "fault-paths",
					   "Fault paths: every path of the full suite");
		return fault_paths_body(md, db);
	}
	if (!strcmp(section, "fault-paths"))
		return fault_paths_body(md, db);
	t = xb_report_find(r, section);
	assert(t);
	xb_report_markdown_body(md, t);
	return 0;
}

int xb_cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "section", required_argument, NULL, 's' },
		{ 0 },
	};
	const char *section = NULL;
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB, .usage = usage,
		.longopts = longopts, .parse = parse_one, .ctx = &section,
		.name = "report", .min_args = 1, .max_args = 1, .operands = "one OUT.md" };
	struct xb_report r;
	struct xb_buf md = { 0 };
	struct xb_opts o;
	struct xb_db *db = NULL;
	const char *out, *dbpath;
	int rc;

	rc = xb_opts_parse(&o, &spec, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	out = argv[o.first_arg];
	dbpath = xb_default_db_path(o.db);
	if (xb_cmd_db_open(&db, dbpath, XB_DB_READ))
		return XB_EXIT_ERROR;
	rc = xb_report_build(&r, db);
	if (!rc)
		rc = render(&md, &r, db, dbpath, section);
	xb_db_close(db);
	if (rc) {
		xb_error_print(rc);
		xb_report_free(&r);
		xb_buf_free(&md);
		return XB_EXIT_ERROR;
	}
	if (!strcmp(out, "-")) {
		fwrite(md.p, 1, md.len, stdout);
	} else {
		rc = xb_write_file_replace(out, md.p, md.len, false);
		if (rc)
			xb_err("cannot write %s: %s", out, strerror(-rc));
		else if (!section)
			printf("wrote %s: %zu of %zu tables filled from %zu runs\n", out,
			       xb_report_filled(&r), r.nt, r.nruns);
	}
	xb_report_free(&r);
	xb_buf_free(&md);
	return rc ? XB_EXIT_ERROR : XB_EXIT_OK;
}
