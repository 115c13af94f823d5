// SPDX-License-Identifier: GPL-2.0
/*
 * Judging one metric from its two sets of samples under a rule: the centre
 * of each side, the change, the test and the verdict. Pure: no store, no
 * output, so the statistics are tested on their own (tests/cli/test_gate.c).
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>

#include "src/gate/gate.h"
#include "src/lib/strbuf.h"
#include "src/stats/hist_stats.h"
#include "src/stats/signif.h"

const char *gate_verdict_name(enum gate_verdict v)
{
	static const char *const names[GATE_NVERDICTS] = {
		[GATE_NO_CHANGE] = "no change",
		[GATE_IMPROVED] = "improved",
		[GATE_REGRESSED] = "regressed",
		[GATE_NOT_ENOUGH_DATA] = "not enough data",
		[GATE_FAILED] = "FAILED",
		[GATE_INFO] = "info",
	};

	return v < GATE_NVERDICTS ? names[v] : "?";
}

/* The value a side is shown with: what the test compares. */
static double judge_centre(enum gate_test t, const double *v, size_t n)
{
	if (!n)
		return NAN;
	return t == GATE_TEST_MANN_WHITNEY ? stats_median(v, n) : stats_mean(v, n);
}

/* Percent of |base|; a change from zero is an infinite one (or none). */
static double judge_change_pct(double base, double cand)
{
	if (!isfinite(base) || !isfinite(cand))
		return NAN;
	if (base == 0)
		return cand == 0 ? 0 : copysign(INFINITY, cand);
	return (cand - base) / fabs(base) * 100;
}

/*
 * Runs the rule's test; 1 when it could not run (why in @note), 0 with
 * @res filled, or the test's error.
 */
static int judge_test(const struct gate_params *p, const double *base, size_t nb,
		      const double *cand, size_t nc, struct stats_test_result *res,
		      struct strbuf *note)
{
	double minp;

	if (nb < p->min_samples || nc < p->min_samples) {
		strbuf_addf(note,
			    "%zu baseline and %zu candidate samples; the rule needs %u a side", nb,
			    nc, p->min_samples);
		return 1;
	}
	if (p->test == GATE_TEST_WELCH) {
		if (nb < 2 || nc < 2) {
			strbuf_addf(note, "Welch's t-test needs 2 samples a side, has %zu and %zu",
				    nb, nc);
			return 1;
		}
		return stats_welch(base, nb, cand, nc, res);
	}
	minp = stats_mann_whitney_min_p(nb, nc);
	if (minp >= p->alpha) {
		strbuf_addf(note,
			    "Mann-Whitney cannot reach p < %g with %zu and %zu samples (at best p "
			    "= %.3g)",
			    p->alpha, nb, nc, minp);
		return 1;
	}
	return stats_mann_whitney(base, nb, cand, nc, res);
}

int gate_judge(const struct gate_params *p, enum metric_direction dir,
	       const double *base, size_t nb, const double *cand, size_t nc,
	       struct gate_row *row)
{
	struct strbuf note = STRBUF_INIT;
	struct stats_test_result res;
	double change;
	bool bad;
	int ret;

	row->n[0] = nb;
	row->n[1] = nc;
	row->value[0] = judge_centre(p->test, base, nb);
	row->value[1] = judge_centre(p->test, cand, nc);
	row->change_pct = change = judge_change_pct(row->value[0], row->value[1]);
	row->p = NAN;
	row->note = NULL;
	if (dir == DIR_INFO) {
		row->verdict = GATE_INFO;
		return 0;
	}
	row->verdict = GATE_NOT_ENOUGH_DATA;
	ret = judge_test(p, base, nb, cand, nc, &res, &note);
	if (ret < 0)
		return ret;
	if (!ret) {
		row->p = res.p;
		bad = (dir == DIR_LOWER_IS_BETTER && change > 0) ||
		      (dir == DIR_HIGHER_IS_BETTER && change < 0);
		if (res.p < p->alpha && change != 0 && fabs(change) >= p->min_change_pct) {
			row->verdict = bad ? GATE_REGRESSED : GATE_IMPROVED;
		} else {
			row->verdict = GATE_NO_CHANGE;
			if (res.p < p->alpha && isfinite(change))
				strbuf_addf(&note,
					    "significant, but %+.1f%% is within the %g%% minimum "
					    "change",
					    change, p->min_change_pct);
		}
	}
	if (!note.len && !note.failed)
		return 0;
	row->note = strbuf_detach(&note);
	return row->note ? 0 : -ENOMEM;
}
