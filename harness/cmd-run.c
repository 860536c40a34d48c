// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench run: kernel -> guest image -> boot(s) -> results stream -> db.
 * A run is recorded in one transaction once all its boots are over:
 * finished with every sample, or failed with its reason and console tail.
 * Nothing is recorded for bad input found before the first boot.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include "cmd.h"
#include "device.h"
#include "harness.h"
#include "run.h"
#include "bench-host.h"
#include "kernel.h"
#include "modules.h"
#include "initramfs.h"
#include "qemu.h"
#include "backends.h"
#include "workload.h"
#include "fingerprint.h"
#include "../lib/caps.h"
#include "../lib/fs-table.h"
#include "../lib/plan.h"
#include "../lib/sha256.h"
#include "../lib/stream-format.h"
#include "../results-db/db.h"
#include "../results-db/stream.h"

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
	char *artifacts;
	char *plan_path;      /* native runs: the plan file */
	struct xb_kvlist fp;
	bool dry;
};

static const char *const applets[] = {
	"sh", "mount", "umount", "insmod", "mkdir", "cat", "echo", "sleep",
	"poweroff", "sync", "ls", "dmesg", "reboot", "uname",
};

/* /init: bring up the basics, load the modules in dependency order, hand
 * over to the guest program, and power off whatever happens. */
static const char init_script[] =
	"#!/bin/sh\n"
	"mount -t proc proc /proc\n"
	"mount -t sysfs sysfs /sys\n"
	"mount -t devtmpfs devtmpfs /dev\n"
	"mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null\n"
	"echo 'daxbench-guest: stage modules'\n"
	"while read -r m; do\n"
	"  insmod \"/lib/modules/$(uname -r)/$m\" || echo \"daxbench-guest: warning: insmod $m failed\"\n"
	"done < /daxbench/modules\n"
	"/daxbench/daxbench-guest --poweroff\n"
	"echo \"daxbench-guest: exited with status $?\"\n"
	"sync\n"
	"poweroff -f\n";

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
"  --backend NAME     override the suite's backend: axonram-emu (emulated axonram\n"
"                     in a guest) or native (this machine, no guest)\n"
"  --device PATH      native backend: the block device to FORMAT and measure; it\n"
"                     must not be mounted or in use (checked, refused otherwise)\n"
"  --fs NAME          override the suite's filesystem (ext4, xfs)\n"
"  --boots N          boots of the guest (each its own sample of boot-to-boot noise)\n"
"  --timeout S        seconds a boot may take before the guest counts as hung\n"
"  --accel A          auto (default: KVM only if a probe boot proves it works), tcg, kvm\n"
"  --append ARGS      extra kernel command line\n"
"  --label TEXT       a label stored with the run, for selecting it later\n"
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
"Exit status: 0 run finished and recorded, 1 error or failed run (recorded as\n"
"failed with its reason when a boot had started), 2 usage, 130/143 interrupted.\n");
}

static bool valid_commit(const char *s)
{
	size_t n = strlen(s);

	return n >= 7 && n <= 40 && strspn(s, "0123456789abcdefABCDEF") == n;
}

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
		{ "db", required_argument, NULL, 'd' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	long long v;
	int c;

	o->r.suite = "quick";
	o->r.accel = "auto";
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o->r.kernel = optarg; break;
		case 'M': o->r.modules = optarg; break;
		case 's': o->r.suite = optarg; break;
		case 'b': o->r.backend = optarg; break;
		case 'f': o->r.fs = optarg; break;
		case 'D': o->r.device = optarg; break;
		case 'a': o->r.accel = optarg; break;
		case 'A': o->r.append = optarg; break;
		case 'l': o->r.label = optarg; break;
		case 'C': o->r.kernel_commit = optarg; break;
		case 'E': o->r.kernel_describe = optarg; break;
		case 'T':
			if (xb_parse_commit_date(&o->r.kernel_commit_date, optarg)) {
				xb_err("--kernel-commit-date takes unix seconds or ISO 8601 "
				       "(2024-05-01T10:00:00+02:00), not '%s'", optarg);
				return XB_EXIT_USAGE;
			}
			break;
		case 'd': o->db = optarg; break;
		case 'c': o->r.cache = optarg; break;
		case 'n': o->dry_run = true; break;
		case 'B':
		case 't':
			if (xb_parse_int(&v, optarg, c == 'B' ? 1 : 5, c == 'B' ? 1000 : 86400)) {
				xb_err("--%s takes a whole number in range, not '%s'",
				       c == 'B' ? "boots" : "timeout", optarg);
				return XB_EXIT_USAGE;
			}
			*(c == 'B' ? &o->r.boots : &o->r.timeout_s) = (unsigned)v;
			break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return XB_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		xb_err("run takes no argument '%s' (see daxbench run --help)", argv[optind]);
		return XB_EXIT_USAGE;
	}
	if (o->r.kernel_commit && !valid_commit(o->r.kernel_commit)) {
		xb_err("--kernel-commit takes a git commit id (7 to 40 hex digits), not '%s'",
		       o->r.kernel_commit);
		return XB_EXIT_USAGE;
	}
	if ((o->r.kernel_describe || o->r.kernel_commit_date) && !o->r.kernel_commit) {
		xb_err("--kernel-describe and --kernel-commit-date describe a --kernel-commit: give it too");
		return XB_EXIT_USAGE;
	}
	if (strcmp(o->r.accel, "auto") && strcmp(o->r.accel, "tcg") && strcmp(o->r.accel, "kvm")) {
		xb_err("--accel is auto, tcg or kvm, not '%s'", o->r.accel);
		return XB_EXIT_USAGE;
	}
	return 0;
}

static int load_suite(struct run_ctx *c)
{
	struct xb_buf err = { 0 };
	char *path = xb_suite_path(c->o.suite);
	int rc;

	if (!path)
		return -ENOENT;
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

static int build_image(struct run_ctx *c)
{
	struct xb_image img = { 0 };
	int rc;

	for (const char *d = "/proc\0/sys\0/dev\0/mnt\0/tmp\0/root\0/sys/kernel/tracing\0";
	     *d; d += strlen(d) + 1)
		xb_image_dir(&img, d);
	if (!xb_is_executable("/bin/busybox")) {
		xb_err("/bin/busybox is missing: apt-get install busybox-static");
		rc = -ENOENT;
		goto out;
	}
	xb_image_file(&img, "/bin/busybox", "/bin/busybox", 0755);
	for (size_t i = 0; i < XB_ARRAY_SIZE(applets); i++) {
		char *p = xb_asprintf("/bin/%s", applets[i]);

		xb_image_symlink(&img, p, "busybox");
		free(p);
	}
	xb_image_data(&img, "/init", init_script, sizeof(init_script) - 1, 0755);
	xb_image_data(&img, "/daxbench/probe", probe_script, sizeof(probe_script) - 1, 0755);
	xb_image_data(&img, "/daxbench/hang", hang_script, sizeof(hang_script) - 1, 0755);
	xb_image_data(&img, "/daxbench/panic", panic_script, sizeof(panic_script) - 1, 0755);
	xb_image_file(&img, "/daxbench/daxbench-guest", c->guest_prog, 0755);
	rc = xb_image_program(&img, c->fs->mkfs);
	if (rc) {
		xb_err("the guest needs %s: apt-get install %s", c->fs->mkfs,
		       strcmp(c->fs->name, "xfs") ? "e2fsprogs" : "xfsprogs");
		goto out;
	}
	if (xb_path_exists("/etc/mke2fs.conf"))
		xb_image_file(&img, "/etc/mke2fs.conf", "/etc/mke2fs.conf", 0644);
	rc = add_modules(&img, c);
	if (rc)
		goto out;
	add_plan(&img, c);
	for (size_t i = 0; i < c->suite->nbenches; i++) {
		const struct xb_bench_host *h = xb_bench_host_find(c->suite->benches[i].name);
		struct xb_image_ctx ictx = { .kernel = c->kernel, .cache_dir = c->cache_dir,
					     .params = &c->suite->benches[i].params };

		if (h && (rc = h->prepare(&img, &ictx)))
			goto out;
	}
	rc = xb_image_build_cached(&c->image_path, c->image_sha, &img, c->cache_dir);
out:
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
}

/* The options of a measuring boot. */
static void boot_qemu_opts(struct xb_qemu_opts *q, const struct run_ctx *c,
			   const char *console, const char *stream)
{
	base_qemu_opts(q, c);
	q->accel = c->accel;
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

/* What every run records, guest or native. */
static void common_fingerprint(struct run_ctx *c)
{
	struct xb_kvlist *fp = &c->fp;

	xb_kv_set(fp, "suite", c->suite->name);
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
	xb_kv_set(fp, "qemu.cpu", c->suite->cpu ? c->suite->cpu : "default");
	xb_kv_setf(fp, "qemu.mem_mb", "%u", c->guest.mem_mb);
	xb_kv_setf(fp, "qemu.smp", "%u", c->suite->smp);
	xb_kv_set(fp, "guest.image_sha256", c->image_sha);
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

static int prepare(struct run_ctx *c)
{
	int rc;

	rc = load_suite(c);
	if (rc)
		return rc;
	c->guest_prog = xb_guest_program_path();
	if (!c->guest_prog)
		return -ENOENT;
	c->cache_dir = xb_cache_dir(c->o.cache);
	rc = xb_mkdir_p(c->cache_dir, 0755);
	if (rc) {
		xb_err("cannot create cache directory %s: %s", c->cache_dir, strerror(-rc));
		return rc;
	}
	if (c->backend->native)
		return prepare_native(c);
	c->qemu = xb_need_program(QEMU_BIN, "qemu-system-x86");
	if (!c->qemu)
		return -ENOENT;
	c->qemu_version = xb_qemu_version(c->qemu);
	rc = xb_kernel_resolve(&c->kernel, c->o.kernel, c->o.modules, c->cache_dir);
	if (rc)
		return rc;
	rc = build_image(c);
	if (rc)
		return rc;
	c->append = xb_asprintf("console=ttyS0 panic=-1 oops=panic loglevel=4%s%s%s%s%s",
				c->guest.append.p ? c->guest.append.p : "",
				c->suite->append ? " " : "", c->suite->append ? c->suite->append : "",
				c->o.append ? " " : "", c->o.append ? c->o.append : "");
	rc = make_artifacts(c);
	if (rc)
		return rc;
	xb_fingerprint_host(&c->fp);
	c->accel = choose_accel(c);
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

	boot_qemu_opts(&q, c, con, res);
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

static int execute(struct run_ctx *c, sqlite3 *db, int64_t *out_id)
{
	struct xb_run_record r = { 0 };
	struct xb_stream **streams = calloc(c->suite->boots, sizeof(*streams));
	char *tail = NULL;
	int64_t id = 0;
	int rc;

	memcpy(r.uuid, strrchr(c->artifacts, '/') + 1, 36);
	r.label = c->o.label;
	r.suite = c->suite->name;
	r.host = xb_kv_get(&c->fp, "host");
	r.artifacts = c->artifacts;
	r.fingerprint = c->fp;
	r.boots = calloc(c->suite->boots, sizeof(*r.boots));
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
	r.ended = xb_now();
	rc = xb_db_record_run(db, &r, &id);
	if (rc)
		xb_err("the run could not be recorded (%s); its console and stream are in %s",
		       strerror(-rc), c->artifacts);
	else
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
	       "fs:      %s\nimage:   %s\nboots:   %u, timeout %.0f s each\nwould run:",
	       c->suite->name, c->suite->path, c->kernel->release, c->kernel->vmlinuz,
	       c->backend->name, c->guest.device, c->fs->name, c->image_path,
	       c->suite->boots, c->suite->timeout_s);
	for (size_t i = 0; i < a.n; i++)
		printf(" '%s'", a.v[i]);
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
	xb_kv_free(&c->fp);
}

int xb_run_suite(sqlite3 *db, const struct xb_run_request *req, bool dry,
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

int xb_cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	sqlite3 *db = NULL;
	int64_t id;
	int rc, ret = XB_EXIT_ERROR;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return rc < 0 ? XB_EXIT_OK : rc;
	xb_signals_install();
	/* the database first: a newer schema or a corrupt file stops us
	 * before minutes of work */
	if (!o.dry_run && xb_db_open(&db, xb_default_db_path(o.db), true))
		goto out;
	rc = xb_run_suite(db, &o.r, o.dry_run, &id);
	if (!rc)
		ret = XB_EXIT_OK;
out:
	if (xb_interrupted)
		ret = 128 + xb_interrupted;
	xb_db_close(db);
	return ret;
}
