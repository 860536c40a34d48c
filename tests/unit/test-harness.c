// SPDX-License-Identifier: GPL-2.0
/* Unit tests of harness/: suite files, modules.dep, the guest image,
 * kernel names, backend parameters and the QEMU command line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "backends.h"
#include "error.h"
#include "device.h"
#include "hyperfine-json.h"
#include "fingerprint.h"
#include "common.h"
#include "error.h"
#include "initramfs.h"
#include "kernel.h"
#include "kbuild.h"
#include "modules.h"
#include "qemu.h"
#include "json.h"
#include <jansson.h>
#include "workload.h"
#include "clock.h"
#include "util.h"

static const char good_suite[] =
	"# comment\n"
	"[suite]\n"
	"name = t\n"
	"backend = axonram-emu\n"
	"boots = 2\n"
	"\n"
	"[guest]\n"
	"timeout = 60\n"
	"append = pti=off\n"
	"clock = icount\n"
	"[backend axonram-emu]\n"
	"region_size = 256M\n"
	"[bench timer]\n"
	"[bench fault]\n"
	"file_size = 8M\n"
	"reps = 2\n";

static void test_harness__suite_parses(void **state)
{
	struct xb_suite *s = NULL;

	assert_int_equal(xb_suite_parse(&s, good_suite, "good.suite"), 0);
	assert_string_equal(s->name, "t");
	assert_string_equal(s->backend, "axonram-emu");
	assert_string_equal(s->fs, "ext4");       /* default */
	assert_int_equal(s->boots, 2);
	assert_int_equal(s->smp, 1);
	assert_true(s->timeout_s == 60);
	assert_string_equal(s->append, "pti=off");
	assert_string_equal(s->clock, "icount");
	assert_string_equal(xb_kv_get(&s->backend_params, "region_size"), "256M");
	assert_int_equal(s->nbenches, 2);
	assert_string_equal(s->benches[0].name, "timer");
	assert_string_equal(s->benches[1].name, "fault");
	assert_string_equal(xb_kv_get(&s->benches[1].params, "file_size"), "8M");
	assert_int_equal(strlen(s->sha256), 64);
	xb_suite_free(s);
}

/* Each malformed file is refused with its line number and the reason. */
static void test_harness__suite_errors_name_the_line(void **state)
{
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{ "[suite]\nname = x\nbogus = 1\n[bench timer]\n", "x.suite:3: unknown key 'bogus' in [suite]" },
		{ "[suite]\nname = x\n[bench nosuch]\n", "x.suite:3: unknown benchmark 'nosuch'" },
		{ "[suite]\nname = x\n[nonsense]\n", "x.suite:3: unknown section [nonsense]" },
		{ "name = x\n", "x.suite:1: 'name' outside any section" },
		{ "[suite]\nname x\n", "x.suite:2: expected 'key = value'" },
		{ "[suite]\nname = x\nboots = many\n[bench timer]\n", "x.suite:3: boots must be a whole number" },
		{ "[suite]\nname = x\nboots = 0\n[bench timer]\n", "x.suite:3: boots must be a whole number" },
		{ "[suite]\nname = x\nname = y\n", "x.suite:3: 'name' is set twice" },
		{ "[suite]\nname = x\nbackend = floppy\n", "x.suite:3: unknown backend 'floppy'" },
		{ "[suite]\nname = x\n[bench timer]\n[bench timer]\n", "x.suite:4: benchmark 'timer' appears twice" },
		{ "[suite]\nname = x\n", "x.suite: no [bench NAME] section" },
		{ "[bench timer]\n", "x.suite: [suite] has no name" },
		{ "[suite\nname = x\n", "x.suite:1: malformed section header" },
		{ "[suite]\nname = x\n[backend axonram-emu]\ncolour = red\n[bench timer]\n",
		  "backend axonram-emu has no parameter 'colour'" },
		{ "[suite]\nname = x\n[bench fault]\nfile_sise = 1M\n", "x.suite:4: benchmark fault has no parameter 'file_sise'" },
		{ "", "x.suite: [suite] has no name" },
		{ "[suite]\nname = x\n[bench fault]\nfile_size = 64M\nreps = three\n",
		  "x.suite:5: [bench fault] bad parameter reps 'three'" },
		{ "[suite]\nname = x\n[bench fault]\nfile_size = 1000\nreps = 2\n",
		  "x.suite:4: [bench fault] bad parameter file_size 1000" },
		{ "[suite]\nname = x\n[bench fault]\nops = read,execute\n",
		  "x.suite:4: [bench fault] bad parameter ops: unknown op 'execute'" },
		{ "[suite]\nname = x\n[bench fault]\nmodes = dax,floppy\n",
		  "x.suite:4: [bench fault] bench.fault.modes: unknown mode 'floppy'" },
		{ "[suite]\nname = x\n[guest]\nclock = tsc\n[bench timer]\n",
		  "x.suite:4: clock is auto, wall or icount, not 'tsc'" },
		{ "[suite]\nname = x\n[bench timer]\nsamples = 0\n",
		  "x.suite:4: [bench timer] bad parameter samples" },
	};

	for (size_t i = 0; i < XB_ARRAY_SIZE(bad); i++) {
		struct xb_suite *s = NULL;

		assert_int_equal(xb_suite_parse(&s, bad[i].text, "x.suite"), -EINVAL);
		assert_null(s);
		if (!strstr(xb_error_last(), bad[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, xb_error_last(), bad[i].want);
		xb_error_clear();
	}
}

static void test_harness__suite_backend_override(void **state)
{
	struct xb_suite *s = NULL;

	assert_int_equal(xb_suite_parse(&s, good_suite, "good.suite"), 0);
	assert_int_equal(xb_suite_set_backend(s, "no-such-backend"), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "unknown backend 'no-such-backend'"));
	xb_error_clear();
	xb_suite_free(s);
}

static void test_harness__shipped_suites_parse(void **state)
{
	const char *src = getenv("XB_TEST_SRCDIR");
	const char *names[] = { "quick" };

	assert_non_null(src);
	for (size_t i = 0; i < XB_ARRAY_SIZE(names); i++) {
		char *p = xb_asprintf("%s/workloads/%s.suite", src, names[i]);
		struct xb_suite *s = NULL;

		assert_int_equal(xb_suite_load(&s, p), 0);
		assert_string_equal(s->name, names[i]);
		xb_suite_free(s);
		free(p);
	}
}

static const char moddep[] =
	"kernel/drivers/nvdimm/libnvdimm.ko:\n"
	"kernel/drivers/nvdimm/nd_btt.ko: kernel/drivers/nvdimm/libnvdimm.ko\n"
	"kernel/drivers/nvdimm/nd_pmem.ko: kernel/drivers/nvdimm/nd_btt.ko kernel/drivers/nvdimm/libnvdimm.ko\n"
	"kernel/drivers/nvdimm/nd_e820.ko: kernel/drivers/nvdimm/libnvdimm.ko\n"
	"kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko\n"
	"kernel/lib/crc16.ko:\n"
	"kernel/fs/mbcache.ko:\n"
	"kernel/fs/jbd2/jbd2.ko:\n"
	"kernel/crypto/crc32c_generic.ko.xz:\n";

static size_t index_of(const struct xb_kvlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].value, name))
			return i;
	fail_msg("%s not in the resolved list", name);
	return 0;
}

static void test_harness__moddep_order_and_dedup(void **state)
{
	struct xb_moddep *d = NULL;
	struct xb_kvlist out = { 0 };

	assert_int_equal(xb_moddep_parse(&d, moddep, "kernel/fs/mbcache.ko\n"), 0);
	assert_int_equal(xb_moddep_resolve(&out, d, "nd_e820"), 0);
	assert_int_equal(xb_moddep_resolve(&out, d, "nd-pmem"), 0);  /* '-' == '_' */
	assert_int_equal(xb_moddep_resolve(&out, d, "ext4"), 0);
	assert_int_equal(xb_moddep_resolve(&out, d, "crc32c_generic"), 0);
	/* libnvdimm once, before everything that needs it; mbcache built in */
	assert_int_equal(out.n, 8);
	assert_true(index_of(&out, "libnvdimm") < index_of(&out, "nd_e820"));
	assert_true(index_of(&out, "nd_btt") < index_of(&out, "nd_pmem"));
	assert_true(index_of(&out, "jbd2") < index_of(&out, "ext4"));
	assert_true(index_of(&out, "crc16") < index_of(&out, "ext4"));
	for (size_t i = 0; i < out.n; i++)
		assert_string_not_equal(out.v[i].value, "mbcache");
	assert_string_equal(out.v[index_of(&out, "crc32c_generic")].key,
			    "kernel/crypto/crc32c_generic.ko.xz");
	xb_kv_free(&out);
	assert_int_equal(xb_moddep_resolve(&out, d, "no_such_module"), -ENOENT);
	assert_non_null(strstr(xb_error_last(), "no_such_module"));
	xb_error_clear();
	xb_kv_free(&out);
	xb_moddep_free(d);
}

/* The modules of Debian's 6.1.0-57 amd64 kernel (tests/data/modules-6.1.0-57:
 * excerpts of its modules.dep and modules.alias, its whole modules.softdep):
 * ext4 takes crc32c through "softdep ext4 pre: crypto-crc32c", an alias
 * both crc32c implementations answer; xfs through libcrc32c's "pre: crc32c". */
static void test_harness__moddep_softdep_and_alias(void **state)
{
	char *dir = xb_asprintf("%s/tests/data/modules-6.1.0-57", getenv("XB_TEST_SRCDIR"));
	struct xb_moddep *d = NULL;
	struct xb_kvlist out = { 0 };

	assert_int_equal(xb_moddep_load(&d, dir), 0);
	assert_int_equal(xb_moddep_resolve(&out, d, "ext4"), 0);
	assert_int_equal(out.n, 6);
	assert_true(index_of(&out, "crc32c_generic") < index_of(&out, "ext4"));
	assert_true(index_of(&out, "crc32c_intel") < index_of(&out, "ext4"));
	assert_true(index_of(&out, "jbd2") < index_of(&out, "ext4"));
	/* jbd2's own "pre: crypto-crc32c" adds nothing twice */
	xb_kv_free(&out);
	assert_int_equal(xb_moddep_resolve(&out, d, "xfs"), 0);
	assert_true(index_of(&out, "crc32c_generic") < index_of(&out, "libcrc32c"));
	assert_true(index_of(&out, "libcrc32c") < index_of(&out, "xfs"));
	xb_kv_free(&out);
	/* an alias names its modules; one nothing answers is -ENOENT */
	assert_int_equal(xb_moddep_resolve(&out, d, "fs-ext4"), 0);
	assert_int_equal(index_of(&out, "ext4"), out.n - 1);
	xb_kv_free(&out);
	assert_int_equal(xb_moddep_resolve(&out, d, "crypto-sha3"), -ENOENT);
	xb_error_clear();
	xb_kv_free(&out);
	xb_moddep_free(d);
	free(dir);
}

/* Softdep targets the kernel lacks are skipped, as modprobe skips them;
 * a softdep loop is refused, not followed forever. */
static void test_harness__moddep_softdep_optional_and_loops(void **state)
{
	struct xb_moddep *d = NULL;
	struct xb_kvlist out = { 0 };

	assert_int_equal(xb_moddep_parse(&d, "a.ko:\nb.ko:\nc.ko:\n", NULL), 0);
	xb_moddep_parse_extra(d, "softdep a pre: missing-one x-y post: c\n",
			      "alias x-y b\n");
	assert_int_equal(xb_moddep_resolve(&out, d, "a"), 0);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.v[0].value, "b");
	assert_string_equal(out.v[1].value, "a");
	assert_string_equal(out.v[2].value, "c");
	xb_kv_free(&out);
	xb_moddep_free(d);
	assert_int_equal(xb_moddep_parse(&d, "c.ko:\nc2.ko:\n", NULL), 0);
	xb_moddep_parse_extra(d, "softdep c pre: c2\nsoftdep c2 pre: c\n", NULL);
	assert_int_equal(xb_moddep_resolve(&out, d, "c"), -ELOOP);
	assert_non_null(strstr(xb_error_last(), "loop"));
	xb_error_clear();
	xb_kv_free(&out);
	xb_moddep_free(d);
}

/* A failure returns -errno and leaves one message saying what to do;
 * nothing is printed (the command prints it). */
static void test_harness__errors_say_what_to_do(void **state)
{
	char *p = (char *)"untouched";

	(void)state;
	assert_int_equal(xb_need_program(&p, "daxbench-no-such-program", "daxbench-pkg"), -ENOENT);
	assert_null(p);
	assert_string_equal(xb_error_last(), "daxbench-no-such-program is not installed: "
			    "apt-get install daxbench-pkg");
	assert_int_equal(xb_suite_path(&p, "/nonexistent/x.suite"), -ENOENT);
	assert_null(p);
	assert_string_equal(xb_error_last(), "no suite file /nonexistent/x.suite");
	assert_int_equal(xb_suite_path(&p, "daxbench-no-such-suite"), -ENOENT);
	assert_non_null(strstr(xb_error_last(), "unknown suite 'daxbench-no-such-suite'"));
	assert_int_equal(xb_suite_path(&p, "quick"), 0);
	assert_non_null(strstr(p, "quick.suite"));
	free(p);
	assert_int_equal(xb_need_program(&p, "sh", "dash"), 0);
	assert_non_null(p);
	free(p);
	xb_error_clear();
}

static void test_harness__cpio_extracts_with_real_cpio(void **state)
{
	char dir[] = "/tmp/xbcpio.XXXXXX", *cpio, *data = NULL, *p;
	struct xb_image img = { 0 };
	char hash1[65], hash2[65];
	size_t len;
	int status;

	assert_non_null(mkdtemp(dir));
	cpio = xb_asprintf("%s/img.cpio", dir);
	xb_image_data(&img, "/daxbench/plan", "a=b\n", 4, 0644);
	xb_image_symlink(&img, "/bin/sh", "busybox");
	xb_image_file(&img, "/bin/busybox", "/bin/true", 0755);
	assert_int_equal(xb_image_hash(hash1, &img), 0);
	assert_int_equal(xb_image_write_cpio(&img, cpio), 0);
	{
		char *out = xb_asprintf("%s/x", dir);
		const char *argv[] = { "cpio", "-idm", "--quiet", "-D", out, "-F", cpio, NULL };

		assert_int_equal(xb_mkdir_p(out, 0755), 0);
		assert_int_equal(xb_run(argv, NULL, NULL, &status), 0);
		assert_int_equal(status, 0);
		p = xb_asprintf("%s/daxbench/plan", out);
		assert_int_equal(xb_read_file(&data, &len, p), 0);
		assert_string_equal(data, "a=b\n");
		free(data);
		free(p);
		p = xb_asprintf("%s/bin/sh", out);
		char target[64] = { 0 };
		assert_int_equal(readlink(p, target, sizeof(target) - 1), 7);
		assert_string_equal(target, "busybox");
		free(p);
		p = xb_asprintf("%s/bin/busybox", out);
		assert_true(xb_is_executable(p));
		free(p);
		free(out);
	}
	/* the hash follows content: same image, same hash; a changed byte, another */
	assert_int_equal(xb_image_hash(hash2, &img), 0);
	assert_string_equal(hash1, hash2);
	xb_image_free(&img);
	xb_image_data(&img, "/daxbench/plan", "a=c\n", 4, 0644);
	xb_image_symlink(&img, "/bin/sh", "busybox");
	xb_image_file(&img, "/bin/busybox", "/bin/true", 0755);
	assert_int_equal(xb_image_hash(hash2, &img), 0);
	assert_string_not_equal(hash1, hash2);
	xb_image_free(&img);
	free(cpio);
	xb_rm_rf(dir);
}

static void test_harness__bzimage_release(void **state)
{
	char dir[] = "/tmp/xbbz.XXXXXX", *path, *rel = NULL;
	char img[0x400] = { 0 };

	assert_non_null(mkdtemp(dir));
	path = xb_asprintf("%s/bzImage", dir);
	memcpy(img + 0x202, "HdrS", 4);
	img[0x20e] = 0x00;   /* version string at 0x200 + 0x100 */
	img[0x20f] = 0x01;
	strcpy(img + 0x300, "6.1.0-99-amd64 (someone@somewhere) #1 SMP");
	assert_int_equal(xb_write_file_atomic(path, img, sizeof(img)), 0);
	assert_int_equal(xb_bzimage_release(&rel, path), 0);
	assert_string_equal(rel, "6.1.0-99-amd64");
	free(rel);
	memcpy(img + 0x202, "NoPe", 4);
	assert_int_equal(xb_write_file_atomic(path, img, sizeof(img)), 0);
	assert_int_equal(xb_bzimage_release(&rel, path), -EINVAL);
	free(path);
	xb_rm_rf(dir);
}

static void test_harness__default_kernel_is_newest_61(void **state)
{
	const char *names[] = {
		"linux-image-6.1.0-9-amd64-unsigned", "linux-image-6.1.0-54-amd64-unsigned",
		"linux-image-6.1.0-56-cloud-amd64-unsigned", "linux-image-6.12.1-amd64-unsigned",
		"linux-image-6.1.0-53-amd64-unsigned", "linux-image-6.1.0-100-amd64",
	};

	assert_string_equal(xb_kernel_pick_default(names, XB_ARRAY_SIZE(names)),
			    "linux-image-6.1.0-54-amd64-unsigned");
	assert_null(xb_kernel_pick_default(names + 2, 2));
}

static void test_harness__axonram_params(void **state)
{
	struct xb_backend_cfg g = { 0 };
	struct xb_kvlist p = { 0 };
	const struct xb_backend_ops *b = xb_backend_find("axonram-emu");

	assert_non_null(b);
	assert_int_equal(b->configure(&g, &p), 0);   /* defaults */
	assert_int_equal(g.mem_mb, 2048);
	assert_string_equal(g.append.p, " memmap=512M!1024M");
	assert_string_equal(g.device, "/dev/pmem0");
	xb_backend_cfg_free(&g);
	xb_kv_set(&p, "region_size", "100M");
	assert_int_equal(b->configure(&g, &p), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "multiples of 128M"));
	xb_backend_cfg_free(&g);
	xb_kv_set(&p, "region_size", "2G");
	assert_int_equal(b->configure(&g, &p), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "does not fit"));
	xb_backend_cfg_free(&g);
	xb_kv_free(&p);
}

static void test_harness__qemu_argv_keeps_cmdline_whole(void **state)
{
	struct xb_qemu_opts o = {
		.binary = "qemu-system-x86_64", .accel = "tcg", .kernel = "/k dir/vmlinuz",
		.initrd = "/i", .append = "console=ttyS0 x=\"a b\" y='c;d' $(reboot)",
		.mem_mb = 2048, .smp = 1, .console_path = "/tmp/c", .stream_path = "/tmp/s",
	};
	struct xb_argv a = { 0 };
	bool seen_append = false, seen_kernel = false, seen_merge = false;

	xb_qemu_argv(&a, &o);
	for (size_t i = 0; i + 1 < a.n; i++) {
		if (!strcmp(a.v[i], "-append")) {
			assert_string_equal(a.v[i + 1], o.append);
			seen_append = true;
		}
		if (!strcmp(a.v[i], "-kernel")) {
			assert_string_equal(a.v[i + 1], "/k dir/vmlinuz");
			seen_kernel = true;
		}
		if (!strcmp(a.v[i], "-accel"))
			assert_string_equal(a.v[i + 1], "tcg,thread=multi");
		/* guest RAM kept from the host's KSM (share's ksm mode aside) */
		seen_merge |= !strcmp(a.v[i], "-machine") && !strcmp(a.v[i + 1], "mem-merge=off");
	}
	assert_true(seen_append && seen_kernel && seen_merge);
	assert_null(a.v[a.n]);
	xb_argv_free(&a);
}

/* icount: the options QEMU gets are, word for word, what the fingerprint
 * records as clock.icount. */
static void test_harness__qemu_argv_icount(void **state)
{
	struct xb_qemu_opts o = {
		.binary = "qemu-system-x86_64", .accel = "tcg", .icount = true, .kernel = "/k",
		.initrd = "/i", .append = "x", .mem_mb = 512, .console_path = "/tmp/c",
	};
	struct xb_argv a = { 0 };
	struct xb_buf got = { 0 };
	size_t i;

	xb_qemu_argv(&a, &o);
	for (i = 0; i < a.n && strcmp(a.v[i], "-accel"); i++)
		;
	for (size_t k = i; k < a.n && k < i + 6; k++)
		xb_buf_addf(&got, "%s%s", k > i ? " " : "", a.v[k]);
	assert_string_equal(got.p, XB_ICOUNT_ARGS);
	xb_buf_free(&got);
	xb_argv_free(&a);
}

static void test_harness__cpuinfo_model(void **state)
{
	char *m = xb_cpuinfo_model("processor\t: 0\nmodel name\t: QEMU Virtual CPU version 2.5+\nflags\t: fpu\n");

	assert_string_equal(m, "QEMU Virtual CPU version 2.5+");
	free(m);
	assert_null(xb_cpuinfo_model("processor : 0\n"));
}

static void test_harness__fingerprint_kernel_and_host(void **state)
{
	struct xb_kernel pkg = {
		.release = "6.1.0-56-amd64", .package = "linux-image-6.1.0-56-amd64-unsigned",
		.pkg_version = "6.1.192-2", .vmlinuz = "/c/vmlinuz",
		.image_sha256 = "aa", .config_sha256 = "bb",
	};
	struct xb_kernel own = { .release = "6.9.0-mine", .vmlinuz = "/home/me/bzImage",
				 .image_sha256 = "cc" };
	struct xb_kvlist fp = { 0 };

	xb_fingerprint_kernel(&fp, &pkg);
	assert_string_equal(xb_kv_get(&fp, "kernel.release"), "6.1.0-56-amd64");
	assert_string_equal(xb_kv_get(&fp, "kernel.package"), "linux-image-6.1.0-56-amd64-unsigned");
	assert_string_equal(xb_kv_get(&fp, "kernel.package_version"), "6.1.192-2");
	assert_string_equal(xb_kv_get(&fp, "kernel.image_sha256"), "aa");
	assert_string_equal(xb_kv_get(&fp, "kernel.config_sha256"), "bb");
	assert_null(xb_kv_get(&fp, "kernel.image"));
	xb_kv_free(&fp);
	/* a user's bzImage: its path and hash, no package, no config hash */
	xb_fingerprint_kernel(&fp, &own);
	assert_string_equal(xb_kv_get(&fp, "kernel.image"), "/home/me/bzImage");
	assert_string_equal(xb_kv_get(&fp, "kernel.image_sha256"), "cc");
	assert_null(xb_kv_get(&fp, "kernel.package"));
	assert_null(xb_kv_get(&fp, "kernel.config_sha256"));
	xb_kv_free(&fp);
	xb_fingerprint_host(&fp);
	for (const char *k = "host\0host.kernel\0host.arch\0host.ncpus\0daxbench.version\0"
			     "daxbench.commit\0daxbench.dirty\0host.thp.enabled\0host.thp.defrag\0"
			     "host.thp.shmem_enabled\0host.thp.use_zero_page\0host.ksm.run\0"
			     "host.swap_kb\0host.cpu.vendor\0host.clocksource\0"
			     "host.vm.overcommit_memory\0"; *k; k += strlen(k) + 1)
		if (!xb_kv_get(&fp, k) || !*xb_kv_get(&fp, k))
			fail_msg("host fingerprint lacks %s", k);
	/* a THP choice, never the whole "always [madvise] never" list */
	assert_null(strchr(xb_kv_get(&fp, "host.thp.enabled"), '['));
	assert_true(!strcmp(xb_kv_get(&fp, "daxbench.dirty"), "yes") ||
		    !strcmp(xb_kv_get(&fp, "daxbench.dirty"), "no") ||
		    !strcmp(xb_kv_get(&fp, "daxbench.dirty"), "unknown"));
	xb_kv_free(&fp);
}

static void test_harness__hyperfine_json(void **state)
{
	const char *src = getenv("XB_TEST_SRCDIR");
	char *path = xb_asprintf("%s/tests/fuzz/corpus/hyperfine/real", src), *text = NULL;
	double *v = NULL;
	size_t n = 0;

	/* a real export of `hyperfine --runs 3 --shell=none true` (1.15) */
	assert_int_equal(xb_read_file(&text, NULL, path), 0);
	assert_int_equal(xb_hyperfine_times(&v, &n, text), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_true(v[i] > 0 && v[i] < 1);
	free(v);
	free(text);
	free(path);
	/* a time that is not a number is refused, never read as 0 */
	assert_int_equal(xb_hyperfine_times(&v, &n, "{\"results\":[{\"times\":[0.001,\"x\"]}]}"),
			 -EBADMSG);
	assert_non_null(strstr(xb_error_last(), "times[1] is not a time"));
	xb_error_clear();
	assert_int_equal(xb_hyperfine_times(&v, &n, "{\"results\":[]}"), -EBADMSG);
	assert_non_null(strstr(xb_error_last(), "no results[0].times"));
	xb_error_clear();
	assert_int_equal(xb_hyperfine_times(&v, &n, "not json"), -EBADMSG);
	assert_non_null(strstr(xb_error_last(), "unreadable"));
	xb_error_clear();
}

static void test_harness__device_mounted_partitions_and_escapes(void **state)
{
	char dir[] = "/tmp/xbsys.XXXXXX", *p, *where;
	const char *mi =
		"22 1 8:1 / /data\\040disk rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
		"23 1 7:0 / /mnt/loop rw - ext4 /dev/loop0 rw\n";
	struct xb_sysroot sr = { .mountinfo = mi, .swaps = "Filename Type\n", .sys = dir };

	assert_non_null(mkdtemp(dir));
	/* sda (8:0) has a partition sda1 (8:1), which is mounted */
	p = xb_asprintf("%s/dev/block/8:0/sda1", dir);
	assert_int_equal(xb_mkdir_p(p, 0755), 0);
	free(p);
	p = xb_asprintf("%s/dev/block/8:0/sda1/dev", dir);
	assert_int_equal(xb_write_file_atomic(p, "8:1\n", 4), 0);
	free(p);
	where = xb_device_mounted(mi, dir, 8, 0);
	assert_non_null(where);
	assert_string_equal(where, "/data disk");   /* \040 decoded */
	free(where);
	where = xb_device_mounted(mi, dir, 7, 0);
	assert_string_equal(where, "/mnt/loop");
	free(where);
	assert_null(xb_device_mounted(mi, dir, 8, 16));
	/* not a block device, or missing: refused before anything else */
	assert_int_equal(xb_device_check_free("/dev/null", &sr), -ENOTBLK);
	assert_non_null(strstr(xb_error_last(), "not a block device"));
	assert_int_equal(xb_device_check_free("/dev/daxbench-no-such", &sr), -ENOENT);
	xb_rm_rf(dir);
}

static void test_harness__commit_date(void **state)
{
	long long t;

	assert_int_equal(xb_parse_commit_date(&t, "1763629200"), 0);
	assert_int_equal(t, 1763629200);
	/* 10:00 at +01:00 is 09:00 UTC */
	assert_int_equal(xb_parse_commit_date(&t, "2025-11-20T10:00:00+01:00"), 0);
	assert_int_equal(t, 1763629200);
	assert_int_equal(xb_parse_commit_date(&t, "2025-11-20T09:00:00Z"), 0);
	assert_int_equal(t, 1763629200);
	assert_int_equal(xb_parse_commit_date(&t, "2025-11-20T04:00:00-0500"), 0);
	assert_int_equal(t, 1763629200);
	assert_int_equal(xb_parse_commit_date(&t, "yesterday"), -EINVAL);
	assert_int_equal(xb_parse_commit_date(&t, "2025-11-20"), -EINVAL);
	assert_int_equal(xb_parse_commit_date(&t, "2025-11-20T09:00:00Zjunk"), -EINVAL);
}

/* --json output: the writer's document, as text, for the checks below. */
static char *json_text(struct xb_json *j)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_int_equal(xb_json_print(j, f), 0);
	fclose(f);
	return out;
}

static void test_harness__json_escapes(void **state)
{
	struct xb_json j = { 0 };
	char *out;

	xb_json_obj_open(&j);
	xb_json_key(&j, "a\"b");
	xb_json_str(&j, "line\nwith\ttab\\ and \x01");
	xb_json_key(&j, "n");
	xb_json_arr_open(&j);
	xb_json_num(&j, 1.5);
	xb_json_num(&j, 0.0 / 0.0);
	xb_json_int(&j, -3);
	xb_json_bool(&j, true);
	xb_json_str(&j, NULL);
	xb_json_arr_close(&j);
	xb_json_key(&j, "o");
	xb_json_obj_open(&j);
	xb_json_obj_close(&j);
	xb_json_obj_close(&j);
	out = json_text(&j);
	assert_string_equal(out, "{\"a\\\"b\":\"line\\nwith\\ttab\\\\ and \\u0001\","
			    "\"n\":[1.5,null,-3,true,null],\"o\":{}}\n");
	free(out);
}

/* A label that is not UTF-8 (issue 17: `ingest --label $'bad\xff\xfe'`)
 * still gives a document a strict parser accepts. */
static void test_harness__json_invalid_utf8_is_valid_json(void **state)
{
	struct xb_json j = { 0 };
	json_error_t err;
	json_t *doc;
	char *out;

	xb_json_obj_open(&j);
	xb_json_key(&j, "label");
	xb_json_str(&j, "bad\xff\xfe");
	xb_json_key(&j, "k\xc0");
	xb_json_int(&j, 1);
	xb_json_obj_close(&j);
	out = json_text(&j);
	doc = json_loads(out, 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "label")),
			    "bad\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(doc);
	free(out);
}

static void test_harness__kbuild_spec(void **state)
{
	char *dir = NULL, *rev = NULL;

	(void)state;
	assert_int_equal(xb_kbuild_parse_spec(&dir, &rev, "/src/linux@v6.1"), 0);
	assert_string_equal(dir, "/src/linux");
	assert_string_equal(rev, "v6.1");
	free(dir);
	free(rev);
	assert_int_equal(xb_kbuild_parse_spec(&dir, &rev, "/home/me@work/linux"), 0);
	assert_string_equal(dir, "/home/me@work/linux");
	assert_null(rev);
	free(dir);
	assert_int_equal(xb_kbuild_parse_spec(&dir, &rev, "/src/linux@"), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "DIR@COMMIT"));
	xb_error_clear();
}

static int sh(const char *cmd)
{
	int rc = system(cmd);

	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/* The made .config against what was asked: set, and not set. */
static void test_harness__kbuild_check_config(void **state)
{
	char tmpl[] = "/tmp/xb-kconfig-XXXXXX", *cfg;
	const char *d = mkdtemp(tmpl);
	static const char made[] = "CONFIG_64BIT=y\nCONFIG_PCI=y\n# CONFIG_ACPI is not set\n"
				   "CONFIG_VT=y\nCONFIG_NR_CPUS=8\n";

	(void)state;
	assert_non_null(d);
	cfg = xb_asprintf("%s/.config", d);
	assert_int_equal(xb_write_file_atomic(cfg, made, strlen(made)), 0);
	assert_int_equal(xb_kbuild_check_config("CONFIG_64BIT=y\n# CONFIG_ACPI is not set\n"
						"# CONFIG_INPUT is not set\n# a comment\n", cfg), 0);
	/* the first line of the file counts too */
	assert_int_equal(xb_kbuild_check_config("CONFIG_NR_CPUS=8\n", cfg), 0);
	assert_int_equal(xb_kbuild_check_config("CONFIG_NR_CPUS=4\n", cfg), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "CONFIG_NR_CPUS=4"));
	/* selected although asked off, and a prefix of another option is not it */
	assert_int_equal(xb_kbuild_check_config("# CONFIG_VT is not set\n# CONFIG_64BIT is not set\n",
						cfg), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "# CONFIG_VT is not set, # CONFIG_64BIT is not set"));
	assert_int_equal(xb_kbuild_check_config("# CONFIG_6 is not set\n", cfg), 0);
	unlink(cfg);
	rmdir(d);
	free(cfg);
}

/* A real git tree that is no kernel: a dirty tree is refused before any
 * build, an unknown commit names itself, a failed build names its log and
 * leaves nothing built. */
static void test_harness__kbuild_refusals(void **state)
{
	char tmpl[] = "/tmp/xb-kbuild-XXXXXX", *cmd;
	struct xb_kbuild *b = NULL;
	struct xb_kbuild_opts o = { 0 };
	const char *d = mkdtemp(tmpl);

	(void)state;
	assert_non_null(d);
	o.cache_dir = d;
	cmd = xb_asprintf("cd %s && git init -q repo && cd repo && echo all: >Makefile && "
			  "git add Makefile && git -c user.name=t -c user.email=t@t commit -q -m one", d);
	if (sh(cmd)) {
		free(cmd);
		skip();
	}
	free(cmd);
	cmd = xb_asprintf("%s/repo", d);
	assert_int_equal(xb_kbuild(&b, cmd, "nosuchcommit", &o), -EIO);
	assert_non_null(strstr(xb_error_last(), "no commit 'nosuchcommit'"));
	{
		char *c = xb_asprintf("echo x >>%s/Makefile", cmd);

		assert_int_equal(sh(c), 0);
		free(c);
	}
	assert_int_equal(xb_kbuild(&b, cmd, NULL, &o), -EPERM);
	assert_non_null(strstr(xb_error_last(), "--allow-dirty"));
	/* allowed, the dirty tree is exported and built: here make fails */
	o.allow_dirty = true;
	assert_int_equal(xb_kbuild(&b, cmd, NULL, &o), -EIO);
	assert_non_null(strstr(xb_error_last(), "make tinyconfig failed"));
	o.allow_dirty = false;
	{
		char *c = xb_asprintf("grep -qx x %s/kbuild/*/src/Makefile", d);

		assert_int_equal(sh(c), 0);   /* the uncommitted line was exported */
		free(c);
	}
	/* HEAD builds (no tinyconfig target here): a failure with its log */
	assert_int_equal(xb_kbuild(&b, cmd, "HEAD", &o), -EIO);
	assert_non_null(strstr(xb_error_last(), "make tinyconfig failed"));
	assert_non_null(strstr(xb_error_last(), ".log"));
	assert_null(b);
	xb_error_clear();
	free(cmd);
	cmd = xb_asprintf("test -z \"$(ls -A %s/kbuild/built)\" && rm -rf %s", d, d);
	assert_int_equal(sh(cmd), 0);
	free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_harness__suite_parses),
		cmocka_unit_test(test_harness__json_escapes),
		cmocka_unit_test(test_harness__json_invalid_utf8_is_valid_json),
		cmocka_unit_test(test_harness__kbuild_spec),
		cmocka_unit_test(test_harness__kbuild_check_config),
		cmocka_unit_test(test_harness__kbuild_refusals),
		cmocka_unit_test(test_harness__suite_errors_name_the_line),
		cmocka_unit_test(test_harness__suite_backend_override),
		cmocka_unit_test(test_harness__shipped_suites_parse),
		cmocka_unit_test(test_harness__moddep_order_and_dedup),
		cmocka_unit_test(test_harness__moddep_softdep_and_alias),
		cmocka_unit_test(test_harness__moddep_softdep_optional_and_loops),
		cmocka_unit_test(test_harness__errors_say_what_to_do),
		cmocka_unit_test(test_harness__cpio_extracts_with_real_cpio),
		cmocka_unit_test(test_harness__bzimage_release),
		cmocka_unit_test(test_harness__default_kernel_is_newest_61),
		cmocka_unit_test(test_harness__axonram_params),
		cmocka_unit_test(test_harness__qemu_argv_keeps_cmdline_whole),
		cmocka_unit_test(test_harness__qemu_argv_icount),
		cmocka_unit_test(test_harness__cpuinfo_model),
		cmocka_unit_test(test_harness__fingerprint_kernel_and_host),
		cmocka_unit_test(test_harness__hyperfine_json),
		cmocka_unit_test(test_harness__device_mounted_partitions_and_escapes),
		cmocka_unit_test(test_harness__commit_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
