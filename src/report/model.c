// SPDX-License-Identifier: GPL-2.0
/*
 * The report's model (model.h): runs read whole through store_read(), then
 * groups, scenarios and configurations. Nothing here knows a scenario: the
 * parameters' order and formatting come from the catalog.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "src/lib/strbuf.h"
#include "src/lib/util.h"
#include "src/report/model.h"
#include "workloads/catalog.h"

int model_find(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return (int)i;
	return -1;
}

/* Index of @s in @l, added when new; -ENOMEM. */
static int model_add(struct strlist *l, const char *s)
{
	int i = model_find(l, s);

	if (i >= 0)
		return i;
	if (strlist_push(l, s))
		return -ENOMEM;
	return (int)l->n - 1;
}

static int model_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void model_sort(struct strlist *l)
{
	qsort(l->v, l->n, sizeof(*l->v), model_strcmp_p);
}

/* A string at @env[@k1] or @env[@k1][@k2], as the store files it (store.c). */
static const char *model_env(struct json_object *env, const char *k1, const char *k2)
{
	struct json_object *v;

	if (!env || !json_object_object_get_ex(env, k1, &v))
		return NULL;
	if (k2 && (!json_object_is_type(v, json_type_object) ||
		   !json_object_object_get_ex(v, k2, &v)))
		return NULL;
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static int model_take(struct record *r, void *arg)
{
	struct model *m = arg;
	struct model_run *run;
	const char *s;

	if (m->nruns == m->cap) {
		int cap = m->cap ? 2 * m->cap : 64;
		struct model_run *v = realloc(m->runs, cap * sizeof(*v));

		if (!v) {
			record_free(r);
			return -ENOMEM;
		}
		m->runs = v;
		m->cap = cap;
	}
	run = &m->runs[m->nruns++];
	memset(run, 0, sizeof(*run));
	run->rec = r;
	s = model_env(r->env, "kernel_release", NULL);
	run->kernel = s ? s : model_env(r->env, "kernel", "release");
	s = model_env(r->env, "hostname", NULL);
	s = s ? s : model_env(r->env, "host", NULL);
	s = s ? s : model_env(r->env, "host", "hostname");
	run->host = s ? s : model_env(r->env, "host", "name");
	run->charted = r->status == STATUS_PASS || r->status == STATUS_FAIL;
	run->config = -1;
	return 0;
}

int model_read(struct model *m, struct store *s, const struct store_query *q, char *err,
	       size_t errlen)
{
	int ret;

	if (errlen)
		err[0] = '\0';
	ret = store_read(s, q, model_take, m, err, errlen);
	if (ret == -ENOMEM && errlen && !err[0])
		errf(err, errlen, ret, "out of memory reading runs");
	return ret;
}

const struct metric *model_metric(const struct model_run *r, const char *name)
{
	for (size_t i = 0; i < r->rec->nmetrics; i++)
		if (!strcmp(r->rec->metrics[i].name, name))
			return &r->rec->metrics[i];
	return NULL;
}

const struct record_hist *model_hist(const struct model_run *r, const char *name)
{
	for (size_t i = 0; i < r->rec->nhists; i++)
		if (!strcmp(r->rec->hists[i].name, name))
			return &r->rec->hists[i];
	return NULL;
}

const char *model_group(const struct model *m, const struct model_run *r)
{
	return m->groups.v[r->group];
}

const char *model_config(const struct model *m, int scn, int config)
{
	return m->scns[scn].configs.v[config];
}

bool model_has_label(const struct model *m, const char *label)
{
	for (int i = 0; i < m->nruns; i++)
		if (m->runs[i].charted && m->runs[i].rec->label &&
		    !strcmp(m->runs[i].rec->label, label))
			return true;
	return false;
}

/* Labels split by kernel release when one label covers several. */
static int model_groups(struct model *m)
{
	struct strlist labels = STRLIST_INIT;
	const char **kernel = NULL;
	bool *multi = NULL;
	int ret = 0;

	for (int i = 0; i < m->nruns; i++)
		if (model_add(&labels, m->runs[i].rec->label ? m->runs[i].rec->label : "") < 0)
			ret = -ENOMEM;
	kernel = calloc(labels.n + 1, sizeof(*kernel));
	multi = calloc(labels.n + 1, sizeof(*multi));
	if (ret || !kernel || !multi) {
		ret = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < m->nruns; i++) {
		const struct model_run *r = &m->runs[i];
		int l = model_find(&labels, r->rec->label ? r->rec->label : "");
		const char *k = r->kernel ? r->kernel : "?";

		if (!kernel[l])
			kernel[l] = k;
		else if (strcmp(kernel[l], k))
			multi[l] = true;
	}
	for (int i = 0; i < m->nruns; i++) {
		struct model_run *r = &m->runs[i];
		int l = model_find(&labels, r->rec->label ? r->rec->label : "");
		char name[512];

		snprintf(name, sizeof(name), "%s%s%s", r->rec->label ? r->rec->label : "(no label)",
			 multi[l] ? " @ " : "", multi[l] ? (r->kernel ? r->kernel : "?") : "");
		r->group = model_add(&m->groups, name);
		if (r->group < 0) {
			ret = -ENOMEM;
			goto out;
		}
	}
out:
	free(kernel);
	free(multi);
	strlist_free(&labels);
	return ret;
}

/*
 * A parameter's value as text: strings bare, sizes (OPT_SIZE) as "1G",
 * doubles in the fewest digits that read back the same (0.1 whether it
 * came from a record or the catalog's defaults, 0.0), the rest as JSON.
 */
static void model_param_text(const struct scenario_desc *scn, const char *key,
			     struct json_object *v, char *buf, size_t len)
{
	const struct opt_desc *o = catalog_find_option(scn, key);

	if (!v) {
		snprintf(buf, len, "null");
	} else if (json_object_is_type(v, json_type_string)) {
		snprintf(buf, len, "%s", json_object_get_string(v));
	} else if (o && o->type == OPT_SIZE && json_object_is_type(v, json_type_int)) {
		format_size(json_object_get_uint64(v), buf, len);
	} else if (json_object_is_type(v, json_type_double)) {
		double d = json_object_get_double(v);

		for (int prec = 15; prec <= 17; prec++) {
			snprintf(buf, len, "%.*g", prec, d);
			if (strtod(buf, NULL) == d)
				break;
		}
		if (!strpbrk(buf, ".en") && strlen(buf) + 3 <= len)
			strcat(buf, ".0");	/* still a double, as JSON writes it */
	} else {
		snprintf(buf, len, "%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
}

/*
 * Where @key goes in a configuration's name: the scenario's options, then
 * the common ones, each in table order (what --help shows); others last.
 */
static int model_param_rank(const struct scenario_desc *scn, const char *key)
{
	int n = 0;

	for (const struct opt_desc *o = scn ? scn->options : NULL; o && o->name; o++, n++)
		if (!strcmp(o->name, key))
			return n;
	for (const struct opt_desc *o = run_common_options; o->name; o++, n++)
		if (!strcmp(o->name, key))
			return n;
	return n;
}

struct model_param {
	int rank;
	const char *key;
};

static int model_param_cmp(const void *a, const void *b)
{
	const struct model_param *x = a, *y = b;

	return x->rank != y->rank ? x->rank - y->rank : strcmp(x->key, y->key);
}

/* The value of @key in a run's config: its own, else the catalog's default (NULL: none). */
static struct json_object *model_value(struct json_object *cp, struct json_object *defs,
				       const char *key)
{
	struct json_object *v = NULL;

	if (json_object_object_get_ex(cp, key, &v))
		return v;
	if (defs && json_object_object_get_ex(defs, key, &v))
		return v;
	return NULL;
}

struct model_cfg {
	const char *name, *key;	/* of its first run */
};

static int model_cfg_cmp(const void *a, const void *b)
{
	const struct model_cfg *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->key, y->key);
}

/*
 * The configurations of scenario @s: each charted run's config key, and
 * a name made of the parameters that vary between them.
 */
static int model_configs(struct model *m, int s)
{
	struct model_scn *sc = &m->scns[s];
	struct json_object *defs = catalog_default_params(sc->desc), **cp;
	char **key, **name;
	struct strlist keys = STRLIST_INIT, seen = STRLIST_INIT;
	struct model_param *vary = NULL;
	struct model_cfg *cfgs = NULL;
	int nvary = 0, ncfgs = 0, ret = -ENOMEM;
	char val[256];

	cp = calloc(m->nruns + 1, sizeof(*cp));
	key = calloc(m->nruns + 1, sizeof(*key));
	name = calloc(m->nruns + 1, sizeof(*name));
	if (!cp || !key || !name)
		goto out;
	for (int i = 0; i < m->nruns; i++) {
		struct record *r = m->runs[i].rec;

		if (m->runs[i].scn != s || !m->runs[i].charted)
			continue;
		cp[i] = config_params(sc->name, r->params, NULL);
		key[i] = config_key(sc->name, r->params, NULL);
		if (!cp[i] || !key[i])
			goto out;
		json_object_object_foreach(cp[i], k, v) {
			(void)v;
			if (model_add(&keys, k) < 0)
				goto out;
		}
	}
	vary = calloc(keys.n + 1, sizeof(*vary));
	if (!vary)
		goto out;
	for (size_t k = 0; k < keys.n; k++) {
		struct strlist vals = STRLIST_INIT;
		bool oom = false;

		for (int i = 0; i < m->nruns && !oom; i++) {
			if (!cp[i])
				continue;
			model_param_text(sc->desc, keys.v[k], model_value(cp[i], defs, keys.v[k]),
					 val, sizeof(val));
			oom = model_add(&vals, val) < 0;
		}
		if (vals.n > 1)
			vary[nvary++] = (struct model_param){
				model_param_rank(sc->desc, keys.v[k]), keys.v[k] };
		strlist_free(&vals);
		if (oom)
			goto out;
	}
	qsort(vary, nvary, sizeof(*vary), model_param_cmp);

	cfgs = calloc(m->nruns + 1, sizeof(*cfgs));
	if (!cfgs)
		goto out;
	for (int i = 0; i < m->nruns; i++) {
		struct strbuf b = STRBUF_INIT;

		if (!cp[i])
			continue;
		for (int j = 0; j < nvary; j++) {
			model_param_text(sc->desc, vary[j].key,
					 model_value(cp[i], defs, vary[j].key), val, sizeof(val));
			strbuf_addf(&b, "%s%s=%s", j ? ", " : "", vary[j].key, val);
		}
		name[i] = strbuf_detach(&b);
		if (!name[i])
			goto out;
		if (model_find(&seen, key[i]) < 0) {
			if (model_add(&seen, key[i]) < 0)
				goto out;
			cfgs[ncfgs++] = (struct model_cfg){ name[i], key[i] };
		}
	}
	qsort(cfgs, ncfgs, sizeof(*cfgs), model_cfg_cmp);
	for (int c = 0; c < ncfgs; c++)
		if (strlist_push(&sc->configs, cfgs[c].name))
			goto out;
	for (int i = 0; i < m->nruns; i++)
		for (int c = 0; key[i] && c < ncfgs; c++)
			if (!strcmp(key[i], cfgs[c].key))
				m->runs[i].config = c;
	ret = 0;
out:
	for (int i = 0; i < m->nruns; i++) {
		json_object_put(cp ? cp[i] : NULL);
		free(key ? key[i] : NULL);
		free(name ? name[i] : NULL);
	}
	free(cp);
	free(key);
	free(name);
	free(vary);
	free(cfgs);
	strlist_free(&keys);
	strlist_free(&seen);
	json_object_put(defs);
	return ret;
}

int model_build(struct model *m, char *err, size_t errlen)
{
	struct strlist scn = STRLIST_INIT;

	if (model_groups(m))
		goto oom;
	for (int i = 0; i < m->nruns; i++)
		if (model_add(&scn, m->runs[i].rec->scenario) < 0)
			goto oom;
	model_sort(&scn);
	m->scns = calloc(scn.n + 1, sizeof(*m->scns));
	if (!m->scns)
		goto oom;
	m->nscns = (int)scn.n;
	for (int s = 0; s < m->nscns; s++) {
		m->scns[s].name = scn.v[s];
		m->scns[s].desc = scenario_find(scn.v[s]);
		scn.v[s] = NULL;
	}
	strlist_free(&scn);

	for (int i = 0; i < m->nruns; i++) {
		struct model_run *r = &m->runs[i];
		struct model_scn *sc;

		for (int s = 0; s < m->nscns; s++)
			if (!strcmp(m->scns[s].name, r->rec->scenario))
				r->scn = s;
		if (!r->charted)
			continue;
		sc = &m->scns[r->scn];
		for (size_t k = 0; k < r->rec->nhists; k++)
			if (model_add(&sc->hists, r->rec->hists[k].name) < 0)
				goto oom;
		for (size_t k = 0; k < r->rec->nmetrics; k++) {
			const struct metric *me = &r->rec->metrics[k];

			if (me->direction != DIR_INFO && model_add(&sc->metrics, me->name) < 0)
				goto oom;
		}
	}
	for (int s = 0; s < m->nscns; s++) {
		model_sort(&m->scns[s].hists);
		model_sort(&m->scns[s].metrics);
		if (model_configs(m, s))
			goto oom;
	}
	return 0;
oom:
	strlist_free(&scn);
	return errf(err, errlen, -ENOMEM, "out of memory");
}

void model_free(struct model *m)
{
	for (int i = 0; i < m->nruns; i++)
		record_free(m->runs[i].rec);
	free(m->runs);
	strlist_free(&m->groups);
	for (int s = 0; s < m->nscns; s++) {
		free(m->scns[s].name);
		strlist_free(&m->scns[s].configs);
		strlist_free(&m->scns[s].hists);
		strlist_free(&m->scns[s].metrics);
	}
	free(m->scns);
	memset(m, 0, sizeof(*m));
}

/* Does the configuration name @cfg ("k=v, k=v") have the item @item (@len bytes)? */
static bool model_cfg_has(const char *cfg, const char *item, size_t len)
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

char **model_short_configs(const struct model *m, int s, const int *cfgs, int n)
{
	char **out = calloc(n + 1, sizeof(*out));

	for (int i = 0; out && i < n; i++) {
		const char *cfg = model_config(m, s, cfgs[i]);
		struct strbuf b = STRBUF_INIT;

		for (const char *p = cfg; *p; ) {
			size_t len = strstr(p, ", ") ? (size_t)(strstr(p, ", ") - p) : strlen(p);
			bool shared = true;

			for (int j = 0; j < n && shared; j++)
				shared = model_cfg_has(model_config(m, s, cfgs[j]), p, len);
			if (!shared) {
				if (b.len)
					strbuf_addstr(&b, ", ");
				strbuf_add(&b, p, len);
			}
			p += len;
			if (*p)
				p += 2;
		}
		out[i] = strbuf_detach(&b);
		if (!out[i]) {
			model_free_strs(out, i);
			return NULL;
		}
	}
	return out;
}

void model_free_strs(char **v, int n)
{
	for (int i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}
