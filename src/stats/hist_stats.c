// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics on guest histograms and on repeated samples.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/stats/hist_stats.h"

uint64_t hist_percentile(const struct hist *h, double q)
{
	uint64_t rank, seen = 0, mid;
	uint32_t i;

	if (!h->count)
		return 0;
	if (!(q > 0))
		return h->min;
	if (q >= 1)
		return h->max;

	/*
	 * Shave off rounding noise first: 0.07 * 100 is 7.000000000000001 in
	 * doubles, and its ceil would skip a rank.
	 */
	rank = (uint64_t)ceil(q * (double)h->count * (1 - 4 * DBL_EPSILON));
	if (!rank)
		rank = 1;
	for (i = 0; i < HIST_NBUCKETS; i++) {
		seen += h->bucket[i];
		if (seen < rank)
			continue;
		mid = hist_bucket_low(i) + (hist_bucket_width(i) - 1) / 2;
		if (mid < h->min)
			return h->min;
		return mid > h->max ? h->max : mid;
	}
	/*
	 * In the overflow counter, or past every bucket of a snapshot torn by
	 * the guest recording while the host reads: max is the best answer.
	 */
	return h->max;
}

double hist_mean(const struct hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	dst->count += src->count;
	dst->sum += src->sum;
	dst->overflow += src->overflow;
	for (uint32_t i = 0; i < HIST_NBUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

static int stats_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_median(const double *v, size_t n)
{
	size_t kept = 0;
	double *s, m;

	s = malloc((n ? n : 1) * sizeof(*s));
	if (!s)
		return NAN;
	/* NAN samples (nothing to measure in that epoch) are no order: left out */
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			s[kept++] = v[i];
	n = kept;
	if (!n) {
		free(s);
		return NAN;
	}
	qsort(s, n, sizeof(*s), stats_cmp);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

double stats_mean(const double *v, size_t n)
{
	double sum = 0;

	if (!n)
		return NAN;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	return sum / n;
}

double stats_stddev(const double *v, size_t n)
{
	double mean, ss = 0;

	if (n < 2)
		return NAN;
	mean = stats_mean(v, n);
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	return sqrt(ss / (n - 1));
}
