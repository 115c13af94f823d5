// SPDX-License-Identifier: GPL-2.0
/*
 * Ground truth (src/run/truth.c) against a plain replay of the pattern, and the
 * bitmap helpers it is built on.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include "kselftest_harness.h"
#include "src/lib/bitmap.h"
#include "guests/abi/pattern.h"
#include "src/run/truth.h"
#include "src/stats/zipf.h"

static const uint64_t sizes[] = { 1, 64, 1000, 4133 };
static const uint64_t seeds[] = { 1, 0xdeadbeef, UINT64_MAX };
static const uint32_t vcpus[] = { 0, 1, 63 };
static const uint32_t write_pcts[] = { 0, 30, 100 };

struct maps {
	unsigned long *touched, *written, *want_touched, *want_written;
};

static void brute(const struct pattern *p, uint64_t c0, uint64_t c1,
		  unsigned long *touched, unsigned long *written)
{
	for (uint64_t i = c0; i < c1; i++) {
		bitmap_set(touched, pattern_page(p, i));
		if (pattern_is_write(p, i))
			bitmap_set(written, pattern_page(p, i));
	}
}

static void pattern_for(struct pattern *p, uint32_t kind, uint64_t npages,
			const uint32_t *cdf)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->npages = npages;
	/* the hot set wraps past the end of the region */
	p->hot_first = npages - npages / 20 - 1;
	p->hot_pages = npages / 10 + 1;
	p->hot_pct = 90;
	p->zipf_cdf = (uintptr_t)cdf;
}

static bool check_window(struct __test_metadata *_metadata, struct maps *m,
			 const struct pattern *p, uint64_t c0, uint64_t c1)
{
	uint64_t n = p->npages, d;

	bitmap_clear_all(m->touched, n);
	bitmap_clear_all(m->written, n);
	bitmap_clear_all(m->want_touched, n);
	bitmap_clear_all(m->want_written, n);
	truth_touched(p, c0, c1, m->touched, m->written);
	brute(p, c0, c1, m->want_touched, m->want_written);

	d = bitmap_first_diff(m->touched, m->want_touched, n);
	EXPECT_EQ(n, d) {
		TH_LOG("touched: kind %u n %ju seed %jx vcpu %u wr %u [%ju, %ju) page %ju",
		       p->kind, (uintmax_t)n, (uintmax_t)p->seed, p->vcpu,
		       p->write_pct, (uintmax_t)c0, (uintmax_t)c1, (uintmax_t)d);
		return false;
	}
	d = bitmap_first_diff(m->written, m->want_written, n);
	EXPECT_EQ(n, d) {
		TH_LOG("written: kind %u n %ju seed %jx vcpu %u wr %u [%ju, %ju) page %ju",
		       p->kind, (uintmax_t)n, (uintmax_t)p->seed, p->vcpu,
		       p->write_pct, (uintmax_t)c0, (uintmax_t)c1, (uintmax_t)d);
		return false;
	}

	/* either map alone gives the same answer */
	bitmap_clear_all(m->touched, n);
	truth_touched(p, c0, c1, m->touched, NULL);
	EXPECT_TRUE(bitmap_equal(m->touched, m->want_touched, n))
		return false;
	bitmap_clear_all(m->written, n);
	truth_touched(p, c0, c1, NULL, m->written);
	EXPECT_TRUE(bitmap_equal(m->written, m->want_written, n))
		return false;
	return true;
}

static void maps_alloc(struct __test_metadata *_metadata, struct maps *m, uint64_t n)
{
	m->touched = bitmap_alloc(n);
	m->written = bitmap_alloc(n);
	m->want_touched = bitmap_alloc(n);
	m->want_written = bitmap_alloc(n);
	ASSERT_TRUE(m->touched && m->written && m->want_touched && m->want_written);
}

static void maps_free(struct maps *m)
{
	bitmap_free(m->touched);
	bitmap_free(m->written);
	bitmap_free(m->want_touched);
	bitmap_free(m->want_written);
}

TEST(against_replay)
{
	const size_t configs = PATTERN_NR * ARRAY_SIZE(seeds) * ARRAY_SIZE(vcpus) *
			       ARRAY_SIZE(write_pcts);

	for (size_t si = 0; si < ARRAY_SIZE(sizes); si++) {
		uint64_t n = sizes[si];
		const uint64_t windows[][2] = {
			{ 5, 5 },			/* empty */
			{ 9, 3 },			/* reversed: empty */
			{ 5, 5 + n / 3 + 1 },		/* partial */
			{ n - 1, n + 10 },		/* crossing npages */
			{ 7, 7 + 5 * n + 3 },		/* several laps */
			{ 1ull << 40, (1ull << 40) + 2 * n },	/* far along */
		};
		uint32_t *cdf = malloc(n * sizeof(*cdf));
		struct pattern p;
		struct maps m;

		ASSERT_NE(NULL, cdf);
		ASSERT_EQ(0, zipf_build_cdf(cdf, n, 0.99));
		maps_alloc(_metadata, &m, n);
		/* every combination of kind, seed, vCPU and write share */
		for (size_t c = 0; c < configs; c++) {
			size_t x = c;

			pattern_for(&p, x % PATTERN_NR, n, cdf);
			x /= PATTERN_NR;
			p.seed = seeds[x % ARRAY_SIZE(seeds)];
			x /= ARRAY_SIZE(seeds);
			p.vcpu = vcpus[x % ARRAY_SIZE(vcpus)];
			x /= ARRAY_SIZE(vcpus);
			p.write_pct = write_pcts[x];
			for (size_t k = 0; k < ARRAY_SIZE(windows); k++) {
				ASSERT_TRUE(check_window(_metadata, &m, &p, windows[k][0],
							 windows[k][1]));
			}
		}
		maps_free(&m);
		free(cdf);
	}
}

/* Corner shapes: all-hot hotcold, uniform zipf, windows of one access. */
TEST(corner_patterns)
{
	const uint64_t n = 300;
	uint32_t cdf[300];
	struct pattern p;
	struct maps m;

	ASSERT_EQ(0, zipf_build_cdf(cdf, n, 0));
	maps_alloc(_metadata, &m, n);
	for (uint32_t kind = 0; kind < PATTERN_NR; kind++) {
		pattern_for(&p, kind, n, cdf);
		p.hot_first = 0;
		p.hot_pages = n;
		p.seed = 42;
		p.write_pct = 50;
		for (uint64_t c = 0; c < 2 * n; c += 7) {
			ASSERT_TRUE(check_window(_metadata, &m, &p, c, c + 1));
		}
		ASSERT_TRUE(check_window(_metadata, &m, &p, 3, 3 + 20 * n));
	}
	maps_free(&m);
}

/* touched(c0, c1) | touched(c1, c2) == touched(c0, c2), same for written */
static bool composes(struct maps *m, const struct pattern *p, uint64_t c0,
		     uint64_t c1, uint64_t c2)
{
	uint64_t n = p->npages;

	bitmap_clear_all(m->touched, n);
	bitmap_clear_all(m->written, n);
	bitmap_clear_all(m->want_touched, n);
	bitmap_clear_all(m->want_written, n);
	/* the maps accumulate: two windows OR into the same maps */
	truth_touched(p, c0, c1, m->touched, m->written);
	truth_touched(p, c1, c2, m->touched, m->written);
	truth_touched(p, c0, c2, m->want_touched, m->want_written);
	return bitmap_equal(m->touched, m->want_touched, n) &&
	       bitmap_equal(m->written, m->want_written, n);
}

TEST(windows_compose)
{
	const uint64_t n = 1000, cuts[] = { 0, 1, 333, 999, 1000, 1001, 2500, 7000 };
	const size_t nr = ARRAY_SIZE(cuts);
	uint32_t *cdf = malloc(n * sizeof(*cdf));
	struct pattern p;
	struct maps m;

	ASSERT_NE(NULL, cdf);
	ASSERT_EQ(0, zipf_build_cdf(cdf, n, 1.2));
	maps_alloc(_metadata, &m, n);
	for (uint32_t kind = 0; kind < PATTERN_NR; kind++) {
		pattern_for(&p, kind, n, cdf);
		p.seed = 7 + kind;
		p.vcpu = kind;
		for (size_t a = 0; a < nr * nr * nr; a++) {
			uint64_t c0 = cuts[a % nr], c1 = cuts[a / nr % nr], c2 = cuts[a / nr / nr];

			if (c0 > c1 || c1 > c2)
				continue;
			p.write_pct = a % 2 ? 30 : 100;
			ASSERT_TRUE(composes(&m, &p, c0, c1, c2))
				TH_LOG("kind %u [%ju, %ju, %ju)", kind, (uintmax_t)c0,
				       (uintmax_t)c1, (uintmax_t)c2);
		}
	}
	maps_free(&m);
	free(cdf);
}

TEST(keeps_bits)
{
	const uint64_t n = 200;
	struct pattern p;
	struct maps m;

	maps_alloc(_metadata, &m, n);
	pattern_for(&p, PATTERN_SEQUENTIAL, n, NULL);
	p.write_pct = 100;
	bitmap_set(m.touched, 150);
	bitmap_set(m.written, 199);
	truth_touched(&p, 10, 20, m.touched, m.written);
	EXPECT_TRUE(bitmap_test(m.touched, 150));
	EXPECT_TRUE(bitmap_test(m.written, 199));
	EXPECT_EQ(11, bitmap_weight(m.touched, n));
	EXPECT_EQ(11, bitmap_weight(m.written, n));
	/* reads only: nothing written */
	p.write_pct = 0;
	bitmap_clear_all(m.written, n);
	truth_touched(&p, 0, 5 * n, m.touched, m.written);
	EXPECT_EQ(n, bitmap_weight(m.touched, n));
	EXPECT_EQ(0, bitmap_weight(m.written, n));
	maps_free(&m);
}

TEST(bitmap_helpers)
{
	const uint64_t n = 130;	/* three words, the last one partial */
	unsigned long *a = bitmap_alloc(n), *b = bitmap_alloc(n), *z = bitmap_alloc(0);

	ASSERT_TRUE(a && b && z);
	EXPECT_EQ(3 * 64 / BITMAP_BITS_PER_WORD, BITMAP_WORDS(n));
	EXPECT_EQ(0, BITMAP_WORDS(0));
	EXPECT_EQ(0, bitmap_weight(a, n));
	EXPECT_EQ(n, bitmap_first_diff(a, b, n));
	EXPECT_EQ(0, bitmap_first_diff(a, b, 0));

	bitmap_set(a, 0);
	bitmap_set(a, 64);
	bitmap_set(a, 129);
	EXPECT_TRUE(bitmap_test(a, 64));
	EXPECT_FALSE(bitmap_test(a, 65));
	EXPECT_EQ(3, bitmap_weight(a, n));
	EXPECT_EQ(2, bitmap_weight(a, 129));
	EXPECT_EQ(0, bitmap_first_diff(a, b, n));
	bitmap_set(b, 0);
	EXPECT_EQ(64, bitmap_first_diff(a, b, n));
	bitmap_set(b, 64);
	EXPECT_EQ(129, bitmap_first_diff(a, b, n));
	EXPECT_FALSE(bitmap_equal(a, b, n));
	EXPECT_TRUE(bitmap_equal(a, b, 129));

	/* bits past nbits never count */
	a[BITMAP_WORDS(n) - 1] |= ~0ul << 2;
	EXPECT_EQ(3, bitmap_weight(a, n));
	EXPECT_EQ(n - 1, bitmap_first_diff(a, b, n));
	bitmap_set(b, 129);
	EXPECT_TRUE(bitmap_equal(a, b, n));

	bitmap_clear_all(a, n);
	EXPECT_EQ(0, bitmap_weight(a, n));
	bitmap_free(a);
	bitmap_free(b);
	bitmap_free(z);
}

TEST_HARNESS_MAIN
