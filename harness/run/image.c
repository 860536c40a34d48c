// SPDX-License-Identifier: GPL-2.0
/*
 * The guest image of a run: busybox (the host's, or a foreign guest's from
 * its packages), the filesystem's mkfs, /init, the guest program and its
 * plan, the modules the backend and the filesystem need, and what the
 * benchmarks' host halves add.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "error.h"
#include "run-ctx.h"
#include "bench-host.h"
#include "caps.h"
#include "guest-setup.h"
#include "kmod.h"
#include "modules.h"
#include "plan.h"
#include "stream-format.h"

const char *const xb_run_applets[] = {
	"sh", "mount", "umount", "insmod", "mkdir", "cat", "echo", "sleep",
	"poweroff", "sync", "ls", "dmesg", "reboot", "uname", "grep",
};
const size_t xb_run_napplets = XB_ARRAY_SIZE(xb_run_applets);


/* /init: bring up the basics, load the modules in dependency order, run
 * the backend's own setup, hand over to the guest program, and power off
 * whatever happens. */
const char xb_run_init_head[] =
	"#!/bin/sh\n"
	"mount -t proc proc /proc\n"
	"mount -t sysfs sysfs /sys\n"
	"mount -t devtmpfs devtmpfs /dev\n"
	"mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null\n";
/* s390x: the SCLP line-mode console drops a user-space tty's output near
 * power-off; through the kernel's log (loglevel=5) every line arrives. */
const char xb_run_init_kmsg[] = "exec > /dev/kmsg 2>&1\n";
const char xb_run_init_modules[] =
	"echo 'daxbench-guest: stage modules'\n"
	"while read -r m; do\n"
	"  insmod \"/lib/modules/$(uname -r)/$m\" || echo \"daxbench-guest: warning: insmod $m failed\"\n"
	"done < /daxbench/modules\n";
/* x86 powers off through ACPI only: a kernel without it (daxbench's own
 * config for --kernel-src) would halt and leave QEMU to its timeout, so it
 * resets instead, which ends QEMU as well (-no-reboot). */
#define POWER_OFF \
	"[ -d /sys/firmware/acpi ] || [ \"$(uname -m)\" != x86_64 ] || reboot -f\n" \
	"poweroff -f\n"

static const char init_tail[] =
	"echo \"daxbench-guest: exited with status $?\"\n"
	"sync\n"
	POWER_OFF;

static void init_script(struct xb_buf *b, const struct xb_run_ctx *c)
{
	xb_buf_adds(b, xb_run_init_head);
	if (c->arch->init_kmsg)
		xb_buf_adds(b, xb_run_init_kmsg);
	xb_buf_adds(b, xb_run_init_modules);
	if (c->backend->guest_init)
		xb_buf_adds(b, c->backend->guest_init);
	xb_buf_addf(b, "/daxbench/daxbench-guest %s--poweroff\n",
		    c->arch->foreign ? "--stream " XB_STREAM_GUEST_VPORT " " : "");
	xb_buf_adds(b, init_tail);
}

/* Fault-injection entry points for the integration tests (rdinit=...):
 * a guest that never powers off, and one whose kernel panics. */
static const char hang_script[] =
	"#!/bin/sh\n"
	"echo 'daxbench: this guest hangs on purpose (rdinit=/daxbench/hang)'\n"
	"while :; do sleep 3600; done\n";

static const char panic_script[] =
	"#!/bin/sh\n"
	"mount -t proc proc /proc\n"
	"echo c > /proc/sysrq-trigger\n";

static const char probe_script[] =
	"#!/bin/sh\n"
	"echo 'daxbench-probe: ok'\n"
	"mount -t sysfs sysfs /sys\n"
	POWER_OFF;

int xb_run_add_modules(struct xb_image *img, const struct xb_run_ctx *c)
{
	struct xb_moddep *dep = NULL;
	struct xb_kvlist order = { 0 };
	struct xb_buf list = { 0 };
	int rc = 0;

	if (!c->kernel->modules_dir) {
		if (!c->kbuild)   /* daxbench's config builds them in */
			xb_warn("no modules directory for %s: assuming %s and %s are built in",
				c->kernel->release, c->backend->name, c->fs->name);
		goto done;
	}
	rc = xb_moddep_load(&dep, c->kernel->modules_dir);
	for (size_t i = 0; !rc && c->backend->kmods && c->backend->kmods[i]; i++)
		rc = xb_moddep_resolve(&order, dep, c->backend->kmods[i]);
	for (size_t i = 0; !rc && c->fs->kmods[i]; i++)
		rc = xb_moddep_resolve(&order, dep, c->fs->kmods[i]);
	for (size_t i = 0; !rc && i < order.n; i++) {
		char *rel = NULL;

		rc = xb_module_add_to_image(img, &rel, c->kernel->modules_dir, c->kernel->release,
					      order.v[i].key);
		if (!rc)
			xb_buf_addf(&list, "%s\n", rel);
		free(rel);
	}
done:
	xb_image_data(img, "/daxbench/modules", list.p ? list.p : "", list.len, 0644);
	xb_buf_free(&list);
	xb_kv_free(&order);
	xb_moddep_free(dep);
	return rc;
}

/* The plan for the benchmark program; mount_dir NULL: the guest's default. */
void xb_run_plan_text(struct xb_buf *text, const struct xb_run_ctx *c, const char *mount_dir)
{
	struct xb_kvlist plan = { 0 };
	struct xb_buf benches = { 0 };
	char *caps = xb_caps_format(c->backend->caps);

	xb_kv_setf(&plan, "plan.version", "%d", XB_PLAN_VERSION);
	xb_kv_set(&plan, "backend", c->backend->name);
	xb_kv_set(&plan, "device", c->cfg.device);
	xb_kv_set(&plan, "device.wait_s", c->backend->native ? "0" : "30");
	if (mount_dir)
		xb_kv_set(&plan, "mount_dir", mount_dir);
	xb_kv_set(&plan, "fs", c->fs->name);
	xb_kv_set(&plan, "caps", caps);
	for (size_t i = 0; i < c->suite->nbenches; i++) {
		const struct xb_suite_bench *b = &c->suite->benches[i];

		xb_buf_addf(&benches, "%s%s", i ? "," : "", b->name);
		for (size_t j = 0; j < b->params.n; j++) {
			char *k = xb_asprintf("bench.%s.%s", b->name, b->params.v[j].key);

			xb_kv_set(&plan, k, b->params.v[j].value);
			free(k);
		}
	}
	xb_kv_set(&plan, "benches", benches.p);
	if (c->suite->inject)
		xb_kv_setf(&plan, "inject.dax_fault_spin", "%u", c->suite->inject_spin);
	xb_plan_format(text, &plan);
	xb_buf_free(&benches);
	xb_kv_free(&plan);
	free(caps);
}

static void add_plan(struct xb_image *img, const struct xb_run_ctx *c)
{
	struct xb_buf text = { 0 };

	xb_run_plan_text(&text, c, NULL);
	xb_image_data(img, XB_PLAN_GUEST_PATH, text.p, text.len, 0644);
	xb_buf_free(&text);
}

/* Calibration: daxbench_inject, which the guest loads before measuring. */
static int add_inject(struct xb_image *img, const struct xb_run_ctx *c)
{
	char *ko = NULL, *skip = NULL;
	int rc;

	if (!c->suite->inject)
		return 0;
	rc = xb_kmod_build(&ko, &skip, "daxbench_inject", c->kernel->release, c->arch,
			   c->cache_dir);
	if (!rc && skip) {
		rc = xb_error_set(-ENOENT, "inject_dax_spin: %s", skip);
	} else if (!rc) {
		xb_image_file(img, XB_GUEST_INJECT_KO, ko, 0644);
	}
	free(ko);
	free(skip);
	return rc;
}

/* busybox and the filesystem's mkfs of this machine. */
static int add_programs(struct xb_image *img, const struct xb_run_ctx *c)
{
	int rc;

	if (!xb_is_executable("/bin/busybox"))
		return xb_error_set(-ENOENT, "/bin/busybox is missing: apt-get install busybox-static");
	xb_image_file(img, "/bin/busybox", "/bin/busybox", 0755);
	rc = xb_image_program(img, c->fs->mkfs);
	if (rc)
		return xb_error_set(rc, "the guest needs %s: apt-get install %s", c->fs->mkfs,
				    strcmp(c->fs->name, "xfs") ? "e2fsprogs" : "xfsprogs");
	if (xb_path_exists("/etc/mke2fs.conf"))
		xb_image_file(img, "/etc/mke2fs.conf", "/etc/mke2fs.conf", 0644);
	return 0;
}

/* A shared object of the foreign packages: lib/ or usr/lib/<triplet>/. */
char *xb_run_userland_lib(const struct xb_run_ctx *c, const char *name)
{
	for (const char *d = "lib\0usr/lib\0"; *d; d += strlen(d) + 1) {
		char *host = xb_asprintf("%s/%s/%s/%s", c->userland, d, c->arch->triplet, name);

		if (xb_path_exists(host))
			return host;
		free(host);
	}
	xb_error_set(-ENOENT, "%s is not in the %s packages unpacked in %s", name, c->arch->name,
		     c->userland);
	return NULL;
}

/* The same from the foreign architecture's packages (prepare() fetched
 * them): ext4's mke2fs and the shared objects it links, at the paths
 * ld.so looks in. */
int xb_run_add_foreign_programs(struct xb_image *img, const struct xb_run_ctx *c)
{
	char *p;

	if (strcmp(c->fs->name, "ext4"))
		return xb_error_set(-ENOTSUP, "%s guests carry ext4's mke2fs only, not %s's mkfs: use --fs ext4",
				    c->arch->name, c->fs->name);
	p = xb_asprintf("%s/bin/busybox", c->userland);
	xb_image_file(img, "/bin/busybox", p, 0755);
	free(p);
	p = xb_asprintf("%s/sbin/mke2fs", c->userland);
	xb_image_file(img, c->fs->mkfs, p, 0755);
	free(p);
	p = xb_asprintf("%s/etc/mke2fs.conf", c->userland);
	if (xb_path_exists(p))
		xb_image_file(img, "/etc/mke2fs.conf", p, 0644);
	free(p);
	for (size_t i = 0; c->arch->libs[i]; i++) {
		const char *lib = c->arch->libs[i];
		char *host = xb_run_userland_lib(c, lib), *guest, *link;

		if (!host)
			return -ENOENT;
		guest = xb_asprintf("/lib/%s/%s", c->arch->triplet, lib);
		link = xb_asprintf("/lib/%s", lib);
		xb_image_file(img, guest, host, 0755);
		xb_image_symlink(img, link, guest + 5);
		free(host);
		free(guest);
		free(link);
	}
	return 0;
}

int xb_run_build_image(struct xb_run_ctx *c)
{
	struct xb_image img = { 0 };
	struct xb_buf init = { 0 };
	int rc;

	for (const char *d = "/proc\0/sys\0/dev\0/mnt\0/tmp\0/root\0/sys/kernel/tracing\0";
	     *d; d += strlen(d) + 1)
		xb_image_dir(&img, d);
	rc = c->arch->foreign ? xb_run_add_foreign_programs(&img, c) : add_programs(&img, c);
	if (rc)
		goto out;
	for (size_t i = 0; i < xb_run_napplets; i++) {
		char *p = xb_asprintf("/bin/%s", xb_run_applets[i]);

		xb_image_symlink(&img, p, "busybox");
		free(p);
	}
	init_script(&init, c);
	xb_image_data(&img, "/init", init.p, init.len, 0755);
	xb_image_data(&img, "/daxbench/probe", probe_script, sizeof(probe_script) - 1, 0755);
	xb_image_data(&img, "/daxbench/hang", hang_script, sizeof(hang_script) - 1, 0755);
	xb_image_data(&img, "/daxbench/panic", panic_script, sizeof(panic_script) - 1, 0755);
	xb_image_file(&img, "/daxbench/daxbench-guest", c->guest_prog, 0755);
	rc = xb_run_add_modules(&img, c);
	if (rc)
		goto out;
	add_plan(&img, c);
	rc = add_inject(&img, c);
	if (rc)
		goto out;
	for (size_t i = 0; i < c->suite->nbenches; i++) {
		const struct xb_bench_host *h = xb_bench_host_find(c->suite->benches[i].name);
		struct xb_image_ctx ictx = { .kernel = c->kernel, .arch = c->arch,
					     .device = c->cfg.device, .cache_dir = c->cache_dir,
					     .params = &c->suite->benches[i].params };

		if (h && c->arch->foreign && !h->foreign) {
			rc = xb_error_set(-ENOTSUP, "benchmark %s needs host-side preparation that %s guests do not have yet",
					  c->suite->benches[i].name, c->arch->name);
			goto out;
		}
		if (h && (rc = h->prepare(&img, &ictx)))
			goto out;
	}
	rc = xb_image_build_cached(&c->image_path, c->image_sha, &img, c->cache_dir);
out:
	xb_buf_free(&init);
	xb_image_free(&img);
	return rc;
}
