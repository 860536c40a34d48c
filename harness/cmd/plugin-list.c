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

/* A column as wide as the longest name, plus two. */
static size_t name_width(const char *const *names)
{
	size_t w = 0;

	for (size_t i = 0; names[i]; i++)
		if (strlen(names[i]) > w)
			w = strlen(names[i]);
	return w + 2;
}

static const char **backend_names(const struct xb_backend_ops *const *table)
{
	size_t n = 0;
	const char **v;

	while (table[n])
		n++;
	v = xb_malloc((n + 1) * sizeof(*v));
	for (size_t i = 0; i <= n; i++)
		v[i] = table[i] ? table[i]->name : NULL;
	return v;
}

static const char **bench_names(const struct xb_bench_ops *const *table)
{
	size_t n = 0;
	const char **v;

	while (table[n])
		n++;
	v = xb_malloc((n + 1) * sizeof(*v));
	for (size_t i = 0; i <= n; i++)
		v[i] = table[i] ? table[i]->name : NULL;
	return v;
}

void xb_backends_help(FILE *f, const struct xb_backend_ops *const *table)
{
	const char **names = backend_names(table);
	size_t w = name_width(names);

	for (size_t i = 0; table[i]; i++)
		wrapped(f, w, table[i]->name, table[i]->description);
	free(names);
}

void xb_benches_help(FILE *f, const struct xb_bench_ops *const *table)
{
	const char **names = bench_names(table);
	size_t w = name_width(names);

	for (size_t i = 0; table[i]; i++)
		wrapped(f, w, table[i]->name, table[i]->description);
	free(names);
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

int xb_backends_print(FILE *f, const struct xb_backend_ops *const *table, bool json)
{
	const char **names = backend_names(table);
	size_t w = name_width(names);
	struct xb_json j = { 0 };

	free(names);
	if (json) {
		xb_json_obj_open(&j);
		xb_json_key(&j, "schema_version");
		xb_json_int(&j, XB_JSON_SCHEMA_VERSION);
		xb_json_key(&j, "backends");
		xb_json_arr_open(&j);
	}
	for (size_t i = 0; table[i]; i++) {
		const struct xb_backend_ops *b = table[i];
		char *caps = xb_caps_format(b->caps), *params = joined(b->params, ", ");
		char *where = b->native ? xb_strdup("this machine, no guest") :
			      xb_asprintf("a QEMU guest (%s)", b->arch ? b->arch : "amd64");

		if (json) {
			xb_json_obj_open(&j);
			xb_json_key(&j, "name"); xb_json_str(&j, b->name);
			xb_json_key(&j, "description"); xb_json_str(&j, b->description);
			json_caps(&j, "capabilities", b->caps);
			xb_json_key(&j, "native"); xb_json_bool(&j, b->native);
			xb_json_key(&j, "arch"); xb_json_str(&j, b->arch ? b->arch : "amd64");
			json_list(&j, "params", b->params);
			json_list(&j, "guest_modules", b->kmods);
			xb_json_obj_close(&j);
		} else {
			wrapped(f, w, b->name, b->description);
			detail(f, w, "offers", caps);
			detail(f, w, "runs on", where);
			detail(f, w, "params", params);
		}
		free(caps);
		free(params);
		free(where);
	}
	if (!json)
		return written(f);
	xb_json_arr_close(&j);
	xb_json_obj_close(&j);
	return xb_json_print(&j, f) ? -EIO : written(f);
}

/* "dax (fs_dax,writable), anon (anon)": where b runs and what each needs */
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

static void json_targets(struct xb_json *j, const struct xb_bench_ops *b)
{
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
}

int xb_benches_print(FILE *f, const struct xb_bench_ops *const *table, bool json)
{
	const char **names = bench_names(table);
	size_t w = name_width(names);
	struct xb_json j = { 0 };

	free(names);
	if (json) {
		xb_json_obj_open(&j);
		xb_json_key(&j, "schema_version");
		xb_json_int(&j, XB_JSON_SCHEMA_VERSION);
		xb_json_key(&j, "benchmarks");
		xb_json_arr_open(&j);
	}
	for (size_t i = 0; table[i]; i++) {
		const struct xb_bench_ops *b = table[i];
		char *targets = targets_text(b), *params = joined(b->params, ", ");

		if (json) {
			xb_json_obj_open(&j);
			xb_json_key(&j, "name"); xb_json_str(&j, b->name);
			xb_json_key(&j, "description"); xb_json_str(&j, b->description);
			json_targets(&j, b);
			json_list(&j, "params", b->params);
			xb_json_obj_close(&j);
		} else {
			wrapped(f, w, b->name, b->description);
			detail(f, w, "runs on", targets);
			detail(f, w, "params", params);
		}
		free(targets);
		free(params);
	}
	if (!json)
		return written(f);
	xb_json_arr_close(&j);
	xb_json_obj_close(&j);
	return xb_json_print(&j, f) ? -EIO : written(f);
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

/* Shared by both commands: --json, no operands. */
static int parse_opts(bool *json, const char *cmd, void (*usage)(FILE *f), int argc,
		      char **argv)
{
	const struct xb_opts_spec spec = { .shared = XB_OPT_JSON, .usage = usage };
	struct xb_opts o;
	int rc;

	rc = xb_opts_parse(&o, &spec, argc, argv);
	if (rc)
		return rc;
	if (o.nargs) {
		xb_err("%s takes no arguments ('%s'; see daxbench %s --help)", cmd,
		       argv[o.first_arg], cmd);
		return -EINVAL;
	}
	*json = o.json;
	return 0;
}

int xb_cmd_list_backends(int argc, char **argv)
{
	bool json;
	int rc = parse_opts(&json, "list-backends", usage_backends, argc, argv);

	if (rc)
		return xb_opts_exit(rc);
	rc = xb_backends_print(stdout, xb_backends, json);
	if (rc)
		xb_error_print(rc);
	return rc ? XB_EXIT_ERROR : XB_EXIT_OK;
}

int xb_cmd_list_benches(int argc, char **argv)
{
	bool json;
	int rc = parse_opts(&json, "list-benches", usage_benches, argc, argv);

	if (rc)
		return xb_opts_exit(rc);
	rc = xb_benches_print(stdout, xb_benches, json);
	if (rc)
		xb_error_print(rc);
	return rc ? XB_EXIT_ERROR : XB_EXIT_OK;
}
