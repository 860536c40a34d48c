// SPDX-License-Identifier: GPL-2.0
/*
 * Comparison statistics: Mann-Whitney U, Hodges-Lehmann shift and interval,
 * Benjamini-Hochberg q-values, the noise band and the verdict of one row.
 * References: Hollander & Wolfe, Nonparametric Statistical Methods (2nd ed.),
 * sections 4.1-4.3; Benjamini & Hochberg, JRSS B 57 (1995) 289-300.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "../lib/util.h"

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double *sorted_copy(const double *v, size_t n)
{
	double *s = xb_malloc((n ? n : 1) * sizeof(*s));

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

static double median_sorted(const double *s, size_t n)
{
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* z with P(|Z| > z) = alpha, by bisection on erfc (monotone; 100 steps reach
 * double precision on [0, 40]). */
static double z_two_sided(double alpha)
{
	double lo = 0, hi = 40;

	for (int i = 0; i < 100; i++) {
		double mid = (lo + hi) / 2;

		if (erfc(mid / M_SQRT2) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/*
 * Null distribution of U (pairs with a > b) for sides of m and n without
 * ties: consider the largest of the i + j observations; it belongs to the
 * a side with probability i/(i+j) and then beats all j b values, so
 *   P_ij(u) = i/(i+j) P_(i-1)j(u - j) + j/(i+j) P_i(j-1)(u).
 * Working in probabilities, not counts, keeps every term in [0, 1].
 * Returns m*n + 1 probabilities (the caller frees them).
 */
static double *mw_pmf(size_t m, size_t n)
{
	size_t w = m * n + 1;
	double *prev = calloc((n + 1) * w, sizeof(double));
	double *cur = calloc((n + 1) * w, sizeof(double));
	double *out;

	if (!prev || !cur)
		abort();
	for (size_t j = 0; j <= n; j++)
		prev[j * w] = 1;                       /* i = 0: U = 0 */
	for (size_t i = 1; i <= m; i++) {
		memset(cur, 0, (n + 1) * w * sizeof(double));
		cur[0] = 1;                            /* j = 0: U = 0 */
		for (size_t j = 1; j <= n; j++) {
			double pa = (double)i / (double)(i + j), pb = 1 - pa;

			for (size_t u = 0; u <= i * j; u++) {
				double v = pb * cur[(j - 1) * w + u];

				if (u >= j)
					v += pa * prev[j * w + u - j];
				cur[j * w + u] = v;
			}
		}
		double *t = prev;
		prev = cur;
		cur = t;
	}
	out = xb_malloc(w * sizeof(*out));
	memcpy(out, prev + n * w, w * sizeof(*out));
	free(prev);
	free(cur);
	return out;
}

/* The rows of one comparison share their (m, n): one distribution kept
 * (O(m n mn) to build, 6 million steps at 50 a side) serves them all. */
static const double *pmf_cached(size_t m, size_t n)
{
	static double *pmf;
	static size_t cm, cn;

	if (!pmf || cm != m || cn != n) {
		free(pmf);
		pmf = mw_pmf(m, n);
		cm = m;
		cn = n;
	}
	return pmf;
}

double xb_cmp_mw_cdf(size_t m, size_t n, double u)
{
	const double *pmf;
	double c = 0;

	if (u < 0)
		return 0;
	if (u >= (double)(m * n))
		return 1;
	pmf = pmf_cached(m, n);
	for (size_t k = 0; (double)k <= u; k++)
		c += pmf[k];
	return c > 1 ? 1 : c;
}

struct ranked {
	double v;
	int side;
};

static int cmp_ranked(const void *x, const void *y)
{
	return cmp_double(&((const struct ranked *)x)->v, &((const struct ranked *)y)->v);
}

/* Rank sum of side a (average ranks for ties) and sum(t^3 - t) over ties. */
static void rank_sum(double *out_ra, double *out_ties, const double *a, size_t na,
		     const double *b, size_t nb)
{
	size_t n = na + nb;
	struct ranked *r = xb_malloc(n * sizeof(*r));
	double ra = 0, ties = 0;

	for (size_t i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 1 };
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && r[j].v == r[i].v)
			j++;
		double t = (double)(j - i), rank = (double)(i + 1 + j) / 2;

		ties += t * t * t - t;
		for (size_t k = i; k < j; k++)
			if (r[k].side == 0)
				ra += rank;
		i = j;
	}
	free(r);
	*out_ra = ra;
	*out_ties = ties;
}

int xb_cmp_mann_whitney(struct xb_mw *out, const double *a, size_t na,
			const double *b, size_t nb)
{
	double ra, ties, m = (double)na, n = (double)nb, N = m + n;

	if (!na || !nb)
		return -EINVAL;
	rank_sum(&ra, &ties, a, na, b, nb);
	out->u = ra - m * (m + 1) / 2;
	out->exact = ties == 0 && na <= XB_CMP_EXACT_MAX && nb <= XB_CMP_EXACT_MAX;
	if (out->exact) {
		double lower = xb_cmp_mw_cdf(na, nb, out->u);
		double upper = 1 - xb_cmp_mw_cdf(na, nb, out->u - 1);

		out->p = fmin(1, 2 * fmin(lower, upper));
		return 0;
	}
	/* Normal approximation with the tie-corrected variance
	 * mn/12 ((N+1) - sum(t^3 - t)/(N(N-1))) and a continuity correction. */
	double var = m * n / 12 * ((N + 1) - ties / (N * (N - 1)));
	double d = fabs(out->u - m * n / 2) - 0.5;

	out->p = var <= 0 ? 1 : fmin(1, erfc(fmax(d, 0) / sqrt(var) / M_SQRT2));
	return 0;
}

/* Pairs with b_j - a_i <= t; a and b sorted. b_j - a_i falls as a_i grows,
 * so for each j the pairs form a suffix of a that only shrinks with j. */
static size_t count_le(const double *a, size_t na, const double *b, size_t nb, double t)
{
	size_t c = 0, p = 0;

	for (size_t j = 0; j < nb; j++) {
		while (p < na && b[j] - a[p] > t)
			p++;
		c += na - p;
	}
	return c;
}

/*
 * Selection without forming the m*n differences (a 10,000-boot side would
 * need 800 MB): bisect on the value, keeping count_le(lo) < k <= count_le(hi).
 * When lo and hi are adjacent doubles, the k-th difference, itself a double
 * in (lo, hi], is hi. Each step costs O(m + n).
 */
double xb_cmp_kth_difference(const double *a, size_t na, const double *b, size_t nb,
			     size_t k)
{
	double lo = b[0] - a[na - 1], hi = b[nb - 1] - a[0];

	if (count_le(a, na, b, nb, lo) >= k)
		return lo;
	for (int i = 0; i < 4096; i++) {
		double mid = lo + (hi - lo) / 2;

		if (mid <= lo || mid >= hi)
			break;
		if (count_le(a, na, b, nb, mid) >= k)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* Largest k with P(U <= k - 1) <= alpha/2: the interval is then
 * [D(k), D(mn + 1 - k)] (Hollander & Wolfe 4.3). 0 when none exists. */
static size_t hl_k(size_t m, size_t n, double alpha)
{
	size_t k = 0;

	if (m <= XB_CMP_EXACT_MAX && n <= XB_CMP_EXACT_MAX) {
		const double *pmf = pmf_cached(m, n);
		double c = 0;

		while (k < m * n && c + pmf[k] <= alpha / 2)
			c += pmf[k++];
		return k;
	}
	double mn = (double)m * (double)n;
	double kk = floor(mn / 2 - z_two_sided(alpha) *
			  sqrt(mn * ((double)m + (double)n + 1) / 12) + 0.5);
	return kk < 1 ? 0 : (size_t)kk;
}

int xb_cmp_hodges_lehmann(struct xb_hl *out, const double *a, size_t na,
			  const double *b, size_t nb, double alpha)
{
	double *sa, *sb;
	size_t mn = na * nb, k;

	if (!na || !nb)
		return -EINVAL;
	sa = sorted_copy(a, na);
	sb = sorted_copy(b, nb);
	out->shift = mn % 2 ? xb_cmp_kth_difference(sa, na, sb, nb, (mn + 1) / 2) :
		(xb_cmp_kth_difference(sa, na, sb, nb, mn / 2) +
		 xb_cmp_kth_difference(sa, na, sb, nb, mn / 2 + 1)) / 2;
	k = hl_k(na, nb, alpha);
	out->ci_ok = k >= 1;
	out->lo = out->ci_ok ? xb_cmp_kth_difference(sa, na, sb, nb, k) : -INFINITY;
	out->hi = out->ci_ok ? xb_cmp_kth_difference(sa, na, sb, nb, mn + 1 - k) : INFINITY;
	free(sa);
	free(sb);
	return 0;
}

struct pidx {
	double p;
	size_t i;
};

static int cmp_pidx(const void *x, const void *y)
{
	return cmp_double(&((const struct pidx *)x)->p, &((const struct pidx *)y)->p);
}

/* q_(i) = min over j >= i of p_(j) n / j, capped at 1 (the step-up rule of
 * Benjamini & Hochberg written as adjusted values, as R's p.adjust). */
void xb_cmp_bh(double *out, const double *p, size_t n)
{
	struct pidx *s = xb_malloc((n ? n : 1) * sizeof(*s));
	double run = 1;

	for (size_t i = 0; i < n; i++)
		s[i] = (struct pidx){ p[i], i };
	qsort(s, n, sizeof(*s), cmp_pidx);
	for (size_t r = n; r-- > 0;) {
		double q = s[r].p * (double)n / (double)(r + 1);

		run = fmin(run, q);
		out[s[r].i] = run;
	}
	free(s);
}

const char *xb_cmp_verdict_name(enum xb_verdict v)
{
	static const char *const names[] = {
		[XB_VERDICT_NONE] = "-",
		[XB_VERDICT_NO_CHANGE] = "no change",
		[XB_VERDICT_INCONCLUSIVE] = "inconclusive",
		[XB_VERDICT_IMPROVEMENT] = "improvement",
		[XB_VERDICT_REGRESSION] = "regression",
	};
	return names[v];
}

enum xb_direction xb_cmp_direction(const char *name)
{
	if (name && !strcmp(name, "lower"))
		return XB_DIR_LOWER;
	if (name && !strcmp(name, "higher"))
		return XB_DIR_HIGHER;
	return XB_DIR_NONE;
}

/* Robust between-boot sd: 1.4826 x the median absolute deviation of each
 * boot from its own side's median (so a shift between sides adds nothing). */
static double boot_spread(const double *sa, size_t na, const double *sb, size_t nb)
{
	double *dev = xb_malloc((na + nb) * sizeof(*dev));
	double ma = median_sorted(sa, na), mb = median_sorted(sb, nb), s;

	for (size_t i = 0; i < na; i++)
		dev[i] = fabs(sa[i] - ma);
	for (size_t i = 0; i < nb; i++)
		dev[na + i] = fabs(sb[i] - mb);
	qsort(dev, na + nb, sizeof(*dev), cmp_double);
	s = 1.4826 * median_sorted(dev, na + nb);
	free(dev);
	return s;
}

int xb_cmp_row_compute(struct xb_cmp_row *out, enum xb_direction dir,
		       const double *a, size_t na, const double *b, size_t nb,
		       double alpha)
{
	double *sa, *sb;
	int rc;

	if (!na || !nb)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->dir = dir;
	out->na = na;
	out->nb = nb;
	rc = xb_cmp_mann_whitney(&out->mw, a, na, b, nb);
	if (!rc)
		rc = xb_cmp_hodges_lehmann(&out->hl, a, na, b, nb, alpha);
	if (rc)
		return rc;
	sa = sorted_copy(a, na);
	sb = sorted_copy(b, nb);
	out->median_a = median_sorted(sa, na);
	out->median_b = median_sorted(sb, nb);
	out->spread = boot_spread(sa, na, sb, nb);
	free(sa);
	free(sb);
	double base = fabs(out->median_a);

	out->change_pct = base > 0 ? 100 * (out->median_b - out->median_a) / base : NAN;
	out->ci_lo_pct = base > 0 ? 100 * out->hl.lo / base : NAN;
	out->ci_hi_pct = base > 0 ? 100 * out->hl.hi / base : NAN;
	out->noise_abs = fmax(XB_CMP_MIN_NOISE * base, 2 * out->spread);
	out->noise_pct = base > 0 ? 100 * out->noise_abs / base : NAN;
	out->q = out->mw.p;
	out->more_boots = -1;
	return 0;
}

/* Smallest boots per side for which a 1 - alpha interval exists at all. */
static size_t min_boots(double alpha)
{
	size_t n = 1;

	while (n < XB_CMP_EXACT_MAX && hl_k(n, n, alpha) < 1)
		n++;
	return n;
}

/*
 * How many more boots per side would decide a row. Method: the half-width
 * of the Hodges-Lehmann interval shrinks as 1/sqrt(n) with n boots per
 * side (its standard error is sigma sqrt(pi/3 (1/m + 1/n)) for normal
 * boots). Starting from the observed half-width (or, when the sides are too
 * small for any interval, from 1.96 sigma sqrt(2 pi / (3 n)) with sigma the
 * robust between-boot spread), find the n at which either the interval
 * would exclude zero around the current shift (|shift| > w) or lie inside
 * the noise band (|shift| + w <= band), whichever comes first. It assumes
 * the shift and spread stay as estimated, and ignores the BH correction;
 * it is an estimate to plan the next run, not a promise.
 */
long xb_cmp_more_boots(const struct xb_cmp_row *r, double alpha)
{
	double n = (double)(r->na < r->nb ? r->na : r->nb), w, target, need;
	double shift = fabs(r->hl.shift);

	if (r->hl.ci_ok)
		w = (r->hl.hi - r->hl.lo) / 2;
	else
		w = z_two_sided(alpha) * r->spread * sqrt(2 * M_PI / (3 * n));
	target = fmax(shift, r->noise_abs - shift);
	if (!(target > 0))
		return -1;
	/* no spread at all (identical boots): only the interval's existence
	 * is missing */
	need = w > 0 ? ceil(n * (w / target) * (w / target)) : 0;
	need = fmax(need, (double)min_boots(alpha));
	if (need > 1e5)
		return 100000;
	return need > n ? (long)(need - n) : 1;
}

void xb_cmp_rows_judge(struct xb_cmp_row *rows, size_t n, double alpha)
{
	double *p = xb_malloc((n ? n : 1) * sizeof(*p));
	size_t *idx = xb_malloc((n ? n : 1) * sizeof(*idx)), m = 0;

	for (size_t i = 0; i < n; i++)
		if (rows[i].dir != XB_DIR_NONE) {
			idx[m] = i;
			p[m++] = rows[i].mw.p;
		}
	xb_cmp_bh(p, p, m);
	for (size_t i = 0; i < n; i++)
		rows[i].q = NAN;
	for (size_t k = 0; k < m; k++)
		rows[idx[k]].q = p[k];
	for (size_t i = 0; i < n; i++) {
		struct xb_cmp_row *r = &rows[i];
		bool up = r->hl.lo > 0, down = r->hl.hi < 0;

		r->more_boots = -1;
		/* An interval inside the noise band is "no change" even when it
		 * excludes zero: with thousands of boots a 0.1% shift is
		 * significant, but smaller than anything this setup can call a
		 * change (an equivalence test, checked first). */
		if (r->dir == XB_DIR_NONE) {
			r->verdict = XB_VERDICT_NONE;
		} else if (r->hl.ci_ok && r->hl.lo >= -r->noise_abs && r->hl.hi <= r->noise_abs) {
			r->verdict = XB_VERDICT_NO_CHANGE;
		} else if (r->q < alpha && r->hl.ci_ok && (up || down)) {
			bool worse = (r->dir == XB_DIR_LOWER) == up;

			r->verdict = worse ? XB_VERDICT_REGRESSION : XB_VERDICT_IMPROVEMENT;
		} else {
			r->verdict = XB_VERDICT_INCONCLUSIVE;
			r->more_boots = xb_cmp_more_boots(r, alpha);
		}
	}
	free(p);
	free(idx);
}
