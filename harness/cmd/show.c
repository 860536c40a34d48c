// SPDX-License-Identifier: GPL-2.0
/* daxbench show: one run's fingerprint, per-metric statistics and notes. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "options.h"
#include "fault-table.h"
#include "text.h"
#include "clock.h"
#include "json.h"
#include "db.h"
#include "error.h"
#include "query.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench show [--db PATH] [--json | --medians] [RUN]\n"
"\n"
"Show one recorded run: where and how it ran (the fingerprint), its boots,\n"
"then per metric the number of samples n and their median, p90, p99, p99.9, max,\n"
"mean and standard deviation, over every boot and repetition pooled, and\n"
"the median of each boot; then the notes the benchmarks left. A failed run\n"
"shows why it failed and the end of its console. The run's clock is shown\n"
"above the values: under icount a time unit reads \"ns (icount)\", guest\n"
"instructions (1 \"ns\" = 1 instruction), not real nanoseconds.\n"
"\n"
"RUN is a run id, a uuid, a uuid prefix of at least 8 characters, or\n"
"'latest' (the most recently started run; the default).\n"
"\n"
"Options:\n"
"  --db PATH   results database (default: $" XB_DB_ENV ", else ./" XB_DEFAULT_DB ")\n"
"  --json      machine-readable output (with a schema_version)\n"
"  --fault-table  only the fault-path table (Markdown): per path the median\n"
"              fault latency on DAX, page cache and anonymous memory (n, p90,\n"
"              p99.9), the throughput cross-check and the fs_dax events\n"
"  --medians   one line per metric and boot: NAME pass MEDIAN UNIT, NAME being\n"
"              METRIC.bootN with anything but [A-Za-z0-9._-] made '_' - the\n"
"              result.txt format of Linaro's test-definitions, one\n"
"              `lava-test-case NAME --result pass --measurement MEDIAN --units\n"
"              UNIT` per line (lava/daxbench-dut.sh)\n"
"  --help      this text\n"
"\n"
"Exit status: 0 ok, 1 error (no database, no such run), 2 usage.\n");
}

struct show_opts {
	const char *db;
	const char *run;
	bool json;
	bool fault_table;
	bool medians;
};

static int parse_one(void *ctx, int key, const char *arg)
{
	struct show_opts *o = ctx;

	(void)arg;
	if (key == 'm')
		o->medians = true;
	else
		o->fault_table = true;
	return 0;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct show_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fault-table", no_argument, NULL, 'f' },
		{ "medians", no_argument, NULL, 'm' },
		{ 0 },
	};
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB | XB_OPT_JSON,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage,
		.name = "show", .max_args = 1, .operands = "one run" };
	struct xb_opts so;
	int rc;

	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	o->json = so.json;
	o->run = so.nargs ? argv[so.first_arg] : NULL;
	return 0;
}

/*
 * Nanoseconds get one decimal (below that is timer noise); other units get
 * one decimal when large and about four significant digits when small.
 */
static void fmt_num(char out[32], double v, const char *unit)
{
	double a = fabs(v);

	if (!strcmp(unit, "ns") || a >= 100)
		snprintf(out, 32, "%.1f", v);
	else if (a >= 1)
		snprintf(out, 32, "%.3f", v);
	else
		snprintf(out, 32, "%.4g", v);
}

static void add_num(struct xb_table *t, double v, const char *unit)
{
	char buf[32];

	fmt_num(buf, v, unit);
	xb_table_add(t, buf);
}

static void print_run(const struct xb_run_detail *d)
{
	const struct xb_run_info *r = &d->info;
	struct xb_table t = { .ncols = 2, .align = "ll" };
	char when[32], *s;

	printf("run %lld  %s\n", (long long)r->id, r->uuid);
	xb_table_add(&t, "label");
	xb_table_add(&t, r->label);
	xb_table_add(&t, "suite");
	xb_table_add(&t, r->suite);
	xb_table_add(&t, "status");
	s = r->reason ? xb_asprintf("%s: %s", r->status, r->reason) : xb_strdup(r->status);
	xb_table_add(&t, s);
	free(s);
	xb_iso_time(when, r->started);
	xb_table_add(&t, "started");
	xb_table_add(&t, when);
	xb_iso_time(when, r->ended);
	s = xb_asprintf("%s (%.1f s)", when, r->ended - r->started);
	xb_table_add(&t, "ended");
	xb_table_add(&t, s);
	free(s);
	xb_table_add(&t, "host");
	xb_table_add(&t, d->host);
	xb_table_add(&t, "artifacts");
	xb_table_add(&t, d->artifacts);
	xb_table_print(&t, stdout, "  ");
	xb_table_free(&t);
}

static void print_fingerprint(const struct xb_run_detail *d)
{
	struct xb_table t = { .ncols = 2, .align = "ll" };

	printf("\nfingerprint\n");
	for (size_t i = 0; i < d->fingerprint.n; i++) {
		xb_table_add(&t, d->fingerprint.v[i].key);
		xb_table_add(&t, d->fingerprint.v[i].value);
	}
	xb_table_print(&t, stdout, "  ");
	xb_table_free(&t);
}

static void print_boots(const struct xb_run_detail *d)
{
	static const char *const header[] = { "BOOT", "ACCEL", "STATUS", "STARTED",
					      "SECONDS", "REASON" };
	struct xb_table t = { .ncols = XB_ARRAY_SIZE(header), .align = "rlllrl" };
	char buf[32];

	if (!d->nboots)
		return;
	printf("\nboots\n");
	for (size_t i = 0; i < XB_ARRAY_SIZE(header); i++)
		xb_table_add(&t, header[i]);
	for (size_t i = 0; i < d->nboots; i++) {
		const struct xb_boot_info *b = &d->boots[i];

		snprintf(buf, sizeof(buf), "%d", b->idx);
		xb_table_add(&t, buf);
		xb_table_add(&t, b->accel);
		xb_table_add(&t, b->status);
		xb_iso_time(buf, b->started);
		xb_table_add(&t, buf);
		snprintf(buf, sizeof(buf), "%.1f", b->ended - b->started);
		xb_table_add(&t, buf);
		xb_table_add(&t, b->reason ? b->reason : "");
	}
	xb_table_print(&t, stdout, "  ");
	xb_table_free(&t);
}

static const char *run_clock(const struct xb_run_detail *d)
{
	return xb_clock_of(xb_kv_get(&d->fingerprint, XB_FP_CLOCK));
}

/* Under icount every time value is an instruction count: say so once,
 * above the values, and mark their unit. */
static void print_clock(const struct xb_run_detail *d)
{
	printf("\nclock %s", run_clock(d));
	if (strcmp(run_clock(d), "icount")) {
		printf(" (host time)\n");
		return;
	}
	printf(": %s\n  %s\n", xb_clock_icount_captures, xb_clock_icount_misses);
}

static void print_metrics(const struct xb_run_detail *d)
{
	static const char *const header[] = { "METRIC", "UNIT", "BETTER", "N", "MEDIAN",
					      "P90", "P99", "P99.9", "MAX", "MEAN", "STDDEV" };
	struct xb_table t = { .ncols = XB_ARRAY_SIZE(header), .align = "lllrrrrrrrr" };
	char buf[32];

	printf("\nmetrics (all boots and repetitions pooled; stddev of the samples)\n");
	for (size_t i = 0; i < XB_ARRAY_SIZE(header); i++)
		xb_table_add(&t, header[i]);
	for (size_t i = 0; i < d->nmetrics; i++) {
		const struct xb_metric_result *m = &d->metrics[i];

		char *unit = xb_clock_unit_label(m->unit, run_clock(d));

		xb_table_add(&t, m->name);
		xb_table_add(&t, unit);
		free(unit);
		xb_table_add(&t, m->direction);
		snprintf(buf, sizeof(buf), "%zu", m->all.n);
		xb_table_add(&t, buf);
		add_num(&t, m->all.median, m->unit);
		add_num(&t, m->all.p90, m->unit);
		add_num(&t, m->all.p99, m->unit);
		add_num(&t, m->all.p999, m->unit);
		add_num(&t, m->all.max, m->unit);
		add_num(&t, m->all.mean, m->unit);
		add_num(&t, m->all.stddev, m->unit);
	}
	xb_table_print(&t, stdout, "  ");
	xb_table_free(&t);
}

static const struct xb_boot_summary *boot_of(const struct xb_metric_result *m, int boot)
{
	for (size_t i = 0; i < m->nboots; i++)
		if (m->boots[i].boot == boot)
			return &m->boots[i];
	return NULL;
}

/* The spread between boots is what one boot cannot show: print it apart. */
static void print_boot_medians(const struct xb_run_detail *d)
{
	struct xb_table t = { .ncols = d->nboots + 1 };
	char *align, buf[32];

	if (d->nboots < 2 || !d->nmetrics)
		return;
	align = xb_malloc(d->nboots + 2);
	memset(align, 'r', d->nboots + 1);
	align[0] = 'l';
	align[d->nboots + 1] = 0;
	t.align = align;
	printf("\nmedian of each boot\n");
	xb_table_add(&t, "METRIC");
	for (size_t b = 0; b < d->nboots; b++) {
		snprintf(buf, sizeof(buf), "BOOT %d", d->boots[b].idx);
		xb_table_add(&t, buf);
	}
	for (size_t i = 0; i < d->nmetrics; i++) {
		xb_table_add(&t, d->metrics[i].name);
		for (size_t b = 0; b < d->nboots; b++) {
			const struct xb_boot_summary *bs = boot_of(&d->metrics[i],
								   d->boots[b].idx);

			if (bs)
				add_num(&t, bs->s.median, d->metrics[i].unit);
			else
				xb_table_add(&t, "-");
		}
	}
	xb_table_print(&t, stdout, "  ");
	xb_table_free(&t);
	free(align);
}

/* LAVA takes a test case name without whitespace (and makes '/' '_');
 * its server keeps 100 characters of it. */
static void print_word(const char *s)
{
	for (; *s; s++)
		putchar(isalnum((unsigned char)*s) || strchr("._-", *s) ? *s : '_');
}

static void print_lava_name(const char *metric, int boot)
{
	char name[101];

	snprintf(name, sizeof(name), "%s.boot%d", metric, boot);
	print_word(name);
}

static void print_medians(const struct xb_run_detail *d)
{
	char buf[32];

	for (size_t i = 0; i < d->nmetrics; i++) {
		const struct xb_metric_result *m = &d->metrics[i];

		for (size_t b = 0; b < m->nboots; b++) {
			snprintf(buf, sizeof(buf), "%.6g", m->boots[b].s.median);
			print_lava_name(m->name, m->boots[b].boot);
			printf(" pass %s ", buf);
			print_word(*m->unit ? m->unit : "none");
			putchar('\n');
		}
	}
}

static void print_notes(const struct xb_run_detail *d)
{
	if (!d->nnotes)
		return;
	printf("\nnotes\n");
	for (size_t i = 0; i < d->nnotes; i++)
		printf("  boot %d  %-7s  %s: %s\n", d->notes[i].boot, d->notes[i].kind,
		       d->notes[i].subject, d->notes[i].text);
}

static void print_console(const struct xb_run_detail *d)
{
	const char *p = d->console_tail;

	if (strcmp(d->info.status, "failed") || !p || !*p)
		return;
	printf("\nconsole (last lines)\n");
	while (*p) {
		size_t n = strcspn(p, "\n");

		printf("  | %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static void print_text(const struct xb_run_detail *d)
{
	print_run(d);
	print_fingerprint(d);
	print_boots(d);
	if (d->nmetrics) {
		print_clock(d);
		print_metrics(d);
		print_boot_medians(d);
	} else {
		printf("\nno samples recorded\n");
	}
	print_notes(d);
	print_console(d);
}

static void json_summary(struct xb_json *j, const struct xb_summary *s)
{
	const struct { const char *key; double v; } f[] = {
		{ "min", s->min }, { "median", s->median }, { "p90", s->p90 },
		{ "p99", s->p99 }, { "p999", s->p999 }, { "max", s->max },
		{ "mean", s->mean }, { "stddev", s->stddev },
	};

	xb_json_key(j, "n");
	xb_json_int(j, (long long)s->n);
	for (size_t i = 0; i < XB_ARRAY_SIZE(f); i++) {
		xb_json_key(j, f[i].key);
		xb_json_num(j, f[i].v);
	}
}

static void json_time(struct xb_json *j, const char *key, double t)
{
	char buf[32];

	xb_iso_time(buf, t);
	xb_json_key(j, key);
	xb_json_str(j, buf);
}

static void json_run(struct xb_json *j, const struct xb_run_detail *d)
{
	const struct xb_run_info *r = &d->info;

	xb_json_key(j, "run");
	xb_json_obj_open(j);
	xb_json_key(j, "id"); xb_json_int(j, r->id);
	xb_json_key(j, "uuid"); xb_json_str(j, r->uuid);
	xb_json_key(j, "label"); xb_json_str(j, r->label);
	xb_json_key(j, "suite"); xb_json_str(j, r->suite);
	xb_json_key(j, "status"); xb_json_str(j, r->status);
	xb_json_key(j, "reason"); xb_json_str(j, r->reason);
	json_time(j, "started", r->started);
	json_time(j, "ended", r->ended);
	xb_json_key(j, "duration_s"); xb_json_num(j, r->ended - r->started);
	xb_json_key(j, "host"); xb_json_str(j, d->host);
	xb_json_key(j, "artifacts"); xb_json_str(j, d->artifacts);
	xb_json_key(j, "console_tail"); xb_json_str(j, d->console_tail);
	xb_json_obj_close(j);
	xb_json_key(j, "fingerprint");
	xb_json_obj_open(j);
	for (size_t i = 0; i < d->fingerprint.n; i++) {
		xb_json_key(j, d->fingerprint.v[i].key);
		xb_json_str(j, d->fingerprint.v[i].value);
	}
	xb_json_obj_close(j);
}

static void json_boots(struct xb_json *j, const struct xb_run_detail *d)
{
	xb_json_key(j, "boots");
	xb_json_arr_open(j);
	for (size_t i = 0; i < d->nboots; i++) {
		const struct xb_boot_info *b = &d->boots[i];

		xb_json_obj_open(j);
		xb_json_key(j, "idx"); xb_json_int(j, b->idx);
		xb_json_key(j, "accel"); xb_json_str(j, b->accel);
		xb_json_key(j, "status"); xb_json_str(j, b->status);
		xb_json_key(j, "reason"); xb_json_str(j, b->reason);
		json_time(j, "started", b->started);
		json_time(j, "ended", b->ended);
		xb_json_obj_close(j);
	}
	xb_json_arr_close(j);
}

static void json_metric(struct xb_json *j, const struct xb_metric_result *m)
{
	xb_json_obj_open(j);
	xb_json_key(j, "name"); xb_json_str(j, m->name);
	xb_json_key(j, "unit"); xb_json_str(j, m->unit);
	xb_json_key(j, "direction"); xb_json_str(j, m->direction);
	xb_json_key(j, "description"); xb_json_str(j, m->description);
	xb_json_key(j, "reps"); xb_json_int(j, (long long)m->nreps);
	json_summary(j, &m->all);
	xb_json_key(j, "boots");
	xb_json_arr_open(j);
	for (size_t b = 0; b < m->nboots; b++) {
		xb_json_obj_open(j);
		xb_json_key(j, "boot"); xb_json_int(j, m->boots[b].boot);
		xb_json_key(j, "reps"); xb_json_int(j, (long long)m->boots[b].nreps);
		json_summary(j, &m->boots[b].s);
		xb_json_obj_close(j);
	}
	xb_json_arr_close(j);
	xb_json_obj_close(j);
}

static int print_json(const struct xb_run_detail *d)
{
	struct xb_json j = { 0 };

	xb_json_obj_open(&j);
	xb_json_key(&j, "schema_version"); xb_json_int(&j, XB_JSON_SCHEMA_VERSION);
	xb_json_key(&j, "clock"); xb_json_str(&j, run_clock(d));
	json_run(&j, d);
	json_boots(&j, d);
	xb_json_key(&j, "metrics");
	xb_json_arr_open(&j);
	for (size_t i = 0; i < d->nmetrics; i++)
		json_metric(&j, &d->metrics[i]);
	xb_json_arr_close(&j);
	xb_json_key(&j, "notes");
	xb_json_arr_open(&j);
	for (size_t i = 0; i < d->nnotes; i++) {
		xb_json_obj_open(&j);
		xb_json_key(&j, "boot"); xb_json_int(&j, d->notes[i].boot);
		xb_json_key(&j, "kind"); xb_json_str(&j, d->notes[i].kind);
		xb_json_key(&j, "subject"); xb_json_str(&j, d->notes[i].subject);
		xb_json_key(&j, "text"); xb_json_str(&j, d->notes[i].text);
		xb_json_obj_close(&j);
	}
	xb_json_arr_close(&j);
	xb_json_obj_close(&j);
	return xb_json_print(&j, stdout) ? XB_EXIT_ERROR : XB_EXIT_OK;
}

int xb_cmd_show(int argc, char **argv)
{
	struct show_opts o = { 0 };
	struct xb_run_detail *d = NULL;
	struct xb_db *db = NULL;
	int64_t id;
	int rc;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	if (xb_cmd_db_open(&db, xb_default_db_path(o.db), XB_DB_READ))
		return XB_EXIT_ERROR;
	rc = xb_query_resolve_run(&id, db, o.run);
	if (!rc)
		rc = xb_query_load_run(&d, db, id);
	if (rc) {
		xb_error_print(rc);
		rc = XB_EXIT_ERROR;
		goto out;
	}
	if (o.fault_table) {
		rc = xb_fault_table_print(stdout, d) ? XB_EXIT_ERROR : XB_EXIT_OK;
		if (rc)
			xb_err("run %lld has no fault.<mode>.<path>.ns metric: no fault table",
			       (long long)id);
	} else if (o.medians) {
		print_medians(d);
		rc = XB_EXIT_OK;
	} else if (o.json) {
		rc = print_json(d);
	} else {
		print_text(d);
		rc = XB_EXIT_OK;
	}
out:
	xb_run_detail_free(d);
	xb_db_close(db);
	return rc;
}
