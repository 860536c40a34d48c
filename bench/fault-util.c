// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "fault-util.h"
#include "bench.h"
#include "ndns.h"

int xb_pagemap_entry(uint64_t *out, int fd, volatile const char *addr)
{
	off_t off = (off_t)((uintptr_t)addr / XB_PAGE) * (off_t)sizeof(*out);
	ssize_t n;

	do
		n = pread(fd, out, sizeof(*out), off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == sizeof(*out) ? 0 : -EIO;
}

int xb_pagemap_census(size_t *out_present, size_t *out_exclusive, int fd, const char *base,
		      size_t npages)
{
	uint64_t ent[512];
	size_t present = 0, exclusive = 0;
	off_t off = (off_t)((uintptr_t)base / XB_PAGE) * (off_t)sizeof(*ent);

	for (size_t i = 0; i < npages;) {
		size_t want = npages - i < XB_ARRAY_SIZE(ent) ? npages - i : XB_ARRAY_SIZE(ent);
		ssize_t n = pread(fd, ent, want * sizeof(*ent), off + (off_t)(i * sizeof(*ent)));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n < (ssize_t)sizeof(*ent))
			return -EIO;
		for (size_t j = 0; j < (size_t)n / sizeof(*ent); j++) {
			present += !!(ent[j] & XB_PM_PRESENT);
			exclusive += (ent[j] & (XB_PM_PRESENT | XB_PM_EXCLUSIVE)) ==
				     (XB_PM_PRESENT | XB_PM_EXCLUSIVE);
		}
		i += (size_t)n / sizeof(*ent);
	}
	*out_present = present;
	*out_exclusive = exclusive;
	return 0;
}

enum xb_anon_read xb_anon_read_kind(size_t present, size_t exclusive)
{
	if (!present)
		return XB_ANON_READ_UNMAPPED;
	if (!exclusive)
		return XB_ANON_READ_ZERO;
	return exclusive == present ? XB_ANON_READ_PRIVATE : XB_ANON_READ_MIXED;
}

const char *xb_anon_read_name(enum xb_anon_read k)
{
	static const char *const names[] = {
		[XB_ANON_READ_UNMAPPED] = "unmapped", [XB_ANON_READ_ZERO] = "zero-page",
		[XB_ANON_READ_PRIVATE] = "private-page", [XB_ANON_READ_MIXED] = "mixed",
	};

	return names[k];
}

int xb_fault_check_anon_read(enum xb_anon_read *out, int pagemap_fd, const char *base,
			     size_t npages, const char *metric, struct xb_sink *sink,
			     const char *subject)
{
	size_t present, exclusive;
	int rc = xb_pagemap_census(&present, &exclusive, pagemap_fd, base, npages);

	if (rc) {
		xb_sink_notef(sink, "error", subject, "read /proc/self/pagemap: %s", strerror(-rc));
		return rc;
	}
	*out = xb_anon_read_kind(present, exclusive);
	rc = sink->fact(sink, "fault.anon.read_maps", xb_anon_read_name(*out));
	if (rc || *out == XB_ANON_READ_ZERO)
		return rc;
	return xb_sink_notef(sink, "warning", subject, "a read of untouched anonymous memory "
			     "mapped %s (%zu of %zu pages present, %zu of them private): this "
			     "kernel does not map the shared zero page on read faults, so %s "
			     "times allocating and zeroing a page, not mapping the zero page",
			     xb_anon_read_name(*out), present, npages, exclusive, metric);
}

long xb_rusage_faults(long *out_majflt)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*out_majflt = ru.ru_majflt;
	return ru.ru_minflt + ru.ru_majflt;
}

double xb_elapsed_ns(const struct timespec *a, const struct timespec *b)
{
	return (double)((int64_t)(b->tv_sec - a->tv_sec) * 1000000000 +
			(b->tv_nsec - a->tv_nsec));
}

double xb_timer_step_ns(int n)
{
	struct timespec a, b;
	double min = 0;

	for (int i = 0; i < n; i++) {
		double d;

		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		d = xb_elapsed_ns(&a, &b);
		if (d > 0 && (!min || d < min))
			min = d;
	}
	return min;
}

int xb_fault_open_pagemap(int *out_fd, struct xb_sink *sink, const char *subject)
{
	int rc;

	if (sysconf(_SC_PAGESIZE) != XB_PAGE) {
		xb_sink_notef(sink, "error", subject, "page size %ld: only 4 KiB pages are supported",
			      sysconf(_SC_PAGESIZE));
		return -ENOTSUP;
	}
	*out_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (*out_fd < 0) {
		rc = -errno;
		xb_sink_notef(sink, "error", subject,
			      "open /proc/self/pagemap: %s (needed to tell faults apart)",
			      strerror(-rc));
		return rc;
	}
	return 0;
}

int xb_fault_parse_size(uint64_t *out_size, size_t *out_npages, const char *s,
			struct xb_sink *sink, const char *subject)
{
	uint64_t size;

	if (xb_parse_size(&size, s)) {
		xb_sink_notef(sink, "error", subject,
			      "bad parameter file_size '%s': not a size such as 64M", s);
		return -EINVAL;
	}
	if (!size || size % XB_PAGE || size > XB_FAULT_MAX_FILE_SIZE) {
		xb_sink_notef(sink, "error", subject,
			      "bad parameter file_size %llu: want a non-zero multiple of %u "
			      "(one touch per 4 KiB page) up to 1T", (unsigned long long)size,
			      XB_PAGE);
		return -EINVAL;
	}
	*out_size = size;
	*out_npages = (size_t)(size / XB_PAGE);
	return 0;
}

int xb_fault_check_space(const char *dir, uint64_t size, struct xb_sink *sink,
			 const char *subject)
{
	struct statvfs sv;
	unsigned long long avail;
	int rc;

	if (statvfs(dir, &sv)) {
		rc = -errno;
		xb_sink_notef(sink, "error", subject, "statvfs %s: %s", dir, strerror(-rc));
		return rc;
	}
	avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
	if (size > avail) {
		xb_sink_notef(sink, "error", subject,
			      "file_size %llu bytes is more than the %llu bytes free on the "
			      "device's filesystem in %s: use a smaller file_size",
			      (unsigned long long)size, avail, dir);
		return -ENOSPC;
	}
	return 0;
}

int xb_fault_check_dax_attr(int fd, const char *path, const struct xb_target *t,
			    struct xb_sink *sink, const char *subject)
{
	struct statx stx;
	bool dax;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx)) {
		int rc = -errno;

		xb_sink_notef(sink, "error", subject, "statx %s: %s", path, strerror(-rc));
		return rc;
	}
	if (!(stx.stx_attributes_mask & STATX_ATTR_DAX))
		return 0;
	dax = stx.stx_attributes & STATX_ATTR_DAX;
	if (dax == (t->kind == XB_TARGET_DAX))
		return 0;
	if (!dax)
		xb_sink_notef(sink, "error", subject,
			      "DAX requested but not active: %s lacks STATX_ATTR_DAX", path);
	else
		xb_sink_notef(sink, "error", subject, "%s is a DAX file on the %s target",
			      path, t->mode);
	return -EINVAL;
}

int xb_fault_prepare_file(char **out_path, char **out_fill, const struct xb_target *t,
			  const char *name, uint64_t size, struct xb_sink *sink,
			  const char *subject)
{
	int rc;

	if (!t->dir) {
		xb_sink_notef(sink, "error", subject, "file target without a directory");
		return -EINVAL;
	}
	*out_path = xb_asprintf("%s/%s", t->dir, name);
	if (unlink(*out_path) && errno != ENOENT) {
		rc = -errno;
		xb_sink_notef(sink, "error", subject, "unlink %s: %s", *out_path, strerror(-rc));
		return rc;
	}
	rc = xb_fault_check_space(t->dir, size, sink, subject);
	if (rc)
		return rc;
	*out_fill = xb_malloc(XB_FAULT_FILL_CHUNK);
	memset(*out_fill, 0xa5, XB_FAULT_FILL_CHUNK);
	return 0;
}

int xb_fault_devdax_open(int *out_fd, const struct xb_target *t, uint64_t size,
			 uint64_t align, struct xb_sink *sink, const char *subject)
{
	uint64_t have = 0;
	char *node = NULL;
	int rc;

	if (!t->dir) {
		xb_sink_notef(sink, "error", subject, "devdax target without a namespace");
		return -EINVAL;
	}
	rc = xb_ndns_devdax(&node, &have, t->dir, align, sink);
	if (rc)
		return rc;
	if (size > have) {
		xb_sink_notef(sink, "error", subject, "file_size %llu bytes is more than the %llu "
			      "bytes of %s: use a smaller file_size", (unsigned long long)size,
			      (unsigned long long)have, node);
		rc = -ENOSPC;
	} else if ((*out_fd = open(node, O_RDWR | O_CLOEXEC)) < 0) {
		rc = -errno;
		xb_sink_notef(sink, "error", subject, "open %s: %s", node, strerror(-rc));
	}
	free(node);
	return rc;
}

/*
 * With XB_FAULT_FILE_PREALLOC the allocator sees one large request it can
 * align (on ext4 made with a 2 MiB stripe, so PMD faults are possible),
 * where 1 MiB writes would each be placed on their own; the writes then
 * turn the unwritten extents into written ones, so no fault meets one.
 */
static int fill_file(int fd, uint64_t size, const char *fill, unsigned flags)
{
	int rc = 0;

	if ((flags & XB_FAULT_FILE_PREALLOC) && fallocate(fd, 0, 0, (off_t)size) &&
	    errno != EOPNOTSUPP)
		return -errno;
	for (uint64_t done = 0; done < size && !rc; done += XB_FAULT_FILL_CHUNK) {
		uint64_t left = size - done;

		rc = xb_write_all(fd, fill, left < XB_FAULT_FILL_CHUNK ? (size_t)left :
				  XB_FAULT_FILL_CHUNK);
	}
	if (!rc && fsync(fd))
		rc = -errno;
	if (!rc)
		rc = -posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	return rc;
}

int xb_fault_make_file(int *out_fd, const char *path, uint64_t size, const char *fill,
		       unsigned flags, const struct xb_target *t, struct xb_sink *sink,
		       const char *subject)
{
	int fd, rc;

	if (unlink(path) && errno != ENOENT) {
		rc = -errno;
		xb_sink_notef(sink, "error", subject, "unlink %s: %s", path, strerror(-rc));
		return rc;
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		xb_sink_notef(sink, "error", subject, "create %s: %s", path, strerror(-rc));
		return rc;
	}
	rc = xb_fault_check_dax_attr(fd, path, t, sink, subject);
	if (rc)
		goto out_close;
	if (flags & XB_FAULT_FILE_HOLE)
		rc = ftruncate(fd, (off_t)size) ? -errno : 0;
	else
		rc = fill_file(fd, size, fill, flags);
	if (rc) {
		xb_sink_notef(sink, "error", subject, "make %s: %s", path, strerror(-rc));
		goto out_close;
	}
	*out_fd = fd;
	return 0;
out_close:
	close(fd);
	return rc;
}

/* Kept outside the function so the compiler cannot drop the read. */
static volatile char touch_sink;

void xb_fault_touch(char *base, size_t npages, size_t step, int write)
{
	for (size_t i = 0; i < npages; i += step) {
		volatile char *addr = base + i * XB_PAGE;

		if (write)
			*addr = 0x5a;
		else
			touch_sink = *addr;
	}
}
