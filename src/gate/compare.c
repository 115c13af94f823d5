// SPDX-License-Identifier: GPL-2.0
/*
 * Baseline label against candidate label: the runs of both sides come from
 * store_read() as whole records, are grouped by config (config_key()), and
 * each metric (or check) of a config becomes a series of values per side,
 * judged into one row; once every config has its rows, the p values of all
 * of them are adjusted together (gate_adjust()) and the verdicts settled.
 * The store is only read, through src/store/store.h.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "src/gate/gate.h"
#include "src/lib/strbuf.h"
#include "src/lib/util.h"
#include "src/store/store.h"
#include "workloads/catalog.h"

#define COMPARE_MAX_LABELS_SHOWN	12
#define COMPARE_MAX_CONFIGS_SHOWN	3

/* A usable run (pass or fail) on one side, in one config. */
struct compare_run {
	const struct record *rec;	/* owned by compare_ctx.recs */
	size_t cfg;
	int side;
};

/* The values of one metric (or check) of one config, per side, with the run each came from. */
struct compare_series {
	size_t cfg;
	char *name, *unit;
	enum gate_row_kind kind;
	enum metric_direction dir;
	double *v[2];
	size_t *run[2];			/* index into runs[] */
	size_t n[2], cap[2];
	size_t fails[2];		/* checks: runs where it failed */
	char *reason;			/* checks: first candidate failure reason */
};

struct compare_ctx {
	struct store *store;
	const char *path;
	const struct gate_rules *rules;
	struct gate_report *g;
	struct record **recs;		/* every run of either label, oldest first */
	size_t nrecs, caprecs;
	struct compare_run *runs;
	size_t nruns, capruns;
	struct compare_series *series;
	size_t nseries, capseries;
	size_t capconfigs, caprows, capnotes;
	char *err;
	size_t errlen;
};

static int compare_oom(struct compare_ctx *c)
{
	return errf(c->err, c->errlen, -ENOMEM, "store %s: out of memory", c->path);
}

/* Grows *@v (of @size-byte elements) to hold @n + 1; returns false on ENOMEM. */
static bool compare_grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *p;

	if (n < *cap)
		return true;
	c = *cap ? *cap * 2 : 8;
	p = realloc(*v, c * size);
	if (!p)
		return false;
	*v = p;
	*cap = c;
	return true;
}

/* store_read() callback: keeps every record, sides are sorted out after. */
static int compare_keep(struct record *r, void *arg)
{
	struct compare_ctx *c = arg;

	if (!compare_grow((void **)&c->recs, &c->caprecs, c->nrecs, sizeof(*c->recs))) {
		record_free(r);
		return compare_oom(c);
	}
	c->recs[c->nrecs++] = r;
	return 0;
}

/* The labels in the store, for the message about a label without runs. */
static int compare_no_such_label(struct compare_ctx *c, const char *which, const char *label)
{
	struct strbuf list = STRBUF_INIT;
	struct store_label *labels;
	size_t n, shown = 0;
	int ret;

	ret = store_labels(c->store, &labels, &n, c->err, c->errlen);
	if (ret)
		return ret;
	for (size_t i = 0; i < n && shown < COMPARE_MAX_LABELS_SHOWN; i++, shown++) {
		const char *l = labels[i].label;

		strbuf_addf(&list, "%s%s%s%s (%zu run%s)", shown ? ", " : "", l ? "'" : "",
			    l ? l : "no label", l ? "'" : "", labels[i].runs,
			    labels[i].runs == 1 ? "" : "s");
	}
	if (n > shown)
		strbuf_addf(&list, " and %zu more", n - shown);
	store_labels_free(labels, n);
	ret = errf(c->err, c->errlen, -ENOENT, "no runs labelled '%s' (%s) in store %s; %s%s",
		   label, which, c->path, shown ? "labels there, newest first: " : "it has no runs",
		   shown && !list.failed ? list.buf : "");
	strbuf_release(&list);
	/* one line, whatever the labels hold */
	for (char *p = c->err; p && *p; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
	return ret;
}

static int compare_add_config(struct compare_ctx *c, const char *key, const char *scenario,
			      struct json_object *params, size_t *out)
{
	struct gate_report *g = c->g;
	struct gate_config *cfg;

	for (size_t i = 0; i < g->nconfigs; i++) {
		if (!strcmp(g->configs[i].key, key)) {
			*out = i;
			return 0;
		}
	}
	if (!compare_grow((void **)&g->configs, &c->capconfigs, g->nconfigs, sizeof(*g->configs)))
		return compare_oom(c);
	cfg = &g->configs[g->nconfigs];
	memset(cfg, 0, sizeof(*cfg));
	cfg->key = strdup(key);
	cfg->scenario = strdup(scenario);
	cfg->display = config_display(scenario, params, &c->rules->ignore_params);
	g->nconfigs++;
	if (!cfg->key || !cfg->scenario || !cfg->display)
		return compare_oom(c);
	*out = g->nconfigs - 1;
	return 0;
}

static struct compare_series *compare_find_series(struct compare_ctx *c, size_t cfg,
						  enum gate_row_kind kind, const char *name,
						  const char *unit, enum metric_direction dir)
{
	struct compare_series *s;

	for (size_t i = 0; i < c->nseries; i++) {
		s = &c->series[i];
		if (s->cfg == cfg && s->kind == kind && !strcmp(s->name, name))
			return s;
	}
	if (!compare_grow((void **)&c->series, &c->capseries, c->nseries, sizeof(*c->series)))
		return NULL;
	s = &c->series[c->nseries];
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->kind = kind;
	s->dir = dir;
	s->name = strdup(name);
	s->unit = strdup(unit ? unit : "");
	if (!s->name || !s->unit) {
		free(s->name);
		free(s->unit);
		return NULL;
	}
	c->nseries++;
	return s;
}

static bool compare_series_add(struct compare_series *s, int side, double v, size_t run)
{
	if (s->n[side] == s->cap[side]) {
		size_t cap = s->cap[side] ? s->cap[side] * 2 : 8;
		double *nv = realloc(s->v[side], cap * sizeof(double));
		size_t *nr;

		if (!nv)
			return false;
		s->v[side] = nv;
		nr = realloc(s->run[side], cap * sizeof(size_t));
		if (!nr)
			return false;
		s->run[side] = nr;
		s->cap[side] = cap;
	}
	s->v[side][s->n[side]] = v;
	s->run[side][s->n[side]] = run;
	s->n[side]++;
	return true;
}

/* The metrics and checks of run @ri, into their series. */
static int compare_load_run(struct compare_ctx *c, size_t ri)
{
	const struct compare_run *run = &c->runs[ri];
	const struct record *r = run->rec;
	struct compare_series *s;

	for (size_t i = 0; i < r->nmetrics; i++) {
		const struct metric *m = &r->metrics[i];
		bool correct = strlist_match(&c->rules->correctness_metrics, m->name);

		s = compare_find_series(c, run->cfg,
					correct ? GATE_ROW_CORRECTNESS : GATE_ROW_METRIC,
					m->name, m->unit, m->direction);
		if (!s)
			return compare_oom(c);
		if (!isfinite(m->value))
			continue;	/* no value in this run (the store keeps it as NULL) */
		if (!compare_series_add(s, run->side, m->value, ri))
			return compare_oom(c);
	}
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct check *ck = &r->checks[i];
		bool failed = ck->status == STATUS_FAIL;

		if (!strlist_match(&c->rules->correctness_checks, ck->name))
			continue;
		s = compare_find_series(c, run->cfg, GATE_ROW_CHECK, ck->name, "failed runs",
					DIR_LOWER_IS_BETTER);
		if (!s || !compare_series_add(s, run->side, failed, ri))
			return compare_oom(c);
		s->fails[run->side] += failed;
		if (failed && run->side == 1 && !s->reason && ck->reason &&
		    !(s->reason = strdup(ck->reason)))
			return compare_oom(c);
	}
	return 0;
}

/* Every run labelled @label on @side: their configs, metrics and checks. */
static int compare_load_side(struct compare_ctx *c, int side, const char *label)
{
	struct gate_report *g = c->g;
	size_t first = c->nruns;
	int ret = 0;

	for (size_t i = 0; i < c->nrecs; i++) {
		const struct record *r = c->recs[i];
		bool usable = r->status == STATUS_PASS || r->status == STATUS_FAIL;
		const char *scenario = r->scenario ? r->scenario : "";
		size_t cfg = 0;
		char *key;

		if (!r->label || strcmp(r->label, label))
			continue;
		g->runs[side]++;
		key = config_key(scenario, r->params, &c->rules->ignore_params);
		ret = key ? compare_add_config(c, key, scenario, r->params, &cfg) : compare_oom(c);
		free(key);
		if (ret)
			return ret;
		if (!usable) {
			g->configs[cfg].unusable[side]++;
			continue;
		}
		g->configs[cfg].runs[side]++;
		if (!compare_grow((void **)&c->runs, &c->capruns, c->nruns, sizeof(*c->runs)))
			return compare_oom(c);
		c->runs[c->nruns++] = (struct compare_run){ .rec = r, .cfg = cfg, .side = side };
	}
	if (!g->runs[side])
		return compare_no_such_label(c, side ? "candidate" : "baseline", label);
	for (size_t i = first; i < c->nruns && !ret; i++)
		ret = compare_load_run(c, i);
	return ret;
}

/* The samples recorded within run @ri for metric @name, NaN left out (malloc'ed). */
static int compare_run_samples(struct compare_ctx *c, size_t ri, const char *name,
			       double **out, size_t *n)
{
	const struct record *r = c->runs[ri].rec;
	const struct metric *m = NULL;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < r->nmetrics && !m; i++)
		if (!strcmp(r->metrics[i].name, name))
			m = &r->metrics[i];
	if (!m || !m->nsamples)
		return 0;
	*out = malloc(m->nsamples * sizeof(double));
	if (!*out)
		return compare_oom(c);
	for (size_t i = 0; i < m->nsamples; i++)
		if (isfinite(m->samples[i]))
			(*out)[(*n)++] = m->samples[i];
	return 0;
}

static struct gate_row *compare_new_row(struct compare_ctx *c, size_t cfg,
					const struct compare_series *s)
{
	struct gate_report *g = c->g;
	struct gate_row *row;

	if (!compare_grow((void **)&g->rows, &c->caprows, g->nrows, sizeof(*g->rows)))
		return NULL;
	row = &g->rows[g->nrows];
	memset(row, 0, sizeof(*row));
	row->config = cfg;
	row->kind = s->kind;
	row->name = strdup(s->name);
	row->unit = strdup(s->unit);
	row->change_pct = row->p = row->p_adj = row->effect = NAN;
	row->value[0] = row->value[1] = NAN;
	if (!row->name || !row->unit) {
		free(row->name);
		free(row->unit);
		return NULL;
	}
	g->nrows++;
	return row;
}

/* A malloc'ed note, or NULL on ENOMEM. */
static char *compare_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *compare_note(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb);
}

/* Correctness metric: the largest |value| of each run, its samples included. */
static int compare_judge_correctness(struct compare_ctx *c, const struct compare_series *s,
				     struct gate_row *row)
{
	size_t nonzero = 0;
	double *smp;
	size_t n;
	int ret;

	row->direction = DIR_LOWER_IS_BETTER;
	for (int side = 0; side < 2; side++) {
		row->n[side] = s->n[side];
		for (size_t i = 0; i < s->n[side]; i++) {
			double worst = fabs(s->v[side][i]);

			ret = compare_run_samples(c, s->run[side][i], s->name, &smp, &n);
			if (ret)
				return ret;
			for (size_t k = 0; k < n; k++)
				worst = fmax(worst, fabs(smp[k]));
			free(smp);
			row->value[side] = i ? fmax(row->value[side], worst) : worst;
			if (side == 1 && worst != 0)
				nonzero++;
		}
	}
	if (!s->n[1]) {
		row->verdict = GATE_NOT_ENOUGH_DATA;
		row->note = compare_note("no candidate run reports it");
	} else if (nonzero) {
		row->verdict = GATE_FAILED;
		row->note = compare_note("correctness: non-zero in %zu of %zu candidate runs",
					 nonzero, s->n[1]);
	} else {
		row->verdict = s->n[0] && row->value[0] != 0 ? GATE_IMPROVED : GATE_NO_CHANGE;
		return 0;
	}
	return row->note ? 0 : compare_oom(c);
}

static int compare_judge_check(struct compare_ctx *c, const struct compare_series *s,
			       struct gate_row *row)
{
	row->direction = DIR_LOWER_IS_BETTER;
	for (int side = 0; side < 2; side++) {
		row->n[side] = s->n[side];
		row->value[side] = s->n[side] ? (double)s->fails[side] : NAN;
	}
	if (!s->n[1]) {
		row->verdict = GATE_NOT_ENOUGH_DATA;
		row->note = compare_note("no candidate run has this check");
	} else if (s->fails[1]) {
		row->verdict = GATE_FAILED;
		row->note = compare_note("correctness: failed in %zu of %zu candidate runs%s%s",
					 s->fails[1], s->n[1], s->reason ? ": " : "",
					 s->reason ? s->reason : "");
	} else {
		row->verdict = s->fails[0] ? GATE_IMPROVED : GATE_NO_CHANGE;
		return 0;
	}
	return row->note ? 0 : compare_oom(c);
}

/* One run a side: the samples within each run stand in for repeats, when there are some. */
static int compare_judge_per_run(struct compare_ctx *c, const struct compare_series *s,
				 struct gate_row *row, bool *judged)
{
	double *smp[2] = { NULL, NULL };
	size_t n[2] = { 0, 0 };
	int ret;

	*judged = false;
	ret = compare_run_samples(c, s->run[0][0], s->name, &smp[0], &n[0]);
	if (!ret)
		ret = compare_run_samples(c, s->run[1][0], s->name, &smp[1], &n[1]);
	if (!ret && n[0] && n[1] && (n[0] > 1 || n[1] > 1)) {
		*judged = true;
		row->per_run_samples = true;	/* gate_judge() says so in the note */
		ret = gate_judge(&row->params, row->direction, smp[0], n[0], smp[1], n[1], row);
		if (ret == -ENOMEM)
			ret = compare_oom(c);
	}
	free(smp[0]);
	free(smp[1]);
	return ret;
}

static int compare_judge_metric(struct compare_ctx *c, const struct compare_series *s,
				struct gate_row *row)
{
	bool judged = false;
	int ret;

	gate_rules_for(c->rules, s->name, &row->params);
	row->direction = row->params.direction >= 0 ?
			 (enum metric_direction)row->params.direction : s->dir;
	if (s->n[0] == 1 && s->n[1] == 1 && row->direction != DIR_INFO) {
		ret = compare_judge_per_run(c, s, row, &judged);
		if (ret || judged)
			return ret;
	}
	ret = gate_judge(&row->params, row->direction, s->v[0], s->n[0], s->v[1], s->n[1], row);
	return ret == -ENOMEM ? compare_oom(c) : ret;
}

static int compare_add_note(struct compare_ctx *c, char *note)
{
	struct gate_report *g = c->g;

	if (!note ||
	    !compare_grow((void **)&g->notes, &c->capnotes, g->nnotes, sizeof(*g->notes))) {
		free(note);
		return compare_oom(c);
	}
	g->notes[g->nnotes++] = note;
	return 0;
}

/* The rows of config @k, judged. */
static int compare_config_rows(struct compare_ctx *c, size_t k)
{
	int ret = 0;

	for (size_t i = 0; i < c->nseries && !ret; i++) {
		const struct compare_series *s = &c->series[i];
		struct gate_row *row;

		if (s->cfg != k)
			continue;
		row = compare_new_row(c, k, s);
		if (!row)
			return compare_oom(c);
		gate_rules_for(c->rules, s->name, &row->params);
		if (s->kind == GATE_ROW_CORRECTNESS)
			ret = compare_judge_correctness(c, s, row);
		else if (s->kind == GATE_ROW_CHECK)
			ret = compare_judge_check(c, s, row);
		else
			ret = compare_judge_metric(c, s, row);
	}
	return ret;
}

/* Nothing in common: the error names a few configs of each side. */
static int compare_nothing_in_common(struct compare_ctx *c)
{
	struct gate_report *g = c->g;
	struct strbuf list = STRBUF_INIT;
	int ret;

	for (int side = 0; side < 2; side++) {
		size_t shown = 0;

		strbuf_addstr(&list, side ? "; candidate: " : "baseline: ");
		for (size_t k = 0; k < g->nconfigs; k++) {
			if (!g->configs[k].runs[side] && !g->configs[k].unusable[side])
				continue;
			if (shown++ < COMPARE_MAX_CONFIGS_SHOWN)
				strbuf_addf(&list, "%s%s", shown > 1 ? ", " : "",
					    g->configs[k].display);
		}
		if (shown > COMPARE_MAX_CONFIGS_SHOWN)
			strbuf_addf(&list, " and %zu more", shown - COMPARE_MAX_CONFIGS_SHOWN);
	}
	ret = errf(c->err, c->errlen, -ENODATA,
		   "baseline '%s' and candidate '%s' have no config (scenario and run parameters) "
		   "in common: nothing to compare (%s)",
		   g->baseline, g->candidate, list.failed ? "out of memory" : list.buf);
	strbuf_release(&list);
	return ret;
}

static int compare_build_rows(struct compare_ctx *c)
{
	struct gate_report *g = c->g;
	size_t common = 0;
	int ret = 0;

	for (size_t k = 0; k < g->nconfigs && !ret; k++) {
		const struct gate_config *cfg = &g->configs[k];
		size_t all0 = cfg->runs[0] + cfg->unusable[0];
		size_t all1 = cfg->runs[1] + cfg->unusable[1];
		char *note;

		if (!all0 || !all1) {
			note = compare_note("%s: runs only in the %s ('%s'), not compared",
					    cfg->display, all0 ? "baseline" : "candidate",
					    all0 ? g->baseline : g->candidate);
			ret = compare_add_note(c, note);
			continue;
		}
		common++;
		if (cfg->unusable[0] || cfg->unusable[1]) {
			note = compare_note("%s: %zu baseline and %zu candidate runs skipped or in "
					    "error, left out",
					    cfg->display, cfg->unusable[0], cfg->unusable[1]);
			ret = compare_add_note(c, note);
		}
		if (!ret)
			ret = compare_config_rows(c, k);
	}
	if (!ret && !common)
		ret = compare_nothing_in_common(c);
	/* every config's tests are one family: the gate's answer is about all of them */
	if (!ret && gate_adjust(g, c->rules->correction))
		ret = compare_oom(c);
	return ret;
}

/*
 * Both labels in one read, so both sides come from one snapshot of the
 * store; in insertion order, as runs of one second have random run ids.
 */
static int compare_read(struct compare_ctx *c)
{
	const char *labels[] = { c->g->baseline, c->g->candidate, NULL };
	struct store_query q = { .labels = labels, .insertion_order = true };
	char why[512] = "";
	size_t unreadable = 0;
	int ret;

	/* a run this binary cannot read back (a newer mmubench's) is left out, and said */
	q.unreadable = &unreadable;
	q.unreadable_why = why;
	q.unreadable_why_len = sizeof(why);
	ret = store_open_readonly(c->path, &c->store, c->err, c->errlen);
	if (!ret)
		ret = store_read(c->store, &q, compare_keep, c, c->err, c->errlen);
	if (!ret && unreadable)
		ret = compare_add_note(c, compare_note("%zu stored run%s of these labels could not "
						       "be read back and %s left out (first: %s)",
						       unreadable, unreadable == 1 ? "" : "s",
						       unreadable == 1 ? "is" : "are", why));
	if (!ret)
		ret = compare_load_side(c, 0, c->g->baseline);
	if (!ret)
		ret = compare_load_side(c, 1, c->g->candidate);
	return ret;
}

static void compare_ctx_release(struct compare_ctx *c)
{
	if (c->store)
		store_close(c->store);
	for (size_t i = 0; i < c->nrecs; i++)
		record_free(c->recs[i]);
	free(c->recs);
	free(c->runs);
	for (size_t i = 0; i < c->nseries; i++) {
		struct compare_series *s = &c->series[i];

		free(s->name);
		free(s->unit);
		free(s->reason);
		for (int k = 0; k < 2; k++) {
			free(s->v[k]);
			free(s->run[k]);
		}
	}
	free(c->series);
}

static char *compare_strdup(const char *s)
{
	return strdup(s ? s : "");
}

int gate_compare(const char *store_path, const char *baseline, const char *candidate,
		 const struct gate_rules *rules, struct gate_report **out,
		 char *err, size_t errlen)
{
	struct compare_ctx c = { .path = store_path, .rules = rules, .err = err, .errlen = errlen };
	struct gate_report *g;
	int ret;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return errf(err, errlen, -ENOMEM, "out of memory");
	c.g = g;
	g->baseline = compare_strdup(baseline);
	g->candidate = compare_strdup(candidate);
	g->store_path = compare_strdup(store_path);
	g->rules_source = compare_strdup(rules->source ? rules->source : "rules");
	g->defaults = rules->defaults;
	g->noverrides = rules->noverrides;
	if (!g->baseline || !g->candidate || !g->store_path || !g->rules_source)
		ret = compare_oom(&c);
	else
		ret = compare_read(&c);
	if (!ret)
		ret = compare_build_rows(&c);
	compare_ctx_release(&c);
	if (ret) {
		gate_report_free(g);
		return ret;
	}
	*out = g;
	return 0;
}

void gate_report_free(struct gate_report *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nconfigs; i++) {
		free(g->configs[i].key);
		free(g->configs[i].scenario);
		free(g->configs[i].display);
	}
	free(g->configs);
	for (size_t i = 0; i < g->nrows; i++) {
		free(g->rows[i].name);
		free(g->rows[i].unit);
		free(g->rows[i].note);
	}
	free(g->rows);
	for (size_t i = 0; i < g->nnotes; i++)
		free(g->notes[i]);
	free(g->notes);
	free(g->baseline);
	free(g->candidate);
	free(g->store_path);
	free(g->rules_source);
	free(g);
}

bool gate_report_failed(const struct gate_report *g)
{
	return g->count[GATE_REGRESSED] || g->count[GATE_FAILED];
}
