// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the faultpath benchmark and its tracefs attribution: event
 * discovery on fake tracefs trees, trace text parsing, and the benchmark
 * run for real on anonymous memory and a page-cache file. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench.h"
#include "fault-util.h"
#include "tracefs.h"

/* ---- helpers ------------------------------------------------------- */

static void put(const char *dir, const char *rel, const char *text)
{
	char *path = xb_asprintf("%s/%s", dir, rel);
	char *slash = strrchr(path, '/');
	FILE *f;

	*slash = 0;
	assert_int_equal(xb_mkdir_p(path, 0755), 0);
	*slash = '/';
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static char *get(const char *dir, const char *rel)
{
	char *path = xb_asprintf("%s/%s", dir, rel), *text = NULL;

	assert_int_equal(xb_read_file(&text, NULL, path), 0);
	free(path);
	return text;
}

/* A fake tracefs: two fs_dax events, the system's own enable and filter
 * files, a directory that is no event, and another system. */
static void fake_tracefs(const char *root)
{
	put(root, "events/fs_dax/enable", "0\n");
	put(root, "events/fs_dax/filter", "none\n");
	put(root, "events/fs_dax/dax_pte_fault_done/enable", "0\n");
	put(root, "events/fs_dax/dax_pmd_fault_done/enable", "0\n");
	put(root, "events/fs_dax/dax_load_hole/enable", "0\n");
	put(root, "events/fs_dax/not_an_event/format", "x\n");
	put(root, "events/sched/sched_switch/enable", "0\n");
	put(root, "trace", "# tracer: nop\n");
	put(root, "buffer_size_kb", "1408\n");
}

struct capture {
	struct xb_kvlist metrics;
	struct xb_kvlist notes;         /* kind -> every "subject: text", one a line */
	struct xb_kvlist facts;
	struct xb_kvlist counts;        /* metric -> samples so far */
	struct xb_kvlist first;         /* metric -> first sample */
};

static int cap_metric(struct xb_sink *s, const char *name, const char *unit,
		      const char *direction, const char *description)
{
	struct capture *c = s->priv;

	assert_non_null(description);
	xb_kv_setf(&c->metrics, name, "%s %s", unit, direction);
	return 0;
}

static int cap_samples(struct xb_sink *s, const char *metric, int rep,
		       const double *v, size_t n)
{
	struct capture *c = s->priv;
	const char *had = xb_kv_get(&c->counts, metric);

	if (!xb_kv_get(&c->metrics, metric) || !n)
		return -EINVAL;
	xb_kv_setf(&c->counts, metric, "%zu", (had ? strtoul(had, NULL, 10) : 0) + n);
	if (!xb_kv_get(&c->first, metric))
		xb_kv_setf(&c->first, metric, "%.17g", v[0]);
	return 0;
}

static int cap_fact(struct xb_sink *s, const char *key, const char *value)
{
	struct capture *c = s->priv;

	xb_kv_set(&c->facts, key, value);
	return 0;
}

static int cap_note(struct xb_sink *s, const char *kind, const char *subject, const char *text)
{
	struct capture *c = s->priv;
	const char *had = xb_kv_get(&c->notes, kind);

	xb_kv_setf(&c->notes, kind, "%s%s%s: %s", had ? had : "", had ? "\n" : "", subject,
		   text);
	return 0;
}

static size_t count(const struct capture *c, const char *metric)
{
	const char *n = xb_kv_get(&c->counts, metric);

	return n ? strtoul(n, NULL, 10) : 0;
}

static double first(const struct capture *c, const char *metric)
{
	const char *v = xb_kv_get(&c->first, metric);

	assert_non_null(v);
	return strtod(v, NULL);
}

static void cap_free(struct capture *c)
{
	xb_kv_free(&c->metrics);
	xb_kv_free(&c->notes);
	xb_kv_free(&c->facts);
	xb_kv_free(&c->counts);
	xb_kv_free(&c->first);
}

static int run_fp(struct capture *c, const struct xb_target *t, const char *size,
		  const char *paths)
{
	struct xb_sink sink = { c, cap_metric, cap_samples, cap_fact, cap_note };
	struct xb_kvlist params = { 0 };
	int rc;

	memset(c, 0, sizeof(*c));
	if (size)
		xb_kv_set(&params, "file_size", size);
	if (paths)
		xb_kv_set(&params, "paths", paths);
	xb_kv_set(&params, "reps", "2");
	rc = xb_bench_find("faultpath")->run(t, &params, &sink);
	xb_kv_free(&params);
	return rc;
}

/* ---- tracefs ------------------------------------------------------- */

static void test_faultpath__tracefs_root(void **state)
{
	char dir[] = "/tmp/test-faultpath.XXXXXX";
	char *a, *b, *root = NULL;

	assert_non_null(mkdtemp(dir));
	a = xb_asprintf("%s/a", dir);
	b = xb_asprintf("%s/b", dir);
	{
		const char *const cands[] = { a, b, NULL };

		assert_int_equal(xb_tracefs_root(&root, cands), -ENOENT);
		put(b, "events/enable", "0\n");
		assert_int_equal(xb_tracefs_root(&root, cands), 0);
		assert_string_equal(root, b);
	}
	free(root);
	free(a);
	free(b);
	assert_int_equal(xb_rm_rf(dir), 0);
}

static void test_faultpath__discover(void **state)
{
	char dir[] = "/tmp/test-faultpath.XXXXXX";
	struct xb_trace_events e;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(xb_tracefs_discover(&e, dir, "fs_dax"), -ENOENT);
	assert_int_equal(e.n, 0);
	fake_tracefs(dir);
	assert_int_equal(xb_tracefs_discover(&e, dir, "fs_dax"), 0);
	assert_int_equal(e.n, 3);
	assert_string_equal(e.names[0], "dax_load_hole");
	assert_string_equal(e.names[1], "dax_pmd_fault_done");
	assert_string_equal(e.names[2], "dax_pte_fault_done");
	xb_trace_events_free(&e);
	assert_int_equal(xb_tracefs_discover(&e, dir, "nosuch"), -ENOENT);
	assert_int_equal(xb_rm_rf(dir), 0);
}

static void test_faultpath__enable_reset_read(void **state)
{
	char dir[] = "/tmp/test-faultpath.XXXXXX";
	char *text;

	assert_non_null(mkdtemp(dir));
	fake_tracefs(dir);
	assert_int_equal(xb_tracefs_enable(dir, "fs_dax", true), 0);
	text = get(dir, "events/fs_dax/enable");
	assert_string_equal(text, "1");
	free(text);
	assert_int_equal(xb_tracefs_enable(dir, "fs_dax", false), 0);
	text = get(dir, "events/fs_dax/enable");
	assert_string_equal(text, "0");
	free(text);
	assert_int_equal(xb_tracefs_reset(dir, 16384), 0);
	text = get(dir, "trace");
	assert_string_equal(text, "");
	free(text);
	text = get(dir, "buffer_size_kb");
	assert_string_equal(text, "16384");
	free(text);
	assert_int_equal(xb_tracefs_enable(dir, "nosuch", true), -ENOENT);
	assert_int_equal(xb_rm_rf(dir), 0);
	assert_int_equal(xb_tracefs_read(&text, dir), -ENOENT);
}

/* Lines in the format of a 6.1 kernel's trace file (TP_printk of
 * include/trace/events/fs_dax.h), with a task name holding a space and a
 * colon, and a ring buffer overrun. */
static const char trace_text[] =
	"# tracer: nop\n"
	"#\n"
	"# entries-in-buffer/entries-written: 5/5   #P:1\n"
	"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
	"#              | |         |   |||||     |         |\n"
	"  daxbench-guest-1       [000] .....    12.345678: dax_pte_fault: dev 259:0 ino 0xc "
	"shared WRITE|KILLABLE|USER address 0x7f0000001000 pgoff 0x1\n"
	"  daxbench-guest-1       [000] .....    12.345690: dax_pte_fault_done: dev 259:0 "
	"ino 0xc shared WRITE|KILLABLE|USER address 0x7f0000001000 pgoff 0x1 MAJOR|NOPAGE\n"
	"  my task: x-77          [000] .....    12.345700: dax_pte_fault_done: dev 259:0 "
	"ino 0xc private READ address 0x7f0000002000 pgoff 0x2 NOPAGE\n"
	"CPU:0 [LOST 12 EVENTS]\n"
	"  daxbench-guest-1       [000] .....    13.000000: dax_pmd_fault_done: dev 259:0 "
	"ino 0xd shared READ address 0x7f0000200000 vm_start 0x7f0000200000 vm_end "
	"0x7f0001200000 pgoff 0x0 max_pgoff 0xfff FALLBACK\n"
	"  daxbench-guest-1       [000] .....    13.000100: dax_pmd_load_hole_fallback: dev "
	"259:0 ino 0xd shared address 0x7f0000200000 zero_folio 0 radix_entry 0x0\n"
	"  daxbench-guest-1       [000] .....    13.000200: dax_writeback_range_done: dev "
	"259:0 ino 0xd pgoff 0x1000-0x100\n"
	"garbage without the fields\n";

static void test_faultpath__parse(void **state)
{
	struct xb_trace_counts c;

	xb_trace_parse(&c, trace_text);
	assert_int_equal(xb_trace_get(&c, "dax_pte_fault"), 1);
	assert_int_equal(xb_trace_get(&c, "dax_pte_fault_done"), 2);
	assert_int_equal(xb_trace_get(&c, "dax_pte_fault_done.MAJOR_NOPAGE"), 1);
	assert_int_equal(xb_trace_get(&c, "dax_pte_fault_done.NOPAGE"), 1);
	assert_int_equal(xb_trace_get(&c, "dax_pmd_fault_done"), 1);
	assert_int_equal(xb_trace_get(&c, "dax_pmd_fault_done.FALLBACK"), 1);
	assert_int_equal(xb_trace_get(&c, "dax_pmd_load_hole_fallback"), 1);
	/* Its last field is a number, no result. */
	assert_int_equal(xb_trace_get(&c, "dax_pmd_load_hole_fallback.0x0"), 0);
	assert_int_equal(xb_trace_get(&c, "dax_writeback_range_done"), 1);
	assert_int_equal(xb_trace_get(&c, "lost"), 12);
	assert_int_equal(xb_trace_get(&c, "dax_pte_fault.NOPAGE"), 0);
	assert_int_equal(xb_trace_get(&c, "garbage"), 0);
	assert_int_equal(c.n, 9);
	assert_int_equal(xb_trace_get(&c, "dax_writeback_range_done.0x1000_0x100"), 0);
	xb_trace_counts_free(&c);
	xb_trace_parse(&c, "");
	assert_int_equal(c.n, 0);
	xb_trace_counts_free(&c);
}

/* ---- the benchmark ------------------------------------------------- */

static const char *const suffixes[] = {
	"ns", "per_page_ns", "pages_per_fault", "minflt", "majflt", "mapped_ahead",
	"below_res", "tput_ns", "tput_vs_median_pct", "tput_batch_ns", "tput_vs_mean_pct",
	"tput_vs_batch_pct", "pagemap_between", "tput_same_pass", "tput_vs_timed_pct",
};

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#else
#define UNDER_VALGRIND() 0
#endif

/*
 * faults_per_rep: the exact fault samples a repetition must give (0: not
 * checked). Under valgrind, which maps file pages its own way, a file
 * target only has to give some.
 */
static void check_path(const struct capture *c, const char *mode, const char *path,
		       size_t faults_per_rep)
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(suffixes); i++) {
		char *name = xb_asprintf("fault.%s.%s.%s", mode, path, suffixes[i]);

		assert_non_null(xb_kv_get(&c->metrics, name));
		if (!strcmp(suffixes[i], "ns") && faults_per_rep && UNDER_VALGRIND() &&
		    strcmp(mode, "anon"))
			assert_true(count(c, name) > 0);
		else if (!strcmp(suffixes[i], "ns") && faults_per_rep)
			assert_int_equal(count(c, name), 2 * faults_per_rep);
		else if (strcmp(suffixes[i], "ns"))
			assert_int_equal(count(c, name), 2);
		free(name);
	}
}

static void test_faultpath__anon(void **state)
{
	const struct xb_target t = { XB_TARGET_ANON, "anon", NULL };
	const size_t pages = (4u << 20) / 4096;
	const char *maps;
	struct capture c;

	assert_int_equal(run_fp(&c, &t, "4M", "read.pte,mkwrite.pte,hole.read.pte,read.pmd"),
			 0);
	assert_null(xb_kv_get(&c.notes, "error"));
	check_path(&c, "anon", "read.pte", pages);
	/* What this kernel maps on a read of untouched anonymous memory is
	 * recorded, and decides what mkwrite can measure. */
	maps = xb_kv_get(&c.facts, "fault.anon.read_maps");
	assert_non_null(maps);
	if (!strcmp(maps, "zero-page")) {
		/* mkwrite: every page read-mapped first, then each write faults */
		check_path(&c, "anon", "mkwrite.pte", pages);
		assert_true(first(&c, "fault.anon.mkwrite.pte.minflt") >= (double)pages);
	} else {
		/* no zero page (e.g. a host booted with pvm_no_zero_page=1): the
		 * reads mapped writable private pages, the writes cannot fault;
		 * said, and nothing stored for mkwrite */
		assert_string_equal(maps, "private-page");
		assert_non_null(strstr(xb_kv_get(&c.notes, "warning"),
				       "does not map the shared zero page"));
		assert_non_null(strstr(xb_kv_get(&c.notes, "skip"),
				       "mkwrite.pte: the read touches mapped private-page"));
		assert_int_equal(count(&c, "fault.anon.mkwrite.pte.ns"), 0);
	}
	/* a hole has no meaning for anonymous memory: not run */
	assert_null(xb_kv_get(&c.metrics, "fault.anon.hole.read.pte.ns"));
	/* read.pmd: THP may or may not be on here; either way the samples
	 * are split, never mixed, and every page is a fault or mapped ahead */
	assert_non_null(xb_kv_get(&c.metrics, "fault.anon.read.pmd.pte_fallback_ns"));
	assert_true(count(&c, "fault.anon.read.pmd.ns") +
		    count(&c, "fault.anon.read.pmd.pte_fallback_ns") >= 2 * 2);
	cap_free(&c);
}

/* The pagemap census on memory whose state is known whatever the kernel:
 * written private pages are present and exclusive, untouched ones absent;
 * and the classification of counts. */
static void test_faultpath__anon_census(void **state)
{
	const size_t n = 64;
	size_t present = 1, exclusive = 1;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	assert_true(fd >= 0);
	assert_true(p != MAP_FAILED);
	madvise(p, n * 4096, MADV_NOHUGEPAGE);
	assert_int_equal(xb_pagemap_census(&present, &exclusive, fd, p, n), 0);
	assert_int_equal(present, 0);
	assert_int_equal(exclusive, 0);
	for (size_t i = 0; i < n / 2; i++)
		p[i * 4096] = 1;
	assert_int_equal(xb_pagemap_census(&present, &exclusive, fd, p, n), 0);
	assert_int_equal(present, n / 2);
	assert_int_equal(exclusive, n / 2);
	munmap(p, n * 4096);
	close(fd);

	assert_int_equal(xb_anon_read_kind(0, 0), XB_ANON_READ_UNMAPPED);
	assert_int_equal(xb_anon_read_kind(64, 0), XB_ANON_READ_ZERO);
	assert_int_equal(xb_anon_read_kind(64, 64), XB_ANON_READ_PRIVATE);
	assert_int_equal(xb_anon_read_kind(64, 3), XB_ANON_READ_MIXED);
	assert_string_equal(xb_anon_read_name(XB_ANON_READ_ZERO), "zero-page");
	assert_string_equal(xb_anon_read_name(XB_ANON_READ_PRIVATE), "private-page");
}

static void test_faultpath__file(void **state)
{
	char dir[] = "/tmp/test-faultpath.XXXXXX";
	const struct xb_target t = { XB_TARGET_PAGECACHE, "pagecache", dir };
	const size_t pages = (2u << 20) / 4096;
	struct capture c;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(run_fp(&c, &t, "2M", "private.write.pte,refault.read.pte,"
				"hole.write.pte,sync.write.pte"), 0);
	assert_null(xb_kv_get(&c.notes, "error"));
	/* copy on write: no fault-around, one fault per page */
	check_path(&c, "pagecache", "private.write.pte", pages);
	check_path(&c, "pagecache", "refault.read.pte", 0);
	check_path(&c, "pagecache", "hole.write.pte", pages);
	/* MAP_SYNC is a DAX path only */
	assert_null(xb_kv_get(&c.metrics, "fault.pagecache.sync.write.pte.ns"));
	/* a copy-on-write fault per page: no pagemap read between touches;
	 * a cached read maps 16 pages a fault: pagemap tells them apart */
	assert_true(first(&c, "fault.pagecache.private.write.pte.pagemap_between") == 0);
	assert_true(first(&c, "fault.pagecache.private.write.pte.tput_same_pass") == 1);
	if (!UNDER_VALGRIND()) {
		assert_true(first(&c, "fault.pagecache.refault.read.pte.pagemap_between") == 1);
		assert_true(first(&c, "fault.pagecache.refault.read.pte.tput_same_pass") == 0);
	}
	/* no tracing off the DAX target; no perf stat outside daxbench-guest,
	 * which alone can run itself as perf's child: said, not zero */
	assert_non_null(xb_kv_get(&c.notes, "skip"));
	assert_non_null(strstr(xb_kv_get(&c.notes, "skip"), "perf unavailable"));
	assert_null(xb_kv_get(&c.metrics, "fault.pagecache.private.write.pte.perf.page-faults"));
	cap_free(&c);
	assert_int_equal(rmdir(dir), 0);
}

static void test_faultpath__bad_params(void **state)
{
	const struct xb_target t = { XB_TARGET_ANON, "anon", NULL };
	static const struct {
		const char *size, *paths, *says;
	} bad[] = {
		{ "0", "read.pte", "non-zero" },
		{ "4097", "read.pte", "multiple of 4096" },
		{ "abc", "read.pte", "not a size" },
		{ "4M", "read.pte,exec", "exec" },
		{ "4M", "", "empty" },
		{ "1M", "read.pmd", "2 MiB" },
		{ "5M", "write.pmd_misaligned", "2 MiB" },
		{ "2T", "read.pte", "up to 1T" },
	};
	struct capture c;

	for (size_t i = 0; i < XB_ARRAY_SIZE(bad); i++) {
		assert_int_equal(run_fp(&c, &t, bad[i].size, bad[i].paths), -EINVAL);
		assert_non_null(xb_kv_get(&c.notes, "error"));
		assert_non_null(strstr(xb_kv_get(&c.notes, "error"), bad[i].says));
		assert_int_equal(c.counts.n, 0);
		cap_free(&c);
	}
}

static void test_faultpath__no_space(void **state)
{
	char dir[] = "/tmp/test-faultpath.XXXXXX";
	const struct xb_target t = { XB_TARGET_DAX, "dax", dir };
	struct capture c;

	struct statvfs sv;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(statvfs(dir, &sv), 0);
	if ((unsigned long long)sv.f_bavail * sv.f_frsize < (1ull << 40)) {
		assert_int_equal(run_fp(&c, &t, "1T", "read.pte"), -ENOSPC);
		assert_non_null(strstr(xb_kv_get(&c.notes, "error"), "free"));
		cap_free(&c);
	}
	assert_int_equal(rmdir(dir), 0);
}

static void test_faultpath__scale(void **state)
{
	const struct xb_target t = { XB_TARGET_ANON, "anon", NULL };
	struct xb_sink sink;
	struct xb_kvlist params = { 0 };
	struct capture c;

	memset(&c, 0, sizeof(c));
	sink = (struct xb_sink) { &c, cap_metric, cap_samples, cap_fact, cap_note };
	xb_kv_set(&params, "file_size", "1M");
	xb_kv_set(&params, "reps", "1");
	xb_kv_set(&params, "threads", "2");
	assert_int_equal(xb_bench_find("faultscale")->run(&t, &params, &sink), 0);
	/* one sample per thread, each a positive rate */
	assert_int_equal(count(&c, "fault.anon.scale.read.t1.faults_per_s"), 1);
	assert_int_equal(count(&c, "fault.anon.scale.read.t2.faults_per_s"), 2);
	assert_true(first(&c, "fault.anon.scale.read.t2.faults_per_s") > 0);
	cap_free(&c);
	memset(&c, 0, sizeof(c));
	xb_kv_set(&params, "threads", "0");
	assert_int_equal(xb_bench_find("faultscale")->run(&t, &params, &sink), -EINVAL);
	assert_non_null(strstr(xb_kv_get(&c.notes, "error"), "threads"));
	cap_free(&c);
	xb_kv_free(&params);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faultpath__tracefs_root),
		cmocka_unit_test(test_faultpath__discover),
		cmocka_unit_test(test_faultpath__enable_reset_read),
		cmocka_unit_test(test_faultpath__parse),
		cmocka_unit_test(test_faultpath__anon),
		cmocka_unit_test(test_faultpath__anon_census),
		cmocka_unit_test(test_faultpath__file),
		cmocka_unit_test(test_faultpath__bad_params),
		cmocka_unit_test(test_faultpath__no_space),
		cmocka_unit_test(test_faultpath__scale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
