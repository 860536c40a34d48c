// SPDX-License-Identifier: GPL-2.0
/*
 * Host side of the radix benchmark: build the daxbench_radix module
 * (bench/kmod) against the guest kernel's Debian headers and put it in the
 * image. Cached by kernel release and source hash under
 * <cache>/kmod/radix/. Headers that are not installed are not an error:
 * the image then carries the reason, and the guest records a skip.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "harness.h"
#include "bench-host.h"
#include "sha256.h"

#define KMOD_NAME "daxbench_radix"
#define GUEST_DIR "/daxbench/radix"

static const char *const kmod_files[] = { "daxbench_radix.c", "radix-kmod-abi.h", "Makefile" };

static char *kmod_source_dir(void)
{
	char *dirs[2] = { xb_asprintf("%s/bench/kmod", XB_SOURCE_ROOT),
			  xb_asprintf("%s/kmod", XB_DATADIR) };
	char *found = NULL;

	for (int i = 0; i < 2; i++) {
		char *probe = xb_asprintf("%s/%s", dirs[i], kmod_files[0]);

		if (!found && xb_path_exists(probe))
			found = xb_strdup(dirs[i]);
		free(probe);
		free(dirs[i]);
	}
	return found;
}

/* sha256 over the files' names and contents. */
static int source_hash(char out[65], const char *src)
{
	struct xb_buf all = { 0 };
	int rc = 0;

	for (size_t i = 0; i < XB_ARRAY_SIZE(kmod_files) && !rc; i++) {
		char *path = xb_asprintf("%s/%s", src, kmod_files[i]), *data = NULL;
		size_t len;

		rc = xb_read_file(&data, &len, path);
		if (!rc) {
			xb_buf_addf(&all, "%s\n%zu\n", kmod_files[i], len);
			xb_buf_add(&all, data, len);
		} else {
			xb_err("cannot read %s: %s", path, strerror(-rc));
		}
		free(data);
		free(path);
	}
	if (!rc)
		xb_sha256_hex(out, all.p, all.len);
	xb_buf_free(&all);
	return rc;
}

static int copy_sources(const char *src, const char *dst)
{
	int rc = xb_mkdir_p(dst, 0755);

	for (size_t i = 0; i < XB_ARRAY_SIZE(kmod_files) && !rc; i++) {
		char *from = xb_asprintf("%s/%s", src, kmod_files[i]);
		char *to = xb_asprintf("%s/%s", dst, kmod_files[i]), *data = NULL;
		size_t len;

		rc = xb_read_file(&data, &len, from);
		if (!rc)
			rc = xb_write_file_atomic(to, data, len);
		if (rc)
			xb_err("cannot copy %s to %s: %s", from, to, strerror(-rc));
		free(data);
		free(from);
		free(to);
	}
	return rc;
}

static int make_module(const char *headers, const char *dir)
{
	char *mflag = xb_asprintf("M=%s", dir);
	const char *argv[] = { "make", "-s", "-C", headers, mflag, "modules", NULL };
	struct xb_buf out = { 0 }, err = { 0 };
	int status = 0, rc;

	rc = xb_run(argv, &out, &err, &status);
	if (!rc && status) {
		xb_err("building the radix kernel module against %s failed (exit %d): %.400s",
		       headers, status, err.len ? err.p : out.len ? out.p : "");
		rc = -EIO;
	} else if (rc) {
		xb_err("cannot run make for the radix kernel module: %s (apt-get install make gcc)",
		       strerror(-rc));
	}
	xb_buf_free(&out);
	xb_buf_free(&err);
	free(mflag);
	return rc;
}

static void add_skip(struct xb_image *img, const char *reason)
{
	xb_image_data(img, GUEST_DIR "/kmod.skip", reason, strlen(reason), 0644);
}

static int radix_prepare(struct xb_image *img, const struct xb_image_ctx *ctx)
{
	const char *release = ctx->kernel->release, *kernel = xb_kv_get(ctx->params, "kernel");
	char *headers = NULL, *src = NULL, *dir = NULL, *ko = NULL, *reason = NULL;
	char hash[65];
	int rc = 0;

	if (kernel && !strcmp(kernel, "off"))
		return 0;
	headers = xb_asprintf("/usr/src/linux-headers-%s", release);
	if (!xb_path_exists(headers)) {
		reason = xb_asprintf("no headers for kernel %s on the host: "
				     "apt-get install linux-headers-%s", release, release);
		add_skip(img, reason);
		goto out;
	}
	src = kmod_source_dir();
	if (!src) {
		xb_err("the radix kernel module's source (bench/kmod) is not found");
		rc = -ENOENT;
		goto out;
	}
	rc = source_hash(hash, src);
	if (rc)
		goto out;
	dir = xb_asprintf("%s/kmod/radix/%s-%.16s", ctx->cache_dir, release, hash);
	ko = xb_asprintf("%s/%s.ko", dir, KMOD_NAME);
	if (!xb_path_exists(ko)) {
		rc = copy_sources(src, dir);
		if (!rc)
			rc = make_module(headers, dir);
		if (rc)
			goto out;
	}
	xb_image_file(img, GUEST_DIR "/" KMOD_NAME ".ko", ko, 0644);
out:
	free(headers);
	free(src);
	free(dir);
	free(ko);
	free(reason);
	return rc;
}

const struct xb_bench_host xb_bench_host_radix = {
	.bench = "radix",
	.prepare = radix_prepare,
};
