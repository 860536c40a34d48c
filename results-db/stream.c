// SPDX-License-Identifier: GPL-2.0
/*
 * The results stream (lib/stream-format.h): the parser, and the builder it
 * shares with the harness's recorders (harness/group/record.c).
 *
 * Two passes. The first checks the framing only: magic line, line lengths,
 * the end line, the record count and the CRC; a damaged transport is thus
 * reported as such before any record is believed. The second interprets
 * the records. Lookups go through small hash indexes so that a stream of
 * many metrics or series stays linear.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "stream.h"
#include "crc32.h"
#include "error.h"
#include "stream-format.h"

#define MAX_FIELDS 6
#define QUOTE_MAX 40
#define MAGIC_MAX 32

/* A string (plus a rep number) -> array index map, open addressing. */
struct index_slot {
	const char *key;   /* owned by the indexed entry; NULL: empty */
	int rep;
	size_t idx;
};

struct index {
	struct index_slot *slot;
	size_t cap;        /* 0 or a power of two */
	size_t n;
};

struct xb_stream_ix {
	struct index hdr;
	struct index metric;
	struct index series;
};

struct parser {
	struct xb_stream *s;
	const char *data;
	size_t len;
	size_t lineno;
	char *line;        /* NUL-terminated copy of the current line */
	size_t line_cap;
};

static uint64_t hash(const char *key, int rep)
{
	uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return (h ^ (uint64_t)(unsigned)rep) * 0x100000001b3ull;
}

static struct index_slot *index_slot(const struct index *ix, const char *key, int rep)
{
	size_t mask = ix->cap - 1;
	size_t i = (size_t)hash(key, rep) & mask;

	while (ix->slot[i].key && (ix->slot[i].rep != rep || strcmp(ix->slot[i].key, key)))
		i = (i + 1) & mask;
	return &ix->slot[i];
}

static const size_t *index_find(const struct index *ix, const char *key, int rep)
{
	struct index_slot *sl;

	if (!ix->cap)
		return NULL;
	sl = index_slot(ix, key, rep);
	return sl->key ? &sl->idx : NULL;
}

static void index_put(struct index *ix, const char *key, int rep, size_t idx)
{
	struct index_slot *sl;

	if (2 * (ix->n + 1) > ix->cap) {
		struct index old = *ix;

		ix->cap = old.cap ? 2 * old.cap : 16;
		ix->slot = calloc(ix->cap, sizeof(*ix->slot));
		if (!ix->slot)
			abort();
		ix->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.slot[i].key)
				index_put(ix, old.slot[i].key, old.slot[i].rep, old.slot[i].idx);
		free(old.slot);
	}
	sl = index_slot(ix, key, rep);
	sl->key = key;
	sl->rep = rep;
	sl->idx = idx;
	ix->n++;
}

static void index_free(struct index *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->cap = ix->n = 0;
}

/* Arrays grow doubled at each power of two. */
#define GROW(arr, n) do {							\
	if (!((n) & ((n) - 1)))							\
		(arr) = xb_realloc((arr), ((n) ? 2 * (n) : 1) * sizeof(*(arr)));	\
} while (0)

struct xb_stream *xb_stream_new(void)
{
	struct xb_stream *s = xb_calloc(1, sizeof(*s));

	s->version = XB_STREAM_VERSION;
	s->ix = xb_calloc(1, sizeof(*s->ix));
	return s;
}

void xb_stream_set_hdr(struct xb_stream *s, const char *key, const char *value)
{
	struct xb_kvlist *hdr = &s->hdr;
	const size_t *i = index_find(&s->ix->hdr, key, 0);

	if (i) {
		free(hdr->v[*i].value);
		hdr->v[*i].value = xb_strdup(value);
		return;
	}
	xb_kv_add(hdr, key, value);
	index_put(&s->ix->hdr, hdr->v[hdr->n - 1].key, 0, hdr->n - 1);
}

int xb_stream_add_metric(struct xb_stream *s, const char *name, const char *unit,
			 const char *direction, const char *description)
{
	const size_t *i = index_find(&s->ix->metric, name, 0);
	struct xb_stream_metric *m;

	if (i) {
		m = &s->metrics[*i];
		return strcmp(m->unit, unit) || strcmp(m->direction, direction) ? -EEXIST : 0;
	}
	GROW(s->metrics, s->nmetrics);
	m = &s->metrics[s->nmetrics++];
	m->name = xb_strdup(name);
	m->unit = xb_strdup(unit);
	m->direction = xb_strdup(direction);
	m->description = xb_strdup(description);
	index_put(&s->ix->metric, m->name, 0, s->nmetrics - 1);
	return 0;
}

struct xb_stream_series *xb_stream_series(struct xb_stream *s, const char *metric, int rep)
{
	const size_t *i = index_find(&s->ix->series, metric, rep);
	struct xb_stream_series *sr;

	if (i)
		return &s->series[*i];
	GROW(s->series, s->nseries);
	sr = &s->series[s->nseries++];
	memset(sr, 0, sizeof(*sr));
	sr->metric = xb_strdup(metric);
	sr->rep = rep;
	index_put(&s->ix->series, sr->metric, rep, s->nseries - 1);
	return sr;
}

double *xb_stream_series_reserve(struct xb_stream_series *sr, size_t n)
{
	if (sr->n + n > sr->cap) {
		sr->cap = sr->n + n > 2 * sr->cap ? sr->n + n : 2 * sr->cap;
		sr->v = xb_realloc(sr->v, sr->cap * sizeof(*sr->v));
	}
	return sr->v + sr->n;
}

int xb_stream_add_samples(struct xb_stream *s, const char *metric, int rep,
			  const double *v, size_t n)
{
	struct xb_stream_series *sr;

	if (rep < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return -EINVAL;
	if (!n)
		return 0;
	sr = xb_stream_series(s, metric, rep);
	memcpy(xb_stream_series_reserve(sr, n), v, n * sizeof(*v));
	sr->n += n;
	return 0;
}

void xb_stream_add_note(struct xb_stream *s, const char *kind, const char *subject,
			const char *text)
{
	struct xb_stream_note *nt;

	GROW(s->notes, s->nnotes);
	nt = &s->notes[s->nnotes++];
	nt->kind = xb_strdup(kind);
	nt->subject = xb_strdup(subject);
	nt->text = xb_strdup(text);
}

/* Appends at most QUOTE_MAX bytes of s, with unprintable bytes as '?'. */
static void quote(struct xb_buf *b, const char *s, size_t n)
{
	xb_buf_adds(b, "'");
	for (size_t i = 0; i < n && i < QUOTE_MAX; i++) {
		char c = s[i];

		xb_buf_add(b, (c >= 0x20 && c < 0x7f) ? &c : "?", 1);
	}
	xb_buf_adds(b, n > QUOTE_MAX ? "...'" : "'");
}

static int fail(struct parser *p, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, int rc, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = xb_vasprintf(fmt, ap);
	va_end(ap);
	if (p->lineno)
		rc = xb_error_set(rc, "line %zu: %s", p->lineno, m);
	else
		rc = xb_error_set(rc, "%s", m);
	free(m);
	return rc;
}

/* Same as fail() with a quoted excerpt of s appended. */
static int fail_quoted(struct parser *p, const char *what, const char *s)
{
	struct xb_buf q = { 0 };
	int rc;

	quote(&q, s, strlen(s));
	rc = fail(p, -EBADMSG, "%s %s", what, q.p);
	xb_buf_free(&q);
	return rc;
}

/* Canonical decimal: digits only, no sign, no leading zero, at most max. */
static bool parse_uint(unsigned long long *out, const char *s, unsigned long long max)
{
	unsigned long long v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (d > 9 || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* Undoes \t, \n and \\ in place; any other backslash is garbage. */
static bool unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		switch (*++s) {
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case '\\': *w++ = '\\'; break;
		default: return false;
		}
	}
	*w = 0;
	return true;
}

/* Length of the line at pos without its newline, or a negative errno. */
static long long line_at(struct parser *p, size_t pos, size_t nrecords)
{
	size_t room = p->len - pos;
	size_t scan = room > XB_STREAM_MAX_LINE ? XB_STREAM_MAX_LINE + 1 : room;
	const char *nl = memchr(p->data + pos, '\n', scan);

	if (nl)
		return nl - (p->data + pos);
	if (room > XB_STREAM_MAX_LINE)
		return fail(p, -EBADMSG, "line longer than %u bytes (garbled)",
			    XB_STREAM_MAX_LINE);
	p->lineno = 0;
	return fail(p, -ENODATA, "truncated: no end marker after %zu records", nrecords);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "DAXBENCH-STREAM <version>", at most MAGIC_MAX bytes with its newline. */
static int check_magic(struct parser *p, size_t *out_pos)
{
	static const char magic[] = XB_STREAM_MAGIC " ";
	size_t mlen = sizeof(magic) - 1;
	size_t room = p->len < MAGIC_MAX ? p->len : MAGIC_MAX;
	const char *nl = memchr(p->data, '\n', room);
	size_t n = nl ? (size_t)(nl - p->data) : room;
	unsigned long long version;
	char digits[MAGIC_MAX] = "";

	if (memcmp(p->data, magic, n < mlen ? n : mlen) ||
	    (n > mlen && !all_digits(p->data + mlen, n - mlen)))
		return fail(p, -EBADMSG, "not a daxbench results stream (bad magic line)");
	if (!nl && p->len < MAGIC_MAX)
		return fail(p, -ENODATA, "truncated: stream ends in its magic line");
	if (!nl || n <= mlen)
		return fail(p, -EBADMSG, "not a daxbench results stream (bad magic line)");
	memcpy(digits, p->data + mlen, n - mlen);
	if (!parse_uint(&version, digits, INT_MAX))
		return fail(p, -EBADMSG, "bad stream version in the magic line (garbled)");
	p->s->version = (int)version;
	if (version != XB_STREAM_VERSION)
		return fail(p, -EPROTO, "stream format version %llu is not supported "
			    "(this daxbench reads version %d)", version, XB_STREAM_VERSION);
	*out_pos = n + 1;
	return 0;
}

/* Copies the line into p->line and splits it at tabs; *out_n is the field count. */
static int split(struct parser *p, char *field[MAX_FIELDS + 1], size_t *out_n,
		 size_t pos, size_t n)
{
	char *c;

	if (memchr(p->data + pos, 0, n))
		return fail(p, -EBADMSG, "NUL byte in a record (garbled)");
	if (n + 1 > p->line_cap) {
		p->line_cap = n + 1;
		p->line = xb_realloc(p->line, p->line_cap);
	}
	memcpy(p->line, p->data + pos, n);
	p->line[n] = 0;
	*out_n = 0;
	for (c = p->line; c; ) {
		char *tab = strchr(c, '\t');

		if (*out_n <= MAX_FIELDS)
			field[*out_n] = c;
		(*out_n)++;
		if (tab)
			*tab++ = 0;
		c = tab;
	}
	return 0;
}

/* The end line: "end", nrecords, crc. Checks count and CRC of what precedes it. */
static int check_end(struct parser *p, size_t pos, size_t n, size_t nrecords)
{
	char *f[MAX_FIELDS + 1];
	unsigned long long count;
	uint32_t want, got;
	size_t nf;
	int rc;

	rc = split(p, f, &nf, pos, n);
	if (rc)
		return rc;
	if (nf != 3)
		return fail(p, -EBADMSG, "end marker has %zu fields, expected 3 (garbled)", nf);
	if (!parse_uint(&count, f[1], SIZE_MAX))
		return fail_quoted(p, "bad record count in end marker", f[1]);
	if (strlen(f[2]) != 8 || strspn(f[2], "0123456789abcdef") != 8)
		return fail_quoted(p, "bad CRC in end marker", f[2]);
	want = (uint32_t)strtoul(f[2], NULL, 16);
	got = xb_crc32(0, p->data, pos);
	if (want != got)
		return fail(p, -EBADMSG, "CRC mismatch: end marker says %08x, stream has %08x "
			    "(garbled)", (unsigned)want, (unsigned)got);
	if (count != nrecords)
		return fail(p, -EBADMSG, "record count mismatch: end marker says %llu, "
			    "stream has %zu (garbled)", count, nrecords);
	return 0;
}

/*
 * First pass: framing. *out_body is where records start, *out_nrecords how
 * many lines lie between the magic line and the end line.
 */
static int check_frame(struct parser *p, size_t *out_body, size_t *out_nrecords)
{
	size_t pos = 0, nrecords = 0;
	long long n;
	int rc;

	p->lineno = 0;
	rc = check_magic(p, &pos);
	if (rc)
		return rc;
	p->lineno = 1;
	*out_body = pos;
	for (;;) {
		p->lineno++;
		if (pos == p->len) {
			p->lineno = 0;
			return fail(p, -ENODATA, "truncated: no end marker after %zu records",
				    nrecords);
		}
		n = line_at(p, pos, nrecords);
		if (n < 0)
			return (int)n;
		if ((n == 3 || (n > 3 && p->data[pos + 3] == '\t')) &&
		    !memcmp(p->data + pos, "end", 3))
			break;
		nrecords++;
		pos += (size_t)n + 1;
	}
	if (pos + (size_t)n + 1 != p->len)
		return fail(p, -EBADMSG, "%zu bytes after the end marker (garbled)",
			    p->len - (pos + (size_t)n + 1));
	*out_nrecords = nrecords;
	return check_end(p, pos, (size_t)n, nrecords);
}

static int parse_hdr(struct parser *p, char **f)
{
	if (!*f[2])
		return fail(p, -EBADMSG, "hdr record with an empty key");
	xb_stream_set_hdr(p->s, f[2], f[3]);
	return 0;
}

static int parse_met(struct parser *p, char **f)
{
	if (!*f[2])
		return fail(p, -EBADMSG, "met record with an empty metric name");
	if (strcmp(f[4], "lower") && strcmp(f[4], "higher") && strcmp(f[4], "none"))
		return fail_quoted(p, "metric direction is not lower, higher or none:", f[4]);
	if (xb_stream_add_metric(p->s, f[2], f[3], f[4], f[5]))
		return fail_quoted(p, "declared twice with a different unit or "
				   "direction: metric", f[2]);
	return 0;
}

/* A decimal number as printf's %g writes it: no inf, nan, hex or spaces. */
static bool parse_sample(double *out, const char *tok)
{
	char *end;

	if (!*tok || strspn(tok, "0123456789+-.eE") != strlen(tok))
		return false;
	*out = strtod(tok, &end);
	return *end == 0 && isfinite(*out);
}

static int append_samples(struct parser *p, struct xb_stream_series *sr, char *list,
			  size_t n)
{
	size_t got = 0;
	char *tok = list;

	xb_stream_series_reserve(sr, n);
	while (tok) {
		char *comma = strchr(tok, ',');

		if (comma)
			*comma++ = 0;
		if (got == n)
			return fail(p, -EBADMSG, "more samples than the %zu announced", n);
		if (!parse_sample(&sr->v[sr->n + got], tok))
			return fail_quoted(p, "sample is not a finite number:", tok);
		got++;
		tok = comma;
	}
	if (got != n)
		return fail(p, -EBADMSG, "%zu samples where %zu were announced", got, n);
	sr->n += n;
	return 0;
}

static int parse_smp(struct parser *p, char **f)
{
	unsigned long long rep, n;

	if (!xb_stream_find_metric(p->s, f[2]))
		return fail_quoted(p, "samples of an undeclared metric", f[2]);
	if (!parse_uint(&rep, f[3], INT_MAX))
		return fail_quoted(p, "bad repetition number", f[3]);
	/* Each value takes at least two bytes with its comma: bounds the allocation. */
	if (!parse_uint(&n, f[4], XB_STREAM_MAX_LINE / 2 + 1))
		return fail_quoted(p, "bad sample count", f[4]);
	if (n == 0) {
		if (*f[5])
			return fail(p, -EBADMSG, "samples where 0 were announced");
		return 0;
	}
	return append_samples(p, xb_stream_series(p->s, f[2], (int)rep), f[5], (size_t)n);
}

static int parse_note(struct parser *p, char **f)
{
	xb_stream_add_note(p->s, f[2], f[3], f[4]);
	return 0;
}

static const struct {
	const char *type;
	size_t nfields;
	int (*parse)(struct parser *p, char **f);
} record_types[] = {
	{ "hdr", 4, parse_hdr },
	{ "met", 6, parse_met },
	{ "smp", 6, parse_smp },
	{ "note", 5, parse_note },
};

static int parse_record(struct parser *p, size_t pos, size_t len, size_t seq)
{
	char *f[MAX_FIELDS + 1];
	unsigned long long got;
	size_t nf, t;
	int rc;

	rc = split(p, f, &nf, pos, len);
	if (rc)
		return rc;
	for (t = 0; t < XB_ARRAY_SIZE(record_types); t++)
		if (!strcmp(f[0], record_types[t].type))
			break;
	if (t == XB_ARRAY_SIZE(record_types))
		return fail_quoted(p, "unknown record type", f[0]);
	if (nf < 2 || !parse_uint(&got, f[1], SIZE_MAX))
		return fail(p, -EBADMSG, "%s record without a valid seq", f[0]);
	if (got != seq)
		return fail(p, -EBADMSG, "seq %llu out of order, expected %zu "
			    "(record dropped or repeated)", got, seq);
	if (nf != record_types[t].nfields)
		return fail(p, -EBADMSG, "%s record has %zu fields, expected %zu",
			    f[0], nf, record_types[t].nfields);
	for (size_t i = 2; i < nf; i++)
		if (!unescape(f[i]))
			return fail(p, -EBADMSG, "bad escape in field %zu of a %s record",
				    i + 1, f[0]);
	return record_types[t].parse(p, f);
}

static int parse_records(struct parser *p, size_t pos, size_t nrecords)
{
	int rc;

	p->lineno = 1;
	for (size_t seq = 1; seq <= nrecords; seq++) {
		const char *nl = memchr(p->data + pos, '\n', p->len - pos);
		size_t n = (size_t)(nl - (p->data + pos));

		p->lineno++;
		rc = parse_record(p, pos, n, seq);
		if (rc)
			return rc;
		pos += n + 1;
	}
	p->s->nrecords = nrecords;
	return 0;
}

int xb_stream_parse(struct xb_stream **out, const char *data, size_t len)
{
	struct parser p = { .data = data, .len = len };
	size_t body = 0, nrecords = 0;
	int rc;

	*out = NULL;
	if (!len)
		return fail(&p, -ENODATA, "empty stream");
	p.s = xb_stream_new();
	rc = check_frame(&p, &body, &nrecords);
	if (rc)
		goto out;
	rc = parse_records(&p, body, nrecords);
	if (rc)
		goto out;
	*out = p.s;
	p.s = NULL;
out:
	xb_stream_free(p.s);
	free(p.line);
	return rc;
}

void xb_stream_free(struct xb_stream *s)
{
	if (!s)
		return;
	xb_kv_free(&s->hdr);
	for (size_t i = 0; i < s->nmetrics; i++) {
		free(s->metrics[i].name);
		free(s->metrics[i].unit);
		free(s->metrics[i].direction);
		free(s->metrics[i].description);
	}
	free(s->metrics);
	for (size_t i = 0; i < s->nseries; i++) {
		free(s->series[i].metric);
		free(s->series[i].v);
	}
	free(s->series);
	for (size_t i = 0; i < s->nnotes; i++) {
		free(s->notes[i].kind);
		free(s->notes[i].subject);
		free(s->notes[i].text);
	}
	free(s->notes);
	if (s->ix) {
		index_free(&s->ix->hdr);
		index_free(&s->ix->metric);
		index_free(&s->ix->series);
		free(s->ix);
	}
	free(s);
}

const struct xb_stream_metric *xb_stream_find_metric(const struct xb_stream *s,
						     const char *name)
{
	const size_t *i = index_find(&s->ix->metric, name, 0);

	return i ? &s->metrics[*i] : NULL;
}
