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
 * repetitions (rep = guest index). Exec startup runs in one more boot per
 * mode (1 guest, share.<mode>.n1.exec.*), apart from the memory groups.
 * Derived figures (host memory per additional guest, saving of dax against
 * each mode, struct pages per GiB) go into the last group's stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "options.h"
#include "common.h"
#include "error.h"
#include "initramfs.h"
#include "kernel.h"
#include "modules.h"
#include "run.h"
#include "fingerprint.h"
#include "usr-image.h"
#include "virtio-pmem-shared.h"
#include "share.h"
#include "stream-writer.h"
#include "clock.h"
#include "plan.h"
#include "db.h"
#include "query.h"
#include "error.h"
#include "stream.h"

#define QEMU_BIN "qemu-system-x86_64"
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
"                     --no-struct-pages\n"
"  --read DIRS        directories in the image the workload reads whole\n"
"                     (default /usr)\n"
"  --no-exec          skip the exec startup benchmark (otherwise one more boot\n"
"                     per mode, 1 guest, apart from the memory groups)\n"
"  --exec-reps N      warm repetitions per program (default 20)\n"
"  --no-struct-pages  skip the struct-page comparison (otherwise, after the\n"
"                     groups, one boot of workloads/structpages.suite: the\n"
"                     emulated nvdimm region as fsdax with its memmap in RAM\n"
"                     and on the device, and as devdax; a run of its own)\n"
"  --clock C          auto (default: icount), wall or icount: the guests' clock\n"
"                     for exec startup (icount: guest instructions, the same every\n"
"                     boot; see daxbench run --help); memory figures are the host's\n"
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
"The struct-page run: structpages.<raw|fsdax.mem|fsdax.dev|devdax.dev|devdax.mem>.\n"
"{struct_page,device_reserved}_bytes_per_gib (daxbench show RUN).\n"
"\n"
"Exit status: 0 recorded, 1 error or failed run, 2 usage, 130/143 interrupted.\n");
}

static int parse_one(void *ctx, int key, const char *arg)
{
	struct share_opts *o = ctx;

	switch (key) {
	case 'm': free(o->modes); o->modes = xb_strdup(arg); return 0;
	case 'N': return xb_opt_uint(&o->max_guests, "max-guests", arg, 1, MAX_GUESTS);
	case 'n': return xb_opt_uint(&o->min_guests, "min-guests", arg, 1, MAX_GUESTS);
	case 'q':
		free(o->modes);
		o->modes = xb_strdup("dax,pagecache");
		o->max_guests = 2;
		o->exec_reps = 5;
		o->struct_pages = false;
		return 0;
	case 'S': o->struct_pages = false; return 0;
	case 'r': o->read = arg; return 0;
	case 'x': o->exec = false; return 0;
	case 'e': return xb_opt_uint(&o->exec_reps, "exec-reps", arg, 1, 10000);
	case 'k': o->kernel = arg; return 0;
	case 't': return xb_opt_uint(&o->timeout_s, "timeout", arg, 10, 86400);
	case 'R': o->recipe = arg; return 0;
	case 'l': o->label = arg; return 0;
	case 'c': o->cache = arg; return 0;
	}
	return -EINVAL;
}

/* 0 go on, 1 help printed, <0 usage error (xb_opts_parse) */
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
		{ "no-struct-pages", no_argument, NULL, 'S' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "timeout", required_argument, NULL, 't' },
		{ "recipe", required_argument, NULL, 'R' },
		{ "label", required_argument, NULL, 'l' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ 0 },
	};
	const struct xb_opts_spec spec = { .shared = XB_OPT_DB | XB_OPT_CLOCK,
		.longopts = longopts, .parse = parse_one, .ctx = o, .usage = usage };
	struct xb_opts so;
	int rc;

	o->modes = xb_strdup("dax,pagecache,blk,ksm");
	o->min_guests = 1;
	o->max_guests = 4;
	o->timeout_s = 300;
	o->exec_reps = 20;
	o->exec = true;
	o->struct_pages = true;
	o->read = "/usr";
	rc = xb_opts_parse(&so, &spec, argc, argv);
	if (rc)
		return rc;
	o->db = so.db;
	/* share's guests are TCG with one vCPU each: auto is icount */
	o->icount = so.clk != XB_CLOCK_WALL;
	if (so.nargs) {
		xb_err("share takes no argument '%s' (see daxbench share --help)",
		       argv[so.first_arg]);
		return -EINVAL;
	}
	if (o->min_guests > o->max_guests) {
		xb_err("--min-guests %u is above --max-guests %u", o->min_guests, o->max_guests);
		return -EINVAL;
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
	if (rc)
		xb_error_print(rc);
	return rc;
}

static char *share_guest_path(void)
{
	char *g, *p = NULL;
	int rc = xb_guest_program_path(&g);

	if (rc)
		xb_error_print(rc);
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
	if (rc)
		xb_error_print(rc);
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
	rc = xb_need_program(&c->qemu, QEMU_BIN, "qemu-system-x86");
	if (rc) {
		xb_error_print(rc);
		return rc;
	}
	rc = xb_kernel_resolve(&c->kernel, c->o.kernel, NULL, c->cache_dir);
	if (rc)
		xb_error_print(rc);
	if (!rc && !c->kernel->modules_dir) {
		xb_err("daxbench share needs the kernel's modules (a Debian kernel package)");
		rc = -ENOENT;
	}
	if (!rc && (rc = xb_usr_image_get(&c->img, c->o.recipe, c->cache_dir)))
		xb_error_print(rc);
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
	xb_kv_set(&c->fp, "qemu.host_thp", XB_QEMU_HOST_THP);
	xb_kv_set(&c->fp, "qemu.host_ksm", XB_QEMU_HOST_KSM);
	xb_kv_set(&c->fp, "qemu.accel", "tcg");
	xb_kv_set(&c->fp, XB_FP_CLOCK, c->o.icount ? "icount" : "wall");
	if (c->o.icount)
		xb_kv_set(&c->fp, XB_FP_CLOCK_ICOUNT, XB_ICOUNT_ARGS);
	return 0;
}

static int record(struct share_ctx *c, struct xb_db *db, const char *reason, int64_t *out_id)
{
	struct xb_run_record r = { 0 };
	struct xb_stream **streams = xb_calloc(c->ngroups, sizeof(*streams));
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
	r.boots = xb_calloc(c->ngroups, sizeof(*r.boots));
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
	if (!rc) {
		rc = xb_db_record_run(db, &r, out_id);
		if (rc)
			xb_error_print(rc);
	}
	if (rc)
		xb_err("the run could not be recorded (%s); artifacts in %s", strerror(-rc),
		       c->artifacts);
	for (size_t i = 0; i < c->ngroups; i++)
		xb_stream_free(streams[i]);
	free(streams);
	free(r.boots);
	return rc;
}

static int execute(struct share_ctx *c, struct xb_db *db, int64_t *out_id)
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
			struct group *g = &c->groups[c->ngroups++];

			g->mode = c->modes[m];
			g->exec = n > c->o.max_guests;
			g->n = g->exec ? 1 : n;
			g->fd = -1;
			reason = xb_share_run_group(c, g, booted);
			g->boot.status = reason ? "failed" : "finished";
			g->boot.reason = reason;
			booted += g->n;
		}
	}
	if (!reason)
		xb_share_derive(c, c->groups[c->ngroups - 1].w);
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

/* Per GiB of a DAX region: struct pages in RAM and the reservation on the
 * device, per namespace mode, medians of one structpages run. */
static void print_struct_pages(struct xb_db *db, int64_t run)
{
	static const char *const modes[] = { "fsdax.mem", "fsdax.dev", "devdax.dev", "devdax.mem" };

	printf("struct pages per GiB of DAX region (run %lld, median of n re-enables):\n",
	       (long long)run);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		double v[2] = { NAN, NAN };
		int64_t n[2] = { 0, 0 };

		for (int k = 0; k < 2; k++) {
			char *name = xb_asprintf("structpages.%s.%s_bytes_per_gib", modes[i],
						 k ? "device_reserved" : "struct_page");

			/* missing or unreadable: shown as unavailable */
			if (xb_query_summary_median(&v[k], &n[k], db, run, name)) {
				v[k] = NAN;
				xb_error_clear();
			}
			free(name);
		}
		if (isnan(v[0]))
			printf("  %-10s  unavailable (see daxbench show %lld)\n", modes[i], (long long)run);
		else
			printf("  %-10s  %8.2f MiB in RAM, %8.2f MiB on the device (n=%lld)\n",
			       modes[i], v[0] / 1048576, v[1] / 1048576, (long long)n[0]);
	}
}

/* After the groups: the nvdimm comparison virtio-pmem cannot give (memmap
 * in RAM against on the device), one boot of workloads/structpages.suite on
 * the same kernel, recorded as a run of its own. */
static int struct_pages(struct share_ctx *c, struct xb_db *db)
{
	struct xb_run_request req = {
		.kernel = c->o.kernel, .suite = "structpages", .label = c->o.label,
		.cache = c->o.cache, .accel = "tcg", .clock = c->o.icount ? "icount" : "wall",
	};
	int64_t id = 0;
	int rc;

	if (xb_interrupted)
		return XB_EXIT_ERROR;
	fprintf(stderr, "daxbench: struct pages: one boot of workloads/structpages.suite "
		"(nvdimm namespace modes)\n");
	rc = xb_run_suite(db, &req, false, &id);
	if (rc)
		return XB_EXIT_ERROR;
	print_struct_pages(db, id);
	return XB_EXIT_OK;
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
	struct xb_db *db = NULL;
	int64_t id = 0;
	int rc, ret = XB_EXIT_ERROR;

	rc = parse_opts(&c.o, argc, argv);
	if (rc) {
		free(c.o.modes);
		return xb_opts_exit(rc);
	}
	if (parse_modes(&c)) {
		free(c.o.modes);
		return XB_EXIT_USAGE;
	}
	xb_signals_install();
	if (xb_cmd_db_open(&db, xb_default_db_path(c.o.db), true))
		goto out;
	if (prepare(&c))
		goto out;
	if (!execute(&c, db, &id))
		ret = c.o.struct_pages ? struct_pages(&c, db) : XB_EXIT_OK;
out:
	if (xb_interrupted)
		ret = 128 + xb_interrupted;
	ctx_free(&c);
	xb_db_close(db);
	return ret;
}
