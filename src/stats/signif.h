/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two-sample significance tests for the gate (src/gate/gate.c): Welch's t-test
 * and the Mann-Whitney U test, with the distribution functions they need;
 * the adjustment of many p values for their number (Holm, Benjamini-Hochberg)
 * and the pooled standard deviation the gate measures effects in.
 *
 * Written here rather than taken from GSL (libgsl-dev, gsl_cdf_tdist_P):
 * the whole need is one special function (the regularized incomplete beta,
 * for Student's t) and one counting recurrence (the exact distribution of
 * U), about 200 lines that tests/cli/test_gate.c checks against closed forms,
 * published examples and values computed independently; a dependency for
 * that is not worth a new build requirement on every machine that builds
 * mmubench. libm's lgamma() and erfc() do the rest.
 */
#ifndef MMUBENCH_STATS_TEST_H
#define MMUBENCH_STATS_TEST_H

#include <stdbool.h>
#include <stddef.h>

struct stats_test_result {
	double statistic;	/* Welch: t = (mean a - mean b) / se; Mann-Whitney: U of @a */
	double df;		/* Welch: Welch-Satterthwaite degrees of freedom; else NAN */
	double p;		/* two-sided */
	bool exact;		/* Mann-Whitney: exact distribution (else normal approximation) */
};

/*
 * Regularized incomplete beta function I_x(a, b), a > 0, b > 0, 0 <= x <= 1
 * (continued fraction with the modified Lentz method, relative accuracy
 * about 1e-14). NAN outside the domain or if it does not converge.
 */
double stats_betai(double a, double b, double x);

/* Two-sided p of Student's t distribution: P(|T| >= |t|) with @df > 0 (may be fractional). */
double stats_t_p_two_sided(double t, double df);

/* Standard normal distribution function P(Z <= z). */
double stats_normal_cdf(double z);

/*
 * Welch's unequal-variances t-test of @a against @b. Needs two values a
 * side (-EINVAL otherwise). When both samples have zero variance the test
 * degenerates: p = 1 for equal means, 0 otherwise (the difference is then
 * exact, there is no noise to hide it).
 */
int stats_welch(const double *a, size_t na, const double *b, size_t nb,
		struct stats_test_result *res);

/*
 * Mann-Whitney U test (Wilcoxon rank-sum) of @a against @b, one value a
 * side at least (-EINVAL otherwise; -ENOMEM). Like R's wilcox.test: the
 * exact distribution of U when there are no ties and both sides have fewer
 * than 50 values, else the normal approximation with tie correction and
 * continuity correction. All values equal: p = 1.
 */
int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		       struct stats_test_result *res);

/*
 * P(U <= u) under the null hypothesis, exact, for sample sizes @m and @n (no
 * ties). NAN on ENOMEM.
 */
double stats_mann_whitney_cdf(double u, size_t m, size_t n);

/*
 * The smallest two-sided p the exact Mann-Whitney test can give with @m and
 * @n values: 2 / C(m + n, m) (capped at 1). 3 runs against 3 can never reach
 * p < 0.05 (the best is 0.1): the gate says "not enough data" then.
 */
double stats_mann_whitney_min_p(size_t m, size_t n);

/*
 * Pooled standard deviation of two samples: sqrt(((na - 1) sa^2 + (nb - 1)
 * sb^2) / (na + nb - 2)), the denominator of Cohen's d. NAN with fewer than
 * 3 values in all (no degree of freedom left).
 */
double stats_pooled_sd(const double *a, size_t na, const double *b, size_t nb);

enum stats_p_adjust {
	STATS_ADJUST_NONE,	/* the p values as they are */
	STATS_ADJUST_HOLM,	/* Holm (1979): controls the family-wise error rate */
	STATS_ADJUST_BH,	/* Benjamini-Hochberg (1995): controls the false discovery rate */
};

/*
 * The @n p values @p adjusted for being @n tests at once, into @out (which
 * may be @p), as R's p.adjust() computes them: a test is significant at
 * level alpha for the whole family exactly when its adjusted p is at most
 * alpha. Holm: the i-th smallest of m times (m - i + 1), made monotone
 * upwards; BH: times m / i, made monotone from the largest down; both capped
 * at 1. Returns 0, -EINVAL for a p outside [0, 1] (NaN included), or -ENOMEM.
 */
int stats_p_adjust(enum stats_p_adjust method, const double *p, size_t n, double *out);

#endif
