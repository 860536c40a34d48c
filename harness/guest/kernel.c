// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common.h"
#include "error.h"
#include "kernel.h"
#include "arch.h"
#include "sha256.h"

void xb_kernel_free(struct xb_kernel *k)
{
	if (!k)
		return;
	free(k->spec);
	free(k->release);
	free(k->package);
	free(k->pkg_version);
	free(k->vmlinuz);
	free(k->config);
	free(k->modules_dir);
	free(k);
}

int xb_bzimage_release_buf(char **out, const char *img, size_t len)
{
	size_t off, end;

	/* x86 boot protocol: "HdrS" at 0x202, kernel_version at 0x20e is an
	 * offset from 0x200 to a NUL-terminated "release (builder) #1 ..." */
	if (len < 0x210 || memcmp(img + 0x202, "HdrS", 4))
		return -EINVAL;
	off = 0x200 + ((unsigned char)img[0x20e] | (unsigned char)img[0x20f] << 8);
	if (off >= len)
		return -EINVAL;
	for (end = off; end < len && img[end] && img[end] != ' '; end++)
		;
	if (end == off || end == len)
		return -EINVAL;
	*out = xb_strndup(img + off, end - off);
	return 0;
}

int xb_bzimage_release(char **out, const char *path)
{
	char *img = NULL;
	size_t len;
	int rc;

	rc = xb_read_file(&img, &len, path);
	if (!rc)
		rc = xb_bzimage_release_buf(out, img, len);
	free(img);
	return rc;
}

/* Debian's kernel package suffix of an architecture's default flavour. */
static char *flavour_suffix(const char *arch)
{
	const struct xb_arch *ar = xb_arch_find(arch);

	return ar ? xb_strdup(ar->kernel_flavour) : xb_asprintf("-%s", arch);
}

const char *xb_kernel_pick_default(const char *const *names, size_t n)
{
	return xb_kernel_pick_default_arch(names, n, "amd64");
}

/* linux-image-6.1.0-N-amd64-unsigned (-s390x ...): the default flavour, newest N. */
const char *xb_kernel_pick_default_arch(const char *const *names, size_t n, const char *arch)
{
	char *suffix = flavour_suffix(arch);
	const char *best = NULL;
	long best_n = -1;

	for (size_t i = 0; i < n; i++) {
		const char *p = names[i], *pre = "linux-image-6.1.0-";
		char *end;
		long abi;

		if (strncmp(p, pre, strlen(pre)))
			continue;
		abi = strtol(p + strlen(pre), &end, 10);
		if (end == p + strlen(pre) || strcmp(end, suffix))
			continue;
		if (abi > best_n) {
			best_n = abi;
			best = p;
		}
	}
	free(suffix);
	return best;
}

/* "Package: x\nVersion: y\n\n..." from apt-cache show into pkg -> version. */
static void parse_show(struct xb_kvlist *out, const char *text)
{
	char *dup = xb_strdup(text), *save = NULL, *pkg = NULL;

	for (char *l = strtok_r(dup, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(l, "Package: ", 9))
			pkg = l + 9;
		else if (!strncmp(l, "Version: ", 9) && pkg && !xb_kv_get(out, pkg))
			xb_kv_add(out, pkg, l + 9);
	}
	free(dup);
}

int xb_apt_versions(struct xb_kvlist *out, const char *const *pkgs, size_t n)
{
	const char **argv = xb_malloc((n + 4) * sizeof(char *));
	struct xb_buf o = { 0 }, e = { 0 };
	int rc, status;

	argv[0] = "apt-cache";
	argv[1] = "show";
	argv[2] = "--no-all-versions";
	memcpy(argv + 3, pkgs, n * sizeof(char *));
	argv[n + 3] = NULL;
	rc = xb_run(argv, &o, &e, &status);
	if (!rc && o.p)
		parse_show(out, o.p);
	free(argv);
	xb_buf_free(&o);
	xb_buf_free(&e);
	return rc;
}

static int cmp_abi_desc(const void *a, const void *b)
{
	return -strverscmp(*(const char *const *)a, *(const char *const *)b);
}

int xb_kernel_available(struct xb_kvlist *out)
{
	return xb_kernel_available_arch(out, "amd64");
}

int xb_kernel_available_arch(struct xb_kvlist *out, const char *arch)
{
	char *suffix = flavour_suffix(arch);
	size_t slen = strlen(suffix);
	const char *argv[] = { "apt-cache", "pkgnames", "linux-image-", NULL };
	struct xb_buf o = { 0 };
	char **names = NULL, *save = NULL;
	size_t n = 0;
	int rc, status;

	rc = xb_run(argv, &o, NULL, &status);
	if (rc || status) {
		rc = xb_error_set(rc ? rc : -EIO, "apt-cache is not usable here; install apt or use --kernel PATH");
		goto out;
	}
	for (char *l = strtok_r(o.p ? o.p : "", "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(l);

		if (len > slen && !strcmp(l + len - slen, suffix) &&
		    l[12] >= '0' && l[12] <= '9') {
			names = xb_realloc(names, (n + 1) * sizeof(char *));
			names[n++] = l;
		}
	}
	qsort(names, n, sizeof(char *), cmp_abi_desc);
	if (n)
		rc = xb_apt_versions(out, (const char *const *)names, n);
out:
	free(suffix);
	free(names);
	xb_buf_free(&o);
	return rc;
}

static int find_release_dir(char **out, const char *root)
{
	char *mods = xb_asprintf("%s/lib/modules", root);
	DIR *d = opendir(mods);
	struct dirent *e;
	int rc = -ENOENT;

	if (!d)
		goto out;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		*out = xb_strdup(e->d_name);
		rc = 0;
		break;
	}
	closedir(d);
out:
	free(mods);
	return rc;
}

int xb_run_checked(const char *dir, const char *const argv[], const char *what)
{
	struct xb_buf o = { 0 }, e = { 0 };
	int rc, status;

	rc = xb_run_in(dir, argv, &o, &e, &status);
	if (!rc && status) {
		rc = xb_error_set(-EIO, "%s failed (exit %d): %s", what, status, e.p ? xb_trim(e.p) : "");
	} else if (rc) {
		xb_error_set(rc, "%s: cannot run %s: %s", what, argv[0], strerror(-rc));
	}
	xb_buf_free(&o);
	xb_buf_free(&e);
	return rc;
}

/* apt-get download + dpkg-deb -x + depmod -b into dir (made here). */
static int fetch_package(const char *dir, const char *pkg, const char *ver)
{
	char *tmp = xb_asprintf("%s.tmp.%d", dir, (int)getpid());
	char *pkgver = xb_asprintf("%s=%s", pkg, ver), *deb = NULL, *root = NULL;
	char *release = NULL;
	DIR *d;
	struct dirent *e;
	int rc;

	xb_rm_rf(tmp);
	rc = xb_mkdir_p(tmp, 0755);
	if (rc)
		goto out;
	xb_progress("downloading %s %s", pkg, ver);
	{
		const char *argv[] = { "apt-get", "download", "-q", "-o",
				       "APT::Sandbox::User=root", pkgver, NULL };
		rc = xb_run_checked(tmp, argv, "apt-get download");
		if (rc)
			goto out;
	}
	d = opendir(tmp);
	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ".deb") && !deb)
			deb = xb_asprintf("%s/%s", tmp, e->d_name);
	if (d)
		closedir(d);
	if (!deb) {
		rc = xb_error_set(-ENOENT, "apt-get download of %s left no .deb in %s", pkg, tmp);
		goto out;
	}
	root = xb_asprintf("%s/root", tmp);
	xb_progress("unpacking %s", pkg);
	{
		const char *argv[] = { "dpkg-deb", "-x", deb, root, NULL };
		rc = xb_run_checked(NULL, argv, "dpkg-deb -x");
		if (rc)
			goto out;
	}
	unlink(deb);
	rc = find_release_dir(&release, root);
	if (rc) {
		xb_error_set(rc, "package %s holds no lib/modules/<release>", pkg);
		goto out;
	}
	{
		const char *argv[] = { "depmod", "-b", root, release, NULL };
		rc = xb_run_checked(NULL, argv, "depmod");
		if (rc)
			goto out;
	}
	if (rename(tmp, dir)) {
		rc = -errno;
		/* another daxbench unpacked the same package meanwhile: use its copy */
		if ((rc == -EEXIST || rc == -ENOTEMPTY) && xb_path_exists(dir)) {
			xb_rm_rf(tmp);
			rc = 0;
		} else {
			xb_error_set(rc, "cannot move %s to %s: %s", tmp, dir, strerror(-rc));
		}
	}
out:
	xb_progress_done();
	if (rc)
		xb_rm_rf(tmp);
	free(tmp);
	free(pkgver);
	free(deb);
	free(root);
	free(release);
	return rc;
}

/* The version of pkg in the cache when apt cannot say (offline). */
static char *cached_version(const char *cache_pkg_dir)
{
	DIR *d = opendir(cache_pkg_dir);
	struct dirent *e;
	char *best = NULL;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp."))
			continue;
		if (!best || strverscmp(e->d_name, best) > 0) {
			free(best);
			best = xb_strdup(e->d_name);
		}
	}
	if (d)
		closedir(d);
	return best;
}

static int fill_from_root(struct xb_kernel *k, const char *root)
{
	int rc = find_release_dir(&k->release, root);

	if (rc) {
		xb_error_set(rc, "kernel cache %s is damaged (no lib/modules); remove it and retry", root);
		return rc;
	}
	k->vmlinuz = xb_asprintf("%s/boot/vmlinuz-%s", root, k->release);
	k->config = xb_asprintf("%s/boot/config-%s", root, k->release);
	k->modules_dir = xb_asprintf("%s/lib/modules/%s", root, k->release);
	if (!xb_path_exists(k->vmlinuz))
		return xb_error_set(-ENOENT, "kernel cache %s is damaged (no vmlinuz); remove it and retry", root);
	return 0;
}

static int resolve_package(struct xb_kernel *k, const char *cache_dir)
{
	struct xb_kvlist vers = { 0 };
	const char *cands[2];
	char *pkgdir = NULL, *dir = NULL, *root = NULL;
	size_t ncands = 0;
	int rc = 0;

	if (!strncmp(k->spec, "linux-image-", 12)) {
		cands[ncands++] = k->spec;
	} else {
		cands[ncands++] = xb_asprintf("linux-image-%s-unsigned", k->spec);
		cands[ncands++] = xb_asprintf("linux-image-%s", k->spec);
	}
	xb_apt_versions(&vers, cands, ncands);
	for (size_t i = 0; i < ncands && !k->package; i++) {
		if (xb_kv_get(&vers, cands[i])) {
			k->package = xb_strdup(cands[i]);
			k->pkg_version = xb_strdup(xb_kv_get(&vers, cands[i]));
		}
	}
	for (size_t i = 0; i < ncands && !k->package; i++) {
		/* apt does not know it: a kernel cached earlier still works offline */
		char *pd = xb_asprintf("%s/kernels/%s", cache_dir, cands[i]);
		char *v = cached_version(pd);

		if (v) {
			k->package = xb_strdup(cands[i]);
			k->pkg_version = v;
		}
		free(pd);
	}
	if (!k->package) {
		rc = xb_error_set(-ENOENT, "unknown kernel '%s': apt offers no package %s%s%s; list the available ones with `daxbench kernels` (after apt-get update)",
				  k->spec, cands[0], ncands > 1 ? " or " : "", ncands > 1 ? cands[1] : "");
		goto out;
	}
	pkgdir = xb_asprintf("%s/kernels/%s", cache_dir, k->package);
	dir = xb_asprintf("%s/%s", pkgdir, k->pkg_version);
	root = xb_asprintf("%s/root", dir);
	if (!xb_path_exists(root)) {
		rc = xb_mkdir_p(pkgdir, 0755);
		if (!rc)
			rc = fetch_package(dir, k->package, k->pkg_version);
		if (rc)
			goto out;
	}
	rc = fill_from_root(k, root);
out:
	if (ncands > 1 || strncmp(k->spec, "linux-image-", 12))
		for (size_t i = 0; i < ncands; i++)
			free((char *)cands[i]);
	xb_kv_free(&vers);
	free(pkgdir);
	free(dir);
	free(root);
	return rc;
}

static int resolve_bzimage(struct xb_kernel *k, const char *modules_dir)
{
	int rc = xb_bzimage_release(&k->release, k->spec);

	if (rc) {
		xb_error_set(rc, "%s is not a bzImage this daxbench can read (%s)", k->spec,
			     rc == -EINVAL ? "no x86 boot header" : strerror(-rc));
		return rc;
	}
	k->vmlinuz = xb_strdup(k->spec);
	if (modules_dir) {
		char *dep = xb_asprintf("%s/modules.dep", modules_dir);

		if (!xb_path_exists(dep)) {
			free(dep);
			return xb_error_set(-ENOENT, "%s has no modules.dep: run `depmod -b BASE %s` "
					    "on a copy of it", modules_dir, k->release);
		}
		free(dep);
		k->modules_dir = xb_strdup(modules_dir);
		k->config = xb_asprintf("%s/config", modules_dir);
		if (!xb_path_exists(k->config)) {
			free(k->config);
			k->config = NULL;
		}
	}
	return 0;
}

int xb_kernel_resolve(struct xb_kernel **out, const char *spec, const char *modules_dir,
		      const char *cache_dir)
{
	return xb_kernel_resolve_arch(out, spec, modules_dir, cache_dir, "amd64");
}

int xb_kernel_resolve_arch(struct xb_kernel **out, const char *spec, const char *modules_dir,
			   const char *cache_dir, const char *arch)
{
	struct xb_kernel *k = calloc(1, sizeof(*k));
	int rc;

	if (!k)
		abort();
	if (!spec || !strcmp(spec, "default")) {
		struct xb_kvlist avail = { 0 };
		const char **names;
		const char *pick;

		rc = xb_kernel_available_arch(&avail, arch);
		names = xb_malloc((avail.n + 1) * sizeof(char *));
		for (size_t i = 0; i < avail.n; i++)
			names[i] = avail.v[i].key;
		pick = xb_kernel_pick_default_arch(names, avail.n, arch);
		k->spec = xb_strdup(pick);
		free(names);
		xb_kv_free(&avail);
		if (!k->spec) {
			char *suffix = flavour_suffix(arch);

			/* apt-cache failing is the reason: its message stays */
			if (!rc)
				rc = xb_error_set(-ENOENT, "apt offers no linux-image-6.1.0-*%s: run apt-get update%s, or name a kernel with --kernel",
						  suffix, strcmp(arch, "amd64") ? " (with the architecture added: dpkg --add-architecture s390x)" : "");
			free(suffix);
			goto out;
		}
	} else {
		k->spec = xb_strdup(spec);
	}
	if (strchr(k->spec, '/') && strcmp(arch, "amd64")) {
		rc = xb_error_set(-EINVAL, "a kernel image path is for amd64 guests; name a Debian %s kernel package instead of %s",
				  arch, k->spec);
	} else if (strchr(k->spec, '/'))
		rc = resolve_bzimage(k, modules_dir);
	else
		rc = resolve_package(k, cache_dir);
	if (rc)
		goto out;
	rc = xb_sha256_file_hex(k->image_sha256, k->vmlinuz);
	if (rc) {
		xb_error_set(rc, "cannot read %s: %s", k->vmlinuz, strerror(-rc));
		goto out;
	}
	if (!k->config || xb_sha256_file_hex(k->config_sha256, k->config))
		k->config_sha256[0] = 0;
out:
	if (rc) {
		xb_kernel_free(k);
		return rc;
	}
	*out = k;
	return 0;
}
