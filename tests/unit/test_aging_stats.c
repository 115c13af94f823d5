// SPDX-License-Identifier: GPL-2.0
/*
 * The aging metric's set arithmetic on crafted bitmaps: which pages count as
 * truly young, truly old, excluded, false-old and false-young, including the
 * tail of a bitmap whose size is not a multiple of the word.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <math.h>
#include <string.h>

#include "kselftest_harness.h"

#include "workloads/aging_stats.h"
#include "src/lib/bitmap.h"

#define NPAGES 130	/* two words and a partial third */

struct maps {
	unsigned long *young, *recent, *old;
};

static void maps_alloc(struct maps *m)
{
	m->young = bitmap_alloc(NPAGES);
	m->recent = bitmap_alloc(NPAGES);
	m->old = bitmap_alloc(NPAGES);
}

static void maps_free(struct maps *m)
{
	bitmap_free(m->young);
	bitmap_free(m->recent);
	bitmap_free(m->old);
}

/* Brute force, one page at a time, straight from the definitions. */
static void count_slow(struct aging_counts *c, const struct maps *m)
{
	for (uint64_t p = 0; p < NPAGES; p++) {
		bool y = bitmap_test(m->young, p) && bitmap_test(m->recent, p);
		bool r = bitmap_test(m->recent, p), o = bitmap_test(m->old, p);

		c->young += y;
		c->old += !r;
		c->excluded += r && !y;
		c->false_old += y && o;
		c->false_young += !r && !o;
	}
}

TEST(crafted)
{
	struct aging_counts c = { 0 };
	struct maps m;

	maps_alloc(&m);
	/* pages 0-9 young; 10-19 touched only during a pass; the rest old */
	for (int p = 0; p < 20; p++)
		bitmap_set(m.recent, p);
	for (int p = 0; p < 10; p++)
		bitmap_set(m.young, p);
	/* verdict old: 3 young pages (false-old), the excluded ones, and old pages 20-119 */
	for (int p = 0; p < 3; p++)
		bitmap_set(m.old, p);
	for (int p = 10; p < 120; p++)
		bitmap_set(m.old, p);
	aging_count(&c, m.young, m.recent, m.old, NPAGES);
	EXPECT_EQ(10, c.young);
	EXPECT_EQ(NPAGES - 20, c.old);
	EXPECT_EQ(10, c.excluded);
	EXPECT_EQ(3, c.false_old);
	EXPECT_EQ(NPAGES - 120, c.false_young);	/* old pages 120-129 kept young */
	EXPECT_EQ(30.0, aging_pct(c.false_old, c.young));
	maps_free(&m);
}

TEST(tail_bits_ignored)
{
	struct aging_counts c = { 0 };
	struct maps m;

	maps_alloc(&m);
	/* garbage past NPAGES in the last word must not count */
	m.old[2] = ~0ul;
	m.young[2] = ~0ul;
	m.recent[2] = ~0ul << (NPAGES % 64);
	aging_count(&c, m.young, m.recent, m.old, NPAGES);
	EXPECT_EQ(0, c.young);
	EXPECT_EQ(NPAGES, c.old);
	EXPECT_EQ(0, c.excluded);
	/* pages 128 and 129 judged old; 0-127 kept young */
	EXPECT_EQ(NPAGES - 2, c.false_young);
	maps_free(&m);
}

TEST(young_outside_recent_is_not_young)
{
	struct aging_counts c = { 0 };
	struct maps m;

	maps_alloc(&m);
	bitmap_set(m.young, 5);		/* inconsistent input: young but not recent */
	aging_count(&c, m.young, m.recent, m.old, NPAGES);
	EXPECT_EQ(0, c.young);
	EXPECT_EQ(NPAGES, c.old);
	maps_free(&m);
}

TEST(random_against_brute_force)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (int round = 0; round < 200; round++) {
		struct aging_counts fast = { 0 }, slow = { 0 };
		struct maps m;

		maps_alloc(&m);
		for (uint64_t p = 0; p < NPAGES; p++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			if (x & 1)
				bitmap_set(m.recent, p);
			if ((x & 3) == 3)
				bitmap_set(m.young, p);
			if (x & 8)
				bitmap_set(m.old, p);
		}
		aging_count(&fast, m.young, m.recent, m.old, NPAGES);
		count_slow(&slow, &m);
		ASSERT_EQ(slow.young, fast.young);
		ASSERT_EQ(slow.old, fast.old);
		ASSERT_EQ(slow.excluded, fast.excluded);
		ASSERT_EQ(slow.false_old, fast.false_old);
		ASSERT_EQ(slow.false_young, fast.false_young);
		/* every page is young, old or excluded, exactly once */
		ASSERT_EQ(NPAGES, fast.young + fast.old + fast.excluded);
		maps_free(&m);
	}
}

TEST(sum_and_pct)
{
	struct aging_counts a = { 1, 2, 3, 4, 5 }, b = { 10, 20, 30, 40, 50 };

	aging_counts_add(&a, &b);
	EXPECT_EQ(11, a.young);
	EXPECT_EQ(55, a.false_young);
	EXPECT_TRUE(isnan(aging_pct(1, 0)));
	EXPECT_EQ(12.5, aging_pct(1, 8));
}

/* Injection flips pct of the young verdicts, no old one, the same way every time. */
TEST(injection)
{
	const uint64_t n = 200000;
	unsigned long *old = bitmap_alloc(n), *again = bitmap_alloc(n);
	uint64_t was_old = 0, flipped;

	for (uint64_t p = 0; p < n; p += 4)	/* a quarter already old */
		bitmap_set(old, p), was_old++;
	memcpy(again, old, BITMAP_WORDS(n) * sizeof(unsigned long));
	aging_inject(old, n, 1, 7, 10.0);
	flipped = bitmap_weight(old, n) - was_old;
	/* 10% of the 150000 young verdicts, within 4 standard deviations (0.08%) */
	EXPECT_LT(fabs(100.0 * flipped / (n - was_old) - 10.0), 0.31);
	for (uint64_t p = 0; p < n; p += 4)
		ASSERT_TRUE(bitmap_test(old, p));
	aging_inject(again, n, 1, 7, 10.0);
	EXPECT_TRUE(bitmap_equal(old, again, n));
	aging_inject(again, n, 1, 7, 0);	/* no-op */
	EXPECT_TRUE(bitmap_equal(old, again, n));
	aging_inject(again, n, 1, 8, 100.0);	/* everything */
	EXPECT_EQ(n, bitmap_weight(again, n));
	bitmap_free(old);
	bitmap_free(again);
}

TEST_HARNESS_MAIN
