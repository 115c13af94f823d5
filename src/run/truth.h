/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ground truth: which pages a vCPU's pattern stream touched between two
 * cursor snapshots, replayed on the host from guests/abi/pattern.h.
 */
#ifndef MMUBENCH_TRUTH_H
#define MMUBENCH_TRUTH_H

#include <stdint.h>

#include "guests/abi/pattern.h"

/*
 * OR into @touched the page of every access in [@c0, @c1) of @p, and into
 * @written the page of every write among them. Either map may be NULL; each
 * holds p->npages bits.
 */
void truth_touched(const struct pattern *p, uint64_t c0, uint64_t c1,
		   unsigned long *touched, unsigned long *written);

#endif
