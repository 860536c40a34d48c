/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers the fault benchmarks share: telling a fault from a mapped page,
 * counting faults, timing. Each returns 0 or -errno where it can fail. */
#ifndef XB_FAULT_UTIL_H
#define XB_FAULT_UTIL_H
#ifndef XB_LAYER_BENCH
#error "bench/fault-util.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define XB_PAGE 4096u
#define XB_PM_PRESENT (1ull << 63)      /* pagemap: page present */
/* pagemap: mapped exactly once. A private anonymous page is; the shared
 * zero page never is (it has no mapcount: vm_normal_page() skips it). */
#define XB_PM_EXCLUSIVE (1ull << 56)
#define XB_FAULT_MAX_FILE_SIZE (1ull << 40)

/* The /proc/self/pagemap entry of the page holding addr. */
int xb_pagemap_entry(uint64_t *out, int fd, volatile const char *addr);

struct xb_sink;
struct xb_target;

/* What a read of untouched private anonymous memory mapped. */
enum xb_anon_read {
	XB_ANON_READ_UNMAPPED,  /* nothing present: the reads did not fault in */
	XB_ANON_READ_ZERO,      /* the shared zero page, as Linux normally does */
	XB_ANON_READ_PRIVATE,   /* a private zeroed page each (no zero page) */
	XB_ANON_READ_MIXED,
};

/* Pages of [base, base + npages * 4 KiB) present and exclusively mapped,
 * from pagemap (fd: /proc/self/pagemap), into *out_present and
 * *out_exclusive. */
int xb_pagemap_census(size_t *out_present, size_t *out_exclusive, int fd, const char *base,
		      size_t npages);
enum xb_anon_read xb_anon_read_kind(size_t present, size_t exclusive);
/* "unmapped", "zero-page", "private-page" or "mixed". */
const char *xb_anon_read_name(enum xb_anon_read k);

/*
 * After read touches of all npages of a private anonymous mapping at base:
 * the fact fault.anon.read_maps (xb_anon_read_name) and, when the kernel
 * did not map the zero page, a warning that metric (the read fault's
 * latency) times allocating and zeroing a page here, not mapping the zero
 * page. Some kernels never use the zero page for reads: seen on a host
 * booted with pvm_no_zero_page=1; on s390 the mm of a KVM hypervisor
 * process forbids it (mm_forbids_zeropage). *out the kind.
 */
int xb_fault_check_anon_read(enum xb_anon_read *out, int pagemap_fd, const char *base,
			     size_t npages, const char *metric, struct xb_sink *sink,
			     const char *subject);

/* minflt + majflt of this process so far; majflt apart. */
long xb_rusage_faults(long *out_majflt);
double xb_elapsed_ns(const struct timespec *a, const struct timespec *b);
/* Smallest non-zero step of CLOCK_MONOTONIC over n back-to-back reads;
 * 0 when it never moved. */
double xb_timer_step_ns(int n);

/* 4 KiB pages checked, then /proc/self/pagemap opened into *out_fd (it
 * tells a fault from a mapped page); an error note and -errno otherwise. */
int xb_fault_open_pagemap(int *out_fd, struct xb_sink *sink, const char *subject);
#define XB_FAULT_FILL_CHUNK (1u << 20)

/*
 * A file target's preparation: t->dir/name as *out_path (any old file of
 * that name removed), size checked against the free space, and a
 * XB_FAULT_FILL_CHUNK buffer of non-zero bytes as *out_fill; both the
 * caller's. An error note and -errno otherwise.
 */
int xb_fault_prepare_file(char **out_path, char **out_fill, const struct xb_target *t,
			  const char *name, uint64_t size, struct xb_sink *sink,
			  const char *subject);
/* file_size of a fault benchmark: a non-zero multiple of 4 KiB up to 1T.
 * Refusals are "error" notes on sink under subject; -EINVAL. */
int xb_fault_parse_size(uint64_t *out_size, size_t *out_npages, const char *s,
			struct xb_sink *sink, const char *subject);
/* size bytes fit in the free space of dir, or an error note and -ENOSPC. */
int xb_fault_check_space(const char *dir, uint64_t size, struct xb_sink *sink,
			 const char *subject);
/* The file on fd is what target t claims: DAX on the DAX target and not
 * elsewhere (statx; a kernel before 5.8 has no attribute to check). */
int xb_fault_check_dax_attr(int fd, const char *path, const struct xb_target *t,
			    struct xb_sink *sink, const char *subject);

/*
 * The devdax target's character device, opened read-write into *out_fd:
 * its namespace made device-dax with alignment align (bench/ndns.h) unless
 * it is already, checked to hold size bytes. An error note and -errno
 * otherwise.
 */
int xb_fault_devdax_open(int *out_fd, const struct xb_target *t, uint64_t size,
			 uint64_t align, struct xb_sink *sink, const char *subject);

/* How xb_fault_make_file() fills the file. */
enum {
	XB_FAULT_FILE_HOLE = 1u << 0,      /* sparse: no blocks behind the pages */
	XB_FAULT_FILE_PREALLOC = 1u << 1,  /* one fallocate of the whole size first */
};

/*
 * A fresh file at path (any old one removed) checked against t's DAX
 * claim: written blocks (fill, XB_FAULT_FILL_CHUNK bytes, written over
 * the whole size, synced, dropped from the page cache so the page-cache
 * target starts cold), or with XB_FAULT_FILE_HOLE a sparse file of the
 * same size. *out_fd open read-write, the caller's; an error note and
 * -errno otherwise.
 */
int xb_fault_make_file(int *out_fd, const char *path, uint64_t size, const char *fill,
		       unsigned flags, const struct xb_target *t, struct xb_sink *sink,
		       const char *subject);

/* One one-byte access per step-th 4 KiB page of base, a write or a read
 * that the compiler cannot drop. */
void xb_fault_touch(char *base, size_t npages, size_t step, int write);

#endif
