// SPDX-License-Identifier: GPL-2.0
/*
 * The report (report.h): store -> per-chart data file and gnuplot script ->
 * gnuplot (SVG and PNG) -> index.html.
 *
 * Vocabulary used below:
 * - group: what a line or a bar stands for, the run's label ("(no label)"
 *   without one); a label whose runs were made on several kernel releases is
 *   split into "label @ release" groups, so that one line never silently
 *   averages two kernels. Groups are ordered by their first run.
 * - configuration: within a scenario, the parameters that differ between
 *   the selected runs ("driver=mglru, vcpus=2"); a parameter missing from
 *   older records takes the most common value of the others. Runs of the
 *   same configuration and group are pooled: histograms merged, values
 *   summarised as the median over runs with a min..max band over the runs'
 *   values and samples.
 * Only runs that completed (pass or fail) are charted; every selected run is
 * listed in the runs table.
 *
 * Labels, metric names and the like only ever reach gnuplot inside
 * single-quoted strings in the scripts and HTML escaped in the page; file
 * names are built from indices, never from them.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include <sqlite3.h>

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "guests/abi/hist.h"
#include "src/stats/hist_stats.h"
#include "src/record/record.h"
#include "src/report/report.h"
#include "src/store/store.h"
#include "src/lib/env.h"
#include "src/lib/util.h"

#ifndef MMUBENCH_GIT_REVISION
#define MMUBENCH_GIT_REVISION "unknown"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "?"
#endif

extern char **environ;

#define RP_MANIFEST	".mmubench-report"	/* files written last time, removed first */
#define RP_WIDTH	1000
#define RP_HEIGHT	560
#define RP_MAX_JOBS	8

/* ------------------------------------------------------------ small helpers */

struct sb {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_vprintf(struct sb *b, const char *fmt, va_list ap)
{
	va_list aq;
	size_t cap;
	char *s;
	int n;

	if (b->oom)
		return;
	va_copy(aq, ap);
	n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		cap = 2 * (b->len + n + 1);
		if (cap < 256)
			cap = 256;
		s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += n;
}

static void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

static void sb_free(struct sb *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static const char *sb_str(const struct sb *b)
{
	return b->s ? b->s : "";
}

/* @s escaped for HTML text and attribute values; control characters as '?'. */
static void sb_html(struct sb *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': sb_printf(b, "&amp;"); break;
		case '<': sb_printf(b, "&lt;"); break;
		case '>': sb_printf(b, "&gt;"); break;
		case '"': sb_printf(b, "&quot;"); break;
		case '\'': sb_printf(b, "&#39;"); break;
		default:
			sb_printf(b, "%c", iscntrl((unsigned char)*s) ? '?' : *s);
		}
	}
}

/* @s as a gnuplot single-quoted string: nothing is special in it but the quote. */
static void sb_gpstr(struct sb *b, const char *s)
{
	sb_printf(b, "'");
	for (; s && *s; s++) {
		if (*s == '\'')
			sb_printf(b, "''");
		else
			sb_printf(b, "%c", iscntrl((unsigned char)*s) ? '?' : *s);
	}
	sb_printf(b, "'");
}

/* A number for a data file; gnuplot reads "NaN" as undefined. */
static void sb_num(struct sb *b, double v)
{
	if (isfinite(v))
		sb_printf(b, "%.10g", v);
	else
		sb_printf(b, "NaN");
}

/* A number for people (4 significant digits, "n/a" for NaN). */
static const char *fmtv(double v, char *buf, size_t len)
{
	return record_format_value(v, buf, len);
}

/* A growing set of strings, with how often each was added. */
struct strv {
	char **v;
	int *cnt;
	int n, cap;
};

static int strv_find(const struct strv *sv, const char *s)
{
	for (int i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return i;
	return -1;
}

/* Index of @s, added when new; -1 when out of memory. */
static int strv_add(struct strv *sv, const char *s)
{
	int i = strv_find(sv, s);

	if (i >= 0) {
		sv->cnt[i]++;
		return i;
	}
	if (sv->n == sv->cap) {
		int cap = sv->cap ? 2 * sv->cap : 8;
		char **v = realloc(sv->v, cap * sizeof(*v));
		int *cnt;

		if (!v)
			return -1;
		sv->v = v;
		cnt = realloc(sv->cnt, cap * sizeof(*cnt));
		if (!cnt)
			return -1;
		sv->cnt = cnt;
		sv->cap = cap;
	}
	sv->v[sv->n] = strdup(s);
	if (!sv->v[sv->n])
		return -1;
	sv->cnt[sv->n] = 1;
	return sv->n++;
}

static void strv_free(struct strv *sv)
{
	for (int i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	free(sv->cnt);
	memset(sv, 0, sizeof(*sv));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the strings (the counts do not follow: sort before counting matters). */
static void strv_sort(struct strv *sv)
{
	qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
}

/* A growing array of doubles. */
struct dv {
	double *v;
	size_t n, cap;
};

static void dv_add(struct dv *d, double x)
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

static double dv_min(const struct dv *d)
{
	double m = NAN;

	for (size_t i = 0; i < d->n; i++)
		if (isnan(m) || d->v[i] < m)
			m = d->v[i];
	return m;
}

static double dv_max(const struct dv *d)
{
	double m = NAN;

	for (size_t i = 0; i < d->n; i++)
		if (isnan(m) || d->v[i] > m)
			m = d->v[i];
	return m;
}

static void dv_free(struct dv *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* --------------------------------------------------------------- the model */

struct rp_run {
	char *id, *label, *scenario, *status, *reason, *kernel, *host;
	int64_t started;
	double duration;
	struct json_object *params;
	bool charted;		/* completed (pass or fail): its numbers are drawn */
	int scn;		/* index into rp.scns */
	int group;		/* index into rp.groups */
	int config;		/* index into its scenario's configs; -1 when not charted */
	int m0, nm;		/* its metrics: rp.metrics[m0 .. m0 + nm) */
	int h0, nh;		/* its histograms */
	double mem_gib;		/* vcpus x mem-per-vcpu; NAN when unknown */
	const char *driver;	/* params.driver, or NULL */
};

struct rp_metric {
	int run;
	char *name, *unit, *dir;
	double value;
	double *samples;	/* by idx; NAN where missing */
	size_t nsamples;
};

struct rp_bucket {
	double low, high, mid;	/* in the histogram's unit */
	uint64_t n;
};

struct rp_hist {
	int run;
	char *name, *unit;
	uint64_t count, overflow;
	double min, max, mean;
	struct rp_bucket *b;
	size_t nb;
};

struct rp_scn {
	char *name;
	struct strv configs;	/* sorted */
	struct strv hists;	/* histogram names, sorted */
	struct strv metrics;	/* judged (lower/higher) metric names, sorted */
};

enum rp_section {
	SEC_CDF,
	SEC_PCT,
	SEC_EPOCH,
	SEC_COST,
	SEC_TREND,
	SEC_AB,
	SEC_N,
};

static const struct {
	const char *id, *title, *intro;
} rp_sections[SEC_N] = {
	[SEC_CDF] = { "latency-cdf", "Latency distributions",
		"Cumulative distribution of every latency histogram, one chart per scenario, "
		"histogram and configuration, one line per label (repeats merged). The x axis is "
		"logarithmic; the y axis is stretched towards the tail so that p99, p99.9 and "
		"p99.99 get as much room as the median." },
	[SEC_PCT] = { "latency-percentiles", "Latency percentiles",
		"p50, p90, p99 and p99.9 of each histogram per configuration and label, from "
		"the merged histograms (logarithmic axis)." },
	[SEC_EPOCH] = { "aging-epochs", "Aging accuracy per epoch",
		"false_old_pct (truly-young pages judged old) and false_young_pct (truly-old "
		"pages judged young) in each aging epoch, per driver configuration; one colour "
		"per label. Lines are medians over runs; the band spans min..max when there are "
		"several runs." },
	[SEC_COST] = { "aging-cost", "Aging cost vs memory size",
		"Wall time of an aging pass (aging_pass_ms, with the verdict read) against the "
		"guest memory size (vCPUs x mem-per-vcpu), per driver and label: point at the "
		"median pass, error bar min..max over all passes of all runs. Other parameters "
		"are pooled." },
	[SEC_TREND] = { "trend", "Trends across labels",
		"Every judged metric of every scenario across labels in the order they were "
		"first run: the line is the median over runs, the band spans min..max over the "
		"runs' values and their samples (per pass, per vCPU, per epoch)." },
	[SEC_AB] = { "baseline-candidate", "Baseline vs candidate",
		"Judged metrics of each configuration run under both labels. Bars are medians "
		"scaled so that the larger of the two is 100 (the real values are written on "
		"them and in the table); error bars span min..max over runs and samples. "
		"Whether a change is a regression is mmubench gate's call, with its "
		"thresholds." },
};

struct rp_chart {
	char name[96];		/* file stem */
	char *title;
	enum rp_section sec;
	char *nodata;		/* why there is nothing to draw; NULL when there is */
	char *caption;
	struct sb set;		/* gnuplot settings */
	struct sb plot;		/* the plot command */
	struct sb dat;		/* the data file */
	struct sb table;	/* HTML table of the numbers drawn */
	int nblocks;		/* data blocks written ("index" in gnuplot) */
	int w, h;
	pid_t pid;
	bool failed;
	char why[512];		/* gnuplot's complaint when it failed */
};

struct rp {
	const struct report_opts *o;
	sqlite3 *db;
	struct sb where;	/* the selection, as SQL on runs r */
	struct rp_run *runs;
	int nruns;
	int *by_id;		/* run indices sorted by id */
	struct rp_metric *metrics;
	int nmetrics;
	struct rp_hist *hists;
	int nhists;
	struct strv groups;	/* in order of first run */
	int64_t *group_first;
	struct rp_scn *scns;
	int nscns;
	struct rp_chart **charts;
	int ncharts;
	const char *baseline, *candidate;
	char gnuplot[PATH_MAX];
	const char *png_term;	/* "pngcairo" or "png" */
	char *err;
	size_t errlen;
};

static const char *const rp_colors[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#999933",
};
static const int rp_points[] = { 7, 5, 9, 11, 13, 15, 4, 6 };

static const char *rp_color(int i)
{
	return rp_colors[i % ARRAY_SIZE(rp_colors)];
}

/* A line style for series @i: colour, then dash pattern once the colours run out. */
static void rp_style(struct sb *b, int i, int pt)
{
	sb_printf(b, "lc rgb '%s' dt %d pt %d lw 1.5", rp_color(i),
		  1 + (int)((i / ARRAY_SIZE(rp_colors)) % 4), pt);
}

static const char *rp_group(const struct rp *rp, const struct rp_run *r)
{
	return rp->groups.v[r->group];
}

static const char *rp_config(const struct rp *rp, int scn, int config)
{
	return rp->scns[scn].configs.v[config];
}

/* Does the configuration name @cfg ("k=v, k=v") have the item @item (@len bytes)? */
static bool rp_cfg_has(const char *cfg, const char *item, size_t len)
{
	for (const char *p = cfg; *p; ) {
		size_t n = strstr(p, ", ") ? (size_t)(strstr(p, ", ") - p) : strlen(p);

		if (n == len && !strncmp(p, item, len))
			return true;
		p += n;
		if (*p)
			p += 2;
	}
	return false;
}

/*
 * Names for the configurations @cfgs[0..n) of scenario @s that drop the
 * "k=v" items they all share: within one chart only what differs is named.
 * Returns malloc'ed strings (possibly ""), NULL when out of memory.
 */
static char **rp_short_configs(const struct rp *rp, int s, const int *cfgs, int n)
{
	char **out = calloc(n + 1, sizeof(*out));

	for (int i = 0; out && i < n; i++) {
		const char *cfg = rp_config(rp, s, cfgs[i]);
		struct sb b = { 0 };

		for (const char *p = cfg; *p; ) {
			size_t len = strstr(p, ", ") ? (size_t)(strstr(p, ", ") - p) : strlen(p);
			bool shared = true;

			for (int j = 0; j < n && shared; j++)
				shared = rp_cfg_has(rp_config(rp, s, cfgs[j]), p, len);
			if (!shared)
				sb_printf(&b, "%s%.*s", b.len ? ", " : "", (int)len, p);
			p += len;
			if (*p)
				p += 2;
		}
		out[i] = b.s ? b.s : strdup("");
		if (b.oom || !out[i]) {
			for (int j = 0; j <= i; j++)
				free(out[j]);
			free(out);
			free(b.oom ? b.s : NULL);
			return NULL;
		}
	}
	return out;
}

static void rp_free_strs(char **v, int n)
{
	for (int i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* ------------------------------------------------------------ reading the store */

static int rp_sql_err(struct rp *rp, const char *what)
{
	return errf(rp->err, rp->errlen, -EIO, "store %s: %s: %s", rp->o->store, what,
		    sqlite3_errmsg(rp->db));
}

static void rp_build_where(struct rp *rp)
{
	const struct report_opts *o = rp->o;

	sb_printf(&rp->where, " WHERE 1 = 1");
	if (o->labels && o->labels[0]) {
		sb_printf(&rp->where, " AND r.label IN (");
		for (int i = 0; o->labels[i]; i++)
			sb_printf(&rp->where, "%s?", i ? ", " : "");
		sb_printf(&rp->where, ")");
	}
	if (o->has_since)
		sb_printf(&rp->where, " AND r.started_at >= ?");
	if (o->scenarios && o->scenarios[0]) {
		sb_printf(&rp->where, " AND r.scenario IN (");
		for (int i = 0; o->scenarios[i]; i++)
			sb_printf(&rp->where, "%s?", i ? ", " : "");
		sb_printf(&rp->where, ")");
	}
}

/* Prepares "@head <selection> @tail" with the selection bound. */
static int rp_prepare(struct rp *rp, const char *head, const char *tail, sqlite3_stmt **st)
{
	const struct report_opts *o = rp->o;
	struct sb sql = { 0 };
	int i = 1, rc;

	sb_printf(&sql, "%s%s %s", head, sb_str(&rp->where), tail);
	if (sql.oom)
		return errf(rp->err, rp->errlen, -ENOMEM, "out of memory");
	rc = sqlite3_prepare_v2(rp->db, sql.s, -1, st, NULL);
	sb_free(&sql);
	if (rc != SQLITE_OK)
		return rp_sql_err(rp, "cannot read it (not an mmubench store, or a newer schema?)");
	for (int k = 0; o->labels && o->labels[k]; k++)
		sqlite3_bind_text(*st, i++, o->labels[k], -1, SQLITE_STATIC);
	if (o->has_since)
		sqlite3_bind_int64(*st, i++, o->since);
	for (int k = 0; o->scenarios && o->scenarios[k]; k++)
		sqlite3_bind_text(*st, i++, o->scenarios[k], -1, SQLITE_STATIC);
	return 0;
}

static char *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

static double col_double(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static const struct rp *rp_sort_ctx;

static int cmp_run_id(const void *a, const void *b)
{
	return strcmp(rp_sort_ctx->runs[*(const int *)a].id, rp_sort_ctx->runs[*(const int *)b].id);
}

static int rp_find_run(const struct rp *rp, const char *id)
{
	int lo = 0, hi = rp->nruns - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(rp->runs[rp->by_id[mid]].id, id);

		if (!c)
			return rp->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int rp_load_runs(struct rp *rp)
{
	sqlite3_stmt *st;
	int ret, rc, cap = 0;

	ret = rp_prepare(rp, "SELECT r.run_id, r.label, r.scenario, r.started_at, r.duration_s, "
			 "r.status, r.status_reason, r.kernel_release, r.host, r.params_json "
			 "FROM runs r", "ORDER BY r.started_at, r.run_id", &st);
	if (ret)
		return ret;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rp_run *r;
		const char *pj;

		if (rp->nruns == cap) {
			struct rp_run *v;

			cap = cap ? 2 * cap : 64;
			v = realloc(rp->runs, cap * sizeof(*v));
			if (!v) {
				sqlite3_finalize(st);
				return errf(rp->err, rp->errlen, -ENOMEM, "out of memory reading runs");
			}
			rp->runs = v;
		}
		r = &rp->runs[rp->nruns++];
		memset(r, 0, sizeof(*r));
		r->id = col_str(st, 0);
		r->label = col_str(st, 1);
		r->scenario = col_str(st, 2);
		r->started = sqlite3_column_int64(st, 3);
		r->duration = col_double(st, 4);
		r->status = col_str(st, 5);
		r->reason = col_str(st, 6);
		r->kernel = col_str(st, 7);
		r->host = col_str(st, 8);
		pj = (const char *)sqlite3_column_text(st, 9);
		r->params = pj ? json_tokener_parse(pj) : NULL;
		if (!r->params || !json_object_is_type(r->params, json_type_object)) {
			json_object_put(r->params);
			r->params = json_object_new_object();
		}
		r->config = -1;
		r->m0 = r->h0 = -1;
		r->mem_gib = NAN;
		if (!r->id || !r->scenario || !r->status) {
			sqlite3_finalize(st);
			return errf(rp->err, rp->errlen, -ENOMEM, "out of memory reading runs");
		}
		r->charted = !strcmp(r->status, "pass") || !strcmp(r->status, "fail");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rp_sql_err(rp, "cannot read runs");

	rp->by_id = calloc(rp->nruns ? rp->nruns : 1, sizeof(*rp->by_id));
	if (!rp->by_id)
		return errf(rp->err, rp->errlen, -ENOMEM, "out of memory");
	for (int i = 0; i < rp->nruns; i++)
		rp->by_id[i] = i;
	rp_sort_ctx = rp;
	qsort(rp->by_id, rp->nruns, sizeof(*rp->by_id), cmp_run_id);
	return 0;
}

static int rp_load_metrics(struct rp *rp)
{
	sqlite3_stmt *st;
	int ret, rc, cap = 0, mi = 0;

	ret = rp_prepare(rp, "SELECT m.run_id, m.name, m.unit, m.direction, m.value "
			 "FROM metrics m JOIN runs r ON r.run_id = m.run_id",
			 "ORDER BY m.run_id, m.name", &st);
	if (ret)
		return ret;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int run = rp_find_run(rp, (const char *)sqlite3_column_text(st, 0));
		struct rp_metric *m;

		if (run < 0)
			continue;
		if (rp->nmetrics == cap) {
			struct rp_metric *v;

			cap = cap ? 2 * cap : 256;
			v = realloc(rp->metrics, cap * sizeof(*v));
			if (!v) {
				sqlite3_finalize(st);
				return errf(rp->err, rp->errlen, -ENOMEM, "out of memory reading metrics");
			}
			rp->metrics = v;
		}
		m = &rp->metrics[rp->nmetrics];
		memset(m, 0, sizeof(*m));
		m->run = run;
		m->name = col_str(st, 1);
		m->unit = col_str(st, 2);
		m->dir = col_str(st, 3);
		m->value = col_double(st, 4);
		if (!m->name || !m->unit || !m->dir) {
			sqlite3_finalize(st);
			return errf(rp->err, rp->errlen, -ENOMEM, "out of memory reading metrics");
		}
		if (rp->runs[run].m0 < 0)
			rp->runs[run].m0 = rp->nmetrics;
		rp->runs[run].nm++;
		rp->nmetrics++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rp_sql_err(rp, "cannot read metrics");

	/* the samples come in the same (run_id, name) order: walk both together */
	ret = rp_prepare(rp, "SELECT s.run_id, s.name, s.idx, s.value "
			 "FROM metric_samples s JOIN runs r ON r.run_id = s.run_id",
			 "ORDER BY s.run_id, s.name, s.idx", &st);
	if (ret)
		return ret;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		sqlite3_int64 idx = sqlite3_column_int64(st, 2);
		struct rp_metric *m;
		int c = 1;

		if (!id || !name)
			continue;
		while (mi < rp->nmetrics) {
			m = &rp->metrics[mi];
			c = strcmp(rp->runs[m->run].id, id);
			if (!c)
				c = strcmp(m->name, name);
			if (c >= 0)
				break;
			mi++;
		}
		if (c || idx < 0 || idx > 1000000)
			continue;
		m = &rp->metrics[mi];
		if ((size_t)idx >= m->nsamples) {
			double *v = realloc(m->samples, (idx + 1) * sizeof(*v));

			if (!v) {
				sqlite3_finalize(st);
				return errf(rp->err, rp->errlen, -ENOMEM, "out of memory reading samples");
			}
			for (size_t k = m->nsamples; k <= (size_t)idx; k++)
				v[k] = NAN;
			m->samples = v;
			m->nsamples = idx + 1;
		}
		m->samples[idx] = col_double(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rp_sql_err(rp, "cannot read metric samples");
}

static int cmp_bucket(const void *a, const void *b)
{
	const struct rp_bucket *x = a, *y = b;

	return x->low < y->low ? -1 : x->low > y->low;
}

/* Buckets from [[low_cycles, count], ...] scaled by @upc into the unit. */
static int rp_parse_buckets(struct rp_hist *h, const char *text, double upc)
{
	struct json_object *a = text ? json_tokener_parse(text) : NULL;
	size_t n;

	if (!a || !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return -EINVAL;
	}
	n = json_object_array_length(a);
	h->b = calloc(n ? n : 1, sizeof(*h->b));
	if (!h->b) {
		json_object_put(a);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(a, i);
		uint64_t low, width;
		int64_t cnt;

		if (!p || !json_object_is_type(p, json_type_array) ||
		    json_object_array_length(p) != 2)
			continue;
		low = json_object_get_uint64(json_object_array_get_idx(p, 0));
		cnt = json_object_get_int64(json_object_array_get_idx(p, 1));
		if (cnt <= 0)
			continue;
		width = hist_bucket_width(hist_index(low) < HIST_NBUCKETS ? hist_index(low) : 0);
		h->b[h->nb++] = (struct rp_bucket){
			.low = (double)low * upc,
			.high = (double)(low + width) * upc,
			.mid = (double)(low + (width - 1) / 2) * upc,
			.n = (uint64_t)cnt,
		};
	}
	json_object_put(a);
	qsort(h->b, h->nb, sizeof(*h->b), cmp_bucket);
	return 0;
}

static int rp_load_hists(struct rp *rp)
{
	sqlite3_stmt *st;
	int ret, rc, cap = 0;

	ret = rp_prepare(rp, "SELECT h.run_id, h.name, h.unit, h.unit_per_cycle, h.count, h.min, "
			 "h.max, h.mean, h.overflow, h.buckets_json "
			 "FROM histograms h JOIN runs r ON r.run_id = h.run_id",
			 "ORDER BY h.run_id, h.name", &st);
	if (ret)
		return ret;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int run = rp_find_run(rp, (const char *)sqlite3_column_text(st, 0));
		struct rp_hist *h;
		double upc;

		if (run < 0)
			continue;
		if (rp->nhists == cap) {
			struct rp_hist *v;

			cap = cap ? 2 * cap : 64;
			v = realloc(rp->hists, cap * sizeof(*v));
			if (!v) {
				sqlite3_finalize(st);
				return errf(rp->err, rp->errlen, -ENOMEM, "out of memory reading histograms");
			}
			rp->hists = v;
		}
		h = &rp->hists[rp->nhists];
		memset(h, 0, sizeof(*h));
		h->run = run;
		h->name = col_str(st, 1);
		h->unit = col_str(st, 2);
		upc = col_double(st, 3);
		if (!(upc > 0))
			upc = 1;	/* no scale: the unit is the recorded one */
		h->count = sqlite3_column_int64(st, 4);
		h->min = col_double(st, 5);
		h->max = col_double(st, 6);
		h->mean = col_double(st, 7);
		h->overflow = sqlite3_column_int64(st, 8);
		if (!h->name || !h->unit) {
			sqlite3_finalize(st);
			return errf(rp->err, rp->errlen, -ENOMEM, "out of memory reading histograms");
		}
		if (rp_parse_buckets(h, (const char *)sqlite3_column_text(st, 9), upc)) {
			/* a damaged histogram is left out, not fatal: say which */
			fprintf(stderr, "mmubench report: histogram %s of run %s: unreadable buckets, left out\n",
				h->name, rp->runs[run].id);
			free(h->name);
			free(h->unit);
			free(h->b);
			continue;
		}
		if (rp->runs[run].h0 < 0)
			rp->runs[run].h0 = rp->nhists;
		rp->runs[run].nh++;
		rp->nhists++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rp_sql_err(rp, "cannot read histograms");
}

static const struct rp_metric *rp_metric(const struct rp *rp, const struct rp_run *r,
					 const char *name)
{
	for (int i = 0; i < r->nm; i++)
		if (!strcmp(rp->metrics[r->m0 + i].name, name))
			return &rp->metrics[r->m0 + i];
	return NULL;
}

static const struct rp_hist *rp_hist(const struct rp *rp, const struct rp_run *r,
				     const char *name)
{
	for (int i = 0; i < r->nh; i++)
		if (!strcmp(rp->hists[r->h0 + i].name, name))
			return &rp->hists[r->h0 + i];
	return NULL;
}

/* ------------------------------------------------- groups and configurations */

/* Labels split by kernel release when one label covers several. */
static int rp_make_groups(struct rp *rp)
{
	struct strv labels = { 0 };
	char **kernel = NULL;
	bool *multi = NULL;
	int ret = 0;

	for (int i = 0; i < rp->nruns; i++)
		if (strv_add(&labels, rp->runs[i].label ? rp->runs[i].label : "") < 0)
			ret = -ENOMEM;
	kernel = calloc(labels.n + 1, sizeof(*kernel));
	multi = calloc(labels.n + 1, sizeof(*multi));
	if (ret || !kernel || !multi) {
		ret = errf(rp->err, rp->errlen, -ENOMEM, "out of memory");
		goto out;
	}
	for (int i = 0; i < rp->nruns; i++) {
		const struct rp_run *r = &rp->runs[i];
		int l = strv_find(&labels, r->label ? r->label : "");
		const char *k = r->kernel ? r->kernel : "?";

		if (!kernel[l])
			kernel[l] = (char *)k;
		else if (strcmp(kernel[l], k))
			multi[l] = true;
	}
	for (int i = 0; i < rp->nruns; i++) {
		struct rp_run *r = &rp->runs[i];
		int l = strv_find(&labels, r->label ? r->label : "");
		char name[512];

		snprintf(name, sizeof(name), "%s%s%s", r->label ? r->label : "(no label)",
			 multi[l] ? " @ " : "", multi[l] ? (r->kernel ? r->kernel : "?") : "");
		r->group = strv_add(&rp->groups, name);
		if (r->group < 0) {
			ret = errf(rp->err, rp->errlen, -ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	free(kernel);
	free(multi);
	strv_free(&labels);
	return ret;
}

/* A parameter's value as text: strings bare, sizes as "1G", the rest as JSON. */
static void rp_param_text(const char *key, struct json_object *v, char *buf, size_t len)
{
	if (!v) {
		snprintf(buf, len, "null");
	} else if (json_object_is_type(v, json_type_string)) {
		snprintf(buf, len, "%s", json_object_get_string(v));
	} else if (json_object_is_type(v, json_type_int) && !strcmp(key, "mem-per-vcpu")) {
		format_size(json_object_get_uint64(v), buf, len);
	} else {
		snprintf(buf, len, "%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
}

/* The order parameters appear in a configuration's name; the rest follow by name. */
static int rp_param_rank(const char *key)
{
	static const char *const first[] = {
		"driver", "mode", "backing", "guest-page", "vcpus", "mem-per-vcpu", "pattern",
		"write-pct", "cpl", "nested",
	};

	for (size_t i = 0; i < ARRAY_SIZE(first); i++)
		if (!strcmp(first[i], key))
			return (int)i;
	return (int)ARRAY_SIZE(first);
}

static int cmp_param(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int rx = rp_param_rank(x), ry = rp_param_rank(y);

	return rx != ry ? rx - ry : strcmp(x, y);
}

/* The configurations of scenario @s: which parameters vary, and each run's values of them. */
static int rp_make_configs(struct rp *rp, int s)
{
	struct strv keys = { 0 }, *vals = NULL, names = { 0 };
	char **cfg = NULL, **varying = NULL;
	int nvarying = 0, ret = -ENOMEM;
	char val[256];

	for (int i = 0; i < rp->nruns; i++) {
		if (rp->runs[i].scn != s || !rp->runs[i].charted)
			continue;
		json_object_object_foreach(rp->runs[i].params, k, v) {
			(void)v;
			if (strv_add(&keys, k) < 0)
				goto out;
		}
	}
	vals = calloc(keys.n + 1, sizeof(*vals));
	varying = calloc(keys.n + 1, sizeof(*varying));
	cfg = calloc(rp->nruns + 1, sizeof(*cfg));
	if (!vals || !varying || !cfg)
		goto out;
	for (int i = 0; i < rp->nruns; i++) {
		if (rp->runs[i].scn != s || !rp->runs[i].charted)
			continue;
		for (int k = 0; k < keys.n; k++) {
			struct json_object *v;

			if (!json_object_object_get_ex(rp->runs[i].params, keys.v[k], &v))
				continue;
			rp_param_text(keys.v[k], v, val, sizeof(val));
			if (strv_add(&vals[k], val) < 0)
				goto out;
		}
	}
	for (int k = 0; k < keys.n; k++)
		if (vals[k].n > 1)
			varying[nvarying++] = keys.v[k];
	qsort(varying, nvarying, sizeof(*varying), cmp_param);

	for (int i = 0; i < rp->nruns; i++) {
		struct rp_run *r = &rp->runs[i];
		struct sb name = { 0 };

		if (r->scn != s || !r->charted)
			continue;
		for (int j = 0; j < nvarying; j++) {
			int k = strv_find(&keys, varying[j]), best = 0;
			struct json_object *v;

			if (json_object_object_get_ex(r->params, varying[j], &v)) {
				rp_param_text(varying[j], v, val, sizeof(val));
			} else {
				/* missing from an older record: the usual value */
				for (int m = 1; m < vals[k].n; m++)
					if (vals[k].cnt[m] > vals[k].cnt[best])
						best = m;
				snprintf(val, sizeof(val), "%s", vals[k].v[best]);
			}
			sb_printf(&name, "%s%s=%s", j ? ", " : "", varying[j], val);
		}
		cfg[i] = name.s ? name.s : strdup("");
		if (name.oom || !cfg[i] || strv_add(&names, cfg[i]) < 0)
			goto out;
	}
	strv_sort(&names);
	for (int i = 0; i < rp->nruns; i++)
		if (cfg[i])
			rp->runs[i].config = strv_find(&names, cfg[i]);
	rp->scns[s].configs = names;
	memset(&names, 0, sizeof(names));
	ret = 0;
out:
	for (int i = 0; cfg && i < rp->nruns; i++)
		free(cfg[i]);
	free(cfg);
	for (int k = 0; vals && k < keys.n; k++)
		strv_free(&vals[k]);
	free(vals);
	free(varying);
	strv_free(&keys);
	strv_free(&names);
	return ret ? errf(rp->err, rp->errlen, ret, "out of memory") : 0;
}

static int rp_make_model(struct rp *rp)
{
	struct strv scn = { 0 };
	int ret;

	ret = rp_make_groups(rp);
	if (ret)
		return ret;
	for (int i = 0; i < rp->nruns; i++)
		if (strv_add(&scn, rp->runs[i].scenario) < 0)
			goto oom;
	strv_sort(&scn);
	rp->scns = calloc(scn.n + 1, sizeof(*rp->scns));
	if (!rp->scns)
		goto oom;
	rp->nscns = scn.n;
	for (int s = 0; s < scn.n; s++) {
		rp->scns[s].name = scn.v[s];
		scn.v[s] = NULL;
	}
	strv_free(&scn);

	for (int i = 0; i < rp->nruns; i++) {
		struct rp_run *r = &rp->runs[i];
		struct json_object *v, *m;

		for (int s = 0; s < rp->nscns; s++)
			if (!strcmp(rp->scns[s].name, r->scenario))
				r->scn = s;
		if (json_object_object_get_ex(r->params, "driver", &v) &&
		    json_object_is_type(v, json_type_string))
			r->driver = json_object_get_string(v);
		if (json_object_object_get_ex(r->params, "vcpus", &v) &&
		    json_object_object_get_ex(r->params, "mem-per-vcpu", &m) &&
		    json_object_is_type(v, json_type_int) && json_object_is_type(m, json_type_int))
			r->mem_gib = (double)json_object_get_uint64(v) *
				     (double)json_object_get_uint64(m) / GiB;
		if (!r->charted)
			continue;
		for (int k = 0; k < r->nh; k++)
			if (strv_add(&rp->scns[r->scn].hists, rp->hists[r->h0 + k].name) < 0)
				goto oom;
		for (int k = 0; k < r->nm; k++) {
			const struct rp_metric *me = &rp->metrics[r->m0 + k];

			if ((!strcmp(me->dir, "lower") || !strcmp(me->dir, "higher")) &&
			    strv_add(&rp->scns[r->scn].metrics, me->name) < 0)
				goto oom;
		}
	}
	for (int s = 0; s < rp->nscns; s++) {
		strv_sort(&rp->scns[s].hists);
		strv_sort(&rp->scns[s].metrics);
		ret = rp_make_configs(rp, s);
		if (ret)
			return ret;
	}
	return 0;
oom:
	strv_free(&scn);
	return errf(rp->err, rp->errlen, -ENOMEM, "out of memory");
}

/* ------------------------------------------------------------------- charts */

static struct rp_chart *rp_chart_new(struct rp *rp, enum rp_section sec, const char *title,
				     const char *name_fmt, ...) __attribute__((format(printf, 4, 5)));
static struct rp_chart *rp_chart_new(struct rp *rp, enum rp_section sec, const char *title,
				     const char *name_fmt, ...)
{
	struct rp_chart *c, **v;
	va_list ap;

	v = realloc(rp->charts, (rp->ncharts + 1) * sizeof(*v));
	if (!v)
		return NULL;
	rp->charts = v;
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
	c->sec = sec;
	c->w = RP_WIDTH;
	c->h = RP_HEIGHT;
	rp->charts[rp->ncharts++] = c;
	return c;
}

static void rp_chart_free(struct rp_chart *c)
{
	free(c->title);
	free(c->nodata);
	free(c->caption);
	sb_free(&c->set);
	sb_free(&c->plot);
	sb_free(&c->dat);
	sb_free(&c->table);
	free(c);
}

/* Ends a data block; returns its gnuplot index. */
static int rp_block_end(struct rp_chart *c)
{
	sb_printf(&c->dat, "\n\n");
	return c->nblocks++;
}

static void rp_set_caption(struct rp_chart *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void rp_set_caption(struct rp_chart *c, const char *fmt, ...)
{
	va_list ap;

	free(c->caption);
	c->caption = NULL;
	va_start(ap, fmt);
	if (vasprintf(&c->caption, fmt, ap) < 0)
		c->caption = NULL;
	va_end(ap);
}

/*
 * Turns @c into a "no data" image: the title and the reason, centred, and no
 * plot at all (the one function drawn lies outside the ranges).
 */
static void rp_nodata(struct rp_chart *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void rp_nodata(struct rp_chart *c, const char *fmt, ...)
{
	char why[1024], line[1024];
	const char *p;
	struct sb head = { 0 };
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	free(c->nodata);
	c->nodata = strdup(why);
	sb_free(&c->set);
	sb_free(&c->plot);
	sb_free(&c->dat);
	sb_free(&c->table);
	c->nblocks = 0;
	c->w = 900;
	c->h = 220;

	sb_printf(&head, "no data for %s", c->title);
	sb_printf(&c->set, "unset border\nunset tics\nunset key\nunset title\n");
	sb_printf(&c->set, "set label 1 ");
	sb_gpstr(&c->set, sb_str(&head));
	sb_printf(&c->set, " at screen 0.5, 0.68 center font ',15'\n");
	sb_free(&head);
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
		sb_printf(&c->set, "set label %d ", n + 2);
		sb_gpstr(&c->set, line);
		sb_printf(&c->set, " at screen 0.5, %.2f center font ',11'\n", 0.48 - 0.11 * n);
		p += cut;
		while (*p == ' ')
			p++;
	}
	sb_printf(&c->plot, "plot [0:1] [0:1] 2 notitle\n");
}

/* Title of the image: the chart's title and a second line in smaller words. */
static void rp_title(struct rp_chart *c, const char *sub)
{
	sb_printf(&c->set, "set title ");
	sb_gpstr(&c->set, c->title);
	if (sub && *sub) {
		sb_printf(&c->set, ".\"\\n\".");
		sb_gpstr(&c->set, sub);
	}
	sb_printf(&c->set, "\n");
}

/*
 * xtics at 0, 1, ... named @names. They are rotated when they would not fit
 * flat in their share of the plot (the image width less @reserve_px taken
 * by an outside key); the first one then reaches left of its tic, so the
 * left margin and the image grow by what it needs.
 */
static void rp_xtics_names(struct rp_chart *c, char **names, int n, int reserve_px)
{
	const double char_px = 6.5;	/* 10 pt sans, on average */
	size_t longest = 0;
	double share;

	for (int i = 0; i < n; i++)
		if (strlen(names[i]) > longest)
			longest = strlen(names[i]);
	share = (double)(c->w - 140 - reserve_px) / (n ? n : 1);
	sb_printf(&c->set, "set xtics (");
	for (int i = 0; i < n; i++) {
		sb_printf(&c->set, "%s", i ? ", " : "");
		sb_gpstr(&c->set, names[i]);
		sb_printf(&c->set, " %d", i);
	}
	if (longest * char_px > 0.9 * share) {
		/* at 45 degrees a label reaches 0.71 of its length left of its tic */
		double reach = 0.71 * (n ? strlen(names[0]) : 0) * char_px - 0.5 * share;
		int lmargin = reach > 60 ? (int)(reach / 7) + 2 : 0;

		sb_printf(&c->set, ") rotate by 45 right\n");
		if (lmargin > 10) {
			sb_printf(&c->set, "set lmargin %d\n", lmargin);
			c->w += (lmargin - 10) * 7;
		}
		c->h += (int)(0.71 * longest * char_px) > 80 ? (int)(0.71 * longest * char_px) - 80 : 0;
	} else {
		sb_printf(&c->set, ")\n");
	}
	sb_printf(&c->set, "set xrange [-0.6:%g]\n", n - 0.4);
}

/* ------------------------------------------------------- latency histograms */

/* Histograms of several runs merged (in their unit, so that hosts may differ). */
struct rp_merged {
	struct rp_bucket *b;
	size_t nb;
	uint64_t count, overflow;
	double min, max, sum;
	int runs;
};

static void rp_merge_add(struct rp_merged *m, const struct rp_hist *h)
{
	struct rp_bucket *b;

	if (!h->count)
		return;
	b = realloc(m->b, (m->nb + h->nb + 1) * sizeof(*b));
	if (!b)
		return;
	m->b = b;
	memcpy(m->b + m->nb, h->b, h->nb * sizeof(*b));
	m->nb += h->nb;
	if (!m->runs || h->min < m->min)
		m->min = h->min;
	if (!m->runs || h->max > m->max)
		m->max = h->max;
	m->count += h->count;
	m->overflow += h->overflow;
	m->sum += h->mean * (double)h->count;
	m->runs++;
}

static void rp_merge_finish(struct rp_merged *m)
{
	size_t i, j = 0;

	qsort(m->b, m->nb, sizeof(*m->b), cmp_bucket);
	for (i = 0; i < m->nb; i++) {
		if (j && fabs(m->b[j - 1].low - m->b[i].low) <= 1e-9 * fabs(m->b[i].low))
			m->b[j - 1].n += m->b[i].n;
		else
			m->b[j++] = m->b[i];
	}
	m->nb = j;
}

/* Nearest-rank percentile like hist_percentile(): bucket midpoint clamped to [min, max]. */
static double rp_merged_pct(const struct rp_merged *m, double q)
{
	uint64_t rank, seen = 0;

	if (!m->count)
		return NAN;
	rank = (uint64_t)ceil(q * (double)m->count * (1 - 4 * 2.220446049250313e-16));
	if (!rank)
		rank = 1;
	for (size_t i = 0; i < m->nb; i++) {
		seen += m->b[i].n;
		if (seen < rank)
			continue;
		return m->b[i].mid < m->min ? m->min : m->b[i].mid > m->max ? m->max : m->b[i].mid;
	}
	return m->max;
}

/* The histograms @name of the charted runs of (@s, @config, @group) merged; @unit set. */
static void rp_merge(const struct rp *rp, int s, int config, int group, const char *name,
		     struct rp_merged *m, const char **unit)
{
	memset(m, 0, sizeof(*m));
	for (int i = 0; i < rp->nruns; i++) {
		const struct rp_run *r = &rp->runs[i];
		const struct rp_hist *h;

		if (!r->charted || r->scn != s || r->config != config || r->group != group)
			continue;
		h = rp_hist(rp, r, name);
		if (h && h->count) {
			rp_merge_add(m, h);
			*unit = h->unit;
		}
	}
	rp_merge_finish(m);
}

static const double rp_pcts[] = { 0.5, 0.9, 0.99, 0.999 };
static const char *const rp_pct_names[] = { "p50", "p90", "p99", "p99.9" };

static void rp_hist_table_head(struct sb *t, const char *first, const char *unit)
{
	sb_printf(t, "<table><tr><th>");
	sb_html(t, first);
	sb_printf(t, "</th><th>runs</th><th>samples</th>");
	for (const char *const *c = (const char *const[]){ "min", "mean", "p50", "p90", "p99",
							"p99.9", "max", NULL }; *c; c++) {
		sb_printf(t, "<th>%s (", *c);
		sb_html(t, unit);
		sb_printf(t, ")</th>");
	}
	sb_printf(t, "<th>overflow</th></tr>\n");
}

static void rp_hist_table_row(struct sb *t, const char *name, const struct rp_merged *m)
{
	char b[64];

	sb_printf(t, "<tr><td>");
	sb_html(t, name);
	sb_printf(t, "</td><td>%d</td><td>%llu</td>", m->runs, (unsigned long long)m->count);
	sb_printf(t, "<td>%s</td>", fmtv(m->min, b, sizeof(b)));
	sb_printf(t, "<td>%s</td>", fmtv(m->count ? m->sum / (double)m->count : NAN, b, sizeof(b)));
	for (size_t k = 0; k < ARRAY_SIZE(rp_pcts); k++)
		sb_printf(t, "<td>%s</td>", fmtv(rp_merged_pct(m, rp_pcts[k]), b, sizeof(b)));
	sb_printf(t, "<td>%s</td><td>%llu</td></tr>\n", fmtv(m->max, b, sizeof(b)),
		  (unsigned long long)m->overflow);
}

/* The tail-stretched percentile axis: y = -log10(1 - F), capped at the last rank. */
static double rp_nines(double f, uint64_t count)
{
	double cap = log10((double)count);

	if (f >= 1)
		return cap;
	f = -log10(1 - f);
	return f > cap ? cap : f;
}

static void rp_nines_axis(struct rp_chart *c, double top)
{
	int n = (int)ceil(top);

	if (n < 2)
		n = 2;
	sb_printf(&c->set, "set yrange [0:%d]\nset ytics ('0' 0, '50' 0.30103, '90' 1", n);
	for (int k = 2; k <= n; k++) {
		/* k nines: 99, 99.9, 99.99, ... */
		sb_printf(&c->set, ", '99%s", k > 2 ? "." : "");
		for (int d = 3; d <= k; d++)
			sb_printf(&c->set, "9");
		sb_printf(&c->set, "' %d", k);
	}
	sb_printf(&c->set, ")\nset ylabel 'percentile (%%), tail-stretched'\n");
}

static int rp_chart_cdf(struct rp *rp, int s, int hn, int config)
{
	const struct rp_scn *sc = &rp->scns[s];
	const char *hname = sc->hists.v[hn], *unit = "";
	const char *cfg = rp_config(rp, s, config);
	struct rp_merged m;
	struct rp_chart *c;
	char title[1024];
	double top = 0;
	int series = 0, drawn = 0;

	/* does this configuration have the histogram at all? */
	for (int g = 0; g < rp->groups.n; g++) {
		for (int i = 0; i < rp->nruns; i++) {
			const struct rp_run *r = &rp->runs[i];

			if (r->charted && r->scn == s && r->config == config && r->group == g &&
			    rp_hist(rp, r, hname))
				series++;
		}
	}
	if (!series)
		return 0;

	snprintf(title, sizeof(title), "%s: %s%s%s", sc->name, hname, *cfg ? " | " : "", cfg);
	c = rp_chart_new(rp, SEC_CDF, title, "cdf-s%d-h%d-c%d", s, hn, config);
	if (!c)
		return -ENOMEM;
	series = 0;
	for (int g = 0; g < rp->groups.n; g++) {
		uint64_t cum = 0;
		int idx;

		rp_merge(rp, s, config, g, hname, &m, &unit);
		if (!m.count) {
			free(m.b);
			continue;
		}
		if (!series)
			rp_hist_table_head(&c->table, "label", unit);
		rp_hist_table_row(&c->table, rp->groups.v[g], &m);
		sb_printf(&c->dat, "# %s: upper edge of bucket (%s), percentile axis value, fraction\n",
			  rp->groups.v[g], unit);
		if (m.nb) {
			sb_num(&c->dat, m.b[0].low);
			sb_printf(&c->dat, " 0 0\n");
		}
		for (size_t i = 0; i < m.nb; i++) {
			double f;

			cum += m.b[i].n;
			f = (double)cum / (double)m.count;
			sb_num(&c->dat, m.b[i].high);
			sb_printf(&c->dat, " ");
			sb_num(&c->dat, rp_nines(f, m.count));
			sb_printf(&c->dat, " %.9g\n", f);
		}
		if (log10((double)m.count) > top)
			top = log10((double)m.count);
		idx = rp_block_end(c);
		sb_printf(&c->plot, "%s'%s.dat' index %d using 1:2 with lines ",
			  drawn ? ", \\\n     " : "plot ", c->name, idx);
		rp_style(&c->plot, series, 7);
		{
			char t[600];

			snprintf(t, sizeof(t), "%s (%d run%s, %llu samples)", rp->groups.v[g], m.runs,
				 m.runs == 1 ? "" : "s", (unsigned long long)m.count);
			sb_printf(&c->plot, " title ");
			sb_gpstr(&c->plot, t);
		}
		series++;
		drawn++;
		free(m.b);
	}
	if (!drawn) {
		rp_nodata(c, "the histogram recorded no samples in any run of this configuration");
		return 0;
	}
	sb_printf(&c->table, "</table>\n");
	sb_printf(&c->plot, "\n");
	rp_title(c, "cumulative distribution, one line per label");
	sb_printf(&c->set, "set logscale x 10\nset format x '%%g'\n");
	{
		char xl[160];

		snprintf(xl, sizeof(xl), "latency (%s, log scale)", unit);
		sb_printf(&c->set, "set xlabel ");
		sb_gpstr(&c->set, xl);
		sb_printf(&c->set, "\n");
	}
	rp_nines_axis(c, top);
	sb_printf(&c->set, "set grid xtics mxtics ytics\nset key bottom right opaque box\n");
	rp_set_caption(c, "Merged over the runs of each label; the y axis is -log10(1 - F), "
		       "labelled in percent.");
	return 0;
}

static int rp_chart_pct(struct rp *rp, int s, int hn)
{
	const struct rp_scn *sc = &rp->scns[s];
	const char *hname = sc->hists.v[hn], *unit = "";
	struct rp_merged *ms = NULL;
	char **names = NULL, **shorts = NULL;
	int *cl_cfg = NULL, *cl_grp = NULL, ncl = 0, cap = 0, ret = -ENOMEM;
	double lo = INFINITY, hi = 0, ylo, yhi;
	struct rp_chart *c;
	char title[512];

	for (int cf = 0; cf < sc->configs.n; cf++) {
		for (int g = 0; g < rp->groups.n; g++) {
			struct rp_merged m;
			char name[1024];

			rp_merge(rp, s, cf, g, hname, &m, &unit);
			if (!m.count) {
				free(m.b);
				continue;
			}
			if (ncl == cap) {
				cap = cap ? 2 * cap : 16;
				ms = realloc(ms, cap * sizeof(*ms));
				names = realloc(names, cap * sizeof(*names));
				cl_cfg = realloc(cl_cfg, cap * sizeof(*cl_cfg));
				cl_grp = realloc(cl_grp, cap * sizeof(*cl_grp));
				if (!ms || !names || !cl_cfg || !cl_grp) {
					free(m.b);
					goto out;
				}
			}
			snprintf(name, sizeof(name), "%d", g);	/* named below */
			names[ncl] = strdup(name);
			ms[ncl] = m;
			cl_cfg[ncl] = cf;
			cl_grp[ncl++] = g;
			for (size_t k = 0; k < ARRAY_SIZE(rp_pcts); k++) {
				double v = rp_merged_pct(&m, rp_pcts[k]);

				if (v > 0 && v < lo)
					lo = v;
				if (v > hi)
					hi = v;
			}
		}
	}
	snprintf(title, sizeof(title), "%s: %s percentiles", sc->name, hname);
	c = rp_chart_new(rp, SEC_PCT, title, "pct-s%d-h%d", s, hn);
	if (!c)
		goto out;
	if (!ncl || !(hi > 0)) {
		rp_nodata(c, "the histogram recorded no samples in any selected run");
		ret = 0;
		goto out;
	}
	/* "configuration | label", naming only the parameters that differ here */
	shorts = rp_short_configs(rp, s, cl_cfg, ncl);
	if (!shorts)
		goto out;
	for (int i = 0; i < ncl; i++) {
		char name[1024];

		snprintf(name, sizeof(name), "%s%s%s", shorts[i], *shorts[i] ? " | " : "",
			 rp->groups.v[cl_grp[i]]);
		free(names[i]);
		names[i] = strdup(name);
		if (!names[i])
			goto out;
	}
	ylo = pow(10, floor(log10(lo)));
	yhi = pow(10, ceil(log10(hi)));
	if (yhi <= hi * 1.05)
		yhi *= 10;
	rp_hist_table_head(&c->table, "configuration | label", unit);
	for (int i = 0; i < ncl; i++)
		rp_hist_table_row(&c->table, names[i], &ms[i]);
	sb_printf(&c->table, "</table>\n");
	for (size_t k = 0; k < ARRAY_SIZE(rp_pcts); k++) {
		double off = -0.3 + 0.2 * k;
		int idx;

		int rows = 0;

		sb_printf(&c->dat, "# %s: x y xlow xhigh ylow yhigh\n", rp_pct_names[k]);
		for (int i = 0; i < ncl; i++) {
			double v = rp_merged_pct(&ms[i], rp_pcts[k]);

			if (!(v > 0))
				continue;
			rows++;
			sb_printf(&c->dat, "%g ", i + off);
			sb_num(&c->dat, v);
			sb_printf(&c->dat, " %g %g ", i + off - 0.09, i + off + 0.09);
			sb_num(&c->dat, ylo);
			sb_printf(&c->dat, " ");
			sb_num(&c->dat, v);
			sb_printf(&c->dat, "\n");
		}
		if (!rows)
			sb_printf(&c->dat, "NaN NaN NaN NaN NaN NaN\n");	/* keeps the index */
		idx = rp_block_end(c);
		sb_printf(&c->plot, "%s'%s.dat' index %d using 1:2:3:4:5:6 with boxxyerror "
			  "fs solid 0.85 noborder lc rgb '%s' title '%s'",
			  k ? ", \\\n     " : "plot ", c->name, idx, rp_color((int)k),
			  rp_pct_names[k]);
	}
	sb_printf(&c->plot, "\n");
	c->w = RP_WIDTH + (ncl > 8 ? (ncl - 8) * 40 : 0);
	if (c->w > 1800)
		c->w = 1800;
	rp_title(c, "from the merged histograms of each configuration and label");
	rp_xtics_names(c, names, ncl, 0);
	sb_printf(&c->set, "set logscale y 10\nset format y '%%g'\nset yrange [%g:%g]\nset ylabel ",
		  ylo, yhi);
	{
		char yl[160];

		snprintf(yl, sizeof(yl), "latency (%s, log scale)", unit);
		sb_gpstr(&c->set, yl);
	}
	sb_printf(&c->set, "\nset grid ytics mytics\nset key top left horizontal opaque box width 1\n");
	ret = 0;
out:
	for (int i = 0; i < ncl; i++) {
		free(ms[i].b);
		free(names[i]);
	}
	rp_free_strs(shorts, ncl);
	free(ms);
	free(names);
	free(cl_cfg);
	free(cl_grp);
	return ret;
}

static int rp_charts_latency(struct rp *rp)
{
	bool any = false;
	int ret;

	for (int s = 0; s < rp->nscns; s++) {
		for (int h = 0; h < rp->scns[s].hists.n; h++) {
			for (int cf = 0; cf < rp->scns[s].configs.n; cf++) {
				ret = rp_chart_cdf(rp, s, h, cf);
				if (ret)
					return ret;
			}
			any = true;
		}
	}
	for (int s = 0; s < rp->nscns; s++) {
		for (int h = 0; h < rp->scns[s].hists.n; h++) {
			ret = rp_chart_pct(rp, s, h);
			if (ret)
				return ret;
		}
	}
	if (!any) {
		struct rp_chart *c;

		c = rp_chart_new(rp, SEC_CDF, "latency distributions", "latency-cdf");
		if (!c)
			return -ENOMEM;
		rp_nodata(c, "no selected run that completed recorded a latency histogram");
		c = rp_chart_new(rp, SEC_PCT, "latency percentiles", "latency-percentiles");
		if (!c)
			return -ENOMEM;
		rp_nodata(c, "no selected run that completed recorded a latency histogram");
	}
	return 0;
}

/* ------------------------------------------------------- aging per epoch */

/* Series of values at each index, over runs: median, min, max. */
static void rp_epoch_series(const struct rp *rp, int s, int config, int g, const char *metric,
			    struct sb *dat, struct dv *med_out, int *nruns, bool *band)
{
	size_t n = 0;

	*nruns = 0;
	*band = false;
	for (int i = 0; i < rp->nruns; i++) {
		const struct rp_run *r = &rp->runs[i];
		const struct rp_metric *m;

		if (!r->charted || r->scn != s || r->config != config || r->group != g)
			continue;
		m = rp_metric(rp, r, metric);
		if (!m || !m->nsamples)
			continue;
		(*nruns)++;
		if (m->nsamples > n)
			n = m->nsamples;
	}
	for (size_t k = 0; k < n; k++) {
		struct dv v = { 0 };
		double med;

		for (int i = 0; i < rp->nruns; i++) {
			const struct rp_run *r = &rp->runs[i];
			const struct rp_metric *m;

			if (!r->charted || r->scn != s || r->config != config || r->group != g)
				continue;
			m = rp_metric(rp, r, metric);
			if (m && k < m->nsamples)
				dv_add(&v, m->samples[k]);
		}
		med = v.n ? stats_median(v.v, v.n) : NAN;
		dv_add(med_out, med);
		if (!v.n)
			med_out->n++;	/* keep the positions: NaN for a gap */
		sb_printf(dat, "%zu ", k + 1);
		sb_num(dat, med);
		sb_printf(dat, " ");
		sb_num(dat, dv_min(&v));
		sb_printf(dat, " ");
		sb_num(dat, dv_max(&v));
		sb_printf(dat, " %zu\n", v.n);
		if (v.n > 1)
			*band = true;
		dv_free(&v);
	}
}

static int rp_charts_epochs(struct rp *rp)
{
	static const char *const mets[] = { "false_old_pct", "false_young_pct" };
	static const char *const short_names[] = { "false-old", "false-young" };
	bool any_aging = false;
	int nch = 0;

	for (int s = 0; s < rp->nscns; s++) {
		const struct rp_scn *sc = &rp->scns[s];

		if (strv_find(&sc->metrics, mets[0]) < 0 && strv_find(&sc->metrics, mets[1]) < 0)
			continue;
		any_aging = true;
		for (int cf = 0; cf < sc->configs.n; cf++) {
			struct rp_chart *c;
			char title[1024];
			int series = 0, nep = 0;
			struct dv meds[64][2];
			int gs[64], ng = 0, runs_g[64];

			memset(meds, 0, sizeof(meds));
			snprintf(title, sizeof(title), "%s: false-old and false-young per epoch%s%s",
				 sc->name, *sc->configs.v[cf] ? " | " : "", sc->configs.v[cf]);
			c = rp_chart_new(rp, SEC_EPOCH, title, "epochs-s%d-c%d", s, cf);
			if (!c)
				return -ENOMEM;
			nch++;
			for (int g = 0; g < rp->groups.n && ng < 64; g++) {
				bool drawn_g = false;

				for (int k = 0; k < 2; k++) {
					struct sb dat = { 0 };
					int nruns, idx;
					bool band;

					rp_epoch_series(rp, s, cf, g, mets[k], &dat, &meds[ng][k],
							&nruns, &band);
					if (!nruns) {
						sb_free(&dat);
						continue;
					}
					drawn_g = true;
					runs_g[ng] = nruns;
					sb_printf(&c->dat, "# %s %s: epoch median min max runs\n%s",
						  rp->groups.v[g], mets[k], sb_str(&dat));
					sb_free(&dat);
					idx = rp_block_end(c);
					if (band) {
						sb_printf(&c->plot, "%s'%s.dat' index %d using 1:3:4 with filledcurves "
							  "fs transparent solid %s noborder lc rgb '%s' notitle",
							  series ? ", \\\n     " : "plot ", c->name, idx,
							  k ? "0.10" : "0.18", rp_color(ng));
						series++;
					}
					sb_printf(&c->plot, "%s'%s.dat' index %d using 1:2 with linespoints "
						  "lc rgb '%s' dt %d pt %d lw 1.5 title ",
						  series ? ", \\\n     " : "plot ", c->name, idx,
						  rp_color(ng), k ? 2 : 1, k ? 6 : 7);
					{
						char t[600];

						snprintf(t, sizeof(t), "%s: %s (%d run%s)", rp->groups.v[g],
							 short_names[k], nruns, nruns == 1 ? "" : "s");
						sb_gpstr(&c->plot, t);
					}
					series++;
					if ((int)meds[ng][k].n > nep)
						nep = (int)meds[ng][k].n;
				}
				if (drawn_g)
					gs[ng++] = g;
				else
					dv_free(&meds[ng][0]), dv_free(&meds[ng][1]);
			}
			if (!series) {
				rp_nodata(c, "the aging runs of this configuration have no per-epoch "
					  "false_old_pct or false_young_pct samples");
				continue;
			}
			/* table: one row per epoch, two columns per label */
			sb_printf(&c->table, "<table><tr><th>epoch</th>");
			for (int j = 0; j < ng; j++) {
				for (int k = 0; k < 2; k++) {
					sb_printf(&c->table, "<th>");
					sb_html(&c->table, rp->groups.v[gs[j]]);
					sb_printf(&c->table, "<br>%s_pct (median of %d run%s)</th>",
						  k ? "false_young" : "false_old", runs_g[j],
						  runs_g[j] == 1 ? "" : "s");
				}
			}
			sb_printf(&c->table, "</tr>\n");
			for (int e = 0; e < nep; e++) {
				char b[64];

				sb_printf(&c->table, "<tr><td>%d</td>", e + 1);
				for (int j = 0; j < ng; j++)
					for (int k = 0; k < 2; k++)
						sb_printf(&c->table, "<td>%s</td>",
							  fmtv(e < (int)meds[j][k].n ? meds[j][k].v[e] : NAN,
							       b, sizeof(b)));
				sb_printf(&c->table, "</tr>\n");
			}
			sb_printf(&c->table, "</table>\n");
			for (int j = 0; j < ng; j++)
				dv_free(&meds[j][0]), dv_free(&meds[j][1]);
			sb_printf(&c->plot, "\n");
			rp_title(c, "solid: false-old, dashed: false-young; one colour per label");
			sb_printf(&c->set, "set xlabel 'aging epoch (1 = first epoch after the baseline)'\n"
				  "set ylabel 'pages (%% of truly-young / truly-old)'\n"
				  "set xrange [0.8:%g]\nset xtics 1\n"
				  /* 0 %% and 100 %% are common: keep them off the border */
				  "set autoscale yfix\nset offsets 0, 0, graph 0.05, graph 0.05\n"
				  "set grid\nset key outside right top\n", nep + 0.2);
			c->w = RP_WIDTH + 200;
		}
	}
	if (!nch) {
		struct rp_chart *c = rp_chart_new(rp, SEC_EPOCH, "aging accuracy per epoch",
						   "aging-epochs");

		if (!c)
			return -ENOMEM;
		rp_nodata(c, any_aging ? "the aging runs have no per-epoch samples" :
			  "no aging run (false_old_pct, false_young_pct) in the selection");
	}
	return 0;
}

/* ------------------------------------------------------- aging cost */

static int rp_chart_cost(struct rp *rp)
{
	struct strv drivers = { 0 }, groups_used = { 0 };
	struct dv sizes = { 0 };
	bool ylog = true;
	struct rp_chart *c;
	int series = 0;
	double xmin = INFINITY, xmax = 0;

	c = rp_chart_new(rp, SEC_COST, "aging pass time vs guest memory size", "aging-cost");
	if (!c)
		return -ENOMEM;
	for (int i = 0; i < rp->nruns; i++) {
		const struct rp_run *r = &rp->runs[i];

		if (r->charted && rp_metric(rp, r, "aging_pass_ms") && isfinite(r->mem_gib) &&
		    r->mem_gib > 0) {
			if (strv_add(&drivers, r->driver ? r->driver : r->scenario) < 0 ||
			    strv_add(&groups_used, rp_group(rp, r)) < 0)
				goto oom;
		}
	}
	strv_sort(&drivers);
	if (!drivers.n) {
		bool aging = false;

		for (int s = 0; s < rp->nscns; s++)
			aging |= !strcmp(rp->scns[s].name, "aging");
		rp_nodata(c, aging ? "the aging runs have no aging_pass_ms (run without --no-timing) "
			  "or no vcpus and mem-per-vcpu parameters" :
			  "no aging run (aging_pass_ms) in the selection");
		goto out;
	}
	sb_printf(&c->table, "<table><tr><th>driver</th><th>label</th><th>guest memory (GiB)</th>"
		  "<th>runs</th><th>passes</th><th>aging_pass_ms median</th><th>min</th>"
		  "<th>max</th><th>aging_ms_per_gib median</th></tr>\n");
	for (int d = 0; d < drivers.n; d++) {
		for (int g = 0; g < rp->groups.n; g++) {
			int gi = strv_find(&groups_used, rp->groups.v[g]);
			struct dv xs = { 0 };
			bool any = false;
			int idx;

			if (gi < 0)
				continue;
			/* the distinct memory sizes of this driver and label */
			for (int i = 0; i < rp->nruns; i++) {
				const struct rp_run *r = &rp->runs[i];
				bool seen = false;

				if (!r->charted || r->group != g || !isfinite(r->mem_gib) ||
				    strcmp(r->driver ? r->driver : r->scenario, drivers.v[d]) ||
				    !rp_metric(rp, r, "aging_pass_ms"))
					continue;
				for (size_t k = 0; k < xs.n; k++)
					seen |= xs.v[k] == r->mem_gib;
				if (!seen)
					dv_add(&xs, r->mem_gib);
			}
			/* insertion sort: a handful of sizes */
			for (size_t a = 1; a < xs.n; a++)
				for (size_t b = a; b > 0 && xs.v[b - 1] > xs.v[b]; b--) {
					double t = xs.v[b];

					xs.v[b] = xs.v[b - 1];
					xs.v[b - 1] = t;
				}
			for (size_t k = 0; k < xs.n; k++) {
				struct dv pass = { 0 }, pergib = { 0 };
				int runs = 0;
				double med, x;
				char b[5][64];

				for (int i = 0; i < rp->nruns; i++) {
					const struct rp_run *r = &rp->runs[i];
					const struct rp_metric *m, *pg;

					if (!r->charted || r->group != g || r->mem_gib != xs.v[k] ||
					    strcmp(r->driver ? r->driver : r->scenario, drivers.v[d]))
						continue;
					m = rp_metric(rp, r, "aging_pass_ms");
					if (!m)
						continue;
					runs++;
					if (m->nsamples)
						for (size_t j = 0; j < m->nsamples; j++)
							dv_add(&pass, m->samples[j]);
					else
						dv_add(&pass, m->value);
					pg = rp_metric(rp, r, "aging_ms_per_gib");
					if (pg && pg->nsamples)
						for (size_t j = 0; j < pg->nsamples; j++)
							dv_add(&pergib, pg->samples[j]);
					else if (pg)
						dv_add(&pergib, pg->value);
				}
				if (!pass.n) {
					dv_free(&pass);
					dv_free(&pergib);
					continue;
				}
				med = stats_median(pass.v, pass.n);
				if (!(dv_min(&pass) > 0))
					ylog = false;	/* a zero pass time has no place on a log axis */
				if (!any)
					sb_printf(&c->dat, "# %s %s: memory_gib(offset) median min max passes memory_gib\n",
						  drivers.v[d], rp->groups.v[g]);
				/* labels side by side around the true size (log axis) */
				x = xs.v[k] * pow(2, 0.06 * (gi - (groups_used.n - 1) / 2.0));
				sb_num(&c->dat, x);
				sb_printf(&c->dat, " ");
				sb_num(&c->dat, med);
				sb_printf(&c->dat, " ");
				sb_num(&c->dat, dv_min(&pass));
				sb_printf(&c->dat, " ");
				sb_num(&c->dat, dv_max(&pass));
				sb_printf(&c->dat, " %zu ", pass.n);
				sb_num(&c->dat, xs.v[k]);
				sb_printf(&c->dat, "\n");
				{
					bool seen = false;

					for (size_t j = 0; j < sizes.n; j++)
						seen |= sizes.v[j] == xs.v[k];
					if (!seen)
						dv_add(&sizes, xs.v[k]);
				}
				if (xs.v[k] < xmin)
					xmin = xs.v[k];
				if (xs.v[k] > xmax)
					xmax = xs.v[k];
				sb_printf(&c->table, "<tr><td>");
				sb_html(&c->table, drivers.v[d]);
				sb_printf(&c->table, "</td><td>");
				sb_html(&c->table, rp->groups.v[g]);
				sb_printf(&c->table, "</td><td>%s</td><td>%d</td><td>%zu</td><td>%s</td>"
					  "<td>%s</td><td>%s</td><td>%s</td></tr>\n",
					  format_size((uint64_t)llround(xs.v[k] * GiB), b[0], sizeof(b[0])),
					  runs, pass.n,
					  fmtv(med, b[1], sizeof(b[1])),
					  fmtv(dv_min(&pass), b[2], sizeof(b[2])),
					  fmtv(dv_max(&pass), b[3], sizeof(b[3])),
					  fmtv(pergib.n ? stats_median(pergib.v, pergib.n) : NAN,
					       b[4], sizeof(b[4])));
				any = true;
				dv_free(&pass);
				dv_free(&pergib);
			}
			dv_free(&xs);
			/* gnuplot does not count an empty block as an index: write none */
			if (!any)
				continue;
			idx = rp_block_end(c);
			sb_printf(&c->plot, "%s'%s.dat' index %d using 1:2:3:4 with yerrorlines "
				  "lc rgb '%s' pt %d ps 1.3 lw 1.5 title ",
				  series ? ", \\\n     " : "plot ", c->name, idx, rp_color(d),
				  rp_points[gi % ARRAY_SIZE(rp_points)]);
			if (groups_used.n > 1) {
				char t[600];

				snprintf(t, sizeof(t), "%s, %s", drivers.v[d], rp->groups.v[g]);
				sb_gpstr(&c->plot, t);
			} else {
				sb_gpstr(&c->plot, drivers.v[d]);
			}
			series++;
		}
	}
	sb_printf(&c->table, "</table>\n");
	sb_printf(&c->plot, "\n");
	rp_title(c, groups_used.n > 1 ?
		 "colour: driver, point shape: label (labels drawn side by side at each size); "
		 "bars: min..max over passes" :
		 "median pass per driver; bars: min..max over passes");
	sb_printf(&c->set, "set logscale x 2\nset format x '%%g'\n"
		  "set xlabel 'guest memory (vCPUs x mem-per-vcpu, log scale)'\n"
		  "set ylabel 'aging pass wall time (ms%s)'\n%s"
		  "set grid\nset key outside right top\n", ylog ? ", log scale" : "",
		  ylog ? "set logscale y 10\nset format y '%g'\n" : "set yrange [0:*]\n");
	sb_printf(&c->set, "set xrange [%g:%g]\nset xtics (", xmin / (xmin == xmax ? 2 : 1.5),
		  xmax * (xmin == xmax ? 2 : 1.5));
	for (size_t j = 0; j < sizes.n; j++) {
		char sz[32];

		format_size((uint64_t)llround(sizes.v[j] * GiB), sz, sizeof(sz));
		sb_printf(&c->set, "%s'%s' %.10g", j ? ", " : "", sz, sizes.v[j]);
	}
	sb_printf(&c->set, ")\n");
	c->w = RP_WIDTH + 250;
	{
		char sz[32];

		format_size((uint64_t)llround(xmin * GiB), sz, sizeof(sz));
		if (xmin == xmax)
			rp_set_caption(c, "Every run had %s of guest memory: run aging with other "
				       "--mem-per-vcpu or --vcpus to see how the pass time scales. "
				       "Table: every point drawn, with the pass time per GiB.", sz);
		else
			rp_set_caption(c, "Table: every point drawn, with the pass time per GiB.");
	}
out:
	strv_free(&drivers);
	strv_free(&groups_used);
	dv_free(&sizes);
	return 0;
oom:
	strv_free(&drivers);
	strv_free(&groups_used);
	dv_free(&sizes);
	return -ENOMEM;
}

/* ------------------------------------------------- trend and baseline/candidate */

struct rp_summary {
	double med, min, max;
	int runs;
};

/*
 * The metric @name over the charted runs of scenario @s, configuration
 * @config, and group @group (-1: any) or label @label (NULL: any): median of
 * the runs' values, min..max over the values and every sample.
 */
static bool rp_summarise(const struct rp *rp, int s, int config, int group, const char *label,
			 const char *name, struct rp_summary *out, const char **unit,
			 const char **dir)
{
	struct dv vals = { 0 }, all = { 0 };

	for (int i = 0; i < rp->nruns; i++) {
		const struct rp_run *r = &rp->runs[i];
		const struct rp_metric *m;

		if (!r->charted || r->scn != s || r->config != config ||
		    (group >= 0 && r->group != group) ||
		    (label && (!r->label || strcmp(r->label, label))))
			continue;
		m = rp_metric(rp, r, name);
		if (!m || !isfinite(m->value))
			continue;
		dv_add(&vals, m->value);
		dv_add(&all, m->value);
		for (size_t k = 0; k < m->nsamples; k++)
			dv_add(&all, m->samples[k]);
		if (unit)
			*unit = m->unit;
		if (dir)
			*dir = m->dir;
	}
	out->runs = (int)vals.n;
	out->med = vals.n ? stats_median(vals.v, vals.n) : NAN;
	out->min = dv_min(&all);
	out->max = dv_max(&all);
	dv_free(&vals);
	dv_free(&all);
	return out->runs > 0;
}

static const char *rp_better(const char *dir)
{
	return !strcmp(dir, "higher") ? "higher is better" : "lower is better";
}

static void rp_summary_cell(struct sb *t, const struct rp_summary *v)
{
	char a[64], b[64], c[64];

	if (!v->runs) {
		sb_printf(t, "<td></td>");
		return;
	}
	sb_printf(t, "<td>%s <small>[%s..%s] %d run%s</small></td>", fmtv(v->med, a, sizeof(a)),
		  fmtv(v->min, b, sizeof(b)), fmtv(v->max, c, sizeof(c)), v->runs,
		  v->runs == 1 ? "" : "s");
}

static int rp_chart_trend(struct rp *rp, int s, int mi)
{
	const struct rp_scn *sc = &rp->scns[s];
	const char *name = sc->metrics.v[mi], *unit = "", *dir = "lower";
	struct rp_summary *sum;	/* [config][group] */
	int *pos, npos = 0, series = 0, ncf = sc->configs.n, ng = rp->groups.n;
	char **xnames, title[512], sub[256], yl[256], **shorts = NULL, **legend = NULL;
	struct rp_chart *c;
	int nshorts = 0, keypx;

	sum = calloc((size_t)ncf * ng + 1, sizeof(*sum));
	pos = calloc(ng + 1, sizeof(*pos));
	xnames = calloc(ng + 1, sizeof(*xnames));
	if (!sum || !pos || !xnames) {
		free(sum);
		free(pos);
		free(xnames);
		return -ENOMEM;
	}
	for (int g = 0; g < ng; g++) {
		bool any = false;

		for (int cf = 0; cf < ncf; cf++)
			any |= rp_summarise(rp, s, cf, g, NULL, name, &sum[cf * ng + g], &unit, &dir);
		pos[g] = any ? npos : -1;
		if (any)
			xnames[npos++] = rp->groups.v[g];
	}
	if (!npos)
		goto out;	/* every value is n/a: listed under the section instead */

	snprintf(title, sizeof(title), "%s: %s trend", sc->name, name);
	c = rp_chart_new(rp, SEC_TREND, title, "trend-s%d-m%d", s, mi);
	if (!c) {
		series = -ENOMEM;
		goto out;
	}
	sb_printf(&c->table, "<table><tr><th>label (oldest first)</th>");
	for (int cf = 0; cf < ncf; cf++) {
		bool any = false;

		for (int g = 0; g < ng; g++)
			any |= sum[cf * ng + g].runs > 0;
		if (!any)
			continue;
		sb_printf(&c->table, "<th>");
		sb_html(&c->table, *sc->configs.v[cf] ? sc->configs.v[cf] : name);
		sb_printf(&c->table, " (");
		sb_html(&c->table, unit);
		sb_printf(&c->table, ")</th>");
	}
	sb_printf(&c->table, "</tr>\n");
	for (int g = 0; g < ng; g++) {
		if (pos[g] < 0)
			continue;
		sb_printf(&c->table, "<tr><td>");
		sb_html(&c->table, rp->groups.v[g]);
		sb_printf(&c->table, "</td>");
		for (int cf = 0; cf < ncf; cf++) {
			bool any = false;

			for (int h = 0; h < ng; h++)
				any |= sum[cf * ng + h].runs > 0;
			if (any)
				rp_summary_cell(&c->table, &sum[cf * ng + g]);
		}
		sb_printf(&c->table, "</tr>\n");
	}
	sb_printf(&c->table, "</table>\n");

	{
		int *drawn = calloc(ncf + 1, sizeof(*drawn)), nd = 0;

		for (int cf = 0; drawn && cf < ncf; cf++) {
			bool any = false;

			for (int g = 0; g < ng; g++)
				any |= sum[cf * ng + g].runs > 0;
			if (any)
				drawn[nd++] = cf;
		}
		shorts = drawn ? rp_short_configs(rp, s, drawn, nd) : NULL;
		/* by configuration index, for the loop below */
		legend = calloc(ncf + 1, sizeof(*legend));
		for (int k = 0; shorts && legend && k < nd; k++)
			legend[drawn[k]] = shorts[k];
		nshorts = nd;
		free(drawn);
		if (!shorts || !legend) {
			series = -ENOMEM;
			goto out;
		}
	}
	for (int cf = 0; cf < ncf; cf++) {
		bool any = false, band = false;
		int idx;

		for (int g = 0; g < ng; g++) {
			const struct rp_summary *v = &sum[cf * ng + g];

			if (!v->runs)
				continue;
			if (!any)
				sb_printf(&c->dat, "# %s: position median min max runs\n",
					  *sc->configs.v[cf] ? sc->configs.v[cf] : "all runs");
			sb_printf(&c->dat, "%d ", pos[g]);
			sb_num(&c->dat, v->med);
			sb_printf(&c->dat, " ");
			sb_num(&c->dat, v->min);
			sb_printf(&c->dat, " ");
			sb_num(&c->dat, v->max);
			sb_printf(&c->dat, " %d\n", v->runs);
			any = true;
			band |= v->max > v->min;
		}
		/* gnuplot does not count an empty block as an index: write none */
		if (!any)
			continue;
		idx = rp_block_end(c);
		if (band) {
			sb_printf(&c->plot, "%s'%s.dat' index %d using 1:3:4 with filledcurves "
				  "fs transparent solid 0.18 noborder lc rgb '%s' notitle",
				  series ? ", \\\n     " : "plot ", c->name, idx, rp_color(series));
			/* a single label has no width to fill: show its range as a bar */
			sb_printf(&c->plot, ", \\\n     '%s.dat' index %d using 1:3:(0):($4-$3) with vectors "
				  "nohead lc rgb '%s' notitle", c->name, idx, rp_color(series));
		}
		sb_printf(&c->plot, "%s'%s.dat' index %d using 1:2 with linespoints ",
			  series || band ? ", \\\n     " : "plot ", c->name, idx);
		rp_style(&c->plot, series, rp_points[series % ARRAY_SIZE(rp_points)]);
		sb_printf(&c->plot, " title ");
		sb_gpstr(&c->plot, *legend[cf] ? legend[cf] : "median over runs");
		series++;
	}
	sb_printf(&c->plot, "\n");
	{
		size_t key = 0;

		for (int cf = 0; cf < ncf; cf++)
			if (legend[cf] && strlen(legend[cf]) > key)
				key = strlen(legend[cf]);
		keypx = (int)(key * 6.5) + 80;
	}
	c->w = RP_WIDTH - 150 + keypx;	/* the plot keeps its width beside the key */
	snprintf(sub, sizeof(sub), "%s, %s; line: median over runs, band: min..max over runs and samples",
		 unit, rp_better(dir));
	rp_title(c, sub);
	rp_xtics_names(c, xnames, npos, keypx);
	snprintf(yl, sizeof(yl), "%s (%s)", name, unit);
	sb_printf(&c->set, "set ylabel ");
	sb_gpstr(&c->set, yl);
	sb_printf(&c->set, "\nset xlabel 'label, in the order first run'\nset grid ytics\n"
		  "set autoscale yfix\nset offsets 0, 0, graph 0.08, graph 0.08\n"
		  "set key outside right top\n");
	series = 0;
out:
	rp_free_strs(shorts, nshorts);
	free(legend);
	free(sum);
	free(pos);
	free(xnames);
	return series < 0 ? series : 0;
}

static int rp_charts_trend(struct rp *rp)
{
	struct rp_chart *c;
	int ret;

	if (rp->groups.n < 2) {
		c = rp_chart_new(rp, SEC_TREND, "trends across labels", "trend");
		if (!c)
			return -ENOMEM;
		rp_nodata(c, "every selected run has the same label (%s): a trend needs runs of two "
			  "or more labels", rp->groups.n ? rp->groups.v[0] : "none");
		return 0;
	}
	for (int s = 0; s < rp->nscns; s++) {
		for (int m = 0; m < rp->scns[s].metrics.n; m++) {
			ret = rp_chart_trend(rp, s, m);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static bool rp_has_label(const struct rp *rp, const char *label)
{
	for (int i = 0; i < rp->nruns; i++)
		if (rp->runs[i].charted && rp->runs[i].label && !strcmp(rp->runs[i].label, label))
			return true;
	return false;
}

static int rp_chart_ab(struct rp *rp, int s, int cf)
{
	const struct rp_scn *sc = &rp->scns[s];
	const char *B = rp->baseline, *C = rp->candidate;
	struct rp_summary vb, vc;
	struct rp_chart *c;
	char title[1024], **names;
	int n = 0, nb = 0, nc = 0, ib, ic;
	double ylo = 0, yhi = 0;

	for (int i = 0; i < rp->nruns; i++) {
		const struct rp_run *r = &rp->runs[i];

		if (!r->charted || r->scn != s || r->config != cf || !r->label)
			continue;
		nb += !strcmp(r->label, B);
		nc += !strcmp(r->label, C);
	}
	if (!nb || !nc)
		return 0;
	snprintf(title, sizeof(title), "%s%s%s: baseline %s vs candidate %s", sc->name,
		 *sc->configs.v[cf] ? " | " : "", sc->configs.v[cf], B, C);
	c = rp_chart_new(rp, SEC_AB, title, "ab-s%d-c%d", s, cf);
	names = calloc(sc->metrics.n + 1, sizeof(*names));
	if (!c || !names) {
		free(names);
		return -ENOMEM;
	}
	sb_printf(&c->table, "<table><tr><th>metric</th><th>unit</th><th>better</th><th>baseline ");
	sb_html(&c->table, B);
	sb_printf(&c->table, "</th><th>candidate ");
	sb_html(&c->table, C);
	sb_printf(&c->table, "</th><th>change</th><th></th></tr>\n");
	sb_printf(&c->dat, "# metric position, then per label: x scaled_median scaled_min scaled_max median\n");
	for (int m = 0; m < sc->metrics.n; m++) {
		const char *name = sc->metrics.v[m], *unit = "", *dir = "lower";
		double scale, change;
		char a[64], b[64];

		if (!rp_summarise(rp, s, cf, -1, B, name, &vb, &unit, &dir) ||
		    !rp_summarise(rp, s, cf, -1, C, name, &vc, &unit, &dir))
			continue;
		scale = fmax(fabs(vb.med), fabs(vc.med));
		if (!(scale > 0))
			scale = 1;
		for (int k = 0; k < 2; k++) {
			const struct rp_summary *v = k ? &vc : &vb;
			double x = n + (k ? 0.19 : -0.19);

			sb_printf(&c->dat, "%g %g %g %g %g ", x, 100 * v->med / scale,
				  100 * v->min / scale, 100 * v->max / scale, x - 0.17);
			sb_printf(&c->dat, "%g ", x + 0.17);
			sb_num(&c->dat, v->med);
			sb_printf(&c->dat, "\n");
			if (100 * v->min / scale < ylo)
				ylo = 100 * v->min / scale;
			if (100 * v->max / scale > yhi)
				yhi = 100 * v->max / scale;
			/* the real value on top of the bar, upright so that neighbours never meet */
			snprintf(a, sizeof(a), "%s", fmtv(v->med, b, sizeof(b)));
			sb_printf(&c->set, "set label ");
			sb_gpstr(&c->set, a);
			sb_printf(&c->set, " at %g, %g rotate by 90 left font ',8' front\n", x - 0.03,
				  fmax(100 * v->med / scale, 0) + 2);
		}
		change = vb.med ? 100 * (vc.med - vb.med) / fabs(vb.med) : NAN;
		sb_printf(&c->table, "<tr><td>");
		sb_html(&c->table, name);
		sb_printf(&c->table, "</td><td>");
		sb_html(&c->table, unit);
		sb_printf(&c->table, "</td><td>%s</td>", !strcmp(dir, "higher") ? "higher" : "lower");
		rp_summary_cell(&c->table, &vb);
		rp_summary_cell(&c->table, &vc);
		if (isfinite(change))
			sb_printf(&c->table, "<td>%+.1f%%</td>", change);
		else
			sb_printf(&c->table, "<td>%s</td>", vc.med == vb.med ? "0" : "n/a");
		sb_printf(&c->table, "<td>%s</td></tr>\n",
			  vc.med == vb.med ? "same" :
			  (vc.med < vb.med) == !strcmp(dir, "lower") ? "better" : "worse");
		names[n++] = (char *)name;
	}
	sb_printf(&c->table, "</table>\n");
	if (!n) {
		rp_nodata(c, "no judged metric has a value under both labels in this configuration");
		free(names);
		return 0;
	}
	/* the file holds pairs of rows (baseline, candidate): every other row with "every" */
	ib = rp_block_end(c);
	ic = ib;
	sb_printf(&c->plot, "plot '%s.dat' index %d every 2::0 using 1:2:5:6:(0):2 with boxxyerror "
		  "fs solid 0.8 noborder lc rgb '%s' title ", c->name, ib, rp_color(0));
	snprintf(title, sizeof(title), "baseline %s (%d run%s)", B, nb, nb == 1 ? "" : "s");
	sb_gpstr(&c->plot, title);
	sb_printf(&c->plot, ", \\\n     '%s.dat' index %d every 2::1 using 1:2:5:6:(0):2 with boxxyerror "
		  "fs solid 0.8 noborder lc rgb '%s' title ", c->name, ic, rp_color(1));
	snprintf(title, sizeof(title), "candidate %s (%d run%s)", C, nc, nc == 1 ? "" : "s");
	sb_gpstr(&c->plot, title);
	/* the ranges as plain lines: error bars would punch a hole for their point */
	sb_printf(&c->plot, ", \\\n     '%s.dat' index %d using ($1+0.1):3:(0):($4-$3) with vectors "
		  "nohead lc rgb '#333333' lw 1.2 notitle\n", c->name, ib);
	c->w = RP_WIDTH + (n > 10 ? (n - 10) * 45 : 0);
	if (c->w > 1800)
		c->w = 1800;
	rp_title(c, "each metric scaled so that the larger median is 100; the median written above "
		 "its bar, min..max over runs and samples as a line");
	rp_xtics_names(c, names, n, 0);
	/* room above 100 for the values; longer ranges up to 3x, the table has them all */
	sb_printf(&c->set, "set yrange [%g:%g]\nset ylabel 'median, %% of the larger of the two'\n"
		  "set grid ytics\nset key outside top center horizontal\n",
		  ylo < 0 ? ylo * 1.15 : 0, fmax(125, fmin(yhi * 1.05, 300)));
	free(names);
	return 0;
}

static int rp_charts_ab(struct rp *rp)
{
	const char *B = rp->baseline, *C = rp->candidate;
	struct rp_chart *c;
	int before = rp->ncharts, ret;

	if (B && C && strcmp(B, C) && rp_has_label(rp, B) && rp_has_label(rp, C)) {
		for (int s = 0; s < rp->nscns; s++) {
			for (int cf = 0; cf < rp->scns[s].configs.n; cf++) {
				ret = rp_chart_ab(rp, s, cf);
				if (ret)
					return ret;
			}
		}
		if (rp->ncharts > before)
			return 0;
	}
	c = rp_chart_new(rp, SEC_AB, "baseline vs candidate", "baseline-candidate");
	if (!c)
		return -ENOMEM;
	if (!B || !C)
		rp_nodata(c, "name two labels: --baseline LABEL --candidate LABEL, or --label A,B "
			  "where A is the baseline");
	else if (!strcmp(B, C))
		rp_nodata(c, "the baseline and the candidate are the same label, %s", B);
	else if (!rp_has_label(rp, B))
		rp_nodata(c, "no completed run labelled %s in the selection", B);
	else if (!rp_has_label(rp, C))
		rp_nodata(c, "no completed run labelled %s in the selection", C);
	else
		rp_nodata(c, "no scenario was run with the same parameters under both %s and %s", B, C);
	return 0;
}

/* ------------------------------------------------------------------ gnuplot */

/* @prog as an executable path: itself when it has a '/', else searched in $PATH. */
static int rp_find_prog(const char *prog, char *path, size_t len)
{
	const char *p = env_get("PATH");
	char dir[PATH_MAX];
	struct stat st;

	if (strchr(prog, '/')) {
		if (prog[0] != '/' && getcwd(dir, sizeof(dir)))
			snprintf(path, len, "%s/%s", dir, prog);
		else
			snprintf(path, len, "%s", prog);
		return !access(path, X_OK) && !stat(path, &st) && S_ISREG(st.st_mode) ? 0 : -ENOENT;
	}
	if (!p)
		p = "/usr/local/bin:/usr/bin:/bin";
	while (*p) {
		size_t n = strcspn(p, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, n ? p : ".");
		snprintf(path, len, "%s/%s", dir, prog);
		if (!access(path, X_OK) && !stat(path, &st) && S_ISREG(st.st_mode))
			return 0;
		p += n;
		if (*p == ':')
			p++;
	}
	return -ENOENT;
}

/* Starts gnuplot in the output directory, stdin and stdout on /dev/null, stderr to @log. */
static int rp_spawn(struct rp *rp, char *const argv[], const char *log, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int ret;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, rp->o->out);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, log ? log : "/dev/null",
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ret = posix_spawn(pid, rp->gnuplot, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return -ret;
}

static int rp_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* pngcairo when this gnuplot has it (gnuplot-nox does), else libgd's png. */
static void rp_probe_png(struct rp *rp)
{
	char *argv[] = { "gnuplot", "-e", "set terminal pngcairo", NULL };
	pid_t pid;

	rp->png_term = "png";
	if (!rp_spawn(rp, argv, NULL, &pid) && !rp_wait(pid))
		rp->png_term = "pngcairo";
}

static int rp_write(struct rp *rp, const char *name, const char *text, size_t len)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", rp->o->out, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return errf(rp->err, rp->errlen, -errno, "cannot write %s: %s", tmp, strerror(errno));
	if (len && fwrite(text, 1, len, f) != len)
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return errf(rp->err, rp->errlen, ret, "cannot write %s: %s", path, strerror(-ret));
	}
	return 0;
}

static void sb_comment(struct sb *b, const char *s)
{
	for (; *s; s++)
		sb_printf(b, "%c", iscntrl((unsigned char)*s) ? '?' : *s);
}

static int rp_write_chart(struct rp *rp, struct rp_chart *c)
{
	struct sb gp = { 0 };
	char name[160];
	int ret;

	sb_printf(&gp, "# mmubench report: ");
	sb_comment(&gp, c->title);
	sb_printf(&gp, "\n# Written by mmubench %s; data in %s.dat. Redraw in this directory "
		  "with: gnuplot %s.gp\n", PACKAGE_VERSION, c->name, c->name);
	sb_printf(&gp, "set encoding utf8\n%s", sb_str(&c->set));
	sb_printf(&gp, "set terminal svg size %d,%d dynamic noenhanced font 'sans,11' "
		  "background '#ffffff'\nset output '%s.svg'\n%s", c->w, c->h, c->name,
		  sb_str(&c->plot));
	sb_printf(&gp, "set terminal %s size %d,%d noenhanced font 'sans,10' "
		  "background '#ffffff'\nset output '%s.png'\nreplot\nset output\n",
		  rp->png_term, c->w, c->h, c->name);
	if (gp.oom || c->set.oom || c->plot.oom || c->dat.oom || c->table.oom) {
		sb_free(&gp);
		return errf(rp->err, rp->errlen, -ENOMEM, "out of memory writing chart %s", c->name);
	}
	snprintf(name, sizeof(name), "%s.gp", c->name);
	ret = rp_write(rp, name, gp.s, gp.len);
	sb_free(&gp);
	if (ret || c->nodata)
		return ret;
	snprintf(name, sizeof(name), "%s.dat", c->name);
	return rp_write(rp, name, sb_str(&c->dat), c->dat.len);
}

/* Reaps one gnuplot; marks its chart failed with the first line of its complaint. */
static void rp_reap(struct rp *rp, pid_t pid, int status)
{
	char path[PATH_MAX], line[400] = "", *p;
	struct rp_chart *c = NULL;
	struct stat st;
	FILE *f;

	for (int i = 0; i < rp->ncharts && !c; i++)
		if (rp->charts[i]->pid == pid)
			c = rp->charts[i];
	if (!c)
		return;
	c->pid = 0;
	snprintf(path, sizeof(path), "%s/%s.log", rp->o->out, c->name);
	if (status) {
		f = fopen(path, "r");
		/* the last line that says what went wrong */
		while (f && fgets(line, sizeof(line), f)) {
			if (strstr(line, "line ") || strstr(line, "rror"))
				snprintf(c->why, sizeof(c->why), "%s", line);
		}
		if (f)
			fclose(f);
		if (!c->why[0])
			snprintf(c->why, sizeof(c->why), "exit status %d", status);
		if ((p = strchr(c->why, '\n')))
			*p = '\0';
		c->failed = true;
		return;
	}
	unlink(path);
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s.%s", rp->o->out, c->name, k ? "png" : "svg");
		if (stat(path, &st) || !st.st_size) {
			snprintf(c->why, sizeof(c->why), "gnuplot wrote no %s.%s", c->name,
				 k ? "png" : "svg");
			c->failed = true;
		}
	}
}

static int rp_run_gnuplot(struct rp *rp)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = ncpu > 0 ? (ncpu < RP_MAX_JOBS ? (int)ncpu : RP_MAX_JOBS) : 1, running = 0;

	for (int i = 0; i < rp->ncharts || running; ) {
		if (i < rp->ncharts && running < jobs) {
			struct rp_chart *c = rp->charts[i++];
			char script[160], log[160];
			char *argv[] = { "gnuplot", script, NULL };
			int ret;

			snprintf(script, sizeof(script), "%s.gp", c->name);
			snprintf(log, sizeof(log), "%s.log", c->name);
			ret = rp_spawn(rp, argv, log, &c->pid);
			if (ret) {
				c->pid = 0;
				c->failed = true;
				snprintf(c->why, sizeof(c->why), "cannot run %s: %s", rp->gnuplot,
					 strerror(-ret));
			} else {
				running++;
			}
			continue;
		}
		{
			int st;
			pid_t pid = waitpid(-1, &st, 0);

			if (pid < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			running--;
			rp_reap(rp, pid, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- the page */

static const char rp_css[] =
	"body{font-family:sans-serif;margin:1.5em auto;max-width:1400px;padding:0 1em;color:#222}\n"
	"h1{margin-bottom:.2em}h2{border-bottom:2px solid #0072b2;padding-bottom:.2em;margin-top:2em}\n"
	"h3{margin:.2em 0}figure{margin:1.5em 0;padding:.8em;border:1px solid #ddd;border-radius:4px}\n"
	"img{max-width:100%;height:auto;display:block}table{border-collapse:collapse;margin:.6em 0;font-size:90%}\n"
	"th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right;vertical-align:top}\n"
	"th{background:#f0f4f8}td:first-child,th:first-child{text-align:left}\n"
	".meta,.files,.caption{color:#555;font-size:90%}.nodata{background:#fff6e0;padding:.4em}\n"
	".error{background:#fde8e8;padding:.4em}.st-fail,.st-error{color:#b00}.st-skip{color:#a60}\n"
	"small{color:#666}nav li{margin:.15em 0}\n";

static void rp_time(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)t);
}

static void rp_html_runs(struct rp *rp, struct sb *h)
{
	sb_printf(h, "<h2 id=\"runs\">Runs</h2>\n<p class=\"caption\">Every selected run, oldest "
		  "first. Only runs that completed (pass or fail) are charted. The configuration "
		  "lists the parameters that differ between the runs of a scenario.</p>\n");
	sb_printf(h, "<table><tr><th>run id</th><th>label</th><th>scenario</th><th>configuration</th>"
		  "<th>kernel</th><th>host</th><th>status</th><th>started (UTC)</th>"
		  "<th>duration (s)</th></tr>\n");
	for (int i = 0; i < rp->nruns; i++) {
		const struct rp_run *r = &rp->runs[i];
		char t[64], d[64];

		sb_printf(h, "<tr><td><code>");
		sb_html(h, r->id);
		sb_printf(h, "</code></td><td>");
		sb_html(h, r->label ? r->label : "(no label)");
		sb_printf(h, "</td><td>");
		sb_html(h, r->scenario);
		sb_printf(h, "</td><td>");
		if (r->config >= 0)
			sb_html(h, rp_config(rp, r->scn, r->config));
		sb_printf(h, "</td><td>");
		sb_html(h, r->kernel ? r->kernel : "");
		sb_printf(h, "</td><td>");
		sb_html(h, r->host ? r->host : "");
		sb_printf(h, "</td><td class=\"st-");
		sb_html(h, r->status);
		sb_printf(h, "\">");
		sb_html(h, r->status);
		if (r->reason) {
			sb_printf(h, ": <small>");
			sb_html(h, r->reason);
			sb_printf(h, "</small>");
		}
		rp_time(t, sizeof(t), r->started);
		sb_printf(h, "</td><td>%s</td><td>%s</td></tr>\n", t, fmtv(r->duration, d, sizeof(d)));
	}
	sb_printf(h, "</table>\n");
}

static void rp_html_figure(struct sb *h, const struct rp_chart *c)
{
	sb_printf(h, "<figure id=\"%s\">\n<h3>", c->name);
	sb_html(h, c->title);
	sb_printf(h, "</h3>\n");
	if (c->failed) {
		sb_printf(h, "<p class=\"error\">gnuplot could not draw this chart: ");
		sb_html(h, c->why);
		sb_printf(h, " (see <a href=\"%s.gp\">%s.gp</a> and %s.log)</p>\n", c->name, c->name,
			  c->name);
	} else {
		sb_printf(h, "<a href=\"%s.svg\"><img src=\"%s.png\" width=\"%d\" height=\"%d\" alt=\"",
			  c->name, c->name, c->w, c->h);
		if (c->nodata)
			sb_printf(h, "no data for ");
		sb_html(h, c->title);
		sb_printf(h, "\"></a>\n");
	}
	if (c->nodata) {
		sb_printf(h, "<p class=\"nodata\"><strong>no data for ");
		sb_html(h, c->title);
		sb_printf(h, "</strong> (");
		sb_html(h, c->nodata);
		sb_printf(h, ")</p>\n");
	} else {
		if (c->caption) {
			sb_printf(h, "<p class=\"caption\">");
			sb_html(h, c->caption);
			sb_printf(h, "</p>\n");
		}
		sb_printf(h, "%s", sb_str(&c->table));
	}
	sb_printf(h, "<p class=\"files\">SVG <a href=\"%s.svg\">%s.svg</a>", c->name, c->name);
	if (!c->nodata)
		sb_printf(h, ", data <a href=\"%s.dat\">%s.dat</a>", c->name, c->name);
	sb_printf(h, ", gnuplot script <a href=\"%s.gp\">%s.gp</a></p>\n</figure>\n", c->name,
		  c->name);
}

static void rp_html_selection(struct rp *rp, struct sb *h)
{
	const struct report_opts *o = rp->o;
	char t[64];

	sb_printf(h, "labels: ");
	if (o->labels && o->labels[0]) {
		for (int i = 0; o->labels[i]; i++) {
			sb_printf(h, "%s", i ? ", " : "");
			sb_html(h, o->labels[i]);
		}
	} else {
		sb_printf(h, "all");
	}
	sb_printf(h, "; scenarios: ");
	if (o->scenarios && o->scenarios[0]) {
		for (int i = 0; o->scenarios[i]; i++) {
			sb_printf(h, "%s", i ? ", " : "");
			sb_html(h, o->scenarios[i]);
		}
	} else {
		sb_printf(h, "all");
	}
	if (o->has_since) {
		rp_time(t, sizeof(t), o->since);
		sb_printf(h, "; started since %s", t);
	}
}

static int rp_write_index(struct rp *rp, int nodata)
{
	struct sb h = { 0 };
	char now[64];
	int ret;

	rp_time(now, sizeof(now), time(NULL));
	sb_printf(&h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<title>mmubench report</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		  "<h1>mmubench report</h1>\n<p class=\"meta\">Generated %s by mmubench %s (%s) "
		  "from <code>", rp_css, now, PACKAGE_VERSION, MMUBENCH_GIT_REVISION);
	sb_html(&h, rp->o->store);
	sb_printf(&h, "</code>. Selection: ");
	rp_html_selection(rp, &h);
	sb_printf(&h, ". %d run%s, %d chart%s (%d without data). Each image links to its SVG; "
		  "the numbers drawn are in the table under it and in its .dat file.</p>\n",
		  rp->nruns, rp->nruns == 1 ? "" : "s", rp->ncharts, rp->ncharts == 1 ? "" : "s",
		  nodata);

	sb_printf(&h, "<nav><h2>Contents</h2><ul>\n<li><a href=\"#runs\">Runs</a> (%d)</li>\n",
		  rp->nruns);
	for (int sec = 0; sec < SEC_N; sec++) {
		int n = 0, nd = 0;

		for (int i = 0; i < rp->ncharts; i++) {
			n += rp->charts[i]->sec == (enum rp_section)sec;
			nd += rp->charts[i]->sec == (enum rp_section)sec && rp->charts[i]->nodata;
		}
		sb_printf(&h, "<li><a href=\"#%s\">%s</a> (%d chart%s", rp_sections[sec].id,
			  rp_sections[sec].title, n, n == 1 ? "" : "s");
		if (nd)
			sb_printf(&h, ", %d without data", nd);
		sb_printf(&h, ")</li>\n");
	}
	sb_printf(&h, "</ul></nav>\n");
	if (nodata) {
		sb_printf(&h, "<h2 id=\"nodata\">Charts without data</h2>\n<ul>\n");
		for (int i = 0; i < rp->ncharts; i++) {
			const struct rp_chart *c = rp->charts[i];

			if (!c->nodata)
				continue;
			sb_printf(&h, "<li><a href=\"#%s\">no data for ", c->name);
			sb_html(&h, c->title);
			sb_printf(&h, "</a>: ");
			sb_html(&h, c->nodata);
			sb_printf(&h, "</li>\n");
		}
		sb_printf(&h, "</ul>\n");
	}
	rp_html_runs(rp, &h);
	for (int sec = 0; sec < SEC_N; sec++) {
		sb_printf(&h, "<h2 id=\"%s\">%s</h2>\n<p class=\"caption\">%s</p>\n",
			  rp_sections[sec].id, rp_sections[sec].title, rp_sections[sec].intro);
		if (sec == SEC_TREND && rp->groups.n > 1) {
			/* judged metrics that never had a value are not drawn: name them */
			bool first = true;

			for (int s = 0; s < rp->nscns; s++) {
				for (int m = 0; m < rp->scns[s].metrics.n; m++) {
					bool found = false;
					char want[160];

					snprintf(want, sizeof(want), "trend-s%d-m%d", s, m);
					for (int i = 0; i < rp->ncharts && !found; i++)
						found = !strcmp(rp->charts[i]->name, want);
					if (found)
						continue;
					sb_printf(&h, "%s", first ? "<p class=\"nodata\">no data for the trend of " : ", ");
					sb_html(&h, rp->scns[s].name);
					sb_printf(&h, ": ");
					sb_html(&h, rp->scns[s].metrics.v[m]);
					first = false;
				}
			}
			if (!first)
				sb_printf(&h, " (n/a in every selected run)</p>\n");
		}
		for (int i = 0; i < rp->ncharts; i++)
			if (rp->charts[i]->sec == (enum rp_section)sec)
				rp_html_figure(&h, rp->charts[i]);
	}
	sb_printf(&h, "</body>\n</html>\n");
	if (h.oom) {
		sb_free(&h);
		return errf(rp->err, rp->errlen, -ENOMEM, "out of memory writing index.html");
	}
	ret = rp_write(rp, "index.html", h.s, h.len);
	sb_free(&h);
	return ret;
}

/* ------------------------------------------------------------------- driver */

static int rp_mkdirs(const char *dir, char *err, size_t errlen)
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
			return errf(err, errlen, -ENOTDIR, "output directory %s: %s is not a directory",
				    dir, buf);
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

/* Removes the files the previous report in this directory wrote, so none goes stale. */
static void rp_remove_previous(struct rp *rp)
{
	char path[PATH_MAX], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", rp->o->out, RP_MANIFEST);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '.' || strchr(line, '/'))
			continue;
		snprintf(path, sizeof(path), "%s/%s", rp->o->out, line);
		unlink(path);
	}
	fclose(f);
}

static int rp_write_manifest(struct rp *rp)
{
	struct sb m = { 0 };
	int ret;

	sb_printf(&m, "index.html\n");
	for (int i = 0; i < rp->ncharts; i++) {
		const struct rp_chart *c = rp->charts[i];

		sb_printf(&m, "%s.gp\n%s.svg\n%s.png\n", c->name, c->name, c->name);
		if (!c->nodata)
			sb_printf(&m, "%s.dat\n", c->name);
		if (c->failed)
			sb_printf(&m, "%s.log\n", c->name);
	}
	ret = m.oom ? -ENOMEM : rp_write(rp, RP_MANIFEST, m.s, m.len);
	sb_free(&m);
	return ret;
}

/* Opens the store read-only and checks that it is one this mmubench can read. */
static int rp_open(struct rp *rp, struct report_result *res)
{
	const char *path = rp->o->store;
	sqlite3_stmt *st;
	struct stat sb;
	int rc, version = -1;

	if (stat(path, &sb)) {
		res->bad_input = true;
		return errf(rp->err, rp->errlen, -errno,
			    "no results store at %s: %s (mmubench run stores its records there; "
			    "or name one with --store FILE)", path, strerror(errno));
	}
	rc = sqlite3_open_v2(path, &rp->db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK)
		return errf(rp->err, rp->errlen, -EIO, "store %s: cannot open: %s", path,
			    rp->db ? sqlite3_errmsg(rp->db) : "out of memory");
	sqlite3_busy_timeout(rp->db, 30000);
	rc = sqlite3_prepare_v2(rp->db, "SELECT max(version) FROM schema_version", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		version = sqlite3_column_int(st, 0);
	if (rc == SQLITE_OK)
		sqlite3_finalize(st);
	if (version < 0) {
		res->bad_input = true;
		return errf(rp->err, rp->errlen, -EINVAL,
			    "%s is not an mmubench results store (no schema_version): %s", path,
			    sqlite3_errmsg(rp->db));
	}
	/* read-only, so never migrated: every column read here exists since version 1 */
	if (version < 1 || version > STORE_SCHEMA_VERSION)
		return errf(rp->err, rp->errlen, -EPROTONOSUPPORT,
			    "store %s: schema version %d, this mmubench reads versions 1 to %d "
			    "(a newer store needs a newer mmubench)", path, version,
			    STORE_SCHEMA_VERSION);
	return 0;
}

/* "no runs match": with the labels that are in the store, to help the next try. */
static int rp_no_runs(struct rp *rp, struct report_result *res)
{
	struct sb known = { 0 };
	sqlite3_stmt *st;
	int n = 0;

	res->bad_input = true;
	if (sqlite3_prepare_v2(rp->db, "SELECT label, count(*) FROM runs WHERE label IS NOT NULL "
			       "GROUP BY label ORDER BY max(started_at) DESC", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW && n < 8) {
			const char *l = (const char *)sqlite3_column_text(st, 0);

			for (const char *p = l; p && *p; p++)
				if (iscntrl((unsigned char)*p))
					l = NULL;
			if (!l)
				continue;
			sb_printf(&known, "%s%s", n++ ? ", " : "", l);
		}
		sqlite3_finalize(st);
	}
	errf(rp->err, rp->errlen, -ESRCH, "no run in %s matches the selection%s%s%s",
	     rp->o->store, n ? " (labels in the store, newest first: " : " (the store has no labelled run",
	     sb_str(&known), n ? ")" : ")");
	sb_free(&known);
	return -ESRCH;
}

static void rp_free(struct rp *rp)
{
	for (int i = 0; i < rp->nruns; i++) {
		struct rp_run *r = &rp->runs[i];

		free(r->id);
		free(r->label);
		free(r->scenario);
		free(r->status);
		free(r->reason);
		free(r->kernel);
		free(r->host);
		json_object_put(r->params);
	}
	free(rp->runs);
	free(rp->by_id);
	for (int i = 0; i < rp->nmetrics; i++) {
		free(rp->metrics[i].name);
		free(rp->metrics[i].unit);
		free(rp->metrics[i].dir);
		free(rp->metrics[i].samples);
	}
	free(rp->metrics);
	for (int i = 0; i < rp->nhists; i++) {
		free(rp->hists[i].name);
		free(rp->hists[i].unit);
		free(rp->hists[i].b);
	}
	free(rp->hists);
	strv_free(&rp->groups);
	for (int s = 0; s < rp->nscns; s++) {
		free(rp->scns[s].name);
		strv_free(&rp->scns[s].configs);
		strv_free(&rp->scns[s].hists);
		strv_free(&rp->scns[s].metrics);
	}
	free(rp->scns);
	for (int i = 0; i < rp->ncharts; i++)
		rp_chart_free(rp->charts[i]);
	free(rp->charts);
	sb_free(&rp->where);
	if (rp->db)
		sqlite3_close(rp->db);
}

int report_generate(const struct report_opts *o, struct report_result *res, char *err,
		    size_t errlen)
{
	struct rp rp = { .o = o, .err = err, .errlen = errlen };
	int ret, failed = 0, nodata = 0;
	struct rp_chart *first_failed = NULL;

	memset(res, 0, sizeof(*res));
	if (!o->out || !*o->out || !o->store || !*o->store) {
		res->bad_input = true;
		return errf(err, errlen, -EINVAL, "needs --out DIR and a store");
	}
	ret = rp_open(&rp, res);
	if (ret)
		goto out;
	rp_build_where(&rp);
	ret = rp_load_runs(&rp);
	if (ret)
		goto out;
	res->runs = rp.nruns;
	if (!rp.nruns) {
		ret = rp_no_runs(&rp, res);
		goto out;
	}
	if (rp_find_prog(o->gnuplot ? o->gnuplot : "gnuplot", rp.gnuplot, sizeof(rp.gnuplot))) {
		ret = errf(err, errlen, -ENOENT,
			   "%s not found%s: the report draws its charts with gnuplot; install "
			   "gnuplot-nox (apt-get install gnuplot-nox)",
			   o->gnuplot ? o->gnuplot : "gnuplot",
			   o->gnuplot && strchr(o->gnuplot, '/') ? "" : " in PATH");
		goto out;
	}
	ret = rp_load_metrics(&rp);
	if (!ret)
		ret = rp_load_hists(&rp);
	if (!ret)
		ret = rp_make_model(&rp);
	if (ret)
		goto out;
	rp.baseline = o->baseline ? o->baseline : (o->labels && o->labels[0] ? o->labels[0] : NULL);
	rp.candidate = o->candidate ? o->candidate :
		       (o->labels && o->labels[0] && o->labels[1] ? o->labels[1] : NULL);

	ret = rp_mkdirs(o->out, err, errlen);
	if (ret)
		goto out;
	rp_remove_previous(&rp);
	ret = rp_charts_latency(&rp);
	if (!ret)
		ret = rp_charts_epochs(&rp);
	if (!ret)
		ret = rp_chart_cost(&rp);
	if (!ret)
		ret = rp_charts_trend(&rp);
	if (!ret)
		ret = rp_charts_ab(&rp);
	if (ret) {
		if (ret == -ENOMEM)
			errf(err, errlen, ret, "out of memory building the charts");
		goto out;
	}
	rp_probe_png(&rp);
	for (int i = 0; i < rp.ncharts; i++) {
		ret = rp_write_chart(&rp, rp.charts[i]);
		if (ret)
			goto out;
		nodata += rp.charts[i]->nodata != NULL;
	}
	if (!o->quiet)
		fprintf(stderr, "mmubench report: %d run%s, drawing %d chart%s with %s (%s)\n",
			rp.nruns, rp.nruns == 1 ? "" : "s", rp.ncharts, rp.ncharts == 1 ? "" : "s",
			rp.gnuplot, rp.png_term);
	rp_run_gnuplot(&rp);
	for (int i = 0; i < rp.ncharts; i++) {
		if (rp.charts[i]->failed) {
			failed++;
			if (!first_failed)
				first_failed = rp.charts[i];
		}
	}
	ret = rp_write_index(&rp, nodata);
	if (!ret)
		ret = rp_write_manifest(&rp);
	if (ret)
		goto out;
	res->charts = rp.ncharts;
	res->nodata = nodata;
	snprintf(res->index, sizeof(res->index), "%s/index.html", o->out);
	if (failed)
		ret = errf(err, errlen, -EIO, "gnuplot failed on %d of %d charts, first %s/%s.gp: %s",
			   failed, rp.ncharts, o->out, first_failed->name, first_failed->why);
out:
	rp_free(&rp);
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
