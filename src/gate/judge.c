// SPDX-License-Identifier: GPL-2.0
/*
 * Judging one metric from its two sets of samples under a rule: the centre
 * of each side, the change, its size against the noise, the test and the
 * verdict; then the verdicts again once the p values of the whole
 * comparison are adjusted for their number. Pure: no store, no output, so
 * the statistics are tested on their own (tests/cli/test_gate.c).
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * The change in units of the pooled standard deviation of the samples
 * (Cohen's d, of the centres shown): how far the candidate moved against
 * the noise the two sides measured. No noise at all: an infinite effect, or
 * none.
 */
static double judge_effect(double base, double cand, const double *b, size_t nb,
			   const double *c, size_t nc)
{
	double sd = stats_pooled_sd(b, nb, c, nc), d = cand - base;

	if (!isfinite(d) || isnan(sd))
		return NAN;
	if (sd == 0)
		return d == 0 ? 0 : copysign(INFINITY, d);
	return d / sd;
}

/* Moves @note into @row->note, after the per-run-samples remark when the row has them. */
static int judge_set_note(struct gate_row *row, struct strbuf *note)
{
	struct strbuf sb = STRBUF_INIT;

	free(row->note);
	row->note = NULL;
	if (row->per_run_samples)
		strbuf_addf(&sb, "one run a side: samples within each run, not repeats%s",
			    note->len ? "; " : "");
	strbuf_addstr(&sb, note->len ? note->buf : "");
	sb.failed |= note->failed;
	strbuf_release(note);
	if (sb.failed) {
		strbuf_release(&sb);
		return -ENOMEM;
	}
	if (!sb.len) {
		strbuf_release(&sb);
		return 0;
	}
	row->note = strbuf_detach(&sb);
	return row->note ? 0 : -ENOMEM;
}

int gate_decide(struct gate_row *row, enum gate_correction c, size_t ntests)
{
	const struct gate_params *p = &row->params;
	struct strbuf note = STRBUF_INIT;
	double change = row->change_pct, effect = fabs(row->effect);
	bool sig, big, strong, bad;

	bad = (row->direction == DIR_LOWER_IS_BETTER && change > 0) ||
	      (row->direction == DIR_HIGHER_IS_BETTER && change < 0);
	sig = row->p_adj < p->alpha;
	big = change != 0 && fabs(change) >= p->min_change_pct;
	/* no measure of the noise (cannot happen once a test ran): only without a minimum */
	strong = isnan(effect) ? p->min_effect == 0 : effect >= p->min_effect;
	if (sig && big && strong) {
		row->verdict = bad ? GATE_REGRESSED : GATE_IMPROVED;
	} else {
		row->verdict = GATE_NO_CHANGE;
		if (!sig && p->test == GATE_TEST_MANN_WHITNEY && c != GATE_CORRECT_NONE &&
		    stats_mann_whitney_min_p(row->n[0], row->n[1]) * ntests >= p->alpha)
			strbuf_addf(&note,
				    "Mann-Whitney with %zu and %zu samples cannot reach p < %g / "
				    "%zu (%s over %zu tests): more runs a side",
				    row->n[0], row->n[1], p->alpha, ntests, gate_correction_name(c),
				    ntests);
		else if (!sig && row->p < p->alpha)
			strbuf_addf(&note,
				    "p %.3g < %g alone, but %.3g after %s correction over %zu "
				    "tests",
				    row->p, p->alpha, row->p_adj, gate_correction_name(c), ntests);
		else if (sig && !big && isfinite(change))
			strbuf_addf(&note,
				    "significant, but %+.1f%% is within the %g%% minimum change",
				    change, p->min_change_pct);
		else if (sig && big && !strong)
			strbuf_addf(&note,
				    "significant, but %+.2f pooled SD is within the %g SD minimum "
				    "effect",
				    row->effect, p->min_effect);
	}
	return judge_set_note(row, &note);
}

int gate_judge(const struct gate_params *p, enum metric_direction dir,
	       const double *base, size_t nb, const double *cand, size_t nc,
	       struct gate_row *row)
{
	struct strbuf note = STRBUF_INIT;
	struct stats_test_result res;
	int ret;

	if (p != &row->params)
		row->params = *p;
	row->direction = dir;
	row->n[0] = nb;
	row->n[1] = nc;
	row->value[0] = judge_centre(p->test, base, nb);
	row->value[1] = judge_centre(p->test, cand, nc);
	row->change_pct = judge_change_pct(row->value[0], row->value[1]);
	row->effect = judge_effect(row->value[0], row->value[1], base, nb, cand, nc);
	row->p = row->p_adj = NAN;
	row->note = NULL;
	if (dir == DIR_INFO) {
		row->verdict = GATE_INFO;
		return 0;
	}
	row->verdict = GATE_NOT_ENOUGH_DATA;
	ret = judge_test(p, base, nb, cand, nc, &res, &note);
	if (ret < 0) {
		strbuf_release(&note);
		return ret;
	}
	if (!ret) {
		strbuf_release(&note);
		row->p = row->p_adj = res.p;
		return gate_decide(row, GATE_CORRECT_NONE, 1);
	}
	return judge_set_note(row, &note);
}

int gate_adjust(struct gate_report *g, enum gate_correction c)
{
	static const enum stats_p_adjust method[] = {
		[GATE_CORRECT_NONE] = STATS_ADJUST_NONE,
		[GATE_CORRECT_HOLM] = STATS_ADJUST_HOLM,
		[GATE_CORRECT_BH] = STATS_ADJUST_BH,
	};
	size_t n = 0, k = 0;
	double *p;
	int ret = 0;

	for (size_t i = 0; i < g->nrows; i++)
		n += g->rows[i].kind == GATE_ROW_METRIC && !isnan(g->rows[i].p);
	g->correction = c;
	g->ntests = n;
	p = malloc((n ? n : 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < g->nrows; i++)
		if (g->rows[i].kind == GATE_ROW_METRIC && !isnan(g->rows[i].p))
			p[k++] = g->rows[i].p;
	ret = stats_p_adjust(method[c], p, n, p);
	k = 0;
	for (size_t i = 0; i < g->nrows && !ret; i++) {
		struct gate_row *row = &g->rows[i];

		if (row->kind != GATE_ROW_METRIC || isnan(row->p))
			continue;
		row->p_adj = p[k++];
		ret = gate_decide(row, c, n);
	}
	free(p);
	memset(g->count, 0, sizeof(g->count));
	for (size_t i = 0; i < g->nrows; i++)
		g->count[g->rows[i].verdict]++;
	return ret;
}
