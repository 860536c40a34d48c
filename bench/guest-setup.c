// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "caps.h"
#include "error.h"
#include "guest-kmod.h"
#include "guest-setup.h"
#include "sysknobs.h"

#define POLL_NS 50000000L
#define MAX_NOTE_OUTPUT 2000

/*
 * The file targets need a writable device: the benchmark makes files on
 * it after mkfs. Anonymous memory needs nothing but the "anon" grant.
 */
#define TARGET(...) &(const struct xb_guest_target){ __VA_ARGS__ }
const struct xb_guest_target *const xb_guest_targets[] = {
	TARGET(XB_TARGET_NONE, "none", 0, false, false),
	TARGET(XB_TARGET_DAX, "dax", XB_CAP_FS_DAX | XB_CAP_WRITABLE, true, true),
	TARGET(XB_TARGET_PAGECACHE, "pagecache", XB_CAP_FS_PAGECACHE | XB_CAP_WRITABLE, true, false),
	TARGET(XB_TARGET_ANON, "anon", XB_CAP_ANON, false, false),
	/* Last: it reconfigures the namespace the file targets use. */
	TARGET(XB_TARGET_DEVDAX, "devdax", XB_CAP_DEVDAX | XB_CAP_WRITABLE, false, false),
	NULL,
};
#undef TARGET


const struct xb_guest_target *xb_guest_target_find(const char *mode)
{
	for (size_t i = 0; xb_guest_targets[i]; i++)
		if (!strcmp(xb_guest_targets[i]->mode, mode))
			return xb_guest_targets[i];
	return NULL;
}

unsigned xb_guest_missing_caps(const struct xb_guest_target *t, unsigned plan_caps)
{
	return t->needs & ~plan_caps;
}

void xb_guest_bench_params(struct xb_kvlist *out, const struct xb_kvlist *plan,
			   const char *bench)
{
	char *prefix = xb_asprintf("bench.%s.", bench);
	size_t len = strlen(prefix);

	for (size_t i = 0; i < plan->n; i++)
		if (!strncmp(plan->v[i].key, prefix, len) && plan->v[i].key[len])
			xb_kv_set(out, plan->v[i].key + len, plan->v[i].value);
	free(prefix);
}

bool xb_guest_opt_has(const char *opts, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = opts; p && *p; ) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && !strncmp(p, opt, n))
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

static int check_names(const struct xb_bench_ops *b, const struct xb_kvlist *params)
{
	for (size_t i = 0; b->params && i < params->n; i++) {
		size_t j;

		for (j = 0; b->params[j]; j++)
			if (!strcmp(b->params[j], params->v[i].key))
				break;
		if (!b->params[j]) {
			return xb_error_set(-EINVAL, "bench.%s.%s: benchmark %s has no such parameter",
					    b->name, params->v[i].key, b->name);
		}
	}
	return 0;
}

static int check_modes(const struct xb_bench_ops *b, const struct xb_kvlist *params)
{
	const char *modes = xb_kv_get(params, "modes");
	char *dup, *save = NULL;
	int rc = 0;

	if (!modes)
		return 0;
	dup = xb_strdup(modes);
	for (char *m = strtok_r(dup, ",", &save); m && !rc; m = strtok_r(NULL, ",", &save)) {
		const struct xb_guest_target *t = xb_guest_target_find(xb_trim(m));

		if (t && (b->targets & t->kind))
			continue;
		rc = xb_error_set(-EINVAL, "bench.%s.modes: %s '%s'", b->name,
				  t ? "benchmark cannot run on" : "unknown mode", xb_trim(m));
	}
	free(dup);
	return rc;
}

int xb_guest_check_params(const struct xb_bench_ops *b, const struct xb_kvlist *params)
{
	int rc = check_names(b, params);

	return rc ? rc : check_modes(b, params);
}

bool xb_guest_bench_wants(const struct xb_bench_ops *b, const struct xb_guest_target *t,
			  const struct xb_kvlist *params)
{
	const char *modes = xb_kv_get(params, "modes");
	bool found = false;
	char *dup, *save = NULL;

	if (!(b->targets & t->kind))
		return false;
	/* devdax reconfigures the namespace: only where the suite names it,
	 * or for a benchmark that runs nowhere else. */
	if (!modes)
		return t->kind != XB_TARGET_DEVDAX || b->targets == XB_TARGET_DEVDAX;
	dup = xb_strdup(modes);
	for (char *m = strtok_r(dup, ",", &save); m && !found; m = strtok_r(NULL, ",", &save))
		found = !strcmp(xb_trim(m), t->mode);
	free(dup);
	return found;
}

int xb_guest_mount_opts(char **out, const char *mounts, const char *dir)
{
	char *dup = xb_strdup(mounts), *save = NULL, *found = NULL;

	for (char *line = strtok_r(dup, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *fsave = NULL, *f[4];
		int n;

		for (n = 0; n < 4; n++) {
			f[n] = strtok_r(n ? NULL : line, " ", &fsave);
			if (!f[n])
				break;
		}
		/* The last match wins: it is the mount on top. */
		if (n == 4 && !strcmp(f[1], dir)) {
			free(found);
			found = xb_strdup(f[3]);
		}
	}
	free(dup);
	if (!found)
		return -ENOENT;
	*out = found;
	return 0;
}

/* A file's content, trimmed; "unknown" when it cannot be read. */
static char *read_value(const char *path)
{
	char *s = NULL, *v;

	if (xb_read_file(&s, NULL, path))
		return xb_strdup("unknown");
	v = xb_strdup(xb_trim(s));
	free(s);
	return v;
}

/*
 * Whether page-table isolation is on: the "pti" CPU flag the kernel sets
 * when it enables PTI. The meltdown vulnerability file (fact "pti") reads
 * "Not affected" on CPUs without the bug even when pti=on forces it.
 */
static char *pti_active(void)
{
	char *flags = xb_proc_field("/proc/cpuinfo", "flags");
	char *padded = xb_asprintf(" %s ", flags);
	bool on = strstr(padded, " pti ") != NULL;

	free(padded);
	free(flags);
	return xb_strdup(on ? "yes" : "no");
}

/* Sends key=value and frees value. */
static int fact_take(struct xb_sink *sink, const char *key, char *value)
{
	int rc = sink->fact(sink, key, value);

	free(value);
	return rc;
}

static int inject_error(struct xb_sink *sink, int rc, const char *what)
{
	char *text = xb_asprintf("%s: %s", what, strerror(-rc));

	sink->note(sink, "error", "inject", text);
	free(text);
	return rc;
}

/* One of daxbench_inject's parameters, as a fact "inject.<fact>". */
static int inject_fact(struct xb_sink *sink, const char *param, const char *fact)
{
	char *path = xb_asprintf(XB_GUEST_INJECT_SYSFS "%s", param), *v = NULL;
	int rc = xb_read_file(&v, NULL, path);

	if (rc)
		inject_error(sink, rc, path);
	else
		rc = sink->fact(sink, fact, xb_trim(v));
	free(v);
	free(path);
	return rc;
}

int xb_guest_inject(const struct xb_kvlist *plan, struct xb_sink *sink)
{
	const char *spin = xb_kv_get(plan, "inject.dax_fault_spin");
	char *params;
	int rc;

	if (!spin)
		return 0;
	params = xb_asprintf("spin=%s", spin);
	rc = xb_guest_kmod_load(XB_GUEST_INJECT_KO, params);
	free(params);
	if (rc)
		return inject_error(sink, rc, "loading " XB_GUEST_INJECT_KO);
	rc = inject_fact(sink, "spin", "inject.dax_fault_spin");
	return rc ? rc : inject_fact(sink, "symbol", "inject.symbol");
}

int xb_guest_inject_done(const struct xb_kvlist *plan, struct xb_sink *sink)
{
	if (!xb_kv_get(plan, "inject.dax_fault_spin"))
		return 0;
	return inject_fact(sink, "hits", "inject.hits");
}

int xb_guest_facts(struct xb_sink *sink)
{
	struct utsname u;
	char *mem;
	int rc;

	rc = sink->fact(sink, "kernel.release", uname(&u) ? "unknown" : u.release);
	if (!rc)
		rc = fact_take(sink, "kernel.cmdline", read_value("/proc/cmdline"));
	if (!rc)
		rc = fact_take(sink, "cpu.model", xb_proc_field("/proc/cpuinfo", "model name"));
	if (!rc)
		rc = fact_take(sink, "cpu.count", xb_asprintf("%ld", sysconf(_SC_NPROCESSORS_ONLN)));
	if (!rc) {
		/* "2013928 kB": the number alone, the unit is in the key. */
		mem = xb_proc_field("/proc/meminfo", "MemTotal");
		mem[strcspn(mem, " ")] = 0;
		rc = fact_take(sink, "mem.total_kb", mem);
	}
	if (!rc)
		rc = fact_take(sink, "kernel.tainted", read_value("/proc/sys/kernel/tainted"));
	if (!rc)
		rc = fact_take(sink, "pti",
			       read_value("/sys/devices/system/cpu/vulnerabilities/meltdown"));
	if (!rc)
		rc = fact_take(sink, "pti.active", pti_active());
	for (size_t i = 0; xb_sysknobs[i] && !rc; i++)
		rc = fact_take(sink, xb_sysknobs[i]->key, xb_sysknob_read(xb_sysknobs[i]));
	return rc;
}

/* /sys/block/<name>/<attr> of a device node path. */
static char *sys_block_path(const char *device, const char *attr)
{
	char *dup = xb_strdup(device);
	char *p = xb_asprintf("/sys/block/%s/%s", basename(dup), attr);

	free(dup);
	return p;
}

static char *sys_block_value(const char *device, const char *attr)
{
	char *path = sys_block_path(device, attr);
	char *v = read_value(path);

	free(path);
	return v;
}

static bool device_ready(const char *device)
{
	struct stat st;
	char *size;
	bool ok;

	if (stat(device, &st) || !S_ISBLK(st.st_mode))
		return false;
	size = sys_block_value(device, "size");
	ok = strcmp(size, "unknown") && strtoull(size, NULL, 10) > 0;
	free(size);
	return ok;
}

int xb_guest_wait_device(const char *device, double wait_s, struct xb_sink *sink)
{
	double deadline = xb_monotonic() + wait_s;
	struct timespec nap = { 0, POLL_NS };

	/* nd_e820 and nd_pmem probe asynchronously after their insmod. */
	while (!device_ready(device)) {
		if (xb_monotonic() >= deadline) {
			xb_sink_notef(sink, "error", "device", "%s did not appear within %g s (memmap= "
			     "on the kernel command line? nd_pmem loaded?)", device, wait_s);
			return -ENODEV;
		}
		nanosleep(&nap, NULL);
	}
	return 0;
}

int xb_guest_device_facts(const char *device, const struct xb_fs *fs, struct xb_sink *sink)
{
	char *sectors = sys_block_value(device, "size");
	int rc;

	/* /sys/block/X/size counts 512-byte sectors whatever the block size. */
	rc = fact_take(sink, "device.size_bytes",
		       xb_asprintf("%llu", strtoull(sectors, NULL, 10) * 512ull));
	free(sectors);
	if (!rc)
		rc = sink->fact(sink, "device", device);
	if (!rc)
		rc = fact_take(sink, "device.dax", sys_block_value(device, "queue/dax"));
	if (!rc)
		rc = sink->fact(sink, "fs", fs->name);
	return rc;
}

int xb_guest_mkfs(const struct xb_fs *fs, const char *device, struct xb_sink *sink)
{
	const char *argv[32];
	struct xb_buf out = { 0 }, err = { 0 };
	size_t n = 0;
	int rc, status;

	if (!xb_is_executable(fs->mkfs)) {
		xb_sink_notef(sink, "error", "mkfs", "%s is missing from the guest image", fs->mkfs);
		return -ENOENT;
	}
	argv[n++] = fs->mkfs;
	for (size_t i = 0; fs->mkfs_args[i]; i++) {
		assert(n + 2 < XB_ARRAY_SIZE(argv));
		argv[n++] = fs->mkfs_args[i];
	}
	argv[n++] = device;
	argv[n] = NULL;
	rc = xb_run(argv, &out, &err, &status);
	if (rc) {
		xb_sink_notef(sink, "error", "mkfs", "cannot run %s: %s", fs->mkfs, strerror(-rc));
	} else if (status) {
		xb_buf_add(&err, "", 0);
		xb_sink_notef(sink, "error", "mkfs", "%s %s exited with status %d: %.*s", fs->mkfs,
		     device, status, MAX_NOTE_OUTPUT, xb_trim(err.p));
		rc = -EIO;
	}
	xb_buf_free(&out);
	xb_buf_free(&err);
	return rc;
}

/*
 * DAX is on when /proc/mounts shows the filesystem's DAX option and the
 * device says it supports DAX; off when /proc/mounts shows no dax option
 * other than dax=never. Anything else is an error, not a result.
 */
static int verify_mount(const struct xb_fs *fs, const char *device, const char *dir,
			bool dax, const char *opts, struct xb_sink *sink)
{
	char *qdax;
	int rc = 0;

	if (!dax) {
		if (xb_guest_opt_has(opts, fs->dax_shown) || xb_guest_opt_has(opts, "dax") ||
		    xb_guest_opt_has(opts, "dax=inode")) {
			xb_sink_notef(sink, "error", "mount", "page-cache mount of %s on %s shows DAX: %s",
			     device, dir, opts);
			rc = -EINVAL;
		}
		return rc;
	}
	if (!xb_guest_opt_has(opts, fs->dax_shown)) {
		xb_sink_notef(sink, "error", "mount", "DAX requested but not active: /proc/mounts shows "
		     "'%s' for %s, without %s", opts, dir, fs->dax_shown);
		return -EINVAL;
	}
	qdax = sys_block_value(device, "queue/dax");
	if (strcmp(qdax, "1")) {
		xb_sink_notef(sink, "error", "mount", "DAX requested but not active: queue/dax of %s "
		     "reads '%s', not 1", device, qdax);
		rc = -EINVAL;
	}
	free(qdax);
	return rc;
}

int xb_guest_mount(const struct xb_fs *fs, const char *device, const char *dir, bool dax,
		   struct xb_sink *sink)
{
	char *mounts = NULL, *opts = NULL;
	int rc;

	rc = xb_mkdir_p(dir, 0755);
	if (rc) {
		xb_sink_notef(sink, "error", "mount", "mkdir %s: %s", dir, strerror(-rc));
		return rc;
	}
	if (mount(device, dir, fs->name, 0, dax ? fs->dax_opt : "")) {
		rc = -errno;
		xb_sink_notef(sink, "error", "mount", "mount -t %s%s%s %s %s: %s", fs->name,
		     dax ? " -o " : "", dax ? fs->dax_opt : "", device, dir, strerror(-rc));
		return rc;
	}
	rc = xb_read_file(&mounts, NULL, "/proc/mounts");
	if (!rc)
		rc = xb_guest_mount_opts(&opts, mounts, dir);
	if (rc) {
		xb_sink_notef(sink, "error", "mount", "%s not found in /proc/mounts after mounting: %s",
		     dir, strerror(-rc));
		goto out_umount;
	}
	rc = sink->fact(sink, dax ? "mount.dax.opts" : "mount.pagecache.opts", opts);
	if (!rc)
		rc = verify_mount(fs, device, dir, dax, opts, sink);
out_umount:
	if (rc)
		umount2(dir, 0);
	free(mounts);
	free(opts);
	return rc;
}

int xb_guest_umount(const char *dir, struct xb_sink *sink)
{
	int rc = 0;

	if (umount2(dir, 0)) {
		rc = -errno;
		xb_sink_notef(sink, "error", "mount", "umount %s: %s", dir, strerror(-rc));
	}
	return rc;
}
