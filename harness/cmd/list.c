// SPDX-License-Identifier: GPL-2.0
/* daxbench list: the recorded runs, newest first. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "options.h"
#include "text.h"
#include "json.h"
#include "db.h"
#include "error.h"
#include "query.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench list [--db PATH] [--limit N] [--status finished|failed] [--json]\n"
"\n"
"List the runs recorded in the results database, most recently started\n"
"first: id, uuid prefix, start time, status, suite, kernel, backend, number\n"
"of metrics, label (and, for a failed run, why it failed). `daxbench show\n"
"RUN` takes the id or the uuid prefix.\n"
"\n"
"Options:\n"
"  --db PATH        results database (default: $" XB_DB_ENV ", else ./" XB_DEFAULT_DB ")\n"
"  --limit N        only the N most recent runs\n"
"  --status STATUS  only runs that finished, or only runs that failed\n"
"  --json           machine-readable output (with a schema_version)\n"
"  --help           this text\n"
"\n"
"Exit status: 0 ok, 1 error (no database, unreadable database), 2 usage.\n");
}

struct list_opts {
	const char *db;
	bool json;
	struct xb_list_filter filter;
};

static int parse_one(void *ctx, int key, const char *arg)
{
	struct list_opts *o = ctx;
	long long limit;

	switch (key) {
	case 'n':
		if (xb_parse_int(&limit, arg, 1, INT_MAX))
			return xb_error_set(-EINVAL, "--limit wants a positive number, not '%s'",
					    arg);
		o->filter.limit = (size_t)limit;
		return 0;
	case 's':
		if (strcmp(arg, "finished") && strcmp(arg, "failed"))
			return xb_error_set(-EINVAL, "--status is finished or failed, not '%s'",
					    arg);
		o->filter.status = arg;
		return 0;
	}
	return -EINVAL;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct list_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "limit", required_argument, NULL, 'n' },
		{ "status", required_argument, NULL, 's' },
		{ 0 },
	};
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB | XB_OPT_JSON,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage,
		.name = "list" };
	struct xb_opts so;
	int rc;

	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	o->json = so.json;
	return 0;
}

static void json_run(struct xb_json *j, const struct xb_run_info *r)
{
	char t[32];

	xb_json_obj_open(j);
	xb_json_key(j, "id"); xb_json_int(j, r->id);
	xb_json_key(j, "uuid"); xb_json_str(j, r->uuid);
	xb_json_key(j, "label"); xb_json_str(j, r->label);
	xb_json_key(j, "suite"); xb_json_str(j, r->suite);
	xb_json_key(j, "status"); xb_json_str(j, r->status);
	xb_json_key(j, "reason"); xb_json_str(j, r->reason);
	xb_iso_time(t, r->started);
	xb_json_key(j, "started"); xb_json_str(j, t);
	xb_iso_time(t, r->ended);
	xb_json_key(j, "ended"); xb_json_str(j, t);
	xb_json_key(j, "duration_s"); xb_json_num(j, r->ended - r->started);
	xb_json_key(j, "kernel_release"); xb_json_str(j, r->kernel_release);
	xb_json_key(j, "backend"); xb_json_str(j, r->backend);
	xb_json_key(j, "metrics"); xb_json_int(j, (long long)r->nmetrics);
	xb_json_obj_close(j);
}

static int print_json(const struct xb_run_list *l)
{
	struct xb_json j = { 0 };

	xb_json_obj_open(&j);
	xb_json_key(&j, "schema_version"); xb_json_int(&j, XB_JSON_SCHEMA_VERSION);
	xb_json_key(&j, "runs");
	xb_json_arr_open(&j);
	for (size_t i = 0; i < l->n; i++)
		json_run(&j, &l->runs[i]);
	xb_json_arr_close(&j);
	xb_json_obj_close(&j);
	return xb_json_print(&j, stdout) ? XB_EXIT_ERROR : XB_EXIT_OK;
}

static void add_row(struct xb_table *t, const struct xb_run_info *r)
{
	char buf[64], when[32];
	char *last;

	snprintf(buf, sizeof(buf), "%lld", (long long)r->id);
	xb_table_add(t, buf);
	snprintf(buf, sizeof(buf), "%.8s", r->uuid);
	xb_table_add(t, buf);
	xb_iso_time(when, r->started);
	xb_table_add(t, when);
	xb_table_add(t, r->status);
	xb_table_add(t, r->suite);
	xb_table_add(t, r->kernel_release);
	xb_table_add(t, r->backend);
	snprintf(buf, sizeof(buf), "%zu", r->nmetrics);
	xb_table_add(t, buf);
	if (r->reason)
		last = xb_asprintf("%s%s(%.60s%s)", r->label ? r->label : "",
				   r->label ? " " : "", r->reason,
				   strlen(r->reason) > 60 ? "..." : "");
	else
		last = xb_strdup(r->label ? r->label : "");
	xb_table_add(t, last);
	free(last);
}

static void print_text(const struct xb_run_list *l, const char *path)
{
	static const char *const header[] = { "ID", "UUID", "STARTED", "STATUS", "SUITE",
					      "KERNEL", "BACKEND", "METRICS", "LABEL" };
	struct xb_table t = { .ncols = XB_ARRAY_SIZE(header), .align = "rllllllrl" };

	if (!l->n) {
		printf("no runs in %s\n", path);
		return;
	}
	for (size_t i = 0; i < XB_ARRAY_SIZE(header); i++)
		xb_table_add(&t, header[i]);
	for (size_t i = 0; i < l->n; i++)
		add_row(&t, &l->runs[i]);
	xb_table_print(&t, stdout, "");
	xb_table_free(&t);
}

int xb_cmd_list(int argc, char **argv)
{
	struct list_opts o = { 0 };
	struct xb_run_list l = { 0 };
	const char *path;
	struct xb_db *db = NULL;
	int rc;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	path = xb_default_db_path(o.db);
	if (xb_cmd_db_open(&db, path, XB_DB_READ))
		return XB_EXIT_ERROR;
	rc = xb_query_list_runs(&l, db, &o.filter);
	if (rc) {
		xb_error_print(rc);
		rc = XB_EXIT_ERROR;
		goto out;
	}
	if (o.json)
		rc = print_json(&l);
	else
		print_text(&l, path);
out:
	xb_run_list_free(&l);
	xb_db_close(db);
	return rc;
}
