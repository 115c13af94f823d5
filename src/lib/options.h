/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Table-driven command-line options: one table gives the parser (getopt_long),
 * the defaults (the table's, a caller's { name, value } pairs, an environment
 * variable's), the range checks with their error messages, --help, the man
 * page's option lists and the "params" object of the result record, so they
 * never disagree.
 *
 * An option's .env names a variable of env_knobs[] (src/lib/env.h).
 */
#ifndef MMUBENCH_OPTIONS_H
#define MMUBENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

enum opt_type {
	OPT_UINT,	/* uint64_t, decimal */
	OPT_SIZE,	/* uint64_t bytes, "4K", "256M", "1G" */
	OPT_PCT,	/* uint64_t 0..100 */
	OPT_DOUBLE,	/* double */
	OPT_ENUM,	/* int: index into choices */
	OPT_STRING,	/* const char * (points into argv or the default) */
	OPT_FLAG,	/* bool, no argument */
	OPT_LIST,	/* struct strlist: repeatable, each value split at commas */
};

struct opt_group;

struct opt_desc {
	const char *name;		/* long option, without "--" */
	enum opt_type type;
	size_t offset;			/* into the config struct */
	const char *def;		/* default as text; NULL = none (strings: NULL) */
	const char *metavar;		/* "SIZE", "N", "LIST" */
	const char *help;
	const char *const *choices;	/* OPT_ENUM: NULL-terminated */
	double min, max;		/* numeric range when max > min */
	bool record;			/* goes into the record's params */
	/* OPT_ENUM from a registry: the i-th name, NULL past the end (instead of choices) */
	const char *(*choices_fn)(size_t i);
	const char *env;		/* this variable, when set, overrides def (env_knobs[]) */
	bool hidden;			/* internal (the rig's): parsed, not in --help or man */
};

#define OPT_END { .name = NULL }

/* A caller's default for one option, overriding the table's (a scenario's). */
struct opt_default {
	const char *name;
	const char *value;
};

/* A table and the config struct its offsets point into; arrays end with { NULL }. */
struct opt_group {
	const struct opt_desc *opts;
	void *cfg;
	const char *title;		/* heading in --help */
	/* overrides of this group's table defaults, { NULL }-terminated; may be NULL */
	const struct opt_default *defaults;
	/* cross-option rules, after the command line: -EINVAL and a message, no command name */
	int (*validate)(const void *cfg, const struct opt_group *groups, char *err, size_t errlen);
};

/*
 * A plug-in's options (fio's engine .options/.option_struct_size): a table
 * with the size of the config it fills; the owner lays the configs out.
 */
struct opt_table {
	const char *title;
	const struct opt_desc *opts;
	size_t config_size;
};

/*
 * Sets every option of @groups to its default: the option's environment
 * variable when set, else the group's pair, else the table's (flags: off,
 * lists: empty). Returns 0, or -EINVAL naming a bad default (a bug) or a bad
 * value in the environment.
 */
int opts_apply_defaults(const struct opt_group *groups, const char *cmd, char *err,
			size_t errlen);

/*
 * Applies the defaults, then parses argv[1..] (argv[0] is the command name
 * used in messages), then runs each group's validate. Returns the index of
 * the first operand, or -EINVAL with a one-line message in @err; "--help"
 * returns -EAGAIN. OPT_LIST values are malloc'ed: opts_release() frees them.
 */
int opts_parse(const struct opt_group *groups, int argc, char **argv, char *err, size_t errlen);

/* The option called @name in @groups and (in @cfg, may be NULL) its group's config; or NULL. */
const struct opt_desc *opts_find(const struct opt_group *groups, const char *name, void **cfg);
/* The field of option @name, for a validate reading another group's option; or NULL. */
const void *opts_value(const struct opt_group *groups, const char *name);

/*
 * Sets option @name to @text as the command line would (a flag: "true" or
 * "false"); the message starts with @where. -ENOENT when @groups has no
 * such option (no message), -EINVAL with one.
 */
int opts_set(const struct opt_group *groups, const char *where, const char *name,
	     const char *text, char *err, size_t errlen);
/* Each group's validate; the message starts with "@where: ". */
int opts_validate(const struct opt_group *groups, const char *where, char *err, size_t errlen);

/* Frees what parsing allocated (OPT_LIST values); the configs stay usable. */
void opts_release(const struct opt_group *groups);

/* The i-th choice of an OPT_ENUM option, NULL past the end. */
const char *opts_choice(const struct opt_desc *o, size_t i);

void opts_help(FILE *out, const struct opt_group *groups);
/* The options of @groups as roff (.TP items under a .SS per titled group), for the man page. */
void opts_man(FILE *out, const struct opt_group *groups);
/* @text from column @col, wrapped at 79 columns, continuation lines indented by @indent. */
void opts_wrap(FILE *out, const char *text, int col, int indent);

/*
 * Bad usage: prints one line on stderr whatever was typed (control characters
 * shown as '?') and returns the usage exit status (2), for `return opts_usage_error(...)`.
 */
int opts_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The parameters (record = true) with their final values. */
struct json_object *opts_to_json(const struct opt_group *groups);

/* @s as roff text: backslashes and dashes escaped, no line starting with a control character. */
void opts_roff(FILE *out, const char *s);

#endif
