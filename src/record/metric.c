// SPDX-License-Identifier: GPL-2.0
/* Metric descriptors: the direction names and the sample series (metric.h). */
#include <errno.h>
#include <stdint.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "src/record/metric.h"

/* The one table of direction names: as stored, and as the summary's column shows it. */
static const struct {
	const char *name;
	const char *better;
} metric_dirs[] = {
	[DIR_LOWER_IS_BETTER] = { "lower", "lower" },
	[DIR_HIGHER_IS_BETTER] = { "higher", "higher" },
	[DIR_INFO] = { "info", "-" },
};

#define METRIC_NDIRS (sizeof(metric_dirs) / sizeof(metric_dirs[0]))

const char *metric_direction_name(enum metric_direction d)
{
	return (size_t)d < METRIC_NDIRS ? metric_dirs[d].name : "unknown";
}

const char *metric_direction_better(enum metric_direction d)
{
	return (size_t)d < METRIC_NDIRS ? metric_dirs[d].better : "-";
}

int metric_direction_parse(const char *s, enum metric_direction *out)
{
	for (size_t i = 0; s && i < METRIC_NDIRS; i++) {
		if (!strcmp(s, metric_dirs[i].name)) {
			*out = (enum metric_direction)i;
			return 0;
		}
	}
	return -EINVAL;
}

_Static_assert(alignof(double) <= sizeof(double *), "series_alloc() lays doubles after pointers");

const char *metric_flags_note(unsigned int flags)
{
	if (flags & M_POOLED)
		return "; value pooled over all epochs' pages";
	if (flags & M_TOTAL)
		return "; value: the total, samples per epoch";
	return "";
}

double **series_alloc(size_t nseries, size_t n)
{
	size_t head = nseries * sizeof(double *);
	double **s;

	if (n && nseries > SIZE_MAX / 2 / sizeof(double) / n)
		return NULL;
	/* the pointers first, then the samples (a pointer is as aligned as a double here) */
	s = calloc(1, head + nseries * n * sizeof(double) + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < nseries; i++)
		s[i] = (double *)((char *)s + head) + i * n;
	return s;
}

void series_free(double **s)
{
	free(s);
}
