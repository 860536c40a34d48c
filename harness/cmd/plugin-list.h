/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plug-in tables as people read them: `daxbench list-backends`,
 * `daxbench list-benches` and the lists in `daxbench run --help`, all made
 * from the tables' names and descriptions, so no help text lists them by
 * hand. Each takes the table (NULL-terminated), so a test can pass its own.
 */
#ifndef XB_PLUGIN_LIST_H
#define XB_PLUGIN_LIST_H
#ifndef XB_LAYER_HARNESS
#error "harness/cmd/plugin-list.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include <stdio.h>
#include "backends.h"
#include "bench.h"

/* "  NAME  description" per entry, the description wrapped under itself. */
void xb_backends_help(FILE *f, const struct xb_backend_ops *const *table);
void xb_benches_help(FILE *f, const struct xb_bench_ops *const *table);

/* Each entry with what it offers (backend) or needs per target (benchmark)
 * and its parameters; json: one document with a schema_version. 0, or the
 * -errno of a failed write. */
int xb_backends_print(FILE *f, const struct xb_backend_ops *const *table, bool json);
int xb_benches_print(FILE *f, const struct xb_bench_ops *const *table, bool json);

#endif
