// SPDX-License-Identifier: GPL-2.0
/*
 * Job files: see jobfile.h. Written by hand rather than with an INI library
 * because the format is tiny and the matrix expansion is ours anyway.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/suite/jobfile.h"
#include "src/lib/util.h"

#define JOB_MAX_KEYS	64
#define JOB_MAX_VALUES	16
#define JOB_MAX_CONFIGS	1024

struct job_kv {
	char *key;
	char *value;
};

struct job_section {
	char *name;
	struct job_kv kv[JOB_MAX_KEYS];
	int nkv;
};

static char *job_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = 0;
	return s;
}

/* Sets @key in @sec, replacing an earlier value (later lines win). */
static int job_set(struct job_section *sec, const char *key, const char *value)
{
	for (int i = 0; i < sec->nkv; i++) {
		if (!strcmp(sec->kv[i].key, key)) {
			free(sec->kv[i].value);
			sec->kv[i].value = strdup(value);
			return sec->kv[i].value ? 0 : -ENOMEM;
		}
	}
	if (sec->nkv == JOB_MAX_KEYS)
		return -E2BIG;
	sec->kv[sec->nkv].key = strdup(key);
	sec->kv[sec->nkv].value = strdup(value);
	sec->nkv++;
	return sec->kv[sec->nkv - 1].key && sec->kv[sec->nkv - 1].value ? 0 : -ENOMEM;
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

static int job_push(struct job_config *c, const char *arg)
{
	if (c->argc >= JOB_MAX_ARGS - 1)
		return -E2BIG;
	c->argv[c->argc] = strdup(arg);
	return c->argv[c->argc++] ? 0 : -ENOMEM;
}

/* Splits a comma list in place into at most JOB_MAX_VALUES trimmed values. */
static int job_split(char *list, char **values)
{
	int n = 0;
	char *save, *v;

	for (v = strtok_r(list, ",", &save); v && n < JOB_MAX_VALUES; v = strtok_r(NULL, ",", &save))
		values[n++] = job_trim(v);
	return n;
}

/* The argv of one point of the matrix: @choice[k] picks the value of key k. */
static int job_build(const struct job_section *sec, char *values[][JOB_MAX_VALUES],
		     const int *nvalues, const int *choice, struct job_config *c)
{
	const char *rig = NULL, *rig_args = NULL, *scenario = NULL;
	char name[512];
	int ret = 0;

	for (int k = 0; k < sec->nkv; k++) {
		const char *v = values[k][choice[k]];

		if (!strcmp(sec->kv[k].key, "rig"))
			rig = v;
		else if (!strcmp(sec->kv[k].key, "rig-args"))
			rig_args = v;
		else if (!strcmp(sec->kv[k].key, "scenario"))
			scenario = v;
	}
	snprintf(name, sizeof(name), "%s", sec->name);
	if (rig) {
		char *copy = strdup(rig_args ? rig_args : ""), *save, *a;

		ret |= job_push(c, "rig");
		ret |= job_push(c, "--kernel");
		ret |= job_push(c, rig);
		for (a = copy ? strtok_r(copy, " \t", &save) : NULL; a; a = strtok_r(NULL, " \t", &save))
			ret |= job_push(c, a);
		free(copy);
		ret |= job_push(c, "--");
	}
	ret |= job_push(c, "run");
	ret |= job_push(c, scenario);
	for (int k = 0; k < sec->nkv; k++) {
		const char *key = sec->kv[k].key, *value = values[k][choice[k]];
		char opt[128];

		if (nvalues[k] > 1)
			snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s%s=%s",
				 strchr(name, '[') ? "," : "[", key, value);
		if (!strcmp(key, "scenario") || !strcmp(key, "rig") || !strcmp(key, "rig-args"))
			continue;
		if (!strcmp(value, "false"))
			continue;
		snprintf(opt, sizeof(opt), "--%s", key);
		ret |= job_push(c, opt);
		if (strcmp(value, "true"))
			ret |= job_push(c, value);
	}
	if (strchr(name, '['))
		strncat(name, "]", sizeof(name) - strlen(name) - 1);
	c->name = strdup(name);
	return ret || !c->name ? -ENOMEM : 0;
}

/* Every point of the section's matrix, appended to @job. */
static int job_expand(const struct job_section *sec, struct job *job)
{
	static char *values[JOB_MAX_KEYS][JOB_MAX_VALUES];
	char *copies[JOB_MAX_KEYS];
	int nvalues[JOB_MAX_KEYS], choice[JOB_MAX_KEYS] = { 0 }, ret = 0;

	for (int k = 0; k < sec->nkv; k++) {
		copies[k] = strdup(sec->kv[k].value);
		nvalues[k] = copies[k] ? job_split(copies[k], values[k]) : 0;
		if (!nvalues[k]) {	/* "key =" with no value: an empty string */
			values[k][0] = "";
			nvalues[k] = 1;
		}
	}
	for (;;) {
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
		ret = job_build(sec, values, nvalues, choice, c);
		if (ret)
			break;
		/* next point: an odometer over the keys with several values */
		for (k = sec->nkv - 1; k >= 0; k--) {
			if (++choice[k] < nvalues[k])
				break;
			choice[k] = 0;
		}
		if (k < 0)
			break;
	}
	for (int k = 0; k < sec->nkv; k++)
		free(copies[k]);
	return ret;
}

/* Merges [global] under a section: the section's own keys win. */
static int job_merge(const struct job_section *global, const struct job_section *sec,
		     struct job_section *out)
{
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->name = strdup(sec->name);
	for (int i = 0; i < global->nkv && !ret; i++)
		if (!job_get(sec, global->kv[i].key))
			ret = job_set(out, global->kv[i].key, global->kv[i].value);
	for (int i = 0; i < sec->nkv && !ret; i++)
		ret = job_set(out, sec->kv[i].key, sec->kv[i].value);
	return ret ? ret : out->name ? 0 : -ENOMEM;
}

static int job_finish_section(struct job_section *global, struct job_section *sec, struct job *job,
			      const char *path, int line, char *err, size_t errlen)
{
	struct job_section merged;
	int ret;

	if (!sec->name)
		return 0;
	if (!strcmp(sec->name, "global")) {
		*global = *sec;
		memset(sec, 0, sizeof(*sec));
		return 0;
	}
	ret = job_merge(global, sec, &merged);
	if (!ret && !job_get(&merged, "scenario"))
		ret = errf(err, errlen, -EINVAL, "%s:%d: section [%s] names no scenario (scenario = ...)",
			   path, line, sec->name);
	else if (!ret && (ret = job_expand(&merged, job)))
		errf(err, errlen, ret, "%s:%d: section [%s]: %s", path, line, sec->name,
		     ret == -E2BIG ? "too many configs or arguments" : strerror(-ret));
	job_section_free(&merged);
	job_section_free(sec);
	return ret;
}

int job_parse(const char *text, const char *path, struct job *out, char *err, size_t errlen)
{
	struct job_section global = { 0 }, sec = { 0 };
	char *copy = strdup(text), *line, *next;
	int lineno = 0, sec_line = 0, ret = 0;

	memset(out, 0, sizeof(*out));
	if (!copy)
		return errf(err, errlen, -ENOMEM, "out of memory");
	for (line = copy; line && !ret; line = next) {
		char *s, *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		s = job_trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');

			if (!end || end[1])
				ret = errf(err, errlen, -EINVAL, "%s:%d: bad section header '%s'", path,
					   lineno, s);
			else
				ret = job_finish_section(&global, &sec, out, path, sec_line, err, errlen);
			if (ret)
				break;
			*end = 0;
			sec.name = strdup(job_trim(s + 1));
			sec_line = lineno;
			continue;
		}
		eq = strchr(s, '=');
		if (!sec.name || !eq) {
			ret = errf(err, errlen, -EINVAL, "%s:%d: %s", path, lineno,
				   !sec.name ? "a key before any [section]" : "expected key = value");
			break;
		}
		*eq = 0;
		ret = job_set(&sec, job_trim(s), job_trim(eq + 1));
		if (ret)
			errf(err, errlen, ret, "%s:%d: too many keys", path, lineno);
	}
	if (!ret)
		ret = job_finish_section(&global, &sec, out, path, sec_line, err, errlen);
	if (!ret && !out->nconfigs)
		ret = errf(err, errlen, -EINVAL, "%s: no configs (add a [section] with scenario = ...)",
			   path);
	job_section_free(&sec);
	job_section_free(&global);
	free(copy);
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

void job_free(struct job *job)
{
	for (size_t i = 0; i < job->nconfigs; i++) {
		for (int a = 0; a < job->configs[i].argc; a++)
			free(job->configs[i].argv[a]);
		free(job->configs[i].name);
	}
	free(job->configs);
	memset(job, 0, sizeof(*job));
}
