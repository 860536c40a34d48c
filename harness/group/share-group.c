// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench share: one group of N guests - boot them at once, wait until
 * each says ready (progress with time left), have the host measure, stop
 * them, and take each guest's own results stream into the group's.
 */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "common.h"
#include "error.h"
#include "qemu.h"
#include "share.h"
#include "guest-stream.h"

const char *xb_share_image(const struct share_ctx *c, const struct xb_share_mode *m)
{
	return strcmp(m->fs, "erofs") ? c->img.ext4 : c->img.erofs;
}

uint64_t xb_share_image_size(const struct share_ctx *c, const struct xb_share_mode *m)
{
	return strcmp(m->fs, "erofs") ? c->img.ext4_size : c->img.erofs_size;
}

static int start_guests(struct share_ctx *c, struct group *g, struct guest_proc *gp)
{
	struct xb_argv extra = { 0 };
	char *mem_extra = NULL, *append;
	int rc = 0;

	xb_share_mode_args(&extra, &mem_extra, g->mode, xb_share_image(c, g->mode),
			   xb_share_image_size(c, g->mode));
	/* no_timer_check: on a loaded host a TCG vCPU can miss the IO-APIC
	 * timer check at boot and panic ("IO-APIC + timer doesn't work!") */
	append = xb_asprintf("console=ttyS0 panic=-1 loglevel=4 no_timer_check daxbench.mode=%s daxbench.dev=%s "
			     "daxbench.fs=%s%s", g->mode->guest_mode, g->mode->guest_dev, g->mode->fs,
			     g->exec ? " daxbench.exec=1 daxbench.read=0" : "");
	for (unsigned i = 0; !rc && i < g->n; i++) {
		struct xb_qemu_opts q = {
			.binary = c->qemu, .accel = "tcg", .kernel = c->kernel->vmlinuz,
			.initrd = c->initrd, .append = append, .mem_mb = GUEST_MEM_MB,
			.mem_extra = mem_extra, .smp = 1, .extra = &extra, .icount = c->o.icount,
		};
		char *pfx = g->exec ? xb_asprintf("%s/%s-exec-g%u", c->artifacts, g->mode->name, i) :
			    xb_asprintf("%s/%s-n%u-g%u", c->artifacts, g->mode->name, g->n, i);

		gp[i].console = xb_asprintf("%s-console.log", pfx);
		gp[i].stream = xb_asprintf("%s-stream", pfx);
		gp[i].qlog = xb_asprintf("%s-qemu.log", pfx);
		q.console_path = gp[i].console;
		q.stream_path = gp[i].stream;
		q.stderr_path = gp[i].qlog;
		rc = xb_qemu_spawn(&gp[i].pid, &q);
		free(pfx);
	}
	free(append);
	free(mem_extra);
	xb_argv_free(&extra);
	return rc;
}

/* Estimated seconds left: the elapsed time per guest so far times the
 * guests still to boot. */
static double time_left(const struct share_ctx *c, unsigned booted)
{
	unsigned total = 0;

	for (unsigned n = c->o.min_guests; n <= c->o.max_guests; n++)
		total += n;
	total += c->o.exec;     /* the exec boot */
	total *= (unsigned)c->nmodes;
	if (!booted)
		return NAN;
	return (xb_monotonic() - c->t_start) / booted * (total - booted);
}

/* Poll until every guest said ready; the first failure, exit, timeout or
 * signal ends the wait with a reason. */
static char *wait_ready(struct share_ctx *c, struct group *g, struct guest_proc *gp,
			unsigned booted)
{
	double t0 = xb_monotonic();

	for (;;) {
		unsigned ready = 0;

		for (unsigned i = 0; i < g->n; i++) {
			char *tail = gp[i].ready ? NULL : xb_file_tail(gp[i].console, 5);
			int status;

			if (tail && strstr(tail, READY))
				gp[i].ready = true;
			else if (tail && (strstr(tail, "daxbench-share-guest: failed") ||
					  strstr(tail, "Kernel panic")))
				gp[i].fail = xb_asprintf("guest %u failed: %s", i, xb_trim(tail));
			free(tail);
			if (!gp[i].ready && !gp[i].fail &&
			    waitpid(gp[i].pid, &status, WNOHANG) == gp[i].pid) {
				char *e = xb_file_tail(gp[i].qlog, 2);

				gp[i].pid = 0;
				gp[i].fail = xb_asprintf("QEMU of guest %u exited: %s", i,
							 e ? xb_trim(e) : "?");
				free(e);
			}
			if (gp[i].fail)
				return xb_strdup(gp[i].fail);
			ready += gp[i].ready;
		}
		if (ready == g->n)
			return NULL;
		if (xb_interrupted)
			return xb_strdup("interrupted: daxbench received a signal and stopped the guests");
		if (xb_monotonic() - t0 > c->o.timeout_s)
			return xb_asprintf("%u of %u guests not ready within %u s", g->n - ready, g->n,
					   c->o.timeout_s);
		double left = time_left(c, booted + ready);
		const char *what = g->exec ? "exec startup, N=" : "N=";

		if (isnan(left))
			xb_progress("mode %s, %s%u: %u/%u guests ready, %.0f s", g->mode->name,
				    what, g->n, ready, g->n, xb_monotonic() - t0);
		else
			xb_progress("mode %s, %s%u: %u/%u guests ready, %.0f s; about %.0f s left",
				    g->mode->name, what, g->n, ready, g->n, xb_monotonic() - t0, left);
		usleep(200000);
	}
}

/* A guest's own stream, re-emitted under the group's prefix with rep =
 * guest index (guest-stream.c); hyperfine's notes become the cross-check,
 * and the means feed the derived figures. */
struct take_ctx {
	struct group *g;
	const char *pfx;
	unsigned idx;
};

static char *take_note(void *ctx, const struct xb_stream *s, const struct xb_stream_note *n,
		       bool *taken)
{
	struct take_ctx *t = ctx;

	if (strncmp(n->subject, "hyperfine.", 10) || strcmp(n->kind, "info"))
		return NULL;
	*taken = true;
	return xb_share_crosscheck(t->g, t->pfx, t->idx, s, n);
}

static bool take_series(void *ctx, const struct xb_stream_series *se)
{
	struct group *g = ((struct take_ctx *)ctx)->g;

	/* the exec boot gives exec figures only: its memory is not a group's */
	if (g->exec != !strncmp(se->metric, "exec.", 5))
		return false;
	if (!strcmp(se->metric, "workload.read.bytes"))
		g->read_bytes += se->v[0] / g->n;
	if (!strcmp(se->metric, "guest.vmemmap.kib"))
		g->vmemmap_kib += se->v[0] / g->n;
	if (!strcmp(se->metric, "guest.region.bytes"))
		g->region_bytes = se->v[0];
	return true;
}

static char *take_guest_stream(struct group *g, const char *pfx, unsigned idx,
			       const char *path)
{
	struct take_ctx t = { .g = g, .pfx = pfx, .idx = idx };
	const struct xb_take_ops ops = { .note = take_note, .series = take_series, .ctx = &t };

	return xb_take_guest_stream(g->w, pfx, idx, path, &ops);
}

static void free_procs(struct guest_proc *gp, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (gp[i].pid > 0)
			xb_qemu_stop(gp[i].pid);
		free(gp[i].console);
		free(gp[i].stream);
		free(gp[i].qlog);
		free(gp[i].fail);
	}
	free(gp);
}

/* One group: boot, wait, measure, stop, collect. The reason of a failure
 * or NULL. */
char *xb_share_run_group(struct share_ctx *c, struct group *g, unsigned booted)
{
	struct guest_proc *gp = xb_calloc(g->n, sizeof(*gp));
	char *pfx = xb_asprintf("share.%s.n%u", g->mode->name, g->n), *reason = NULL;
	double avail0 = xb_meminfo_kib("/proc/meminfo", "MemAvailable");
	int rc;

	g->stream_path = g->exec ? xb_asprintf("%s/%s-exec-stream", c->artifacts, g->mode->name) :
			 xb_asprintf("%s/%s-n%u-stream", c->artifacts, g->mode->name, g->n);
	g->fd = open(g->stream_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (g->fd < 0 || xb_stream_writer_open(&g->w, g->fd)) {
		reason = xb_asprintf("cannot write %s", g->stream_path);
		goto out;
	}
	g->boot.started = xb_now();
	if (g->mode->ksm && !g->exec && xb_share_ksm_on(c)) {
		reason = xb_strdup("host KSM could not be switched on");
		goto out;
	}
	rc = start_guests(c, g, gp);
	if (!rc)
		reason = wait_ready(c, g, gp, booted);
	else
		reason = xb_asprintf("QEMU could not be started: %s", xb_error_last());
	if (!reason && !g->exec)
		reason = xb_share_measure_host(c, g, gp, pfx, avail0);
	for (unsigned i = 0; i < g->n; i++) {   /* stopped now: the figures are taken */
		if (gp[i].pid > 0)
			xb_qemu_stop(gp[i].pid);
		gp[i].pid = 0;
	}
	for (unsigned i = 0; i < g->n && !reason; i++)
		reason = take_guest_stream(g, pfx, i, gp[i].stream);
out:
	if (g->mode->ksm)
		xb_share_ksm_restore(c);
	xb_progress_done();
	g->boot.ended = xb_now();
	free_procs(gp, g->n);
	free(pfx);
	return reason;
}
