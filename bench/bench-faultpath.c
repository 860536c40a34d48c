// SPDX-License-Identifier: GPL-2.0
/*
 * faultpath: every path a DAX fault can take, each timed per fault and
 * attributed to what the kernel did.
 *
 * A path (paths[] below) is a way of mapping and touching a file: read,
 * write, write to a page already mapped read-only (mkwrite), re-fault
 * after munmap (the mapping-tree entry exists), MAP_PRIVATE (copy on
 * write), MAP_SYNC, a sparse file (hole), and 2 MiB mappings that can
 * take the PMD path or, misaligned by one page, cannot. Every path runs
 * on the DAX mount and, where it means something, on the page-cache mount
 * of the same device and on anonymous memory as baselines.
 *
 * Per path and repetition three passes, each on a fresh file:
 *  - timed: one touch per 4 KiB page, each touch bracketed by
 *    clock_gettime; pagemap (read outside the bracket) tells a fault from
 *    a page mapped ahead (fault-around, a PMD), as in bench-fault.c;
 *  - throughput: the same touches with no timer and no pagemap inside the
 *    loop; elapsed time over the faults getrusage counted is a per-fault
 *    cost that owes nothing to the per-fault bracket, and must agree with
 *    the timed median;
 *  - once per path on the DAX target, traced: the fs_dax tracepoints
 *    enabled, counted per event and result (tracing costs time, so this
 *    pass is never timed);
 *  - once per path and target under perf stat: this program runs again
 *    as perf's child (xb_faultpath_child_main), prepares the same pass and
 *    turns perf's counters on for its touches only.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "bench.h"
#include "error.h"
#include "fault-util.h"
#include "perf-stat.h"
#include "tracefs.h"

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define PMD_SIZE (2u << 20)
#define FILE_NAME "daxbench-faultpath.dat"
#define TRACE_SYSTEM "fs_dax"
#define TRACE_BUFFER_KB 16384
#define AGREE_PCT 5.0
#define TPUT_BATCH 8            /* faults per batch of the throughput pass */
/* Software events every kernel with perf events has; hardware counters
 * where the machine (or its emulation) has them. */
#define PERF_EVENTS "page-faults,minor-faults,major-faults,task-clock,cycles,instructions"

/* Without MAP_SYNC in the headers, flags of -1 make mmap fail with EINVAL
 * and the path is skipped with the reason. */
#ifdef XB_HAVE_MAP_SYNC
#define XB_MAP_SYNC_BUILT 1
#else
#define XB_MAP_SYNC_BUILT 0
#define MAP_SYNC 0
#endif

enum {
	F_WRITE = 1u << 0,      /* the timed touch writes */
	F_MKWRITE = 1u << 1,    /* pages read-mapped first, then written */
	F_PRIVATE = 1u << 2,    /* MAP_PRIVATE */
	F_SYNC = 1u << 3,       /* MAP_SHARED_VALIDATE | MAP_SYNC */
	F_HOLE = 1u << 4,       /* sparse file: no blocks behind the pages */
	F_REFAULT = 1u << 5,    /* touched, unmapped, mapped again first */
	F_PMD = 1u << 6,        /* 2 MiB aligned mapping, huge pages allowed */
	F_MISALIGN = 1u << 7,   /* ... mapped one page off 2 MiB alignment */
};

#define T_FILE (XB_TARGET_DAX | XB_TARGET_PAGECACHE)
#define T_ALL (T_FILE | XB_TARGET_ANON)

static const struct fpath {
	const char *name;       /* goes into metric names: fault.<mode>.<name>.ns */
	unsigned flags;
	unsigned targets;
} paths[] = {
	/* device-dax maps one size, its alignment: 4 KiB for these, 2 MiB for
	 * the PMD paths (the namespace is reconfigured between them) */
	{ "read.pte", 0, T_ALL | XB_TARGET_DEVDAX },
	{ "write.pte", F_WRITE, T_ALL | XB_TARGET_DEVDAX },
	{ "mkwrite.pte", F_MKWRITE | F_WRITE, T_ALL },
	{ "refault.read.pte", F_REFAULT, T_FILE },
	{ "refault.write.pte", F_REFAULT | F_WRITE, T_FILE },
	{ "private.read.pte", F_PRIVATE, T_FILE },
	{ "private.write.pte", F_PRIVATE | F_WRITE, T_FILE },
	{ "sync.write.pte", F_SYNC | F_WRITE, XB_TARGET_DAX },
	/* allocating under MAP_SYNC: the fault syncs the metadata itself */
	{ "sync.hole.write.pte", F_SYNC | F_HOLE | F_WRITE, XB_TARGET_DAX },
	{ "hole.read.pte", F_HOLE, T_FILE },
	{ "hole.write.pte", F_HOLE | F_WRITE, T_FILE },
	{ "read.pmd", F_PMD, T_ALL | XB_TARGET_DEVDAX },
	{ "write.pmd", F_PMD | F_WRITE, T_ALL | XB_TARGET_DEVDAX },
	{ "read.pmd_misaligned", F_PMD | F_MISALIGN, XB_TARGET_DAX },
	{ "write.pmd_misaligned", F_PMD | F_MISALIGN | F_WRITE, XB_TARGET_DAX },
};

const char *xb_faultpath_name(size_t i)
{
	return i < XB_ARRAY_SIZE(paths) ? paths[i].name : NULL;
}

static const struct {
	const char *suffix, *unit, *direction, *what;
} metrics[] = {
	{ "ns", "ns", "lower", "latency of one fault: a one-byte touch of a 4 KiB page that "
	  "pagemap showed unmapped (every touch for mkwrite)" },
	{ "per_page_ns", "ns", "lower", "mean time of a touch over all pages touched, faulting "
	  "or not (a PMD path touches the first page of each 2 MiB)" },
	{ "pages_per_fault", "pages", "none", "pages mapped per fault counted by getrusage" },
	{ "pagemap_between", "count", "none", "1: the timed pass read pagemap before each "
	  "touch to tell faults from pages mapped ahead (fault-around), which slows the "
	  "faults; 0: nothing between touches, getrusage showed that every touch faulted" },
	{ "minflt", "count", "none", "minor faults in the timed pass (getrusage)" },
	{ "majflt", "count", "none", "major faults in the timed pass (getrusage)" },
	{ "mapped_ahead", "pages", "none", "pages already mapped when touched (not faults)" },
	{ "below_res", "count", "none", "fault samples below the timer's resolution" },
	{ "tput_ns", "ns", "lower", "throughput pass: time of all touches over the faults "
	  "getrusage counted, no per-fault timer and no pagemap" },
	{ "tput_batch_ns", "ns", "lower", "throughput pass: median over batches of up to 8 "
	  "faults of a batch's time over its faults" },
	{ "tput_same_pass", "count", "none", "1: the per-fault reference of the tput_vs_* "
	  "figures is the per-touch timed batches interleaved with the throughput batches "
	  "(same seconds); 0: fault-around, so the timed pass's samples" },
	{ "tput_vs_median_pct", "percent", "none", "throughput (batch median) against the "
	  "per-fault median less the timer's overhead: "
	  "100 * (tput_batch / (median - overhead) - 1)" },
	{ "tput_vs_mean_pct", "percent", "none", "throughput (whole pass) against the "
	  "per-fault mean less the timer's overhead: 100 * (tput / (mean - overhead) - 1)" },
	{ "tput_vs_batch_pct", "percent", "none", "throughput (batch median) against the "
	  "same statistic of the per-fault samples (median of means of batches of the same "
	  "number of faults) less the timer's overhead" },
	{ "tput_vs_timed_pct", "percent", "none", "throughput (batch median) against the "
	  "timed pass's per-fault median less the timer's overhead (another pass: a host "
	  "busier then or now shows here)" },
};

struct fp_params {
	uint64_t size;
	long long reps;
	uint32_t paths;                 /* bits of paths[] */
	bool trace;
	bool perf;
};

/*
 * On a PMD path the samples split: a fault at the start of a 2 MiB block
 * after which its last page is mapped too was a PMD fault (fault_ns from
 * the front);
 * any other was a 4 KiB one that fell back (fault_ns from the back,
 * npte of them), so a fallback never hides inside the PMD figure.
 */
struct fp_pass {
	size_t nfault, npte, mapped_ahead, below_res;
	size_t ntouch, pages_mapped;
	bool pagemap_between;           /* pagemap read before each touch */
	double sum_ns;
	long minflt, majflt;
};

struct fp_ctx {
	const struct xb_target *t;
	struct xb_sink *sink;
	struct fp_params p;
	size_t npages;
	int pagemap_fd;
	char *path;
	char *fill;
	double *fault_ns;
	double timer_step_ns;
	double timer_ovh_ns;            /* median cost of one clock read */
	double *batch_ns;               /* one slot per page, faulted in */
	double *il_batch_ns;            /* one slot per page, faulted in */
	char *trace_root;               /* NULL: no tracing on this target */
	struct xb_trace_events events;
	struct fp_pass pass;
	unsigned perf_noted;            /* events already said unavailable */
	bool perf_failed;               /* perf stat failed once on this target */
	char subject[64];
};

bool xb_faultpath_reexec;

static volatile char touch_sink;

static int note(struct fp_ctx *c, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int note(struct fp_ctx *c, const char *kind, const char *fmt, ...)
{
	char *text;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		abort();
	va_end(ap);
	rc = c->sink->note(c->sink, kind, c->subject, text);
	free(text);
	return rc;
}

/* ---- parameters ---------------------------------------------------- */

static int find_path(const char *name)
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(paths); i++)
		if (!strcmp(paths[i].name, name))
			return (int)i;
	return -1;
}

static int parse_paths(struct fp_ctx *c, const char *list)
{
	char *dup = xb_strdup(list), *save = NULL;
	int rc = 0;

	c->p.paths = 0;
	if (!strcmp(xb_trim(dup), "all")) {
		c->p.paths = (1u << XB_ARRAY_SIZE(paths)) - 1;
		free(dup);
		return 0;
	}
	for (char *tok = strtok_r(dup, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		int i = find_path(xb_trim(tok));

		if (i >= 0) {
			c->p.paths |= 1u << i;
			continue;
		}
		note(c, "error", "bad parameter paths: unknown path '%s' (want all, or some of "
		     "read.pte, write.pte, mkwrite.pte, refault.read.pte, ..., read.pmd, "
		     "write.pmd_misaligned: see bench/bench-faultpath.c)", xb_trim(tok));
		rc = -EINVAL;
	}
	if (!rc && !c->p.paths) {
		note(c, "error", "bad parameter paths: empty (want all, or a list of paths)");
		rc = -EINVAL;
	}
	free(dup);
	return rc;
}

static bool wants_pmd(const struct fp_ctx *c)
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(paths); i++)
		if ((c->p.paths & (1u << i)) && (paths[i].flags & F_PMD))
			return true;
	return false;
}

static int parse_size(struct fp_ctx *c, const char *s)
{
	return xb_fault_parse_size(&c->p.size, &c->npages, s, c->sink, c->subject);
}

static int parse_params(struct fp_ctx *c, const struct xb_kvlist *params)
{
	const char *list = xb_kv_get(params, "paths");
	const char *size = xb_kv_get(params, "file_size");
	const char *trace = xb_kv_get(params, "trace");
	const char *perf = xb_kv_get(params, "perf");
	int rc;

	rc = parse_size(c, size ? size : "16M");
	if (!rc)
		rc = parse_paths(c, list ? list : "all");
	if (!rc)
		rc = xb_bench_param_int(&c->p.reps, params, "reps", 3, 1, 1000, c->sink,
					c->subject);
	if (rc)
		return rc;
	if (trace && strcmp(trace, "on") && strcmp(trace, "off")) {
		note(c, "error", "bad parameter trace '%s': want on or off", trace);
		return -EINVAL;
	}
	c->p.trace = !trace || !strcmp(trace, "on");
	if (perf && strcmp(perf, "on") && strcmp(perf, "off")) {
		note(c, "error", "bad parameter perf '%s': want on or off", perf);
		return -EINVAL;
	}
	c->p.perf = !perf || !strcmp(perf, "on");
	if (wants_pmd(c) && c->p.size % PMD_SIZE) {
		note(c, "error", "bad parameter file_size %llu: the PMD paths need a multiple of "
		     "2 MiB (a 2 MiB fault cannot map a partial extent); use 16M or leave the "
		     "*.pmd* paths out", (unsigned long long)c->p.size);
		return -EINVAL;
	}
	return 0;
}

/* ---- the file and the mapping --------------------------------------- */

/*
 * A fresh file per pass: written blocks, preallocated whole so that the
 * extents are 2 MiB aligned, or for a hole path a sparse file of the same
 * size with no blocks at all.
 */
static int make_file(struct fp_ctx *c, const struct fpath *fp, int *out_fd)
{
	unsigned how = fp->flags & F_HOLE ? XB_FAULT_FILE_HOLE : XB_FAULT_FILE_PREALLOC;

	return xb_fault_make_file(out_fd, c->path, c->p.size, c->fill, how, c->t, c->sink,
				  c->subject);
}

static int map_flags(const struct fp_ctx *c, const struct fpath *fp)
{
	if (c->t->kind == XB_TARGET_ANON)
		return MAP_PRIVATE | MAP_ANONYMOUS;
	if (fp->flags & F_PRIVATE)
		return MAP_PRIVATE;
	if (fp->flags & F_SYNC)
		return XB_MAP_SYNC_BUILT ? MAP_SHARED_VALIDATE | MAP_SYNC : -1;
	return MAP_SHARED;
}

/*
 * A PMD fault needs the virtual address and the file offset congruent
 * modulo 2 MiB: reserve 2 MiB more than needed, place the mapping on the
 * first 2 MiB boundary inside (one page further for the misaligned
 * variant, which must fall back) and give back the rest.
 */
static void *map_at_pmd(size_t len, int prot, int flags, int fd, bool misalign)
{
	char *res, *at;
	void *p;

	res = mmap(NULL, len + PMD_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (res == MAP_FAILED)
		return MAP_FAILED;
	at = (char *)(((uintptr_t)res + PMD_SIZE - 1) & ~(uintptr_t)(PMD_SIZE - 1));
	if (misalign)
		at += XB_PAGE;
	p = mmap(at, len, prot, flags | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED) {
		int e = errno;

		munmap(res, len + PMD_SIZE);
		errno = e;
		return MAP_FAILED;
	}
	if (at > res)
		munmap(res, (size_t)(at - res));
	if (at + len < res + len + PMD_SIZE)
		munmap(at + len, (size_t)(res + len + PMD_SIZE - (at + len)));
	return p;
}

/* 0 and *out mapped; 1 when the kernel refuses MAP_SYNC (a skip note went
 * out); -errno after an error note. */
static int map_region(struct fp_ctx *c, const struct fpath *fp, int fd, char **out)
{
	int prot = PROT_READ | PROT_WRITE, flags = map_flags(c, fp), rc;
	bool pmd = fp->flags & F_PMD;
	void *p;

	if (pmd)
		p = map_at_pmd(c->p.size, prot, flags, fd, fp->flags & F_MISALIGN);
	else
		p = mmap(NULL, c->p.size, prot, flags, fd, 0);
	if (p == MAP_FAILED) {
		rc = -errno;
		if ((fp->flags & F_SYNC) && !XB_MAP_SYNC_BUILT) {
			note(c, "skip", "%s: daxbench was built without MAP_SYNC in <sys/mman.h>",
			     fp->name);
			return 1;
		}
		if ((fp->flags & F_SYNC) && (rc == -EOPNOTSUPP || rc == -EINVAL)) {
			note(c, "skip", "%s: mmap MAP_SYNC refused (%s): this kernel or "
			     "filesystem does not support synchronous faults", fp->name,
			     strerror(-rc));
			return 1;
		}
		note(c, "error", "%s: mmap %llu bytes: %s", fp->name,
		     (unsigned long long)c->p.size, strerror(-rc));
		return rc;
	}
	/* PTE paths must stay PTE: no THP, no DAX PMD. EINVAL: no THP at all. */
	if (madvise(p, c->p.size, pmd ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) && errno != EINVAL) {
		rc = -errno;
		note(c, "error", "%s: madvise: %s", fp->name, strerror(-rc));
		munmap(p, c->p.size);
		return rc;
	}
	*out = p;
	return 0;
}

static void touch_every(char *base, size_t npages, size_t step, bool write)
{
	xb_fault_touch(base, npages, step, write);
}

static void touch_all(char *base, size_t npages, bool write)
{
	xb_fault_touch(base, npages, 1, write);
}

/*
 * Everything a pass does before the touches it measures: the file, a
 * first mapping touched and dropped for a re-fault, the read touches
 * that make a mkwrite. 0 with *out mapped, 1 to skip, -errno.
 */
static int prepare(struct fp_ctx *c, const struct fpath *fp, char **out)
{
	int fd = -1, rc;

	if (c->path) {
		rc = make_file(c, fp, &fd);
		if (rc)
			return rc;
	} else if (c->t->kind == XB_TARGET_DEVDAX) {
		rc = xb_fault_devdax_open(&fd, c->t, c->p.size,
					  fp->flags & F_PMD ? PMD_SIZE : XB_PAGE, c->sink,
					  c->subject);
		if (rc)
			return rc;
	}
	if (fp->flags & F_REFAULT) {
		rc = map_region(c, fp, fd, out);
		if (rc)
			goto out;
		touch_all(*out, c->npages, fp->flags & F_WRITE);
		munmap(*out, c->p.size);
	}
	rc = map_region(c, fp, fd, out);
	if (!rc && (fp->flags & F_MKWRITE))
		touch_all(*out, c->npages, false);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- the passes ---------------------------------------------------- */

static void count_faults(struct fp_pass *p, long f0, long maj0)
{
	long maj1, f1 = xb_rusage_faults(&maj1);

	p->majflt = maj1 - maj0;
	p->minflt = (f1 - f0) - p->majflt;
}

static bool splits_pmd(const struct fpath *fp)
{
	return (fp->flags & F_PMD) && !(fp->flags & F_MISALIGN);
}

/* A PMD path touches one page per 2 MiB, the first: the other 511 are
 * mapped by a PMD fault, or left alone after a fallback (its fault is
 * timed all the same, as a 4 KiB one). */
static size_t touch_step(const struct fpath *fp)
{
	return splits_pmd(fp) ? PMD_SIZE / XB_PAGE : 1;
}

/*
 * After a PMD pass, pagemap (read now, outside any timing) says which
 * blocks took a PMD fault: their last page is mapped too. Their samples go
 * to the front of fault_ns, the fallbacks' to the back (npte of them,
 * the first at the end), so a fallback never hides inside the PMD figure.
 */
static int split_pmd(struct fp_ctx *c, char *base, size_t step)
{
	struct fp_pass *p = &c->pass;
	size_t npmd = 0;
	int rc = 0;

	memcpy(c->batch_ns, c->fault_ns, p->nfault * sizeof(*c->fault_ns));
	p->npte = 0;
	p->pages_mapped = 0;
	for (size_t k = 0; k < p->nfault && !rc; k++) {
		uint64_t last = 0;

		rc = xb_pagemap_entry(&last, c->pagemap_fd, base + (k * step + step - 1) * XB_PAGE);
		if (last & XB_PM_PRESENT)
			c->fault_ns[npmd++] = c->batch_ns[k];
		else
			c->fault_ns[c->npages - ++p->npte] = c->batch_ns[k];
		p->pages_mapped += last & XB_PM_PRESENT ? step : 1;
	}
	return rc;
}

/*
 * The timed loop: each touch bracketed by clock_gettime and nothing else.
 * A touch of a page mapped ahead (fault-around) is not a fault; telling
 * one from the other takes a pagemap read before each touch, a system call
 * whose kernel entry and page-table walk slow the fault that follows it
 * (by a quarter on a DAX read under TCG; see docs/fault-paths.md). So a
 * pass first runs without it, and getrusage says afterwards whether every
 * touch faulted: then every sample is a fault. 1 when some did not: the
 * caller runs the pass again with pagemap (with_pagemap), where the
 * pagemap read stays outside the bracket.
 */
static int timed_touches(struct fp_ctx *c, const struct fpath *fp, char *base,
			 bool with_pagemap)
{
	struct fp_pass *p = &c->pass;
	bool write = fp->flags & F_WRITE;
	size_t step = touch_step(fp);
	long maj0, f0;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->pagemap_between = with_pagemap;
	f0 = xb_rusage_faults(&maj0);
	for (size_t i = 0; i < c->npages && !rc; i += step) {
		volatile char *addr = base + i * XB_PAGE;
		struct timespec t0, t1;
		uint64_t ent = 0;
		double ns;

		rc = with_pagemap ? xb_pagemap_entry(&ent, c->pagemap_fd, addr) : 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (write)
			*addr = 0x5a;
		else
			touch_sink = *addr;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ns = xb_elapsed_ns(&t0, &t1);
		p->sum_ns += ns;
		p->ntouch++;
		if (ent & XB_PM_PRESENT) {
			p->mapped_ahead++;
			continue;
		}
		p->below_res += ns < c->timer_step_ns;
		c->fault_ns[p->nfault++] = ns;
	}
	count_faults(p, f0, maj0);
	p->pages_mapped = p->ntouch;
	if (!rc && splits_pmd(fp))
		rc = split_pmd(c, base, step);
	if (rc) {
		note(c, "error", "read /proc/self/pagemap: %s", strerror(-rc));
		return rc;
	}
	return !with_pagemap && p->minflt + p->majflt < (long)p->ntouch;
}

static char *metric_name(const struct fp_ctx *c, const struct fpath *fp, const char *suffix)
{
	return xb_asprintf("fault.%s.%s.%s", c->t->mode, fp->name, suffix);
}

static int declare_one(struct fp_ctx *c, const struct fpath *fp, const char *suffix,
		       const char *unit, const char *direction, const char *what)
{
	char *name = metric_name(c, fp, suffix);
	char *desc = xb_asprintf("%s (%s, %s)", what, fp->name, c->t->mode);
	int rc = c->sink->metric(c->sink, name, unit, direction, desc);

	free(name);
	free(desc);
	return rc;
}

static int declare(struct fp_ctx *c, const struct fpath *fp)
{
	int rc = 0;

	for (size_t i = 0; i < XB_ARRAY_SIZE(metrics) && !rc; i++)
		rc = declare_one(c, fp, metrics[i].suffix, metrics[i].unit,
				 metrics[i].direction, metrics[i].what);
	if (!rc && splits_pmd(fp))
		rc = declare_one(c, fp, "pte_fallback_ns", "ns", "lower", "latency of the "
				 "faults of a PMD path that mapped 4 KiB (fell back to PTE)");
	return rc;
}

static int send(struct fp_ctx *c, const struct fpath *fp, const char *suffix, int rep,
		const double *v, size_t n)
{
	char *name = metric_name(c, fp, suffix);
	int rc = c->sink->samples(c->sink, name, rep, v, n);

	free(name);
	return rc;
}

static int send1(struct fp_ctx *c, const struct fpath *fp, const char *suffix, int rep,
		 double v)
{
	return send(c, fp, suffix, rep, &v, 1);
}

static int report_timed(struct fp_ctx *c, const struct fpath *fp, int rep)
{
	const struct fp_pass *p = &c->pass;
	long faults = p->minflt + p->majflt;
	int rc;

	if (!p->nfault)
		return note(c, "warning", "%s rep %d: no touch faulted (every page was already "
			    "mapped): no latency sample", fp->name, rep);
	if (p->nfault > p->npte)
		rc = send(c, fp, "ns", rep, c->fault_ns, p->nfault - p->npte);
	else
		rc = note(c, "warning", "%s rep %d: every fault fell back to 4 KiB: no PMD "
			  "latency sample", fp->name, rep);
	if (!rc && p->npte && splits_pmd(fp))
		rc = send(c, fp, "pte_fallback_ns", rep, c->fault_ns + c->npages - p->npte,
			  p->npte);
	if (!rc)
		rc = send1(c, fp, "per_page_ns", rep, p->sum_ns / (double)p->ntouch);
	if (!rc)
		rc = send1(c, fp, "pagemap_between", rep, p->pagemap_between);
	if (!rc)
		rc = send1(c, fp, "minflt", rep, (double)p->minflt);
	if (!rc)
		rc = send1(c, fp, "majflt", rep, (double)p->majflt);
	if (!rc)
		rc = send1(c, fp, "mapped_ahead", rep, (double)p->mapped_ahead);
	if (!rc)
		rc = send1(c, fp, "below_res", rep, (double)p->below_res);
	if (!rc && faults > 0)
		rc = send1(c, fp, "pages_per_fault", rep, (double)p->pages_mapped /
			   (double)faults);
	if (!rc && labs(faults - (long)p->nfault) > 4 + (long)p->nfault / 100)
		rc = note(c, "warning", "%s rep %d: getrusage counted %ld faults, the timed "
			  "loop %zu", fp->name, rep, faults, p->nfault);
	return rc;
}

/* A PMD path that took 4 KiB faults measured the PTE path: say so. */
static int check_pmd_taken(struct fp_ctx *c, const struct fpath *fp, int rep)
{
	const struct fp_pass *p = &c->pass;
	double per = p->nfault ? (double)p->pages_mapped / (double)p->nfault : 0;

	if (!(fp->flags & F_PMD) || !p->npte)
		return 0;
	return note(c, "warning", "%s rep %d: %zu of %zu faults mapped 4 KiB, not 2 MiB "
		    "(%.1f pages per fault): kept apart in %s.pte_fallback_ns", fp->name, rep,
		    p->npte, p->nfault, per, fp->name);
}

/* Median of every fault of the pass, PMD and fallback ones together, as
 * the throughput pass cannot tell them apart either. */
static double median_all(struct fp_ctx *c)
{
	struct fp_pass *p = &c->pass;

	memmove(c->fault_ns + (p->nfault - p->npte), c->fault_ns + c->npages - p->npte,
		p->npte * sizeof(*c->fault_ns));
	return xb_median(c->fault_ns, p->nfault);
}

/*
 * Faults per batch of the throughput pass: TPUT_BATCH, or fewer so that
 * a pass has at least 16 batches (8 PMD faults: one each). A batch is
 * timed as a whole, so the timer costs 1/F of a read per fault; it is
 * kept short (8 DAX faults: ~0.1 ms under TCG) so that, like most single
 * faults, most batches fall between two preemptions of a loaded host,
 * and their median is as robust as the per-fault median.
 */
static size_t batch_faults(size_t nfault)
{
	size_t f = nfault / 16;

	return f < 1 ? 1 : f > TPUT_BATCH ? TPUT_BATCH : f;
}

/* Means of consecutive runs of f timed samples (in touch order: before
 * median_all sorts them), then the median of those means: the statistic
 * the throughput batches give, computed on the timed samples. */
static double timed_batch_median(struct fp_ctx *c, size_t f)
{
	const struct fp_pass *p = &c->pass;
	size_t nb = 0;

	for (size_t i = 0; i + f <= p->nfault; i += f) {
		double sum = 0;

		for (size_t j = i; j < i + f; j++)
			sum += j < p->nfault - p->npte ? c->fault_ns[j] :
			       c->fault_ns[c->npages - 1 - (j - (p->nfault - p->npte))];
		c->batch_ns[nb++] = sum / (double)f;
	}
	return xb_median(c->batch_ns, nb);
}

/* The per-fault figures a throughput figure is held against. */
struct fault_ref {
	double median, mean, batch;     /* per-fault median, mean, batch-mean median */
	size_t n;                       /* samples, 0: none */
};

struct tput {
	double whole_ns;        /* all throughput batches' time over their faults */
	double batch_ns;        /* median over throughput batches of time over faults */
	long faults;
	size_t nbatch, f;       /* throughput batches, faults per batch */
	struct fault_ref il;    /* the timed batches between them */
};

/* Mean of v[0..n) */
static double mean_of(const double *v, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += v[i];
	return n ? sum / (double)n : 0;
}

/* One batch of n touches from page b (stride step): with per_touch, each
 * touch timed into out (nothing else between two touches); else the
 * batch as a whole. Returns the batch's time, *faults getrusage's count. */
static double batch(const struct fpath *fp, char *base, size_t b, size_t n, size_t step,
		    bool per_touch, double *out, long *faults)
{
	bool write = fp->flags & F_WRITE;
	struct timespec t0, t1;
	long maj, f0 = xb_rusage_faults(&maj);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (per_touch) {
		for (size_t i = 0; i < n; i++) {
			volatile char *addr = base + (b + i) * step * XB_PAGE;
			struct timespec a, z;

			clock_gettime(CLOCK_MONOTONIC, &a);
			if (write)
				*addr = 0x5a;
			else
				touch_sink = *addr;
			clock_gettime(CLOCK_MONOTONIC, &z);
			out[i] = xb_elapsed_ns(&a, &z);
		}
	} else {
		touch_every(base + b * step * XB_PAGE, n * step, step, write);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*faults = xb_rusage_faults(&maj) - f0;
	return xb_elapsed_ns(&t0, &t1);
}

/*
 * Whether pair k of batches runs its timed batch first: a fixed
 * pseudo-random bit (splitmix64). A strict alternation would line up with
 * the page cache's readahead, whose windows start on power-of-two page
 * offsets: the throughput batches, starting there, took every read and
 * the timed ones none (+280% on a page-cache write).
 */
static bool swap_pair(size_t k)
{
	uint64_t z = (uint64_t)k * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (z ^ (z >> 31)) >> 40 & 1;  /* a high bit: the low one alternates */
}

/*
 * The throughput pass, in batches of about f faults (as many pages as the
 * timed pass took for f faults), getrusage between batches, outside their
 * time. One batch of each pair is timed per touch instead: those give per-fault
 * samples from the same seconds of the same pass, so that a host busier
 * during one pass than another (TCG on a shared machine) shifts both
 * figures alike. They count only when every touch of theirs faulted (no
 * fault-around); otherwise il.n is 0.
 */
static void tput_touches(struct fp_ctx *c, const struct fpath *fp, char *base, size_t f,
			 struct tput *out)
{
	size_t step = touch_step(fp), touches = (c->npages + step - 1) / step;
	size_t per = f * touches / c->pass.nfault, nil = 0, nilb = 0;
	bool il_ok = true;
	double total = 0;

	memset(out, 0, sizeof(*out));
	out->f = f;
	per = per ? per : 1;
	for (size_t b = 0, k = 0; b < touches; b += per, k++) {
		size_t n = touches - b < per ? touches - b : per;
		bool timed = (k & 1) ^ swap_pair(k / 2);
		long df;
		double ns = batch(fp, base, b, n, step, timed, c->fault_ns + nil, &df);

		if (timed) {
			il_ok = il_ok && df >= (long)n;
			c->il_batch_ns[nilb++] = mean_of(c->fault_ns + nil, n);
			nil += n;
			continue;
		}
		total += ns;
		out->faults += df;
		if (df > 0)
			c->batch_ns[out->nbatch++] = ns / (double)df;
	}
	out->whole_ns = out->faults > 0 ? total / (double)out->faults : 0;
	out->batch_ns = out->nbatch ? xb_median(c->batch_ns, out->nbatch) : 0;
	if (!il_ok || !nil)
		return;
	out->il.n = nil;
	out->il.mean = mean_of(c->fault_ns, nil);
	out->il.median = xb_median(c->fault_ns, nil);
	out->il.batch = xb_median(c->il_batch_ns, nilb);
}

/* NAN when the reference is not above zero (a reference at or below the
 * timer's overhead): no percentage is stored then. */
static double pct(double x, double ref)
{
	return ref > 0 ? 100.0 * (x / ref - 1.0) : NAN;
}

static int send_pct(struct fp_ctx *c, const struct fpath *fp, const char *suffix, int rep,
		    double v)
{
	if (isfinite(v))
		return send1(c, fp, suffix, rep, v);
	return note(c, "warning", "%s rep %d: no %s: its reference is at or below the timer's "
		    "overhead of %.0f ns", fp->name, rep, suffix, c->timer_ovh_ns);
}

/*
 * The reference is the per-fault samples of the same pass when there are
 * some, else the timed pass's; the timed pass's median is compared too
 * (tput_vs_timed_pct). Each timed sample holds one clock read more than
 * its touch: the timer's overhead comes off every reference.
 */
static int tput_report(struct fp_ctx *c, const struct fpath *fp, int rep,
		       const struct fault_ref *timed, const struct tput *t)
{
	const struct fault_ref *ref = t->il.n ? &t->il : timed;
	double ovh = c->timer_ovh_ns;
	double vs_med = pct(t->batch_ns, ref->median - ovh);
	double vs_mean = pct(t->whole_ns, ref->mean - ovh);
	double vs_batch = pct(t->batch_ns, ref->batch - ovh);
	double vs_timed = pct(t->batch_ns, timed->median - ovh);
	int rc;

	rc = send1(c, fp, "tput_ns", rep, t->whole_ns);
	if (!rc)
		rc = send1(c, fp, "tput_batch_ns", rep, t->batch_ns);
	if (!rc)
		rc = send1(c, fp, "tput_same_pass", rep, t->il.n > 0);
	if (!rc)
		rc = send_pct(c, fp, "tput_vs_median_pct", rep, vs_med);
	if (!rc)
		rc = send_pct(c, fp, "tput_vs_mean_pct", rep, vs_mean);
	if (!rc)
		rc = send_pct(c, fp, "tput_vs_batch_pct", rep, vs_batch);
	if (!rc)
		rc = send_pct(c, fp, "tput_vs_timed_pct", rep, vs_timed);
	if (!rc && fabs(vs_med) > AGREE_PCT)
		rc = note(c, "warning", "%s rep %d: throughput-derived %.0f ns per fault (median "
			  "of %zu batches of %zu faults) and the per-fault median %.0f ns (%s, "
			  "less the timer's %.0f ns) disagree by %+.1f%% (more than %.0f%%); "
			  "same statistic of the timed batches %+.1f%%, whole pass against the "
			  "mean %+.1f%%, against the timed pass's median %+.1f%%", fp->name, rep,
			  t->batch_ns, t->nbatch, t->f, ref->median, t->il.n ? "same pass" :
			  "timed pass: fault-around", ovh, vs_med, AGREE_PCT, vs_batch, vs_mean,
			  vs_timed);
	return rc;
}

/* The throughput pass: no per-fault timer, no pagemap inside the loop. */
static int tput_pass(struct fp_ctx *c, const struct fpath *fp, int rep,
		     const struct fault_ref *timed, size_t f)
{
	struct tput t;
	char *base;
	int rc;

	rc = prepare(c, fp, &base);
	if (rc)
		return rc < 0 ? rc : 0;
	tput_touches(c, fp, base, f, &t);
	munmap(base, c->p.size);
	if (t.faults <= 0)
		return note(c, "warning", "%s rep %d: throughput pass took no fault", fp->name, rep);
	return tput_report(c, fp, rep, timed, &t);
}

static int timed_pass(struct fp_ctx *c, const struct fpath *fp, int rep)
{
	struct fault_ref ref;
	char *base;
	size_t f;
	int rc;

	rc = prepare(c, fp, &base);
	if (rc)
		return rc;
	rc = timed_touches(c, fp, base, false);
	munmap(base, c->p.size);
	if (rc == 1) {
		rc = prepare(c, fp, &base);
		if (rc)
			return rc;
		rc = timed_touches(c, fp, base, true);
		munmap(base, c->p.size);
	}
	if (!rc)
		rc = report_timed(c, fp, rep);
	if (!rc)
		rc = check_pmd_taken(c, fp, rep);
	if (rc || !c->pass.nfault)
		return rc;
	f = batch_faults(c->pass.nfault);
	ref.n = c->pass.nfault;
	ref.batch = timed_batch_median(c, f);
	ref.median = median_all(c);
	ref.mean = mean_of(c->fault_ns, ref.n);
	return tput_pass(c, fp, rep, &ref, f);
}

/* ---- attribution --------------------------------------------------- */

static int send_count(struct fp_ctx *c, const struct fpath *fp, const char *key, long n)
{
	char *suffix = xb_asprintf("trace.%s", key);
	int rc;

	rc = declare_one(c, fp, suffix, "count", "none",
			 "fs_dax tracepoint hits in the traced pass (event or event.RESULT)");
	if (!rc)
		rc = send1(c, fp, suffix, 0, (double)n);
	free(suffix);
	return rc;
}

/* Every discovered event gets its count, zero included (a measured zero:
 * the event exists and did not fire); results only as they appeared. */
static int report_trace(struct fp_ctx *c, const struct fpath *fp,
			const struct xb_trace_counts *tc)
{
	long fallback = xb_trace_get(tc, "dax_pmd_fault_done.FALLBACK");
	long pmd = xb_trace_get(tc, "dax_pmd_fault_done");
	int rc = 0;

	for (size_t i = 0; i < c->events.n && !rc; i++)
		rc = send_count(c, fp, c->events.names[i], xb_trace_get(tc, c->events.names[i]));
	for (size_t i = 0; i < tc->n && !rc; i++)
		if (strchr(tc->v[i].key, '.') || !strcmp(tc->v[i].key, "lost"))
			rc = send_count(c, fp, tc->v[i].key, tc->v[i].n);
	if (!rc && xb_trace_get(tc, "lost"))
		rc = note(c, "warning", "%s: the trace buffer lost %ld events: counts are short",
			  fp->name, xb_trace_get(tc, "lost"));
	if (!rc && (fp->flags & F_PMD)) {
		rc = declare_one(c, fp, "pmd_fallbacks", "count", "none",
				 "PMD faults that fell back to PTE (dax_pmd_fault_done FALLBACK)");
		if (!rc)
			rc = send1(c, fp, "pmd_fallbacks", 0, (double)fallback);
	}
	if (!rc && fallback && !(fp->flags & F_MISALIGN))
		rc = note(c, "warning", "%s: %ld of %ld PMD faults fell back to PTE: this "
			  "metric is not (only) the PMD path", fp->name, fallback, pmd);
	return rc;
}

static int traced_touches(struct fp_ctx *c, const struct fpath *fp, char *base,
			  char **out_text)
{
	int rc, rc2;

	rc = xb_tracefs_reset(c->trace_root, TRACE_BUFFER_KB);
	if (!rc)
		rc = xb_tracefs_enable(c->trace_root, TRACE_SYSTEM, true);
	if (rc) {
		note(c, "error", "%s: enabling %s/events/%s: %s", fp->name, c->trace_root,
		     TRACE_SYSTEM, strerror(-rc));
		return rc;
	}
	touch_all(base, c->npages, fp->flags & F_WRITE);
	rc = xb_tracefs_enable(c->trace_root, TRACE_SYSTEM, false);
	rc2 = xb_tracefs_read(out_text, c->trace_root);
	if (rc || rc2)
		note(c, "error", "%s: reading the trace from %s: %s", fp->name, c->trace_root,
		     strerror(-(rc ? rc : rc2)));
	if (!rc && rc2)
		rc = rc2;
	else if (rc && !rc2)
		free(*out_text);
	return rc;
}

static int trace_pass(struct fp_ctx *c, const struct fpath *fp)
{
	struct xb_trace_counts tc;
	char *base, *text = NULL;
	int rc;

	rc = prepare(c, fp, &base);
	if (rc)
		return rc < 0 ? rc : 0;
	rc = traced_touches(c, fp, base, &text);
	munmap(base, c->p.size);
	if (rc)
		return rc;
	xb_trace_parse(&tc, text);
	free(text);
	rc = report_trace(c, fp, &tc);
	xb_trace_counts_free(&tc);
	return rc;
}

/* Tracing on the DAX target only (fs_dax events fire nowhere else);
 * without tracefs or its fs_dax events, a skip note says why. */
static int setup_trace(struct fp_ctx *c)
{
	int rc;

	if (!c->p.trace || c->t->kind != XB_TARGET_DAX)
		return 0;
	rc = xb_tracefs_root(&c->trace_root, xb_tracefs_mounts);
	if (rc)
		return note(c, "skip", "no attribution: tracefs is not mounted at "
			    "/sys/kernel/tracing or /sys/kernel/debug/tracing");
	rc = xb_tracefs_discover(&c->events, c->trace_root, TRACE_SYSTEM);
	if (!rc && c->events.n)
		return 0;
	rc = note(c, "skip", "no attribution: no %s events under %s/events (%s)",
		  TRACE_SYSTEM, c->trace_root, rc ? strerror(-rc) : "empty");
	free(c->trace_root);
	c->trace_root = NULL;
	return rc;
}

/* ---- the benchmark ------------------------------------------------- */

static int setup_file(struct fp_ctx *c)
{
	return xb_fault_prepare_file(&c->path, &c->fill, c->t, FILE_NAME, c->p.size, c->sink,
				     c->subject);
}

/* Median of back-to-back clock reads: what one sample holds beyond its
 * touch. */
static double timer_overhead(struct fp_ctx *c)
{
	for (size_t i = 0; i < c->npages; i++) {
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		c->batch_ns[i] = xb_elapsed_ns(&a, &b);
	}
	return xb_median(c->batch_ns, c->npages);
}

static int setup(struct fp_ctx *c)
{
	int rc;

	rc = xb_fault_open_pagemap(&c->pagemap_fd, c->sink, c->subject);
	if (rc)
		return rc;
	if (c->t->kind != XB_TARGET_ANON && c->t->kind != XB_TARGET_DEVDAX) {
		rc = setup_file(c);
		if (rc)
			return rc;
	}
	/* Faulted in now so that storing a sample never faults in a pass. */
	c->fault_ns = xb_malloc(c->npages * sizeof(*c->fault_ns));
	memset(c->fault_ns, 0, c->npages * sizeof(*c->fault_ns));
	c->batch_ns = xb_malloc(c->npages * sizeof(*c->batch_ns));
	memset(c->batch_ns, 0, c->npages * sizeof(*c->batch_ns));
	c->il_batch_ns = xb_malloc(c->npages * sizeof(*c->il_batch_ns));
	memset(c->il_batch_ns, 0, c->npages * sizeof(*c->il_batch_ns));
	c->timer_step_ns = xb_timer_step_ns(1000);
	c->timer_ovh_ns = timer_overhead(c);
	return setup_trace(c);
}

/* Fault-around maps at most this many pages per read fault (64 KiB, the
 * default fault_around_bytes); a PTE path mapping more per fault got huge
 * mappings. */
#define FAULT_AROUND_PAGES 16

/*
 * On anonymous memory a mkwrite is a write to the zero page a read mapped
 * (copy on write). A kernel that allocates a private page on the read
 * fault maps it writable at once, and the write never faults. 1 (skip,
 * a note went out) when the read touches of prepare() did that.
 */
static int check_anon_mkwrite(struct fp_ctx *c, const struct fpath *fp, const char *base)
{
	size_t present, exclusive;
	enum xb_anon_read kind;
	int rc;

	if (c->t->kind != XB_TARGET_ANON || !(fp->flags & F_MKWRITE))
		return 0;
	rc = xb_pagemap_census(&present, &exclusive, c->pagemap_fd, base, c->npages);
	if (rc) {
		note(c, "error", "read /proc/self/pagemap: %s", strerror(-rc));
		return rc;
	}
	kind = xb_anon_read_kind(present, exclusive);
	if (kind == XB_ANON_READ_ZERO)
		return 0;
	rc = note(c, "skip", "%s: the read touches mapped %s (%zu of %zu pages private), not "
		  "the shared zero page, so a write after them does not fault: this kernel "
		  "has no anonymous mkwrite path to time", fp->name, xb_anon_read_name(kind),
		  exclusive, c->npages);
	return rc ? rc : 1;
}

/*
 * What the warm-up pass's touches tell about what the path asked for:
 * a PTE path (MADV_NOHUGEPAGE) mapped at most fault-around's pages per
 * fault; a read of anonymous memory mapped the zero page (or a note says
 * what it mapped instead); a mkwrite's writes faulted.
 */
static int check_got(struct fp_ctx *c, const struct fpath *fp, const char *base, long faults)
{
	enum xb_anon_read kind;
	int rc = 0;

	if (c->t->kind == XB_TARGET_ANON && !(fp->flags & (F_WRITE | F_PMD)))
		rc = xb_fault_check_anon_read(&kind, c->pagemap_fd, base, c->npages,
					      "fault.anon.read.pte.ns", c->sink, c->subject);
	if (!rc && !(fp->flags & F_PMD) && faults > 0 &&
	    c->npages > FAULT_AROUND_PAGES * (size_t)faults)
		rc = note(c, "warning", "%s: %zu pages mapped by %ld faults (%.1f pages per "
			  "fault) although the path asked for 4 KiB mappings (MADV_NOHUGEPAGE): "
			  "this kernel mapped huge pages, its figures are not PTE faults",
			  fp->name, c->npages, faults, (double)c->npages / (double)faults);
	if (!rc && (fp->flags & F_MKWRITE) && (size_t)faults < c->npages / 2)
		rc = note(c, "warning", "%s: only %ld of %zu writes after the read touches "
			  "faulted: the pages were mapped writable already", fp->name, faults,
			  c->npages);
	return rc;
}

/* A first pass of each path, not kept: code, the filesystem's allocator
 * and the page tables of the mapping's neighbourhood warmed untimed, and
 * what the path asked for checked (check_got). 1 when the path is skipped
 * (a note went out). */
static int warm_up(struct fp_ctx *c, const struct fpath *fp)
{
	long maj, f0;
	char *base;
	int rc = prepare(c, fp, &base);

	if (rc)
		return rc;
	rc = check_anon_mkwrite(c, fp, base);
	if (!rc) {
		f0 = xb_rusage_faults(&maj);
		touch_all(base, c->npages, fp->flags & F_WRITE);
		rc = check_got(c, fp, base, xb_rusage_faults(&maj) - f0);
	}
	munmap(base, c->p.size);
	return rc;
}

static int perf_pass(struct fp_ctx *c, const struct fpath *fp);

static int run_path(struct fp_ctx *c, const struct fpath *fp)
{
	int rc = declare(c, fp);

	if (!rc)
		rc = warm_up(c, fp);
	if (rc == 1)
		return 0;
	for (long long r = 0; r < c->p.reps && !rc; r++)
		rc = timed_pass(c, fp, (int)r);
	if (!rc && c->p.perf)
		rc = perf_pass(c, fp);
	if (!rc && c->trace_root)
		rc = trace_pass(c, fp);
	return rc;
}

static void teardown(struct fp_ctx *c)
{
	if (c->path)
		unlink(c->path);
	if (c->pagemap_fd >= 0)
		close(c->pagemap_fd);
	xb_trace_events_free(&c->events);
	free(c->trace_root);
	free(c->path);
	free(c->fill);
	free(c->fault_ns);
	free(c->batch_ns);
	free(c->il_batch_ns);
}

/* ---- perf stat ----------------------------------------------------- */

static const char *const perf_events[] = {
	"page-faults", "minor-faults", "major-faults", "task-clock", "cycles", "instructions",
};

#define PERF_ALL XB_ARRAY_SIZE(perf_events)

/* An event (or with PERF_ALL perf itself) that perf could not count: said
 * once per target, never stored as a zero. */
static int perf_unavailable(struct fp_ctx *c, size_t i, const char *reason)
{
	if (c->perf_noted & (1u << i))
		return 0;
	c->perf_noted |= 1u << i;
	if (i == PERF_ALL)
		return note(c, "skip", "perf unavailable on %s: %s", c->t->mode, reason);
	return note(c, "skip", "perf.%s unavailable on %s (every path): %s", perf_events[i],
		    c->t->mode, reason);
}

/* perf's page-faults against the child's getrusage over the same window
 * and against the faults pagemap saw in the last timed pass. */
static int perf_cross_check(struct fp_ctx *c, const struct fpath *fp, double perf_faults,
			    long own, size_t step)
{
	double tol = 4 + perf_faults / 100;
	size_t timed = c->pass.nfault;
	int rc;

	rc = declare_one(c, fp, "perf.page-faults_vs_rusage", "count", "none", "perf's "
			 "page-faults minus getrusage's faults over the same touches");
	if (!rc)
		rc = send1(c, fp, "perf.page-faults_vs_rusage", 0, perf_faults - (double)own);
	if (!rc && fabs(perf_faults - (double)own) > tol)
		rc = note(c, "warning", "%s: perf counted %.0f page faults, getrusage %ld over "
			  "the same touches", fp->name, perf_faults, own);
	if (!rc && fabs(perf_faults - (double)timed) > tol)
		rc = note(c, "warning", "%s: perf counted %.0f page faults, the timed pass %zu "
			  "(pagemap)", fp->name, perf_faults, timed);
	return rc;
}

static int perf_store(struct fp_ctx *c, const struct fpath *fp, const struct xb_perf_result *r,
		      long own, size_t step)
{
	const struct xb_perf_event *pf = xb_perf_get(r, "page-faults");
	const struct xb_perf_event *tc = xb_perf_get(r, "task-clock");
	int rc = 0;

	for (size_t i = 0; i < XB_ARRAY_SIZE(perf_events) && !rc; i++) {
		const struct xb_perf_event *e = xb_perf_get(r, perf_events[i]);
		char *suffix = xb_asprintf("perf.%s", perf_events[i]);

		if (!e)
			rc = perf_unavailable(c, i, "perf stat did not report it");
		else if (!e->counted)
			rc = perf_unavailable(c, i, e->reason);
		else
			rc = declare_one(c, fp, suffix, e->unit, "none", "perf stat over the "
					 "touches of one untimed pass (perf's child, counters on "
					 "for the touches only)") ?:
			     send1(c, fp, suffix, 0, e->value);
		free(suffix);
	}
	if (rc || !pf || !pf->counted)
		return rc;
	if (tc && tc->counted && pf->value > 0)
		rc = declare_one(c, fp, "perf.task-clock_per_fault_ns", "ns", "lower",
				 "perf's task-clock over its page-faults") ?:
		     send1(c, fp, "perf.task-clock_per_fault_ns", 0, tc->value / pf->value);
	return rc ? rc : perf_cross_check(c, fp, pf->value, own, step);
}

static int perf_pass(struct fp_ctx *c, const struct fpath *fp)
{
	char size[32], step[32], self[4096];
	const char *argv[] = { self, XB_FAULTPATH_CHILD, c->t->mode,
			       c->t->dir ? c->t->dir : "-", fp->name, size, step, "%CTL", "%ACK",
			       NULL };
	struct xb_buf out = { 0 }, err = { 0 };
	struct xb_perf_result r;
	long own = -1;
	ssize_t n;
	int rc;

	if (c->perf_failed)
		return 0;
	if (access(XB_PERF_GUEST_PATH, X_OK))
		return perf_unavailable(c, PERF_ALL, XB_PERF_GUEST_PATH " is not in the guest "
					"image (the host had no perf to copy: apt-get install "
					"linux-perf)");
	n = xb_faultpath_reexec ? readlink("/proc/self/exe", self, sizeof(self) - 1) : -1;
	if (n <= 0)
		return perf_unavailable(c, PERF_ALL, "this program cannot run itself as perf's "
					"child (only daxbench-guest can)");
	self[n] = 0;
	snprintf(size, sizeof(size), "%llu", (unsigned long long)c->p.size);
	snprintf(step, sizeof(step), "%zu", touch_step(fp));
	rc = xb_perf_stat(&r, &out, &err, XB_PERF_GUEST_PATH, PERF_EVENTS, argv);
	if (!rc && (!out.p || sscanf(out.p, "faults %ld", &own) != 1)) {
		xb_perf_result_free(&r);
		rc = xb_error_set(-EPROTO, "%s\nthe child said '%.80s', not its fault count",
				  err.p ? err.p : "", out.p ? out.p : "");
	}
	if (rc) {
		/* The last lines: perf's -v chatter comes first. A perf that
		 * cannot count here (perf_event_paranoid, no perf events)
		 * costs the perf figures, not the measurements: not tried
		 * again on this target. */
		const char *e = xb_error_last();
		size_t len = strlen(e);
		char *why = xb_asprintf("%s: perf stat failed: %s", fp->name,
					len > 400 ? e + len - 400 : e);

		xb_error_clear();
		c->perf_failed = true;
		rc = perf_unavailable(c, PERF_ALL, why);
		free(why);
	} else {
		rc = perf_store(c, fp, &r, own, touch_step(fp));
		xb_perf_result_free(&r);
	}
	xb_buf_free(&out);
	xb_buf_free(&err);
	return rc;
}

/* perf's child: the pass prepared, then its touches with the counters on. */
static int child_pass(struct fp_ctx *c, const struct fpath *fp, size_t step, int ctl, int ack)
{
	long maj, f0, f1;
	char *base;
	int rc;

	rc = prepare(c, fp, &base);
	if (rc)
		return rc < 0 ? rc : -EOPNOTSUPP;
	rc = xb_perf_ctl(ctl, ack, "enable");
	if (rc) {
		fprintf(stderr, "faultpath child: perf enable: %s\n", strerror(-rc));
		goto out;
	}
	f0 = xb_rusage_faults(&maj);
	touch_every(base, c->npages, step, fp->flags & F_WRITE);
	f1 = xb_rusage_faults(&maj);
	rc = xb_perf_ctl(ctl, ack, "disable");
	if (rc)
		fprintf(stderr, "faultpath child: perf disable: %s\n", strerror(-rc));
	else
		printf("faults %ld\n", f1 - f0);
out:
	munmap(base, c->p.size);
	return rc;
}

static int stderr_note(struct xb_sink *s, const char *kind, const char *subject,
		       const char *text)
{
	fprintf(stderr, "%s: %s: %s\n", subject, kind, text);
	return 0;
}

/* argv: mode dir path size step ctl-fd ack-fd (see perf_pass). */
int xb_faultpath_child_main(int argc, char **argv)
{
	static const struct { const char *mode; enum xb_target_kind kind; } kinds[] = {
		{ "dax", XB_TARGET_DAX }, { "pagecache", XB_TARGET_PAGECACHE },
		{ "anon", XB_TARGET_ANON }, { "devdax", XB_TARGET_DEVDAX },
	};
	struct xb_sink sink = { .note = stderr_note };
	struct xb_target t = { 0 };
	struct fp_ctx c = { .t = &t, .sink = &sink, .pagemap_fd = -1 };
	long long step = 0, ctl = -1, ack = -1;
	int i = -1, rc = -EINVAL;

	for (size_t k = 0; argc == 8 && k < XB_ARRAY_SIZE(kinds); k++)
		if (!strcmp(argv[1], kinds[k].mode))
			t = (struct xb_target){ kinds[k].kind, kinds[k].mode,
						strcmp(argv[2], "-") ? argv[2] : NULL };
	if (t.mode)
		i = find_path(argv[3]);
	snprintf(c.subject, sizeof(c.subject), "faultpath.%s", t.mode ? t.mode : "child");
	if (i < 0 || parse_size(&c, argv[4]) || xb_parse_int(&step, argv[5], 1, 512) ||
	    xb_parse_int(&ctl, argv[6], 0, 1 << 20) || xb_parse_int(&ack, argv[7], 0, 1 << 20)) {
		fprintf(stderr, "usage: daxbench-guest " XB_FAULTPATH_CHILD " MODE DIR|- PATH "
			"SIZE STEP CTL-FD ACK-FD (run by faultpath under perf stat)\n");
		return 2;
	}
	if (t.kind != XB_TARGET_ANON && t.kind != XB_TARGET_DEVDAX)
		rc = setup_file(&c);
	else
		rc = 0;
	if (!rc)
		rc = child_pass(&c, &paths[i], (size_t)step, (int)ctl, (int)ack);
	teardown(&c);
	return rc ? 1 : 0;
}

static int fp_run(const struct xb_target *t, const struct xb_kvlist *params,
		  struct xb_sink *sink)
{
	struct fp_ctx c = { .t = t, .sink = sink, .pagemap_fd = -1 };
	int rc;

	snprintf(c.subject, sizeof(c.subject), "faultpath.%s", t->mode);
	rc = parse_params(&c, params);
	if (!rc)
		rc = setup(&c);
	for (size_t i = 0; i < XB_ARRAY_SIZE(paths) && !rc; i++)
		if ((c.p.paths & (1u << i)) && (paths[i].targets & t->kind))
			rc = run_path(&c, &paths[i]);
	teardown(&c);
	return rc;
}

static int fp_check(const struct xb_kvlist *params, struct xb_sink *sink)
{
	struct fp_ctx c = { .sink = sink, .subject = "faultpath" };

	return parse_params(&c, params);
}

static const char *const fp_params[] = { "file_size", "reps", "paths", "trace", "modes", "perf",
					 NULL };

const struct xb_bench_ops xb_bench_faultpath = {
	.name = "faultpath",
	.description = "every DAX fault path (read, write, mkwrite, re-fault, private, "
		       "MAP_SYNC, hole, PTE/PMD), attributed by fs_dax tracepoints, "
		       "cross-checked by throughput",
	.targets = XB_TARGET_DAX | XB_TARGET_PAGECACHE | XB_TARGET_ANON | XB_TARGET_DEVDAX,
	.params = fp_params,
	.check = fp_check,
	.run = fp_run,
};
