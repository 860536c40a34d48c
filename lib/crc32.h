/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XB_CRC32_H
#define XB_CRC32_H
#include <stddef.h>
#include <stdint.h>
/* CRC-32 (IEEE 802.3, reflected 0xEDB88320, as zlib's crc32()).
 * Start with crc = 0 and feed the previous result to continue. */
uint32_t xb_crc32(uint32_t crc, const void *data, size_t len);
#endif
