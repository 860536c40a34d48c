// SPDX-License-Identifier: GPL-2.0
/* daxbench share: the shared-image modes' QEMU arguments and the image
 * recipe's checks (issue 4). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include "backends.h"
#include "error.h"
#include "group.h"
#include "record.h"
#include "stream-writer.h"
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

/* The same calls through the stream writer: the file, parsed back, is what
 * a group's record used to be. */
static struct xb_stream *written_and_parsed(void (*fill)(struct xb_stream_writer *w))
{
	char path[] = "/tmp/xb-record-test.XXXXXX", *data = NULL;
	struct xb_stream_writer *w = NULL;
	struct xb_stream *s = NULL;
	size_t len = 0;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(xb_stream_writer_open(&w, fd), 0);
	fill(w);
	assert_int_equal(xb_stream_writer_close(w), 0);
	close(fd);
	assert_int_equal(xb_read_file(&data, &len, path), 0);
	assert_int_equal(xb_stream_parse(&s, data, len), 0);
	unlink(path);
	free(data);
	return s;
}

static const double one_third = 1.0 / 3, big = 123456789.123456789, bad = NAN;

static void fill_writer(struct xb_stream_writer *w)
{
	double two[2] = { 1, one_third };

	xb_stream_write_hdr(w, "share.mode", "dax");
	xb_stream_write_metric(w, "p.qemu.pss.kib", "KiB", "lower", "QEMU smaps_rollup: Pss");
	xb_stream_write_samples(w, "p.qemu.pss.kib", 0, &big, 1);
	xb_stream_write_metric(w, "p.qemu.pss.kib", "KiB", "lower", "declared again");
	xb_stream_write_samples(w, "p.qemu.pss.kib", 1, two, 2);
	xb_stream_write_samples(w, "p.qemu.pss.kib", 0, &one_third, 1);
	xb_stream_write_metric(w, "p.ksm.cpu.s", "s", "lower", "ksmd CPU time");
	xb_stream_write_samples(w, "p.ksm.cpu.s", 0, &bad, 1);
	xb_stream_write_note(w, "warning", "p", "two \t words\nand a line");
	xb_stream_write_hdr(w, "share.mode", "pagecache");
}

static void fill_record(struct xb_stream *r)
{
	double two[2] = { 1, one_third };

	xb_stream_set_hdr(r, "share.mode", "dax");
	xb_stream_add_metric(r, "p.qemu.pss.kib", "KiB", "lower", "QEMU smaps_rollup: Pss");
	xb_stream_add_samples(r, "p.qemu.pss.kib", 0, &big, 1);
	xb_stream_add_metric(r, "p.qemu.pss.kib", "KiB", "lower", "declared again");
	xb_stream_add_samples(r, "p.qemu.pss.kib", 1, two, 2);
	xb_stream_add_samples(r, "p.qemu.pss.kib", 0, &one_third, 1);
	xb_stream_add_metric(r, "p.ksm.cpu.s", "s", "lower", "ksmd CPU time");
	assert_int_equal(xb_stream_add_samples(r, "p.ksm.cpu.s", 0, &bad, 1), -EINVAL);
	xb_stream_add_note(r, "warning", "p", "two \t words\nand a line");
	xb_stream_set_hdr(r, "share.mode", "pagecache");
}

static void assert_same_stream(const struct xb_stream *a, const struct xb_stream *b)
{
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->hdr.n, b->hdr.n);
	for (size_t i = 0; i < a->hdr.n; i++) {
		assert_string_equal(a->hdr.v[i].key, b->hdr.v[i].key);
		assert_string_equal(a->hdr.v[i].value, b->hdr.v[i].value);
	}
	assert_int_equal(a->nmetrics, b->nmetrics);
	for (size_t i = 0; i < a->nmetrics; i++) {
		assert_string_equal(a->metrics[i].name, b->metrics[i].name);
		assert_string_equal(a->metrics[i].unit, b->metrics[i].unit);
		assert_string_equal(a->metrics[i].direction, b->metrics[i].direction);
		assert_string_equal(a->metrics[i].description, b->metrics[i].description);
	}
	assert_int_equal(a->nseries, b->nseries);
	for (size_t i = 0; i < a->nseries; i++) {
		assert_string_equal(a->series[i].metric, b->series[i].metric);
		assert_int_equal(a->series[i].rep, b->series[i].rep);
		assert_int_equal(a->series[i].n, b->series[i].n);
		for (size_t k = 0; k < a->series[i].n; k++)
			assert_true(a->series[i].v[k] == b->series[i].v[k]);   /* bit for bit */
	}
	assert_int_equal(a->nnotes, b->nnotes);
	for (size_t i = 0; i < a->nnotes; i++) {
		assert_string_equal(a->notes[i].kind, b->notes[i].kind);
		assert_string_equal(a->notes[i].subject, b->notes[i].subject);
		assert_string_equal(a->notes[i].text, b->notes[i].text);
	}
}

static void test_share__record_is_the_stream_parsed_back(void **state)
{
	struct xb_stream *parsed = written_and_parsed(fill_writer), *rec = xb_stream_new();

	fill_record(rec);
	assert_same_stream(rec, parsed);
	assert_int_equal(rec->series[0].n, 2);   /* rep 0: two calls, one series */
	assert_string_equal(xb_kv_get(&rec->hdr, "share.mode"), "pagecache");
	xb_stream_free(parsed);
	xb_stream_free(rec);
}

static void fill_guest(struct xb_stream_writer *w)
{
	double v[3] = { 10, 20, 30 };

	xb_stream_write_metric(w, "exec.true.warm.us", "us", "lower", "warm exec");
	xb_stream_write_samples(w, "exec.true.warm.us", 0, v, 3);
	xb_stream_write_note(w, "info", "guest", "hello");
}

static void write_guest(const char *path, bool error)
{
	struct xb_stream_writer *w = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(xb_stream_writer_open(&w, fd), 0);
	fill_guest(w);
	if (error)
		xb_stream_write_note(w, "error", "exec", "no such program");
	assert_int_equal(xb_stream_writer_close(w), 0);
	close(fd);
}

static void test_share__guest_stream_taken_under_prefix_rep_guest(void **state)
{
	char dir[] = "/tmp/xb-take-test.XXXXXX", *path;
	struct xb_stream *rec = xb_stream_new();

	assert_non_null(mkdtemp(dir));
	path = xb_asprintf("%s/g-stream", dir);
	write_guest(path, false);
	assert_int_equal(xb_record_take_guest(rec, "share.dax.n2", 1, path, NULL), 0);
	assert_int_equal(rec->nseries, 1);
	assert_string_equal(rec->series[0].metric, "share.dax.n2.exec.true.warm.us");
	assert_int_equal(rec->series[0].rep, 1);
	assert_int_equal(rec->series[0].n, 3);
	assert_string_equal(rec->metrics[0].description, "warm exec");
	assert_int_equal(rec->nnotes, 1);
	assert_string_equal(rec->notes[0].text, "hello");
	write_guest(path, true);
	assert_int_equal(xb_record_take_guest(rec, "share.dax.n2", 0, path, NULL), -EIO);
	assert_string_equal(xb_error_last(), "guest 0: error in exec: no such program");
	unlink(path);
	assert_int_equal(xb_record_take_guest(rec, "share.dax.n2", 1, path, NULL), -EBADMSG);
	assert_string_equal(xb_error_last(), "guest 1: results stream unreadable: missing");
	assert_int_equal(xb_write_file_replace(path, "garbage\n", 8, false), 0);
	assert_int_equal(xb_record_take_guest(rec, "share.dax.n2", 1, path, NULL), -EBADMSG);
	assert_string_equal(xb_error_last(), "guest 1: results stream unreadable: "
			    "not a daxbench results stream (bad magic line)");
	xb_error_clear();
	unlink(path);
	free(path);
	xb_stream_free(rec);
	xb_rm_rf(dir);
}

/* A stand-in for QEMU: it finds its console file and the kernel command
 * line among its arguments and plays a guest that gets ready, fails,
 * exits or hangs as the command line says. */
static const char fake_qemu[] =
	"#!/bin/sh\n"
	"con=; app=\n"
	"while [ $# -gt 0 ]; do\n"
	"  case \"$1\" in\n"
	"    file,id=con,path=*) con=${1#file,id=con,path=} ;;\n"
	"    -append) shift; app=$1 ;;\n"
	"  esac\n"
	"  shift\n"
	"done\n"
	"case \"$app\" in\n"
	"  *fail*) echo 'daxbench-share-guest: failed: no dax here' > \"$con\"; exec sleep 30 ;;\n"
	"  *exit*) echo 'fake qemu: cannot map the segment' >&2; exit 1 ;;\n"
	"  *hang*) exec sleep 30 ;;\n"
	"esac\n"
	"echo 'daxbench-share-guest: ready' > \"$con\"\n"
	"exec sleep 30\n";

static int group_run(const char *dir, const char *append, const char *first, double timeout_s,
		     bool *out_all_stopped)
{
	char *bin = xb_asprintf("%s/fake-qemu", dir), *files = xb_asprintf("%s/grp", dir);
	struct xb_qemu_opts q = { .binary = bin, .accel = "tcg", .kernel = "k", .initrd = "i",
				  .append = append, .mem_mb = 64, .smp = 1 };
	struct xb_group_opts o = { .q = &q, .first_append = first, .n = 3, .files = files,
				   .timeout_s = timeout_s, .label = "test" };
	struct xb_group g = { 0 };
	int rc;

	assert_int_equal(xb_write_file_atomic(bin, fake_qemu, sizeof(fake_qemu) - 1), 0);
	assert_int_equal(chmod(bin, 0755), 0);
	rc = xb_group_start(&g, &o);
	if (!rc)
		rc = xb_group_wait(&g, &o);
	assert_int_equal(g.n, 3);
	assert_non_null(strstr(g.g[2].stream, "/grp-g2-stream"));
	xb_group_stop(&g);
	*out_all_stopped = true;
	for (unsigned i = 0; i < g.n; i++)
		*out_all_stopped &= g.g[i].pid == 0;
	xb_group_free(&g);
	free(bin);
	free(files);
	return rc;
}

static void test_share__group_waits_for_every_guest_and_says_why_not(void **state)
{
	char dir[] = "/tmp/xb-group-test.XXXXXX";
	bool stopped = false;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(group_run(dir, "ok", NULL, 20, &stopped), 0);
	assert_true(stopped);
	/* guest 0's own command line makes it fail: its message is the error */
	assert_int_equal(group_run(dir, "ok", "fail", 20, &stopped), -EIO);
	assert_non_null(strstr(xb_error_last(), "guest 0 failed: daxbench-share-guest: failed: no dax here"));
	assert_true(stopped);
	assert_int_equal(group_run(dir, "ok", "exit", 20, &stopped), -EIO);
	assert_non_null(strstr(xb_error_last(), "QEMU of guest 0 exited: fake qemu: cannot map the segment"));
	assert_int_equal(group_run(dir, "hang", NULL, 0.5, &stopped), -ETIMEDOUT);
	assert_string_equal(xb_error_last(), "3 of 3 guests not ready within 0 s");
	assert_true(stopped);
	xb_rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share__dax_maps_one_file_readonly_shared),
		cmocka_unit_test(test_share__blk_and_ksm_use_a_readonly_disk),
		cmocka_unit_test(test_share__recipe_errors_stop_before_building),
		cmocka_unit_test(test_share__erofs_modes_are_dax_and_pagecache_on_pmem),
		cmocka_unit_test(test_share__record_is_the_stream_parsed_back),
		cmocka_unit_test(test_share__guest_stream_taken_under_prefix_rep_guest),
		cmocka_unit_test(test_share__group_waits_for_every_guest_and_says_why_not),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
