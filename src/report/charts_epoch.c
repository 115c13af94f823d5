// SPDX-License-Identifier: GPL-2.0
/*
 * Per-epoch charts (CHART_PER_EPOCH of a scenario's chart_spec): the samples
 * of two metrics, one per epoch, per configuration; a line per group and
 * metric at the median over runs, with a min..max band when there are
 * several runs. The words come from the spec and the metrics' names.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/report/chart.h"
#include "src/stats/hist_stats.h"
#include "workloads/catalog.h"

#define EPOCH_MAX_GROUPS 64

/* A metric for a legend: "false_old_pct" -> "false-old" (no unit, dashes). */
static void epoch_short(const char *metric, char *buf, size_t len)
{
	const char *us = strrchr(metric, '_');
	size_t n = us && us != metric ? (size_t)(us - metric) : strlen(metric);

	snprintf(buf, len, "%.*s", (int)n, metric);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
}

/* Series of values at each index, over runs: median, min, max. */
static void epoch_series(const struct model *m, int s, int config, int g, const char *metric,
			 struct strbuf *dat, struct chart_vals *med_out, int *nruns, bool *band)
{
	size_t n = 0;

	*nruns = 0;
	*band = false;
	for (int i = 0; i < m->nruns; i++) {
		const struct model_run *r = &m->runs[i];
		const struct metric *me;

		if (!r->charted || r->scn != s || r->config != config || r->group != g)
			continue;
		me = model_metric(r, metric);
		if (!me || !me->nsamples)
			continue;
		(*nruns)++;
		if (me->nsamples > n)
			n = me->nsamples;
	}
	for (size_t k = 0; k < n; k++) {
		struct chart_vals v = { 0 };
		double med;

		for (int i = 0; i < m->nruns; i++) {
			const struct model_run *r = &m->runs[i];
			const struct metric *me;

			if (!r->charted || r->scn != s || r->config != config || r->group != g)
				continue;
			me = model_metric(r, metric);
			if (me && k < me->nsamples)
				chart_vals_add(&v, me->samples[k]);
		}
		med = v.n ? stats_median(v.v, v.n) : NAN;
		chart_vals_add(med_out, med);
		if (!v.n)
			med_out->n++;	/* keep the positions: NaN for a gap */
		strbuf_addf(dat, "%zu ", k + 1);
		chart_num(dat, med);
		strbuf_addch(dat, ' ');
		chart_num(dat, chart_vals_min(&v));
		strbuf_addch(dat, ' ');
		chart_num(dat, chart_vals_max(&v));
		strbuf_addf(dat, " %zu\n", v.n);
		if (v.n > 1)
			*band = true;
		chart_vals_free(&v);
	}
}

/* The table: one row per epoch, two columns per group. */
static void epoch_table(struct chart *c, const struct model *m, const char *const mets[2],
			struct chart_vals (*meds)[2], const int *gs, const int *runs_g, int ng,
			int nep)
{
	char b[64];

	strbuf_addstr(&c->table, "<table><tr><th>epoch</th>");
	for (int j = 0; j < ng; j++) {
		for (int k = 0; k < 2; k++) {
			strbuf_addstr(&c->table, "<th>");
			chart_html(&c->table, m->groups.v[gs[j]]);
			strbuf_addstr(&c->table, "<br>");
			chart_html(&c->table, mets[k]);
			strbuf_addf(&c->table, " (median of %d run%s)</th>", runs_g[j],
				    runs_g[j] == 1 ? "" : "s");
		}
	}
	strbuf_addstr(&c->table, "</tr>\n");
	for (int e = 0; e < nep; e++) {
		strbuf_addf(&c->table, "<tr><td>%d</td>", e + 1);
		for (int j = 0; j < ng; j++)
			for (int k = 0; k < 2; k++)
				strbuf_addf(&c->table, "<td>%s</td>",
					    record_format_value(e < (int)meds[j][k].n ?
								meds[j][k].v[e] : NAN,
								b, sizeof(b)));
		strbuf_addstr(&c->table, "</tr>\n");
	}
	strbuf_addstr(&c->table, "</table>\n");
}

static int epoch_chart(struct charts *cs, int sec, const struct chart_spec *spec, int s, int cf)
{
	const struct model *m = cs->m;
	const struct model_scn *sc = &m->scns[s];
	const char *const mets[2] = { spec->metric, spec->metric2 };
	struct chart_vals meds[EPOCH_MAX_GROUPS][2];
	int gs[EPOCH_MAX_GROUPS], runs_g[EPOCH_MAX_GROUPS], ng = 0, series = 0, nep = 0;
	char title[1024], t[600], shorts[2][128];
	struct chart *c;

	memset(meds, 0, sizeof(meds));
	epoch_short(mets[0], shorts[0], sizeof(shorts[0]));
	epoch_short(mets[1], shorts[1], sizeof(shorts[1]));
	snprintf(title, sizeof(title), "%s: %s and %s per epoch%s%s", sc->name, shorts[0],
		 shorts[1], *sc->configs.v[cf] ? " | " : "", sc->configs.v[cf]);
	c = chart_new(cs, sec, title, "epochs-s%d-c%d", s, cf);
	if (!c)
		return -ENOMEM;
	for (int g = 0; g < (int)m->groups.n && ng < EPOCH_MAX_GROUPS; g++) {
		bool drawn_g = false;

		for (int k = 0; k < 2; k++) {
			struct strbuf dat = STRBUF_INIT;
			int nruns, idx;
			bool band;

			epoch_series(m, s, cf, g, mets[k], &dat, &meds[ng][k], &nruns, &band);
			if (!nruns) {
				strbuf_release(&dat);
				continue;
			}
			drawn_g = true;
			runs_g[ng] = nruns;
			strbuf_addf(&c->dat, "# %s %s: epoch median min max runs\n%s",
				    m->groups.v[g], mets[k], dat.buf);
			strbuf_release(&dat);
			idx = chart_block_end(c);
			if (band) {
				strbuf_addf(&c->plot, "%s'%s.dat' index %d using 1:3:4 with "
					    "filledcurves fs transparent solid %s noborder "
					    "lc rgb '%s' notitle", series ? ", \\\n     " : "plot ",
					    c->name, idx, k ? "0.10" : "0.18", chart_color(ng));
				series++;
			}
			strbuf_addf(&c->plot, "%s'%s.dat' index %d using 1:2 with linespoints "
				    "lc rgb '%s' dt %d pt %d lw 1.5 title ",
				    series ? ", \\\n     " : "plot ", c->name, idx,
				    chart_color(ng), k ? 2 : 1, k ? 6 : 7);
			snprintf(t, sizeof(t), "%s: %s (%d run%s)", m->groups.v[g], shorts[k],
				 nruns, nruns == 1 ? "" : "s");
			chart_gpstr(&c->plot, t);
			series++;
			if ((int)meds[ng][k].n > nep)
				nep = (int)meds[ng][k].n;
		}
		if (drawn_g) {
			gs[ng++] = g;
		} else {
			chart_vals_free(&meds[ng][0]);
			chart_vals_free(&meds[ng][1]);
		}
	}
	if (!series) {
		chart_nodata(c,
			     "the %s runs of this configuration have no per-epoch %s or %s samples",
			     sc->name, mets[0], mets[1]);
		return 0;
	}
	epoch_table(c, m, mets, meds, gs, runs_g, ng, nep);
	for (int j = 0; j < ng; j++) {
		chart_vals_free(&meds[j][0]);
		chart_vals_free(&meds[j][1]);
	}
	strbuf_addch(&c->plot, '\n');
	snprintf(t, sizeof(t), "solid: %s, dashed: %s; one colour per label", shorts[0], shorts[1]);
	chart_title(c, t);
	snprintf(t, sizeof(t), "%s epoch (1 = first epoch after the baseline)", sc->name);
	strbuf_addstr(&c->set, "set xlabel ");
	chart_gpstr(&c->set, t);
	strbuf_addstr(&c->set, "\nset ylabel ");
	chart_gpstr(&c->set, spec->axis);
	strbuf_addf(&c->set, "\nset xrange [0.8:%g]\nset xtics 1\n"
		    /* 0 % and 100 % are common: keep them off the border */
		    "set autoscale yfix\nset offsets 0, 0, graph 0.05, graph 0.05\n"
		    "set grid\nset key outside right top\n", nep + 0.2);
	c->w = CHART_WIDTH + 200;
	return 0;
}

int charts_epoch(struct charts *cs, int sec, const struct chart_spec *spec,
		 const struct scenario_desc *scn)
{
	const struct model *m = cs->m;
	bool any = false;
	int before = cs->n, ret;
	char title[128];
	struct chart *c;

	for (int s = 0; s < m->nscns; s++) {
		const struct model_scn *sc = &m->scns[s];

		if (sc->desc != scn || (model_find(&sc->metrics, spec->metric) < 0 &&
					model_find(&sc->metrics, spec->metric2) < 0))
			continue;
		any = true;
		for (int cf = 0; cf < (int)sc->configs.n; cf++) {
			ret = epoch_chart(cs, sec, spec, s, cf);
			if (ret)
				return ret;
		}
	}
	if (cs->n > before)
		return 0;
	/* the section's title, in lower case as a chart's */
	snprintf(title, sizeof(title), "%s", spec->title);
	title[0] = (char)tolower((unsigned char)title[0]);
	c = chart_new(cs, sec, title, "%s-epochs", scn->name);
	if (!c)
		return -ENOMEM;
	if (any)
		chart_nodata(c, "the %s runs have no per-epoch samples", scn->name);
	else
		chart_nodata(c, "no %s run (%s, %s) in the selection", scn->name, spec->metric,
			     spec->metric2);
	return 0;
}
