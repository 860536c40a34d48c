// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "guest-stream.h"
#include "segshare.h"
#include "stream.h"

#define READY "daxbench-share-guest: ready"
#define FAILED "daxbench-share-guest: failed"

struct guest {
	pid_t pid;
	char *console, *stream, *qlog;
	bool ready;
};

static char *start(const struct xb_segshare_opts *o, struct guest *g)
{
	for (unsigned i = 0; i < o->n; i++) {
		struct xb_qemu_opts q = *o->q;
		char *pfx = xb_asprintf("%s/share-g%u", o->dir, i);
		char *append = xb_asprintf("%s%s%s", q.append, i || !o->exec_append ? "" : " ",
					   i || !o->exec_append ? "" : o->exec_append);
		int rc;

		g[i].console = xb_asprintf("%s-console.log", pfx);
		g[i].stream = xb_asprintf("%s-stream", pfx);
		g[i].qlog = xb_asprintf("%s-qemu.log", pfx);
		q.append = append;
		q.console_path = g[i].console;
		q.stream_path = g[i].stream;
		q.stderr_path = g[i].qlog;
		rc = xb_qemu_spawn(&g[i].pid, &q);
		free(append);
		free(pfx);
		if (rc)
			return xb_asprintf("QEMU of guest %u could not be started: %s", i,
					   strerror(-rc));
	}
	return NULL;
}

/* Poll until every guest said ready; a failure, exit, timeout or signal
 * ends the wait with a reason. */
static char *wait_ready(const struct xb_segshare_opts *o, struct guest *g)
{
	double t0 = xb_monotonic();

	for (;;) {
		unsigned ready = 0;

		for (unsigned i = 0; i < o->n; i++) {
			char *tail = g[i].ready ? NULL : xb_file_tail(g[i].console, 8);
			char *reason = NULL;
			int status;

			if (tail && strstr(tail, READY))
				g[i].ready = true;
			else if (tail && (strstr(tail, FAILED) || strstr(tail, "Kernel panic")))
				reason = xb_asprintf("guest %u failed: %s", i, xb_trim(tail));
			else if (!g[i].ready && waitpid(g[i].pid, &status, WNOHANG) == g[i].pid) {
				char *e = xb_file_tail(g[i].qlog, 2);

				g[i].pid = 0;
				reason = xb_asprintf("QEMU of guest %u exited: %s", i,
						     e ? xb_trim(e) : "?");
				free(e);
			}
			free(tail);
			if (reason)
				return reason;
			ready += g[i].ready;
		}
		if (ready == o->n)
			return NULL;
		if (xb_interrupted)
			return xb_strdup("interrupted: daxbench received a signal and stopped the guests");
		if (xb_monotonic() - t0 > o->timeout_s)
			return xb_asprintf("%u of %u sharing guests not ready within %.0f s",
					   o->n - ready, o->n, o->timeout_s);
		xb_progress("sharing: %u/%u guests ready, %.0f s", ready, o->n,
			    xb_monotonic() - t0);
		usleep(200000);
	}
}

/* Host figures while all guests live. */
static char *measure(const struct xb_segshare_opts *o, struct guest *g, const char *file,
		     struct xb_stream_writer *w)
{
	struct xb_smaps_fig f, s;
	double pss = 0, seg_pss = 0, seg_rss = 0, cached = 0;

	for (unsigned i = 0; i < o->n; i++) {
		if (xb_smaps_rollup(&f, g[i].pid))
			return xb_asprintf("guest %u: QEMU's smaps_rollup unreadable", i);
		if (xb_smaps_mapping(&s, g[i].pid, file))
			return xb_asprintf("guest %u: QEMU does not map the segment file %s", i, file);
		xb_emit_smaps(w, o->prefix, "qemu", "QEMU smaps_rollup", (int)i, &f);
		xb_emit_smaps(w, o->prefix, "segment", "QEMU's mapping of the segment file (smaps)",
			 (int)i, &s);
		pss += f.pss;
		seg_pss += s.pss;
		seg_rss += s.rss;
	}
	xb_emit1(w, o->prefix, "host.pss_sum.kib", "KiB", "lower",
	     "host memory of the group: sum of the QEMUs' Pss", 0, pss);
	xb_emit1(w, o->prefix, "host.segment_pss_sum.kib", "KiB", "lower",
	     "sum of the QEMUs' Pss of the segment mapping", 0, seg_pss);
	xb_emit1(w, o->prefix, "host.segment_rss_sum.kib", "KiB", "none",
	     "sum of the QEMUs' Rss of the segment mapping (what it would cost unshared)", 0,
	     seg_rss);
	if (xb_file_cached_kib(&cached, file))
		return xb_strdup("mincore of the segment file failed");
	xb_emit1(w, o->prefix, "host.image_cached.kib", "KiB", "none",
	     "host page cache held for the segment file (mincore)", 0, cached);
	return NULL;
}

char *xb_segshare_run(const struct xb_segshare_opts *o, struct xb_stream_writer *w)
{
	struct guest *g = xb_calloc(o->n, sizeof(*g));
	char *file = realpath(o->shared_file, NULL), *reason;

	if (!file) {
		reason = xb_asprintf("segment file %s: %s", o->shared_file, strerror(errno));
		goto out;
	}
	reason = start(o, g);
	if (!reason)
		reason = wait_ready(o, g);
	if (!reason)
		reason = measure(o, g, file, w);
	xb_progress_done();
	for (unsigned i = 0; i < o->n; i++) {   /* stopped now: the figures are taken */
		if (g[i].pid > 0)
			xb_qemu_stop(g[i].pid);
		g[i].pid = 0;
	}
	for (unsigned i = 0; i < o->n && !reason; i++)
		reason = xb_take_guest_stream(w, o->prefix, i, g[i].stream, NULL);
out:
	for (unsigned i = 0; i < o->n; i++) {
		if (g[i].pid > 0)
			xb_qemu_stop(g[i].pid);
		free(g[i].console);
		free(g[i].stream);
		free(g[i].qlog);
	}
	free(g);
	free(file);
	return reason;
}
