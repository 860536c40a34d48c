/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest image: an initramfs (cpio "newc", uncompressed: TCG unpacks it
 * faster than it would decompress) described as a list of entries, cached
 * under <cache>/initramfs/<sha256 of the list and every file's content>.
 */
#ifndef XB_INITRAMFS_H
#define XB_INITRAMFS_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/initramfs.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include "util.h"

enum xb_entry_type { XB_ENTRY_DIR, XB_ENTRY_FILE, XB_ENTRY_SYMLINK };

struct xb_entry {
	enum xb_entry_type type;
	char *path;       /* in the guest, absolute */
	unsigned mode;    /* permission bits */
	char *host;       /* FILE: host file to copy, or NULL when data is set */
	char *data;       /* FILE: inline content; SYMLINK: target */
	size_t len;
};

struct xb_image {
	struct xb_entry *e;
	size_t n;
};

void xb_image_dir(struct xb_image *img, const char *path);
void xb_image_file(struct xb_image *img, const char *path, const char *host, unsigned mode);
void xb_image_data(struct xb_image *img, const char *path, const void *data, size_t len,
		   unsigned mode);
void xb_image_symlink(struct xb_image *img, const char *path, const char *target);
/* Parent directories are added as needed. */
void xb_image_free(struct xb_image *img);

/* Add a dynamically linked host program and the shared objects it needs
 * (as ldd reports them) at the same paths. */
int xb_image_program(struct xb_image *img, const char *host_path);

/* Content hash over paths, modes, types and file contents. */
int xb_image_hash(char out[65], const struct xb_image *img);

/* Write the cpio archive to path (atomically). */
int xb_image_write_cpio(const struct xb_image *img, const char *path);

/* Build into <cache_dir>/initramfs/<hash>.cpio unless it is there; *out_path is the caller's. */
int xb_image_build_cached(char **out_path, char out_hash[65], const struct xb_image *img,
			  const char *cache_dir);

#endif
