/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A group of guests on one shared backing file: N QEMUs booted at once
 * with the same file attached, waited for until each guest's
 * daxbench-share-guest has done its work and said "ready", then - while
 * all of them live - measured on the host by the caller, and stopped.
 * `daxbench share` (group/share-run.c) and the sharing group of a
 * dcssblk-emu run (run/sharing.c) both run their guests through it.
 */
#ifndef XB_GROUP_H
#define XB_GROUP_H
#ifndef XB_LAYER_HARNESS
#error "harness/group/group.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <sys/types.h>
#include "qemu.h"

#define XB_GROUP_MAX_GUESTS 16
#define XB_GROUP_READY "daxbench-share-guest: ready"
#define XB_GROUP_FAILED "daxbench-share-guest: failed"

struct xb_group_guest {
	pid_t pid;               /* 0 once stopped or exited */
	char *console, *stream, *qlog;
	bool ready;
};

struct xb_group_opts {
	const struct xb_qemu_opts *q;  /* every guest's; the paths and label are set per guest */
	const char *first_append;      /* added to guest 0's command line, or NULL */
	unsigned n;
	/* Each guest's console, stream and QEMU log: <files>-g<i>-console.log,
	 * <files>-g<i>-stream, <files>-g<i>-qemu.log. */
	const char *files;
	double timeout_s;
	/* Progress while waiting; NULL: "<label>: R/N guests ready, S s". */
	void (*progress)(void *ctx, unsigned ready, unsigned n, double elapsed_s);
	void *ctx;
	const char *label;
};

struct xb_group {
	unsigned n;
	struct xb_group_guest *g;
};

/* Spawn the N QEMUs; on failure the error is set and those started are
 * left for xb_group_free(). */
int xb_group_start(struct xb_group *out, const struct xb_group_opts *o);
/* Poll until every guest said ready: 0; a guest that failed or whose QEMU
 * exited (-EIO), the timeout (-ETIMEDOUT) or a signal (-EINTR) ends the
 * wait with the error set. */
int xb_group_wait(struct xb_group *g, const struct xb_group_opts *o);
/* Stop every QEMU still running (the figures are taken). */
void xb_group_stop(struct xb_group *g);
void xb_group_free(struct xb_group *g);

#endif
