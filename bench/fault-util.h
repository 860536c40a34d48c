/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers the fault benchmarks share: telling a fault from a mapped page,
 * counting faults, timing. Each returns 0 or -errno where it can fail. */
#ifndef XB_FAULT_UTIL_H
#define XB_FAULT_UTIL_H

#include <stdint.h>
#include <time.h>

#define XB_PAGE 4096u
#define XB_PM_PRESENT (1ull << 63)      /* pagemap: page present */

/* The /proc/self/pagemap entry of the page holding addr. */
int xb_pagemap_entry(uint64_t *out, int fd, volatile const char *addr);
/* minflt + majflt of this process so far; majflt apart. */
long xb_rusage_faults(long *out_majflt);
double xb_elapsed_ns(const struct timespec *a, const struct timespec *b);
/* Smallest non-zero step of CLOCK_MONOTONIC over n back-to-back reads;
 * 0 when it never moved. */
double xb_timer_step_ns(int n);

#endif
