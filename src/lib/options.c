// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/options.h"
#include "src/lib/util.h"

#define OPTS_MAX 128

static void *opt_field(const struct opt_desc *o, void *cfg)
{
	return (char *)cfg + o->offset;
}

static int opt_range_error(const char *cmd, const struct opt_desc *o, const char *text,
			   char *err, size_t errlen)
{
	char lo[32], hi[32];

	if (o->type == OPT_SIZE) {
		format_size((uint64_t)o->min, lo, sizeof(lo));
		format_size((uint64_t)o->max, hi, sizeof(hi));
	} else {
		snprintf(lo, sizeof(lo), "%g", o->min);
		snprintf(hi, sizeof(hi), "%g", o->max);
	}
	return errf(err, errlen, -EINVAL, "%s: --%s %s is out of range [%s, %s]",
		    cmd, o->name, text, lo, hi);
}

/* Stores @text as the value of @o; the message names the command and option. */
static int opt_set(const char *cmd, const struct opt_desc *o, void *cfg, const char *text,
		   char *err, size_t errlen)
{
	bool ranged = o->max > o->min;
	uint64_t u;
	double d;
	char *end;

	switch (o->type) {
	case OPT_UINT:
	case OPT_PCT:
		if (parse_u64(text, &u))
			return errf(err, errlen, -EINVAL, "%s: --%s expects a whole number, not '%s'",
				    cmd, o->name, text);
		if ((o->type == OPT_PCT && u > 100) || (ranged && (u < o->min || u > o->max)))
			return o->type == OPT_PCT && !ranged ?
			       errf(err, errlen, -EINVAL, "%s: --%s %s is not a percentage (0-100)",
				    cmd, o->name, text) :
			       opt_range_error(cmd, o, text, err, errlen);
		*(uint64_t *)opt_field(o, cfg) = u;
		return 0;
	case OPT_SIZE:
		if (parse_size(text, &u))
			return errf(err, errlen, -EINVAL,
				    "%s: --%s expects a size like 4K, 256M or 1G, not '%s'",
				    cmd, o->name, text);
		if (ranged && (u < o->min || u > o->max))
			return opt_range_error(cmd, o, text, err, errlen);
		*(uint64_t *)opt_field(o, cfg) = u;
		return 0;
	case OPT_DOUBLE:
		errno = 0;
		d = strtod(text, &end);
		if (errno || end == text || *end || !isfinite(d))
			return errf(err, errlen, -EINVAL, "%s: --%s expects a number, not '%s'",
				    cmd, o->name, text);
		if (ranged && (d < o->min || d > o->max))
			return opt_range_error(cmd, o, text, err, errlen);
		*(double *)opt_field(o, cfg) = d;
		return 0;
	case OPT_ENUM:
		for (int i = 0; o->choices[i]; i++) {
			if (!strcmp(o->choices[i], text)) {
				*(int *)opt_field(o, cfg) = i;
				return 0;
			}
		}
		{
			char list[256] = "";

			for (int i = 0; o->choices[i]; i++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 i ? ", " : "", o->choices[i]);
			return errf(err, errlen, -EINVAL, "%s: --%s '%s' is not one of: %s",
				    cmd, o->name, text, list);
		}
	case OPT_STRING:
		*(const char **)opt_field(o, cfg) = text;
		return 0;
	case OPT_FLAG:
		*(bool *)opt_field(o, cfg) = true;
		return 0;
	}
	return -EINVAL;
}

/* Is @name (@len bytes, from "--name=value") an option that takes no value? */
static bool opts_is_flag(const struct option *longopts, const char *name, size_t len)
{
	for (const struct option *o = longopts; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o->has_arg == no_argument;
	return false;
}

static int opts_parse_argv(const struct opt_group *groups, int argc, char **argv, char *err,
			   size_t errlen)
{
	static const struct opt_desc help_opt = { .name = "help", .type = OPT_FLAG };
	const struct opt_desc *byindex[OPTS_MAX];
	void *cfgs[OPTS_MAX];
	struct option longopts[OPTS_MAX + 1];
	const char *cmd = argv[0];
	int n = 0, c, idx, ret;

	for (int t = 0; groups[t].opts; t++) {
		for (const struct opt_desc *o = groups[t].opts; o->name; o++) {
			if (n >= OPTS_MAX - 1)
				return errf(err, errlen, -E2BIG, "%s: too many options", cmd);
			if (o->def) {
				ret = opt_set(cmd, o, groups[t].cfg, o->def, err, errlen);
				if (ret)
					return ret;	/* a bad default is a bug; say so loudly */
			}
			byindex[n] = o;
			cfgs[n] = groups[t].cfg;
			longopts[n] = (struct option){
				o->name, o->type == OPT_FLAG ? no_argument : required_argument, NULL, 0,
			};
			n++;
		}
	}
	byindex[n] = &help_opt;
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n] = (struct option){ 0 };

	optind = 0;	/* full reset: 1 keeps a previous scan's ordering and position */
	opterr = 0;
	for (;;) {
		idx = -1;
		c = getopt_long(argc, argv, "+:h", longopts, &idx);
		if (c == -1)
			break;
		if (c == 'h')
			return -EAGAIN;
		if (c == ':')
			return errf(err, errlen, -EINVAL, "%s: %s needs a value", cmd,
				    argv[optind - 1]);
		if (c == '?') {
			const char *arg = argv[optind - 1], *eq = strchr(arg, '=');

			/* the only short option is -h: optopt 'h' comes from "--help=..." */
			if (optopt && optopt != 'h')
				return errf(err, errlen, -EINVAL, "%s: unknown option '-%c' (see --help)",
					    cmd, optopt);
			if (eq && !strncmp(arg, "--", 2) &&
			    opts_is_flag(longopts, arg + 2, eq - arg - 2))
				return errf(err, errlen, -EINVAL, "%s: %.*s takes no value, not '%s'",
					    cmd, (int)(eq - arg), arg, eq + 1);
			return errf(err, errlen, -EINVAL, "%s: unknown option '%s' (see --help)",
				    cmd, arg);
		}
		ret = opt_set(cmd, byindex[idx], cfgs[idx], optarg, err, errlen);
		if (ret)
			return ret;
	}
	return optind;
}

int opts_parse(const struct opt_group *groups, int argc, char **argv, char *err, size_t errlen)
{
	int ret = opts_parse_argv(groups, argc, argv, err, errlen);

	/* one line, whatever the user typed: control characters become '?' */
	if (ret < 0 && ret != -EAGAIN && err && errlen) {
		for (char *p = err; *p; p++)
			if (iscntrl((unsigned char)*p))
				*p = '?';
	}
	return ret;
}

int opts_usage_error(const char *fmt, ...)
{
	char msg[1280];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (char *p = msg; *p; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
	fprintf(stderr, "%s\n", msg);
	return 2;	/* EXIT_USAGE */
}

static const char *opt_type_metavar(const struct opt_desc *o)
{
	if (o->metavar)
		return o->metavar;
	switch (o->type) {
	case OPT_SIZE: return "SIZE";
	case OPT_PCT: return "PCT";
	case OPT_DOUBLE: return "X";
	case OPT_STRING: return "TEXT";
	default: return "N";
	}
}

#define OPTS_HELP_INDENT	31	/* "  " + 28 columns of option + " " */
#define OPTS_HELP_WIDTH		79

/* @text from column OPTS_HELP_INDENT, words wrapped at OPTS_HELP_WIDTH. */
static void opts_print_wrapped(FILE *out, const char *text, int col)
{
	const char *p = text;

	while (*p) {
		int room = OPTS_HELP_WIDTH - col, len = (int)strlen(p), cut = len;

		if (len > room) {
			for (cut = room; cut > 0 && p[cut] != ' '; cut--)
				;
			if (!cut)	/* one word longer than the line */
				cut = strcspn(p, " ");
		}
		fprintf(out, "%.*s\n", cut, p);
		p += cut;
		while (*p == ' ')
			p++;
		if (*p)
			fprintf(out, "%*s", OPTS_HELP_INDENT, "");
		col = OPTS_HELP_INDENT;
	}
}

void opts_help(FILE *out, const struct opt_group *groups)
{
	for (int t = 0; groups[t].opts; t++) {
		if (groups[t].title)
			fprintf(out, "%s:\n", groups[t].title);
		for (const struct opt_desc *o = groups[t].opts; o->name; o++) {
			char left[64], choices[256] = "";

			if (o->type == OPT_FLAG)
				snprintf(left, sizeof(left), "--%s", o->name);
			else if (o->type == OPT_ENUM) {
				for (int i = 0; o->choices[i]; i++)
					snprintf(choices + strlen(choices),
						 sizeof(choices) - strlen(choices), "%s%s",
						 i ? "|" : "", o->choices[i]);
				snprintf(left, sizeof(left), "--%s %s", o->name,
					 o->metavar ? o->metavar : choices);
			} else
				snprintf(left, sizeof(left), "--%s %s", o->name, opt_type_metavar(o));
			char text[1024];

			snprintf(text, sizeof(text), "%s", o->help);
			if (o->def && o->type != OPT_FLAG)
				snprintf(text + strlen(text), sizeof(text) - strlen(text), " [default: %s]",
					 o->def);
			/* an option too wide for its column gets its text on the next line */
			if (strlen(left) > 28)
				fprintf(out, "  %s\n%*s", left, OPTS_HELP_INDENT, "");
			else
				fprintf(out, "  %-28s ", left);
			opts_print_wrapped(out, text, OPTS_HELP_INDENT);
		}
		fputc('\n', out);
	}
	fprintf(out, "  %-28s %s\n", "-h, --help", "this help");
}

struct json_object *opts_to_json(const struct opt_group *groups)
{
	struct json_object *obj = json_object_new_object();

	for (int t = 0; groups[t].opts; t++) {
		for (const struct opt_desc *o = groups[t].opts; o->name; o++) {
			const void *f = (const char *)groups[t].cfg + o->offset;
			struct json_object *v = NULL;

			if (!o->record)
				continue;
			switch (o->type) {
			case OPT_UINT:
			case OPT_SIZE:
			case OPT_PCT:
				v = json_object_new_uint64(*(const uint64_t *)f);
				break;
			case OPT_DOUBLE:
				v = json_object_new_double(*(const double *)f);
				break;
			case OPT_ENUM:
				v = json_object_new_string(o->choices[*(const int *)f]);
				break;
			case OPT_STRING:
				v = *(const char *const *)f ? json_object_new_string(*(const char *const *)f)
							   : NULL;
				break;
			case OPT_FLAG:
				v = json_object_new_boolean(*(const bool *)f);
				break;
			}
			json_object_object_add(obj, o->name, v);
		}
	}
	return obj;
}
