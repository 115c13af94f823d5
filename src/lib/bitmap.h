/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page bitmaps (one bit per page of a region) for ground truth and verdicts.
 * Bits past @nbits in the last word are ignored by every comparison, so
 * callers never have to keep them clear.
 */
#ifndef MMUBENCH_BITMAP_H
#define MMUBENCH_BITMAP_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define BITMAP_BITS_PER_WORD	(sizeof(unsigned long) * CHAR_BIT)
#define BITMAP_WORDS(nbits)	\
	(((nbits) + BITMAP_BITS_PER_WORD - 1) / BITMAP_BITS_PER_WORD)

/* Mask of the bits of the last word that are inside the map. */
static inline unsigned long bitmap_last_mask(uint64_t nbits)
{
	unsigned int rem = nbits % BITMAP_BITS_PER_WORD;

	return rem ? (1ul << rem) - 1 : ~0ul;
}

/* A zeroed map; never NULL on success, even for 0 bits. */
static inline unsigned long *bitmap_alloc(uint64_t nbits)
{
	size_t words = BITMAP_WORDS(nbits);

	return calloc(words ? words : 1, sizeof(unsigned long));
}

static inline void bitmap_free(unsigned long *map)
{
	free(map);
}

static inline void bitmap_set(unsigned long *map, uint64_t bit)
{
	map[bit / BITMAP_BITS_PER_WORD] |= 1ul << (bit % BITMAP_BITS_PER_WORD);
}

static inline bool bitmap_test(const unsigned long *map, uint64_t bit)
{
	return map[bit / BITMAP_BITS_PER_WORD] >> (bit % BITMAP_BITS_PER_WORD) & 1;
}

static inline void bitmap_clear_all(unsigned long *map, uint64_t nbits)
{
	for (size_t i = 0; i < BITMAP_WORDS(nbits); i++)
		map[i] = 0;
}

static inline uint64_t bitmap_weight(const unsigned long *map, uint64_t nbits)
{
	size_t i, words = BITMAP_WORDS(nbits);
	uint64_t w = 0;

	if (!words)
		return 0;
	for (i = 0; i < words - 1; i++)
		w += __builtin_popcountl(map[i]);
	return w + __builtin_popcountl(map[i] & bitmap_last_mask(nbits));
}

/* First bit that differs between @a and @b, or @nbits when they are equal. */
static inline uint64_t bitmap_first_diff(const unsigned long *a,
					 const unsigned long *b, uint64_t nbits)
{
	size_t i, words = BITMAP_WORDS(nbits);
	unsigned long x;

	for (i = 0; i < words; i++) {
		x = a[i] ^ b[i];
		if (i == words - 1)
			x &= bitmap_last_mask(nbits);
		if (x)
			return i * BITMAP_BITS_PER_WORD + __builtin_ctzl(x);
	}
	return nbits;
}

static inline bool bitmap_equal(const unsigned long *a, const unsigned long *b,
				uint64_t nbits)
{
	return bitmap_first_diff(a, b, nbits) == nbits;
}

#endif
