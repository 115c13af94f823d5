// SPDX-License-Identifier: GPL-2.0
/*
 * The result record: building it up during a run (DESIGN.md "Results").
 *
 * Running out of memory while adding to a record does not lose the run
 * silently: the record goes to ERROR with the name of what could not be
 * added, and the writers still emit everything else.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "src/stats/hist_stats.h"
#include "src/record/record.h"

/* 32 random bits for the run id; getrandom() first, a weaker mix if it is unavailable. */
static uint32_t record_random32(void)
{
	struct timespec ts;
	uint32_t v;
	uint64_t x;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == sizeof(v))
		return v;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ ((uint64_t)getpid() << 16);
	x ^= (uint64_t)(uintptr_t)&ts;
	/* splitmix64 finaliser */
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	x ^= x >> 31;
	return (uint32_t)x;
}

/* mmubench's own mistakes put the record in error; the first one gives the reason. */
static void record_oom(struct record *r, const char *what, const char *name)
{
	if (r->status != STATUS_ERROR)
		record_set_status(r, STATUS_ERROR, "out of memory adding %s %s", what, name);
}

static void record_duplicate(struct record *r, const char *what, const char *name)
{
	if (r->status != STATUS_ERROR)
		record_set_status(r, STATUS_ERROR, "%s %s added twice", what, name);
}

struct record *record_new(const char *scenario, const char *label)
{
	struct record *r;
	char stamp[24];
	struct tm tm;
	time_t now;

	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->schema_version = RECORD_SCHEMA_VERSION;
	now = time(NULL);
	r->started_at = now;
	if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
	snprintf(r->run_id, sizeof(r->run_id), "%.20s-%08x", stamp, record_random32());
	r->scenario = strdup(scenario ? scenario : "");
	r->label = label ? strdup(label) : NULL;
	r->params = json_object_new_object();
	r->env = json_object_new_object();
	r->placement = json_object_new_object();
	r->status = STATUS_PASS;
	if (!r->scenario || (label && !r->label) || !r->params || !r->env || !r->placement) {
		record_free(r);
		errno = ENOMEM;
		return NULL;
	}
	return r;
}

void record_free(struct record *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nmetrics; i++) {
		free(r->metrics[i].name);
		free(r->metrics[i].unit);
		free(r->metrics[i].samples);
	}
	free(r->metrics);
	for (i = 0; i < r->nhists; i++) {
		free(r->hists[i].name);
		free(r->hists[i].unit);
	}
	free(r->hists);
	for (i = 0; i < r->nchecks; i++) {
		free(r->checks[i].name);
		free(r->checks[i].reason);
	}
	free(r->checks);
	json_object_put(r->params);
	json_object_put(r->env);
	json_object_put(r->placement);
	free(r->label);
	free(r->scenario);
	free(r->status_reason);
	free(r);
}

struct metric *record_add_metric(struct record *r, const char *name, const char *unit,
				 enum metric_direction dir, const double *samples, size_t nsamples)
{
	struct metric *m, *arr;
	size_t i;

	for (i = 0; i < r->nmetrics; i++) {
		if (!strcmp(r->metrics[i].name, name)) {
			record_duplicate(r, "metric", name);
			return NULL;
		}
	}
	arr = realloc(r->metrics, (r->nmetrics + 1) * sizeof(*arr));
	if (!arr) {
		record_oom(r, "metric", name);
		return NULL;
	}
	r->metrics = arr;
	m = &arr[r->nmetrics];
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	m->unit = strdup(unit ? unit : "");
	if (nsamples) {
		m->samples = malloc(nsamples * sizeof(*samples));
		if (m->samples)
			memcpy(m->samples, samples, nsamples * sizeof(*samples));
	}
	if (!m->name || !m->unit || (nsamples && !m->samples)) {
		free(m->name);
		free(m->unit);
		free(m->samples);
		record_oom(r, "metric", name);
		return NULL;
	}
	m->direction = dir;
	m->nsamples = nsamples;
	m->value = nsamples ? stats_median(samples, nsamples) : NAN;
	r->nmetrics++;
	return m;
}

struct metric *record_add_value(struct record *r, const char *name, const char *unit,
				enum metric_direction dir, double value)
{
	return record_add_metric(r, name, unit, dir, &value, 1);
}

struct metric *record_put(struct record *r, const struct metric_desc *d, const double *samples,
			  size_t n, double value)
{
	struct metric *m = record_add_metric(r, d->name, d->unit, d->dir, samples, n);

	if (!m)
		return NULL;
	m->flags = d->flags;
	if (d->flags & (M_POOLED | M_TOTAL))
		m->value = value;
	return m;
}

struct metric *record_put_value(struct record *r, const struct metric_desc *d, double value)
{
	return record_put(r, d, &value, 1, value);
}

void record_add_hist(struct record *r, const char *name, const char *unit,
		     double unit_per_cycle, const struct hist *h)
{
	struct record_hist *rh, *arr;
	size_t i;

	for (i = 0; i < r->nhists; i++) {
		if (!strcmp(r->hists[i].name, name)) {
			record_duplicate(r, "histogram", name);
			return;
		}
	}
	arr = realloc(r->hists, (r->nhists + 1) * sizeof(*arr));
	if (!arr) {
		record_oom(r, "histogram", name);
		return;
	}
	r->hists = arr;
	rh = &arr[r->nhists];
	rh->name = strdup(name);
	rh->unit = strdup(unit ? unit : "");
	if (!rh->name || !rh->unit) {
		free(rh->name);
		free(rh->unit);
		record_oom(r, "histogram", name);
		return;
	}
	rh->unit_per_cycle = unit_per_cycle;
	rh->hist = *h;
	r->nhists++;
}

void record_add_check(struct record *r, const char *name, enum record_status status,
		      const char *fmt, ...)
{
	struct check *c, *arr;
	char *reason = NULL;
	va_list ap;
	size_t i;

	for (i = 0; i < r->nchecks; i++) {
		if (!strcmp(r->checks[i].name, name)) {
			record_duplicate(r, "check", name);
			return;
		}
	}
	if (fmt) {
		va_start(ap, fmt);
		if (vasprintf(&reason, fmt, ap) < 0)
			reason = NULL;
		va_end(ap);
		if (!reason) {
			record_oom(r, "check", name);
			return;
		}
	}
	arr = realloc(r->checks, (r->nchecks + 1) * sizeof(*arr));
	if (!arr) {
		free(reason);
		record_oom(r, "check", name);
		return;
	}
	r->checks = arr;
	c = &arr[r->nchecks];
	c->name = strdup(name);
	if (!c->name) {
		free(reason);
		record_oom(r, "check", name);
		return;
	}
	c->status = status;
	c->reason = reason;
	r->nchecks++;

	/*
	 * FAIL wins over PASS and SKIP (a check that ran and failed is news
	 * even when another part of the run was skipped) but not over ERROR.
	 * The first failing check gives the reason. A check that could not be
	 * evaluated (ERROR) makes the run incomplete: the record is in error.
	 */
	if (status == STATUS_FAIL && r->status != STATUS_ERROR && r->status != STATUS_FAIL)
		record_set_status(r, STATUS_FAIL, "check %s failed%s%s", name,
				  reason ? ": " : "", reason ? reason : "");
	else if (status == STATUS_ERROR && r->status != STATUS_ERROR)
		record_set_status(r, STATUS_ERROR, "check %s could not be evaluated%s%s", name,
				  reason ? ": " : "", reason ? reason : "");
}

void record_set_status(struct record *r, enum record_status status, const char *fmt, ...)
{
	char *reason = NULL;
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		if (vasprintf(&reason, fmt, ap) < 0)
			reason = NULL;
		va_end(ap);
		/* Without memory for the reason, the status still has to change. */
	}
	free(r->status_reason);
	r->status_reason = reason;
	r->status = status;
}

const char *record_status_name(enum record_status s)
{
	switch (s) {
	case STATUS_PASS:
		return "pass";
	case STATUS_FAIL:
		return "fail";
	case STATUS_SKIP:
		return "skip";
	case STATUS_ERROR:
		return "error";
	}
	return "unknown";
}

const char *record_format_value(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
	else if (fabs(v) >= 1e4 || v == nearbyint(v))
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.4g", v);
	return buf;
}
