// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "config.h"
#include "common.h"
#include "error.h"
#include "usr-image.h"
#include "sha256.h"

static const char *const keys[] = { "suite", "variant", "mirror", "include", "ext4_size", NULL };

/* "key = value" lines under [image]; '#' comments. */
static int parse_recipe(struct xb_kvlist *out, const char *text, const char *path)
{
	char *copy = xb_strdup(text), *save = NULL, *line;
	int no = 0, rc = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq, *k;
		size_t i;

		no++;
		k = xb_trim(line);
		if (!*k || *k == '#' || !strcmp(k, "[image]"))
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			rc = xb_error_set(-EINVAL, "%s: a line is 'key = value', not '%s'", path, k);
			break;
		}
		*eq = 0;
		k = xb_trim(k);
		for (i = 0; keys[i] && strcmp(keys[i], k); i++)
			;
		if (!keys[i]) {
			rc = xb_error_set(-EINVAL, "%s: unknown key '%s' (suite, variant, mirror, include, ext4_size)",
					  path, k);
			break;
		}
		xb_kv_set(out, k, xb_trim(eq + 1));
	}
	free(copy);
	return rc;
}

static int run_tool(const char *const argv[], const char *what)
{
	struct xb_buf out = { 0 }, err = { 0 };
	int status = 0, rc = xb_run(argv, &out, &err, &status);

	if (!rc && status)
		rc = -EIO;
	if (rc)
		xb_error_set(rc, "%s failed (%s): %s", what, argv[0],
			     err.p ? xb_trim(err.p) : strerror(-rc));
	xb_buf_free(&out);
	xb_buf_free(&err);
	return rc;
}

/* debootstrap into root.tmp, renamed to root only when complete, so an
 * interrupted build starts over instead of using half a tree. */
static int bootstrap(const struct xb_usr_image *img, const struct xb_kvlist *r)
{
	char *tmp = xb_asprintf("%s.tmp", img->root);
	char *inc = xb_asprintf("--include=%s", xb_kv_get(r, "include") ?
				xb_kv_get(r, "include") : "");
	char *var = xb_asprintf("--variant=%s", xb_kv_get(r, "variant") ?
				xb_kv_get(r, "variant") : "minbase");
	const char *argv[] = { "debootstrap", var, inc, img->suite, tmp,
			       xb_kv_get(r, "mirror") ? xb_kv_get(r, "mirror") :
			       "http://deb.debian.org/debian", NULL };
	int rc;

	if (!xb_kv_get(r, "include"))
		argv[2] = "--verbose";
	if (!xb_which("debootstrap")) {
		rc = xb_error_set(-ENOENT, "building the /usr image needs debootstrap: apt-get install debootstrap");
		goto out;
	}
	xb_rm_rf(tmp);
	xb_progress("building the shared /usr image: debootstrap %s (a few minutes)",
		    img->suite);
	rc = run_tool(argv, "debootstrap");
	xb_progress_done();
	if (!rc && rename(tmp, img->root)) {
		rc = -errno;
		xb_error_set(rc, "cannot rename %s: %s", tmp, strerror(-rc));
	}
	if (rc)   /* interrupted or failed: leave no half tree behind */
		xb_rm_rf(tmp);
out:
	free(tmp);
	free(inc);
	free(var);
	return rc;
}

static int make_ext4(const struct xb_usr_image *img)
{
	char *tmp = xb_asprintf("%s.tmp", img->ext4), *size;
	int rc;

	size = xb_asprintf("%lluk", (unsigned long long)(img->ext4_size / 1024));
	/* 4 KiB blocks so DAX can map them; -E root_owner keeps ownership */
	const char *argv[] = { "mkfs.ext4", "-q", "-F", "-b", "4096", "-L", "daxbench-usr",
			       "-d", img->root, tmp, size, NULL };

	unlink(tmp);
	rc = run_tool(argv, "mkfs.ext4 -d of the /usr image");
	if (!rc && rename(tmp, img->ext4))
		rc = -errno;
	unlink(tmp);
	free(tmp);
	free(size);
	return rc;
}

/* Uncompressed and -E noinline_data: erofs gives DAX (dax=always) only to
 * files laid out flat and plain, never to tail-packed inline data or
 * compressed files. Padded to whole 2 MiB: virtio-pmem maps the file in
 * 2 MiB-aligned memory sections, and QEMU will not grow a read-only file. */
static int make_erofs(struct xb_usr_image *img)
{
	char *tmp = xb_asprintf("%s.tmp", img->erofs);
	const char *argv[] = { "mkfs.erofs", "--quiet", "-E", "noinline_data", tmp, img->root, NULL };
	struct stat st;
	int rc;

	if (!xb_which("mkfs.erofs")) {
		xb_warn("mkfs.erofs is missing (apt-get install erofs-utils): no erofs image");
		free(img->erofs);
		img->erofs = NULL;
		free(tmp);
		return 0;
	}
	unlink(tmp);
	rc = run_tool(argv, "mkfs.erofs of the /usr image");
	if (!rc && stat(tmp, &st))
		rc = -errno;
	if (!rc && truncate(tmp, (st.st_size + (2 << 20) - 1) / (2 << 20) * (2 << 20)))
		rc = -errno;
	if (!rc && rename(tmp, img->erofs))
		rc = -errno;
	unlink(tmp);
	free(tmp);
	return rc;
}

/* An image's sha256 is kept beside it: hashing 512 MiB every run costs seconds. */
static int image_hash(char out[65], const char *image)
{
	char *path = xb_asprintf("%s.sha256", image), *cached = NULL;
	int rc = 0;

	if (!xb_read_file(&cached, NULL, path) && strlen(xb_trim(cached)) == 64) {
		memcpy(out, xb_trim(cached), 65);
		goto out;
	}
	rc = xb_sha256_file_hex(out, image);
	if (rc)
		xb_error_set(rc, "cannot hash %s: %s", image, strerror(-rc));
	else
		rc = xb_write_file_atomic(path, out, 64);
out:
	free(cached);
	free(path);
	return rc;
}

static int load_recipe(struct xb_usr_image *img, struct xb_kvlist *r, const char *recipe)
{
	char *path = NULL;
	char *text = NULL;
	size_t len;
	int rc = recipe ? 0 : xb_data_path(&path, "workloads/usr-image.recipe");

	if (rc)
		return rc;
	if (recipe)
		path = xb_strdup(recipe);
	rc = xb_read_file(&text, &len, path);
	if (rc) {
		xb_error_set(rc, "cannot read the image recipe %s: %s", path, strerror(-rc));
		goto out;
	}
	xb_sha256_hex(img->recipe_sha256, text, len);
	rc = parse_recipe(r, text, path);
	if (rc)
		goto out;
	img->suite = xb_strdup(xb_kv_get(r, "suite") ? xb_kv_get(r, "suite") : "bookworm");
	if (xb_parse_size(&img->ext4_size, xb_kv_get(r, "ext4_size") ?
			  xb_kv_get(r, "ext4_size") : "512M") || img->ext4_size % (2u << 20)) {
		rc = xb_error_set(-EINVAL, "%s: ext4_size must be a size in whole MiB multiples of 2M (e.g. 512M)", path);
	}
out:
	free(text);
	free(path);
	return rc;
}

int xb_usr_image_get(struct xb_usr_image *img, const char *recipe, const char *cache_dir)
{
	struct xb_kvlist r = { 0 };
	int rc;

	memset(img, 0, sizeof(*img));
	rc = load_recipe(img, &r, recipe);
	if (rc)
		goto out;
	img->dir = xb_asprintf("%s/usr-image/%s", cache_dir, img->recipe_sha256);
	img->root = xb_asprintf("%s/root", img->dir);
	img->ext4 = xb_asprintf("%s/usr.ext4", img->dir);
	img->erofs = xb_asprintf("%s/usr-noinline.erofs", img->dir);
	rc = xb_mkdir_p(img->dir, 0755);
	if (rc) {
		xb_error_set(rc, "cannot create %s: %s", img->dir, strerror(-rc));
		goto out;
	}
	if (!xb_path_exists(img->root) && (rc = bootstrap(img, &r)))
		goto out;
	if (!xb_path_exists(img->ext4) && (rc = make_ext4(img)))
		goto out;
	if (!xb_path_exists(img->erofs) && (rc = make_erofs(img)))
		goto out;
	rc = image_hash(img->ext4_sha256, img->ext4);
	if (!rc && img->erofs) {
		struct stat st;

		rc = image_hash(img->erofs_sha256, img->erofs);
		if (!rc && stat(img->erofs, &st))
			rc = -errno;
		if (!rc)
			img->erofs_size = (uint64_t)st.st_size;
	}
out:
	xb_kv_free(&r);
	return rc;
}

void xb_usr_image_free(struct xb_usr_image *img)
{
	free(img->dir);
	free(img->root);
	free(img->ext4);
	free(img->erofs);
	free(img->suite);
	memset(img, 0, sizeof(*img));
}
