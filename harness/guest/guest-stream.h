/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streams of a group of guests run at once (`daxbench share`, dcssblk-emu's
 * sharing group): host figures written under a prefix with rep = guest
 * index, and each guest's own results stream re-emitted the same way.
 */
#ifndef XB_GUEST_STREAM_H
#define XB_GUEST_STREAM_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/guest-stream.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "hostmem.h"
#include "stream-writer.h"
#include "stream.h"

/* One sample of pfx.what for guest rep. */
void xb_emit1(struct xb_stream_writer *w, const char *pfx, const char *what, const char *unit,
	      const char *dir, const char *desc, int rep, double v);
/* pfx.what.{rss,pss,shared_clean,shared_dirty,private_clean,private_dirty}.kib;
 * of names the source in each description ("QEMU smaps_rollup"). */
void xb_emit_smaps(struct xb_stream_writer *w, const char *pfx, const char *what,
		   const char *of, int rep, const struct xb_smaps_fig *f);

struct xb_take_ops {
	/* A note that is not an error: *taken = true keeps it from being
	 * copied; a returned reason fails the guest. NULL: copy every note. */
	char *(*note)(void *ctx, const struct xb_stream *s, const struct xb_stream_note *n,
		      bool *taken);
	/* A series: false leaves it out; called before it is written. NULL:
	 * write every series. */
	bool (*series)(void *ctx, const struct xb_stream_series *se);
	void *ctx;
};

/*
 * Guest idx's results stream at path, re-emitted into w: its notes copied,
 * each series as pfx.<metric> with rep = idx. An "error" note, or a stream
 * that is missing or does not parse, is the failure reason returned
 * (the caller's); NULL when all was taken.
 */
char *xb_take_guest_stream(struct xb_stream_writer *w, const char *pfx, unsigned idx,
			   const char *path, const struct xb_take_ops *ops);

#endif
