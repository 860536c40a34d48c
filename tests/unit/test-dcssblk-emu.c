// SPDX-License-Identifier: GPL-2.0
/* The dcssblk-emu backend (issue 8): its parameters, segment file and QEMU
 * arguments, the s390x kernel pick, the s390x QEMU command line, and the
 * host's smaps parser for the shared segment's mapping. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "arch.h"
#include "backends.h"
#include "error.h"
#include "fingerprint.h"
#include "hostmem.h"
#include "kernel.h"
#include "qemu.h"
#include "util.h"

static bool has_arg(const struct xb_argv *a, const char *s)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i], s))
			return true;
	return false;
}

static bool has_prefix(const struct xb_argv *a, const char *s)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strncmp(a->v[i], s, strlen(s)))
			return true;
	return false;
}

static int configure(struct xb_backend_cfg *g, struct xb_buf *err, const char *k1,
		     const char *v1, const char *k2, const char *v2)
{
	struct xb_kvlist p = { 0 };
	int rc;

	if (k1)
		xb_kv_set(&p, k1, v1);
	if (k2)
		xb_kv_set(&p, k2, v2);
	memset(g, 0, sizeof(*g));
	rc = xb_backend_check_params(&xb_backend_dcssblk_emu, &p);
	if (!rc)
		rc = xb_backend_dcssblk_emu.configure(g, &p);
	if (rc)
		xb_buf_adds(err, xb_error_last());
	xb_kv_free(&p);
	return rc;
}

static void test_dcssblk_emu__defaults(void **state)
{
	struct xb_backend_cfg g;
	struct xb_buf err = { 0 };

	assert_ptr_equal(xb_backend_find("dcssblk-emu"), &xb_backend_dcssblk_emu);
	assert_string_equal(xb_backend_dcssblk_emu.arch, "s390x");
	assert_int_equal(configure(&g, &err, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(g.mem_mb, 512);
	assert_string_equal(g.device, "/dev/dcssblk0");
	assert_non_null(strstr(g.append.p, "nopfault"));
	assert_non_null(strstr(g.append.p, "hvc_iucv=0"));
	assert_string_equal(xb_kv_get(&g.fingerprint, "backend.segment_start"), "0x40000000");
	assert_string_equal(xb_kv_get(&g.fingerprint, "backend.segment_size"), "268435456");
	assert_int_equal(g.share_guests, 2);
	xb_backend_cfg_free(&g);
	/* the segment lies above guest memory, at the next GiB */
	assert_int_equal(configure(&g, &err, "memory", "1536M", "share_guests", "0"), 0);
	assert_string_equal(xb_kv_get(&g.fingerprint, "backend.segment_start"), "0x80000000");
	assert_int_equal(g.share_guests, 0);
	xb_backend_cfg_free(&g);
	xb_buf_free(&err);
}

static void test_dcssblk_emu__bad_params_say_why(void **state)
{
	const char *bad[][2] = {
		{ "segment_size", "10M" }, { "segment_size", "65M5" }, { "segment_size", "32G" },
		{ "memory", "lots" }, { "memory", "128M" }, { "share_guests", "9" },
		{ "share_guests", "-1" }, { "segments", "X" }, { "joined_segments", "1" },
		{ "joined_segments", "5" }, { "joined_segments", "two" },
	};

	for (size_t i = 0; i < XB_ARRAY_SIZE(bad); i++) {
		struct xb_backend_cfg g;
		struct xb_buf err = { 0 };

		assert_int_equal(configure(&g, &err, bad[i][0], bad[i][1], NULL, NULL), -EINVAL);
		assert_non_null(err.p);
		assert_non_null(strstr(err.p, bad[i][0]));
		xb_backend_cfg_free(&g);
		xb_buf_free(&err);
	}
}

static void test_dcssblk_emu__segment_file_and_qemu_args(void **state)
{
	char tmpl[] = "/tmp/xb-dcss-XXXXXX", *dir = mkdtemp(tmpl), *path;
	struct xb_backend_cfg g;
	struct xb_buf err = { 0 };
	struct xb_argv share = { 0 };
	struct stat st;

	assert_non_null(dir);
	assert_int_equal(configure(&g, &err, "segment_size", "64M", NULL, NULL), 0);
	assert_int_equal(xb_backend_dcssblk_emu.boot_prepare(&g, dir), 0);
	path = xb_asprintf("%s/segment.img", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 64 << 20);
	assert_true(st.st_blocks < 64);   /* sparse: the guest formats it */
	assert_true(has_prefix(&g.qemu_args, "memory-backend-file,id=seg,mem-path="));
	assert_true(has_arg(&g.qemu_args, "s390-dcss,segname=DAXSEG,segtype=SW,start=0x40000000,memdev=seg"));
	xb_backend_dcssblk_emu.share_args(&g, "/x/shared.img", &share);
	assert_true(has_arg(&share, "memory-backend-file,id=shr,mem-path=/x/shared.img,size=67108864,share=on"));
	assert_true(has_arg(&share, "s390-dcss,segname=DAXSHR,segtype=SR,start=0x40000000,memdev=shr"));
	assert_non_null(strstr(xb_backend_dcssblk_emu.share_init, "daxshr > /sys/devices/dcssblk/add"));
	/* a directory that cannot take the file: an error naming it */
	assert_int_equal(xb_backend_dcssblk_emu.boot_prepare(&g, "/nonexistent/dir"), -ENOENT);
	assert_non_null(strstr(xb_error_last(), "/nonexistent/dir/segment.img"));
	xb_argv_free(&share);
	xb_backend_cfg_free(&g);
	xb_buf_free(&err);
	free(path);
	xb_rm_rf(dir);
}

/* joined_segments: DAXJ1.. back to back after DAXSEG, named to the guest
 * on the kernel command line; none without the parameter. */
static void test_dcssblk_emu__joined_segments(void **state)
{
	char tmpl[] = "/tmp/xb-dcss-XXXXXX", *dir = mkdtemp(tmpl), *path;
	struct xb_backend_cfg g;
	struct xb_buf err = { 0 };
	struct stat st;

	assert_non_null(dir);
	assert_int_equal(configure(&g, &err, "segment_size", "64M", NULL, NULL), 0);
	assert_null(strstr(g.append.p, "dcss_joined"));
	assert_null(xb_kv_get(&g.fingerprint, "backend.joined_segments"));
	assert_int_equal(xb_backend_dcssblk_emu.boot_prepare(&g, dir), 0);
	assert_false(has_prefix(&g.qemu_args, "s390-dcss,segname=DAXJ"));
	xb_backend_cfg_free(&g);
	assert_int_equal(configure(&g, &err, "segment_size", "64M", "joined_segments", "3"), 0);
	assert_non_null(strstr(g.append.p, " daxbench.dcss_joined=daxj1:daxj2:daxj3"));
	assert_string_equal(xb_kv_get(&g.fingerprint, "backend.joined_segments"), "3");
	assert_string_equal(xb_kv_get(&g.fingerprint, "backend.joined_device"), "/dev/dcssblk1");
	assert_int_equal(xb_backend_dcssblk_emu.boot_prepare(&g, dir), 0);
	/* DAXSEG is 0x40000000 + 64M; each joined one starts where the last ended */
	assert_true(has_arg(&g.qemu_args, "s390-dcss,segname=DAXJ1,segtype=SW,start=0x44000000,memdev=daxj1"));
	assert_true(has_arg(&g.qemu_args, "s390-dcss,segname=DAXJ2,segtype=SW,start=0x45000000,memdev=daxj2"));
	assert_true(has_arg(&g.qemu_args, "s390-dcss,segname=DAXJ3,segtype=SW,start=0x46000000,memdev=daxj3"));
	path = xb_asprintf("%s/joined3.img", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 16 << 20);
	assert_non_null(strstr(xb_backend_dcssblk_emu.guest_init, "daxbench.dcss_joined="));
	xb_backend_cfg_free(&g);
	xb_buf_free(&err);
	free(path);
	xb_rm_rf(dir);
}

static void test_dcssblk_emu__kernel_pick_s390x(void **state)
{
	const char *names[] = {
		"linux-image-6.1.0-47-s390x", "linux-image-6.1.0-50-s390x-dbg",
		"linux-image-6.1.0-50-s390x", "linux-image-6.1.0-56-amd64-unsigned",
		"linux-image-s390x", "linux-image-6.12.1-s390x",
	};

	assert_string_equal(xb_kernel_pick_default_arch(names, XB_ARRAY_SIZE(names), "s390x"),
			    "linux-image-6.1.0-50-s390x");
	assert_string_equal(xb_kernel_pick_default_arch(names, XB_ARRAY_SIZE(names), "amd64"),
			    "linux-image-6.1.0-56-amd64-unsigned");
	assert_null(xb_kernel_pick_default_arch(names + 3, 3, "s390x"));
}

static void test_dcssblk_emu__s390x_qemu_argv(void **state)
{
	struct xb_qemu_opts o = {
		.binary = "qemu-system-s390x", .accel = "tcg", .kernel = "vmlinuz", .initrd = "i",
		.append = "panic=-1 nopfault", .mem_mb = 512, .console_path = "/c",
		.stream_path = "/s", .arch = "s390x",
	};
	struct xb_argv a = { 0 };

	xb_qemu_argv(&a, &o);
	assert_true(has_arg(&a, "s390-ccw-virtio"));
	assert_true(has_arg(&a, "sclplmconsole,chardev=con"));
	assert_true(has_arg(&a, "file,id=res,path=/s"));
	assert_true(has_arg(&a, "virtserialport,chardev=res,name=stream"));
	assert_false(has_arg(&a, "-serial"));
	xb_argv_free(&a);
	o.arch = NULL;
	xb_qemu_argv(&a, &o);
	assert_true(has_arg(&a, "-serial"));
	assert_false(has_arg(&a, "sclplmconsole,chardev=con"));
	xb_argv_free(&a);
}

/* Processes mapping a file, some left out: this test maps one. */
static void test_dcssblk_emu__file_mappers(void **state)
{
	char path[] = "/tmp/test mappers.XXXXXX";
	int fd = mkstemp(path);
	pid_t self = getpid();
	size_t n = 99;
	void *m;

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 4096), 0);
	assert_int_equal(xb_file_mappers(&n, path, NULL, 0), 0);
	assert_int_equal(n, 0);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(m != MAP_FAILED);
	assert_int_equal(xb_file_mappers(&n, path, NULL, 0), 0);
	assert_int_equal(n, 1);
	assert_int_equal(xb_file_mappers(&n, path, &self, 1), 0);
	assert_int_equal(n, 0);
	munmap(m, 4096);
	close(fd);
	unlink(path);
}

static void test_dcssblk_emu__smaps_of_one_mapping(void **state)
{
	const char *text =
		"55d0c000-55d0d000 r-xp 00000000 08:01 123   /usr/bin/qemu-system-s390x\n"
		"Rss:                 100 kB\n"
		"Pss:                 100 kB\n"
		"7f0000000000-7f0004000000 rw-s 00000000 08:01 777   /tmp/daxbench test.x/share-segment.img\n"
		"Size:              65536 kB\n"
		"Rss:               12000 kB\n"
		"Pss:                6000 kB\n"
		"Shared_Clean:      11996 kB\n"
		"Shared_Dirty:          0 kB\n"
		"Private_Clean:         4 kB\n"
		"Private_Dirty:         0 kB\n"
		"VmFlags: rd wr sh mr mw me ms sd\n"
		"7f0004000000-7f0004001000 rw-s 04000000 08:01 777   /tmp/daxbench test.x/share-segment.img\n"
		"Rss:                   4 kB\n"
		"Pss:                   2 kB\n"
		"Shared_Clean:          4 kB\n"
		"7f0005000000-7f0005001000 rw-s 00000000 08:01 778   /tmp/daxbench test.x/share-segment.img.old\n"
		"Rss:                 999 kB\n";
	struct xb_smaps_fig f = { 0 };

	assert_int_equal(xb_smaps_mapping_text(&f, text, "/tmp/daxbench test.x/share-segment.img"), 0);
	assert_true(f.rss == 12004 && f.pss == 6002 && f.shared_clean == 12000);
	assert_true(f.private_clean == 4 && f.private_dirty == 0 && f.shared_dirty == 0);
	assert_int_equal(xb_smaps_mapping_text(&f, text, "/tmp/other.img"), -ENOENT);
	assert_int_equal(xb_smaps_mapping_text(&f, "", "/x"), -ENOENT);
	/* this process maps no such file; its rollup is readable */
	assert_int_equal(xb_smaps_rollup(&f, getpid()), 0);
	assert_true(f.rss > 0 && !isnan(f.pss));
}

static void test_dcssblk_emu__kernel_config_recorded_and_missing_named(void **state)
{
	const char *good = "#\n# Linux/s390 6.1.176 Kernel Configuration\nCONFIG_DCSSBLK=m\n"
			   "CONFIG_FS_DAX=y\nCONFIG_FS_DAX_LIMITED=y\n";
	/* 6.15 and later: no FS_DAX_LIMITED; a lookalike name must not count */
	const char *bad = "CONFIG_DCSSBLK=m\n# CONFIG_FS_DAX_LIMITED is not set\n"
			  "CONFIG_XFS_DAX_LIMITED=y\n";
	struct xb_kvlist fp = { 0 };
	struct xb_buf missing = { 0 };

	xb_fingerprint_kconfig(&fp, good, xb_backend_dcssblk_emu.kconfig, &missing);
	assert_int_equal(missing.len, 0);
	assert_string_equal(xb_kv_get(&fp, "kernel.config.DCSSBLK"), "m");
	assert_string_equal(xb_kv_get(&fp, "kernel.config.FS_DAX_LIMITED"), "y");
	xb_kv_free(&fp);
	xb_fingerprint_kconfig(&fp, bad, xb_backend_dcssblk_emu.kconfig, &missing);
	assert_string_equal(xb_kv_get(&fp, "kernel.config.FS_DAX_LIMITED"), "unset");
	assert_string_equal(missing.p, "CONFIG_FS_DAX_LIMITED=unset");
	xb_kv_free(&fp);
	xb_buf_free(&missing);
	xb_fingerprint_kconfig(&fp, "", xb_backend_dcssblk_emu.kconfig, &missing);
	assert_string_equal(missing.p, "CONFIG_DCSSBLK=unset, CONFIG_FS_DAX_LIMITED=unset");
	xb_kv_free(&fp);
	xb_buf_free(&missing);
}

/* The architecture table: amd64 by default, s390x foreign with its
 * userland, no third one; each with its QEMU and kernel flavour. */
static void test_dcssblk_emu__arch_table(void **state)
{
	const struct xb_arch *amd64 = xb_arch_find(NULL), *s390x = xb_arch_find("s390x");

	assert_ptr_equal(amd64, xb_arch_find("amd64"));
	assert_false(amd64->foreign);
	assert_null(amd64->machine);
	assert_string_equal(amd64->qemu, "qemu-system-x86_64");
	assert_non_null(strstr(amd64->append, "console=ttyS0"));
	assert_non_null(s390x);
	assert_true(s390x->foreign && s390x->init_kmsg);
	assert_ptr_equal(s390x, xb_arch_find(xb_backend_dcssblk_emu.arch));
	assert_string_equal(s390x->machine, "s390-ccw-virtio");
	assert_string_equal(s390x->libs[0], "ld64.so.1");
	assert_non_null(s390x->packages[0]);
	assert_null(strstr(s390x->append, "console="));
	assert_null(xb_arch_find("riscv64"));
	for (size_t i = 0; xb_arches[i]; i++)
		assert_non_null(xb_arches[i]->kernel_flavour);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dcssblk_emu__defaults),
		cmocka_unit_test(test_dcssblk_emu__arch_table),
		cmocka_unit_test(test_dcssblk_emu__bad_params_say_why),
		cmocka_unit_test(test_dcssblk_emu__segment_file_and_qemu_args),
		cmocka_unit_test(test_dcssblk_emu__joined_segments),
		cmocka_unit_test(test_dcssblk_emu__kernel_pick_s390x),
		cmocka_unit_test(test_dcssblk_emu__s390x_qemu_argv),
		cmocka_unit_test(test_dcssblk_emu__smaps_of_one_mapping),
		cmocka_unit_test(test_dcssblk_emu__file_mappers),
		cmocka_unit_test(test_dcssblk_emu__kernel_config_recorded_and_missing_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
