// SPDX-License-Identifier: GPL-2.0
/*
 * Cost against guest memory size (CHART_COST_VS_SIZE of a scenario's
 * chart_spec): one chart, a line per value of the spec's parameter (the
 * driver) and group, a point per memory size at the median sample, error
 * bars min..max over every sample of every run; other parameters pooled.
 * The guest memory is that of the common options (vcpus x mem-per-vcpu,
 * struct run_config), which every scenario has.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "src/lib/util.h"
#include "src/report/chart.h"
#include "src/stats/hist_stats.h"
#include "workloads/catalog.h"

/* The run's guest memory in GiB as its params give it; NAN when they do not. */
static double cost_mem_gib(const struct model_run *r)
{
	struct json_object *p = r->rec->params, *v, *m;

	if (json_object_object_get_ex(p, "vcpus", &v) &&
	    json_object_object_get_ex(p, "mem-per-vcpu", &m) &&
	    json_object_is_type(v, json_type_int) && json_object_is_type(m, json_type_int))
		return (double)json_object_get_uint64(v) * (double)json_object_get_uint64(m) / GiB;
	return NAN;
}

/* What names the run's line: its @by parameter, or the scenario. */
static const char *cost_line(const struct model_run *r, const char *by)
{
	struct json_object *v;

	if (by && json_object_object_get_ex(r->rec->params, by, &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return r->rec->scenario;
}

struct cost {
	const struct chart_spec *spec;
	const struct scenario_desc *scn;
	const struct model *m;
	struct chart *c;
	struct strlist lines, groups_used;
	struct chart_vals sizes;	/* every size drawn */
	double xmin, xmax;
	bool ylog;
	const char *unit;
	int series;
};

/* Does run @r count for the chart: a completed run of the scenario, with the metric? */
static bool cost_counts(const struct cost *k, const struct model_run *r)
{
	return r->charted && k->m->scns[r->scn].desc == k->scn &&
	       model_metric(r, k->spec->metric);
}

static void cost_add_sample(struct chart_vals *v, const struct metric *me)
{
	if (me && me->nsamples)
		for (size_t j = 0; j < me->nsamples; j++)
			chart_vals_add(v, me->samples[j]);
	else if (me)
		chart_vals_add(v, me->value);
}

static void cost_sizes_add(struct chart_vals *v, double x)
{
	for (size_t j = 0; j < v->n; j++)
		if (v->v[j] == x)
			return;
	chart_vals_add(v, x);
}

/* One point: line @d, group @g (@gi among those drawn), size @x. True if drawn. */
static bool cost_point(struct cost *k, int d, int g, int gi, double x, bool first)
{
	const struct chart_spec *spec = k->spec;
	struct chart_vals pass = { 0 }, pergib = { 0 };
	const struct model *m = k->m;
	struct chart *c = k->c;
	char b[5][64];
	int runs = 0;
	double med, xo;

	for (int i = 0; i < m->nruns; i++) {
		const struct model_run *r = &m->runs[i];
		const struct metric *me;

		if (!cost_counts(k, r) || r->group != g || cost_mem_gib(r) != x ||
		    strcmp(cost_line(r, spec->by), k->lines.v[d]))
			continue;
		me = model_metric(r, spec->metric);
		runs++;
		k->unit = me->unit;
		cost_add_sample(&pass, me);
		cost_add_sample(&pergib, spec->metric2 ? model_metric(r, spec->metric2) : NULL);
	}
	if (!pass.n) {
		chart_vals_free(&pass);
		chart_vals_free(&pergib);
		return false;
	}
	med = stats_median(pass.v, pass.n);
	if (!(chart_vals_min(&pass) > 0))
		k->ylog = false;	/* a zero has no place on a log axis */
	if (first)
		strbuf_addf(&c->dat, "# %s %s: memory_gib(offset) median min max %s memory_gib\n",
			    k->lines.v[d], m->groups.v[g], spec->samples);
	/* labels side by side around the true size (log axis) */
	xo = x * pow(2, 0.06 * (gi - (k->groups_used.n - 1) / 2.0));
	chart_num(&c->dat, xo);
	strbuf_addch(&c->dat, ' ');
	chart_num(&c->dat, med);
	strbuf_addch(&c->dat, ' ');
	chart_num(&c->dat, chart_vals_min(&pass));
	strbuf_addch(&c->dat, ' ');
	chart_num(&c->dat, chart_vals_max(&pass));
	strbuf_addf(&c->dat, " %zu ", pass.n);
	chart_num(&c->dat, x);
	strbuf_addch(&c->dat, '\n');
	cost_sizes_add(&k->sizes, x);
	if (x < k->xmin)
		k->xmin = x;
	if (x > k->xmax)
		k->xmax = x;
	strbuf_addstr(&c->table, "<tr><td>");
	chart_html(&c->table, k->lines.v[d]);
	strbuf_addstr(&c->table, "</td><td>");
	chart_html(&c->table, m->groups.v[g]);
	strbuf_addf(&c->table, "</td><td>%s</td><td>%d</td><td>%zu</td><td>%s</td>"
		    "<td>%s</td><td>%s</td><td>%s</td></tr>\n",
		    format_size((uint64_t)llround(x * GiB), b[0], sizeof(b[0])), runs, pass.n,
		    record_format_value(med, b[1], sizeof(b[1])),
		    record_format_value(chart_vals_min(&pass), b[2], sizeof(b[2])),
		    record_format_value(chart_vals_max(&pass), b[3], sizeof(b[3])),
		    record_format_value(pergib.n ? stats_median(pergib.v, pergib.n) : NAN,
					b[4], sizeof(b[4])));
	chart_vals_free(&pass);
	chart_vals_free(&pergib);
	return true;
}

/* The line of @d and group @g: its sizes in order, a point each. */
static void cost_line_draw(struct cost *k, int d, int g)
{
	const struct model *m = k->m;
	struct chart *c = k->c;
	int gi = model_find(&k->groups_used, m->groups.v[g]), idx;
	struct chart_vals xs = { 0 };
	bool any = false;

	if (gi < 0)
		return;
	/* the distinct memory sizes of this line and label */
	for (int i = 0; i < m->nruns; i++) {
		const struct model_run *r = &m->runs[i];
		double x = cost_mem_gib(r);

		if (cost_counts(k, r) && r->group == g && isfinite(x) &&
		    !strcmp(cost_line(r, k->spec->by), k->lines.v[d]))
			cost_sizes_add(&xs, x);
	}
	/* insertion sort: a handful of sizes */
	for (size_t a = 1; a < xs.n; a++)
		for (size_t b = a; b > 0 && xs.v[b - 1] > xs.v[b]; b--) {
			double t = xs.v[b];

			xs.v[b] = xs.v[b - 1];
			xs.v[b - 1] = t;
		}
	for (size_t j = 0; j < xs.n; j++)
		any |= cost_point(k, d, g, gi, xs.v[j], !any);
	chart_vals_free(&xs);
	/* gnuplot does not count an empty block as an index: write none */
	if (!any)
		return;
	idx = chart_block_end(c);
	strbuf_addf(&c->plot, "%s'%s.dat' index %d using 1:2:3:4 with yerrorlines "
		    "lc rgb '%s' pt %d ps 1.3 lw 1.5 title ",
		    k->series ? ", \\\n     " : "plot ", c->name, idx, chart_color(d),
		    chart_points[gi % CHART_NPOINTS]);
	if (k->groups_used.n > 1) {
		char t[600];

		snprintf(t, sizeof(t), "%s, %s", k->lines.v[d], m->groups.v[g]);
		chart_gpstr(&c->plot, t);
	} else {
		chart_gpstr(&c->plot, k->lines.v[d]);
	}
	k->series++;
}

static void cost_settings(struct cost *k)
{
	const struct chart_spec *spec = k->spec;
	const char *by = spec->by ? spec->by : "scenario";
	struct chart *c = k->c;
	char t[512], sz[32];

	if (k->groups_used.n > 1)
		snprintf(t, sizeof(t),
			 "colour: %s, point shape: label (labels drawn side by side at "
			 "each size); bars: min..max over %s",
			 by, spec->samples);
	else
		snprintf(t, sizeof(t), "median %s per %s; bars: min..max over %s", spec->sample, by,
			 spec->samples);
	chart_title(c, t);
	strbuf_addstr(&c->set, "set logscale x 2\nset format x '%g'\n"
		      "set xlabel 'guest memory (vCPUs x mem-per-vcpu, log scale)'\nset ylabel ");
	snprintf(t, sizeof(t), "%s (%s%s)", spec->axis, k->unit, k->ylog ? ", log scale" : "");
	chart_gpstr(&c->set, t);
	strbuf_addf(&c->set, "\n%sset grid\nset key outside right top\n",
		    k->ylog ? "set logscale y 10\nset format y '%g'\n" : "set yrange [0:*]\n");
	strbuf_addf(&c->set, "set xrange [%g:%g]\nset xtics (",
		    k->xmin / (k->xmin == k->xmax ? 2 : 1.5),
		    k->xmax * (k->xmin == k->xmax ? 2 : 1.5));
	for (size_t j = 0; j < k->sizes.n; j++) {
		format_size((uint64_t)llround(k->sizes.v[j] * GiB), sz, sizeof(sz));
		strbuf_addf(&c->set, "%s'%s' %.10g", j ? ", " : "", sz, k->sizes.v[j]);
	}
	strbuf_addstr(&c->set, ")\n");
	c->w = CHART_WIDTH + 250;
	format_size((uint64_t)llround(k->xmin * GiB), sz, sizeof(sz));
	if (k->xmin == k->xmax)
		chart_caption(c, "Every run had %s of guest memory: run %s with other "
			      "--mem-per-vcpu or --vcpus to see how the %s time scales. "
			      "Table: every point drawn, with the %s time per GiB.", sz,
			      k->scn->name, spec->sample, spec->sample);
	else
		chart_caption(c, "Table: every point drawn, with the %s time per GiB.",
			      spec->sample);
}

static int cost_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void cost_nodata(struct cost *k)
{
	const struct chart_spec *spec = k->spec;
	bool present = false;

	for (int s = 0; s < k->m->nscns; s++)
		present |= k->m->scns[s].desc == k->scn;
	if (present)
		chart_nodata(k->c, "the %s runs have no %s%s%s%s or no vcpus and mem-per-vcpu "
			     "parameters", k->scn->name, spec->metric, spec->hint ? " (" : "",
			     spec->hint ? spec->hint : "", spec->hint ? ")" : "");
	else
		chart_nodata(k->c, "no %s run (%s) in the selection", k->scn->name, spec->metric);
}

int charts_cost(struct charts *cs, int sec, const struct chart_spec *spec,
		const struct scenario_desc *scn)
{
	const struct model *m = cs->m;
	struct cost k = {
		.spec = spec, .scn = scn, .m = m, .xmin = INFINITY, .ylog = true, .unit = "",
	};
	int ret = -ENOMEM;

	k.c = chart_new(cs, sec, spec->chart, "%s-cost", scn->name);
	if (!k.c)
		return -ENOMEM;
	for (int i = 0; i < m->nruns; i++) {
		const struct model_run *r = &m->runs[i];
		double x = cost_mem_gib(r);

		if (!cost_counts(&k, r) || !isfinite(x) || !(x > 0))
			continue;
		if (model_find(&k.lines, cost_line(r, spec->by)) < 0 &&
		    strlist_push(&k.lines, cost_line(r, spec->by)))
			goto out;
		if (model_find(&k.groups_used, model_group(m, r)) < 0 &&
		    strlist_push(&k.groups_used, model_group(m, r)))
			goto out;
	}
	qsort(k.lines.v, k.lines.n, sizeof(*k.lines.v), cost_strcmp_p);
	ret = 0;
	if (!k.lines.n) {
		cost_nodata(&k);
		goto out;
	}
	strbuf_addstr(&k.c->table, "<table><tr><th>");
	chart_html(&k.c->table, spec->by ? spec->by : "scenario");
	strbuf_addstr(&k.c->table, "</th><th>label</th><th>guest memory "
				   "(GiB)</th><th>runs</th><th>");
	chart_html(&k.c->table, spec->samples);
	strbuf_addstr(&k.c->table, "</th><th>");
	chart_html(&k.c->table, spec->metric);
	strbuf_addstr(&k.c->table, " median</th><th>min</th><th>max</th><th>");
	chart_html(&k.c->table, spec->metric2);
	strbuf_addstr(&k.c->table, " median</th></tr>\n");
	for (int d = 0; d < (int)k.lines.n; d++)
		for (int g = 0; g < (int)m->groups.n; g++)
			cost_line_draw(&k, d, g);
	strbuf_addstr(&k.c->table, "</table>\n");
	strbuf_addch(&k.c->plot, '\n');
	cost_settings(&k);
out:
	strlist_free(&k.lines);
	strlist_free(&k.groups_used);
	chart_vals_free(&k.sizes);
	return ret;
}
