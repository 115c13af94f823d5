// SPDX-License-Identifier: GPL-2.0
/*
 * The mmubench binary as users run it: bad input gives one line on stderr
 * naming the problem and exit status 2, with nothing on stdout; --help, list
 * and probe --json; then real runs of the access scenario (skipped when
 * /dev/kvm cannot be opened) checked through their JSON record, KTAP output
 * and SQLite store.
 *
 * ASSERT_*() expand to two statements: loops and ifs around them keep braces.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include <sqlite3.h>

#include "kselftest_harness.h"
#include "tests/t_util.h"

#include "src/lib/env.h"

#include "tests/t_spawn.h"

static int t_count_char(const char *s, char c)
{
	int n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* The line of @text that contains @needle (in @line), or NULL. */
static char *t_line_with(const char *text, const char *needle, char *line, size_t len)
{
	const char *p = strstr(text, needle), *start, *end;

	if (!p)
		return NULL;
	for (start = p; start > text && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	snprintf(line, len, "%.*s", end ? (int)(end - start) : (int)strlen(start), start);
	return line;
}

/*
 * Bad input: exit status 2, nothing on stdout, exactly one line on stderr
 * that comes from mmubench and names @needle.
 */
static void t_check_usage_error(struct __test_metadata *_metadata, struct t_out *r,
				const char *needle)
{
	EXPECT_EQ(T_EXIT_USAGE, r->status) t_show("stderr", r->err);
	EXPECT_STREQ("", r->out);
	EXPECT_EQ(1, t_count_char(r->err, '\n')) t_show("stderr", r->err);
	ASSERT_NE('\0', r->err[0]);
	EXPECT_EQ('\n', r->err[strlen(r->err) - 1]) t_show("stderr", r->err);
	EXPECT_EQ(0, strncmp(r->err, "mmubench", 8)) t_show("stderr", r->err);
	EXPECT_NE(NULL, strstr(r->err, needle)) {
		TH_LOG("stderr does not mention \"%s\"", needle);
		t_show("stderr", r->err);
	}
}

TEST(bad_unknown_option)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "access", "--frobnicate", NULL));
	t_check_usage_error(_metadata, &r, "unknown option '--frobnicate'");
	t_out_free(&r);
}

TEST(bad_mem_per_vcpu_zero)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "access", "--mem-per-vcpu", "0", NULL));
	t_check_usage_error(_metadata, &r, "--mem-per-vcpu 0");
	EXPECT_NE(NULL, strstr(r.err, "range")) t_show("stderr", r.err);
	t_out_free(&r);
}

TEST(bad_value_types)
{
	static const char *const cases[][3] = {
		{ "--write-pct", "101", "--write-pct 101" },
		{ "--pattern", "bogus", "'bogus'" },
		{ "--vcpus", "abc", "'abc'" },
		{ "--vcpus", NULL, "--vcpus needs a value" },
		{ "--ktap=yes", NULL, "--ktap" },
		{ "--pattern", "bo\ngus", "--pattern" },	/* still one line */
	};
	struct t_out r;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, t_run(&r, "run", "access", cases[i][0], cases[i][1], NULL));
		t_check_usage_error(_metadata, &r, cases[i][2]);
		t_out_free(&r);
	}
}

/* Whatever was typed, the message stays on one line. */
TEST(bad_input_one_line)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "access", "--vcpus", "1", "extra\nline", NULL));
	t_check_usage_error(_metadata, &r, "'extra");
	t_out_free(&r);
	ASSERT_EQ(0, t_run(&r, "run", "access", "--backing", "file",
			   "--backing-path", "/nonexistent\ndir", NULL));
	t_check_usage_error(_metadata, &r, "/nonexistent");
	t_out_free(&r);
	ASSERT_EQ(0, t_run(&r, "run", "no\nsuch", NULL));
	t_check_usage_error(_metadata, &r, "unknown scenario 'no");
	t_out_free(&r);
}

TEST(bad_unexpected_argument)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "access", "--vcpus", "1", "extra", NULL));
	t_check_usage_error(_metadata, &r, "'extra'");
	t_out_free(&r);
}

TEST(bad_backing_path)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "access", "--backing", "file",
			   "--backing-path", "/nonexistent/dir", NULL));
	t_check_usage_error(_metadata, &r, "/nonexistent/dir");
	t_out_free(&r);

	ASSERT_EQ(0, t_run(&r, "run", "access", "--backing", "file", NULL));
	t_check_usage_error(_metadata, &r, "--backing-path");
	t_out_free(&r);
}

/* More vCPUs than the CPUs given, all of them allowed: no way to pin one per CPU. */
TEST(bad_more_vcpus_than_cpus)
{
	char list[8192] = "", vcpus[16];
	struct t_out r;
	cpu_set_t set;
	int n = 0;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d", n ? "," : "",
			 cpu);
		n++;
	}
	ASSERT_LT(0, n);
	snprintf(vcpus, sizeof(vcpus), "%d", n + 1);
	ASSERT_EQ(0, t_run(&r, "run", "access", "--vcpus", vcpus, "--cpus", list, NULL));
	/* past 64 vCPUs --vcpus itself is out of range; the message says so */
	t_check_usage_error(_metadata, &r, n + 1 <= 64 ? list : "--vcpus");
	t_out_free(&r);
}

TEST(bad_three_vcpus_on_one_cpu)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "access", "--vcpus", "3", "--cpus", "0", NULL));
	t_check_usage_error(_metadata, &r, "--cpus 0");
	t_out_free(&r);
}

TEST(bad_scenario)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "nosuchscenario", NULL));
	t_check_usage_error(_metadata, &r, "'nosuchscenario'");
	t_out_free(&r);
}

TEST(bad_command)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "frobnicate", NULL));
	t_check_usage_error(_metadata, &r, "'frobnicate'");
	t_out_free(&r);
}

TEST(help)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "--help", NULL));
	EXPECT_EQ(0, r.status) t_show("stderr", r.err);
	EXPECT_STREQ("", r.err);
	EXPECT_EQ(0, strncmp(r.out, "usage: mmubench", 15)) t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\n  run ")) t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\n  list ")) t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\n  probe ")) t_show("stdout", r.out);
	t_out_free(&r);
}

TEST(help_run_access)
{
	char line[512];
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "access", "--help", NULL));
	EXPECT_EQ(0, r.status) t_show("stderr", r.err);
	EXPECT_STREQ("", r.err);
	ASSERT_NE(NULL, t_help_entry(r.out, "vcpus", line, sizeof(line)))
		t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(line, "[default: 2]")) TH_LOG("%s", line);
	ASSERT_NE(NULL, t_help_entry(r.out, "passes", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "[default: 4]")) TH_LOG("%s", line);
	ASSERT_NE(NULL, t_line_with(r.out, "  populate_p50_us ", line, sizeof(line)))
		t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(line, " us ")) TH_LOG("%s", line);
	ASSERT_NE(NULL, t_line_with(r.out, "  access_ns_per_page ", line, sizeof(line)))
		t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(line, " ns/page ")) TH_LOG("%s", line);
	t_out_free(&r);
}

TEST(list)
{
	char line[512];
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "list", NULL));
	EXPECT_EQ(0, r.status) t_show("stderr", r.err);
	EXPECT_NE(NULL, strstr(r.out, "\n  access ")) t_show("stdout", r.out);
	ASSERT_NE(NULL, t_line_with(r.out, "  populate_p50_us ", line, sizeof(line)))
		t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(line, " us ")) TH_LOG("%s", line);
	ASSERT_NE(NULL, t_line_with(r.out, "  access_ns_per_page ", line, sizeof(line)))
		t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(line, " ns/page ")) TH_LOG("%s", line);
	t_out_free(&r);
}

TEST(probe_json)
{
	struct json_object *o, *kvm, *flavour;
	const char *f;
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "probe", "--json", NULL));
	EXPECT_EQ(0, r.status) t_show("stderr", r.err);
	o = json_tokener_parse(r.out);
	ASSERT_NE(NULL, o) t_show("stdout, not JSON", r.out);
	ASSERT_TRUE(json_object_is_type(o, json_type_object));
	ASSERT_TRUE(json_object_object_get_ex(o, "kvm", &kvm));
	ASSERT_TRUE(json_object_is_type(kvm, json_type_object));
	ASSERT_TRUE(json_object_object_get_ex(kvm, "flavour", &flavour));
	ASSERT_TRUE(json_object_is_type(flavour, json_type_string));
	f = json_object_get_string(flavour);
	EXPECT_TRUE(!strcmp(f, "vmx") || !strcmp(f, "svm") || !strcmp(f, "pvm") ||
		    !strcmp(f, "none")) TH_LOG("flavour '%s'", f);
	json_object_put(o);
	t_out_free(&r);
}

/* The default --help shows is the one the scenario runs with, not the common table's. */
TEST(help_shows_scenario_defaults)
{
	char line[512];
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "dirty", "--help", NULL));
	ASSERT_NE(NULL, t_help_entry(r.out, "write-pct", line, sizeof(line))) t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(line, "[default: 100]")) TH_LOG("%s", line);
	t_out_free(&r);
	ASSERT_EQ(0, t_run(&r, "run", "aging", "--help", NULL));
	ASSERT_NE(NULL, t_help_entry(r.out, "pattern", line, sizeof(line))) t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(line, "[default: hotcold]")) TH_LOG("%s", line);
	ASSERT_NE(NULL, t_help_entry(r.out, "hot-pct", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "[default: 100]")) TH_LOG("%s", line);
	/* the drivers' options under their drivers' heading */
	EXPECT_NE(NULL, strstr(r.out, "\nOptions of --driver mglru, memcg, pageout:\n  --reclaim-pct "))
		t_show("stdout", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\nOptions of --driver damon:\n  --damon-threshold "));
	/* the rig's option is not for people */
	EXPECT_EQ(NULL, strstr(r.out, "--record-dir"));
	t_out_free(&r);
	ASSERT_EQ(0, t_run(&r, "run", "access", "--help", NULL));
	ASSERT_NE(NULL, t_help_entry(r.out, "pattern", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, "[default: sequential]")) TH_LOG("%s", line);
	t_out_free(&r);
}

/*
 * Every line of list and of the options and metrics of every --help fits 79
 * columns (the metric tables reached 202); a scenario's own paragraph is prose.
 */
TEST(help_fits_79_columns)
{
	static const char *const cmds[][3] = {
		{ "run", "access", "--help" }, { "run", "aging", "--help" },
		{ "run", "dirty", "--help" }, { "list" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		struct t_out r;

		ASSERT_EQ(0, t_run(&r, cmds[i][0], cmds[i][1], cmds[i][2], NULL));
		EXPECT_EQ(0, r.status) t_show("stderr", r.err);
		const char *from = strstr(r.out, "\nVM, memory and pattern:\n");

		for (const char *p = from ? from : r.out, *e; *p; p = *e ? e + 1 : e) {
			e = strchrnul(p, '\n');
			EXPECT_GE(79, e - p) TH_LOG("%s %s: %.*s", cmds[i][0],
						   cmds[i][1] ? cmds[i][1] : "", (int)(e - p), p);
		}
		t_out_free(&r);
	}
}

/* mmubench --help lists every environment variable mmubench reads. */
TEST(help_lists_environment)
{
	char line[512];
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "--help", NULL));
	EXPECT_NE(NULL, strstr(r.out, "\nEnvironment (everything mmubench reads):\n"))
		t_show("stdout", r.out);
	for (const struct env_knob *k = env_knobs; k->name; k++) {
		char want[64];

		snprintf(want, sizeof(want), "\n  %s ", k->name);
		EXPECT_NE(NULL, t_line_with(r.out, want + 1, line, sizeof(line)))
			TH_LOG("%s is not in --help", k->name);
	}
	t_out_free(&r);
}

/* The man page's option lists are the tables': `mmubench help --man` is in it, verbatim. */
TEST(man_page_agrees_with_tables)
{
	static const char begin[] = ".\\\" BEGIN GENERATED", end[] = ".\\\" END GENERATED";
	char *page = NULL, *from, *to;
	size_t len = 0;
	struct t_out r;
	FILE *f;

	f = fopen(MMUBENCH_SRCDIR "/doc/mmubench.1", "r");
	ASSERT_NE(NULL, f);
	page = calloc(1, 1 << 20);
	ASSERT_NE(NULL, page);
	len = fread(page, 1, (1 << 20) - 1, f);
	fclose(f);
	ASSERT_LT(0, len);
	from = strstr(page, begin);
	ASSERT_NE(NULL, from) TH_LOG("no generated block in doc/mmubench.1");
	from = strchr(from, '\n') + 1;
	to = strstr(from, end);
	ASSERT_NE(NULL, to);
	*to = 0;
	ASSERT_EQ(0, t_run(&r, "help", "--man", NULL));
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ(r.out, from)
		TH_LOG("doc/mmubench.1 differs from the option tables: run `make update-man` (it "
		       "puts the output of `mmubench help --man` between the GENERATED lines)");
	/* the options the hand-written page used to miss */
	EXPECT_NE(NULL, strstr(from, "\\-\\-label"));
	EXPECT_NE(NULL, strstr(from, "\\-\\-backing\\-path"));
	EXPECT_NE(NULL, strstr(from, "\\-\\-extra"));
	EXPECT_NE(NULL, strstr(from, ".SH ENVIRONMENT\n"));
	t_out_free(&r);
	free(page);
}

/* A job file's typo fails at load time, naming file and line, before any run. */
TEST(suite_typo_fails_at_load)
{
	char path[] = "/tmp/mmubench-cli-job-XXXXXX", want[128];
	struct t_out r;
	int fd = mkstemp(path);
	FILE *f;

	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	ASSERT_NE(NULL, f);
	fputs("[global]\nvcpus = 1\n\n[a]\nscenario = access\npasses = 1\n\n"
	      "[b]\nscenario = aging\ndrvier = none\n", f);
	fclose(f);
	ASSERT_EQ(0, t_run(&r, "suite", path, NULL));
	unlink(path);
	snprintf(want, sizeof(want), "mmubench suite: %s:10: --drvier: unknown option\n", path);
	EXPECT_EQ(T_EXIT_USAGE, r.status);
	EXPECT_STREQ(want, r.err);
	EXPECT_STREQ("", r.out);
	t_out_free(&r);
}

/*
 * Real runs, each in its own temporary directory. The 6.12 harness's TEST_F
 * wrapper keeps a fork()ed pid across setjmp(); -Wclobbered rightly says so.
 * It is harmless with the teardown in the parent, which never longjmp()s.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclobbered"

FIXTURE(run) {
	char dir[256];
	char json[300];
	char store[300];
	char env_store[300];
};

FIXTURE_SETUP(run)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(self->dir, sizeof(self->dir), "%s/mmubench-cli-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	ASSERT_NE(NULL, mkdtemp(self->dir)) TH_LOG("mkdtemp %s: %s", self->dir, strerror(errno));
	snprintf(self->json, sizeof(self->json), "%s/r.json", self->dir);
	snprintf(self->store, sizeof(self->store), "%s/s.db", self->dir);
	snprintf(self->env_store, sizeof(self->env_store), "%s/env.db", self->dir);
	/* a run that stores where it was not told to is caught, not left in results/ */
	ASSERT_EQ(0, setenv("MMUBENCH_STORE", self->env_store, 1));
}

/* In the parent: at -O2 the child's own teardown is skipped after a failed ASSERT. */
FIXTURE_TEARDOWN_PARENT(run)
{
	if (self->dir[0])
		t_rm_tree(self->dir);
}


/* The metric named @name in the record's "metrics" array, or NULL. */
static struct json_object *t_metric_obj(struct json_object *rec, const char *name)
{
	struct json_object *metrics, *m, *n;

	if (!json_object_object_get_ex(rec, "metrics", &metrics) ||
	    !json_object_is_type(metrics, json_type_array))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(metrics); i++) {
		m = json_object_array_get_idx(metrics, i);
		if (json_object_object_get_ex(m, "name", &n) &&
		    !strcmp(json_object_get_string(n), name))
			return m;
	}
	return NULL;
}

static void t_check_metric(struct __test_metadata *_metadata, struct json_object *rec,
			   const char *name, const char *unit)
{
	struct json_object *m = t_metric_obj(rec, name), *v;

	ASSERT_NE(NULL, m) TH_LOG("no metric %s", name);
	ASSERT_TRUE(json_object_object_get_ex(m, "unit", &v));
	EXPECT_STREQ(unit, json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(m, "value", &v)) TH_LOG("%s has no value", name);
	ASSERT_NE(NULL, v) TH_LOG("%s is null", name);
	EXPECT_TRUE(json_object_get_double(v) > 0)
		TH_LOG("%s = %g", name, json_object_get_double(v));
}

/* KTAP: a version line, a plan "1..N" matching the N test lines, none of them "not ok". */
static void t_check_ktap(struct __test_metadata *_metadata, const char *out)
{
	int plan = -1, oks = 0, not_oks = 0;
	const char *p = out;

	ASSERT_TRUE(!strncmp(out, "TAP version ", 12) || !strncmp(out, "KTAP version ", 13))
		TH_LOG("first line: %.*s", (int)strcspn(out, "\n"), out);
	while (p) {
		if (!strncmp(p, "1..", 3))
			plan = atoi(p + 3);
		else if (!strncmp(p, "ok ", 3))
			oks++;
		else if (!strncmp(p, "not ok ", 7))
			not_oks++;
		p = strchr(p, '\n');
		p = p && p[1] ? p + 1 : NULL;
	}
	EXPECT_LT(0, plan) t_show("stdout, no plan", out);
	EXPECT_LT(0, oks);
	EXPECT_EQ(0, not_oks) t_show("stdout", out);
	EXPECT_EQ(plan, oks + not_oks);
}

/* Runs @sql with @run_id bound to ?1; returns the integer of the first row, or -1. */
static long long t_sql_count(sqlite3 *db, const char *sql, const char *run_id)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (run_id)
		sqlite3_bind_text(st, 1, run_id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

TEST_F(run, access)
{
	struct json_object *rec, *v, *pl, *params;
	const char *run_id;
	char why[256];
	struct t_out r;
	sqlite3 *db;

	if (t_kvm_unusable(why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, t_run(&r, "run", "access", "--vcpus", "1", "--mem-per-vcpu", "16M",
			   "--passes", "2", "--json", self->json, "--store", self->store, "--ktap",
			   NULL));
	if (r.status == T_EXIT_SKIPPED) {
		const char *why = strstr(r.err, "skipped: ");

		why = why ? why : r.err;
		SKIP(t_out_free(&r); return, "mmubench run access %.*s",
		     (int)strcspn(why, "\n"), why);
	}
	ASSERT_EQ(0, r.status) {
		t_show("stderr", r.err);
		t_show("stdout", r.out);
	}
	t_check_ktap(_metadata, r.out);

	rec = json_object_from_file(self->json);
	ASSERT_NE(NULL, rec) TH_LOG("%s: %s", self->json, json_util_get_last_err());
	ASSERT_TRUE(json_object_object_get_ex(rec, "status", &v));
	EXPECT_STREQ("pass", json_object_get_string(v));
	t_check_metric(_metadata, rec, "populate_p50_us", "us");
	t_check_metric(_metadata, rec, "access_ns_per_page", "ns/page");
	ASSERT_TRUE(json_object_object_get_ex(rec, "placement", &pl));
	ASSERT_TRUE(json_object_object_get_ex(pl, "vcpus", &v));
	ASSERT_TRUE(json_object_is_type(v, json_type_array));
	EXPECT_EQ((size_t)1, json_object_array_length(v));
	ASSERT_TRUE(json_object_object_get_ex(rec, "params", &params));
	ASSERT_TRUE(json_object_object_get_ex(params, "vcpus", &v));
	EXPECT_EQ(1, json_object_get_int64(v));
	ASSERT_TRUE(json_object_object_get_ex(rec, "run_id", &v));
	run_id = json_object_get_string(v);
	ASSERT_NE(NULL, run_id);
	EXPECT_NE(NULL, strstr(r.out, run_id)) TH_LOG("KTAP does not name run %s", run_id);

	ASSERT_EQ(SQLITE_OK, sqlite3_open_v2(self->store, &db, SQLITE_OPEN_READONLY, NULL))
		TH_LOG("%s: %s", self->store, sqlite3_errmsg(db));
	EXPECT_EQ(1, t_sql_count(db, "SELECT count(*) FROM runs", NULL));
	EXPECT_EQ(1, t_sql_count(db, "SELECT count(*) FROM runs WHERE run_id = ?1", run_id));
	ASSERT_TRUE(json_object_object_get_ex(rec, "metrics", &v));
	EXPECT_EQ((long long)json_object_array_length(v),
		  t_sql_count(db, "SELECT count(*) FROM metrics WHERE run_id = ?1", run_id));
	EXPECT_EQ(1, t_sql_count(db, "SELECT count(*) FROM metrics WHERE run_id = ?1 "
				 "AND name = 'access_ns_per_page' AND unit = 'ns/page' AND value > 0",
				 run_id));
	sqlite3_close(db);
	EXPECT_NE(0, access(self->env_store, F_OK)) TH_LOG("stored in $MMUBENCH_STORE too");
	json_object_put(rec);
	t_out_free(&r);
}

/*
 * The store is written even for a skipped run, so this needs no KVM: without
 * --no-store the record lands in $MMUBENCH_STORE; with it, nowhere.
 */
TEST_F(run, no_store)
{
	struct t_out r;

	ASSERT_EQ(0, t_run(&r, "run", "access", "--vcpus", "1", "--mem-per-vcpu", "16M",
			   "--passes", "1", "--quiet", NULL));
	ASSERT_TRUE(r.status == 0 || r.status == T_EXIT_SKIPPED) {
		TH_LOG("exit status %d", r.status);
		t_show("stderr", r.err);
	}
	EXPECT_EQ(0, access(self->env_store, F_OK)) TH_LOG("no store at %s", self->env_store);
	t_out_free(&r);
	t_rm_tree(self->dir);
	ASSERT_EQ(0, mkdir(self->dir, 0700));

	ASSERT_EQ(0, t_run(&r, "run", "access", "--vcpus", "1", "--mem-per-vcpu", "16M",
			   "--passes", "1", "--quiet", "--store", self->store, "--no-store", NULL));
	ASSERT_TRUE(r.status == 0 || r.status == T_EXIT_SKIPPED) {
		TH_LOG("exit status %d", r.status);
		t_show("stderr", r.err);
	}
	EXPECT_NE('\0', r.out[0]);		/* the summary still goes to stdout */
	EXPECT_EQ(0, t_dir_entries(self->dir)) TH_LOG("files left in %s", self->dir);
	t_out_free(&r);
}

/* The rig's channel: $MMUBENCH_RECORD_DIR (--record-dir) gets the record, _NO_STORE keeps it out. */
TEST_F(run, record_dir_from_environment)
{
	char recdir[320];
	struct t_out r;

	snprintf(recdir, sizeof(recdir), "%s/rec", self->dir);
	ASSERT_EQ(0, mkdir(recdir, 0700));
	ASSERT_EQ(0, setenv("MMUBENCH_RECORD_DIR", recdir, 1));
	ASSERT_EQ(0, setenv("MMUBENCH_NO_STORE", "1", 1));
	ASSERT_EQ(0, t_run(&r, "run", "access", "--vcpus", "1", "--mem-per-vcpu", "16M",
			   "--passes", "1", "--quiet", NULL));
	unsetenv("MMUBENCH_RECORD_DIR");
	unsetenv("MMUBENCH_NO_STORE");
	ASSERT_TRUE(r.status == 0 || r.status == T_EXIT_SKIPPED) t_show("stderr", r.err);
	EXPECT_EQ(1, t_dir_entries(recdir));
	EXPECT_NE(0, access(self->env_store, F_OK)) TH_LOG("stored despite MMUBENCH_NO_STORE");
	t_out_free(&r);
}

#pragma GCC diagnostic pop

/* Open fds of @pid that are KVM VMs. */
static int t_count_vm_fds(pid_t pid)
{
	char dir[64], link[320], target[128];
	struct dirent *d;
	int n = 0;
	DIR *fds;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	fds = opendir(dir);
	while (fds && (d = readdir(fds))) {
		ssize_t len;

		snprintf(link, sizeof(link), "%s/%s", dir, d->d_name);
		len = readlink(link, target, sizeof(target) - 1);
		if (len > 0) {
			target[len] = 0;
			n += !strcmp(target, "anon_inode:kvm-vm");
		}
	}
	if (fds)
		closedir(fds);
	return n;
}

/* kvm-hold (the rig's idle VM): says ready with one VM open, ends on SIGTERM. */
TEST(kvm_hold)
{
	char *argv[] = { MMUBENCH_BIN, "kvm-hold", NULL };
	posix_spawn_file_actions_t fa;
	char buf[16] = "", why[256];
	int pipefd[2], wstatus;
	pid_t pid;

	if (t_kvm_unusable(why, sizeof(why)))
		SKIP(return, "%s", why);
	ASSERT_EQ(0, pipe(pipefd));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	ASSERT_EQ(0, posix_spawn(&pid, MMUBENCH_BIN, &fa, NULL, argv, environ));
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	EXPECT_LT(0, read(pipefd[0], buf, sizeof(buf) - 1));
	close(pipefd[0]);
	EXPECT_STREQ("ready\n", buf);
	EXPECT_EQ(1, t_count_vm_fds(pid));
	kill(pid, SIGTERM);
	ASSERT_EQ(pid, waitpid(pid, &wstatus, 0));
	EXPECT_TRUE(WIFEXITED(wstatus));
	EXPECT_EQ(0, WEXITSTATUS(wstatus));
}

TEST_HARNESS_MAIN
