// SPDX-License-Identifier: GPL-2.0
#include <math.h>

#include "workloads/aging_stats.h"
#include "src/lib/bitmap.h"
#include "guests/abi/pattern.h"

void aging_count(struct aging_counts *c, const unsigned long *young, const unsigned long *recent,
		 const unsigned long *old, uint64_t npages)
{
	uint64_t words = BITMAP_WORDS(npages);

	for (uint64_t w = 0; w < words; w++) {
		unsigned long mask = ~0ul, y = young[w], r = recent[w], o = old[w];

		if (w == words - 1 && npages % BITMAP_BITS_PER_WORD)
			mask = (1ul << (npages % BITMAP_BITS_PER_WORD)) - 1;
		y &= r;		/* young is touched since the last pass, by definition */
		c->young += __builtin_popcountl(y & mask);
		c->old += __builtin_popcountl(~r & mask);
		c->excluded += __builtin_popcountl(r & ~y & mask);
		c->false_old += __builtin_popcountl(y & o & mask);
		c->false_young += __builtin_popcountl(~r & ~o & mask);
	}
}

void aging_counts_add(struct aging_counts *sum, const struct aging_counts *c)
{
	sum->young += c->young;
	sum->old += c->old;
	sum->excluded += c->excluded;
	sum->false_old += c->false_old;
	sum->false_young += c->false_young;
}

double aging_pct(uint64_t num, uint64_t den)
{
	return den ? 100.0 * num / den : NAN;
}

void aging_inject(unsigned long *old, uint64_t npages, int target, unsigned int epoch, double pct)
{
	uint64_t salt = ((uint64_t)target << 48) ^ ((uint64_t)epoch << 32) ^ 0x1f3d5b79u;
	/* pct of 2^64, rounded so that 100% flips everything */
	uint64_t threshold = pct >= 100 ? UINT64_MAX :
					  (uint64_t)(pct / 100.0 * 18446744073709551616.0);

	if (pct <= 0)
		return;
	for (uint64_t p = 0; p < npages; p++)
		if (!bitmap_test(old, p) && pattern_mix64(p ^ salt) < threshold)
			bitmap_set(old, p);
}
