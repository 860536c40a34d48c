/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Aligned text tables for list and show: cells are added row by row, and
 * every column is as wide as its widest cell. Control characters in a cell
 * (a newline in a failure reason) become spaces so rows stay rows. Small
 * enough to live in a header.
 */
#ifndef XB_TABLE_H
#define XB_TABLE_H
#ifndef XB_LAYER_HARNESS
#error "harness/cmd/table.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

struct xb_table {
	size_t ncols;
	const char *align;   /* per column: 'l' left, 'r' right */
	char **cell;         /* row-major, ncells of them */
	size_t ncells;
	size_t cap;
};

static inline void xb_table_add(struct xb_table *t, const char *s)
{
	if (t->ncells == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->cell = xb_realloc(t->cell, t->cap * sizeof(*t->cell));
	}
	t->cell[t->ncells] = xb_strdup(s ? s : "-");
	for (char *c = t->cell[t->ncells]; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	t->ncells++;
}

static inline void xb_table_print(const struct xb_table *t, FILE *f, const char *indent)
{
	struct xb_buf line = { 0 };
	size_t *w = calloc(t->ncols, sizeof(*w));

	if (!w)
		abort();
	for (size_t i = 0; i < t->ncells; i++)
		if (strlen(t->cell[i]) > w[i % t->ncols])
			w[i % t->ncols] = strlen(t->cell[i]);
	for (size_t i = 0; i < t->ncells; i++) {
		size_t c = i % t->ncols;
		int width = (int)w[c];

		xb_buf_addf(&line, "%s%*s", c ? "  " : indent,
			    t->align[c] == 'l' ? -width : width, t->cell[i]);
		if (c == t->ncols - 1 || i == t->ncells - 1) {
			while (line.len && line.p[line.len - 1] == ' ')
				line.p[--line.len] = 0;
			fprintf(f, "%s\n", line.p);
			line.len = 0;
		}
	}
	xb_buf_free(&line);
	free(w);
}

static inline void xb_table_free(struct xb_table *t)
{
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->ncells = t->cap = 0;
}

#endif
