// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the stream parser (results-db/stream.c). Streams are built
 * here with their own CRC (lib/crc32.h), independent of the bench writer.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "crc32.h"
#include "error.h"
#include "stream-format.h"
#include "util.h"
#include "stream.h"

#define MAGIC "DAXBENCH-STREAM 1\n"

/* A well-formed stream: magic, records (complete lines with seq), end line. */
static char *frame_magic(size_t *out_len, const char *magic, const char *records)
{
	struct xb_buf b = { 0 };
	size_t n = 0;

	for (const char *p = records; *p; p++)
		n += *p == '\n';
	xb_buf_adds(&b, magic);
	xb_buf_adds(&b, records);
	xb_buf_addf(&b, "end\t%zu\t%08x\n", n, (unsigned)xb_crc32(0, b.p, b.len));
	*out_len = b.len;
	return xb_buf_detach(&b);
}

static char *frame(size_t *out_len, const char *records)
{
	return frame_magic(out_len, MAGIC, records);
}

/* Parses data; on failure checks that a reason was given and nothing returned. */
static int parse(struct xb_stream **out, const char *data, size_t len)
{
	int rc;

	*out = (struct xb_stream *)&rc;   /* must be reset by the parser */
	xb_error_clear();
	rc = xb_stream_parse(out, data, len);
	if (rc) {
		assert_null(*out);
		assert_true(strlen(xb_error_last()) > 0);
		assert_null(strchr(xb_error_last(), '\n'));
	} else {
		assert_non_null(*out);
		assert_string_equal(xb_error_last(), "");
	}
	xb_error_clear();
	return rc;
}

/* Frames records, parses, returns the code, and checks the reason mentions what. */
static int parse_records(const char *records, const char *what)
{
	struct xb_stream *s = NULL;
	size_t len;
	char *data = frame(&len, records);
	int rc = xb_stream_parse(&s, data, len);

	if (rc && what && !strstr(xb_error_last(), what)) {
		print_error("reason '%s' does not mention '%s'\n", xb_error_last(), what);
		fail();
	}
	xb_error_clear();
	xb_stream_free(s);
	free(data);
	return rc;
}

static const char good_records[] =
	"hdr\t1\tkernel.release\t6.1.0-54-amd64\n"
	"hdr\t2\tkernel.cmdline\tconsole=ttyS0\\tquiet\\nx\\\\y\n"
	"met\t3\tfault.dax.read.pte.ns\tns\tlower\tDAX read fault, per 4 KiB page\n"
	"smp\t4\tfault.dax.read.pte.ns\t0\t3\t5100.5,5200,5300.25\n"
	"smp\t5\tfault.dax.read.pte.ns\t0\t2\t5400,-1.5e-3\n"
	"met\t6\tbw.read\tMiB/s\thigher\t\n"
	"smp\t7\tfault.dax.read.pte.ns\t1\t1\t6000\n"
	"smp\t8\tbw.read\t0\t1\t1234.5\n"
	"note\t9\twarning\tfault.dax\tclock\\tsource jumpy\n"
	"met\t10\tfault.dax.read.pte.ns\tns\tlower\tdeclared again, same unit\n";

static void test_stream__good(void **state)
{
	struct xb_stream *s;
	size_t len;
	char *data = frame(&len, good_records);
	const struct xb_stream_series *sr;

	assert_int_equal(parse(&s, data, len), 0);
	assert_int_equal(s->version, 1);
	assert_int_equal(s->nrecords, 10);
	assert_int_equal(s->hdr.n, 2);
	assert_string_equal(xb_kv_get(&s->hdr, "kernel.release"), "6.1.0-54-amd64");
	assert_int_equal(s->nmetrics, 2);
	assert_string_equal(s->metrics[0].name, "fault.dax.read.pte.ns");
	assert_string_equal(s->metrics[0].unit, "ns");
	assert_string_equal(s->metrics[0].direction, "lower");
	assert_string_equal(s->metrics[0].description, "DAX read fault, per 4 KiB page");
	assert_string_equal(s->metrics[1].direction, "higher");
	assert_string_equal(s->metrics[1].description, "");
	assert_ptr_equal(xb_stream_find_metric(s, "bw.read"), &s->metrics[1]);
	assert_null(xb_stream_find_metric(s, "bw.write"));

	/* two smp records of (metric, rep 0) make one series, in order */
	assert_int_equal(s->nseries, 3);
	sr = &s->series[0];
	assert_string_equal(sr->metric, "fault.dax.read.pte.ns");
	assert_int_equal(sr->rep, 0);
	assert_int_equal(sr->n, 5);
	assert_true(sr->v[0] == 5100.5 && sr->v[1] == 5200 && sr->v[2] == 5300.25);
	assert_true(sr->v[3] == 5400 && sr->v[4] == -1.5e-3);
	assert_int_equal(s->series[1].rep, 1);
	assert_int_equal(s->series[1].n, 1);
	assert_true(s->series[1].v[0] == 6000);
	assert_string_equal(s->series[2].metric, "bw.read");

	assert_int_equal(s->nnotes, 1);
	assert_string_equal(s->notes[0].kind, "warning");
	assert_string_equal(s->notes[0].subject, "fault.dax");
	xb_stream_free(s);
	free(data);
}

static void test_stream__escaped_fields_round_trip(void **state)
{
	struct xb_stream *s;
	size_t len;
	char *data = frame(&len, good_records);

	assert_int_equal(parse(&s, data, len), 0);
	assert_string_equal(xb_kv_get(&s->hdr, "kernel.cmdline"),
			    "console=ttyS0\tquiet\nx\\y");
	assert_string_equal(s->notes[0].text, "clock\tsource jumpy");
	xb_stream_free(s);
	free(data);

	assert_int_equal(parse_records("hdr\t1\tk\ta\\xb\n", "escape"), -EBADMSG);
	assert_int_equal(parse_records("hdr\t1\tk\tab\\\n", "escape"), -EBADMSG);
	assert_int_equal(parse_records("hdr\t1\tk\\\\\tv\\\\\n", NULL), 0);
}

static void test_stream__every_prefix_is_truncated(void **state)
{
	struct xb_stream *s;
	size_t len;
	char *data = frame(&len, good_records);

	/* every cut, from nothing to all but the last newline */
	for (size_t cut = 0; cut < len; cut++) {
		char *copy = xb_malloc(cut);

		/* a copy of exactly cut bytes, so that valgrind sees any overread */
		memcpy(copy, data, cut);
		if (parse(&s, copy, cut) != -ENODATA) {
			print_error("prefix of %zu of %zu bytes not rejected as truncated\n",
				    cut, len);
			fail();
		}
		free(copy);
	}
	assert_int_equal(parse(&s, data, len), 0);
	xb_stream_free(s);
	free(data);
}

static void test_stream__every_bit_flip_is_rejected(void **state)
{
	struct xb_stream *s;
	size_t len;
	char *data = frame(&len, good_records);

	/* CRC-32 catches every error burst shorter than 33 bits */
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			data[i] ^= (char)(1 << bit);
			if (parse(&s, data, len) == 0) {
				print_error("flip of bit %d at offset %zu accepted\n", bit, i);
				fail();
			}
			data[i] ^= (char)(1 << bit);
		}
	}
	free(data);
}

static void test_stream__sample_flip_is_crc_mismatch(void **state)
{
	struct xb_stream *s = NULL;
	size_t len;
	char *data = frame(&len, good_records);
	char *digit = strstr(data, "5200");

	digit[1] = '3';   /* 5300: still a number, so only the CRC can tell */
	assert_int_equal(xb_stream_parse(&s, data, len), -EBADMSG);
	assert_null(s);
	assert_non_null(strstr(xb_error_last(), "CRC mismatch"));
	xb_error_clear();
	free(data);
}

static void test_stream__bad_count(void **state)
{
	struct xb_buf b = { 0 };
	struct xb_stream *s = NULL;

	xb_buf_adds(&b, MAGIC "hdr\t1\tk\tv\n");
	/* right CRC, but says 2 records where there is 1 */
	xb_buf_addf(&b, "end\t2\t%08x\n", (unsigned)xb_crc32(0, b.p, b.len));
	assert_int_equal(xb_stream_parse(&s, b.p, b.len), -EBADMSG);
	assert_non_null(strstr(xb_error_last(), "count"));
	xb_error_clear();
	xb_buf_free(&b);

	assert_int_equal(parse_records("", NULL), 0);
}

static void test_stream__bad_end_line(void **state)
{
	struct xb_stream *s;
	struct xb_buf b = { 0 };
	char crc[16];

	xb_buf_adds(&b, MAGIC);
	snprintf(crc, sizeof(crc), "%08X", (unsigned)xb_crc32(0, b.p, b.len));
	xb_buf_addf(&b, "end\t0\t%s\n", crc);
	/* upper-case hex is not what the format says */
	assert_non_null(strpbrk(crc, "ABCDEF"));
	assert_int_equal(parse(&s, b.p, b.len), -EBADMSG);
	xb_buf_free(&b);
	assert_int_equal(parse(&s, MAGIC "end\t0\n", strlen(MAGIC "end\t0\n")), -EBADMSG);
	assert_int_equal(parse(&s, MAGIC "end\t0\ta509f08\n",
			       strlen(MAGIC "end\t0\ta509f08\n")), -EBADMSG);
	assert_int_equal(parse(&s, MAGIC "end\t0\ta509f08d0\n",
			       strlen(MAGIC "end\t0\ta509f08d0\n")), -EBADMSG);
	assert_int_equal(parse(&s, MAGIC "end\t0\ta509f08d\n",
			       strlen(MAGIC "end\t0\ta509f08d\n")), 0);
	xb_stream_free(s);
	assert_int_equal(parse(&s, MAGIC "end\n", strlen(MAGIC "end\n")), -EBADMSG);
	assert_int_equal(parse(&s, MAGIC "end\t00\t12345678\n",
			       strlen(MAGIC "end\t00\t12345678\n")), -EBADMSG);
}

static void test_stream__seq_gap(void **state)
{
	assert_int_equal(parse_records("hdr\t1\ta\tb\nhdr\t3\tc\td\n", "seq 3"), -EBADMSG);
	assert_int_equal(parse_records("hdr\t2\ta\tb\n", "seq 2"), -EBADMSG);
	assert_int_equal(parse_records("hdr\t0\ta\tb\n", "seq 0"), -EBADMSG);
	assert_int_equal(parse_records("hdr\t01\ta\tb\n", "seq"), -EBADMSG);
	assert_int_equal(parse_records("hdr\t\ta\tb\n", "seq"), -EBADMSG);
	assert_int_equal(parse_records("hdr\n", "seq"), -EBADMSG);
}

static void test_stream__repeated_record(void **state)
{
	assert_int_equal(parse_records("hdr\t1\ta\tb\nhdr\t2\tc\td\nhdr\t2\tc\td\n", "seq 2"),
			 -EBADMSG);
}

static void test_stream__unknown_type(void **state)
{
	assert_int_equal(parse_records("hdr\t1\ta\tb\nxyz\t2\tc\n", "unknown record type"),
			 -EBADMSG);
	assert_int_equal(parse_records("\n", "unknown record type"), -EBADMSG);
	assert_int_equal(parse_records("HDR\t1\ta\tb\n", "unknown record type"), -EBADMSG);
}

static void test_stream__versions_and_magic(void **state)
{
	struct xb_stream *s;
	size_t len;
	char *data;

	data = frame_magic(&len, "DAXBENCH-STREAM 2\n", "hdr\t1\ta\tb\n");
	assert_int_equal(parse(&s, data, len), -EPROTO);
	free(data);
	data = frame_magic(&len, "DAXBENCH-STREAM 0\n", "");
	assert_int_equal(parse(&s, data, len), -EPROTO);
	free(data);
	data = frame_magic(&len, "DAXBENCH-STREAM x\n", "");
	assert_int_equal(parse(&s, data, len), -EBADMSG);
	free(data);
	data = frame_magic(&len, "DAXBENCH-STREAM \n", "");
	assert_int_equal(parse(&s, data, len), -EBADMSG);
	free(data);
	data = frame_magic(&len, "DAXBENCH-STREAM 01\n", "");
	assert_int_equal(parse(&s, data, len), -EBADMSG);
	free(data);
	data = frame_magic(&len, "DAXBENCH-STREAM\t1\n", "");
	assert_int_equal(parse(&s, data, len), -EBADMSG);
	free(data);
	data = frame_magic(&len, "OTHER-STREAM 1\n", "");
	assert_int_equal(parse(&s, data, len), -EBADMSG);
	free(data);
	data = frame_magic(&len, "", "hdr\t1\ta\tb\n");
	assert_int_equal(parse(&s, data, len), -EBADMSG);
	free(data);

	/* a prefix of the magic is truncation, anything else is not ours */
	assert_int_equal(parse(&s, "DAXBENCH-STR", 12), -ENODATA);
	assert_int_equal(parse(&s, "DAXBENCH-STREAM 1", 17), -ENODATA);
	assert_int_equal(parse(&s, "DAXBENCH-STREAMx", 16), -EBADMSG);
	/* a short first line (found by fuzzing: once a negative-size memcpy) */
	assert_int_equal(parse(&s, "\nn", 2), -EBADMSG);
	assert_int_equal(parse(&s, "DAXB\n", 5), -EBADMSG);
	assert_int_equal(parse(&s, "Linux version 6.1", 17), -EBADMSG);
	assert_int_equal(parse(&s, "", 0), -ENODATA);
	assert_int_equal(parse(&s, NULL, 0), -ENODATA);
}

static void test_stream__undeclared_metric(void **state)
{
	assert_int_equal(parse_records("smp\t1\tm\t0\t1\t1\n", "undeclared metric"), -EBADMSG);
	assert_int_equal(parse_records("met\t1\tm\tns\tlower\td\nsmp\t2\tM\t0\t1\t1\n",
				       "undeclared metric"), -EBADMSG);
}

static void test_stream__metric_redeclared(void **state)
{
	assert_int_equal(parse_records("met\t1\tm\tns\tlower\td\nmet\t2\tm\tus\tlower\td\n",
				       "declared twice"), -EBADMSG);
	assert_int_equal(parse_records("met\t1\tm\tns\tlower\td\nmet\t2\tm\tns\thigher\td\n",
				       "declared twice"), -EBADMSG);
	assert_int_equal(parse_records("met\t1\tm\tns\tsideways\td\n", "direction"), -EBADMSG);
	assert_int_equal(parse_records("met\t1\t\tns\tlower\td\n", "empty"), -EBADMSG);
}

static void test_stream__bad_samples(void **state)
{
	static const char *const bad[] = {
		"12x", "inf", "-inf", "nan", "NAN", "infinity", "1e999", "-1e400", "0x10",
		" 1", "1 ", "", "1,,2", "1,", ",1", "+", "-", ".", "e5", "1e", "1.2.3",
	};
	char rec[128];

	for (size_t i = 0; i < XB_ARRAY_SIZE(bad); i++) {
		unsigned long n = 1;

		for (const char *p = bad[i]; *p; p++)
			n += *p == ',';
		snprintf(rec, sizeof(rec), "met\t1\tm\tns\tlower\t\nsmp\t2\tm\t0\t%lu\t%s\n",
			 n, bad[i]);
		if (parse_records(rec, NULL) != -EBADMSG) {
			print_error("sample '%s' accepted\n", bad[i]);
			fail();
		}
	}
	assert_int_equal(parse_records("met\t1\tm\tns\tlower\t\n"
				       "smp\t2\tm\t0\t4\t1e-400,-0,+3,.5\n", NULL), 0);
}

static void test_stream__n_mismatch(void **state)
{
	const char *met = "met\t1\tm\tns\tlower\t\n";
	char rec[128];

	snprintf(rec, sizeof(rec), "%ssmp\t2\tm\t0\t3\t1,2\n", met);
	assert_int_equal(parse_records(rec, "announced"), -EBADMSG);
	snprintf(rec, sizeof(rec), "%ssmp\t2\tm\t0\t1\t1,2\n", met);
	assert_int_equal(parse_records(rec, "announced"), -EBADMSG);
	snprintf(rec, sizeof(rec), "%ssmp\t2\tm\t0\t0\t1\n", met);
	assert_int_equal(parse_records(rec, "announced"), -EBADMSG);
	snprintf(rec, sizeof(rec), "%ssmp\t2\tm\t0\t99999999999\t1\n", met);
	assert_int_equal(parse_records(rec, "count"), -EBADMSG);
	snprintf(rec, sizeof(rec), "%ssmp\t2\tm\t-1\t1\t1\n", met);
	assert_int_equal(parse_records(rec, "repetition"), -EBADMSG);
	snprintf(rec, sizeof(rec), "%ssmp\t2\tm\t0\t0\t\n", met);
	assert_int_equal(parse_records(rec, NULL), 0);
}

static void test_stream__field_count(void **state)
{
	assert_int_equal(parse_records("hdr\t1\tk\n", "fields"), -EBADMSG);
	assert_int_equal(parse_records("hdr\t1\tk\tv\tw\n", "fields"), -EBADMSG);
	assert_int_equal(parse_records("met\t1\tm\tns\tlower\n", "fields"), -EBADMSG);
	assert_int_equal(parse_records("note\t1\tinfo\tx\n", "fields"), -EBADMSG);
	assert_int_equal(parse_records("note\t1\tinfo\tx\ty\t\t\t\t\t\n", "fields"), -EBADMSG);
	assert_int_equal(parse_records("hdr\t1\t\tv\n", "empty key"), -EBADMSG);
}

static void test_stream__trailing_bytes(void **state)
{
	struct xb_stream *s;
	size_t len;
	char *data = frame(&len, good_records);
	char *more = xb_malloc(len + 1);

	memcpy(more, data, len);
	more[len] = 'x';
	assert_int_equal(parse(&s, more, len + 1), -EBADMSG);
	more[len] = '\n';
	assert_int_equal(parse(&s, more, len + 1), -EBADMSG);
	more[len] = 0;
	assert_int_equal(parse(&s, more, len + 1), -EBADMSG);
	free(more);
	free(data);
}

static void test_stream__nul_byte(void **state)
{
	struct xb_stream *s;
	struct xb_buf b = { 0 };

	/* "k\0" framed with a CRC that covers the NUL: only the NUL is wrong */
	xb_buf_add(&b, MAGIC "hdr\t1\tk\0\tv\n", strlen(MAGIC) + 11);
	xb_buf_addf(&b, "end\t1\t%08x\n", (unsigned)xb_crc32(0, b.p, b.len));
	assert_int_equal(parse(&s, b.p, b.len), -EBADMSG);
	xb_buf_free(&b);
}

static void test_stream__line_too_long(void **state)
{
	struct xb_stream *s;
	struct xb_buf b = { 0 };
	size_t len;
	char *data;

	xb_buf_adds(&b, "hdr\t1\tk\t");
	while (b.len <= XB_STREAM_MAX_LINE)
		xb_buf_adds(&b, "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv");
	xb_buf_adds(&b, "\n");
	data = frame(&len, b.p);
	assert_int_equal(parse(&s, data, len), -EBADMSG);
	free(data);
	xb_buf_free(&b);

	/* the longest line allowed is fine */
	xb_buf_adds(&b, "hdr\t1\tk\t");
	while (b.len < XB_STREAM_MAX_LINE)
		xb_buf_adds(&b, "v");
	xb_buf_adds(&b, "\n");
	data = frame(&len, b.p);
	assert_int_equal(parse(&s, data, len), 0);
	assert_int_equal(strlen(xb_kv_get(&s->hdr, "k")), XB_STREAM_MAX_LINE - 8);
	xb_stream_free(s);
	free(data);
	xb_buf_free(&b);
}

static void test_stream__many_series_are_linear(void **state)
{
	struct xb_stream *s;
	struct xb_buf b = { 0 };
	size_t len, seq = 1;
	char *data;

	/* 2000 metrics x 20 reps, two records each: quadratic lookups would show */
	for (int m = 0; m < 2000; m++)
		xb_buf_addf(&b, "met\t%zu\tm%d\tns\tnone\t\n", seq++, m);
	for (int half = 0; half < 2; half++)
		for (int m = 0; m < 2000; m++)
			for (int r = 0; r < 20; r++)
				xb_buf_addf(&b, "smp\t%zu\tm%d\t%d\t1\t%d\n", seq++, m, r, half);
	data = frame(&len, b.p);
	assert_int_equal(parse(&s, data, len), 0);
	assert_int_equal(s->nseries, 40000);
	assert_int_equal(s->series[40000 - 1].n, 2);
	assert_true(s->series[40000 - 1].v[1] == 1);
	xb_stream_free(s);
	free(data);
	xb_buf_free(&b);
}

static void test_stream__hdr_last_value_wins(void **state)
{
	struct xb_stream *s;
	size_t len;
	char *data = frame(&len, "hdr\t1\tk\tv1\nhdr\t2\tj\tw\nhdr\t3\tk\tv2\n");

	assert_int_equal(parse(&s, data, len), 0);
	assert_int_equal(s->hdr.n, 2);
	assert_string_equal(xb_kv_get(&s->hdr, "k"), "v2");
	xb_stream_free(s);
	free(data);
}

/*
 * ===================================================================
 * Round-trip tests with lib/stream-writer.c: owned by lib/, added
 * below this line (and to the table in main) by the writer's owner.
 * ===================================================================
 */

/* The builder the parser and the harness's recorders share. */
static void test_stream__builder(void **state)
{
	struct xb_stream *s = xb_stream_new();
	const double v[] = { 1, 2, 3 }, bad[] = { 4, 1.0 / 0.0 };
	char name[32];

	(void)state;
	assert_int_equal(s->version, XB_STREAM_VERSION);
	xb_stream_set_hdr(s, "k", "v1");
	xb_stream_set_hdr(s, "j", "w");
	xb_stream_set_hdr(s, "k", "v2");
	assert_int_equal(s->hdr.n, 2);
	assert_string_equal(s->hdr.v[0].value, "v2");
	assert_int_equal(xb_stream_add_metric(s, "m", "ns", "lower", "d"), 0);
	assert_int_equal(xb_stream_add_metric(s, "m", "ns", "lower", "other"), 0);
	assert_int_equal(xb_stream_add_metric(s, "m", "us", "lower", "d"), -EEXIST);
	assert_int_equal(xb_stream_add_metric(s, "m", "ns", "higher", "d"), -EEXIST);
	assert_int_equal(s->nmetrics, 1);
	assert_string_equal(xb_stream_find_metric(s, "m")->unit, "ns");
	assert_null(xb_stream_find_metric(s, "n"));
	assert_int_equal(xb_stream_add_samples(s, "m", 0, v, 2), 0);
	assert_int_equal(xb_stream_add_samples(s, "m", 0, v + 2, 1), 0);
	assert_int_equal(xb_stream_add_samples(s, "m", -1, v, 1), -EINVAL);
	assert_int_equal(xb_stream_add_samples(s, "m", 1, bad, 2), -EINVAL);
	assert_int_equal(xb_stream_add_samples(s, "m", 2, v, 0), 0);
	assert_int_equal(s->nseries, 1);
	assert_int_equal(s->series[0].n, 3);
	assert_true(s->series[0].v[2] == 3);
	/* Many metrics: each found again after the arrays and index grew. */
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		assert_int_equal(xb_stream_add_metric(s, name, "ns", "lower", ""), 0);
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		assert_string_equal(xb_stream_find_metric(s, name)->name, name);
	}
	xb_stream_add_note(s, "info", "subj", "text");
	assert_int_equal(s->nnotes, 1);
	assert_string_equal(s->notes[0].text, "text");
	xb_stream_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream__good),
		cmocka_unit_test(test_stream__escaped_fields_round_trip),
		cmocka_unit_test(test_stream__every_prefix_is_truncated),
		cmocka_unit_test(test_stream__every_bit_flip_is_rejected),
		cmocka_unit_test(test_stream__sample_flip_is_crc_mismatch),
		cmocka_unit_test(test_stream__bad_count),
		cmocka_unit_test(test_stream__bad_end_line),
		cmocka_unit_test(test_stream__seq_gap),
		cmocka_unit_test(test_stream__repeated_record),
		cmocka_unit_test(test_stream__unknown_type),
		cmocka_unit_test(test_stream__versions_and_magic),
		cmocka_unit_test(test_stream__undeclared_metric),
		cmocka_unit_test(test_stream__metric_redeclared),
		cmocka_unit_test(test_stream__bad_samples),
		cmocka_unit_test(test_stream__n_mismatch),
		cmocka_unit_test(test_stream__field_count),
		cmocka_unit_test(test_stream__trailing_bytes),
		cmocka_unit_test(test_stream__nul_byte),
		cmocka_unit_test(test_stream__line_too_long),
		cmocka_unit_test(test_stream__many_series_are_linear),
		cmocka_unit_test(test_stream__hdr_last_value_wins),
		cmocka_unit_test(test_stream__builder),
		/* round-trip tests with the writer (bench/) go here */
	};

	return cmocka_run_group_tests_name("stream", tests, NULL, NULL);
}
