// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench capabilities: the capability matrix the capprobe benchmark
 * recorded - one row per probe and target mode, one column per backend and
 * kernel, from the most recent finished run of each pair.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "options.h"
#include "text.h"
#include "json.h"
#include "db.h"
#include "query.h"
#include "error.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench capabilities [--db PATH] [--json]\n"
"\n"
"Show which operations work on a DAX mapping, as the capprobe benchmark\n"
"found them: a row per probe (capprobe.<mode>.<probe>), a column per\n"
"backend and kernel, taken from the most recent finished run of each pair.\n"
"A cell is works, fails ERRNO, crashes SIGNAL or hangs; '-' where that run\n"
"did not probe it. Run the probes with\n"
"  daxbench run --suite workloads/capabilities.suite [--backend NAME]\n"
"\n"
"Options:\n"
"  --db PATH   results database (default: $" XB_DB_ENV ", else ./" XB_DEFAULT_DB ")\n"
"  --json      machine-readable output (with a schema_version)\n"
"  --help      this text\n"
"\n"
"Exit status: 0 ok, 1 error (no database, unreadable database), 2 usage.\n");
}

struct column {
	long long run_id;
	char *backend;
	char *kernel;
};

struct matrix {
	struct column *cols;
	size_t ncols;
	char **probes;          /* row names, first-seen order */
	size_t nprobes;
	char **cell;            /* nprobes x ncols, NULL when not probed */
};

/* Index of the column for this row's run; -1 when an older run of the
 * same backend and kernel is shadowed by a newer one. */
static long column_for(struct matrix *m, long long id, const char *backend, const char *kernel)
{
	for (size_t i = 0; i < m->ncols; i++) {
		if (m->cols[i].run_id == id)
			return (long)i;
		if (!strcmp(m->cols[i].backend, backend) && !strcmp(m->cols[i].kernel, kernel))
			return -1;
	}
	m->cols = xb_realloc(m->cols, (m->ncols + 1) * sizeof(*m->cols));
	m->cols[m->ncols] = (struct column) { id, xb_strdup(backend), xb_strdup(kernel) };
	return (long)m->ncols++;
}

static size_t row_for(struct matrix *m, const char *probe)
{
	for (size_t i = 0; i < m->nprobes; i++)
		if (!strcmp(m->probes[i], probe))
			return i;
	m->probes = xb_realloc(m->probes, (m->nprobes + 1) * sizeof(*m->probes));
	m->probes[m->nprobes] = xb_strdup(probe);
	return m->nprobes++;
}

/* Cells are collected as (row, col, text) triples first; the column count
 * is known only at the end. */
struct triple {
	size_t row;
	long col;
	char *text;
};

static int load(struct matrix *m, struct xb_db *db)
{
	struct xb_capprobe_note *notes = NULL;
	struct triple *t = NULL;
	size_t nt = 0, nn = 0;
	int rc;

	/* newest run first, so the first run seen of a backend+kernel is kept */
	rc = xb_query_capprobes(&notes, &nn, db);
	for (size_t i = 0; i < nn; i++) {
		long col = column_for(m, notes[i].run_id, notes[i].backend, notes[i].kernel);

		if (col < 0)
			continue;
		t = xb_realloc(t, (nt + 1) * sizeof(*t));
		t[nt++] = (struct triple) { row_for(m, notes[i].probe), col,
					    xb_strdup(notes[i].text) };
	}
	xb_capprobe_notes_free(notes, nn);
	m->cell = calloc(m->nprobes * m->ncols + 1, sizeof(*m->cell));
	if (!m->cell)
		abort();
	for (size_t i = 0; i < nt; i++) {
		char **c = &m->cell[t[i].row * m->ncols + (size_t)t[i].col];

		free(*c);
		*c = t[i].text;
	}
	free(t);
	return rc;
}

static void matrix_free(struct matrix *m)
{
	for (size_t i = 0; i < m->nprobes * m->ncols; i++)
		free(m->cell[i]);
	for (size_t i = 0; i < m->nprobes; i++)
		free(m->probes[i]);
	for (size_t i = 0; i < m->ncols; i++) {
		free(m->cols[i].backend);
		free(m->cols[i].kernel);
	}
	free(m->cell);
	free(m->probes);
	free(m->cols);
}

static int print_json(const struct matrix *m)
{
	struct xb_json j = { 0 };

	xb_json_obj_open(&j);
	xb_json_key(&j, "schema_version"); xb_json_int(&j, XB_JSON_SCHEMA_VERSION);
	xb_json_key(&j, "columns");
	xb_json_arr_open(&j);
	for (size_t c = 0; c < m->ncols; c++) {
		xb_json_obj_open(&j);
		xb_json_key(&j, "run_id"); xb_json_int(&j, m->cols[c].run_id);
		xb_json_key(&j, "backend"); xb_json_str(&j, m->cols[c].backend);
		xb_json_key(&j, "kernel"); xb_json_str(&j, m->cols[c].kernel);
		xb_json_obj_close(&j);
	}
	xb_json_arr_close(&j);
	xb_json_key(&j, "probes");
	xb_json_arr_open(&j);
	for (size_t r = 0; r < m->nprobes; r++) {
		xb_json_obj_open(&j);
		xb_json_key(&j, "probe"); xb_json_str(&j, m->probes[r]);
		xb_json_key(&j, "results");
		xb_json_arr_open(&j);
		for (size_t c = 0; c < m->ncols; c++)
			xb_json_str(&j, m->cell[r * m->ncols + c]);
		xb_json_arr_close(&j);
		xb_json_obj_close(&j);
	}
	xb_json_arr_close(&j);
	xb_json_obj_close(&j);
	return xb_json_print(&j, stdout) ? XB_EXIT_ERROR : XB_EXIT_OK;
}

/* "fails EFAULT: Bad address" shows as "fails EFAULT" in the table. */
static char *short_cell(const char *text)
{
	const char *colon = text ? strchr(text, ':') : NULL;

	return colon ? xb_strndup(text, (size_t)(colon - text)) : xb_strdup(text);
}

static void print_text(const struct matrix *m, const char *path)
{
	struct xb_table t = { .ncols = m->ncols + 1 };
	char *align = xb_malloc(m->ncols + 2);

	if (!m->nprobes) {
		printf("no capability probes in %s (daxbench run --suite workloads/capabilities.suite)\n",
		       path);
		free(align);
		return;
	}
	memset(align, 'l', m->ncols + 1);
	align[m->ncols + 1] = 0;
	t.align = align;
	xb_table_add(&t, "PROBE");
	for (size_t c = 0; c < m->ncols; c++)
		xb_table_add(&t, m->cols[c].backend);
	xb_table_add(&t, "");
	for (size_t c = 0; c < m->ncols; c++)
		xb_table_add(&t, m->cols[c].kernel);
	for (size_t r = 0; r < m->nprobes; r++) {
		xb_table_add(&t, m->probes[r]);
		for (size_t c = 0; c < m->ncols; c++) {
			char *s = short_cell(m->cell[r * m->ncols + c]);

			xb_table_add(&t, s);
			free(s);
		}
	}
	xb_table_print(&t, stdout, "");
	xb_table_free(&t);
	free(align);
}

int xb_cmd_capabilities(int argc, char **argv)
{
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB | XB_OPT_JSON, .usage = usage,
		.name = "capabilities" };
	struct matrix m = { 0 };
	struct xb_opts o;
	const char *path;
	bool json;
	struct xb_db *db = NULL;
	int rc;

	rc = xb_opts_parse(&o, &spec, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	path = o.db;
	json = o.json;
	path = xb_default_db_path(path);
	if (xb_cmd_db_open(&db, path, XB_DB_READ))
		return XB_EXIT_ERROR;
	rc = load(&m, db);
	if (rc) {
		xb_error_print(rc);
		rc = XB_EXIT_ERROR;
		goto out;
	}
	if (json) {
		rc = print_json(&m);
	} else {
		print_text(&m, path);
		rc = XB_EXIT_OK;
	}
out:
	matrix_free(&m);
	xb_db_close(db);
	return rc;
}
