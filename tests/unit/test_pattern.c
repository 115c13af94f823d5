// SPDX-License-Identifier: GPL-2.0
/*
 * Access patterns (guests/abi/pattern.h) and the zipf table (src/stats/zipf.c). Every
 * stream is a fixed function of its seed, so the statistical bounds below are
 * deterministic: loose enough to hold for any decent hash, tight enough to
 * catch a wrong formula.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <errno.h>
#include <math.h>

#include "kselftest_harness.h"
#include "guests/abi/pattern.h"
#include "src/stats/zipf.h"

#define N_ACCESSES	100000

static void count_pages(const struct pattern *p, uint64_t first, uint64_t n,
			uint32_t *count)
{
	memset(count, 0, p->npages * sizeof(*count));
	for (uint64_t i = first; i < first + n; i++)
		count[pattern_page(p, i)]++;
}

/* Pearson's statistic against a flat distribution. */
static double chi_square(const uint32_t *count, uint64_t npages, uint64_t n)
{
	double e = (double)n / npages, x = 0;

	for (uint64_t k = 0; k < npages; k++)
		x += (count[k] - e) * (count[k] - e) / e;
	return x;
}

TEST(deterministic)
{
	const uint64_t n = 1 << 20;
	uint32_t *cdf = malloc(n * sizeof(*cdf));
	struct pattern p = { .npages = n, .seed = 99, .vcpu = 3, .hot_first = 10,
			     .hot_pages = 1000, .hot_pct = 80 };
	uint64_t seq[4096], i;

	ASSERT_NE(NULL, cdf);
	ASSERT_EQ(0, zipf_build_cdf(cdf, n, 0.99));
	p.zipf_cdf = (uintptr_t)cdf;
	for (p.kind = 0; p.kind < PATTERN_NR; p.kind++) {
		struct pattern q = p;
		uint64_t same_vcpu = 0, same_seed = 0;

		for (i = 0; i < 4096; i++)
			seq[i] = pattern_page(&p, i);
		/* a pure function of i: any order, any copy of the pattern */
		for (i = 4096; i-- > 0;) {
			ASSERT_EQ(seq[i], pattern_page(&q, i));
		}

		for (i = 0; i < 4096; i++) {
			q = p;
			q.vcpu = 4;
			same_vcpu += pattern_page(&q, i) == seq[i];
			q = p;
			q.seed = 100;
			same_seed += pattern_page(&q, i) == seq[i];
		}
		if (p.kind == PATTERN_SEQUENTIAL) {
			/* the same walk for everyone, by definition */
			EXPECT_EQ(4096, same_vcpu);
			EXPECT_EQ(4096, same_seed);
		} else {
			EXPECT_LT(same_vcpu, 4096 / 2) TH_LOG("kind %u", p.kind);
			EXPECT_LT(same_seed, 4096 / 2) TH_LOG("kind %u", p.kind);
		}
	}
	free(cdf);
}

TEST(in_range)
{
	const uint64_t sizes[] = { 1, 2, 3, 63, 64, 65, 1000, 4133, 1ull << 33 };
	uint32_t cdf[4133];

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		uint64_t n = sizes[s];
		struct pattern p = { .npages = n, .seed = s, .vcpu = s,
				     .hot_first = n * 3 + 1, .hot_pages = (n + 1) / 2,
				     .hot_pct = 70, .zipf_cdf = (uintptr_t)cdf };

		for (p.kind = 0; p.kind < PATTERN_NR; p.kind++) {
			if (p.kind == PATTERN_ZIPF) {
				if (n > ARRAY_SIZE(cdf))
					continue;
				ASSERT_EQ(0, zipf_build_cdf(cdf, n, 1.1));
			}
			for (uint64_t i = 0; i < 20000; i++) {
				ASSERT_LT(pattern_page(&p, i + (i << 40)), n)
					TH_LOG("kind %u n %ju i %ju", p.kind,
					       (uintmax_t)n, (uintmax_t)i);
			}
		}
	}
}

TEST(sequential_covers)
{
	const uint64_t n = 1000, starts[] = { 0, 1, 999, 123456789, 1ull << 50 };
	struct pattern p = { .kind = PATTERN_SEQUENTIAL, .npages = n };
	uint32_t count[1000];

	for (size_t s = 0; s < ARRAY_SIZE(starts); s++) {
		count_pages(&p, starts[s], n, count);
		for (uint64_t k = 0; k < n; k++) {
			ASSERT_EQ(1, count[k]) TH_LOG("start %ju page %ju",
						       (uintmax_t)starts[s], (uintmax_t)k);
		}
		EXPECT_EQ(starts[s] % n, pattern_page(&p, starts[s]));
	}
}

TEST(uniform_flat)
{
	const uint64_t sizes[] = { 256, 1000 };
	uint32_t count[1000];

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		uint64_t n = sizes[s], total = 500 * n;
		struct pattern p = { .kind = PATTERN_UNIFORM, .npages = n, .seed = 5 };
		double x;

		count_pages(&p, 0, total, count);
		/* n - 1 degrees of freedom: mean n - 1, sd sqrt(2 (n - 1)) */
		x = chi_square(count, n, total);
		EXPECT_LT(x, (n - 1) + 8 * sqrt(2.0 * (n - 1))) TH_LOG("chi2 %.1f", x);
		EXPECT_GT(x, (n - 1) - 8 * sqrt(2.0 * (n - 1))) TH_LOG("chi2 %.1f", x);
	}
}

static bool in_hot_set(const struct pattern *p, uint64_t page)
{
	return (page + p->npages - p->hot_first % p->npages) % p->npages < p->hot_pages;
}

TEST(hotcold_share)
{
	const uint32_t pcts[] = { 0, 10, 80, 100 };
	uint32_t count[1000];

	for (size_t s = 0; s < ARRAY_SIZE(pcts); s++) {
		/* pages 950..999 and 0..49: the hot set wraps */
		struct pattern p = { .kind = PATTERN_HOTCOLD, .npages = 1000,
				     .seed = 11, .hot_first = 950, .hot_pages = 100,
				     .hot_pct = pcts[s] };
		uint64_t hot = 0, hot_seen = 0, cold_seen = 0;

		count_pages(&p, 0, N_ACCESSES, count);
		for (uint64_t k = 0; k < p.npages; k++) {
			if (in_hot_set(&p, k)) {
				hot += count[k];
				hot_seen += count[k] > 0;
			} else {
				cold_seen += count[k] > 0;
			}
		}
		EXPECT_LE(fabs(100.0 * hot / N_ACCESSES - p.hot_pct), 1.5)
			TH_LOG("hot_pct %u: %ju hot accesses", p.hot_pct, (uintmax_t)hot);
		/* every page of a set that gets accesses is reached */
		EXPECT_EQ(p.hot_pct ? 100 : 0, hot_seen);
		EXPECT_EQ(p.hot_pct < 100 ? 900 : 0, cold_seen);
	}
}

TEST(hotcold_all_hot)
{
	struct pattern p = { .kind = PATTERN_HOTCOLD, .npages = 64, .seed = 12,
			     .hot_first = 70, .hot_pages = 64, .hot_pct = 50 };
	uint32_t count[64];

	count_pages(&p, 0, 64 * 200, count);
	for (uint64_t k = 0; k < 64; k++) {
		EXPECT_GT(count[k], 100);
	}
}

TEST(write_share)
{
	const uint32_t pcts[] = { 0, 1, 30, 50, 99, 100 };

	for (size_t s = 0; s < ARRAY_SIZE(pcts); s++) {
		struct pattern p = { .kind = PATTERN_UNIFORM, .npages = 100,
				     .seed = 13, .vcpu = 2, .write_pct = pcts[s] };
		uint64_t writes = 0;

		for (uint64_t i = 0; i < N_ACCESSES; i++)
			writes += pattern_is_write(&p, i);
		if (p.write_pct == 0 || p.write_pct == 100) {
			EXPECT_EQ(p.write_pct * (N_ACCESSES / 100), writes);
		} else {
			EXPECT_LE(fabs(100.0 * writes / N_ACCESSES - p.write_pct), 1)
				TH_LOG("write_pct %u: %ju writes", p.write_pct,
				       (uintmax_t)writes);
		}
	}
}

/* H(m) from its asymptotic series: for m > 1000, good to 1e-16 */
static long double harmonic(long double m)
{
	return logl(m) + 0.57721566490153286061L + 1 / (2 * m) - 1 / (12 * m * m);
}

TEST(zipf_table)
{
	const uint64_t n = 1 << 20;
	uint32_t *cdf = malloc(n * sizeof(*cdf));
	long double h_n, h_half;
	struct pattern p = { .kind = PATTERN_ZIPF, .zipf_cdf = (uintptr_t)cdf };

	ASSERT_NE(NULL, cdf);
	EXPECT_EQ(-EINVAL, zipf_build_cdf(cdf, 0, 1));
	EXPECT_EQ(-EINVAL, zipf_build_cdf(cdf, 10, -0.5));
	EXPECT_EQ(-EINVAL, zipf_build_cdf(cdf, 10, NAN));

	ASSERT_EQ(0, zipf_build_cdf(cdf, 1, 0.99));
	EXPECT_EQ(UINT32_MAX, cdf[0]);

	ASSERT_EQ(0, zipf_build_cdf(cdf, n, 1.0));
	EXPECT_EQ(UINT32_MAX, cdf[n - 1]);
	for (uint64_t r = 1; r < n; r++) {
		ASSERT_LE(cdf[r - 1], cdf[r]) TH_LOG("rank %ju", (uintmax_t)r);
	}
	h_n = harmonic(n);
	h_half = harmonic(n / 2);
	EXPECT_LE(fabsl(cdf[0] - floorl(0x1p32L / h_n)), 1);
	EXPECT_LE(fabsl(cdf[n / 2 - 1] - floorl(0x1p32L * h_half / h_n)), 1);

	/* the top of [0, 2^32) maps to the last rank, never past it */
	p.npages = n;
	EXPECT_EQ(0, pattern_zipf_rank(&p, 0));
	/* rank r owns u in [cdf[r - 1], cdf[r]) */
	EXPECT_EQ(0, pattern_zipf_rank(&p, cdf[0] - 1));
	EXPECT_EQ(1, pattern_zipf_rank(&p, cdf[0]));
	EXPECT_EQ(2, pattern_zipf_rank(&p, cdf[1]));
	EXPECT_EQ(n - 1, pattern_zipf_rank(&p, UINT32_MAX));
	EXPECT_EQ(n - 1, pattern_zipf_rank(&p, UINT32_MAX - 1));

	/* a table saturated at rank 0 still stays in range */
	ASSERT_EQ(0, zipf_build_cdf(cdf, 10, 60));
	EXPECT_EQ(UINT32_MAX, cdf[0]);
	p.npages = 10;
	EXPECT_EQ(0, pattern_zipf_rank(&p, UINT32_MAX - 1));
	EXPECT_GT(10, pattern_zipf_rank(&p, UINT32_MAX));
	free(cdf);
}

TEST(zipf_theta0_uniform)
{
	const uint64_t n = 1000;
	uint32_t cdf[1000], count[1000];
	struct pattern p = { .kind = PATTERN_ZIPF, .npages = n, .seed = 14,
			     .zipf_cdf = (uintptr_t)cdf };
	double x;

	ASSERT_EQ(0, zipf_build_cdf(cdf, n, 0));
	for (uint64_t r = 0; r + 1 < n; r++) {
		ASSERT_EQ((uint32_t)((r + 1) * (1ull << 32) / n), cdf[r]);
	}
	count_pages(&p, 0, 500 * n, count);
	x = chi_square(count, n, 500 * n);
	EXPECT_LT(x, (n - 1) + 8 * sqrt(2.0 * (n - 1))) TH_LOG("chi2 %.1f", x);
}

TEST(zipf_frequencies)
{
	const double thetas[] = { 0.6, 0.99, 1.5 };
	const uint64_t n = 1000, total = 400000;
	uint32_t cdf[1000], count[1000];

	for (size_t t = 0; t < ARRAY_SIZE(thetas); t++) {
		struct pattern p = { .kind = PATTERN_ZIPF, .npages = n, .seed = 15,
				     .vcpu = t, .zipf_cdf = (uintptr_t)cdf };
		double theta = thetas[t], h = 0;

		ASSERT_EQ(0, zipf_build_cdf(cdf, n, theta));
		for (uint64_t r = 0; r < n; r++)
			h += pow(r + 1, -theta);
		count_pages(&p, 0, total, count);
		for (uint64_t r = 1; r < n; r++) {
			ASSERT_GT(count[0], count[r]) TH_LOG("theta %g rank %ju",
							     theta, (uintmax_t)r);
		}
		/* the first ranks, each seen thousands of times: within 10% */
		for (uint64_t r = 0; r < 8; r++) {
			double want = total * pow(r + 1, -theta) / h;

			EXPECT_LE(fabs(count[r] - want), want / 10)
				TH_LOG("theta %g rank %ju: %u, want %.0f", theta,
				       (uintmax_t)r, count[r], want);
		}
	}
}

TEST_HARNESS_MAIN
