// SPDX-License-Identifier: GPL-2.0
/*
 * The sharing group of a run (dcssblk-emu): N guests of one host file.
 * The shared segment's content is made on the host, the guests' own small
 * image beside the run's, and the group (group/) boots, waits, measures
 * the host and stops them; its figures are one more boot record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "common.h"
#include "error.h"
#include "run-ctx.h"
#include "group.h"
#include "hostmem.h"
#include "record.h"
#include "plan.h"
#include "stream-format.h"

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
		xb_error_set(rc, "cannot copy %s to %s: %s", from, to, strerror(-rc));
	free(data);
	return rc;
}

/* The shared segment's content, made on the host: an ext4 image holding
 * the programs, their loader and libraries, and a data file to read. */
static int build_share_segment(const struct xb_run_ctx *c, const char *file)
{
	char *root = xb_asprintf("%s/share-root", c->artifacts), *blob = NULL, *p, *q;
	const char *progs[] = { "bin/busybox", "bin/true", "sbin/mke2fs" };
	uint64_t size = 0;
	int rc = 0;

	xb_parse_size(&size, xb_kv_get(&c->cfg.fingerprint, "backend.segment_size"));
	for (const char *d = "bin\0sbin\0lib\0data\0"; *d && !rc; d += strlen(d) + 1) {
		p = !strcmp(d, "lib") ? xb_asprintf("%s/lib/%s", root, c->arch->triplet) :
		    xb_asprintf("%s/%s", root, d);
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
	for (size_t i = 0; !rc && c->arch->libs[i]; i++) {
		p = xb_run_userland_lib(c, c->arch->libs[i]);
		q = xb_asprintf("%s/lib/%s/%s", root, c->arch->triplet, c->arch->libs[i]);
		rc = p ? copy_file(p, q, 0755) : -ENOENT;
		free(p);
		free(q);
	}
	if (!rc) {   /* the program interpreter, /lib/ld64.so.1 */
		p = xb_asprintf("%s/lib/ld64.so.1", root);
		char *to = xb_asprintf("%s/ld64.so.1", c->arch->triplet);

		if (symlink(to, p))
			rc = -errno;
		free(to);
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
		free(sz);
	}
	xb_rm_rf(root);
	free(root);
	free(blob);
	return rc;
}

static int build_share_initrd(const struct xb_run_ctx *c, char **out_path)
{
	struct xb_image img = { 0 };
	struct xb_kvlist plan = { 0 };
	struct xb_buf init = { 0 }, text = { 0 };
	char sha[65], *prog = NULL, *dir = NULL;
	int rc;

	for (const char *d = "/proc\0/sys\0/dev\0/mnt\0/tmp\0"; *d; d += strlen(d) + 1)
		xb_image_dir(&img, d);
	rc = xb_run_add_foreign_programs(&img, c);
	for (size_t i = 0; !rc && i < xb_run_napplets; i++) {
		char *p = xb_asprintf("/bin/%s", xb_run_applets[i]);

		xb_image_symlink(&img, p, "busybox");
		free(p);
	}
	xb_buf_adds(&init, xb_run_init_head);
	if (c->arch->init_kmsg)
		xb_buf_adds(&init, xb_run_init_kmsg);
	xb_buf_adds(&init, xb_run_init_modules);
	xb_buf_adds(&init, c->backend->share_init);
	xb_buf_adds(&init, "exec /daxbench/daxbench-share-guest\n");
	xb_image_data(&img, "/init", init.p, init.len, 0755);
	/* the share-guest program sits next to the guest program */
	dir = xb_strdup(c->guest_prog);
	*strrchr(dir, '/') = 0;
	prog = xb_asprintf("%s/daxbench-share-guest", dir);
	if (!rc && !xb_is_executable(prog))
		rc = xb_error_set(-ENOENT, "%s is not built (it is built with the %s guest program)",
				  prog, c->arch->name);
	if (!rc) {
		xb_image_file(&img, "/daxbench/daxbench-share-guest", prog, 0755);
		rc = xb_run_add_modules(&img, c);
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
	if (!rc)
		rc = xb_image_build_cached(out_path, sha, &img, c->cache_dir);
	free(prog);
	free(dir);
	xb_buf_free(&init);
	xb_buf_free(&text);
	xb_kv_free(&plan);
	xb_image_free(&img);
	return rc;
}

/* Host figures while all guests live: what each QEMU holds, and its
 * mapping of the segment file; what the file holds in the page cache. */
static int measure(struct xb_stream *rec, const struct xb_group *g, const char *pfx,
		   const char *file)
{
	struct xb_smaps_fig f, s;
	double pss = 0, seg_pss = 0, seg_rss = 0, cached = 0;

	for (unsigned i = 0; i < g->n; i++) {
		if (xb_smaps_rollup(&f, g->g[i].pid))
			return xb_error_set(-EIO, "guest %u: QEMU's smaps_rollup unreadable", i);
		if (xb_smaps_mapping(&s, g->g[i].pid, file))
			return xb_error_set(-EIO, "guest %u: QEMU does not map the segment file %s",
					    i, file);
		xb_record_smaps(rec, pfx, "qemu", "QEMU smaps_rollup", (int)i, &f);
		xb_record_smaps(rec, pfx, "segment", "QEMU's mapping of the segment file (smaps)",
				(int)i, &s);
		pss += f.pss;
		seg_pss += s.pss;
		seg_rss += s.rss;
	}
	xb_record1(rec, pfx, "host.pss_sum.kib", "KiB", "lower",
		   "host memory of the group: sum of the QEMUs' Pss", 0, pss);
	xb_record1(rec, pfx, "host.segment_pss_sum.kib", "KiB", "lower",
		   "sum of the QEMUs' Pss of the segment mapping", 0, seg_pss);
	xb_record1(rec, pfx, "host.segment_rss_sum.kib", "KiB", "none",
		   "sum of the QEMUs' Rss of the segment mapping (what it would cost unshared)", 0,
		   seg_rss);
	if (xb_file_cached_kib(&cached, file))
		return xb_error_set(-EIO, "mincore of the segment file failed");
	xb_record1(rec, pfx, "host.image_cached.kib", "KiB", "none",
		   "host page cache held for the segment file (mincore)", 0, cached);
	return 0;
}

/* Boot, wait, measure, stop, take the guests' streams into rec. */
static int run_group(struct xb_stream *rec, const struct xb_group_opts *o, const char *seg,
		     const char *pfx)
{
	struct xb_group g = { 0 };
	char *file = realpath(seg, NULL);
	int rc;

	if (!file) {
		rc = xb_error_set(-errno, "segment file %s: %s", seg, strerror(errno));
		goto out;
	}
	rc = xb_group_start(&g, o);
	if (!rc)
		rc = xb_group_wait(&g, o);
	if (!rc)
		rc = measure(rec, &g, pfx, file);
	xb_progress_done();
	xb_group_stop(&g);
	for (unsigned i = 0; i < g.n && !rc; i++)
		rc = xb_record_take_guest(rec, pfx, i, g.g[i].stream, NULL);
out:
	xb_group_free(&g);
	free(file);
	return rc;
}

/*
 * The sharing group: c->cfg.share_guests guests boot at once with the
 * same segment file (type SR), each reads it through dcssblk and DAX (and
 * guest 0 times exec startup of the programs on it); the host measures
 * what each QEMU and the page cache hold. One more boot record, its stream
 * the group's figures under share.<backend>.n<N>.
 */
void xb_run_share_group(const struct xb_run_ctx *c, struct xb_boot_record *b,
			struct xb_stream **out_stream)
{
	struct xb_qemu_opts q;
	struct xb_argv extra = { 0 };
	struct xb_stream *rec = xb_stream_new();
	char *seg = xb_asprintf("%s/share-segment.img", c->artifacts);
	char *files = xb_asprintf("%s/share", c->artifacts);
	char *pfx = xb_asprintf("share.%s.n%u", c->backend->name, c->cfg.share_guests);
	char *initrd = NULL, *append = NULL, *reason = NULL;

	b->started = xb_now();
	b->accel = c->accel;
	xb_progress("sharing: building the shared segment and the guests' image");
	if (build_share_segment(c, seg) || build_share_initrd(c, &initrd)) {
		char *why = xb_error_take();

		reason = xb_asprintf("the sharing group's segment or image could not be built: %s", why);
		free(why);
		goto out;
	}
	xb_stream_set_hdr(rec, "share.mode", "dax");
	c->backend->share_args(&c->cfg, seg, &extra);
	xb_run_boot_qemu_opts(&q, c, NULL, NULL);
	append = xb_asprintf("%s daxbench.mode=dax daxbench.dev=%s daxbench.stream=%s", c->append,
			     c->cfg.device, XB_STREAM_GUEST_VPORT);
	q.initrd = initrd;
	q.append = append;
	q.extra = &extra;
	struct xb_group_opts o = {
		.q = &q, .first_append = "daxbench.exec=1", .n = c->cfg.share_guests,
		.files = files, .timeout_s = c->suite->timeout_s, .label = "sharing",
	};
	if (run_group(rec, &o, seg, pfx))
		reason = xb_error_take();
out:
	if (!reason) {
		*out_stream = rec;
		rec = NULL;
	}
	xb_stream_free(rec);
	b->ended = xb_now();
	b->status = reason ? "failed" : "finished";
	b->reason = reason;
	xb_progress_done();
	xb_argv_free(&extra);
	free(seg);
	free(files);
	free(pfx);
	free(initrd);
	free(append);
}
