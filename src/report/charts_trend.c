// SPDX-License-Identifier: GPL-2.0
/*
 * Trend charts: every judged metric of every scenario across the groups in
 * the order they were first run, a line per configuration at the median
 * over runs, with a min..max band over the runs' values and samples.
 * Metrics that have no value in any run get no chart; the section's note
 * names them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/report/chart.h"

/* The table: a row per group, a column per configuration that has the metric. */
static void trend_table(struct chart *c, const struct model *m, int s, const char *name,
			const char *unit, const struct chart_summary *sum, const int *pos,
			const bool *has)
{
	const struct model_scn *sc = &m->scns[s];
	int ncf = (int)sc->configs.n, ng = (int)m->groups.n;

	strbuf_addstr(&c->table, "<table><tr><th>label (oldest first)</th>");
	for (int cf = 0; cf < ncf; cf++) {
		if (!has[cf])
			continue;
		strbuf_addstr(&c->table, "<th>");
		chart_html(&c->table, *sc->configs.v[cf] ? sc->configs.v[cf] : name);
		strbuf_addstr(&c->table, " (");
		chart_html(&c->table, unit);
		strbuf_addstr(&c->table, ")</th>");
	}
	strbuf_addstr(&c->table, "</tr>\n");
	for (int g = 0; g < ng; g++) {
		if (pos[g] < 0)
			continue;
		strbuf_addstr(&c->table, "<tr><td>");
		chart_html(&c->table, m->groups.v[g]);
		strbuf_addstr(&c->table, "</td>");
		for (int cf = 0; cf < ncf; cf++)
			if (has[cf])
				chart_summary_cell(&c->table, &sum[cf * ng + g]);
		strbuf_addstr(&c->table, "</tr>\n");
	}
	strbuf_addstr(&c->table, "</table>\n");
}

/* Configuration @cf's line (and band) over the groups; false when it has no value. */
static bool trend_line(struct chart *c, const struct model *m, int s, int cf,
		       const struct chart_summary *sum, const int *pos, const char *legend,
		       int series)
{
	const struct model_scn *sc = &m->scns[s];
	int ng = (int)m->groups.n, idx;
	bool any = false, band = false;

	for (int g = 0; g < ng; g++) {
		const struct chart_summary *v = &sum[cf * ng + g];

		if (!v->runs)
			continue;
		if (!any)
			strbuf_addf(&c->dat, "# %s: position median min max runs\n",
				    *sc->configs.v[cf] ? sc->configs.v[cf] : "all runs");
		strbuf_addf(&c->dat, "%d ", pos[g]);
		chart_num(&c->dat, v->med);
		strbuf_addch(&c->dat, ' ');
		chart_num(&c->dat, v->min);
		strbuf_addch(&c->dat, ' ');
		chart_num(&c->dat, v->max);
		strbuf_addf(&c->dat, " %d\n", v->runs);
		any = true;
		band |= v->max > v->min;
	}
	/* gnuplot does not count an empty block as an index: write none */
	if (!any)
		return false;
	idx = chart_block_end(c);
	if (band) {
		strbuf_addf(&c->plot, "%s'%s.dat' index %d using 1:3:4 with filledcurves "
			    "fs transparent solid 0.18 noborder lc rgb '%s' notitle",
			    series ? ", \\\n     " : "plot ", c->name, idx, chart_color(series));
		/* a single label has no width to fill: show its range as a bar */
		strbuf_addf(&c->plot,
			    ", \\\n     '%s.dat' index %d using 1:3:(0):($4-$3) with "
			    "vectors nohead lc rgb '%s' notitle",
			    c->name, idx, chart_color(series));
	}
	strbuf_addf(&c->plot, "%s'%s.dat' index %d using 1:2 with linespoints ",
		    series || band ? ", \\\n     " : "plot ", c->name, idx);
	chart_style(&c->plot, series, chart_points[series % CHART_NPOINTS]);
	strbuf_addstr(&c->plot, " title ");
	chart_gpstr(&c->plot, *legend ? legend : "median over runs");
	return true;
}

/* The trend of metric @mi of scenario @s; *@drawn false when no run has a value. */
static int trend_chart(struct charts *cs, int sec, int s, int mi, bool *drawn)
{
	const struct model *m = cs->m;
	const struct model_scn *sc = &m->scns[s];
	const char *name = sc->metrics.v[mi], *unit = "";
	enum metric_direction dir = DIR_LOWER_IS_BETTER;
	int ncf = (int)sc->configs.n, ng = (int)m->groups.n, npos = 0, nd = 0, series = 0;
	int *pos = NULL, *cfs = NULL, keypx, ret = -ENOMEM;
	char **xnames = NULL, **shorts = NULL, **legend = NULL, t[512];
	struct chart_summary *sum;	/* [config][group] */
	bool *has = NULL;
	struct chart *c;
	size_t key = 0;

	*drawn = false;
	sum = calloc((size_t)ncf * ng + 1, sizeof(*sum));
	pos = calloc(ng + 1, sizeof(*pos));
	xnames = calloc(ng + 1, sizeof(*xnames));
	has = calloc(ncf + 1, sizeof(*has));
	cfs = calloc(ncf + 1, sizeof(*cfs));
	legend = calloc(ncf + 1, sizeof(*legend));
	if (!sum || !pos || !xnames || !has || !cfs || !legend)
		goto out;
	for (int g = 0; g < ng; g++) {
		bool any = false;

		for (int cf = 0; cf < ncf; cf++) {
			bool v = chart_summarise(m, s, cf, g, NULL, name, &sum[cf * ng + g], &unit,
						 &dir);

			any |= v;
			has[cf] |= v;
		}
		pos[g] = any ? npos : -1;
		if (any)
			xnames[npos++] = m->groups.v[g];
	}
	ret = 0;
	if (!npos)
		goto out;	/* every value is n/a: named under the section instead */
	*drawn = true;

	snprintf(t, sizeof(t), "%s: %s trend", sc->name, name);
	c = chart_new(cs, sec, t, "trend-s%d-m%d", s, mi);
	if (!c) {
		ret = -ENOMEM;
		goto out;
	}
	trend_table(c, m, s, name, unit, sum, pos, has);
	for (int cf = 0; cf < ncf; cf++)
		if (has[cf])
			cfs[nd++] = cf;
	shorts = model_short_configs(m, s, cfs, nd);
	if (!shorts) {
		ret = -ENOMEM;
		goto out;
	}
	/* by configuration index, for the lines */
	for (int k = 0; k < nd; k++)
		legend[cfs[k]] = shorts[k];
	for (int cf = 0; cf < ncf; cf++)
		if (has[cf] && trend_line(c, m, s, cf, sum, pos, legend[cf], series))
			series++;
	strbuf_addch(&c->plot, '\n');
	for (int cf = 0; cf < ncf; cf++)
		if (legend[cf] && strlen(legend[cf]) > key)
			key = strlen(legend[cf]);
	keypx = (int)(key * 6.5) + 80;
	c->w = CHART_WIDTH - 150 + keypx;	/* the plot keeps its width beside the key */
	snprintf(t, sizeof(t),
		 "%s, %s; line: median over runs, band: min..max over runs and samples", unit,
		 dir == DIR_HIGHER_IS_BETTER ? "higher is better" : "lower is better");
	chart_title(c, t);
	chart_xtics(c, xnames, npos, keypx);
	snprintf(t, sizeof(t), "%s (%s)", name, unit);
	strbuf_addstr(&c->set, "set ylabel ");
	chart_gpstr(&c->set, t);
	strbuf_addstr(&c->set, "\nset xlabel 'label, in the order first run'\nset grid ytics\n"
		      "set autoscale yfix\nset offsets 0, 0, graph 0.08, graph 0.08\n"
		      "set key outside right top\n");
out:
	model_free_strs(shorts, nd);
	free(legend);
	free(cfs);
	free(has);
	free(sum);
	free(pos);
	free(xnames);
	return ret;
}

int charts_trend(struct charts *cs, int sec, const struct chart_spec *spec,
		 const struct scenario_desc *scn)
{
	const struct model *m = cs->m;
	struct strbuf *note = &cs->secs[sec].note;
	bool first = true, drawn;
	struct chart *c;
	int ret;

	(void)spec;
	(void)scn;
	if (m->groups.n < 2) {
		c = chart_new(cs, sec, "trends across labels", "trend");
		if (!c)
			return -ENOMEM;
		chart_nodata(c, "every selected run has the same label (%s): a trend needs runs "
			     "of two or more labels", m->groups.n ? m->groups.v[0] : "none");
		return 0;
	}
	for (int s = 0; s < m->nscns; s++) {
		for (int mi = 0; mi < (int)m->scns[s].metrics.n; mi++) {
			ret = trend_chart(cs, sec, s, mi, &drawn);
			if (ret)
				return ret;
			if (drawn)
				continue;
			/* judged metrics that never had a value are not drawn: name them */
			strbuf_addstr(note, first ?
				      "<p class=\"nodata\">no data for the trend of " : ", ");
			chart_html(note, m->scns[s].name);
			strbuf_addstr(note, ": ");
			chart_html(note, m->scns[s].metrics.v[mi]);
			first = false;
		}
	}
	if (!first)
		strbuf_addstr(note, " (n/a in every selected run)</p>\n");
	return 0;
}
