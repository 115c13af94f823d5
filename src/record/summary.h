/* SPDX-License-Identifier: GPL-2.0 */
/* The result record for people: what a run printed when it finished. */
#ifndef MMUBENCH_SUMMARY_H
#define MMUBENCH_SUMMARY_H

#include <stdio.h>

#include "src/record/record.h"

/*
 * A header line (scenario, run id, label, duration, status and reason), then
 * the metrics as an aligned table (value, unit, which way is better, min..max
 * of the samples when there are several), one line per histogram (count,
 * p50/p90/p99/p99.9/max in its unit) and the checks with their reasons.
 * Plain ASCII, no colours. The parameters are the caller's to print.
 */
void summary_print(FILE *out, const struct record *r);

#endif
