// SPDX-License-Identifier: GPL-2.0
/*
 * daxbench share: memory saved per guest when many guests run programs
 * from one shared /usr image, and what it does to exec startup.
 *
 * For each mode (backend-virtio-pmem-shared.c) and each N = 1..max, N
 * guests boot at once with the same image file attached; each runs the
 * fixed workload, reports, and waits. While all N are alive the host
 * measures each QEMU's memory (smaps_rollup), the host page cache held for
 * the image (mincore) and MemAvailable; then it stops them. One "boot"
 * record per (mode, N) group, its stream holding per-guest figures as
 * repetitions (rep = guest index); derived figures (host memory per
 * additional guest, saving of dax against each mode, struct pages per GiB)
 * go into the last group's stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>
#include "cmd.h"
#include "hyperfine-json.h"
#include "harness.h"
#include "initramfs.h"
#include "kernel.h"
#include "modules.h"
#include "qemu.h"
#include "fingerprint.h"
#include "usr-image.h"
#include "backend-virtio-pmem-shared.h"
#include "../bench/stream-writer.h"
#include "../lib/fs-table.h"
#include "../lib/plan.h"
#include "../results-db/db.h"
#include "../results-db/stream.h"

#define QEMU_BIN "qemu-system-x86_64"
#define MAX_GUESTS 16
#define MAX_MODES 6
#define GUEST_MEM_MB 1024
#define READY "daxbench-share-guest: ready"
#define KSM_DIR "/sys/kernel/mm/ksm"
#define HYPERFINE_HOST "/usr/bin/hyperfine"
/* hyperfine against the in-guest timer: beyond this they disagree */
#define CROSSCHECK_LIMIT 0.10

struct share_opts {
	const char *kernel;
	const char *db;
	const char *cache;
	const char *label;
	const char *recipe;
	const char *read;
	char *modes;
	unsigned min_guests;
	unsigned max_guests;
	unsigned timeout_s;
	unsigned exec_reps;
	bool exec;
};

/* One guest's host-side figures, taken while all guests of its group live. */
struct host_fig {
	double rss, pss, shared_clean, shared_dirty, private_clean, private_dirty;
};

struct group {
	const struct xb_share_mode *mode;
	unsigned n;
	double pss_sum;          /* KiB, sum over the group's QEMUs */
	double read_bytes;       /* mean of what each guest's workload read */
	double vmemmap_kib;      /* mean MemFree drop across the nd_pmem probe */
	double region_bytes;
	struct xb_stream_writer *w;
	int fd;
	char *stream_path;
	struct xb_boot_record boot;
};

struct share_ctx {
	struct share_opts o;
	const struct xb_share_mode *modes[MAX_MODES];
	size_t nmodes;
	struct xb_usr_image img;
	struct xb_kernel *kernel;
	char *cache_dir;
	char *qemu;
	char *initrd;
	char initrd_sha[65];
	char *artifacts;
	struct xb_kvlist fp;
	struct group *groups;
	size_t ngroups;
	double t_start;
	char ksm_saved[3][32];
};

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
	"virtio_pci", "virtio_pmem", "virtio_blk", "ext4", "crc32c_generic", NULL,
};

/* The workload's programs: name|path|args, run through the image's loader. */
static const char *const progs[] = {
	"busybox|/bin/busybox|true",
	"true|/bin/true",
	"perl|/usr/bin/perl|-e|1",
	"dpkg|/usr/bin/dpkg|--version",
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: daxbench share [options]\n"
"\n"
"Boot N guests at once (N = 1..max) that all attach one shared, read-only\n"
"image of a real Debian root (workloads/usr-image.recipe), run a fixed\n"
"workload from it (exec its programs, read its files), and measure on the\n"
"host what each guest costs; time exec startup of programs from the image.\n"
"\n"
"  --modes LIST       comma-separated, from: dax (virtio-pmem, ro,dax mount),\n"
"                     pagecache (same device, no dax), blk (virtio-blk disk),\n"
"                     ksm (blk with host KSM merging); default dax,pagecache,blk,ksm;\n"
"                     dax-erofs, pagecache-erofs: dax and pagecache with the erofs\n"
"                     image (mounted dax=always / without dax) instead of ext4\n"
"  --max-guests N     largest group (default 4); groups of 1..N guests\n"
"  --min-guests N     smallest group (default 1)\n"
"  --quick            --max-guests 2 --modes dax,pagecache --exec-reps 5\n"
"  --read DIRS        directories in the image the workload reads whole\n"
"                     (default /usr)\n"
"  --no-exec          skip the exec startup benchmark (run with N=1 otherwise)\n"
"  --exec-reps N      warm repetitions per program (default 20)\n"
"  --kernel SPEC      Debian kernel (default: the newest 6.1 amd64 build)\n"
"  --timeout S        seconds a group may take to get ready (default 300)\n"
"  --recipe FILE      image recipe (default workloads/usr-image.recipe)\n"
"  --label TEXT       a label stored with the run\n"
"  --db PATH          results database (default: $DAXBENCH_DB or ./daxbench.db)\n"
"  --cache-dir DIR    kernels, images, run artifacts (default ~/.cache/daxbench)\n"
"  -h, --help         this text\n"
"\n"
"Metrics: share.<mode>.n<N>.qemu.{rss,pss,...}.kib per guest (rep = guest),\n"
"share.<mode>.n<N>.host.{pss_sum,image_cached,memavail_drop}.kib,\n"
"share.<mode>.n<N>.guest.* and .exec.<prog>.{cold,warm}.us from the guests,\n"
"share.<mode>.host_per_guest.kib (slope over N), share.saved_per_guest.<mode>.kib\n"
"(that mode's slope minus the slope of dax on the same filesystem: dax, or\n"
"dax-erofs for pagecache-erofs), share.dax.vmemmap_per_gib.kib; with hyperfine\n"
"installed, .exec.<prog>.cmd.warm.us (the in-guest timer on hyperfine's command\n"
"line), .exec.<prog>.hyperfine.us and .exec.<prog>.hyperfine_vs_timer.pct.\n"
"\n"
"Exit status: 0 recorded, 1 error or failed run, 2 usage, 130/143 interrupted.\n");
}

static int parse_uint(unsigned *out, const char *name, const char *s, long long lo, long long hi)
{
	long long v;

	if (xb_parse_int(&v, s, lo, hi)) {
		xb_err("--%s takes a whole number from %lld to %lld, not '%s'", name, lo, hi, s);
		return XB_EXIT_USAGE;
	}
	*out = (unsigned)v;
	return 0;
}

static int parse_opts(struct share_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "modes", required_argument, NULL, 'm' },
		{ "max-guests", required_argument, NULL, 'N' },
		{ "min-guests", required_argument, NULL, 'n' },
		{ "quick", no_argument, NULL, 'q' },
		{ "read", required_argument, NULL, 'r' },
		{ "no-exec", no_argument, NULL, 'x' },
		{ "exec-reps", required_argument, NULL, 'e' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "timeout", required_argument, NULL, 't' },
		{ "recipe", required_argument, NULL, 'R' },
		{ "label", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, rc = 0;

	o->modes = xb_strdup("dax,pagecache,blk,ksm");
	o->min_guests = 1;
	o->max_guests = 4;
	o->timeout_s = 300;
	o->exec_reps = 20;
	o->exec = true;
	o->read = "/usr";
	optind = 1;
	while (!rc && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': free(o->modes); o->modes = xb_strdup(optarg); break;
		case 'N': rc = parse_uint(&o->max_guests, "max-guests", optarg, 1, MAX_GUESTS); break;
		case 'n': rc = parse_uint(&o->min_guests, "min-guests", optarg, 1, MAX_GUESTS); break;
		case 'q':
			free(o->modes);
			o->modes = xb_strdup("dax,pagecache");
			o->max_guests = 2;
			o->exec_reps = 5;
			break;
		case 'r': o->read = optarg; break;
		case 'x': o->exec = false; break;
		case 'e': rc = parse_uint(&o->exec_reps, "exec-reps", optarg, 1, 10000); break;
		case 'k': o->kernel = optarg; break;
		case 't': rc = parse_uint(&o->timeout_s, "timeout", optarg, 10, 86400); break;
		case 'R': o->recipe = optarg; break;
		case 'l': o->label = optarg; break;
		case 'd': o->db = optarg; break;
		case 'c': o->cache = optarg; break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return XB_EXIT_USAGE;
		}
	}
	if (rc)
		return rc;
	if (optind < argc) {
		xb_err("share takes no argument '%s' (see daxbench share --help)", argv[optind]);
		return XB_EXIT_USAGE;
	}
	if (o->min_guests > o->max_guests) {
		xb_err("--min-guests %u is above --max-guests %u", o->min_guests, o->max_guests);
		return XB_EXIT_USAGE;
	}
	return 0;
}

static int parse_modes(struct share_ctx *c)
{
	char *copy = xb_strdup(c->o.modes), *save = NULL;
	int rc = 0;

	for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
		const struct xb_share_mode *sm = xb_share_mode_find(m);

		if (!sm || c->nmodes == MAX_MODES) {
			xb_err("unknown or repeated mode '%s' (dax, pagecache, blk, ksm, dax-erofs, pagecache-erofs)", m);
			rc = -EINVAL;
			break;
		}
		c->modes[c->nmodes++] = sm;
	}
	free(copy);
	if (!rc && !c->nmodes) {
		xb_err("--modes names no mode");
		rc = -EINVAL;
	}
	return rc;
}

/* Modules: everything but nd_pmem goes into /daxbench/modules for /init;
 * nd_pmem's path goes into /daxbench/late-modules for the guest program. */
static bool uses_fs(const struct share_ctx *c, const char *fs)
{
	for (size_t i = 0; i < c->nmodes; i++)
		if (!strcmp(c->modes[i]->fs, fs))
			return true;
	return false;
}

static int add_modules(struct xb_image *img, const struct share_ctx *c)
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
	char *g = xb_guest_program_path(), *p = NULL;

	if (g) {
		p = xb_asprintf("%.*s/daxbench-share-guest", (int)(strrchr(g, '/') - g), g);
		if (!xb_is_executable(p)) {
			xb_err("%s is not built: run `ninja -C build`", p);
			free(p);
			p = NULL;
		}
	}
	free(g);
	return p;
}

static int build_initrd(struct share_ctx *c)
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

static int prepare(struct share_ctx *c)
{
	char uuid[37];
	int rc;

	if (geteuid()) {
		xb_err("daxbench share builds the image with debootstrap and drives host KSM: run as root");
		return -EPERM;
	}
	c->cache_dir = xb_cache_dir(c->o.cache);
	c->qemu = xb_need_program(QEMU_BIN, "qemu-system-x86");
	if (!c->qemu)
		return -ENOENT;
	rc = xb_kernel_resolve(&c->kernel, c->o.kernel, NULL, c->cache_dir);
	if (!rc && !c->kernel->modules_dir) {
		xb_err("daxbench share needs the kernel's modules (a Debian kernel package)");
		rc = -ENOENT;
	}
	if (!rc)
		rc = xb_usr_image_get(&c->img, c->o.recipe, c->cache_dir);
	if (!rc && uses_fs(c, "erofs") && !c->img.erofs) {
		xb_err("the erofs modes need the erofs image: apt-get install erofs-utils");
		rc = -ENOENT;
	}
	if (!rc)
		rc = build_initrd(c);
	if (rc)
		return rc;
	xb_uuid(uuid);
	c->artifacts = xb_asprintf("%s/runs/%s", c->cache_dir, uuid);
	rc = xb_mkdir_p(c->artifacts, 0755);
	if (rc) {
		xb_err("cannot create %s: %s", c->artifacts, strerror(-rc));
		return rc;
	}
	xb_fingerprint_host(&c->fp);
	xb_fingerprint_kernel(&c->fp, c->kernel);
	xb_kv_set(&c->fp, "suite", "share");
	xb_kv_set(&c->fp, "backend", "virtio-pmem-shared");
	xb_kv_set(&c->fp, "share.modes", c->o.modes);
	xb_kv_setf(&c->fp, "share.guests", "%u..%u", c->o.min_guests, c->o.max_guests);
	xb_kv_set(&c->fp, "share.read", c->o.read);
	xb_kv_setf(&c->fp, "share.guest_mem_mb", "%u", GUEST_MEM_MB);
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
	xb_kv_set(&c->fp, "qemu.accel", "tcg");
	return 0;
}

/* ---- host measurements ---- */

static double meminfo_kib(const char *path, const char *field)
{
	char *text = NULL, *p;
	double v = NAN;
	size_t n = strlen(field);

	if (xb_read_file(&text, NULL, path))
		return NAN;
	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, field, n) && p[n] == ':') {
			v = strtod(p + n + 1, NULL);
			break;
		}
	free(text);
	return v;
}

static int smaps(struct host_fig *f, pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	f->rss = meminfo_kib(path, "Rss");
	f->pss = meminfo_kib(path, "Pss");
	f->shared_clean = meminfo_kib(path, "Shared_Clean");
	f->shared_dirty = meminfo_kib(path, "Shared_Dirty");
	f->private_clean = meminfo_kib(path, "Private_Clean");
	f->private_dirty = meminfo_kib(path, "Private_Dirty");
	if (isnan(f->rss) || isnan(f->pss)) {
		xb_err("cannot read %s (QEMU gone?)", path);
		return -ESRCH;
	}
	return 0;
}

/* KiB of the image file resident in the host page cache. */
static int image_cached(double *out, const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *vec = NULL;
	struct stat st;
	void *m = MAP_FAILED;
	size_t pages, resident = 0;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		goto out;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		rc = -errno;
		goto out;
	}
	pages = ((size_t)st.st_size + (size_t)page - 1) / (size_t)page;
	vec = xb_malloc(pages);
	if (mincore(m, (size_t)st.st_size, vec)) {
		rc = -errno;
		goto out;
	}
	for (size_t i = 0; i < pages; i++)
		resident += vec[i] & 1;
	*out = (double)resident * (double)page / 1024;
out:
	if (rc)
		xb_err("mincore of %s failed: %s", path, strerror(-rc));
	if (m != MAP_FAILED)
		munmap(m, (size_t)st.st_size);
	if (fd >= 0)
		close(fd);
	free(vec);
	return rc;
}

/* ---- host KSM ---- */

static const char *const ksm_knobs[] = { "run", "pages_to_scan", "sleep_millisecs" };

static double ksm_value(const char *knob)
{
	char *path = xb_asprintf(KSM_DIR "/%s", knob), *text = NULL;
	double v = NAN;

	if (!xb_read_file(&text, NULL, path))
		v = strtod(text, NULL);
	free(text);
	free(path);
	return v;
}

static int ksm_write(const char *knob, const char *value)
{
	char *path = xb_asprintf(KSM_DIR "/%s", knob);
	int fd = open(path, O_WRONLY), rc = 0;

	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	if (rc)
		xb_err("cannot write %s: %s", path, strerror(-rc));
	free(path);
	return rc;
}

static int ksm_on(struct share_ctx *c)
{
	for (size_t i = 0; i < 3; i++) {
		char *path = xb_asprintf(KSM_DIR "/%s", ksm_knobs[i]), *text = NULL;
		int rc = xb_read_file(&text, NULL, path);

		if (!rc)
			snprintf(c->ksm_saved[i], sizeof(c->ksm_saved[i]), "%s", xb_trim(text));
		else
			xb_err("host KSM is not available (%s: %s)", path, strerror(-rc));
		free(text);
		free(path);
		if (rc)
			return rc;
	}
	if (ksm_write("pages_to_scan", "4000") || ksm_write("sleep_millisecs", "20"))
		return -EIO;
	return ksm_write("run", "1");
}

static void ksm_restore(struct share_ctx *c)
{
	for (size_t i = 0; i < 3; i++)
		if (c->ksm_saved[i][0])
			ksm_write(ksm_knobs[i], c->ksm_saved[i]);
	memset(c->ksm_saved, 0, sizeof(c->ksm_saved));
}

/* ksmd's CPU seconds, from /proc/<ksmd>/stat (utime + stime). */
static double ksmd_cpu_s(void)
{
	const char *argv[] = { "pgrep", "-x", "ksmd", NULL };
	struct xb_buf out = { 0 };
	double s = NAN;
	int status;

	if (!xb_run(argv, &out, NULL, &status) && !status && out.p) {
		char *path = xb_asprintf("/proc/%ld/stat", strtol(out.p, NULL, 10)), *t = NULL;
		unsigned long ut, st;

		if (!xb_read_file(&t, NULL, path) && strrchr(t, ')') &&
		    sscanf(strrchr(t, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			   &ut, &st) == 2)
			s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
		free(t);
		free(path);
	}
	xb_buf_free(&out);
	return s;
}

/* Merging has settled when pages_sharing moved less than 1% over 3 s. */
static void ksm_settle(struct share_ctx *c, struct xb_stream_writer *w, const char *pfx,
		       double timeout_s)
{
	double t0 = xb_monotonic(), cpu0 = ksmd_cpu_s(), last = -1, cur;
	double v;

	(void)c;
	for (;;) {
		cur = ksm_value("pages_sharing");
		if (last >= 0 && fabs(cur - last) <= 0.01 * (last > 100 ? last : 100))
			break;
		if (xb_interrupted || xb_monotonic() - t0 > timeout_s) {
			xb_warn("KSM merging had not settled after %.0f s", xb_monotonic() - t0);
			break;
		}
		last = cur;
		xb_progress("ksm: waiting for merging to settle (pages_sharing %.0f, %.0f s)",
			    cur, xb_monotonic() - t0);
		sleep(3);
	}
	char name[160];

	v = xb_monotonic() - t0;
	snprintf(name, sizeof(name), "%s.ksm.settle.s", pfx);
	xb_stream_write_metric(w, name, "s", "lower", "time until KSM pages_sharing settled");
	xb_stream_write_samples(w, name, 0, &v, 1);
	v = ksmd_cpu_s() - cpu0;
	snprintf(name, sizeof(name), "%s.ksm.cpu.s", pfx);
	xb_stream_write_metric(w, name, "s", "lower", "ksmd CPU time while settling");
	xb_stream_write_samples(w, name, 0, &v, 1);
	v = ksm_value("pages_sharing") * (double)sysconf(_SC_PAGESIZE) / 1024;
	snprintf(name, sizeof(name), "%s.ksm.sharing.kib", pfx);
	xb_stream_write_metric(w, name, "KiB", "none", "KSM pages_sharing (memory saved)");
	xb_stream_write_samples(w, name, 0, &v, 1);
}

/* ---- one group of N guests ---- */

struct guest_proc {
	pid_t pid;
	char *console, *stream, *qlog;
	bool ready;
	char *fail;
};

static void emit(struct xb_stream_writer *w, const char *pfx, const char *what,
		 const char *unit, const char *dir, const char *desc, int rep, double v)
{
	char name[200];

	snprintf(name, sizeof(name), "%s.%s", pfx, what);
	xb_stream_write_metric(w, name, unit, dir, desc);
	xb_stream_write_samples(w, name, rep, &v, 1);
}

static const char *mode_image(const struct share_ctx *c, const struct xb_share_mode *m)
{
	return strcmp(m->fs, "erofs") ? c->img.ext4 : c->img.erofs;
}

static uint64_t mode_image_size(const struct share_ctx *c, const struct xb_share_mode *m)
{
	return strcmp(m->fs, "erofs") ? c->img.ext4_size : c->img.erofs_size;
}

static int start_guests(struct share_ctx *c, struct group *g, struct guest_proc *gp)
{
	struct xb_argv extra = { 0 };
	char *mem_extra = NULL, *append;
	int rc = 0;

	xb_share_mode_args(&extra, &mem_extra, g->mode, mode_image(c, g->mode),
			   mode_image_size(c, g->mode));
	append = xb_asprintf("console=ttyS0 panic=-1 loglevel=4 daxbench.mode=%s daxbench.dev=%s "
			     "daxbench.fs=%s%s", g->mode->guest_mode, g->mode->guest_dev, g->mode->fs,
			     c->o.exec && g->n == 1 ? " daxbench.exec=1" : "");
	for (unsigned i = 0; !rc && i < g->n; i++) {
		struct xb_qemu_opts q = {
			.binary = c->qemu, .accel = "tcg", .kernel = c->kernel->vmlinuz,
			.initrd = c->initrd, .append = append, .mem_mb = GUEST_MEM_MB,
			.mem_extra = mem_extra, .smp = 1, .extra = &extra,
		};
		char *pfx = xb_asprintf("%s/%s-n%u-g%u", c->artifacts, g->mode->name, g->n, i);

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

		if (isnan(left))
			xb_progress("mode %s, N=%u: %u/%u guests ready, %.0f s", g->mode->name,
				    g->n, ready, g->n, xb_monotonic() - t0);
		else
			xb_progress("mode %s, N=%u: %u/%u guests ready, %.0f s; about %.0f s left",
				    g->mode->name, g->n, ready, g->n, xb_monotonic() - t0, left);
		usleep(200000);
	}
}

static double median(const double *v, size_t n)
{
	double *c = xb_malloc(n * sizeof(*c)), m;

	memcpy(c, v, n * sizeof(*c));
	for (size_t i = 1; i < n; i++)   /* insertion sort: n is tens */
		for (size_t j = i; j > 0 && c[j - 1] > c[j]; j--) {
			m = c[j];
			c[j] = c[j - 1];
			c[j - 1] = m;
		}
	m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return m;
}

/* hyperfine's --export-json (a guest note "hyperfine.<prog>") against the
 * in-guest timer's warm samples of the same program. */
static char *crosscheck(struct group *g, const char *pfx, unsigned idx,
			const struct xb_stream *s, const struct xb_stream_note *note)
{
	const char *prog = note->subject + strlen("hyperfine.");
	char name[200], warm[160], dname[160];
	const struct xb_stream_series *se = NULL;
	struct xb_buf err = { 0 };
	double *v = NULL, hf, timer, diff, drift = NAN;
	size_t n = 0;
	char *reason = NULL;

	if (xb_hyperfine_times(&v, &n, note->text, &err)) {
		reason = xb_asprintf("guest %u: %s for %s", idx, err.p, prog);
		xb_buf_free(&err);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		v[i] *= 1e6;
	snprintf(name, sizeof(name), "%s.exec.%s.hyperfine.us", pfx, prog);
	xb_stream_write_metric(g->w, name, "us", "lower",
			       "hyperfine --shell=none --warmup 1 '/bin/chroot MNT prog' (includes busybox chroot's exec)");
	xb_stream_write_samples(g->w, name, (int)idx, v, n);
	/* like for like: the in-guest timer on hyperfine's own command line */
	snprintf(warm, sizeof(warm), "exec.%s.cmd.warm.us", prog);
	snprintf(dname, sizeof(dname), "exec.%s.cmd.drift.pct", prog);
	for (size_t k = 0; k < s->nseries; k++)
		if (!strcmp(s->series[k].metric, warm))
			se = &s->series[k];
		else if (!strcmp(s->series[k].metric, dname) && s->series[k].n)
			drift = s->series[k].v[0];
	if (!se)
		goto out;
	hf = median(v, n);
	timer = median(se->v, se->n);
	diff = 100 * (hf - timer) / timer;
	snprintf(name, sizeof(name), "%s.exec.%s.hyperfine_vs_timer.pct", pfx, prog);
	xb_stream_write_metric(g->w, name, "%", "none",
			       "hyperfine median minus the in-guest timer's on the same command line, relative");
	xb_stream_write_samples(g->w, name, (int)idx, &diff, 1);
	if (fabs(diff) > 100 * CROSSCHECK_LIMIT) {
		char *text = xb_asprintf("%s: hyperfine %.0f us vs in-guest timer %.0f us on the same command line (medians, n=%zu/%zu): %+.0f%%, beyond %.0f%% (the timer's own drift across the check: %+.0f%%)",
					 prog, hf, timer, n, se->n, diff, 100 * CROSSCHECK_LIMIT, drift);

		xb_warn("%s %s", pfx, text);
		xb_stream_write_note(g->w, "warning", "exec.crosscheck", text);
		free(text);
	}
out:
	free(v);
	return reason;
}

/* A guest's own stream, re-emitted under the group's prefix with rep =
 * guest index; its means feed the derived figures. */
static char *take_guest_stream(struct group *g, const char *pfx, unsigned idx,
			       const char *path)
{
	struct xb_stream *s = NULL;
	struct xb_buf err = { 0 };
	char *data = NULL, *reason = NULL;
	size_t len = 0;

	if (xb_read_file(&data, &len, path) || xb_stream_parse(&s, data, len, &err)) {
		reason = xb_asprintf("guest %u: results stream unreadable: %s", idx,
				     err.p ? err.p : "missing");
		goto out;
	}
	for (size_t k = 0; k < s->nnotes && !reason; k++)
		if (!strcmp(s->notes[k].kind, "error"))
			reason = xb_asprintf("guest %u: error in %s: %s", idx, s->notes[k].subject,
					     s->notes[k].text);
		else if (!strncmp(s->notes[k].subject, "hyperfine.", 10) &&
			 !strcmp(s->notes[k].kind, "info"))
			reason = crosscheck(g, pfx, idx, s, &s->notes[k]);
		else
			xb_stream_write_note(g->w, s->notes[k].kind, s->notes[k].subject,
					     s->notes[k].text);
	for (size_t k = 0; k < s->nseries && !reason; k++) {
		const struct xb_stream_series *se = &s->series[k];
		const struct xb_stream_metric *m = xb_stream_find_metric(s, se->metric);
		char name[200];

		snprintf(name, sizeof(name), "%s.%s", pfx, se->metric);
		xb_stream_write_metric(g->w, name, m->unit, m->direction, m->description);
		xb_stream_write_samples(g->w, name, (int)idx, se->v, se->n);
		if (!strcmp(se->metric, "workload.read.bytes"))
			g->read_bytes += se->v[0] / g->n;
		if (!strcmp(se->metric, "guest.vmemmap.kib"))
			g->vmemmap_kib += se->v[0] / g->n;
		if (!strcmp(se->metric, "guest.region.bytes"))
			g->region_bytes = se->v[0];
	}
out:
	xb_stream_free(s);
	xb_buf_free(&err);
	free(data);
	return reason;
}

/* Host figures while all N guests live. */
static char *measure_host(struct share_ctx *c, struct group *g, struct guest_proc *gp,
			  const char *pfx, double avail0)
{
	struct host_fig f;
	double v = 0;

	if (g->mode->ksm)
		ksm_settle(c, g->w, pfx, c->o.timeout_s);
	for (unsigned i = 0; i < g->n; i++) {
		if (smaps(&f, gp[i].pid))
			return xb_asprintf("guest %u: QEMU's smaps_rollup unreadable", i);
		emit(g->w, pfx, "qemu.rss.kib", "KiB", "lower", "QEMU Rss (smaps_rollup)", (int)i, f.rss);
		emit(g->w, pfx, "qemu.pss.kib", "KiB", "lower", "QEMU Pss", (int)i, f.pss);
		emit(g->w, pfx, "qemu.shared_clean.kib", "KiB", "none", "QEMU Shared_Clean", (int)i,
		     f.shared_clean);
		emit(g->w, pfx, "qemu.shared_dirty.kib", "KiB", "none", "QEMU Shared_Dirty", (int)i,
		     f.shared_dirty);
		emit(g->w, pfx, "qemu.private_clean.kib", "KiB", "none", "QEMU Private_Clean", (int)i,
		     f.private_clean);
		emit(g->w, pfx, "qemu.private_dirty.kib", "KiB", "lower", "QEMU Private_Dirty", (int)i,
		     f.private_dirty);
		g->pss_sum += f.pss;
	}
	emit(g->w, pfx, "host.pss_sum.kib", "KiB", "lower",
	     "host memory of the group: sum of the QEMUs' Pss", 0, g->pss_sum);
	if (image_cached(&v, mode_image(c, g->mode)))
		return xb_strdup("mincore of the image failed");
	emit(g->w, pfx, "host.image_cached.kib", "KiB", "none",
	     "host page cache held for the image file (mincore)", 0, v);
	v = avail0 - meminfo_kib("/proc/meminfo", "MemAvailable");
	emit(g->w, pfx, "host.memavail_drop.kib", "KiB", "none",
	     "MemAvailable before the group minus while it runs (other load included)", 0, v);
	return NULL;
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
static char *run_group(struct share_ctx *c, struct group *g, unsigned booted)
{
	struct guest_proc *gp = calloc(g->n, sizeof(*gp));
	char *pfx = xb_asprintf("share.%s.n%u", g->mode->name, g->n), *reason = NULL;
	double avail0 = meminfo_kib("/proc/meminfo", "MemAvailable");
	int rc;

	g->stream_path = xb_asprintf("%s/%s-n%u-stream", c->artifacts, g->mode->name, g->n);
	g->fd = open(g->stream_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (g->fd < 0 || xb_stream_writer_open(&g->w, g->fd)) {
		reason = xb_asprintf("cannot write %s", g->stream_path);
		goto out;
	}
	g->boot.started = xb_now();
	if (g->mode->ksm && ksm_on(c)) {
		reason = xb_strdup("host KSM could not be switched on");
		goto out;
	}
	rc = start_guests(c, g, gp);
	if (!rc)
		reason = wait_ready(c, g, gp, booted);
	else
		reason = xb_strdup("QEMU could not be started");
	if (!reason)
		reason = measure_host(c, g, gp, pfx, avail0);
	for (unsigned i = 0; i < g->n; i++) {   /* stopped now: the figures are taken */
		if (gp[i].pid > 0)
			xb_qemu_stop(gp[i].pid);
		gp[i].pid = 0;
	}
	for (unsigned i = 0; i < g->n && !reason; i++)
		reason = take_guest_stream(g, pfx, i, gp[i].stream);
out:
	if (g->mode->ksm)
		ksm_restore(c);
	xb_progress_done();
	g->boot.ended = xb_now();
	free_procs(gp, g->n);
	free(pfx);
	return reason;
}

/* ---- derived figures ---- */

/* Least-squares slope of y over x; *out_se its standard error (NAN with
 * fewer than 3 points: two points fit exactly, no spread to estimate). */
static double slope(const double *x, const double *y, size_t n, double *out_se)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0, ssr = 0, b;

	for (size_t i = 0; i < n; i++) {
		mx += x[i] / (double)n;
		my += y[i] / (double)n;
	}
	for (size_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	b = sxx > 0 ? sxy / sxx : NAN;
	for (size_t i = 0; i < n; i++) {
		double r = y[i] - my - b * (x[i] - mx);

		ssr += r * r;
	}
	*out_se = n > 2 && sxx > 0 ? sqrt(ssr / (double)(n - 2) / sxx) : NAN;
	return b;
}

static double mode_slope(const struct share_ctx *c, const struct xb_share_mode *m, double *se)
{
	double x[MAX_GUESTS], y[MAX_GUESTS];
	size_t n = 0;

	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i].mode == m) {
			x[n] = c->groups[i].n;
			y[n++] = c->groups[i].pss_sum;
		}
	return n >= 2 ? slope(x, y, n, se) : NAN;
}

/* The DAX mode run on the same filesystem as m (dax for the ext4 modes,
 * dax-erofs for pagecache-erofs), NULL when not in this run. */
static const struct xb_share_mode *dax_of(const struct share_ctx *c, const struct xb_share_mode *m)
{
	for (size_t i = 0; i < c->nmodes; i++)
		if (!strcmp(c->modes[i]->guest_mode, "dax") && !strcmp(c->modes[i]->fs, m->fs))
			return c->modes[i];
	return NULL;
}

static void derive(struct share_ctx *c, struct xb_stream_writer *w)
{
	const struct xb_share_mode *dax = xb_share_mode_find("dax");
	double se, s, read = 0;
	char name[128];

	printf("\nhost memory per additional guest (slope of the QEMUs' summed Pss over N):\n");
	for (size_t i = 0; i < c->nmodes; i++) {
		s = mode_slope(c, c->modes[i], &se);
		if (isnan(s))
			continue;
		snprintf(name, sizeof(name), "share.%s.host_per_guest.kib", c->modes[i]->name);
		xb_stream_write_metric(w, name, "KiB", "lower", "host memory per additional guest");
		xb_stream_write_samples(w, name, 0, &s, 1);
		printf("  %-15s %9.1f MiB", c->modes[i]->name, s / 1024);
		if (!isnan(se))
			printf(" (standard error %.1f MiB)", se / 1024);
		printf("\n");
	}
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i].read_bytes > read)
			read = c->groups[i].read_bytes;
	for (size_t i = 0; i < c->nmodes; i++) {
		const struct xb_share_mode *m = c->modes[i], *d = dax_of(c, m);

		if (!d || d == m)
			continue;
		s = mode_slope(c, m, &se) - mode_slope(c, d, &se);
		if (isnan(s))
			continue;
		snprintf(name, sizeof(name), "share.saved_per_guest.%s.kib", m->name);
		xb_stream_write_metric(w, name, "KiB", "higher",
				       "host memory per guest saved by the DAX mode of the same filesystem against this mode");
		xb_stream_write_samples(w, name, 0, &s, 1);
		printf("%s saves %.1f MiB per guest against %s: %.0f%% of the %.1f MiB each guest's workload read\n",
		       d->name, s / 1024, m->name, 100 * s * 1024 / read, read / 1048576);
	}
	for (size_t i = 0; i < c->ngroups; i++) {
		const struct group *g = &c->groups[i];

		if (g->mode == dax && g->n == 1 && g->region_bytes > 0) {
			s = g->vmemmap_kib / (g->region_bytes / 1073741824.0);
			xb_stream_write_metric(w, "share.dax.vmemmap_per_gib.kib", "KiB", "lower",
					       "struct pages of the virtio-pmem region per GiB (memmap in guest RAM)");
			xb_stream_write_samples(w, "share.dax.vmemmap_per_gib.kib", 0, &s, 1);
			printf("struct pages of the DAX region: %.0f KiB per GiB (MemFree drop across the nd_pmem probe, memmap in RAM; virtio-pmem offers no on-device memmap)\n", s);
		}
	}
	xb_stream_write_metric(w, "share.workload.read.kib", "KiB", "none",
			       "file data each guest's workload read");
	read /= 1024;
	xb_stream_write_samples(w, "share.workload.read.kib", 0, &read, 1);
}

/* ---- the run ---- */

static int record(struct share_ctx *c, sqlite3 *db, const char *reason, int64_t *out_id)
{
	struct xb_run_record r = { 0 };
	struct xb_stream **streams = calloc(c->ngroups, sizeof(*streams));
	int rc = 0;

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
	r.boots = calloc(c->ngroups, sizeof(*r.boots));
	for (size_t i = 0; i < c->ngroups; i++) {
		struct group *g = &c->groups[i];
		struct xb_buf err = { 0 };
		char *data = NULL;
		size_t len = 0;

		r.boots[i] = g->boot;
		r.boots[i].idx = (int)i;
		r.boots[i].accel = "tcg";
		if (!reason && (xb_read_file(&data, &len, g->stream_path) ||
				xb_stream_parse(&streams[i], data, len, &err))) {
			xb_err("group stream %s rejected: %s", g->stream_path, err.p ? err.p : "?");
			rc = -EBADMSG;
		}
		r.boots[i].stream = streams[i];
		r.nboots++;
		free(data);
		xb_buf_free(&err);
	}
	if (!rc)
		rc = xb_db_record_run(db, &r, out_id);
	if (rc)
		xb_err("the run could not be recorded (%s); artifacts in %s", strerror(-rc),
		       c->artifacts);
	for (size_t i = 0; i < c->ngroups; i++)
		xb_stream_free(streams[i]);
	free(streams);
	free(r.boots);
	return rc;
}

static int execute(struct share_ctx *c, sqlite3 *db, int64_t *out_id)
{
	unsigned per_mode = c->o.max_guests - c->o.min_guests + 1, booted = 0;
	char *reason = NULL;
	int rc;

	c->groups = calloc(c->nmodes * per_mode, sizeof(*c->groups));
	c->t_start = xb_monotonic();
	for (size_t m = 0; m < c->nmodes && !reason; m++) {
		for (unsigned n = c->o.min_guests; n <= c->o.max_guests && !reason; n++) {
			struct group *g = &c->groups[c->ngroups++];

			g->mode = c->modes[m];
			g->n = n;
			g->fd = -1;
			reason = run_group(c, g, booted);
			g->boot.status = reason ? "failed" : "finished";
			g->boot.reason = reason;
			booted += n;
		}
	}
	if (!reason)
		derive(c, c->groups[c->ngroups - 1].w);
	for (size_t i = 0; i < c->ngroups; i++) {
		if (c->groups[i].w)
			xb_stream_writer_close(c->groups[i].w);
		if (c->groups[i].fd >= 0)
			close(c->groups[i].fd);
	}
	rc = record(c, db, reason, out_id);
	if (!rc)
		printf("run %lld %s: %zu groups in %.0f s%s%s\nsee: daxbench show %lld\n",
		       (long long)*out_id, reason ? "failed" : "finished", c->ngroups,
		       xb_monotonic() - c->t_start, reason ? ": " : "", reason ? reason : "",
		       (long long)*out_id);
	if (reason)
		xb_err("%s (console logs in %s)", reason, c->artifacts);
	free(reason);
	return rc ? rc : reason ? -ECANCELED : 0;
}

static void ctx_free(struct share_ctx *c)
{
	for (size_t i = 0; i < c->ngroups; i++)
		free(c->groups[i].stream_path);
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

int xb_cmd_share(int argc, char **argv)
{
	struct share_ctx c = { 0 };
	sqlite3 *db = NULL;
	int64_t id = 0;
	int rc, ret = XB_EXIT_ERROR;

	rc = parse_opts(&c.o, argc, argv);
	if (rc) {
		free(c.o.modes);
		return rc < 0 ? XB_EXIT_OK : rc;
	}
	if (parse_modes(&c)) {
		free(c.o.modes);
		return XB_EXIT_USAGE;
	}
	xb_signals_install();
	if (xb_db_open(&db, xb_default_db_path(c.o.db), true))
		goto out;
	if (prepare(&c))
		goto out;
	if (!execute(&c, db, &id))
		ret = XB_EXIT_OK;
out:
	if (xb_interrupted)
		ret = 128 + xb_interrupted;
	ctx_free(&c);
	xb_db_close(db);
	return ret;
}
