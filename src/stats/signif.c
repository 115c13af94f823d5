// SPDX-License-Identifier: GPL-2.0
/*
 * Welch's t-test and the Mann-Whitney U test (see stats_test.h for why they
 * are written here rather than taken from GSL).
 *
 * References: the incomplete beta continued fraction and its evaluation by
 * the modified Lentz method as in Numerical Recipes (3rd ed., 6.4); the
 * exact null distribution of U by the recurrence of Mann and Whitney (1947);
 * the normal approximation with tie and continuity corrections as R's
 * wilcox.test computes it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/stats/signif.h"

#define BETAI_EPS	1e-15
#define BETAI_TINY	1e-300
#define BETAI_MAXIT	10000
/* Exact U distribution below this many values a side, as R does. */
#define MW_EXACT_MAX	50

/*
 * Continued fraction of I_x(a, b) (NR 6.4.5), for x < (a + 1) / (a + b + 2)
 * where it converges fast.
 */
static double betacf(double a, double b, double x)
{
	double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d, h, aa, del;
	int m, m2;

	d = 1 - qab * x / qap;
	if (fabs(d) < BETAI_TINY)
		d = BETAI_TINY;
	d = 1 / d;
	h = d;
	for (m = 1; m <= BETAI_MAXIT; m++) {
		m2 = 2 * m;
		/* even step */
		aa = m * (b - m) * x / ((qam + m2) * (a + m2));
		d = 1 + aa * d;
		if (fabs(d) < BETAI_TINY)
			d = BETAI_TINY;
		c = 1 + aa / c;
		if (fabs(c) < BETAI_TINY)
			c = BETAI_TINY;
		d = 1 / d;
		h *= d * c;
		/* odd step */
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		if (fabs(d) < BETAI_TINY)
			d = BETAI_TINY;
		c = 1 + aa / c;
		if (fabs(c) < BETAI_TINY)
			c = BETAI_TINY;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < BETAI_EPS)
			return h;
	}
	return NAN;
}

/* I_x(a, b) with y = 1 - x given exactly by the caller. */
static double betai_xy(double a, double b, double x, double y)
{
	double front;

	if (!(a > 0) || !(b > 0) || !(x >= 0) || !(y >= 0) || isnan(x) || isnan(y))
		return NAN;
	if (x == 0)
		return 0;
	if (y == 0)
		return 1;
	/* x^a y^b / (a B(a, b)), in logs */
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(y));
	if (x < (a + 1) / (a + b + 2))
		return front * betacf(a, b, x) / a;
	/* symmetry: I_x(a, b) = 1 - I_y(b, a) */
	return 1 - front * betacf(b, a, y) / b;
}

double stats_betai(double a, double b, double x)
{
	if (!(x >= 0 && x <= 1))
		return NAN;
	return betai_xy(a, b, x, 1 - x);
}

double stats_t_p_two_sided(double t, double df)
{
	double t2;

	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0;
	if (isinf(df))
		return 2 * stats_normal_cdf(-fabs(t));
	/* P(|T| >= |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2) */
	t2 = t * t;
	return betai_xy(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

double stats_normal_cdf(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

static void stats_mean_var(const double *v, size_t n, double *mean, double *var)
{
	double m = 0, s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m += v[i];
	m /= n;
	/* two-pass: no cancellation for values with a large common offset */
	for (i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	*mean = m;
	*var = n > 1 ? s / (n - 1) : 0;
}

int stats_welch(const double *a, size_t na, const double *b, size_t nb,
		struct stats_test_result *res)
{
	double ma, va, mb, vb, qa, qb, se2;

	memset(res, 0, sizeof(*res));
	res->statistic = res->df = res->p = NAN;
	if (na < 2 || nb < 2)
		return -EINVAL;
	stats_mean_var(a, na, &ma, &va);
	stats_mean_var(b, nb, &mb, &vb);
	qa = va / na;
	qb = vb / nb;
	se2 = qa + qb;
	if (!(se2 > 0)) {
		res->statistic = ma == mb ? 0 : copysign(INFINITY, ma - mb);
		res->df = na + nb - 2;
		res->p = ma == mb ? 1 : 0;
		return 0;
	}
	res->statistic = (ma - mb) / sqrt(se2);
	/* Welch-Satterthwaite */
	res->df = se2 * se2 / (qa * qa / (na - 1) + qb * qb / (nb - 1));
	res->p = stats_t_p_two_sided(res->statistic, res->df);
	return 0;
}

/*
 * Counts of the null distribution of U for sample sizes m and n: cnt[u] =
 * number of orderings of m + n distinct values with U = u, u in [0, mn].
 * Mann and Whitney's recurrence on the largest value: f(u; i, j) =
 * f(u - j; i - 1, j) (it is one of the i: it beats all j) + f(u; i, j - 1).
 * Counts are doubles: exact up to 2^53, C(98, 49) ~ 2.5e28 is still fine
 * relatively. Returns a malloc'ed array of mn + 1 counts, or NULL.
 */
static double *mw_counts(size_t m, size_t n)
{
	size_t umax = m * n, i, j, u, w = umax + 1;
	double *prev, *cur, *out, *swap;

	prev = calloc((n + 1) * w, sizeof(double));
	cur = calloc((n + 1) * w, sizeof(double));
	out = calloc(w, sizeof(double));
	if (!prev || !cur || !out) {
		free(prev);
		free(cur);
		free(out);
		return NULL;
	}
	/* i = 0: f(0; 0, j) = 1 */
	for (j = 0; j <= n; j++)
		prev[j * w] = 1;
	for (i = 1; i <= m; i++) {
		memset(cur, 0, (n + 1) * w * sizeof(double));
		cur[0] = 1;	/* j = 0 */
		for (j = 1; j <= n; j++)
			for (u = 0; u <= i * j; u++)
				cur[j * w + u] = (u >= j ? prev[j * w + u - j] : 0) +
						 cur[(j - 1) * w + u];
		swap = prev;
		prev = cur;
		cur = swap;
	}
	memcpy(out, prev + n * w, w * sizeof(double));
	free(prev);
	free(cur);
	return out;
}

/* P(U <= u) from the counts @cnt of the distribution of U over [0, @umax]. */
static double mw_cdf_counts(const double *cnt, size_t umax, double u)
{
	double le = 0, tot = 0;

	for (size_t k = 0; k <= umax; k++) {
		tot += cnt[k];
		if (k <= u)
			le += cnt[k];
	}
	return le / tot;
}

double stats_mann_whitney_cdf(double u, size_t m, size_t n)
{
	double *cnt, p;

	if (u < 0)
		return 0;
	if (u >= (double)m * n)
		return 1;
	cnt = mw_counts(m, n);
	if (!cnt)
		return NAN;
	p = mw_cdf_counts(cnt, m * n, u);
	free(cnt);
	return p;
}

double stats_mann_whitney_min_p(size_t m, size_t n)
{
	/* 2 / C(m + n, m), as a product to stay finite */
	double c = 1;
	size_t k;

	if (!m || !n)
		return 1;
	for (k = 1; k <= m; k++)
		c = c * (n + k) / k;
	return fmin(1, 2 / c);
}

struct mw_value {
	double v;
	int side;	/* 0: a, 1: b */
};

static int mw_cmp(const void *x, const void *y)
{
	const struct mw_value *p = x, *q = y;

	return (p->v > q->v) - (p->v < q->v);
}

int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		       struct stats_test_result *res)
{
	size_t N = na + nb, i, j, k;
	double ranksum_a = 0, ties = 0, mn = (double)na * nb, u, z, sigma, corr;
	struct mw_value *all;
	bool tied = false;

	memset(res, 0, sizeof(*res));
	res->statistic = res->p = NAN;
	res->df = NAN;
	if (!na || !nb)
		return -EINVAL;
	for (i = 0; i < na; i++)
		if (isnan(a[i]))
			return -EINVAL;
	for (i = 0; i < nb; i++)
		if (isnan(b[i]))
			return -EINVAL;
	all = malloc(N * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (i = 0; i < na; i++)
		all[i] = (struct mw_value){ a[i], 0 };
	for (i = 0; i < nb; i++)
		all[na + i] = (struct mw_value){ b[i], 1 };
	qsort(all, N, sizeof(*all), mw_cmp);
	/* midranks (1-based) for runs of equal values */
	for (i = 0; i < N; i = j) {
		double t, rank;

		for (j = i + 1; j < N && all[j].v == all[i].v; j++)
			;
		t = j - i;
		rank = (i + 1 + j) / 2.0;
		for (k = i; k < j; k++)
			if (!all[k].side)
				ranksum_a += rank;
		if (t > 1) {
			tied = true;
			ties += t * t * t - t;
		}
	}
	free(all);
	u = ranksum_a - (double)na * (na + 1) / 2;
	res->statistic = u;

	if (!tied && na < MW_EXACT_MAX && nb < MW_EXACT_MAX) {
		double *cnt = mw_counts(na, nb), lo, hi;

		if (!cnt)
			return -ENOMEM;
		lo = mw_cdf_counts(cnt, na * nb, u);
		/* P(U >= u) = P(U <= mn - u) by symmetry */
		hi = mw_cdf_counts(cnt, na * nb, mn - u);
		free(cnt);
		res->exact = true;
		res->p = fmin(1, 2 * fmin(lo, hi));
		return 0;
	}
	z = u - mn / 2;
	sigma = sqrt(mn / 12 * ((N + 1) - ties / ((double)N * (N - 1))));
	if (!(sigma > 0)) {
		res->p = 1;	/* every value equal: nothing tells the samples apart */
		return 0;
	}
	corr = z > 0 ? 0.5 : z < 0 ? -0.5 : 0;
	z = (z - corr) / sigma;
	res->p = fmin(1, 2 * stats_normal_cdf(-fabs(z)));
	return 0;
}

double stats_pooled_sd(const double *a, size_t na, const double *b, size_t nb)
{
	double ma, va, mb, vb;

	if (na + nb < 3 || !na || !nb)
		return NAN;
	stats_mean_var(a, na, &ma, &va);
	stats_mean_var(b, nb, &mb, &vb);
	return sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2));
}

struct p_adjust_item {
	double p;
	size_t i;
};

/* By p value, ascending; ties keep their order (as R's order()). */
static int p_adjust_cmp(const void *x, const void *y)
{
	const struct p_adjust_item *a = x, *b = y;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

int stats_p_adjust(enum stats_p_adjust method, const double *p, size_t n, double *out)
{
	struct p_adjust_item *it;
	double run;

	for (size_t i = 0; i < n; i++)
		if (!(p[i] >= 0 && p[i] <= 1))
			return -EINVAL;
	if (method == STATS_ADJUST_NONE || n < 2) {
		memmove(out, p, n * sizeof(*out));
		return 0;
	}
	it = malloc(n * sizeof(*it));
	if (!it)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		it[i] = (struct p_adjust_item){ .p = p[i], .i = i };
	qsort(it, n, sizeof(*it), p_adjust_cmp);
	if (method == STATS_ADJUST_HOLM) {
		run = 0;
		for (size_t k = 0; k < n; k++) {
			run = fmax(run, fmin(1, (double)(n - k) * it[k].p));
			out[it[k].i] = run;
		}
	} else {
		run = 1;
		for (size_t k = n; k-- > 0;) {
			run = fmin(run, (double)n / (k + 1) * it[k].p);
			out[it[k].i] = run;
		}
	}
	free(it);
	return 0;
}
