// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "json.h"

static void sep(struct xb_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		xb_buf_adds(&j->out, ",");
	j->need_comma[j->depth] = true;
}

static void open(struct xb_json *j, const char *c)
{
	sep(j);
	xb_buf_adds(&j->out, c);
	if (j->depth < 63)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(struct xb_json *j, const char *c)
{
	if (j->depth > 0)
		j->depth--;
	xb_buf_adds(&j->out, c);
}

void xb_json_obj_open(struct xb_json *j) { open(j, "{"); }
void xb_json_obj_close(struct xb_json *j) { close_(j, "}"); }
void xb_json_arr_open(struct xb_json *j) { open(j, "["); }
void xb_json_arr_close(struct xb_json *j) { close_(j, "]"); }

static void raw_str(struct xb_json *j, const char *s)
{
	xb_buf_adds(&j->out, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': xb_buf_adds(&j->out, "\\\""); break;
		case '\\': xb_buf_adds(&j->out, "\\\\"); break;
		case '\n': xb_buf_adds(&j->out, "\\n"); break;
		case '\r': xb_buf_adds(&j->out, "\\r"); break;
		case '\t': xb_buf_adds(&j->out, "\\t"); break;
		default:
			if (*p < 0x20)
				xb_buf_addf(&j->out, "\\u%04x", *p);
			else
				xb_buf_add(&j->out, p, 1);
		}
	}
	xb_buf_adds(&j->out, "\"");
}

void xb_json_key(struct xb_json *j, const char *key)
{
	sep(j);
	raw_str(j, key);
	xb_buf_adds(&j->out, ":");
	j->after_key = true;
}

void xb_json_str(struct xb_json *j, const char *s)
{
	sep(j);
	if (s)
		raw_str(j, s);
	else
		xb_buf_adds(&j->out, "null");
}

void xb_json_num(struct xb_json *j, double v)
{
	sep(j);
	if (isfinite(v))
		xb_buf_addf(&j->out, "%.17g", v);
	else
		xb_buf_adds(&j->out, "null");
}

void xb_json_int(struct xb_json *j, long long v)
{
	sep(j);
	xb_buf_addf(&j->out, "%lld", v);
}

void xb_json_bool(struct xb_json *j, bool v)
{
	sep(j);
	xb_buf_adds(&j->out, v ? "true" : "false");
}

void xb_json_null(struct xb_json *j)
{
	sep(j);
	xb_buf_adds(&j->out, "null");
}

int xb_json_print(struct xb_json *j, FILE *f)
{
	int rc = 0;

	if (j->out.p && fputs(j->out.p, f) == EOF)
		rc = -1;
	fputc('\n', f);
	xb_buf_free(&j->out);
	return rc;
}
