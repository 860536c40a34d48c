// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-256 and CRC-32 throughput on a 512 MiB file (issue 17: images are
 * hashed whole). `meson test -C build --benchmark hash-512m`. The file is
 * written once and read from the page cache, so the figures are the
 * hashing, not the disk; each is the median of 5 passes, with min and max.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "crc32.h"
#include "sha256.h"
#include "util.h"

#define SIZE (512u << 20)
#define PASSES 5

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int crc_file(uint32_t *out, const char *path)
{
	static unsigned char buf[1 << 16];
	uint32_t crc = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		crc = xb_crc32(crc, buf, (size_t)n);
	close(fd);
	*out = crc;
	return n < 0 ? -EIO : 0;
}

static void report(const char *what, double *mbs)
{
	qsort(mbs, PASSES, sizeof(*mbs), xb_cmp_double);
	printf("%-7s %8.0f MB/s median of %d passes (min %.0f, max %.0f) over 512 MiB\n", what,
	       mbs[PASSES / 2], PASSES, mbs[0], mbs[PASSES - 1]);
}

int main(int argc, char **argv)
{
	char path[] = "/tmp/daxbench-hash.XXXXXX", hex[65];
	double sha[PASSES], crc[PASSES], t;
	unsigned char *block = xb_malloc(1 << 20);
	uint32_t c = 0;
	int fd = mkstemp(path);

	if (fd < 0)
		return perror("mkstemp"), 1;
	for (size_t i = 0; i < (1 << 20); i++)
		block[i] = (unsigned char)(i * 2654435761u >> 13);
	for (size_t i = 0; i < SIZE >> 20; i++)
		if (write(fd, block, 1 << 20) != 1 << 20)
			return perror("write"), unlink(path), 1;
	close(fd);
	for (int p = 0; p < PASSES; p++) {
		t = now();
		if (xb_sha256_file_hex(hex, path))
			return unlink(path), 1;
		sha[p] = SIZE / 1e6 / (now() - t);
		t = now();
		if (crc_file(&c, path))
			return unlink(path), 1;
		crc[p] = SIZE / 1e6 / (now() - t);
	}
	unlink(path);
	report("sha256", sha);
	report("crc32", crc);
	printf("sha256 %s crc32 %08x\n", hex, c);
	free(block);
	return 0;
}
