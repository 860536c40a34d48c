// SPDX-License-Identifier: GPL-2.0
#include "crc32.h"

#ifndef XB_NO_ZLIB
#include <zlib.h>

uint32_t xb_crc32(uint32_t crc, const void *data, size_t len)
{
	return (uint32_t)crc32_z(crc, data, len);
}
#else
/*
 * The s390x guest program only (bench/s390x): it is cross-compiled
 * statically, and Debian 12 cannot install zlib1g-dev:s390x next to the
 * amd64 one when their versions differ (Multi-Arch: same). It checksums a
 * stream of a few kilobytes; everything that checksums images uses zlib.
 */
uint32_t xb_crc32(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1u));
	}
	return ~crc;
}
#endif
