// SPDX-License-Identifier: GPL-2.0
/* daxbench db merge: import another machine's runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "db.h"
#include "merge.h"
#include "error.h"

int xb_cmd_db_open(struct xb_db **out, const char *path, enum xb_db_mode mode)
{
	int rc = xb_db_open_mode(out, path, mode);

	if (rc)
		xb_error_print(rc);
	return rc;
}
#include "options.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench db merge [--db PATH] OTHER.db\n"
"\n"
"Import the runs recorded in OTHER.db (another machine's results) into the\n"
"database, in one transaction. Runs are identified by their uuid: merging\n"
"the same database twice adds nothing. OTHER.db is never written: a copy of\n"
"it is upgraded to this daxbench's schema first; one from a newer daxbench,\n"
"or a metric recorded with another unit or direction, is refused and nothing\n"
"is merged. Runs keep their host, so `daxbench publish` shows each machine\n"
"as its own series.\n"
"\n"
"  --db PATH   results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  -h, --help  this text\n"
"\n"
"Exit status: 0 merged (or nothing new), 1 error, 2 usage.\n");
}

int xb_cmd_db(int argc, char **argv)
{
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB, .usage = usage };
	struct xb_merge_stats st;
	const char *tmp = getenv("TMPDIR");
	struct xb_opts o;
	struct xb_db *db = NULL;
	int first, rc;

	rc = xb_opts_parse(&o, &spec, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	first = o.first_arg;
	if (first + 2 != argc || strcmp(argv[first], "merge")) {
		xb_err("db takes merge OTHER.db");
		xb_opts_try("db");
		return XB_EXIT_USAGE;
	}
	rc = xb_cmd_db_open(&db, xb_default_db_path(o.db), XB_DB_CREATE);
	if (rc)
		return XB_EXIT_ERROR;
	rc = xb_db_merge(&st, db, argv[first + 1], tmp && *tmp ? tmp : "/tmp");
	xb_db_close(db);
	if (rc) {
		xb_error_print(rc);
		return XB_EXIT_ERROR;
	}
	printf("merged %s (schema v%d): %ld runs added, %ld already present, %ld metrics added\n",
	       argv[first + 1], st.source_version, st.runs_added, st.runs_present,
	       st.metrics_added);
	return XB_EXIT_OK;
}
