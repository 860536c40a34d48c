// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "guest-stream.h"

void xb_emit1(struct xb_stream_writer *w, const char *pfx, const char *what, const char *unit,
	      const char *dir, const char *desc, int rep, double v)
{
	char name[200];

	snprintf(name, sizeof(name), "%s.%s", pfx, what);
	xb_stream_write_metric(w, name, unit, dir, desc);
	xb_stream_write_samples(w, name, rep, &v, 1);
}

void xb_emit_smaps(struct xb_stream_writer *w, const char *pfx, const char *what,
		   const char *of, int rep, const struct xb_smaps_fig *f)
{
	char name[64], desc[160];

	for (size_t i = 0; xb_smaps_fields[i]; i++) {
		const struct xb_smaps_field *k = xb_smaps_fields[i];

		snprintf(name, sizeof(name), "%s.%s.kib", what, k->name);
		snprintf(desc, sizeof(desc), "%s: %s", of, k->field);
		xb_emit1(w, pfx, name, "KiB", k->direction, desc, rep,
			 *(const double *)((const char *)f + k->off));
	}
}

char *xb_take_guest_stream(struct xb_stream_writer *w, const char *pfx, unsigned idx,
			   const char *path, const struct xb_take_ops *ops)
{
	struct xb_stream *s = NULL;
	struct xb_buf err = { 0 };
	char *data = NULL, *reason = NULL;
	size_t len = 0;

	if (xb_read_file(&data, &len, path) || xb_stream_parse(&s, data, len, &err)) {
		reason = xb_asprintf("guest %u: results stream unreadable: %s", idx,
				     err.p ? err.p : "missing");
		goto out;
	}
	for (size_t k = 0; k < s->nnotes && !reason; k++) {
		const struct xb_stream_note *n = &s->notes[k];
		bool taken = false;

		if (!strcmp(n->kind, "error"))
			reason = xb_asprintf("guest %u: error in %s: %s", idx, n->subject, n->text);
		else if (ops && ops->note)
			reason = ops->note(ops->ctx, s, n, &taken);
		if (!reason && !taken && strcmp(n->kind, "error"))
			xb_stream_write_note(w, n->kind, n->subject, n->text);
	}
	for (size_t k = 0; k < s->nseries && !reason; k++) {
		const struct xb_stream_series *se = &s->series[k];
		const struct xb_stream_metric *m = xb_stream_find_metric(s, se->metric);
		char name[200];

		if (ops && ops->series && !ops->series(ops->ctx, se))
			continue;
		snprintf(name, sizeof(name), "%s.%s", pfx, se->metric);
		xb_stream_write_metric(w, name, m->unit, m->direction, m->description);
		xb_stream_write_samples(w, name, (int)idx, se->v, se->n);
	}
out:
	xb_stream_free(s);
	xb_buf_free(&err);
	free(data);
	return reason;
}
