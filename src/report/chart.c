// SPDX-License-Identifier: GPL-2.0
/* The chart primitive and the helpers the chart families share (chart.h). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/lib/util.h"
#include "src/report/chart.h"
#include "src/stats/hist_stats.h"

static const char *const chart_colors[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#999933",
};
const int chart_points[CHART_NPOINTS] = { 7, 5, 9, 11, 13, 15, 4, 6 };

const char *chart_color(int i)
{
	return chart_colors[i % ARRAY_SIZE(chart_colors)];
}

void chart_style(struct strbuf *b, int i, int pt)
{
	strbuf_addf(b, "lc rgb '%s' dt %d pt %d lw 1.5", chart_color(i),
		    1 + (int)((i / ARRAY_SIZE(chart_colors)) % 4), pt);
}

void chart_html(struct strbuf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(b, "&amp;"); break;
		case '<': strbuf_addstr(b, "&lt;"); break;
		case '>': strbuf_addstr(b, "&gt;"); break;
		case '"': strbuf_addstr(b, "&quot;"); break;
		case '\'': strbuf_addstr(b, "&#39;"); break;
		default:
			strbuf_addch(b, iscntrl((unsigned char)*s) ? '?' : *s);
		}
	}
}

void chart_gpstr(struct strbuf *b, const char *s)
{
	strbuf_addch(b, '\'');
	for (; s && *s; s++) {
		if (*s == '\'')
			strbuf_addstr(b, "''");
		else
			strbuf_addch(b, iscntrl((unsigned char)*s) ? '?' : *s);
	}
	strbuf_addch(b, '\'');
}

void chart_num(struct strbuf *b, double v)
{
	if (isfinite(v))
		strbuf_addf(b, "%.10g", v);
	else
		strbuf_addstr(b, "NaN");
}

struct chart *chart_new(struct charts *cs, int sec, const char *title, const char *name_fmt, ...)
{
	struct chart *c, **v;
	va_list ap;

	v = realloc(cs->v, (cs->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	cs->v = v;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	va_start(ap, name_fmt);
	vsnprintf(c->name, sizeof(c->name), name_fmt, ap);
	va_end(ap);
	c->title = strdup(title);
	if (!c->title) {
		free(c);
		return NULL;
	}
	strbuf_init(&c->set);
	strbuf_init(&c->plot);
	strbuf_init(&c->dat);
	strbuf_init(&c->table);
	c->sec = sec;
	c->w = CHART_WIDTH;
	c->h = CHART_HEIGHT;
	cs->v[cs->n++] = c;
	return c;
}

void chart_free(struct chart *c)
{
	free(c->title);
	free(c->nodata);
	free(c->caption);
	strbuf_release(&c->set);
	strbuf_release(&c->plot);
	strbuf_release(&c->dat);
	strbuf_release(&c->table);
	free(c);
}

int chart_block_end(struct chart *c)
{
	strbuf_addstr(&c->dat, "\n\n");
	return c->nblocks++;
}

void chart_caption(struct chart *c, const char *fmt, ...)
{
	va_list ap;

	free(c->caption);
	c->caption = NULL;
	va_start(ap, fmt);
	if (vasprintf(&c->caption, fmt, ap) < 0)
		c->caption = NULL;
	va_end(ap);
}

/* The one function drawn lies outside the ranges: the image holds only the labels. */
void chart_nodata(struct chart *c, const char *fmt, ...)
{
	struct strbuf head = STRBUF_INIT;
	char why[1024], line[1024];
	const char *p;
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	free(c->nodata);
	c->nodata = strdup(why);
	strbuf_release(&c->set);
	strbuf_release(&c->plot);
	strbuf_release(&c->dat);
	strbuf_release(&c->table);
	c->nblocks = 0;
	c->w = 900;
	c->h = 220;

	strbuf_addf(&head, "no data for %s", c->title);
	strbuf_addstr(&c->set, "unset border\nunset tics\nunset key\nunset title\n");
	strbuf_addstr(&c->set, "set label 1 ");
	chart_gpstr(&c->set, head.buf);
	strbuf_addstr(&c->set, " at screen 0.5, 0.68 center font ',15'\n");
	strbuf_release(&head);
	/* the reason, wrapped at about 90 characters */
	for (p = why; *p && n < 4; n++) {
		size_t len = strlen(p), cut = len;

		if (len > 90) {
			for (cut = 90; cut > 40 && p[cut] != ' '; cut--)
				;
			if (p[cut] != ' ')
				cut = 90;
		}
		snprintf(line, sizeof(line), "%s%.*s%s", n ? "" : "(", (int)cut, p,
			 cut == len ? ")" : "");
		strbuf_addf(&c->set, "set label %d ", n + 2);
		chart_gpstr(&c->set, line);
		strbuf_addf(&c->set, " at screen 0.5, %.2f center font ',11'\n", 0.48 - 0.11 * n);
		p += cut;
		while (*p == ' ')
			p++;
	}
	strbuf_addstr(&c->plot, "plot [0:1] [0:1] 2 notitle\n");
}

void chart_title(struct chart *c, const char *sub)
{
	strbuf_addstr(&c->set, "set title ");
	chart_gpstr(&c->set, c->title);
	if (sub && *sub) {
		strbuf_addstr(&c->set, ".\"\\n\".");
		chart_gpstr(&c->set, sub);
	}
	strbuf_addch(&c->set, '\n');
}

/*
 * The names are rotated when they would not fit flat in their share of the
 * plot (the image width less @reserve_px taken by an outside key); the
 * first one then reaches left of its tic, so the left margin and the image
 * grow by what it needs.
 */
void chart_xtics(struct chart *c, char **names, int n, int reserve_px)
{
	const double char_px = 6.5;	/* 10 pt sans, on average */
	size_t longest = 0;
	double share;

	for (int i = 0; i < n; i++)
		if (strlen(names[i]) > longest)
			longest = strlen(names[i]);
	share = (double)(c->w - 140 - reserve_px) / (n ? n : 1);
	strbuf_addstr(&c->set, "set xtics (");
	for (int i = 0; i < n; i++) {
		strbuf_addstr(&c->set, i ? ", " : "");
		chart_gpstr(&c->set, names[i]);
		strbuf_addf(&c->set, " %d", i);
	}
	if (longest * char_px > 0.9 * share) {
		/* at 45 degrees a label reaches 0.71 of its length left of its tic */
		double reach = 0.71 * (n ? strlen(names[0]) : 0) * char_px - 0.5 * share;
		int lmargin = reach > 60 ? (int)(reach / 7) + 2 : 0;
		int drop = (int)(0.71 * longest * char_px);

		strbuf_addstr(&c->set, ") rotate by 45 right\n");
		if (lmargin > 10) {
			strbuf_addf(&c->set, "set lmargin %d\n", lmargin);
			c->w += (lmargin - 10) * 7;
		}
		c->h += drop > 80 ? drop - 80 : 0;
	} else {
		strbuf_addstr(&c->set, ")\n");
	}
	strbuf_addf(&c->set, "set xrange [-0.6:%g]\n", n - 0.4);
}

void chart_vals_add(struct chart_vals *d, double x)
{
	if (!isfinite(x))
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		double *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return;	/* a value short: the summary is still right enough to draw */
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = x;
}

double chart_vals_min(const struct chart_vals *d)
{
	double m = NAN;

	for (size_t i = 0; i < d->n; i++)
		if (isnan(m) || d->v[i] < m)
			m = d->v[i];
	return m;
}

double chart_vals_max(const struct chart_vals *d)
{
	double m = NAN;

	for (size_t i = 0; i < d->n; i++)
		if (isnan(m) || d->v[i] > m)
			m = d->v[i];
	return m;
}

void chart_vals_free(struct chart_vals *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

bool chart_summarise(const struct model *m, int s, int config, int group, const char *label,
		     const char *name, struct chart_summary *out, const char **unit,
		     enum metric_direction *dir)
{
	struct chart_vals vals = { 0 }, all = { 0 };

	for (int i = 0; i < m->nruns; i++) {
		const struct model_run *r = &m->runs[i];
		const struct metric *me;

		if (!r->charted || r->scn != s || r->config != config ||
		    (group >= 0 && r->group != group) ||
		    (label && (!r->rec->label || strcmp(r->rec->label, label))))
			continue;
		me = model_metric(r, name);
		if (!me || !isfinite(me->value))
			continue;
		chart_vals_add(&vals, me->value);
		chart_vals_add(&all, me->value);
		for (size_t k = 0; k < me->nsamples; k++)
			chart_vals_add(&all, me->samples[k]);
		if (unit)
			*unit = me->unit;
		if (dir)
			*dir = me->direction;
	}
	out->runs = (int)vals.n;
	out->med = vals.n ? stats_median(vals.v, vals.n) : NAN;
	out->min = chart_vals_min(&all);
	out->max = chart_vals_max(&all);
	chart_vals_free(&vals);
	chart_vals_free(&all);
	return out->runs > 0;
}

void chart_summary_cell(struct strbuf *t, const struct chart_summary *v)
{
	char a[64], b[64], c[64];

	if (!v->runs) {
		strbuf_addstr(t, "<td></td>");
		return;
	}
	strbuf_addf(t, "<td>%s <small>[%s..%s] %d run%s</small></td>",
		    record_format_value(v->med, a, sizeof(a)),
		    record_format_value(v->min, b, sizeof(b)),
		    record_format_value(v->max, c, sizeof(c)), v->runs, v->runs == 1 ? "" : "s");
}

int chart_write_file(const char *dir, const char *name, const char *text, size_t len, char *err,
		     size_t errlen)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return errf(err, errlen, -errno, "cannot write %s: %s", tmp, strerror(errno));
	if (len && fwrite(text, 1, len, f) != len)
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return errf(err, errlen, ret, "cannot write %s: %s", path, strerror(-ret));
	}
	return 0;
}
