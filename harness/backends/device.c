// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "device.h"
#include "error.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo octal */
static char *unescape(const char *s)
{
	struct xb_buf b = { 0 };

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			char c = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));

			xb_buf_add(&b, &c, 1);
			s += 3;
		} else {
			xb_buf_add(&b, s, 1);
		}
	}
	return xb_buf_detach(&b);
}

/* mountinfo: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw" */
static char *mounted_at(const char *mountinfo, unsigned maj, unsigned min)
{
	char want[32], *dup = xb_strdup(mountinfo), *save = NULL, *found = NULL;

	snprintf(want, sizeof(want), "%u:%u", maj, min);
	for (char *l = strtok_r(dup, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save)) {
		char *f[5], *fs = NULL;
		int n = 0;

		for (char *t = strtok_r(l, " ", &fs); t && n < 5; t = strtok_r(NULL, " ", &fs))
			f[n++] = t;
		if (n == 5 && !strcmp(f[2], want))
			found = unescape(f[4]);
	}
	free(dup);
	return found;
}

/* /sys/dev/block/M:m/<part>/dev for each partition of a whole disk */
char *xb_device_mounted(const char *mountinfo, const char *sys, unsigned maj, unsigned min)
{
	char *dir = xb_asprintf("%s/dev/block/%u:%u", sys, maj, min);
	char *found = mounted_at(mountinfo, maj, min);
	DIR *d = found ? NULL : opendir(dir);
	struct dirent *e;

	while (d && !found && (e = readdir(d))) {
		char *devf = xb_asprintf("%s/%s/dev", dir, e->d_name), *text = NULL;
		unsigned pmaj, pmin;

		if (e->d_name[0] != '.' && !xb_read_file(&text, NULL, devf) &&
		    sscanf(text, "%u:%u", &pmaj, &pmin) == 2)
			found = mounted_at(mountinfo, pmaj, pmin);
		free(text);
		free(devf);
	}
	if (d)
		closedir(d);
	free(dir);
	return found;
}

static bool is_swap(const char *swaps, const char *path)
{
	char *real = realpath(path, NULL), *dup = xb_strdup(swaps), *save = NULL;
	bool hit = false;

	for (char *l = strtok_r(dup, "\n", &save); l && !hit; l = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(l, ' ');

		if (sp)
			*sp = 0;
		hit = !strcmp(l, path) || (real && !strcmp(l, real));
	}
	free(dup);
	free(real);
	return hit;
}

static bool has_holders(const char *sys, unsigned maj, unsigned min)
{
	char *dir = xb_asprintf("%s/dev/block/%u:%u/holders", sys, maj, min);
	DIR *d = opendir(dir);
	struct dirent *e;
	bool held = false;

	while (d && !held && (e = readdir(d)))
		held = e->d_name[0] != '.';
	if (d)
		closedir(d);
	free(dir);
	return held;
}

static int check(const char *path, const struct xb_sysroot *sr)
{
	struct stat st;
	unsigned maj, min;
	char *where;
	int fd;

	if (stat(path, &st))
		return xb_error_set(-ENOENT, "device %s: %s", path, strerror(errno));
	if (!S_ISBLK(st.st_mode))
		return xb_error_set(-ENOTBLK, "%s is not a block device: refusing to format it", path);
	maj = major(st.st_rdev);
	min = minor(st.st_rdev);
	where = xb_device_mounted(sr->mountinfo, sr->sys, maj, min);
	if (where) {
		xb_error_set(-EBUSY, "%s (or a partition of it) is mounted at %s: refusing to format it",
			     path, where);
		free(where);
		return -EBUSY;
	}
	if (is_swap(sr->swaps, path))
		return xb_error_set(-EBUSY, "%s is an active swap area: refusing to format it", path);
	if (has_holders(sr->sys, maj, min))
		return xb_error_set(-EBUSY, "%s is held by another device (device-mapper, md, LVM): refusing to format it",
				    path);
	/* the kernel's own test: O_EXCL on a block device fails while it is
	 * mounted or claimed by anyone */
	fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd < 0) {
		int rc = -errno;

		return xb_error_set(rc, "%s is in use (%s): refusing to format it", path,
				    strerror(-rc));
	}
	close(fd);
	return 0;
}

int xb_device_check_free(const char *path, const struct xb_sysroot *sr)
{
	struct xb_sysroot live = { .sys = "/sys" };
	char *mi = NULL, *sw = NULL;
	int rc;

	if (!sr) {
		if (xb_read_file(&mi, NULL, "/proc/self/mountinfo") ||
		    xb_read_file(&sw, NULL, "/proc/swaps")) {
			rc = xb_error_set(-EIO, "cannot read /proc/self/mountinfo or /proc/swaps: refusing to format anything");
			goto out;
		}
		live.mountinfo = mi;
		live.swaps = sw;
		sr = &live;
	}
	rc = check(path, sr);
out:
	free(mi);
	free(sw);
	return rc;
}

bool xb_mounted_at(const char *dir)
{
	char *mi = NULL, *save = NULL;
	bool hit = false;

	if (xb_read_file(&mi, NULL, "/proc/self/mountinfo"))
		return false;
	for (char *l = strtok_r(mi, "\n", &save); l && !hit; l = strtok_r(NULL, "\n", &save)) {
		char *f[5], *fs = NULL, *path;
		int n = 0;

		for (char *t = strtok_r(l, " ", &fs); t && n < 5; t = strtok_r(NULL, " ", &fs))
			f[n++] = t;
		if (n < 5)
			continue;
		path = unescape(f[4]);
		hit = !strcmp(path, dir);
		free(path);
	}
	free(mi);
	return hit;
}
