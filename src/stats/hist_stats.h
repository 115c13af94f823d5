/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-side statistics: percentiles of the guest's log-linear histograms
 * (guests/abi/hist.h) and summaries of repeated samples.
 */
#ifndef MMUBENCH_HIST_STATS_H
#define MMUBENCH_HIST_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "guests/abi/hist.h"

/*
 * Nearest-rank percentile, @q in [0, 1], in recorded units: the midpoint of
 * the bucket holding the ceil(q * count)-th smallest value, clamped to
 * [min, max], so within 1/128 of it. q == 0 gives min, q == 1 gives max, an
 * empty histogram gives 0.
 */
uint64_t hist_percentile(const struct hist *h, double q);
/* Exact mean (from the sum); 0 for an empty histogram, like the percentiles. */
double hist_mean(const struct hist *h);
/* Add @src into @dst, as if @dst had recorded every value of both. */
void hist_merge(struct hist *dst, const struct hist *src);

/*
 * NAN when there are no samples (fewer than two for the stddev). The median
 * leaves NAN samples out (an epoch with nothing to measure).
 */
double stats_median(const double *v, size_t n);
double stats_mean(const double *v, size_t n);
double stats_stddev(const double *v, size_t n);	/* sample (n - 1) stddev */

#endif
