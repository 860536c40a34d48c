/* SPDX-License-Identifier: GPL-2.0 */
/* Running a suite: what `daxbench run` does, callable by other commands
 * (compare-kernels boots two kernels in turn through it). */
#ifndef XB_RUN_H
#define XB_RUN_H
#ifndef XB_LAYER_HARNESS
#error "harness/run/run.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

struct xb_db;

struct xb_run_request {
	const char *kernel;    /* NULL: default Debian kernel */
	const char *modules;   /* with a bzImage path */
	const char *suite;     /* NULL: "quick" */
	const char *backend;   /* NULL: the suite's */
	const char *fs;        /* NULL: the suite's */
	const char *device;    /* backend parameter "device" (native backend) */
	const char *label;
	const char *accel;     /* NULL: "auto" */
	const char *clock;     /* auto | wall | icount; NULL: the suite's, else auto */
	const char *cache;     /* NULL: default cache directory */
	const char *append;    /* extra kernel command line */
	/* The kernel's source, when the user knows it (for ordering trends):
	 * a git commit id, `git describe` text, commit date in unix seconds. */
	const char *kernel_commit;
	const char *kernel_describe;
	long long kernel_commit_date;   /* 0: unknown */
	/* A kernel built from a git tree (guest/kbuild.h): "DIR" or
	 * "DIR@REV" (instead of kernel), the user's config fragment, and
	 * whether uncommitted changes may be built. The fingerprint then gets
	 * kernel.commit, .describe, .commit_date, .src_tree, .src_dirty,
	 * .build_config_sha256, .build_compiler by itself. */
	const char *kernel_src;
	const char *kconfig;
	bool allow_dirty;
	/* Calibration: load bench/kmod/daxbench_inject in the guest with
	 * spin=inject_spin (overrides the suite's inject_dax_spin). */
	bool inject;
	unsigned inject_spin;
	unsigned boots;        /* 0: the suite's */
	unsigned timeout_s;    /* 0: the suite's */
};

/*
 * Resolve, build, boot and record one run; what it has to say for its
 * command to print goes into out_report: the run's summary ("run 12
 * finished: ..."), or with dry what would be done (nothing recorded, db
 * may be NULL). 0: recorded as finished, *out_run_id set; -ECANCELED:
 * recorded as failed (the summary says why, the error is set too),
 * *out_run_id set; any other -errno: nothing recorded, the error set
 * (xb_error_print).
 */
int xb_run_suite(struct xb_db *db, const struct xb_run_request *req, bool dry,
		 int64_t *out_run_id, struct xb_buf *out_report);

#endif
