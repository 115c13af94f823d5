// SPDX-License-Identifier: GPL-2.0
/*
 * Log-linear histogram (guests/abi/hist.h) and host statistics (src/stats/hist_stats.c).
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <math.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "guests/abi/hist.h"
#include "src/stats/hist_stats.h"

#define N_VALUES	20000
#define HIST_LIMIT	(1ull << HIST_MAX_BITS)

/* splitmix64: a fixed seed makes every data set reproducible */
static uint64_t rnd(uint64_t *s)
{
	uint64_t x = (*s += 0x9e3779b97f4a7c15ull);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static double rnd_unit(uint64_t *s)
{
	return (rnd(s) >> 11) * 0x1p-53;
}

/* A value spread over every exponent of [1, 2^bits). */
static uint64_t rnd_log(uint64_t *s, unsigned int bits)
{
	uint64_t v = rnd(s) >> (64 - bits);

	return (v >> (rnd(s) % bits)) | 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* |got - want| <= want / 128, the bound promised by hist.h */
static bool within_bound(uint64_t got, uint64_t want)
{
	uint64_t d = got > want ? got - want : want - got;

	return d * 128 <= want;
}

/* in units of 1e-5, so that the reference rank is computed exactly */
static const uint64_t quantiles[] = {
	0, 100, 1000, 10000, 25000, 50000, 75000, 90000, 99000, 99900, 100000,
};

static void check_index(struct __test_metadata *_metadata, uint64_t v)
{
	uint32_t i = hist_index(v);

	if (v >= HIST_LIMIT) {
		ASSERT_EQ(HIST_NBUCKETS, i) TH_LOG("v=%ju", (uintmax_t)v);
		return;
	}
	ASSERT_LT(i, HIST_NBUCKETS) TH_LOG("v=%ju", (uintmax_t)v);
	ASSERT_LE(hist_bucket_low(i), v) TH_LOG("v=%ju i=%u", (uintmax_t)v, i);
	ASSERT_LT(v, hist_bucket_low(i) + hist_bucket_width(i))
		TH_LOG("v=%ju i=%u", (uintmax_t)v, i);
	if (v < HIST_SUB_COUNT) {
		ASSERT_EQ(v, i);
		ASSERT_EQ(1, hist_bucket_width(i));
	}
}

TEST(index_consistency)
{
	uint64_t s = 1, v;
	unsigned int e;

	for (v = 0; v < 1 << 16; v++)
		check_index(_metadata, v);
	for (e = 1; e < 64; e++) {
		check_index(_metadata, (1ull << e) - 1);
		check_index(_metadata, 1ull << e);
		check_index(_metadata, (1ull << e) + 1);
	}
	check_index(_metadata, UINT64_MAX);
	for (int k = 0; k < 200000; k++)
		check_index(_metadata, rnd_log(&s, 41));
}

TEST(buckets_contiguous)
{
	uint32_t i;

	ASSERT_EQ(0, hist_bucket_low(0));
	for (i = 0; i < HIST_NBUCKETS; i++) {
		uint64_t low = hist_bucket_low(i), w = hist_bucket_width(i);

		ASSERT_EQ(i, hist_index(low));
		ASSERT_EQ(i, hist_index(low + w - 1));
		/* bucket no wider than 1/64 of its lower bound */
		if (i >= HIST_SUB_COUNT) {
			ASSERT_LE(w * HIST_SUB_COUNT, low);
		}
		if (i + 1 < HIST_NBUCKETS) {
			ASSERT_EQ(low + w, hist_bucket_low(i + 1));
		} else {
			ASSERT_EQ(HIST_LIMIT, low + w);
		}
	}
}

TEST(single_value)
{
	uint64_t s = 2, v;
	struct hist h;

	for (int k = 0; k < 20000; k++) {
		v = rnd_log(&s, 39) + 1;
		hist_init(&h);
		hist_record(&h, v);
		/* clamped to [min, max], so exact */
		for (size_t j = 0; j < ARRAY_SIZE(quantiles); j++) {
			ASSERT_EQ(v, hist_percentile(&h, quantiles[j] / 1e5));
		}
		ASSERT_EQ(v, h.sum);
	}
}

TEST(midpoint_bound)
{
	uint64_t s = 3, v, p;
	struct hist h;

	/* v between a tiny and a huge value: the median is v's bucket midpoint */
	for (int k = 0; k < 20000; k++) {
		v = rnd_log(&s, 39) + 2;
		hist_init(&h);
		hist_record(&h, 1);
		hist_record(&h, v);
		hist_record(&h, HIST_LIMIT - 1);
		p = hist_percentile(&h, 0.5);
		ASSERT_TRUE(within_bound(p, v))
			TH_LOG("v=%ju p50=%ju", (uintmax_t)v, (uintmax_t)p);
	}
}

TEST(nearest_rank)
{
	uint64_t v[100], got;
	struct hist h;

	/* 5% apart, so a rank off by one cannot pass the 1/128 bound */
	v[0] = 1000;
	for (int k = 1; k < 100; k++)
		v[k] = v[k - 1] * 21 / 20;
	hist_init(&h);
	for (int k = 99; k >= 0; k--)
		hist_record(&h, v[k]);
	for (int r = 1; r <= 100; r++) {
		/* q * 100 is r give or take rounding (0.07 * 100 > 7) */
		double q = r / 100.0, q_mid = (r - 0.5) / 100;

		got = hist_percentile(&h, q);
		ASSERT_TRUE(within_bound(got, v[r - 1]))
			TH_LOG("q=%g: got %ju, want %ju", q, (uintmax_t)got,
			       (uintmax_t)v[r - 1]);
		got = hist_percentile(&h, q_mid);
		ASSERT_TRUE(within_bound(got, v[r - 1]))
			TH_LOG("q=%g: got %ju, want %ju", q_mid, (uintmax_t)got,
			       (uintmax_t)v[r - 1]);
	}
	EXPECT_EQ(v[0], hist_percentile(&h, 0));
	EXPECT_TRUE(within_bound(hist_percentile(&h, 1e-9), v[0]));
	EXPECT_EQ(v[99], hist_percentile(&h, 1));
}

enum dataset { DS_LOGNORMAL, DS_UNIFORM, DS_BIMODAL, DS_NR };

static uint64_t sample(enum dataset ds, uint64_t *s)
{
	double g, x;

	switch (ds) {
	case DS_LOGNORMAL:
		/* Box-Muller: a fault latency-like long tail around 5000 */
		g = sqrt(-2 * log(1 - rnd_unit(s))) * cos(2 * M_PI * rnd_unit(s));
		x = exp(log(5000) + 1.5 * g);
		return x < 1 ? 1 : (uint64_t)x;
	case DS_UNIFORM:
		return 1 + rnd(s) % 1000000;
	default:
		/* a fast path and a slow one, three orders of magnitude apart */
		x = rnd(s) % 10 < 7 ? 200 : 2000000;
		return (uint64_t)(x * (0.9 + 0.2 * rnd_unit(s)));
	}
}

TEST(percentiles_vs_sorted)
{
	uint64_t *v = malloc(N_VALUES * sizeof(*v)), s = 4, sum, want, got;
	struct hist h;

	ASSERT_NE(NULL, v);
	for (int ds = 0; ds < DS_NR; ds++) {
		hist_init(&h);
		sum = 0;
		for (int k = 0; k < N_VALUES; k++) {
			v[k] = sample(ds, &s);
			sum += v[k];
			hist_record(&h, v[k]);
		}
		qsort(v, N_VALUES, sizeof(*v), cmp_u64);
		ASSERT_EQ(N_VALUES, h.count);
		ASSERT_EQ(sum, h.sum);
		ASSERT_EQ(v[0], h.min);
		ASSERT_EQ(v[N_VALUES - 1], h.max);
		ASSERT_EQ(0, h.overflow);
		ASSERT_TRUE(fabs(hist_mean(&h) - (double)sum / N_VALUES) < 1e-6);
		for (size_t j = 0; j < ARRAY_SIZE(quantiles); j++) {
			double q = quantiles[j] / 1e5;
			uint64_t rank = (quantiles[j] * N_VALUES + 99999) / 100000;

			want = v[rank ? rank - 1 : 0];
			got = hist_percentile(&h, q);
			ASSERT_TRUE(within_bound(got, want))
				TH_LOG("set %d q=%g: got %ju, exact %ju", ds, q,
				       (uintmax_t)got, (uintmax_t)want);
		}
		EXPECT_EQ(v[0], hist_percentile(&h, 0));
		EXPECT_EQ(v[N_VALUES - 1], hist_percentile(&h, 1));
	}
	free(v);
}

TEST(overflow)
{
	struct hist h;
	uint64_t in_buckets = 0;

	hist_init(&h);
	for (int k = 0; k < 90; k++)
		hist_record(&h, 1000 + k);
	hist_record(&h, HIST_LIMIT - 1);	/* last bucket, not overflow */
	for (int k = 0; k < 9; k++)
		hist_record(&h, HIST_LIMIT + k * (1ull << 44));
	for (uint32_t i = 0; i < HIST_NBUCKETS; i++)
		in_buckets += h.bucket[i];
	ASSERT_EQ(100, h.count);
	ASSERT_EQ(9, h.overflow);
	ASSERT_EQ(91, in_buckets);
	ASSERT_EQ(HIST_LIMIT + 8 * (1ull << 44), h.max);
	EXPECT_EQ(h.max, hist_percentile(&h, 1));
	/* ranks 92..100 are in the overflow counter */
	EXPECT_EQ(h.max, hist_percentile(&h, 0.95));
	EXPECT_EQ(h.max, hist_percentile(&h, 0.92));
	EXPECT_TRUE(within_bound(hist_percentile(&h, 0.91), HIST_LIMIT - 1));
	EXPECT_TRUE(within_bound(hist_percentile(&h, 0.5), 1044));
}

TEST(merge)
{
	struct hist a, b, all, empty;
	uint64_t s = 5, v;

	hist_init(&a);
	hist_init(&b);
	hist_init(&all);
	hist_init(&empty);
	for (int k = 0; k < 10000; k++) {
		v = rnd_log(&s, 42);	/* some overflow too */
		hist_record(k % 3 ? &a : &b, v);
		hist_record(&all, v);
	}
	ASSERT_NE(0, all.overflow);
	hist_merge(&a, &b);
	ASSERT_EQ(0, memcmp(&a, &all, sizeof(a)));
	/* merging nothing changes nothing; merging into nothing copies */
	hist_merge(&a, &empty);
	ASSERT_EQ(0, memcmp(&a, &all, sizeof(a)));
	hist_merge(&empty, &all);
	ASSERT_EQ(0, memcmp(&empty, &all, sizeof(all)));
	ASSERT_EQ(hist_percentile(&all, 0.99), hist_percentile(&empty, 0.99));
}

TEST(empty)
{
	struct hist h;

	hist_init(&h);
	ASSERT_EQ(0, h.count);
	EXPECT_EQ(0, hist_percentile(&h, 0));
	EXPECT_EQ(0, hist_percentile(&h, 0.5));
	EXPECT_EQ(0, hist_percentile(&h, 1));
	EXPECT_TRUE(hist_mean(&h) == 0);
}

TEST(stats)
{
	const double odd[] = { 5, 1, 4, 2, 3 };
	const double even[] = { 9, 2, 4, 4, 4, 5, 5, 7 };
	double copy[8];

	memcpy(copy, even, sizeof(even));
	EXPECT_TRUE(stats_median(odd, 5) == 3);
	EXPECT_TRUE(stats_median(even, 8) == 4.5);
	/* the input is left as it was */
	EXPECT_EQ(0, memcmp(copy, even, sizeof(even)));
	EXPECT_TRUE(stats_median(odd, 1) == 5);
	EXPECT_TRUE(isnan(stats_median(odd, 0)));
	EXPECT_TRUE(stats_mean(even, 8) == 5);
	EXPECT_TRUE(isnan(stats_mean(even, 0)));
	/* sum of squared deviations 32, over n - 1 */
	EXPECT_TRUE(fabs(stats_stddev(even, 8) - sqrt(32.0 / 7)) < 1e-12);
	EXPECT_TRUE(stats_stddev(odd, 2) == sqrt(8));
	EXPECT_TRUE(isnan(stats_stddev(odd, 1)));
}

TEST_HARNESS_MAIN
