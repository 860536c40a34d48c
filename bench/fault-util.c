// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#include "fault-util.h"

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
