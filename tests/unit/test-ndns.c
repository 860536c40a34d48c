// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of bench/ndns.c: the memory figures parsed from hand-written
 * /proc files, and the namespace handling against a fake /sys/bus/nd in a
 * temporary directory laid out as the kernel lays out a legacy e820 region
 * (devices/ holds symlinks into .../ndbus0/region0/). The fake has no driver:
 * the tests check what was written where, and what is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "error.h"
#include "guest-setup.h"
#include "ndns.h"
#include "fake-files.h"

static char root[64];

static char *at(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *at(const char *fmt, ...)
{
	char *p;
	va_list ap;

	va_start(ap, fmt);
	p = fake_vpath(root, fmt, ap);
	va_end(ap);
	return p;
}

/* The fake's files are not truncated by a write, as sysfs ignores what
 * follows: compare the trimmed first line. */
static void assert_file(const char *path, const char *want)
{
	char *text = get(path);

	assert_string_equal(xb_trim(text), want);
	free(text);
}

/* An nd device under region0 and its devices/ link. */
static void nd_dev(const char *name, const char *ns, const char *mode)
{
	char *target = xb_asprintf("../../plat/ndbus0/region0/%s", name);

	assert_int_equal(mkdir(at("plat/ndbus0/region0/%s", name), 0755), 0);
	assert_int_equal(symlink(target, at("nd/devices/%s", name)), 0);
	free(target);
	put(at("plat/ndbus0/region0/%s/namespace", name), ns);
	put(at("plat/ndbus0/region0/%s/mode", name), mode);
	put(at("plat/ndbus0/region0/%s/uuid", name), "");
	put(at("plat/ndbus0/region0/%s/align", name), "");
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/xb-ndns-XXXXXX");
	assert_non_null(mkdtemp(root));
	const char *dirs[] = { "plat", "plat/ndbus0", "plat/ndbus0/region0",
			       "plat/ndbus0/region0/namespace0.0", "nd", "nd/devices",
			       "nd/drivers", "nd/drivers/nd_pmem", "nd/drivers/dax_pmem", "block",
			       "block/pmem0" };

	for (size_t i = 0; i < XB_ARRAY_SIZE(dirs); i++)
		assert_int_equal(mkdir(at("%s", dirs[i]), 0755), 0);
	put(at("plat/ndbus0/provider"), "e820\n");
	put(at("plat/ndbus0/region0/pfn_seed"), "pfn0.0\n");
	put(at("plat/ndbus0/region0/dax_seed"), "\n");
	put(at("plat/ndbus0/region0/namespace0.0/uevent"),
	    "DEVTYPE=nd_namespace_io\nMODALIAS=nd:t4\n");
	put(at("plat/ndbus0/region0/namespace0.0/resource"), "0x40000000\n");
	put(at("plat/ndbus0/region0/namespace0.0/size"), "536870912\n");
	put(at("plat/ndbus0/region0/namespace0.0/force_raw"), "");
	put(at("nd/drivers/nd_pmem/bind"), "");
	put(at("nd/drivers/nd_pmem/unbind"), "");
	assert_int_equal(symlink("../../plat/ndbus0/region0/namespace0.0",
				 at("nd/devices/namespace0.0")), 0);
	assert_int_equal(symlink("../../plat/ndbus0/region0", at("nd/devices/region0")), 0);
	/* bound: driver -> the nd_pmem driver directory */
	assert_int_equal(symlink("../../../../nd/drivers/nd_pmem",
				 at("plat/ndbus0/region0/namespace0.0/driver")), 0);
	assert_int_equal(symlink("../../plat/ndbus0/region0/namespace0.0",
				 at("block/pmem0/device")), 0);
	nd_dev("pfn0.0", "\n", "none\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return xb_rm_rf(root);
}

struct notes {
	struct xb_sink sink;
	struct xb_buf errors;
};

static int keep(struct xb_sink *s, const char *kind, const char *subject, const char *text)
{
	struct notes *n = s->priv;

	(void)subject;
	if (!strcmp(kind, "error"))
		xb_buf_addf(&n->errors, "%s\n", text);
	return 0;
}

static void notes_init(struct notes *n)
{
	memset(n, 0, sizeof(*n));
	n->sink.priv = n;
	n->sink.note = keep;
}

static char *ns_dir(void)
{
	return at("nd/devices/namespace0.0");
}

static void test_ndns__meminfo_parse(void **state)
{
	const char *mi = "MemTotal:        1498304 kB\nMemFree:         1302100 kB\n"
			 "MemAvailable:    1350000 kB\n";
	const char *zi = "Node 0, zone      DMA\n  pagesets\n    cpu: 0\n              count: 3\n"
			 "              high:  0\nNode 0, zone    DMA32\n  pagesets\n    cpu: 0\n"
			 "              count: 1029\n              high:  1500\n";
	struct xb_meminfo m;

	(void)state;
	assert_int_equal(xb_meminfo_parse(&m, mi, zi, "nr_free_pages 1\nnr_memmap_pages 2048\n"
					  "nr_memmap_boot_pages 9\n"), 0);
	assert_int_equal(m.mem_total_kib, 1498304);
	assert_int_equal(m.mem_free_kib, 1302100);
	assert_int_equal(m.pcp_kib, (3 + 1029) * 4);
	assert_int_equal(m.memmap_kib, 2048 * 4);
	/* before 6.11: no nr_memmap_pages, so no figure (not a zero) */
	assert_int_equal(xb_meminfo_parse(&m, mi, zi, "nr_free_pages 1\n"), 0);
	assert_int_equal(m.memmap_kib, -1);
	assert_int_equal(xb_meminfo_parse(&m, "MemTotal: 5 kB\n", zi, NULL), -EINVAL);
	assert_int_equal(xb_meminfo_parse(&m, mi, "count: x\n", NULL), -EINVAL);
}

static void test_ndns__mode_names(void **state)
{
	enum xb_ndns_mode m;

	(void)state;
	for (int i = 0; i < XB_NDNS_NMODES; i++) {
		assert_int_equal(xb_ndns_mode_find(&m, xb_ndns_mode_name((enum xb_ndns_mode)i)), 0);
		assert_int_equal(m, i);
	}
	assert_int_equal(xb_ndns_mode_find(&m, "fsdax"), -EINVAL);
}

static void test_ndns__of_blockdev(void **state)
{
	struct notes n;
	char *ns = NULL, *block = xb_strdup(at("block")), *sys = xb_strdup(at("nd"));

	(void)state;
	notes_init(&n);
	assert_int_equal(xb_ndns_of_blockdev(&ns, block, sys, "/dev/pmem0", &n.sink), 0);
	assert_string_equal(ns, "namespace0.0");
	free(ns);
	/* a pfn device holds the disk: its namespace attribute names it */
	nd_dev("pfn0.1", "namespace0.0\n", "pmem\n");
	assert_int_equal(unlink(at("block/pmem0/device")), 0);
	assert_int_equal(symlink("../../plat/ndbus0/region0/pfn0.1", at("block/pmem0/device")), 0);
	assert_int_equal(xb_ndns_of_blockdev(&ns, block, sys, "/dev/pmem0", &n.sink), 0);
	assert_string_equal(ns, "namespace0.0");
	free(ns);
	assert_int_equal(xb_ndns_of_blockdev(&ns, block, sys, "/dev/pmem7", &n.sink), -ENOENT);
	assert_non_null(strstr(n.errors.p, "/dev/pmem7: no namespace behind it"));
	xb_buf_free(&n.errors);
	free(block);
	free(sys);
}

static void test_ndns__open(void **state)
{
	struct xb_ndns ns;
	struct notes n;

	(void)state;
	notes_init(&n);
	assert_int_equal(xb_ndns_open(&ns, ns_dir(), &n.sink), 0);
	assert_string_equal(ns.ns, "namespace0.0");
	assert_int_equal(ns.ns_start, 0x40000000);
	assert_int_equal(ns.ns_size, 536870912);
	assert_int_equal(ns.mode, XB_NDNS_RAW);
	assert_null(ns.claim);
	xb_ndns_close(&ns);
	/* claimed by a device-dax (map=mem) device */
	nd_dev("dax0.1", "namespace0.0\n", "ram\n");
	assert_int_equal(xb_ndns_open(&ns, ns_dir(), &n.sink), 0);
	assert_string_equal(ns.claim, "dax0.1");
	assert_int_equal(ns.mode, XB_NDNS_DEVDAX_MEM);
	xb_ndns_close(&ns);
	assert_null(n.errors.p);
	assert_int_equal(xb_ndns_open(&ns, "/sys/bus/nd/namespace0.0", &n.sink), -EINVAL);
	assert_non_null(strstr(n.errors.p, "is not a namespace directory"));
	xb_buf_free(&n.errors);
}

/* Nothing but the memmap= region: a label namespace of a real nvdimm, or
 * any bus but e820, is refused before anything is written. */
static void test_ndns__refuses_other_namespaces(void **state)
{
	struct xb_ndns ns;
	struct notes n;

	(void)state;
	notes_init(&n);
	put(at("plat/ndbus0/provider"), "ACPI.NFIT\n");
	assert_int_equal(xb_ndns_open(&ns, ns_dir(), &n.sink), -EPERM);
	assert_non_null(strstr(n.errors.p, "not e820: refusing"));
	xb_buf_free(&n.errors);
	put(at("plat/ndbus0/provider"), "e820\n");
	put(at("plat/ndbus0/region0/namespace0.0/uevent"), "DEVTYPE=nd_namespace_pmem\n");
	assert_int_equal(xb_ndns_open(&ns, ns_dir(), &n.sink), -EPERM);
	assert_non_null(strstr(n.errors.p, "is not a legacy (io) namespace"));
	xb_buf_free(&n.errors);
}

/* libndctl's order: namespace disabled, seed's uuid, mode, align,
 * namespace written, then the seed bound to its driver. */
static void test_ndns__configure_fsdax_dev(void **state)
{
	struct xb_ndns ns;
	struct notes n;
	char *uuid;

	(void)state;
	notes_init(&n);
	assert_int_equal(xb_ndns_open(&ns, ns_dir(), &n.sink), 0);
	assert_int_equal(xb_ndns_configure(&ns, XB_NDNS_FSDAX_DEV, 2u << 20, &n.sink), 0);
	assert_null(n.errors.p);
	assert_file(at("nd/drivers/nd_pmem/unbind"), "namespace0.0");
	assert_file(at("plat/ndbus0/region0/pfn0.0/mode"), "pmem");
	assert_file(at("plat/ndbus0/region0/pfn0.0/align"), "2097152");
	assert_file(at("plat/ndbus0/region0/pfn0.0/namespace"), "namespace0.0");
	uuid = get(at("plat/ndbus0/region0/pfn0.0/uuid"));
	assert_int_equal(strlen(uuid), 36);
	free(uuid);
	assert_file(at("nd/drivers/nd_pmem/bind"), "pfn0.0");
	assert_string_equal(ns.claim, "pfn0.0");
	assert_int_equal(ns.mode, XB_NDNS_FSDAX_DEV);
	xb_ndns_close(&ns);
}

/* A mode whose seed the kernel does not offer (no dax_pmem): -EOPNOTSUPP
 * with the reason, and the namespace bound raw again. */
static void test_ndns__mode_unavailable(void **state)
{
	struct xb_ndns ns;
	struct notes n;

	(void)state;
	notes_init(&n);
	assert_int_equal(xb_ndns_open(&ns, ns_dir(), &n.sink), 0);
	assert_int_equal(xb_ndns_configure(&ns, XB_NDNS_DEVDAX_DEV, 0, &n.sink), -EOPNOTSUPP);
	assert_non_null(strstr(n.errors.p, "region0: no dax_seed (empty)"));
	assert_non_null(strstr(n.errors.p, "do not offer devdax.dev"));
	assert_file(at("nd/drivers/nd_pmem/bind"), "namespace0.0");
	assert_null(ns.claim);
	assert_int_equal(ns.mode, XB_NDNS_RAW);
	xb_ndns_close(&ns);
	xb_buf_free(&n.errors);
}

/* The devdax target reconfigures the namespace: a benchmark runs there only
 * when the suite names it, unless it runs nowhere else (structpages). */
static void test_ndns__devdax_is_opt_in(void **state)
{
	const struct xb_guest_target *devdax = xb_guest_target_find("devdax");
	struct xb_kvlist none = { 0 }, named = { 0 };

	(void)state;
	assert_non_null(devdax);
	xb_kv_set(&named, "modes", "dax,devdax");
	assert_false(xb_guest_bench_wants(&xb_bench_faultpath, devdax, &none));
	assert_false(xb_guest_bench_wants(&xb_bench_fio, devdax, &none));
	assert_true(xb_guest_bench_wants(&xb_bench_faultpath, devdax, &named));
	assert_true(xb_guest_bench_wants(&xb_bench_fio, devdax, &named));
	assert_true(xb_guest_bench_wants(&xb_bench_structpages, devdax, &none));
	assert_false(xb_guest_bench_wants(&xb_bench_structpages, xb_guest_target_find("dax"),
					  &none));
	assert_false(xb_guest_bench_wants(&xb_bench_fault, devdax, &named));
	xb_kv_free(&named);
}

/* structpages' parameters: refused before anything boots. */
static void test_ndns__structpages_params(void **state)
{
	struct xb_kvlist p = { 0 };

	(void)state;
	xb_kv_set(&p, "maps", "raw, fsdax.dev");
	xb_kv_set(&p, "reps", "3");
	assert_int_equal(xb_bench_check(&xb_bench_structpages, &p), 0);
	xb_kv_set(&p, "maps", "fsdax");
	assert_int_equal(xb_bench_check(&xb_bench_structpages, &p), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "unknown 'fsdax'"));
	xb_error_clear();
	xb_kv_set(&p, "maps", "raw");
	xb_kv_set(&p, "reps", "0");
	assert_int_equal(xb_bench_check(&xb_bench_structpages, &p), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "want 1 to 100"));
	xb_error_clear();
	xb_kv_set(&p, "reps", "2");
	xb_kv_set(&p, "modes", "dax");
	assert_int_equal(xb_bench_check(&xb_bench_structpages, &p), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "cannot run on 'dax'"));
	xb_error_clear();
	xb_kv_free(&p);
}

/* fio on device-dax: a size that is not whole 2 MiB pages is refused
 * before the boot, only when the devdax target is named. */
static void test_ndns__fio_devdax_size(void **state)
{
	struct xb_kvlist p = { 0 };

	(void)state;
	xb_kv_set(&p, "file_size", "1M");
	xb_kv_set(&p, "modes", "dax,pagecache");
	assert_int_equal(xb_bench_check(&xb_bench_fio, &p), 0);
	xb_kv_set(&p, "modes", "dax, devdax");
	assert_int_equal(xb_bench_check(&xb_bench_fio, &p), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "whole 2 MiB pages"));
	xb_error_clear();
	xb_kv_set(&p, "file_size", "16M");
	assert_int_equal(xb_bench_check(&xb_bench_fio, &p), 0);
	xb_kv_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ndns__meminfo_parse),
		cmocka_unit_test(test_ndns__mode_names),
		cmocka_unit_test_setup_teardown(test_ndns__of_blockdev, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ndns__open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ndns__refuses_other_namespaces, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ndns__configure_fsdax_dev, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ndns__mode_unavailable, setup, teardown),
		cmocka_unit_test(test_ndns__devdax_is_opt_in),
		cmocka_unit_test(test_ndns__structpages_params),
		cmocka_unit_test(test_ndns__fio_devdax_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
