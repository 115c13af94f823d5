// SPDX-License-Identifier: GPL-2.0
/*
 * The report (report.h): store -> model (model.c) -> the chart families,
 * in the order of the page -> a data file and gnuplot script per chart ->
 * gnuplot (SVG and PNG) -> index.html. The families every scenario gets
 * are in the table below; the others come from the scenarios' chart_spec
 * lists (workloads/catalog.h), so this names no scenario's metric.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "src/lib/strbuf.h"
#include "src/lib/util.h"
#include "src/report/chart.h"
#include "src/report/gnuplot.h"
#include "src/report/html.h"
#include "src/report/model.h"
#include "src/report/report.h"
#include "src/store/store.h"
#include "workloads/catalog.h"

#define REPORT_MANIFEST		".mmubench-report"	/* files written last time, removed first */
#define REPORT_MAX_SECTIONS	32

/*
 * The families, in the order of the page. One with a kind is drawn once per
 * chart_spec of that kind in the catalog (its section "<scenario>-<id>",
 * titled by the spec); the others once, in a section of their own.
 */
static const struct report_family {
	const char *id, *title, *intro;
	enum chart_kind kind;
	chart_family_fn *draw;
} report_families[] = {
	{ "latency-cdf", "Latency distributions",
	  "Cumulative distribution of every latency histogram, one chart per scenario, "
	  "histogram and configuration, one line per label (repeats merged). The x axis is "
	  "logarithmic; the y axis is stretched towards the tail so that p99, p99.9 and "
	  "p99.99 get as much room as the median.", CHART_END, charts_latency_cdf },
	{ "latency-percentiles", "Latency percentiles",
	  "p50, p90, p99 and p99.9 of each histogram per configuration and label, from "
	  "the merged histograms (logarithmic axis).", CHART_END, charts_latency_pct },
	{ "epochs", NULL, NULL, CHART_PER_EPOCH, charts_epoch },
	{ "cost", NULL, NULL, CHART_COST_VS_SIZE, charts_cost },
	{ "trend", "Trends across labels",
	  "Every judged metric of every scenario across labels in the order they were "
	  "first run: the line is the median over runs, the band spans min..max over the "
	  "runs' values and their samples (per pass, per vCPU, per epoch).", CHART_END,
	  charts_trend },
	{ "baseline-candidate", "Baseline vs candidate",
	  "Judged metrics of each configuration run under both labels. Bars are medians "
	  "scaled so that the larger of the two is 100 (the real values are written on "
	  "them and in the table); error bars span min..max over runs and samples. "
	  "Whether a change is a regression is mmubench gate's call, with its "
	  "thresholds.", CHART_END, charts_ab },
};

struct report {
	const struct report_opts *o;
	struct store *store;
	struct model m;
	struct charts cs;
	struct chart_section secs[REPORT_MAX_SECTIONS];
	char gnuplot[PATH_MAX];
	const char *png_term;
};

/* Every family's charts, each in its section. */
static int report_draw(struct report *rp)
{
	struct charts *cs = &rp->cs;
	int ret;

	cs->secs = rp->secs;
	for (size_t f = 0; f < ARRAY_SIZE(report_families); f++) {
		const struct report_family *fam = &report_families[f];

		for (int i = 0; fam->kind && scenarios[i]; i++) {
			const struct scenario_desc *scn = scenarios[i];

			for (const struct chart_spec *sp = scn->charts; sp && sp->kind; sp++) {
				struct chart_section *sec = &rp->secs[cs->nsecs];

				if (sp->kind != fam->kind || cs->nsecs == REPORT_MAX_SECTIONS)
					continue;
				snprintf(sec->id, sizeof(sec->id), "%s-%s", scn->name, fam->id);
				sec->title = sp->title;
				sec->intro = sp->about;
				strbuf_init(&sec->note);
				ret = fam->draw(cs, cs->nsecs++, sp, scn);
				if (ret)
					return ret;
			}
		}
		if (fam->kind || cs->nsecs == REPORT_MAX_SECTIONS)
			continue;
		snprintf(rp->secs[cs->nsecs].id, sizeof(rp->secs[0].id), "%s", fam->id);
		rp->secs[cs->nsecs].title = fam->title;
		rp->secs[cs->nsecs].intro = fam->intro;
		strbuf_init(&rp->secs[cs->nsecs].note);
		ret = fam->draw(cs, cs->nsecs++, NULL, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

static int report_mkdirs(const char *dir, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	struct stat st;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return errf(err, errlen, -ENAMETOOLONG, "output directory %s: name too long", dir);
	for (char *p = buf + 1; ; p++) {
		char c = *p;

		if (c && c != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return errf(err, errlen, -errno, "cannot create directory %s: %s", buf,
				    strerror(errno));
		if (stat(buf, &st) || !S_ISDIR(st.st_mode))
			return errf(err, errlen, -ENOTDIR,
				    "output directory %s: %s is not a directory", dir, buf);
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

/* Removes the files the previous report in this directory wrote, so none goes stale. */
static void report_remove_previous(const char *dir)
{
	char path[PATH_MAX], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, REPORT_MANIFEST);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '.' || strchr(line, '/'))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		unlink(path);
	}
	fclose(f);
}

static int report_write_manifest(struct report *rp, char *err, size_t errlen)
{
	struct strbuf m = STRBUF_INIT;
	int ret;

	strbuf_addstr(&m, "index.html\n");
	for (int i = 0; i < rp->cs.n; i++) {
		const struct chart *c = rp->cs.v[i];

		strbuf_addf(&m, "%s.gp\n%s.svg\n%s.png\n", c->name, c->name, c->name);
		if (!c->nodata)
			strbuf_addf(&m, "%s.dat\n", c->name);
		if (c->failed)
			strbuf_addf(&m, "%s.log\n", c->name);
	}
	ret = m.failed ? -ENOMEM :
	      chart_write_file(rp->o->out, REPORT_MANIFEST, m.buf, m.len, err, errlen);
	strbuf_release(&m);
	return ret;
}

/* Opens the store read-only; a path with nothing there is the caller's mistake. */
static int report_open(struct report *rp, struct report_result *res, char *err, size_t errlen)
{
	const char *path = rp->o->store;
	struct stat st;
	int ret;

	if (stat(path, &st)) {
		ret = -errno;
		res->bad_input = true;
		return errf(err, errlen, ret,
			    "no results store at %s: %s (mmubench run stores its records there; "
			    "or name one with --store FILE)", path, strerror(-ret));
	}
	ret = store_open_readonly(path, &rp->store, err, errlen);
	/* not an mmubench store is the caller's mistake too; a newer one or EIO is not */
	if (ret == -EINVAL)
		res->bad_input = true;
	return ret;
}

/* "no runs match": with the labels that are in the store, to help the next try. */
static int report_no_runs(struct report *rp, struct report_result *res, char *err,
			  size_t errlen)
{
	struct strbuf known = STRBUF_INIT;
	struct store_label *labels = NULL;
	size_t nlabels = 0;
	int n = 0;

	res->bad_input = true;
	if (!store_labels(rp->store, &labels, &nlabels, NULL, 0)) {
		for (size_t i = 0; i < nlabels && n < 8; i++) {
			const char *l = labels[i].label;

			for (const char *p = l; p && *p; p++)
				if (iscntrl((unsigned char)*p))
					l = NULL;
			if (!l)
				continue;
			strbuf_addf(&known, "%s%s", n++ ? ", " : "", l);
		}
		store_labels_free(labels, nlabels);
	}
	errf(err, errlen, -ESRCH, "no run in %s matches the selection%s%s%s", rp->o->store,
	     n ? " (labels in the store, newest first: " : " (the store has no labelled run",
	     known.buf, n ? ")" : ")");
	strbuf_release(&known);
	return -ESRCH;
}

static void report_free(struct report *rp)
{
	for (int i = 0; i < rp->cs.n; i++)
		chart_free(rp->cs.v[i]);
	free(rp->cs.v);
	for (int s = 0; s < rp->cs.nsecs; s++)
		strbuf_release(&rp->secs[s].note);
	model_free(&rp->m);
	if (rp->store)
		store_close(rp->store);
}

/* Draws and writes the charts and the page, once the model is built. */
static int report_write(struct report *rp, struct report_result *res, char *err, size_t errlen)
{
	const struct report_opts *o = rp->o;
	struct chart *first_failed = NULL;
	int ret, failed = 0, nodata = 0;

	ret = report_mkdirs(o->out, err, errlen);
	if (ret)
		return ret;
	report_remove_previous(o->out);
	ret = report_draw(rp);
	if (ret)
		return ret == -ENOMEM ?
		       errf(err, errlen, ret, "out of memory building the charts") : ret;
	rp->png_term = gnuplot_png_term(rp->gnuplot, o->out);
	for (int i = 0; i < rp->cs.n; i++) {
		ret = gnuplot_write(rp->cs.v[i], o->out, rp->png_term, err, errlen);
		if (ret)
			return ret;
		nodata += rp->cs.v[i]->nodata != NULL;
	}
	if (!o->quiet)
		fprintf(stderr, "mmubench report: %d run%s, drawing %d chart%s with %s (%s)\n",
			rp->m.nruns, rp->m.nruns == 1 ? "" : "s", rp->cs.n,
			rp->cs.n == 1 ? "" : "s", rp->gnuplot, rp->png_term);
	gnuplot_run(&rp->cs, rp->gnuplot, o->out);
	for (int i = 0; i < rp->cs.n; i++) {
		if (rp->cs.v[i]->failed) {
			failed++;
			if (!first_failed)
				first_failed = rp->cs.v[i];
		}
	}
	ret = html_write_index(&rp->cs, o, nodata, err, errlen);
	if (!ret)
		ret = report_write_manifest(rp, err, errlen);
	if (ret)
		return ret;
	res->charts = rp->cs.n;
	res->nodata = nodata;
	snprintf(res->index, sizeof(res->index), "%s/index.html", o->out);
	if (failed)
		return errf(err, errlen, -EIO,
			    "gnuplot failed on %d of %d charts, first %s/%s.gp: %s", failed,
			    rp->cs.n, o->out, first_failed->name, first_failed->why);
	return 0;
}

int report_generate(const struct report_opts *o, struct report_result *res, char *err,
		    size_t errlen)
{
	struct report rp = { .o = o };
	struct store_query q = {
		.labels = o->labels, .scenarios = o->scenarios,
		.has_since = o->has_since, .since = o->since,
	};
	const char *prog = o->gnuplot ? o->gnuplot : "gnuplot";
	char unreadable_why[512] = "";
	size_t unreadable = 0;
	int ret;

	memset(res, 0, sizeof(*res));
	if (!o->out || !*o->out || !o->store || !*o->store) {
		res->bad_input = true;
		return errf(err, errlen, -EINVAL, "needs --out DIR and a store");
	}
	q.unreadable = &unreadable;
	q.unreadable_why = unreadable_why;
	q.unreadable_why_len = sizeof(unreadable_why);
	ret = report_open(&rp, res, err, errlen);
	if (!ret)
		ret = model_read(&rp.m, rp.store, &q, err, errlen);
	if (ret)
		goto out;
	/* a run this binary cannot read (a newer mmubench's) is left out, never silently */
	if (unreadable)
		fprintf(stderr, "mmubench report: %zu stored run%s could not be read back and %s "
			"left out (first: %s)\n", unreadable, unreadable == 1 ? "" : "s",
			unreadable == 1 ? "is" : "are", unreadable_why);
	res->runs = rp.m.nruns;
	if (!rp.m.nruns) {
		ret = report_no_runs(&rp, res, err, errlen);
		goto out;
	}
	if (gnuplot_find(prog, rp.gnuplot, sizeof(rp.gnuplot))) {
		ret = errf(err, errlen, -ENOENT,
			   "%s not found%s: the report draws its charts with gnuplot; install "
			   "gnuplot-nox (apt-get install gnuplot-nox)", prog,
			   o->gnuplot && strchr(o->gnuplot, '/') ? "" : " in PATH");
		goto out;
	}
	ret = model_build(&rp.m, err, errlen);
	if (ret)
		goto out;
	rp.cs.m = &rp.m;
	rp.cs.baseline = o->baseline ? o->baseline :
			 (o->labels && o->labels[0] ? o->labels[0] : NULL);
	rp.cs.candidate = o->candidate ? o->candidate :
			  (o->labels && o->labels[0] && o->labels[1] ? o->labels[1] : NULL);
	ret = report_write(&rp, res, err, errlen);
out:
	report_free(&rp);
	return ret;
}

int report_parse_since(const char *s, int64_t now, int64_t *out)
{
	static const char *const fmts[] = {
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
		"%Y-%m-%d",
	};
	uint64_t n;
	size_t len;

	if (!s || !*s)
		return -EINVAL;
	if (!parse_u64(s, &n)) {
		if (n > INT64_MAX)
			return -EINVAL;
		*out = (int64_t)n;
		return 0;
	}
	len = strlen(s);
	if (len >= 2 && strchr("hdw", s[len - 1])) {
		char num[32];
		int64_t unit = s[len - 1] == 'h' ? 3600 : s[len - 1] == 'd' ? 86400 : 7 * 86400;

		if (len - 1 >= sizeof(num))
			return -EINVAL;
		snprintf(num, sizeof(num), "%.*s", (int)(len - 1), s);
		if (parse_u64(num, &n) || n > (uint64_t)(INT64_MAX / unit))
			return -EINVAL;
		*out = now - (int64_t)n * unit;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
		struct tm tm = { 0 };
		const char *end = strptime(s, fmts[i], &tm);

		if (!end || (*end && strcmp(end, "Z")))
			continue;
		*out = (int64_t)timegm(&tm);
		return 0;
	}
	return -EINVAL;
}
