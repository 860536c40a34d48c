// SPDX-License-Identifier: GPL-2.0
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "text.h"
#include "util.h"

/*
 * Length of the well-formed UTF-8 sequence at p and its code point, or 0
 * when the bytes there are not one (RFC 3629 table: the second byte's range
 * excludes overlongs, surrogates and code points past U+10FFFF).
 */
static size_t utf8_seq(const unsigned char *p, unsigned *out)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80) {
		*out = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, lo = c == 0 ? 0xa0 : 0x80, hi = c == 0x0d ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, lo = c == 0 ? 0x90 : 0x80, hi = c == 4 ? 0x8f : 0xbf;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xbf))
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	*out = c;
	return n;
}

bool xb_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c;

	while (*p) {
		size_t n = utf8_seq(p, &c);

		if (!n)
			return false;
		p += n;
	}
	return true;
}

char *xb_utf8_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct xb_buf b = { 0 };
	unsigned c;

	xb_buf_adds(&b, "");
	while (*p) {
		size_t n = utf8_seq(p, &c);

		if (n)
			xb_buf_add(&b, p, n);
		else
			xb_buf_adds(&b, "\xef\xbf\xbd");
		p += n ? n : 1;
	}
	return xb_buf_detach(&b);
}

static bool is_control(unsigned c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
}

char *xb_text_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct xb_buf b = { 0 };
	unsigned c;

	xb_buf_adds(&b, "");
	while (*p) {
		size_t n = utf8_seq(p, &c);

		if (n && !is_control(c))
			xb_buf_add(&b, p, n);
		else if (n && c == '\n')
			xb_buf_adds(&b, "\\n");
		else if (n && c == '\t')
			xb_buf_adds(&b, "\\t");
		else if (n && c == '\r')
			xb_buf_adds(&b, "\\r");
		else
			for (size_t i = 0; i < (n ? n : 1); i++)
				xb_buf_addf(&b, "\\x%02x", p[i]);
		p += n ? n : 1;
	}
	return xb_buf_detach(&b);
}

/* wcwidth() answers by LC_CTYPE: ask a UTF-8 locale, whatever the user's. */
static int char_width(unsigned c)
{
	static locale_t utf8;
	locale_t old;
	int w;

	if (!utf8)
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (!utf8)
		return 1;
	old = uselocale(utf8);
	w = wcwidth((wchar_t)c);
	uselocale(old);
	return w;
}

size_t xb_text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t width = 0;
	unsigned c;

	while (*p) {
		size_t n = utf8_seq(p, &c);
		int w = n && !is_control(c) ? char_width(c) : -1;

		if (w >= 0)
			width += (size_t)w;
		else
			width += 4 * (n ? n : 1);   /* as \xNN */
		p += n ? n : 1;
	}
	return width;
}

void xb_table_add(struct xb_table *t, const char *s)
{
	if (t->ncells == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->cell = xb_realloc(t->cell, t->cap * sizeof(*t->cell));
	}
	t->cell[t->ncells++] = xb_text_escape(s ? s : "-");
}

void xb_table_addf(struct xb_table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xb_vasprintf(fmt, ap);
	va_end(ap);
	xb_table_add(t, s);
	free(s);
}

static void pad(struct xb_buf *b, size_t n)
{
	while (n--)
		xb_buf_adds(b, " ");
}

void xb_table_print(const struct xb_table *t, FILE *f, const char *indent)
{
	struct xb_buf line = { 0 };
	size_t *w = xb_calloc(t->ncols, sizeof(*w));

	for (size_t i = 0; i < t->ncells; i++) {
		size_t cw = xb_text_width(t->cell[i]);

		if (cw > w[i % t->ncols])
			w[i % t->ncols] = cw;
	}
	for (size_t i = 0; i < t->ncells; i++) {
		size_t c = i % t->ncols, fill = w[c] - xb_text_width(t->cell[i]);

		xb_buf_adds(&line, c ? "  " : indent);
		if (t->align[c] != 'l')
			pad(&line, fill);
		xb_buf_adds(&line, t->cell[i]);
		if (t->align[c] == 'l')
			pad(&line, fill);
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

void xb_table_free(struct xb_table *t)
{
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->ncells = t->cap = 0;
}
