// SPDX-License-Identifier: GPL-2.0
/*
 * Comparison statistics: Mann-Whitney U, Hodges-Lehmann shift and interval,
 * Benjamini-Hochberg q-values, the equivalence threshold, the verdict of a row and
 * the boots that would decide it.
 * References: Hollander & Wolfe, Nonparametric Statistical Methods (2nd ed.),
 * sections 4.1-4.3; Benjamini & Hochberg, JRSS B 57 (1995) 289-300.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "stats.h"
#include "util.h"

static double *sorted_copy(const double *v, size_t n)
{
	double *s = xb_malloc((n ? n : 1) * sizeof(*s));

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), xb_cmp_double);
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
	return xb_cmp_double(&((const struct ranked *)x)->v, &((const struct ranked *)y)->v);
}

/* Both sides pooled and sorted, each value with its side (0: a, 1: b). */
static struct ranked *pool_sorted(const double *a, size_t na, const double *b, size_t nb)
{
	struct ranked *r = xb_malloc((na + nb) * sizeof(*r));

	for (size_t i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 1 };
	qsort(r, na + nb, sizeof(*r), cmp_ranked);
	return r;
}

/* End (exclusive) of the tie group starting at i of the pooled values;
 * at least i + 1 (a NaN equals nothing, not even itself). */
static size_t tie_end(const struct ranked *r, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && r[j].v == r[i].v)
		j++;
	return j;
}

/* Rank sum of side a (average ranks for ties) and sum(t^3 - t) over ties. */
static void rank_sum(double *out_ra, double *out_ties, const struct ranked *r, size_t n)
{
	double ra = 0, ties = 0;

	for (size_t i = 0, j; i < n; i = j) {
		j = tie_end(r, n, i);
		double t = (double)(j - i), rank = (double)(i + 1 + j) / 2;

		ties += t * t * t - t;
		for (size_t k = i; k < j; k++)
			if (r[k].side == 0)
				ra += rank;
	}
	*out_ra = ra;
	*out_ties = ties;
}

/* C(n, k); exact while below 2^53: each step's product is an integer. */
static double choose(size_t n, size_t k)
{
	double c = 1;

	if (k > n)
		return 0;
	if (k > n - k)
		k = n - k;
	for (size_t i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / (double)i;
	return round(c);
}

double xb_cmp_mw_min_p(size_t m, size_t n)
{
	return m && n ? fmin(1, 2 / choose(m + n, m)) : 1;
}

/* Add a tie group of t boots of doubled midrank r2 to ways (see below). */
static void ways_add_group(double *ways, size_t na, size_t w, size_t t, size_t r2)
{
	for (size_t k = na + 1; k-- > 0;)
		for (size_t s = w; s-- > 0;) {
			double base = ways[k * w + s];

			if (base == 0)
				continue;
			for (size_t j = 1; j <= t && k + j <= na; j++)
				ways[(k + j) * w + s + j * r2] += base * choose(t, j);
		}
}

/*
 * Exact two-sided p with ties: under the null every choice of na of the N
 * pooled boots for side a is equally likely, C(N, na) of them. Doubled
 * midranks are integers, so the doubled rank sum of side a is counted
 * exactly: through the tie groups, ways[k][s] counts the choices of k boots
 * among the groups so far with doubled rank sum s; a group of t boots of
 * doubled midrank r2 adds j of them in C(t, j) ways. Going down in k lets
 * one array serve (a count is read before any group adds to it). p counts
 * the sums at least as far from the mean na (N + 1) as the observed one.
 */
static double mw_exact_ties_p(const struct ranked *r, size_t n, size_t na, double ra)
{
	size_t w = n * (n + 1) + 1;
	double *ways = xb_calloc((na + 1) * w, sizeof(*ways)), hits = 0;
	long e2 = (long)(na * (n + 1)), dev = labs(lround(2 * ra) - e2);

	ways[0] = 1;
	for (size_t i = 0, j; i < n; i = j) {
		j = tie_end(r, n, i);
		ways_add_group(ways, na, w, j - i, i + 1 + j);
	}
	for (size_t s = 0; s < w; s++)
		if (labs((long)s - e2) >= dev)
			hits += ways[na * w + s];
	free(ways);
	return fmin(1, hits / choose(n, na));
}

int xb_cmp_mann_whitney(struct xb_mw *out, const double *a, size_t na,
			const double *b, size_t nb)
{
	double ra, ties, m = (double)na, n = (double)nb, N = m + n;
	struct ranked *r;

	if (!na || !nb)
		return -EINVAL;
	r = pool_sorted(a, na, b, nb);
	rank_sum(&ra, &ties, r, na + nb);
	out->u = ra - m * (m + 1) / 2;
	out->exact = ties == 0 ? na <= XB_CMP_EXACT_MAX && nb <= XB_CMP_EXACT_MAX :
		choose(na + nb, na) <= XB_CMP_EXACT_TIES_MAX;
	if (out->exact && ties != 0) {
		out->p = mw_exact_ties_p(r, na + nb, na, ra);
	} else if (out->exact) {
		/* without ties the distribution is symmetric about mn/2 */
		double lower = xb_cmp_mw_cdf(na, nb, out->u);
		double upper = 1 - xb_cmp_mw_cdf(na, nb, out->u - 1);

		out->p = fmin(1, 2 * fmin(lower, upper));
	} else {
		/* Normal approximation with the tie-corrected variance
		 * mn/12 ((N+1) - sum(t^3 - t)/(N(N-1))) and a continuity
		 * correction. */
		double var = m * n / 12 * ((N + 1) - ties / (N * (N - 1)));
		double d = fabs(out->u - m * n / 2) - 0.5;

		out->p = var <= 0 ? 1 : fmin(1, erfc(fmax(d, 0) / sqrt(var) / M_SQRT2));
	}
	free(r);
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
	return xb_cmp_double(&((const struct pidx *)x)->p, &((const struct pidx *)y)->p);
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
	qsort(dev, na + nb, sizeof(*dev), xb_cmp_double);
	s = 1.4826 * median_sorted(dev, na + nb);
	free(dev);
	return s;
}

/* sqrt(((m-1) s_a^2 + (n-1) s_b^2) / (m+n-2)); 0 when m + n < 3. */
static double pooled_sd(const double *a, size_t na, const double *b, size_t nb)
{
	struct xb_summary sa, sb;

	if (na + nb < 3)
		return 0;
	xb_stats_summarize(&sa, a, na);
	xb_stats_summarize(&sb, b, nb);
	return sqrt(((double)(na - 1) * sa.stddev * sa.stddev +
		     (double)(nb - 1) * sb.stddev * sb.stddev) / (double)(na + nb - 2));
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
	out->sd = pooled_sd(a, na, b, nb);
	out->constant = sa[0] == sa[na - 1] && sb[0] == sb[nb - 1];
	free(sa);
	free(sb);
	double base = fabs(out->median_a);

	out->change_pct = base > 0 ? 100 * (out->median_b - out->median_a) / base : NAN;
	out->ci_lo_pct = base > 0 ? 100 * out->hl.lo / base : NAN;
	out->ci_hi_pct = base > 0 ? 100 * out->hl.hi / base : NAN;
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

/* Smallest boots per side at which the exact test can reach p <= alpha. */
static size_t min_boots_for_p(double alpha)
{
	size_t n = 1;

	while (n < 1000 && xb_cmp_mw_min_p(n, n) > alpha)
		n++;
	return n;
}

size_t xb_cmp_boots_for_rows(size_t nrows, double alpha, size_t max)
{
	/* a lone change has BH rank 1: q = p nrows */
	size_t n = min_boots_for_p(alpha / (double)(nrows ? nrows : 1));

	n = n > min_boots(alpha) ? n : min_boots(alpha);
	return n <= max ? n : 0;
}

/*
 * The thresholds of practical interest per clock. wall, 5%: the smallest
 * shift wall-clock TCG boots can be asked to bound at all (between-boot
 * spread of 5-15% there; daxbench calibrate --clock wall caught none of
 * 2, 5 or 10% at 3 rounds). icount, 0.1%: an A/A difference is exactly 0 on
 * x86 (10 boots in two runs repeated every figure), so this threshold only
 * says what size matters, and 0.1% of a DAX read fault (4249 instructions)
 * is 4 instructions: pti=on adds 8 per fault (+0.19%) and a planted
 * 15-iteration barrier() loop +0.68%, both real changes of the path that a
 * 1% threshold called "no change (deterministic)". --threshold sets another.
 */
static const struct xb_cmp_clock clocks[] = {
	{ "wall", 5.0, false },
	{ "icount", 0.1, true },
};

const struct xb_cmp_clock *xb_cmp_clock_find(const char *name)
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(clocks); i++)
		if (!strcmp(clocks[i].name, name ? name : "wall"))
			return &clocks[i];
	return NULL;
}

/*
 * The between-boot sd the power calculation uses. With an interval, the
 * one implied by its half-width w = z sigma sqrt(pi/3 (1/m + 1/n)) (the
 * Hodges-Lehmann standard error for normal boots), so heavy tails widen it
 * as they widen the interval. Without one (3 boots a side or fewer) the
 * pooled sd, on k = m + n - 2 degrees of freedom, is too rough a guess to
 * plan with: it is raised to its upper 80% confidence bound
 * s sqrt(k / chi2_0.2(k)), the quantile by Wilson & Hilferty,
 * chi2_p(k) = k (1 - 2/(9k) + z_p sqrt(2/(9k)))^3.
 */
static double power_sigma(const struct xb_cmp_row *r, double alpha)
{
	double m = (double)r->na, n = (double)r->nb, k = m + n - 2, c;

	if (!r->hl.ci_ok && k < 1)
		return r->spread;
	if (!r->hl.ci_ok) {
		c = 1 - 2 / (9 * k) - z_two_sided(0.4) * sqrt(2 / (9 * k));
		return r->sd * sqrt(k / (k * c * c * c));
	}
	return (r->hl.hi - r->hl.lo) / 2 /
		(z_two_sided(alpha) * sqrt(M_PI / 3 * (1 / m + 1 / n)));
}

/*
 * Boots per side at which an interval of sd sigma, centred within d of the
 * truth, ends within d with probability power at level alpha: the t-test's
 * n = 2 sigma^2 (z_alpha/2 + z_power)^2 / d^2 divided by Mann-Whitney's
 * (and Hodges-Lehmann's) efficiency relative to it, 3/pi for normal boots.
 */
static double boots_for_power(double sigma, double d, double alpha)
{
	double z = z_two_sided(alpha) + z_two_sided(2 * (1 - XB_CMP_POWER));

	if (!(d > 0))
		return INFINITY;
	return 2 * M_PI / 3 * (sigma * z / d) * (sigma * z / d);
}

/* Up to this many boots a side the critical U of the exact test is taken
 * from its distribution: the asymptotic one ignores how few U values a
 * small test can reject with (at 8 a side and p <= 0.05/40, U <= 3 of 64). */
#define SMALL_EXACT_MAX 20

/* Largest u with P0(U <= u) <= alpha/2 at n boots a side, -1 when none;
 * z is z_two_sided(alpha). The small distributions are kept: rows ask for
 * them again and again. */
static double u_critical(size_t n, double alpha, double z)
{
	static double *pmf[SMALL_EXACT_MAX + 1];
	double c = 0, u = -1, mn = (double)(n * n);

	if (n > SMALL_EXACT_MAX)
		return floor(mn / 2 - 0.5 - z * sqrt(mn * (2 * (double)n + 1) / 12));
	if (!pmf[n])
		pmf[n] = mw_pmf(n, n);
	for (size_t k = 0; k <= n * n && c + pmf[n][k] <= alpha / 2; k++) {
		c += pmf[n][k];
		u = (double)k;
	}
	return u;
}

/* P(X <= h, Y <= h) for standard normals of correlation 1/2: the integral
 * of phi(x) Phi((h - x/2) / sqrt(3/4)) over x <= h, by Simpson's rule on
 * [h - 12, h] (what lies below weighs less than 1e-30). */
static double binormal_half(double h)
{
	const int steps = 400;
	double a = h - 12, step = 12.0 / steps, sum = 0;

	for (int i = 0; i <= steps; i++) {
		double x = a + i * step, w = i == 0 || i == steps ? 1 : i % 2 ? 4 : 2;
		double f = exp(-x * x / 2) / sqrt(2 * M_PI) *
			   0.5 * erfc(-(h - x / 2) / sqrt(0.75) / M_SQRT2);

		sum += w * f;
	}
	return sum * step / 3;
}

/*
 * Power of the test at n boots a side against a shift of ds between-boot
 * sds (normal boots): it rejects when U <= u_critical (the shift's own
 * tail; the other adds nothing worth counting). Under the shift U is about
 * normal with mean n^2 p1 and variance n^2 (p1 (1 - p1) + 2 (n - 1)
 * (p2 - p1^2)) (Lehmann 1951), p1 = P(a > b) = Phi(-ds/sqrt 2) and
 * p2 = P(a > b, a > b') = Phi2(-ds/sqrt 2, -ds/sqrt 2; 1/2): b - a and
 * b' - a share a. At ds = 0 this is the null's mn (m + n + 1)/12.
 */
static double power_at(size_t n, double p1, double p2, double alpha, double z)
{
	double u = u_critical(n, alpha, z), mn = (double)(n * n);
	double var = mn * (p1 * (1 - p1) + 2 * ((double)n - 1) * (p2 - p1 * p1));

	if (u < 0)
		return 0;
	if (!(var > 0))
		return u + 0.5 >= mn * p1;
	return 0.5 * erfc(-(u + 0.5 - mn * p1) / sqrt(var) / M_SQRT2);
}

/* A regression or improvement: p <= alpha_row and an interval excluding 0,
 * at the first n with XB_CMP_POWER; infinite beyond XB_CMP_MORE_MAX more. */
static double boots_to_separate(const struct xb_cmp_row *r, double sigma,
				double alpha_row, double alpha)
{
	double d = fabs(r->hl.shift), ds = sigma > 0 ? d / sigma : 40;
	double p1 = 0.5 * erfc(ds / 2), p2 = binormal_half(-ds / M_SQRT2);
	double z = z_two_sided(alpha_row);
	size_t n0 = r->na < r->nb ? r->na : r->nb, nmin = min_boots(alpha);

	if (!(d > 0))
		return INFINITY;
	for (size_t n = n0 + 1; n <= n0 + XB_CMP_MORE_MAX; n++)
		if (n >= nmin && power_at(n, p1, p2, alpha_row, z) >= XB_CMP_POWER)
			return (double)n;
	return INFINITY;
}

/* No change: the whole interval within the threshold, |shift| + w < thr. */
static double boots_to_bound(const struct xb_cmp_row *r, double sigma,
			     const struct xb_cmp_judging *j)
{
	double thr = j->threshold_pct / 100 * fabs(r->median_a);
	double n = boots_for_power(sigma, thr - fabs(r->hl.shift), j->alpha);

	return fmax(n, (double)min_boots(j->alpha));
}

long xb_cmp_more_boots(const struct xb_cmp_row *r, double alpha_row,
		       const struct xb_cmp_judging *j)
{
	double n = (double)(r->na < r->nb ? r->na : r->nb);
	double sigma = power_sigma(r, j->alpha), need;

	need = fmin(boots_to_separate(r, sigma, alpha_row, j->alpha),
		    boots_to_bound(r, sigma, j));
	if (!(need - n <= XB_CMP_MORE_MAX))
		return XB_CMP_CANNOT_DECIDE;
	need = ceil(need);
	return need > n ? (long)(need - n) : 1;
}

static enum xb_verdict change_verdict(const struct xb_cmp_row *r, bool up)
{
	return (r->dir == XB_DIR_LOWER) == up ? XB_VERDICT_REGRESSION :
		XB_VERDICT_IMPROVEMENT;
}

/* Constant sides, trusted: the difference is exact, only its size counts. */
static void judge_by_size(struct xb_cmp_row *r, double threshold_pct)
{
	double d = r->median_b - r->median_a;

	r->deterministic = true;
	if (d == 0 || fabs(r->change_pct) < threshold_pct)
		r->verdict = XB_VERDICT_NO_CHANGE;
	else
		r->verdict = change_verdict(r, d > 0);
}

static void judge_row(struct xb_cmp_row *r, const struct xb_cmp_judging *j,
		      double alpha_row)
{
	bool up = r->hl.lo > 0, down = r->hl.hi < 0;

	r->more_boots = -1;
	r->deterministic = false;
	if (r->dir == XB_DIR_NONE)
		r->verdict = XB_VERDICT_NONE;
	else if (r->constant && j->deterministic_clock)
		judge_by_size(r, j->threshold_pct);
	/* Under a clock that is not deterministic, constant sides are the
	 * clock's resolution, not exactness (timer.resolution.ns: 60 in every
	 * boot of A, 50 in every boot of B, in an A/A on a loaded host): equal
	 * sides are no change, different ones go to the test like any row. */
	else if (r->constant && r->na >= 2 && r->nb >= 2 && r->median_a == r->median_b)
		r->verdict = XB_VERDICT_NO_CHANGE;
	else if (r->q < j->alpha && r->hl.ci_ok && (up || down))
		r->verdict = change_verdict(r, up);
	else if (r->hl.ci_ok && r->ci_lo_pct > -j->threshold_pct &&
		 r->ci_hi_pct < j->threshold_pct)
		r->verdict = XB_VERDICT_NO_CHANGE;
	else
		r->verdict = XB_VERDICT_INCONCLUSIVE;
	if (r->verdict == XB_VERDICT_INCONCLUSIVE)
		r->more_boots = xb_cmp_more_boots(r, alpha_row, j);
}

/*
 * BH rejects the rows up to the largest rank i with p_(i) <= alpha i / m.
 * A row not yet among the k rejected would join as rank k + 1 at best, so
 * it needs p <= alpha (k + 1) / m: the per-row alpha its "+N boots" aims for.
 */
void xb_cmp_rows_judge(struct xb_cmp_row *rows, size_t n, const struct xb_cmp_judging *j)
{
	double *p = xb_malloc((n ? n : 1) * sizeof(*p));
	size_t *idx = xb_malloc((n ? n : 1) * sizeof(*idx)), m = 0, k = 0;

	for (size_t i = 0; i < n; i++)
		if (rows[i].dir != XB_DIR_NONE) {
			idx[m] = i;
			p[m++] = rows[i].mw.p;
		}
	xb_cmp_bh(p, p, m);
	for (size_t i = 0; i < n; i++)
		rows[i].q = NAN;
	for (size_t i = 0; i < m; i++) {
		rows[idx[i]].q = p[i];
		k += p[i] < j->alpha;
	}
	for (size_t i = 0; i < n; i++)
		judge_row(&rows[i], j, j->alpha * (double)(k + 1) / (double)(m ? m : 1));
	free(p);
	free(idx);
}
