// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "error.h"
#include "initramfs.h"
#include "sha256.h"

static bool has(const struct xb_image *img, const char *path)
{
	for (size_t i = 0; i < img->n; i++)
		if (!strcmp(img->e[i].path, path))
			return true;
	return false;
}

static struct xb_entry *add(struct xb_image *img, enum xb_entry_type t, const char *path,
			    unsigned mode)
{
	struct xb_entry *e;
	char *dup = xb_strdup(path), *slash;

	/* parents first, so the kernel's cpio unpacker can create the entry */
	for (slash = strchr(dup + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		if (!has(img, dup))
			add(img, XB_ENTRY_DIR, dup, 0755);
		*slash = '/';
	}
	free(dup);
	img->e = xb_realloc(img->e, (img->n + 1) * sizeof(*img->e));
	e = &img->e[img->n++];
	memset(e, 0, sizeof(*e));
	e->type = t;
	e->path = xb_strdup(path);
	e->mode = mode;
	return e;
}

void xb_image_dir(struct xb_image *img, const char *path)
{
	if (!has(img, path))
		add(img, XB_ENTRY_DIR, path, 0755);
}

void xb_image_file(struct xb_image *img, const char *path, const char *host, unsigned mode)
{
	if (!has(img, path))
		add(img, XB_ENTRY_FILE, path, mode)->host = xb_strdup(host);
}

void xb_image_data(struct xb_image *img, const char *path, const void *data, size_t len,
		   unsigned mode)
{
	struct xb_entry *e;

	if (has(img, path))
		return;
	e = add(img, XB_ENTRY_FILE, path, mode);
	e->data = xb_strndup(data, len);
	e->len = len;
}

void xb_image_symlink(struct xb_image *img, const char *path, const char *target)
{
	struct xb_entry *e;

	if (has(img, path))
		return;
	e = add(img, XB_ENTRY_SYMLINK, path, 0777);
	e->data = xb_strdup(target);
	e->len = strlen(target);
}

void xb_image_free(struct xb_image *img)
{
	for (size_t i = 0; i < img->n; i++) {
		free(img->e[i].path);
		free(img->e[i].host);
		free(img->e[i].data);
	}
	free(img->e);
	img->e = NULL;
	img->n = 0;
}

/* Lines of `ldd PROG`: "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)"
 * and "\t/lib64/ld-linux-x86-64.so.2 (0x...)". */
int xb_image_program(struct xb_image *img, const char *host_path)
{
	const char *argv[] = { "ldd", host_path, NULL };
	struct xb_buf o = { 0 };
	char *save = NULL;
	int rc, status;

	if (!xb_is_executable(host_path))
		return xb_error_set(-ENOENT, "%s is missing on this machine", host_path);
	xb_image_file(img, host_path, host_path, 0755);
	rc = xb_run(argv, &o, NULL, &status);
	if (rc)
		goto out;
	for (char *l = strtok_r(o.p ? o.p : "", "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *arrow = strstr(l, "=> "), *path, *sp;

		path = arrow ? arrow + 3 : xb_trim(l);
		if (*path != '/')
			continue;
		sp = strchr(path, ' ');
		if (sp)
			*sp = 0;
		xb_image_file(img, path, path, 0755);
	}
out:
	xb_buf_free(&o);
	return rc;
}

static int entry_content(char **out, size_t *len, const struct xb_entry *e)
{
	if (e->type == XB_ENTRY_FILE && e->host)
		return xb_read_file(out, len, e->host);
	*out = xb_strndup(e->data ? e->data : "", e->len);
	*len = e->len;
	return 0;
}

int xb_image_hash(char out[65], const struct xb_image *img)
{
	struct xb_sha256 s;
	uint8_t d[32];
	int rc = 0;

	xb_sha256_init(&s);
	for (size_t i = 0; i < img->n && !rc; i++) {
		const struct xb_entry *e = &img->e[i];
		char hdr[64], *data = NULL;
		size_t len = 0;

		rc = entry_content(&data, &len, e);
		if (rc) {
			xb_error_set(rc, "cannot read %s for the guest image: %s", e->host, strerror(-rc));
			break;
		}
		snprintf(hdr, sizeof(hdr), "%d %o %zu ", e->type, e->mode, len);
		xb_sha256_update(&s, hdr, strlen(hdr));
		xb_sha256_update(&s, e->path, strlen(e->path) + 1);
		xb_sha256_update(&s, data, len);
		free(data);
	}
	xb_sha256_final(&s, d);
	xb_hex(out, d, 32);
	return rc;
}

static void cpio_entry(struct xb_buf *b, unsigned ino, unsigned mode, const char *name,
		       const char *data, size_t len)
{
	size_t namesize = strlen(name) + 1;

	xb_buf_addf(b, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		    ino, mode, 0u, 0u, 1u, 0u, len, 0u, 0u, 0u, 0u, namesize, 0u);
	xb_buf_add(b, name, namesize);
	while (b->len % 4)
		xb_buf_add(b, "", 1);
	xb_buf_add(b, data, len);
	while (b->len % 4)
		xb_buf_add(b, "", 1);
}

int xb_image_write_cpio(const struct xb_image *img, const char *path)
{
	struct xb_buf b = { 0 };
	int rc = 0;

	for (size_t i = 0; i < img->n; i++) {
		const struct xb_entry *e = &img->e[i];
		unsigned type = e->type == XB_ENTRY_DIR ? S_IFDIR :
				e->type == XB_ENTRY_SYMLINK ? S_IFLNK : S_IFREG;
		char *data = NULL;
		size_t len = 0;

		if (e->type != XB_ENTRY_DIR) {
			rc = entry_content(&data, &len, e);
			if (rc) {
				xb_error_set(rc, "cannot read %s: %s", e->host, strerror(-rc));
				goto out;
			}
		}
		/* cpio names are relative: "bin/sh" */
		cpio_entry(&b, (unsigned)i + 1, type | e->mode, e->path + 1, data, len);
		free(data);
	}
	cpio_entry(&b, 0, 0, "TRAILER!!!", "", 0);
	rc = xb_write_file_atomic(path, b.p, b.len);
	if (rc)
		xb_error_set(rc, "cannot write %s: %s", path, strerror(-rc));
out:
	xb_buf_free(&b);
	return rc;
}

int xb_image_build_cached(char **out_path, char out_hash[65], const struct xb_image *img,
			  const char *cache_dir)
{
	char *dir = xb_asprintf("%s/initramfs", cache_dir), *path = NULL;
	int rc;

	rc = xb_image_hash(out_hash, img);
	if (rc)
		goto out;
	rc = xb_mkdir_p(dir, 0755);
	if (rc) {
		xb_error_set(rc, "cannot create %s: %s", dir, strerror(-rc));
		goto out;
	}
	path = xb_asprintf("%s/%s.cpio", dir, out_hash);
	if (!xb_path_exists(path)) {
		xb_progress("building guest image %.12s", out_hash);
		rc = xb_image_write_cpio(img, path);
		xb_progress_done();
	}
out:
	free(dir);
	if (rc)
		free(path);
	else
		*out_path = path;
	return rc;
}
