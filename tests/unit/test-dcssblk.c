// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/dcssblk.c against a fake sysfs tree in a temporary
 * directory. The fake driver is a child process reading the "add" FIFO
 * and making the device's directory as the kernel would; write errors come
 * from attributes that are symlinks to /dev/full (ENOSPC on write).
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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "dcssblk.h"
#include "error.h"
#include "fake-files.h"

static char root[64];

static char *at(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *at(const char *fmt, ...)
{
	char base[96], *p;
	va_list ap;

	snprintf(base, sizeof(base), "%s/devices/dcssblk", root);
	va_start(ap, fmt);
	p = fake_vpath(base, fmt, ap);
	va_end(ap);
	return p;
}

/* An added device as the driver shows it: NAME/{seglist,shared,block/disk}. */
static void make_device(const char *name, const char *seglist, const char *disk)
{
	assert_int_equal(mkdir(at("%s", name), 0755), 0);
	put(at("%s/seglist", name), seglist);
	put(at("%s/shared", name), "1\n");
	assert_int_equal(mkdir(at("%s/block", name), 0755), 0);
	if (disk)
		assert_int_equal(mkdir(at("%s/block/%s", name, disk), 0755), 0);
}

static int setup_tree(void **state)
{
	(void)state;
	strcpy(root, "/tmp/xb-dcssblk-XXXXXX");
	assert_non_null(mkdtemp(root));
	assert_int_equal(xb_mkdir_p(at("%s", ""), 0755), 0);
	put(at("add"), "");
	put(at("remove"), "");
	return 0;
}

static int teardown_tree(void **state)
{
	(void)state;
	return xb_rm_rf(root);
}

/*
 * The fake driver: reads one "A:B\n" from the add FIFO and makes the
 * device A with that seglist, built aside and renamed into place so the
 * code under test never sees half a device.
 */
static pid_t fake_driver(void)
{
	pid_t pid;

	unlink(at("add"));
	assert_int_equal(mkfifo(at("add"), 0644), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char buf[256] = { 0 }, list[256] = { 0 }, *name;
		int fd = open(at("add"), O_RDONLY);
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		if (n <= 0)
			_exit(1);
		size_t k = 0;

		for (char *p = buf; *p && *p != '\n'; p++)
			list[k++] = *p == ':' ? '\n' : *p;
		list[k] = '\n';
		name = strtok(buf, ":\n");
		make_device(".new", list, "dcssblk0");
		_exit(rename(at(".new"), at("%s", name)) ? 1 : 0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && !WEXITSTATUS(status));
}

static void test_dcssblk__parse_names(void **state)
{
	struct xb_dcssblk d = { 0 };

	(void)state;
	assert_int_equal(xb_dcssblk_parse(&d, "seg1:Seg$2,s#@"), 0);
	assert_int_equal(d.nsegs, 3);
	assert_string_equal(d.segs[0], "SEG1");
	assert_string_equal(d.segs[1], "SEG$2");
	assert_string_equal(d.segs[2], "S#@");
	assert_string_equal(d.name, "SEG1");
	xb_dcssblk_free(&d);
}

static void test_dcssblk__parse_rejects(void **state)
{
	static const char *const bad[] = { "", ":", "a:", ":a", "a::b", "NINECHARS",
					   "a b", "a/b", "a:A", "a:b:c:d:e:f:g:h:i:j:k:l:m:n:o:p:q" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xb_dcssblk d = { 0 };

		assert_true(xb_dcssblk_parse(&d, bad[i]) < 0);
		assert_non_null(strstr(xb_error_last(), "dcssblk: segments"));
		xb_dcssblk_free(&d);
		xb_error_clear();
	}
}

static void test_dcssblk__seglist_malformed(void **state)
{
	static const char *const bad[] = { "", "A", "A\nB", "A\n\n", "\n", "TOOLONGNAME\n",
					   "A B\n", "A\nA\n", "A\r\n" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xb_dcssblk d = { 0 };

		assert_int_equal(xb_dcssblk_parse_seglist(&d, bad[i]), -EBADMSG);
		assert_string_not_equal(xb_error_last(), "");
		xb_dcssblk_free(&d);
		xb_error_clear();
	}
}

static void test_dcssblk__add_and_remove(void **state)
{
	struct xb_dcssblk_opts o = { 0 };
	struct xb_dcssblk d = { 0 };
	pid_t pid;
	char *text;

	(void)state;
	pid = fake_driver();
	assert_int_equal(xb_dcssblk_parse(&d, "one:two"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, root, &o), 0);
	reap(pid);
	assert_true(d.added);
	assert_string_equal(d.disk, "dcssblk0");
	text = get(at("ONE/seglist"));
	assert_string_equal(text, "ONE\nTWO\n");
	free(text);
	text = get(at("ONE/shared"));
	assert_string_equal(text, "0\n");       /* exclusive-writable by default */
	free(text);
	assert_int_equal(xb_dcssblk_teardown(&d), 0);
	text = get(at("remove"));
	assert_string_equal(text, "ONE");
	free(text);
	assert_string_equal(xb_error_last(), "");
}

static void test_dcssblk__no_driver(void **state)
{
	struct xb_dcssblk_opts o = { 0 };
	struct xb_dcssblk d = { 0 };
	char *nowhere = xb_asprintf("%s/nothing", root);

	(void)state;
	assert_int_equal(xb_dcssblk_parse(&d, "one"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, nowhere, &o), -ENODEV);
	assert_non_null(strstr(xb_error_last(), "modprobe dcssblk"));
	assert_int_equal(xb_dcssblk_teardown(&d), 0);
	free(nowhere);
	xb_error_clear();
}

/* Someone else's device is left alone: nothing written to add, shared or
 * remove, and teardown does not remove it. */
static void test_dcssblk__refuses_added(void **state)
{
	struct xb_dcssblk_opts o = { 0 };
	struct xb_dcssblk d = { 0 };
	char *text;

	(void)state;
	make_device("ONE", "ONE\n", "dcssblk3");
	assert_int_equal(xb_dcssblk_parse(&d, "one"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, root, &o), -EBUSY);
	assert_non_null(strstr(xb_error_last(), "reuse=yes"));
	assert_false(d.added);
	assert_int_equal(xb_dcssblk_teardown(&d), 0);
	text = get(at("add"));
	assert_string_equal(text, "");
	free(text);
	text = get(at("remove"));
	assert_string_equal(text, "");
	free(text);
	text = get(at("ONE/shared"));
	assert_string_equal(text, "1\n");
	free(text);
	xb_error_clear();
}

static void test_dcssblk__reuse(void **state)
{
	struct xb_dcssblk_opts o = { .shared = true, .reuse = true };
	struct xb_dcssblk d = { 0 };
	char *text;

	(void)state;
	make_device("ONE", "ONE\nTWO\n", "dcssblk3");
	assert_int_equal(xb_dcssblk_parse(&d, "one:two"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, root, &o), 0);
	assert_string_equal(d.disk, "dcssblk3");
	assert_false(d.added);
	assert_int_equal(xb_dcssblk_teardown(&d), 0);
	text = get(at("remove"));
	assert_string_equal(text, "");
	free(text);
	assert_string_equal(xb_error_last(), "");
}

static void test_dcssblk__reuse_other_segments(void **state)
{
	struct xb_dcssblk_opts o = { .reuse = true };
	struct xb_dcssblk d = { 0 };

	(void)state;
	make_device("ONE", "ONE\nTHREE\n", "dcssblk3");
	assert_int_equal(xb_dcssblk_parse(&d, "one:two"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, root, &o), -EBUSY);
	assert_non_null(strstr(xb_error_last(), "other segments"));
	xb_dcssblk_free(&d);
	xb_error_clear();
}

static void test_dcssblk__reuse_malformed_seglist(void **state)
{
	struct xb_dcssblk_opts o = { .reuse = true };
	struct xb_dcssblk d = { 0 };

	(void)state;
	make_device("ONE", "ONE\nTW O", "dcssblk3");
	assert_int_equal(xb_dcssblk_parse(&d, "one"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, root, &o), -EBADMSG);
	assert_non_null(strstr(xb_error_last(), "seglist"));
	xb_dcssblk_free(&d);
	xb_error_clear();
}

static void test_dcssblk__add_write_error(void **state)
{
	struct xb_dcssblk_opts o = { 0 };
	struct xb_dcssblk d = { 0 };

	(void)state;
	unlink(at("add"));
	assert_int_equal(symlink("/dev/full", at("add")), 0);
	assert_int_equal(xb_dcssblk_parse(&d, "one"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, root, &o), -ENOSPC);
	assert_non_null(strstr(xb_error_last(), "writing 'ONE'"));
	assert_false(d.added);
	xb_dcssblk_free(&d);
	xb_error_clear();
}

/* Added, then the mode change fails: the device is ours, so teardown
 * still removes it. */
static void test_dcssblk__shared_write_error(void **state)
{
	struct xb_dcssblk_opts o = { .reuse = true };
	struct xb_dcssblk d = { 0 };
	char *text;

	(void)state;
	make_device("ONE", "ONE\n", "dcssblk0");
	unlink(at("ONE/shared"));
	assert_int_equal(symlink("/dev/full", at("ONE/shared")), 0);
	assert_int_equal(xb_dcssblk_parse(&d, "one"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, root, &o), -ENOSPC);
	assert_non_null(strstr(xb_error_last(), "shared"));
	d.added = true;    /* as if setup had added it */
	assert_int_equal(xb_dcssblk_teardown(&d), 0);
	text = get(at("remove"));
	assert_string_equal(text, "ONE");
	free(text);
	xb_error_clear();
}

static void test_dcssblk__remove_write_error(void **state)
{
	struct xb_dcssblk_opts o = { 0 };
	struct xb_dcssblk d = { 0 };
	pid_t pid;

	(void)state;
	pid = fake_driver();
	unlink(at("remove"));
	assert_int_equal(symlink("/dev/full", at("remove")), 0);
	assert_int_equal(xb_dcssblk_parse(&d, "one"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, root, &o), 0);
	reap(pid);
	assert_int_equal(xb_dcssblk_teardown(&d), -ENOSPC);
	assert_non_null(strstr(xb_error_last(), "remove"));
	xb_error_clear();
}

static void test_dcssblk__no_block_device(void **state)
{
	struct xb_dcssblk_opts o = { .reuse = true };
	struct xb_dcssblk d = { 0 };

	(void)state;
	make_device("ONE", "ONE\n", NULL);
	assert_int_equal(xb_dcssblk_parse(&d, "one"), 0);
	assert_int_equal(xb_dcssblk_setup(&d, root, &o), -ENOENT);
	assert_non_null(strstr(xb_error_last(), "dcssblkN"));
	xb_dcssblk_free(&d);
	xb_error_clear();
}

#define T(name) cmocka_unit_test_setup_teardown(test_dcssblk__##name, setup_tree, teardown_tree)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(parse_names), T(parse_rejects), T(seglist_malformed), T(add_and_remove),
		T(no_driver), T(refuses_added), T(reuse), T(reuse_other_segments),
		T(reuse_malformed_seglist), T(add_write_error), T(shared_write_error),
		T(remove_write_error), T(no_block_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
