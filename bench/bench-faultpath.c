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
 *    pass is never timed).
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
#include "fault-util.h"
#include "tracefs.h"

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define PMD_SIZE (2u << 20)
#define FILE_NAME "daxbench-faultpath.dat"
#define TRACE_SYSTEM "fs_dax"
#define TRACE_BUFFER_KB 16384
#define AGREE_PCT 5.0

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
	{ "read.pte", 0, T_ALL },
	{ "write.pte", F_WRITE, T_ALL },
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
	{ "read.pmd", F_PMD, T_ALL },
	{ "write.pmd", F_PMD | F_WRITE, T_ALL },
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
	{ "per_page_ns", "ns", "lower", "mean time of a touch over all pages, faulting or not" },
	{ "pages_per_fault", "pages", "none", "pages touched per fault counted by getrusage" },
	{ "minflt", "count", "none", "minor faults in the timed pass (getrusage)" },
	{ "majflt", "count", "none", "major faults in the timed pass (getrusage)" },
	{ "mapped_ahead", "pages", "none", "pages already mapped when touched (not faults)" },
	{ "below_res", "count", "none", "fault samples below the timer's resolution" },
	{ "tput_ns", "ns", "lower", "throughput pass: elapsed time of all touches over the "
	  "faults getrusage counted, no per-fault timer" },
	{ "tput_vs_median_pct", "percent", "none", "throughput-derived cost against the "
	  "median of the timed samples of the same repetition: 100 * (tput / median - 1)" },
};

struct fp_params {
	uint64_t size;
	long long reps;
	uint32_t paths;                 /* bits of paths[] */
	bool trace;
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
	char *trace_root;               /* NULL: no tracing on this target */
	struct xb_trace_events events;
	struct fp_pass pass;
	char subject[64];
};

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
	const char *reps = xb_kv_get(params, "reps");
	const char *list = xb_kv_get(params, "paths");
	const char *size = xb_kv_get(params, "file_size");
	const char *trace = xb_kv_get(params, "trace");
	int rc;

	rc = parse_size(c, size ? size : "16M");
	if (!rc)
		rc = parse_paths(c, list ? list : "all");
	if (rc)
		return rc;
	c->p.reps = 3;
	if (reps && xb_parse_int(&c->p.reps, reps, 1, 1000)) {
		note(c, "error", "bad parameter reps '%s': want 1 to 1000", reps);
		return -EINVAL;
	}
	if (trace && strcmp(trace, "on") && strcmp(trace, "off")) {
		note(c, "error", "bad parameter trace '%s': want on or off", trace);
		return -EINVAL;
	}
	c->p.trace = !trace || !strcmp(trace, "on");
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

static int store_sample(struct fp_ctx *c, const struct fpath *fp, volatile char *addr,
			size_t i, double ns)
{
	const size_t per_pmd = PMD_SIZE / XB_PAGE;
	struct fp_pass *p = &c->pass;
	uint64_t last = 0;
	int rc = 0;

	/* A PMD fault maps its whole block, last page included; fault-around
	 * (16 pages) never reaches that far. */
	if (!splits_pmd(fp))
		last = XB_PM_PRESENT;
	else if (i % per_pmd == 0 && i + per_pmd <= c->npages)
		rc = xb_pagemap_entry(&last, c->pagemap_fd, addr + (per_pmd - 1) * XB_PAGE);
	if (last & XB_PM_PRESENT)
		c->fault_ns[p->nfault - p->npte] = ns;
	else
		c->fault_ns[c->npages - ++p->npte] = ns;
	p->nfault++;
	return rc;
}

/* The timed loop; see bench-fault.c for why pagemap stays outside. */
static int timed_touches(struct fp_ctx *c, const struct fpath *fp, char *base)
{
	struct fp_pass *p = &c->pass;
	bool write = fp->flags & F_WRITE, all = fp->flags & F_MKWRITE;
	long maj0, f0;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	f0 = xb_rusage_faults(&maj0);
	for (size_t i = 0; i < c->npages && !rc; i++) {
		volatile char *addr = base + i * XB_PAGE;
		struct timespec t0, t1;
		uint64_t ent = 0;
		double ns;

		rc = all ? 0 : xb_pagemap_entry(&ent, c->pagemap_fd, addr);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (write)
			*addr = 0x5a;
		else
			touch_sink = *addr;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ns = xb_elapsed_ns(&t0, &t1);
		p->sum_ns += ns;
		if (ent & XB_PM_PRESENT) {
			p->mapped_ahead++;
			continue;
		}
		p->below_res += ns < c->timer_step_ns;
		if (!rc)
			rc = store_sample(c, fp, addr, i, ns);
	}
	count_faults(p, f0, maj0);
	if (rc)
		note(c, "error", "read /proc/self/pagemap: %s", strerror(-rc));
	return rc;
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
		rc = send1(c, fp, "per_page_ns", rep, p->sum_ns / (double)c->npages);
	if (!rc)
		rc = send1(c, fp, "minflt", rep, (double)p->minflt);
	if (!rc)
		rc = send1(c, fp, "majflt", rep, (double)p->majflt);
	if (!rc)
		rc = send1(c, fp, "mapped_ahead", rep, (double)p->mapped_ahead);
	if (!rc)
		rc = send1(c, fp, "below_res", rep, (double)p->below_res);
	if (!rc && faults > 0)
		rc = send1(c, fp, "pages_per_fault", rep, (double)c->npages / (double)faults);
	if (!rc && labs(faults - (long)p->nfault) > 4 + (long)p->nfault / 100)
		rc = note(c, "warning", "%s rep %d: getrusage counted %ld faults, pagemap %zu",
			  fp->name, rep, faults, p->nfault);
	return rc;
}

/* A PMD path that took 4 KiB faults measured the PTE path: say so. */
static int check_pmd_taken(struct fp_ctx *c, const struct fpath *fp, int rep)
{
	const struct fp_pass *p = &c->pass;
	double per = p->nfault ? (double)c->npages / (double)p->nfault : 0;

	if (!(fp->flags & F_PMD) || !p->npte)
		return 0;
	return note(c, "warning", "%s rep %d: %zu of %zu faults mapped 4 KiB, not 2 MiB "
		    "(%.1f pages per fault): kept apart in %s.pte_fallback_ns", fp->name, rep,
		    p->npte, p->nfault, per, fp->name);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median (type 7) of the timed samples; sorts them, already sent. */
static double median(double *v, size_t n)
{
	double h = (double)(n - 1) / 2;
	size_t lo = (size_t)h;

	qsort(v, n, sizeof(*v), cmp_double);
	return lo + 1 < n ? v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]) : v[lo];
}

/* Median of every fault of the pass, PMD and fallback ones together, as
 * the throughput pass cannot tell them apart either. */
static double median_all(struct fp_ctx *c)
{
	struct fp_pass *p = &c->pass;

	memmove(c->fault_ns + (p->nfault - p->npte), c->fault_ns + c->npages - p->npte,
		p->npte * sizeof(*c->fault_ns));
	return median(c->fault_ns, p->nfault);
}

/* The throughput pass: no timer, no pagemap inside the loop. */
static int tput_pass(struct fp_ctx *c, const struct fpath *fp, int rep, double med)
{
	struct timespec t0, t1;
	long maj0, f0, faults;
	double tput, pct;
	char *base;
	int rc;

	rc = prepare(c, fp, &base);
	if (rc)
		return rc < 0 ? rc : 0;
	f0 = xb_rusage_faults(&maj0);
	/* A PMD path whose timed faults were all PMD ones touches one page per
	 * 2 MiB: the other 511 would add their TLB-hit cost to a few faults. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	touch_every(base, c->npages, splits_pmd(fp) && !c->pass.npte ? PMD_SIZE / XB_PAGE : 1,
		    fp->flags & F_WRITE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	faults = xb_rusage_faults(&maj0) - f0;
	munmap(base, c->p.size);
	if (faults <= 0)
		return note(c, "warning", "%s rep %d: throughput pass took no fault", fp->name, rep);
	tput = xb_elapsed_ns(&t0, &t1) / (double)faults;
	pct = 100.0 * (tput / med - 1.0);
	rc = send1(c, fp, "tput_ns", rep, tput);
	if (!rc)
		rc = send1(c, fp, "tput_vs_median_pct", rep, pct);
	if (!rc && fabs(pct) > AGREE_PCT)
		rc = note(c, "warning", "%s rep %d: throughput-derived %.0f ns per fault (%ld "
			  "faults) and per-fault median %.0f ns disagree by %+.1f%% (more than "
			  "%.0f%%)", fp->name, rep, tput, faults, med, pct, AGREE_PCT);
	return rc;
}

static int timed_pass(struct fp_ctx *c, const struct fpath *fp, int rep)
{
	char *base;
	int rc;

	rc = prepare(c, fp, &base);
	if (rc)
		return rc;
	rc = timed_touches(c, fp, base);
	munmap(base, c->p.size);
	if (!rc)
		rc = report_timed(c, fp, rep);
	if (!rc)
		rc = check_pmd_taken(c, fp, rep);
	if (!rc && c->pass.nfault)
		rc = tput_pass(c, fp, rep, median_all(c));
	return rc;
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

static int setup(struct fp_ctx *c)
{
	int rc;

	rc = xb_fault_open_pagemap(&c->pagemap_fd, c->sink, c->subject);
	if (rc)
		return rc;
	if (c->t->kind != XB_TARGET_ANON) {
		rc = setup_file(c);
		if (rc)
			return rc;
	}
	/* Faulted in now so that storing a sample never faults in a pass. */
	c->fault_ns = xb_malloc(c->npages * sizeof(*c->fault_ns));
	memset(c->fault_ns, 0, c->npages * sizeof(*c->fault_ns));
	c->timer_step_ns = xb_timer_step_ns(1000);
	return setup_trace(c);
}

/* A first pass of each path, not kept: code, the filesystem's allocator
 * and the page tables of the mapping's neighbourhood warmed untimed.
 * 1 when the path is skipped (a note went out). */
static int warm_up(struct fp_ctx *c, const struct fpath *fp)
{
	char *base;
	int rc = prepare(c, fp, &base);

	if (rc)
		return rc;
	touch_all(base, c->npages, fp->flags & F_WRITE);
	munmap(base, c->p.size);
	return 0;
}

static int run_path(struct fp_ctx *c, const struct fpath *fp)
{
	int rc = declare(c, fp);

	if (!rc)
		rc = warm_up(c, fp);
	if (rc == 1)
		return 0;
	for (long long r = 0; r < c->p.reps && !rc; r++)
		rc = timed_pass(c, fp, (int)r);
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

static const char *const fp_params[] = { "file_size", "reps", "paths", "trace", "modes", NULL };

const struct xb_bench_ops xb_bench_faultpath = {
	.name = "faultpath",
	.description = "every DAX fault path (read, write, mkwrite, re-fault, private, "
		       "MAP_SYNC, hole, PTE/PMD), attributed by fs_dax tracepoints, "
		       "cross-checked by throughput",
	.targets = XB_TARGET_DAX | XB_TARGET_PAGECACHE | XB_TARGET_ANON,
	.params = fp_params,
	.check = fp_check,
	.run = fp_run,
};
