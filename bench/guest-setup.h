/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest program's side of a run, apart from measuring: which targets
 * the plan allows, facts about the machine, waiting for the device, mkfs,
 * and the mounts that make the DAX and page-cache targets - each mount
 * checked, because a DAX result from a mount that silently fell back to
 * the page cache would be a wrong number, not a missing one.
 * Functions return 0 or -errno after sending an "error" note to the sink.
 */
#ifndef XB_GUEST_SETUP_H
#define XB_GUEST_SETUP_H
#ifndef XB_LAYER_BENCH
#error "bench/guest-setup.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "bench.h"
#include "fs-table.h"

#define XB_GUEST_MNT "/mnt/dax"
#define XB_GUEST_WAIT_S 20.0

/* A target the guest program offers, in the order it runs them. */
struct xb_guest_target {
	enum xb_target_kind kind;
	const char *mode;       /* "none", "dax", "pagecache", "anon" */
	unsigned needs;         /* XB_CAP_* bits the plan must grant */
	bool fs;                /* needs mkfs and a mount */
	bool dax;               /* mounted with the filesystem's dax option */
};

/* NULL-terminated. */
extern const struct xb_guest_target *const xb_guest_targets[];
const struct xb_guest_target *xb_guest_target_find(const char *mode);

/* The capabilities t needs that plan_caps lacks; 0 when it can run. */
unsigned xb_guest_missing_caps(const struct xb_guest_target *t, unsigned plan_caps);

/* The plan entries "bench.<bench>.*" with that prefix removed, into *out. */
void xb_guest_bench_params(struct xb_kvlist *out, const struct xb_kvlist *plan,
			   const char *bench);
/*
 * Checks a benchmark's parameters: each name is one it declares, and the
 * optional "modes" (comma-separated target modes) names only targets it
 * supports. -EINVAL and a reason in xb_error_last() otherwise.
 */
int xb_guest_check_params(const struct xb_bench_ops *b, const struct xb_kvlist *params);
/* Whether b runs on t: b supports it and "modes", when given, names it. */
bool xb_guest_bench_wants(const struct xb_bench_ops *b, const struct xb_guest_target *t,
			  const struct xb_kvlist *params);

/* Whether a comma-separated option list holds opt as a whole item. */
bool xb_guest_opt_has(const char *opts, const char *opt);
/* The options field of the last /proc/mounts line mounted on dir. */
int xb_guest_mount_opts(char **out, const char *mounts, const char *dir);

/*
 * Calibration (daxbench calibrate): with the plan's inject.dax_fault_spin=N,
 * load daxbench_inject with spin=N before any benchmark and send the facts
 * inject.dax_fault_spin and inject.symbol as the module reports them; after
 * the benchmarks, inject.hits (calls of the probed function). Without that
 * plan entry both do nothing.
 */
#define XB_GUEST_INJECT_KO "/daxbench/inject/daxbench_inject.ko"
#define XB_GUEST_INJECT_SYSFS "/sys/module/daxbench_inject/parameters/"
int xb_guest_inject(const struct xb_kvlist *plan, struct xb_sink *sink);
int xb_guest_inject_done(const struct xb_kvlist *plan, struct xb_sink *sink);
/* Facts about the kernel and machine: kernel.release, kernel.cmdline,
 * cpu.model, cpu.count, mem.total_kb, kernel.tainted, pti, clocksource. */
int xb_guest_facts(struct xb_sink *sink);
/* Polls until device is a block device with a size, up to wait_s seconds. */
int xb_guest_wait_device(const char *device, double wait_s, struct xb_sink *sink);
/* device, device.size_bytes, device.dax, fs. */
int xb_guest_device_facts(const char *device, const struct xb_fs *fs, struct xb_sink *sink);
/* Runs the filesystem's mkfs on device (no shell). */
int xb_guest_mkfs(const struct xb_fs *fs, const char *device, struct xb_sink *sink);
/*
 * Mounts device on dir with or without DAX and checks that /proc/mounts
 * and the device agree (unmounting again when they do not). Sends the
 * fact mount.dax.opts or mount.pagecache.opts.
 */
int xb_guest_mount(const struct xb_fs *fs, const char *device, const char *dir, bool dax,
		   struct xb_sink *sink);
int xb_guest_umount(const char *dir, struct xb_sink *sink);

#endif
