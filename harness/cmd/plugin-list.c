// SPDX-License-Identifier: GPL-2.0
/* daxbench list-backends and list-benches: the plug-in tables, described. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "caps.h"
#include "cmd.h"
#include "guest-setup.h"
#include "json.h"
#include "options.h"
#include "plugin-list.h"

#define WIDTH 79

/* name in a column of width, then text word-wrapped under itself */
static void wrapped(FILE *f, size_t width, const char *name, const char *text)
{
	size_t indent = width + 2, col = indent;
	bool first = true;

	fprintf(f, "  %-*s", (int)width, name);
	for (const char *p = text ? text : ""; *p; first = false) {
		size_t n = strcspn(p, " ");

		if (!first && col + 1 + n > WIDTH) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)n, p);
		col += n;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

/* "what: text" under an entry's description */
static void detail(FILE *f, size_t width, const char *what, const char *text)
{
	char *line = xb_asprintf("%s: %s", what, text);

	wrapped(f, width, "", line);
	free(line);
}

/* The name column of a NULL-terminated table of ops structs: the longest
 * name plus two. */
#define NAME_WIDTH(table) ({ \
	size_t w_ = 0; \
	for (size_t i_ = 0; (table)[i_]; i_++) \
		if (strlen((table)[i_]->name) > w_) \
			w_ = strlen((table)[i_]->name); \
	w_ + 2; \
})

void xb_backends_help(FILE *f, const struct xb_backend_ops *const *table)
{
	size_t w = NAME_WIDTH(table);

	for (size_t i = 0; table[i]; i++)
		wrapped(f, w, table[i]->name, table[i]->description);
}

void xb_benches_help(FILE *f, const struct xb_bench_ops *const *table)
{
	size_t w = NAME_WIDTH(table);

	for (size_t i = 0; table[i]; i++)
		wrapped(f, w, table[i]->name, table[i]->description);
}

/* "a, b, c" of a NULL-terminated list; "-" when empty */
static char *joined(const char *const *v, const char *sep)
{
	struct xb_buf b = { 0 };

	for (size_t i = 0; v && v[i]; i++)
		xb_buf_addf(&b, "%s%s", i ? sep : "", v[i]);
	return b.p ? b.p : xb_strdup("-");
}

static void json_list(struct xb_json *j, const char *key, const char *const *v)
{
	xb_json_key(j, key);
	xb_json_arr_open(j);
	for (size_t i = 0; v && v[i]; i++)
		xb_json_str(j, v[i]);
	xb_json_arr_close(j);
}

static void json_caps(struct xb_json *j, const char *key, unsigned caps)
{
	xb_json_key(j, key);
	xb_json_arr_open(j);
	for (unsigned k = 0; k < 32; k++) {
		if (caps & (1u << k)) {
			char *name = xb_caps_format(1u << k);

			xb_json_str(j, name);
			free(name);
		}
	}
	xb_json_arr_close(j);
}

static int written(FILE *f)
{
	return fflush(f) || ferror(f) ? -EIO : 0;
}

/* {"schema_version": N, "<key>": [ ... ]} around the entries */
static void doc_open(struct xb_json *j, const char *key)
{
	xb_json_obj_open(j);
	xb_json_key(j, "schema_version");
	xb_json_int(j, XB_JSON_SCHEMA_VERSION);
	xb_json_key(j, key);
	xb_json_arr_open(j);
}

static int doc_close(struct xb_json *j, FILE *f)
{
	xb_json_arr_close(j);
	xb_json_obj_close(j);
	return xb_json_print(j, f) ? -EIO : written(f);
}

/* Every entry of table as text (to_text) or in one JSON document under key
 * (to_json); 0 or -EIO. */
#define PRINT_TABLE(f, table, json, key, to_json, to_text) ({ \
	size_t width_ = NAME_WIDTH(table); \
	struct xb_json j_ = { 0 }; \
	if (json) \
		doc_open(&j_, key); \
	for (size_t k_ = 0; (table)[k_]; k_++) { \
		if (json) \
			to_json(&j_, (table)[k_]); \
		else \
			to_text(f, width_, (table)[k_]); \
	} \
	json ? doc_close(&j_, f) : written(f); \
})

static void backend_json(struct xb_json *j, const struct xb_backend_ops *b)
{
	xb_json_obj_open(j);
	xb_json_key(j, "name"); xb_json_str(j, b->name);
	xb_json_key(j, "description"); xb_json_str(j, b->description);
	json_caps(j, "capabilities", b->caps);
	xb_json_key(j, "native"); xb_json_bool(j, b->native);
	xb_json_key(j, "arch"); xb_json_str(j, b->arch ? b->arch : "amd64");
	json_list(j, "params", b->params);
	json_list(j, "guest_modules", b->kmods);
	xb_json_obj_close(j);
}

static void backend_text(FILE *f, size_t w, const struct xb_backend_ops *b)
{
	char *caps = xb_caps_format(b->caps), *params = joined(b->params, ", ");
	char *where = b->native ? xb_strdup("this machine, no guest") :
		      xb_asprintf("a QEMU guest (%s)", b->arch ? b->arch : "amd64");

	wrapped(f, w, b->name, b->description);
	detail(f, w, "offers", caps);
	detail(f, w, "runs on", where);
	detail(f, w, "params", params);
	free(caps);
	free(params);
	free(where);
}

int xb_backends_print(FILE *f, const struct xb_backend_ops *const *table, bool json)
{
	return PRINT_TABLE(f, table, json, "backends", backend_json, backend_text);
}

/* "dax (needs fs_dax,writable), anon (needs anon)": where b runs, and what
 * each target needs from the backend */
static char *targets_text(const struct xb_bench_ops *b)
{
	struct xb_buf t = { 0 };

	for (size_t i = 0; xb_guest_targets[i]; i++) {
		const struct xb_guest_target *g = xb_guest_targets[i];
		char *needs;

		if (!(b->targets & g->kind))
			continue;
		needs = xb_caps_format(g->needs);
		xb_buf_addf(&t, "%s%s (needs %s)", t.len ? ", " : "", g->mode,
			    *needs ? needs : "nothing");
		free(needs);
	}
	return t.p ? t.p : xb_strdup("-");
}

static void bench_json(struct xb_json *j, const struct xb_bench_ops *b)
{
	xb_json_obj_open(j);
	xb_json_key(j, "name"); xb_json_str(j, b->name);
	xb_json_key(j, "description"); xb_json_str(j, b->description);
	xb_json_key(j, "targets");
	xb_json_arr_open(j);
	for (size_t i = 0; xb_guest_targets[i]; i++) {
		const struct xb_guest_target *g = xb_guest_targets[i];

		if (!(b->targets & g->kind))
			continue;
		xb_json_obj_open(j);
		xb_json_key(j, "mode"); xb_json_str(j, g->mode);
		json_caps(j, "needs", g->needs);
		xb_json_obj_close(j);
	}
	xb_json_arr_close(j);
	json_list(j, "params", b->params);
	xb_json_obj_close(j);
}

static void bench_text(FILE *f, size_t w, const struct xb_bench_ops *b)
{
	char *targets = targets_text(b), *params = joined(b->params, ", ");

	wrapped(f, w, b->name, b->description);
	detail(f, w, "runs on", targets);
	detail(f, w, "params", params);
	free(targets);
	free(params);
}

int xb_benches_print(FILE *f, const struct xb_bench_ops *const *table, bool json)
{
	return PRINT_TABLE(f, table, json, "benchmarks", bench_json, bench_text);
}

static void usage_backends(FILE *f)
{
	fprintf(f,
"usage: daxbench list-backends [--json]\n"
"\n"
"List the backends a suite's `backend =` or `daxbench run --backend` can name:\n"
"what each is, the capabilities it offers (a benchmark's target runs only\n"
"where they cover what it needs), where it runs and the parameters of its\n"
"[backend NAME] section.\n"
"\n"
"Options:\n"
"  --json      machine-readable output (with a schema_version)\n"
"  --help      this text\n"
"\n"
"Exit status: 0 ok, 1 error (output not written), 2 usage.\n");
}

static void usage_benches(FILE *f)
{
	fprintf(f,
"usage: daxbench list-benches [--json]\n"
"\n"
"List the benchmarks a suite's [bench NAME] sections can name: what each\n"
"measures, the targets it runs on with the capabilities each target needs\n"
"from the backend (a target the backend cannot offer is skipped, and the\n"
"run records why), and its parameters.\n"
"\n"
"Options:\n"
"  --json      machine-readable output (with a schema_version)\n"
"  --help      this text\n"
"\n"
"Exit status: 0 ok, 1 error (output not written), 2 usage.\n");
}

static int print_backends(bool json)
{
	return xb_backends_print(stdout, xb_backends, json);
}

static int print_benches(bool json)
{
	return xb_benches_print(stdout, xb_benches, json);
}

/* Both commands: --json, no operands, print. */
static int list_cmd(const char *cmd, void (*usage)(FILE *f), int (*print)(bool json),
		    int argc, char **argv)
{
	const struct xb_opts_spec spec = { .shared = XB_OPT_JSON, .usage = usage, .name = cmd };
	struct xb_opts o;
	int rc;

	rc = xb_opts_parse(&o, &spec, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	rc = print(o.json);
	if (rc)
		xb_error_print(rc);
	return rc ? XB_EXIT_ERROR : XB_EXIT_OK;
}

int xb_cmd_list_backends(int argc, char **argv)
{
	return list_cmd("list-backends", usage_backends, print_backends, argc, argv);
}

int xb_cmd_list_benches(int argc, char **argv)
{
	return list_cmd("list-benches", usage_benches, print_benches, argc, argv);
}
