/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a metric is, as data: its name (which carries the unit), unit,
 * which direction is better, help, and how its headline value relates to
 * its samples. Scenarios declare their metrics in tables of these, indexed
 * by an enum, and emit through the descriptor, so name, unit and direction
 * are written once; `mmubench list`, the summary and the report read the
 * same table. Also the one name table of the directions.
 */
#ifndef MMUBENCH_METRIC_H
#define MMUBENCH_METRIC_H

#include <stddef.h>

enum metric_direction {
	DIR_LOWER_IS_BETTER,
	DIR_HIGHER_IS_BETTER,
	DIR_INFO,		/* context, not judged (counts, sizes) */
};

/* metric_desc.flags */
#define M_PER_EPOCH	(1u << 0)	/* one sample per epoch (aging pass, dirty harvest) */
#define M_POOLED	(1u << 1)	/* value computed over all epochs' pages, not the median */
#define M_TOTAL		(1u << 2)	/* value: the total of the phase; samples: its parts */

struct metric_desc {
	const char *name;
	const char *unit;
	enum metric_direction dir;
	const char *help;
	unsigned int flags;		/* M_* */
};

/* "lower", "higher", "info": the direction as records, the store and gate rules spell it. */
const char *metric_direction_name(enum metric_direction d);
/* The inverse of metric_direction_name(): 0, or -EINVAL for another string. */
int metric_direction_parse(const char *s, enum metric_direction *out);
/* The summary's "better" column: "lower", "higher", "-" for info. */
const char *metric_direction_better(enum metric_direction d);

/*
 * What `mmubench list` adds to a metric's help for its flags: "" or e.g.
 * "; value pooled over all epochs". Static storage.
 */
const char *metric_flags_note(unsigned int flags);

/*
 * The samples of @nseries metrics, @n each, as one allocation: s[i][0..n)
 * zeroed for i < @nseries. NULL on ENOMEM. series_free() frees it all.
 */
double **series_alloc(size_t nseries, size_t n);
void series_free(double **s);

#endif
