// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "error.h"
#include "group.h"

int xb_group_start(struct xb_group *out, const struct xb_group_opts *o)
{
	out->n = o->n;
	out->g = xb_calloc(o->n, sizeof(*out->g));
	for (unsigned i = 0; i < o->n; i++) {
		struct xb_group_guest *g = &out->g[i];
		struct xb_qemu_opts q = *o->q;
		bool first = !i && o->first_append;
		char *append = xb_asprintf("%s%s%s", q.append, first ? " " : "",
					   first ? o->first_append : "");
		int rc;

		g->console = xb_asprintf("%s-g%u-console.log", o->files, i);
		g->stream = xb_asprintf("%s-g%u-stream", o->files, i);
		g->qlog = xb_asprintf("%s-g%u-qemu.log", o->files, i);
		q.append = append;
		q.console_path = g->console;
		q.stream_path = g->stream;
		q.stderr_path = g->qlog;
		rc = xb_qemu_spawn(&g->pid, &q);
		free(append);
		if (rc)
			return xb_error_set(rc, "QEMU of guest %u could not be started: %s", i,
					    strerror(-rc));
	}
	return 0;
}

/* One guest's state: ready, failed (the error set, -EIO) or still booting. */
static int poll_guest(struct xb_group_guest *g, unsigned i)
{
	char *tail = g->ready ? NULL : xb_file_tail(g->console, 8);
	int status, rc = 0;

	if (tail && strstr(tail, XB_GROUP_READY))
		g->ready = true;
	else if (tail && (strstr(tail, XB_GROUP_FAILED) || strstr(tail, "Kernel panic")))
		rc = xb_error_set(-EIO, "guest %u failed: %s", i, xb_trim(tail));
	else if (!g->ready && waitpid(g->pid, &status, WNOHANG) == g->pid) {
		char *e = xb_file_tail(g->qlog, 2);

		g->pid = 0;
		rc = xb_error_set(-EIO, "QEMU of guest %u exited: %s", i, e ? xb_trim(e) : "?");
		free(e);
	}
	free(tail);
	return rc;
}

int xb_group_wait(struct xb_group *g, const struct xb_group_opts *o)
{
	double t0 = xb_monotonic();

	for (;;) {
		unsigned ready = 0;
		int rc;

		for (unsigned i = 0; i < g->n; i++) {
			rc = poll_guest(&g->g[i], i);
			if (rc)
				return rc;
			ready += g->g[i].ready;
		}
		if (ready == g->n)
			return 0;
		if (xb_interrupted)
			return xb_error_set(-EINTR, "interrupted: daxbench received a signal and stopped the guests");
		if (xb_monotonic() - t0 > o->timeout_s)
			return xb_error_set(-ETIMEDOUT, "%u of %u guests not ready within %.0f s",
					    g->n - ready, g->n, o->timeout_s);
		if (o->progress)
			o->progress(o->ctx, ready, g->n, xb_monotonic() - t0);
		else
			xb_progress("%s: %u/%u guests ready, %.0f s", o->label, ready, g->n,
				    xb_monotonic() - t0);
		usleep(200000);
	}
}

void xb_group_stop(struct xb_group *g)
{
	for (unsigned i = 0; i < g->n; i++) {
		if (g->g[i].pid > 0)
			xb_qemu_stop(g->g[i].pid);
		g->g[i].pid = 0;
	}
}

void xb_group_free(struct xb_group *g)
{
	if (!g->g)
		return;
	xb_group_stop(g);
	for (unsigned i = 0; i < g->n; i++) {
		free(g->g[i].console);
		free(g->g[i].stream);
		free(g->g[i].qlog);
	}
	free(g->g);
	memset(g, 0, sizeof(*g));
}
