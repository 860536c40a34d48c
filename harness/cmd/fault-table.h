/* SPDX-License-Identifier: GPL-2.0 */
/* The fault-path table of a run (daxbench show --fault-table): one row per
 * fault path, DAX against page cache against anonymous memory, with the
 * throughput cross-check and the fs_dax attribution, as Markdown. */
#ifndef XB_FAULT_TABLE_H
#define XB_FAULT_TABLE_H
#ifndef XB_LAYER_HARNESS
#error "harness/cmd/fault-table.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdio.h>
#include "query.h"

/* 0, or -ENOENT when the run has no fault.<mode>.<path>.ns metric. */
/* The table appended to b. */
int xb_fault_table_render(struct xb_buf *b, const struct xb_run_detail *d);
int xb_fault_table_print(FILE *f, const struct xb_run_detail *d);

#endif
