/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access patterns for the radix lookups: streams of entry ordinals
 * (0..n-1, the k-th populated entry), generated before anything is timed.
 */
#ifndef XB_RADIX_PATTERN_H
#define XB_RADIX_PATTERN_H
#ifndef XB_LAYER_BENCH
#error "bench/radix/pattern.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stddef.h>
#include <stdint.h>

enum xb_pattern { XB_PAT_SEQ, XB_PAT_UNIFORM, XB_PAT_ZIPF };

/* splitmix64: a small, seedable generator with no state beyond a word. */
static inline uint64_t xb_rand64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* "seq", "uniform", "zipf" -> 0, or -EINVAL. */
int xb_pattern_parse(enum xb_pattern *out, const char *name);
const char *xb_pattern_name(enum xb_pattern p);

/*
 * Fill out[0..len) with ordinals below n. seq starts at a seed-chosen
 * ordinal and wraps; zipf uses exponent theta (0.99, as YCSB) with the
 * ranks scattered over the ordinals by a fixed permutation, so the hot
 * entries are not all neighbours in one leaf.
 */
void xb_pattern_fill(uint32_t *out, size_t len, enum xb_pattern p, uint64_t n,
		     double theta, uint64_t seed);

#endif
