/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cumulative distribution that PATTERN_ZIPF reads (see guests/abi/pattern.h).
 */
#ifndef MMUBENCH_ZIPF_H
#define MMUBENCH_ZIPF_H

#include <stdint.h>

/*
 * Fill @cdf (@npages entries) so that rank r has probability proportional to
 * 1 / (r + 1)^@theta: cdf[r] = floor(2^32 * P(rank <= r)), non-decreasing,
 * last entry UINT32_MAX. theta 0 is uniform. -EINVAL for npages 0 or a
 * negative (or NaN) theta.
 */
int zipf_build_cdf(uint32_t *cdf, uint64_t npages, double theta);

#endif
