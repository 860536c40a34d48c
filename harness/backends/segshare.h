/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Several guests of one shared host file at once (dcssblk-emu: N s390x
 * guests loading the same DCSS, type SR): boot them all, wait until each
 * guest's daxbench-share-guest has read through its DAX mount and said
 * "ready", measure on the host what each QEMU holds (smaps_rollup, and the
 * smaps of the shared file's mapping) and what the file holds in the host
 * page cache, stop them, and write it all - with each guest's own stream
 * (exec startup, bytes read, guest Cached) - into one results stream under
 * a prefix, rep = guest index. Metric names follow `daxbench share`.
 */
#ifndef XB_SEGSHARE_H
#define XB_SEGSHARE_H
#ifndef XB_LAYER_HARNESS
#error "harness/backends/segshare.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "qemu.h"
#include "stream-writer.h"

struct xb_segshare_opts {
	const struct xb_qemu_opts *q;  /* per-guest paths and label are set here */
	const char *exec_append;       /* added to guest 0's command line, or NULL */
	unsigned n;
	const char *dir;               /* console, stream, QEMU log of each guest */
	const char *shared_file;       /* the host file every guest maps */
	const char *prefix;            /* "share.dcssblk-emu.n2" */
	double timeout_s;
};

/* NULL when every figure was taken, else the reason (the caller's). */
char *xb_segshare_run(const struct xb_segshare_opts *o, struct xb_stream_writer *w);

#endif
