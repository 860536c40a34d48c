// SPDX-License-Identifier: GPL-2.0
/* daxbench report: the DAX report (plots/report.h) as Markdown. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "options.h"
#include "report.h"
#include "db.h"
#include "error.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench report [--db PATH] OUT.md\n"
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
"Every table says n, the spread and the command that regenerates it; a\n"
"table with no data says which command fills it. `daxbench publish` puts\n"
"the same report on its site (report.html).\n"
"\n"
"  --db PATH   results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  -h, --help  this text\n"
"\n"
"Exit status: 0 written, 1 error, 2 usage.\n");
}

int xb_cmd_report(int argc, char **argv)
{
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB, .usage = usage,
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
	xb_db_close(db);
	if (rc) {
		xb_error_print(rc);
		xb_report_free(&r);
		return XB_EXIT_ERROR;
	}
	xb_report_markdown(&md, &r, dbpath);
	if (!strcmp(out, "-")) {
		fwrite(md.p, 1, md.len, stdout);
	} else {
		rc = xb_write_file_replace(out, md.p, md.len, false);
		if (rc)
			xb_err("cannot write %s: %s", out, strerror(-rc));
		else
			printf("wrote %s: %zu of %zu tables filled from %zu runs\n", out,
			       xb_report_filled(&r), r.nt, r.nruns);
	}
	xb_report_free(&r);
	xb_buf_free(&md);
	return rc ? XB_EXIT_ERROR : XB_EXIT_OK;
}
