/* SPDX-License-Identifier: GPL-2.0 */
/* Repeatable random numbers for tests: splitmix64 from a seed, uniform in
 * (0, 1) and standard normal (Box-Muller). */
#ifndef XB_TEST_RANDOM_H
#define XB_TEST_RANDOM_H

#include <math.h>
#include <stdint.h>

static inline double test_unif(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static inline double test_gauss(uint64_t *state)
{
	double u = test_unif(state);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * test_unif(state));
}

#endif
