// SPDX-License-Identifier: GPL-2.0
/*
 * A run: kernel -> guest image -> boot(s) -> results stream -> db.
 * A run is recorded in one transaction once all its boots are over:
 * finished with every sample, or failed with its reason and console tail.
 * Nothing is recorded for bad input found before the first boot.
 * prepare.c resolves, image.c builds, boot.c boots, sharing.c runs the
 * sharing group; this file runs the boots, records and says what it did.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common.h"
#include "error.h"
#include "run-ctx.h"

static void summary(struct xb_buf *out, const struct xb_run_ctx *c, int64_t id,
		    const struct xb_run_record *r)
{
	size_t metrics = 0;

	for (size_t i = 0; i < r->nboots; i++)
		if (r->boots[i].stream)
			metrics = r->boots[i].stream->nmetrics;
	if (!strcmp(r->status, "finished"))
		xb_buf_addf(out, "run %lld finished: %zu metrics from %zu boot(s) of %s in %.0f s (uuid %s)\n"
			    "see: daxbench show %lld\n",
			    (long long)id, metrics, r->nboots, xb_kv_get(&c->fp, "kernel.release"),
			    r->ended - r->started, r->uuid, (long long)id);
	else
		xb_buf_addf(out, "run %lld failed: %s\nconsole and stream kept in %s\n", (long long)id,
			    r->reason, c->artifacts);
}

static int execute(struct xb_run_ctx *c, struct xb_db *db, int64_t *out_id, struct xb_buf *out)
{
	struct xb_run_record r = { 0 };
	struct xb_stream **streams = calloc(c->suite->boots + 1, sizeof(*streams));
	char *tail = NULL;
	int64_t id = 0;
	int rc;

	memcpy(r.uuid, strrchr(c->artifacts, '/') + 1, 36);
	r.label = c->o.label;
	r.suite = c->suite->name;
	r.host = xb_kv_get(&c->fp, "host");
	r.artifacts = c->artifacts;
	r.fingerprint = c->fp;
	r.boots = calloc(c->suite->boots + 1, sizeof(*r.boots));
	r.started = xb_now();
	r.status = "finished";
	for (unsigned i = 0; i < c->suite->boots; i++) {
		free(tail);
		tail = NULL;
		xb_run_boot_once(c, i, &r.boots[i], &streams[i], &tail);
		r.boots[i].stream = streams[i];
		r.nboots++;
		if (r.boots[i].reason) {
			r.status = "failed";
			r.reason = r.boots[i].reason;
			r.console_tail = tail;
			break;
		}
	}
	if (!r.reason && c->cfg.share_guests && c->backend->share_args) {
		struct xb_boot_record *b = &r.boots[r.nboots];

		b->idx = (int)r.nboots;
		xb_run_share_group(c, b, &streams[r.nboots]);
		b->stream = streams[r.nboots];
		r.nboots++;
		if (b->reason) {
			r.status = "failed";
			r.reason = b->reason;
		}
	}
	r.ended = xb_now();
	rc = xb_db_record_run(db, &r, &id);
	if (rc)
		xb_error_set(rc, "the run could not be recorded (%s); its console and stream are in %s",
			     *xb_error_last() ? xb_error_last() : strerror(-rc), c->artifacts);
	else
		summary(out, c, id, &r);
	if (!rc && strcmp(r.status, "finished"))
		rc = xb_error_set(-ECANCELED, "run %lld failed: %s", (long long)id, r.reason);
	*out_id = id;
	for (size_t i = 0; i < r.nboots; i++) {
		xb_stream_free(streams[i]);
		free((char *)r.boots[i].reason);
	}
	free(streams);
	free(r.boots);
	free(tail);
	return rc;
}

static void dry_run_native(struct xb_buf *out, const struct xb_run_ctx *c)
{
	xb_buf_addf(out, "suite:   %s (%s)\nbackend: native: this machine, kernel %s\n"
		    "would format %s with: %s", c->suite->name, c->suite->path,
		    xb_kv_get(&c->fp, "kernel.release"), c->cfg.device, c->fs->mkfs);
	for (size_t i = 0; c->fs->mkfs_args[i]; i++)
		xb_buf_addf(out, " %s", c->fs->mkfs_args[i]);
	xb_buf_addf(out, " %s\nthen mount it under %s/mnt (with -o %s, then without) and run:",
		    c->cfg.device, c->artifacts, c->fs->dax_opt);
	for (size_t i = 0; i < c->suite->nbenches; i++)
		xb_buf_addf(out, " %s", c->suite->benches[i].name);
	if (c->backend->attach)
		xb_buf_addf(out, "\nthe %s backend makes the device at run time; the safety checks (a block\n"
			    "device, not mounted, not swap, no holders, O_EXCL open) run then;\n"
			    "nothing was added, formatted or recorded\n", c->backend->name);
	else
		xb_buf_addf(out, "\nthe device passed the safety checks (a block device, not mounted, not swap,\n"
			    "no holders, O_EXCL open); nothing was formatted or recorded\n");
}

static void dry_run(struct xb_buf *out, const struct xb_run_ctx *c)
{
	struct xb_qemu_opts q;
	struct xb_argv a = { 0 };

	if (c->backend->native) {
		dry_run_native(out, c);
		return;
	}
	xb_run_boot_qemu_opts(&q, c, "CONSOLE", "STREAM");
	xb_qemu_argv(&a, &q);
	xb_buf_addf(out, "suite:   %s (%s)\nkernel:  %s (%s)\nbackend: %s, device %s in the guest\n"
		    "fs:      %s\nimage:   %s\nboots:   %u, timeout %.0f s each\nclock:   %s%s%s\n"
		    "would run:",
		    c->suite->name, c->suite->path, c->kernel->release, c->kernel->vmlinuz,
		    c->backend->name, c->cfg.device, c->fs->name, c->image_path,
		    c->suite->boots, c->suite->timeout_s, xb_clock_name(c->clock),
		    c->clock_note ? " - " : "", c->clock_note ? c->clock_note : "");
	for (size_t i = 0; i < a.n; i++)
		xb_buf_addf(out, " '%s'", a.v[i]);
	if (c->cfg.share_guests && c->backend->share_args)
		xb_buf_addf(out, "\nthen a sharing group: %u guests at once, one shared segment file made on the host",
			    c->cfg.share_guests);
	xb_buf_addf(out, "\nnothing was booted or recorded\n");
	xb_argv_free(&a);
}

static void ctx_free(struct xb_run_ctx *c)
{
	xb_run_detach(c);
	xb_suite_free(c->suite);
	xb_kernel_free(c->kernel);
	xb_kbuild_free(c->kbuild);
	xb_backend_cfg_free(&c->cfg);
	free(c->cache_dir);
	free(c->guest_prog);
	free(c->image_path);
	free(c->append);
	free(c->qemu);
	free(c->qemu_version);
	free(c->artifacts);
	free(c->plan_path);
	free(c->userland);
	free(c->userland_versions);
	xb_kv_free(&c->fp);
}

int xb_run_suite(struct xb_db *db, const struct xb_run_request *req, bool dry,
		 int64_t *out_run_id, struct xb_buf *out_report)
{
	struct xb_run_ctx c = { .o = *req, .dry = dry };
	int rc;

	if (!c.o.suite)
		c.o.suite = "quick";
	if (!c.o.accel)
		c.o.accel = "auto";
	xb_error_clear();   /* a message left from before is not this run's */
	rc = xb_run_prepare(&c);
	if (rc)
		goto out;
	if (dry) {
		dry_run(out_report, &c);
		goto out;
	}
	rc = execute(&c, db, out_run_id, out_report);
out:
	ctx_free(&c);
	return rc;
}
