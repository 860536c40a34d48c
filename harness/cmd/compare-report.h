/* SPDX-License-Identifier: GPL-2.0 */
/* Building, printing and storing a comparison: shared by `daxbench compare`
 * and `daxbench compare-kernels`. */
#ifndef XB_COMPARE_REPORT_H
#define XB_COMPARE_REPORT_H
#ifndef XB_LAYER_HARNESS
#error "harness/cmd/compare-report.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "compare-db.h"

enum xb_report_format { XB_REPORT_TEXT, XB_REPORT_MARKDOWN, XB_REPORT_JSON };

struct xb_report_opts {
	enum xb_report_format format;
	bool force;        /* compare across backends, suites, daxbench commits */
	bool store;        /* record the comparison in the database */
	const char *plot_dir; /* --plot: the page and forest plot written there */
	struct xb_compare_opts cmp;
};

/* Compare, print to stdout, store; returns the exit status: 0 no
 * regression, 3 regression, 1 error or refused. */
int xb_compare_and_report(struct xb_db *db, const char *sel_a, const char *sel_b,
			  const struct xb_report_opts *o);
/* "p50,p90" -> XB_STAT_* mask; -EINVAL on an unknown name. */
int xb_parse_stats(unsigned *out, const char *list);
/* 0, or XB_EXIT_USAGE (printed, with the try line) for a malformed selector. */
int xb_compare_check_selectors(struct xb_db *db, const char *sel_a, const char *sel_b);

#endif
