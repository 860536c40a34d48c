/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxbench calibrate: what this machine can detect. Known shifts of the DAX
 * read fault are injected (bench/kmod/daxbench_inject: spin iterations of an
 * empty loop per DAX PTE fault) and compared against the same kernel with
 * the probe doing nothing. Here: the planning maths (spin count per target
 * shift) and the detection table; cmd-calibrate.c boots and compares.
 */
#ifndef XB_CALIBRATE_H
#define XB_CALIBRATE_H
#ifndef XB_LAYER_HARNESS
#error "harness/run/calibrate.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

/* The metric shifted, and the prefix of every metric the probe touches. */
#define XB_CALIB_METRIC "fault.dax.read.pte.ns"
#define XB_CALIB_TOUCHED "fault.dax."

/*
 * Cost of one spin iteration from two medians of the DAX read fault: base
 * (spin 0) and probe (spin probe_spin). -EINVAL when probe_spin is 0 or the
 * probe did not make the fault slower (the noise swallowed it: raise
 * --probe-spin).
 */
int xb_calib_cost(double *out_ns, double base_ns, double probe_ns, unsigned probe_spin);

struct xb_calib_shift {
	double target_pct;    /* asked for */
	unsigned spin;        /* iterations per fault */
	double planned_pct;   /* what spin gives at the measured cost */
};

/* spin = round(target% x base / cost) for each target, at least 1.
 * -EINVAL on a cost or base that is not positive. */
int xb_calib_plan(struct xb_calib_shift *out, const double *target_pct, size_t n,
		  double base_ns, double cost_ns);

#define XB_CALIB_MAX_TRIALS 100

/* One line of the table: one clock, one shift, all its trials. */
struct xb_calib_row {
	const char *clock;        /* "wall" or "icount" */
	struct xb_calib_shift shift;
	unsigned rounds;          /* boots per side in each comparison */
	unsigned trials;          /* comparisons made */
	unsigned caught;          /* ... that called XB_CALIB_METRIC a regression */
	double change_pct[XB_CALIB_MAX_TRIALS];   /* its median change, per trial */
	unsigned false_calls;     /* regression/improvement verdicts on untouched metrics */
	unsigned untouched;       /* untouched metric rows judged, over all trials */
};

/* One trial's comparison into its row. -ENOSPC past XB_CALIB_MAX_TRIALS. */
int xb_calib_row_add(struct xb_calib_row *r, double change_pct, bool caught,
		     unsigned false_calls, unsigned untouched);

/* The table as text (aligned columns) and as JSON (schema version 1). */
void xb_calib_table_text(struct xb_buf *out, const struct xb_calib_row *rows, size_t n);
void xb_calib_table_json(struct xb_buf *out, const struct xb_calib_row *rows, size_t n,
			 double base_ns, double cost_ns);

#endif
