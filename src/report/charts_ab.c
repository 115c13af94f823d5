// SPDX-License-Identifier: GPL-2.0
/*
 * Baseline vs candidate: for each configuration run under both labels, its
 * judged metrics as bars scaled so that the larger median is 100, with the
 * real values written on them. Whether a change is a regression is the
 * gate's call, with its thresholds; this only shows it.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/report/chart.h"

/* Metric @name's table row and bars at position @n; false when a label lacks it. */
static bool ab_metric(struct chart *c, const struct model *m, int s, int cf, const char *name,
		      const char *B, const char *C, int n, double *ylo, double *yhi)
{
	enum metric_direction dir = DIR_LOWER_IS_BETTER;
	struct chart_summary vb, vc;
	const char *unit = "";
	double scale, change;
	char a[64], b[64];

	if (!chart_summarise(m, s, cf, -1, B, name, &vb, &unit, &dir) ||
	    !chart_summarise(m, s, cf, -1, C, name, &vc, &unit, &dir))
		return false;
	scale = fmax(fabs(vb.med), fabs(vc.med));
	if (!(scale > 0))
		scale = 1;
	for (int k = 0; k < 2; k++) {
		const struct chart_summary *v = k ? &vc : &vb;
		double x = n + (k ? 0.19 : -0.19);

		strbuf_addf(&c->dat, "%g %g %g %g %g ", x, 100 * v->med / scale,
			    100 * v->min / scale, 100 * v->max / scale, x - 0.17);
		strbuf_addf(&c->dat, "%g ", x + 0.17);
		chart_num(&c->dat, v->med);
		strbuf_addch(&c->dat, '\n');
		if (100 * v->min / scale < *ylo)
			*ylo = 100 * v->min / scale;
		if (100 * v->max / scale > *yhi)
			*yhi = 100 * v->max / scale;
		/* the real value on top of the bar, upright so that neighbours never meet */
		snprintf(a, sizeof(a), "%s", record_format_value(v->med, b, sizeof(b)));
		strbuf_addstr(&c->set, "set label ");
		chart_gpstr(&c->set, a);
		strbuf_addf(&c->set, " at %g, %g rotate by 90 left font ',8' front\n", x - 0.03,
			    fmax(100 * v->med / scale, 0) + 2);
	}
	change = vb.med ? 100 * (vc.med - vb.med) / fabs(vb.med) : NAN;
	strbuf_addstr(&c->table, "<tr><td>");
	chart_html(&c->table, name);
	strbuf_addstr(&c->table, "</td><td>");
	chart_html(&c->table, unit);
	strbuf_addf(&c->table, "</td><td>%s</td>",
		    dir == DIR_HIGHER_IS_BETTER ? "higher" : "lower");
	chart_summary_cell(&c->table, &vb);
	chart_summary_cell(&c->table, &vc);
	if (isfinite(change))
		strbuf_addf(&c->table, "<td>%+.1f%%</td>", change);
	else
		strbuf_addf(&c->table, "<td>%s</td>", vc.med == vb.med ? "0" : "n/a");
	strbuf_addf(&c->table, "<td>%s</td></tr>\n",
		    vc.med == vb.med ? "same" :
		    (vc.med < vb.med) == (dir == DIR_LOWER_IS_BETTER) ? "better" : "worse");
	return true;
}

static int ab_chart(struct charts *cs, int sec, int s, int cf)
{
	const struct model *m = cs->m;
	const struct model_scn *sc = &m->scns[s];
	const char *B = cs->baseline, *C = cs->candidate;
	int n = 0, nb = 0, nc = 0, idx;
	double ylo = 0, yhi = 0;
	char title[1024], **names;
	struct chart *c;

	for (int i = 0; i < m->nruns; i++) {
		const struct model_run *r = &m->runs[i];

		if (!r->charted || r->scn != s || r->config != cf || !r->rec->label)
			continue;
		nb += !strcmp(r->rec->label, B);
		nc += !strcmp(r->rec->label, C);
	}
	if (!nb || !nc)
		return 0;
	snprintf(title, sizeof(title), "%s%s%s: baseline %s vs candidate %s", sc->name,
		 *sc->configs.v[cf] ? " | " : "", sc->configs.v[cf], B, C);
	c = chart_new(cs, sec, title, "ab-s%d-c%d", s, cf);
	names = calloc(sc->metrics.n + 1, sizeof(*names));
	if (!c || !names) {
		free(names);
		return -ENOMEM;
	}
	strbuf_addstr(&c->table, "<table><tr><th>metric</th><th>unit</th><th>better</th>"
		      "<th>baseline ");
	chart_html(&c->table, B);
	strbuf_addstr(&c->table, "</th><th>candidate ");
	chart_html(&c->table, C);
	strbuf_addstr(&c->table, "</th><th>change</th><th></th></tr>\n");
	strbuf_addstr(&c->dat, "# metric position, then per label: x scaled_median scaled_min "
		      "scaled_max median\n");
	for (size_t k = 0; k < sc->metrics.n; k++)
		if (ab_metric(c, m, s, cf, sc->metrics.v[k], B, C, n, &ylo, &yhi))
			names[n++] = sc->metrics.v[k];
	strbuf_addstr(&c->table, "</table>\n");
	if (!n) {
		chart_nodata(c, "no judged metric has a value under both labels in this "
				"configuration");
		free(names);
		return 0;
	}
	/* the file holds pairs of rows (baseline, candidate): every other row with "every" */
	idx = chart_block_end(c);
	strbuf_addf(&c->plot, "plot '%s.dat' index %d every 2::0 using 1:2:5:6:(0):2 with "
		    "boxxyerror fs solid 0.8 noborder lc rgb '%s' title ", c->name, idx,
		    chart_color(0));
	snprintf(title, sizeof(title), "baseline %s (%d run%s)", B, nb, nb == 1 ? "" : "s");
	chart_gpstr(&c->plot, title);
	strbuf_addf(&c->plot, ", \\\n     '%s.dat' index %d every 2::1 using 1:2:5:6:(0):2 with "
		    "boxxyerror fs solid 0.8 noborder lc rgb '%s' title ", c->name, idx,
		    chart_color(1));
	snprintf(title, sizeof(title), "candidate %s (%d run%s)", C, nc, nc == 1 ? "" : "s");
	chart_gpstr(&c->plot, title);
	/* the ranges as plain lines: error bars would punch a hole for their point */
	strbuf_addf(&c->plot, ", \\\n     '%s.dat' index %d using ($1+0.1):3:(0):($4-$3) with "
		    "vectors nohead lc rgb '#333333' lw 1.2 notitle\n", c->name, idx);
	c->w = CHART_WIDTH + (n > 10 ? (n - 10) * 45 : 0);
	if (c->w > 1800)
		c->w = 1800;
	chart_title(c, "each metric scaled so that the larger median is 100; the median written "
		    "above its bar, min..max over runs and samples as a line");
	chart_xtics(c, names, n, 0);
	/* room above 100 for the values; longer ranges up to 3x, the table has them all */
	strbuf_addf(&c->set,
		    "set yrange [%g:%g]\nset ylabel 'median, %% of the larger of the two'\n"
		    "set grid ytics\nset key outside top center horizontal\n",
		    ylo < 0 ? ylo * 1.15 : 0, fmax(125, fmin(yhi * 1.05, 300)));
	free(names);
	return 0;
}

int charts_ab(struct charts *cs, int sec, const struct chart_spec *spec,
	      const struct scenario_desc *scn)
{
	const struct model *m = cs->m;
	const char *B = cs->baseline, *C = cs->candidate;
	int before = cs->n, ret;
	struct chart *c;

	(void)spec;
	(void)scn;
	if (B && C && strcmp(B, C) && model_has_label(m, B) && model_has_label(m, C)) {
		for (int s = 0; s < m->nscns; s++) {
			for (int cf = 0; cf < (int)m->scns[s].configs.n; cf++) {
				ret = ab_chart(cs, sec, s, cf);
				if (ret)
					return ret;
			}
		}
		if (cs->n > before)
			return 0;
	}
	c = chart_new(cs, sec, "baseline vs candidate", "baseline-candidate");
	if (!c)
		return -ENOMEM;
	if (!B || !C)
		chart_nodata(c, "name two labels: --baseline LABEL --candidate LABEL, or --label "
				"A,B "
				"where A is the baseline");
	else if (!strcmp(B, C))
		chart_nodata(c, "the baseline and the candidate are the same label, %s", B);
	else if (!model_has_label(m, B))
		chart_nodata(c, "no completed run labelled %s in the selection", B);
	else if (!model_has_label(m, C))
		chart_nodata(c, "no completed run labelled %s in the selection", C);
	else
		chart_nodata(c, "no scenario was run with the same parameters under both %s and %s",
			     B, C);
	return 0;
}
