/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Table-driven command-line options: one table gives the parser (getopt_long),
 * the defaults, the range checks with their error messages, --help, and the
 * "params" object of the result record, so the four never disagree.
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
};

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
};

#define OPT_END { .name = NULL }

/* A table and the config struct its offsets point into; arrays end with { NULL }. */
struct opt_group {
	const struct opt_desc *opts;
	void *cfg;
	const char *title;		/* heading in --help */
};

/*
 * Applies the defaults of every group, then parses argv[1..] (argv[0] is the
 * command name used in messages). Returns the index of the first operand, or
 * -EINVAL with a one-line message in @err; "--help" returns -EAGAIN.
 */
int opts_parse(const struct opt_group *groups, int argc, char **argv, char *err, size_t errlen);

void opts_help(FILE *out, const struct opt_group *groups);

/*
 * Bad usage: prints one line on stderr whatever was typed (control characters
 * shown as '?') and returns the usage exit status (2), for `return opts_usage_error(...)`.
 */
int opts_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The parameters (record = true) with their final values. */
struct json_object *opts_to_json(const struct opt_group *groups);

#endif
