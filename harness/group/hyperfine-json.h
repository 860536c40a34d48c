/* SPDX-License-Identifier: GPL-2.0 */
/* hyperfine's --export-json: the run times of its first command. */
#ifndef XB_HYPERFINE_JSON_H
#define XB_HYPERFINE_JSON_H
#ifndef XB_LAYER_HARNESS
#error "harness/group/hyperfine-json.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include "util.h"

/*
 * results[0].times, in seconds, into *out (the caller's). -EBADMSG with a
 * one-line reason set (xb_error_last()) when the JSON is unreadable, has no
 * times, or a time is not a finite non-negative number: never a silent zero.
 */
int xb_hyperfine_times(double **out, size_t *out_n, const char *json);

#endif
