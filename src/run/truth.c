// SPDX-License-Identifier: GPL-2.0
/*
 * Exact replay of pattern windows. Random patterns are replayed access by
 * access; sequential ones are a contiguous (wrapping) run of pages, so their
 * touched set never needs more than one pass over the region.
 */
#include "src/lib/bitmap.h"
#include "src/run/truth.h"

/* Pages of accesses [c0, c0 + len) of a sequential stream. */
static void truth_seq_run(const struct pattern *p, uint64_t c0, uint64_t len,
			  unsigned long *map)
{
	uint64_t page = c0 % p->npages, k;

	if (len > p->npages)
		len = p->npages;
	for (k = 0; k < len; k++) {
		bitmap_set(map, page);
		if (++page == p->npages)
			page = 0;
	}
}

void truth_touched(const struct pattern *p, uint64_t c0, uint64_t c1,
		   unsigned long *touched, unsigned long *written)
{
	bool all_write = p->write_pct >= 100;
	uint64_t i, page;

	if (!p->write_pct)
		written = NULL;
	if (c1 <= c0 || !p->npages || (!touched && !written))
		return;

	if (p->kind == PATTERN_SEQUENTIAL) {
		if (touched)
			truth_seq_run(p, c0, c1 - c0, touched);
		if (written && all_write)
			truth_seq_run(p, c0, c1 - c0, written);
		if (!written || all_write)
			return;
		touched = NULL;	/* done: only the writes are left */
	}

	for (i = c0; i < c1; i++) {
		page = pattern_page(p, i);
		if (touched)
			bitmap_set(touched, page);
		if (written && pattern_is_write(p, i))
			bitmap_set(written, page);
	}
}
