// SPDX-License-Identifier: GPL-2.0
/*
 * Preparing a run: the suite and the request's overrides, the clock, the
 * backend's configuration and device, the kernel, the guest image, the
 * accelerator and the fingerprint. Nothing is recorded for what fails here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "common.h"
#include "error.h"
#include "run-ctx.h"
#include "device.h"
#include "fingerprint.h"
#include "sha256.h"
#include "userland.h"

static int load_suite(struct xb_run_ctx *c)
{
	char *path;
	int rc;

	rc = xb_suite_path(&path, c->o.suite);
	if (rc)
		return rc;
	rc = xb_suite_load(&c->suite, path);
	free(path);
	if (rc)
		return rc;
	if (c->o.backend && (rc = xb_suite_set_backend(c->suite, c->o.backend)))
		goto out;
	c->backend = xb_backend_find(c->suite->backend);
	if (c->o.device) {
		xb_kv_set(&c->suite->backend_params, "device", c->o.device);
		rc = xb_backend_check_params(c->backend, &c->suite->backend_params);
		if (rc) {
			char *why = xb_error_take();

			xb_error_set(rc, "%s (--device is for the native backend)", why);
			free(why);
			goto out;
		}
	}
	if (c->o.fs) {
		free(c->suite->fs);
		c->suite->fs = xb_strdup(c->o.fs);
	}
	if (c->o.inject) {
		c->suite->inject = true;
		c->suite->inject_spin = c->o.inject_spin;
	}
	if (c->suite->inject && (c->backend->native || c->backend->arch)) {
		rc = xb_error_set(-EINVAL, "inject_dax_spin needs an x86 guest, not backend %s",
				  c->backend->name);
		goto out;
	}
	if (c->o.boots)
		c->suite->boots = c->o.boots;
	if (c->o.timeout_s)
		c->suite->timeout_s = c->o.timeout_s;
	c->fs = xb_fs_find(c->suite->fs);
	if (!c->fs) {
		rc = xb_error_set(-EINVAL, "unknown filesystem '%s' (ext4 or xfs)", c->suite->fs);
		goto out;
	}
	rc = c->backend->configure(&c->cfg, &c->suite->backend_params);
out:
	return rc;
}

static int requested_clock(struct xb_run_ctx *c)
{
	const char *s = c->o.clock ? c->o.clock : c->suite->clock ? c->suite->clock : "auto";

	if (xb_clock_parse(&c->clock, s))
		return xb_error_set(-EINVAL, "--clock is auto, wall or icount, not '%s'", s);
	if (c->clock != XB_CLOCK_ICOUNT)
		return 0;
	if (c->backend->native)
		return xb_error_set(-EINVAL, "the %s backend runs on this machine and has only wall time: "
				    "--clock icount needs a QEMU guest", c->backend->name);
	if (!strcmp(c->o.accel, "kvm"))
		return xb_error_set(-EINVAL, "--clock icount needs TCG: it cannot go with --accel kvm");
	return 0;
}

/*
 * Once the accelerator is known. icount runs every vCPU round-robin on one
 * host thread and advances the one guest clock by the instructions of
 * whichever vCPU runs: guest threads never run at once, and each sees the
 * others' instructions as its own elapsed time. A multi-vCPU suite
 * (threads.suite) then measures serialised work, not scaling or
 * contention, so auto gives it wall; icount asked for is allowed, and said.
 */
static void choose_clock(struct xb_run_ctx *c)
{
	bool tcg = !strcmp(c->accel, "tcg"), smp = c->suite->smp > 1;

	if (c->clock == XB_CLOCK_AUTO) {
		c->clock = tcg && !smp ? XB_CLOCK_ICOUNT : XB_CLOCK_WALL;
		if (tcg && smp)
			c->clock_note = "auto chose wall: under icount the guest's vCPUs would "
					"run one at a time, so threads could not overlap";
	} else if (c->clock == XB_CLOCK_ICOUNT && smp) {
		c->clock_note = "icount with several vCPUs: they run one at a time on one host "
				"thread, each charged the others' instructions; threads never overlap";
		xb_warn("%s", c->clock_note);
	}
}

static void clock_fingerprint(struct xb_run_ctx *c)
{
	struct xb_kvlist *fp = &c->fp;

	xb_kv_set(fp, XB_FP_CLOCK, xb_clock_name(c->clock));
	if (c->clock == XB_CLOCK_ICOUNT)
		xb_kv_set(fp, XB_FP_CLOCK_ICOUNT, XB_ICOUNT_ARGS);
	if (c->clock_note)
		xb_kv_set(fp, XB_FP_CLOCK_NOTE, c->clock_note);
}

/* What every run records, guest or native. */
static void common_fingerprint(struct xb_run_ctx *c)
{
	struct xb_kvlist *fp = &c->fp;

	xb_kv_set(fp, "suite", c->suite->name);
	clock_fingerprint(c);
	if (c->kbuild) {
		const struct xb_kbuild *b = c->kbuild;

		xb_kv_set(fp, "kernel.commit", b->commit);
		xb_kv_set(fp, "kernel.describe", b->describe);
		xb_kv_setf(fp, "kernel.commit_date", "%lld", b->commit_date);
		xb_kv_set(fp, "kernel.src_tree", b->tree);
		xb_kv_set(fp, "kernel.src_dirty", b->dirty ? "yes" : "no");
		xb_kv_set(fp, "kernel.build_config_sha256", b->config_input_sha256);
		xb_kv_set(fp, "kernel.build_compiler", b->compiler);
	}
	if (c->o.kernel_commit)
		xb_kv_set(fp, "kernel.commit", c->o.kernel_commit);
	if (c->o.kernel_describe)
		xb_kv_set(fp, "kernel.describe", c->o.kernel_describe);
	if (c->o.kernel_commit_date)
		xb_kv_setf(fp, "kernel.commit_date", "%lld", c->o.kernel_commit_date);
	xb_kv_set(fp, "suite.sha256", c->suite->sha256);
	xb_kv_set(fp, "backend", c->backend->name);
	for (size_t i = 0; i < c->cfg.fingerprint.n; i++)
		xb_kv_set(fp, c->cfg.fingerprint.v[i].key, c->cfg.fingerprint.v[i].value);
	xb_kv_set(fp, "fs", c->fs->name);
	xb_kv_set(fp, "fs.dax_option", c->fs->dax_opt);
	xb_kv_setf(fp, "boots", "%u", c->suite->boots);
	if (c->suite->inject)
		xb_kv_setf(fp, "inject.dax_fault_spin", "%u", c->suite->inject_spin);
}

static void build_fingerprint(struct xb_run_ctx *c)
{
	struct xb_kvlist *fp = &c->fp;

	xb_fingerprint_kernel(fp, c->kernel);
	xb_kv_set(fp, "kernel.cmdline", c->append);
	common_fingerprint(c);
	xb_kv_set(fp, "qemu.binary", c->qemu);
	xb_kv_set(fp, "qemu.version", c->qemu_version ? c->qemu_version : "unknown");
	xb_kv_set(fp, "qemu.accel", c->accel);
	xb_kv_set(fp, "qemu.host_thp", XB_QEMU_HOST_THP);
	xb_kv_set(fp, "qemu.host_ksm", XB_QEMU_HOST_KSM);
	xb_kv_set(fp, "qemu.cpu", c->suite->cpu ? c->suite->cpu : "default");
	xb_kv_setf(fp, "qemu.mem_mb", "%u", c->cfg.mem_mb);
	xb_kv_setf(fp, "qemu.smp", "%u", c->suite->smp);
	xb_kv_set(fp, "guest.image_sha256", c->image_sha);
	if (c->arch->foreign) {
		xb_kv_set(fp, "guest.arch", c->arch->name);
		char *v = xb_strdup(c->userland_versions);

		for (char *p = v; *p; p++)
			if (*p == '\n')
				*p = ' ';
		xb_kv_set(fp, "guest.userland", xb_trim(v));
		free(v);
	}
}

static int make_artifacts(struct xb_run_ctx *c)
{
	char uuid[37];
	int rc;

	xb_uuid(uuid);
	c->artifacts = xb_asprintf("%s/runs/%s", c->cache_dir, uuid);
	rc = xb_mkdir_p(c->artifacts, 0755);
	if (rc)
		xb_error_set(rc, "cannot create %s: %s", c->artifacts, strerror(-rc));
	return rc;
}

/* A backend that makes its device (dcssblk) makes it now; a dry run
 * only says it would. */
static int attach(struct xb_run_ctx *c)
{
	if (!c->backend->attach || c->dry)
		return 0;
	return c->backend->attach(&c->cfg, &c->suite->backend_params);
}

/* After the run: a device left behind is worth a warning, not the run's
 * failure. */
void xb_run_detach(struct xb_run_ctx *c)
{
	char *before;

	if (!c->backend || !c->backend->detach || !c->cfg.priv)
		return;
	before = xb_error_take();   /* the run's own error, if any, stays the error */
	if (c->backend->detach(&c->cfg)) {
		char *why = xb_error_take();

		xb_warn("%s", why);
		free(why);
	}
	if (*before)
		xb_error_set(-EIO, "%s", before);
	free(before);
}

/*
 * A native run: the benchmark program on this machine, against the device
 * the user named - refused unless it is a block device that nothing uses.
 */
static int prepare_native(struct xb_run_ctx *c)
{
	struct xb_buf plan = { 0 };
	char *mnt, *path, *cmdline = NULL;
	struct utsname u;
	int rc;

	if (geteuid())
		return xb_error_set(-EPERM, "the native backend makes a filesystem and mounts it: run as root");
	rc = attach(c);
	if (rc)
		return rc;
	rc = c->dry && c->backend->attach ? 0 : xb_device_check_free(c->cfg.device, NULL);
	if (rc)
		return rc;
	rc = make_artifacts(c);
	if (rc)
		return rc;
	mnt = xb_asprintf("%s/mnt", c->artifacts);
	path = xb_asprintf("%s/plan", c->artifacts);
	xb_run_plan_text(&plan, c, mnt);
	rc = xb_write_file_atomic(path, plan.p, plan.len);
	if (rc)
		xb_error_set(rc, "cannot write %s: %s", path, strerror(-rc));
	c->plan_path = path;
	c->accel = "native";
	c->clock = XB_CLOCK_WALL;
	xb_fingerprint_host(&c->fp);
	if (!uname(&u))
		xb_kv_set(&c->fp, "kernel.release", u.release);
	if (!xb_read_file(&cmdline, NULL, "/proc/cmdline"))
		xb_kv_set(&c->fp, "kernel.cmdline", xb_trim(cmdline));
	free(cmdline);
	common_fingerprint(c);
	free(mnt);
	xb_buf_free(&plan);
	return rc;
}

/* kernel.config.NAME for each option the backend needs; a kernel without
 * one (or with an unknown config) is a skip, -ENOTSUP, with the reason. */
static int check_kconfig(struct xb_run_ctx *c)
{
	struct xb_buf missing = { 0 };
	char *cfg = NULL;
	int rc = 0;

	if (!c->backend->kconfig)
		return 0;
	if (!c->kernel->config || xb_read_file(&cfg, NULL, c->kernel->config))
		return xb_error_set(-ENOTSUP, "skipped: the %s backend needs to know the kernel's configuration, and %s has none",
				    c->backend->name, c->kernel->release);
	xb_fingerprint_kconfig(&c->cfg.fingerprint, cfg, c->backend->kconfig, &missing);
	if (missing.len)
		rc = xb_error_set(-ENOTSUP, "skipped: kernel %s cannot run the %s backend (%s)",
				  c->kernel->release, c->backend->name, missing.p);
	xb_buf_free(&missing);
	free(cfg);
	return rc;
}

/* The kernel: a Debian package, a bzImage, or one built from a git tree. */
static int resolve_kernel(struct xb_run_ctx *c)
{
	struct xb_kbuild_opts ko = { .cache_dir = c->cache_dir, .fragment = c->o.kconfig,
				     .allow_dirty = c->o.allow_dirty };
	char *dir = NULL, *rev = NULL;
	int rc;

	if (!c->o.kernel_src)
		return xb_kernel_resolve_arch(&c->kernel, c->o.kernel, c->o.modules, c->cache_dir,
					      c->arch->name);
	if (c->arch->foreign)
		return xb_error_set(-EINVAL, "--kernel-src builds x86-64 kernels; the %s backend "
				    "boots %s guests", c->backend->name, c->arch->name);
	rc = xb_kbuild_parse_spec(&dir, &rev, c->o.kernel_src);
	if (!rc)
		rc = xb_kbuild(&c->kbuild, dir, rev, &ko);
	if (!rc)
		rc = xb_kernel_resolve_arch(&c->kernel, c->kbuild->bzimage, NULL, c->cache_dir,
					    c->arch->name);
	if (!rc) {
		/* built in, no modules: the config is the build's */
		c->kernel->config = xb_strdup(c->kbuild->config);
		rc = xb_sha256_file_hex(c->kernel->config_sha256, c->kernel->config);
		if (rc)
			xb_error_set(rc, "cannot read %s: %s", c->kernel->config, strerror(-rc));
	}
	free(dir);
	free(rev);
	return rc;
}

/* A guest of another architecture: its userland, from its Debian packages. */
static int prepare_foreign(struct xb_run_ctx *c)
{
	int rc;

	rc = xb_apt_ensure_arch(c->arch->name);
	if (rc)
		return rc;
	return xb_userland(&c->userland, &c->userland_versions, c->cache_dir, c->arch->name,
			   c->arch->packages);
}

/* The backend's own QEMU (dcssblk-emu: the DCSS-patched one), else the
 * architecture's stock binary. */
static int find_qemu(struct xb_run_ctx *c)
{
	if (c->backend->qemu)
		return c->backend->qemu(&c->qemu, &c->cfg);
	return xb_need_program(&c->qemu, c->arch->qemu, c->arch->qemu_package);
}

int xb_run_prepare(struct xb_run_ctx *c)
{
	int rc;

	rc = load_suite(c);
	if (!rc)
		rc = requested_clock(c);
	if (rc)
		return rc;
	c->arch = xb_arch_find(c->backend->arch);
	if (!c->arch)
		return xb_error_set(-ENOTSUP, "no %s guests: only s390x", c->backend->arch);
	rc = c->arch->foreign ? xb_guest_program_path_arch(&c->guest_prog, c->arch->name) :
				xb_guest_program_path(&c->guest_prog);
	if (rc)
		return rc;
	rc = xb_cache_dir_export(&c->cache_dir, c->o.cache);
	if (rc)
		return rc;
	rc = xb_mkdir_p(c->cache_dir, 0755);
	if (rc)
		return xb_error_set(rc, "cannot create cache directory %s: %s", c->cache_dir,
				    strerror(-rc));
	if (c->backend->native)
		return prepare_native(c);
	if (c->arch->foreign && !strcmp(c->o.accel, "kvm"))
		return xb_error_set(-EINVAL, "--accel kvm: %s guests run under TCG on this machine",
				    c->arch->name);
	rc = find_qemu(c);
	if (!rc && c->arch->foreign)
		rc = prepare_foreign(c);
	if (rc)
		return rc;
	c->qemu_version = xb_qemu_version(c->qemu);
	rc = resolve_kernel(c);
	if (rc)
		return rc;
	rc = check_kconfig(c);
	if (rc)
		return rc;
	rc = xb_run_build_image(c);
	if (rc)
		return rc;
	c->append = xb_asprintf("%s%s%s%s%s%s", c->arch->append,
				c->cfg.append.p ? c->cfg.append.p : "",
				c->suite->append ? " " : "", c->suite->append ? c->suite->append : "",
				c->o.append ? " " : "", c->o.append ? c->o.append : "");
	rc = make_artifacts(c);
	if (rc)
		return rc;
	if (c->backend->boot_prepare && (rc = c->backend->boot_prepare(&c->cfg, c->artifacts)))
		return rc;
	xb_fingerprint_host(&c->fp);
	c->accel = xb_run_choose_accel(c);
	choose_clock(c);
	build_fingerprint(c);
	return 0;
}
