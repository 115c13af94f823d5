// SPDX-License-Identifier: GPL-2.0
/*
 * The gate: the statistics against known values, the rules file, config
 * keys, then whole comparisons on temporary stores of synthetic runs, both
 * through gate_compare() and through the mmubench binary (exit status,
 * table, KTAP).
 *
 * Reference values: closed forms where they exist (Student's t with 1 and 2
 * degrees of freedom, I_x(a, b) for whole a and b, the exact distribution of
 * U counted by hand); the 97.5% quantiles of the t tables; the wilcox.test
 * example of R's documentation (Hollander and Wolfe: W = 35, p = 0.2544,
 * which enumerating all 3003 rank assignments confirms: 764/3003); every
 * other value computed independently with mpmath at 40 digits (betainc, the
 * t tail as I_{df/(df+t^2)}(df/2, 1/2), Welch's t and df from their
 * definitions on the data of the three examples of Wikipedia's "Welch's
 * t-test" article, the normal approximation of U with R's tie and
 * continuity corrections). ASSERT_*() expand to two statements: loops and
 * ifs keep braces.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "kselftest_harness.h"
#include "tests/t_util.h"
#include "tests/t_record.h"

#include "tests/t_spawn.h"

#include "src/gate/gate.h"
#include "workloads/catalog.h"
#include "src/record/record.h"
#include "src/stats/signif.h"
#include "src/store/store.h"

#define T_EXIT_FAILED	1	/* src/cli/commands.h */
#define T_EXIT_ERROR	3

/* |got - want| <= tol * max(1, |want|) */
#define EXPECT_CLOSE(want, got, tol) \
	EXPECT_TRUE(fabs((got) - (want)) <= (tol) * fmax(1, fabs((double)(want)))) \
		TH_LOG("%s = %.17g, expected %.17g", #got, (double)(got), (double)(want))
/* relative: for small p-values */
#define EXPECT_REL(want, got, tol) \
	EXPECT_TRUE(fabs((got) - (want)) <= (tol) * fabs((double)(want))) \
		TH_LOG("%s = %.17g, expected %.17g", #got, (double)(got), (double)(want))

/* ------------------------------------------------------------------------ */
/* Special functions */

TEST(betai_known_values)
{
	/* whole a, b: I_x(a, b) = sum_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j); 11/16 */
	EXPECT_CLOSE(0.6875, stats_betai(2, 3, 0.5), 1e-14);
	EXPECT_CLOSE(1 - pow(0.7, 4), stats_betai(1, 4, 0.3), 1e-14);
	/* mpmath betainc(a, b, 0, x, regularized=True) */
	EXPECT_CLOSE(0.94733685529147602355, stats_betai(0.5, 5.5, 0.3), 1e-13);
	EXPECT_CLOSE(0.15164090963470996856, stats_betai(10, 0.5, 0.9), 1e-13);
	EXPECT_CLOSE(0.50242861631993159158, stats_betai(200, 300, 0.4), 1e-12);
	/* symmetry I_x(a, b) = 1 - I_{1-x}(b, a) */
	EXPECT_CLOSE(1 - stats_betai(3.5, 1.25, 0.6), stats_betai(1.25, 3.5, 0.4), 1e-14);
	EXPECT_EQ(0, stats_betai(2, 3, 0));
	EXPECT_EQ(1, stats_betai(2, 3, 1));
	EXPECT_TRUE(isnan(stats_betai(2, 3, 1.5)));
	EXPECT_TRUE(isnan(stats_betai(0, 3, 0.5)));
	EXPECT_TRUE(isnan(stats_betai(2, -1, 0.5)));
}

TEST(t_distribution)
{
	/* df = 1 is Cauchy: p = 1 - 2 atan(|t|) / pi */
	EXPECT_CLOSE(0.5, stats_t_p_two_sided(1, 1), 1e-14);
	EXPECT_CLOSE(1 - 2 * atan(3) / M_PI, stats_t_p_two_sided(-3, 1), 1e-14);
	/* df = 2: p = 1 - |t| / sqrt(t^2 + 2) */
	EXPECT_CLOSE(1 - 2 / sqrt(6), stats_t_p_two_sided(2, 2), 1e-14);
	EXPECT_CLOSE(0.18350341907227396727, stats_t_p_two_sided(2, 2), 1e-14);
	/* the 97.5% quantiles of the tables give p = 0.05 */
	EXPECT_CLOSE(0.05, stats_t_p_two_sided(12.7062047361747, 1), 1e-12);
	EXPECT_CLOSE(0.05, stats_t_p_two_sided(2.228138851986, 10), 1e-11);
	EXPECT_CLOSE(0.05, stats_t_p_two_sided(1.959963984540054, INFINITY), 1e-14);
	/* mpmath, fractional df included (Welch's df are) */
	EXPECT_CLOSE(0.056257842125590935618, stats_t_p_two_sided(2.0, 25.5), 1e-13);
	EXPECT_REL(1.7617152041271974156e-05, stats_t_p_two_sided(50, 3), 1e-11);
	EXPECT_CLOSE(0.92054453109585123216, stats_t_p_two_sided(0.1, 100), 1e-13);
	EXPECT_CLOSE(0.99922889698102442652, stats_t_p_two_sided(1e-3, 7.3), 1e-13);
	EXPECT_EQ(1, stats_t_p_two_sided(0, 4));
	EXPECT_EQ(0, stats_t_p_two_sided(INFINITY, 4));
	EXPECT_TRUE(isnan(stats_t_p_two_sided(1, 0)));
	EXPECT_CLOSE(0.5, stats_normal_cdf(0), 1e-15);
	EXPECT_CLOSE(0.975, stats_normal_cdf(1.959963984540054), 1e-14);
}

/* ------------------------------------------------------------------------ */
/* Welch's t-test */

static const double t_e1a[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6,
				23.1, 19.6, 19.0, 21.7, 21.4 };
static const double t_e1b[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2,
				21.9, 22.1, 22.9, 20.5, 24.4 };
static const double t_e2a[] = { 17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8 };
static const double t_e2b[] = { 21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8,
				20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8 };
static const double t_e3a[] = { 19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0 };
static const double t_e3b[] = { 28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7,
				23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3 };

TEST(welch_textbook_examples)
{
	static const struct {
		const double *a, *b;
		size_t na, nb;
		double t, df, p;		/* mpmath, 40 digits */
	} ex[] = {
		{ t_e1a, t_e1b, ARRAY_SIZE(t_e1a), ARRAY_SIZE(t_e1b),
		  -2.4553563982860045, 24.988529290231414, 0.021378001462867060 },
		{ t_e2a, t_e2b, ARRAY_SIZE(t_e2a), ARRAY_SIZE(t_e2b),
		  -1.5654335235985055, 9.9047412486508292, 0.14884169660532791 },
		{ t_e3a, t_e3b, ARRAY_SIZE(t_e3a), ARRAY_SIZE(t_e3b),
		  -2.2255120399698535, 24.524634944257347, 0.035484530830010196 },
	};
	struct stats_test_result r;

	for (size_t i = 0; i < ARRAY_SIZE(ex); i++) {
		ASSERT_EQ(0, stats_welch(ex[i].a, ex[i].na, ex[i].b, ex[i].nb, &r));
		EXPECT_CLOSE(ex[i].t, r.statistic, 1e-12);
		EXPECT_CLOSE(ex[i].df, r.df, 1e-12);
		EXPECT_REL(ex[i].p, r.p, 1e-10);
		/* swapping the samples flips t, keeps df and p */
		ASSERT_EQ(0, stats_welch(ex[i].b, ex[i].nb, ex[i].a, ex[i].na, &r));
		EXPECT_CLOSE(-ex[i].t, r.statistic, 1e-12);
		EXPECT_REL(ex[i].p, r.p, 1e-10);
	}
}

TEST(welch_degenerate)
{
	static const double one[] = { 1 }, c5[] = { 5, 5, 5 }, c6[] = { 6, 6, 6, 6 };
	static const double big[] = { 1e9 + 1, 1e9 + 2, 1e9 + 3 }, big2[] = { 1e9 + 1, 1e9 + 2, 1e9 + 3 };
	struct stats_test_result r;

	EXPECT_EQ(-EINVAL, stats_welch(one, 1, c5, 3, &r));
	EXPECT_TRUE(isnan(r.p));
	/* no variance: equal means are p = 1, different ones p = 0 */
	ASSERT_EQ(0, stats_welch(c5, 3, c5, 3, &r));
	EXPECT_EQ(1, r.p);
	EXPECT_EQ(0, r.statistic);
	ASSERT_EQ(0, stats_welch(c5, 3, c6, 4, &r));
	EXPECT_EQ(0, r.p);
	/* identical samples with a large common offset: t = 0, p = 1 */
	ASSERT_EQ(0, stats_welch(big, 3, big2, 3, &r));
	EXPECT_EQ(0, r.statistic);
	EXPECT_CLOSE(1, r.p, 1e-15);
}

/* ------------------------------------------------------------------------ */
/* Mann-Whitney U */

TEST(mann_whitney_exact_distribution)
{
	/*
	 * m = n = 5, 252 orderings. Counts of U = 0, 1, 2, 3 by hand: {},
	 * {one swap}, 2 ways, 3 ways -> P(U <= 2) = 4/252, P(U <= 3) = 7/252:
	 * the tables' two-sided 5% critical value is U = 2.
	 */
	EXPECT_CLOSE(1.0 / 252, stats_mann_whitney_cdf(0, 5, 5), 1e-15);
	EXPECT_CLOSE(2.0 / 252, stats_mann_whitney_cdf(1, 5, 5), 1e-15);
	EXPECT_CLOSE(4.0 / 252, stats_mann_whitney_cdf(2, 5, 5), 1e-15);
	EXPECT_CLOSE(7.0 / 252, stats_mann_whitney_cdf(3, 5, 5), 1e-15);
	EXPECT_EQ(1, stats_mann_whitney_cdf(25, 5, 5));
	EXPECT_EQ(0, stats_mann_whitney_cdf(-1, 5, 5));
	/* m = 2, n = 3: U = 0..6 with counts 1 1 2 2 2 1 1 of C(5, 2) = 10 */
	EXPECT_CLOSE(0.4, stats_mann_whitney_cdf(2, 2, 3), 1e-15);
	EXPECT_CLOSE(0.6, stats_mann_whitney_cdf(3, 2, 3), 1e-15);
	EXPECT_CLOSE(0.8, stats_mann_whitney_cdf(4, 3, 2), 1e-15);
	/* symmetric: P(U <= u) = 1 - P(U <= mn - u - 1) */
	for (int u = 0; u < 56; u++) {
		EXPECT_CLOSE(1 - stats_mann_whitney_cdf(56 - u - 1, 7, 8),
			     stats_mann_whitney_cdf(u, 7, 8), 1e-13);
	}
	/* the best two-sided p: 2 / C(m + n, m) */
	EXPECT_CLOSE(0.1, stats_mann_whitney_min_p(3, 3), 1e-15);
	EXPECT_CLOSE(2.0 / 70, stats_mann_whitney_min_p(4, 4), 1e-15);
	EXPECT_CLOSE(2.0 / 56, stats_mann_whitney_min_p(3, 5), 1e-15);
	EXPECT_CLOSE(2.0 / 252, stats_mann_whitney_min_p(5, 5), 1e-15);
	EXPECT_EQ(1, stats_mann_whitney_min_p(1, 1));
}

TEST(mann_whitney_known_values)
{
	/* R's ?wilcox.test, from Hollander and Wolfe: W = 35, p-value = 0.2544 */
	static const double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	static const double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	static const double a[] = { 10.1, 10.3, 10.2, 10.0, 10.4 }, b[] = { 12.1, 12.3, 11.9, 12.0, 12.2 };
	static const double s3[] = { 1, 2, 3 }, l3[] = { 4, 5, 6 };
	struct stats_test_result r;

	ASSERT_EQ(0, stats_mann_whitney(x, ARRAY_SIZE(x), y, ARRAY_SIZE(y), &r));
	EXPECT_EQ(35, r.statistic);
	EXPECT_TRUE(r.exact);
	EXPECT_CLOSE(0.2544122544122544, r.p, 1e-13);	/* enumerated: 764/3003 */
	ASSERT_EQ(0, stats_mann_whitney(y, ARRAY_SIZE(y), x, ARRAY_SIZE(x), &r));
	EXPECT_EQ(15, r.statistic);
	EXPECT_CLOSE(0.2544122544122544, r.p, 1e-13);
	/* fully separated 5 against 5: U = 0, p = 2/252 */
	ASSERT_EQ(0, stats_mann_whitney(a, 5, b, 5, &r));
	EXPECT_EQ(0, r.statistic);
	EXPECT_CLOSE(2.0 / 252, r.p, 1e-15);
	ASSERT_EQ(0, stats_mann_whitney(b, 5, a, 5, &r));
	EXPECT_EQ(25, r.statistic);
	EXPECT_CLOSE(2.0 / 252, r.p, 1e-15);
	/* 3 against 3 can do no better than 0.1 */
	ASSERT_EQ(0, stats_mann_whitney(s3, 3, l3, 3, &r));
	EXPECT_CLOSE(0.1, r.p, 1e-15);
	EXPECT_EQ(-EINVAL, stats_mann_whitney(s3, 0, l3, 3, &r));
}

TEST(mann_whitney_normal_approximation)
{
	/* ties: midranks, z with tie and continuity corrections (R's formula, mpmath) */
	static const double a[] = { 1, 2, 2, 3, 4, 5, 5, 5, 7 };
	static const double b[] = { 3, 4, 5, 6, 6, 7, 8, 8, 9, 10 };
	static const double same[] = { 4, 4, 4, 4 };
	double big_a[60], big_b[60];
	struct stats_test_result r;

	ASSERT_EQ(0, stats_mann_whitney(a, ARRAY_SIZE(a), b, ARRAY_SIZE(b), &r));
	EXPECT_EQ(15, r.statistic);
	EXPECT_FALSE(r.exact);
	EXPECT_CLOSE(0.015276879995367129646, r.p, 1e-12);
	/* the same values on both sides: nothing to tell apart */
	ASSERT_EQ(0, stats_mann_whitney(a, ARRAY_SIZE(a), a, ARRAY_SIZE(a), &r));
	EXPECT_CLOSE(1, r.p, 1e-15);
	ASSERT_EQ(0, stats_mann_whitney(same, 4, same, 4, &r));
	EXPECT_EQ(1, r.p);
	/* 60 a side, no ties: 1..60 against 31.5..90.5, U = 0 + 1 + ... + 29 = 435 */
	for (int i = 0; i < 60; i++) {
		big_a[i] = i + 1;
		big_b[i] = i + 31.5;
	}
	ASSERT_EQ(0, stats_mann_whitney(big_a, 60, big_b, 60, &r));
	EXPECT_EQ(435, r.statistic);
	EXPECT_FALSE(r.exact);
	EXPECT_REL(7.96433267047052968510e-13, r.p, 1e-9);
}

/* ------------------------------------------------------------------------ */
/* Multiple comparisons and effect size */

/*
 * Holm and Benjamini-Hochberg by hand from their definitions (the values
 * R's p.adjust() gives): Holm multiplies the i-th smallest of m by m - i + 1
 * and carries the running maximum up; BH multiplies it by m / i and carries
 * the running minimum down; both cap at 1; ties rank in input order.
 */
TEST(p_adjust_known_values)
{
	static const double p5[] = { 0.01, 0.02, 0.03, 0.04, 0.05 };
	static const double holm5[] = { 0.05, 0.08, 0.09, 0.09, 0.09 };
	/* unsorted, with a tie: sorted 0.001 0.001 0.02 0.04 0.3 0.5 */
	static const double p6[] = { 0.04, 0.001, 0.5, 0.001, 0.3, 0.02 };
	/* x 6 5 4 3 2 1 = .006 .005 .08 .12 .6 .5, running max */
	static const double holm6[] = { 0.12, 0.006, 0.6, 0.006, 0.6, 0.08 };
	/* x 6 3 2 1.5 1.2 1 = .006 .003 .04 .06 .36 .5, running min from the top */
	static const double bh6[] = { 0.06, 0.003, 0.5, 0.003, 0.36, 0.04 };
	static const double big[] = { 0.6, 0.7 }, bad[] = { 0.1, NAN }, over[] = { 1.5 };
	double out[6];

	ASSERT_EQ(0, stats_p_adjust(STATS_ADJUST_HOLM, p5, 5, out));
	for (int i = 0; i < 5; i++) {
		EXPECT_CLOSE(holm5[i], out[i], 1e-15);
	}
	ASSERT_EQ(0, stats_p_adjust(STATS_ADJUST_BH, p5, 5, out));
	for (int i = 0; i < 5; i++) {
		EXPECT_CLOSE(0.05, out[i], 1e-15);
	}
	ASSERT_EQ(0, stats_p_adjust(STATS_ADJUST_HOLM, p6, 6, out));
	for (int i = 0; i < 6; i++) {
		EXPECT_CLOSE(holm6[i], out[i], 1e-15);
	}
	ASSERT_EQ(0, stats_p_adjust(STATS_ADJUST_BH, p6, 6, out));
	for (int i = 0; i < 6; i++) {
		EXPECT_CLOSE(bh6[i], out[i], 1e-15);
	}
	ASSERT_EQ(0, stats_p_adjust(STATS_ADJUST_NONE, p6, 6, out));
	for (int i = 0; i < 6; i++) {
		EXPECT_EQ(p6[i], out[i]);
	}
	/* capped at 1, and kept monotone */
	ASSERT_EQ(0, stats_p_adjust(STATS_ADJUST_HOLM, big, 2, out));
	EXPECT_EQ(1, out[0]);
	EXPECT_EQ(1, out[1]);
	ASSERT_EQ(0, stats_p_adjust(STATS_ADJUST_BH, big, 2, out));
	EXPECT_CLOSE(0.7, out[0], 1e-15);
	EXPECT_CLOSE(0.7, out[1], 1e-15);
	/* one test is its own family; in place works */
	memcpy(out, p6, sizeof(p6));
	ASSERT_EQ(0, stats_p_adjust(STATS_ADJUST_HOLM, out, 1, out));
	EXPECT_EQ(0.04, out[0]);
	ASSERT_EQ(0, stats_p_adjust(STATS_ADJUST_BH, out, 6, out));
	for (int i = 0; i < 6; i++) {
		EXPECT_CLOSE(bh6[i], out[i], 1e-15);
	}
	EXPECT_EQ(0, stats_p_adjust(STATS_ADJUST_HOLM, NULL, 0, NULL));
	EXPECT_EQ(-EINVAL, stats_p_adjust(STATS_ADJUST_HOLM, bad, 2, out));
	EXPECT_EQ(-EINVAL, stats_p_adjust(STATS_ADJUST_NONE, over, 1, out));
}

TEST(pooled_sd_known_values)
{
	/* variance 2.5 each */
	static const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 3, 4, 5, 6, 7 };
	static const double c[] = { 2, 4, 6 };			/* var 4 */
	static const double d[] = { 1, 2, 3, 4, 5, 6, 7 };	/* var 28/6 */
	static const double one[] = { 9 }, k[] = { 5, 5, 5 };
	struct gate_row row = { .kind = GATE_ROW_METRIC };
	struct gate_params p = { .test = GATE_TEST_WELCH, .alpha = 0.05, .min_effect = 1,
				 .min_samples = 2, .direction = -1 };

	EXPECT_CLOSE(sqrt(2.5), stats_pooled_sd(a, 5, b, 5), 1e-15);
	/* (2 * 4 + 6 * 28/6) / 8 = 4.5 */
	EXPECT_CLOSE(sqrt(4.5), stats_pooled_sd(c, 3, d, 7), 1e-15);
	EXPECT_CLOSE(0, stats_pooled_sd(k, 3, k, 3), 0);
	/* one value a side leaves no degree of freedom; two in all neither */
	EXPECT_TRUE(isnan(stats_pooled_sd(one, 1, one, 1)));
	EXPECT_CLOSE(0, stats_pooled_sd(one, 1, k, 2), 0);
	/* the gate's effect: the change of the means in pooled SDs, signed */
	ASSERT_EQ(0, gate_judge(&p, DIR_LOWER_IS_BETTER, a, 5, b, 5, &row));
	EXPECT_CLOSE(2 / sqrt(2.5), row.effect, 1e-14);
	free(row.note);
	ASSERT_EQ(0, gate_judge(&p, DIR_LOWER_IS_BETTER, b, 5, a, 5, &row));
	EXPECT_CLOSE(-2 / sqrt(2.5), row.effect, 1e-14);
	free(row.note);
	/* no noise: infinite, or none */
	ASSERT_EQ(0, gate_judge(&p, DIR_LOWER_IS_BETTER, k, 3, c, 3, &row));
	EXPECT_CLOSE(-1 / sqrt(2), row.effect, 1e-14);
	free(row.note);
	ASSERT_EQ(0, gate_judge(&p, DIR_LOWER_IS_BETTER, k, 3, k, 3, &row));
	EXPECT_EQ(0, row.effect);
	free(row.note);
}

/* ------------------------------------------------------------------------ */
/* Rules */

TEST(default_rules_values)
{
	struct gate_rules r;
	struct gate_params p;
	char err[512] = "";

	ASSERT_EQ(0, gate_rules_load(NULL, &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("built-in", r.source);
	EXPECT_EQ(GATE_TEST_WELCH, r.defaults.test);
	EXPECT_EQ(0.05, r.defaults.alpha);
	EXPECT_EQ(5, r.defaults.min_change_pct);
	EXPECT_EQ(3, r.defaults.min_samples);
	EXPECT_EQ(1, r.defaults.min_effect);
	EXPECT_EQ(GATE_CORRECT_HOLM, r.correction);
	EXPECT_EQ(-1, r.defaults.direction);
	EXPECT_TRUE(strlist_match(&r.correctness_metrics, "lost_pages"));
	EXPECT_TRUE(strlist_match(&r.correctness_metrics, "oracle_missed_pages"));
	EXPECT_FALSE(strlist_match(&r.correctness_metrics, "spurious_pct"));
	EXPECT_TRUE(strlist_match(&r.correctness_checks, "memory_contents"));
	EXPECT_TRUE(strlist_match(&r.correctness_checks, "no_lost_pages"));
	EXPECT_FALSE(strlist_match(&r.correctness_checks, "placement"));
	EXPECT_TRUE(strlist_match(&r.ignore_params, "backing-path"));
	gate_rules_for(&r, "access_p99_us", &p);
	EXPECT_EQ(10, p.min_change_pct);
	EXPECT_EQ(GATE_TEST_WELCH, p.test);
	gate_rules_for(&r, "access_ns_per_page", &p);
	EXPECT_EQ(5, p.min_change_pct);
	gate_rules_free(&r);
}

TEST(rules_overrides_in_order)
{
	static const char text[] =
		"# comment\n"
		"[defaults]\n"
		"test = mann-whitney   # trailing comment\n"
		"alpha = 0.01\n"
		"min_change = 2.5\n"
		"min_samples = 5\n"
		"correction = bh\n"
		"min_effect = 0.5\n"
		"[metrics]\n"
		"*_us: min_change = 10, test = welch, min_effect = 2\n"
		"fault_p99_us: min_change=20\n"
		"pf_*: direction = info\n"
		"weird_score : direction = higher , min_samples = 7\n"
		"[correctness]\n"
		"metrics = lost_*\n"
		"checks =\n"
		"[config]\n"
		"ignore_params = cpus, backing-path ,seed\n";
	struct gate_rules r;
	struct gate_params p;
	char err[512] = "";

	ASSERT_EQ(0, gate_rules_parse(text, "t.rules", &r, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(GATE_TEST_MANN_WHITNEY, r.defaults.test);
	EXPECT_EQ(0.01, r.defaults.alpha);
	EXPECT_EQ(2.5, r.defaults.min_change_pct);
	EXPECT_EQ(5, r.defaults.min_samples);
	EXPECT_EQ(GATE_CORRECT_BH, r.correction);
	EXPECT_EQ(0.5, r.defaults.min_effect);
	EXPECT_EQ(4, r.noverrides);
	gate_rules_for(&r, "fault_p99_us", &p);	/* both lines, the later one winning */
	EXPECT_EQ(20, p.min_change_pct);
	EXPECT_EQ(2, p.min_effect);
	EXPECT_EQ(GATE_TEST_WELCH, p.test);
	EXPECT_EQ(0.01, p.alpha);
	EXPECT_EQ(-1, p.direction);
	gate_rules_for(&r, "fault_p50_us", &p);
	EXPECT_EQ(10, p.min_change_pct);
	gate_rules_for(&r, "pf_taken", &p);
	EXPECT_EQ(DIR_INFO, p.direction);
	EXPECT_EQ(0.5, p.min_effect);
	EXPECT_EQ(GATE_TEST_MANN_WHITNEY, p.test);
	gate_rules_for(&r, "weird_score", &p);
	EXPECT_EQ(DIR_HIGHER_IS_BETTER, p.direction);
	EXPECT_EQ(7, p.min_samples);
	EXPECT_TRUE(strlist_match(&r.correctness_metrics, "lost_pages"));
	EXPECT_EQ(0, r.correctness_checks.n);
	ASSERT_EQ(3, r.ignore_params.n);
	EXPECT_STREQ("backing-path", r.ignore_params.v[1]);
	EXPECT_STREQ("seed", r.ignore_params.v[2]);
	gate_rules_free(&r);
}

TEST(rules_errors)
{
	static const struct {
		const char *text, *needle;
	} cases[] = {
		{ "test = welch\n", "x.rules:1: 'test = welch' before any [section]" },
		{ "[defaults]\n\n[bogus]\n", "x.rules:3: unknown section '[bogus]'" },
		{ "[defaults]\nalpha = 1.5\n", "x.rules:2: alpha 1.5 is not between 0 and 1" },
		{ "[defaults]\nalpha = 0\n", "alpha 0 is not between" },
		{ "[defaults]\nalpha = lots\n", "alpha expects a number, not 'lots'" },
		{ "[defaults]\nmin_change = -1\n", "min_change -1 is negative" },
		{ "[defaults]\nmin_samples = 0\n", "min_samples expects a whole number from 1" },
		{ "[defaults]\ntest = t\n", "test 't' is not one of: welch, mann-whitney" },
		{ "[defaults]\nspeed = 3\n", "x.rules:2: unknown key 'speed'" },
		{ "[defaults]\ndirection = lower\n", "direction belongs to [metrics]" },
		{ "[defaults]\nalpha\n", "expected key = value, not 'alpha'" },
		{ "[metrics]\nfoo min_change = 3\n", "x.rules:2: expected 'GLOB: key = value" },
		{ "[metrics]\n: min_change = 3\n", "no metric name or glob" },
		{ "[metrics]\nfoo:\n", "no key = value after 'foo:'" },
		{ "[metrics]\nfoo: min_change\n", "expected key = value, not 'min_change'" },
		{ "[metrics]\nfoo: direction = sideways\n", "direction 'sideways' is not one of" },
		{ "[metrics]\nfoo: speed = 1\n", "unknown key 'speed' (known: test, alpha, min_change, min_effect, min_samples, direction)" },
		{ "[defaults]\ncorrection = sidak\n", "x.rules:2: correction 'sidak' is not one of: holm, bh, none" },
		{ "[metrics]\nfoo: correction = bh\n", "correction belongs to [defaults]" },
		{ "[defaults]\nmin_effect = -1\n", "min_effect -1 is negative (pooled standard deviations" },
		{ "[defaults]\nmin_effect = big\n", "min_effect expects a number, not 'big'" },
		{ "[correctness]\nmetric = lost_pages\n", "unknown key 'metric' in [correctness]" },
		{ "[config]\nignore = seed\n", "unknown key 'ignore' in [config]" },
	};
	struct gate_rules r;
	char err[512];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, gate_rules_parse(cases[i].text, "x.rules", &r, err, sizeof(err)))
			TH_LOG("case %zu", i);
		EXPECT_NE(NULL, strstr(err, cases[i].needle))
			TH_LOG("case %zu: '%s' does not contain '%s'", i, err, cases[i].needle);
		EXPECT_EQ(NULL, strchr(err, '\n'));
		gate_rules_free(&r);
	}
	err[0] = '\0';
	EXPECT_EQ(-ENOENT, gate_rules_load("/nonexistent/gate.rules", &r, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "/nonexistent/gate.rules")) TH_LOG("%s", err);
	gate_rules_free(&r);
}

/* ------------------------------------------------------------------------ */
/* Config keys */

static char *t_key(const char *scenario, const char *params, const struct strlist *ignore)
{
	struct json_object *o = json_tokener_parse(params);
	char *k = config_key(scenario, o, ignore);

	json_object_put(o);
	return k;
}

TEST(config_keys)
{
	char *ignore_v[] = { "cpus" };
	struct strlist ignore = { ignore_v, 1 };
	char *a, *b;

	/* key order, number spelling, output-only options: one config */
	a = t_key("access", "{\"vcpus\":1,\"zipf-theta\":0.5,\"label\":\"x\"}", NULL);
	b = t_key("access", "{\"zipf-theta\":5e-1,\"json\":\"f\",\"vcpus\":1.0,\"store\":\"s\"}", NULL);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_STREQ(a, b);
	EXPECT_STREQ("access {\"vcpus\":1,\"zipf-theta\":0.5}", a);
	free(a);
	free(b);
	/* a parameter at its default is the same as a parameter not recorded */
	a = t_key("access", "{\"vcpus\":2,\"mem-per-vcpu\":268435456,\"pattern\":\"sequential\",\"hot-frac\":0.10000000000000001}", NULL);
	b = t_key("access", "{}", NULL);
	EXPECT_STREQ(a, b);
	EXPECT_STREQ("access {}", a);
	free(a);
	free(b);
	/* but a different value, or scenario, is another config */
	a = t_key("access", "{\"vcpus\":4}", NULL);
	b = t_key("access", "{\"vcpus\":1}", NULL);
	EXPECT_STRNE(a, b);
	free(b);
	b = t_key("dirty", "{\"vcpus\":4}", NULL);
	EXPECT_STRNE(a, b);
	free(a);
	free(b);
	/* ignored parameters */
	a = t_key("access", "{\"vcpus\":4,\"cpus\":\"0-3\"}", &ignore);
	b = t_key("access", "{\"vcpus\":4,\"cpus\":\"4-7\"}", &ignore);
	EXPECT_STREQ(a, b);
	free(a);
	free(b);
	/* an unknown scenario keeps everything */
	a = t_key("future", "{\"b\":[1,2.0],\"a\":{\"y\":null,\"x\":true}}", NULL);
	EXPECT_STREQ("future {\"a\":{\"x\":true,\"y\":null},\"b\":[1,2]}", a);
	free(a);
}

/* ------------------------------------------------------------------------ */
/* Whole comparisons on a temporary store */

T_SCRATCH_BASE("gate")

/* A new, empty store path for one test in @buf. */
static char *t_store_path(char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (!t_base[0])
		return NULL;
	snprintf(dir, sizeof(dir), "%s/XXXXXX", t_base);
	if (!mkdtemp(dir))
		return NULL;
	snprintf(buf, len, "%s/mmubench.db", dir);
	return buf;
}

/* Deterministic noise: a 64-bit LCG and Box-Muller, N(0, 1). */
static double t_gauss(uint64_t *st)
{
	double u1, u2;

	*st = *st * 6364136223846793005ull + 1442695040888963407ull;
	u1 = ((*st >> 11) + 0.5) / 9007199254740992.0;
	*st = *st * 6364136223846793005ull + 1442695040888963407ull;
	u2 = ((*st >> 11) + 0.5) / 9007199254740992.0;
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* What one synthetic run of the access scenario measured. */
struct t_run {
	const char *label;
	const char *params;	/* JSON; NULL: {"vcpus":1} */
	double ns;		/* access_ns_per_page, lower is better */
	double mpps;		/* access_mpages_per_s, higher is better */
	double faults;		/* access_pf_taken, info */
	double lost;		/* lost_pages, correctness */
	double lost_sample;	/* one of lost_pages' samples (its median stays @lost) */
	bool contents_fail;	/* check memory_contents failed */
	enum record_status status;
	size_t nsamples;	/* > 0: ns as that many samples around it (the run's own spread) */
};

static int t_insert(const char *path, const struct t_run *tr)
{
	struct record *r = record_new("access", tr->label);
	double ns[3] = { tr->ns * 0.99, tr->ns, tr->ns * 1.01 }, many[64];
	double lost[3] = { tr->lost, tr->lost, tr->lost_sample };
	int ret;

	if (!r)
		return -ENOMEM;
	json_object_put(r->params);
	r->params = json_tokener_parse(tr->params ? tr->params : "{\"vcpus\":1}");
	if (tr->nsamples) {
		uint64_t st = (uint64_t)(tr->ns * 1000);

		for (size_t i = 0; i < tr->nsamples && i < 64; i++)
			many[i] = tr->ns * (1 + 0.02 * t_gauss(&st));
		record_add_metric(r, "access_ns_per_page", "ns/page", DIR_LOWER_IS_BETTER, many,
				  tr->nsamples);
	} else {
		record_add_metric(r, "access_ns_per_page", "ns/page", DIR_LOWER_IS_BETTER, ns, 3);
	}
	record_add_value(r, "access_mpages_per_s", "Mpages/s", DIR_HIGHER_IS_BETTER, tr->mpps);
	record_add_value(r, "access_pf_taken", "faults", DIR_INFO, tr->faults);
	record_add_metric(r, "lost_pages", "pages", DIR_LOWER_IS_BETTER, lost,
			  tr->lost_sample != tr->lost ? 3 : 1);
	if (tr->contents_fail)
		record_add_check(r, "memory_contents", STATUS_FAIL, "page %d: expected %d, found %d",
				 7, 1, 2);
	else
		record_add_check(r, "memory_contents", STATUS_PASS, NULL);
	if (tr->status != STATUS_PASS)
		record_set_status(r, tr->status, "synthetic %s", record_status_name(tr->status));
	ret = t_store_insert(path, r);
	record_free(r);
	return ret;
}

/*
 * @n runs labelled @label: ns about 100 and mpps about 50 with 2% noise
 * (seeded by @seed), scaled by @ns_scale and @mpps_scale.
 */
static int t_insert_label(const char *path, const char *label, const char *params, int n,
			  uint64_t seed, double ns_scale, double mpps_scale)
{
	uint64_t st = seed;
	int ret = 0;

	for (int i = 0; i < n && !ret; i++) {
		struct t_run tr = {
			.label = label, .params = params,
			.ns = 100 * ns_scale * (1 + 0.02 * t_gauss(&st)),
			.mpps = 50 * mpps_scale * (1 + 0.02 * t_gauss(&st)),
			.faults = 1000 + i,
		};

		ret = t_insert(path, &tr);
	}
	return ret;
}

/* The row of @name in the config whose display is @config (NULL: the first that has it). */
static const struct gate_row *t_row(const struct gate_report *g, const char *config,
				    const char *name)
{
	for (size_t i = 0; i < g->nrows; i++)
		if (!strcmp(g->rows[i].name, name) &&
		    (!config || !strcmp(g->configs[g->rows[i].config].display, config)))
			return &g->rows[i];
	return NULL;
}

static int t_compare(const char *path, const char *base, const char *cand, const char *rules_text,
		     struct gate_report **g)
{
	struct gate_rules rules;
	char err[2048] = "";
	int ret;

	ret = rules_text ? gate_rules_parse(rules_text, "test", &rules, err, sizeof(err)) :
	      gate_rules_load(NULL, &rules, err, sizeof(err));
	if (!ret)
		ret = gate_compare(path, base, cand, &rules, g, err, sizeof(err));
	if (ret)
		fprintf(stderr, "# %s\n", err);
	gate_rules_free(&rules);
	return ret;
}

/* The line of @text containing @needle, in @line ("" if none). */
static const char *t_line_with(const char *text, const char *needle, char *line, size_t len)
{
	const char *p = text ? strstr(text, needle) : NULL, *start, *end;

	line[0] = '\0';
	if (!p)
		return line;
	for (start = p; start > text && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	snprintf(line, len, "%.*s", end ? (int)(end - start) : (int)strlen(start), start);
	return line;
}

/* Two labels made of the same runs (the same values): nothing regressed. */
TEST(same_runs_no_regression)
{
	char path[PATH_MAX], line[512];
	const struct gate_row *row;
	struct gate_report *g;
	struct t_out o;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "B", NULL, 5, 42, 1, 1));

	ASSERT_EQ(0, t_compare(path, "A", "B", NULL, &g));
	EXPECT_FALSE(gate_report_failed(g));
	EXPECT_EQ(1, g->nconfigs);
	EXPECT_STREQ("access vcpus=1", g->configs[0].display);
	EXPECT_EQ(5, g->configs[0].runs[0]);
	EXPECT_EQ(5, g->configs[0].runs[1]);
	EXPECT_EQ(0, g->count[GATE_REGRESSED]);
	EXPECT_EQ(0, g->count[GATE_IMPROVED]);
	EXPECT_EQ(0, g->count[GATE_FAILED]);
	row = t_row(g, NULL, "access_ns_per_page");
	ASSERT_NE(NULL, row);
	EXPECT_EQ(GATE_NO_CHANGE, row->verdict);
	EXPECT_EQ(5, row->n[0]);
	EXPECT_EQ(5, row->n[1]);
	EXPECT_EQ(0, row->change_pct);
	EXPECT_CLOSE(1, row->p, 1e-12);
	EXPECT_EQ(GATE_INFO, t_row(g, NULL, "access_pf_taken")->verdict);
	EXPECT_EQ(GATE_NO_CHANGE, t_row(g, NULL, "lost_pages")->verdict);
	EXPECT_EQ(GATE_NO_CHANGE, t_row(g, NULL, "memory_contents")->verdict);
	gate_report_free(g);

	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "B", "--store", path, NULL));
	EXPECT_EQ(0, o.status) t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "gate: PASS")) t_show("stdout", o.out);
	EXPECT_EQ(NULL, strstr(o.out, "regressed ")) t_show("stdout", o.out);
	t_line_with(o.out, "access_ns_per_page", line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "no change")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "5/5")) TH_LOG("%s", line);
	EXPECT_STREQ("", o.err);
	t_out_free(&o);
}

/* The same distribution, independent noise: the minimum change keeps noise out. */
TEST(independent_noise_no_regression)
{
	char path[PATH_MAX];
	struct gate_report *g;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 1, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "D", NULL, 5, 2, 1, 1));
	ASSERT_EQ(0, t_compare(path, "A", "D", NULL, &g));
	EXPECT_FALSE(gate_report_failed(g));
	EXPECT_EQ(0, g->count[GATE_IMPROVED]);
	EXPECT_NE(GATE_NOT_ENOUGH_DATA, t_row(g, NULL, "access_ns_per_page")->verdict);
	gate_report_free(g);
}

/* A 20% slowdown of a lower-is-better metric, 5 runs a side with 2% noise: flagged. */
TEST(injected_slowdown_flagged)
{
	char path[PATH_MAX], line[512];
	const struct gate_row *row;
	struct gate_report *g;
	struct t_out o;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "C", NULL, 5, 7, 1.2, 1));

	ASSERT_EQ(0, t_compare(path, "A", "C", NULL, &g));
	EXPECT_TRUE(gate_report_failed(g));
	row = t_row(g, NULL, "access_ns_per_page");
	ASSERT_NE(NULL, row);
	EXPECT_EQ(GATE_REGRESSED, row->verdict);
	EXPECT_GT(row->change_pct, 14);
	EXPECT_LT(row->change_pct, 26);
	EXPECT_LT(row->p, 0.001);
	EXPECT_EQ(GATE_NO_CHANGE, t_row(g, NULL, "access_mpages_per_s")->verdict);
	EXPECT_EQ(1, g->count[GATE_REGRESSED]);
	gate_report_free(g);

	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "C", "--store", path, NULL));
	EXPECT_EQ(T_EXIT_FAILED, o.status) t_show("stdout", o.out);
	t_line_with(o.out, "access_ns_per_page", line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "regressed")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "+")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(o.out, "gate: FAIL: 1 regressed")) t_show("stdout", o.out);
	t_out_free(&o);

	/* the other way round it is an improvement, and the gate passes */
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "C", "--candidate", "A", "--store", path, NULL));
	EXPECT_EQ(0, o.status) t_show("stdout", o.out);
	t_line_with(o.out, "access_ns_per_page", line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "improved")) TH_LOG("%s", line);
	t_out_free(&o);
}

/* A higher-is-better metric that drops by 20% regressed too. */
TEST(higher_is_better_drop)
{
	char path[PATH_MAX];
	const struct gate_row *row;
	struct gate_report *g;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "E", NULL, 5, 9, 1, 0.8));
	ASSERT_EQ(0, t_compare(path, "A", "E", NULL, &g));
	row = t_row(g, NULL, "access_mpages_per_s");
	ASSERT_NE(NULL, row);
	EXPECT_EQ(GATE_REGRESSED, row->verdict);
	EXPECT_LT(row->change_pct, -14);
	EXPECT_EQ(GATE_NO_CHANGE, t_row(g, NULL, "access_ns_per_page")->verdict);
	EXPECT_TRUE(gate_report_failed(g));
	gate_report_free(g);
	/* and rising by 20% improved it */
	ASSERT_EQ(0, t_compare(path, "E", "A", NULL, &g));
	EXPECT_EQ(GATE_IMPROVED, t_row(g, NULL, "access_mpages_per_s")->verdict);
	EXPECT_FALSE(gate_report_failed(g));
	gate_report_free(g);
}

/* Info metrics are shown, never judged, however much they move. */
TEST(info_metric_not_judged)
{
	char path[PATH_MAX];
	struct gate_report *g;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 42, 1, 1));
	for (int i = 0; i < 5; i++) {
		struct t_run tr = { .label = "F", .ns = 100, .mpps = 50, .faults = 50000 + i };

		ASSERT_EQ(0, t_insert(path, &tr));
	}
	ASSERT_EQ(0, t_compare(path, "A", "F", NULL, &g));
	EXPECT_EQ(GATE_INFO, t_row(g, NULL, "access_pf_taken")->verdict);
	EXPECT_GT(t_row(g, NULL, "access_pf_taken")->change_pct, 1000);
	EXPECT_FALSE(gate_report_failed(g));
	gate_report_free(g);
	/* unless the rules give it a direction */
	ASSERT_EQ(0, t_compare(path, "A", "F", "[metrics]\naccess_pf_taken: direction = lower\n", &g));
	EXPECT_EQ(GATE_REGRESSED, t_row(g, NULL, "access_pf_taken")->verdict);
	gate_report_free(g);
}

/* lost_pages 1 in one candidate run fails the gate, whatever the statistics. */
TEST(lost_pages_fails)
{
	char path[PATH_MAX], line[512];
	const struct gate_row *row;
	struct t_run tr = { .label = "G", .ns = 100, .mpps = 50, .faults = 1, .lost = 1,
			    .lost_sample = 1 };
	struct gate_report *g;
	struct t_out o;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "G", NULL, 4, 42, 1, 1));
	ASSERT_EQ(0, t_insert(path, &tr));
	ASSERT_EQ(0, t_compare(path, "A", "G", NULL, &g));
	row = t_row(g, NULL, "lost_pages");
	ASSERT_NE(NULL, row);
	EXPECT_EQ(GATE_ROW_CORRECTNESS, row->kind);
	EXPECT_EQ(GATE_FAILED, row->verdict);
	EXPECT_EQ(1, row->value[1]);
	EXPECT_NE(NULL, row->note);
	EXPECT_NE(NULL, strstr(row->note, "1 of 5 candidate runs")) TH_LOG("%s", row->note);
	EXPECT_TRUE(gate_report_failed(g));
	EXPECT_EQ(0, g->count[GATE_REGRESSED]);
	gate_report_free(g);

	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "G", "--store", path, NULL));
	EXPECT_EQ(T_EXIT_FAILED, o.status) t_show("stdout", o.out);
	t_line_with(o.out, "lost_pages", line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "FAILED")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(o.out, "gate: FAIL: 0 regressed, 1 failed correctness"))
		t_show("stdout", o.out);
	t_out_free(&o);
}

/* A non-zero sample fails it too, even when the headline (the median) is 0. */
TEST(lost_pages_in_a_sample_fails)
{
	char path[PATH_MAX];
	struct t_run tr = { .label = "H", .ns = 100, .mpps = 50, .lost = 0, .lost_sample = 3 };
	struct gate_report *g;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "H", NULL, 4, 42, 1, 1));
	ASSERT_EQ(0, t_insert(path, &tr));
	ASSERT_EQ(0, t_compare(path, "A", "H", NULL, &g));
	EXPECT_EQ(GATE_FAILED, t_row(g, NULL, "lost_pages")->verdict);
	EXPECT_EQ(3, t_row(g, NULL, "lost_pages")->value[1]);
	gate_report_free(g);
	/* a baseline that lost pages and a candidate that does not: improved */
	ASSERT_EQ(0, t_compare(path, "H", "A", NULL, &g));
	EXPECT_EQ(GATE_IMPROVED, t_row(g, NULL, "lost_pages")->verdict);
	EXPECT_FALSE(gate_report_failed(g));
	gate_report_free(g);
}

/* A memory_contents check that failed in a candidate run fails the gate. */
TEST(contents_check_fails)
{
	char path[PATH_MAX];
	const struct gate_row *row;
	struct t_run tr = { .label = "K", .ns = 100, .mpps = 50, .contents_fail = true };
	struct gate_report *g;
	struct t_out o;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "K", NULL, 4, 42, 1, 1));
	ASSERT_EQ(0, t_insert(path, &tr));
	ASSERT_EQ(0, t_compare(path, "A", "K", NULL, &g));
	row = t_row(g, NULL, "memory_contents");
	ASSERT_NE(NULL, row);
	EXPECT_EQ(GATE_ROW_CHECK, row->kind);
	EXPECT_EQ(GATE_FAILED, row->verdict);
	EXPECT_EQ(0, row->value[0]);
	EXPECT_EQ(1, row->value[1]);
	EXPECT_NE(NULL, strstr(row->note, "page 7: expected 1, found 2")) TH_LOG("%s", row->note);
	gate_report_free(g);
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "K", "--store", path, NULL));
	EXPECT_EQ(T_EXIT_FAILED, o.status) t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "check memory_contents")) t_show("stdout", o.out);
	t_out_free(&o);
	/* not a correctness check under other rules: no failure */
	ASSERT_EQ(0, t_compare(path, "A", "K", "[correctness]\nchecks = no_lost_pages\n", &g));
	EXPECT_EQ(NULL, t_row(g, NULL, "memory_contents"));
	EXPECT_FALSE(gate_report_failed(g));
	gate_report_free(g);
}

/* Two runs a side: not enough data, which is no failure; KTAP says SKIP. */
TEST(too_few_runs)
{
	char path[PATH_MAX], line[512];
	const struct gate_row *row;
	struct gate_report *g;
	struct t_out o;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 2, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "C", NULL, 2, 7, 1.2, 1));
	ASSERT_EQ(0, t_compare(path, "A", "C", NULL, &g));
	row = t_row(g, NULL, "access_ns_per_page");
	ASSERT_NE(NULL, row);
	EXPECT_EQ(GATE_NOT_ENOUGH_DATA, row->verdict);
	EXPECT_TRUE(isnan(row->p));
	EXPECT_GT(row->change_pct, 10);	/* shown all the same */
	EXPECT_NE(NULL, strstr(row->note, "needs 3")) TH_LOG("%s", row->note);
	EXPECT_FALSE(gate_report_failed(g));
	gate_report_free(g);

	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "C", "--store", path,
			   "--ktap", NULL));
	EXPECT_EQ(0, o.status) t_show("stdout", o.out);
	EXPECT_EQ(0, strncmp(o.out, "TAP version 13\n", 15)) t_show("stdout", o.out);
	t_line_with(o.out, "access_ns_per_page # SKIP", line, sizeof(line));
	EXPECT_EQ(0, strncmp(line, "ok ", 3)) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "# SKIP not enough data: 2 baseline and 2 candidate"))
		TH_LOG("%s", line);
	t_out_free(&o);
}

/* One run a side: the samples within each run stand in, and the row says so. */
TEST(single_run_uses_samples)
{
	char path[PATH_MAX];
	const struct gate_row *row;
	struct gate_report *g;
	struct t_run a = { .label = "A", .ns = 100, .mpps = 50, .nsamples = 8 };
	struct t_run c = { .label = "C", .ns = 120, .mpps = 50, .nsamples = 8 };

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert(path, &a));
	ASSERT_EQ(0, t_insert(path, &c));
	ASSERT_EQ(0, t_compare(path, "A", "C", NULL, &g));
	row = t_row(g, NULL, "access_ns_per_page");
	ASSERT_NE(NULL, row);
	EXPECT_TRUE(row->per_run_samples);
	EXPECT_EQ(8, row->n[0]);
	EXPECT_EQ(8, row->n[1]);
	EXPECT_EQ(GATE_REGRESSED, row->verdict);
	EXPECT_NE(NULL, strstr(row->note, "one run a side")) TH_LOG("%s", row->note);
	/* a metric without samples has one value a side: not enough data */
	EXPECT_EQ(GATE_NOT_ENOUGH_DATA, t_row(g, NULL, "access_mpages_per_s")->verdict);
	gate_report_free(g);
}

/* Mann-Whitney: 5 against 5 separates at p = 2/252; 3 against 3 never can. */
TEST(mann_whitney_rules)
{
	static const char rules[] = "[defaults]\ntest = mann-whitney\n";
	char path[PATH_MAX], rpath[PATH_MAX];
	const struct gate_row *row;
	struct gate_report *g;
	struct t_out o;
	FILE *f;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "C", NULL, 5, 7, 1.2, 1));
	ASSERT_EQ(0, t_insert_label(path, "A3", NULL, 3, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "C3", NULL, 3, 7, 1.2, 1));
	ASSERT_EQ(0, t_compare(path, "A", "C", rules, &g));
	row = t_row(g, NULL, "access_ns_per_page");
	EXPECT_EQ(GATE_REGRESSED, row->verdict);
	EXPECT_CLOSE(2.0 / 252, row->p, 1e-12);
	gate_report_free(g);
	ASSERT_EQ(0, t_compare(path, "A3", "C3", rules, &g));
	row = t_row(g, NULL, "access_ns_per_page");
	EXPECT_EQ(GATE_NOT_ENOUGH_DATA, row->verdict);
	EXPECT_NE(NULL, strstr(row->note, "cannot reach")) TH_LOG("%s", row->note);
	gate_report_free(g);
	/* while Welch decides with 3 */
	ASSERT_EQ(0, t_compare(path, "A3", "C3", NULL, &g));
	EXPECT_EQ(GATE_REGRESSED, t_row(g, NULL, "access_ns_per_page")->verdict);
	gate_report_free(g);

	/* the same through --rules FILE */
	snprintf(rpath, sizeof(rpath), "%.*s/mw.rules", (int)(strrchr(path, '/') - path), path);
	f = fopen(rpath, "w");
	ASSERT_NE(NULL, f);
	fputs(rules, f);
	fclose(f);
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A3", "--candidate", "C3", "--store", path,
			   "--rules", rpath, NULL));
	EXPECT_EQ(0, o.status) t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "mann-whitney")) t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "cannot reach p < 0.05")) t_show("stdout", o.out);
	t_out_free(&o);
}

/* Configs are compared one by one; a config on one side only is a note. */
TEST(configs_compared_separately)
{
	static const char p1[] = "{\"vcpus\":1}", p4[] = "{\"vcpus\":4,\"label\":\"ignored\"}";
	static const char p8[] = "{\"vcpus\":8}";
	char path[PATH_MAX];
	struct gate_report *g;
	struct t_out o;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", p1, 5, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "A", p4, 5, 43, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "C", p1, 5, 44, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "C", p4, 5, 45, 1.2, 1));
	ASSERT_EQ(0, t_insert_label(path, "C", p8, 5, 46, 1, 1));
	ASSERT_EQ(0, t_compare(path, "A", "C", NULL, &g));
	ASSERT_EQ(3, g->nconfigs);
	EXPECT_EQ(GATE_NO_CHANGE, t_row(g, "access vcpus=1", "access_ns_per_page")->verdict);
	EXPECT_EQ(GATE_REGRESSED, t_row(g, "access vcpus=4", "access_ns_per_page")->verdict);
	EXPECT_EQ(NULL, t_row(g, "access vcpus=8", "access_ns_per_page"));
	EXPECT_EQ(1, g->count[GATE_REGRESSED]);
	ASSERT_EQ(1, g->nnotes);
	EXPECT_NE(NULL, strstr(g->notes[0], "access vcpus=8: runs only in the candidate"))
		TH_LOG("%s", g->notes[0]);
	gate_report_free(g);

	/* KTAP: one point per metric per compared config, not ok for the regression */
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "C", "--store", path,
			   "--ktap", NULL));
	EXPECT_EQ(T_EXIT_FAILED, o.status) t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "\n1..10\n")) t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "not ok 6 access vcpus=4: access_ns_per_page regressed\n"))
		t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "ok 1 access vcpus=1: access_ns_per_page no change\n"))
		t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "# note: access vcpus=8: runs only in the candidate"))
		t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "# Totals: pass:9 fail:1 xfail:0 xpass:0 skip:0 error:0"))
		t_show("stdout", o.out);
	t_out_free(&o);
}

/* Skipped runs and runs in error are left out, and said to be. */
TEST(unusable_runs_left_out)
{
	char path[PATH_MAX];
	struct gate_report *g;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 5, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "B", NULL, 5, 42, 1, 1));
	for (int i = 0; i < 2; i++) {
		struct t_run tr = { .label = "B", .ns = 1000, .mpps = 1, .lost = 5, .lost_sample = 5,
				    .status = i ? STATUS_SKIP : STATUS_ERROR };

		ASSERT_EQ(0, t_insert(path, &tr));
	}
	ASSERT_EQ(0, t_compare(path, "A", "B", NULL, &g));
	EXPECT_FALSE(gate_report_failed(g));
	EXPECT_EQ(5, g->configs[0].runs[1]);
	EXPECT_EQ(2, g->configs[0].unusable[1]);
	EXPECT_EQ(7, g->runs[1]);
	ASSERT_EQ(1, g->nnotes);
	EXPECT_NE(NULL, strstr(g->notes[0], "0 baseline and 2 candidate runs skipped or in error"))
		TH_LOG("%s", g->notes[0]);
	gate_report_free(g);
}

/* ------------------------------------------------------------------------ */
/* Many metrics at once: the correction, the effect size */

#define T_NMETRICS	60

/*
 * m00's values in the 5 runs of each side of the A/A comparison below: the
 * same spread (sd 3.81), the candidate 7% higher: Welch t = 2.907, df 8, p =
 * 0.0197, effect 1.84 SD, change +7%: a regression at alpha 0.05 on its own.
 */
static const double t_m00[2][5] = {
	{ 95, 100, 105, 98, 102 },
	{ 102, 107, 112, 105, 109 },
};

/*
 * @n runs labelled @label with the metrics m00..m59 (lower is better):
 * 100 with 3% noise seeded by @seed, m00 from t_m00[@m00_side] when @m00_side
 * >= 0, @shift_metric scaled by @shift; the correctness metric and check of
 * t_insert(), lost_pages @lost in the last run and memory_contents failed
 * in it when @contents_fail.
 */
static int t_insert_many(const char *path, const char *label, int n, uint64_t seed,
			 int m00_side, int shift_metric, double shift, double lost,
			 bool contents_fail)
{
	uint64_t st = seed;
	int ret = 0;

	for (int i = 0; i < n && !ret; i++) {
		struct record *r = record_new("access", label);
		bool last = i == n - 1;
		char name[16];

		if (!r)
			return -ENOMEM;
		json_object_put(r->params);
		r->params = json_tokener_parse("{\"vcpus\":1}");
		for (int m = 0; m < T_NMETRICS; m++) {
			double v = 100 * (1 + 0.03 * t_gauss(&st));

			if (m == 0 && m00_side >= 0)
				v = t_m00[m00_side][i % 5];
			if (m == shift_metric)
				v *= shift;
			snprintf(name, sizeof(name), "m%02d", m);
			record_add_value(r, name, "ns", DIR_LOWER_IS_BETTER, v);
		}
		record_add_value(r, "access_pf_taken", "faults", DIR_INFO, 1000 + i);
		record_add_value(r, "lost_pages", "pages", DIR_LOWER_IS_BETTER, last ? lost : 0);
		if (last && contents_fail)
			record_add_check(r, "memory_contents", STATUS_FAIL, "page 3 differs");
		else
			record_add_check(r, "memory_contents", STATUS_PASS, NULL);
		ret = t_store_insert(path, r);
		record_free(r);
	}
	return ret;
}

/*
 * Identical code, 60 metrics of noise, one of them at p = 0.02: the old rule
 * (each metric at alpha alone) failed the gate; adjusted for the 60 tests,
 * it does not, and the row says why.
 */
TEST(aa_many_metrics_no_false_regression)
{
	char path[PATH_MAX], line[1024];
	const struct gate_row *row;
	struct gate_report *g;
	struct t_out o;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_many(path, "A", 5, 11, 0, -1, 1, 0, false));
	ASSERT_EQ(0, t_insert_many(path, "B", 5, 12, 1, -1, 1, 0, false));

	/* uncorrected, as before: m00 is a false regression */
	ASSERT_EQ(0, t_compare(path, "A", "B", "[defaults]\ncorrection = none\n", &g));
	row = t_row(g, NULL, "m00");
	ASSERT_NE(NULL, row);
	EXPECT_CLOSE(0.0197, row->p, 0.001);
	EXPECT_EQ(row->p, row->p_adj);
	EXPECT_GT(row->effect, 1.5);
	EXPECT_EQ(GATE_REGRESSED, row->verdict);
	EXPECT_TRUE(gate_report_failed(g));
	gate_report_free(g);

	/* the default, Holm: the family is the 60 metrics, nothing regressed */
	ASSERT_EQ(0, t_compare(path, "A", "B", NULL, &g));
	EXPECT_EQ(GATE_CORRECT_HOLM, g->correction);
	EXPECT_EQ(T_NMETRICS, g->ntests);	/* not the info, correctness or check rows */
	EXPECT_FALSE(gate_report_failed(g));
	EXPECT_EQ(0, g->count[GATE_REGRESSED]);
	EXPECT_EQ(0, g->count[GATE_IMPROVED]);
	row = t_row(g, NULL, "m00");
	EXPECT_EQ(GATE_NO_CHANGE, row->verdict);
	EXPECT_EQ(1, row->p_adj);	/* 60 x 0.0197, capped */
	ASSERT_NE(NULL, row->note);
	EXPECT_NE(NULL, strstr(row->note, "< 0.05 alone, but 1 after holm correction over 60 "
				       "tests"))
		TH_LOG("%s", row->note);
	for (size_t i = 0; i < g->nrows; i++) {
		if (g->rows[i].kind != GATE_ROW_METRIC || isnan(g->rows[i].p))
			continue;
		EXPECT_GE(g->rows[i].p_adj, g->rows[i].p) TH_LOG("%s", g->rows[i].name);
	}
	EXPECT_TRUE(isnan(t_row(g, NULL, "lost_pages")->p_adj));
	gate_report_free(g);

	/* Benjamini-Hochberg: the same bound when nothing changed */
	ASSERT_EQ(0, t_compare(path, "A", "B", "[defaults]\ncorrection = bh\n", &g));
	EXPECT_EQ(GATE_CORRECT_BH, g->correction);
	EXPECT_FALSE(gate_report_failed(g));
	EXPECT_GT(t_row(g, NULL, "m00")->p_adj, 0.05);
	gate_report_free(g);

	/* what the user sees: p, p adj, and why */
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "B", "--store", path,
			   NULL));
	EXPECT_EQ(0, o.status) t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "p adj")) t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "holm correction")) t_show("stdout", o.out);
	t_line_with(o.out, "  m00 ", line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "0.0197")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "1.0000")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "no change")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "after holm correction over 60 tests")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(o.out, "gate: PASS: 0 regressed")) t_show("stdout", o.out);
	t_out_free(&o);
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "B", "--store", path,
			   "--ktap", NULL));
	EXPECT_EQ(0, o.status) t_show("stdout", o.out);
	t_line_with(o.out, "# m00: ", line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "p 0.0197, p adj 1.0000")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(o.out, "ok 1 access vcpus=1: m00 no change\n"))
		t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "holm correction over 60 tests")) t_show("stdout", o.out);
	t_out_free(&o);
}

/* A 20% shift of one metric of 60 (3% noise, 5 runs a side) survives the correction. */
TEST(real_shift_detected_after_correction)
{
	char path[PATH_MAX], line[1024];
	const struct gate_row *row;
	struct gate_report *g;
	struct t_out o;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_many(path, "A", 5, 11, 0, -1, 1, 0, false));
	ASSERT_EQ(0, t_insert_many(path, "S", 5, 13, 0, 7, 1.2, 0, false));
	ASSERT_EQ(0, t_compare(path, "A", "S", NULL, &g));
	EXPECT_EQ(T_NMETRICS, g->ntests);
	row = t_row(g, NULL, "m07");
	ASSERT_NE(NULL, row);
	EXPECT_EQ(GATE_REGRESSED, row->verdict);
	EXPECT_GT(row->change_pct, 14);
	EXPECT_GT(row->effect, 3);
	EXPECT_LT(row->p_adj, 0.05);
	EXPECT_GT(row->p_adj, row->p);
	EXPECT_EQ(1, g->count[GATE_REGRESSED]);
	EXPECT_TRUE(gate_report_failed(g));
	gate_report_free(g);
	ASSERT_EQ(0, t_compare(path, "A", "S", "[defaults]\ncorrection = bh\n", &g));
	EXPECT_EQ(GATE_REGRESSED, t_row(g, NULL, "m07")->verdict);
	EXPECT_EQ(1, g->count[GATE_REGRESSED]);
	gate_report_free(g);
	/* Mann-Whitney's best p with 5 against 5 is 2/252: never below 0.05/60, and it says so */
	ASSERT_EQ(0, t_compare(path, "A", "S",
			       "[defaults]\ntest = mann-whitney\n[correctness]\n"
			       "metrics = lost_pages\n",
			       &g));
	row = t_row(g, NULL, "m07");
	EXPECT_CLOSE(2.0 / 252, row->p, 1e-12);
	EXPECT_EQ(GATE_NO_CHANGE, row->verdict);
	ASSERT_NE(NULL, row->note);
	EXPECT_NE(NULL, strstr(row->note, "cannot reach p < 0.05 / 60 (holm over 60 tests)"))
		TH_LOG("%s", row->note);
	gate_report_free(g);

	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "S", "--store", path,
			   "--ktap", NULL));
	EXPECT_EQ(T_EXIT_FAILED, o.status) t_show("stdout", o.out);
	EXPECT_NE(NULL, strstr(o.out, "not ok 8 access vcpus=1: m07 regressed\n"))
		t_show("stdout", o.out);
	t_line_with(o.out, "# m07: ", line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, ", p adj ")) TH_LOG("%s", line);
	t_out_free(&o);
}

/* Correctness metrics and checks fail absolutely: no correction, no effect size. */
TEST(correctness_absolute_among_many)
{
	char path[PATH_MAX];
	struct gate_report *g;
	const struct gate_row *row;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_many(path, "A", 5, 11, 0, -1, 1, 0, false));
	ASSERT_EQ(0, t_insert_many(path, "L", 5, 12, 1, -1, 1, 1, true));
	ASSERT_EQ(0, t_compare(path, "A", "L", NULL, &g));
	EXPECT_EQ(T_NMETRICS, g->ntests);
	row = t_row(g, NULL, "lost_pages");
	ASSERT_NE(NULL, row);
	EXPECT_EQ(GATE_ROW_CORRECTNESS, row->kind);
	EXPECT_EQ(GATE_FAILED, row->verdict);
	EXPECT_TRUE(isnan(row->p_adj));
	row = t_row(g, NULL, "memory_contents");
	ASSERT_NE(NULL, row);
	EXPECT_EQ(GATE_ROW_CHECK, row->kind);
	EXPECT_EQ(GATE_FAILED, row->verdict);
	EXPECT_EQ(2, g->count[GATE_FAILED]);
	EXPECT_EQ(0, g->count[GATE_REGRESSED]);
	EXPECT_TRUE(gate_report_failed(g));
	gate_report_free(g);
	/* whatever the correction */
	ASSERT_EQ(0, t_compare(path, "A", "L",
			       "[defaults]\ncorrection = bh\nmin_effect = 100\n[correctness]\n"
			       "metrics = lost_pages\nchecks = memory_contents\n",
			       &g));
	EXPECT_EQ(2, g->count[GATE_FAILED]);
	EXPECT_TRUE(gate_report_failed(g));
	gate_report_free(g);
}

/*
 * Many samples make a small shift significant: one run a side with 64
 * samples, 1.5% slower with 2% noise (about 0.75 SD), at a 1% minimum change.
 * Below the 1 SD minimum effect it is no regression; without it, it is.
 */
TEST(min_effect_against_noise)
{
	char path[PATH_MAX];
	const struct gate_row *row;
	struct gate_report *g;
	struct t_run a = { .label = "A", .ns = 100, .mpps = 50, .nsamples = 64 };
	struct t_run c = { .label = "C", .ns = 101.5, .mpps = 50, .nsamples = 64 };

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert(path, &a));
	ASSERT_EQ(0, t_insert(path, &c));
	ASSERT_EQ(0, t_compare(path, "A", "C", "[defaults]\nmin_change = 1\n", &g));
	row = t_row(g, NULL, "access_ns_per_page");
	ASSERT_NE(NULL, row);
	EXPECT_TRUE(row->per_run_samples);
	EXPECT_LT(row->p_adj, 0.05);
	EXPECT_GT(row->change_pct, 1);
	EXPECT_GT(row->effect, 0.3);
	EXPECT_LT(row->effect, 1);
	EXPECT_EQ(GATE_NO_CHANGE, row->verdict);
	ASSERT_NE(NULL, row->note);
	EXPECT_NE(NULL, strstr(row->note, "one run a side")) TH_LOG("%s", row->note);
	EXPECT_NE(NULL, strstr(row->note, "within the 1 SD minimum effect"))
		TH_LOG("%s", row->note);
	EXPECT_FALSE(gate_report_failed(g));
	gate_report_free(g);
	ASSERT_EQ(0, t_compare(path, "A", "C", "[defaults]\nmin_change = 1\nmin_effect = 0\n", &g));
	EXPECT_EQ(GATE_REGRESSED, t_row(g, NULL, "access_ns_per_page")->verdict);
	gate_report_free(g);
}

/* ------------------------------------------------------------------------ */
/* The command line */

TEST(cli_errors)
{
	char path[PATH_MAX], rpath[PATH_MAX];
	struct t_out o;
	FILE *f;

	ASSERT_NE(NULL, t_store_path(path, sizeof(path)));
	ASSERT_EQ(0, t_insert_label(path, "A", NULL, 3, 42, 1, 1));
	ASSERT_EQ(0, t_insert_label(path, "other", "{\"vcpus\":3}", 1, 42, 1, 1));

	/* usage: exit 2, one line */
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--store", path, NULL));
	EXPECT_EQ(T_EXIT_USAGE, o.status);
	EXPECT_STREQ("mmubench gate: --candidate LABEL is required (see mmubench gate --help)\n", o.err);
	EXPECT_STREQ("", o.out);
	t_out_free(&o);
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "A", "extra", NULL));
	EXPECT_EQ(T_EXIT_USAGE, o.status);
	EXPECT_NE(NULL, strstr(o.err, "unexpected argument 'extra'")) t_show("stderr", o.err);
	t_out_free(&o);
	ASSERT_EQ(0, t_run(&o, "gate", "--frobnicate", NULL));
	EXPECT_EQ(T_EXIT_USAGE, o.status);
	EXPECT_NE(NULL, strstr(o.err, "mmubench gate: unknown option '--frobnicate'"))
		t_show("stderr", o.err);
	t_out_free(&o);
	ASSERT_EQ(0, t_run(&o, "gate", "--help", NULL));
	EXPECT_EQ(0, o.status);
	EXPECT_NE(NULL, strstr(o.out, "--baseline LABEL")) t_show("stdout", o.out);
	t_out_free(&o);

	/* a bad rules file: exit 2, naming the file and line */
	snprintf(rpath, sizeof(rpath), "%.*s/bad.rules", (int)(strrchr(path, '/') - path), path);
	f = fopen(rpath, "w");
	ASSERT_NE(NULL, f);
	fputs("[defaults]\nalpha = 0.05\nmin_change = much\n", f);
	fclose(f);
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "A", "--store", path,
			   "--rules", rpath, NULL));
	EXPECT_EQ(T_EXIT_USAGE, o.status);
	EXPECT_NE(NULL, strstr(o.err, "bad.rules:3: min_change expects a number, not 'much'"))
		t_show("stderr", o.err);
	t_out_free(&o);
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "A", "--store", path,
			   "--rules", "/nonexistent/x.rules", NULL));
	EXPECT_EQ(T_EXIT_USAGE, o.status);
	EXPECT_NE(NULL, strstr(o.err, "/nonexistent/x.rules")) t_show("stderr", o.err);
	t_out_free(&o);

	/* a label without runs: exit 3, naming the labels there */
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "nosuch", "--store", path,
			   NULL));
	EXPECT_EQ(T_EXIT_ERROR, o.status);
	EXPECT_NE(NULL, strstr(o.err, "no runs labelled 'nosuch' (candidate)")) t_show("stderr", o.err);
	EXPECT_NE(NULL, strstr(o.err, "'A' (3 runs)")) t_show("stderr", o.err);
	EXPECT_NE(NULL, strstr(o.err, "'other' (1 run)")) t_show("stderr", o.err);
	ASSERT_NE(0, strlen(o.err));
	EXPECT_EQ(o.err + strlen(o.err) - 1, strchr(o.err, '\n')) t_show("stderr", o.err);
	EXPECT_STREQ("", o.out);
	t_out_free(&o);

	/* nothing in common: exit 3 */
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "other", "--store", path,
			   NULL));
	EXPECT_EQ(T_EXIT_ERROR, o.status);
	EXPECT_NE(NULL, strstr(o.err, "no config (scenario and run parameters) in common"))
		t_show("stderr", o.err);
	EXPECT_NE(NULL, strstr(o.err, "candidate: access vcpus=3")) t_show("stderr", o.err);
	t_out_free(&o);

	/* no store there: exit 3, and none is created */
	snprintf(rpath, sizeof(rpath), "%.*s/none.db", (int)(strrchr(path, '/') - path), path);
	ASSERT_EQ(0, t_run(&o, "gate", "--baseline", "A", "--candidate", "A", "--store", rpath, NULL));
	EXPECT_EQ(T_EXIT_ERROR, o.status);
	EXPECT_NE(NULL, strstr(o.err, "no results store at")) t_show("stderr", o.err);
	EXPECT_NE(0, access(rpath, F_OK));
	t_out_free(&o);
}

TEST_HARNESS_MAIN
