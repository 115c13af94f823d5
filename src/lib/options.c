// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/env.h"
#include "src/lib/options.h"
#include "src/lib/strbuf.h"
#include "src/lib/strlist.h"
#include "src/lib/util.h"

#define OPTS_MAX 128

static void *opt_field(const struct opt_desc *o, void *cfg)
{
	return (char *)cfg + o->offset;
}

const char *opts_choice(const struct opt_desc *o, size_t i)
{
	if (o->choices_fn)
		return o->choices_fn(i);
	return o->choices ? o->choices[i] : NULL;
}

/* The choices joined by @sep, in @sb. */
static void opt_choices(struct strbuf *sb, const struct opt_desc *o, const char *sep)
{
	const char *c;

	for (size_t i = 0; (c = opts_choice(o, i)); i++)
		strbuf_addf(sb, "%s%s", i ? sep : "", c);
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

static int opt_set_enum(const char *cmd, const struct opt_desc *o, void *cfg, const char *text,
			char *err, size_t errlen)
{
	struct strbuf list = STRBUF_INIT;
	const char *c;
	int ret;

	for (size_t i = 0; (c = opts_choice(o, i)); i++) {
		if (!strcmp(c, text)) {
			*(int *)opt_field(o, cfg) = (int)i;
			return 0;
		}
	}
	opt_choices(&list, o, ", ");
	ret = errf(err, errlen, -EINVAL, "%s: --%s '%s' is not one of: %s", cmd, o->name, text,
		   list.buf);
	strbuf_release(&list);
	return ret;
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
			return errf(err, errlen, -EINVAL,
				    "%s: --%s expects a whole number, not '%s'", cmd, o->name,
				    text);
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
		return opt_set_enum(cmd, o, cfg, text, err, errlen);
	case OPT_STRING:
		*(const char **)opt_field(o, cfg) = text;
		return 0;
	case OPT_FLAG:
		*(bool *)opt_field(o, cfg) = true;
		return 0;
	case OPT_LIST:
		if (strlist_split(opt_field(o, cfg), text, ","))
			return errf(err, errlen, -ENOMEM, "%s: --%s: out of memory", cmd, o->name);
		return 0;
	}
	return -EINVAL;
}

/* The default of @o in @g before the environment: the group's pair, else the table's. */
static const char *opt_default(const struct opt_group *g, const struct opt_desc *o)
{
	for (const struct opt_default *d = g->defaults; d && d->name; d++)
		if (!strcmp(d->name, o->name))
			return d->value;
	return o->def;
}

int opts_apply_defaults(const struct opt_group *groups, const char *cmd, char *err,
			size_t errlen)
{
	for (const struct opt_group *g = groups; g->opts; g++) {
		for (const struct opt_default *d = g->defaults; d && d->name; d++) {
			const struct opt_desc *o = g->opts;

			while (o->name && strcmp(o->name, d->name))
				o++;
			if (!o->name)	/* a bug in a scenario's table: say so loudly */
				return errf(err, errlen, -EINVAL,
					    "%s: default for unknown option --%s", cmd, d->name);
		}
		for (const struct opt_desc *o = g->opts; o->name; o++) {
			const char *env = o->env ? env_get(o->env) : NULL;
			const char *text = opt_default(g, o);
			int ret;

			if (o->type == OPT_FLAG) {
				bool on = env || (text && strcmp(text, "false"));

				*(bool *)opt_field(o, g->cfg) = on;
				continue;
			}
			if (o->type == OPT_LIST)
				strlist_free(opt_field(o, g->cfg));
			if (env && *env)
				text = env;
			if (!text)
				continue;
			ret = opt_set(cmd, o, g->cfg, text, err, errlen);
			if (ret)
				return ret;	/* a bad default is a bug; say so loudly */
		}
	}
	return 0;
}

const struct opt_desc *opts_find(const struct opt_group *groups, const char *name, void **cfg)
{
	for (const struct opt_group *g = groups; g->opts; g++) {
		for (const struct opt_desc *o = g->opts; o->name; o++) {
			if (!strcmp(o->name, name)) {
				if (cfg)
					*cfg = g->cfg;
				return o;
			}
		}
	}
	return NULL;
}

const void *opts_value(const struct opt_group *groups, const char *name)
{
	void *cfg;
	const struct opt_desc *o = opts_find(groups, name, &cfg);

	return o ? opt_field(o, cfg) : NULL;
}

int opts_set(const struct opt_group *groups, const char *where, const char *name,
	     const char *text, char *err, size_t errlen)
{
	void *cfg;
	const struct opt_desc *o = opts_find(groups, name, &cfg);

	if (!o)
		return -ENOENT;
	if (o->type != OPT_FLAG)
		return opt_set(where, o, cfg, text, err, errlen);
	if (strcmp(text, "true") && strcmp(text, "false"))
		return errf(err, errlen, -EINVAL, "%s: --%s is a flag: true or false, not '%s'",
			    where, name, text);
	*(bool *)opt_field(o, cfg) = !strcmp(text, "true");
	return 0;
}

int opts_validate(const struct opt_group *groups, const char *where, char *err, size_t errlen)
{
	char msg[512];

	for (const struct opt_group *g = groups; g->opts; g++) {
		int ret = g->validate ? g->validate(g->cfg, groups, msg, sizeof(msg)) : 0;

		if (ret)
			return errf(err, errlen, ret, "%s: %s", where, msg);
	}
	return 0;
}

void opts_release(const struct opt_group *groups)
{
	for (const struct opt_group *g = groups; g->opts; g++)
		for (const struct opt_desc *o = g->opts; o->name; o++)
			if (o->type == OPT_LIST)
				strlist_free(opt_field(o, g->cfg));
}

/* Is @name (@len bytes, from "--name=value") an option that takes no value? */
static bool opts_is_flag(const struct option *longopts, const char *name, size_t len)
{
	for (const struct option *o = longopts; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o->has_arg == no_argument;
	return false;
}

static int opts_unknown(const char *cmd, const struct option *longopts, const char *arg,
			char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');

	/* the only short option is -h: optopt 'h' comes from "--help=..." */
	if (optopt && optopt != 'h')
		return errf(err, errlen, -EINVAL, "%s: unknown option '-%c' (see --help)", cmd,
			    optopt);
	if (eq && !strncmp(arg, "--", 2) && opts_is_flag(longopts, arg + 2, eq - arg - 2))
		return errf(err, errlen, -EINVAL, "%s: %.*s takes no value, not '%s'", cmd,
			    (int)(eq - arg), arg, eq + 1);
	return errf(err, errlen, -EINVAL, "%s: unknown option '%s' (see --help)", cmd, arg);
}

static int opts_parse_argv(const struct opt_group *groups, int argc, char **argv, char *err,
			   size_t errlen)
{
	const struct opt_desc *byindex[OPTS_MAX];
	void *cfgs[OPTS_MAX];
	bool seen[OPTS_MAX] = { false };
	struct option longopts[OPTS_MAX + 1];
	const char *cmd = argv[0];
	int n = 0, c, idx, ret;

	ret = opts_apply_defaults(groups, cmd, err, errlen);
	if (ret)
		return ret;
	for (const struct opt_group *g = groups; g->opts; g++) {
		for (const struct opt_desc *o = g->opts; o->name; o++) {
			if (n >= OPTS_MAX - 1)
				return errf(err, errlen, -E2BIG, "%s: too many options", cmd);
			byindex[n] = o;
			cfgs[n] = g->cfg;
			longopts[n] = (struct option){
				o->name, o->type == OPT_FLAG ? no_argument : required_argument,
				NULL, 0,
			};
			n++;
		}
	}
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
		if (c == '?')
			return opts_unknown(cmd, longopts, argv[optind - 1], err, errlen);
		/* a list given on the command line replaces its default, then grows */
		if (byindex[idx]->type == OPT_LIST && !seen[idx])
			strlist_free(opt_field(byindex[idx], cfgs[idx]));
		seen[idx] = true;
		ret = opt_set(cmd, byindex[idx], cfgs[idx], optarg, err, errlen);
		if (ret)
			return ret;
	}
	ret = opts_validate(groups, cmd, err, errlen);
	return ret ? ret : optind;
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
	case OPT_LIST: return "LIST";
	default: return "N";
	}
}

/* "--name METAVAR" (enums: "--name a|b|c" unless a metavar is given), in @sb. */
static void opt_synopsis(struct strbuf *sb, const struct opt_desc *o)
{
	strbuf_addf(sb, "--%s", o->name);
	if (o->type == OPT_FLAG)
		return;
	strbuf_addch(sb, ' ');
	if (o->type == OPT_ENUM && !o->metavar)
		opt_choices(sb, o, "|");
	else
		strbuf_addstr(sb, opt_type_metavar(o));
}

/* The help text with its default, as --help and the man page show it. */
static void opt_help_text(struct strbuf *sb, const struct opt_group *g, const struct opt_desc *o)
{
	const char *def = opt_default(g, o);

	strbuf_addstr(sb, o->help);
	if (def && o->type != OPT_FLAG)
		strbuf_addf(sb, " [default: %s]", def);
}

#define OPTS_HELP_INDENT	31	/* "  " + 28 columns of option + " " */
#define OPTS_HELP_WIDTH		79

void opts_wrap(FILE *out, const char *text, int col, int indent)
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
			fprintf(out, "%*s", indent, "");
		col = indent;
	}
}

void opts_help(FILE *out, const struct opt_group *groups)
{
	struct strbuf left = STRBUF_INIT, text = STRBUF_INIT;

	for (const struct opt_group *g = groups; g->opts; g++) {
		if (g->title)
			fprintf(out, "%s:\n", g->title);
		for (const struct opt_desc *o = g->opts; o->name; o++) {
			if (o->hidden)
				continue;
			strbuf_reset(&left);
			strbuf_reset(&text);
			opt_synopsis(&left, o);
			opt_help_text(&text, g, o);
			/* an option too wide for its column gets its text on the next line */
			if (left.len > 28)
				fprintf(out, "  %s\n%*s", left.buf, OPTS_HELP_INDENT, "");
			else
				fprintf(out, "  %-28s ", left.buf);
			opts_wrap(out, text.buf, OPTS_HELP_INDENT, OPTS_HELP_INDENT);
		}
		fputc('\n', out);
	}
	fprintf(out, "  %-28s %s\n", "-h, --help", "this help");
	strbuf_release(&left);
	strbuf_release(&text);
}

void opts_roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void opts_man(FILE *out, const struct opt_group *groups)
{
	struct strbuf text = STRBUF_INIT;

	for (const struct opt_group *g = groups; g->opts; g++) {
		if (g->title) {
			fputs(".SS ", out);
			opts_roff(out, g->title);
			fputc('\n', out);
		}
		for (const struct opt_desc *o = g->opts; o->name; o++) {
			if (o->hidden)
				continue;
			/* .BI: the name bold, the metavar italic */
			fputs(o->type == OPT_FLAG ? ".TP\n.B \\-\\-" : ".TP\n.BI \\-\\-", out);
			opts_roff(out, o->name);
			if (o->type != OPT_FLAG) {
				strbuf_reset(&text);
				if (o->type == OPT_ENUM && !o->metavar)
					opt_choices(&text, o, "|");
				else
					strbuf_addstr(&text, opt_type_metavar(o));
				fputs(" \" ", out);
				opts_roff(out, text.buf);
				fputc('"', out);
			}
			fputc('\n', out);
			strbuf_reset(&text);
			opt_help_text(&text, g, o);
			opts_roff(out, text.buf);
			fputc('\n', out);
		}
	}
	strbuf_release(&text);
}

struct json_object *opts_to_json(const struct opt_group *groups)
{
	struct json_object *obj = json_object_new_object();

	for (const struct opt_group *g = groups; g->opts; g++) {
		for (const struct opt_desc *o = g->opts; o->name; o++) {
			const void *f = (const char *)g->cfg + o->offset;
			const struct strlist *l = f;
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
				v = json_object_new_string(opts_choice(o, *(const int *)f));
				break;
			case OPT_STRING:
				v = *(const char *const *)f ?
				    json_object_new_string(*(const char *const *)f) : NULL;
				break;
			case OPT_FLAG:
				v = json_object_new_boolean(*(const bool *)f);
				break;
			case OPT_LIST:
				v = json_object_new_array();
				for (size_t i = 0; i < l->n; i++)
					json_object_array_add(v, json_object_new_string(l->v[i]));
				break;
			}
			json_object_object_add(obj, o->name, v);
		}
	}
	return obj;
}
