/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text for terminals: UTF-8 checks, escaping of control and invalid bytes,
 * display width (wcwidth, whatever the process's locale), and the aligned
 * text tables every listing prints through. Strings come from users, suite
 * files and guests: none reaches a terminal or a JSON document raw.
 */
#ifndef XB_TEXT_H
#define XB_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Whether s is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool xb_utf8_valid(const char *s);
/* A copy in which each byte of an invalid sequence becomes U+FFFD. */
char *xb_utf8_sanitize(const char *s);
/* A printable copy: control bytes and bytes of invalid UTF-8 become escapes
 * (\n, \t, \r, \xNN); valid UTF-8 is kept. */
char *xb_text_escape(const char *s);
/* Columns s takes on a terminal: wide characters count 2, combining 0,
 * anything unprintable as its escape would. */
size_t xb_text_width(const char *s);

/*
 * Aligned text table: cells are added row by row; every column is as wide
 * as its widest cell, measured in display columns. Cells are escaped
 * (a newline in a failure reason stays on its row); NULL shows as "-".
 */
struct xb_table {
	size_t ncols;
	const char *align;   /* per column: 'l' left, 'r' right */
	char **cell;         /* row-major, ncells of them */
	size_t ncells;
	size_t cap;
};
void xb_table_add(struct xb_table *t, const char *s);
void xb_table_addf(struct xb_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Each line starts with indent; trailing spaces are dropped. */
void xb_table_print(const struct xb_table *t, FILE *f, const char *indent);
void xb_table_free(struct xb_table *t);

#endif
