// SPDX-License-Identifier: GPL-2.0
/* daxbench share: the shared-image modes' QEMU arguments and the image
 * recipe's checks (issue 4). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "backends.h"
#include "usr-image.h"
#include "util.h"

static bool has_arg(const struct xb_argv *a, const char *s)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i], s))
			return true;
	return false;
}

static void test_share__dax_maps_one_file_readonly_shared(void **state)
{
	struct xb_argv a = { 0 };
	char *extra = NULL;

	xb_share_mode_args(&a, &extra, xb_share_mode_find("dax"), "/img/usr.ext4", 512u << 20);
	assert_string_equal(extra, ",slots=2,maxmem=4G");
	assert_true(has_arg(&a, "memory-backend-file,id=usr,share=on,readonly=on,"
			    "mem-path=/img/usr.ext4,size=536870912"));
	assert_true(has_arg(&a, "virtio-pmem-pci,memdev=usr,id=pmem0"));
	assert_string_equal(xb_share_mode_find("pagecache")->guest_dev, "/dev/pmem0");
	free(extra);
	xb_argv_free(&a);
}

static void test_share__blk_and_ksm_use_a_readonly_disk(void **state)
{
	struct xb_argv a = { 0 };
	char *extra = NULL;

	xb_share_mode_args(&a, &extra, xb_share_mode_find("blk"), "/i", 1u << 20);
	assert_null(extra);
	assert_true(has_arg(&a, "file=/i,if=virtio,readonly=on,format=raw"));
	assert_false(has_arg(&a, "mem-merge=on"));
	xb_argv_free(&a);
	xb_share_mode_args(&a, &extra, xb_share_mode_find("ksm"), "/i", 1u << 20);
	assert_true(has_arg(&a, "mem-merge=on"));
	assert_true(xb_share_mode_find("ksm")->ksm);
	assert_null(xb_share_mode_find("nvdimm"));
	xb_argv_free(&a);
}

static void test_share__erofs_modes_are_dax_and_pagecache_on_pmem(void **state)
{
	const struct xb_share_mode *d = xb_share_mode_find("dax-erofs");
	const struct xb_share_mode *p = xb_share_mode_find("pagecache-erofs");

	assert_non_null(d);
	assert_non_null(p);
	assert_string_equal(d->fs, "erofs");
	assert_string_equal(p->fs, "erofs");
	assert_string_equal(d->guest_mode, "dax");
	assert_string_equal(p->guest_mode, "pagecache");
	assert_true(d->pmem && p->pmem && !d->ksm && !p->ksm);
	for (size_t i = 0; xb_share_modes[i]; i++) {
		assert_non_null(xb_share_modes[i]->description);
		if (strcmp(xb_share_modes[i]->fs, "erofs"))
			assert_string_equal(xb_share_modes[i]->fs, "ext4");
	}
}

static int recipe_rc(const char *text)
{
	char dir[] = "/tmp/xb-share-test.XXXXXX", *path;
	struct xb_usr_image img;
	int rc;

	assert_non_null(mkdtemp(dir));
	path = xb_asprintf("%s/r.recipe", dir);
	assert_int_equal(xb_write_file_atomic(path, text, strlen(text)), 0);
	rc = xb_usr_image_get(&img, path, dir);
	xb_usr_image_free(&img);
	free(path);
	xb_rm_rf(dir);
	return rc;
}

static void test_share__recipe_errors_stop_before_building(void **state)
{
	assert_int_equal(recipe_rc("[image]\nsuite = bookworm\nflavour = x\n"), -EINVAL);
	assert_int_equal(recipe_rc("[image]\nno equals sign\n"), -EINVAL);
	assert_int_equal(recipe_rc("[image]\next4_size = 3M\n"), -EINVAL);
	assert_int_equal(recipe_rc("[image]\next4_size = lots\n"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share__dax_maps_one_file_readonly_shared),
		cmocka_unit_test(test_share__blk_and_ksm_use_a_readonly_disk),
		cmocka_unit_test(test_share__recipe_errors_stop_before_building),
		cmocka_unit_test(test_share__erofs_modes_are_dax_and_pagecache_on_pmem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
