// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dcssblk.h"
#include "error.h"

/* CP names: letters, digits and the national characters $, # and @. */
static bool cp_name_ok(const char *s, size_t n)
{
	if (!n || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("$#@", s[i]))
			return false;
	return true;
}

static int add_seg(struct xb_dcssblk *d, const char *s, size_t n, const char *what)
{
	char *name;

	if (!cp_name_ok(s, n)) {
		return xb_error_set(-EINVAL, "dcssblk: %s: '%.*s' is not a segment name "
				    "(1 to 8 letters, digits, $ # @)", what, (int)n, s);
	}
	if (d->nsegs == XB_DCSSBLK_MAX_SEGS) {
		return xb_error_set(-E2BIG, "dcssblk: %s: more than %d segments", what,
				    XB_DCSSBLK_MAX_SEGS);
	}
	name = xb_strndup(s, n);
	for (char *c = name; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	for (size_t i = 0; i < d->nsegs; i++)
		if (!strcmp(d->segs[i], name)) {
			xb_error_set(-EINVAL, "dcssblk: %s: segment %s named twice", what, name);
			free(name);
			return -EINVAL;
		}
	d->segs[d->nsegs++] = name;
	return 0;
}

int xb_dcssblk_parse(struct xb_dcssblk *d, const char *list)
{
	const char *p = list ? list : "";
	int rc;

	for (;;) {
		size_t n = strcspn(p, ":,");

		rc = add_seg(d, p, n, "segments");
		if (rc)
			return rc;
		if (!p[n])
			break;
		p += n + 1;
	}
	free(d->name);
	d->name = xb_strdup(d->segs[0]);
	return 0;
}

int xb_dcssblk_parse_seglist(struct xb_dcssblk *out, const char *text)
{
	const char *p = text;
	int rc;

	/* The driver writes each name followed by '\n', nothing else. */
	while (*p) {
		const char *nl = strchr(p, '\n');

		if (!nl) {
			return xb_error_set(-EBADMSG, "dcssblk: seglist: last line has no newline");
		}
		rc = add_seg(out, p, (size_t)(nl - p), "seglist");
		if (rc)
			return -EBADMSG;
		p = nl + 1;
	}
	if (!out->nsegs) {
		return xb_error_set(-EBADMSG, "dcssblk: seglist is empty");
	}
	return 0;
}

static char *dev_path(const struct xb_dcssblk *d, const char *file)
{
	return file ? xb_asprintf("%s/devices/dcssblk/%s/%s", d->root, d->name, file)
		    : xb_asprintf("%s/devices/dcssblk/%s", d->root, d->name);
}

/* sysfs stores answer a write with the driver's errno. */
static int write_attr(const char *path, const char *text)
{
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		return xb_error_set(rc, "dcssblk: cannot open %s: %s", path, strerror(-rc));
	}
	if (write(fd, text, strlen(text)) < 0) {
		rc = -errno;
		xb_error_set(rc, "dcssblk: writing '%.*s' to %s: %s", (int)strcspn(text, "\n"),
			     text, path, strerror(-rc));
	}
	if (close(fd) && !rc) {
		rc = -errno;
		xb_error_set(rc, "dcssblk: writing %s: %s", path, strerror(-rc));
	}
	return rc;
}

/* The device's seglist must be exactly the segments asked for, in order. */
static int check_seglist(const struct xb_dcssblk *d)
{
	struct xb_dcssblk got = { 0 };
	char *path = dev_path(d, "seglist"), *text = NULL;
	int rc;

	rc = xb_read_file(&text, NULL, path);
	if (rc) {
		xb_error_set(rc, "dcssblk: cannot read %s: %s", path, strerror(-rc));
		goto out;
	}
	rc = xb_dcssblk_parse_seglist(&got, text);
	if (rc)
		goto out;
	for (size_t i = 0; !rc && i < d->nsegs; i++)
		if (got.nsegs != d->nsegs || strcmp(got.segs[i], d->segs[i]))
			rc = -EBUSY;
	if (rc)
		xb_error_set(rc, "dcssblk: device %s holds other segments than the %zu named",
			     d->name, d->nsegs);
out:
	xb_dcssblk_free(&got);
	free(text);
	free(path);
	return rc;
}

/* The single dcssblkN entry of NAME/block/. */
static int find_disk(struct xb_dcssblk *d)
{
	char *path = dev_path(d, "block");
	DIR *dir = opendir(path);
	struct dirent *e;
	int rc = 0;

	if (!dir) {
		rc = -errno;
		xb_error_set(rc, "dcssblk: no block device under %s: %s", path, strerror(-rc));
		free(path);
		return rc;
	}
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, "dcssblk", 7) && !d->disk)
			d->disk = xb_strdup(e->d_name);
	closedir(dir);
	if (!d->disk) {
		rc = xb_error_set(-ENOENT, "dcssblk: no dcssblkN entry in %s", path);
	}
	free(path);
	return rc;
}

/* Shared (1) lets other guests load it too; exclusive (0) gives this
 * guest a private writable copy of a writable segment. */
static int set_shared(const struct xb_dcssblk *d, bool shared)
{
	char *path = dev_path(d, "shared");
	int rc = write_attr(path, shared ? "1\n" : "0\n");

	free(path);
	return rc;
}

/* The driver registers the device before add returns; a short wait
 * covers a sysfs view (or a test's fake driver) that lags behind. */
static int wait_dir(const struct xb_dcssblk *d)
{
	char *dir = dev_path(d, "seglist");
	int rc = 0;

	for (int i = 0; !xb_path_exists(dir); i++) {
		if (i == 500) {
			rc = xb_error_set(-ETIMEDOUT, "dcssblk: %s did not appear after adding the device",
					  dir);
			break;
		}
		usleep(10000);
	}
	free(dir);
	return rc;
}

static int add_device(struct xb_dcssblk *d)
{
	char *add = xb_asprintf("%s/devices/dcssblk/add", d->root);
	struct xb_buf list = { 0 };
	int rc;

	for (size_t i = 0; i < d->nsegs; i++)
		xb_buf_addf(&list, "%s%s", i ? ":" : "", d->segs[i]);
	xb_buf_adds(&list, "\n");
	rc = write_attr(add, list.p);
	if (!rc) {
		d->added = true;
		rc = wait_dir(d);
	}
	xb_buf_free(&list);
	free(add);
	return rc;
}

int xb_dcssblk_setup(struct xb_dcssblk *d, const char *root, const struct xb_dcssblk_opts *o)
{
	char *dir, *top = xb_asprintf("%s/devices/dcssblk", root);
	int rc = 0;

	assert(d->nsegs);
	free(d->root);
	d->root = xb_strdup(root);
	dir = dev_path(d, NULL);
	if (!xb_path_exists(top)) {
		rc = xb_error_set(-ENODEV, "dcssblk: %s does not exist: load the driver "
				  "(modprobe dcssblk)", top);
	} else if (xb_path_exists(dir) && !o->reuse) {
		rc = xb_error_set(-EBUSY, "dcssblk: device %s is already added (by someone else?): "
				  "give reuse=yes to use it, or remove it first", d->name);
	} else if (!xb_path_exists(dir)) {
		rc = add_device(d);
	}
	if (!rc)
		rc = check_seglist(d);
	if (!rc)
		rc = set_shared(d, o->shared);
	if (!rc)
		rc = find_disk(d);
	free(dir);
	free(top);
	return rc;
}

int xb_dcssblk_teardown(struct xb_dcssblk *d)
{
	char *remove;
	int rc = 0;

	if (d->added) {
		remove = xb_asprintf("%s/devices/dcssblk/remove", d->root);
		rc = write_attr(remove, d->name);
		free(remove);
	}
	xb_dcssblk_free(d);
	return rc;
}

void xb_dcssblk_free(struct xb_dcssblk *d)
{
	for (size_t i = 0; i < d->nsegs; i++)
		free(d->segs[i]);
	free(d->root);
	free(d->name);
	free(d->disk);
	memset(d, 0, sizeof(*d));
}
