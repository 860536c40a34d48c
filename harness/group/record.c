// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "error.h"
#include "record.h"
#include "stream-format.h"

/* Arrays grow as the parser's do: doubled at each power of two. */
#define GROW(arr, n) do {							\
	if (!((n) & ((n) - 1)))							\
		(arr) = xb_realloc((arr), ((n) ? 2 * (n) : 1) * sizeof(*(arr)));	\
} while (0)

struct xb_stream *xb_record_new(void)
{
	struct xb_stream *s = xb_calloc(1, sizeof(*s));

	s->version = XB_STREAM_VERSION;
	return s;
}

void xb_record_hdr(struct xb_stream *s, const char *key, const char *value)
{
	xb_kv_set(&s->hdr, key, value);
}

void xb_record_metric(struct xb_stream *s, const char *name, const char *unit,
		      const char *direction, const char *description)
{
	struct xb_stream_metric *m;

	if (xb_stream_find_metric(s, name))
		return;
	GROW(s->metrics, s->nmetrics);
	m = &s->metrics[s->nmetrics++];
	m->name = xb_strdup(name);
	m->unit = xb_strdup(unit);
	m->direction = xb_strdup(direction);
	m->description = xb_strdup(description);
}

static struct xb_stream_series *series_get(struct xb_stream *s, const char *metric, int rep)
{
	struct xb_stream_series *sr;

	for (size_t i = 0; i < s->nseries; i++)
		if (s->series[i].rep == rep && !strcmp(s->series[i].metric, metric))
			return &s->series[i];
	GROW(s->series, s->nseries);
	sr = &s->series[s->nseries++];
	memset(sr, 0, sizeof(*sr));
	sr->metric = xb_strdup(metric);
	sr->rep = rep;
	return sr;
}

int xb_record_samples(struct xb_stream *s, const char *metric, int rep, const double *v,
		      size_t n)
{
	struct xb_stream_series *sr;

	if (rep < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return -EINVAL;
	if (!n)
		return 0;
	sr = series_get(s, metric, rep);
	if (sr->n + n > sr->cap) {
		sr->cap = sr->n + n > 2 * sr->cap ? sr->n + n : 2 * sr->cap;
		sr->v = xb_realloc(sr->v, sr->cap * sizeof(*sr->v));
	}
	memcpy(sr->v + sr->n, v, n * sizeof(*v));
	sr->n += n;
	return 0;
}

void xb_record_note(struct xb_stream *s, const char *kind, const char *subject,
		    const char *text)
{
	struct xb_stream_note *nt;

	GROW(s->notes, s->nnotes);
	nt = &s->notes[s->nnotes++];
	nt->kind = xb_strdup(kind);
	nt->subject = xb_strdup(subject);
	nt->text = xb_strdup(text);
}

void xb_record1(struct xb_stream *s, const char *pfx, const char *what, const char *unit,
		const char *dir, const char *desc, int rep, double v)
{
	char name[200];

	snprintf(name, sizeof(name), "%s.%s", pfx, what);
	xb_record_metric(s, name, unit, dir, desc);
	xb_record_samples(s, name, rep, &v, 1);
}

void xb_record_smaps(struct xb_stream *s, const char *pfx, const char *what, const char *of,
		     int rep, const struct xb_smaps_fig *f)
{
	char name[64], desc[160];

	for (size_t i = 0; xb_smaps_fields[i]; i++) {
		const struct xb_smaps_field *k = xb_smaps_fields[i];

		snprintf(name, sizeof(name), "%s.%s.kib", what, k->name);
		snprintf(desc, sizeof(desc), "%s: %s", of, k->field);
		xb_record1(s, pfx, name, "KiB", k->direction, desc, rep,
			   *(const double *)((const char *)f + k->off));
	}
}

int xb_record_take_guest(struct xb_stream *s, const char *pfx, unsigned idx, const char *path,
			 const struct xb_take_ops *ops)
{
	struct xb_stream *g = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc = 0;

	if (xb_read_file(&data, &len, path)) {
		rc = xb_error_set(-EBADMSG, "guest %u: results stream unreadable: missing", idx);
		goto out;
	}
	if (xb_stream_parse(&g, data, len)) {
		rc = xb_error_wrap(-EBADMSG, "guest %u: results stream unreadable", idx);
		goto out;
	}
	for (size_t k = 0; k < g->nnotes && !rc; k++) {
		const struct xb_stream_note *n = &g->notes[k];
		bool taken = false;

		if (!strcmp(n->kind, "error"))
			rc = xb_error_set(-EIO, "guest %u: error in %s: %s", idx, n->subject, n->text);
		else if (ops && ops->note)
			rc = ops->note(ops->ctx, g, n, &taken);
		if (!rc && !taken)
			xb_record_note(s, n->kind, n->subject, n->text);
	}
	for (size_t k = 0; k < g->nseries && !rc; k++) {
		const struct xb_stream_series *se = &g->series[k];
		const struct xb_stream_metric *m = xb_stream_find_metric(g, se->metric);
		char name[200];

		if (ops && ops->series && !ops->series(ops->ctx, se))
			continue;
		snprintf(name, sizeof(name), "%s.%s", pfx, se->metric);
		xb_record_metric(s, name, m->unit, m->direction, m->description);
		xb_record_samples(s, name, (int)idx, se->v, se->n);
	}
out:
	xb_stream_free(g);
	free(data);
	return rc;
}
