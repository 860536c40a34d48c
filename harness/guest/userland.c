// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "common.h"
#include "error.h"
#include "kernel.h"
#include "qemu.h"
#include "userland.h"
#include "sha256.h"

static int arch_known(const char *arch, bool *have)
{
	const char *list[] = { "dpkg", "--print-foreign-architectures", NULL };
	struct xb_buf o = { 0 };
	int rc, status;

	*have = false;
	rc = xb_run(list, &o, NULL, &status);
	if (rc || status) {
		xb_buf_free(&o);
		return xb_error_set(rc ? rc : -EIO, "dpkg is not usable here: %s guests need "
				    "Debian's packages", arch);
	}
	for (char *save = NULL, *l = strtok_r(o.p ? o.p : "", "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		*have |= !strcmp(xb_trim(l), arch);
	xb_buf_free(&o);
	return 0;
}

/* One apt-get update at a time: apt refuses a second while the first holds
 * its lists lock (two runs, or two tests, adding s390x on a fresh machine).
 * scripts/build-qemu-dcss takes the same lock. */
#define APT_LOCK "/run/lock/daxbench-apt.lock"
#define APT_LOCK_FALLBACK "/tmp/daxbench-apt.lock"

static int apt_lock(void)
{
	int fd = open(APT_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		fd = open(APT_LOCK_FALLBACK, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return xb_error_set(-errno, "cannot open %s: %s", APT_LOCK_FALLBACK, strerror(errno));
	while (flock(fd, LOCK_EX))
		if (errno != EINTR) {
			int rc = -errno;

			close(fd);
			return xb_error_set(rc, "cannot lock %s: %s", APT_LOCK, strerror(-rc));
		}
	return fd;
}

int xb_apt_ensure_arch(const char *arch)
{
	const char *add[] = { "dpkg", "--add-architecture", arch, NULL };
	const char *update[] = { "apt-get", "update", "-q", NULL };
	bool have;
	int rc, lock;

	rc = arch_known(arch, &have);
	if (rc || have)
		return rc;
	if (geteuid())
		return xb_error_set(-EPERM, "apt does not know %s packages: run `dpkg --add-architecture %s && apt-get update` as root",
				    arch, arch);
	lock = apt_lock();
	if (lock < 0)
		return lock;
	/* whoever held the lock may have added it */
	rc = arch_known(arch, &have);
	if (!rc && !have) {
		xb_progress("adding the %s architecture to apt (dpkg --add-architecture, apt-get update)", arch);
		rc = xb_run_checked(NULL, add, "dpkg --add-architecture");
		if (!rc)
			rc = xb_run_checked(NULL, update, "apt-get update");
		xb_progress_done();
	}
	close(lock);
	return rc;
}

static int fetch(const char *tmp, const char *arch, const char *const *pkgs, char **versions)
{
	struct xb_argv dl = { 0 };
	struct xb_kvlist vers = { 0 };
	struct xb_buf v = { 0 };
	const char **names;
	size_t n = 0, unpacked = 0;
	char *root = xb_asprintf("%s/root", tmp);
	DIR *d;
	struct dirent *e;
	int rc;

	while (pkgs[n])
		n++;
	names = xb_malloc((n + 1) * sizeof(*names));
	xb_argv_add(&dl, "apt-get");
	xb_argv_add(&dl, "download");
	xb_argv_add(&dl, "-q");
	xb_argv_add(&dl, "-o");
	xb_argv_add(&dl, "APT::Sandbox::User=root");
	for (size_t i = 0; i < n; i++) {
		names[i] = xb_asprintf("%s:%s", pkgs[i], arch);
		xb_argv_add(&dl, names[i]);
	}
	xb_progress("downloading %zu %s packages (%s ...)", n, arch, pkgs[0]);
	rc = xb_run_checked(tmp, (const char *const *)dl.v, "apt-get download");
	if (rc)
		goto out;
	xb_apt_versions(&vers, names, n);
	for (size_t i = 0; i < n; i++)
		xb_buf_addf(&v, "%s=%s\n", names[i], xb_kv_get(&vers, pkgs[i]) ?
			    xb_kv_get(&vers, pkgs[i]) : "unknown");  /* apt names it without :arch */
	d = opendir(tmp);     /* every .deb apt-get download left */
	if (!d) {
		rc = -errno;
		xb_error_set(rc, "cannot list %s: %s", tmp, strerror(-rc));
		goto out;
	}
	while (!rc && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char *deb;

		if (len < 4 || strcmp(e->d_name + len - 4, ".deb"))
			continue;
		deb = xb_asprintf("%s/%s", tmp, e->d_name);
		const char *x[] = { "dpkg-deb", "-x", deb, root, NULL };

		rc = xb_run_checked(NULL, x, "dpkg-deb -x");
		unpacked += !rc;
		unlink(deb);
		free(deb);
	}
	closedir(d);
	if (!rc && unpacked < n) {
		rc = xb_error_set(-ENOENT, "apt-get download left %zu of %zu %s packages in %s",
				  unpacked, n, arch, tmp);
		goto out;
	}
	*versions = v.p ? xb_strdup(v.p) : xb_strdup("");
out:
	xb_progress_done();
	for (size_t i = 0; i < n; i++)
		free((char *)names[i]);
	free(names);
	free(root);
	xb_kv_free(&vers);
	xb_buf_free(&v);
	xb_argv_free(&dl);
	return rc;
}

int xb_userland(char **out_root, char **versions, const char *cache_dir, const char *arch,
		const char *const *pkgs)
{
	struct xb_buf key = { 0 };
	char sha[65], *dir, *tmp, *vpath, *root;
	int rc;

	for (size_t i = 0; pkgs[i]; i++)
		xb_buf_addf(&key, "%s:%s\n", pkgs[i], arch);
	xb_sha256_hex(sha, key.p, key.len);
	xb_buf_free(&key);
	dir = xb_asprintf("%s/userland/%s-%.16s", cache_dir, arch, sha);
	root = xb_asprintf("%s/root", dir);
	vpath = xb_asprintf("%s/versions", dir);
	*versions = NULL;
	if (xb_path_exists(root) && !xb_read_file(versions, NULL, vpath)) {
		rc = 0;
		goto out;
	}
	rc = xb_apt_ensure_arch(arch);
	if (rc)
		goto out;
	tmp = xb_asprintf("%s.tmp.%d", dir, (int)getpid());
	xb_rm_rf(tmp);
	rc = xb_mkdir_p(tmp, 0755);
	if (!rc)
		rc = fetch(tmp, arch, pkgs, versions);
	if (!rc) {
		char *tv = xb_asprintf("%s/versions", tmp);

		rc = xb_write_file_atomic(tv, *versions, strlen(*versions));
		free(tv);
	}
	if (!rc && rename(tmp, dir)) {
		rc = -errno;
		/* another daxbench unpacked the same packages meanwhile */
		if ((rc == -EEXIST || rc == -ENOTEMPTY) && xb_path_exists(root))
			rc = 0;
		else
			xb_error_set(rc, "cannot move %s to %s: %s", tmp, dir, strerror(-rc));
	}
	xb_rm_rf(tmp);
	free(tmp);
out:
	if (rc) {
		free(*versions);
		*versions = NULL;
		free(root);
	} else {
		*out_root = root;
	}
	free(dir);
	free(vpath);
	return rc;
}
