// SPDX-License-Identifier: GPL-2.0
/*
 * index.html (html.h): static HTML, no JavaScript, nothing from the
 * network. The selection, a table of contents, the charts without data, the
 * runs, then each section with its charts and the numbers they draw.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "src/lib/util.h"
#include "src/report/html.h"

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef MMUBENCH_GIT_REVISION
#define MMUBENCH_GIT_REVISION "unknown"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "?"
#endif

static const char html_css[] =
	"body{font-family:sans-serif;margin:1.5em auto;max-width:1400px;padding:0 1em;color:#222}\n"
	"h1{margin-bottom:.2em}"
	"h2{border-bottom:2px solid #0072b2;padding-bottom:.2em;margin-top:2em}\n"
	"h3{margin:.2em 0}"
	"figure{margin:1.5em 0;padding:.8em;border:1px solid #ddd;border-radius:4px}\n"
	"img{max-width:100%;height:auto;display:block}"
	"table{border-collapse:collapse;margin:.6em 0;font-size:90%}\n"
	"th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right;vertical-align:top}\n"
	"th{background:#f0f4f8}td:first-child,th:first-child{text-align:left}\n"
	".meta,.files,.caption{color:#555;font-size:90%}.nodata{background:#fff6e0;padding:.4em}\n"
	".error{background:#fde8e8;padding:.4em}"
	".st-fail,.st-error{color:#b00}.st-skip{color:#a60}\n"
	"small{color:#666}nav li{margin:.15em 0}\n";

void html_time(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)t);
}

static void html_runs(const struct model *m, struct strbuf *h)
{
	strbuf_addstr(h, "<h2 id=\"runs\">Runs</h2>\n<p class=\"caption\">Every selected run, "
			 "oldest "
			 "first. Only runs that completed (pass or fail) are charted. The "
			 "configuration lists the parameters that differ between the runs of a "
			 "scenario.</p>\n");
	strbuf_addstr(h, "<table><tr><th>run id</th><th>label</th><th>scenario</th>"
		      "<th>configuration</th><th>kernel</th><th>host</th><th>status</th>"
		      "<th>started (UTC)</th><th>duration (s)</th></tr>\n");
	for (int i = 0; i < m->nruns; i++) {
		const struct model_run *r = &m->runs[i];
		const char *status = record_status_name(r->rec->status);
		char t[64], d[64];

		strbuf_addstr(h, "<tr><td><code>");
		chart_html(h, r->rec->run_id);
		strbuf_addstr(h, "</code></td><td>");
		chart_html(h, r->rec->label ? r->rec->label : "(no label)");
		strbuf_addstr(h, "</td><td>");
		chart_html(h, r->rec->scenario);
		strbuf_addstr(h, "</td><td>");
		if (r->config >= 0)
			chart_html(h, model_config(m, r->scn, r->config));
		strbuf_addstr(h, "</td><td>");
		chart_html(h, r->kernel ? r->kernel : "");
		strbuf_addstr(h, "</td><td>");
		chart_html(h, r->host ? r->host : "");
		strbuf_addstr(h, "</td><td class=\"st-");
		chart_html(h, status);
		strbuf_addstr(h, "\">");
		chart_html(h, status);
		if (r->rec->status_reason) {
			strbuf_addstr(h, ": <small>");
			chart_html(h, r->rec->status_reason);
			strbuf_addstr(h, "</small>");
		}
		html_time(t, sizeof(t), r->rec->started_at);
		strbuf_addf(h, "</td><td>%s</td><td>%s</td></tr>\n", t,
			    record_format_value(r->rec->duration_s, d, sizeof(d)));
	}
	strbuf_addstr(h, "</table>\n");
}

static void html_figure(struct strbuf *h, const struct chart *c)
{
	strbuf_addf(h, "<figure id=\"%s\">\n<h3>", c->name);
	chart_html(h, c->title);
	strbuf_addstr(h, "</h3>\n");
	if (c->failed) {
		strbuf_addstr(h, "<p class=\"error\">gnuplot could not draw this chart: ");
		chart_html(h, c->why);
		strbuf_addf(h, " (see <a href=\"%s.gp\">%s.gp</a> and %s.log)</p>\n", c->name,
			    c->name, c->name);
	} else {
		strbuf_addf(h, "<a href=\"%s.svg\"><img src=\"%s.png\" width=\"%d\" height=\"%d\" "
			    "alt=\"", c->name, c->name, c->w, c->h);
		if (c->nodata)
			strbuf_addstr(h, "no data for ");
		chart_html(h, c->title);
		strbuf_addstr(h, "\"></a>\n");
	}
	if (c->nodata) {
		strbuf_addstr(h, "<p class=\"nodata\"><strong>no data for ");
		chart_html(h, c->title);
		strbuf_addstr(h, "</strong> (");
		chart_html(h, c->nodata);
		strbuf_addstr(h, ")</p>\n");
	} else {
		if (c->caption) {
			strbuf_addstr(h, "<p class=\"caption\">");
			chart_html(h, c->caption);
			strbuf_addstr(h, "</p>\n");
		}
		strbuf_addstr(h, c->table.buf);
	}
	strbuf_addf(h, "<p class=\"files\">SVG <a href=\"%s.svg\">%s.svg</a>", c->name, c->name);
	if (!c->nodata)
		strbuf_addf(h, ", data <a href=\"%s.dat\">%s.dat</a>", c->name, c->name);
	strbuf_addf(h, ", gnuplot script <a href=\"%s.gp\">%s.gp</a></p>\n</figure>\n", c->name,
		    c->name);
}

static void html_list(struct strbuf *h, const char *const *v)
{
	if (!v || !v[0]) {
		strbuf_addstr(h, "all");
		return;
	}
	for (int i = 0; v[i]; i++) {
		strbuf_addstr(h, i ? ", " : "");
		chart_html(h, v[i]);
	}
}

static void html_selection(const struct report_opts *o, struct strbuf *h)
{
	char t[64];

	strbuf_addstr(h, "labels: ");
	html_list(h, o->labels);
	strbuf_addstr(h, "; scenarios: ");
	html_list(h, o->scenarios);
	if (o->has_since) {
		html_time(t, sizeof(t), o->since);
		strbuf_addf(h, "; started since %s", t);
	}
}

static void html_contents(const struct charts *cs, struct strbuf *h)
{
	strbuf_addf(h, "<nav><h2>Contents</h2><ul>\n<li><a href=\"#runs\">Runs</a> (%d)</li>\n",
		    cs->m->nruns);
	for (int sec = 0; sec < cs->nsecs; sec++) {
		int n = 0, nd = 0;

		for (int i = 0; i < cs->n; i++) {
			n += cs->v[i]->sec == sec;
			nd += cs->v[i]->sec == sec && cs->v[i]->nodata;
		}
		strbuf_addf(h, "<li><a href=\"#%s\">%s</a> (%d chart%s", cs->secs[sec].id,
			    cs->secs[sec].title, n, n == 1 ? "" : "s");
		if (nd)
			strbuf_addf(h, ", %d without data", nd);
		strbuf_addstr(h, ")</li>\n");
	}
	strbuf_addstr(h, "</ul></nav>\n");
}

static void html_nodata(const struct charts *cs, struct strbuf *h)
{
	strbuf_addstr(h, "<h2 id=\"nodata\">Charts without data</h2>\n<ul>\n");
	for (int i = 0; i < cs->n; i++) {
		const struct chart *c = cs->v[i];

		if (!c->nodata)
			continue;
		strbuf_addf(h, "<li><a href=\"#%s\">no data for ", c->name);
		chart_html(h, c->title);
		strbuf_addstr(h, "</a>: ");
		chart_html(h, c->nodata);
		strbuf_addstr(h, "</li>\n");
	}
	strbuf_addstr(h, "</ul>\n");
}

int html_write_index(const struct charts *cs, const struct report_opts *o, int nodata,
		     char *err, size_t errlen)
{
	struct strbuf h = STRBUF_INIT;
	int nruns = cs->m->nruns, ret;
	char now[64];

	html_time(now, sizeof(now), time(NULL));
	strbuf_addf(&h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>mmubench report</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		    "<h1>mmubench report</h1>\n<p class=\"meta\">Generated %s by mmubench %s (%s) "
		    "from <code>", html_css, now, PACKAGE_VERSION, MMUBENCH_GIT_REVISION);
	chart_html(&h, o->store);
	strbuf_addstr(&h, "</code>. Selection: ");
	html_selection(o, &h);
	strbuf_addf(&h, ". %d run%s, %d chart%s (%d without data). Each image links to its SVG; "
		    "the numbers drawn are in the table under it and in its .dat file.</p>\n",
		    nruns, nruns == 1 ? "" : "s", cs->n, cs->n == 1 ? "" : "s", nodata);
	html_contents(cs, &h);
	if (nodata)
		html_nodata(cs, &h);
	html_runs(cs->m, &h);
	for (int sec = 0; sec < cs->nsecs; sec++) {
		strbuf_addf(&h, "<h2 id=\"%s\">%s</h2>\n<p class=\"caption\">%s</p>\n",
			    cs->secs[sec].id, cs->secs[sec].title, cs->secs[sec].intro);
		strbuf_addstr(&h, cs->secs[sec].note.buf);
		for (int i = 0; i < cs->n; i++)
			if (cs->v[i]->sec == sec)
				html_figure(&h, cs->v[i]);
	}
	strbuf_addstr(&h, "</body>\n</html>\n");
	if (h.failed) {
		strbuf_release(&h);
		return errf(err, errlen, -ENOMEM, "out of memory writing index.html");
	}
	ret = chart_write_file(o->out, "index.html", h.buf, h.len, err, errlen);
	strbuf_release(&h);
	return ret;
}
