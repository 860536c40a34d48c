// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench share: the exec startup cross-check - hyperfine's --export-json
 * from a guest against the in-guest timer on the same command line.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "error.h"
#include "hyperfine-json.h"
#include "share.h"


/* hyperfine's --export-json (a guest note "hyperfine.<prog>") against the
 * in-guest timer's warm samples of the same program. */
int xb_share_crosscheck(struct xb_share_group *g, const char *pfx, unsigned idx,
			const struct xb_stream *s, const struct xb_stream_note *note)
{
	const char *prog = note->subject + strlen("hyperfine.");
	char name[200], warm[160], dname[160];
	const struct xb_stream_series *se = NULL;
	double *v = NULL, hf, timer, diff, drift = NAN;
	size_t n = 0;
	int rc = 0;

	if (xb_hyperfine_times(&v, &n, note->text)) {
		rc = xb_error_set(-EBADMSG, "guest %u: %s for %s", idx, xb_error_last(), prog);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		v[i] *= 1e6;
	snprintf(name, sizeof(name), "%s.exec.%s.hyperfine.us", pfx, prog);
	xb_stream_add_metric(g->rec, name, "us", "lower",
			 "hyperfine --shell=none --warmup 1 '/bin/chroot MNT prog' (includes busybox chroot's exec)");
	xb_stream_add_samples(g->rec, name, (int)idx, v, n);
	/* like for like: the in-guest timer on hyperfine's own command line */
	snprintf(warm, sizeof(warm), "exec.%s.cmd.warm.us", prog);
	snprintf(dname, sizeof(dname), "exec.%s.cmd.drift.pct", prog);
	for (size_t k = 0; k < s->nseries; k++)
		if (!strcmp(s->series[k].metric, warm))
			se = &s->series[k];
		else if (!strcmp(s->series[k].metric, dname) && s->series[k].n)
			drift = s->series[k].v[0];
	if (!se)
		goto out;
	hf = xb_median(v, n);
	timer = xb_median(se->v, se->n);
	diff = 100 * (hf - timer) / timer;
	snprintf(name, sizeof(name), "%s.exec.%s.hyperfine_vs_timer.pct", pfx, prog);
	xb_stream_add_metric(g->rec, name, "%", "none",
			 "hyperfine median minus the in-guest timer's on the same command line, relative");
	xb_stream_add_samples(g->rec, name, (int)idx, &diff, 1);
	if (fabs(diff) > 100 * XB_SHARE_CROSSCHECK_LIMIT) {
		char *text = xb_asprintf("%s: hyperfine %.0f us vs in-guest timer %.0f us on the same command line (medians, n=%zu/%zu): %+.0f%%, beyond %.0f%% (the timer's own drift across the check: %+.0f%%)",
					 prog, hf, timer, n, se->n, diff, 100 * XB_SHARE_CROSSCHECK_LIMIT, drift);

		xb_warn("%s %s", pfx, text);
		xb_stream_add_note(g->rec, "warning", "exec.crosscheck", text);
		free(text);
	}
out:
	free(v);
	return rc;
}
