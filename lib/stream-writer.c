// SPDX-License-Identifier: GPL-2.0
/*
 * Writer of the results stream (lib/stream-format.h). Records are built in
 * a scratch line, checked against the format's limits, folded into the
 * running CRC and appended to an output buffer that is written out when it
 * grows large, on xb_stream_writer_flush() and at close.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "crc32.h"
#include "stream-format.h"
#include "stream-writer.h"

/* Output is written once this much is pending: big enough that a smp
 * record of 4096 values is one write(), small enough to cost nothing. */
#define FLUSH_AT (64u * 1024)

struct xb_stream_writer {
	int fd;
	int err;                  /* first write error; sticky */
	unsigned long long nrecords;
	uint32_t crc;             /* over every byte written so far */
	struct xb_buf out;        /* bytes not yet written */
	struct xb_buf line;       /* the record being built */
};

void xb_stream_escape(struct xb_buf *out, const char *s)
{
	assert(s);
	xb_buf_add(out, "", 0);
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '\\': xb_buf_add(out, "\\\\", 2); break;
		case '\t': xb_buf_add(out, "\\t", 2); break;
		case '\n': xb_buf_add(out, "\\n", 2); break;
		default:   xb_buf_add(out, p, 1); break;
		}
	}
}

int xb_stream_writer_flush(struct xb_stream_writer *w)
{
	if (w->err || !w->out.len)
		return w->err;
	w->err = xb_write_all(w->fd, w->out.p, w->out.len);
	w->out.len = 0;
	return w->err;
}

/* Bytes that belong to the checksummed part of the stream. */
static void emit(struct xb_stream_writer *w, const char *data, size_t len)
{
	w->crc = xb_crc32(w->crc, data, len);
	xb_buf_add(&w->out, data, len);
}

static void record_begin(struct xb_stream_writer *w, const char *type)
{
	w->line.len = 0;
	xb_buf_addf(&w->line, "%s\t%llu", type, w->nrecords + 1);
}

static void record_field(struct xb_stream_writer *w, const char *s)
{
	xb_buf_add(&w->line, "\t", 1);
	xb_stream_escape(&w->line, s);
}

static int record_end(struct xb_stream_writer *w)
{
	if (w->err)
		return w->err;
	xb_buf_add(&w->line, "\n", 1);
	/* A parser refuses longer lines: refuse here, where the caller can
	 * still learn which record it was. */
	if (w->line.len > XB_STREAM_MAX_LINE)
		return -EMSGSIZE;
	emit(w, w->line.p, w->line.len);
	w->nrecords++;
	if (w->out.len >= FLUSH_AT)
		return xb_stream_writer_flush(w);
	return 0;
}

int xb_stream_writer_open(struct xb_stream_writer **out, int fd)
{
	struct xb_stream_writer *w = xb_malloc(sizeof(*w));
	char magic[64];
	int rc, n;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	n = snprintf(magic, sizeof(magic), "%s %d\n", XB_STREAM_MAGIC, XB_STREAM_VERSION);
	emit(w, magic, (size_t)n);
	/* Written at once so that a bad descriptor shows here, not at the end. */
	rc = xb_stream_writer_flush(w);
	if (rc) {
		xb_buf_free(&w->out);
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

int xb_stream_write_hdr(struct xb_stream_writer *w, const char *key, const char *value)
{
	record_begin(w, "hdr");
	record_field(w, key);
	record_field(w, value);
	return record_end(w);
}

static bool is_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

int xb_stream_write_metric(struct xb_stream_writer *w, const char *name, const char *unit,
			   const char *direction, const char *description)
{
	static const char *const directions[] = { "lower", "higher", "none", NULL };

	if (!is_one_of(direction, directions))
		return -EINVAL;
	record_begin(w, "met");
	record_field(w, name);
	record_field(w, unit);
	record_field(w, direction);
	record_field(w, description);
	return record_end(w);
}

static int write_sample_record(struct xb_stream_writer *w, const char *metric, int rep,
			       const double *v, size_t n)
{
	char rep_s[16], n_s[24];

	snprintf(rep_s, sizeof(rep_s), "%d", rep);
	snprintf(n_s, sizeof(n_s), "%zu", n);
	record_begin(w, "smp");
	record_field(w, metric);
	record_field(w, rep_s);
	record_field(w, n_s);
	xb_buf_add(&w->line, "\t", 1);
	for (size_t i = 0; i < n; i++)
		xb_buf_addf(&w->line, i ? ",%.17g" : "%.17g", v[i]);
	return record_end(w);
}

int xb_stream_write_samples(struct xb_stream_writer *w, const char *metric, int rep,
			    const double *v, size_t n)
{
	int rc = 0;

	if (rep < 0)
		return -EINVAL;
	/* Checked before anything is written: a parser rejects the whole
	 * stream for one non-finite value, so none may get out. */
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return -EINVAL;
	for (size_t done = 0; done < n && !rc; ) {
		size_t chunk = n - done;

		if (chunk > XB_STREAM_SAMPLES_PER_RECORD)
			chunk = XB_STREAM_SAMPLES_PER_RECORD;
		rc = write_sample_record(w, metric, rep, v + done, chunk);
		done += chunk;
	}
	return rc;
}

int xb_stream_write_note(struct xb_stream_writer *w, const char *kind, const char *subject,
			 const char *text)
{
	static const char *const kinds[] = { "warning", "skip", "info", "error", NULL };

	if (!is_one_of(kind, kinds))
		return -EINVAL;
	record_begin(w, "note");
	record_field(w, kind);
	record_field(w, subject);
	record_field(w, text);
	return record_end(w);
}

int xb_stream_writer_close(struct xb_stream_writer *w)
{
	int rc;

	if (!w->err) {
		/* The end line itself is not covered by the CRC. */
		xb_buf_addf(&w->out, "end\t%llu\t%08x\n", w->nrecords, (unsigned)w->crc);
		xb_stream_writer_flush(w);
	}
	rc = w->err;
	xb_buf_free(&w->out);
	xb_buf_free(&w->line);
	free(w);
	return rc;
}
