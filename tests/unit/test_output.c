// SPDX-License-Identifier: GPL-2.0
/*
 * The result record and its outputs: status logic, JSON (round trip and
 * atomic writes), KTAP, the human summary and the SQLite store.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
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
#include "tests/t_record.h"

#include "src/stats/hist_stats.h"
#include "src/record/json_in.h"
#include "src/record/json_out.h"
#include "src/record/ktap_out.h"
#include "src/record/record.h"
#include "src/store/store.h"
#include "src/record/summary.h"

/*
 * Every test works in its own directory under one per-process base
 * directory, which the harness's main process removes when it exits: test
 * children end with _exit(), so it goes even when an assertion fails.
 */
T_SCRATCH_BASE("test")

static int t_near(double got, double want, double tol)
{
	return fabs(got - want) <= tol;
}

static double t_get_double(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NAN;
	return json_object_get_double(v);
}

static const char *t_get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

static int t_is_null(struct json_object *o, const char *key)
{
	struct json_object *v = (void *)1;

	return json_object_object_get_ex(o, key, &v) && !v;
}

/* @o as a reader of its text sees it (doubles as written); puts @o. */
static struct json_object *t_reparse(struct json_object *o)
{
	struct json_object *p;

	if (!o)
		return NULL;
	p = json_tokener_parse(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return p;
}

/* Runs ktap_print_record(@r) with stdout in a buffer; returns it (malloc'ed). */
static char *t_capture_ktap(const struct record *r)
{
	FILE *tmp = tmpfile();
	int saved;
	long len;
	char *buf;

	if (!tmp)
		return NULL;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	ktap_print_record(r);
	/* No fflush here: ktap_print_record leaves nothing in stdout's buffer. */
	dup2(saved, STDOUT_FILENO);
	close(saved);
	len = lseek(fileno(tmp), 0, SEEK_END);
	if (len < 0) {
		fclose(tmp);
		return NULL;
	}
	buf = calloc(1, len + 1);
	if (buf && pread(fileno(tmp), buf, len, 0) != len) {
		free(buf);
		buf = NULL;
	}
	fclose(tmp);
	return buf;
}

/* Shows captured output on stderr as diagnostics, so it cannot pass for our own TAP. */
static void t_dump(const char *text)
{
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		fprintf(stderr, "#   | %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : NULL;
	}
}

/* Asserts that @out has @line as a whole line, showing @out if not. */
#define T_HAS_LINE(out, line) ASSERT_TRUE(t_has_line(out, line)) t_dump(out)

/* Does @text contain @line as a whole line? */
static int t_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return 1;
		p++;
	}
	return 0;
}

/* ------------------------------------------------------------------ record */

TEST(record_new_fields)
{
	struct record *r = record_new("access", NULL), *r2;
	const char *id;
	int i;

	ASSERT_NE(NULL, r);
	id = r->run_id;
	/* 20261121T060102Z-1a2b3c4d */
	ASSERT_EQ(25, strlen(id));
	for (i = 0; i < 8; i++)
		ASSERT_TRUE(id[i] >= '0' && id[i] <= '9');
	ASSERT_EQ('T', id[8]);
	ASSERT_EQ('Z', id[15]);
	ASSERT_EQ('-', id[16]);
	for (i = 17; i < 25; i++)
		ASSERT_TRUE(strchr("0123456789abcdef", id[i]) != NULL);
	ASSERT_EQ(RECORD_SCHEMA_VERSION, r->schema_version);
	ASSERT_STREQ("access", r->scenario);
	ASSERT_NULL(r->label);
	ASSERT_EQ(STATUS_PASS, r->status);
	ASSERT_NULL(r->status_reason);
	ASSERT_TRUE(json_object_is_type(r->params, json_type_object));
	ASSERT_TRUE(json_object_is_type(r->env, json_type_object));
	ASSERT_TRUE(json_object_is_type(r->placement, json_type_object));
	ASSERT_EQ(0, json_object_object_length(r->params));
	ASSERT_GT(r->started_at, 1700000000);

	/* Two records in the same second still get different ids. */
	r2 = record_new("access", "x");

	ASSERT_NE(NULL, r2);
	ASSERT_STRNE(r->run_id, r2->run_id);
	ASSERT_STREQ("x", r2->label);
	record_free(r2);
	record_free(r);
}

TEST(record_names)
{
	ASSERT_STREQ("pass", record_status_name(STATUS_PASS));
	ASSERT_STREQ("fail", record_status_name(STATUS_FAIL));
	ASSERT_STREQ("skip", record_status_name(STATUS_SKIP));
	ASSERT_STREQ("error", record_status_name(STATUS_ERROR));
	ASSERT_STREQ("lower", metric_direction_name(DIR_LOWER_IS_BETTER));
	ASSERT_STREQ("higher", metric_direction_name(DIR_HIGHER_IS_BETTER));
	ASSERT_STREQ("info", metric_direction_name(DIR_INFO));
}

TEST(record_metric_median_and_copy)
{
	double s[] = { 4, 1, 3, 2 };
	struct record *r = record_new("access", NULL);
	struct metric *m;
	char buf[32];

	ASSERT_NE(NULL, r);
	m = record_add_metric(r, "a_us", "us", DIR_LOWER_IS_BETTER, s, 4);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(2.5, m->value);		/* even count: mean of the middle two */
	s[0] = 100;				/* samples were copied */
	ASSERT_EQ(4, r->metrics[0].samples[0]);
	ASSERT_EQ(4, r->metrics[0].nsamples);
	m = record_add_metric(r, "b_us", "us", DIR_LOWER_IS_BETTER, t_samples,
			      ARRAY_SIZE(t_samples));
	ASSERT_EQ(23.4, m->value);		/* odd count: the middle one */
	m = record_add_value(r, "c_pages", "pages", DIR_INFO, 7);
	ASSERT_EQ(7, m->value);
	ASSERT_EQ(1, m->nsamples);
	ASSERT_EQ(7, m->samples[0]);
	m = record_add_metric(r, "d", "", DIR_INFO, NULL, 0);
	ASSERT_TRUE(isnan(m->value));
	ASSERT_EQ(4, r->nmetrics);
	ASSERT_EQ(STATUS_PASS, r->status);

	/* A name used twice is a bug in the scenario: the record says so. */
	ASSERT_NULL(record_add_value(r, "a_us", "us", DIR_INFO, 1));
	ASSERT_EQ(4, r->nmetrics);
	ASSERT_EQ(STATUS_ERROR, r->status);
	ASSERT_NE(NULL, strstr(r->status_reason, "a_us"));

	ASSERT_STREQ("23.4", record_format_value(23.4, buf, sizeof(buf)));
	ASSERT_STREQ("262144", record_format_value(262144, buf, sizeof(buf)));
	ASSERT_STREQ("0.125", record_format_value(0.125, buf, sizeof(buf)));
	ASSERT_STREQ("12346", record_format_value(12345.6, buf, sizeof(buf)));
	ASSERT_STREQ("n/a", record_format_value(NAN, buf, sizeof(buf)));
	record_free(r);
}

TEST(record_status_logic)
{
	struct record *r = record_new("access", NULL);

	ASSERT_NE(NULL, r);
	record_add_check(r, "a", STATUS_PASS, NULL);
	ASSERT_EQ(STATUS_PASS, r->status);
	record_add_check(r, "b", STATUS_SKIP, "no THP");
	ASSERT_EQ(STATUS_PASS, r->status);	/* a skipped check changes nothing */
	ASSERT_NULL(r->status_reason);
	record_add_check(r, "c", STATUS_FAIL, "%d pages lost", 3);
	ASSERT_EQ(STATUS_FAIL, r->status);
	ASSERT_STREQ("check c failed: 3 pages lost", r->status_reason);
	record_add_check(r, "d", STATUS_FAIL, "other");
	ASSERT_EQ(STATUS_FAIL, r->status);	/* the first failure gives the reason */
	ASSERT_STREQ("check c failed: 3 pages lost", r->status_reason);
	record_add_check(r, "e", STATUS_SKIP, "x");
	ASSERT_EQ(STATUS_FAIL, r->status);
	ASSERT_EQ(5, r->nchecks);
	ASSERT_STREQ("3 pages lost", r->checks[2].reason);
	ASSERT_NULL(r->checks[0].reason);
	ASSERT_EQ(STATUS_SKIP, r->checks[1].status);

	/* ERROR is not overridden by a failing check. */
	record_set_status(r, STATUS_ERROR, "vCPU %d died", 1);
	ASSERT_EQ(STATUS_ERROR, r->status);
	record_add_check(r, "f", STATUS_FAIL, "late");
	ASSERT_EQ(STATUS_ERROR, r->status);
	ASSERT_STREQ("vCPU 1 died", r->status_reason);
	record_free(r);

	/* A failing check wins over a skipped record. */
	r = record_new("access", NULL);
	ASSERT_NE(NULL, r);
	record_set_status(r, STATUS_SKIP, "no DAMON");
	record_add_check(r, "g", STATUS_SKIP, "no DAMON");
	ASSERT_EQ(STATUS_SKIP, r->status);
	record_add_check(r, "h", STATUS_FAIL, NULL);
	ASSERT_EQ(STATUS_FAIL, r->status);
	ASSERT_STREQ("check h failed", r->status_reason);
	record_set_status(r, STATUS_PASS, NULL);
	ASSERT_EQ(STATUS_PASS, r->status);
	ASSERT_NULL(r->status_reason);
	record_free(r);

	/* A check that could not be evaluated puts the record in error. */
	r = record_new("access", NULL);
	ASSERT_NE(NULL, r);
	record_add_check(r, "i", STATUS_ERROR, "cannot read pagemap");
	ASSERT_EQ(STATUS_ERROR, r->status);
	ASSERT_NE(NULL, strstr(r->status_reason, "cannot read pagemap"));
	record_free(r);
}

/* -------------------------------------------------------------------- JSON */

TEST(json_round_trip)
{
	char dir[256], path[PATH_MAX], err[512] = "";
	struct json_object *o, *a, *m, *h, *c, *v, *pair;
	struct record *r = t_record();
	struct hist want, got;
	uint64_t sum = 0;
	size_t i;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));

	ASSERT_NE(NULL, r);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	ASSERT_EQ(0, json_write_record(r, path, err, sizeof(err))) TH_LOG("%s", err);
	o = json_object_from_file(path);
	ASSERT_NE(NULL, o);

	ASSERT_EQ(RECORD_SCHEMA_VERSION, json_object_get_int(json_object_object_get(o, "schema_version")));
	ASSERT_STREQ(r->run_id, t_get_str(o, "run_id"));
	ASSERT_STREQ("v6.12-test", t_get_str(o, "label"));
	ASSERT_STREQ("access", t_get_str(o, "scenario"));
	ASSERT_STREQ("2026-11-18T11:06:40Z", t_get_str(o, "started_at"));
	ASSERT_EQ(T_STARTED_AT, json_object_get_int64(json_object_object_get(o, "started_at_unix")));
	ASSERT_EQ(12.5, t_get_double(o, "duration_s"));
	ASSERT_STREQ("fail", t_get_str(o, "status"));
	ASSERT_STREQ("check placement failed: memory on node 1, asked for node 0",
		     t_get_str(o, "status_reason"));
	ASSERT_TRUE(json_object_equal(r->params, json_object_object_get(o, "params")));
	ASSERT_TRUE(json_object_equal(r->env, json_object_object_get(o, "env")));
	ASSERT_TRUE(json_object_equal(r->placement, json_object_object_get(o, "placement")));
	ASSERT_EQ(2, json_object_get_int(json_object_object_get(json_object_object_get(o, "params"), "vcpus")));

	/* Metrics: every sample back bit for bit. */
	a = json_object_object_get(o, "metrics");
	ASSERT_EQ(r->nmetrics, json_object_array_length(a));
	for (i = 0; i < r->nmetrics; i++) {
		const struct metric *rm = &r->metrics[i];

		m = json_object_array_get_idx(a, i);
		ASSERT_STREQ(rm->name, t_get_str(m, "name"));
		ASSERT_STREQ(rm->unit, t_get_str(m, "unit"));
		ASSERT_STREQ(metric_direction_name(rm->direction), t_get_str(m, "direction"));
		if (isnan(rm->value)) {
			ASSERT_TRUE(t_is_null(m, "value"));
		} else {
			ASSERT_EQ(rm->value, t_get_double(m, "value"));
		}
		v = json_object_object_get(m, "samples");
		ASSERT_TRUE(json_object_is_type(v, json_type_array));
		ASSERT_EQ(rm->nsamples, json_object_array_length(v));
		for (size_t j = 0; j < rm->nsamples; j++)
			ASSERT_EQ(rm->samples[j],
				  json_object_get_double(json_object_array_get_idx(v, j)));
	}
	m = json_object_array_get_idx(a, 0);
	ASSERT_EQ(23.4, t_get_double(m, "value"));
	ASSERT_EQ(22.1, json_object_get_double(json_object_array_get_idx(json_object_object_get(m, "samples"), 1)));
	ASSERT_STREQ("info", t_get_str(json_object_array_get_idx(a, 2), "direction"));
	ASSERT_EQ(262144, t_get_double(json_object_array_get_idx(a, 2), "value"));

	/* Histograms: percentiles against the exact ones (within the 1/64 bucket width). */
	a = json_object_object_get(o, "histograms");
	ASSERT_EQ(2, json_object_array_length(a));
	h = json_object_array_get_idx(a, 0);
	ASSERT_STREQ("populate_latency", t_get_str(h, "name"));
	ASSERT_STREQ("us", t_get_str(h, "unit"));
	ASSERT_EQ(T_UPC, t_get_double(h, "unit_per_cycle"));
	ASSERT_EQ(1001, json_object_get_int64(json_object_object_get(h, "count")));
	ASSERT_EQ(1, json_object_get_int64(json_object_object_get(h, "overflow")));
	ASSERT_TRUE(t_near(t_get_double(h, "min"), 1 * T_UPC, 1e-12));
	ASSERT_TRUE(t_near(t_get_double(h, "max"), T_OVERFLOW * T_UPC, 1e-3));
	ASSERT_TRUE(t_near(t_get_double(h, "mean"), (500500.0 + T_OVERFLOW) / 1001 * T_UPC, 1e-6));
	/* ranks ceil(q * 1001) of the values 1..1000 are 501, 901, 991 and 1000 */
	ASSERT_TRUE(t_near(t_get_double(h, "p50"), 501 * T_UPC, 501 * T_UPC / 64));
	ASSERT_TRUE(t_near(t_get_double(h, "p90"), 901 * T_UPC, 901 * T_UPC / 64));
	ASSERT_TRUE(t_near(t_get_double(h, "p99"), 991 * T_UPC, 991 * T_UPC / 64));
	ASSERT_TRUE(t_near(t_get_double(h, "p99_9"), 1000 * T_UPC, 1000 * T_UPC / 64));
	ASSERT_LT(t_get_double(h, "p50"), t_get_double(h, "p90"));
	ASSERT_LT(t_get_double(h, "p99"), t_get_double(h, "p99_9"));
	ASSERT_EQ(500500 + T_OVERFLOW, (uint64_t)json_object_get_uint64(json_object_object_get(h, "sum_cycles")));
	ASSERT_EQ(1, json_object_get_int64(json_object_object_get(h, "min_cycles")));
	ASSERT_EQ(T_OVERFLOW, (uint64_t)json_object_get_uint64(json_object_object_get(h, "max_cycles")));
	/* The buckets rebuild the histogram exactly. */
	t_hist_fill(&want, 1000, 1, T_OVERFLOW);
	hist_init(&got);
	v = json_object_object_get(h, "buckets");
	ASSERT_GT(json_object_array_length(v), 100);
	for (i = 0; i < json_object_array_length(v); i++) {
		uint64_t low, n;

		pair = json_object_array_get_idx(v, i);
		ASSERT_EQ(2, json_object_array_length(pair));
		low = json_object_get_uint64(json_object_array_get_idx(pair, 0));
		n = json_object_get_uint64(json_object_array_get_idx(pair, 1));
		ASSERT_GT(n, 0);
		ASSERT_EQ(low, hist_bucket_low(hist_index(low)));
		got.bucket[hist_index(low)] = n;
		sum += n;
	}
	ASSERT_EQ(1000, sum);
	ASSERT_EQ(0, memcmp(want.bucket, got.bucket, sizeof(want.bucket)));
	/* An empty histogram has a count and nulls, not made-up numbers. */
	h = json_object_array_get_idx(a, 1);
	ASSERT_STREQ("idle_latency", t_get_str(h, "name"));
	ASSERT_EQ(0, json_object_get_int64(json_object_object_get(h, "count")));
	ASSERT_TRUE(t_is_null(h, "p50"));
	ASSERT_TRUE(t_is_null(h, "p99_9"));
	ASSERT_TRUE(t_is_null(h, "min"));
	ASSERT_TRUE(t_is_null(h, "max"));
	ASSERT_EQ(0, json_object_array_length(json_object_object_get(h, "buckets")));

	/* Checks. */
	a = json_object_object_get(o, "checks");
	ASSERT_EQ(3, json_object_array_length(a));
	c = json_object_array_get_idx(a, 0);
	ASSERT_STREQ("memory_contents", t_get_str(c, "name"));
	ASSERT_STREQ("pass", t_get_str(c, "status"));
	ASSERT_TRUE(t_is_null(c, "reason"));
	c = json_object_array_get_idx(a, 1);
	ASSERT_STREQ("placement", t_get_str(c, "name"));
	ASSERT_STREQ("fail", t_get_str(c, "status"));
	ASSERT_STREQ("memory on node 1, asked for node 0", t_get_str(c, "reason"));
	c = json_object_array_get_idx(a, 2);
	ASSERT_STREQ("skip", t_get_str(c, "status"));
	ASSERT_STREQ("THP is off: echo always >/sys/kernel/mm/transparent_hugepage/enabled",
		     t_get_str(c, "reason"));

	/* record_to_json gives the same document as the file. */
	v = t_reparse(record_to_json(r));
	ASSERT_NE(NULL, v);
	ASSERT_TRUE(json_object_equal(v, o));
	json_object_put(v);

	json_object_put(o);
	record_free(r);
}

TEST(json_null_label_and_pretty)
{
	char dir[256], path[PATH_MAX], err[512] = "";
	struct record *r = record_new("dirty", NULL);
	struct json_object *o;
	char text[8192];
	ssize_t n;
	int fd;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));

	ASSERT_NE(NULL, r);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	record_add_value(r, "x_ns", "ns/page", DIR_LOWER_IS_BETTER, 0.1);
	ASSERT_EQ(0, json_write_record(r, path, err, sizeof(err))) TH_LOG("%s", err);
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	ASSERT_GT(n, 0);
	text[n] = '\0';
	/* Pretty-printed, newline-terminated, units unescaped, doubles short. */
	ASSERT_EQ('\n', text[n - 1]);
	ASSERT_NE(NULL, strstr(text, "\n  \"run_id\""));
	ASSERT_NE(NULL, strstr(text, "\"ns/page\""));
	ASSERT_NE(NULL, strstr(text, "[0.1]"));
	o = json_tokener_parse(text);
	ASSERT_NE(NULL, o);
	ASSERT_TRUE(t_is_null(o, "label"));
	ASSERT_TRUE(t_is_null(o, "status_reason"));
	ASSERT_STREQ("pass", t_get_str(o, "status"));
	ASSERT_EQ(0.1, t_get_double(json_object_array_get_idx(json_object_object_get(o, "metrics"), 0), "value"));
	json_object_put(o);
	record_free(r);
}

TEST(json_atomic_replace)
{
	char dir[256], path[PATH_MAX], err[512] = "";
	struct record *r1 = t_record(), *r2 = record_new("dirty", "second");
	struct json_object *o;
	struct stat st;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));

	ASSERT_NE(NULL, r1);
	ASSERT_NE(NULL, r2);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	umask(022);
	ASSERT_EQ(0, json_write_record(r1, path, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0644, st.st_mode & 0777);	/* a normal file, not mkstemp's 0600 */
	/* The second, much shorter document replaces the first whole. */
	ASSERT_EQ(0, json_write_record(r2, path, err, sizeof(err))) TH_LOG("%s", err);
	o = json_object_from_file(path);
	ASSERT_NE(NULL, o);
	ASSERT_STREQ(r2->run_id, t_get_str(o, "run_id"));
	ASSERT_STREQ("second", t_get_str(o, "label"));
	ASSERT_EQ(0, json_object_array_length(json_object_object_get(o, "metrics")));
	json_object_put(o);
	ASSERT_EQ(1, t_dir_entries(dir));	/* no temporary file left */

	record_free(r1);
	record_free(r2);
}

/*
 * A reader that opened the file before a replacement still reads the whole
 * old document: the new one is a new inode renamed over it, never the old
 * file truncated and rewritten.
 */
TEST(json_replace_keeps_readers_whole)
{
	char dir[256], path[PATH_MAX], err[512] = "";
	struct record *r1 = t_record(), *r2 = record_new("dirty", "second");
	struct stat before, after;
	struct json_object *o;
	char *text;
	int fd;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));

	ASSERT_NE(NULL, r1);
	ASSERT_NE(NULL, r2);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	ASSERT_EQ(0, json_write_record(r1, path, err, sizeof(err))) TH_LOG("%s", err);
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, fstat(fd, &before));
	ASSERT_EQ(0, json_write_record(r2, path, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, stat(path, &after));
	ASSERT_NE(before.st_ino, after.st_ino);
	text = calloc(1, before.st_size + 1);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(before.st_size, pread(fd, text, before.st_size, 0));
	close(fd);
	o = json_tokener_parse(text);
	ASSERT_NE(NULL, o);
	ASSERT_STREQ(r1->run_id, t_get_str(o, "run_id"));
	ASSERT_EQ(4, json_object_array_length(json_object_object_get(o, "metrics")));
	json_object_put(o);
	free(text);
	o = json_object_from_file(path);
	ASSERT_NE(NULL, o);
	ASSERT_STREQ(r2->run_id, t_get_str(o, "run_id"));
	json_object_put(o);
	ASSERT_EQ(1, t_dir_entries(dir));
	record_free(r1);
	record_free(r2);
}

TEST(json_write_errors)
{
	char dir[256], path[PATH_MAX], err[512] = "";
	char name[251];
	struct record *r = t_record();
	int fd, ret;
	char buf[8];

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));

	ASSERT_NE(NULL, r);

	/* Missing directory. */
	snprintf(path, sizeof(path), "%s/nope/run.json", dir);
	ret = json_write_record(r, path, err, sizeof(err));
	ASSERT_EQ(-ENOENT, ret);
	ASSERT_NE(NULL, strstr(err, path)) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, strerror(ENOENT))) TH_LOG("%s", err);

	/* The temporary file was made, the rename fails: it is removed. */
	snprintf(path, sizeof(path), "%s/target", dir);
	ASSERT_EQ(0, mkdir(path, 0755));
	ret = json_write_record(r, path, err, sizeof(err));
	ASSERT_EQ(-EISDIR, ret);
	ASSERT_NE(NULL, strstr(err, path)) TH_LOG("%s", err);
	ASSERT_EQ(1, t_dir_entries(dir));
	ASSERT_EQ(0, rmdir(path));

	/* No room for the temporary name: the existing file is untouched. */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(3, write(fd, "old", 3));
	close(fd);
	ret = json_write_record(r, path, err, sizeof(err));
	ASSERT_EQ(-ENAMETOOLONG, ret);
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(3, read(fd, buf, sizeof(buf)));
	close(fd);
	ASSERT_EQ(0, memcmp(buf, "old", 3));
	ASSERT_EQ(1, t_dir_entries(dir));
	ASSERT_EQ(0, unlink(path));

	record_free(r);
}

TEST(json_unwritable_dir)
{
	char dir[256], sub[300], path[PATH_MAX];
	struct record *r = t_record();
	int status;
	pid_t pid;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));

	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, chmod(dir, 0755));
	snprintf(sub, sizeof(sub), "%s/ro", dir);
	ASSERT_EQ(0, mkdir(sub, 0555));
	ASSERT_EQ(0, chmod(sub, 0555));
	snprintf(path, sizeof(path), "%s/run.json", sub);

	/* root writes anywhere: write as nobody in a child. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		char err[512] = "";
		int ret;

		if (!geteuid() && (setgid(65534) || setuid(65534)))
			_exit(10);
		ret = json_write_record(r, path, err, sizeof(err));
		if (ret != -EACCES)
			_exit(11);
		if (!strstr(err, path) || !strstr(err, strerror(EACCES)))
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, t_dir_entries(sub));
	record_free(r);
	chmod(sub, 0755);
}

/* ------------------------------------------------------------- JSON import */

/* record_to_json(@r) on one line (malloc'ed): what the round trips compare. */
/* Writes @text to @path; 0 or -1. */
static int t_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* @o[@key][@i]: an element of one of the record's arrays. */
static struct json_object *t_at(struct json_object *o, const char *key, size_t i)
{
	return json_object_array_get_idx(json_object_object_get(o, key), i);
}

/*
 * record_from_json() of @o, which is put. Returns its error, or 1 when it
 * did not leave *out NULL (including a success).
 */
static int t_import(struct json_object *o, char *err, size_t errlen)
{
	struct record *r = (void *)1;
	int ret;

	err[0] = '\0';
	ret = record_from_json(o, &r, err, errlen);
	json_object_put(o);
	if (r) {
		if (r != (void *)1)
			record_free(r);
		return 1;
	}
	return ret;
}

TEST(json_import_round_trip)
{
	struct record *r = t_record_full(), *back;
	char err[512] = "", *want, *got;
	struct json_object *o;
	size_t i;

	ASSERT_NE(NULL, r);
	ASSERT_EQ(5, r->nmetrics);
	ASSERT_EQ(3, r->nhists);
	ASSERT_EQ(4, r->nchecks);
	ASSERT_EQ(STATUS_ERROR, r->status);
	want = t_record_json(r);
	ASSERT_NE(NULL, want);

	/* From the objects record_to_json() made, which can go at once... */
	o = record_to_json(r);
	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, record_from_json(o, &back, err, sizeof(err))) TH_LOG("%s", err);
	json_object_put(o);
	got = t_record_json(back);
	ASSERT_NE(NULL, got);
	ASSERT_STREQ(want, got);
	free(got);

	ASSERT_EQ(RECORD_SCHEMA_VERSION, back->schema_version);
	ASSERT_STREQ(r->run_id, back->run_id);
	ASSERT_STREQ("v6.12-test", back->label);
	ASSERT_STREQ("access", back->scenario);
	ASSERT_EQ(T_STARTED_AT, back->started_at);
	ASSERT_EQ(0.1, back->duration_s);
	/* params, env and placement are the record's own. */
	ASSERT_NE(r->params, back->params);
	ASSERT_TRUE(json_object_equal(r->params, back->params));
	ASSERT_TRUE(json_object_equal(r->env, back->env));
	ASSERT_TRUE(json_object_equal(r->placement, back->placement));
	/* deep copies: changing the original inside changes nothing here */
	json_object_object_add(json_object_object_get(r->env, "kernel"), "release",
			       json_object_new_string("changed"));
	ASSERT_STREQ("6.12.0-test", json_object_get_string(json_object_object_get(
			json_object_object_get(back->env, "kernel"), "release")));

	/* Values as written, not recomputed from the samples. */
	ASSERT_EQ(r->nmetrics, back->nmetrics);
	for (i = 0; i < r->nmetrics; i++) {
		const struct metric *a = &r->metrics[i], *b = &back->metrics[i];

		ASSERT_STREQ(a->name, b->name);
		ASSERT_STREQ(a->unit, b->unit);
		ASSERT_EQ(a->direction, b->direction);
		ASSERT_EQ(a->nsamples, b->nsamples);
		if (isnan(a->value)) {
			ASSERT_TRUE(isnan(b->value));
		} else {
			ASSERT_EQ(a->value, b->value);
		}
	}
	ASSERT_EQ(23.4, back->metrics[0].value);
	ASSERT_EQ(0.125, back->metrics[1].value);
	ASSERT_TRUE(isnan(back->metrics[3].value));
	ASSERT_EQ(0, back->metrics[3].nsamples);
	ASSERT_EQ(1e-300, back->metrics[4].value);
	ASSERT_EQ(0.1, back->metrics[4].samples[2]);
	ASSERT_TRUE(isnan(back->metrics[4].samples[1]));

	/* Histograms rebuilt exactly: buckets, overflow, count, sum, min, max. */
	ASSERT_EQ(r->nhists, back->nhists);
	for (i = 0; i < r->nhists; i++) {
		const struct hist *a = &r->hists[i].hist, *b = &back->hists[i].hist;

		ASSERT_STREQ(r->hists[i].name, back->hists[i].name);
		ASSERT_STREQ(r->hists[i].unit, back->hists[i].unit);
		ASSERT_EQ(r->hists[i].unit_per_cycle, back->hists[i].unit_per_cycle);
		ASSERT_EQ(a->count, b->count);
		ASSERT_EQ(a->overflow, b->overflow);
		ASSERT_EQ(a->sum, b->sum);
		ASSERT_EQ(a->min, b->min);
		ASSERT_EQ(a->max, b->max);
		ASSERT_EQ(0, memcmp(a->bucket, b->bucket, sizeof(a->bucket)));
	}
	ASSERT_EQ(1, back->hists[0].hist.overflow);
	ASSERT_EQ(0, back->hists[1].hist.count);
	ASSERT_EQ(UINT64_MAX, back->hists[1].hist.min);	/* as hist_init() leaves it */
	ASSERT_EQ(0, back->hists[2].hist.min);

	/* Checks of every status, and the record's own status and reason. */
	ASSERT_EQ(r->nchecks, back->nchecks);
	for (i = 0; i < r->nchecks; i++) {
		ASSERT_STREQ(r->checks[i].name, back->checks[i].name);
		ASSERT_EQ(r->checks[i].status, back->checks[i].status);
		if (r->checks[i].reason) {
			ASSERT_STREQ(r->checks[i].reason, back->checks[i].reason);
		} else {
			ASSERT_NULL(back->checks[i].reason);
		}
	}
	ASSERT_EQ(STATUS_ERROR, back->status);
	ASSERT_STREQ(r->status_reason, back->status_reason);
	record_free(back);

	/* ... and from its text, as a record from elsewhere is read. */
	o = json_tokener_parse(want);
	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, record_from_json(o, &back, err, sizeof(err))) TH_LOG("%s", err);
	json_object_put(o);
	got = t_record_json(back);
	ASSERT_NE(NULL, got);
	ASSERT_STREQ(want, got);
	free(got);
	free(want);
	record_free(back);
	record_free(r);

	/* Little in it: no label, a skip with its reason, nulls for objects and NaN. */
	r = record_new("dirty", NULL);
	ASSERT_NE(NULL, r);
	r->started_at = T_STARTED_AT;
	r->duration_s = NAN;
	json_object_put(r->placement);
	r->placement = NULL;
	record_set_status(r, STATUS_SKIP, "no dirty ring: needs CONFIG_HAVE_KVM_DIRTY_RING");
	want = t_record_json(r);
	ASSERT_NE(NULL, want);
	o = json_tokener_parse(want);
	ASSERT_EQ(0, record_from_json(o, &back, err, sizeof(err))) TH_LOG("%s", err);
	json_object_put(o);
	got = t_record_json(back);
	ASSERT_NE(NULL, got);
	ASSERT_STREQ(want, got);
	ASSERT_NULL(back->label);
	ASSERT_NULL(back->placement);
	ASSERT_TRUE(isnan(back->duration_s));
	ASSERT_EQ(0, back->nmetrics + back->nhists + back->nchecks);
	ASSERT_EQ(STATUS_SKIP, back->status);
	free(got);
	free(want);
	record_free(back);
	record_free(r);
}

TEST(json_import_errors)
{
	struct record *r = t_record();
	struct json_object *o, *pair, *buckets;
	char err[512], *text, want[128];
	size_t last;

	ASSERT_NE(NULL, r);
	text = t_record_json(r);
	ASSERT_NE(NULL, text);

	/* A newer schema is refused before anything else is looked at. */
	o = json_tokener_parse(text);
	json_object_object_add(o, "schema_version", json_object_new_int(RECORD_SCHEMA_VERSION + 1));
	json_object_object_del(o, "metrics");
	ASSERT_EQ(-EPROTONOSUPPORT, t_import(o, err, sizeof(err)));
	ASSERT_EQ(0, strncmp(err, "schema_version: ", 16)) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, "newer")) TH_LOG("%s", err);
	o = json_tokener_parse(text);
	json_object_object_add(o, "schema_version", json_object_new_int(0));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_EQ(0, strncmp(err, "schema_version: ", 16)) TH_LOG("%s", err);

	/* Missing fields, by name. */
	o = json_tokener_parse(text);
	json_object_object_del(o, "run_id");
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("run_id: missing", err);
	o = json_tokener_parse(text);
	json_object_object_del(t_at(o, "metrics", 3), "unit");
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("metrics[3].unit: missing", err);
	o = json_tokener_parse(text);
	json_object_object_del(t_at(o, "histograms", 0), "sum_cycles");
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("histograms[0].sum_cycles: missing", err);
	o = json_tokener_parse(text);
	json_object_object_del(t_at(o, "checks", 2), "reason");
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("checks[2].reason: missing", err);

	/* Wrong types and values. */
	o = json_tokener_parse(text);
	json_object_object_add(o, "run_id", json_object_new_int(7));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("run_id: must be a string, not int", err);
	o = json_tokener_parse(text);
	json_object_object_add(o, "run_id", json_object_new_string(""));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("run_id: must be 1 to 39 characters", err);
	o = json_tokener_parse(text);
	json_object_object_add(o, "params", json_object_new_string("vcpus=2"));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("params: must be an object or null, not string", err);
	o = json_tokener_parse(text);
	json_object_object_add(o, "checks", json_object_new_object());
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("checks: must be an array, not object", err);
	o = json_tokener_parse(text);
	json_object_array_put_idx(json_object_object_get(t_at(o, "metrics", 0), "samples"), 2,
				  json_object_new_string("x"));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("metrics[0].samples[2]: must be a number or null, not string", err);
	o = json_tokener_parse(text);
	json_object_object_add(t_at(o, "metrics", 2), "direction", json_object_new_string("up"));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("metrics[2].direction: \"up\" is not lower, higher or info", err);
	o = json_tokener_parse(text);
	json_object_object_add(t_at(o, "checks", 1), "status", json_object_new_string("maybe"));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("checks[1].status: \"maybe\" is not pass, fail, skip or error", err);
	o = json_tokener_parse(text);
	json_object_object_add(o, "status", NULL);
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("status: must be a string, not null", err);
	o = json_tokener_parse(text);
	json_object_object_add(t_at(o, "metrics", 1), "name",
			       json_object_new_string("access_ns_per_page"));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("metrics[1].name: access_ns_per_page is also metrics[0]", err);

	/* Histograms whose figures do not agree. */
	o = json_tokener_parse(text);
	json_object_object_add(t_at(o, "histograms", 0), "count", json_object_new_int(1002));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("histograms[0].count: 1002, but the buckets and overflow add up to 1001", err);
	o = json_tokener_parse(text);
	pair = json_object_array_get_idx(json_object_object_get(t_at(o, "histograms", 0), "buckets"), 3);
	json_object_array_put_idx(pair, 1, json_object_new_int(2));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("histograms[0].count: 1001, but the buckets and overflow add up to 1002", err);
	o = json_tokener_parse(text);
	json_object_object_add(t_at(o, "histograms", 0), "overflow", json_object_new_int(0));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("histograms[0].count: 1001, but the buckets and overflow add up to 1000", err);
	o = json_tokener_parse(text);
	json_object_object_add(t_at(o, "histograms", 1), "count", json_object_new_int(1));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("histograms[1].min_cycles: must be an unsigned integer, not null", err);
	o = json_tokener_parse(text);
	json_object_object_add(t_at(o, "histograms", 1), "overflow", json_object_new_int(-1));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("histograms[1].overflow: must not be negative", err);
	/* The last bucket is [1000, 1008): 1001 is inside it. */
	o = json_tokener_parse(text);
	buckets = json_object_object_get(t_at(o, "histograms", 0), "buckets");
	last = json_object_array_length(buckets) - 1;
	pair = json_object_array_get_idx(buckets, last);
	ASSERT_EQ(1000, json_object_get_int(json_object_array_get_idx(pair, 0)));
	json_object_array_put_idx(pair, 0, json_object_new_int(1001));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	snprintf(want, sizeof(want), "histograms[0].buckets[%zu]: no bucket starts at 1001 cycles",
		 last);
	ASSERT_STREQ(want, err);
	o = json_tokener_parse(text);
	buckets = json_object_object_get(t_at(o, "histograms", 0), "buckets");
	json_object_array_put_idx(json_object_array_get_idx(buckets, 1), 0, json_object_new_int(1));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	ASSERT_STREQ("histograms[0].buckets[1]: bucket at 1 cycles out of order: buckets go up, each once",
		     err);
	o = json_tokener_parse(text);
	buckets = json_object_object_get(t_at(o, "histograms", 0), "buckets");
	json_object_array_add(buckets, json_object_new_string("2000:1"));
	ASSERT_EQ(-EINVAL, t_import(o, err, sizeof(err)));
	snprintf(want, sizeof(want),
		 "histograms[0].buckets[%zu]: must be [low_cycles, count], not \"2000:1\"", last + 1);
	ASSERT_STREQ(want, err);

	/* Not a record at all. */
	ASSERT_EQ(-EINVAL, t_import(json_object_new_array(), err, sizeof(err)));
	ASSERT_STREQ("not a result record: a JSON object, not array", err);
	ASSERT_EQ(-EINVAL, t_import(NULL, err, sizeof(err)));
	ASSERT_STREQ("not a result record: a JSON object, not null", err);
	ASSERT_EQ(-EINVAL, t_import(json_object_new_object(), err, sizeof(err)));
	ASSERT_STREQ("schema_version: missing", err);

	/* The untouched text still reads: the cases above failed for their own reason. */
	ASSERT_EQ(1, t_import(json_tokener_parse(text), err, sizeof(err))) TH_LOG("%s", err);
	free(text);
	record_free(r);
}

TEST(json_import_file)
{
	char dir[256], path[PATH_MAX], err[512] = "", *want, *got;
	struct record *r = t_record_full(), *back;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	ASSERT_NE(NULL, r);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	ASSERT_EQ(0, json_write_record(r, path, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, record_read_json_file(path, &back, err, sizeof(err))) TH_LOG("%s", err);
	want = t_record_json(r);
	got = t_record_json(back);
	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, got);
	ASSERT_STREQ(want, got);
	free(want);
	free(got);
	record_free(back);

	/* No such file: its errno. */
	snprintf(path, sizeof(path), "%s/none.json", dir);
	back = (void *)1;
	ASSERT_EQ(-ENOENT, record_read_json_file(path, &back, err, sizeof(err)));
	ASSERT_NULL(back);
	ASSERT_NE(NULL, strstr(err, path)) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, strerror(ENOENT))) TH_LOG("%s", err);

	/* Not JSON: the path, json-c's reason and the line. */
	snprintf(path, sizeof(path), "%s/cut.json", dir);
	ASSERT_EQ(0, t_write_file(path, "{\"schema_version\": 1, \"run_id\": "));
	back = (void *)1;
	ASSERT_EQ(-EINVAL, record_read_json_file(path, &back, err, sizeof(err)));
	ASSERT_NULL(back);
	ASSERT_NE(NULL, strstr(err, path)) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, ": not JSON: ")) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, " at line 1")) TH_LOG("%s", err);
	ASSERT_NULL(strchr(err, '\n')) TH_LOG("%s", err);

	/* Two documents in one file: not silently the first only. */
	ASSERT_EQ(0, t_write_file(path, "{\"schema_version\": 1}\n{}\n"));
	ASSERT_EQ(-EINVAL, record_read_json_file(path, &back, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "more after the JSON document")) TH_LOG("%s", err);

	/* JSON, but not a whole record: the path and the field. */
	snprintf(path, sizeof(path), "%s/short.json", dir);
	ASSERT_EQ(0, t_write_file(path, "{\"schema_version\": 1}\n"));
	ASSERT_EQ(-EINVAL, record_read_json_file(path, &back, err, sizeof(err)));
	ASSERT_EQ(0, strncmp(err, path, strlen(path))) TH_LOG("%s", err);
	ASSERT_STREQ(": run_id: missing", err + strlen(path));
	record_free(r);
}

/* -------------------------------------------------------------------- KTAP */

TEST(ktap_lines)
{
	struct record *r = t_record();
	char *out, *line, *save, want[64];
	unsigned int next = 1;
	int plan = -1, points = 0;

	ASSERT_NE(NULL, r);
	unsetenv("KSFT_TAP_LEVEL");
	out = t_capture_ktap(r);
	ASSERT_NE(NULL, out);

	ASSERT_EQ(0, strncmp(out, "TAP version 13\n", 15));
	/* 4 metrics + 2 histograms + 3 checks; the failure is explained by a check */
	T_HAS_LINE(out, "1..9");
	T_HAS_LINE(out, "ok 1 access_ns_per_page 23.4 ns/page");
	T_HAS_LINE(out, "ok 2 false_old_pct 0.125 %");
	T_HAS_LINE(out, "ok 3 pages_touched 262144 pages");
	T_HAS_LINE(out, "ok 4 refault_rate n/a 1/s");
	T_HAS_LINE(out, "# access_ns_per_page: median of 5 samples, min 22.1 max 25");
	T_HAS_LINE(out, "ok 6 idle_latency count=0");
	T_HAS_LINE(out, "ok 7 memory_contents");
	T_HAS_LINE(out, "# placement: memory on node 1, asked for node 0");
	T_HAS_LINE(out, "not ok 8 placement");
	T_HAS_LINE(out, "ok 9 thp # SKIP THP is off: echo always >/sys/kernel/mm/transparent_hugepage/enabled");
	T_HAS_LINE(out, "# Totals: pass:7 fail:1 xfail:0 xpass:0 skip:1 error:0");
	ASSERT_NE(NULL, strstr(out, "\nok 5 populate_latency count=1001 p50=")) t_dump(out);
	ASSERT_NE(NULL, strstr(out, " max=2199023256 us overflow=1\n")) t_dump(out);

	/* Every test point in order, as many as planned. */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "1..%d", &plan) == 1)
			continue;
		if (!strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7)) {
			snprintf(want, sizeof(want), "%s%u ", line[0] == 'n' ? "not ok " : "ok ", next);
			ASSERT_EQ(0, strncmp(line, want, strlen(want))) TH_LOG("%s", line);
			next++;
			points++;
		} else {
			ASSERT_TRUE(line[0] == '#' || !strcmp(line, "TAP version 13")) TH_LOG("%s", line);
		}
	}
	ASSERT_EQ(9, plan);
	ASSERT_EQ(plan, points);
	free(out);

	/* A second document numbers from 1 again. */
	out = t_capture_ktap(r);
	ASSERT_NE(NULL, out);
	T_HAS_LINE(out, "ok 1 access_ns_per_page 23.4 ns/page");
	T_HAS_LINE(out, "# Totals: pass:7 fail:1 xfail:0 xpass:0 skip:1 error:0");
	free(out);
	record_free(r);
}

TEST(ktap_skip_error_and_escaping)
{
	struct record *r = record_new("dirty", NULL);
	char *out;

	ASSERT_NE(NULL, r);
	unsetenv("KSFT_TAP_LEVEL");
	record_add_value(r, "lost_pages", "pages", DIR_LOWER_IS_BETTER, 0);
	record_set_status(r, STATUS_SKIP, "no dirty ring: needs CONFIG_HAVE_KVM_DIRTY_RING");
	out = t_capture_ktap(r);
	ASSERT_NE(NULL, out);
	T_HAS_LINE(out, "1..1");
	T_HAS_LINE(out, "ok 1 dirty # SKIP no dirty ring: needs CONFIG_HAVE_KVM_DIRTY_RING");
	ASSERT_NULL(strstr(out, "lost_pages"));
	T_HAS_LINE(out, "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0");
	free(out);

	/* An error adds a point for the run; reasons stay on one line. */
	record_set_status(r, STATUS_ERROR, "KVM_RUN failed:\nEFAULT");
	record_add_check(r, "odd#name", STATUS_SKIP, "two\nlines");
	out = t_capture_ktap(r);
	ASSERT_NE(NULL, out);
	T_HAS_LINE(out, "1..3");
	T_HAS_LINE(out, "ok 1 lost_pages 0 pages");
	T_HAS_LINE(out, "ok 2 odd_name # SKIP two lines");
	T_HAS_LINE(out, "not ok 3 dirty # ERROR KVM_RUN failed: EFAULT");
	free(out);

	/* A failure set without any failing check also gets a point. */
	record_set_status(r, STATUS_FAIL, "lost %d pages", 5);
	out = t_capture_ktap(r);
	ASSERT_NE(NULL, out);
	T_HAS_LINE(out, "1..3");
	T_HAS_LINE(out, "# dirty: lost 5 pages");
	T_HAS_LINE(out, "not ok 3 dirty");
	free(out);

	/* KSFT_TAP_LEVEL (set by kselftest runners) drops the version line. */
	setenv("KSFT_TAP_LEVEL", "1", 1);
	record_set_status(r, STATUS_PASS, NULL);
	out = t_capture_ktap(r);
	ASSERT_NE(NULL, out);
	ASSERT_NULL(strstr(out, "TAP version"));
	ASSERT_EQ(0, strncmp(out, "1..2\n", 5));
	free(out);
	record_free(r);

	/* Nothing measured: one point for the run rather than "1..0". */
	unsetenv("KSFT_TAP_LEVEL");
	r = record_new("demand", NULL);
	ASSERT_NE(NULL, r);
	out = t_capture_ktap(r);
	ASSERT_NE(NULL, out);
	T_HAS_LINE(out, "1..1");
	T_HAS_LINE(out, "ok 1 demand");
	free(out);
	record_free(r);
}

/* ----------------------------------------------------------------- summary */

TEST(summary_text)
{
	struct record *r = t_record();
	char *text = NULL, *line, *save, *hdr = NULL;
	size_t len = 0;
	int col = -1, rows = 0;
	FILE *f;

	ASSERT_NE(NULL, r);
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	summary_print(f, r);
	fclose(f);

	ASSERT_EQ(0, strncmp(text, "access run ", 11));
	line = strchr(text, '\n');
	ASSERT_NE(NULL, line);
	*line = '\0';
	ASSERT_NE(NULL, strstr(text, r->run_id));
	ASSERT_NE(NULL, strstr(text, "label v6.12-test"));
	ASSERT_NE(NULL, strstr(text, "FAIL: check placement failed: memory on node 1"));
	*line = '\n';
	ASSERT_NE(NULL, strstr(text, "n=5  22.1 .. 25\n"));
	ASSERT_NE(NULL, strstr(text, "  FAIL   placement: memory on node 1, asked for node 0\n"));
	ASSERT_NE(NULL, strstr(text, "  SKIP   thp: THP is off"));
	ASSERT_NE(NULL, strstr(text, "  PASS   memory_contents\n"));
	ASSERT_NE(NULL, strstr(text, "p99.9"));
	ASSERT_NE(NULL, strstr(text, "(1 overflowed)"));
	ASSERT_NULL(strstr(text, "\033"));	/* no colours */

	/* The unit column starts at the same place on every metric row. */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		static const char *const units[] = { "ns/page", " % ", "pages", "1/s" };
		static const char *const names[] = {
			"access_ns_per_page", "false_old_pct", "pages_touched", "refault_rate",
		};

		if (strstr(line, "  metric ")) {
			hdr = strstr(line, "unit");
			ASSERT_NE(NULL, hdr);
			col = hdr - line;
			continue;
		}
		for (int i = 0; i < 4; i++) {
			char *u;

			if (strncmp(line + 2, names[i], strlen(names[i])))
				continue;
			u = strstr(line + 2 + strlen(names[i]), units[i]);

			ASSERT_NE(NULL, u) TH_LOG("%s", line);
			ASSERT_EQ(col, u - line + (units[i][0] == ' ')) TH_LOG("%s", line);
			rows++;
		}
	}
	ASSERT_EQ(4, rows);
	free(text);
	record_free(r);
}

/* ------------------------------------------------------------------- store */

static sqlite3 *t_sqlite(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

static long long t_sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

TEST(store_round_trip)
{
	char dir[256], path[PATH_MAX], err[512] = "";
	struct record *r = t_record();
	struct json_object *o, *rj, *jh;
	struct store *s;
	sqlite3_stmt *st;
	sqlite3 *db;
	size_t i;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));

	ASSERT_NE(NULL, r);
	/* Missing directories are created. */
	snprintf(path, sizeof(path), "%s/a/b/mmubench.db", dir);
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, store_insert(s, r, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);

	db = t_sqlite(path);
	ASSERT_NE(NULL, db);
	ASSERT_EQ(STORE_SCHEMA_VERSION, t_sql_int(db, "SELECT version FROM schema_version"));
	ASSERT_EQ(1, t_sql_int(db, "SELECT count(*) FROM schema_version"));

	ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db,
		"SELECT run_id, schema_version, label, scenario, started_at, duration_s, status, "
		"status_reason, params_json, env_json, placement_json, record_json, "
		"kernel_release, host FROM runs", -1, &st, NULL));
	ASSERT_EQ(SQLITE_ROW, sqlite3_step(st));
	ASSERT_STREQ(r->run_id, (const char *)sqlite3_column_text(st, 0));
	ASSERT_EQ(RECORD_SCHEMA_VERSION, sqlite3_column_int(st, 1));
	ASSERT_STREQ("v6.12-test", (const char *)sqlite3_column_text(st, 2));
	ASSERT_STREQ("access", (const char *)sqlite3_column_text(st, 3));
	ASSERT_EQ(T_STARTED_AT, sqlite3_column_int64(st, 4));
	ASSERT_EQ(12.5, sqlite3_column_double(st, 5));
	ASSERT_STREQ("fail", (const char *)sqlite3_column_text(st, 6));
	ASSERT_STREQ(r->status_reason, (const char *)sqlite3_column_text(st, 7));
	o = json_tokener_parse((const char *)sqlite3_column_text(st, 8));
	ASSERT_TRUE(json_object_equal(r->params, o));
	json_object_put(o);
	o = json_tokener_parse((const char *)sqlite3_column_text(st, 9));
	ASSERT_TRUE(json_object_equal(r->env, o));
	json_object_put(o);
	o = json_tokener_parse((const char *)sqlite3_column_text(st, 10));
	ASSERT_TRUE(json_object_equal(r->placement, o));
	json_object_put(o);
	o = json_tokener_parse((const char *)sqlite3_column_text(st, 11));
	rj = t_reparse(record_to_json(r));
	ASSERT_NE(NULL, rj);
	ASSERT_TRUE(json_object_equal(rj, o));
	json_object_put(o);
	ASSERT_STREQ("6.12.0-test", (const char *)sqlite3_column_text(st, 12));
	ASSERT_STREQ("testhost", (const char *)sqlite3_column_text(st, 13));
	ASSERT_EQ(SQLITE_DONE, sqlite3_step(st));
	sqlite3_finalize(st);

	/* Metrics and their samples, in order; NaN is NULL. */
	ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db,
		"SELECT name, unit, direction, value FROM metrics WHERE run_id = ?1 ORDER BY rowid",
		-1, &st, NULL));
	sqlite3_bind_text(st, 1, r->run_id, -1, SQLITE_STATIC);
	for (i = 0; i < r->nmetrics; i++) {
		const struct metric *m = &r->metrics[i];

		ASSERT_EQ(SQLITE_ROW, sqlite3_step(st));
		ASSERT_STREQ(m->name, (const char *)sqlite3_column_text(st, 0));
		ASSERT_STREQ(m->unit, (const char *)sqlite3_column_text(st, 1));
		ASSERT_STREQ(metric_direction_name(m->direction), (const char *)sqlite3_column_text(st, 2));
		if (isnan(m->value)) {
			ASSERT_EQ(SQLITE_NULL, sqlite3_column_type(st, 3));
		} else {
			ASSERT_EQ(m->value, sqlite3_column_double(st, 3));
		}
	}
	ASSERT_EQ(SQLITE_DONE, sqlite3_step(st));
	sqlite3_finalize(st);
	ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db,
		"SELECT idx, value FROM metric_samples WHERE name = 'access_ns_per_page' ORDER BY idx",
		-1, &st, NULL));
	for (i = 0; i < ARRAY_SIZE(t_samples); i++) {
		ASSERT_EQ(SQLITE_ROW, sqlite3_step(st));
		ASSERT_EQ(i, sqlite3_column_int(st, 0));
		ASSERT_EQ(t_samples[i], sqlite3_column_double(st, 1));
	}
	ASSERT_EQ(SQLITE_DONE, sqlite3_step(st));
	sqlite3_finalize(st);
	ASSERT_EQ(7, t_sql_int(db, "SELECT count(*) FROM metric_samples"));

	/* Histograms: the same figures as the JSON. */
	ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db,
		"SELECT name, unit, unit_per_cycle, count, min, max, mean, p50, p90, p99, p99_9, "
		"overflow, buckets_json FROM histograms WHERE name = 'populate_latency'",
		-1, &st, NULL));
	ASSERT_EQ(SQLITE_ROW, sqlite3_step(st));
	jh = json_object_array_get_idx(json_object_object_get(rj, "histograms"), 0);
	ASSERT_STREQ("us", (const char *)sqlite3_column_text(st, 1));
	ASSERT_EQ(T_UPC, sqlite3_column_double(st, 2));
	ASSERT_EQ(1001, sqlite3_column_int64(st, 3));
	ASSERT_EQ(t_get_double(jh, "min"), sqlite3_column_double(st, 4));
	ASSERT_EQ(t_get_double(jh, "max"), sqlite3_column_double(st, 5));
	ASSERT_EQ(t_get_double(jh, "mean"), sqlite3_column_double(st, 6));
	ASSERT_EQ(t_get_double(jh, "p50"), sqlite3_column_double(st, 7));
	ASSERT_EQ(t_get_double(jh, "p90"), sqlite3_column_double(st, 8));
	ASSERT_EQ(t_get_double(jh, "p99"), sqlite3_column_double(st, 9));
	ASSERT_EQ(t_get_double(jh, "p99_9"), sqlite3_column_double(st, 10));
	ASSERT_TRUE(t_near(sqlite3_column_double(st, 7), 501 * T_UPC, 501 * T_UPC / 64));
	ASSERT_EQ(1, sqlite3_column_int64(st, 11));
	o = json_tokener_parse((const char *)sqlite3_column_text(st, 12));
	ASSERT_TRUE(json_object_equal(json_object_object_get(jh, "buckets"), o));
	json_object_put(o);
	sqlite3_finalize(st);
	ASSERT_EQ(1, t_sql_int(db, "SELECT count(*) FROM histograms WHERE name = 'idle_latency' "
			       "AND count = 0 AND p50 IS NULL"));
	json_object_put(rj);

	/* Checks. */
	ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db,
		"SELECT name, status, reason FROM checks ORDER BY rowid", -1, &st, NULL));
	for (i = 0; i < r->nchecks; i++) {
		ASSERT_EQ(SQLITE_ROW, sqlite3_step(st));
		ASSERT_STREQ(r->checks[i].name, (const char *)sqlite3_column_text(st, 0));
		ASSERT_STREQ(record_status_name(r->checks[i].status),
			     (const char *)sqlite3_column_text(st, 1));
		if (r->checks[i].reason) {
			ASSERT_STREQ(r->checks[i].reason, (const char *)sqlite3_column_text(st, 2));
		} else {
			ASSERT_EQ(SQLITE_NULL, sqlite3_column_type(st, 2));
		}
	}
	ASSERT_EQ(SQLITE_DONE, sqlite3_step(st));
	sqlite3_finalize(st);

	/* Indexes on label and scenario exist. */
	ASSERT_EQ(2, t_sql_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
			       "AND tbl_name = 'runs' AND (sql LIKE '%(label)' OR sql LIKE '%(scenario)')"));
	sqlite3_close(db);
	record_free(r);
}

TEST(store_duplicate_and_rollback)
{
	char dir[256], path[PATH_MAX], err[512] = "", sql[256];
	struct record *r = t_record(), *bad;
	struct store *s;
	sqlite3 *db;
	int ret;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));

	ASSERT_NE(NULL, r);
	snprintf(path, sizeof(path), "%s/mmubench.db", dir);
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, store_insert(s, r, err, sizeof(err))) TH_LOG("%s", err);

	/* The same run again: refused, the first copy untouched. */
	r->metrics[0].value = 99;
	ret = store_insert(s, r, err, sizeof(err));
	ASSERT_EQ(-EEXIST, ret);
	ASSERT_NE(NULL, strstr(err, r->run_id)) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, path)) TH_LOG("%s", err);

	/* A record that fails half-way (two metrics with one name) leaves nothing. */
	bad = record_new("access", NULL);
	ASSERT_NE(NULL, bad);
	record_add_value(bad, "m1", "us", DIR_LOWER_IS_BETTER, 1);
	record_add_value(bad, "m2", "us", DIR_LOWER_IS_BETTER, 2);
	free(bad->metrics[1].name);
	bad->metrics[1].name = strdup("m1");
	ret = store_insert(s, bad, err, sizeof(err));
	ASSERT_LT(ret, 0);
	ASSERT_NE(NULL, strstr(err, "m1")) TH_LOG("%s", err);
	/* and the store still works afterwards */
	bad->metrics[1].name[1] = '2';
	ASSERT_EQ(0, store_insert(s, bad, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);

	db = t_sqlite(path);
	ASSERT_NE(NULL, db);
	ASSERT_EQ(2, t_sql_int(db, "SELECT count(*) FROM runs"));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM metrics WHERE run_id = '%s'", r->run_id);
	ASSERT_EQ(4, t_sql_int(db, sql));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM metrics WHERE run_id = '%s'", bad->run_id);
	ASSERT_EQ(2, t_sql_int(db, sql));
	ASSERT_EQ(0, t_sql_int(db, "SELECT count(*) FROM metrics WHERE value = 99"));
	ASSERT_EQ(3, t_sql_int(db, "SELECT count(*) FROM checks"));
	/* Deleting a run deletes its rows. */
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL));
	snprintf(sql, sizeof(sql), "DELETE FROM runs WHERE run_id = '%s'", r->run_id);
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, sql, NULL, NULL, NULL));
	ASSERT_EQ(2, t_sql_int(db, "SELECT count(*) FROM metric_samples"));
	ASSERT_EQ(0, t_sql_int(db, "SELECT count(*) FROM checks"));
	sqlite3_close(db);
	record_free(bad);
	record_free(r);
}

/* A record made elsewhere goes into the store once, as it was. */
TEST(store_import)
{
	char dir[256], path[PATH_MAX], json[PATH_MAX], err[512] = "", sql[256];
	struct record *r = t_record_full(), *a, *b;
	struct json_object *o, *rj;
	struct store *s;
	sqlite3_stmt *st;
	sqlite3 *db;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	ASSERT_NE(NULL, r);
	snprintf(json, sizeof(json), "%s/rig-run.json", dir);
	ASSERT_EQ(0, json_write_record(r, json, err, sizeof(err))) TH_LOG("%s", err);

	snprintf(path, sizeof(path), "%s/mmubench.db", dir);
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, record_read_json_file(json, &a, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, store_insert(s, a, err, sizeof(err))) TH_LOG("%s", err);
	/* Importing the same file again is the same run: refused. */
	ASSERT_EQ(0, record_read_json_file(json, &b, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(-EEXIST, store_insert(s, b, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, r->run_id)) TH_LOG("%s", err);
	store_close(s);

	/* Stored as the original would have been. */
	db = t_sqlite(path);
	ASSERT_NE(NULL, db);
	ASSERT_EQ(1, t_sql_int(db, "SELECT count(*) FROM runs"));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM metrics WHERE run_id = '%s'", r->run_id);
	ASSERT_EQ(5, t_sql_int(db, sql));
	ASSERT_EQ(3, t_sql_int(db, "SELECT count(*) FROM histograms"));
	ASSERT_EQ(4, t_sql_int(db, "SELECT count(*) FROM checks"));
	ASSERT_EQ(T_STARTED_AT, t_sql_int(db, "SELECT started_at FROM runs"));
	ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db, "SELECT record_json FROM runs", -1, &st, NULL));
	ASSERT_EQ(SQLITE_ROW, sqlite3_step(st));
	o = json_tokener_parse((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	rj = t_reparse(record_to_json(r));
	ASSERT_NE(NULL, o);
	ASSERT_NE(NULL, rj);
	ASSERT_TRUE(json_object_equal(rj, o));
	json_object_put(o);
	json_object_put(rj);
	sqlite3_close(db);
	record_free(b);
	record_free(a);
	record_free(r);
}

TEST(store_refuses_foreign_databases)
{
	char dir[256], path[PATH_MAX], err[512] = "", sql[128];
	char junk[4096];
	struct store *s;
	sqlite3 *db;
	int fd;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));

	snprintf(path, sizeof(path), "%s/mmubench.db", dir);
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);
	/* Opening again leaves the schema as it was. */
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);

	/* A newer schema. */
	db = t_sqlite(path);
	ASSERT_NE(NULL, db);
	ASSERT_EQ(1, t_sql_int(db, "SELECT count(*) FROM schema_version"));
	snprintf(sql, sizeof(sql), "UPDATE schema_version SET version = %d", STORE_SCHEMA_VERSION + 1);
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, sql, NULL, NULL, NULL));
	sqlite3_close(db);
	s = (void *)1;
	ASSERT_EQ(-EPROTONOSUPPORT, store_open(path, &s, err, sizeof(err)));
	ASSERT_NULL(s);
	ASSERT_NE(NULL, strstr(err, "newer")) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, path)) TH_LOG("%s", err);

	/* Somebody else's database. */
	snprintf(path, sizeof(path), "%s/other.db", dir);
	ASSERT_EQ(SQLITE_OK, sqlite3_open(path, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, "CREATE TABLE foo (x TEXT)", NULL, NULL, NULL));
	sqlite3_close(db);
	ASSERT_EQ(-EINVAL, store_open(path, &s, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "not an mmubench store")) TH_LOG("%s", err);

	/* Not a database at all. */
	snprintf(path, sizeof(path), "%s/text.db", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ASSERT_GE(fd, 0);
	memset(junk, 'x', sizeof(junk));
	ASSERT_EQ(sizeof(junk), write(fd, junk, sizeof(junk)));
	close(fd);
	ASSERT_LT(store_open(path, &s, err, sizeof(err)), 0);
	ASSERT_NE(NULL, strstr(err, path)) TH_LOG("%s", err);

	/* A directory where the database should be. */
	ASSERT_LT(store_open(dir, &s, err, sizeof(err)), 0);
	ASSERT_NE(NULL, strstr(err, dir)) TH_LOG("%s", err);

	/* A file where a directory should be. */
	snprintf(path, sizeof(path), "%s/text.db/sub/x.db", dir);
	ASSERT_EQ(-ENOTDIR, store_open(path, &s, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "cannot create directory")) TH_LOG("%s", err);
}

TEST(store_schema_is_this_version)
{
	const char *embedded = store_schema_sql();
	char want[64];

	/* the embedded schema (results/schema.sql) is the version the code expects */
	snprintf(want, sizeof(want), "INSERT INTO schema_version (version) VALUES (%d);",
		 STORE_SCHEMA_VERSION);
	ASSERT_NE(NULL, strstr(embedded, want));
}

TEST(store_default_path_order)
{
	const char *p;

	setenv("MMUBENCH_STORE", "/somewhere/my.db", 1);
	ASSERT_STREQ("/somewhere/my.db", store_default_path());
	unsetenv("MMUBENCH_STORE");
	setenv("XDG_DATA_HOME", "/xdg", 1);
	p = store_default_path();
	ASSERT_NE(NULL, p);
#ifdef MMUBENCH_SRCDIR
	if (!access(MMUBENCH_SRCDIR "/results", W_OK)) {
		ASSERT_STREQ(MMUBENCH_SRCDIR "/results/mmubench.db", p);
		return;
	}
#endif
	ASSERT_STREQ("/xdg/mmubench/mmubench.db", p);
	setenv("XDG_DATA_HOME", "relative", 1);
	setenv("HOME", "/home/k", 1);
	ASSERT_STREQ("/home/k/.local/share/mmubench/mmubench.db", store_default_path());
	unsetenv("XDG_DATA_HOME");
	ASSERT_STREQ("/home/k/.local/share/mmubench/mmubench.db", store_default_path());
}

TEST_HARNESS_MAIN
