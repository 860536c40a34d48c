// SPDX-License-Identifier: GPL-2.0
/*
 * The capprobe benchmark run for real on a directory of this machine
 * (whatever filesystem holds the build's temporary directory): every probe
 * reports exactly one outcome, in the documented form, with its metric.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench.h"

struct seen {
	struct xb_kvlist notes;     /* subject -> text */
	struct xb_kvlist metrics;   /* name -> unit */
	int samples;
	int bad_samples;
};

static int metric(struct xb_sink *s, const char *name, const char *unit,
		  const char *direction, const char *description)
{
	struct seen *c = s->priv;

	xb_kv_set(&c->metrics, name, unit);
	return 0;
}

static int samples(struct xb_sink *s, const char *name, int rep, const double *v, size_t n)
{
	struct seen *c = s->priv;

	c->samples++;
	if (!xb_kv_get(&c->metrics, name) || n != 1 || rep || (v[0] != 0 && v[0] != 1))
		c->bad_samples++;
	return 0;
}

static int fact(struct xb_sink *s, const char *k, const char *v)
{
	return 0;
}

static int note(struct xb_sink *s, const char *kind, const char *subject, const char *text)
{
	struct seen *c = s->priv;

	if (!strcmp(kind, "info"))
		xb_kv_set(&c->notes, subject, text);
	else
		print_message("note %s %s: %s\n", kind, subject, text);
	return 0;
}

static bool outcome_ok(const char *t)
{
	return !strcmp(t, "works") || !strcmp(t, "hangs") || !strncmp(t, "fails E", 7) ||
	       !strncmp(t, "crashes SIG", 11);
}

static void test_capprobe__every_probe_reports(void **state)
{
	char dir[] = "/tmp/xb-capprobe-XXXXXX";
	struct seen c = { 0 };
	struct xb_sink sink = { &c, metric, samples, fact, note };
	struct xb_target t = { XB_TARGET_PAGECACHE, "pagecache", dir };
	struct xb_kvlist params = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(xb_bench_capprobe.run(&t, &params, &sink), 0);
	assert_true(c.notes.n >= 10);
	assert_int_equal(c.notes.n, c.metrics.n);
	assert_int_equal(c.samples, (int)c.notes.n);
	assert_int_equal(c.bad_samples, 0);
	for (size_t i = 0; i < c.notes.n; i++) {
		assert_true(!strncmp(c.notes.v[i].key, "capprobe.pagecache.", 19));
		assert_true(outcome_ok(c.notes.v[i].value));
	}
	/* Plain memory operations work on any shared file mapping. */
	assert_string_equal(xb_kv_get(&c.notes, "capprobe.pagecache.fork_shared"), "works");
	assert_string_equal(xb_kv_get(&c.notes, "capprobe.pagecache.mremap"), "works");
	assert_string_equal(xb_kv_get(&c.metrics, "capprobe.pagecache.mremap.works"), "bool");
	/* The probe file is gone afterwards. */
	assert_int_equal(rmdir(dir), 0);
	xb_kv_free(&c.notes);
	xb_kv_free(&c.metrics);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capprobe__every_probe_reports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
