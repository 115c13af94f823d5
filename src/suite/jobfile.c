// SPDX-License-Identifier: GPL-2.0
/*
 * Job files: see jobfile.h. Lines come from the one INI reader (src/lib/ini.h);
 * what is ours is [global], the matrix expansion and the check of each
 * expanded config against the run's option tables.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/ini.h"
#include "src/lib/strbuf.h"
#include "src/lib/strlist.h"
#include "src/lib/util.h"
#include "src/suite/jobfile.h"
#include "workloads/catalog.h"

#define JOB_MAX_KEYS	64
#define JOB_MAX_VALUES	16
#define JOB_MAX_CONFIGS	1024

struct job_kv {
	char *key;
	char *value;
	unsigned int line;
};

struct job_section {
	char *name;
	unsigned int line;
	struct job_kv kv[JOB_MAX_KEYS];
	int nkv;
};

/* Sets @key in @sec, replacing an earlier value (later lines win). */
static int job_set(struct job_section *sec, const char *key, const char *value, unsigned int line)
{
	struct job_kv *kv = NULL;

	for (int i = 0; i < sec->nkv && !kv; i++)
		if (!strcmp(sec->kv[i].key, key))
			kv = &sec->kv[i];
	if (!kv) {
		if (sec->nkv == JOB_MAX_KEYS)
			return -E2BIG;
		kv = &sec->kv[sec->nkv++];
		kv->key = strdup(key);
		if (!kv->key)
			return -ENOMEM;
	}
	free(kv->value);
	kv->value = strdup(value);
	kv->line = line;
	return kv->value ? 0 : -ENOMEM;
}

static const char *job_get(const struct job_section *sec, const char *key)
{
	for (int i = 0; i < sec->nkv; i++)
		if (!strcmp(sec->kv[i].key, key))
			return sec->kv[i].value;
	return NULL;
}

static void job_section_free(struct job_section *sec)
{
	for (int i = 0; i < sec->nkv; i++) {
		free(sec->kv[i].key);
		free(sec->kv[i].value);
	}
	free(sec->name);
	memset(sec, 0, sizeof(*sec));
}

static int job_push(struct job_config *c, const char *arg, unsigned int line)
{
	if (c->argc >= JOB_MAX_ARGS - 1)
		return -E2BIG;
	c->lines[c->argc] = line;
	c->argv[c->argc] = strdup(arg);
	return c->argv[c->argc++] ? 0 : -ENOMEM;
}

static bool job_is_meta(const char *key)
{
	return !strcmp(key, "scenario") || !strcmp(key, "rig") || !strcmp(key, "rig-args");
}

/* The argv of one point of the matrix: @choice[k] picks the value of key k. */
static int job_build(const struct job_section *sec, const struct strlist *values,
		     const int *choice, struct job_config *c)
{
	const char *rig = NULL, *rig_args = NULL, *scenario = NULL;
	struct strbuf name = STRBUF_INIT;
	unsigned int rig_line = 0, scn_line = 0;
	int ret = 0;

	for (int k = 0; k < sec->nkv; k++) {
		const char *v = values[k].v[choice[k]];

		if (!strcmp(sec->kv[k].key, "rig")) {
			rig = v;
			rig_line = sec->kv[k].line;
		} else if (!strcmp(sec->kv[k].key, "rig-args")) {
			rig_args = v;
		} else if (!strcmp(sec->kv[k].key, "scenario")) {
			scenario = v;
			scn_line = sec->kv[k].line;
		}
	}
	strbuf_addstr(&name, sec->name);
	c->line = sec->line;
	if (rig) {
		struct strlist args = STRLIST_INIT;

		ret |= job_push(c, "rig", rig_line);
		ret |= job_push(c, "--kernel", rig_line);
		ret |= job_push(c, rig, rig_line);
		ret |= strlist_split(&args, rig_args, " \t");
		for (size_t i = 0; i < args.n; i++)
			ret |= job_push(c, args.v[i], rig_line);
		strlist_free(&args);
		ret |= job_push(c, "--", rig_line);
	}
	ret |= job_push(c, "run", sec->line);
	ret |= job_push(c, scenario, scn_line);
	for (int k = 0; k < sec->nkv; k++) {
		const char *key = sec->kv[k].key, *value = values[k].v[choice[k]];
		char opt[128];

		if (values[k].n > 1)
			strbuf_addf(&name, "%s%s=%s", strchr(name.buf, '[') ? "," : "[", key,
				    value);
		if (job_is_meta(key) || !strcmp(value, "false"))
			continue;
		snprintf(opt, sizeof(opt), "--%s", key);
		ret |= job_push(c, opt, sec->kv[k].line);
		if (strcmp(value, "true"))
			ret |= job_push(c, value, sec->kv[k].line);
	}
	if (strchr(name.buf, '['))
		strbuf_addch(&name, ']');
	c->name = strbuf_detach(&name);
	return ret || !c->name ? -ENOMEM : 0;
}

/* Every point of the section's matrix, appended to @job. */
static int job_expand(const struct job_section *sec, struct job *job)
{
	struct strlist values[JOB_MAX_KEYS] = { 0 };
	int choice[JOB_MAX_KEYS] = { 0 }, ret = 0;

	for (int k = 0; k < sec->nkv && !ret; k++) {
		ret = strlist_split(&values[k], sec->kv[k].value, ",");
		if (!ret && values[k].n > JOB_MAX_VALUES)
			ret = -E2BIG;
		if (!ret && !values[k].n)	/* "key =" with no value: an empty string */
			ret = strlist_push(&values[k], "");
	}
	while (!ret) {
		struct job_config *c;
		int k;

		if (job->nconfigs == JOB_MAX_CONFIGS) {
			ret = -E2BIG;
			break;
		}
		c = realloc(job->configs, (job->nconfigs + 1) * sizeof(*c));
		if (!c) {
			ret = -ENOMEM;
			break;
		}
		job->configs = c;
		c = &job->configs[job->nconfigs++];
		memset(c, 0, sizeof(*c));
		ret = job_build(sec, values, choice, c);
		if (ret)
			break;
		/* next point: an odometer over the keys with several values */
		for (k = sec->nkv - 1; k >= 0; k--) {
			if (++choice[k] < (int)values[k].n)
				break;
			choice[k] = 0;
		}
		if (k < 0)
			break;
	}
	for (int k = 0; k < sec->nkv; k++)
		strlist_free(&values[k]);
	return ret;
}

/* Merges [global] under a section: the section's own keys win. */
static int job_merge(const struct job_section *global, const struct job_section *sec,
		     struct job_section *out)
{
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->name = strdup(sec->name);
	out->line = sec->line;
	for (int i = 0; i < global->nkv && !ret; i++)
		if (!job_get(sec, global->kv[i].key))
			ret = job_set(out, global->kv[i].key, global->kv[i].value,
				      global->kv[i].line);
	for (int i = 0; i < sec->nkv && !ret; i++)
		ret = job_set(out, sec->kv[i].key, sec->kv[i].value, sec->kv[i].line);
	return ret ? ret : out->name ? 0 : -ENOMEM;
}

struct job_parser {
	const char *path;
	struct job_section global, sec;
	struct job *job;
};

static int job_finish_section(struct job_parser *p, char *err, size_t errlen)
{
	struct job_section merged, *sec = &p->sec;
	int ret;

	if (!sec->name)
		return 0;
	if (!strcmp(sec->name, "global")) {
		job_section_free(&p->global);
		p->global = *sec;
		memset(sec, 0, sizeof(*sec));
		return 0;
	}
	ret = job_merge(&p->global, sec, &merged);
	if (!ret && !job_get(&merged, "scenario"))
		ret = errf(err, errlen, -EINVAL,
			   "%s:%u: section [%s] names no scenario (scenario = ...)", p->path,
			   sec->line, sec->name);
	else if (!ret && (ret = job_expand(&merged, p->job)))
		errf(err, errlen, ret, "%s:%u: section [%s]: %s", p->path, sec->line, sec->name,
		     ret == -E2BIG ? "too many configs or arguments" : strerror(-ret));
	job_section_free(&merged);
	job_section_free(sec);
	return ret;
}

static int job_line(const struct ini_line *l, void *arg, char *err, size_t errlen)
{
	struct job_parser *p = arg;
	int ret;

	if (l->header) {
		ret = job_finish_section(p, err, errlen);
		if (ret)
			return ret;
		p->sec.name = strdup(l->section);
		p->sec.line = l->lineno;
		return p->sec.name ? 0 : errf(err, errlen, -ENOMEM, "%s: out of memory", l->where);
	}
	if (!p->sec.name || !l->key)
		return errf(err, errlen, -EINVAL, "%s: %s", l->where,
			    !p->sec.name ? "a key before any [section]" : "expected key = value");
	ret = job_set(&p->sec, l->key, l->value, l->lineno);
	return ret ? errf(err, errlen, ret, "%s: too many keys", l->where) : 0;
}

int job_parse(const char *text, const char *path, struct job *out, char *err, size_t errlen)
{
	struct job_parser p = { .path = path, .job = out };
	int ret;

	memset(out, 0, sizeof(*out));
	out->path = strdup(path);
	if (!out->path)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ret = ini_parse(text, path, 0, job_line, &p, err, errlen);
	if (!ret)
		ret = job_finish_section(&p, err, errlen);
	if (!ret && !out->nconfigs)
		ret = errf(err, errlen, -EINVAL,
			   "%s: no configs (add a [section] with scenario = ...)", path);
	job_section_free(&p.sec);
	job_section_free(&p.global);
	if (ret)
		job_free(out);
	return ret;
}

int job_load(const char *path, struct job *out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	long len;
	int ret;

	if (!f)
		return errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, len + 1);
	if (!text || fread(text, 1, len, f) != (size_t)len) {
		fclose(f);
		free(text);
		return errf(err, errlen, -EIO, "%s: cannot read", path);
	}
	fclose(f);
	ret = job_parse(text, path, out, err, errlen);
	free(text);
	return ret;
}

/* The `run SCENARIO --key [value]...` part of @c, set option by option into @co. */
static int job_check_run(const struct job *job, const struct job_config *c, int i,
			 char *err, size_t errlen)
{
	const struct scenario_desc *scn = scenario_find(c->argv[i + 1]);
	struct catalog_opts co;
	char where[512];
	int ret;

	snprintf(where, sizeof(where), "%s:%u", job->path, c->lines[i + 1]);
	if (!scn)
		return errf(err, errlen, -EINVAL, "%s: unknown scenario '%s' (see mmubench list)",
			    where, c->argv[i + 1]);
	if (catalog_opts_init(&co, scn))
		return errf(err, errlen, -ENOMEM, "%s: out of memory", where);
	ret = opts_apply_defaults(co.groups, where, err, errlen);
	for (i += 2; !ret && i < c->argc; i++) {
		const struct opt_desc *o;
		const char *value = "true";

		snprintf(where, sizeof(where), "%s:%u", job->path, c->lines[i]);
		if (strncmp(c->argv[i], "--", 2)) {
			ret = errf(err, errlen, -EINVAL,
				   "%s: '%s' after a flag (flags take true or false)", where,
				   c->argv[i]);
			break;
		}
		o = opts_find(co.groups, c->argv[i] + 2, NULL);
		if (!o) {
			ret = errf(err, errlen, -EINVAL, "%s: %s: unknown option", where,
				   c->argv[i]);
			break;
		}
		if (o->type != OPT_FLAG && i + 1 < c->argc && c->lines[i + 1] == c->lines[i])
			value = c->argv[++i];
		ret = opts_set(co.groups, where, o->name, value, err, errlen);
	}
	if (!ret) {
		snprintf(where, sizeof(where), "%s:%u", job->path, c->line);
		ret = opts_validate(co.groups, where, err, errlen);
	}
	catalog_opts_release(&co);
	return ret;
}

int job_check(const struct job *job, char *err, size_t errlen)
{
	for (size_t n = 0; n < job->nconfigs; n++) {
		const struct job_config *c = &job->configs[n];
		int ret;

		for (int i = 0; i < c->argc - 1; i++) {
			if (strcmp(c->argv[i], "run") || (i && strcmp(c->argv[i - 1], "--")))
				continue;
			ret = job_check_run(job, c, i, err, errlen);
			if (ret)
				return ret;
			break;
		}
	}
	return 0;
}

void job_free(struct job *job)
{
	for (size_t i = 0; i < job->nconfigs; i++) {
		for (int a = 0; a < job->configs[i].argc; a++)
			free(job->configs[i].argv[a]);
		free(job->configs[i].name);
	}
	free(job->configs);
	free(job->path);
	memset(job, 0, sizeof(*job));
}
