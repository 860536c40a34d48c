// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the radix model (bench/radix): the tree against a
 * reference map under seeded random operations, each translation model
 * against hand-worked examples, and the lookup paths against each other. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench.h"
#include "bench-host.h"
#include "error.h"
#include "radix/model.h"
#include "radix/pattern.h"
#include "radix/radix.h"
#include "radix/xlate.h"

/* ---- the tree ------------------------------------------------------ */

static void test_radix__empty(void **state)
{
	struct xb_radix t;

	xb_radix_init(&t);
	assert_null(xb_radix_load(&t, 0));
	assert_null(xb_radix_load(&t, UINT64_MAX));
	assert_int_equal(xb_radix_delete(&t, 5), -ENOENT);
	xb_radix_destroy(&t);
}

static void test_radix__grow_and_shrink(void **state)
{
	struct xb_radix t;

	xb_radix_init(&t);
	assert_int_equal(xb_radix_store(&t, 0, 7), 0);
	/* index 0 alone sits at the root as a value, no node */
	assert_true(xb_radix_is_value(t.root));
	assert_int_equal(t.nodes, 0);
	assert_int_equal(xb_radix_store(&t, 64, 9), 0);
	/* 64 needs two levels: a root at shift 6 and two leaves */
	assert_int_equal(t.shift, 6);
	assert_int_equal(t.nodes, 3);
	assert_int_equal(xb_radix_to_value(xb_radix_load(&t, 0)), 7);
	assert_int_equal(xb_radix_to_value(xb_radix_load(&t, 64)), 9);
	assert_null(xb_radix_load(&t, 1));
	assert_null(xb_radix_load(&t, 4096));   /* beyond the height */
	assert_int_equal(xb_radix_delete(&t, 64), 0);
	/* back to one value at the root */
	assert_int_equal(t.nodes, 0);
	assert_true(xb_radix_is_value(t.root));
	assert_int_equal(xb_radix_delete(&t, 0), 0);
	assert_null(t.root);
	assert_int_equal(t.entries, 0);
	xb_radix_destroy(&t);
}

static void test_radix__huge_index(void **state)
{
	struct xb_radix t;
	uint64_t big = UINT64_MAX;

	xb_radix_init(&t);
	assert_int_equal(xb_radix_store(&t, big, 1), 0);
	assert_int_equal(xb_radix_store(&t, 3, 2), 0);
	assert_int_equal(xb_radix_to_value(xb_radix_load(&t, big)), 1);
	assert_int_equal(xb_radix_to_value(xb_radix_load(&t, 3)), 2);
	assert_null(xb_radix_load(&t, big - 1));
	assert_int_equal(xb_radix_delete(&t, big), 0);
	assert_int_equal(xb_radix_delete(&t, 3), 0);
	assert_int_equal(t.nodes, 0);
	xb_radix_destroy(&t);
}

/* 64 dense entries fill exactly one leaf. */
static void test_radix__bytes_per_entry(void **state)
{
	struct xb_radix t;

	xb_radix_init(&t);
	for (uint64_t i = 0; i < 64; i++)
		assert_int_equal(xb_radix_store(&t, i, i), 0);
	assert_int_equal(t.nodes, 1);
	assert_true(xb_radix_bytes_per_entry(&t) == (double)sizeof(struct xb_radix_node) / 64);
	xb_radix_destroy(&t);
}

struct ref { uint64_t index, value; bool present; };

static void check_all(const struct xb_radix *t, const struct ref *ref, size_t n)
{
	size_t present = 0;

	for (size_t i = 0; i < n; i++) {
		void *e = xb_radix_load(t, ref[i].index);

		if (ref[i].present) {
			assert_non_null(e);
			assert_true(xb_radix_is_value(e));
			assert_int_equal(xb_radix_to_value(e), ref[i].value);
			present++;
		} else {
			assert_null(e);
		}
	}
	assert_int_equal(t->entries, present);
}

/*
 * Seeded random store/overwrite/delete against a reference map. The
 * universe mixes dense low indices (shared leaves), scattered ones and
 * some near 2^64 (full height), so growing and shrinking are exercised.
 */
static void test_radix__random_vs_reference(void **state)
{
	enum { UNIVERSE = 1500, OPS = 60000 };
	static struct ref ref[UNIVERSE];
	uint64_t seed = 12345;
	struct xb_radix t;

	for (size_t i = 0; i < UNIVERSE; i++) {
		uint64_t r = xb_rand64(&seed);

		ref[i].index = i < 500 ? i : i < 1200 ? r % (UINT64_C(1) << 30) : r;
		ref[i].present = false;
	}
	/* indices must be distinct for the reference to be a map */
	for (size_t i = 500; i < UNIVERSE; i++)
		for (size_t j = 0; j < i; j++)
			if (ref[j].index == ref[i].index)
				ref[i].index = i;   /* (never hit with this seed) */
	xb_radix_init(&t);
	for (int op = 0; op < OPS; op++) {
		size_t k = xb_rand64(&seed) % UNIVERSE;
		unsigned what = xb_rand64(&seed) % 3;

		if (what < 2) {
			uint64_t v = xb_rand64(&seed) >> 1;

			assert_int_equal(xb_radix_store(&t, ref[k].index, v), 0);
			ref[k].value = v;
			ref[k].present = true;
		} else {
			assert_int_equal(xb_radix_delete(&t, ref[k].index),
					 ref[k].present ? 0 : -ENOENT);
			ref[k].present = false;
		}
		if (op % 5000 == 0)
			check_all(&t, ref, UNIVERSE);
	}
	check_all(&t, ref, UNIVERSE);
	for (size_t i = 0; i < UNIVERSE; i++)
		if (ref[i].present)
			assert_int_equal(xb_radix_delete(&t, ref[i].index), 0);
	/* every node freed on the way: nothing leaks */
	assert_null(t.root);
	assert_int_equal(t.nodes, 0);
	xb_radix_destroy(&t);
}

static void test_radix__dax_entry(void **state)
{
	uint64_t v = xb_dax_mk(0x12345, XB_DAX_PMD | XB_DAX_LOCKED);

	assert_int_equal(v, (0x12345 << 4) | 3);
	assert_int_equal(xb_dax_payload(v), 0x12345);
	assert_int_equal(xb_dax_flags(v), XB_DAX_PMD | XB_DAX_LOCKED);
	assert_true(xb_radix_is_value(xb_radix_mk_value(v)));
	assert_int_equal(xb_radix_to_value(xb_radix_mk_value(v)), v);
}

/* ---- translation models, worked by hand ---------------------------- */

static void test_radix__dcssblk(void **state)
{
	/* two 1 MiB segments back to back: a 2 MiB device at 0x80000000 */
	const struct xb_dcss_seg seg[] = { { 0x80000000, 0x800fffff }, { 0x80100000, 0x801fffff } };
	const struct xb_dcss_seg gap[] = { { 0x80000000, 0x800fffff }, { 0x80200000, 0x802fffff } };
	struct xb_dcssblk d;
	uint64_t kaddr, pfn;

	assert_int_equal(xb_dcssblk_init(&d, seg, 2), 0);
	assert_int_equal(xb_dcssblk_init(&d, gap, 2), -EINVAL);
	assert_int_equal(xb_dcssblk_init(&d, seg, 2), 0);
	/* page 0x101: 0x101000 into the device, in the second segment;
	 * 0x200000 - 0x101000 = 0xff000 bytes = 255 pages left */
	assert_int_equal(xb_dcssblk_direct_access(&d, 0x101, 1, &kaddr, &pfn), 255);
	assert_int_equal(kaddr, 0x80101000);
	assert_int_equal(xb_pfn_t_to_pfn(pfn), 0x80101);
	assert_int_equal(pfn & XB_PFN_FLAGS_MASK, XB_PFN_DEV);
	assert_int_equal(xb_dcssblk_direct_access(&d, 511, 1, &kaddr, &pfn), 1);
	/* no range check of its own (2017): at the end, 0 pages left */
	assert_int_equal(xb_dcssblk_direct_access(&d, 512, 1, &kaddr, &pfn), 0);
}

static void test_radix__axonram(void **state)
{
	/* 16 MiB bank at physical 4 TiB */
	const struct xb_axonram a = { .io_addr = UINT64_C(0xffffc90000000000),
				      .ph_addr = UINT64_C(0x40000000000), .size = 16 << 20 };
	uint64_t kaddr, pfn;

	/* page 10: 0xa000 in; 4096 - 10 pages left; pfn (0x40000000000 >> 12) + 10 */
	assert_int_equal(xb_axonram_direct_access(&a, 10, 1, &kaddr, &pfn), 4086);
	assert_int_equal(kaddr, UINT64_C(0xffffc9000000a000));
	assert_int_equal(pfn, UINT64_C(0x4000000a) | XB_PFN_DEV);
	assert_int_equal(xb_axonram_direct_access(&a, 4096, 1, &kaddr, &pfn), 0);
}

static void test_radix__pmem(void **state)
{
	/* bad sectors 16..23 (all of page 2) and 100 (inside page 12: 96..103) */
	static const struct xb_badblock bb[] = { { 16, 8 }, { 100, 1 } };
	struct xb_pmem p = { .virt_addr = UINT64_C(0xffff888100000000),
			     .phys_addr = UINT64_C(0x100000000), .data_offset = 0x200000,
			     .size = 0x200000 + (64 << 20), .pfn_flags = XB_PFN_DEV | XB_PFN_MAP };
	uint64_t kaddr, pfn;

	/* page 3: 0x3000 + 0x200000 = 0x203000 in; (0x4200000 - 0x203000) / 4096 = 16381 */
	assert_int_equal(xb_pmem_direct_access(&p, 3, 1, &kaddr, &pfn), 16381);
	assert_int_equal(kaddr, UINT64_C(0xffff888100203000));
	assert_int_equal(pfn, UINT64_C(0x100203) | XB_PFN_DEV | XB_PFN_MAP);
	assert_int_equal(xb_pmem_direct_access(&p, 16383, 1, &kaddr, &pfn), 1);
	assert_int_equal(xb_pmem_direct_access(&p, 16384, 1, &kaddr, &pfn), 0);
	p.bb = bb;
	p.bb_count = 2;
	assert_int_equal(xb_pmem_direct_access(&p, 2, 1, &kaddr, &pfn), -EIO);
	assert_int_equal(xb_pmem_direct_access(&p, 12, 1, &kaddr, &pfn), -EIO);
	assert_int_equal(xb_pmem_direct_access(&p, 1, 2, &kaddr, &pfn), -EIO);  /* 8..23 */
	/* with bad blocks about, only the pages asked for are promised */
	assert_int_equal(xb_pmem_direct_access(&p, 3, 1, &kaddr, &pfn), 1);
	assert_int_equal(xb_pmem_direct_access(&p, 13, 4, &kaddr, &pfn), 4);
	assert_int_equal(xb_pfn_t_to_pfn(pfn), 0x10020d);
}

static void test_radix__badblocks_edges(void **state)
{
	static const struct xb_badblock bb[] = { { 8, 8 }, { 40, 2 } };

	assert_false(xb_badblocks_check(bb, 2, 0, 8));    /* ends where 8 starts */
	assert_true(xb_badblocks_check(bb, 2, 0, 9));
	assert_false(xb_badblocks_check(bb, 2, 16, 24));  /* starts where 8..15 ends */
	assert_true(xb_badblocks_check(bb, 2, 15, 1));
	assert_true(xb_badblocks_check(bb, 2, 41, 100));
	assert_false(xb_badblocks_check(bb, 2, 42, 100));
	assert_false(xb_badblocks_check(bb, 0, 0, 1000));
}

static void test_radix__bdev_dax_pgoff(void **state)
{
	struct xb_hd_struct whole = { 0 }, part = { .start_sect = 4 };
	struct xb_block_device disk = { &whole }, part4 = { &part };
	uint64_t pgoff;

	assert_int_equal(xb_bdev_dax_pgoff(&disk, 24, 4096, &pgoff), 0);
	assert_int_equal(pgoff, 3);
	assert_int_equal(xb_bdev_dax_pgoff(&part4, 20, 4096, &pgoff), 0);   /* partition at 4 */
	assert_int_equal(pgoff, 3);
	assert_int_equal(xb_bdev_dax_pgoff(&disk, 25, 4096, &pgoff), -EINVAL);
	assert_int_equal(xb_bdev_dax_pgoff(&disk, 24, 512, &pgoff), -EINVAL);   /* size */
	assert_int_equal(xb_bdev_dax_pgoff(&disk, 4096, 2 << 20, NULL), 0);
}

/* The generic layer of 2017 around each driver's method. */
static void test_radix__dax_direct_access(void **state)
{
	for (size_t b = 0; xb_radix_backends[b]; b++) {
		struct xb_radix_dev dev;
		uint64_t kaddr, pfn, kaddr2, pfn2;
		long pages;

		assert_int_equal(xb_radix_dev_make(&dev, xb_radix_backends[b], 16), 0);
		assert_ptr_equal(xb_dax_get_private(&dev), &dev.u);
		/* the driver offers what is left; the caller gets what it asked */
		pages = xb_dax_direct_access(&dev, 0, 1L << 40, &kaddr, &pfn);
		assert_in_range(pages, 16, 18);   /* dcssblk: 3 segments of 6 */
		assert_int_equal(xb_dax_direct_access(&dev, 3, 2, &kaddr, &pfn), 2);
		assert_int_equal(xb_dax_direct_access(&dev, pages - 1, 2, &kaddr2, &pfn2), 1);
		assert_int_equal(kaddr2 - kaddr, (pages - 4) * XB_PAGE_SIZE);
		assert_int_equal(xb_pfn_t_to_pfn(pfn2) - xb_pfn_t_to_pfn(pfn), pages - 4);
		assert_true(pfn & XB_PFN_DEV);
		/* the driver's 0 pages at the end become -ERANGE */
		assert_int_equal(xb_dax_direct_access(&dev, pages, 1, &kaddr, &pfn), -ERANGE);
		assert_int_equal(xb_dax_direct_access(&dev, 3, -5, &kaddr, &pfn), -5);
		dev.alive = false;
		assert_int_equal(xb_dax_direct_access(&dev, 3, 1, &kaddr, &pfn), -ENXIO);
		assert_int_equal(xb_dax_direct_access(NULL, 3, 1, &kaddr, &pfn), -EOPNOTSUPP);
	}
}

/* ---- the lookup paths agree ---------------------------------------- */

static void test_radix__paths_agree(void **state)
{
	enum { N = 3000, STRIDE = 7, LEN = 5000 };
	static uint32_t ord[LEN];

	for (size_t b = 0; xb_radix_backends[b]; b++) {
		struct xb_radix_dev dev;
		struct xb_model_tree ts, tp;
		uint64_t bad = 0, ss, sp, sf, *flat;

		assert_int_equal(xb_radix_dev_make(&dev, xb_radix_backends[b], N), 0);
		xb_model_tree_init(&ts);
		xb_model_tree_init(&tp);
		assert_int_equal(xb_radix_fill(&ts, &dev, XB_ENC_SECTOR, N, STRIDE), 0);
		assert_int_equal(xb_radix_fill(&tp, &dev, XB_ENC_PFN, N, STRIDE), 0);
		flat = xb_radix_flat(&dev, N);
		assert_non_null(flat);
		xb_pattern_fill(ord, LEN, XB_PAT_UNIFORM, N, 0.99, b + 1);
		ss = xb_radix_lookup_sector(&ts, &dev, ord, LEN, STRIDE, &bad);
		sp = xb_radix_lookup_pfn(&tp, ord, LEN, STRIDE, &bad);
		sf = xb_radix_lookup_flat(flat, ord, LEN);
		assert_int_equal(bad, 0);
		assert_int_equal(sp, sf);
		/* each sums pfn + kaddr: the same pfns; dcssblk's kaddr is the
		 * physical address (s390 maps DCSS 1:1), the others' the direct map */
		if (!strcmp(xb_radix_backends[b]->name, "dcssblk"))
			assert_int_equal(sp - ss, (uint64_t)LEN * XB_DIRECT_MAP_BASE);
		else
			assert_int_equal(ss, sp);
		/* a lookup off the populated indices misses: ordinal 1, stride 1 */
		ord[0] = 1;
		bad = 0;
		xb_radix_lookup_pfn(&tp, ord, 1, 1, &bad);
		assert_int_equal(bad, 1);
		free(flat);
		xb_model_tree_destroy(&ts);
		xb_model_tree_destroy(&tp);
	}
}

static void test_radix__patterns(void **state)
{
	enum { N = 1000, LEN = 200000 };
	static uint32_t ord[LEN];
	static unsigned hits[N];
	enum xb_pattern p;
	unsigned top = 0;

	assert_int_equal(xb_pattern_parse(&p, "zipf"), 0);
	assert_int_equal(xb_pattern_parse(&p, "zip"), -EINVAL);
	xb_pattern_fill(ord, 10, XB_PAT_SEQ, N, 0, 1);
	for (int i = 1; i < 10; i++)
		assert_int_equal(ord[i], (ord[i - 1] + 1) % N);
	xb_pattern_fill(ord, LEN, XB_PAT_ZIPF, N, 0.99, 7);
	for (size_t i = 0; i < LEN; i++) {
		assert_true(ord[i] < N);
		hits[ord[i]]++;
	}
	for (size_t i = 0; i < N; i++)
		if (hits[i] > top)
			top = hits[i];
	/* rank 1 of a zipf(0.99) over 1000 items has probability
	 * 1 / H(1000, 0.99) ~ 0.13: far above uniform's 0.001 */
	assert_true(top > LEN / 10 && top < LEN / 6);
}

/* ---- the benchmark, run for real on the host, small ------------------ */

struct rec { struct xb_kvlist metrics, notes; size_t samples; bool nonpositive; };

static int rec_metric(struct xb_sink *s, const char *name, const char *unit,
		      const char *direction, const char *description)
{
	struct rec *r = s->priv;

	xb_kv_set(&r->metrics, name, unit);
	return 0;
}

static int rec_samples(struct xb_sink *s, const char *metric, int rep, const double *v, size_t n)
{
	struct rec *r = s->priv;

	assert_non_null(xb_kv_get(&r->metrics, metric));   /* declared first */
	for (size_t i = 0; i < n; i++)
		/* a lone entry at index 0 lives in the root: 0 bytes per entry */
		if (!(v[i] > 0) && strncmp(metric, "radix.compare.", 14) &&
		    !(v[i] == 0 && strstr(metric, "bytes_per_entry")))
			r->nonpositive = true;
	r->samples += n;
	return 0;
}

static int rec_fact(struct xb_sink *s, const char *key, const char *value)
{
	return 0;
}

static int rec_note(struct xb_sink *s, const char *kind, const char *subject, const char *text)
{
	struct rec *r = s->priv;

	xb_kv_add(&r->notes, kind, text);
	return 0;
}

static void test_radix__bench_small(void **state)
{
	struct rec r = { 0 };
	struct xb_sink sink = { .priv = &r, .metric = rec_metric, .samples = rec_samples,
				.fact = rec_fact, .note = rec_note };
	struct xb_target t = { .kind = XB_TARGET_NONE, .mode = "none" };
	struct xb_kvlist p = { 0 };

	xb_kv_set(&p, "sizes", "64K,1T");
	xb_kv_set(&p, "patterns", "uniform,zipf");
	xb_kv_set(&p, "threads", "1,2");
	xb_kv_set(&p, "reps", "2");
	xb_kv_set(&p, "samples", "4");
	xb_kv_set(&p, "batch", "64");
	xb_kv_set(&p, "stream", "256");
	xb_kv_set(&p, "sparse_stride", "65536");
	xb_kv_set(&p, "max_entries", "4096");
	assert_int_equal(xb_bench_check(&xb_bench_radix, &p), 0);
	assert_int_equal(xb_bench_radix.run(&t, &p, &sink), 0);
	assert_false(r.nonpositive);
	assert_string_equal(xb_kv_get(&r.metrics, "radix.model.pmem.sector.64K.dense.zipf.t2.ns"), "ns");
	assert_non_null(xb_kv_get(&r.metrics, "radix.model.dcssblk.pfn.1T.sparse.uniform.t1.ns"));
	assert_non_null(xb_kv_get(&r.metrics, "radix.model.flat.1T.sparse.zipf.t1.ns"));
	assert_non_null(xb_kv_get(&r.metrics, "radix.model.axonram.sector_pfn_ratio.64K.sparse.uniform.t1"));
	assert_non_null(xb_kv_get(&r.metrics, "radix.model.bytes_per_entry.1T.sparse"));
	/* dense 1T is over max_entries: a skip note, no metric */
	assert_null(xb_kv_get(&r.metrics, "radix.model.bytes_per_entry.1T.dense"));
	assert_non_null(xb_kv_get(&r.notes, "skip"));
	/* no module on the host's /daxbench: the kernel half says why */
	assert_null(xb_kv_get(&r.notes, "error"));
	assert_true(r.samples > 100);
	xb_kv_free(&r.metrics);
	xb_kv_free(&r.notes);
	xb_kv_free(&p);
	xb_error_clear();
}

static void test_radix__bench_bad_params(void **state)
{
	static const char *const bad[][2] = {
		{ "sizes", "1M,banana" }, { "sizes", "1K" }, { "density", "thick" },
		{ "patterns", "zipf,random" }, { "threads", "0" }, { "kernel", "maybe" },
		{ "components", "yes" }, { "instructions", "1" }, { "sparse_stride", "1" },
		{ "bogus", "1" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xb_kvlist p = { 0 };

		xb_kv_set(&p, bad[i][0], bad[i][1]);
		assert_int_equal(xb_bench_check(&xb_bench_radix, &p), -EINVAL);
		assert_string_not_equal(xb_error_last(), "");
		assert_non_null(strstr(xb_error_last(), bad[i][0]));
		xb_kv_free(&p);
		xb_error_clear();
	}
}

/* ---- host side: a kernel without headers gets a reason, not a failure - */

static void test_radix__host_no_headers(void **state)
{
	struct xb_kernel k = { .release = "0.0.0-nonexistent-amd64" };
	struct xb_kvlist p = { 0 };
	struct xb_image_ctx ctx = { .kernel = &k, .cache_dir = "/nonexistent", .params = &p };
	struct xb_image img = { 0 };
	const struct xb_entry *skip = NULL;

	xb_kv_set(&p, "instructions", "off");
	assert_ptr_equal(xb_bench_host_find("radix"), &xb_bench_host_radix);
	assert_int_equal(xb_bench_host_radix.prepare(&img, &ctx), 0);
	for (size_t i = 0; i < img.n; i++) {
		assert_null(strstr(img.e[i].path, ".ko"));
		if (!strcmp(img.e[i].path, "/daxbench/radix/kmod.skip"))
			skip = &img.e[i];
	}
	assert_non_null(skip);
	assert_non_null(strstr(skip->data, "apt-get install linux-headers-0.0.0-nonexistent-amd64"));
	xb_image_free(&img);
	/* kernel=off: nothing at all */
	xb_kv_set(&p, "kernel", "off");
	assert_int_equal(xb_bench_host_radix.prepare(&img, &ctx), 0);
	assert_int_equal(img.n, 0);
	xb_image_free(&img);
	xb_kv_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_radix__empty),
		cmocka_unit_test(test_radix__grow_and_shrink),
		cmocka_unit_test(test_radix__huge_index),
		cmocka_unit_test(test_radix__bytes_per_entry),
		cmocka_unit_test(test_radix__random_vs_reference),
		cmocka_unit_test(test_radix__dax_entry),
		cmocka_unit_test(test_radix__dcssblk),
		cmocka_unit_test(test_radix__axonram),
		cmocka_unit_test(test_radix__pmem),
		cmocka_unit_test(test_radix__badblocks_edges),
		cmocka_unit_test(test_radix__bdev_dax_pgoff),
		cmocka_unit_test(test_radix__dax_direct_access),
		cmocka_unit_test(test_radix__paths_agree),
		cmocka_unit_test(test_radix__patterns),
		cmocka_unit_test(test_radix__bench_small),
		cmocka_unit_test(test_radix__bench_bad_params),
		cmocka_unit_test(test_radix__host_no_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
