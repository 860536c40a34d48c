/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal JSON writer for --json output. Commas are placed automatically;
 * the caller opens and closes objects/arrays and names object members.
 */
#ifndef XB_JSON_H
#define XB_JSON_H
#include <stdbool.h>
#include <stdint.h>
#include "util.h"

/* 2: compare gained clock, threshold_pct and per row deterministic and
 * cannot_decide, and lost the rows' noise_pct (issue 14). */
#define XB_JSON_SCHEMA_VERSION 2

struct xb_json {
	struct xb_buf out;
	int depth;
	bool need_comma[64];
	bool after_key;
};
void xb_json_obj_open(struct xb_json *j);
void xb_json_obj_close(struct xb_json *j);
void xb_json_arr_open(struct xb_json *j);
void xb_json_arr_close(struct xb_json *j);
void xb_json_key(struct xb_json *j, const char *key);
void xb_json_str(struct xb_json *j, const char *s);    /* NULL -> null */
void xb_json_num(struct xb_json *j, double v);         /* non-finite -> null */
void xb_json_int(struct xb_json *j, long long v);
void xb_json_bool(struct xb_json *j, bool v);
void xb_json_null(struct xb_json *j);
/* Writes the document plus a newline to f and frees the buffer. */
int xb_json_print(struct xb_json *j, FILE *f);
#endif
