/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plan: what the harness tells the guest program to do, as a file
 * /daxbench/plan in the guest image. One "key=value" a line, '#' comments.
 *
 *   plan.version=1
 *   backend=axonram-emu             backend name, for the record
 *   device=/dev/pmem0               the one device the guest may format
 *   device.wait_s=20                how long to wait for it to appear
 *   fs=ext4                         filesystem (lib/fs-table.c)
 *   mount_dir=/mnt/dax              where file targets are mounted (default)
 *   caps=fs_dax,fs_pagecache,anon,writable
 *   benches=timer,fault             benchmarks to run, in order
 *   bench.<name>.<param>=<value>    a benchmark's parameters, e.g.
 *   bench.fault.file_size=64M       bench.fault.reps=3
 *   bench.fault.modes=dax,pagecache,anon    bench.fault.ops=read,write
 *   inject.dax_fault_spin=N         calibration: load daxbench_inject, spin=N
 */
#ifndef XB_PLAN_H
#define XB_PLAN_H
#include "util.h"

#define XB_PLAN_VERSION 1
#define XB_PLAN_GUEST_PATH "/daxbench/plan"

/* Parse; on error returns -EINVAL and a one-line reason ("line N: ...")
 * in xb_error_last(). */
int xb_plan_parse(struct xb_kvlist *out, const char *text);
/* Serialize (values must not contain newlines: -EINVAL). */
int xb_plan_format(struct xb_buf *out, const struct xb_kvlist *plan);

#endif
