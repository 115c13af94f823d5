/* SPDX-License-Identifier: GPL-2.0 */
/* Aging verdicts against ground truth: the set arithmetic of DESIGN.md, on bitmaps. */
#ifndef MMUBENCH_AGING_STATS_H
#define MMUBENCH_AGING_STATS_H

#include <stdint.h>

struct aging_counts {
	uint64_t young;		/* truly young: touched after the last pass, before this one */
	uint64_t old;		/* truly old: untouched since the last pass began */
	uint64_t excluded;	/* touched only while a pass ran */
	uint64_t false_old;	/* truly young, verdict old */
	uint64_t false_young;	/* truly old, verdict young */
};

/*
 * Adds to @c the counts of one target of @npages pages: @young and @recent
 * (touched since the previous pass began; young is a subset) from the ground
 * truth, @old from the driver.
 */
void aging_count(struct aging_counts *c, const unsigned long *young, const unsigned long *recent,
		 const unsigned long *old, uint64_t npages);
void aging_counts_add(struct aging_counts *sum, const struct aging_counts *c);
/*
 * --inject-false-old: sets in @old a deterministic @pct share of the pages it
 * does not have, chosen by a hash of (page, target, epoch) independent of the
 * pattern, so the false-old rate rises from r to r + pct * (1 - r).
 */
void aging_inject(unsigned long *old, uint64_t npages, int target, unsigned int epoch, double pct);

/* 100 * num / den; NAN when den is 0 (no page to judge). */
double aging_pct(uint64_t num, uint64_t den);

#endif
