// SPDX-License-Identifier: GPL-2.0
/*
 * Zipf tables. The weights are summed twice in the same order (once for the
 * total, once for the running sums) so that the last running sum equals the
 * total exactly; long double plus Kahan compensation keeps the 2^32 scaling
 * accurate to well under one unit for millions of ranks.
 */
#include <errno.h>
#include <math.h>

#include "src/stats/zipf.h"

struct zipf_sum {
	long double sum;
	long double carry;
};

static void zipf_add(struct zipf_sum *s, long double x)
{
	long double y = x - s->carry, t = s->sum + y;

	s->carry = (t - s->sum) - y;
	s->sum = t;
}

static long double zipf_weight(uint64_t r, double theta)
{
	/* double pow is exact to an ulp and much faster than powl */
	return theta == 0 ? 1.0L : (long double)pow((double)(r + 1), -theta);
}

int zipf_build_cdf(uint32_t *cdf, uint64_t npages, double theta)
{
	struct zipf_sum total = { 0 }, run = { 0 };
	uint64_t r, v, prev = 0;

	if (!npages || !(theta >= 0))
		return -EINVAL;

	for (r = 0; r < npages; r++)
		zipf_add(&total, zipf_weight(r, theta));

	for (r = 0; r < npages; r++) {
		zipf_add(&run, zipf_weight(r, theta));
		/* scale first (exact), divide last: exact shares stay exact */
		v = (uint64_t)floorl(run.sum * 0x1p32L / total.sum);
		/* rounding must never make the table step back or pass 2^32 - 1 */
		if (v < prev)
			v = prev;
		if (v > UINT32_MAX)
			v = UINT32_MAX;
		cdf[r] = (uint32_t)v;
		prev = v;
	}
	/* every u in [0, 2^32) must map to a rank, see pattern_zipf_rank() */
	cdf[npages - 1] = UINT32_MAX;
	return 0;
}
