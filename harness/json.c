// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <jansson.h>
#include "json.h"
#include "text.h"
#include "util.h"

/* Attaches v to the open container (or makes it the document); takes v. */
static void put(struct xb_json *j, json_t *v)
{
	json_t *top = j->depth ? j->stack[j->depth - 1] : NULL;

	if (!v)
		abort();        /* jansson failed to allocate */
	if (!top) {
		json_decref(j->root);
		j->root = v;
	} else if (json_is_object(top)) {
		json_object_set_new(top, j->key ? j->key : "", v);
	} else {
		json_array_append_new(top, v);
	}
	free(j->key);
	j->key = NULL;
}

static void open_(struct xb_json *j, json_t *c)
{
	json_incref(c);
	put(j, c);
	if (j->depth < (int)(sizeof(j->stack) / sizeof(j->stack[0])))
		j->stack[j->depth++] = c;
	json_decref(c);
}

static void close_(struct xb_json *j)
{
	if (j->depth > 0)
		j->depth--;
}

void xb_json_obj_open(struct xb_json *j) { open_(j, json_object()); }
void xb_json_obj_close(struct xb_json *j) { close_(j); }
void xb_json_arr_open(struct xb_json *j) { open_(j, json_array()); }
void xb_json_arr_close(struct xb_json *j) { close_(j); }

void xb_json_key(struct xb_json *j, const char *key)
{
	free(j->key);
	j->key = xb_utf8_sanitize(key);
}

void xb_json_str(struct xb_json *j, const char *s)
{
	char *u;

	if (!s) {
		put(j, json_null());
		return;
	}
	u = xb_utf8_sanitize(s);
	put(j, json_string(u));
	free(u);
}

void xb_json_num(struct xb_json *j, double v)
{
	/* integral values print as integers ("2", not jansson's "2.0"), as
	 * %.17g wrote them before */
	if (!isfinite(v))
		put(j, json_null());
	else if (v == trunc(v) && fabs(v) < 9007199254740992.0)
		put(j, json_integer((json_int_t)v));
	else
		put(j, json_real(v));
}

void xb_json_int(struct xb_json *j, long long v) { put(j, json_integer(v)); }
void xb_json_bool(struct xb_json *j, bool v) { put(j, json_boolean(v)); }
void xb_json_null(struct xb_json *j) { put(j, json_null()); }

#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(17) | JSON_ENCODE_ANY)

void xb_json_take(struct xb_buf *out, struct xb_json *j)
{
	char *s = j->root ? json_dumps(j->root, DUMP_FLAGS) : NULL;

	if (j->root && !s)
		abort();
	xb_buf_adds(out, s ? s : "");
	free(s);
	json_decref(j->root);
	free(j->key);
	*j = (struct xb_json){ 0 };
}

int xb_json_print(struct xb_json *j, FILE *f)
{
	int rc = 0;

	if (j->root && json_dumpf(j->root, f, DUMP_FLAGS))
		rc = -1;
	if (fputc('\n', f) == EOF)
		rc = -1;
	json_decref(j->root);
	free(j->key);
	*j = (struct xb_json){ 0 };
	return rc;
}
