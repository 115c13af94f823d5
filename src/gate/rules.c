// SPDX-License-Identifier: GPL-2.0
/*
 * The gate's rules file (results/gate.rules documents the format), read
 * with the one INI reader: '#' comments anywhere, "file:line" in every
 * message, lists split by strlist_split().
 */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/gate/gate.h"
#include "src/lib/ini.h"
#include "src/lib/strlist.h"
#include "src/lib/util.h"

#define RULES_MAX_FILE	(1 << 20)

/* results/gate.rules, NUL-terminated (src/store/results_files.S) */
extern const char gate_rules_text[];

enum rules_section { RULES_NONE, RULES_DEFAULTS, RULES_METRICS, RULES_CORRECTNESS, RULES_CONFIG };

static const char *const rules_headers[] = {
	[RULES_DEFAULTS] = "[defaults]",
	[RULES_METRICS] = "[metrics]",
	[RULES_CORRECTNESS] = "[correctness]",
	[RULES_CONFIG] = "[config]",
};

/* What the INI callback carries from line to line. */
struct rules_parse {
	struct gate_rules *r;
	enum rules_section sec;
};

const char *gate_default_rules_text(void)
{
	return gate_rules_text;
}

const char *gate_test_name(enum gate_test t)
{
	return t == GATE_TEST_MANN_WHITNEY ? "mann-whitney" : "welch";
}

const char *gate_correction_name(enum gate_correction c)
{
	static const char *const names[] = {
		[GATE_CORRECT_NONE] = "none",
		[GATE_CORRECT_HOLM] = "holm",
		[GATE_CORRECT_BH] = "bh",
	};

	return (size_t)c < ARRAY_SIZE(names) ? names[c] : "?";
}

/* "correction = holm | bh | none" of [defaults]. */
static int rules_set_correction(struct gate_rules *r, const char *value, const char *where,
				char *err, size_t errlen)
{
	for (int c = GATE_CORRECT_NONE; c <= GATE_CORRECT_BH; c++) {
		if (!strcmp(value, gate_correction_name(c))) {
			r->correction = c;
			return 0;
		}
	}
	return errf(err, errlen, -EINVAL, "%s: correction '%s' is not one of: holm, bh, none",
		    where, value);
}

/* "alpha", "min_change" or "min_effect": a finite number in its range. */
static int rules_set_number(struct gate_params *p, unsigned int *set, const char *key,
			    const char *value, const char *where, char *err, size_t errlen)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(value, &end);
	if (errno || end == value || *end || !isfinite(d))
		return errf(err, errlen, -EINVAL, "%s: %s expects a number, not '%s'", where, key,
			    value);
	if (key[0] == 'a') {
		if (!(d > 0 && d < 1))
			return errf(err, errlen, -EINVAL,
				    "%s: alpha %s is not between 0 and 1 (e.g. 0.05)",
				    where, value);
		p->alpha = d;
		*set |= GATE_SET_ALPHA;
		return 0;
	}
	if (d < 0)
		return errf(err, errlen, -EINVAL, "%s: %s %s is negative (%s)", where, key, value,
			    key[4] == 'e' ? "pooled standard deviations, e.g. 1" :
			    "a percentage, e.g. 5");
	if (key[4] == 'e') {
		p->min_effect = d;
		*set |= GATE_SET_MIN_EFFECT;
		return 0;
	}
	p->min_change_pct = d;
	*set |= GATE_SET_MIN_CHANGE;
	return 0;
}

/* One "key = value" of [defaults] or of a [metrics] line. */
static int rules_set_param(struct gate_params *p, unsigned int *set, bool metric_line,
			   const char *key, const char *value, const char *where, char *err,
			   size_t errlen)
{
	enum metric_direction dir;
	uint64_t u;

	if (!strcmp(key, "test")) {
		if (!strcmp(value, "welch"))
			p->test = GATE_TEST_WELCH;
		else if (!strcmp(value, "mann-whitney"))
			p->test = GATE_TEST_MANN_WHITNEY;
		else
			return errf(err, errlen, -EINVAL,
				    "%s: test '%s' is not one of: welch, mann-whitney",
				    where, value);
		*set |= GATE_SET_TEST;
	} else if (!strcmp(key, "alpha") || !strcmp(key, "min_change") ||
		   !strcmp(key, "min_effect")) {
		return rules_set_number(p, set, key, value, where, err, errlen);
	} else if (!strcmp(key, "min_samples")) {
		if (parse_u64(value, &u) || u < 1 || u > 1000000)
			return errf(err, errlen, -EINVAL,
				    "%s: min_samples expects a whole number from 1, not '%s'",
				    where, value);
		p->min_samples = (unsigned int)u;
		*set |= GATE_SET_MIN_SAMPLES;
	} else if (metric_line && !strcmp(key, "correction")) {
		return errf(err, errlen, -EINVAL,
			    "%s: correction belongs to [defaults]: it adjusts the p values of the "
			    "whole comparison, not of one metric",
			    where);
	} else if (metric_line && !strcmp(key, "direction")) {
		if (metric_direction_parse(value, &dir))
			return errf(err, errlen, -EINVAL,
				    "%s: direction '%s' is not one of: lower, higher, info", where,
				    value);
		p->direction = dir;
		*set |= GATE_SET_DIRECTION;
	} else {
		return errf(err, errlen, -EINVAL,
			    "%s: unknown key '%s' (known: test, alpha, min_change, min_effect, "
			    "min_samples%s)",
			    where, key, metric_line ? ", direction" : ", correction");
	}
	return 0;
}

/* The "key = value, ..." after a [metrics] glob, into @o. */
static int rules_parse_pairs(struct gate_override *o, const char *pairs, const char *where,
			     char *err, size_t errlen)
{
	struct strlist items = STRLIST_INIT;
	int ret = strlist_split(&items, pairs, ",");

	for (size_t i = 0; i < items.n && !ret; i++) {
		char *eq = strchr(items.v[i], '=');

		if (!eq) {
			ret = errf(err, errlen, -EINVAL, "%s: expected key = value, not '%s'",
				   where, items.v[i]);
			break;
		}
		*eq = '\0';
		ret = rules_set_param(&o->p, &o->set, true, str_trim(items.v[i]), str_trim(eq + 1),
				      where, err, errlen);
	}
	strlist_free(&items);
	return ret;
}

/* "GLOB: key = value, key = value" of [metrics]. */
static int rules_parse_override(struct gate_rules *r, char *line, const char *where,
				char *err, size_t errlen)
{
	struct gate_override o = { .p = r->defaults }, *v;	/* fields not in o.set unused */
	char *colon = strchr(line, ':'), *glob;
	int ret;

	if (!colon)
		return errf(err, errlen, -EINVAL,
			    "%s: expected 'GLOB: key = value, ...' in [metrics]", where);
	*colon = '\0';
	glob = str_trim(line);
	if (!*glob)
		return errf(err, errlen, -EINVAL, "%s: no metric name or glob before ':'", where);
	ret = rules_parse_pairs(&o, colon + 1, where, err, errlen);
	if (ret)
		return ret;
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

/* A list value: replaces what the list held (the last line wins, as for any key). */
static int rules_set_list(struct strlist *l, const char *value)
{
	strlist_free(l);
	return strlist_split(l, value, ",");
}

static int rules_header(struct rules_parse *rp, const struct ini_line *l, char *err,
			size_t errlen)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules_headers); i++) {
		if (rules_headers[i] && !strcmp(l->text, rules_headers[i])) {
			rp->sec = i;
			return 0;
		}
	}
	return errf(err, errlen, -EINVAL,
		    "%s: unknown section '%s' (known: [defaults], [metrics], [correctness], "
		    "[config])",
		    l->where, l->text);
}

/* A "key = value" line of [defaults], [correctness] or [config]. */
static int rules_key(struct rules_parse *rp, const struct ini_line *l, char *err, size_t errlen)
{
	struct gate_rules *r = rp->r;
	unsigned int dummy = 0;

	switch (rp->sec) {
	case RULES_DEFAULTS:
		if (!strcmp(l->key, "direction"))
			return errf(err, errlen, -EINVAL,
				    "%s: direction belongs to [metrics] lines, not [defaults] (the "
				    "store has each metric's)",
				    l->where);
		if (!strcmp(l->key, "correction"))
			return rules_set_correction(r, l->value, l->where, err, errlen);
		return rules_set_param(&r->defaults, &dummy, false, l->key, l->value, l->where,
				       err, errlen);
	case RULES_CORRECTNESS:
		if (!strcmp(l->key, "metrics"))
			return rules_set_list(&r->correctness_metrics, l->value);
		if (!strcmp(l->key, "checks"))
			return rules_set_list(&r->correctness_checks, l->value);
		return errf(err, errlen, -EINVAL,
			    "%s: unknown key '%s' in [correctness] (known: metrics, checks)",
			    l->where, l->key);
	case RULES_CONFIG:
		if (!strcmp(l->key, "ignore_params"))
			return rules_set_list(&r->ignore_params, l->value);
		return errf(err, errlen, -EINVAL,
			    "%s: unknown key '%s' in [config] (known: ignore_params)", l->where,
			    l->key);
	default:
		return 0;
	}
}

static int rules_line(const struct ini_line *l, void *arg, char *err, size_t errlen)
{
	struct rules_parse *rp = arg;
	int ret;

	if (l->header)
		return rules_header(rp, l, err, errlen);
	if (rp->sec == RULES_METRICS)
		ret = rules_parse_override(rp->r, l->text, l->where, err, errlen);
	else if (rp->sec == RULES_NONE)
		ret = errf(err, errlen, -EINVAL, "%s: '%s' before any [section]", l->where,
			   l->text);
	else if (!l->key)
		ret = errf(err, errlen, -EINVAL, "%s: expected key = value, not '%s'", l->where,
			   l->text);
	else
		ret = rules_key(rp, l, err, errlen);
	if (ret == -ENOMEM)
		errf(err, errlen, ret, "%s: out of memory", l->where);
	return ret;
}

int gate_rules_parse(const char *text, const char *source, struct gate_rules *out,
		     char *err, size_t errlen)
{
	struct rules_parse rp = { .r = out, .sec = RULES_NONE };

	memset(out, 0, sizeof(*out));
	out->defaults = (struct gate_params){
		.test = GATE_TEST_WELCH, .alpha = 0.05, .min_change_pct = 5, .min_effect = 1,
		.min_samples = 3, .direction = -1,
	};
	out->correction = GATE_CORRECT_HOLM;
	out->source = strdup(source ? source : "rules");
	if (!out->source)
		return errf(err, errlen, -ENOMEM, "%s: out of memory", source);
	return ini_parse(text, out->source, INI_HASH_COMMENTS, rules_line, &rp, err, errlen);
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
	if (len > RULES_MAX_FILE) {
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
		if (o->set & GATE_SET_MIN_EFFECT)
			out->min_effect = o->p.min_effect;
		if (o->set & GATE_SET_MIN_SAMPLES)
			out->min_samples = o->p.min_samples;
		if (o->set & GATE_SET_DIRECTION)
			out->direction = o->p.direction;
	}
}
