// SPDX-License-Identifier: GPL-2.0
/*
 * The option tables (src/lib/options.c): defaults, every type, the one-line error
 * messages, --help, operands, the help text and the record's params.
 *
 * Two groups are parsed at once, as `mmubench run` does: the real
 * run_common_options and a small local table covering every type.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "kselftest_harness.h"
#include "tests/t_util.h"

#include "kernel/kvm/backing.h"
#include "src/lib/env.h"
#include "src/lib/options.h"
#include "src/lib/strlist.h"
#include "src/run/runner.h"
#include "src/lib/util.h"

#define T_CMD		"mmubench run test"
#define T_MAX_ARGS	24

struct t_config {
	uint64_t count;
	uint64_t size;
	uint64_t share;
	double ratio;
	int mode;
	const char *name;
	bool verbose;
	uint64_t secret;
};

#define TCFG(f) offsetof(struct t_config, f)

static const char *const t_modes[] = { "fast", "slow", "careful", NULL };

static const struct opt_desc t_options[] = {
	{ "count", OPT_UINT, TCFG(count), "7", "N", "how many", .min = 1, .max = 1000,
	  .record = true },
	{ "size", OPT_SIZE, TCFG(size), "64K", "SIZE", "how big (no range)", .record = true },
	{ "share", OPT_PCT, TCFG(share), "25", "PCT", "what share", .record = true },
	{ "ratio", OPT_DOUBLE, TCFG(ratio), "0.5", "X", "a ratio", .min = 0, .max = 2,
	  .record = true },
	{ "mode", OPT_ENUM, TCFG(mode), "slow", NULL, "how", .choices = t_modes, .record = true },
	{ "name", OPT_STRING, TCFG(name), "nobody", "TEXT", "what to call it", .record = true },
	{ "verbose", OPT_FLAG, TCFG(verbose), NULL, NULL, "say more", .record = true },
	{ "secret", OPT_UINT, TCFG(secret), "3", "N", "not part of the record" },
	OPT_END
};

struct t_ctx {
	struct run_config rc;
	struct t_config tc;
	struct opt_group groups[3];
	char *argv[T_MAX_ARGS + 2];
	int argc;
	char err[1024];
};

/* Parses "T_CMD @arg..." (NULL-terminated) into fresh configs of @t; returns opts_parse(). */
static int t_parse(struct t_ctx *t, ...)
	__attribute__((sentinel));
static int t_parse(struct t_ctx *t, ...)
{
	va_list ap;
	char *arg;

	memset(t, 0, sizeof(*t));
	t->groups[0] = (struct opt_group){ run_common_options, &t->rc, "Common" };
	t->groups[1] = (struct opt_group){ t_options, &t->tc, "Local" };
	t->argv[t->argc++] = T_CMD;
	va_start(ap, t);
	while ((arg = va_arg(ap, char *)) && t->argc < T_MAX_ARGS + 1)
		t->argv[t->argc++] = arg;
	va_end(ap);
	t->argv[t->argc] = NULL;
	return opts_parse(t->groups, t->argc, t->argv, t->err, sizeof(t->err));
}

/* The error is one line naming the command, and contains every NULL-terminated string. */
static bool t_err_is(const char *err, ...)
{
	const char *want;
	bool ok = err[0] && !strchr(err, '\n') && !strncmp(err, T_CMD ": ", strlen(T_CMD ": "));
	va_list ap;

	va_start(ap, err);
	while ((want = va_arg(ap, const char *)))
		ok &= strstr(err, want) != NULL;
	va_end(ap);
	return ok;
}

static bool t_near(double got, double want)
{
	return fabs(got - want) <= 1e-12 * fabs(want);
}

TEST(defaults)
{
	struct t_ctx t;

	unsetenv("MMUBENCH_STORE");	/* --store and --no-store read these */
	unsetenv("MMUBENCH_NO_STORE");
	ASSERT_EQ(1, t_parse(&t, NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(2, t.rc.vcpus);
	EXPECT_EQ(256 * MiB, t.rc.mem_per_vcpu);
	EXPECT_FALSE(t.rc.shared);
	EXPECT_EQ(0, t.rc.backing);		/* anon */
	EXPECT_EQ(NULL, t.rc.backing_path);
	EXPECT_EQ(RUN_GUEST_PAGE_4K, t.rc.guest_page);
	EXPECT_EQ(RUN_CPL_AUTO, t.rc.cpl);
	EXPECT_EQ(NULL, t.rc.cpus);
	EXPECT_EQ(RUN_PIN_AUTO, t.rc.pin);
	ASSERT_NE(NULL, t.rc.mem_node);
	EXPECT_STREQ("any", t.rc.mem_node);
	EXPECT_EQ(0, t.rc.pattern);		/* sequential */
	EXPECT_EQ(1, t.rc.seed);
	EXPECT_EQ(50, t.rc.write_pct);
	EXPECT_EQ(90, t.rc.hot_pct);
	EXPECT_TRUE(t_near(t.rc.hot_frac, 0.1));
	EXPECT_TRUE(t_near(t.rc.zipf_theta, 0.99));
	EXPECT_EQ(NULL, t.rc.label);
	EXPECT_EQ(NULL, t.rc.json);
	EXPECT_EQ(NULL, t.rc.store);
	EXPECT_FALSE(t.rc.no_store);
	EXPECT_FALSE(t.rc.ktap);
	EXPECT_FALSE(t.rc.quiet);

	EXPECT_EQ(7, t.tc.count);
	EXPECT_EQ(64 * KiB, t.tc.size);
	EXPECT_EQ(25, t.tc.share);
	EXPECT_TRUE(t_near(t.tc.ratio, 0.5));
	EXPECT_EQ(1, t.tc.mode);		/* slow */
	ASSERT_NE(NULL, t.tc.name);
	EXPECT_STREQ("nobody", t.tc.name);
	EXPECT_FALSE(t.tc.verbose);
	EXPECT_EQ(3, t.tc.secret);
}

/* Defaults are applied on every call, over whatever the config held. */
TEST(defaults_overwrite)
{
	struct opt_group groups[] = { { t_options, NULL, NULL }, { NULL } };
	char *argv[] = { T_CMD, NULL };
	struct t_config tc = {
		.count = 999, .size = 1, .share = 99, .ratio = 1.5, .mode = 2, .name = "stale",
		.secret = 42,
	};
	char err[256] = "";

	groups[0].cfg = &tc;
	ASSERT_EQ(1, opts_parse(groups, 1, argv, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(7, tc.count);
	EXPECT_EQ(64 * KiB, tc.size);
	EXPECT_EQ(25, tc.share);
	EXPECT_TRUE(t_near(tc.ratio, 0.5));
	EXPECT_EQ(1, tc.mode);
	EXPECT_STREQ("nobody", tc.name);
	EXPECT_EQ(3, tc.secret);
}

TEST(type_uint)
{
	struct t_ctx t;

	ASSERT_EQ(7, t_parse(&t, "--vcpus", "4", "--seed", "18446744073709551615",
			     "--count", "1000", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(4, t.rc.vcpus);
	EXPECT_EQ(UINT64_MAX, t.rc.seed);
	EXPECT_EQ(1000, t.tc.count);

	ASSERT_EQ(2, t_parse(&t, "--vcpus=64", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(64, t.rc.vcpus);
	ASSERT_EQ(3, t_parse(&t, "--count", "1", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(1, t.tc.count);
}

TEST(type_size)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} sizes[] = {
		{ "4096", 4096 },
		{ "4K", 4 * KiB },
		{ "4k", 4 * KiB },
		{ "256M", 256 * MiB },
		{ "1G", GiB },
		{ "1.5G", 3 * GiB / 2 },
		{ "2GiB", 2 * GiB },
		{ "1T", 1024 * GiB },
	};
	struct t_ctx t;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		ASSERT_EQ(3, t_parse(&t, "--size", sizes[i].text, NULL)) TH_LOG("%s", t.err);
		EXPECT_EQ(sizes[i].bytes, t.tc.size) TH_LOG("--size %s", sizes[i].text);
	}
	ASSERT_EQ(3, t_parse(&t, "--mem-per-vcpu", "1.5G", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(3 * GiB / 2, t.rc.mem_per_vcpu);
	ASSERT_EQ(3, t_parse(&t, "--mem-per-vcpu", "2M", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(2 * MiB, t.rc.mem_per_vcpu);
}

TEST(type_pct)
{
	struct t_ctx t;

	ASSERT_EQ(5, t_parse(&t, "--write-pct", "0", "--share", "100", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(0, t.rc.write_pct);
	EXPECT_EQ(100, t.tc.share);
	ASSERT_EQ(3, t_parse(&t, "--hot-pct", "37", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(37, t.rc.hot_pct);
}

TEST(type_double)
{
	struct t_ctx t;

	ASSERT_EQ(7, t_parse(&t, "--ratio", "1.25", "--hot-frac", "1", "--zipf-theta", "0",
			     NULL)) TH_LOG("%s", t.err);
	EXPECT_TRUE(t_near(t.tc.ratio, 1.25));
	EXPECT_TRUE(t_near(t.rc.hot_frac, 1));
	EXPECT_EQ(0, t.rc.zipf_theta);
	ASSERT_EQ(3, t_parse(&t, "--ratio", "2e-1", NULL)) TH_LOG("%s", t.err);
	EXPECT_TRUE(t_near(t.tc.ratio, 0.2));
}

TEST(type_enum)
{
	struct t_ctx t;

	ASSERT_EQ(11, t_parse(&t, "--pattern", "zipf", "--backing", "file", "--guest-page", "2m",
			      "--cpl", "3", "--mode", "careful", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(3, t.rc.pattern);
	EXPECT_STREQ("file", backing_name(t.rc.backing));
	EXPECT_EQ(RUN_GUEST_PAGE_2M, t.rc.guest_page);
	EXPECT_EQ(RUN_CPL_3, t.rc.cpl);
	EXPECT_EQ(2, t.tc.mode);
	ASSERT_EQ(3, t_parse(&t, "--mode", "fast", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(0, t.tc.mode);
}

TEST(type_string)
{
	struct t_ctx t;

	ASSERT_EQ(7, t_parse(&t, "--label", "v6.12-rc1", "--cpus", "0-3,8", "--name", "",
			     NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(t.argv[2], t.rc.label);	/* points into argv */
	EXPECT_STREQ("0-3,8", t.rc.cpus);
	ASSERT_NE(NULL, t.tc.name);
	EXPECT_STREQ("", t.tc.name);
	EXPECT_EQ(NULL, t.rc.json);
}

TEST(type_flag)
{
	struct t_ctx t;

	ASSERT_EQ(5, t_parse(&t, "--shared", "--ktap", "--no-store", "--verbose", NULL))
		TH_LOG("%s", t.err);
	EXPECT_TRUE(t.rc.shared);
	EXPECT_TRUE(t.rc.ktap);
	EXPECT_TRUE(t.rc.no_store);
	EXPECT_TRUE(t.tc.verbose);
	EXPECT_FALSE(t.rc.quiet);
}

/* Every error: -EINVAL and one line naming the command, the option and the bad text. */
TEST(errors)
{
	static const struct {
		const char *args[3];
		const char *want[4];
	} cases[] = {
		{ { "--mem-per-vcpu", "0" }, { "--mem-per-vcpu 0", "out of range", "[2M, 1T]" } },
		{ { "--mem-per-vcpu", "2T" }, { "--mem-per-vcpu 2T", "out of range", "[2M, 1T]" } },
		{ { "--mem-per-vcpu", "lots" }, { "--mem-per-vcpu", "'lots'", "size like" } },
		{ { "--size", "1.5" }, { "--size", "'1.5'", "size like" } },
		{ { "--size", "12Q" }, { "--size", "'12Q'", "size like" } },
		{ { "--write-pct", "101" }, { "--write-pct 101", "not a percentage" } },
		{ { "--share", "1000" }, { "--share 1000", "not a percentage" } },
		{ { "--hot-pct", "-1" }, { "--hot-pct", "'-1'", "whole number" } },
		{ { "--pattern", "bogus" },
		  { "--pattern", "'bogus'", "sequential, uniform, hotcold, zipf" } },
		{ { "--mode", "FAST" }, { "--mode", "'FAST'", "fast, slow, careful" } },
		{ { "--vcpus", "abc" }, { "--vcpus", "whole number", "'abc'" } },
		{ { "--vcpus", "2.5" }, { "--vcpus", "whole number", "'2.5'" } },
		{ { "--vcpus", "0" }, { "--vcpus 0", "out of range", "[1, 64]" } },
		{ { "--vcpus", "65" }, { "--vcpus 65", "out of range", "[1, 64]" } },
		{ { "--vcpus=" }, { "--vcpus", "whole number", "''" } },
		{ { "--count", "1001" }, { "--count 1001", "out of range", "[1, 1000]" } },
		{ { "--ratio", "abc" }, { "--ratio", "expects a number", "'abc'" } },
		{ { "--ratio", "nan" }, { "--ratio", "expects a number", "'nan'" } },
		{ { "--ratio", "2.5" }, { "--ratio 2.5", "out of range", "[0, 2]" } },
		{ { "--hot-frac", "0" }, { "--hot-frac 0", "out of range", "[0.0001, 1]" } },
		{ { "--frobnicate" }, { "unknown option '--frobnicate'" } },
		{ { "--frobnicate=3" }, { "unknown option '--frobnicate=3'" } },
		{ { "-x" }, { "unknown option '-x'" } },
		{ { "--vcpus" }, { "--vcpus needs a value" } },
		{ { "--vcpus", "4", "--pattern" }, { "--pattern needs a value" } },
		{ { "--ktap=yes" }, { "--ktap", "no value" } },
		{ { "--help=yes" }, { "--help", "no value" } },
		{ { "--pattern", "bo\ngus" }, { "--pattern", "'bo", "gus'" } },
	};
	struct t_ctx t;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *const *a = cases[i].args, *const *w = cases[i].want;

		ASSERT_EQ(-EINVAL, t_parse(&t, a[0], a[1], a[2], NULL))
			TH_LOG("case %zu: %s %s", i, a[0], a[1] ? a[1] : "");
		EXPECT_TRUE(t_err_is(t.err, w[0], w[1], w[2], w[3]))
			TH_LOG("case %zu: %s %s -> \"%s\"", i, a[0], a[1] ? a[1] : "", t.err);
	}
}

TEST(help)
{
	struct t_ctx t;

	EXPECT_EQ(-EAGAIN, t_parse(&t, "--help", NULL));
	EXPECT_EQ(-EAGAIN, t_parse(&t, "-h", NULL));
	EXPECT_EQ(-EAGAIN, t_parse(&t, "--vcpus", "4", "--help", "--frobnicate", NULL));
	/* after the first operand, "--help" is an operand too */
	EXPECT_EQ(1, t_parse(&t, "suite.job", "--help", NULL));
}

TEST(operand_index)
{
	struct t_ctx t;

	ASSERT_EQ(3, t_parse(&t, "--vcpus", "4", "suite.job", "--ktap", NULL)) TH_LOG("%s", t.err);
	EXPECT_STREQ("suite.job", t.argv[3]);
	EXPECT_EQ(4, t.rc.vcpus);
	EXPECT_FALSE(t.rc.ktap);		/* parsing stops at the first operand */

	ASSERT_EQ(3, t_parse(&t, "--shared", "--", "--ktap", "x", NULL)) TH_LOG("%s", t.err);
	EXPECT_STREQ("--ktap", t.argv[3]);
	EXPECT_TRUE(t.rc.shared);
	EXPECT_FALSE(t.rc.ktap);

	ASSERT_EQ(4, t_parse(&t, "--ktap", "--count", "9", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(t.argc, 4);			/* no operand: argc */
	EXPECT_EQ(9, t.tc.count);
}

/* One parse must not leak getopt state into the next (e.g. a half-read "-xy"). */
TEST(reparse_after_error)
{
	struct t_ctx t;

	ASSERT_EQ(-EINVAL, t_parse(&t, "-xy", NULL));
	EXPECT_TRUE(t_err_is(t.err, "unknown option '-x'", NULL)) TH_LOG("%s", t.err);
	ASSERT_EQ(3, t_parse(&t, "--vcpus", "4", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(4, t.rc.vcpus);

	ASSERT_EQ(-EAGAIN, t_parse(&t, "-hz", NULL));
	ASSERT_EQ(2, t_parse(&t, "--shared", NULL)) TH_LOG("%s", t.err);
	EXPECT_TRUE(t.rc.shared);
}

/* The record's params: record = true options only, final values, enums by name. */
TEST(to_json)
{
	struct json_object *o, *v;
	struct t_ctx t;
	int nrecord = 0;

	ASSERT_EQ(19, t_parse(&t, "--vcpus", "4", "--mem-per-vcpu", "1.5G", "--pattern", "zipf",
			      "--hot-frac", "0.25", "--shared", "--label", "L", "--ktap",
			      "--mode", "careful", "--name", "N", "--secret", "9", NULL))
		TH_LOG("%s", t.err);
	o = opts_to_json(t.groups);
	ASSERT_NE(NULL, o);

	for (int g = 0; g < 2; g++) {
		for (const struct opt_desc *d = t.groups[g].opts; d->name; d++) {
			EXPECT_EQ(d->record, json_object_object_get_ex(o, d->name, NULL))
				TH_LOG("--%s: record=%d", d->name, d->record);
			nrecord += d->record;
		}
	}
	EXPECT_EQ(nrecord, json_object_object_length(o));
	EXPECT_FALSE(json_object_object_get_ex(o, "help", NULL));

	ASSERT_TRUE(json_object_object_get_ex(o, "vcpus", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_int));
	EXPECT_EQ(4, json_object_get_int64(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "mem-per-vcpu", &v));
	EXPECT_EQ(3 * GiB / 2, json_object_get_uint64(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "pattern", &v));
	ASSERT_TRUE(json_object_is_type(v, json_type_string));
	EXPECT_STREQ("zipf", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "backing", &v));
	ASSERT_TRUE(json_object_is_type(v, json_type_string));
	EXPECT_STREQ("anon", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "cpl", &v));
	ASSERT_TRUE(json_object_is_type(v, json_type_string));
	EXPECT_STREQ("auto", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "hot-frac", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_double));
	EXPECT_TRUE(t_near(json_object_get_double(v), 0.25));
	ASSERT_TRUE(json_object_object_get_ex(o, "shared", &v));
	ASSERT_TRUE(json_object_is_type(v, json_type_boolean));
	EXPECT_TRUE(json_object_get_boolean(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "write-pct", &v));
	EXPECT_EQ(50, json_object_get_int64(v));	/* defaults are final values too */
	ASSERT_TRUE(json_object_object_get_ex(o, "backing-path", &v));
	EXPECT_EQ(NULL, v);				/* unset string: null */
	ASSERT_TRUE(json_object_object_get_ex(o, "mode", &v));
	EXPECT_STREQ("careful", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "name", &v));
	EXPECT_STREQ("N", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "verbose", &v));
	ASSERT_TRUE(json_object_is_type(v, json_type_boolean));
	EXPECT_FALSE(json_object_get_boolean(v));
	json_object_put(o);
}

TEST(help_text)
{
	char *text = NULL, line[512], want[128];
	size_t len = 0;
	struct t_ctx t;
	FILE *f;

	ASSERT_EQ(1, t_parse(&t, NULL));
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	opts_help(f, t.groups);
	ASSERT_EQ(0, fclose(f));
	ASSERT_NE(NULL, text);

	EXPECT_EQ(0, strncmp(text, "Common:\n", 8));
	EXPECT_NE(NULL, strstr(text, "\nLocal:\n"));
	EXPECT_NE(NULL, strstr(text, "-h, --help"));
	for (int g = 0; g < 2; g++) {
		for (const struct opt_desc *d = t.groups[g].opts; d->name; d++) {
			if (d->hidden) {
				EXPECT_EQ(NULL, t_help_entry(text, d->name, line, sizeof(line)))
					TH_LOG("hidden --%s is in the help", d->name);
				continue;
			}
			ASSERT_NE(NULL, t_help_entry(text, d->name, line, sizeof(line)))
				TH_LOG("--%s is missing from the help", d->name);
			EXPECT_NE(NULL, strstr(line, d->help)) TH_LOG("%s", line);
			if (!d->def || d->type == OPT_FLAG)
				continue;
			snprintf(want, sizeof(want), "[default: %s]", d->def);
			EXPECT_NE(NULL, strstr(line, want)) TH_LOG("no %s in: %s", want, line);
		}
	}
	ASSERT_NE(NULL, t_help_entry(text, "pattern", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "sequential|uniform|hotcold|zipf")) TH_LOG("%s", line);
	ASSERT_NE(NULL, t_help_entry(text, "mode", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "fast|slow|careful")) TH_LOG("%s", line);
	ASSERT_NE(NULL, t_help_entry(text, "mem-per-vcpu", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "--mem-per-vcpu SIZE")) TH_LOG("%s", line);
	free(text);
}

/* The features of the newer tables: lists, registry choices, env, hidden, validate, pairs. */
struct t_new {
	struct strlist tags;
	int color;
	const char *dir;
	bool quiet;
	uint64_t level;
	const char *internal;
};

#define NCFG(f) offsetof(struct t_new, f)

static const char *t_color(size_t i)
{
	static const char *const colors[] = { "red", "green", "blue" };

	return i < ARRAY_SIZE(colors) ? colors[i] : NULL;
}

static const struct opt_desc t_new_options[] = {
	{ "tag", OPT_LIST, NCFG(tags), "one,two", NULL, "tags (comma list, repeatable)",
	  .record = true },
	{ "color", OPT_ENUM, NCFG(color), "green", NULL, "a color", .choices_fn = t_color,
	  .record = true },
	{ "dir", OPT_STRING, NCFG(dir), NULL, "DIR", "where", .env = "MMUBENCH_RECORD_DIR" },
	{ "quiet", OPT_FLAG, NCFG(quiet), NULL, NULL, "hush", .env = "MMUBENCH_NO_STORE" },
	{ "level", OPT_UINT, NCFG(level), "1", "N", "how loud", .max = 9 },
	{ "internal", OPT_STRING, NCFG(internal), NULL, "TEXT", "for the rig", .hidden = true },
	OPT_END
};

/* level must stay below count of the other group, which a validate reads by name. */
static int t_new_validate(const void *cfg, const struct opt_group *groups, char *err,
			  size_t errlen)
{
	const struct t_new *n = cfg;
	const uint64_t *count = opts_value(groups, "count");

	if (count && n->level >= *count)
		return errf(err, errlen, -EINVAL, "--level %llu needs --count above it",
			    (unsigned long long)n->level);
	return 0;
}

struct t_nctx {
	struct t_config tc;
	struct t_new nc;
	struct opt_group groups[3];
	char *argv[T_MAX_ARGS + 2];
	int argc;
	char err[1024];
};

static const struct opt_default t_pairs[] = { { "count", "5" }, { "share", "75" }, { NULL } };

static void t_nsetup(struct t_nctx *t)
{
	if (t->groups[0].opts)	/* the lists of the previous parse */
		opts_release(t->groups);
	memset(t, 0, sizeof(*t));
	t->groups[0] = (struct opt_group){ t_options, &t->tc, "Local", t_pairs };
	t->groups[1] = (struct opt_group){ t_new_options, &t->nc, "New",
					   .validate = t_new_validate };
}

static int t_nparse(struct t_nctx *t, ...) __attribute__((sentinel));
static int t_nparse(struct t_nctx *t, ...)
{
	va_list ap;
	char *arg;

	t_nsetup(t);
	t->argv[t->argc++] = T_CMD;
	va_start(ap, t);
	while ((arg = va_arg(ap, char *)) && t->argc < T_MAX_ARGS + 1)
		t->argv[t->argc++] = arg;
	va_end(ap);
	t->argv[t->argc] = NULL;
	return opts_parse(t->groups, t->argc, t->argv, t->err, sizeof(t->err));
}

TEST(list_repeatable_and_split)
{
	struct t_nctx t = { 0 };

	ASSERT_EQ(1, t_nparse(&t, NULL)) TH_LOG("%s", t.err);
	ASSERT_EQ(2, t.nc.tags.n);		/* the default, split */
	EXPECT_STREQ("one", t.nc.tags.v[0]);
	EXPECT_STREQ("two", t.nc.tags.v[1]);
	/* the command line replaces the default; repeats and commas add up, trimmed */
	ASSERT_EQ(6, t_nparse(&t, "--tag", "a, b", "--tag=c", "--tag", ",", NULL))
		TH_LOG("%s", t.err);
	ASSERT_EQ(3, t.nc.tags.n);
	EXPECT_STREQ("a", t.nc.tags.v[0]);
	EXPECT_STREQ("b", t.nc.tags.v[1]);
	EXPECT_STREQ("c", t.nc.tags.v[2]);
	opts_release(t.groups);
	EXPECT_EQ(0, t.nc.tags.n);
	EXPECT_EQ(NULL, t.nc.tags.v);
}

TEST(list_in_json)
{
	struct json_object *o, *v;
	struct t_nctx t = { 0 };

	ASSERT_EQ(3, t_nparse(&t, "--tag", "x,y", NULL)) TH_LOG("%s", t.err);
	o = opts_to_json(t.groups);
	ASSERT_TRUE(json_object_object_get_ex(o, "tag", &v));
	ASSERT_TRUE(json_object_is_type(v, json_type_array));
	ASSERT_EQ(2, json_object_array_length(v));
	EXPECT_STREQ("y", json_object_get_string(json_object_array_get_idx(v, 1)));
	json_object_put(o);
	opts_release(t.groups);
}

TEST(choices_fn)
{
	struct json_object *o, *v;
	struct t_nctx t = { 0 };

	ASSERT_EQ(1, t_nparse(&t, NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(1, t.nc.color);		/* green */
	ASSERT_EQ(3, t_nparse(&t, "--color", "blue", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(2, t.nc.color);
	o = opts_to_json(t.groups);
	ASSERT_TRUE(json_object_object_get_ex(o, "color", &v));
	EXPECT_STREQ("blue", json_object_get_string(v));
	json_object_put(o);
	EXPECT_EQ(-EINVAL, t_nparse(&t, "--color", "mauve", NULL));
	EXPECT_TRUE(t_err_is(t.err, "--color 'mauve' is not one of: red, green, blue", NULL))
		TH_LOG("%s", t.err);
	EXPECT_STREQ("blue", opts_choice(&t_new_options[1], 2));
	EXPECT_EQ(NULL, opts_choice(&t_new_options[1], 3));
	/* the registries' own: --backing reads kernel/kvm/backings.def */
	EXPECT_STREQ("anon", backing_name(0));
	opts_release(t.groups);
}

TEST(env_default)
{
	struct t_nctx t = { 0 };

	unsetenv("MMUBENCH_RECORD_DIR");
	unsetenv("MMUBENCH_NO_STORE");
	ASSERT_EQ(1, t_nparse(&t, NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(NULL, t.nc.dir);
	EXPECT_FALSE(t.nc.quiet);
	ASSERT_EQ(0, setenv("MMUBENCH_RECORD_DIR", "/from/env", 1));
	ASSERT_EQ(0, setenv("MMUBENCH_NO_STORE", "", 1));	/* set is on, whatever the value */
	ASSERT_EQ(1, t_nparse(&t, NULL)) TH_LOG("%s", t.err);
	EXPECT_STREQ("/from/env", t.nc.dir);
	EXPECT_TRUE(t.nc.quiet);
	ASSERT_EQ(3, t_nparse(&t, "--dir", "/from/argv", NULL)) TH_LOG("%s", t.err);
	EXPECT_STREQ("/from/argv", t.nc.dir);	/* the command line wins */
	unsetenv("MMUBENCH_RECORD_DIR");
	unsetenv("MMUBENCH_NO_STORE");
	opts_release(t.groups);
}

/* env_get() serves the table's names only: the table is the whole list. */
TEST(env_table_only)
{
	ASSERT_EQ(0, setenv("MMUBENCH_NOT_A_KNOB", "x", 1));
	EXPECT_EQ(NULL, env_get("MMUBENCH_NOT_A_KNOB"));
	unsetenv("MMUBENCH_NOT_A_KNOB");
	ASSERT_EQ(0, setenv("TMPDIR", "/t", 1));
	EXPECT_STREQ("/t", env_get("TMPDIR"));
	unsetenv("TMPDIR");
	/* every .env of the real tables names a knob */
	for (const struct opt_desc *o = run_common_options; o->name; o++) {
		bool found = !o->env;

		for (const struct env_knob *k = env_knobs; o->env && k->name; k++)
			found |= !strcmp(k->name, o->env);
		EXPECT_TRUE(found) TH_LOG("--%s reads %s, not in env_knobs[]", o->name, o->env);
	}
}

TEST(hidden)
{
	char *text = NULL, line[512];
	struct t_nctx t = { 0 };
	size_t len = 0;
	FILE *f;

	ASSERT_EQ(3, t_nparse(&t, "--internal", "s", NULL)) TH_LOG("%s", t.err);
	EXPECT_STREQ("s", t.nc.internal);	/* parsed like any other */
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	opts_help(f, t.groups);
	opts_man(f, t.groups);
	ASSERT_EQ(0, fclose(f));
	EXPECT_NE(NULL, t_help_entry(text, "level", line, sizeof(line)));
	EXPECT_EQ(NULL, strstr(text, "internal")) TH_LOG("%s", text);
	EXPECT_EQ(NULL, strstr(text, "for the rig")) TH_LOG("%s", text);
	free(text);
	opts_release(t.groups);
}

TEST(validate)
{
	struct t_nctx t = { 0 };

	ASSERT_EQ(3, t_nparse(&t, "--level", "4", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(-EINVAL, t_nparse(&t, "--level", "5", NULL));
	EXPECT_TRUE(t_err_is(t.err, "--level 5 needs --count above it", NULL)) TH_LOG("%s", t.err);
	ASSERT_EQ(5, t_nparse(&t, "--level", "5", "--count", "6", NULL)) TH_LOG("%s", t.err);
	/* --help wins over a broken rule */
	EXPECT_EQ(-EAGAIN, t_nparse(&t, "--level", "9", "--help", NULL));
	opts_release(t.groups);
}

TEST(default_pairs)
{
	char *text = NULL, line[512];
	struct t_nctx t = { 0 };
	size_t len = 0;
	FILE *f;

	ASSERT_EQ(1, t_nparse(&t, NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(5, t.tc.count);		/* the pair, not the table's 7 */
	EXPECT_EQ(75, t.tc.share);
	EXPECT_EQ(64 * KiB, t.tc.size);		/* no pair: the table's */
	ASSERT_EQ(3, t_nparse(&t, "--count", "9", NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(9, t.tc.count);
	/* without argv, as catalog_default_params() does */
	t_nsetup(&t);
	t.tc.count = 999;
	ASSERT_EQ(0, opts_apply_defaults(t.groups, T_CMD, t.err, sizeof(t.err))) TH_LOG("%s", t.err);
	EXPECT_EQ(5, t.tc.count);
	/* --help shows the default in force */
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	opts_help(f, t.groups);
	ASSERT_EQ(0, fclose(f));
	ASSERT_NE(NULL, t_help_entry(text, "count", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "[default: 5]")) TH_LOG("%s", line);
	free(text);
	opts_release(t.groups);
}

TEST(default_pair_errors)
{
	static const struct opt_default bad_name[] = { { "nonesuch", "1" }, { NULL } };
	static const struct opt_default bad_value[] = { { "count", "lots" }, { NULL } };
	struct t_config tc = { 0 };
	struct opt_group g[] = { { t_options, &tc, NULL, bad_name }, { NULL } };
	char err[256];

	EXPECT_EQ(-EINVAL, opts_apply_defaults(g, T_CMD, err, sizeof(err)));
	EXPECT_TRUE(t_err_is(err, "--nonesuch", NULL)) TH_LOG("%s", err);
	g[0].defaults = bad_value;
	EXPECT_EQ(-EINVAL, opts_apply_defaults(g, T_CMD, err, sizeof(err)));
	EXPECT_TRUE(t_err_is(err, "--count", "'lots'", NULL)) TH_LOG("%s", err);
}

/* opts_set(): one option by name, as a job file's key sets it. */
TEST(set_by_name)
{
	struct t_nctx t = { 0 };
	char err[256];

	ASSERT_EQ(1, t_nparse(&t, NULL)) TH_LOG("%s", t.err);
	EXPECT_EQ(0, opts_set(t.groups, "x.job:3", "count", "12", err, sizeof(err)));
	EXPECT_EQ(12, t.tc.count);
	EXPECT_EQ(0, opts_set(t.groups, "x.job:3", "verbose", "true", err, sizeof(err)));
	EXPECT_TRUE(t.tc.verbose);
	EXPECT_EQ(0, opts_set(t.groups, "x.job:3", "verbose", "false", err, sizeof(err)));
	EXPECT_FALSE(t.tc.verbose);
	EXPECT_EQ(-EINVAL, opts_set(t.groups, "x.job:3", "verbose", "yes", err, sizeof(err)));
	EXPECT_EQ(0, strncmp(err, "x.job:3: --verbose", 18)) TH_LOG("%s", err);
	EXPECT_EQ(-EINVAL, opts_set(t.groups, "x.job:4", "count", "0", err, sizeof(err)));
	EXPECT_STREQ("x.job:4: --count 0 is out of range [1, 1000]", err);
	EXPECT_EQ(-ENOENT, opts_set(t.groups, "x.job:5", "cuont", "1", err, sizeof(err)));
	EXPECT_EQ(NULL, opts_find(t.groups, "cuont", NULL));
	opts_release(t.groups);
}

#define T_MAN_COUNT ".SS Local\n.TP\n.BI \\-\\-count \" N\"\nhow many [default: 5]\n"

TEST(man_roff)
{
	char *text = NULL;
	struct t_nctx t = { 0 };
	size_t len = 0;
	FILE *f;

	t_nsetup(&t);
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	opts_man(f, t.groups);
	ASSERT_EQ(0, fclose(f));
	EXPECT_EQ(0, strncmp(text, T_MAN_COUNT, strlen(T_MAN_COUNT))) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, ".BI \\-\\-color \" red|green|blue\"\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, ".B \\-\\-verbose\nsay more\n")) TH_LOG("%s", text);
	free(text);
}

TEST_HARNESS_MAIN
