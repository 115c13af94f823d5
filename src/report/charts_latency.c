// SPDX-License-Identifier: GPL-2.0
/*
 * Latency charts of every histogram a scenario records: its CDF per
 * configuration (one line per group), and p50/p90/p99/p99.9 of every
 * configuration and group side by side. The histograms of a group's runs
 * are merged with hist_merge() and read with hist_percentile(), as the
 * record's own percentiles are.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/util.h"
#include "src/report/chart.h"
#include "src/stats/hist_stats.h"

/* Histograms of several runs merged, in the TSC cycles of the first. */
struct latency_merged {
	struct hist h;
	double upc;		/* the unit per cycle of h */
	const char *unit;
	int runs;
};

static const double latency_pcts[] = { 0.5, 0.9, 0.99, 0.999 };
static const char *const latency_pct_names[] = { "p50", "p90", "p99", "p99.9" };

/*
 * A histogram recorded at another TSC rate: each bucket's count goes to
 * the bucket of its midpoint on @m's scale, which keeps every value within
 * a bucket's width (1/64) of where it was.
 */
static void latency_rebin(struct latency_merged *m, const struct hist *h, double upc)
{
	double r = upc / m->upc;
	uint64_t lo = llround((double)h->min * r), hi = llround((double)h->max * r);

	for (uint32_t i = 0; i < HIST_NBUCKETS; i++) {
		uint64_t mid = hist_bucket_low(i) + (hist_bucket_width(i) - 1) / 2;
		uint32_t k;

		if (!h->bucket[i])
			continue;
		k = hist_index(llround((double)mid * r));
		if (k < HIST_NBUCKETS)
			m->h.bucket[k] += h->bucket[i];
		else
			m->h.overflow += h->bucket[i];
	}
	m->h.count += h->count;
	m->h.sum += llround((double)h->sum * r);
	m->h.overflow += h->overflow;
	if (lo < m->h.min)
		m->h.min = lo;
	if (hi > m->h.max)
		m->h.max = hi;
}

static void latency_add(struct latency_merged *m, const struct record_hist *rh)
{
	/* no scale: the unit is the recorded one */
	double upc = rh->unit_per_cycle > 0 ? rh->unit_per_cycle : 1;

	if (!rh->hist.count)
		return;
	if (!m->runs)
		m->upc = upc;
	if (upc == m->upc)
		hist_merge(&m->h, &rh->hist);
	else
		latency_rebin(m, &rh->hist, upc);
	m->unit = rh->unit;
	m->runs++;
}

/* The histograms @name of the charted runs of (@s, @config, @group), merged. */
static void latency_merge(const struct model *m, int s, int config, int group, const char *name,
			  struct latency_merged *out)
{
	hist_init(&out->h);
	out->upc = 1;
	out->unit = NULL;
	out->runs = 0;
	for (int i = 0; i < m->nruns; i++) {
		const struct model_run *r = &m->runs[i];
		const struct record_hist *h;

		if (!r->charted || r->scn != s || r->config != config || r->group != group)
			continue;
		h = model_hist(r, name);
		if (h)
			latency_add(out, h);
	}
}

/* A percentile in the histogram's unit; NAN when empty. */
static double latency_pct(const struct latency_merged *m, double q)
{
	return m->h.count ? (double)hist_percentile(&m->h, q) * m->upc : NAN;
}

static void latency_table_head(struct strbuf *t, const char *first, const char *unit)
{
	strbuf_addstr(t, "<table><tr><th>");
	chart_html(t, first);
	strbuf_addstr(t, "</th><th>runs</th><th>samples</th>");
	for (const char *const *c = (const char *const[]){ "min", "mean", "p50", "p90", "p99",
							"p99.9", "max", NULL }; *c; c++) {
		strbuf_addf(t, "<th>%s (", *c);
		chart_html(t, unit);
		strbuf_addstr(t, ")</th>");
	}
	strbuf_addstr(t, "<th>overflow</th></tr>\n");
}

static void latency_table_row(struct strbuf *t, const char *name, const struct latency_merged *m)
{
	const struct hist *h = &m->h;
	char b[64];

	strbuf_addstr(t, "<tr><td>");
	chart_html(t, name);
	strbuf_addf(t, "</td><td>%d</td><td>%llu</td>", m->runs, (unsigned long long)h->count);
	strbuf_addf(t, "<td>%s</td>", record_format_value(h->count ? (double)h->min * m->upc : NAN,
							  b, sizeof(b)));
	strbuf_addf(t, "<td>%s</td>", record_format_value(h->count ? hist_mean(h) * m->upc : NAN,
							  b, sizeof(b)));
	for (size_t k = 0; k < ARRAY_SIZE(latency_pcts); k++)
		strbuf_addf(t, "<td>%s</td>",
			    record_format_value(latency_pct(m, latency_pcts[k]), b, sizeof(b)));
	strbuf_addf(t, "<td>%s</td><td>%llu</td></tr>\n",
		    record_format_value(h->count ? (double)h->max * m->upc : NAN, b, sizeof(b)),
		    (unsigned long long)h->overflow);
}

/* The tail-stretched percentile axis: y = -log10(1 - F), capped at the last rank. */
static double latency_nines(double f, uint64_t count)
{
	double cap = log10((double)count);

	if (f >= 1)
		return cap;
	f = -log10(1 - f);
	return f > cap ? cap : f;
}

static void latency_nines_axis(struct chart *c, double top)
{
	int n = (int)ceil(top);

	if (n < 2)
		n = 2;
	strbuf_addf(&c->set, "set yrange [0:%d]\nset ytics ('0' 0, '50' 0.30103, '90' 1", n);
	for (int k = 2; k <= n; k++) {
		/* k nines: 99, 99.9, 99.99, ... */
		strbuf_addf(&c->set, ", '99%s", k > 2 ? "." : "");
		for (int d = 3; d <= k; d++)
			strbuf_addch(&c->set, '9');
		strbuf_addf(&c->set, "' %d", k);
	}
	strbuf_addstr(&c->set, ")\nset ylabel 'percentile (%), tail-stretched'\n");
}

/* One group's CDF as a data block: upper bucket edges, the stretched axis, the fraction. */
static void latency_cdf_block(struct chart *c, const char *group, const struct latency_merged *m)
{
	const struct hist *h = &m->h;
	uint64_t cum = 0;
	bool first = true;

	strbuf_addf(&c->dat, "# %s: upper edge of bucket (%s), percentile axis value, fraction\n",
		    group, m->unit);
	for (uint32_t i = 0; i < HIST_NBUCKETS; i++) {
		double f;

		if (!h->bucket[i])
			continue;
		if (first) {
			chart_num(&c->dat, (double)hist_bucket_low(i) * m->upc);
			strbuf_addstr(&c->dat, " 0 0\n");
			first = false;
		}
		cum += h->bucket[i];
		f = (double)cum / (double)h->count;
		chart_num(&c->dat, (double)(hist_bucket_low(i) + hist_bucket_width(i)) * m->upc);
		strbuf_addch(&c->dat, ' ');
		chart_num(&c->dat, latency_nines(f, h->count));
		strbuf_addf(&c->dat, " %.9g\n", f);
	}
}

static int latency_cdf(struct charts *cs, int sec, int s, int hn, int config)
{
	const struct model *m = cs->m;
	const struct model_scn *sc = &m->scns[s];
	const char *hname = sc->hists.v[hn], *cfg = model_config(m, s, config), *unit = "";
	struct latency_merged *lm;
	struct chart *c;
	char title[1024], t[600];
	double top = 0;
	int series = 0;

	/* does this configuration have the histogram at all? */
	for (int i = 0; i < m->nruns && !series; i++) {
		const struct model_run *r = &m->runs[i];

		series = r->charted && r->scn == s && r->config == config && model_hist(r, hname);
	}
	if (!series)
		return 0;

	snprintf(title, sizeof(title), "%s: %s%s%s", sc->name, hname, *cfg ? " | " : "", cfg);
	c = chart_new(cs, sec, title, "cdf-s%d-h%d-c%d", s, hn, config);
	lm = malloc(sizeof(*lm));
	if (!c || !lm) {
		free(lm);
		return -ENOMEM;
	}
	series = 0;
	for (int g = 0; g < (int)m->groups.n; g++) {
		int idx;

		latency_merge(m, s, config, g, hname, lm);
		if (!lm->h.count)
			continue;
		unit = lm->unit;
		if (!series)
			latency_table_head(&c->table, "label", unit);
		latency_table_row(&c->table, m->groups.v[g], lm);
		latency_cdf_block(c, m->groups.v[g], lm);
		if (log10((double)lm->h.count) > top)
			top = log10((double)lm->h.count);
		idx = chart_block_end(c);
		strbuf_addf(&c->plot, "%s'%s.dat' index %d using 1:2 with lines ",
			    series ? ", \\\n     " : "plot ", c->name, idx);
		chart_style(&c->plot, series, 7);
		snprintf(t, sizeof(t), "%s (%d run%s, %llu samples)", m->groups.v[g], lm->runs,
			 lm->runs == 1 ? "" : "s", (unsigned long long)lm->h.count);
		strbuf_addstr(&c->plot, " title ");
		chart_gpstr(&c->plot, t);
		series++;
	}
	free(lm);
	if (!series) {
		chart_nodata(c, "the histogram recorded no samples in any run of this "
				"configuration");
		return 0;
	}
	strbuf_addstr(&c->table, "</table>\n");
	strbuf_addch(&c->plot, '\n');
	chart_title(c, "cumulative distribution, one line per label");
	strbuf_addstr(&c->set, "set logscale x 10\nset format x '%g'\n");
	snprintf(t, sizeof(t), "latency (%s, log scale)", unit);
	strbuf_addstr(&c->set, "set xlabel ");
	chart_gpstr(&c->set, t);
	strbuf_addch(&c->set, '\n');
	latency_nines_axis(c, top);
	strbuf_addstr(&c->set, "set grid xtics mxtics ytics\nset key bottom right opaque box\n");
	chart_caption(c, "Merged over the runs of each label; the y axis is -log10(1 - F), "
		      "labelled in percent.");
	return 0;
}

/* The configuration and group of each bar cluster of a percentile chart. */
struct latency_cluster {
	struct latency_merged lm;
	int cfg, grp;
	char *name;
};

static void latency_pct_data(struct chart *c, const struct latency_cluster *cl, int ncl,
			     double ylo)
{
	for (size_t k = 0; k < ARRAY_SIZE(latency_pcts); k++) {
		double off = -0.3 + 0.2 * k;
		int idx, rows = 0;

		strbuf_addf(&c->dat, "# %s: x y xlow xhigh ylow yhigh\n", latency_pct_names[k]);
		for (int i = 0; i < ncl; i++) {
			double v = latency_pct(&cl[i].lm, latency_pcts[k]);

			if (!(v > 0))
				continue;
			rows++;
			strbuf_addf(&c->dat, "%g ", i + off);
			chart_num(&c->dat, v);
			strbuf_addf(&c->dat, " %g %g ", i + off - 0.09, i + off + 0.09);
			chart_num(&c->dat, ylo);
			strbuf_addch(&c->dat, ' ');
			chart_num(&c->dat, v);
			strbuf_addch(&c->dat, '\n');
		}
		if (!rows)
			/* keeps the index */
			strbuf_addstr(&c->dat, "NaN NaN NaN NaN NaN NaN\n");
		idx = chart_block_end(c);
		strbuf_addf(&c->plot, "%s'%s.dat' index %d using 1:2:3:4:5:6 with boxxyerror "
			    "fs solid 0.85 noborder lc rgb '%s' title '%s'",
			    k ? ", \\\n     " : "plot ", c->name, idx, chart_color((int)k),
			    latency_pct_names[k]);
	}
	strbuf_addch(&c->plot, '\n');
}

static int latency_pct_chart(struct charts *cs, int sec, int s, int hn)
{
	const struct model *m = cs->m;
	const struct model_scn *sc = &m->scns[s];
	const char *hname = sc->hists.v[hn], *unit = "";
	struct latency_cluster *cl = NULL;
	int ncl = 0, ret = -ENOMEM, *cfgs = NULL;
	double lo = INFINITY, hi = 0, ylo, yhi;
	char title[512], **shorts = NULL, **names = NULL;
	struct chart *c;

	cl = calloc((size_t)sc->configs.n * m->groups.n + 1, sizeof(*cl));
	if (!cl)
		return -ENOMEM;
	for (int cf = 0; cf < (int)sc->configs.n; cf++) {
		for (int g = 0; g < (int)m->groups.n; g++) {
			struct latency_cluster *k = &cl[ncl];

			latency_merge(m, s, cf, g, hname, &k->lm);
			if (!k->lm.h.count)
				continue;
			unit = k->lm.unit;
			k->cfg = cf;
			k->grp = g;
			ncl++;
			for (size_t q = 0; q < ARRAY_SIZE(latency_pcts); q++) {
				double v = latency_pct(&k->lm, latency_pcts[q]);

				if (v > 0 && v < lo)
					lo = v;
				if (v > hi)
					hi = v;
			}
		}
	}
	snprintf(title, sizeof(title), "%s: %s percentiles", sc->name, hname);
	c = chart_new(cs, sec, title, "pct-s%d-h%d", s, hn);
	if (!c)
		goto out;
	if (!ncl || !(hi > 0)) {
		chart_nodata(c, "the histogram recorded no samples in any selected run");
		ret = 0;
		goto out;
	}
	/* "configuration | label", naming only the parameters that differ here */
	cfgs = calloc(ncl, sizeof(*cfgs));
	names = calloc(ncl, sizeof(*names));
	for (int i = 0; cfgs && i < ncl; i++)
		cfgs[i] = cl[i].cfg;
	shorts = cfgs && names ? model_short_configs(m, s, cfgs, ncl) : NULL;
	if (!shorts)
		goto out;
	for (int i = 0; i < ncl; i++) {
		char name[1024];

		snprintf(name, sizeof(name), "%s%s%s", shorts[i], *shorts[i] ? " | " : "",
			 m->groups.v[cl[i].grp]);
		names[i] = strdup(name);
		if (!names[i])
			goto out;
	}
	ylo = pow(10, floor(log10(lo)));
	yhi = pow(10, ceil(log10(hi)));
	if (yhi <= hi * 1.05)
		yhi *= 10;
	latency_table_head(&c->table, "configuration | label", unit);
	for (int i = 0; i < ncl; i++)
		latency_table_row(&c->table, names[i], &cl[i].lm);
	strbuf_addstr(&c->table, "</table>\n");
	latency_pct_data(c, cl, ncl, ylo);
	c->w = CHART_WIDTH + (ncl > 8 ? (ncl - 8) * 40 : 0);
	if (c->w > 1800)
		c->w = 1800;
	chart_title(c, "from the merged histograms of each configuration and label");
	chart_xtics(c, names, ncl, 0);
	strbuf_addf(&c->set, "set logscale y 10\nset format y '%%g'\nset yrange [%g:%g]\n"
		    "set ylabel ", ylo, yhi);
	snprintf(title, sizeof(title), "latency (%s, log scale)", unit);
	chart_gpstr(&c->set, title);
	strbuf_addstr(&c->set, "\nset grid ytics mytics\n"
		      "set key top left horizontal opaque box width 1\n");
	ret = 0;
out:
	model_free_strs(names, names ? ncl : 0);
	model_free_strs(shorts, ncl);
	free(cfgs);
	free(cl);
	return ret;
}

int charts_latency_cdf(struct charts *cs, int sec, const struct chart_spec *spec,
		       const struct scenario_desc *scn)
{
	const struct model *m = cs->m;
	bool any = false;
	struct chart *c;
	int ret;

	(void)spec;
	(void)scn;
	for (int s = 0; s < m->nscns; s++) {
		for (int h = 0; h < (int)m->scns[s].hists.n; h++) {
			for (int cf = 0; cf < (int)m->scns[s].configs.n; cf++) {
				ret = latency_cdf(cs, sec, s, h, cf);
				if (ret)
					return ret;
			}
			any = true;
		}
	}
	if (any)
		return 0;
	c = chart_new(cs, sec, "latency distributions", "latency-cdf");
	if (!c)
		return -ENOMEM;
	chart_nodata(c, "no selected run that completed recorded a latency histogram");
	return 0;
}

int charts_latency_pct(struct charts *cs, int sec, const struct chart_spec *spec,
		       const struct scenario_desc *scn)
{
	const struct model *m = cs->m;
	bool any = false;
	struct chart *c;
	int ret;

	(void)spec;
	(void)scn;
	for (int s = 0; s < m->nscns; s++) {
		for (int h = 0; h < (int)m->scns[s].hists.n; h++) {
			ret = latency_pct_chart(cs, sec, s, h);
			if (ret)
				return ret;
			any = true;
		}
	}
	if (any)
		return 0;
	c = chart_new(cs, sec, "latency percentiles", "latency-percentiles");
	if (!c)
		return -ENOMEM;
	chart_nodata(c, "no selected run that completed recorded a latency histogram");
	return 0;
}
