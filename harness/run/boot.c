// SPDX-License-Identifier: GPL-2.0
/*
 * Booting a run's guest: the QEMU options of a measuring boot, the KVM
 * probe, and one boot (or the native benchmark program) with its stream
 * read back and judged.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include "common.h"
#include "error.h"
#include "run-ctx.h"
#include "device.h"
#include "sha256.h"

#define PROBE_TIMEOUT_S 30.0

void xb_run_base_qemu_opts(struct xb_qemu_opts *q, const struct xb_run_ctx *c)
{
	memset(q, 0, sizeof(*q));
	q->binary = c->backend->native ? c->guest_prog : c->qemu;
	q->kernel = c->kernel ? c->kernel->vmlinuz : NULL;
	q->initrd = c->image_path;
	q->smp = c->suite->smp;
	q->cpu = c->suite->cpu;
	q->arch = c->arch->foreign ? c->arch->name : NULL;
}

/* The options of a measuring boot. */
void xb_run_boot_qemu_opts(struct xb_qemu_opts *q, const struct xb_run_ctx *c,
			   const char *console, const char *stream)
{
	xb_run_base_qemu_opts(q, c);
	q->accel = c->accel;
	q->icount = c->clock == XB_CLOCK_ICOUNT;
	q->mem_mb = c->cfg.mem_mb;
	q->mem_extra = c->cfg.mem_extra;
	q->extra = &c->cfg.qemu_args;
	q->append = c->append;
	q->console_path = console;
	q->stream_path = stream;
}

/* KVM only where a short boot proves it: a nested or broken KVM hangs
 * stock kernels early in boot. The answer is cached per kernel and host. */
const char *xb_run_choose_accel(struct xb_run_ctx *c)
{
	struct xb_qemu_opts q;
	struct xb_qemu_result r;
	char key[65], *dir, *path, *src, *cached = NULL, *con, *err;
	const char *answer = "tcg";

	if (c->arch->foreign)      /* only TCG emulates it */
		return "tcg";
	if (c->clock == XB_CLOCK_ICOUNT)   /* asked for; KVM refused before */
		return "tcg";
	if (strcmp(c->o.accel, "auto"))
		return c->o.accel;
	if (access("/dev/kvm", R_OK | W_OK))
		return "tcg";
	src = xb_asprintf("%s %s %s", c->kernel->image_sha256, c->qemu_version,
			  xb_kv_get(&c->fp, "host.kernel"));
	xb_sha256_hex(key, src, strlen(src));
	dir = xb_asprintf("%s/accel", c->cache_dir);
	path = xb_asprintf("%s/%s", dir, key);
	if (!xb_read_file(&cached, NULL, path) && !strncmp(cached, "kvm", 3))
		answer = "kvm";
	if (cached)
		goto out;
	xb_mkdir_p(dir, 0755);
	xb_run_base_qemu_opts(&q, c);
	q.accel = "kvm";
	q.mem_mb = 512;
	q.append = "console=ttyS0 panic=-1 rdinit=/daxbench/probe";
	con = xb_asprintf("%s/probe-console.log", c->artifacts);
	err = xb_asprintf("%s/probe-qemu.log", c->artifacts);
	q.console_path = con;
	q.stderr_path = err;
	q.timeout_s = PROBE_TIMEOUT_S;
	q.label = "probing KVM";
	xb_progress("probing whether KVM boots this kernel (up to %.0f s)", PROBE_TIMEOUT_S);
	if (!xb_qemu_boot(&r, &q)) {
		if (!r.reason && r.console_tail && strstr(r.console_tail, "daxbench-probe: ok"))
			answer = "kvm";
		else
			xb_warn("KVM does not boot this kernel here (%s): using TCG",
				r.reason ? r.reason : "no probe output");
		xb_qemu_result_free(&r);
	}
	xb_write_file_atomic(path, answer, strlen(answer));
	free(con);
	free(err);
out:
	free(cached);
	free(src);
	free(dir);
	free(path);
	return answer;
}


/* A benchmark program that was killed (timeout, Ctrl-C) leaves its mount:
 * take it down, so a native run leaves no mount behind whatever happened. */
static void unmount_leftover(const struct xb_run_ctx *c)
{
	char *mnt = xb_asprintf("%s/mnt", c->artifacts);

	for (int i = 0; i < 2 && xb_mounted_at(mnt); i++)
		if (umount2(mnt, i ? MNT_DETACH : 0))
			xb_warn("cannot unmount %s: %s", mnt, strerror(errno));
	free(mnt);
}

static int start(const struct xb_run_ctx *c, struct xb_qemu_result *r,
		 const struct xb_qemu_opts *q)
{
	struct xb_argv a = { 0 };
	int rc;

	if (!c->backend->native)
		return xb_qemu_boot(r, q);
	xb_argv_add(&a, c->guest_prog);
	xb_argv_add(&a, "--plan");
	xb_argv_add(&a, c->plan_path);
	xb_argv_add(&a, "--stream");
	xb_argv_add(&a, q->stream_path);
	rc = xb_supervise(r, &a, q, true);
	xb_argv_free(&a);
	unmount_leftover(c);
	return rc;
}

/* One boot: its outcome, and its parsed stream when it produced a good one. */
void xb_run_boot_once(const struct xb_run_ctx *c, unsigned i, struct xb_boot_record *b,
		      struct xb_stream **out_stream, char **out_tail)
{
	struct xb_qemu_opts q;
	struct xb_qemu_result r;
	char *con = xb_asprintf("%s/boot%u-console.log", c->artifacts, i);
	char *res = xb_asprintf("%s/boot%u-stream", c->artifacts, i);
	char *qlog = xb_asprintf("%s/boot%u-qemu.log", c->artifacts, i);
	char *label = xb_asprintf("boot %u/%u", i + 1, c->suite->boots);
	char *data = NULL, *reason = NULL;
	size_t len = 0;

	xb_run_boot_qemu_opts(&q, c, con, res);
	q.stderr_path = qlog;
	q.timeout_s = c->suite->timeout_s;
	q.label = label;
	b->idx = (int)i;
	b->accel = c->accel;
	*out_stream = NULL;
	if (start(c, &r, &q)) {
		reason = xb_asprintf("%s could not be started", q.binary);
		goto out;
	}
	*out_tail = r.console_tail ? xb_strdup(r.console_tail) : NULL;
	b->started = r.started;
	b->ended = r.ended;
	if (xb_read_file(&data, &len, res)) {
		data = NULL;
		len = 0;
	}
	/* a native benchmark program exits 1 after an error it wrote into
	 * its stream: that error is the reason */
	if (c->backend->native && r.reason && r.status == 1 && !r.timed_out &&
	    !r.interrupted && len) {
		free(r.reason);
		r.reason = NULL;
	}
	if (r.reason) {
		reason = xb_asprintf("%s%s%s", r.reason, r.guest_error ? "; guest said: " : "",
				     r.guest_error ? r.guest_error : "");
	} else if (!len) {
		reason = xb_asprintf("the guest powered off without a results stream%s%s",
				     r.guest_error ? ": " : "", r.guest_error ? r.guest_error : "");
	} else if (xb_stream_parse(out_stream, data, len)) {
		char *why = xb_error_take();

		reason = xb_asprintf("results stream rejected: %s", *why ? why : "?");
		free(why);
	} else {
		for (size_t k = 0; k < (*out_stream)->nnotes && !reason; k++) {
			const struct xb_stream_note *n = &(*out_stream)->notes[k];

			if (!strcmp(n->kind, "error"))
				reason = xb_asprintf("guest error in %s: %s", n->subject, n->text);
		}
	}
	xb_qemu_result_free(&r);
out:
	b->status = reason ? "failed" : "finished";
	b->reason = reason;
	free(data);
	free(con);
	free(res);
	free(qlog);
	free(label);
}

/* ---- the sharing group (dcssblk-emu): N guests of one host file ---- */
