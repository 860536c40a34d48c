/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Detail plots of one run, by the kind of benchmark its metrics show:
 *   cdf          fault-latency CDF of every raw per-fault sample, log x: the modes'
 *                4 KiB reads and writes (fault.<mode>.<read|write>.pte.ns);
 *   cdf-<mode>   with more paths (the full suite): every fault.<mode>.*.ns
 *   share-memory host memory against the number of guests, one line per mode
 *                (share.<mode>.n<N>.host.pss_sum.kib, `daxbench share`)
 *   exec         exec startup cold and warm per mode, a panel per program
 *                (share.<mode>.n1.exec.<prog>.{cold,warm}.us)
 *   radix-<pattern>-t<N>
 *                radix lookup ns against file size, log x: sector against pfn
 *                entries, per backend model and in the kernel (radix.*.ns)
 * Each is a gnuplot script and data file queued on a plot queue (plot.h),
 * named PREFIX + kind, so publish and `daxbench plot` share one drawing.
 */
#ifndef XB_DETAIL_H
#define XB_DETAIL_H
#ifndef XB_LAYER_PLOTS
#error "plots/detail.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "plot.h"

struct xb_db;

struct xb_detail {
	char *name;      /* file name without extension: PREFIX + kind */
	char *kind;      /* cdf, share-memory, exec, radix-uniform-t1 ... */
	char *caption;   /* what it shows and its statistics, one sentence */
};

struct xb_details {
	struct xb_detail *v;
	size_t n;
};

/* Queue every detail plot the run's metrics allow (none is not an error).
 * kind: only that kind (NULL: all). 0 or -errno with xb_error_set. */
int xb_detail_run(struct xb_details *out, struct xb_db *db, struct xb_plot_queue *q,
		  int64_t run_id, const char *prefix, const char *title_run, const char *kind);
void xb_details_free(struct xb_details *d);

#endif
