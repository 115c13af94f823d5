// SPDX-License-Identifier: GPL-2.0
/*
 * The human summary of a result record, e.g.:
 *
 * access run 20261121T060102Z-1a2b3c4d label v6.12 (12.3 s): FAIL: check ...
 *   metric                 value  unit     better  samples
 *   access_ns_per_page      23.4  ns/page  lower   n=4  22.1 .. 25.0
 *   false_old_pct          0.125  %        lower
 *   histogram          count   p50   p90   p99  p99.9   max
 *   populate_latency  100000  1.23  2.34   5.6   12.3  45.6  us
 *   check
 *   PASS  memory_contents
 *   FAIL  placement: memory on node 1, asked for node 0
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "src/stats/hist_stats.h"
#include "src/record/summary.h"

#define SUMMARY_VAL	32
#define SUMMARY_NPCT	5	/* p50 p90 p99 p99.9 max */

static const char *summary_status(enum record_status s)
{
	switch (s) {
	case STATUS_PASS:
		return "PASS";
	case STATUS_FAIL:
		return "FAIL";
	case STATUS_SKIP:
		return "SKIP";
	case STATUS_ERROR:
		return "ERROR";
	}
	return "?";
}

static int summary_max(int a, int b)
{
	return a > b ? a : b;
}

static void summary_metrics(FILE *out, const struct record *r)
{
	int wname = strlen("metric"), wval = strlen("value"), wunit = strlen("unit");
	char v[SUMMARY_VAL], lo[SUMMARY_VAL], hi[SUMMARY_VAL];
	const struct metric *m;
	unsigned int marked = 0;
	int several = 0;
	double min, max;
	size_t i, j;

	for (i = 0; i < r->nmetrics; i++) {
		m = &r->metrics[i];
		wname = summary_max(wname, strlen(m->name));
		wval = summary_max(wval, strlen(record_format_value(m->value, v, sizeof(v))));
		wunit = summary_max(wunit, strlen(m->unit));
		several |= m->nsamples > 1;
	}
	fprintf(out, "  %-*s  %*s  %-*s  better%s\n", wname, "metric", wval, "value",
		wunit, "unit", several ? "  samples" : "");
	for (i = 0; i < r->nmetrics; i++) {
		m = &r->metrics[i];
		fprintf(out, "  %-*s  %*s  %-*s  ", wname, m->name, wval,
			record_format_value(m->value, v, sizeof(v)), wunit, m->unit);
		if (m->nsamples <= 1) {
			fprintf(out, "%s\n", metric_direction_better(m->direction));
			continue;
		}
		fprintf(out, "%-6s", metric_direction_better(m->direction));
		min = INFINITY;
		max = -INFINITY;
		for (j = 0; j < m->nsamples; j++) {	/* NAN samples: nothing measured there */
			if (m->samples[j] < min)
				min = m->samples[j];
			if (m->samples[j] > max)
				max = m->samples[j];
		}
		if (min > max)
			min = max = NAN;
		fprintf(out, "  n=%zu  %s .. %s%s\n", m->nsamples,
			record_format_value(min, lo, sizeof(lo)),
			record_format_value(max, hi, sizeof(hi)),
			m->flags & M_POOLED ? "  pooled" : m->flags & M_TOTAL ? "  total" : "");
		marked |= m->flags & (M_POOLED | M_TOTAL);
	}
	if (several)
		fprintf(out, "  (value with samples: their median%s)\n",
			marked ? "; pooled: computed over all epochs' pages; total: of the whole "
				 "phase" : "");
}

/* Formats the count and the five percentiles of @rh into @cols (empty strings when no count). */
static void summary_hist_cols(const struct record_hist *rh, char cols[][SUMMARY_VAL])
{
	static const double q[SUMMARY_NPCT] = { 0.50, 0.90, 0.99, 0.999, 1.0 };
	const struct hist *h = &rh->hist;
	int i;

	snprintf(cols[0], SUMMARY_VAL, "%llu", (unsigned long long)h->count);
	for (i = 0; i < SUMMARY_NPCT; i++) {
		if (!h->count)
			snprintf(cols[i + 1], SUMMARY_VAL, "-");
		else
			record_format_value((double)hist_percentile(h, q[i]) * rh->unit_per_cycle,
					    cols[i + 1], SUMMARY_VAL);
	}
}

static void summary_hists(FILE *out, const struct record *r)
{
	static const char *const head[SUMMARY_NPCT + 1] = {
		"count", "p50", "p90", "p99", "p99.9", "max",
	};
	int wname = strlen("histogram"), w[SUMMARY_NPCT + 1];
	char cols[SUMMARY_NPCT + 1][SUMMARY_VAL];
	const struct record_hist *rh;
	size_t i;
	int c;

	for (c = 0; c <= SUMMARY_NPCT; c++)
		w[c] = strlen(head[c]);
	for (i = 0; i < r->nhists; i++) {
		rh = &r->hists[i];
		wname = summary_max(wname, strlen(rh->name));
		summary_hist_cols(rh, cols);
		for (c = 0; c <= SUMMARY_NPCT; c++)
			w[c] = summary_max(w[c], strlen(cols[c]));
	}
	fprintf(out, "  %-*s", wname, "histogram");
	for (c = 0; c <= SUMMARY_NPCT; c++)
		fprintf(out, "  %*s", w[c], head[c]);
	fputc('\n', out);
	for (i = 0; i < r->nhists; i++) {
		rh = &r->hists[i];
		summary_hist_cols(rh, cols);
		fprintf(out, "  %-*s", wname, rh->name);
		for (c = 0; c <= SUMMARY_NPCT; c++)
			fprintf(out, "  %*s", w[c], cols[c]);
		fprintf(out, "  %s", rh->unit);
		if (rh->hist.overflow)
			fprintf(out, "  (%llu overflowed)", (unsigned long long)rh->hist.overflow);
		fputc('\n', out);
	}
}

static void summary_checks(FILE *out, const struct record *r)
{
	const struct check *c;
	size_t i;

	fprintf(out, "  check\n");
	for (i = 0; i < r->nchecks; i++) {
		c = &r->checks[i];
		fprintf(out, "  %-5s  %s%s%s\n", summary_status(c->status), c->name,
			c->reason ? ": " : "", c->reason ? c->reason : "");
	}
}

void summary_print(FILE *out, const struct record *r)
{
	char d[SUMMARY_VAL];

	fprintf(out, "%s run %s", r->scenario, r->run_id);
	if (r->label)
		fprintf(out, " label %s", r->label);
	if (r->duration_s > 0)
		fprintf(out, " (%s s)", record_format_value(r->duration_s, d, sizeof(d)));
	fprintf(out, ": %s", summary_status(r->status));
	if (r->status_reason)
		fprintf(out, ": %s", r->status_reason);
	fputc('\n', out);
	if (r->nmetrics)
		summary_metrics(out, r);
	if (r->nhists)
		summary_hists(out, r);
	if (r->nchecks)
		summary_checks(out, r);
	fflush(out);
}
