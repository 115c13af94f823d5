/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records for the tests of the record, the store and the gate, built one
 * way: a base (scenario access, a fixed start, a parameter, a host), the
 * usual checks, histograms, a record with every kind of content and one
 * with what is hard to read back; their JSON for comparing records whole;
 * and inserting one into a store.
 */
#ifndef MMUBENCH_T_RECORD_H
#define MMUBENCH_T_RECORD_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "tests/t_util.h"

#include "guests/abi/hist.h"
#include "src/record/json_out.h"
#include "src/record/record.h"
#include "src/store/store.h"

#define T_STARTED_AT	1795000000	/* 2026-11-18T11:06:40Z */
#define T_UPC		0.001		/* unit per cycle of the test histograms */
#define T_OVERFLOW	(1ull << 41)	/* past the last bucket of struct hist */

/* median 23.4 */
static T_UNUSED const double t_samples[] = { 25.0, 22.1, 23.4, 23.9, 22.8 };

/* @h with @step, 2 * @step, ... @n * @step cycles once each, then @overflow unless 0. */
static T_UNUSED void t_hist_fill(struct hist *h, uint64_t n, uint64_t step, uint64_t overflow)
{
	hist_init(h);
	for (uint64_t v = 1; v <= n; v++)
		hist_record(h, v * step);
	if (overflow)
		hist_record(h, overflow);
}

/* Scenario access labelled @label: T_STARTED_AT, 12.5 s, vcpus 2; env is the caller's. */
static T_UNUSED struct record *t_record_base(const char *label)
{
	struct record *r = record_new("access", label);

	if (!r)
		return NULL;
	r->started_at = T_STARTED_AT;
	r->duration_s = 12.5;
	json_object_object_add(r->params, "vcpus", json_object_new_int(2));
	return r;
}

/* A passed, a failed and a skipped check (the record fails, for "placement"). */
static T_UNUSED void t_record_add_checks(struct record *r, const char *thp_reason)
{
	record_add_check(r, "memory_contents", STATUS_PASS, NULL);
	record_add_check(r, "placement", STATUS_FAIL, "memory on node %d, asked for node %d",
			 1, 0);
	record_add_check(r, "thp", STATUS_SKIP, "%s", thp_reason);
}

/* A record with every kind of content; its status is FAIL (check "placement"). */
static T_UNUSED struct record *t_record(void)
{
	struct json_object *kernel, *nodes;
	struct record *r;
	struct hist h;

	r = t_record_base("v6.12-test");
	if (!r)
		return NULL;
	json_object_object_add(r->params, "mem_per_vcpu", json_object_new_string("1G"));
	kernel = json_object_new_object();
	json_object_object_add(kernel, "release", json_object_new_string("6.12.0-test"));
	json_object_object_add(r->env, "kernel", kernel);
	json_object_object_add(r->env, "hostname", json_object_new_string("testhost"));
	nodes = json_object_new_array();
	json_object_array_add(nodes, json_object_new_int(0));
	json_object_object_add(r->placement, "nodes", nodes);

	record_add_metric(r, "access_ns_per_page", "ns/page", DIR_LOWER_IS_BETTER, t_samples,
			  sizeof(t_samples) / sizeof(t_samples[0]));
	record_add_value(r, "false_old_pct", "%", DIR_LOWER_IS_BETTER, 0.125);
	record_add_value(r, "pages_touched", "pages", DIR_INFO, 262144);
	record_add_metric(r, "refault_rate", "1/s", DIR_HIGHER_IS_BETTER, NULL, 0);

	t_hist_fill(&h, 1000, 1, T_OVERFLOW);
	record_add_hist(r, "populate_latency", "us", T_UPC, &h);
	hist_init(&h);
	record_add_hist(r, "idle_latency", "us", T_UPC, &h);

	t_record_add_checks(r, "THP is off: echo always >/sys/kernel/mm/transparent_hugepage/enabled");
	return r;
}

/*
 * t_record() and what is hard to read back: a value that is not the median
 * of its samples, a NaN sample, a histogram over every bucket size, a check
 * in error (which puts the record in error: checks of all four statuses).
 */
static T_UNUSED struct record *t_record_full(void)
{
	static const double odd[] = { 3.0, NAN, 0.1 };
	struct record *r = t_record();
	struct metric *m;
	struct hist h;

	if (!r)
		return NULL;
	m = record_add_metric(r, "scan_ms", "ms", DIR_LOWER_IS_BETTER, odd,
			      sizeof(odd) / sizeof(odd[0]));
	if (m)
		m->value = 1e-300;
	r->duration_s = 0.1;
	hist_init(&h);
	hist_record(&h, 0);
	for (uint64_t v = 1; v < (1ull << 40); v = v * 3 + 1)
		hist_record(&h, v);
	record_add_hist(r, "wide_latency", "ns", 1 / 2.9, &h);
	record_add_check(r, "kvm_stats", STATUS_ERROR, NULL);
	return r;
}

/* record_to_json(@r) on one line, malloc'ed (NULL on ENOMEM): equal for equal records. */
static T_UNUSED char *t_record_json(const struct record *r)
{
	struct json_object *o = record_to_json(r);
	char *s;

	if (!o)
		return NULL;
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

/* Stores @r in the store at @path (created if missing); 0 or -errno, the message on stderr. */
static T_UNUSED int t_store_insert(const char *path, const struct record *r)
{
	struct store *s;
	char err[512];
	int ret;

	ret = store_open(path, &s, err, sizeof(err));
	if (!ret) {
		ret = store_insert(s, r, err, sizeof(err));
		store_close(s);
	}
	if (ret)
		fprintf(stderr, "# %s\n", err);
	return ret;
}

#endif
