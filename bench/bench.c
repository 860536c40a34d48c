// SPDX-License-Identifier: GPL-2.0
/* The benchmark table and what every benchmark shares (bench.h): lookup,
 * parameter check, sink helpers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "error.h"
#include "guest-setup.h"
#include "stream-writer.h"

/* Every benchmark, in the order a listing shows them. */
const struct xb_bench_ops *const xb_benches[] = {
	&xb_bench_timer,
	&xb_bench_fault,
	&xb_bench_radix,
	&xb_bench_faultpath,
#ifndef XB_NO_FIO   /* builds without jansson (the s390x guest) */
	&xb_bench_fio,
#endif
	&xb_bench_faultscale,
	&xb_bench_capprobe,
	&xb_bench_structpages,
	NULL,
};

const struct xb_bench_ops *xb_bench_find_in(const struct xb_bench_ops *const *table,
					   const char *name)
{
	for (size_t i = 0; table[i]; i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

const struct xb_bench_ops *xb_bench_find(const char *name)
{
	return xb_bench_find_in(xb_benches, name);
}

/* A sink that keeps the first error note's text and ignores the rest. */
static int keep_error(struct xb_sink *s, const char *kind, const char *subject,
		      const char *text)
{
	struct xb_buf *err = s->priv;

	if (!strcmp(kind, "error") && !err->len)
		xb_buf_adds(err, text);
	return 0;
}

int xb_bench_check(const struct xb_bench_ops *b, const struct xb_kvlist *params)
{
	struct xb_buf first = { 0 };
	struct xb_sink sink = { .priv = &first, .note = keep_error };
	int rc;

	rc = xb_guest_check_params(b, params);
	if (rc || !b->check)
		return rc;
	rc = b->check(params, &sink);
	if (rc && first.len)
		xb_error_set(rc, "%s", first.p);
	else if (rc)
		xb_error_set(rc, "bench.%s: bad parameters", b->name);
	xb_buf_free(&first);
	return rc;
}

int xb_sink_vnotef(struct xb_sink *s, const char *kind, const char *subject,
		   const char *fmt, va_list ap)
{
	char *text = xb_vasprintf(fmt, ap);
	int rc = s->note(s, kind, subject, text);

	free(text);
	return rc;
}

int xb_bench_param_int(long long *out, const struct xb_kvlist *params, const char *name,
		       long long def, long long lo, long long hi, struct xb_sink *sink,
		       const char *subject)
{
	const char *v = xb_kv_get(params, name);

	*out = def;
	if (!v || !xb_parse_int(out, v, lo, hi))
		return 0;
	xb_sink_notef(sink, "error", subject, "bad parameter %s '%s': want %lld to %lld", name, v,
		      lo, hi);
	return -EINVAL;
}

int xb_sink_notef(struct xb_sink *s, const char *kind, const char *subject,
		  const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = xb_sink_vnotef(s, kind, subject, fmt, ap);
	va_end(ap);
	return rc;
}

static int sink_metric(struct xb_sink *s, const char *name, const char *unit,
		       const char *direction, const char *description)
{
	return xb_stream_write_metric(s->priv, name, unit, direction, description);
}

static int sink_samples(struct xb_sink *s, const char *metric, int rep,
			const double *v, size_t n)
{
	return xb_stream_write_samples(s->priv, metric, rep, v, n);
}

static int sink_fact(struct xb_sink *s, const char *key, const char *value)
{
	return xb_stream_write_hdr(s->priv, key, value);
}

static int sink_note(struct xb_sink *s, const char *kind, const char *subject,
		     const char *text)
{
	return xb_stream_write_note(s->priv, kind, subject, text);
}

void xb_stream_writer_sink(struct xb_sink *out, struct xb_stream_writer *w)
{
	out->priv = w;
	out->metric = sink_metric;
	out->samples = sink_samples;
	out->fact = sink_fact;
	out->note = sink_note;
}
