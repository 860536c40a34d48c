// SPDX-License-Identifier: GPL-2.0
/*
 * bench/kmod built against a guest kernel's headers: one make for all its
 * modules, into <cache>/kmod/<release>-<source hash>/ (see kmod.h); for a
 * foreign guest, cross-compiled against headers scripts/fetch-kheaders
 * unpacked into the cache.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "common.h"
#include "error.h"
#include "kmod.h"
#include "sha256.h"

static const char *const kmod_files[] = {
	"Makefile", "daxbench_radix.c", "radix-kmod-abi.h", "daxbench_inject.c",
};

static char *kmod_source_dir(void)
{
	char *found = NULL;

	if (xb_data_path(&found, "kmod/Makefile"))
		return NULL;
	*strrchr(found, '/') = 0;
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
			xb_error_set(rc, "cannot read %s: %s", path, strerror(-rc));
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
			xb_error_set(rc, "cannot copy %s to %s: %s", from, to, strerror(-rc));
		free(data);
		free(from);
		free(to);
	}
	return rc;
}

static int make_module(const char *headers, const char *dir, const struct xb_arch *arch)
{
	char *mflag = xb_asprintf("M=%s", dir), *aflag = NULL, *cflag = NULL;
	const char *argv[9] = { "make", "-s", "-C", headers, mflag };
	struct xb_buf out = { 0 }, err = { 0 };
	int status = 0, rc, n = 5;

	if (arch && arch->foreign) {
		aflag = xb_asprintf("ARCH=%s", arch->kernel_arch);
		cflag = xb_asprintf("CROSS_COMPILE=%s-", arch->triplet);
		argv[n++] = aflag;
		argv[n++] = cflag;
	}
	argv[n++] = "modules";
	rc = xb_run(argv, &out, &err, &status);
	if (!rc && status) {
		rc = xb_error_set(-EIO, "building the kernel modules of bench/kmod against %s failed (exit %d): %.400s",
				  headers, status, err.len ? err.p : out.len ? out.p : "");
	} else if (rc) {
		xb_error_set(rc, "cannot run make for the kernel modules of bench/kmod: %s (apt-get install make gcc)",
			     strerror(-rc));
	}
	xb_buf_free(&out);
	xb_buf_free(&err);
	free(mflag);
	free(aflag);
	free(cflag);
	return rc;
}

/*
 * A foreign kernel's headers: scripts/fetch-kheaders prints their folder,
 * or exits 77 with the reason it cannot (a skip, in *out_skip).
 */
static int foreign_headers(char **out, char **out_skip, const char *release,
			   const struct xb_arch *arch, const char *cache_dir)
{
	char *script = NULL;
	char *cc = xb_asprintf("%s-gcc", arch->triplet), *ccpath = xb_which(cc);
	const char *argv[] = { NULL, release, arch->name, cache_dir, NULL };
	struct xb_buf o = { 0 }, e = { 0 };
	int rc = 0, status = 0;

	rc = xb_data_path(&script, "scripts/fetch-kheaders");
	if (rc)
		goto out;
	argv[0] = script;
	if (!ccpath) {
		*out_skip = xb_asprintf("no %s on the host to build %s modules: apt-get install gcc-%s",
					cc, arch->name, arch->triplet);
		goto out;
	}
	xb_progress("kernel headers of %s (scripts/fetch-kheaders: once)", release);
	rc = xb_run(argv, &o, &e, &status);
	xb_progress_done();
	if (rc) {
		xb_error_set(rc, "cannot run %s: %s", script, strerror(-rc));
	} else if (status == 77) {
		char *last = e.p ? strrchr(xb_trim(e.p), '\n') : NULL;

		*out_skip = xb_strdup(last ? last + 1 : e.p ? e.p : "fetch-kheaders skipped");
	} else if (status || !o.p) {
		rc = xb_error_set(-EIO, "scripts/fetch-kheaders %s failed (exit %d): %.400s", release,
				  status, e.p ? xb_trim(e.p) : "");
	} else {
		*out = xb_strdup(xb_trim(o.p));
	}
out:
	xb_buf_free(&o);
	xb_buf_free(&e);
	free(script);
	free(cc);
	free(ccpath);
	return rc;
}

static int build_once(const char *headers, const char *release, const struct xb_arch *arch,
		      const char *cache_dir, char **out_dir)
{
	char *src = kmod_source_dir(), *dir = NULL, *stamp = NULL;
	char hash[65];
	int rc;

	if (!src)
		return xb_error_set(-ENOENT, "the kernel modules' source (kmod/ of daxbench's data) is not found: daxbench is not fully built or installed");
	rc = source_hash(hash, src);
	if (rc)
		goto out;
	dir = xb_asprintf("%s/kmod/%s-%.16s", cache_dir, release, hash);
	stamp = xb_asprintf("%s/modules.order", dir);
	if (!xb_path_exists(stamp)) {
		rc = copy_sources(src, dir);
		if (!rc)
			rc = make_module(headers, dir, arch);
	}
out:
	if (!rc)
		*out_dir = dir;
	else
		free(dir);
	free(stamp);
	free(src);
	return rc;
}

int xb_kmod_build(char **out_ko, char **out_skip, const char *name, const char *release,
		  const struct xb_arch *arch, const char *cache_dir)
{
	char *headers = NULL, *dir = NULL;
	int rc = 0;

	*out_ko = NULL;
	*out_skip = NULL;
	if (arch && arch->foreign) {
		rc = foreign_headers(&headers, out_skip, release, arch, cache_dir);
	} else {
		headers = xb_asprintf("/usr/src/linux-headers-%s", release);
		if (!xb_path_exists(headers))
			*out_skip = xb_asprintf("no headers for kernel %s on the host: "
						"apt-get install linux-headers-%s", release, release);
	}
	if (!rc && !*out_skip)
		rc = build_once(headers, release, arch, cache_dir, &dir);
	if (dir) {
		*out_ko = xb_asprintf("%s/%s.ko", dir, name);
		if (!xb_path_exists(*out_ko)) {
			rc = xb_error_set(-ENOENT, "%s was not built (is it in bench/kmod/Makefile?)",
					  *out_ko);
			free(*out_ko);
			*out_ko = NULL;
		}
	}
	free(dir);
	free(headers);
	return rc;
}
