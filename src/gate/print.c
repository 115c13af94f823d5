// SPDX-License-Identifier: GPL-2.0
/*
 * The gate's report for people (an aligned table per config) and for CI
 * (one KTAP document). Text that came from the store is printed on one
 * line: control characters become '?', and in KTAP '#' (which starts a
 * directive there) becomes '_'.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kselftest.h"

#include "src/gate/gate.h"
#include "src/lib/strbuf.h"

enum {
	COL_NAME, COL_UNIT, COL_N, COL_BASE, COL_CAND, COL_CHANGE, COL_EFFECT, COL_P, COL_PADJ,
	COL_VERDICT, NCOLS
};

static const char *const print_headers[NCOLS] = {
	"metric", "unit", "n", "baseline", "candidate", "change", "effect", "p", "p adj",
	"verdict",
};

/* Appends @s on one line: control characters as '?' (and '#' as '_' for KTAP). */
static void print_add_clean(struct strbuf *sb, const char *s, bool ktap)
{
	for (; s && *s; s++) {
		if (ktap && *s == '#')
			strbuf_addch(sb, '_');
		else
			strbuf_addch(sb, iscntrl((unsigned char)*s) ? '?' : *s);
	}
}

static const char *print_value(const struct gate_row *r, int side, char *buf, size_t len)
{
	if (isnan(r->value[side]))
		return "-";
	return record_format_value(r->value[side], buf, len);
}

static const char *print_change(double c, char *buf, size_t len)
{
	if (isnan(c))
		return "-";
	if (isinf(c))
		return c > 0 ? "+inf" : "-inf";
	snprintf(buf, len, "%+.1f%%", c);
	return buf;
}

/* In pooled standard deviations, signed. */
static const char *print_effect(double e, char *buf, size_t len)
{
	if (isnan(e))
		return "-";
	if (isinf(e))
		return e > 0 ? "+inf" : "-inf";
	snprintf(buf, len, "%+.2f", e);
	return buf;
}

static const char *print_p(double p, char *buf, size_t len)
{
	if (isnan(p))
		return "-";
	if (p < 0.0001)
		return "<0.0001";
	snprintf(buf, len, "%.4f", p);
	return buf;
}

/* The cells of @r; print_cells_release() them. */
static void print_cells(const struct gate_row *r, struct strbuf cells[NCOLS])
{
	char a[32];

	for (int j = 0; j < NCOLS; j++)
		strbuf_init(&cells[j]);
	if (r->kind == GATE_ROW_CHECK)
		strbuf_addf(&cells[COL_NAME], "check %s", r->name);
	else
		print_add_clean(&cells[COL_NAME], r->name, false);
	print_add_clean(&cells[COL_UNIT], r->unit, false);
	strbuf_addf(&cells[COL_N], "%zu/%zu%s", r->n[0], r->n[1], r->per_run_samples ? "*" : "");
	strbuf_addstr(&cells[COL_BASE], print_value(r, 0, a, sizeof(a)));
	strbuf_addstr(&cells[COL_CAND], print_value(r, 1, a, sizeof(a)));
	strbuf_addstr(&cells[COL_CHANGE], r->kind == GATE_ROW_METRIC ?
		      print_change(r->change_pct, a, sizeof(a)) : "-");
	strbuf_addstr(&cells[COL_EFFECT], r->kind == GATE_ROW_METRIC ?
		      print_effect(r->effect, a, sizeof(a)) : "-");
	strbuf_addstr(&cells[COL_P], print_p(r->p, a, sizeof(a)));
	strbuf_addstr(&cells[COL_PADJ], print_p(r->p_adj, a, sizeof(a)));
	strbuf_addstr(&cells[COL_VERDICT], gate_verdict_name(r->verdict));
}

static void print_cells_release(struct strbuf cells[NCOLS])
{
	for (int j = 0; j < NCOLS; j++)
		strbuf_release(&cells[j]);
}

/* Column widths for config @k; false when it has no rows. */
static bool print_widths(const struct gate_report *g, size_t k, size_t w[NCOLS])
{
	struct strbuf cells[NCOLS];
	bool any = false;

	for (int j = 0; j < NCOLS; j++)
		w[j] = strlen(print_headers[j]);
	for (size_t i = 0; i < g->nrows; i++) {
		if (g->rows[i].config != k)
			continue;
		any = true;
		print_cells(&g->rows[i], cells);
		for (int j = 0; j < NCOLS; j++)
			if (cells[j].len > w[j])
				w[j] = cells[j].len;
		print_cells_release(cells);
	}
	return any;
}

/* Text columns to the left; numbers to the right; the verdict unpadded unless a note follows. */
static int print_width(const size_t w[NCOLS], int j, bool note)
{
	if (j <= COL_UNIT)
		return -(int)w[j];
	if (j == COL_VERDICT)
		return note ? -(int)w[j] : 0;
	return (int)w[j];
}

static void print_config(FILE *out, const struct gate_report *g, size_t k, bool *any_samples)
{
	const struct gate_config *cfg = &g->configs[k];
	struct strbuf disp = STRBUF_INIT;
	size_t w[NCOLS];

	if (!print_widths(g, k, w))
		return;
	print_add_clean(&disp, cfg->display, false);
	fprintf(out, "\n%s: %zu baseline run%s, %zu candidate run%s\n", disp.buf,
		cfg->runs[0], cfg->runs[0] == 1 ? "" : "s", cfg->runs[1],
		cfg->runs[1] == 1 ? "" : "s");
	strbuf_release(&disp);
	fprintf(out, " ");
	for (int j = 0; j < NCOLS; j++)
		fprintf(out, " %*s", print_width(w, j, false), print_headers[j]);
	fprintf(out, "\n");
	for (size_t i = 0; i < g->nrows; i++) {
		const struct gate_row *r = &g->rows[i];
		struct strbuf cells[NCOLS], note = STRBUF_INIT;

		if (r->config != k)
			continue;
		*any_samples |= r->per_run_samples;
		print_cells(r, cells);
		print_add_clean(&note, r->note, false);
		fprintf(out, " ");
		for (int j = 0; j < NCOLS; j++)
			fprintf(out, " %*s", print_width(w, j, r->note), cells[j].buf);
		if (r->note)
			fprintf(out, "  (%s)", note.buf);
		fprintf(out, "\n");
		strbuf_release(&note);
		print_cells_release(cells);
	}
}

void gate_print_table(FILE *out, const struct gate_report *g)
{
	struct strbuf base = STRBUF_INIT, cand = STRBUF_INIT, n = STRBUF_INIT;
	bool any_samples = false;

	print_add_clean(&base, g->baseline, false);
	print_add_clean(&cand, g->candidate, false);
	fprintf(out,
		"mmubench gate: candidate '%s' (%zu runs) against baseline '%s' (%zu runs), store "
		"%s\n",
		cand.buf, g->runs[1], base.buf, g->runs[0], g->store_path);
	fprintf(out,
		"rules (%s): %s, alpha %g, min change %g%%, min effect %g SD, min samples %u, "
		"%zu per-metric override%s\n",
		g->rules_source, gate_test_name(g->defaults.test), g->defaults.alpha,
		g->defaults.min_change_pct, g->defaults.min_effect, g->defaults.min_samples,
		g->noverrides, g->noverrides == 1 ? "" : "s");
	fprintf(out, "n: samples baseline/candidate, one per run; values: their mean (welch) or "
		     "median (mann-whitney);\n"
		     "effect: the change in pooled standard deviations of the samples;\n"
		     "p adj: p after %s correction over the %zu metric tests here, held to "
		     "alpha;\n"
		     "correctness metrics: the largest value; checks: the number of runs where "
		     "they failed\n",
		gate_correction_name(g->correction), g->ntests);

	for (size_t k = 0; k < g->nconfigs; k++)
		print_config(out, g, k, &any_samples);
	if (any_samples)
		fprintf(out, "\n* one run a side: the samples recorded within each run stand in "
			     "for repeats\n");
	if (g->nnotes)
		fprintf(out, "\n");
	for (size_t i = 0; i < g->nnotes; i++) {
		strbuf_reset(&n);
		print_add_clean(&n, g->notes[i], false);
		fprintf(out, "note: %s\n", n.buf);
	}
	fprintf(out,
		"\ngate: %s: %zu regressed, %zu failed correctness; %zu improved, %zu no change, "
		"%zu not enough data, %zu info\n",
		gate_report_failed(g) ? "FAIL" : "PASS", g->count[GATE_REGRESSED],
		g->count[GATE_FAILED], g->count[GATE_IMPROVED], g->count[GATE_NO_CHANGE],
		g->count[GATE_NOT_ENOUGH_DATA], g->count[GATE_INFO]);
	fflush(out);
	strbuf_release(&n);
	strbuf_release(&base);
	strbuf_release(&cand);
}

/* The diagnostic line before a row's test point, then the test point. */
static void print_ktap_row(const struct gate_report *g, const struct gate_row *r)
{
	struct strbuf cells[NCOLS], desc = STRBUF_INIT, note = STRBUF_INIT;
	bool has_note = r->note;

	print_cells(r, cells);
	print_add_clean(&note, r->note, false);
	print_add_clean(&desc, g->configs[r->config].display, true);
	strbuf_addf(&desc, ": %s", cells[COL_NAME].buf);
	for (char *p = desc.buf; *p; p++)
		if (*p == '#')
			*p = '_';
	ksft_print_msg("%s: baseline %s, candidate %s %s (n %s), change %s, effect %s SD, p %s, "
		       "p adj %s%s%s\n",
		       cells[COL_NAME].buf, cells[COL_BASE].buf, cells[COL_CAND].buf,
		       cells[COL_UNIT].buf, cells[COL_N].buf, cells[COL_CHANGE].buf,
		       cells[COL_EFFECT].buf, cells[COL_P].buf, cells[COL_PADJ].buf,
		       has_note ? ": " : "", note.buf);
	switch (r->verdict) {
	case GATE_REGRESSED:
	case GATE_FAILED:
		ksft_test_result_fail("%s %s\n", desc.buf, gate_verdict_name(r->verdict));
		break;
	case GATE_NOT_ENOUGH_DATA:
		ksft_test_result_code(KSFT_SKIP, desc.buf, "not enough data%s%s",
				      has_note ? ": " : "", note.buf);
		break;
	default:
		ksft_test_result_pass("%s %s\n", desc.buf, gate_verdict_name(r->verdict));
		break;
	}
	strbuf_release(&desc);
	strbuf_release(&note);
	print_cells_release(cells);
}

void gate_print_ktap(const struct gate_report *g)
{
	struct strbuf base = STRBUF_INIT, cand = STRBUF_INIT, n = STRBUF_INIT;

	print_add_clean(&base, g->baseline, true);
	print_add_clean(&cand, g->candidate, true);
	fflush(stdout);
	/* kselftest.h counts in this file's statics: one document per call */
	memset(&ksft_cnt, 0, sizeof(ksft_cnt));
	ksft_plan = 0;
	ksft_print_header();
	ksft_set_plan(g->nrows);
	ksft_print_msg("mmubench gate: candidate '%s' against baseline '%s'; rules %s: %s, alpha "
		       "%g, min change %g%%, min effect %g SD, min samples %u; p adj: %s "
		       "correction over %zu tests\n",
		       cand.buf, base.buf, g->rules_source, gate_test_name(g->defaults.test),
		       g->defaults.alpha, g->defaults.min_change_pct, g->defaults.min_effect,
		       g->defaults.min_samples, gate_correction_name(g->correction), g->ntests);
	for (size_t i = 0; i < g->nnotes; i++) {
		strbuf_reset(&n);
		print_add_clean(&n, g->notes[i], false);
		ksft_print_msg("note: %s\n", n.buf);
	}
	for (size_t i = 0; i < g->nrows; i++)
		print_ktap_row(g, &g->rows[i]);
	ksft_print_cnts();
	fflush(stdout);
	strbuf_release(&n);
	strbuf_release(&base);
	strbuf_release(&cand);
}
