// SPDX-License-Identifier: GPL-2.0
/* SHA-256 through nettle (LGPL-3+/GPL-2+, so GPL-2.0 compatible). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "sha256.h"
#include "util.h"

void xb_sha256_init(struct xb_sha256 *s)
{
	sha256_init(&s->ctx);
}

void xb_sha256_update(struct xb_sha256 *s, const void *data, size_t len)
{
	sha256_update(&s->ctx, len, data);
}

void xb_sha256_final(struct xb_sha256 *s, uint8_t out[32])
{
	sha256_digest(&s->ctx, SHA256_DIGEST_SIZE, out);
}

void xb_sha256_hex(char out[65], const void *data, size_t len)
{
	struct xb_sha256 s;
	uint8_t d[32];

	xb_sha256_init(&s);
	xb_sha256_update(&s, data, len);
	xb_sha256_final(&s, d);
	xb_hex(out, d, 32);
}

int xb_sha256_file_hex(char out[65], const char *path)
{
	struct xb_sha256 s;
	uint8_t d[32], buf[65536];
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	xb_sha256_init(&s);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		xb_sha256_update(&s, buf, (size_t)n);
	}
	xb_sha256_final(&s, d);
	xb_hex(out, d, 32);
out:
	close(fd);
	return rc;
}
