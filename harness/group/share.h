/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxbench share, inside: the run's context and the functions its files
 * share. share-run.c (the guest image, the groups in turn, the record),
 * share-group.c (one group of N guests through group.c: boot, wait,
 * measure, stop, collect), share-host.c (host measurements and KSM),
 * share-exec.c (the hyperfine cross-check), share-derive.c (figures over
 * the whole run). cmd/share.c parses the options and calls xb_share_run().
 */
#ifndef XB_SHARE_H
#define XB_SHARE_H
#ifndef XB_LAYER_HARNESS
#error "harness/group/share.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "backends.h"
#include "group.h"
#include "kernel.h"
#include "record.h"
#include "usr-image.h"
#include "db.h"
#include "stream.h"

#define XB_SHARE_MAX_MODES 6
#define XB_SHARE_GUEST_MEM_MB 1024
/* hyperfine against the in-guest timer: beyond this they disagree */
#define XB_SHARE_CROSSCHECK_LIMIT 0.10

/* What the command asks for (cmd/share.c fills it). */
struct xb_share_opts {
	const char *kernel;
	const char *db;
	const char *cache;
	const char *label;
	const char *recipe;
	const char *read;
	char *modes;
	unsigned min_guests;
	unsigned max_guests;
	unsigned timeout_s;
	unsigned exec_reps;
	bool icount;             /* --clock: instruction time (lib/clock.h) */
	bool exec;
	bool struct_pages;
};

struct xb_share_group {
	const struct xb_share_mode *mode;
	unsigned n;
	bool exec;               /* the exec startup boot: 1 guest, no memory figures */
	double pss_sum;          /* KiB, sum over the group's QEMUs */
	double read_bytes;       /* mean of what each guest's workload read */
	double vmemmap_kib;      /* mean MemFree drop across the nd_pmem probe */
	double region_bytes;
	struct xb_stream *rec;   /* the group's record, built in memory (record.h) */
	struct xb_boot_record boot;
};

struct xb_share_ctx {
	struct xb_share_opts o;
	const struct xb_share_mode *modes[XB_SHARE_MAX_MODES];
	size_t nmodes;
	struct xb_usr_image img;
	struct xb_kernel *kernel;
	char *cache_dir;
	char *qemu;
	char *initrd;
	char initrd_sha[65];
	char *artifacts;
	struct xb_kvlist fp;
	struct xb_share_group *groups;
	size_t ngroups;
	double t_start;
	char ksm_saved[3][32];
};

/* share-run.c */
/* c->modes from c->o.modes; -EINVAL with the error set. */
int xb_share_parse_modes(struct xb_share_ctx *c);
/*
 * Prepare (kernel, image, guest initramfs), run every group and record
 * the run; the derived figures and the run's summary go into out_report
 * for the command to print. 0: recorded as finished; -ECANCELED:
 * recorded as failed (the error says why); other -errno: nothing
 * recorded (or the record failed), the error set.
 */
int xb_share_run(struct xb_share_ctx *c, struct xb_db *db, int64_t *out_id,
		 struct xb_buf *out_report);
void xb_share_ctx_free(struct xb_share_ctx *c);

/* Host KSM on (saving its knobs in c), and back as it was. */
int xb_share_ksm_on(struct xb_share_ctx *c);
void xb_share_ksm_restore(struct xb_share_ctx *c);
/* Host figures while all N guests live (0, or -errno with the error set). */
int xb_share_measure_host(struct xb_share_ctx *c, struct xb_share_group *g,
			  const struct xb_group *gp, const char *pfx, double avail0);
/* The image file a mode attaches, and its size. */
const char *xb_share_image(const struct xb_share_ctx *c, const struct xb_share_mode *m);
uint64_t xb_share_image_size(const struct xb_share_ctx *c, const struct xb_share_mode *m);
/* One group: boot, wait, measure, stop, collect; 0, or -errno with the
 * error set (the group's failure reason). booted: guests booted before,
 * for the time-left estimate. */
int xb_share_run_group(struct xb_share_ctx *c, struct xb_share_group *g, unsigned booted);
/* A guest's hyperfine note against its in-guest timer, into g's record;
 * 0, or -errno with the error set. */
int xb_share_crosscheck(struct xb_share_group *g, const char *pfx, unsigned idx,
			const struct xb_stream *s, const struct xb_stream_note *note);
/* The derived figures over all groups: into rec, and said in out. */
void xb_share_derive(struct xb_buf *out, struct xb_share_ctx *c, struct xb_stream *rec);

#endif
