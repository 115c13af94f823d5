// SPDX-License-Identifier: GPL-2.0
/*
 * Metrics as data: the direction table, series_alloc(), record_put()'s
 * value rule, run_put()'s refusal of a descriptor the running scenario did
 * not declare, and the catalog's and dirty modes' tables themselves (unique
 * names, modes' metrics declared, --mode's choices from the registry).
 * No VM: run_put() needs only the scenario and the record of a run.
 */
#include <math.h>
#include <string.h>

#include "kselftest_harness.h"
#include "src/record/metric.h"
#include "src/record/record.h"
#include "src/run/runner.h"
#include "workloads/catalog.h"
#include "workloads/dirty.h"

TEST(direction_names_round_trip)
{
	static const enum metric_direction all[] = {
		DIR_LOWER_IS_BETTER, DIR_HIGHER_IS_BETTER, DIR_INFO,
	};
	enum metric_direction d;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		ASSERT_EQ(0, metric_direction_parse(metric_direction_name(all[i]), &d));
		EXPECT_EQ(all[i], d);
	}
	EXPECT_STREQ("lower", metric_direction_name(DIR_LOWER_IS_BETTER));
	EXPECT_STREQ("higher", metric_direction_name(DIR_HIGHER_IS_BETTER));
	EXPECT_STREQ("info", metric_direction_name(DIR_INFO));
	/* the summary's column: info is a dash */
	EXPECT_STREQ("higher", metric_direction_better(DIR_HIGHER_IS_BETTER));
	EXPECT_STREQ("-", metric_direction_better(DIR_INFO));
	EXPECT_EQ(-EINVAL, metric_direction_parse("better", &d));
	EXPECT_EQ(-EINVAL, metric_direction_parse(NULL, &d));
}

TEST(series_alloc_gives_zeroed_disjoint_series)
{
	double **s = series_alloc(5, 7);

	ASSERT_NE(NULL, s);
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 7; j++) {
			EXPECT_EQ(0, s[i][j]);
			s[i][j] = i * 100 + j;
		}
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(i * 100 + 6, s[i][6]);
	EXPECT_EQ(s[0] + 7, s[1]);
	series_free(s);
	series_free(NULL);
	EXPECT_EQ(NULL, series_alloc(2, SIZE_MAX / 4));
}

static const struct metric_desc t_metrics[] = {
	{ "plain_ms", "ms", DIR_LOWER_IS_BETTER, "median of the samples", M_PER_EPOCH },
	{ "pooled_pct", "%", DIR_LOWER_IS_BETTER, "over all pages", M_PER_EPOCH | M_POOLED },
	{ "total_pages", "pages", DIR_INFO, "the sum", M_PER_EPOCH | M_TOTAL },
	{ NULL }
};

static const struct scenario_desc t_scenario = {
	.name = "test-metrics",
	.metrics = t_metrics,
};

TEST(record_put_takes_the_median_unless_pooled_or_total)
{
	struct record *r = record_new("test-metrics", NULL);
	const double samples[] = { 1, 9, 2 };
	struct metric *m;

	ASSERT_NE(NULL, r);
	m = record_put(r, &t_metrics[0], samples, 3, 42);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(2, m->value);
	EXPECT_STREQ("ms", m->unit);
	EXPECT_EQ(DIR_LOWER_IS_BETTER, m->direction);
	EXPECT_EQ(M_PER_EPOCH, m->flags);
	m = record_put(r, &t_metrics[1], samples, 3, 42);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(42, m->value);
	EXPECT_EQ(3, m->nsamples);
	m = record_put(r, &t_metrics[2], samples, 3, 12);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(12, m->value);
	EXPECT_EQ(DIR_INFO, m->direction);
	EXPECT_EQ(STATUS_PASS, r->status);
	record_free(r);
}

TEST(run_put_refuses_an_undeclared_metric)
{
	/* the same name, unit and direction, but not the scenario's descriptor */
	static const struct metric_desc lookalike = {
		"plain_ms", "ms", DIR_LOWER_IS_BETTER, "not declared",
	};
	static const struct metric_desc other = { "other_ms", "ms", DIR_LOWER_IS_BETTER, "" };
	struct run_ctx ctx = { .scenario = &t_scenario };

	ctx.rec = record_new("test-metrics", NULL);
	ASSERT_NE(NULL, ctx.rec);
	EXPECT_NE(NULL, run_put_value(&ctx, &t_metrics[0], 1.5));
	EXPECT_EQ(STATUS_PASS, ctx.rec->status);
	EXPECT_EQ(NULL, run_put_value(&ctx, &other, 1));
	EXPECT_EQ(NULL, run_put(&ctx, &lookalike, (const double[]){ 1 }, 1, NAN));
	EXPECT_EQ(1, ctx.rec->nmetrics);
	EXPECT_EQ(STATUS_ERROR, ctx.rec->status);
	ASSERT_NE(NULL, ctx.rec->status_reason);
	/* the first mistake gives the reason */
	EXPECT_STREQ("metric other_ms is not declared by scenario test-metrics",
		     ctx.rec->status_reason);
	record_free(ctx.rec);
}

TEST(run_put_refuses_a_value_for_a_median_metric)
{
	struct run_ctx ctx = { .scenario = &t_scenario };

	ctx.rec = record_new("test-metrics", NULL);
	ASSERT_NE(NULL, ctx.rec);
	/* t_metrics[0] is neither pooled nor a total: its value is the median */
	EXPECT_NE(NULL, run_put(&ctx, &t_metrics[0], (const double[]){ 1, 3 }, 2, NAN));
	EXPECT_EQ(STATUS_PASS, ctx.rec->status);
	EXPECT_EQ(NULL, run_put(&ctx, &t_metrics[0], (const double[]){ 1, 3 }, 2, 7));
	EXPECT_EQ(1, ctx.rec->nmetrics);
	EXPECT_EQ(STATUS_ERROR, ctx.rec->status);
	ASSERT_NE(NULL, ctx.rec->status_reason);
	EXPECT_NE(NULL, strstr(ctx.rec->status_reason, "neither pooled nor a total"));
	record_free(ctx.rec);
}

TEST(every_scenario_declares_unique_described_metrics)
{
	for (int i = 0; scenarios[i]; i++) {
		const struct metric_desc *m = scenarios[i]->metrics;

		ASSERT_NE(NULL, m);
		ASSERT_NE(NULL, m[0].name) TH_LOG("%s declares no metric", scenarios[i]->name);
		for (int a = 0; m[a].name; a++) {
			EXPECT_NE(NULL, m[a].unit) TH_LOG("%s", m[a].name);
			EXPECT_NE(NULL, m[a].help) TH_LOG("%s", m[a].name);
			EXPECT_LE(m[a].dir, DIR_INFO) TH_LOG("%s", m[a].name);
			/* a pooled or total value needs the samples it summarises */
			if (m[a].flags & (M_POOLED | M_TOTAL))
				EXPECT_TRUE(m[a].flags & M_PER_EPOCH) TH_LOG("%s", m[a].name);
			for (int b = 0; b < a; b++)
				EXPECT_STRNE(m[a].name, m[b].name) TH_LOG("%s", scenarios[i]->name);
		}
	}
}

TEST(dirty_modes_registry)
{
	const struct scenario_desc *dirty = scenario_find("dirty");
	size_t n = 0;

	ASSERT_NE(NULL, dirty);
	for (; dirty_modes[n]; n++) {
		const struct dirty_mode *mode = dirty_modes[n];

		EXPECT_STREQ(mode->name, dirty_mode_name(n));
		EXPECT_NE(NULL, mode->harvest) TH_LOG("%s", mode->name);
		ASSERT_NE(NULL, mode->metrics) TH_LOG("%s", mode->name);
		/* what a mode reports is declared by the scenario */
		for (const int *m = mode->metrics; *m >= 0; m++) {
			ASSERT_LT(*m, DM_N);
			EXPECT_EQ(&dirty_metrics[*m], &dirty->metrics[*m]);
		}
	}
	EXPECT_EQ(3, n);
	EXPECT_EQ(NULL, dirty_mode_name(n));
	EXPECT_STREQ("bitmap", dirty_mode_name(0));
	EXPECT_EQ(NULL, dirty->metrics[DM_N].name);
}

TEST_HARNESS_MAIN
