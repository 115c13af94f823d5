/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report: reads the results store (whole records, store_read()), writes
 * one gnuplot script and data file per chart into a directory, runs gnuplot
 * on each (SVG and PNG), and writes an index.html that shows the charts with
 * the numbers they draw. Static HTML, no JavaScript, nothing from the
 * network. A chart with nothing to draw becomes a small image that says
 * "no data for <chart> (<why>)" instead of an empty plot.
 *
 * Charts every scenario gets: latency CDF per histogram and configuration
 * (one line per label); latency percentiles p50/p90/p99/p99.9; the trend of
 * every judged metric across labels in time order (median and min..max
 * band); baseline vs candidate bars for two labels. Charts a scenario asks
 * for in its descriptor (struct chart_spec, workloads/catalog.h): aging's
 * false-old and false-young per epoch, and pass time vs guest memory size
 * per driver.
 *
 * Nothing here touches KVM: the report only reads the store.
 */
#ifndef MMUBENCH_REPORT_H
#define MMUBENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct report_opts {
	const char *store;		/* the SQLite store to read (never created) */
	const char *out;		/* directory to write into; created when missing */
	const char *const *labels;	/* NULL-terminated labels to select; NULL: all */
	const char *const *scenarios;	/* NULL-terminated scenarios to select; NULL: all */
	bool has_since;
	int64_t since;			/* runs started at or after (Unix seconds) */
	const char *baseline;		/* labels compared; NULL: the first two of @labels */
	const char *candidate;
	const char *gnuplot;		/* program name or path; NULL: "gnuplot" from PATH */
	bool quiet;			/* no progress on stderr */
};

struct report_result {
	int runs;			/* runs selected */
	int charts;			/* charts written (SVG + PNG each) */
	int nodata;			/* of which "no data" images */
	bool bad_input;			/* the error is the caller's input: no such store,
					 * no run matching the selection (exit status 2) */
	char index[4096];		/* path of index.html */
};

/*
 * Writes the report. Returns 0, or -errno with one line in @err naming the
 * object and the cause (and res->bad_input set when the selection or the
 * store path is at fault rather than mmubench or gnuplot).
 */
int report_generate(const struct report_opts *o, struct report_result *res, char *err,
		    size_t errlen);

/*
 * Parses a --since value: Unix seconds ("1795240669"), an ISO 8601 date or
 * time in UTC ("2026-11-21", "2026-11-21T06:00", "2026-11-21 06:00:00Z"), or
 * an age relative to @now ("36h", "7d", "2w"). Returns 0 or -EINVAL.
 */
int report_parse_since(const char *s, int64_t now, int64_t *out);

#endif
