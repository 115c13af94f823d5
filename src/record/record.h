/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One result record: what a run measured and under which conditions
 * (DESIGN.md "Results"). Built by the runner and scenarios, then written as
 * JSON (json_out.c), KTAP (ktap_out.c), a human summary (summary.c) and into
 * the store (store.c). Nothing here touches KVM.
 */
#ifndef MMUBENCH_RECORD_H
#define MMUBENCH_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "guests/abi/hist.h"
#include "src/record/metric.h"

#define RECORD_SCHEMA_VERSION 1

enum record_status {
	STATUS_PASS,
	STATUS_FAIL,		/* a check failed: the kernel got something wrong */
	STATUS_SKIP,		/* could not run here: reason says why and what to change */
	STATUS_ERROR,		/* mmubench itself could not complete the run */
};

struct metric {
	char *name;		/* carries its unit: populate_p50_us, access_ns_per_page */
	char *unit;		/* "us", "ns/page", "pages", ... */
	enum metric_direction direction;
	double value;		/* the headline value (median of samples when there are several) */
	double *samples;	/* every sample, e.g. one per vCPU or per pass */
	size_t nsamples;
	unsigned int flags;	/* its descriptor's M_* when added by record_put(); not stored */
};

/* A latency histogram as recorded (TSC cycles) with the scale to report it in. */
struct record_hist {
	char *name;		/* populate_latency */
	char *unit;		/* unit after scaling, "us" */
	double unit_per_cycle;	/* e.g. 1000 / tsc_khz / 1000 for us */
	struct hist hist;	/* merged over vCPUs */
};

/* A pass/fail/skip verdict that is not a number: "memory_contents", "placement". */
struct check {
	char *name;
	enum record_status status;
	char *reason;		/* why it failed or was skipped; NULL when it passed */
};

struct record {
	int schema_version;
	char run_id[40];	/* unique: time + random, see record_new() */
	char *label;		/* user's grouping label (kernel release, commit); may be NULL */
	char *scenario;		/* "access" */
	int64_t started_at;	/* Unix time, seconds */
	double duration_s;

	struct json_object *params;	/* every parameter of the run, after defaults */
	struct json_object *env;	/* environment (envinfo.c) */
	struct json_object *placement;	/* placement obtained: CPUs and memory nodes, read back */

	struct metric *metrics;
	size_t nmetrics;
	struct record_hist *hists;
	size_t nhists;
	struct check *checks;
	size_t nchecks;

	enum record_status status;
	char *status_reason;
};

struct record *record_new(const char *scenario, const char *label);
void record_free(struct record *r);

/* Adds a metric and returns it; samples are copied. value = median(samples) when nsamples > 0. */
struct metric *record_add_metric(struct record *r, const char *name, const char *unit,
				 enum metric_direction dir, const double *samples, size_t nsamples);
/* Adds a single-valued metric. */
struct metric *record_add_value(struct record *r, const char *name, const char *unit,
				enum metric_direction dir, double value);
/*
 * Adds the metric @d describes, with @n samples (copied): name, unit,
 * direction and flags come from @d. The value is @value when @d is M_POOLED
 * or M_TOTAL, else the median of the samples. Returns the metric or NULL.
 */
struct metric *record_put(struct record *r, const struct metric_desc *d, const double *samples,
			  size_t n, double value);
/* Adds the metric @d describes with one value. */
struct metric *record_put_value(struct record *r, const struct metric_desc *d, double value);
void record_add_hist(struct record *r, const char *name, const char *unit,
		     double unit_per_cycle, const struct hist *h);
/* Adds a check; a failing check makes the record fail (unless it is already in error). */
void record_add_check(struct record *r, const char *name, enum record_status status,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Sets the overall status with a reason (printf-style, may be NULL for pass). */
void record_set_status(struct record *r, enum record_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const char *record_status_name(enum record_status s);

/*
 * A metric value for people (KTAP lines, the summary): integers and values
 * of 10000 and more without decimals, others with 4 significant digits,
 * "n/a" for NaN. Returns @buf.
 */
const char *record_format_value(double v, char *buf, size_t len);

#endif
