/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log-linear latency histogram, shared by the freestanding guest (which records
 * TSC deltas into it in its control page) and the host (which reads it without
 * an exit and computes percentiles, see src/stats/hist_stats.c).
 *
 * Values below 2^HIST_SUB_BITS are counted exactly. Above, each power of two
 * [2^e, 2^(e+1)) is split into 2^HIST_SUB_BITS equal buckets of width
 * 2^(e - HIST_SUB_BITS), so a bucket is at most 1/64 of its lower bound wide and
 * its midpoint is within 1/128 (0.78%) of any value in it. Values of
 * 2^HIST_MAX_BITS and more go to the overflow counter; min and max are exact.
 *
 * Header-only and free of libc so that the guest can include it.
 */
#ifndef MMUBENCH_HIST_H
#define MMUBENCH_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS	6
#define HIST_SUB_COUNT	(1u << HIST_SUB_BITS)
#define HIST_MAX_BITS	40	/* 2^40 TSC cycles: minutes at any clock rate */
#define HIST_NBUCKETS	((HIST_MAX_BITS - HIST_SUB_BITS + 1) * HIST_SUB_COUNT)

struct hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	uint64_t overflow;
	uint64_t bucket[HIST_NBUCKETS];
};

static inline void hist_init(struct hist *h)
{
	h->count = 0;
	h->sum = 0;
	h->min = UINT64_MAX;
	h->max = 0;
	h->overflow = 0;
	for (uint32_t i = 0; i < HIST_NBUCKETS; i++)
		h->bucket[i] = 0;
}

/* Bucket index of @v, or HIST_NBUCKETS when @v overflows. */
static inline uint32_t hist_index(uint64_t v)
{
	uint32_t e;

	if (v < HIST_SUB_COUNT)
		return (uint32_t)v;
	e = 63 - (uint32_t)__builtin_clzll(v);
	if (e >= HIST_MAX_BITS)
		return HIST_NBUCKETS;
	return (e - HIST_SUB_BITS + 1) * HIST_SUB_COUNT +
	       (uint32_t)((v >> (e - HIST_SUB_BITS)) - HIST_SUB_COUNT);
}

/* Smallest value that falls into bucket @i. */
static inline uint64_t hist_bucket_low(uint32_t i)
{
	uint32_t block = i / HIST_SUB_COUNT, sub = i % HIST_SUB_COUNT;

	if (block == 0)
		return i;
	return (uint64_t)(HIST_SUB_COUNT + sub) << (block - 1);
}

/* Number of distinct values in bucket @i. */
static inline uint64_t hist_bucket_width(uint32_t i)
{
	uint32_t block = i / HIST_SUB_COUNT;

	return block == 0 ? 1 : (uint64_t)1 << (block - 1);
}

static inline void hist_record(struct hist *h, uint64_t v)
{
	uint32_t i = hist_index(v);

	if (i < HIST_NBUCKETS)
		h->bucket[i]++;
	else
		h->overflow++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

#endif
