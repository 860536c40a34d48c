/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernels under test: a Debian kernel package (fetched with apt-get
 * download, unpacked with dpkg-deb into the cache, never installed), or a
 * user's own bzImage with its modules directory.
 */
#ifndef XB_KERNEL_H
#define XB_KERNEL_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/kernel.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include "util.h"

struct xb_kernel {
	char *spec;          /* as the user gave it */
	char *release;       /* "6.1.0-56-amd64" */
	char *package;       /* Debian package, NULL for a bzImage */
	char *pkg_version;   /* "6.1.192-2", NULL for a bzImage */
	char *vmlinuz;
	char *config;        /* NULL when unknown */
	char *modules_dir;   /* .../lib/modules/<release> */
	char image_sha256[65];
	char config_sha256[65]; /* "" when no config */
};

/*
 * spec: NULL or "default" (newest 6.1 amd64 build the archive offers),
 * a release ("6.1.0-54-amd64"), a package name
 * ("linux-image-6.1.0-54-amd64-unsigned"), or a path to a bzImage, in which
 * case modules_dir names its modules directory (lib/modules/<release>).
 * Returns 0 or -errno (-ENOENT for an unknown kernel), the message in
 * xb_error_last().
 */
int xb_kernel_resolve(struct xb_kernel **out, const char *spec, const char *modules_dir,
		      const char *cache_dir);
/* The same for a Debian architecture's kernels: "amd64" (the above), "s390x". */
int xb_kernel_resolve_arch(struct xb_kernel **out, const char *spec, const char *modules_dir,
			   const char *cache_dir, const char *arch);
void xb_kernel_free(struct xb_kernel *k);

/* Debian kernel packages apt knows (amd64 flavours), newest first. */
int xb_kernel_available(struct xb_kvlist *out_pkg_version);
/* The release string in a bzImage's setup header, or -EINVAL. */
int xb_bzimage_release(char **out, const char *path);
int xb_bzimage_release_buf(char **out, const char *img, size_t len);
/* Pick the newest "linux-image-6.1.0-N-amd64-unsigned" from a list of names. */
const char *xb_kernel_pick_default(const char *const *names, size_t n);
const char *xb_kernel_pick_default_arch(const char *const *names, size_t n, const char *arch);
int xb_kernel_available_arch(struct xb_kvlist *out, const char *arch);
/* apt-cache show: package -> candidate version, for the packages apt knows. */
int xb_apt_versions(struct xb_kvlist *out, const char *const *pkgs, size_t n);
/* Run argv in dir (NULL: here); a failure's message (xb_error_last()) has what
 * and its stderr. */
int xb_run_checked(const char *dir, const char *const argv[], const char *what);

#endif
