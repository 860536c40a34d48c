// SPDX-License-Identifier: GPL-2.0
/*
 * Adding a backend or a benchmark is one file and one table entry: a toy
 * backend and a toy benchmark, defined here and nowhere in the product,
 * are found by the table lookups, listed from their descriptions, and go
 * through the generic capability check (lib/caps.h, the guest targets'
 * needs) and parameter check - without a line of product code changed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "backends.h"
#include "bench.h"
#include "error.h"
#include "caps.h"
#include "guest-setup.h"
#include "plugin-list.h"
#include "util.h"

/* --- the toy backend: what harness/backends/toy-ram.c would hold --- */

static const char *const toy_backend_params[] = { "memory", NULL };

static int toy_configure(struct xb_backend_cfg *g, const struct xb_kvlist *params)
{
	(void)params;
	g->mem_mb = 256;
	return 0;
}

/* Page cache and anonymous memory, but no DAX: a plain RAM disk. */
static const struct xb_backend_ops toy_backend = {
	.name = "toy-ram",
	.description = "a toy RAM disk without DAX, defined only in test-plugins.c",
	.caps = XB_CAP_FS_PAGECACHE | XB_CAP_ANON | XB_CAP_WRITABLE,
	.params = toy_backend_params,
	.configure = toy_configure,
};

/* --- the toy benchmark: what bench/bench-toy.c would hold --- */

static const char *const toy_bench_params[] = { "reps", NULL };

static int toy_run(const struct xb_target *t, const struct xb_kvlist *params,
		   struct xb_sink *sink)
{
	static const double v[] = { 1, 2, 3 };
	long long reps;
	int rc;

	rc = xb_bench_param_int(&reps, params, "reps", 1, 1, 10, sink, "toy");
	if (!rc)
		rc = sink->metric(sink, "toy.count", "1", "none", "a toy metric");
	for (int r = 0; r < reps && !rc; r++)
		rc = sink->samples(sink, "toy.count", r, v, 3);
	(void)t;
	return rc;
}

static const struct xb_bench_ops toy_bench = {
	.name = "toy",
	.description = "a toy benchmark on DAX and anonymous memory, defined only in "
		       "test-plugins.c",
	.targets = XB_TARGET_DAX | XB_TARGET_ANON,
	.params = toy_bench_params,
	.run = toy_run,
};

/* --- the one table entry each --- */

static const struct xb_backend_ops *const backends[] = {
	&xb_backend_axonram_emu,
	&toy_backend,
	NULL,
};

static const struct xb_bench_ops *const benches[] = {
	&xb_bench_fault,
	&toy_bench,
	NULL,
};

static char *output_of(int (*print)(FILE *f, const void *table, bool json), const void *table,
		       bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(print(f, table, json), 0);
	fclose(f);
	return text;
}

static int print_backends(FILE *f, const void *table, bool json)
{
	return xb_backends_print(f, table, json);
}

static int print_benches(FILE *f, const void *table, bool json)
{
	return xb_benches_print(f, table, json);
}

static void test_plugins__found_in_their_table(void **state)
{
	(void)state;
	assert_ptr_equal(xb_backend_find_in(backends, "toy-ram"), &toy_backend);
	assert_ptr_equal(xb_backend_find_in(backends, "axonram-emu"), &xb_backend_axonram_emu);
	assert_null(xb_backend_find_in(backends, "native"));
	assert_ptr_equal(xb_bench_find_in(benches, "toy"), &toy_bench);
	assert_null(xb_bench_find_in(benches, "timer"));
	/* the product's tables know nothing of them */
	assert_null(xb_backend_find("toy-ram"));
	assert_null(xb_bench_find("toy"));
	assert_ptr_equal(xb_backend_find("axonram-emu"), &xb_backend_axonram_emu);
}

static void test_plugins__listed_from_their_descriptions(void **state)
{
	char *text = NULL, *json;
	size_t len = 0;
	FILE *f;

	(void)state;
	text = output_of(print_backends, backends, false);
	assert_non_null(strstr(text, "toy-ram"));
	assert_non_null(strstr(text, "a toy RAM disk without DAX"));
	assert_non_null(strstr(text, "offers: fs_pagecache,anon,writable"));
	assert_non_null(strstr(text, "params: memory"));
	assert_non_null(strstr(text, "axonram-emu"));
	free(text);

	json = output_of(print_backends, backends, true);
	assert_non_null(strstr(json, "\"schema_version\""));
	assert_non_null(strstr(json, "\"name\":\"toy-ram\""));
	assert_non_null(strstr(json, "\"capabilities\":[\"fs_pagecache\",\"anon\",\"writable\"]"));
	free(json);

	text = output_of(print_benches, benches, false);
	assert_non_null(strstr(text, "toy"));
	assert_non_null(strstr(text, "runs on: dax (needs fs_dax,writable), anon (needs anon)"));
	assert_non_null(strstr(text, "params: reps"));
	free(text);

	json = output_of(print_benches, benches, true);
	assert_non_null(strstr(json, "\"name\":\"toy\""));
	assert_non_null(strstr(json, "{\"mode\":\"anon\",\"needs\":[\"anon\"]}"));
	free(json);

	/* the --help lists: name and description, nothing by hand */
	f = open_memstream(&text, &len);
	xb_backends_help(f, backends);
	xb_benches_help(f, benches);
	fclose(f);
	assert_non_null(strstr(text, "  toy-ram      a toy RAM disk without DAX"));
	assert_non_null(strstr(text, "  toy    a toy benchmark on DAX and anonymous memory"));
	free(text);
}

/* What the guest program does per target: run where the backend offers
 * what the target needs, else skip naming the missing capabilities. */
static void test_plugins__capability_check_skips_dax_on_a_ram_disk(void **state)
{
	unsigned ran = 0, skipped = 0;
	char *missing_names = NULL;

	(void)state;
	for (size_t i = 0; xb_guest_targets[i]; i++) {
		const struct xb_guest_target *t = xb_guest_targets[i];
		unsigned missing;

		if (!(toy_bench.targets & t->kind))
			continue;
		missing = xb_guest_missing_caps(t, toy_backend.caps);
		if (missing) {
			skipped |= t->kind;
			missing_names = xb_caps_format(missing);
		} else {
			ran |= t->kind;
		}
	}
	assert_int_equal(ran, XB_TARGET_ANON);
	assert_int_equal(skipped, XB_TARGET_DAX);
	assert_string_equal(missing_names, "fs_dax");
	free(missing_names);
	/* on a DAX backend both run */
	for (size_t i = 0; xb_guest_targets[i]; i++)
		if (toy_bench.targets & xb_guest_targets[i]->kind)
			assert_int_equal(xb_guest_missing_caps(xb_guest_targets[i],
							       xb_backend_axonram_emu.caps), 0);
}

struct count_sink {
	struct xb_sink sink;
	size_t samples;
};

static int count_metric(struct xb_sink *s, const char *name, const char *unit,
			const char *direction, const char *description)
{
	(void)s; (void)name; (void)unit; (void)direction; (void)description;
	return 0;
}

static int count_samples(struct xb_sink *s, const char *metric, int rep, const double *v,
			 size_t n)
{
	(void)metric; (void)rep; (void)v;
	((struct count_sink *)s->priv)->samples += n;
	return 0;
}

static int count_note(struct xb_sink *s, const char *kind, const char *subject,
		      const char *text)
{
	(void)s; (void)kind; (void)subject; (void)text;
	return 0;
}

static void test_plugins__checked_and_run_through_their_ops(void **state)
{
	struct xb_kvlist params = { 0 }, bad = { 0 };
	struct count_sink cs = { .sink = { .metric = count_metric, .samples = count_samples,
					   .note = count_note } };
	struct xb_target t = { .kind = XB_TARGET_ANON, .mode = "anon" };
	struct xb_backend_cfg g = { 0 };

	(void)state;
	cs.sink.priv = &cs;
	xb_kv_set(&params, "reps", "2");
	assert_int_equal(xb_bench_check(&toy_bench, &params), 0);
	xb_kv_set(&bad, "rep", "2");
	assert_int_equal(xb_bench_check(&toy_bench, &bad), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "rep"));
	assert_int_equal(toy_bench.run(&t, &params, &cs.sink), 0);
	assert_int_equal(cs.samples, 6);

	assert_int_equal(xb_backend_check_params(&toy_backend, &params), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "toy-ram has no parameter 'reps'"));
	assert_int_equal(toy_backend.configure(&g, &params), 0);
	assert_int_equal(g.mem_mb, 256);
	xb_backend_cfg_free(&g);
	xb_kv_free(&params);
	xb_kv_free(&bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plugins__found_in_their_table),
		cmocka_unit_test(test_plugins__listed_from_their_descriptions),
		cmocka_unit_test(test_plugins__capability_check_skips_dax_on_a_ram_disk),
		cmocka_unit_test(test_plugins__checked_and_run_through_their_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
