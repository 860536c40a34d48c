// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench share, the run: memory saved per guest when many guests run
 * programs from one shared /usr image, and what it does to exec startup.
 *
 * For each mode (xb_share_modes[], backends.c) and each N = min..max, N
 * guests boot at once with the same image file attached; each runs the
 * fixed workload, reports, and waits. While all N are alive the host
 * measures each QEMU's memory (smaps_rollup), the host page cache held for
 * the image (mincore) and MemAvailable; then it stops them. One "boot"
 * record per (mode, N) group, its stream holding per-guest figures as
 * repetitions (rep = guest index). Exec startup runs in one more boot per
 * mode (1 guest, share.<mode>.n1.exec.*), apart from the memory groups.
 * Derived figures (host memory per additional guest, saving of dax against
 * each mode, struct pages per GiB) go into the last group's record.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common.h"
#include "error.h"
#include "arch.h"
#include "initramfs.h"
#include "modules.h"
#include "fingerprint.h"
#include "share.h"
#include "clock.h"
#include "plan.h"

#define HYPERFINE_HOST "/usr/bin/hyperfine"

static const char *const applets[] = {
	"sh", "mount", "insmod", "mkdir", "cat", "echo", "sleep", "poweroff", "uname", "chroot",
};

/* /init: the basics and the modules; nd_pmem is left to the guest program,
 * which measures what its probe costs. */
static const char init_script[] =
	"#!/bin/sh\n"
	"mount -t proc proc /proc\n"
	"mount -t sysfs sysfs /sys\n"
	"mount -t devtmpfs devtmpfs /dev\n"
	"while read -r m; do\n"
	"  insmod \"/lib/modules/$(uname -r)/$m\" || echo \"daxbench-share: warning: insmod $m failed\"\n"
	"done < /daxbench/modules\n"
	"exec /daxbench/daxbench-share-guest\n";

static const char *const kmods[] = {
	"virtio_pci", "virtio_pmem", "virtio_blk", "ext4", NULL,   /* crc32c: modules.softdep */
};

/* The workload's programs: name|path|args, run through the image's loader. */
static const char *const progs[] = {
	"busybox|/bin/busybox|true",
	"true|/bin/true",
	"perl|/usr/bin/perl|-e|1",
	"dpkg|/usr/bin/dpkg|--version",
};

int xb_share_parse_modes(struct xb_share_ctx *c)
{
	char *copy = xb_strdup(c->o.modes), *save = NULL;
	struct xb_buf names = { 0 };
	int rc = 0;

	for (size_t i = 0; xb_share_modes[i]; i++)
		xb_buf_addf(&names, "%s%s", i ? ", " : "", xb_share_modes[i]->name);

	for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
		const struct xb_share_mode *sm = xb_share_mode_find(m);

		if (!sm || c->nmodes == XB_SHARE_MAX_MODES) {
			rc = xb_error_set(-EINVAL, "unknown or repeated mode '%s' (%s)", m, names.p);
			break;
		}
		c->modes[c->nmodes++] = sm;
	}
	free(copy);
	xb_buf_free(&names);
	if (!rc && !c->nmodes)
		rc = xb_error_set(-EINVAL, "--modes names no mode");
	return rc;
}

/* Modules: everything but nd_pmem goes into /daxbench/modules for /init;
 * nd_pmem's path goes into /daxbench/late-modules for the guest program. */
static bool uses_fs(const struct xb_share_ctx *c, const char *fs)
{
	for (size_t i = 0; i < c->nmodes; i++)
		if (!strcmp(c->modes[i]->fs, fs))
			return true;
	return false;
}

static int add_modules(struct xb_image *img, const struct xb_share_ctx *c)
{
	struct xb_moddep *dep = NULL;
	struct xb_kvlist order = { 0 };
	struct xb_buf list = { 0 }, late = { 0 };
	int rc;

	rc = xb_moddep_load(&dep, c->kernel->modules_dir);
	for (size_t i = 0; !rc && kmods[i]; i++)
		rc = xb_moddep_resolve(&order, dep, kmods[i]);
	if (!rc && uses_fs(c, "erofs"))
		rc = xb_moddep_resolve(&order, dep, "erofs");
	if (!rc)
		rc = xb_moddep_resolve(&order, dep, "nd_pmem");
	for (size_t i = 0; !rc && i < order.n; i++) {
		char *rel = NULL;

		rc = xb_module_add_to_image(img, &rel, c->kernel->modules_dir, c->kernel->release,
					    order.v[i].key);
		if (!rc && strstr(rel, "/nd_pmem.ko"))
			xb_buf_addf(&late, "%s/%s\n", c->kernel->release, rel);
		else if (!rc)
			xb_buf_addf(&list, "%s\n", rel);
		free(rel);
	}
	xb_image_data(img, "/daxbench/modules", list.p ? list.p : "", list.len, 0644);
	xb_image_data(img, "/daxbench/late-modules", late.p ? late.p : "", late.len, 0644);
	xb_buf_free(&list);
	xb_buf_free(&late);
	xb_kv_free(&order);
	xb_moddep_free(dep);
	return rc;
}

static char *share_guest_path(void)
{
	char *g = NULL, *p = NULL;

	if (!xb_guest_program_path(&g)) {
		p = xb_asprintf("%.*s/daxbench-share-guest", (int)(strrchr(g, '/') - g), g);
		if (!xb_is_executable(p)) {
			xb_error_set(-ENOENT, "%s is not built: run `ninja -C build`", p);
			free(p);
			p = NULL;
		}
	}
	free(g);
	return p;
}

static int build_initrd(struct xb_share_ctx *c)
{
	struct xb_image img = { 0 };
	struct xb_kvlist plan = { 0 };
	struct xb_buf text = { 0 };
	char *prog = share_guest_path();
	int rc = -ENOENT;

	if (!prog)
		goto out;
	for (const char *d = "/proc\0/sys\0/dev\0/mnt\0/tmp\0"; *d; d += strlen(d) + 1)
		xb_image_dir(&img, d);
	xb_image_file(&img, "/bin/busybox", "/bin/busybox", 0755);
	for (size_t i = 0; i < XB_ARRAY_SIZE(applets); i++) {
		char *p = xb_asprintf("/bin/%s", applets[i]);

		xb_image_symlink(&img, p, "busybox");
		free(p);
	}
	xb_image_data(&img, "/init", init_script, sizeof(init_script) - 1, 0755);
	xb_image_file(&img, "/daxbench/daxbench-share-guest", prog, 0755);
	rc = add_modules(&img, c);
	if (rc)
		goto out;
	/* the exec benchmark's cross-check; optional: without it the guest
	 * notes that hyperfine did not run */
	if (c->o.exec && xb_is_executable(HYPERFINE_HOST) && xb_image_program(&img, HYPERFINE_HOST))
		xb_warn("hyperfine could not be copied into the guest: no cross-check");
	xb_kv_setf(&plan, "plan.version", "%d", XB_PLAN_VERSION);
	for (size_t i = 0; i < XB_ARRAY_SIZE(progs); i++) {
		char k[16];

		snprintf(k, sizeof(k), "exec.%zu", i);
		xb_kv_set(&plan, k, progs[i]);
	}
	xb_kv_set(&plan, "read", c->o.read);
	xb_kv_setf(&plan, "exec_reps", "%u", c->o.exec_reps);
	xb_plan_format(&text, &plan);
	xb_image_data(&img, "/daxbench/share-plan", text.p, text.len, 0644);
	rc = xb_image_build_cached(&c->initrd, c->initrd_sha, &img, c->cache_dir);
out:
	free(prog);
	xb_buf_free(&text);
	xb_kv_free(&plan);
	xb_image_free(&img);
	return rc;
}

static int prepare(struct xb_share_ctx *c)
{
	const struct xb_arch *arch = xb_arch_find(NULL);   /* amd64 guests */
	char uuid[37];
	int rc;

	if (geteuid())
		return xb_error_set(-EPERM, "daxbench share builds the image with debootstrap and drives host KSM: run as root");
	rc = xb_cache_dir_export(&c->cache_dir, c->o.cache);
	if (rc)
		return rc;
	rc = xb_need_program(&c->qemu, arch->qemu, arch->qemu_package);
	if (rc)
		return rc;
	rc = xb_kernel_resolve(&c->kernel, c->o.kernel, NULL, c->cache_dir);
	if (!rc && !c->kernel->modules_dir)
		rc = xb_error_set(-ENOENT, "daxbench share needs the kernel's modules (a Debian kernel package)");
	if (!rc)
		rc = xb_usr_image_get(&c->img, c->o.recipe, c->cache_dir);
	if (!rc && uses_fs(c, "erofs") && !c->img.erofs)
		rc = xb_error_set(-ENOENT, "the erofs modes need the erofs image: apt-get install erofs-utils");
	if (!rc)
		rc = build_initrd(c);
	if (rc)
		return rc;
	xb_uuid(uuid);
	c->artifacts = xb_asprintf("%s/runs/%s", c->cache_dir, uuid);
	rc = xb_mkdir_p(c->artifacts, 0755);
	if (rc)
		return xb_error_set(rc, "cannot create %s: %s", c->artifacts, strerror(-rc));
	xb_fingerprint_host(&c->fp);
	xb_fingerprint_kernel(&c->fp, c->kernel);
	xb_kv_set(&c->fp, "suite", "share");
	xb_kv_set(&c->fp, "backend", "virtio-pmem-shared");
	xb_kv_set(&c->fp, "share.modes", c->o.modes);
	xb_kv_setf(&c->fp, "share.guests", "%u..%u", c->o.min_guests, c->o.max_guests);
	xb_kv_set(&c->fp, "share.read", c->o.read);
	xb_kv_setf(&c->fp, "share.guest_mem_mb", "%u", XB_SHARE_GUEST_MEM_MB);
	xb_kv_set(&c->fp, "usr_image.suite", c->img.suite);
	xb_kv_set(&c->fp, "usr_image.recipe_sha256", c->img.recipe_sha256);
	xb_kv_set(&c->fp, "usr_image.ext4_sha256", c->img.ext4_sha256);
	xb_kv_setf(&c->fp, "usr_image.ext4_size", "%llu", (unsigned long long)c->img.ext4_size);
	if (c->img.erofs) {
		xb_kv_set(&c->fp, "usr_image.erofs_sha256", c->img.erofs_sha256);
		xb_kv_setf(&c->fp, "usr_image.erofs_size", "%llu",
			   (unsigned long long)c->img.erofs_size);
		xb_kv_set(&c->fp, "usr_image.erofs_options", "uncompressed, -E noinline_data");
	}
	xb_kv_set(&c->fp, "guest.image_sha256", c->initrd_sha);
	xb_kv_set(&c->fp, "qemu.binary", c->qemu);
	xb_kv_set(&c->fp, "qemu.host_thp", XB_QEMU_HOST_THP);
	xb_kv_set(&c->fp, "qemu.host_ksm", XB_QEMU_HOST_KSM);
	xb_kv_set(&c->fp, "qemu.accel", "tcg");
	xb_kv_set(&c->fp, XB_FP_CLOCK, c->o.icount ? "icount" : "wall");
	if (c->o.icount)
		xb_kv_set(&c->fp, XB_FP_CLOCK_ICOUNT, XB_ICOUNT_ARGS);
	return 0;
}

static int record(struct xb_share_ctx *c, struct xb_db *db, const char *reason, int64_t *out_id)
{
	struct xb_run_record r = { 0 };
	int rc;

	memcpy(r.uuid, strrchr(c->artifacts, '/') + 1, 36);
	r.label = c->o.label;
	r.suite = "share";
	r.host = xb_kv_get(&c->fp, "host");
	r.artifacts = c->artifacts;
	r.fingerprint = c->fp;
	r.started = c->groups[0].boot.started;
	r.ended = xb_now();
	r.status = reason ? "failed" : "finished";
	r.reason = reason;
	r.boots = xb_calloc(c->ngroups, sizeof(*r.boots));
	for (size_t i = 0; i < c->ngroups; i++) {
		struct xb_share_group *g = &c->groups[i];

		r.boots[i] = g->boot;
		r.boots[i].idx = (int)i;
		r.boots[i].accel = "tcg";
		/* a failed run keeps its boots, not their figures */
		r.boots[i].stream = reason ? NULL : g->rec;
		r.nboots++;
	}
	rc = xb_db_record_run(db, &r, out_id);
	if (rc)
		xb_error_set(rc, "the run could not be recorded (%s); artifacts in %s",
			     *xb_error_last() ? xb_error_last() : strerror(-rc), c->artifacts);
	free(r.boots);
	return rc;
}

static int execute(struct xb_share_ctx *c, struct xb_db *db, int64_t *out_id, struct xb_buf *out)
{
	unsigned per_mode = c->o.max_guests - c->o.min_guests + 1, booted = 0;
	char *reason = NULL;
	int rc;

	/* per mode: the groups of min..max guests, then (unless --no-exec) the
	 * exec startup boot, apart so that what its many execs touch in guest
	 * RAM is not counted as a group's host memory */
	c->groups = xb_calloc(c->nmodes * (per_mode + 1), sizeof(*c->groups));
	c->t_start = xb_monotonic();
	for (size_t m = 0; m < c->nmodes && !reason; m++) {
		for (unsigned n = c->o.min_guests; n <= c->o.max_guests + c->o.exec && !reason; n++) {
			struct xb_share_group *g = &c->groups[c->ngroups++];

			g->mode = c->modes[m];
			g->exec = n > c->o.max_guests;
			g->n = g->exec ? 1 : n;
			if (xb_share_run_group(c, g, booted))
				reason = xb_error_take();
			g->boot.status = reason ? "failed" : "finished";
			g->boot.reason = reason;
			booted += g->n;
		}
	}
	if (!reason)
		xb_share_derive(out, c, c->groups[c->ngroups - 1].rec);
	rc = record(c, db, reason, out_id);
	if (!rc)
		xb_buf_addf(out, "run %lld %s: %zu groups in %.0f s%s%s\nsee: daxbench show %lld\n",
			    (long long)*out_id, reason ? "failed" : "finished", c->ngroups,
			    xb_monotonic() - c->t_start, reason ? ": " : "", reason ? reason : "",
			    (long long)*out_id);
	if (!rc && reason)
		rc = xb_error_set(-ECANCELED, "%s (console logs in %s)", reason, c->artifacts);
	free(reason);
	return rc;
}

int xb_share_run(struct xb_share_ctx *c, struct xb_db *db, int64_t *out_id,
		 struct xb_buf *out_report)
{
	int rc;

	xb_error_clear();   /* a message left from before is not this run's */
	rc = prepare(c);
	return rc ? rc : execute(c, db, out_id, out_report);
}

void xb_share_ctx_free(struct xb_share_ctx *c)
{
	for (size_t i = 0; i < c->ngroups; i++)
		xb_stream_free(c->groups[i].rec);
	free(c->groups);
	xb_usr_image_free(&c->img);
	xb_kernel_free(c->kernel);
	free(c->cache_dir);
	free(c->qemu);
	free(c->initrd);
	free(c->artifacts);
	free(c->o.modes);
	xb_kv_free(&c->fp);
}
