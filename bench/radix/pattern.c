// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <string.h>
#include "pattern.h"

static const char *const names[] = { "seq", "uniform", "zipf" };

int xb_pattern_parse(enum xb_pattern *out, const char *name)
{
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i], name)) {
			*out = (enum xb_pattern)i;
			return 0;
		}
	return -EINVAL;
}

const char *xb_pattern_name(enum xb_pattern p)
{
	return names[p];
}

static double zeta(uint64_t n, double theta)
{
	double s = 0;

	for (uint64_t i = 1; i <= n; i++)
		s += 1.0 / pow((double)i, theta);
	return s;
}

/* A prime larger than any n used here; multiplying by it mod n permutes
 * 0..n-1 whenever n is not a multiple of it. */
#define SCATTER_PRIME UINT64_C(2654435761)

/*
 * Zipf by Gray et al.'s inversion ("Quickly generating billion-record
 * synthetic databases", SIGMOD 1994), as YCSB uses it: rank r in [0, n)
 * with probability proportional to 1 / (r + 1)^theta.
 */
static void fill_zipf(uint32_t *out, size_t len, uint64_t n, double theta, uint64_t *st)
{
	double zetan = zeta(n, theta), zeta2 = zeta(n < 2 ? n : 2, theta);
	double alpha = 1.0 / (1.0 - theta);
	double eta = (1 - pow(2.0 / (double)n, 1 - theta)) / (1 - zeta2 / zetan);

	for (size_t i = 0; i < len; i++) {
		double u = (double)(xb_rand64(st) >> 11) / 9007199254740992.0;
		double uz = u * zetan;
		uint64_t r;

		if (uz < 1.0)
			r = 0;
		else if (uz < 1.0 + pow(0.5, theta))
			r = 1;
		else
			r = (uint64_t)((double)n * pow(eta * u - eta + 1, alpha));
		if (r >= n)
			r = n - 1;
		out[i] = (uint32_t)((r * SCATTER_PRIME) % n);
	}
}

void xb_pattern_fill(uint32_t *out, size_t len, enum xb_pattern p, uint64_t n,
		     double theta, uint64_t seed)
{
	uint64_t st = seed, start;

	switch (p) {
	case XB_PAT_SEQ:
		start = xb_rand64(&st) % n;
		for (size_t i = 0; i < len; i++)
			out[i] = (uint32_t)((start + i) % n);
		break;
	case XB_PAT_UNIFORM:
		for (size_t i = 0; i < len; i++)
			out[i] = (uint32_t)(xb_rand64(&st) % n);
		break;
	case XB_PAT_ZIPF:
		fill_zipf(out, len, n, theta, &st);
		break;
	}
}
