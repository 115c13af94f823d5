// SPDX-License-Identifier: GPL-2.0
/*
 * The gate: baseline label against candidate label, metric by metric and
 * config by config (see gate.h for the rule, results/gate.rules for the
 * rules file). Reads the results store directly with SQLite, read-only;
 * store.c only writes.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "kselftest.h"

#include "src/gate/gate.h"
#include "src/stats/hist_stats.h"
#include "src/lib/options.h"
#include "workloads/catalog.h"
#include "src/stats/signif.h"
#include "src/store/store.h"
#include "src/lib/util.h"

#define GATE_BUSY_TIMEOUT_MS	30000
#define GATE_MAX_LABELS_SHOWN	12

/* results/gate.rules, NUL-terminated (src/store/schema.S) */
extern const char gate_rules_text[];

const char *gate_default_rules_text(void)
{
	return gate_rules_text;
}

/* ------------------------------------------------------------------------ */
/* Small helpers */

/* A growing string; @oom sticks once an allocation failed. */
struct gbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void gbuf_printf(struct gbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void gbuf_printf(struct gbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += n;
			return;
		}
		size_t cap = (b->cap ? b->cap * 2 : 128) + n;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

/* The string (malloc'ed, owned by the caller now), or NULL if anything failed. */
static char *gbuf_take(struct gbuf *b)
{
	char *s = b->oom ? NULL : b->s ? b->s : strdup("");

	if (b->oom)
		free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

static char *gate_strdup(const char *s)
{
	return strdup(s ? s : "");
}

/* A malloc'ed formatted string, or NULL. */
static char *gate_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *gate_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* Grows *@v (of @size-byte elements) to hold @n + 1; returns false on ENOMEM. */
static bool gate_grow(void **v, size_t *cap, size_t n, size_t size)
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

static char *gate_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

const char *gate_test_name(enum gate_test t)
{
	return t == GATE_TEST_MANN_WHITNEY ? "mann-whitney" : "welch";
}

const char *gate_verdict_name(enum gate_verdict v)
{
	static const char *const names[GATE_NVERDICTS] = {
		[GATE_NO_CHANGE] = "no change",
		[GATE_IMPROVED] = "improved",
		[GATE_REGRESSED] = "regressed",
		[GATE_NOT_ENOUGH_DATA] = "not enough data",
		[GATE_FAILED] = "FAILED",
		[GATE_INFO] = "info",
	};

	return v < GATE_NVERDICTS ? names[v] : "?";
}

/* ------------------------------------------------------------------------ */
/* Rules */

/* "a, b ,c" -> list (replacing what it held); empty items are dropped. */
static int gate_parse_list(const char *value, struct strlist *l)
{
	char *copy = strdup(value), *tok, *save = NULL;

	if (!copy)
		return -ENOMEM;
	strlist_free(l);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *item = gate_trim(tok), **v;

		if (!*item)
			continue;
		v = realloc(l->v, (l->n + 1) * sizeof(*v));
		if (!v || !(v[l->n] = strdup(item))) {
			if (v)
				l->v = v;
			free(copy);
			return -ENOMEM;
		}
		l->v = v;
		l->n++;
	}
	free(copy);
	return 0;
}

/* One "key = value" of [defaults] or of a [metrics] line. */
static int gate_set_param(struct gate_params *p, unsigned int *set, bool metric_line,
			  const char *key, const char *value, const char *where, char *err,
			  size_t errlen)
{
	uint64_t u;
	double d;
	char *end;

	if (!strcmp(key, "test")) {
		if (!strcmp(value, "welch"))
			p->test = GATE_TEST_WELCH;
		else if (!strcmp(value, "mann-whitney"))
			p->test = GATE_TEST_MANN_WHITNEY;
		else
			return errf(err, errlen, -EINVAL,
				    "%s: test '%s' is not one of: welch, mann-whitney", where, value);
		*set |= GATE_SET_TEST;
	} else if (!strcmp(key, "alpha") || !strcmp(key, "min_change")) {
		errno = 0;
		d = strtod(value, &end);
		if (errno || end == value || *end || !isfinite(d))
			return errf(err, errlen, -EINVAL, "%s: %s expects a number, not '%s'",
				    where, key, value);
		if (key[0] == 'a') {
			if (!(d > 0 && d < 1))
				return errf(err, errlen, -EINVAL,
					    "%s: alpha %s is not between 0 and 1 (e.g. 0.05)", where, value);
			p->alpha = d;
			*set |= GATE_SET_ALPHA;
		} else {
			if (d < 0)
				return errf(err, errlen, -EINVAL,
					    "%s: min_change %s is negative (a percentage, e.g. 5)",
					    where, value);
			p->min_change_pct = d;
			*set |= GATE_SET_MIN_CHANGE;
		}
	} else if (!strcmp(key, "min_samples")) {
		if (parse_u64(value, &u) || u < 1 || u > 1000000)
			return errf(err, errlen, -EINVAL,
				    "%s: min_samples expects a whole number from 1, not '%s'",
				    where, value);
		p->min_samples = (unsigned int)u;
		*set |= GATE_SET_MIN_SAMPLES;
	} else if (metric_line && !strcmp(key, "direction")) {
		if (!strcmp(value, "lower"))
			p->direction = DIR_LOWER_IS_BETTER;
		else if (!strcmp(value, "higher"))
			p->direction = DIR_HIGHER_IS_BETTER;
		else if (!strcmp(value, "info"))
			p->direction = DIR_INFO;
		else
			return errf(err, errlen, -EINVAL,
				    "%s: direction '%s' is not one of: lower, higher, info", where,
				    value);
		*set |= GATE_SET_DIRECTION;
	} else {
		return errf(err, errlen, -EINVAL,
			    "%s: unknown key '%s' (known: test, alpha, min_change, min_samples%s)",
			    where, key, metric_line ? ", direction" : "");
	}
	return 0;
}

/* "GLOB: key = value, key = value" of [metrics]. */
static int gate_parse_override(struct gate_rules *r, char *line, const char *where,
			       char *err, size_t errlen)
{
	char *colon = strchr(line, ':'), *glob, *tok, *save = NULL;
	struct gate_override o = { .p = r->defaults }, *v;	/* fields not in o.set unused */
	int ret;

	if (!colon)
		return errf(err, errlen, -EINVAL,
			    "%s: expected 'GLOB: key = value, ...' in [metrics]", where);
	*colon = '\0';
	glob = gate_trim(line);
	if (!*glob)
		return errf(err, errlen, -EINVAL, "%s: no metric name or glob before ':'", where);
	for (tok = strtok_r(colon + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			return errf(err, errlen, -EINVAL, "%s: expected key = value, not '%s'",
				    where, gate_trim(tok));
		*eq = '\0';
		ret = gate_set_param(&o.p, &o.set, true, gate_trim(tok), gate_trim(eq + 1), where,
				     err, errlen);
		if (ret)
			return ret;
	}
	if (!o.set)
		return errf(err, errlen, -EINVAL, "%s: no key = value after '%s:'", where, glob);
	v = realloc(r->overrides, (r->noverrides + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->overrides = v;
	o.glob = strdup(glob);
	if (!o.glob)
		return -ENOMEM;
	r->overrides[r->noverrides++] = o;
	return 0;
}

int gate_rules_parse(const char *text, const char *source, struct gate_rules *out,
		     char *err, size_t errlen)
{
	enum { SEC_NONE, SEC_DEFAULTS, SEC_METRICS, SEC_CORRECTNESS, SEC_CONFIG } sec = SEC_NONE;
	char *copy, *line, *next, where[512];
	unsigned int lineno = 0, dummy;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->defaults = (struct gate_params){
		.test = GATE_TEST_WELCH, .alpha = 0.05, .min_change_pct = 5, .min_samples = 3,
		.direction = -1,
	};
	out->source = strdup(source ? source : "rules");
	copy = strdup(text ? text : "");
	if (!out->source || !copy) {
		free(copy);
		return errf(err, errlen, -ENOMEM, "%s: out of memory", source);
	}
	for (line = copy; line && !ret; line = next) {
		char *hash, *s, *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		snprintf(where, sizeof(where), "%s:%u", out->source, lineno);
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		s = gate_trim(line);
		if (!*s)
			continue;
		if (*s == '[') {
			if (!strcmp(s, "[defaults]"))
				sec = SEC_DEFAULTS;
			else if (!strcmp(s, "[metrics]"))
				sec = SEC_METRICS;
			else if (!strcmp(s, "[correctness]"))
				sec = SEC_CORRECTNESS;
			else if (!strcmp(s, "[config]"))
				sec = SEC_CONFIG;
			else
				ret = errf(err, errlen, -EINVAL,
					   "%s: unknown section '%s' (known: [defaults], [metrics], [correctness], [config])",
					   where, s);
			continue;
		}
		if (sec == SEC_METRICS) {
			ret = gate_parse_override(out, s, where, err, errlen);
			continue;
		}
		eq = strchr(s, '=');
		if (sec == SEC_NONE || !eq) {
			ret = errf(err, errlen, -EINVAL, sec == SEC_NONE ?
				   "%s: '%s' before any [section]" : "%s: expected key = value, not '%s'",
				   where, s);
			continue;
		}
		*eq = '\0';
		char *key = gate_trim(s), *value = gate_trim(eq + 1);

		switch (sec) {
		case SEC_DEFAULTS:
			if (!strcmp(key, "direction"))
				ret = errf(err, errlen, -EINVAL,
					   "%s: direction belongs to [metrics] lines, not [defaults] (the store has each metric's)",
					   where);
			else
				ret = gate_set_param(&out->defaults, &dummy, false, key, value, where,
						     err, errlen);
			break;
		case SEC_CORRECTNESS:
			if (!strcmp(key, "metrics"))
				ret = gate_parse_list(value, &out->correctness_metrics);
			else if (!strcmp(key, "checks"))
				ret = gate_parse_list(value, &out->correctness_checks);
			else
				ret = errf(err, errlen, -EINVAL,
					   "%s: unknown key '%s' in [correctness] (known: metrics, checks)",
					   where, key);
			break;
		case SEC_CONFIG:
			if (!strcmp(key, "ignore_params"))
				ret = gate_parse_list(value, &out->ignore_params);
			else
				ret = errf(err, errlen, -EINVAL,
					   "%s: unknown key '%s' in [config] (known: ignore_params)",
					   where, key);
			break;
		default:
			break;
		}
		if (ret == -ENOMEM)
			errf(err, errlen, ret, "%s: out of memory", where);
	}
	free(copy);
	return ret;
}

int gate_rules_load(const char *path, struct gate_rules *out, char *err, size_t errlen)
{
	FILE *f;
	char *text;
	long len;
	int ret;

	if (!path)
		return gate_rules_parse(gate_rules_text, "built-in", out, err, errlen);
	memset(out, 0, sizeof(*out));
	f = fopen(path, "r");
	if (!f)
		return errf(err, errlen, -errno, "rules %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		ret = -errno;
		fclose(f);
		return errf(err, errlen, ret, "rules %s: %s", path, strerror(-ret));
	}
	if (len > (1 << 20)) {
		fclose(f);
		return errf(err, errlen, -EFBIG, "rules %s: larger than 1 MiB: not a rules file",
			    path);
	}
	text = calloc(1, len + 1);
	if (!text) {
		fclose(f);
		return errf(err, errlen, -ENOMEM, "rules %s: out of memory", path);
	}
	if (fread(text, 1, len, f) != (size_t)len || ferror(f)) {
		ret = ferror(f) ? -EIO : -EINVAL;
		free(text);
		fclose(f);
		return errf(err, errlen, ret, "rules %s: cannot read it", path);
	}
	fclose(f);
	if (strlen(text) != (size_t)len) {
		free(text);
		return errf(err, errlen, -EINVAL, "rules %s: contains NUL bytes: not a rules file",
			    path);
	}
	ret = gate_rules_parse(text, path, out, err, errlen);
	free(text);
	return ret;
}

void gate_rules_free(struct gate_rules *r)
{
	for (size_t i = 0; i < r->noverrides; i++)
		free(r->overrides[i].glob);
	free(r->overrides);
	free(r->source);
	strlist_free(&r->correctness_metrics);
	strlist_free(&r->correctness_checks);
	strlist_free(&r->ignore_params);
	memset(r, 0, sizeof(*r));
}

void gate_rules_for(const struct gate_rules *r, const char *name, struct gate_params *out)
{
	*out = r->defaults;
	for (size_t i = 0; i < r->noverrides; i++) {
		const struct gate_override *o = &r->overrides[i];

		if (fnmatch(o->glob, name, 0))
			continue;
		if (o->set & GATE_SET_TEST)
			out->test = o->p.test;
		if (o->set & GATE_SET_ALPHA)
			out->alpha = o->p.alpha;
		if (o->set & GATE_SET_MIN_CHANGE)
			out->min_change_pct = o->p.min_change_pct;
		if (o->set & GATE_SET_MIN_SAMPLES)
			out->min_samples = o->p.min_samples;
		if (o->set & GATE_SET_DIRECTION)
			out->direction = o->p.direction;
	}
}

/* ------------------------------------------------------------------------ */
/* Configs */

/* ------------------------------------------------------------------------ */
/* Judging one metric */

static double gate_center(enum gate_test t, const double *v, size_t n)
{
	if (!n)
		return NAN;
	return t == GATE_TEST_MANN_WHITNEY ? stats_median(v, n) : stats_mean(v, n);
}

static double gate_change_pct(double base, double cand)
{
	if (!isfinite(base) || !isfinite(cand))
		return NAN;
	if (base == 0)
		return cand == 0 ? 0 : copysign(INFINITY, cand);
	return (cand - base) / fabs(base) * 100;
}

int gate_judge(const struct gate_params *p, enum metric_direction dir,
	       const double *base, size_t nb, const double *cand, size_t nc,
	       struct gate_row *row)
{
	struct stats_test_result res;
	double change, minp;
	bool bad;
	int ret;

	row->n[0] = nb;
	row->n[1] = nc;
	row->value[0] = gate_center(p->test, base, nb);
	row->value[1] = gate_center(p->test, cand, nc);
	row->change_pct = change = gate_change_pct(row->value[0], row->value[1]);
	row->p = NAN;
	row->note = NULL;
	if (dir == DIR_INFO) {
		row->verdict = GATE_INFO;
		return 0;
	}
	row->verdict = GATE_NOT_ENOUGH_DATA;
	if (nb < p->min_samples || nc < p->min_samples) {
		row->note = gate_asprintf("%zu baseline and %zu candidate samples; the rule needs %u a side",
					  nb, nc, p->min_samples);
		return row->note ? 0 : -ENOMEM;
	}
	if (p->test == GATE_TEST_WELCH) {
		if (nb < 2 || nc < 2) {
			row->note = gate_asprintf("Welch's t-test needs 2 samples a side, has %zu and %zu",
						  nb, nc);
			return row->note ? 0 : -ENOMEM;
		}
		ret = stats_welch(base, nb, cand, nc, &res);
	} else {
		minp = stats_mann_whitney_min_p(nb, nc);
		if (minp >= p->alpha) {
			row->note = gate_asprintf("Mann-Whitney cannot reach p < %g with %zu and %zu samples (at best p = %.3g)",
						  p->alpha, nb, nc, minp);
			return row->note ? 0 : -ENOMEM;
		}
		ret = stats_mann_whitney(base, nb, cand, nc, &res);
	}
	if (ret)
		return ret;
	row->p = res.p;
	bad = (dir == DIR_LOWER_IS_BETTER && change > 0) ||
	      (dir == DIR_HIGHER_IS_BETTER && change < 0);
	if (res.p < p->alpha && change != 0 && fabs(change) >= p->min_change_pct) {
		row->verdict = bad ? GATE_REGRESSED : GATE_IMPROVED;
	} else {
		row->verdict = GATE_NO_CHANGE;
		if (res.p < p->alpha && isfinite(change)) {
			row->note = gate_asprintf("significant, but %+.1f%% is within the %g%% minimum change",
						  change, p->min_change_pct);
			if (!row->note)
				return -ENOMEM;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Reading the store */

struct g_run {
	char *run_id;
	size_t cfg;
	int side;
};

/* The values of one metric (or check) of one config, per side, with the run each came from. */
struct g_series {
	size_t cfg;
	char *name, *unit;
	int kind;			/* enum gate_row_kind */
	enum metric_direction dir;
	double *v[2];
	size_t *run[2];			/* index into runs[] */
	size_t n[2], cap[2];
	size_t fails[2];		/* checks: runs where it failed */
	char *reason;			/* checks: first candidate failure reason */
};

struct g_ctx {
	sqlite3 *db;
	const char *path;
	const struct gate_rules *rules;
	struct gate_report *g;
	struct g_run *runs;
	size_t nruns, capruns;
	struct g_series *series;
	size_t nseries, capseries;
	size_t capconfigs, caprows, capnotes;
	char *err;
	size_t errlen;
};

static int g_sql_err(struct g_ctx *c, const char *what)
{
	return errf(c->err, c->errlen, -EIO, "store %s: %s: %s", c->path, what,
		    sqlite3_errmsg(c->db));
}

static int g_oom(struct g_ctx *c)
{
	return errf(c->err, c->errlen, -ENOMEM, "store %s: out of memory", c->path);
}

static int g_prepare(struct g_ctx *c, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK)
		return g_sql_err(c, "cannot read it");
	return 0;
}

static int g_open(struct g_ctx *c)
{
	sqlite3_stmt *st;
	struct stat sb;
	int rc, ret;

	if (stat(c->path, &sb)) {
		ret = -errno;
		return errf(c->err, c->errlen, ret,
			    "no results store at %s: %s (mmubench run stores its records there; --store FILE or $MMUBENCH_STORE)",
			    c->path, strerror(-ret));
	}
	rc = sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK)
		return c->db ? g_sql_err(c, "cannot open") : g_oom(c);
	sqlite3_busy_timeout(c->db, GATE_BUSY_TIMEOUT_MS);
	if (sqlite3_prepare_v2(c->db, "SELECT max(version) FROM schema_version", -1, &st,
			       NULL) != SQLITE_OK)
		return errf(c->err, c->errlen, -EINVAL,
			    "store %s: not an mmubench results store (%s)", c->path,
			    sqlite3_errmsg(c->db));
	rc = sqlite3_step(st);
	ret = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return g_sql_err(c, "cannot read the schema version");
	/* the tables the gate reads are the same in every version so far */
	if (ret < 1 || ret > STORE_SCHEMA_VERSION)
		return errf(c->err, c->errlen, -EPROTONOSUPPORT,
			    "store %s: schema version %d, this mmubench reads versions 1 to %d: use a newer mmubench",
			    c->path, ret, STORE_SCHEMA_VERSION);
	/* one snapshot for every read that follows */
	if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return g_sql_err(c, "cannot read it");
	return 0;
}

/* The labels in the store, for the message about a label without runs. */
static int g_no_such_label(struct g_ctx *c, const char *which, const char *label)
{
	struct gbuf b = { 0 };
	sqlite3_stmt *st;
	size_t shown = 0, more = 0;
	char *list;
	int ret;

	ret = g_prepare(c, "SELECT label, count(*) FROM runs GROUP BY label "
			"ORDER BY max(started_at) DESC, label", &st);
	if (ret)
		return ret;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *l = (const char *)sqlite3_column_text(st, 0);

		if (shown >= GATE_MAX_LABELS_SHOWN) {
			more++;
			continue;
		}
		gbuf_printf(&b, "%s%s%s%s (%d run%s)", shown ? ", " : "", l ? "'" : "",
			    l ? l : "no label", l ? "'" : "", sqlite3_column_int(st, 1),
			    sqlite3_column_int(st, 1) == 1 ? "" : "s");
		shown++;
	}
	sqlite3_finalize(st);
	if (more)
		gbuf_printf(&b, " and %zu more", more);
	list = gbuf_take(&b);
	ret = errf(c->err, c->errlen, -ENOENT, "no runs labelled '%s' (%s) in store %s; %s%s",
		   label, which, c->path, shown ? "labels there, newest first: " : "it has no runs",
		   shown && list ? list : "");
	free(list);
	/* one line, whatever the labels hold */
	for (char *p = c->err; p && *p; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
	return ret;
}

static int g_add_config(struct g_ctx *c, const char *key, const char *scenario,
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
	if (!gate_grow((void **)&g->configs, &c->capconfigs, g->nconfigs, sizeof(*g->configs)))
		return g_oom(c);
	cfg = &g->configs[g->nconfigs];
	memset(cfg, 0, sizeof(*cfg));
	cfg->key = strdup(key);
	cfg->scenario = strdup(scenario);
	cfg->display = config_display(scenario, params, &c->rules->ignore_params);
	g->nconfigs++;
	if (!cfg->key || !cfg->scenario || !cfg->display)
		return g_oom(c);
	*out = g->nconfigs - 1;
	return 0;
}

static struct g_series *g_find_series(struct g_ctx *c, size_t cfg, int kind, const char *name,
				      const char *unit, enum metric_direction dir)
{
	struct g_series *s;

	for (size_t i = 0; i < c->nseries; i++) {
		s = &c->series[i];
		if (s->cfg == cfg && s->kind == kind && !strcmp(s->name, name))
			return s;
	}
	if (!gate_grow((void **)&c->series, &c->capseries, c->nseries, sizeof(*c->series)))
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

static bool g_series_add(struct g_series *s, int side, double v, size_t run)
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

static enum metric_direction g_direction(const char *d)
{
	if (d && !strcmp(d, "lower"))
		return DIR_LOWER_IS_BETTER;
	if (d && !strcmp(d, "higher"))
		return DIR_HIGHER_IS_BETTER;
	return DIR_INFO;
}

/* The metrics and checks of run @ri. */
static int g_load_run(struct g_ctx *c, sqlite3_stmt *mst, sqlite3_stmt *cst, size_t ri)
{
	const struct g_run *r = &c->runs[ri];
	struct g_series *s;
	int rc;

	sqlite3_reset(mst);
	sqlite3_bind_text(mst, 1, r->run_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(mst)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(mst, 0);
		const char *unit = (const char *)sqlite3_column_text(mst, 1);
		const char *dir = (const char *)sqlite3_column_text(mst, 2);
		bool correct;

		if (!name)
			continue;
		correct = strlist_match(&c->rules->correctness_metrics, name);
		s = g_find_series(c, r->cfg, correct ? GATE_ROW_CORRECTNESS : GATE_ROW_METRIC,
				  name, unit, g_direction(dir));
		if (!s)
			return g_oom(c);
		if (sqlite3_column_type(mst, 3) == SQLITE_NULL)
			continue;	/* NaN: no value in this run */
		if (!g_series_add(s, r->side, sqlite3_column_double(mst, 3), ri))
			return g_oom(c);
	}
	if (rc != SQLITE_DONE)
		return g_sql_err(c, "cannot read metrics");

	sqlite3_reset(cst);
	sqlite3_bind_text(cst, 1, r->run_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(cst)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(cst, 0);
		const char *status = (const char *)sqlite3_column_text(cst, 1);
		const char *reason = (const char *)sqlite3_column_text(cst, 2);
		bool failed = status && !strcmp(status, "fail");

		if (!name || !strlist_match(&c->rules->correctness_checks, name))
			continue;
		s = g_find_series(c, r->cfg, GATE_ROW_CHECK, name, "failed runs",
				  DIR_LOWER_IS_BETTER);
		if (!s || !g_series_add(s, r->side, failed, ri))
			return g_oom(c);
		s->fails[r->side] += failed;
		if (failed && r->side == 1 && !s->reason && reason && !(s->reason = strdup(reason)))
			return g_oom(c);
	}
	if (rc != SQLITE_DONE)
		return g_sql_err(c, "cannot read checks");
	return 0;
}

/* Every run with @label on @side, their configs, metrics and checks. */
static int g_load_side(struct g_ctx *c, int side, const char *label)
{
	sqlite3_stmt *rst = NULL, *mst = NULL, *cst = NULL;
	size_t first = c->nruns;
	int rc, ret;

	ret = g_prepare(c, "SELECT run_id, scenario, status, params_json FROM runs "
			"WHERE label = ?1 ORDER BY started_at, rowid", &rst);
	if (!ret)
		ret = g_prepare(c, "SELECT name, unit, direction, value FROM metrics "
				"WHERE run_id = ?1 ORDER BY rowid", &mst);
	if (!ret)
		ret = g_prepare(c, "SELECT name, status, reason FROM checks "
				"WHERE run_id = ?1 ORDER BY rowid", &cst);
	if (ret)
		goto out;
	sqlite3_bind_text(rst, 1, label, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(rst)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(rst, 0);
		const char *scenario = (const char *)sqlite3_column_text(rst, 1);
		const char *status = (const char *)sqlite3_column_text(rst, 2);
		const char *pj = (const char *)sqlite3_column_text(rst, 3);
		struct json_object *params = json_tokener_parse(pj ? pj : "{}");
		bool usable = status && (!strcmp(status, "pass") || !strcmp(status, "fail"));
		char *key;
		size_t cfg = 0;

		c->g->runs[side]++;
		key = config_key(scenario, params, &c->rules->ignore_params);
		ret = key ? g_add_config(c, key, scenario ? scenario : "", params, &cfg) : g_oom(c);
		free(key);
		json_object_put(params);
		if (ret)
			goto out;
		if (!usable) {
			c->g->configs[cfg].unusable[side]++;
			continue;
		}
		c->g->configs[cfg].runs[side]++;
		if (!gate_grow((void **)&c->runs, &c->capruns, c->nruns, sizeof(*c->runs))) {
			ret = g_oom(c);
			goto out;
		}
		c->runs[c->nruns] = (struct g_run){ .run_id = strdup(id ? id : ""), .cfg = cfg,
						    .side = side };
		if (!c->runs[c->nruns++].run_id) {
			ret = g_oom(c);
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		ret = g_sql_err(c, "cannot read runs");
		goto out;
	}
	if (!c->g->runs[side]) {
		ret = g_no_such_label(c, side ? "candidate" : "baseline", label);
		goto out;
	}
	for (size_t i = first; i < c->nruns && !ret; i++)
		ret = g_load_run(c, mst, cst, i);
out:
	sqlite3_finalize(rst);
	sqlite3_finalize(mst);
	sqlite3_finalize(cst);
	return ret;
}

/* The samples recorded within run @ri for metric @name (NULLs left out). */
static int g_run_samples(struct g_ctx *c, size_t ri, const char *name, double **out, size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, ret;

	*out = NULL;
	*n = 0;
	ret = g_prepare(c, "SELECT value FROM metric_samples WHERE run_id = ?1 AND name = ?2 "
			"AND value IS NOT NULL ORDER BY idx", &st);
	if (ret)
		return ret;
	sqlite3_bind_text(st, 1, c->runs[ri].run_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!gate_grow((void **)out, &cap, *n, sizeof(double))) {
			sqlite3_finalize(st);
			return g_oom(c);
		}
		(*out)[(*n)++] = sqlite3_column_double(st, 0);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : g_sql_err(c, "cannot read metric samples");
}

static struct gate_row *g_new_row(struct g_ctx *c, size_t cfg, const struct g_series *s)
{
	struct gate_report *g = c->g;
	struct gate_row *row;

	if (!gate_grow((void **)&g->rows, &c->caprows, g->nrows, sizeof(*g->rows)))
		return NULL;
	row = &g->rows[g->nrows];
	memset(row, 0, sizeof(*row));
	row->config = cfg;
	row->kind = s->kind;
	row->name = strdup(s->name);
	row->unit = strdup(s->unit);
	row->change_pct = row->p = NAN;
	row->value[0] = row->value[1] = NAN;
	if (!row->name || !row->unit) {
		free(row->name);
		free(row->unit);
		return NULL;
	}
	g->nrows++;
	return row;
}

/* Correctness metric: the largest |value| of each run, its samples included. */
static int g_judge_correctness(struct g_ctx *c, const struct g_series *s, struct gate_row *row)
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

			ret = g_run_samples(c, s->run[side][i], s->name, &smp, &n);
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
		row->note = gate_asprintf("no candidate run reports it");
	} else if (nonzero) {
		row->verdict = GATE_FAILED;
		row->note = gate_asprintf("correctness: non-zero in %zu of %zu candidate runs",
					  nonzero, s->n[1]);
	} else {
		row->verdict = s->n[0] && row->value[0] != 0 ? GATE_IMPROVED : GATE_NO_CHANGE;
		return 0;
	}
	return row->note ? 0 : g_oom(c);
}

static int g_judge_check(struct g_ctx *c, const struct g_series *s, struct gate_row *row)
{
	row->direction = DIR_LOWER_IS_BETTER;
	for (int side = 0; side < 2; side++) {
		row->n[side] = s->n[side];
		row->value[side] = s->n[side] ? (double)s->fails[side] : NAN;
	}
	if (!s->n[1]) {
		row->verdict = GATE_NOT_ENOUGH_DATA;
		row->note = gate_asprintf("no candidate run has this check");
	} else if (s->fails[1]) {
		row->verdict = GATE_FAILED;
		row->note = gate_asprintf("correctness: failed in %zu of %zu candidate runs%s%s",
					  s->fails[1], s->n[1], s->reason ? ": " : "",
					  s->reason ? s->reason : "");
	} else {
		row->verdict = s->fails[0] ? GATE_IMPROVED : GATE_NO_CHANGE;
		return 0;
	}
	return row->note ? 0 : g_oom(c);
}

static int g_judge_metric(struct g_ctx *c, const struct g_series *s, struct gate_row *row)
{
	double *smp[2] = { NULL, NULL };
	size_t n[2] = { 0, 0 };
	char *note;
	int ret = 0;

	gate_rules_for(c->rules, s->name, &row->params);
	row->direction = row->params.direction >= 0 ? (enum metric_direction)row->params.direction :
			 s->dir;
	if (s->n[0] == 1 && s->n[1] == 1 && row->direction != DIR_INFO) {
		/* one run a side: the samples within each run stand in for repeats */
		ret = g_run_samples(c, s->run[0][0], s->name, &smp[0], &n[0]);
		if (!ret)
			ret = g_run_samples(c, s->run[1][0], s->name, &smp[1], &n[1]);
		if (!ret && n[0] && n[1] && (n[0] > 1 || n[1] > 1)) {
			row->per_run_samples = true;
			ret = gate_judge(&row->params, row->direction, smp[0], n[0], smp[1], n[1],
					 row);
			if (!ret) {
				note = gate_asprintf("one run a side: samples within each run, not repeats%s%s",
						     row->note ? "; " : "", row->note ? row->note : "");
				free(row->note);
				row->note = note;
				if (!note)
					ret = -ENOMEM;
			}
			free(smp[0]);
			free(smp[1]);
			return ret == -ENOMEM ? g_oom(c) : ret;
		}
		free(smp[0]);
		free(smp[1]);
		if (ret)
			return ret;
	}
	ret = gate_judge(&row->params, row->direction, s->v[0], s->n[0], s->v[1], s->n[1], row);
	return ret == -ENOMEM ? g_oom(c) : ret;
}

static int g_add_note(struct g_ctx *c, char *note)
{
	struct gate_report *g = c->g;

	if (!note || !gate_grow((void **)&g->notes, &c->capnotes, g->nnotes, sizeof(*g->notes))) {
		free(note);
		return g_oom(c);
	}
	g->notes[g->nnotes++] = note;
	return 0;
}

static int g_build_rows(struct g_ctx *c)
{
	struct gate_report *g = c->g;
	size_t common = 0;
	int ret = 0;

	for (size_t k = 0; k < g->nconfigs && !ret; k++) {
		const struct gate_config *cfg = &g->configs[k];
		size_t all0 = cfg->runs[0] + cfg->unusable[0], all1 = cfg->runs[1] + cfg->unusable[1];

		if (!all0 || !all1) {
			ret = g_add_note(c, gate_asprintf("%s: runs only in the %s ('%s'), not compared",
							  cfg->display, all0 ? "baseline" : "candidate",
							  all0 ? g->baseline : g->candidate));
			continue;
		}
		common++;
		if (cfg->unusable[0] || cfg->unusable[1])
			ret = g_add_note(c, gate_asprintf("%s: %zu baseline and %zu candidate runs skipped or in error, left out",
							  cfg->display, cfg->unusable[0],
							  cfg->unusable[1]));
		for (size_t i = 0; i < c->nseries && !ret; i++) {
			const struct g_series *s = &c->series[i];
			struct gate_row *row;

			if (s->cfg != k)
				continue;
			row = g_new_row(c, k, s);
			if (!row)
				return g_oom(c);
			gate_rules_for(c->rules, s->name, &row->params);
			if (s->kind == GATE_ROW_CORRECTNESS)
				ret = g_judge_correctness(c, s, row);
			else if (s->kind == GATE_ROW_CHECK)
				ret = g_judge_check(c, s, row);
			else
				ret = g_judge_metric(c, s, row);
			if (!ret)
				g->count[row->verdict]++;
		}
	}
	if (!ret && !common) {
		struct gbuf b = { 0 };
		char *list;

		for (int side = 0; side < 2; side++) {
			size_t shown = 0;

			gbuf_printf(&b, "%s", side ? "; candidate: " : "baseline: ");
			for (size_t k = 0; k < g->nconfigs; k++) {
				if (!g->configs[k].runs[side] && !g->configs[k].unusable[side])
					continue;
				if (shown++ < 3)
					gbuf_printf(&b, "%s%s", shown > 1 ? ", " : "",
						    g->configs[k].display);
			}
			if (shown > 3)
				gbuf_printf(&b, " and %zu more", shown - 3);
		}
		list = gbuf_take(&b);
		ret = errf(c->err, c->errlen, -ENODATA,
			   "baseline '%s' and candidate '%s' have no config (scenario and run parameters) in common: nothing to compare (%s)",
			   g->baseline, g->candidate, list ? list : "out of memory");
		free(list);
	}
	return ret;
}

int gate_compare(const char *store_path, const char *baseline, const char *candidate,
		 const struct gate_rules *rules, struct gate_report **out,
		 char *err, size_t errlen)
{
	struct g_ctx c = { .path = store_path, .rules = rules, .err = err, .errlen = errlen };
	struct gate_report *g;
	int ret;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return errf(err, errlen, -ENOMEM, "out of memory");
	c.g = g;
	g->baseline = gate_strdup(baseline);
	g->candidate = gate_strdup(candidate);
	g->store_path = gate_strdup(store_path);
	g->rules_source = gate_strdup(rules->source ? rules->source : "rules");
	g->defaults = rules->defaults;
	g->noverrides = rules->noverrides;
	if (!g->baseline || !g->candidate || !g->store_path || !g->rules_source) {
		ret = g_oom(&c);
		goto out;
	}
	ret = g_open(&c);
	if (!ret)
		ret = g_load_side(&c, 0, baseline);
	if (!ret)
		ret = g_load_side(&c, 1, candidate);
	if (!ret)
		ret = g_build_rows(&c);
out:
	if (c.db) {
		sqlite3_exec(c.db, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(c.db);
	}
	for (size_t i = 0; i < c.nruns; i++)
		free(c.runs[i].run_id);
	free(c.runs);
	for (size_t i = 0; i < c.nseries; i++) {
		struct g_series *s = &c.series[i];

		free(s->name);
		free(s->unit);
		free(s->reason);
		for (int k = 0; k < 2; k++) {
			free(s->v[k]);
			free(s->run[k]);
		}
	}
	free(c.series);
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

/* ------------------------------------------------------------------------ */
/* Output */

/* Text from the store on one line: control characters become '?' (and '#' too for KTAP). */
static char *gate_clean(const char *s, bool ktap)
{
	char *c = gate_strdup(s);

	for (char *p = c; p && *p; p++)
		if (iscntrl((unsigned char)*p) || (ktap && *p == '#'))
			*p = ktap && *p == '#' ? '_' : '?';
	return c;
}

static const char *gate_fmt_value(const struct gate_row *r, int side, char *buf, size_t len)
{
	if (isnan(r->value[side]))
		return "-";
	return record_format_value(r->value[side], buf, len);
}

static const char *gate_fmt_change(double c, char *buf, size_t len)
{
	if (isnan(c))
		return "-";
	if (isinf(c))
		return c > 0 ? "+inf" : "-inf";
	snprintf(buf, len, "%+.1f%%", c);
	return buf;
}

static const char *gate_fmt_p(double p, char *buf, size_t len)
{
	if (isnan(p))
		return "-";
	if (p < 0.0001)
		return "<0.0001";
	snprintf(buf, len, "%.4f", p);
	return buf;
}

enum { COL_NAME, COL_UNIT, COL_N, COL_BASE, COL_CAND, COL_CHANGE, COL_P, COL_VERDICT, NCOLS };

static const char *const gate_headers[NCOLS] = {
	"metric", "unit", "n", "baseline", "candidate", "change", "p", "verdict",
};

/* The cells of @r (malloc'ed strings; NULL on ENOMEM). */
static void gate_cells(const struct gate_row *r, char *cells[NCOLS])
{
	char a[32], b[32];

	cells[COL_NAME] = r->kind == GATE_ROW_CHECK ? gate_asprintf("check %s", r->name) :
			  gate_clean(r->name, false);
	cells[COL_UNIT] = gate_clean(r->unit, false);
	cells[COL_N] = gate_asprintf("%zu/%zu%s", r->n[0], r->n[1], r->per_run_samples ? "*" : "");
	cells[COL_BASE] = gate_strdup(gate_fmt_value(r, 0, a, sizeof(a)));
	cells[COL_CAND] = gate_strdup(gate_fmt_value(r, 1, a, sizeof(a)));
	cells[COL_CHANGE] = gate_strdup(r->kind == GATE_ROW_METRIC ?
					gate_fmt_change(r->change_pct, a, sizeof(a)) : "-");
	cells[COL_P] = gate_strdup(gate_fmt_p(r->p, b, sizeof(b)));
	cells[COL_VERDICT] = gate_strdup(gate_verdict_name(r->verdict));
}

void gate_print_table(FILE *out, const struct gate_report *g)
{
	char *base = gate_clean(g->baseline, false), *cand = gate_clean(g->candidate, false);
	bool any_samples = false;

	fprintf(out, "mmubench gate: candidate '%s' (%zu runs) against baseline '%s' (%zu runs), store %s\n",
		cand ? cand : "?", g->runs[1], base ? base : "?", g->runs[0], g->store_path);
	fprintf(out, "rules (%s): %s, alpha %g, min change %g%%, min samples %u, %zu per-metric override%s\n",
		g->rules_source, gate_test_name(g->defaults.test), g->defaults.alpha,
		g->defaults.min_change_pct, g->defaults.min_samples, g->noverrides,
		g->noverrides == 1 ? "" : "s");
	fprintf(out, "n: samples baseline/candidate, one per run; values: their mean (welch) or median (mann-whitney);\n"
		"correctness metrics: the largest value; checks: the number of runs where they failed\n");

	for (size_t k = 0; k < g->nconfigs; k++) {
		const struct gate_config *cfg = &g->configs[k];
		size_t w[NCOLS], nrows = 0;
		char *disp;

		for (int i = 0; i < NCOLS; i++)
			w[i] = strlen(gate_headers[i]);
		for (size_t i = 0; i < g->nrows; i++) {
			char *cells[NCOLS];

			if (g->rows[i].config != k)
				continue;
			nrows++;
			gate_cells(&g->rows[i], cells);
			for (int j = 0; j < NCOLS; j++) {
				if (cells[j] && strlen(cells[j]) > w[j])
					w[j] = strlen(cells[j]);
				free(cells[j]);
			}
		}
		if (!nrows)
			continue;
		disp = gate_clean(cfg->display, false);
		fprintf(out, "\n%s: %zu baseline run%s, %zu candidate run%s\n", disp ? disp : "?",
			cfg->runs[0], cfg->runs[0] == 1 ? "" : "s", cfg->runs[1],
			cfg->runs[1] == 1 ? "" : "s");
		free(disp);
		fprintf(out, " ");
		for (int j = 0; j < NCOLS; j++)
			fprintf(out, " %*s", j <= COL_UNIT ? -(int)w[j] : j == COL_VERDICT ? 0 : (int)w[j],
				gate_headers[j]);
		fprintf(out, "\n");
		for (size_t i = 0; i < g->nrows; i++) {
			const struct gate_row *r = &g->rows[i];
			char *cells[NCOLS], *note;

			if (r->config != k)
				continue;
			any_samples |= r->per_run_samples;
			gate_cells(r, cells);
			note = r->note ? gate_clean(r->note, false) : NULL;
			fprintf(out, " ");
			for (int j = 0; j < NCOLS; j++)
				fprintf(out, " %*s",
					j <= COL_UNIT ? -(int)w[j] :
					j == COL_VERDICT ? (note ? -(int)w[j] : 0) : (int)w[j],
					cells[j] ? cells[j] : "?");
			if (note)
				fprintf(out, "  (%s)", note);
			fprintf(out, "\n");
			free(note);
			for (int j = 0; j < NCOLS; j++)
				free(cells[j]);
		}
	}
	if (any_samples)
		fprintf(out, "\n* one run a side: the samples recorded within each run stand in for repeats\n");
	if (g->nnotes)
		fprintf(out, "\n");
	for (size_t i = 0; i < g->nnotes; i++) {
		char *n = gate_clean(g->notes[i], false);

		fprintf(out, "note: %s\n", n ? n : "?");
		free(n);
	}
	fprintf(out, "\ngate: %s: %zu regressed, %zu failed correctness; %zu improved, %zu no change, %zu not enough data, %zu info\n",
		gate_report_failed(g) ? "FAIL" : "PASS", g->count[GATE_REGRESSED],
		g->count[GATE_FAILED], g->count[GATE_IMPROVED], g->count[GATE_NO_CHANGE],
		g->count[GATE_NOT_ENOUGH_DATA], g->count[GATE_INFO]);
	fflush(out);
	free(base);
	free(cand);
}

void gate_print_ktap(const struct gate_report *g)
{
	char *base = gate_clean(g->baseline, true), *cand = gate_clean(g->candidate, true);

	fflush(stdout);
	/* kselftest.h counts in this file's statics: one document per call */
	memset(&ksft_cnt, 0, sizeof(ksft_cnt));
	ksft_plan = 0;
	ksft_print_header();
	ksft_set_plan(g->nrows);
	ksft_print_msg("mmubench gate: candidate '%s' against baseline '%s'; rules %s: %s, alpha %g, min change %g%%, min samples %u\n",
		       cand ? cand : "?", base ? base : "?", g->rules_source,
		       gate_test_name(g->defaults.test), g->defaults.alpha,
		       g->defaults.min_change_pct, g->defaults.min_samples);
	for (size_t i = 0; i < g->nnotes; i++) {
		char *n = gate_clean(g->notes[i], false);

		ksft_print_msg("note: %s\n", n ? n : "?");
		free(n);
	}
	for (size_t i = 0; i < g->nrows; i++) {
		const struct gate_row *r = &g->rows[i];
		char *cells[NCOLS], *disp = gate_clean(g->configs[r->config].display, true);
		char *note = r->note ? gate_clean(r->note, false) : NULL, *desc;

		gate_cells(r, cells);
		desc = gate_asprintf("%s: %s", disp ? disp : "?", cells[COL_NAME] ? cells[COL_NAME] : "?");
		free(disp);
		if (desc)
			for (char *p = desc; *p; p++)
				if (*p == '#')
					*p = '_';
		ksft_print_msg("%s: baseline %s, candidate %s %s (n %s), change %s, p %s%s%s\n",
			       cells[COL_NAME] ? cells[COL_NAME] : "?",
			       cells[COL_BASE] ? cells[COL_BASE] : "?",
			       cells[COL_CAND] ? cells[COL_CAND] : "?",
			       cells[COL_UNIT] ? cells[COL_UNIT] : "",
			       cells[COL_N] ? cells[COL_N] : "?",
			       cells[COL_CHANGE] ? cells[COL_CHANGE] : "-",
			       cells[COL_P] ? cells[COL_P] : "-", note ? ": " : "", note ? note : "");
		switch (r->verdict) {
		case GATE_REGRESSED:
		case GATE_FAILED:
			ksft_test_result_fail("%s %s\n", desc ? desc : "?",
					      gate_verdict_name(r->verdict));
			break;
		case GATE_NOT_ENOUGH_DATA:
			ksft_test_result_code(KSFT_SKIP, desc ? desc : "?", "not enough data%s%s",
					      note ? ": " : "", note ? note : "");
			break;
		default:
			ksft_test_result_pass("%s %s\n", desc ? desc : "?",
					      gate_verdict_name(r->verdict));
			break;
		}
		free(desc);
		free(note);
		for (int j = 0; j < NCOLS; j++)
			free(cells[j]);
	}
	ksft_print_cnts();
	fflush(stdout);
	free(base);
	free(cand);
}
