// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench share: one group of N guests - boot them at once, wait until
 * each says ready (progress with time left), have the host measure, stop
 * them (group.c), and take each guest's own results stream into the
 * group's record.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "error.h"
#include "share.h"

const char *xb_share_image(const struct xb_share_ctx *c, const struct xb_share_mode *m)
{
	return strcmp(m->fs, "erofs") ? c->img.ext4 : c->img.erofs;
}

uint64_t xb_share_image_size(const struct xb_share_ctx *c, const struct xb_share_mode *m)
{
	return strcmp(m->fs, "erofs") ? c->img.ext4_size : c->img.erofs_size;
}

/* Estimated seconds left: the elapsed time per guest so far times the
 * guests still to boot. */
static double time_left(const struct xb_share_ctx *c, unsigned booted)
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

struct progress_ctx {
	const struct xb_share_ctx *c;
	const struct xb_share_group *g;
	unsigned booted;
};

static void progress(void *ctx, unsigned ready, unsigned n, double elapsed)
{
	const struct progress_ctx *p = ctx;
	double left = time_left(p->c, p->booted + ready);
	const char *what = p->g->exec ? "exec startup, N=" : "N=";

	if (isnan(left))
		xb_progress("mode %s, %s%u: %u/%u guests ready, %.0f s", p->g->mode->name,
			    what, n, ready, n, elapsed);
	else
		xb_progress("mode %s, %s%u: %u/%u guests ready, %.0f s; about %.0f s left",
			    p->g->mode->name, what, n, ready, n, elapsed, left);
}

/* A guest's own stream, taken under the group's prefix with rep = guest
 * index (record.c); hyperfine's notes become the cross-check, and the
 * means feed the derived figures. */
struct take_ctx {
	struct xb_share_group *g;
	const char *pfx;
	unsigned idx;
};

static int take_note(void *ctx, const struct xb_stream *s, const struct xb_stream_note *n,
		     bool *taken)
{
	struct take_ctx *t = ctx;

	if (strncmp(n->subject, "hyperfine.", 10) || strcmp(n->kind, "info"))
		return 0;
	*taken = true;
	return xb_share_crosscheck(t->g, t->pfx, t->idx, s, n);
}

static bool take_series(void *ctx, const struct xb_stream_series *se)
{
	struct xb_share_group *g = ((struct take_ctx *)ctx)->g;

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

static int take_guest_stream(struct xb_share_group *g, const char *pfx, unsigned idx,
			     const char *path)
{
	struct take_ctx t = { .g = g, .pfx = pfx, .idx = idx };
	const struct xb_take_ops ops = { .note = take_note, .series = take_series, .ctx = &t };

	return xb_record_take_guest(g->rec, pfx, idx, path, &ops);
}

/* Boot, wait and (but for the exec boot) measure; the error set on failure. */
static int boot_and_measure(struct xb_share_ctx *c, struct xb_share_group *g,
			    struct xb_group *gp, const char *pfx, unsigned booted, double avail0)
{
	struct xb_argv extra = { 0 };
	char *mem_extra = NULL, *append, *files;
	int rc;

	xb_share_mode_args(&extra, &mem_extra, g->mode, xb_share_image(c, g->mode),
			   xb_share_image_size(c, g->mode));
	/* no_timer_check: on a loaded host a TCG vCPU can miss the IO-APIC
	 * timer check at boot and panic ("IO-APIC + timer doesn't work!") */
	append = xb_asprintf("console=ttyS0 panic=-1 loglevel=4 no_timer_check daxbench.mode=%s daxbench.dev=%s "
			     "daxbench.fs=%s%s", g->mode->guest_mode, g->mode->guest_dev, g->mode->fs,
			     g->exec ? " daxbench.exec=1 daxbench.read=0" : "");
	files = g->exec ? xb_asprintf("%s/%s-exec", c->artifacts, g->mode->name) :
		xb_asprintf("%s/%s-n%u", c->artifacts, g->mode->name, g->n);
	struct xb_qemu_opts q = {
		.binary = c->qemu, .accel = "tcg", .kernel = c->kernel->vmlinuz,
		.initrd = c->initrd, .append = append, .mem_mb = XB_SHARE_GUEST_MEM_MB,
		.mem_extra = mem_extra, .smp = 1, .extra = &extra, .icount = c->o.icount,
	};
	struct progress_ctx pc = { .c = c, .g = g, .booted = booted };
	struct xb_group_opts o = {
		.q = &q, .n = g->n, .files = files, .timeout_s = c->o.timeout_s,
		.progress = progress, .ctx = &pc,
	};

	rc = xb_group_start(gp, &o);
	if (!rc)
		rc = xb_group_wait(gp, &o);
	if (!rc && !g->exec)
		rc = xb_share_measure_host(c, g, gp, pfx, avail0);
	free(append);
	free(files);
	free(mem_extra);
	xb_argv_free(&extra);
	return rc;
}

int xb_share_run_group(struct xb_share_ctx *c, struct xb_share_group *g, unsigned booted)
{
	struct xb_group gp = { 0 };
	char *pfx = xb_asprintf("share.%s.n%u", g->mode->name, g->n);
	double avail0 = xb_meminfo_kib("/proc/meminfo", "MemAvailable");
	int rc;

	g->rec = xb_stream_new();
	g->boot.started = xb_now();
	if (g->mode->ksm && !g->exec && (rc = xb_share_ksm_on(c))) {
		xb_error_wrap(rc, "host KSM could not be switched on");
		goto out;
	}
	rc = boot_and_measure(c, g, &gp, pfx, booted, avail0);
	xb_group_stop(&gp);   /* stopped now: the figures are taken */
	for (unsigned i = 0; i < gp.n && !rc; i++)
		rc = take_guest_stream(g, pfx, i, gp.g[i].stream);
out:
	if (g->mode->ksm)
		xb_share_ksm_restore(c);
	xb_progress_done();
	g->boot.ended = xb_now();
	xb_group_free(&gp);
	free(pfx);
	return rc;
}
