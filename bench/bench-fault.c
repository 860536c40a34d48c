// SPDX-License-Identifier: GPL-2.0
/*
 * fault: what one page fault costs on a DAX file mapping, on the same
 * device through the page cache, and on anonymous memory.
 *
 * Each pass maps a region and touches one byte per 4 KiB page in order,
 * timing every touch. The figure of interest is the latency of a touch
 * that faults, not the time per page: on a page-cache mapping a read fault
 * maps up to 16 neighbouring pages that are already cached (fault-around),
 * so most touches there cost nothing and a per-page mean would credit the
 * page cache with faults it never took. DAX has no fault-around and maps
 * one page per fault. So before each touch the page's /proc/self/pagemap
 * entry says whether it is mapped; only touches of unmapped pages are
 * fault samples, the others are counted apart (mapped_ahead), and the
 * per-page mean is reported as a metric of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"
#include "fault-util.h"

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define PAGE 4096u
#define PM_PRESENT (1ull << 63)         /* pagemap: page present in RAM */
#define FILE_NAME "daxbench-fault.dat"

enum { OP_READ = 1u << 0, OP_WRITE = 1u << 1 };

static const struct {
	unsigned bit;
	const char *name;
} ops[] = {
	{ OP_READ, "read" },
	{ OP_WRITE, "write" },
};

static const struct {
	const char *suffix, *unit, *direction, *what;
} metrics[] = {
	{ "ns", "ns", "lower", "latency of one page fault: a one-byte access to a 4 KiB page "
	  "that pagemap showed unmapped" },
	{ "pages_per_fault", "pages", "none", "pages touched per fault counted by getrusage "
	  "(above 1 when fault-around maps neighbours)" },
	{ "per_page_ns", "ns", "lower", "mean time of a touch over all pages, faulting or not" },
	{ "majflt", "count", "none", "major faults in a pass (page read from the device)" },
	{ "mapped_ahead", "pages", "none", "pages already mapped when touched (not faults)" },
};

struct fault_params {
	uint64_t size;
	long long reps;
	unsigned ops;                   /* OP_* bits */
};

/* One pass: one touch per page of a fresh mapping. */
struct pass {
	size_t nfault;                  /* touches of unmapped pages */
	size_t mapped_ahead;            /* touches of pages already mapped */
	double sum_ns;                  /* all touches */
	long rusage_faults;             /* minflt + majflt during the pass */
	long majflt;
};

struct fault_ctx {
	const struct xb_target *t;
	struct xb_sink *sink;
	struct fault_params p;
	size_t npages;
	int pagemap_fd;
	char *path;                     /* the file, for file targets */
	char *fill;                     /* XB_FAULT_FILL_CHUNK bytes of non-zero data */
	double *fault_ns;               /* one slot per page, faulted in */
	unsigned char *incore;          /* mincore() vector */
	struct pass pass;
	char subject[64];               /* "fault.dax" */
};

/* Kept outside the function so the compiler cannot drop the read. */
static volatile char touch_sink;

static int note(struct fault_ctx *c, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int note(struct fault_ctx *c, const char *kind, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = xb_sink_vnotef(c->sink, kind, c->subject, fmt, ap);
	va_end(ap);
	return rc;
}

static int parse_ops(struct fault_ctx *c, const char *list)
{
	char *dup = xb_strdup(list), *save = NULL;
	int rc = 0;

	c->p.ops = 0;
	for (char *tok = strtok_r(dup, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		tok = xb_trim(tok);
		for (i = 0; i < XB_ARRAY_SIZE(ops); i++)
			if (!strcmp(ops[i].name, tok))
				break;
		if (i < XB_ARRAY_SIZE(ops)) {
			c->p.ops |= ops[i].bit;
			continue;
		}
		note(c, "error", "bad parameter ops: unknown op '%s' (want read, write)", tok);
		rc = -EINVAL;
	}
	if (!rc && !c->p.ops) {
		note(c, "error", "bad parameter ops: empty (want read, write)");
		rc = -EINVAL;
	}
	free(dup);
	return rc;
}

static int parse_size(struct fault_ctx *c, const char *s)
{
	return xb_fault_parse_size(&c->p.size, &c->npages, s, c->sink, c->subject);
}

static int parse_params(struct fault_ctx *c, const struct xb_kvlist *params)
{
	const char *list = xb_kv_get(params, "ops");
	const char *size = xb_kv_get(params, "file_size");
	int rc;

	rc = parse_size(c, size ? size : "64M");
	if (!rc)
		rc = xb_bench_param_int(&c->p.reps, params, "reps", 3, 1, 1000, c->sink,
					c->subject);
	if (rc)
		return rc;
	return parse_ops(c, list ? list : "read,write");
}

/*
 * A new file each time, written with write() so its blocks are allocated
 * and written (no holes, no unwritten extents whose first touch would
 * cost an allocation or a conversion), synced, and dropped from the page
 * cache so that the page-cache target starts cold like DAX does.
 */
static int make_file(struct fault_ctx *c)
{
	int fd, rc;

	rc = xb_fault_make_file(&fd, c->path, c->p.size, c->fill, 0, c->t, c->sink, c->subject);
	if (!rc)
		close(fd);
	return rc;
}

static int map_region(struct fault_ctx *c, unsigned op, char **out)
{
	int prot = op == OP_WRITE ? PROT_READ | PROT_WRITE : PROT_READ;
	void *p;
	int fd = -1, rc = 0;

	if (c->t->kind == XB_TARGET_ANON) {
		p = mmap(NULL, c->p.size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	} else {
		fd = open(c->path, (op == OP_WRITE ? O_RDWR : O_RDONLY) | O_CLOEXEC);
		if (fd < 0) {
			rc = -errno;
			note(c, "error", "open %s: %s", c->path, strerror(-rc));
			return rc;
		}
		p = mmap(NULL, c->p.size, prot, MAP_SHARED, fd, 0);
	}
	if (p == MAP_FAILED) {
		rc = -errno;
		note(c, "error", "mmap %llu bytes: %s", (unsigned long long)c->p.size, strerror(-rc));
		goto out;
	}
	/*
	 * The metrics are about PTE faults. A huge page (anonymous THP, or a
	 * DAX PMD fault on 2 MiB aligned extents) would map 512 pages in one
	 * fault and measure something else. EINVAL means a kernel without
	 * THP, where no huge mapping can happen anyway.
	 */
	if (madvise(p, c->p.size, MADV_NOHUGEPAGE) && errno != EINVAL) {
		rc = -errno;
		note(c, "error", "madvise NOHUGEPAGE: %s", strerror(-rc));
		munmap(p, c->p.size);
		goto out;
	}
	*out = p;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Pages left in the page cache would make the page-cache faults minor
 * ones: say so rather than report them as cold. */
static int check_cold(struct fault_ctx *c, char *base)
{
	size_t resident = 0;
	int rc;

	if (c->t->kind != XB_TARGET_PAGECACHE)
		return 0;
	if (mincore(base, c->p.size, c->incore)) {
		rc = -errno;
		note(c, "error", "mincore: %s", strerror(-rc));
		return rc;
	}
	for (size_t i = 0; i < c->npages; i++)
		resident += c->incore[i] & 1;
	if (!resident)
		return 0;
	return note(c, "warning", "%zu of %zu pages were still in the page cache before the "
		    "pass (posix_fadvise DONTNEED did not drop them)", resident, c->npages);
}

/*
 * The timed loop. The pagemap read is a system call (microseconds under
 * TCG, more than many faults) and itself walks the page table, so it stays
 * outside the bracket: only the one-byte access is timed, plus the cost of
 * one clock read that the timer benchmark measures on its own.
 */
static int touch_pages(struct fault_ctx *c, char *base, unsigned op)
{
	struct pass *p = &c->pass;
	long maj0, maj1, f0, f1;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	f0 = xb_rusage_faults(&maj0);
	for (size_t i = 0; i < c->npages; i++) {
		volatile char *addr = base + i * PAGE;
		struct timespec t0, t1;
		uint64_t ent;
		double ns;

		rc = xb_pagemap_entry(&ent, c->pagemap_fd, addr);
		if (rc)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (op == OP_WRITE)
			*addr = 0x5a;
		else
			touch_sink = *addr;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ns = xb_elapsed_ns(&t0, &t1);
		p->sum_ns += ns;
		if (ent & PM_PRESENT)
			p->mapped_ahead++;
		else
			c->fault_ns[p->nfault++] = ns;
	}
	f1 = xb_rusage_faults(&maj1);
	p->rusage_faults = f1 - f0;
	p->majflt = maj1 - maj0;
	if (rc)
		note(c, "error", "read /proc/self/pagemap: %s", strerror(-rc));
	return rc;
}

static char *metric_name(const struct fault_ctx *c, const char *op, const char *suffix)
{
	return xb_asprintf("fault.%s.%s.pte.%s", c->t->mode, op, suffix);
}

static int declare(struct fault_ctx *c, const char *op)
{
	int rc = 0;

	for (size_t i = 0; i < XB_ARRAY_SIZE(metrics) && !rc; i++) {
		char *name = metric_name(c, op, metrics[i].suffix);
		char *desc = xb_asprintf("%s (%s, %s mapping)", metrics[i].what, op,
					 c->t->mode);

		rc = c->sink->metric(c->sink, name, metrics[i].unit, metrics[i].direction, desc);
		free(name);
		free(desc);
	}
	return rc;
}

static int send_samples(struct fault_ctx *c, const char *op, const char *suffix, int rep,
		const double *v, size_t n)
{
	char *name = metric_name(c, op, suffix);
	int rc = c->sink->samples(c->sink, name, rep, v, n);

	free(name);
	return rc;
}

/* getrusage and pagemap count the same faults two ways; when they part,
 * something else faulted inside the pass (or pagemap lies). */
static int cross_check(struct fault_ctx *c, const char *op, int rep)
{
	const struct pass *p = &c->pass;
	long diff = p->rusage_faults - (long)p->nfault;
	long tolerance = (long)p->nfault / 100;

	if (tolerance < 4)
		tolerance = 4;
	if (labs(diff) <= tolerance)
		return 0;
	return note(c, "warning", "%s rep %d: getrusage counted %ld faults, pagemap %zu",
		    op, rep, p->rusage_faults, p->nfault);
}

static int report(struct fault_ctx *c, const char *op, int rep)
{
	const struct pass *p = &c->pass;
	double per_page = p->sum_ns / (double)c->npages;
	double majflt = (double)p->majflt, ahead = (double)p->mapped_ahead;
	int rc;

	rc = send_samples(c, op, "ns", rep, c->fault_ns, p->nfault);
	if (!rc)
		rc = send_samples(c, op, "per_page_ns", rep, &per_page, 1);
	if (!rc)
		rc = send_samples(c, op, "majflt", rep, &majflt, 1);
	if (!rc)
		rc = send_samples(c, op, "mapped_ahead", rep, &ahead, 1);
	if (!rc && p->rusage_faults > 0) {
		double ppf = (double)c->npages / (double)p->rusage_faults;

		rc = send_samples(c, op, "pages_per_fault", rep, &ppf, 1);
	} else if (!rc) {
		rc = note(c, "warning", "%s rep %d: getrusage counted no faults", op, rep);
	}
	if (!rc)
		rc = cross_check(c, op, rep);
	return rc;
}

static int one_pass(struct fault_ctx *c, unsigned op, const char *op_name, int rep)
{
	enum xb_anon_read kind;
	char *base = NULL;
	int rc;

	if (c->path) {
		rc = make_file(c);
		if (rc)
			return rc;
	}
	rc = map_region(c, op, &base);
	if (rc)
		return rc;
	rc = check_cold(c, base);
	if (!rc)
		rc = touch_pages(c, base, op);
	/* once: what a read of anonymous memory mapped (zero page or not) */
	if (!rc && !rep && op == OP_READ && c->t->kind == XB_TARGET_ANON)
		rc = xb_fault_check_anon_read(&kind, c->pagemap_fd, base, c->npages,
					      "fault.anon.read.pte.ns", c->sink, c->subject);
	munmap(base, c->p.size);
	if (!rc)
		rc = report(c, op_name, rep);
	return rc;
}

static int setup(struct fault_ctx *c)
{
	int rc;

	rc = xb_fault_open_pagemap(&c->pagemap_fd, c->sink, c->subject);
	if (rc)
		return rc;
	if (c->t->kind != XB_TARGET_ANON) {
		rc = xb_fault_prepare_file(&c->path, &c->fill, c->t, FILE_NAME, c->p.size,
					   c->sink, c->subject);
		if (rc)
			return rc;
		c->incore = xb_malloc(c->npages);
	}
	/*
	 * Written now so that storing a sample never faults inside a pass;
	 * the clock is read once for the same reason (its vDSO data page).
	 */
	c->fault_ns = xb_malloc(c->npages * sizeof(*c->fault_ns));
	memset(c->fault_ns, 0, c->npages * sizeof(*c->fault_ns));
	xb_monotonic();
	return 0;
}

static int fault_run(const struct xb_target *t, const struct xb_kvlist *params,
		     struct xb_sink *sink)
{
	struct fault_ctx c = { .t = t, .sink = sink, .pagemap_fd = -1 };
	int rc;

	snprintf(c.subject, sizeof(c.subject), "fault.%s", t->mode);
	rc = parse_params(&c, params);
	if (!rc)
		rc = setup(&c);
	for (size_t i = 0; i < XB_ARRAY_SIZE(ops) && !rc; i++)
		if (c.p.ops & ops[i].bit)
			rc = declare(&c, ops[i].name);
	/* Reps outside ops: a drift over the run spreads over both ops. */
	for (long long r = 0; r < c.p.reps && !rc; r++)
		for (size_t i = 0; i < XB_ARRAY_SIZE(ops) && !rc; i++)
			if (c.p.ops & ops[i].bit)
				rc = one_pass(&c, ops[i].bit, ops[i].name, (int)r);
	if (c.path)
		unlink(c.path);
	if (c.pagemap_fd >= 0)
		close(c.pagemap_fd);
	free(c.path);
	free(c.fill);
	free(c.incore);
	free(c.fault_ns);
	return rc;
}

static int fault_check(const struct xb_kvlist *params, struct xb_sink *sink)
{
	struct fault_ctx c = { .sink = sink, .subject = "fault" };

	return parse_params(&c, params);
}

/* "modes" is read by the guest program, which picks the targets. */
static const char *const fault_params[] = { "file_size", "reps", "ops", "modes", NULL };

const struct xb_bench_ops xb_bench_fault = {
	.name = "fault",
	.description = "latency of page faults on DAX, page-cache and anonymous mappings",
	.targets = XB_TARGET_DAX | XB_TARGET_PAGECACHE | XB_TARGET_ANON,
	.params = fault_params,
	.check = fault_check,
	.run = fault_run,
};
