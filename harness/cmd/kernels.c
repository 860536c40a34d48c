// SPDX-License-Identifier: GPL-2.0
/* daxbench kernels: which Debian kernels can be named with --kernel. */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "common.h"
#include "error.h"
#include "kernel.h"
#include "options.h"
#include "json.h"
#include "text.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench kernels [--json] [--cache-dir DIR]\n"
"\n"
"List the Debian kernel packages apt offers for --kernel (amd64 flavours,\n"
"newest first), with the release to name them by and whether they are\n"
"already unpacked in the cache (a run of a cached kernel downloads nothing).\n"
"The default kernel of `daxbench run` is marked with '*'.\n"
"\n"
"Exit status: 0 ok, 1 error (apt not usable), 2 usage.\n");
}

/* "linux-image-6.1.0-54-amd64-unsigned" -> "6.1.0-54-amd64" */
static char *release_of(const char *pkg)
{
	const char *p = pkg + strlen("linux-image-");
	const char *end = strstr(p, "-unsigned");

	return end ? xb_strndup(p, (size_t)(end - p)) : xb_strdup(p);
}

static int parse_one(void *ctx, int key, const char *arg)
{
	(void)key;   /* only --cache-dir */
	*(const char **)ctx = arg;
	return 0;
}

int xb_cmd_kernels(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cache-dir", required_argument, NULL, 'c' },
		{ 0 },
	};
	struct xb_kvlist avail = { 0 };
	const char *cache_opt = NULL, **names = NULL, *def;
	const struct xb_opts_spec spec = { .shared = XB_OPT_JSON, .longopts = longopts,
		.parse = parse_one, .ctx = &cache_opt, .usage = usage, .name = "kernels" };
	char *cache;
	struct xb_opts o;
	bool json;
	struct xb_json j = { 0 };
	struct xb_table t = { .ncols = 5, .align = "lllll" };
	int rc;

	rc = xb_opts_parse(&o, &spec, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	json = o.json;
	rc = xb_kernel_available(&avail);
	if (rc) {
		xb_error_print(rc);
		return XB_EXIT_ERROR;
	}
	cache = xb_cache_dir(cache_opt);
	names = xb_malloc((avail.n + 1) * sizeof(char *));
	for (size_t i = 0; i < avail.n; i++)
		names[i] = avail.v[i].key;
	def = xb_kernel_pick_default(names, avail.n);
	if (json) {
		xb_json_obj_open(&j);
		xb_json_key(&j, "schema_version");
		xb_json_int(&j, XB_JSON_SCHEMA_VERSION);
		xb_json_key(&j, "kernels");
		xb_json_arr_open(&j);
	} else {
		const char *head[] = { "", "RELEASE", "PACKAGE", "VERSION", "CACHED" };

		for (size_t k = 0; k < XB_ARRAY_SIZE(head); k++)
			xb_table_add(&t, head[k]);
	}
	for (size_t i = 0; i < avail.n; i++) {
		char *rel = release_of(avail.v[i].key);
		char *dir = xb_asprintf("%s/kernels/%s/%s/root", cache, avail.v[i].key,
					avail.v[i].value);
		bool cached = xb_path_exists(dir), is_def = def == avail.v[i].key;

		if (json) {
			xb_json_obj_open(&j);
			xb_json_key(&j, "release"); xb_json_str(&j, rel);
			xb_json_key(&j, "package"); xb_json_str(&j, avail.v[i].key);
			xb_json_key(&j, "version"); xb_json_str(&j, avail.v[i].value);
			xb_json_key(&j, "cached"); xb_json_bool(&j, cached);
			xb_json_key(&j, "default"); xb_json_bool(&j, is_def);
			xb_json_obj_close(&j);
		} else {
			xb_table_add(&t, is_def ? "*" : "");
			xb_table_add(&t, rel);
			xb_table_add(&t, avail.v[i].key);
			xb_table_add(&t, avail.v[i].value);
			xb_table_add(&t, cached ? "yes" : "no");
		}
		free(rel);
		free(dir);
	}
	if (json) {
		xb_json_arr_close(&j);
		xb_json_obj_close(&j);
		xb_json_print(&j, stdout);
	} else {
		xb_table_print(&t, stdout, "");
		xb_table_free(&t);
	}
	free(names);
	free(cache);
	xb_kv_free(&avail);
	return XB_EXIT_OK;
}
