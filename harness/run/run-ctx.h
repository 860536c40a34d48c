/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the run pipeline (run/): one run's context, filled from the
 * request (run.h) by prepare.c, and the steps the other files share:
 * image.c (the guest image), boot.c (one boot and its stream), sharing.c
 * (the dcssblk-emu sharing group), run.c (the boots, the record).
 */
#ifndef XB_RUN_CTX_H
#define XB_RUN_CTX_H
#ifndef XB_LAYER_HARNESS
#error "harness/run/run-ctx.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "run.h"
#include "arch.h"
#include "backends.h"
#include "clock.h"
#include "fs-table.h"
#include "initramfs.h"
#include "kernel.h"
#include "kbuild.h"
#include "qemu.h"
#include "workload.h"
#include "db.h"
#include "stream.h"

struct xb_run_ctx {
	struct xb_run_request o;
	struct xb_suite *suite;
	const struct xb_backend_ops *backend;
	const struct xb_arch *arch;   /* the guest's (the backend's), never NULL */
	const struct xb_fs *fs;
	struct xb_kernel *kernel;
	struct xb_kbuild *kbuild;     /* a kernel built from a tree, else NULL */
	struct xb_backend_cfg cfg;   /* the backend's configuration (backends.h) */
	char *cache_dir;
	char *guest_prog;
	char *image_path;
	char image_sha[65];
	char *append;
	char *qemu;
	char *qemu_version;
	const char *accel;
	enum xb_clock clock;  /* asked for (maybe auto) until choose_clock() */
	const char *clock_note; /* why the clock is what it is, or NULL */
	char *artifacts;
	char *plan_path;      /* native runs: the plan file */
	char *userland;       /* a foreign guest's unpacked packages (busybox, mke2fs) */
	char *userland_versions;
	struct xb_kvlist fp;
	bool dry;
};

/* The busybox applets a guest image links. */
extern const char *const xb_run_applets[];
extern const size_t xb_run_napplets;
/* Pieces of /init (image.c). */
extern const char xb_run_init_head[], xb_run_init_kmsg[], xb_run_init_modules[];

/* prepare.c: resolve everything a run needs, up to the image; undo attach. */
int xb_run_prepare(struct xb_run_ctx *c);
void xb_run_detach(struct xb_run_ctx *c);

/* image.c */
int xb_run_build_image(struct xb_run_ctx *c);
/* The benchmark program's plan; mount_dir NULL: the guest's default. */
void xb_run_plan_text(struct xb_buf *text, const struct xb_run_ctx *c, const char *mount_dir);
/* The backend's and filesystem's modules, and /daxbench/modules listing them. */
int xb_run_add_modules(struct xb_image *img, const struct xb_run_ctx *c);
/* A foreign guest's busybox, mke2fs and their shared objects. */
int xb_run_add_foreign_programs(struct xb_image *img, const struct xb_run_ctx *c);
/* A shared object of the foreign packages (malloc'd path), or NULL and the error set. */
char *xb_run_userland_lib(const struct xb_run_ctx *c, const char *name);

/* boot.c */
void xb_run_base_qemu_opts(struct xb_qemu_opts *q, const struct xb_run_ctx *c);
/* The options of a measuring boot. */
void xb_run_boot_qemu_opts(struct xb_qemu_opts *q, const struct xb_run_ctx *c,
			   const char *console, const char *stream);
/* KVM only where a short boot proves it works. */
const char *xb_run_choose_accel(struct xb_run_ctx *c);
/* One boot: its outcome, and its parsed stream when it produced a good one. */
void xb_run_boot_once(const struct xb_run_ctx *c, unsigned i, struct xb_boot_record *b,
		      struct xb_stream **out_stream, char **out_tail);

/* sharing.c: the sharing group (backends with share_args), one more boot record. */
void xb_run_share_group(const struct xb_run_ctx *c, struct xb_boot_record *b,
			struct xb_stream **out_stream);

#endif
