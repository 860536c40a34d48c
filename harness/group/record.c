// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "error.h"
#include "record.h"

void xb_record1(struct xb_stream *s, const char *pfx, const char *what, const char *unit,
		const char *dir, const char *desc, int rep, double v)
{
	char name[200];

	snprintf(name, sizeof(name), "%s.%s", pfx, what);
	xb_stream_add_metric(s, name, unit, dir, desc);
	xb_stream_add_samples(s, name, rep, &v, 1);
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
			xb_stream_add_note(s, n->kind, n->subject, n->text);
	}
	for (size_t k = 0; k < g->nseries && !rc; k++) {
		const struct xb_stream_series *se = &g->series[k];
		const struct xb_stream_metric *m = xb_stream_find_metric(g, se->metric);
		char name[200];

		if (ops && ops->series && !ops->series(ops->ctx, se))
			continue;
		snprintf(name, sizeof(name), "%s.%s", pfx, se->metric);
		xb_stream_add_metric(s, name, m->unit, m->direction, m->description);
		xb_stream_add_samples(s, name, (int)idx, se->v, se->n);
	}
out:
	xb_stream_free(g);
	free(data);
	return rc;
}
