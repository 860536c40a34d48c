/* SPDX-License-Identifier: GPL-2.0 */
/* Writes the results stream (lib/stream-format.h) to a file descriptor. */
#ifndef XB_STREAM_WRITER_H
#define XB_STREAM_WRITER_H
#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct xb_stream_writer;

/* Writes the magic line. fd stays the caller's. */
int xb_stream_writer_open(struct xb_stream_writer **out, int fd);
int xb_stream_write_hdr(struct xb_stream_writer *w, const char *key, const char *value);
int xb_stream_write_metric(struct xb_stream_writer *w, const char *name, const char *unit,
			   const char *direction, const char *description);
/* Splits into records of at most XB_STREAM_SAMPLES_PER_RECORD values. */
int xb_stream_write_samples(struct xb_stream_writer *w, const char *metric, int rep,
			    const double *v, size_t n);
int xb_stream_write_note(struct xb_stream_writer *w, const char *kind, const char *subject,
			 const char *text);
/* Writes out what is buffered, so that a later crash loses nothing. */
int xb_stream_writer_flush(struct xb_stream_writer *w);
/* Writes the end line and flushes; the writer is freed either way. */
int xb_stream_writer_close(struct xb_stream_writer *w);

/* Field escaping of the format: \ -> \\, tab -> \t, newline -> \n. */
void xb_stream_escape(struct xb_buf *out, const char *s);

#endif
