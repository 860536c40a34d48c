/* SPDX-License-Identifier: GPL-2.0 */
/* Parser of the results stream (format: lib/stream-format.h). */
#ifndef XB_STREAM_H
#define XB_STREAM_H
#ifndef XB_LAYER_DB
#error "results-db/stream.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include "util.h"

struct xb_stream_metric {
	char *name;
	char *unit;
	char *direction;   /* lower | higher | none */
	char *description;
};

/* All samples of one (metric, rep), merged across smp records in order. */
struct xb_stream_series {
	char *metric;
	int rep;
	double *v;
	size_t n;
	size_t cap;
};

struct xb_stream_note {
	char *kind;        /* warning | skip | info | error */
	char *subject;
	char *text;
};

struct xb_stream {
	int version;
	struct xb_kvlist hdr;
	struct xb_stream_metric *metrics;
	size_t nmetrics;
	struct xb_stream_series *series;
	size_t nseries;
	struct xb_stream_note *notes;
	size_t nnotes;
	size_t nrecords;
};

/*
 * Parse a complete stream. On success *out is the caller's (xb_stream_free).
 * On failure returns -EBADMSG (garbled, bad CRC, bad record), -ENODATA
 * (empty or truncated: no end line) or -EPROTO (unknown version) with a
 * one-line reason set (xb_error_last(): "truncated: no end marker after 41
 * records").
 */
int xb_stream_parse(struct xb_stream **out, const char *data, size_t len);
void xb_stream_free(struct xb_stream *s);
const struct xb_stream_metric *xb_stream_find_metric(const struct xb_stream *s,
						     const char *name);

#endif
