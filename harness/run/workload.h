/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Suite files (workloads/NAME.suite): what a run measures, declared, not
 * coded. INI-like:
 *
 *   [suite]                 name, description, backend, fs, boots
 *   [guest]                 smp, cpu, timeout (seconds per boot), append,
 *                           clock (auto, wall or icount; lib/clock.h)
 *                           inject_dax_spin (calibration: bench/kmod/daxbench_inject
 *                           with spin=N, see daxbench calibrate)
 *   [backend NAME]          the backend's parameters (only the chosen
 *                           backend's section is used; others may be present)
 *   [bench NAME]            one per benchmark, in run order, with its params
 *
 * '#' or ';' starts a comment line. Every error names FILE:LINE.
 */
#ifndef XB_WORKLOAD_H
#define XB_WORKLOAD_H
#ifndef XB_LAYER_HARNESS
#error "harness/run/workload.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "util.h"

struct xb_suite_bench {
	char *name;
	struct xb_kvlist params;
	int *lines;         /* line of each parameter, for messages */
	int line;           /* line of the [bench NAME] header */
};

struct xb_suite {
	char *path;
	char sha256[65];
	char *name;
	char *description;
	char *backend;
	char *fs;
	unsigned boots;
	unsigned smp;
	char *cpu;          /* NULL: QEMU default */
	char *append;       /* extra kernel command line, or NULL */
	char *clock;        /* auto | wall | icount, or NULL: auto */
	bool inject;        /* load daxbench_inject with spin=inject_spin */
	unsigned inject_spin;
	double timeout_s;
	struct xb_kvlist backend_params;      /* of the chosen backend */
	struct xb_kvlist all_backend_params;  /* "NAME.key" of every [backend] */
	struct xb_suite_bench *benches;
	size_t nbenches;
};

/* Parse text (path only for messages). -EINVAL with "PATH:LINE: reason" set. */
int xb_suite_parse(struct xb_suite **out, const char *text, const char *path);
/* Read, parse and report errors once. */
int xb_suite_load(struct xb_suite **out, const char *path);
/* Switch the backend (--backend) and take its section's parameters. */
int xb_suite_set_backend(struct xb_suite *s, const char *backend);
void xb_suite_free(struct xb_suite *s);

#endif
