// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated z/VM DCSS: an s390x guest (Debian's s390x kernel) in QEMU with
 * the emulated-DCSS patch (harness/qemu-patches/dcss.patch, built by
 * scripts/build-qemu-dcss). One segment, DAXSEG, lies above guest memory;
 * its content is a host file mapped shared. The guest's real dcssblk driver
 * adds it through /sys/devices/dcssblk/add and reloads it
 * exclusive-writable (shared = 0) so the benchmarks may format it;
 * /dev/dcssblk0 then is a DAX device without struct pages
 * (FS_DAX_LIMITED), unlike axonram-emu's pmem. With joined_segments = N
 * (2 to 4), N more segments of JOINED_SIZE, DAXJ1..DAXJN, follow DAXSEG
 * back to back, and the guest adds them as one device (dcssblk joins
 * contiguous segments: `echo daxj1:daxj2 > add`), /dev/dcssblk1: the radix
 * suite's multi-DCSS shape. Needs a kernel with
 * CONFIG_DCSSBLK and CONFIG_FS_DAX_LIMITED (upstream marked dcssblk DAX
 * broken in 6.15): `daxbench run` skips with the reason otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "backends.h"
#include "error.h"
#include "caps.h"
#include "common.h"
#include "config.h"
#include "sha256.h"

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)

static const char *const kmods[] = { "dcssblk", "virtio_console", NULL };
static const char *const params[] = { "memory", "segment_size", "share_guests",
				      "joined_segments", NULL };

#define JOINED_SIZE (16 * MiB)
static const char *const kconfig[] = { "DCSSBLK", "FS_DAX_LIMITED", NULL };

/* What the guest's /init does before the benchmarks: the segment added
 * (loaded shared, as z/VM guests do), then made exclusive-writable. */
static const char guest_init[] =
	"grep -q 'z/VM' /proc/sysinfo && echo 'daxbench-guest: control program z/VM'\n"
	"echo daxseg > /sys/devices/dcssblk/add &&\n"
	"  echo \"daxbench-guest: dcssblk added $(cat /sys/devices/dcssblk/DAXSEG/seglist)\"\n"
	"echo 0 > /sys/devices/dcssblk/DAXSEG/shared &&\n"
	"  echo 'daxbench-guest: dcssblk segment exclusive-writable'\n"
	/* joined_segments: their names on the kernel command line */
	"j=$(sed -n 's/.*daxbench.dcss_joined=\\([^ ]*\\).*/\\1/p' /proc/cmdline)\n"
	"if [ -n \"$j\" ]; then\n"
	"  echo \"$j\" > /sys/devices/dcssblk/add && echo 0 > /sys/devices/dcssblk/DAXJ1/shared &&\n"
	"    echo \"daxbench-guest: dcssblk joined $(tr '\\n' ' ' < /sys/devices/dcssblk/DAXJ1/seglist)\"\n"
	"fi\n";

/* A sharing guest: the segment (type SR) added and left shared. */
static const char share_init[] =
	"echo daxshr > /sys/devices/dcssblk/add &&\n"
	"  echo \"daxbench-share-guest: dcssblk added $(cat /sys/devices/dcssblk/DAXSHR/seglist) shared=$(cat /sys/devices/dcssblk/DAXSHR/shared)\"\n";


static int size_param(uint64_t *out, const struct xb_kvlist *p, const char *key,
		      const char *def)
{
	return xb_backend_size_param(out, &xb_backend_dcssblk_emu, p, key, def);
}

static int configure(struct xb_backend_cfg *g, const struct xb_kvlist *p)
{
	uint64_t mem, size, start;
	long long share = 2, joined = 0;
	const char *sv = xb_kv_get(p, "share_guests");

	if (size_param(&mem, p, "memory", "512M") ||
	    size_param(&size, p, "segment_size", "256M"))
		return -EINVAL;
	if (mem < 256 * MiB || mem % MiB)
		return xb_error_set(-EINVAL, "dcssblk-emu: memory must be a whole number of MiB, at least 256M (got %llu bytes)",
					    (unsigned long long)mem);
	if (size < 16 * MiB || size % MiB || size > 16 * GiB)
		return xb_error_set(-EINVAL, "dcssblk-emu: segment_size must be a whole number of MiB from 16M to 16G (got %llu bytes)",
					    (unsigned long long)size);
	if (sv && xb_parse_int(&share, sv, 0, 8))
		return xb_error_set(-EINVAL, "dcssblk-emu: share_guests is a number of guests from 0 to 8, not '%s'", sv);
	g->share_guests = (unsigned)share;
	sv = xb_kv_get(p, "joined_segments");
	if (sv && (xb_parse_int(&joined, sv, 0, 4) || joined == 1))
		return xb_error_set(-EINVAL, "dcssblk-emu: joined_segments is 0 (none) or a number of segments from 2 to 4, not '%s'", sv);
	/* the segment starts at the first GiB boundary above guest memory */
	start = (mem + GiB - 1) / GiB * GiB;
	g->mem_mb = (unsigned)(mem / MiB);
	g->device = xb_strdup("/dev/dcssblk0");
	/* no pfault handshake and no IUCV console: QEMU's z/VM has neither */
	xb_buf_adds(&g->append, " nopfault hvc_iucv=0");
	xb_kv_set(&g->fingerprint, "backend.model",
		  "emulated z/VM DCSS (QEMU s390-dcss), real dcssblk driver");
	xb_kv_set(&g->fingerprint, "backend.segment", "DAXSEG");
	xb_kv_set(&g->fingerprint, "backend.segment_type", "SW");
	xb_kv_setf(&g->fingerprint, "backend.segment_size", "%llu", (unsigned long long)size);
	xb_kv_setf(&g->fingerprint, "backend.segment_start", "0x%llx", (unsigned long long)start);
	xb_kv_setf(&g->fingerprint, "backend.guest_memory", "%llu", (unsigned long long)mem);
	xb_kv_setf(&g->fingerprint, "backend.share_guests", "%u", g->share_guests);
	if (share)
		xb_kv_set(&g->fingerprint, "backend.share_segment", "DAXSHR type SR, a host-made ext4 image");
	if (joined) {
		xb_buf_adds(&g->append, " daxbench.dcss_joined=daxj1");
		for (long long i = 2; i <= joined; i++)
			xb_buf_addf(&g->append, ":daxj%lld", i);
		xb_kv_setf(&g->fingerprint, "backend.joined_segments", "%lld", joined);
		xb_kv_setf(&g->fingerprint, "backend.joined_segment_size", "%llu", JOINED_SIZE);
		xb_kv_set(&g->fingerprint, "backend.joined_device", "/dev/dcssblk1");
	}
	return 0;
}

/* A sparse host file of `size` bytes, empty at each boot's start. */
static int make_file(const char *path, uint64_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = 0;

	if (fd < 0 || ftruncate(fd, (off_t)size)) {
		rc = -errno;
		xb_error_set(rc, "dcssblk-emu: cannot make the segment file %s: %s", path,
			     strerror(-rc));
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* joined_segments: DAXJ1..DAXJn right after DAXSEG, each ending where the
 * next starts, so that dcssblk accepts them as one device. */
static int joined_prepare(struct xb_backend_cfg *g, const char *dir, uint64_t at)
{
	const char *v = xb_kv_get(&g->fingerprint, "backend.joined_segments");
	long long n = v ? strtoll(v, NULL, 10) : 0;
	int rc = 0;

	for (long long i = 1; i <= n && !rc; i++, at += JOINED_SIZE) {
		char *path = xb_asprintf("%s/joined%lld.img", dir, i);

		rc = make_file(path, JOINED_SIZE);
		if (!rc) {
			xb_argv_add(&g->qemu_args, "-object");
			xb_argv_addf(&g->qemu_args, "memory-backend-file,id=daxj%lld,mem-path=%s,size=%llu,share=on",
				     i, path, JOINED_SIZE);
			xb_argv_add(&g->qemu_args, "-device");
			xb_argv_addf(&g->qemu_args, "s390-dcss,segname=DAXJ%lld,segtype=SW,start=0x%llx,memdev=daxj%lld",
				     i, (unsigned long long)at, i);
		}
		free(path);
	}
	return rc;
}

/* The segment's host file: sparse, in the run's directory, zero at each
 * boot's start (the guest formats it). */
static int boot_prepare(struct xb_backend_cfg *g, const char *dir)
{
	char *path = xb_asprintf("%s/segment.img", dir);
	uint64_t size = 0, start = 0;
	int rc;

	xb_parse_size(&size, xb_kv_get(&g->fingerprint, "backend.segment_size"));
	start = strtoull(xb_kv_get(&g->fingerprint, "backend.segment_start"), NULL, 16);
	rc = make_file(path, size);
	if (!rc) {
		xb_argv_add(&g->qemu_args, "-object");
		xb_argv_addf(&g->qemu_args, "memory-backend-file,id=seg,mem-path=%s,size=%llu,share=on",
			     path, (unsigned long long)size);
		xb_argv_add(&g->qemu_args, "-device");
		xb_argv_addf(&g->qemu_args, "s390-dcss,segname=DAXSEG,segtype=SW,start=0x%llx,memdev=seg",
			     (unsigned long long)start);
	}
	free(path);
	if (!rc)
		rc = joined_prepare(g, dir, start + size);
	return rc;
}

/* The DCSS-patched qemu-system-s390x: $XB_QEMU_DCSS, or what
 * scripts/build-qemu-dcss builds (once; cached by the patch's hash).
 * -ENOTSUP when it cannot be built here (a skip, with the reason). */
static int qemu(char **out, struct xb_backend_cfg *g)
{
	const char *env = getenv("XB_QEMU_DCSS");
	char *script = NULL, *patch = NULL;
	struct xb_buf o = { 0 }, e = { 0 };
	char sha[65];
	int rc, status = 0;

	*out = NULL;
	rc = xb_data_path(&patch, "qemu-patches/dcss.patch");
	if (rc)
		goto out;
	rc = xb_sha256_file_hex(sha, patch);
	if (rc) {
		rc = xb_error_set(rc, "cannot read %s: %s", patch, strerror(-rc));
		goto out;
	}
	xb_kv_setf(&g->fingerprint, "qemu.patch", "qemu-patches/dcss.patch sha256 %.16s", sha);
	if (env && *env) {
		*out = xb_strdup(env);
		goto out;
	}
	rc = xb_data_path(&script, "scripts/build-qemu-dcss");
	if (rc)
		goto out;
	const char *argv[] = { script, patch, NULL };
	xb_progress("the DCSS-patched QEMU (scripts/build-qemu-dcss: about 2 minutes the first time)");
	rc = xb_run(argv, &o, &e, &status);
	xb_progress_done();
	if (rc || status == 77) {
		char *last = e.p ? strrchr(xb_trim(e.p), '\n') : NULL;

		rc = xb_error_set(-ENOTSUP, "skipped: the DCSS-patched QEMU cannot be built here: %s",
				  rc ? strerror(-rc) : last ? last + 1 : e.p ? e.p : "?");
	} else if (status || !o.p) {
		rc = xb_error_set(-EIO, "scripts/build-qemu-dcss failed (exit %d):\n%s", status,
				  e.p ? xb_trim(e.p) : "");
	} else {
		*out = xb_strdup(xb_trim(o.p));
	}
out:
	free(script);
	free(patch);
	xb_buf_free(&o);
	xb_buf_free(&e);
	return rc;
}

/* The sharing group's segment: the same place, type SR (shared,
 * read-only), from one host file every guest's QEMU maps shared. */
static void share_args(const struct xb_backend_cfg *g, const char *file, struct xb_argv *out)
{
	uint64_t size = 0;

	xb_parse_size(&size, xb_kv_get(&g->fingerprint, "backend.segment_size"));
	xb_argv_add(out, "-object");
	xb_argv_addf(out, "memory-backend-file,id=shr,mem-path=%s,size=%llu,share=on", file,
		     (unsigned long long)size);
	xb_argv_add(out, "-device");
	xb_argv_addf(out, "s390-dcss,segname=DAXSHR,segtype=SR,start=%s,memdev=shr",
		     xb_kv_get(&g->fingerprint, "backend.segment_start"));
}

const struct xb_backend_ops xb_backend_dcssblk_emu = {
	.name = "dcssblk-emu",
	.description = "emulated z/VM DCSS: an s390x guest in the DCSS-patched QEMU, the real dcssblk driver, /dev/dcssblk0 with DAX",
	.caps = XB_CAP_FS_DAX | XB_CAP_FS_PAGECACHE | XB_CAP_ANON | XB_CAP_WRITABLE |
		XB_CAP_NO_STRUCT_PAGE,
	.kmods = kmods,
	.params = params,
	.arch = "s390x",
	.qemu = qemu,
	.kconfig = kconfig,
	.guest_init = guest_init,
	.configure = configure,
	.boot_prepare = boot_prepare,
	.share_init = share_init,
	.share_args = share_args,
};
