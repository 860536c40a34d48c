/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared /usr image (workloads/usr-image.recipe): a real Debian root made
 * with debootstrap, turned into an ext4 image (mkfs.ext4 -d) and an erofs
 * image (mkfs.erofs), cached under <cache>/usr-image/<sha256 of the recipe>.
 * Many guests attach the same image file (ext4, or erofs for the *-erofs
 * modes) read-only.
 */
#ifndef XB_USR_IMAGE_H
#define XB_USR_IMAGE_H
#ifndef XB_LAYER_HARNESS
#error "harness/guest/usr-image.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdint.h>

struct xb_usr_image {
	char *dir;             /* <cache>/usr-image/<recipe sha256> */
	char *root;            /* the debootstrapped tree */
	char *ext4;            /* the ext4 image file */
	char *erofs;           /* the erofs image file (uncompressed, no inline data, padded
				  to 2 MiB), NULL when mkfs.erofs is missing */
	uint64_t ext4_size;
	uint64_t erofs_size;
	char recipe_sha256[65];
	char ext4_sha256[65];  /* content hash of the ext4 image, for the fingerprint */
	char erofs_sha256[65]; /* same of the erofs image; empty without one */
	char *suite;           /* bookworm */
};

/* Build what is missing (debootstrap takes minutes; progress on stderr),
 * or find it cached. recipe: a path, or NULL for workloads/usr-image.recipe.
 * 0 or -errno, the message in xb_error_last(). */
int xb_usr_image_get(struct xb_usr_image *out, const char *recipe, const char *cache_dir);
void xb_usr_image_free(struct xb_usr_image *img);

#endif
