/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deterministic access patterns, shared by the guest (which runs them) and the
 * host (which replays them to know exactly which pages were touched).
 *
 * Access number i of vCPU v is a pure function of (pattern, seed, v, i): no
 * state is carried from one access to the next, so the host can recompute any
 * window [c0, c1) of the stream from two cursor snapshots.
 *
 * Header-only and free of libc so that the guest can include it.
 */
#ifndef MMUBENCH_PATTERN_H
#define MMUBENCH_PATTERN_H

#include <stdint.h>
#include <stdbool.h>

enum pattern_kind {
	PATTERN_SEQUENTIAL,	/* page i mod npages */
	PATTERN_UNIFORM,	/* uniformly random page */
	PATTERN_HOTCOLD,	/* hot_pct% of accesses in the hot set, the rest in the cold pages */
	PATTERN_ZIPF,		/* page of rank r with probability ~ 1/(r+1)^theta */
	PATTERN_NR
};

struct pattern {
	uint32_t kind;		/* enum pattern_kind */
	uint32_t vcpu;		/* vCPU index: part of the stream's identity */
	uint64_t seed;
	uint64_t npages;	/* pages in the region this vCPU accesses */
	uint64_t hot_first;	/* hotcold: first page of the hot set */
	uint64_t hot_pages;	/* hotcold: size of the hot set (wraps around) */
	uint32_t hot_pct;	/* hotcold: share of accesses that go to the hot set */
	uint32_t write_pct;	/* share of accesses that are writes */
	/*
	 * zipf: cumulative distribution, npages entries scaled to 2^32, page of
	 * rank r at index r. An address in the caller's address space (a GVA in
	 * the guest, an HVA on the host): the table is built once by the host in
	 * guest memory and read by both.
	 */
	uint64_t zipf_cdf;
};

static inline uint64_t pattern_mix64(uint64_t x)
{
	/* splitmix64 finaliser: a bijection with good avalanche */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

/* Uniform in [0, n) without a division: the high half of a 64x64 product. */
static inline uint64_t pattern_scale(uint64_t h, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)h * n) >> 64);
}

static inline uint64_t pattern_hash(const struct pattern *p, uint64_t i)
{
	return pattern_mix64(p->seed ^ ((uint64_t)p->vcpu << 48) ^
			     pattern_mix64(i + 0x9e3779b97f4a7c15ull));
}

static inline uint64_t pattern_zipf_rank(const struct pattern *p, uint32_t u)
{
	const uint32_t *cdf = (const uint32_t *)(uintptr_t)p->zipf_cdf;
	uint64_t lo = 0, hi = p->npages - 1;

	/* first rank whose cumulative share exceeds u */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Page (index within the region) touched by access @i. */
static inline uint64_t pattern_page(const struct pattern *p, uint64_t i)
{
	uint64_t h;

	switch (p->kind) {
	case PATTERN_SEQUENTIAL:
		return i % p->npages;
	case PATTERN_UNIFORM:
		return pattern_scale(pattern_hash(p, i), p->npages);
	case PATTERN_HOTCOLD: {
		uint64_t cold = p->npages - p->hot_pages, off;

		h = pattern_hash(p, i);
		if (cold == 0 || pattern_scale(h, 100) < p->hot_pct)
			off = pattern_scale(pattern_mix64(h), p->hot_pages);
		else
			off = p->hot_pages + pattern_scale(pattern_mix64(h), cold);
		return (p->hot_first + off) % p->npages;
	}
	case PATTERN_ZIPF:
		return pattern_zipf_rank(p, (uint32_t)(pattern_hash(p, i) >> 32));
	}
	return 0;
}

/* Whether access @i writes (otherwise it reads). */
static inline bool pattern_is_write(const struct pattern *p, uint64_t i)
{
	if (p->write_pct >= 100)
		return true;
	if (p->write_pct == 0)
		return false;
	return pattern_scale(pattern_mix64(pattern_hash(p, i) ^ 0x5851f42d4c957f2dull),
			     100) < p->write_pct;
}

/*
 * Value a write stores into word @vcpu of @page: non-zero and distinct per
 * (seed, vCPU, page) so the host can tell which vCPU wrote which page.
 */
static inline uint64_t pattern_stamp(uint64_t seed, uint32_t vcpu, uint64_t page)
{
	return pattern_mix64(seed ^ ((uint64_t)vcpu << 56) ^ page) | 1;
}

#endif
