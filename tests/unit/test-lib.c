// SPDX-License-Identifier: GPL-2.0
/* Unit tests of lib/: checksums, parsing helpers, plan, caps, json, xb_run. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "caps.h"
#include "crc32.h"
#include "error.h"
#include "text.h"
#include "plan.h"
#include "sha256.h"
#include "sysknobs.h"
#include "util.h"

static void test_lib__crc32_check_value(void **state)
{
	/* the CRC-32 check value of the catalogue of parametrised CRCs */
	assert_int_equal(xb_crc32(0, "123456789", 9), 0xCBF43926u);
	/* incremental equals one-shot */
	assert_int_equal(xb_crc32(xb_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
	assert_int_equal(xb_crc32(0, "", 0), 0);
}

static void test_lib__sha256_vectors(void **state)
{
	char hex[65];
	struct xb_sha256 s;
	uint8_t d[32];
	char *million = malloc(1000000);

	/* FIPS 180-4 examples */
	xb_sha256_hex(hex, "abc", 3);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	xb_sha256_hex(hex, "", 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	xb_sha256_hex(hex, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	xb_sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		xb_sha256_update(&s, million + i * 1000, 1000);
	xb_sha256_final(&s, d);
	xb_hex(hex, d, 32);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static void test_lib__parse_size(void **state)
{
	uint64_t v;

	assert_int_equal(xb_parse_size(&v, "4096"), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(xb_parse_size(&v, "64M"), 0);
	assert_int_equal(v, 64ull << 20);
	assert_int_equal(xb_parse_size(&v, "2GiB"), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(xb_parse_size(&v, "512k"), 0);
	assert_int_equal(v, 512ull << 10);
	assert_int_equal(xb_parse_size(&v, "abc"), -EINVAL);
	assert_int_equal(xb_parse_size(&v, "-1"), -EINVAL);
	assert_int_equal(xb_parse_size(&v, "12Q"), -EINVAL);
	assert_int_equal(xb_parse_size(&v, ""), -EINVAL);
	assert_int_equal(xb_parse_size(&v, "99999999999999T"), -ERANGE);
}

static void test_lib__parse_int(void **state)
{
	long long v;

	assert_int_equal(xb_parse_int(&v, "42", 1, 100), 0);
	assert_int_equal(v, 42);
	assert_int_equal(xb_parse_int(&v, "0", 1, 100), -ERANGE);
	assert_int_equal(xb_parse_int(&v, "4x", 1, 100), -EINVAL);
	assert_int_equal(xb_parse_int(&v, "", 1, 100), -EINVAL);
}

static void test_lib__parse_double(void **state)
{
	double v;

	assert_int_equal(xb_parse_double(&v, "2.5", 0, 100), 0);
	assert_true(v == 2.5);
	assert_int_equal(xb_parse_double(&v, "0", 0.001, 100), -ERANGE);
	assert_int_equal(xb_parse_double(&v, "1%", 0, 100), -EINVAL);
	assert_int_equal(xb_parse_double(&v, "nan", 0, 100), -EINVAL);
	assert_int_equal(xb_parse_double(&v, "", 0, 100), -EINVAL);
}

static void test_lib__plan_roundtrip(void **state)
{
	struct xb_kvlist in = { 0 }, out = { 0 };
	struct xb_buf text = { 0 };

	xb_kv_set(&in, "plan.version", "1");
	xb_kv_set(&in, "device", "/dev/pmem0");
	xb_kv_set(&in, "bench.fault.file_size", "64M");
	assert_int_equal(xb_plan_format(&text, &in), 0);
	assert_int_equal(xb_plan_parse(&out, text.p), 0);
	assert_int_equal(out.n, 3);
	assert_string_equal(xb_kv_get(&out, "bench.fault.file_size"), "64M");
	xb_kv_free(&out);
	/* a value with a newline cannot be written */
	xb_kv_set(&in, "device", "/dev/x\nevil=1");
	assert_int_equal(xb_plan_format(&text, &in), -EINVAL);
	xb_kv_free(&in);
	xb_buf_free(&text);
}

static void test_lib__plan_rejects_bad(void **state)
{
	struct xb_kvlist out = { 0 };

	assert_int_equal(xb_plan_parse(&out, "plan.version=1\nnot a pair\n"), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "line 2"));
	xb_error_clear();
	assert_int_equal(xb_plan_parse(&out, "device=/dev/pmem0\n"), -EINVAL);
	assert_non_null(strstr(xb_error_last(), "plan.version"));
	xb_error_clear();
	assert_int_equal(xb_plan_parse(&out, "plan.version=2\n"), -EINVAL);
	xb_error_clear();
}

static void test_lib__caps(void **state)
{
	unsigned caps;
	char *s;

	assert_int_equal(xb_caps_parse(&caps, "fs_dax, anon"), 0);
	assert_int_equal(caps, XB_CAP_FS_DAX | XB_CAP_ANON);
	s = xb_caps_format(caps);
	assert_string_equal(s, "fs_dax,anon");
	free(s);
	assert_int_equal(xb_caps_parse(&caps, "fs_dax,warp_drive"), -EINVAL);
}

static void test_lib__utf8_valid(void **state)
{
	assert_true(xb_utf8_valid("plain ascii"));
	assert_true(xb_utf8_valid("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"));
	assert_false(xb_utf8_valid("bad\xff\xfe"));
	assert_false(xb_utf8_valid("\xc0\xaf"));            /* overlong '/' */
	assert_false(xb_utf8_valid("\xed\xa0\x80"));        /* surrogate */
	assert_false(xb_utf8_valid("\xf4\x90\x80\x80"));    /* past U+10FFFF */
	assert_false(xb_utf8_valid("\xe6\x97"));            /* truncated */
}

static void test_lib__utf8_sanitize(void **state)
{
	char *s = xb_utf8_sanitize("bad\xff\xfe" "caf\xc3\xa9");

	assert_string_equal(s, "bad\xef\xbf\xbd\xef\xbf\xbd" "caf\xc3\xa9");
	assert_true(xb_utf8_valid(s));
	free(s);
}

static void test_lib__text_escape(void **state)
{
	char *s = xb_text_escape("a\x1b[31mred\n\ttab\x07 caf\xc3\xa9 \xff");

	assert_string_equal(s, "a\\x1b[31mred\\n\\ttab\\x07 caf\xc3\xa9 \\xff");
	free(s);
	s = xb_text_escape("c1 \xc2\x9b");                    /* U+009B CSI */
	assert_string_equal(s, "c1 \\xc2\\x9b");
	free(s);
}

static void test_lib__text_width(void **state)
{
	assert_int_equal(xb_text_width("abc"), 3);
	assert_int_equal(xb_text_width("caf\xc3\xa9"), 4);                  /* é: 2 bytes, 1 column */
	assert_int_equal(xb_text_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);      /* 日本: wide */
	assert_int_equal(xb_text_width("e\xcc\x81"), 1);                     /* e + combining acute */
	assert_int_equal(xb_text_width("\\xff"), 4);
}

/* Columns line up on the screen, not in bytes: the cell after a wide or
 * multi-byte cell starts in the same column on every row. */
static void test_lib__table_aligns_display_width(void **state)
{
	struct xb_table t = { .ncols = 3, .align = "lrl" };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	xb_table_add(&t, "NAME");
	xb_table_add(&t, "N");
	xb_table_add(&t, "END");
	xb_table_add(&t, "caf\xc3\xa9");
	xb_table_add(&t, "1");
	xb_table_add(&t, "x");
	xb_table_add(&t, "\xe6\x97\xa5\xe6\x9c\xac");
	xb_table_add(&t, "22");
	xb_table_add(&t, "y");
	xb_table_add(&t, "bad\xff\n");
	xb_table_add(&t, NULL);
	xb_table_add(&t, "z");
	xb_table_print(&t, f, "");
	fclose(f);
	assert_string_equal(out,
		"NAME        N  END\n"
		"caf\xc3\xa9        1  x\n"
		"\xe6\x97\xa5\xe6\x9c\xac       22  y\n"
		"bad\\xff\\n   -  z\n");
	free(out);
	xb_table_free(&t);
}

static void test_lib__run_passes_argv_verbatim(void **state)
{
	/* no shell: quotes, spaces and $ reach the program untouched */
	const char *argv[] = { "printf", "%s|", "a b", "it's \"quoted\"", "$HOME;rm -rf /", NULL };
	struct xb_buf out = { 0 };
	int status = -1;

	assert_int_equal(xb_run(argv, &out, NULL, &status), 0);
	assert_int_equal(status, 0);
	assert_string_equal(out.p, "a b|it's \"quoted\"|$HOME;rm -rf /|");
	xb_buf_free(&out);
}

static void test_lib__run_reports_status(void **state)
{
	const char *f[] = { "false", NULL };
	const char *missing[] = { "/nonexistent/daxbench-no-such-program", NULL };
	struct xb_buf err = { 0 };
	int status = 0;

	assert_int_equal(xb_run(f, NULL, NULL, &status), 0);
	assert_int_equal(status, 1);
	assert_int_equal(xb_run(missing, NULL, &err, &status), 0);
	assert_int_equal(status, 127);
	assert_non_null(strstr(err.p, "cannot run"));
	xb_buf_free(&err);
}

static void test_lib__write_atomic_and_read(void **state)
{
	char dir[] = "/tmp/xbtest.XXXXXX", *path, *data = NULL;
	size_t len;

	assert_non_null(mkdtemp(dir));
	path = xb_asprintf("%s/sub dir/file", dir);
	assert_int_equal(xb_write_file_atomic(path, "x", 1), -ENOENT);
	free(path);
	path = xb_asprintf("%s/sub dir", dir);
	assert_int_equal(xb_mkdir_p(path, 0755), 0);
	free(path);
	path = xb_asprintf("%s/sub dir/file", dir);
	assert_int_equal(xb_write_file_atomic(path, "hello\0world", 11), 0);
	assert_int_equal(xb_read_file(&data, &len, path), 0);
	assert_int_equal(len, 11);
	assert_memory_equal(data, "hello\0world", 11);
	free(data);
	free(path);
	assert_int_equal(xb_rm_rf(dir), 0);
	assert_false(xb_path_exists(dir));
}

/* One write to an existing file; a missing one is not created; the
 * kernel's refusal comes back as the errno (/dev/full: ENOSPC). */
static void test_lib__write_attr(void **state)
{
	char dir[] = "/tmp/xbtest.XXXXXX", *path, *data = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xb_asprintf("%s/attr", dir);
	assert_int_equal(xb_write_attr(path, "1"), -ENOENT);
	assert_false(xb_path_exists(path));
	assert_int_equal(xb_write_file_atomic(path, "0\n", 2), 0);
	assert_int_equal(xb_write_attr(path, "/dev/dcssblk1"), 0);
	assert_int_equal(xb_read_file(&data, NULL, path), 0);
	assert_string_equal(data, "/dev/dcssblk1");
	if (xb_path_exists("/dev/full"))
		assert_int_equal(xb_write_attr("/dev/full", "1"), -ENOSPC);
	free(data);
	free(path);
	assert_int_equal(xb_rm_rf(dir), 0);
}

static void test_lib__uuid_format(void **state)
{
	char a[37], b[37];

	assert_int_equal(xb_uuid(a), 0);
	assert_int_equal(xb_uuid(b), 0);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[14], '4');
	assert_true(strchr("89ab", a[19]) != NULL);
	assert_string_not_equal(a, b);
}

/* Host and guest settings for the fingerprint: the [choice] of a sysfs
 * list, "absent" for a knob the kernel lacks, every knob keyed. */
static void test_lib__sysknobs(void **state)
{
	const struct xb_sysknob missing = { "x", "/nonexistent/daxbench/knob", true };
	char *v;

	v = xb_sysknob_choice("always [madvise] never\n");
	assert_string_equal(v, "madvise");
	free(v);
	v = xb_sysknob_choice("always defer defer+madvise madvise never");
	assert_string_equal(v, "unknown");
	free(v);
	v = xb_sysknob_read(&missing);
	assert_string_equal(v, "absent");
	free(v);
	for (size_t i = 0; xb_sysknobs[i]; i++) {
		v = xb_sysknob_read(xb_sysknobs[i]);
		assert_true(v[0] != 0);
		assert_null(strchr(v, '['));
		free(v);
	}
	v = xb_proc_field("/proc/meminfo", "MemTotal");
	assert_true(strtoull(v, NULL, 10) > 0);
	free(v);
	v = xb_proc_field("/proc/meminfo", "NoSuchField");
	assert_string_equal(v, "unknown");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lib__crc32_check_value),
		cmocka_unit_test(test_lib__sha256_vectors),
		cmocka_unit_test(test_lib__parse_size),
		cmocka_unit_test(test_lib__sysknobs),
		cmocka_unit_test(test_lib__parse_int),
		cmocka_unit_test(test_lib__parse_double),
		cmocka_unit_test(test_lib__plan_roundtrip),
		cmocka_unit_test(test_lib__plan_rejects_bad),
		cmocka_unit_test(test_lib__caps),
		cmocka_unit_test(test_lib__utf8_valid),
		cmocka_unit_test(test_lib__utf8_sanitize),
		cmocka_unit_test(test_lib__text_escape),
		cmocka_unit_test(test_lib__text_width),
		cmocka_unit_test(test_lib__table_aligns_display_width),
		cmocka_unit_test(test_lib__run_passes_argv_verbatim),
		cmocka_unit_test(test_lib__run_reports_status),
		cmocka_unit_test(test_lib__write_atomic_and_read),
		cmocka_unit_test(test_lib__write_attr),
		cmocka_unit_test(test_lib__uuid_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
