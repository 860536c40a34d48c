/* SPDX-License-Identifier: GPL-2.0 */
/* Shared declarations of the host-side harness. */
#ifndef XB_HARNESS_H
#define XB_HARNESS_H
#ifndef XB_LAYER_HARNESS
#error "harness/common.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "util.h"

/* --cache-dir, else $DAXBENCH_CACHE, $XDG_CACHE_HOME/daxbench, ~/.cache/daxbench. malloc'd. */
char *xb_cache_dir(const char *given);
/* The static in-guest program: $DAXBENCH_GUEST, the build tree, or libexecdir;
 * NULL with the error set (-ENOENT) when it is not built. */
char *xb_guest_program_path(void);
char *xb_guest_program_path_arch(const char *arch);
/* A suite name ("quick") or a path to a .suite file, resolved to a path;
 * NULL with the error set (-ENOENT) when there is none. */
char *xb_suite_path(const char *name_or_path);
/* Host program needed: a path, or NULL with the error set naming the Debian package. */
char *xb_need_program(const char *prog, const char *debian_package);

/* Run argv in directory dir (NULL: current); otherwise like xb_run(). */
int xb_run_in(const char *dir, const char *const argv[], struct xb_buf *out,
	      struct xb_buf *err, int *out_status);

/* Set by SIGINT/SIGTERM handlers installed by xb_signals_install(). */
extern volatile int xb_interrupted;
void xb_signals_install(void);

/* A commit date as unix seconds (git log %ct) or ISO 8601 with an offset
 * or Z (%cI: 2024-05-01T10:00:00+02:00) into unix seconds; -EINVAL else. */
int xb_parse_commit_date(long long *out, const char *s);

#endif
