/* SPDX-License-Identifier: GPL-2.0 */
/* Shared declarations of the host-side harness. */
#ifndef XB_COMMON_H
#define XB_COMMON_H
#ifndef XB_LAYER_HARNESS
#error "harness/common.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "util.h"

/* --cache-dir, else $DAXBENCH_CACHE, $XDG_CACHE_HOME/daxbench, ~/.cache/daxbench. malloc'd. */
char *xb_cache_dir(const char *given);
/* xb_cache_dir(), also set as $DAXBENCH_CACHE for the programs a run
 * starts (scripts/build-qemu-dcss caches there). 0 or -errno. */
int xb_cache_dir_export(char **out, const char *given);
/*
 * These three return 0 with a malloc'd path in *out, or -ENOENT (*out NULL)
 * with the message in xb_error_last() saying what to build or install.
 */
/*
 * Data files and helper programs, by the layout of meson.build: relative to
 * the folder of the running binary (installed, or the build folder's
 * symlinks), or $DAXBENCH_DATADIR / $DAXBENCH_LIBEXECDIR. rel: "workloads/
 * quick.suite", "kmod", "daxbench-guest"... -ENOENT when it is missing.
 */
int xb_data_path(char **out, const char *rel);
int xb_libexec_path(char **out, const char *rel);   /* executable; realpath */
/* The static in-guest program: $DAXBENCH_GUEST, else xb_libexec_path(). */
int xb_guest_program_path(char **out);
int xb_guest_program_path_arch(char **out, const char *arch);
/* A suite name ("quick") or a path to a .suite file, resolved to a path. */
int xb_suite_path(char **out, const char *name_or_path);
/* Host program needed (PATH); the message names the Debian package. */
int xb_need_program(char **out, const char *prog, const char *debian_package);

/* Run argv in directory dir (NULL: current); otherwise like xb_run(). */
int xb_run_in(const char *dir, const char *const argv[], struct xb_buf *out,
	      struct xb_buf *child_err, int *out_status);

/* Set by SIGINT/SIGTERM handlers installed by xb_signals_install(). */
extern volatile int xb_interrupted;
void xb_signals_install(void);

/* A commit date as unix seconds (git log %ct) or ISO 8601 with an offset
 * or Z (%cI: 2024-05-01T10:00:00+02:00) into unix seconds; -EINVAL else. */
int xb_parse_commit_date(long long *out, const char *s);

/* Version of this build: "0.1.0", git commit and whether the tree was dirty. */
/* Text stored in the database must be UTF-8 (JSON output, tables):
 * 0, or -EINVAL with the message "OPTION is not valid UTF-8 ...". */
int xb_check_utf8(const char *option, const char *arg);
const char *xb_version(void);
const char *xb_git_commit(void);
int xb_git_dirty(void);   /* 1 dirty, 0 clean, -1 unknown */

#endif
