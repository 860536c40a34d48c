/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XB_SHA256_H
#define XB_SHA256_H
#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

struct xb_sha256 {
	struct sha256_ctx ctx;
};
void xb_sha256_init(struct xb_sha256 *s);
void xb_sha256_update(struct xb_sha256 *s, const void *data, size_t len);
void xb_sha256_final(struct xb_sha256 *s, uint8_t out[32]);
/* Hex digest of a buffer / of a file's contents; out holds 65 bytes. */
void xb_sha256_hex(char out[65], const void *data, size_t len);
int xb_sha256_file_hex(char out[65], const char *path);
#endif
