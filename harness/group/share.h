/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxbench share, inside: the run's context and the functions its files
 * share. cmd-share.c (options, the guest image, the run and its record),
 * share-group.c (one group of N guests: boot, wait, stop, collect),
 * share-host.c (host measurements and KSM), share-exec.c (the hyperfine
 * cross-check), share-derive.c (figures over the whole run).
 */
#ifndef XB_SHARE_H
#define XB_SHARE_H
#ifndef XB_LAYER_HARNESS
#error "harness/group/share.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "kernel.h"
#include "usr-image.h"
#include "virtio-pmem-shared.h"
#include "stream-writer.h"
#include "db.h"
#include "stream.h"

#define MAX_GUESTS 16
#define MAX_MODES 6
#define GUEST_MEM_MB 1024
#define READY "daxbench-share-guest: ready"
/* hyperfine against the in-guest timer: beyond this they disagree */
#define CROSSCHECK_LIMIT 0.10

struct share_opts {
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

struct group {
	const struct xb_share_mode *mode;
	unsigned n;
	bool exec;               /* the exec startup boot: 1 guest, no memory figures */
	double pss_sum;          /* KiB, sum over the group's QEMUs */
	double read_bytes;       /* mean of what each guest's workload read */
	double vmemmap_kib;      /* mean MemFree drop across the nd_pmem probe */
	double region_bytes;
	struct xb_stream_writer *w;
	int fd;
	char *stream_path;
	struct xb_boot_record boot;
};

struct share_ctx {
	struct share_opts o;
	const struct xb_share_mode *modes[MAX_MODES];
	size_t nmodes;
	struct xb_usr_image img;
	struct xb_kernel *kernel;
	char *cache_dir;
	char *qemu;
	char *initrd;
	char initrd_sha[65];
	char *artifacts;
	struct xb_kvlist fp;
	struct group *groups;
	size_t ngroups;
	double t_start;
	char ksm_saved[3][32];
};


struct guest_proc {
	pid_t pid;
	char *console, *stream, *qlog;
	bool ready;
	char *fail;
};

/* Host KSM on (saving its knobs in c), and back as it was. */
int xb_share_ksm_on(struct share_ctx *c);
void xb_share_ksm_restore(struct share_ctx *c);
/* Host figures while all N guests live; the reason of a failure or NULL. */
char *xb_share_measure_host(struct share_ctx *c, struct group *g, struct guest_proc *gp,
			    const char *pfx, double avail0);
/* The image file a mode attaches, and its size. */
const char *xb_share_image(const struct share_ctx *c, const struct xb_share_mode *m);
uint64_t xb_share_image_size(const struct share_ctx *c, const struct xb_share_mode *m);
/* One group: boot, wait, measure, stop, collect; the reason of a failure
 * or NULL. booted: guests booted before, for the time-left estimate. */
char *xb_share_run_group(struct share_ctx *c, struct group *g, unsigned booted);
/* A guest's hyperfine note against its in-guest timer, into g's stream;
 * the reason of a failure or NULL. */
char *xb_share_crosscheck(struct group *g, const char *pfx, unsigned idx,
			  const struct xb_stream *s, const struct xb_stream_note *note);
/* The derived figures over all groups, printed and into w. */
void xb_share_derive(struct share_ctx *c, struct xb_stream_writer *w);

#endif
