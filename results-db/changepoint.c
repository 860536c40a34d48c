// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "changepoint.h"
#include "stats.h"
#include "util.h"

/* dpkg's lib/dpkg/version.c order(): digits sort as 0 here because digit
 * runs are compared separately; '~' sorts before the end of the string. */
static int order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

static int verrevcmp(const char *a, const char *b)
{
	while (*a || *b) {
		int first_diff = 0;

		while ((*a && !isdigit((unsigned char)*a)) || (*b && !isdigit((unsigned char)*b))) {
			int ac = order((unsigned char)*a), bc = order((unsigned char)*b);

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		while (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (isdigit((unsigned char)*a))
			return 1;
		if (isdigit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

struct debver {
	unsigned long epoch;
	char *upstream;
	const char *revision;
};

static void split_version(struct debver *v, char *s)
{
	char *colon = strchr(s, ':'), *dash;

	v->epoch = 0;
	if (colon) {
		v->epoch = strtoul(s, NULL, 10);
		s = colon + 1;
	}
	v->upstream = s;
	dash = strrchr(s, '-');
	v->revision = "";
	if (dash) {
		*dash = '\0';
		v->revision = dash + 1;
	}
}

int xb_dpkg_vercmp(const char *a, const char *b)
{
	char *sa = xb_strdup(a), *sb = xb_strdup(b);
	struct debver va, vb;
	int r;

	split_version(&va, sa);
	split_version(&vb, sb);
	if (va.epoch != vb.epoch)
		r = va.epoch > vb.epoch ? 1 : -1;
	else if ((r = verrevcmp(va.upstream, vb.upstream)) == 0)
		r = verrevcmp(va.revision, vb.revision);
	free(sa);
	free(sb);
	return r;
}

void xb_cp_default_options(struct xb_cp_options *out)
{
	*out = (struct xb_cp_options){
		.min_seg = 3, .perms = 999, .alpha_weak = 0.01,
		.alpha_confirmed = 0.001, .outlier_k = 5, .seed = 1,
	};
}

/* Scratch for one segment: values with their ranks (ties broken by index),
 * Fenwick trees of counts and sums over ranks, prefix/suffix energies,
 * distance sums to the points left of a split (acc). */
struct scratch {
	double *x;
	size_t *rank;
	double *fcnt, *fsum;
	double *wl, *wr;
	double *acc;
	size_t cap;
};

static void scratch_grow(struct scratch *s, size_t n)
{
	if (n <= s->cap)
		return;
	s->x = xb_realloc(s->x, n * sizeof(*s->x));
	s->rank = xb_realloc(s->rank, n * sizeof(*s->rank));
	s->fcnt = xb_realloc(s->fcnt, (n + 1) * sizeof(*s->fcnt));
	s->fsum = xb_realloc(s->fsum, (n + 1) * sizeof(*s->fsum));
	s->wl = xb_realloc(s->wl, (n + 1) * sizeof(*s->wl));
	s->wr = xb_realloc(s->wr, (n + 1) * sizeof(*s->wr));
	s->acc = xb_realloc(s->acc, n * sizeof(*s->acc));
	s->cap = n;
}

static void scratch_free(struct scratch *s)
{
	free(s->x);
	free(s->rank);
	free(s->fcnt);
	free(s->fsum);
	free(s->wl);
	free(s->wr);
	free(s->acc);
}

static const double *sort_base;

static int cmp_idx(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (sort_base[i] != sort_base[j])
		return sort_base[i] < sort_base[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

static void set_ranks(struct scratch *s, size_t n)
{
	size_t *idx = xb_malloc(n * sizeof(*idx));

	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_base = s->x;
	qsort(idx, n, sizeof(*idx), cmp_idx);
	for (size_t r = 0; r < n; r++)
		s->rank[idx[r]] = r;
	free(idx);
}

/*
 * Sum of |x - y| over the values y inserted so far, from the count and sum
 * of those ranked below x: x*c_lo - s_lo + (S - s_lo) - x*(C - c_lo). With
 * Fenwick trees each insert and query is O(log n), so the within-segment
 * energies of every prefix (and suffix) take O(n log n), not O(n^2).
 */
static double absdev_insert(struct scratch *s, size_t n, size_t t, double *tot_c, double *tot_s)
{
	double c_lo = 0, s_lo = 0, x = s->x[t], d;

	for (size_t i = s->rank[t]; i > 0; i -= i & -i) {
		c_lo += s->fcnt[i];
		s_lo += s->fsum[i];
	}
	d = x * c_lo - s_lo + (*tot_s - s_lo) - x * (*tot_c - c_lo);
	for (size_t i = s->rank[t] + 1; i <= n; i += i & -i) {
		s->fcnt[i] += 1;
		s->fsum[i] += x;
	}
	*tot_c += 1;
	*tot_s += x;
	return d;
}

/* wl[t]: sum of |a - b| over the pairs inside x[0..t), for every t. */
static void prefix_energies(struct scratch *s, size_t n)
{
	double tc = 0, ts = 0;

	memset(s->fcnt, 0, (n + 1) * sizeof(double));
	memset(s->fsum, 0, (n + 1) * sizeof(double));
	s->wl[0] = 0;
	for (size_t t = 0; t < n; t++)
		s->wl[t + 1] = s->wl[t] + absdev_insert(s, n, t, &tc, &ts);
}

/*
 * The E-divisive statistic (alpha = 1) of sides L of m points and R of k,
 * from the sums of |a - b| between them and within each:
 *   Q = m k / (m + k) * (2/(m k) sum_{L x R} |a-b| - mean_{pairs in L} |a-b|
 *                        - mean_{pairs in R} |a-b|)
 * the (scaled) energy distance between the two sides, large when their
 * distributions differ; within-side means are over distinct pairs.
 */
static double energy_q(double between, double within_l, double within_r, double m, double k)
{
	double e = 2 * between / (m * k) - within_l / (m * (m - 1) / 2) -
		   within_r / (k * (k - 1) / 2);

	return m * k / (m + k) * e;
}

/* Splits of x[0..n) into L = x[0..tau) and R = x[tau..n), the right end
 * fixed: O(n log n) with the Fenwick trees, for long segments. */
static double best_split_to_end(struct scratch *s, size_t n, size_t min_seg, size_t *out_tau)
{
	double tc = 0, ts = 0, total, best = 0;

	prefix_energies(s, n);
	memset(s->fcnt, 0, (n + 1) * sizeof(double));
	memset(s->fsum, 0, (n + 1) * sizeof(double));
	s->wr[n] = 0;
	for (size_t t = n; t-- > 0;)
		s->wr[t] = s->wr[t + 1] + absdev_insert(s, n, t, &tc, &ts);
	total = s->wl[n];
	for (size_t tau = min_seg; tau + min_seg <= n; tau++) {
		double between = total - s->wl[tau] - s->wr[tau];
		double q = energy_q(between, s->wl[tau], s->wr[tau], (double)tau,
				    (double)(n - tau));

		if (q > best || !*out_tau) {
			best = q;
			*out_tau = tau;
		}
	}
	return best;
}

/*
 * Both ends searched (Matteson & James 2014, section 2.2, as R's ecp): L =
 * x[0..tau), R = x[tau..kappa) with kappa anywhere up to n, so a change that
 * reverts later in the segment (100/110/100) stands out instead of being
 * averaged away. Going down in tau, three running sums make it O(n^2):
 *   acc[j]    = sum_{i < tau} |x_i - x_j|  (loses |x_tau - x_j| as tau falls)
 *   wr[kappa] = the pairs inside x[tau..kappa)
 *               (gains sum_{tau < j < kappa} |x_tau - x_j|)
 *   between   = sum_{tau <= j < kappa} acc[j], along kappa.
 */
static double best_split_both(struct scratch *s, size_t n, size_t min_seg, size_t *out_tau)
{
	double best = 0;

	prefix_energies(s, n);
	for (size_t j = 0; j < n; j++) {
		s->acc[j] = 0;
		for (size_t i = 0; i < n; i++)
			s->acc[j] += fabs(s->x[i] - s->x[j]);
	}
	memset(s->wr, 0, (n + 1) * sizeof(double));
	for (size_t tau = n; tau-- > min_seg;) {
		double run = 0, between = 0;

		for (size_t j = 0; j < n; j++)
			s->acc[j] -= fabs(s->x[tau] - s->x[j]);
		for (size_t kappa = tau + 1; kappa <= n; kappa++) {
			double q;

			run += kappa - 1 > tau ? fabs(s->x[tau] - s->x[kappa - 1]) : 0;
			s->wr[kappa] += run;
			between += s->acc[kappa - 1];
			if (kappa - tau < min_seg)
				continue;
			q = energy_q(between, s->wl[tau], s->wr[kappa], (double)tau,
				     (double)(kappa - tau));
			if (q > best || !*out_tau) {
				best = q;
				*out_tau = tau;
			}
		}
	}
	return best;
}

/* The best split of x[0..n) (s->x, ranked), *out_tau its first point of R;
 * 0 and no split when n < 2 min_seg. Segments longer than
 * XB_CP_BOTH_ENDS_MAX fix the right end: O(n^2) per permutation is too
 * much there. */
static double best_split(struct scratch *s, size_t n, size_t min_seg, size_t *out_tau)
{
	*out_tau = 0;
	if (n < 2 * min_seg)
		return 0;
	if (n <= XB_CP_BOTH_ENDS_MAX)
		return best_split_both(s, n, min_seg, out_tau);
	return best_split_to_end(s, n, min_seg, out_tau);
}

double xb_cp_best_split(size_t *out_tau, const double *x, size_t n, size_t min_seg)
{
	struct scratch s = { 0 };
	double q;

	scratch_grow(&s, n ? n : 1);
	if (n)
		memcpy(s.x, x, n * sizeof(*x));
	set_ranks(&s, n);
	q = best_split(&s, n, min_seg, out_tau);
	scratch_free(&s);
	return q;
}

/* splitmix64: small, seedable, good enough to shuffle with. */
static uint64_t rng_next(uint64_t *st)
{
	uint64_t z = (*st += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * p-value of the best split of seg[0..n) by permutation: under "no change"
 * every order of the values is equally likely, so p = (1 + #{shuffles whose
 * best Q >= observed}) / (R + 1). A test that has already passed alpha_weak
 * exceedances cannot end significant and stops early (p reported > alpha).
 */
static double perm_pvalue(struct scratch *s, const double *seg, size_t n, double q_obs,
			  const struct xb_cp_options *o, uint64_t *rng)
{
	unsigned exceed = 0, limit = (unsigned)(o->alpha_weak * (o->perms + 1));
	size_t tau;

	memcpy(s->x, seg, n * sizeof(*seg));
	set_ranks(s, n);
	for (unsigned r = 0; r < o->perms; r++) {
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = (size_t)(rng_next(rng) % (i + 1));
			double tx = s->x[i];
			size_t tr = s->rank[i];

			s->x[i] = s->x[j];
			s->rank[i] = s->rank[j];
			s->x[j] = tx;
			s->rank[j] = tr;
		}
		if (best_split(s, n, o->min_seg, &tau) >= q_obs * (1 - 1e-12))
			exceed++;
		if (exceed > limit)
			return (double)(exceed + 1) / (r + 2);
	}
	return (double)(exceed + 1) / (o->perms + 1);
}

/* Robust sigma of the series' noise from its first differences:
 * 1.4826 MAD(d) / sqrt(2), insensitive to a few steps and spikes
 * (a difference of two independent values has sqrt(2) times their sigma). */
static double diff_sigma(const double *x, size_t n)
{
	size_t m = n - 1;
	double *d = xb_malloc(m * sizeof(*d)), med, sig;
	struct xb_summary sm;

	for (size_t i = 0; i < m; i++)
		d[i] = x[i + 1] - x[i];
	xb_stats_summarize(&sm, d, m);
	med = sm.median;
	for (size_t i = 0; i < m; i++)
		d[i] = fabs(d[i] - med);
	xb_stats_summarize(&sm, d, m);
	sig = 1.4826 * sm.median / sqrt(2.0);
	/* Coarse values (counts, rounded timings) can make most differences
	 * equal and the MAD 0, which would make every wiggle a spike: fall
	 * back to the mean absolute deviation (x 1.2533 for a normal sigma). */
	if (sig == 0)
		sig = 1.2533 * sm.mean / sqrt(2.0);
	free(d);
	return sig;
}

/*
 * A point is a one-point excursion when it stands far (> k sigma) from the
 * mean of its two neighbours while they agree with each other (closer than
 * half that distance): a shift that reverts at once. A step has its
 * neighbours on different levels and is left alone.
 */
static void find_outliers(struct xb_cp_result *r, const double *x, size_t n, double k)
{
	double sig;

	if (n < 3)
		return;
	sig = diff_sigma(x, n);
	for (size_t i = 1; i + 1 < n; i++) {
		double dev = fabs(x[i] - (x[i - 1] + x[i + 1]) / 2);

		if (dev > 0 && dev > k * sig && fabs(x[i - 1] - x[i + 1]) < dev / 2) {
			r->outliers = xb_realloc(r->outliers, (r->noutliers + 1) * sizeof(size_t));
			r->outliers[r->noutliers++] = i;
			i++;   /* its neighbour's own test would see the spike */
		}
	}
}

static double seg_median(const double *y, size_t a, size_t b)
{
	struct xb_summary sm;

	xb_stats_summarize(&sm, y + a, b - a);
	return sm.median;
}

/* Bisect until the best remaining split is not significant. bounds holds
 * the segment boundaries (0, accepted splits, n) kept sorted by insertion;
 * pv the p of each split, moved with it. */
static size_t bisect(size_t *bounds, double *pv, const double *y, size_t ny,
		     const struct xb_cp_options *o, struct scratch *s)
{
	size_t nb = 2;
	uint64_t rng = o->seed;

	bounds[0] = 0;
	bounds[1] = ny;
	for (;;) {
		double best = -1, p;
		size_t bseg = 0, btau = 0, tau;

		for (size_t i = 0; i + 1 < nb; i++) {
			size_t a = bounds[i], len = bounds[i + 1] - a;
			double q;

			if (len < 2 * o->min_seg)
				continue;
			memcpy(s->x, y + a, len * sizeof(*y));
			set_ranks(s, len);
			q = best_split(s, len, o->min_seg, &tau);
			if (q > best) {
				best = q;
				bseg = i;
				btau = a + tau;
			}
		}
		if (best <= 0)
			break;
		p = perm_pvalue(s, y + bounds[bseg], bounds[bseg + 1] - bounds[bseg], best, o, &rng);
		if (p > o->alpha_weak)
			break;
		bounds[nb] = btau;
		pv[nb] = p;
		nb++;
		/* keep pv aligned with bounds while sorting */
		for (size_t i = nb - 1; i > 0 && bounds[i] < bounds[i - 1]; i--) {
			size_t tb = bounds[i];
			double tp = pv[i];

			bounds[i] = bounds[i - 1];
			pv[i] = pv[i - 1];
			bounds[i - 1] = tb;
			pv[i - 1] = tp;
		}
	}
	return nb;
}

int xb_cp_detect(struct xb_cp_result *out, const double *x, size_t n,
		 const struct xb_cp_options *o)
{
	struct scratch s = { 0 };
	size_t *map = NULL, *bounds = NULL, ny = 0, nb;
	double *y = NULL, *pv = NULL;
	size_t oi = 0;

	memset(out, 0, sizeof(*out));
	if (o->min_seg < 3 || !o->perms || !(o->alpha_confirmed <= o->alpha_weak) ||
	    !(o->alpha_weak > 0 && o->alpha_weak < 1))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	find_outliers(out, x, n, o->outlier_k);
	y = xb_malloc((n + 1) * sizeof(*y));
	map = xb_malloc((n + 1) * sizeof(*map));
	for (size_t i = 0; i < n; i++) {
		if (oi < out->noutliers && out->outliers[oi] == i) {
			oi++;
			continue;
		}
		map[ny] = i;
		y[ny++] = x[i];
	}
	bounds = xb_malloc((ny + 2) * sizeof(*bounds));
	pv = xb_malloc((ny + 2) * sizeof(*pv));
	scratch_grow(&s, ny ? ny : 1);
	nb = bisect(bounds, pv, y, ny, o, &s);
	out->cps = xb_malloc((nb ? nb : 1) * sizeof(*out->cps));
	for (size_t i = 1; i + 1 < nb; i++) {
		struct xb_changepoint *c = &out->cps[out->ncps++];

		c->idx = map[bounds[i]];
		c->before = seg_median(y, bounds[i - 1], bounds[i]);
		c->after = seg_median(y, bounds[i], bounds[i + 1]);
		c->p = pv[i];
		c->level = pv[i] <= o->alpha_confirmed ? XB_CP_CONFIRMED : XB_CP_WEAK;
	}
	scratch_free(&s);
	free(y);
	free(map);
	free(bounds);
	free(pv);
	return 0;
}

void xb_cp_result_free(struct xb_cp_result *r)
{
	free(r->cps);
	free(r->outliers);
	memset(r, 0, sizeof(*r));
}
