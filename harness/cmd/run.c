// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench run: kernel -> guest image -> boot(s) -> results stream -> db.
 * A run is recorded in one transaction once all its boots are over:
 * finished with every sample, or failed with its reason and console tail.
 * Nothing is recorded for bad input found before the first boot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include "config.h"
#include "cmd.h"
#include "options.h"
#include "plugin-list.h"
#include "device.h"
#include "common.h"
#include "error.h"
#include "run.h"
#include "bench-host.h"
#include "kernel.h"
#include "kmod.h"
#include "modules.h"
#include "initramfs.h"
#include "qemu.h"
#include "backends.h"
#include "workload.h"
#include "fingerprint.h"
#include "userland.h"
#include "segshare.h"
#include "guest-setup.h"
#include "stream-writer.h"
#include "caps.h"
#include "clock.h"
#include "fs-table.h"
#include "plan.h"
#include "sha256.h"
#include "stream-format.h"
#include "db.h"
#include "error.h"
#include "stream.h"

#define QEMU_BIN "qemu-system-x86_64"
#define PROBE_TIMEOUT_S 30.0

struct run_opts {
	struct xb_run_request r;
	const char *db;
	bool dry_run;
};

struct run_ctx {
	struct xb_run_request o;
	struct xb_suite *suite;
	const struct xb_backend_ops *backend;
	const struct xb_fs *fs;
	struct xb_kernel *kernel;
	struct xb_guest_config guest;
	char *cache_dir;
	char *guest_prog;
	char *image_path;
	char image_sha[65];
	char *append;
	char *qemu;
	char *qemu_version;
	const char *accel;
	enum xb_clock clock;  /* asked for (maybe auto) until choose_clock() */
	const char *clock_note; /* why the clock is what it is, or NULL */
	char *artifacts;
	char *plan_path;      /* native runs: the plan file */
	const char *arch;     /* a foreign guest's Debian architecture, or NULL */
	char *userland;       /* its unpacked packages (busybox, mke2fs) */
	char *userland_versions;
	struct xb_kvlist fp;
	bool dry;
};

static const char *const applets[] = {
	"sh", "mount", "umount", "insmod", "mkdir", "cat", "echo", "sleep",
	"poweroff", "sync", "ls", "dmesg", "reboot", "uname", "grep",
};

/* Packages an s390x guest image takes its programs from. */
static const char *const s390x_packages[] = {
	"busybox-static", "e2fsprogs", "libext2fs2", "libcom-err2", "libblkid1", "libuuid1",
	"libc6", "coreutils", NULL,
};
static const char *const s390x_libs[] = {
	"ld64.so.1", "libext2fs.so.2", "libcom_err.so.2", "libblkid.so.1", "libuuid.so.1",
	"libe2p.so.2", "libc.so.6",
};

/* /init: bring up the basics, load the modules in dependency order, run
 * the backend's own setup, hand over to the guest program, and power off
 * whatever happens. */
static const char init_head[] =
	"#!/bin/sh\n"
	"mount -t proc proc /proc\n"
	"mount -t sysfs sysfs /sys\n"
	"mount -t devtmpfs devtmpfs /dev\n"
	"mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null\n";
/* s390x: the SCLP line-mode console drops a user-space tty's output near
 * power-off; through the kernel's log (loglevel=5) every line arrives. */
static const char init_kmsg[] = "exec > /dev/kmsg 2>&1\n";
static const char init_modules[] =
	"echo 'daxbench-guest: stage modules'\n"
	"while read -r m; do\n"
	"  insmod \"/lib/modules/$(uname -r)/$m\" || echo \"daxbench-guest: warning: insmod $m failed\"\n"
	"done < /daxbench/modules\n";
static const char init_tail[] =
	"echo \"daxbench-guest: exited with status $?\"\n"
	"sync\n"
	"poweroff -f\n";

static void init_script(struct xb_buf *b, const struct run_ctx *c)
{
	xb_buf_adds(b, init_head);
	if (c->arch)
		xb_buf_adds(b, init_kmsg);
	xb_buf_adds(b, init_modules);
	if (c->backend->guest_init)
		xb_buf_adds(b, c->backend->guest_init);
	xb_buf_addf(b, "/daxbench/daxbench-guest %s--poweroff\n",
		    c->arch ? "--stream " XB_STREAM_GUEST_VPORT " " : "");
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
	"poweroff -f\n";

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench run [options]\n"
"\n"
"Boot a kernel in a QEMU guest on a backend device, run a suite of\n"
"benchmarks there, and record every sample in the results database.\n"
"\n"
"  --kernel SPEC      Debian kernel: a release (6.1.0-54-amd64) or package name\n"
"                     (linux-image-6.1.0-54-amd64-unsigned); default: the newest\n"
"                     6.1 amd64 build apt offers. Or a path to a bzImage.\n"
"  --modules DIR      with a bzImage: its lib/modules/<release> (with modules.dep)\n"
"  --suite NAME|FILE  workloads/NAME.suite or a suite file (default: quick)\n"
"  --backend NAME     override the suite's backend (Backends below); a guest of\n"
"                     another architecture takes a --kernel of that architecture\n"
"  --device PATH      native backend: the block device to FORMAT and measure; it\n"
"                     must not be mounted or in use (checked, refused otherwise)\n"
"  --fs NAME          override the suite's filesystem (ext4, xfs)\n"
"  --boots N          boots of the guest (each its own sample of boot-to-boot noise)\n"
"  --timeout S        seconds a boot may take before the guest counts as hung\n"
"  --accel A          auto (default: KVM only if a probe boot proves it works), tcg, kvm\n"
"  --clock C          what guest time is: auto (default; the suite's [guest] clock\n"
"                     when it has one): icount under TCG with one vCPU, else wall;\n"
"                     icount: QEMU's instruction counter (TCG single-threaded,\n"
"                     1 ns = 1 guest instruction, the same every boot; misses cache,\n"
"                     TLB and memory latency); wall: host time\n"
"  --append ARGS      extra kernel command line\n"
"  --label TEXT       a label stored with the run, for selecting it later\n"
"  --inject-dax-spin N  calibration: load bench/kmod/daxbench_inject in the guest,\n"
"                     N empty-loop iterations per DAX PTE fault (fingerprint\n"
"                     inject.dax_fault_spin; see daxbench calibrate)\n"
"  --kernel-commit SHA      the kernel's git commit (7-40 hex digits); trends\n"
"                     then order its runs by commit date, not package version\n"
"  --kernel-describe STR    `git describe` of the kernel, shown on trend points\n"
"  --kernel-commit-date D   commit date: unix seconds or ISO 8601\n"
"                     (2024-05-01T10:00:00+02:00), as git log %%ct / %%cI print\n"
"  --db PATH          results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  --cache-dir DIR    kernels, guest images, run artifacts (default ~/.cache/daxbench)\n"
"  --dry-run          resolve everything and print the QEMU command; boot nothing,\n"
"                     record nothing\n"
"  -h, --help         this text\n"
"\n"
"Backends (daxbench list-backends: what each offers, its parameters):\n");
	xb_backends_help(f, xb_backends);
	fprintf(f,
"\n"
"Benchmarks, a suite's [bench NAME] sections (daxbench list-benches: what each\n"
"needs, its parameters):\n");
	xb_benches_help(f, xb_benches);
	fprintf(f,
"\n"
"Exit status: 0 run finished and recorded, 1 error or failed run (recorded as\n"
"failed with its reason when a boot had started), 2 usage, 77 skipped: this\n"
"machine or kernel cannot run the backend (the reason printed, nothing\n"
"recorded), 130/143 interrupted.\n");
}

static bool valid_commit(const char *s)
{
	size_t n = strlen(s);

	return n >= 7 && n <= 40 && strspn(s, "0123456789abcdefABCDEF") == n;
}

static int parse_one(void *ctx, int key, const char *arg)
{
	struct run_opts *o = ctx;
	int rc;

	switch (key) {
	case 'k': o->r.kernel = arg; return 0;
	case 'M': o->r.modules = arg; return 0;
	case 's': o->r.suite = arg; return 0;
	case 'b': o->r.backend = arg; return 0;
	case 'f': o->r.fs = arg; return 0;
	case 'D': o->r.device = arg; return 0;
	case 'a': o->r.accel = arg; return 0;
	case 'A': o->r.append = arg; return 0;
	case 'l': o->r.label = arg; return 0;
	case 'C': o->r.kernel_commit = arg; return 0;
	case 'E': o->r.kernel_describe = arg; return 0;
	case 'T':
		if (!xb_parse_commit_date(&o->r.kernel_commit_date, arg))
			return 0;
		return xb_error_set(-EINVAL, "--kernel-commit-date takes unix seconds or ISO 8601 "
				    "(2024-05-01T10:00:00+02:00), not '%s'", arg);
	case 'c': o->r.cache = arg; return 0;
	case 'n': o->dry_run = true; return 0;
	case 'I':
		rc = xb_opt_uint(&o->r.inject_spin, "inject-dax-spin", arg, 0, 100000000);
		o->r.inject = !rc;
		return rc;
	case 'B': return xb_opt_uint(&o->r.boots, "boots", arg, 1, 1000);
	case 't': return xb_opt_uint(&o->r.timeout_s, "timeout", arg, 5, 86400);
	}
	return -EINVAL;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
static int parse_opts(struct run_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "modules", required_argument, NULL, 'M' },
		{ "suite", required_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ "fs", required_argument, NULL, 'f' },
		{ "device", required_argument, NULL, 'D' },
		{ "boots", required_argument, NULL, 'B' },
		{ "timeout", required_argument, NULL, 't' },
		{ "accel", required_argument, NULL, 'a' },
		{ "append", required_argument, NULL, 'A' },
		{ "label", required_argument, NULL, 'l' },
		{ "kernel-commit", required_argument, NULL, 'C' },
		{ "kernel-describe", required_argument, NULL, 'E' },
		{ "kernel-commit-date", required_argument, NULL, 'T' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "inject-dax-spin", required_argument, NULL, 'I' },
		{ 0 },
	};
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB | XB_OPT_CLOCK,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage };
	struct xb_opts so;
	int rc;

	o->r.suite = "quick";
	o->r.accel = "auto";
	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	o->r.clock = so.clock;
	if (so.nargs) {
		xb_err("run takes no argument '%s' (see daxbench run --help)", argv[so.first_arg]);
		return -EINVAL;
	}
	if (o->r.kernel_commit && !valid_commit(o->r.kernel_commit)) {
		xb_err("--kernel-commit takes a git commit id (7 to 40 hex digits), not '%s'",
		       o->r.kernel_commit);
		return -EINVAL;
	}
	if ((o->r.kernel_describe || o->r.kernel_commit_date) && !o->r.kernel_commit) {
		xb_err("--kernel-describe and --kernel-commit-date describe a --kernel-commit: give it too");
		return -EINVAL;
	}
	if (strcmp(o->r.accel, "auto") && strcmp(o->r.accel, "tcg") && strcmp(o->r.accel, "kvm")) {
		xb_err("--accel is auto, tcg or kvm, not '%s'", o->r.accel);
		return -EINVAL;
	}
	return 0;
}

static int load_suite(struct run_ctx *c)
{
	struct xb_buf err = { 0 };
	char *path;
	int rc = xb_suite_path(&path, c->o.suite);

	if (rc) {
		xb_error_print(rc);
		return rc;
	}
	rc = xb_suite_load(&c->suite, path);
	free(path);
	if (rc)
		return rc;
	if (c->o.backend && (rc = xb_suite_set_backend(c->suite, c->o.backend, &err))) {
		xb_err("%s", err.p);
		goto out;
	}
	c->backend = xb_backend_find(c->suite->backend);
	if (c->o.device) {
		xb_kv_set(&c->suite->backend_params, "device", c->o.device);
		rc = xb_backend_check_params(c->backend, &c->suite->backend_params, &err);
		if (rc) {
			xb_err("%s (--device is for the native backend)", err.p);
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
		xb_err("inject_dax_spin needs an x86 guest, not backend %s", c->backend->name);
		rc = -EINVAL;
		goto out;
	}
	if (c->o.boots)
		c->suite->boots = c->o.boots;
	if (c->o.timeout_s)
		c->suite->timeout_s = c->o.timeout_s;
	c->fs = xb_fs_find(c->suite->fs);
	if (!c->fs) {
		xb_err("unknown filesystem '%s' (ext4 or xfs)", c->suite->fs);
		rc = -EINVAL;
		goto out;
	}
	rc = c->backend->configure(&c->guest, &c->suite->backend_params, &err);
	if (rc)
		xb_err("%s", err.p);
out:
	xb_buf_free(&err);
	return rc;
}

static int add_modules(struct xb_image *img, const struct run_ctx *c)
{
	struct xb_moddep *dep = NULL;
	struct xb_kvlist order = { 0 };
	struct xb_buf list = { 0 };
	int rc = 0;

	if (!c->kernel->modules_dir) {
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
	if (rc)
		xb_error_print(rc);
	return rc;
}

/* The plan for the benchmark program; mount_dir NULL: the guest's default. */
static void plan_text(struct xb_buf *text, const struct run_ctx *c, const char *mount_dir)
{
	struct xb_kvlist plan = { 0 };
	struct xb_buf benches = { 0 };
	char *caps = xb_caps_format(c->backend->caps);

	xb_kv_setf(&plan, "plan.version", "%d", XB_PLAN_VERSION);
	xb_kv_set(&plan, "backend", c->backend->name);
	xb_kv_set(&plan, "device", c->guest.device);
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

static void add_plan(struct xb_image *img, const struct run_ctx *c)
{
	struct xb_buf text = { 0 };

	plan_text(&text, c, NULL);
	xb_image_data(img, XB_PLAN_GUEST_PATH, text.p, text.len, 0644);
	xb_buf_free(&text);
}

/* Calibration: daxbench_inject, which the guest loads before measuring. */
static int add_inject(struct xb_image *img, const struct run_ctx *c)
{
	char *ko = NULL, *skip = NULL;
	int rc;

	if (!c->suite->inject)
		return 0;
	rc = xb_kmod_build(&ko, &skip, "daxbench_inject", c->kernel->release, c->cache_dir);
	if (rc) {
		xb_error_print(rc);
	} else if (skip) {
		xb_err("inject_dax_spin: %s", skip);
		rc = -ENOENT;
	} else {
		xb_image_file(img, XB_GUEST_INJECT_KO, ko, 0644);
	}
	free(ko);
	free(skip);
	return rc;
}

/* busybox and the filesystem's mkfs of this machine. */
static int add_programs(struct xb_image *img, const struct run_ctx *c)
{
	int rc;

	if (!xb_is_executable("/bin/busybox")) {
		xb_err("/bin/busybox is missing: apt-get install busybox-static");
		return -ENOENT;
	}
	xb_image_file(img, "/bin/busybox", "/bin/busybox", 0755);
	rc = xb_image_program(img, c->fs->mkfs);
	if (rc) {
		xb_error_print(rc);
		xb_err("the guest needs %s: apt-get install %s", c->fs->mkfs,
		       strcmp(c->fs->name, "xfs") ? "e2fsprogs" : "xfsprogs");
		return rc;
	}
	if (xb_path_exists("/etc/mke2fs.conf"))
		xb_image_file(img, "/etc/mke2fs.conf", "/etc/mke2fs.conf", 0644);
	return 0;
}

/* A shared object of the foreign packages: lib/ or usr/lib/<triplet>/. */
static char *userland_lib(const struct run_ctx *c, const char *name)
{
	for (const char *d = "lib\0usr/lib\0"; *d; d += strlen(d) + 1) {
		char *host = xb_asprintf("%s/%s/s390x-linux-gnu/%s", c->userland, d, name);

		if (xb_path_exists(host))
			return host;
		free(host);
	}
	xb_err("%s is not in the %s packages unpacked in %s", name, c->arch, c->userland);
	return NULL;
}

/* The same from the foreign architecture's packages (prepare() fetched
 * them): ext4's mke2fs and the shared objects it links, at the paths
 * ld.so looks in. */
static int add_foreign_programs(struct xb_image *img, const struct run_ctx *c)
{
	char *p;

	if (strcmp(c->fs->name, "ext4")) {
		xb_err("%s guests carry ext4's mke2fs only, not %s's mkfs: use --fs ext4",
		       c->arch, c->fs->name);
		return -ENOTSUP;
	}
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
	for (size_t i = 0; i < XB_ARRAY_SIZE(s390x_libs); i++) {
		char *host = userland_lib(c, s390x_libs[i]), *guest, *link;

		if (!host)
			return -ENOENT;
		guest = xb_asprintf("/lib/s390x-linux-gnu/%s", s390x_libs[i]);
		link = xb_asprintf("/lib/%s", s390x_libs[i]);
		xb_image_file(img, guest, host, 0755);
		xb_image_symlink(img, link, guest + 5);
		free(host);
		free(guest);
		free(link);
	}
	return 0;
}

static int build_image(struct run_ctx *c)
{
	struct xb_image img = { 0 };
	struct xb_buf init = { 0 };
	int rc;

	for (const char *d = "/proc\0/sys\0/dev\0/mnt\0/tmp\0/root\0/sys/kernel/tracing\0";
	     *d; d += strlen(d) + 1)
		xb_image_dir(&img, d);
	rc = c->arch ? add_foreign_programs(&img, c) : add_programs(&img, c);
	if (rc)
		goto out;
	for (size_t i = 0; i < XB_ARRAY_SIZE(applets); i++) {
		char *p = xb_asprintf("/bin/%s", applets[i]);

		xb_image_symlink(&img, p, "busybox");
		free(p);
	}
	init_script(&init, c);
	xb_image_data(&img, "/init", init.p, init.len, 0755);
	xb_image_data(&img, "/daxbench/probe", probe_script, sizeof(probe_script) - 1, 0755);
	xb_image_data(&img, "/daxbench/hang", hang_script, sizeof(hang_script) - 1, 0755);
	xb_image_data(&img, "/daxbench/panic", panic_script, sizeof(panic_script) - 1, 0755);
	xb_image_file(&img, "/daxbench/daxbench-guest", c->guest_prog, 0755);
	rc = add_modules(&img, c);
	if (rc)
		goto out;
	add_plan(&img, c);
	rc = add_inject(&img, c);
	if (rc)
		goto out;
	for (size_t i = 0; i < c->suite->nbenches; i++) {
		const struct xb_bench_host *h = xb_bench_host_find(c->suite->benches[i].name);
		struct xb_image_ctx ictx = { .kernel = c->kernel, .cache_dir = c->cache_dir,
					     .params = &c->suite->benches[i].params };

		if (h && c->arch) {
			xb_err("benchmark %s needs host-side preparation that %s guests do not have yet",
			       c->suite->benches[i].name, c->arch);
			rc = -ENOTSUP;
			goto out;
		}
		if (h && (rc = h->prepare(&img, &ictx))) {
			xb_error_print(rc);
			goto out;
		}
	}
	rc = xb_image_build_cached(&c->image_path, c->image_sha, &img, c->cache_dir);
	if (rc)
		xb_error_print(rc);
out:
	xb_buf_free(&init);
	xb_image_free(&img);
	return rc;
}

static void base_qemu_opts(struct xb_qemu_opts *q, const struct run_ctx *c)
{
	memset(q, 0, sizeof(*q));
	q->binary = c->backend->native ? c->guest_prog : c->qemu;
	q->kernel = c->kernel ? c->kernel->vmlinuz : NULL;
	q->initrd = c->image_path;
	q->smp = c->suite->smp;
	q->cpu = c->suite->cpu;
	q->arch = c->arch;
}

/* The options of a measuring boot. */
static void boot_qemu_opts(struct xb_qemu_opts *q, const struct run_ctx *c,
			   const char *console, const char *stream)
{
	base_qemu_opts(q, c);
	q->accel = c->accel;
	q->icount = c->clock == XB_CLOCK_ICOUNT;
	q->mem_mb = c->guest.mem_mb;
	q->mem_extra = c->guest.mem_extra;
	q->extra = &c->guest.qemu_args;
	q->append = c->append;
	q->console_path = console;
	q->stream_path = stream;
}

/* KVM only where a short boot proves it: a nested or broken KVM hangs
 * stock kernels early in boot. The answer is cached per kernel and host. */
static const char *choose_accel(struct run_ctx *c)
{
	struct xb_qemu_opts q;
	struct xb_qemu_result r;
	char key[65], *dir, *path, *src, *cached = NULL, *con, *err;
	const char *answer = "tcg";
	int rc;

	if (c->arch)      /* a foreign architecture: only TCG emulates it */
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
	base_qemu_opts(&q, c);
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
	rc = xb_qemu_boot(&r, &q);
	if (rc)
		xb_error_print(rc);
	if (!rc) {
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

/* The clock asked for: --clock, else the suite's, else auto. */
static int requested_clock(struct run_ctx *c)
{
	const char *s = c->o.clock ? c->o.clock : c->suite->clock ? c->suite->clock : "auto";

	if (xb_clock_parse(&c->clock, s)) {
		xb_err("--clock is auto, wall or icount, not '%s'", s);
		return -EINVAL;
	}
	if (c->clock != XB_CLOCK_ICOUNT)
		return 0;
	if (c->backend->native) {
		xb_err("the %s backend runs on this machine and has only wall time: "
		       "--clock icount needs a QEMU guest", c->backend->name);
		return -EINVAL;
	}
	if (!strcmp(c->o.accel, "kvm")) {
		xb_err("--clock icount needs TCG: it cannot go with --accel kvm");
		return -EINVAL;
	}
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
static void choose_clock(struct run_ctx *c)
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

static void clock_fingerprint(struct run_ctx *c)
{
	struct xb_kvlist *fp = &c->fp;

	xb_kv_set(fp, XB_FP_CLOCK, xb_clock_name(c->clock));
	if (c->clock == XB_CLOCK_ICOUNT)
		xb_kv_set(fp, XB_FP_CLOCK_ICOUNT, XB_ICOUNT_ARGS);
	if (c->clock_note)
		xb_kv_set(fp, XB_FP_CLOCK_NOTE, c->clock_note);
}

/* What every run records, guest or native. */
static void common_fingerprint(struct run_ctx *c)
{
	struct xb_kvlist *fp = &c->fp;

	xb_kv_set(fp, "suite", c->suite->name);
	clock_fingerprint(c);
	if (c->o.kernel_commit)
		xb_kv_set(fp, "kernel.commit", c->o.kernel_commit);
	if (c->o.kernel_describe)
		xb_kv_set(fp, "kernel.describe", c->o.kernel_describe);
	if (c->o.kernel_commit_date)
		xb_kv_setf(fp, "kernel.commit_date", "%lld", c->o.kernel_commit_date);
	xb_kv_set(fp, "suite.sha256", c->suite->sha256);
	xb_kv_set(fp, "backend", c->backend->name);
	for (size_t i = 0; i < c->guest.fingerprint.n; i++)
		xb_kv_set(fp, c->guest.fingerprint.v[i].key, c->guest.fingerprint.v[i].value);
	xb_kv_set(fp, "fs", c->fs->name);
	xb_kv_set(fp, "fs.dax_option", c->fs->dax_opt);
	xb_kv_setf(fp, "boots", "%u", c->suite->boots);
	if (c->suite->inject)
		xb_kv_setf(fp, "inject.dax_fault_spin", "%u", c->suite->inject_spin);
}

static void build_fingerprint(struct run_ctx *c)
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
	xb_kv_setf(fp, "qemu.mem_mb", "%u", c->guest.mem_mb);
	xb_kv_setf(fp, "qemu.smp", "%u", c->suite->smp);
	xb_kv_set(fp, "guest.image_sha256", c->image_sha);
	if (c->arch) {
		xb_kv_set(fp, "guest.arch", c->arch);
		char *v = xb_strdup(c->userland_versions);

		for (char *p = v; *p; p++)
			if (*p == '\n')
				*p = ' ';
		xb_kv_set(fp, "guest.userland", xb_trim(v));
		free(v);
	}
}

static int make_artifacts(struct run_ctx *c)
{
	char uuid[37];
	int rc;

	xb_uuid(uuid);
	c->artifacts = xb_asprintf("%s/runs/%s", c->cache_dir, uuid);
	rc = xb_mkdir_p(c->artifacts, 0755);
	if (rc)
		xb_err("cannot create %s: %s", c->artifacts, strerror(-rc));
	return rc;
}

/* A backend that makes its device (dcssblk) makes it now; a dry run
 * only says it would. */
static int attach(struct run_ctx *c)
{
	struct xb_buf err = { 0 };
	int rc;

	if (!c->backend->attach || c->dry)
		return 0;
	rc = c->backend->attach(&c->guest, &c->suite->backend_params, &err);
	if (rc)
		xb_err("%s", err.p);
	xb_buf_free(&err);
	return rc;
}

static void detach(struct run_ctx *c)
{
	struct xb_buf err = { 0 };

	if (c->backend && c->backend->detach && c->guest.priv &&
	    c->backend->detach(&c->guest, &err))
		xb_err("%s", err.p);
	xb_buf_free(&err);
}

/*
 * A native run: the benchmark program on this machine, against the device
 * the user named - refused unless it is a block device that nothing uses.
 */
static int prepare_native(struct run_ctx *c)
{
	struct xb_buf err = { 0 }, plan = { 0 };
	char *mnt, *path, *cmdline = NULL;
	struct utsname u;
	int rc;

	if (geteuid()) {
		xb_err("the native backend makes a filesystem and mounts it: run as root");
		return -EPERM;
	}
	rc = attach(c);
	if (rc)
		return rc;
	rc = c->dry && c->backend->attach ? 0 : xb_device_check_free(c->guest.device, NULL, &err);
	if (rc) {
		xb_err("%s", err.p);
		xb_buf_free(&err);
		return rc;
	}
	rc = make_artifacts(c);
	if (rc)
		return rc;
	mnt = xb_asprintf("%s/mnt", c->artifacts);
	path = xb_asprintf("%s/plan", c->artifacts);
	plan_text(&plan, c, mnt);
	rc = xb_write_file_atomic(path, plan.p, plan.len);
	if (rc)
		xb_err("cannot write %s: %s", path, strerror(-rc));
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

/* The DCSS-patched qemu-system-s390x: $XB_QEMU_DCSS, or what
 * scripts/build-qemu-dcss builds (once; cached by the patch's hash).
 * -ENOTSUP when it cannot be built here (a skip, with the reason). */
static int dcss_qemu(struct run_ctx *c)
{
	const char *env = getenv("XB_QEMU_DCSS");
	char *script = xb_asprintf("%s/scripts/build-qemu-dcss", XB_SOURCE_ROOT);
	char *patch = xb_asprintf("%s/harness/qemu-patches/dcss.patch", XB_SOURCE_ROOT);
	const char *argv[] = { script, NULL };
	struct xb_buf o = { 0 }, e = { 0 };
	char sha[65];
	int rc = 0, status = 0;

	if (!xb_sha256_file_hex(sha, patch))
		xb_kv_setf(&c->guest.fingerprint, "qemu.patch", "harness/qemu-patches/dcss.patch sha256 %.16s",
			   sha);
	if (env && *env) {
		c->qemu = xb_strdup(env);
		goto out;
	}
	xb_progress("the DCSS-patched QEMU (scripts/build-qemu-dcss: about 2 minutes the first time)");
	rc = xb_run(argv, &o, &e, &status);
	xb_progress_done();
	if (rc || status == 77) {
		char *last = e.p ? strrchr(xb_trim(e.p), '\n') : NULL;

		xb_err("skipped: the DCSS-patched QEMU cannot be built here: %s",
		       rc ? strerror(-rc) : last ? last + 1 : e.p ? e.p : "?");
		rc = -ENOTSUP;
	} else if (status || !o.p) {
		xb_err("scripts/build-qemu-dcss failed (exit %d):\n%s", status,
		       e.p ? xb_trim(e.p) : "");
		rc = -EIO;
	} else {
		c->qemu = xb_strdup(xb_trim(o.p));
	}
out:
	free(script);
	free(patch);
	xb_buf_free(&o);
	xb_buf_free(&e);
	return rc;
}

/* kernel.config.NAME for each option the backend needs; a kernel without
 * one (or with an unknown config) is a skip, -ENOTSUP, with the reason. */
static int check_kconfig(struct run_ctx *c)
{
	struct xb_buf missing = { 0 };
	char *cfg = NULL;
	int rc = 0;

	if (!c->backend->kconfig)
		return 0;
	if (!c->kernel->config || xb_read_file(&cfg, NULL, c->kernel->config)) {
		xb_err("skipped: the %s backend needs to know the kernel's configuration, and %s has none",
		       c->backend->name, c->kernel->release);
		return -ENOTSUP;
	}
	xb_fingerprint_kconfig(&c->guest.fingerprint, cfg, c->backend->kconfig, &missing);
	if (missing.len) {
		xb_err("skipped: kernel %s cannot run the %s backend (%s)", c->kernel->release,
		       c->backend->name, missing.p);
		rc = -ENOTSUP;
	}
	xb_buf_free(&missing);
	free(cfg);
	return rc;
}

/* What a guest of another architecture needs before its image is built. */
static int prepare_foreign(struct run_ctx *c)
{
	int rc;

	if (strcmp(c->arch, "s390x")) {
		xb_err("no %s guests: only s390x", c->arch);
		return -ENOTSUP;
	}
	if (!strcmp(c->o.accel, "kvm")) {
		xb_err("--accel kvm: %s guests run under TCG on this machine", c->arch);
		return -EINVAL;
	}
	rc = dcss_qemu(c);
	if (rc)
		return rc;
	rc = xb_apt_ensure_arch(c->arch);
	if (!rc)
		rc = xb_userland(&c->userland, &c->userland_versions, c->cache_dir, c->arch,
				 s390x_packages);
	if (rc)
		xb_error_print(rc);
	return rc;
}

static int prepare(struct run_ctx *c)
{
	struct xb_buf err = { 0 };
	int rc;

	rc = load_suite(c);
	if (!rc)
		rc = requested_clock(c);
	if (rc)
		return rc;
	c->arch = c->backend->arch;
	rc = xb_guest_program_path_arch(&c->guest_prog, c->arch);
	if (rc) {
		xb_error_print(rc);
		return rc;
	}
	c->cache_dir = xb_cache_dir(c->o.cache);
	rc = xb_mkdir_p(c->cache_dir, 0755);
	if (rc) {
		xb_err("cannot create cache directory %s: %s", c->cache_dir, strerror(-rc));
		return rc;
	}
	if (c->backend->native)
		return prepare_native(c);
	if (c->arch) {
		rc = prepare_foreign(c);
		if (rc)
			return rc;
	} else {
		rc = xb_need_program(&c->qemu, QEMU_BIN, "qemu-system-x86");
		if (rc) {
			xb_error_print(rc);
			return rc;
		}
	}
	c->qemu_version = xb_qemu_version(c->qemu);
	rc = xb_kernel_resolve_arch(&c->kernel, c->o.kernel, c->o.modules, c->cache_dir,
				    c->arch ? c->arch : "amd64");
	if (rc) {
		xb_error_print(rc);
		return rc;
	}
	rc = check_kconfig(c);
	if (rc)
		return rc;
	rc = build_image(c);
	if (rc)
		return rc;
	/* s390x: no console= (the SCLP console is the default), and the
	 * guest's lines go through the kernel log at level 4. x86:
	 * no_timer_check, as for share's guests: on a loaded host a TCG vCPU
	 * can miss the IO-APIC timer check at boot and panic ("IO-APIC +
	 * timer doesn't work!"); it changes nothing after boot */
	c->append = xb_asprintf("%s%s%s%s%s%s",
				c->arch ? "panic=-1 oops=panic loglevel=5" :
					  "console=ttyS0 panic=-1 oops=panic loglevel=4 no_timer_check",
				c->guest.append.p ? c->guest.append.p : "",
				c->suite->append ? " " : "", c->suite->append ? c->suite->append : "",
				c->o.append ? " " : "", c->o.append ? c->o.append : "");
	rc = make_artifacts(c);
	if (rc)
		return rc;
	if (c->backend->boot_prepare &&
	    (rc = c->backend->boot_prepare(&c->guest, c->artifacts, &err))) {
		xb_err("%s", err.p);
		xb_buf_free(&err);
		return rc;
	}
	xb_fingerprint_host(&c->fp);
	c->accel = choose_accel(c);
	choose_clock(c);
	build_fingerprint(c);
	return 0;
}

/* A benchmark program that was killed (timeout, Ctrl-C) leaves its mount:
 * take it down, so a native run leaves no mount behind whatever happened. */
static void unmount_leftover(const struct run_ctx *c)
{
	char *mnt = xb_asprintf("%s/mnt", c->artifacts);

	for (int i = 0; i < 2 && xb_mounted_at(mnt); i++)
		if (umount2(mnt, i ? MNT_DETACH : 0))
			xb_warn("cannot unmount %s: %s", mnt, strerror(errno));
	free(mnt);
}

static int start(const struct run_ctx *c, struct xb_qemu_result *r,
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
static void boot_once(const struct run_ctx *c, unsigned i, struct xb_boot_record *b,
		      struct xb_stream **out_stream, char **out_tail)
{
	struct xb_qemu_opts q;
	struct xb_qemu_result r;
	struct xb_buf err = { 0 };
	char *con = xb_asprintf("%s/boot%u-console.log", c->artifacts, i);
	char *res = xb_asprintf("%s/boot%u-stream", c->artifacts, i);
	char *qlog = xb_asprintf("%s/boot%u-qemu.log", c->artifacts, i);
	char *label = xb_asprintf("boot %u/%u", i + 1, c->suite->boots);
	char *data = NULL, *reason = NULL;
	size_t len = 0;
	int rc;

	boot_qemu_opts(&q, c, con, res);
	q.stderr_path = qlog;
	q.timeout_s = c->suite->timeout_s;
	q.label = label;
	b->idx = (int)i;
	b->accel = c->accel;
	*out_stream = NULL;
	rc = start(c, &r, &q);
	if (rc) {
		xb_error_print(rc);
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
	} else if (xb_stream_parse(out_stream, data, len, &err)) {
		reason = xb_asprintf("results stream rejected: %s", err.p ? err.p : "?");
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
	xb_buf_free(&err);
}

/* ---- the sharing group (dcssblk-emu): N guests of one host file ---- */

/* The sharing guests' programs, named as `daxbench share` names them:
 * a static busybox, and dynamic programs with their s390x libraries. */
static const char *const share_progs[] = {
	"busybox|/bin/busybox|true",
	"true|/bin/true",
};
#define SHARE_BLOB_MIB 8
#define SHARE_EXEC_REPS 5

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char *data = NULL;
	size_t len = 0;
	int rc = xb_read_file(&data, &len, from);

	if (!rc)
		rc = xb_write_file_atomic(to, data, len);
	if (!rc && chmod(to, mode))
		rc = -errno;
	if (rc)
		xb_err("cannot copy %s to %s: %s", from, to, strerror(-rc));
	free(data);
	return rc;
}

/* The shared segment's content, made on the host: an ext4 image holding
 * the programs, their loader and libraries, and a data file to read. */
static int build_share_segment(const struct run_ctx *c, const char *file)
{
	char *root = xb_asprintf("%s/share-root", c->artifacts), *blob = NULL, *p, *q;
	const char *progs[] = { "bin/busybox", "bin/true", "sbin/mke2fs" };
	uint64_t size = 0;
	int rc = 0;

	xb_parse_size(&size, xb_kv_get(&c->guest.fingerprint, "backend.segment_size"));
	for (const char *d = "bin\0sbin\0lib/s390x-linux-gnu\0data\0"; *d && !rc; d += strlen(d) + 1) {
		p = xb_asprintf("%s/%s", root, d);
		rc = xb_mkdir_p(p, 0755);
		free(p);
	}
	for (size_t i = 0; !rc && i < XB_ARRAY_SIZE(progs); i++) {
		p = xb_asprintf("%s/%s", c->userland, progs[i]);
		q = xb_asprintf("%s/%s", root, progs[i]);
		rc = copy_file(p, q, 0755);
		free(p);
		free(q);
	}
	for (size_t i = 0; !rc && i < XB_ARRAY_SIZE(s390x_libs); i++) {
		p = userland_lib(c, s390x_libs[i]);
		q = xb_asprintf("%s/lib/s390x-linux-gnu/%s", root, s390x_libs[i]);
		rc = p ? copy_file(p, q, 0755) : -ENOENT;
		free(p);
		free(q);
	}
	if (!rc) {   /* the program interpreter, /lib/ld64.so.1 */
		p = xb_asprintf("%s/lib/ld64.so.1", root);
		if (symlink("s390x-linux-gnu/ld64.so.1", p))
			rc = -errno;
		free(p);
	}
	if (!rc) {   /* data every guest reads: not zeros, not compressible */
		size_t n = SHARE_BLOB_MIB << 20;
		uint64_t x = 0x9e3779b97f4a7c15ull;

		blob = xb_malloc(n);
		for (size_t i = 0; i + 8 <= n; i += 8) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(blob + i, &x, 8);
		}
		p = xb_asprintf("%s/data/blob", root);
		rc = xb_write_file_atomic(p, blob, n);
		free(p);
	}
	if (!rc) {
		char *sz = xb_asprintf("%lluk", (unsigned long long)(size >> 10));
		const char *mk[] = { "mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", "-E",
				     "nodiscard", "-d", root, file, sz, NULL };

		rc = xb_run_checked(NULL, mk, "mke2fs -d (the shared segment's image)");
		if (rc)
			xb_error_print(rc);
		free(sz);
	}
	xb_rm_rf(root);
	free(root);
	free(blob);
	return rc;
}

static int build_share_initrd(const struct run_ctx *c, char **out_path)
{
	struct xb_image img = { 0 };
	struct xb_kvlist plan = { 0 };
	struct xb_buf init = { 0 }, text = { 0 };
	char sha[65], *prog = NULL, *dir = NULL;
	int rc;

	for (const char *d = "/proc\0/sys\0/dev\0/mnt\0/tmp\0"; *d; d += strlen(d) + 1)
		xb_image_dir(&img, d);
	rc = add_foreign_programs(&img, c);
	for (size_t i = 0; !rc && i < XB_ARRAY_SIZE(applets); i++) {
		char *p = xb_asprintf("/bin/%s", applets[i]);

		xb_image_symlink(&img, p, "busybox");
		free(p);
	}
	xb_buf_adds(&init, init_head);
	xb_buf_adds(&init, init_kmsg);
	xb_buf_adds(&init, init_modules);
	xb_buf_adds(&init, c->backend->share_init);
	xb_buf_adds(&init, "exec /daxbench/daxbench-share-guest\n");
	xb_image_data(&img, "/init", init.p, init.len, 0755);
	/* the share-guest program sits next to the guest program */
	dir = xb_strdup(c->guest_prog);
	*strrchr(dir, '/') = 0;
	prog = xb_asprintf("%s/daxbench-share-guest", dir);
	if (!rc && !xb_is_executable(prog)) {
		xb_err("%s is not built (it is built with the %s guest program)", prog, c->arch);
		rc = -ENOENT;
	}
	if (!rc) {
		xb_image_file(&img, "/daxbench/daxbench-share-guest", prog, 0755);
		rc = add_modules(&img, c);
	}
	xb_kv_setf(&plan, "plan.version", "%d", XB_PLAN_VERSION);
	for (size_t i = 0; i < XB_ARRAY_SIZE(share_progs); i++) {
		char k[16];

		snprintf(k, sizeof(k), "exec.%zu", i);
		xb_kv_set(&plan, k, share_progs[i]);
	}
	xb_kv_set(&plan, "read", "/data,/lib");
	xb_kv_setf(&plan, "exec_reps", "%u", SHARE_EXEC_REPS);
	xb_plan_format(&text, &plan);
	xb_image_data(&img, "/daxbench/share-plan", text.p, text.len, 0644);
	if (!rc && (rc = xb_image_build_cached(out_path, sha, &img, c->cache_dir)))
		xb_error_print(rc);
	free(prog);
	free(dir);
	xb_buf_free(&init);
	xb_buf_free(&text);
	xb_kv_free(&plan);
	xb_image_free(&img);
	return rc;
}

/*
 * The sharing group: c->guest.share_guests guests boot at once with the
 * same segment file (type SR), each reads it through dcssblk and DAX (and
 * guest 0 times exec startup of the programs on it); the host measures
 * what each QEMU and the page cache hold. One more boot record, its stream
 * the group's figures under share.<backend>.n<N>.
 */
static void share_group(const struct run_ctx *c, struct xb_boot_record *b,
			struct xb_stream **out_stream)
{
	struct xb_qemu_opts q;
	struct xb_argv extra = { 0 };
	struct xb_stream_writer *w = NULL;
	struct xb_buf err = { 0 };
	char *seg = xb_asprintf("%s/share-segment.img", c->artifacts);
	char *spath = xb_asprintf("%s/share-stream", c->artifacts);
	char *pfx = xb_asprintf("share.%s.n%u", c->backend->name, c->guest.share_guests);
	char *initrd = NULL, *append = NULL, *reason = NULL, *data = NULL;
	size_t len = 0;
	int fd = -1;

	b->started = xb_now();
	b->accel = c->accel;
	xb_progress("sharing: building the shared segment and the guests' image");
	if (build_share_segment(c, seg) || build_share_initrd(c, &initrd)) {
		reason = xb_strdup("the sharing group's segment or image could not be built");
		goto out;
	}
	fd = open(spath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || xb_stream_writer_open(&w, fd)) {
		reason = xb_asprintf("cannot write %s", spath);
		goto out;
	}
	xb_stream_write_hdr(w, "share.mode", "dax");
	c->backend->share_args(&c->guest, seg, &extra);
	boot_qemu_opts(&q, c, NULL, NULL);
	append = xb_asprintf("%s daxbench.mode=dax daxbench.dev=%s daxbench.stream=%s", c->append,
			     c->guest.device, XB_STREAM_GUEST_VPORT);
	q.initrd = initrd;
	q.append = append;
	q.extra = &extra;
	struct xb_segshare_opts o = {
		.q = &q, .exec_append = "daxbench.exec=1", .n = c->guest.share_guests,
		.dir = c->artifacts, .shared_file = seg, .prefix = pfx,
		.timeout_s = c->suite->timeout_s,
	};
	reason = xb_segshare_run(&o, w);
	xb_stream_writer_close(w);
	w = NULL;
	if (!reason && (xb_read_file(&data, &len, spath) || xb_stream_parse(out_stream, data, len, &err)))
		reason = xb_asprintf("the sharing group's stream is unreadable: %s", err.p ? err.p : "?");
out:
	if (w)
		xb_stream_writer_close(w);
	if (fd >= 0)
		close(fd);
	b->ended = xb_now();
	b->status = reason ? "failed" : "finished";
	b->reason = reason;
	xb_progress_done();
	xb_argv_free(&extra);
	xb_buf_free(&err);
	free(seg);
	free(spath);
	free(pfx);
	free(initrd);
	free(append);
	free(data);
}

static void print_summary(const struct run_ctx *c, int64_t id, const struct xb_run_record *r)
{
	size_t metrics = 0;

	for (size_t i = 0; i < r->nboots; i++)
		if (r->boots[i].stream)
			metrics = r->boots[i].stream->nmetrics;
	if (!strcmp(r->status, "finished"))
		printf("run %lld finished: %zu metrics from %zu boot(s) of %s in %.0f s (uuid %s)\n"
		       "see: daxbench show %lld\n",
		       (long long)id, metrics, r->nboots, xb_kv_get(&c->fp, "kernel.release"),
		       r->ended - r->started, r->uuid, (long long)id);
	else
		printf("run %lld failed: %s\nconsole and stream kept in %s\n", (long long)id,
		       r->reason, c->artifacts);
}

static int execute(struct run_ctx *c, struct xb_db *db, int64_t *out_id)
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
		boot_once(c, i, &r.boots[i], &streams[i], &tail);
		r.boots[i].stream = streams[i];
		r.nboots++;
		if (r.boots[i].reason) {
			r.status = "failed";
			r.reason = r.boots[i].reason;
			r.console_tail = tail;
			break;
		}
	}
	if (!r.reason && c->guest.share_guests && c->backend->share_args) {
		struct xb_boot_record *b = &r.boots[r.nboots];

		b->idx = (int)r.nboots;
		share_group(c, b, &streams[r.nboots]);
		b->stream = streams[r.nboots];
		r.nboots++;
		if (b->reason) {
			r.status = "failed";
			r.reason = b->reason;
		}
	}
	r.ended = xb_now();
	rc = xb_db_record_run(db, &r, &id);
	if (rc) {
		xb_error_print(rc);
		xb_err("the run could not be recorded (%s); its console and stream are in %s",
		       strerror(-rc), c->artifacts);
	} else
		print_summary(c, id, &r);
	if (!rc && strcmp(r.status, "finished"))
		rc = -ECANCELED;
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

static void dry_run_native(const struct run_ctx *c)
{
	printf("suite:   %s (%s)\nbackend: native: this machine, kernel %s\n"
	       "would format %s with: %s", c->suite->name, c->suite->path,
	       xb_kv_get(&c->fp, "kernel.release"), c->guest.device, c->fs->mkfs);
	for (size_t i = 0; c->fs->mkfs_args[i]; i++)
		printf(" %s", c->fs->mkfs_args[i]);
	printf(" %s\nthen mount it under %s/mnt (with -o %s, then without) and run:",
	       c->guest.device, c->artifacts, c->fs->dax_opt);
	for (size_t i = 0; i < c->suite->nbenches; i++)
		printf(" %s", c->suite->benches[i].name);
	if (c->backend->attach)
		printf("\nthe %s backend makes the device at run time; the safety checks (a block\n"
		       "device, not mounted, not swap, no holders, O_EXCL open) run then;\n"
		       "nothing was added, formatted or recorded\n", c->backend->name);
	else
		printf("\nthe device passed the safety checks (a block device, not mounted, not swap,\n"
		       "no holders, O_EXCL open); nothing was formatted or recorded\n");
}

static void dry_run(const struct run_ctx *c)
{
	struct xb_qemu_opts q;
	struct xb_argv a = { 0 };

	if (c->backend->native) {
		dry_run_native(c);
		return;
	}
	boot_qemu_opts(&q, c, "CONSOLE", "STREAM");
	xb_qemu_argv(&a, &q);
	printf("suite:   %s (%s)\nkernel:  %s (%s)\nbackend: %s, device %s in the guest\n"
	       "fs:      %s\nimage:   %s\nboots:   %u, timeout %.0f s each\nclock:   %s%s%s\n"
	       "would run:",
	       c->suite->name, c->suite->path, c->kernel->release, c->kernel->vmlinuz,
	       c->backend->name, c->guest.device, c->fs->name, c->image_path,
	       c->suite->boots, c->suite->timeout_s, xb_clock_name(c->clock),
	       c->clock_note ? " - " : "", c->clock_note ? c->clock_note : "");
	for (size_t i = 0; i < a.n; i++)
		printf(" '%s'", a.v[i]);
	if (c->guest.share_guests && c->backend->share_args)
		printf("\nthen a sharing group: %u guests at once, one shared segment file made on the host",
		       c->guest.share_guests);
	printf("\nnothing was booted or recorded\n");
	xb_argv_free(&a);
}

static void ctx_free(struct run_ctx *c)
{
	detach(c);
	xb_suite_free(c->suite);
	xb_kernel_free(c->kernel);
	xb_guest_config_free(&c->guest);
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
		 int64_t *out_run_id)
{
	struct run_ctx c = { .o = *req, .dry = dry };
	int rc;

	if (!c.o.suite)
		c.o.suite = "quick";
	if (!c.o.accel)
		c.o.accel = "auto";
	rc = prepare(&c);
	if (rc)
		goto out;
	if (dry) {
		dry_run(&c);
		goto out;
	}
	rc = execute(&c, db, out_run_id);
out:
	ctx_free(&c);
	return rc;
}

int xb_run_suite_log(struct xb_db *db, const struct xb_run_request *req, int64_t *out_run_id)
{
	int saved, rc;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (saved >= 0)
		dup2(STDERR_FILENO, STDOUT_FILENO);
	rc = xb_run_suite(db, req, false, out_run_id);
	fflush(stdout);
	if (saved >= 0) {
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	return rc;
}

int xb_cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct xb_db *db = NULL;
	int64_t id;
	int rc, ret = XB_EXIT_ERROR;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return xb_opts_exit(rc);
	xb_signals_install();
	/* the database first: a newer schema or a corrupt file stops us
	 * before minutes of work */
	if (!o.dry_run && xb_cmd_db_open(&db, xb_default_db_path(o.db), true))
		goto out;
	rc = xb_run_suite(db, &o.r, o.dry_run, &id);
	if (!rc)
		ret = XB_EXIT_OK;
	else if (rc == -ENOTSUP)
		ret = XB_EXIT_SKIP;
out:
	if (xb_interrupted)
		ret = 128 + xb_interrupted;
	xb_db_close(db);
	return ret;
}
