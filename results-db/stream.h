/* SPDX-License-Identifier: GPL-2.0 */
/* The results stream (format: lib/stream-format.h): its parser, and the
 * builder that the parser and the harness's recorders share. */
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
	struct xb_stream_ix *ix;   /* private: lookups by header key, metric, series */
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

/*
 * Building a stream in memory (what a parse produces, record by record).
 * Lookups are hashed, so building stays linear in the number of records.
 */
struct xb_stream *xb_stream_new(void);
/* Sets a header key; a key set again keeps its place and takes the new value. */
void xb_stream_set_hdr(struct xb_stream *s, const char *key, const char *value);
/*
 * Declares a metric. Declaring it again with the same unit and direction is
 * a no-op (0); with another unit or direction it returns -EEXIST and keeps
 * the first declaration.
 */
int xb_stream_add_metric(struct xb_stream *s, const char *name, const char *unit,
			 const char *direction, const char *description);
/* The series of (metric, rep), created empty if new. */
struct xb_stream_series *xb_stream_series(struct xb_stream *s, const char *metric, int rep);
/* Room for n more samples at sr->v + sr->n (the caller adds them to sr->n). */
double *xb_stream_series_reserve(struct xb_stream_series *sr, size_t n);
/* Appends n samples of a declared or undeclared metric: -EINVAL for a
 * negative rep or a sample that is not finite (nothing is appended). */
int xb_stream_add_samples(struct xb_stream *s, const char *metric, int rep,
			  const double *v, size_t n);
void xb_stream_add_note(struct xb_stream *s, const char *kind, const char *subject,
			const char *text);

#endif
