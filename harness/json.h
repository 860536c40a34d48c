/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The --json writer: a document built with jansson, in the order the caller
 * opens and closes objects/arrays and names object members. Strings that are
 * not valid UTF-8 (a label, a guest's fact) are repaired with U+FFFD, so the
 * output is always valid JSON.
 */
#ifndef XB_JSON_H
#define XB_JSON_H
#ifndef XB_LAYER_HARNESS
#error "harness/json.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* 2: compare gained clock, threshold_pct and per row deterministic and
 * cannot_decide, and lost the rows' noise_pct (issue 14). */
#define XB_JSON_SCHEMA_VERSION 2

struct json_t;
/* A document built through jansson: containers on a stack, a member name
 * waiting for its value. Zero-initialise; xb_json_print() frees it. */
struct xb_json {
	struct json_t *stack[64];
	int depth;
	struct json_t *root;
	char *key;
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
/* Appends the document (no newline) to out and frees it. */
struct xb_buf;
void xb_json_take(struct xb_buf *out, struct xb_json *j);
#endif
