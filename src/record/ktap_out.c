// SPDX-License-Identifier: GPL-2.0
/*
 * The result record as KTAP, through kselftest.h.
 *
 * Metrics and histograms are measurements, not verdicts: their test points
 * are always "ok" and carry the value. Verdicts come from the checks, and
 * from the record's own status when no check explains it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"

#include "src/stats/hist_stats.h"
#include "src/record/ktap_out.h"

/*
 * KTAP text must stay on one line, and a description must not contain '#',
 * which starts the directive. Returns a malloc'ed cleaned copy (or NULL).
 */
static char *ktap_clean(const char *s, int description)
{
	char *c, *p;

	c = strdup(s ? s : "");
	if (!c)
		return NULL;
	for (p = c; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
		else if (description && *p == '#')
			*p = '_';
	}
	return c;
}

/*
 * Does the run itself need a test point: its status is not explained by any
 * of its checks, or there is nothing else to report?
 */
static int ktap_needs_run_point(const struct record *r)
{
	size_t i;

	if (r->status == STATUS_ERROR || !(r->nmetrics + r->nhists + r->nchecks))
		return 1;
	if (r->status != STATUS_FAIL)
		return 0;
	for (i = 0; i < r->nchecks; i++)
		if (r->checks[i].status == STATUS_FAIL)
			return 0;
	return 1;
}

static void ktap_metric(const struct metric *m)
{
	char v[32], lo[32], hi[32];
	char *name = ktap_clean(m->name, 1), *unit = ktap_clean(m->unit, 1);
	double min, max;
	size_t i;

	if (m->nsamples > 1) {
		min = max = m->samples[0];
		for (i = 1; i < m->nsamples; i++) {
			if (m->samples[i] < min)
				min = m->samples[i];
			if (m->samples[i] > max)
				max = m->samples[i];
		}
		ksft_print_msg("%s: median of %zu samples, min %s max %s\n",
			       name ? name : "?", m->nsamples,
			       record_format_value(min, lo, sizeof(lo)),
			       record_format_value(max, hi, sizeof(hi)));
	}
	ksft_test_result_pass("%s %s%s%s\n", name ? name : "?",
			      record_format_value(m->value, v, sizeof(v)),
			      unit && *unit ? " " : "", unit ? unit : "");
	free(name);
	free(unit);
}

static void ktap_hist(const struct record_hist *rh)
{
	static const struct {
		const char *label;
		double q;
	} pct[] = {
		{ "p50", 0.50 }, { "p90", 0.90 }, { "p99", 0.99 }, { "p99.9", 0.999 },
	};
	char *name = ktap_clean(rh->name, 1), *unit = ktap_clean(rh->unit, 1);
	const struct hist *h = &rh->hist;
	char line[256], v[32];
	size_t i, len;

	len = snprintf(line, sizeof(line), "count=%llu", (unsigned long long)h->count);
	if (h->count) {
		for (i = 0; i < ARRAY_SIZE(pct) && len < sizeof(line); i++)
			len += snprintf(line + len, sizeof(line) - len, " %s=%s", pct[i].label,
					record_format_value((double)hist_percentile(h, pct[i].q) *
							    rh->unit_per_cycle, v, sizeof(v)));
		if (len < sizeof(line))
			len += snprintf(line + len, sizeof(line) - len, " max=%s%s%s",
					record_format_value((double)h->max * rh->unit_per_cycle,
							    v, sizeof(v)),
					unit && *unit ? " " : "", unit ? unit : "");
		if (h->overflow && len < sizeof(line))
			snprintf(line + len, sizeof(line) - len, " overflow=%llu",
				 (unsigned long long)h->overflow);
	}
	ksft_test_result_pass("%s %s\n", name ? name : "?", line);
	free(name);
	free(unit);
}

/*
 * The reason of a passed or failed check goes on a diagnostic line just
 * before its test point rather than after a '#' on it: a reason starting
 * with "skip..." would otherwise read as a SKIP directive and hide a failure.
 */
static void ktap_check(const struct check *c)
{
	char *name = ktap_clean(c->name, 1), *reason = ktap_clean(c->reason, 0);
	const char *n = name ? name : "?", *why = reason && *reason ? reason : NULL;

	switch (c->status) {
	case STATUS_PASS:
		if (why)
			ksft_print_msg("%s: %s\n", n, why);
		ksft_test_result_pass("%s\n", n);
		break;
	case STATUS_FAIL:
		if (why)
			ksft_print_msg("%s: %s\n", n, why);
		ksft_test_result_fail("%s\n", n);
		break;
	case STATUS_SKIP:
		ksft_test_result_code(KSFT_SKIP, n, "%s", why ? why : "no reason given");
		break;
	case STATUS_ERROR:
		ksft_test_result_fail("%s # ERROR %s\n", n, why ? why : "no reason given");
		break;
	}
	free(name);
	free(reason);
}

void ktap_print_record(const struct record *r)
{
	char *scenario = ktap_clean(r->scenario, 1), *reason = ktap_clean(r->status_reason, 0);
	char *label = r->label ? ktap_clean(r->label, 0) : NULL;
	const char *sc = scenario && *scenario ? scenario : "mmubench";
	const char *why = reason && *reason ? reason : NULL;
	unsigned int plan;
	size_t i;

	fflush(stdout);
	/* kselftest.h counts in this file's statics: one document per call. */
	memset(&ksft_cnt, 0, sizeof(ksft_cnt));
	ksft_plan = 0;

	ksft_print_header();
	if (r->status == STATUS_SKIP) {
		ksft_set_plan(1);
		ksft_print_msg("mmubench %s run %s%s%s\n", sc, r->run_id,
			       label ? " label " : "", label ? label : "");
		ksft_test_result_code(KSFT_SKIP, sc, "%s", why ? why : "no reason given");
		goto out;
	}

	plan = r->nmetrics + r->nhists + r->nchecks + ktap_needs_run_point(r);
	ksft_set_plan(plan);
	ksft_print_msg("mmubench %s run %s%s%s: %s%s%s\n", sc, r->run_id,
		       label ? " label " : "", label ? label : "",
		       record_status_name(r->status), why ? ": " : "", why ? why : "");
	for (i = 0; i < r->nmetrics; i++)
		ktap_metric(&r->metrics[i]);
	for (i = 0; i < r->nhists; i++)
		ktap_hist(&r->hists[i]);
	for (i = 0; i < r->nchecks; i++)
		ktap_check(&r->checks[i]);
	if (ktap_needs_run_point(r)) {
		if (r->status == STATUS_ERROR) {
			ksft_test_result_fail("%s # ERROR %s\n", sc, why ? why : "no reason given");
		} else if (r->status == STATUS_FAIL) {
			if (why)
				ksft_print_msg("%s: %s\n", sc, why);
			ksft_test_result_fail("%s\n", sc);
		} else {
			ksft_test_result_pass("%s\n", sc);
		}
	}
out:
	ksft_print_cnts();
	fflush(stdout);
	free(scenario);
	free(reason);
	free(label);
}
