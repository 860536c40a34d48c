/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record of a group of guests run at once (`daxbench share`, the
 * dcssblk-emu sharing group), built in memory: host figures under a
 * prefix with rep = guest index, and each guest's own results stream
 * taken in the same way, with the stream builder of results-db/stream.h.
 * What it builds is what the results stream of a
 * boot gives the database (results-db/stream.h), as if written and parsed
 * back: a metric keeps its first declaration, samples of one (metric, rep)
 * are appended in order, a batch with a non-finite value is left out.
 */
#ifndef XB_RECORD_H
#define XB_RECORD_H
#ifndef XB_LAYER_HARNESS
#error "harness/group/record.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include "hostmem.h"
#include "stream.h"

/* An empty record; the caller's (xb_stream_free). */

/* One sample of pfx.what for guest rep. */
void xb_record1(struct xb_stream *s, const char *pfx, const char *what, const char *unit,
		const char *dir, const char *desc, int rep, double v);
/* pfx.what.{rss,pss,shared_clean,shared_dirty,private_clean,private_dirty}.kib;
 * of names the source in each description ("QEMU smaps_rollup"). */
void xb_record_smaps(struct xb_stream *s, const char *pfx, const char *what, const char *of,
		     int rep, const struct xb_smaps_fig *f);

struct xb_take_ops {
	/* A note that is not an error: *taken = true keeps it from being
	 * copied; an error (0/-errno, the message set) fails the guest. NULL:
	 * copy every note. */
	int (*note)(void *ctx, const struct xb_stream *s, const struct xb_stream_note *n,
		    bool *taken);
	/* A series: false leaves it out; called before it is recorded. NULL:
	 * record every series. */
	bool (*series)(void *ctx, const struct xb_stream_series *se);
	void *ctx;
};

/*
 * Guest idx's results stream at path, taken into s: its notes copied,
 * each series as pfx.<metric> with rep = idx. An "error" note (-EIO), or a
 * stream that is missing or does not parse (-EBADMSG), fails the guest,
 * with the message set.
 */
int xb_record_take_guest(struct xb_stream *s, const char *pfx, unsigned idx, const char *path,
			 const struct xb_take_ops *ops);

#endif
