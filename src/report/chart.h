/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The chart primitive of the report (chart.c): one gnuplot script and data
 * file, the HTML table of the numbers it draws, and the helpers every chart
 * family (charts_*.c) builds them with.
 *
 * Labels, metric names and the like only ever reach gnuplot inside
 * single-quoted strings (chart_gpstr) and the page HTML-escaped
 * (chart_html); file names are built from indices, never from them.
 */
#ifndef MMUBENCH_REPORT_CHART_H
#define MMUBENCH_REPORT_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "src/lib/strbuf.h"
#include "src/record/record.h"
#include "src/report/model.h"

#define CHART_WIDTH	1000
#define CHART_HEIGHT	560
#define CHART_NPOINTS	8

struct chart_spec;
struct scenario_desc;

struct chart {
	char name[96];		/* file stem */
	char *title;
	int sec;		/* index into charts.secs */
	char *nodata;		/* why there is nothing to draw; NULL when there is */
	char *caption;
	struct strbuf set;	/* gnuplot settings */
	struct strbuf plot;	/* the plot command */
	struct strbuf dat;	/* the data file */
	struct strbuf table;	/* HTML table of the numbers drawn */
	int nblocks;		/* data blocks written ("index" in gnuplot) */
	int w, h;
	pid_t pid;
	bool failed;
	char why[512];		/* gnuplot's complaint when it failed */
};

/* A section of the page: one per chart family, or per scenario chart_spec. */
struct chart_section {
	char id[64];
	const char *title, *intro;
	struct strbuf note;	/* HTML the family adds after the intro; may be empty */
};

/* The charts of a report, what they are drawn from, and the sections they go in. */
struct charts {
	const struct model *m;
	const char *baseline, *candidate;
	struct chart **v;	/* in the order drawn */
	int n;
	struct chart_section *secs;
	int nsecs;
};

/*
 * A chart family adds its charts to @cs in section @sec; @spec and @scn are
 * the scenario's chart_spec that asked for it (NULL for the families every
 * scenario gets). 0 or -ENOMEM.
 */
typedef int chart_family_fn(struct charts *cs, int sec, const struct chart_spec *spec,
			    const struct scenario_desc *scn);
chart_family_fn charts_latency_cdf, charts_latency_pct, charts_epoch, charts_cost, charts_trend,
	charts_ab;

struct chart *chart_new(struct charts *cs, int sec, const char *title, const char *name_fmt, ...)
	__attribute__((format(printf, 4, 5)));
void chart_free(struct chart *c);
/* Ends a data block; returns its gnuplot index. */
int chart_block_end(struct chart *c);
void chart_caption(struct chart *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Turns @c into a "no data" image: the title and the reason, and no plot. */
void chart_nodata(struct chart *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Title of the image: the chart's title and a second line in smaller words. */
void chart_title(struct chart *c, const char *sub);
/* xtics at 0, 1, ... named @names; @reserve_px of the width go to an outside key. */
void chart_xtics(struct chart *c, char **names, int n, int reserve_px);

const char *chart_color(int i);
extern const int chart_points[CHART_NPOINTS];
/* A line style for series @i: colour, then dash pattern once the colours run out. */
void chart_style(struct strbuf *b, int i, int pt);

/* @s as a gnuplot single-quoted string: nothing is special in it but the quote. */
void chart_gpstr(struct strbuf *b, const char *s);
/* A number for a data file; gnuplot reads "NaN" as undefined. */
void chart_num(struct strbuf *b, double v);
/* @s escaped for HTML text and attribute values; control characters as '?'. */
void chart_html(struct strbuf *b, const char *s);

/* A growing array of finite doubles. */
struct chart_vals {
	double *v;
	size_t n, cap;
};

void chart_vals_add(struct chart_vals *d, double x);
double chart_vals_min(const struct chart_vals *d);	/* NAN when empty */
double chart_vals_max(const struct chart_vals *d);
void chart_vals_free(struct chart_vals *d);

struct chart_summary {
	double med, min, max;
	int runs;
};

/*
 * The metric @name over the charted runs of scenario @s, configuration
 * @config, and group @group (-1: any) or label @label (NULL: any): median of
 * the runs' values, min..max over the values and every sample. @unit and
 * @dir (may be NULL) are set from the runs that have it. False: none has.
 */
bool chart_summarise(const struct model *m, int s, int config, int group, const char *label,
		     const char *name, struct chart_summary *out, const char **unit,
		     enum metric_direction *dir);
/* "median [min..max] N runs" as a table cell. */
void chart_summary_cell(struct strbuf *t, const struct chart_summary *v);

/* Writes @dir/@name atomically (a temporary file renamed). 0 or -errno with @err. */
int chart_write_file(const char *dir, const char *name, const char *text, size_t len, char *err,
		     size_t errlen);

#endif
