// SPDX-License-Identifier: GPL-2.0
/*
 * The results store beyond one insert (tests/unit/test_output.c has those):
 * the embedded schema and migrations against results/, migrating an older
 * store forward, a writer killed in the middle of a record, and
 * `mmubench import`.
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
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include <sqlite3.h>

#include "kselftest_harness.h"
#include "tests/t_util.h"
#include "tests/t_record.h"

#include "src/cli/commands.h"
#include "src/record/json_in.h"
#include "src/record/json_out.h"
#include "src/record/record.h"
#include "src/store/store.h"

#define T_REVISION	"v0.1-42-gdeadbee"

/*
 * Every test works in its own directory under one per-process base
 * directory, which the harness's main process removes when it exits.
 */
T_SCRATCH_BASE("test")

static off_t t_file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

/*
 * A record of @nmetrics metrics with @nsamples samples each (plus one
 * without samples), three histograms (one empty) and four checks; the
 * environment names the mmubench git revision when @revision is non-NULL.
 */
static struct record *t_record_n(const char *label, size_t nmetrics, size_t nsamples,
				 const char *revision)
{
	struct json_object *mmubench;
	struct record *r;
	struct hist h;
	double *samples;
	char name[32];
	size_t i, j;

	r = t_record_base(label);
	samples = calloc(nsamples ? nsamples : 1, sizeof(*samples));
	if (!r || !samples) {
		free(samples);
		record_free(r);
		return NULL;
	}
	json_object_object_add(r->env, "kernel_release", json_object_new_string("6.12.0-test"));
	json_object_object_add(r->env, "hostname", json_object_new_string("testhost"));
	if (revision) {
		mmubench = json_object_new_object();
		json_object_object_add(mmubench, "git_revision", json_object_new_string(revision));
		json_object_object_add(r->env, "mmubench", mmubench);
	}

	for (i = 0; i < nmetrics; i++) {
		for (j = 0; j < nsamples; j++)
			samples[j] = i * 1000.0 + j / 8.0 + 0.1;
		snprintf(name, sizeof(name), "m%03zu_us", i);
		record_add_metric(r, name, "us", i % 2 ? DIR_HIGHER_IS_BETTER : DIR_LOWER_IS_BETTER,
				  samples, nsamples);
	}
	record_add_metric(r, "refault_rate", "1/s", DIR_INFO, NULL, 0);
	free(samples);

	for (i = 0; i < 3; i++) {
		t_hist_fill(&h, i < 2 ? 500 * (i + 1) : 0, i + 1, i == 0 ? T_OVERFLOW : 0);
		snprintf(name, sizeof(name), "latency%zu", i);
		record_add_hist(r, name, "us", T_UPC, &h);
	}

	t_record_add_checks(r, "THP is off");
	record_add_check(r, "dirty_log", STATUS_PASS, NULL);
	return r;
}

/* Rows store_insert() writes for @r. */
static long t_rows(const struct record *r)
{
	long n = 1 + r->nmetrics + r->nhists + r->nchecks;

	for (size_t i = 0; i < r->nmetrics; i++)
		n += r->metrics[i].nsamples;
	return n;
}

static sqlite3 *t_sqlite(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

/* The one integer @sql gives, with @arg (may be NULL) as ?1; -1 for no row or NULL, -2 on error. */
static long long t_sql_int(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The text @sql gives with @arg as ?1, copied into @buf; "NULL" for NULL, "" for no row. */
static const char *t_sql_text(sqlite3 *db, const char *sql, const char *arg, char *buf,
			      size_t len)
{
	sqlite3_stmt *st;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return "(error)";
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, len, "%s", sqlite3_column_type(st, 0) == SQLITE_NULL ? "NULL" :
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

/* How SQLite would run @sql (the first step of its plan), in @buf. */
static const char *t_plan(sqlite3 *db, const char *sql, char *buf, size_t len)
{
	char explain[512];
	sqlite3_stmt *st;

	snprintf(explain, sizeof(explain), "EXPLAIN QUERY PLAN %s", sql);
	snprintf(buf, len, "(no plan)");
	if (sqlite3_prepare_v2(db, explain, -1, &st, NULL) != SQLITE_OK)
		return buf;
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, len, "%s", sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return buf;
}

/* Rows of other tables that point at no run (or no metric). */
static const char *const t_orphan_sql[] = {
	"SELECT count(*) FROM metrics WHERE run_id NOT IN (SELECT run_id FROM runs)",
	"SELECT count(*) FROM metric_samples s WHERE NOT EXISTS (SELECT 1 FROM metrics m "
	"WHERE m.run_id = s.run_id AND m.name = s.name)",
	"SELECT count(*) FROM histograms WHERE run_id NOT IN (SELECT run_id FROM runs)",
	"SELECT count(*) FROM checks WHERE run_id NOT IN (SELECT run_id FROM runs)",
};

/*
 * Checks that every run in the store at @path has all its rows, as its
 * record_json says, and that no row lacks its run. Returns the number of
 * runs, or -1 with the first problem in @msg.
 */
static int t_check_store(const char *path, char *msg, size_t len)
{
	sqlite3 *db = t_sqlite(path);
	sqlite3_stmt *st = NULL;
	struct record *r;
	char err[512], ok[16];
	long long n, want;
	const char *id;
	int nruns = 0;
	size_t i;

	snprintf(msg, len, "cannot open %s", path);
	if (!db)
		return -1;
	/* The first read rolls back what a killed writer left (the hot journal). */
	if (strcmp(t_sql_text(db, "PRAGMA integrity_check", NULL, ok, sizeof(ok)), "ok")) {
		snprintf(msg, len, "integrity_check: %s", ok);
		goto fail;
	}
	for (i = 0; i < ARRAY_SIZE(t_orphan_sql); i++) {
		n = t_sql_int(db, t_orphan_sql[i], NULL);
		if (n) {
			snprintf(msg, len, "%lld rows without their run: %s", n, t_orphan_sql[i]);
			goto fail;
		}
	}
	if (sqlite3_prepare_v2(db, "SELECT run_id, record_json FROM runs", -1, &st, NULL)) {
		snprintf(msg, len, "%s", sqlite3_errmsg(db));
		goto fail;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct json_object *o;

		id = (const char *)sqlite3_column_text(st, 0);
		o = json_tokener_parse((const char *)sqlite3_column_text(st, 1));
		if (!o || record_from_json(o, &r, err, sizeof(err))) {
			snprintf(msg, len, "run %s: bad record_json: %s", id, o ? err : "not JSON");
			json_object_put(o);
			goto fail;
		}
		json_object_put(o);
		n = t_sql_int(db, "SELECT count(*) FROM metrics WHERE run_id = ?1", id);
		if (n != (long long)r->nmetrics) {
			snprintf(msg, len, "run %s: %lld of %zu metrics", id, n, r->nmetrics);
			goto fail_record;
		}
		want = t_rows(r) - 1 - r->nmetrics - r->nhists - r->nchecks;
		n = t_sql_int(db, "SELECT count(*) FROM metric_samples WHERE run_id = ?1", id);
		if (n != want) {
			snprintf(msg, len, "run %s: %lld of %lld samples", id, n, want);
			goto fail_record;
		}
		n = t_sql_int(db, "SELECT count(*) FROM histograms WHERE run_id = ?1", id);
		if (n != (long long)r->nhists) {
			snprintf(msg, len, "run %s: %lld of %zu histograms", id, n, r->nhists);
			goto fail_record;
		}
		n = t_sql_int(db, "SELECT count(*) FROM checks WHERE run_id = ?1", id);
		if (n != (long long)r->nchecks) {
			snprintf(msg, len, "run %s: %lld of %zu checks", id, n, r->nchecks);
			goto fail_record;
		}
		record_free(r);
		nruns++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	msg[0] = '\0';
	return nruns;

fail_record:
	record_free(r);
fail:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return -1;
}

/* ------------------------------------------------- schema and migrations */

/* Every migration on disk is embedded, numbered by the version it makes. */
TEST(migrations_are_all_embedded)
{
#ifdef MMUBENCH_SRCDIR
	const char *dir = MMUBENCH_SRCDIR "/results/migrations";
	char want[64];
	const char *sql, *file;
	struct dirent *de;
	int v, nfiles = 0;
	DIR *d;

	ASSERT_NULL(store_migration_sql(0, &file));
	ASSERT_NULL(store_migration_sql(STORE_SCHEMA_VERSION + 1, &file));
	ASSERT_NE(NULL, strstr(store_schema_sql(), "CREATE TABLE runs"));
	for (v = 1; v <= STORE_SCHEMA_VERSION; v++) {
		file = NULL;
		sql = store_migration_sql(v, &file);
		ASSERT_NE(NULL, sql);
		ASSERT_NE(NULL, file);
		/* NNN-what.sql, NNN being the version it makes */
		ASSERT_EQ(v, atoi(file)) TH_LOG("%s", file);
		ASSERT_EQ('-', file[3]) TH_LOG("%s", file);
		snprintf(want, sizeof(want), "schema_version (version) VALUES (%d);", v);
		if (v > 1)
			snprintf(want, sizeof(want), "UPDATE schema_version SET version = %d;", v);
		ASSERT_NE(NULL, strstr(sql, want)) TH_LOG("%s lacks \"%s\"", file, want);
	}

	/* and no migration on disk that the binary lacks */
	d = opendir(dir);
	ASSERT_NE(NULL, d) TH_LOG("%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 4 || strcmp(de->d_name + len - 4, ".sql"))
			continue;
		nfiles++;
		v = atoi(de->d_name);
		file = NULL;
		store_migration_sql(v, &file);
		EXPECT_TRUE(file && !strcmp(file, de->d_name))
			TH_LOG("results/migrations/%s is not in src/store_sql.S and store.c", de->d_name);
	}
	closedir(d);
	ASSERT_EQ(STORE_SCHEMA_VERSION, nfiles);
#else
	SKIP(return, "MMUBENCH_SRCDIR is not defined: no source tree to compare with");
#endif
}

/* Appends the rows of @sql (with @arg as ?1) to @f, one line each. */
static void t_dump_rows(FILE *f, sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	int i;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(f, "error: %s: %s\n", sql, sqlite3_errmsg(db));
		return;
	}
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		fputs("   ", f);
		for (i = 0; i < sqlite3_column_count(st); i++)
			fprintf(f, " %s", sqlite3_column_type(st, i) == SQLITE_NULL ? "NULL" :
				(const char *)sqlite3_column_text(st, i));
		fputc('\n', f);
	}
	sqlite3_finalize(st);
}

/*
 * The tables (columns, keys) and indexes of @db as text, without the
 * CREATE TABLE text, which ALTER TABLE edits in its own way.
 */
static char *t_describe(sqlite3 *db)
{
	sqlite3_stmt *st;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_master "
			       "ORDER BY type, name", -1, &st, NULL) != SQLITE_OK) {
		fclose(f);
		free(buf);
		return NULL;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);

		fprintf(f, "%s %s on %s\n", type, name, sqlite3_column_text(st, 2));
		if (!strcmp(type, "table")) {
			t_dump_rows(f, db, "SELECT cid, name, type, \"notnull\", dflt_value, pk "
				    "FROM pragma_table_info(?1)", name);
			t_dump_rows(f, db, "SELECT id, seq, \"table\", \"from\", \"to\", on_delete "
				    "FROM pragma_foreign_key_list(?1)", name);
		} else {
			fprintf(f, "    %s\n", sqlite3_column_type(st, 3) == SQLITE_NULL ? "auto" :
				(const char *)sqlite3_column_text(st, 3));
			t_dump_rows(f, db, "SELECT seqno, name FROM pragma_index_info(?1)", name);
		}
	}
	sqlite3_finalize(st);
	fclose(f);
	return buf;
}

/* The migrations from version 1 give what results/schema.sql gives. */
TEST(migrations_lead_to_schema)
{
	char *fresh, *migrated;
	sqlite3 *a, *b;
	int v;

	ASSERT_EQ(SQLITE_OK, sqlite3_open(":memory:", &a));
	ASSERT_EQ(SQLITE_OK, sqlite3_open(":memory:", &b));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(a, store_schema_sql(), NULL, NULL, NULL));
	for (v = 1; v <= STORE_SCHEMA_VERSION; v++) {
		ASSERT_EQ(SQLITE_OK, sqlite3_exec(b, store_migration_sql(v, NULL), NULL, NULL, NULL))
			TH_LOG("migration %d: %s", v, sqlite3_errmsg(b));
	}
	ASSERT_EQ(STORE_SCHEMA_VERSION, t_sql_int(b, "SELECT version FROM schema_version", NULL));
	ASSERT_EQ(1, t_sql_int(b, "SELECT count(*) FROM schema_version", NULL));
	ASSERT_EQ(STORE_SCHEMA_VERSION, t_sql_int(a, "SELECT version FROM schema_version", NULL));

	fresh = t_describe(a);
	migrated = t_describe(b);
	ASSERT_NE(NULL, fresh);
	ASSERT_NE(NULL, migrated);
	ASSERT_STREQ(fresh, migrated)
		TH_LOG("results/schema.sql:\n%s\nresults/migrations/*:\n%s", fresh, migrated);
	/* the indexes version 2 brought */
	ASSERT_NE(NULL, strstr(fresh, "index runs_host on runs"));
	ASSERT_NE(NULL, strstr(fresh, "index runs_label_started_at on runs"));
	free(fresh);
	free(migrated);
	sqlite3_close(a);
	sqlite3_close(b);
}

/*
 * Stores @r at @path as a version-1 mmubench did, creating the store with
 * the version-1 schema text when it is new.
 */
static int t_make_v1_store(const char *path, const struct record *r)
{
	struct json_object *rj = record_to_json(r), *jh;
	const char *text;
	sqlite3_stmt *st;
	sqlite3 *db;
	size_t i, j;
	int rc;

	db = t_sqlite(path);
	if (!db || !rj)
		return -1;
	rc = SQLITE_OK;
	if (!t_sql_int(db, "SELECT count(*) FROM sqlite_master", NULL))
		rc = sqlite3_exec(db, store_migration_sql(1, NULL), NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO runs (run_id, schema_version, label, "
			"scenario, started_at, duration_s, status, status_reason, params_json, "
			"env_json, placement_json, record_json, kernel_release, host) VALUES (?1, 1, "
			"?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '{}', ?10, '6.12.0-test', 'testhost')", -1,
			&st, NULL);
	if (rc != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, r->run_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->scenario, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->started_at);
	sqlite3_bind_double(st, 5, r->duration_s);
	sqlite3_bind_text(st, 6, record_status_name(r->status), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->status_reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, json_object_to_json_string(r->params), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 9, json_object_to_json_string(r->env), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, json_object_to_json_string(rj), -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);

	for (i = 0; rc == SQLITE_OK && i < r->nmetrics; i++) {
		const struct metric *m = &r->metrics[i];

		rc = sqlite3_prepare_v2(db, "INSERT INTO metrics VALUES (?1, ?2, ?3, ?4, ?5)", -1,
					&st, NULL);
		if (rc != SQLITE_OK)
			break;
		sqlite3_bind_text(st, 1, r->run_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, m->unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, metric_direction_name(m->direction), -1, SQLITE_STATIC);
		if (!isnan(m->value))
			sqlite3_bind_double(st, 5, m->value);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
		for (j = 0; rc == SQLITE_OK && j < m->nsamples; j++) {
			rc = sqlite3_prepare_v2(db, "INSERT INTO metric_samples VALUES (?1, ?2, ?3, ?4)",
						-1, &st, NULL);
			if (rc != SQLITE_OK)
				break;
			sqlite3_bind_text(st, 1, r->run_id, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, j);
			sqlite3_bind_double(st, 4, m->samples[j]);
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
			sqlite3_finalize(st);
		}
	}
	for (i = 0; rc == SQLITE_OK && i < r->nhists; i++) {
		jh = json_object_array_get_idx(json_object_object_get(rj, "histograms"), i);
		text = json_object_to_json_string(json_object_object_get(jh, "buckets"));
		rc = sqlite3_prepare_v2(db, "INSERT INTO histograms (run_id, name, unit, count, "
					"overflow, buckets_json) VALUES (?1, ?2, 'us', ?3, ?4, ?5)",
					-1, &st, NULL);
		if (rc != SQLITE_OK)
			break;
		sqlite3_bind_text(st, 1, r->run_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->hists[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, r->hists[i].hist.count);
		sqlite3_bind_int64(st, 4, r->hists[i].hist.overflow);
		sqlite3_bind_text(st, 5, text, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
	for (i = 0; rc == SQLITE_OK && i < r->nchecks; i++) {
		rc = sqlite3_prepare_v2(db, "INSERT INTO checks VALUES (?1, ?2, ?3, ?4)", -1, &st,
					NULL);
		if (rc != SQLITE_OK)
			break;
		sqlite3_bind_text(st, 1, r->run_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->checks[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, record_status_name(r->checks[i].status), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, r->checks[i].reason, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
	}
out:
	json_object_put(rj);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Metrics and samples of @id in the store equal those of @r, bit for bit. */
static int t_same_metrics(sqlite3 *db, const struct record *r, const char *id)
{
	sqlite3_stmt *st;
	size_t i, j;
	int ok = 1;

	for (i = 0; ok && i < r->nmetrics; i++) {
		const struct metric *m = &r->metrics[i];

		if (sqlite3_prepare_v2(db, "SELECT unit, direction, value FROM metrics "
				       "WHERE run_id = ?1 AND name = ?2", -1, &st, NULL))
			return 0;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_ROW &&
		     !strcmp(m->unit, (const char *)sqlite3_column_text(st, 0)) &&
		     !strcmp(metric_direction_name(m->direction),
			     (const char *)sqlite3_column_text(st, 1)) &&
		     (isnan(m->value) ? sqlite3_column_type(st, 2) == SQLITE_NULL :
		      sqlite3_column_double(st, 2) == m->value);
		sqlite3_finalize(st);

		if (!ok || sqlite3_prepare_v2(db, "SELECT idx, value FROM metric_samples "
					      "WHERE run_id = ?1 AND name = ?2 ORDER BY idx",
					      -1, &st, NULL))
			return 0;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
		for (j = 0; ok && j < m->nsamples; j++)
			ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == (long long)j &&
			     sqlite3_column_double(st, 1) == m->samples[j];
		ok = ok && sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	return ok && t_sql_int(db, "SELECT count(*) FROM metrics WHERE run_id = ?1", id) ==
		     (long long)r->nmetrics;
}

TEST(migrate_v1_store)
{
	struct record *with = t_record_n("v6.12", 3, 4, T_REVISION);
	struct record *without = t_record_n("v6.13", 2, 3, NULL);
	struct record *later = t_record_n("v6.14", 1, 1, T_REVISION);
	char dir[256], path[PATH_MAX], err[512] = "", buf[128];
	struct store *s;
	sqlite3 *db;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	ASSERT_NE(NULL, with);
	ASSERT_NE(NULL, without);
	ASSERT_NE(NULL, later);
	snprintf(path, sizeof(path), "%s/v1.db", dir);
	ASSERT_EQ(0, t_make_v1_store(path, with));
	ASSERT_EQ(0, t_make_v1_store(path, without));
	db = t_sqlite(path);
	ASSERT_EQ(1, t_sql_int(db, "SELECT version FROM schema_version", NULL));
	ASSERT_EQ(-2, t_sql_int(db, "SELECT git_revision FROM runs", NULL));
	sqlite3_close(db);

	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	/* a run stored after the migration has its revision too */
	ASSERT_EQ(0, store_insert(s, later, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);
	/* and opening again changes nothing */
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);

	db = t_sqlite(path);
	ASSERT_NE(NULL, db);
	ASSERT_EQ(STORE_SCHEMA_VERSION, t_sql_int(db, "SELECT version FROM schema_version", NULL));
	ASSERT_EQ(1, t_sql_int(db, "SELECT count(*) FROM schema_version", NULL));
	ASSERT_STREQ(T_REVISION, t_sql_text(db, "SELECT git_revision FROM runs WHERE run_id = ?1",
					    with->run_id, buf, sizeof(buf)));
	ASSERT_STREQ("NULL", t_sql_text(db, "SELECT git_revision FROM runs WHERE run_id = ?1",
					 without->run_id, buf, sizeof(buf)));
	ASSERT_STREQ(T_REVISION, t_sql_text(db, "SELECT git_revision FROM runs WHERE run_id = ?1",
					    later->run_id, buf, sizeof(buf)));
	/* the data as it was */
	ASSERT_STREQ("v6.13", t_sql_text(db, "SELECT label FROM runs WHERE run_id = ?1",
					 without->run_id, buf, sizeof(buf)));
	ASSERT_EQ(T_STARTED_AT, t_sql_int(db, "SELECT started_at FROM runs WHERE run_id = ?1",
					  with->run_id));
	ASSERT_TRUE(t_same_metrics(db, with, with->run_id));
	ASSERT_TRUE(t_same_metrics(db, without, without->run_id));
	ASSERT_TRUE(t_same_metrics(db, later, later->run_id));
	ASSERT_EQ(3, t_sql_int(db, "SELECT count(*) FROM histograms WHERE run_id = ?1",
			       with->run_id));
	ASSERT_EQ(4, t_sql_int(db, "SELECT count(*) FROM checks WHERE run_id = ?1",
			       without->run_id));
	/* the new indexes serve the gate's and the report's queries */
	ASSERT_EQ(1, t_sql_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
			       "AND name = 'runs_label_started_at'", NULL));
	ASSERT_NE(NULL, strstr(t_plan(db, "SELECT run_id FROM runs WHERE host = 'testhost'", buf,
				      sizeof(buf)), "runs_host")) TH_LOG("%s", buf);
	ASSERT_NE(NULL, strstr(t_plan(db, "SELECT run_id FROM runs WHERE label = 'v6.12' "
				      "ORDER BY started_at", buf, sizeof(buf)),
			       "runs_label_started_at")) TH_LOG("%s", buf);
	sqlite3_close(db);
	ASSERT_EQ(3, t_check_store(path, err, sizeof(err))) TH_LOG("%s", err);
	record_free(later);
	record_free(without);
	record_free(with);
}

/* A migration that fails leaves the store as it was, at its version. */
TEST(failed_migration_changes_nothing)
{
	struct record *r = t_record_n("v6.12", 2, 2, T_REVISION);
	char dir[256], path[PATH_MAX], err[512] = "";
	struct store *s;
	sqlite3 *db;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	ASSERT_NE(NULL, r);
	snprintf(path, sizeof(path), "%s/v1.db", dir);
	ASSERT_EQ(0, t_make_v1_store(path, r));
	/* somebody's own index under the name migration 2 wants */
	db = t_sqlite(path);
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, "CREATE INDEX runs_host ON runs (kernel_release)",
					  NULL, NULL, NULL));
	sqlite3_close(db);

	s = (void *)1;
	ASSERT_GT(0, store_open(path, &s, err, sizeof(err)));
	ASSERT_NULL(s);
	ASSERT_NE(NULL, strstr(err, path)) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, "from schema version 1 to 2")) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, "002-")) TH_LOG("%s", err);
	ASSERT_NE(NULL, strstr(err, "runs_host")) TH_LOG("%s", err);

	db = t_sqlite(path);
	ASSERT_EQ(1, t_sql_int(db, "SELECT version FROM schema_version", NULL));
	ASSERT_EQ(0, t_sql_int(db, "SELECT count(*) FROM pragma_table_info('runs') "
			       "WHERE name = 'git_revision'", NULL));
	ASSERT_EQ(0, t_sql_int(db, "SELECT count(*) FROM sqlite_master "
			       "WHERE name = 'runs_label_started_at'", NULL));
	ASSERT_TRUE(t_same_metrics(db, r, r->run_id));
	sqlite3_close(db);
	record_free(r);
}

TEST(unknown_versions_refused)
{
	char dir[256], path[PATH_MAX], err[512] = "", sql[128];
	struct store *s;
	sqlite3 *db;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);

	db = t_sqlite(path);
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, "UPDATE schema_version SET version = 0", NULL, NULL,
					  NULL));
	sqlite3_close(db);
	ASSERT_EQ(-EPROTONOSUPPORT, store_open(path, &s, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "unknown")) TH_LOG("%s", err);

	db = t_sqlite(path);
	snprintf(sql, sizeof(sql), "UPDATE schema_version SET version = %d",
		 STORE_SCHEMA_VERSION + 1);
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, sql, NULL, NULL, NULL));
	sqlite3_close(db);
	ASSERT_EQ(-EPROTONOSUPPORT, store_open(path, &s, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "newer than this mmubench")) TH_LOG("%s", err);
}

/* ------------------------------------------------- a writer killed mid-write */

/*
 * In the child: an SQLite auto-extension arms every connection it opens to
 * SIGKILL the process after t_kill_after rows inserted (0: at COMMIT), once
 * t_armed is set, and gives it a tiny page cache, so that uncommitted pages
 * reach the database file long before the end of the record.
 */
static long t_kill_after;
static long t_inserted;
static int t_armed;

static void t_update_hook(void *arg, int op, const char *dbname, const char *table,
			  sqlite3_int64 rowid)
{
	if (t_armed && op == SQLITE_INSERT && ++t_inserted == t_kill_after)
		raise(SIGKILL);
}

static int t_commit_hook(void *arg)
{
	if (t_armed)
		raise(SIGKILL);
	return 0;
}

static int t_arm_connection(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api)
{
	sqlite3_exec(db, "PRAGMA cache_size = 10", NULL, NULL, NULL);
	if (t_kill_after)
		sqlite3_update_hook(db, t_update_hook, NULL);
	else
		sqlite3_commit_hook(db, t_commit_hook, NULL);
	return SQLITE_OK;
}

/* Forks a child that stores @r and kills itself at row @kill_after (0: at COMMIT). */
static pid_t t_spawn_killed_writer(const char *path, const struct record *r, long kill_after)
{
	char err[512];
	struct store *s;
	pid_t pid;

	pid = fork();
	if (pid)
		return pid;
	t_kill_after = kill_after;
	sqlite3_auto_extension((void (*)(void))t_arm_connection);
	if (store_open(path, &s, err, sizeof(err)))
		_exit(2);
	t_armed = 1;
	store_insert(s, r, err, sizeof(err));
	/* not killed: the test fails on the exit status */
	_exit(3);
}

TEST(killed_mid_insert_leaves_nothing)
{
	struct record *kept = t_record_n("kept", 3, 3, T_REVISION);
	struct record *big = t_record_n("big", 40, 100, T_REVISION);
	char dir[256], path[PATH_MAX], journal[PATH_MAX + 16], err[512] = "";
	long total, points[7];
	struct store *s;
	off_t before;
	size_t i;
	pid_t pid;
	int status;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	ASSERT_NE(NULL, kept);
	ASSERT_NE(NULL, big);
	snprintf(path, sizeof(path), "%s/s.db", dir);
	snprintf(journal, sizeof(journal), "%s-journal", path);
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, store_insert(s, kept, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);

	/* after the run row, a metric, a sample, half-way, the last row but one, the last row, COMMIT */
	total = t_rows(big);
	points[0] = 1;
	points[1] = 2;
	points[2] = 3;
	points[3] = total / 2;
	points[4] = total - 1;
	points[5] = total;
	points[6] = 0;
	for (i = 0; i < ARRAY_SIZE(points); i++) {
		before = t_file_size(path);
		pid = t_spawn_killed_writer(path, big, points[i]);
		ASSERT_LT(0, pid);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("row %ld of %ld: the writer was not killed (status %#x)",
			       points[i], total, status);
		/* killed inside the transaction: its journal is there to roll it back */
		ASSERT_EQ(0, access(journal, F_OK)) TH_LOG("row %ld of %ld", points[i], total);
		if (points[i] > total / 4 || !points[i]) {
			ASSERT_LT(before, t_file_size(path))
				TH_LOG("row %ld of %ld: no uncommitted page reached the file",
				       points[i], total);
		}

		ASSERT_EQ(1, t_check_store(path, err, sizeof(err)))
			TH_LOG("killed at row %ld of %ld: %s", points[i], total, err);
	}

	/* The store works afterwards, and the record goes in whole. */
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, store_insert(s, big, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);
	ASSERT_EQ(2, t_check_store(path, err, sizeof(err))) TH_LOG("%s", err);
	record_free(big);
	record_free(kept);
}

/* The brute way: a child storing records in a loop, killed at a random time. */
TEST(killed_at_random_leaves_whole_runs)
{
	char dir[256], path[PATH_MAX], journal[PATH_MAX + 16], err[512] = "";
	unsigned int seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	int round, nruns = 0, mid_write = 0, status, n;
	struct store *s;
	pid_t pid;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	snprintf(journal, sizeof(journal), "%s-journal", path);
	ASSERT_EQ(0, store_open(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);
	srand(seed);
	for (round = 0; round < 10; round++) {
		useconds_t delay = 5000 + rand() % 25000;

		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			if (store_open(path, &s, err, sizeof(err)))
				_exit(2);
			for (;;) {
				struct record *r = t_record_n("loop", 20, 50, T_REVISION);

				if (!r || store_insert(s, r, err, sizeof(err)))
					_exit(3);
				record_free(r);
			}
		}
		usleep(delay);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("the writer exited with %#x", status);
		mid_write += !access(journal, F_OK);
		n = t_check_store(path, err, sizeof(err));
		ASSERT_LE(nruns, n) TH_LOG("round %d, killed after %u us (seed %u): %s", round,
					   delay, seed, err);
		nruns = n;
	}
	TH_LOG("%d runs stored, %d of 10 kills inside a write", nruns, mid_write);
	ASSERT_LT(0, mid_write) TH_LOG("no kill landed inside a write (seed %u)", seed);
}

/* ------------------------------------------------------ reading the store back */

/* What store_read() handed over, in order; at @stop_at records the callback says stop. */
struct t_got {
	struct record *r[16];
	size_t n;
	size_t stop_at;
};

static int t_keep(struct record *r, void *arg)
{
	struct t_got *g = arg;

	if (g->n == ARRAY_SIZE(g->r)) {
		record_free(r);
		return -ENOSPC;
	}
	g->r[g->n++] = r;
	return g->stop_at && g->n == g->stop_at ? 42 : 0;
}

static void t_got_free(struct t_got *g)
{
	for (size_t i = 0; i < g->n; i++)
		record_free(g->r[i]);
	g->n = 0;
}

/* store_read(@q) of the store at @path into @g (emptied first). */
static int t_read(const char *path, const struct store_query *q, struct t_got *g, char *err,
		  size_t errlen)
{
	struct store *s;
	int ret;

	t_got_free(g);
	ret = store_open_readonly(path, &s, err, errlen);
	if (ret)
		return ret;
	ret = store_read(s, q, t_keep, g, err, errlen);
	store_close(s);
	return ret;
}

/* The run ids in @g, "a b c". */
static const char *t_ids(const struct t_got *g, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < g->n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "", g->r[i]->run_id);
	return buf;
}

/* Run @id labelled @label (may be NULL) of @scenario, started @dt seconds after T_STARTED_AT. */
static int t_insert_at(const char *path, const char *id, const char *label,
		       const char *scenario, int dt)
{
	struct record *r = t_record_base(label);
	int ret;

	if (!r)
		return -ENOMEM;
	snprintf(r->run_id, sizeof(r->run_id), "%s", id);
	free(r->scenario);
	r->scenario = strdup(scenario);
	r->started_at += dt;
	record_add_value(r, "x_us", "us", DIR_LOWER_IS_BETTER, dt);
	ret = r->scenario ? t_store_insert(path, r) : -ENOMEM;
	record_free(r);
	return ret;
}

/* Runs of labels a (twice), b, c, d and none, of two scenarios, ten seconds apart. */
static int t_make_runs(const char *path)
{
	int ret = t_insert_at(path, "r0", "a", "access", 0);

	if (!ret)
		ret = t_insert_at(path, "r1", "b", "access", 10);
	if (!ret)
		ret = t_insert_at(path, "r2", "a", "dirty", 20);
	if (!ret)
		ret = t_insert_at(path, "r3", "d", "access", 30);
	if (!ret)
		ret = t_insert_at(path, "r4", "c", "access", 30);
	if (!ret)
		ret = t_insert_at(path, "r5", NULL, "access", 40);
	return ret;
}

/* What went in comes out: the same JSON, NaN samples and histograms included. */
TEST(read_gives_records_whole)
{
	struct record *in[2] = { t_record_full(), t_record_n("v6.13", 3, 5, T_REVISION) };
	char dir[256], path[PATH_MAX], err[512] = "";
	struct t_got g = { 0 };
	const struct metric *m = NULL;
	const struct record *out;

	ASSERT_NE(NULL, in[0]);
	ASSERT_NE(NULL, in[1]);
	in[1]->started_at += 60;
	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, t_store_insert(path, in[i]));
	}
	ASSERT_EQ(0, t_read(path, NULL, &g, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, g.n);
	for (int i = 0; i < 2; i++) {
		char *want = t_record_json(in[i]), *got = t_record_json(g.r[i]);

		ASSERT_NE(NULL, want);
		ASSERT_NE(NULL, got);
		EXPECT_STREQ(want, got);
		free(want);
		free(got);
	}

	/* what the JSON text does not show: NaN kept as NaN, buckets as struct hist */
	out = g.r[0];
	EXPECT_EQ(STATUS_ERROR, out->status);
	for (size_t i = 0; i < out->nmetrics; i++)
		if (!strcmp(out->metrics[i].name, "scan_ms"))
			m = &out->metrics[i];
	ASSERT_NE(NULL, m);
	ASSERT_EQ(3, m->nsamples);
	EXPECT_EQ(3.0, m->samples[0]);
	EXPECT_TRUE(isnan(m->samples[1]));
	EXPECT_EQ(0.1, m->samples[2]);
	EXPECT_EQ(1e-300, m->value);
	ASSERT_EQ(in[0]->nhists, out->nhists);
	for (size_t i = 0; i < out->nhists; i++) {
		const struct hist *a = &in[0]->hists[i].hist, *b = &out->hists[i].hist;

		EXPECT_STREQ(in[0]->hists[i].name, out->hists[i].name);
		EXPECT_EQ(a->count, b->count);
		EXPECT_EQ(a->min, b->min);
		EXPECT_EQ(a->max, b->max);
		EXPECT_EQ(a->overflow, b->overflow);
		EXPECT_EQ(0, memcmp(a->bucket, b->bucket, sizeof(a->bucket)));
	}
	ASSERT_EQ(in[0]->nchecks, out->nchecks);
	for (size_t i = 0; i < out->nchecks; i++) {
		EXPECT_STREQ(in[0]->checks[i].name, out->checks[i].name);
		EXPECT_EQ(in[0]->checks[i].status, out->checks[i].status);
	}
	t_got_free(&g);
	record_free(in[0]);
	record_free(in[1]);
}

TEST(read_selects_labels_scenarios_since)
{
	static const char *const a[] = { "a", NULL }, *const ac[] = { "a", "c", NULL };
	static const char *const nosuch[] = { "nosuch", NULL }, *const none[] = { NULL };
	static const char *const dirty[] = { "dirty", NULL };
	static const char *const both[] = { "access", "dirty", NULL };
	static const struct {
		struct store_query q;
		const char *ids;
	} cases[] = {
		{ { 0 }, "r0 r1 r2 r3 r4 r5" },
		{ { .labels = none, .scenarios = none }, "r0 r1 r2 r3 r4 r5" },
		{ { .labels = a }, "r0 r2" },
		{ { .labels = ac }, "r0 r2 r4" },
		{ { .labels = nosuch }, "" },
		{ { .scenarios = dirty }, "r2" },
		{ { .labels = a, .scenarios = both }, "r0 r2" },
		{ { .has_since = true, .since = T_STARTED_AT + 20 }, "r2 r3 r4 r5" },
		{ { .labels = a, .has_since = true, .since = T_STARTED_AT + 10 }, "r2" },
		{ { .has_since = true, .since = T_STARTED_AT + 41 }, "" },
	};
	char dir[256], path[PATH_MAX], err[512] = "", ids[256];
	struct t_got g = { 0 };

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	ASSERT_EQ(0, t_make_runs(path));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, t_read(path, &cases[i].q, &g, err, sizeof(err))) TH_LOG("%s", err);
		EXPECT_STREQ(cases[i].ids, t_ids(&g, ids, sizeof(ids))) TH_LOG("case %zu", i);
	}
	t_got_free(&g);
}

/* Oldest first; within a second by run id, or in the order stored when asked. */
TEST(read_order)
{
	struct store_query q = { .insertion_order = true };
	char dir[256], path[PATH_MAX], err[512] = "", ids[256];
	struct t_got g = { 0 };

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	ASSERT_EQ(0, t_insert_at(path, "t2", "x", "access", 2));
	ASSERT_EQ(0, t_insert_at(path, "t1-z", "x", "access", 1));
	ASSERT_EQ(0, t_insert_at(path, "t1-a", "x", "access", 1));
	ASSERT_EQ(0, t_insert_at(path, "t0", "x", "access", 0));
	ASSERT_EQ(0, t_read(path, NULL, &g, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("t0 t1-a t1-z t2", t_ids(&g, ids, sizeof(ids)));
	ASSERT_EQ(0, t_read(path, &q, &g, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("t0 t1-z t1-a t2", t_ids(&g, ids, sizeof(ids)));
	t_got_free(&g);
}

/* The labels, the most recently used first (ties by name), with their run counts. */
TEST(labels_counts_and_order)
{
	static const struct {
		const char *label;
		size_t runs;
	} want[] = { { NULL, 1 }, { "c", 1 }, { "d", 1 }, { "a", 2 }, { "b", 1 } };
	char dir[256], path[PATH_MAX], err[512] = "";
	struct store_label *l;
	struct store *s;
	size_t n;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	ASSERT_EQ(0, t_make_runs(path));
	ASSERT_EQ(0, store_open_readonly(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ(path, store_path(s));
	ASSERT_EQ(0, store_labels(s, &l, &n, err, sizeof(err))) TH_LOG("%s", err);
	store_close(s);
	ASSERT_EQ(ARRAY_SIZE(want), n);
	for (size_t i = 0; i < n; i++) {
		if (want[i].label) {
			EXPECT_STREQ(want[i].label, l[i].label);
		} else {
			EXPECT_EQ(NULL, l[i].label);
		}
		EXPECT_EQ(want[i].runs, l[i].runs) TH_LOG("label %zu", i);
	}
	store_labels_free(l, n);
}

/* Read-only opening never creates, and says what is wrong with what it finds. */
TEST(open_readonly_refusals)
{
	char dir[256], path[PATH_MAX], err[512] = "", want[PATH_MAX + 128];
	struct store *s = (void *)1;
	sqlite3 *db;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/none.db", dir);
	EXPECT_EQ(-ENOENT, store_open_readonly(path, &s, err, sizeof(err)));
	EXPECT_EQ(NULL, s);
	snprintf(want, sizeof(want), "no results store at %s: No such file or directory", path);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);
	EXPECT_NE(0, access(path, F_OK));

	snprintf(path, sizeof(path), "%s/other.db", dir);
	db = t_sqlite(path);
	ASSERT_NE(NULL, db);
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, "CREATE TABLE t (x INTEGER)", NULL, NULL, NULL));
	sqlite3_close(db);
	EXPECT_EQ(-EINVAL, store_open_readonly(path, &s, err, sizeof(err)));
	snprintf(want, sizeof(want), "store %s: not an mmubench results store", path);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);

	snprintf(path, sizeof(path), "%s/newer.db", dir);
	ASSERT_EQ(0, t_insert_at(path, "r0", "a", "access", 0));
	db = t_sqlite(path);
	ASSERT_NE(NULL, db);
	snprintf(want, sizeof(want), "UPDATE schema_version SET version = %d",
		 STORE_SCHEMA_VERSION + 1);
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, want, NULL, NULL, NULL));
	sqlite3_close(db);
	EXPECT_EQ(-EPROTONOSUPPORT, store_open_readonly(path, &s, err, sizeof(err)));
	snprintf(want, sizeof(want),
		 "store %s: schema version %d, this mmubench reads versions 1 to %d: use a newer mmubench",
		 path, STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);
	EXPECT_STREQ(want, err);
}

/* A callback's non-zero return stops the read and is what store_read() returns. */
TEST(read_stops_when_told)
{
	char dir[256], path[PATH_MAX], err[512] = "";
	struct t_got g = { .stop_at = 2 };
	struct store *s;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	ASSERT_EQ(0, t_make_runs(path));
	ASSERT_EQ(42, t_read(path, NULL, &g, err, sizeof(err)));
	EXPECT_EQ(2, g.n);
	t_got_free(&g);

	/* and the store is usable after: the read's snapshot ended with it */
	ASSERT_EQ(0, store_open_readonly(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	g.stop_at = 1;
	EXPECT_EQ(42, store_read(s, NULL, t_keep, &g, err, sizeof(err)));
	g.stop_at = 0;
	EXPECT_EQ(0, store_read(s, NULL, t_keep, &g, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(7, g.n);
	store_close(s);
	t_got_free(&g);
}

/* A record this binary cannot read back (a newer mmubench's): an error, or left out and counted. */
TEST(read_unreadable_record)
{
	char dir[256], path[PATH_MAX], err[512] = "", why[512] = "";
	struct store_query q = { .unreadable_why = why, .unreadable_why_len = sizeof(why) };
	struct t_got g = { 0 };
	size_t unreadable = 0;
	struct store *s;
	sqlite3 *db;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	ASSERT_EQ(0, t_make_runs(path));
	db = t_sqlite(path);
	ASSERT_NE(NULL, db);
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, "UPDATE runs SET record_json = "
				"'{\"schema_version\": 99}' WHERE rowid = (SELECT min(rowid) FROM runs)",
				NULL, NULL, NULL));
	sqlite3_close(db);

	ASSERT_EQ(0, store_open_readonly(path, &s, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(-EPROTONOSUPPORT, store_read(s, NULL, t_keep, &g, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "run ")) TH_LOG("%s", err);
	t_got_free(&g);

	q.unreadable = &unreadable;
	EXPECT_EQ(0, store_read(s, &q, t_keep, &g, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(1, unreadable);
	EXPECT_EQ(5, g.n);		/* the six runs but that one */
	EXPECT_EQ(0, strncmp(why, "run ", 4)) TH_LOG("%s", why);
	EXPECT_NE(NULL, strstr(why, "schema_version")) TH_LOG("%s", why);
	store_close(s);
	t_got_free(&g);
}

/* ----------------------------------------------------------- mmubench import */

struct t_cap {
	int status;
	char out[8192];
	char err[8192];
};

static void t_slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Runs `mmubench import ARGS...` (NULL-terminated) in this process, capturing its output. */
static int t_import(struct t_cap *c, const char *arg, ...) __attribute__((sentinel));
static int t_import(struct t_cap *c, const char *arg, ...)
{
	char *argv[32] = { "import" };
	int argc = 1, out, err;
	FILE *fo, *fe;
	va_list ap;

	va_start(ap, arg);
	for (; arg && argc < 31; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	fo = tmpfile();
	fe = tmpfile();
	if (!fo || !fe)
		return -1;
	fflush(stdout);
	fflush(stderr);
	out = dup(1);
	err = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	c->status = cmd_import(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	t_slurp(fo, c->out, sizeof(c->out));
	t_slurp(fe, c->err, sizeof(c->err));
	return 0;
}

/* Histograms and checks of @id in the store equal those of @r (and its JSON). */
static int t_same_hists_checks(sqlite3 *db, const struct record *r, const char *id)
{
	struct json_object *rj = record_to_json(r), *jh, *b;
	sqlite3_stmt *st;
	size_t i;
	int ok = rj != NULL;

	for (i = 0; ok && i < r->nhists; i++) {
		const struct record_hist *h = &r->hists[i];

		jh = json_object_array_get_idx(json_object_object_get(rj, "histograms"), i);
		if (sqlite3_prepare_v2(db, "SELECT unit, unit_per_cycle, count, overflow, "
				       "buckets_json FROM histograms WHERE run_id = ?1 AND name = ?2",
				       -1, &st, NULL))
			break;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, h->name, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_ROW &&
		     !strcmp(h->unit, (const char *)sqlite3_column_text(st, 0)) &&
		     sqlite3_column_double(st, 1) == h->unit_per_cycle &&
		     sqlite3_column_int64(st, 2) == (long long)h->hist.count &&
		     sqlite3_column_int64(st, 3) == (long long)h->hist.overflow;
		if (ok) {
			b = json_tokener_parse((const char *)sqlite3_column_text(st, 4));
			ok = json_object_equal(b, json_object_object_get(jh, "buckets"));
			json_object_put(b);
		}
		sqlite3_finalize(st);
	}
	for (i = 0; ok && i < r->nchecks; i++) {
		const struct check *c = &r->checks[i];

		if (sqlite3_prepare_v2(db, "SELECT status, reason FROM checks "
				       "WHERE run_id = ?1 AND name = ?2", -1, &st, NULL))
			break;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->name, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_ROW &&
		     !strcmp(record_status_name(c->status), (const char *)sqlite3_column_text(st, 0)) &&
		     (c->reason ? !strcmp(c->reason, (const char *)sqlite3_column_text(st, 1)) :
		      sqlite3_column_type(st, 1) == SQLITE_NULL);
		sqlite3_finalize(st);
	}
	json_object_put(rj);
	return ok && t_sql_int(db, "SELECT count(*) FROM histograms WHERE run_id = ?1", id) ==
		     (long long)r->nhists;
}

TEST(import_round_trip)
{
	struct record *r = t_record_n("rig-6.12", 5, 7, T_REVISION);
	char dir[256], path[PATH_MAX], json[PATH_MAX], want[PATH_MAX + 128], buf[128];
	char err[512] = "";
	struct json_object *o, *rj;
	sqlite3_stmt *st;
	struct t_cap c;
	sqlite3 *db;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	ASSERT_NE(NULL, r);
	snprintf(path, sizeof(path), "%s/new/mmubench.db", dir);
	snprintf(json, sizeof(json), "%s/%s.json", dir, r->run_id);
	ASSERT_EQ(0, json_write_record(r, json, err, sizeof(err))) TH_LOG("%s", err);

	ASSERT_EQ(0, t_import(&c, "--store", path, json, NULL));
	ASSERT_EQ(EXIT_OK, c.status) TH_LOG("%s%s", c.out, c.err);
	snprintf(want, sizeof(want), "imported %s (access, rig-6.12, 6.12.0-test) into %s\n",
		 r->run_id, path);
	ASSERT_NE(NULL, strstr(c.out, want)) TH_LOG("%s", c.out);
	ASSERT_NE(NULL, strstr(c.out, path)) TH_LOG("%s", c.out);
	ASSERT_STREQ("", c.err);

	db = t_sqlite(path);
	ASSERT_NE(NULL, db);
	ASSERT_TRUE(t_same_metrics(db, r, r->run_id));
	ASSERT_TRUE(t_same_hists_checks(db, r, r->run_id));
	ASSERT_STREQ("rig-6.12", t_sql_text(db, "SELECT label FROM runs", NULL, buf, sizeof(buf)));
	ASSERT_STREQ(T_REVISION, t_sql_text(db, "SELECT git_revision FROM runs", NULL, buf,
					    sizeof(buf)));
	ASSERT_EQ(T_STARTED_AT, t_sql_int(db, "SELECT started_at FROM runs", NULL));
	/* record_json is the record as written */
	ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db, "SELECT record_json FROM runs", -1, &st, NULL));
	ASSERT_EQ(SQLITE_ROW, sqlite3_step(st));
	o = json_tokener_parse((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	rj = json_object_from_file(json);
	ASSERT_NE(NULL, rj);
	ASSERT_NE(NULL, o);
	ASSERT_TRUE(json_object_equal(rj, o));
	json_object_put(o);
	json_object_put(rj);

	/* Twice: already there, and that is no error. */
	ASSERT_EQ(0, t_import(&c, "--store", path, json, NULL));
	ASSERT_EQ(EXIT_OK, c.status) TH_LOG("%s%s", c.out, c.err);
	snprintf(want, sizeof(want), "already in the store: %s\n", r->run_id);
	ASSERT_NE(NULL, strstr(c.out, want)) TH_LOG("%s", c.out);
	ASSERT_EQ(1, t_check_store(path, err, sizeof(err))) TH_LOG("%s", err);
	record_free(r);
}

TEST(import_many_some_bad)
{
	struct record *a = t_record_n("a", 2, 2, NULL), *b = t_record_n("b", 2, 2, NULL);
	char dir[256], path[PATH_MAX], ja[PATH_MAX], jb[PATH_MAX], bad[PATH_MAX];
	char missing[PATH_MAX], want[PATH_MAX + 128], err[512] = "", buf[64];
	struct t_cap c;
	sqlite3 *db;
	FILE *f;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	snprintf(path, sizeof(path), "%s/mmubench.db", dir);
	snprintf(ja, sizeof(ja), "%s/a.json", dir);
	snprintf(jb, sizeof(jb), "%s/b.json", dir);
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	snprintf(missing, sizeof(missing), "%s/missing.json", dir);
	ASSERT_EQ(0, json_write_record(a, ja, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, json_write_record(b, jb, err, sizeof(err))) TH_LOG("%s", err);
	f = fopen(bad, "w");
	ASSERT_NE(NULL, f);
	fputs("{\"schema_version\": 1, \"run_id\": ", f);
	fclose(f);

	ASSERT_EQ(0, t_import(&c, "--store", path, ja, NULL));
	ASSERT_EQ(EXIT_OK, c.status) TH_LOG("%s%s", c.out, c.err);

	/* every file is tried; the bad ones make it exit 3 */
	ASSERT_EQ(0, t_import(&c, "--store", path, "--label", "relabelled", bad, ja, missing, jb,
			      NULL));
	ASSERT_EQ(EXIT_ERROR, c.status) TH_LOG("%s%s", c.out, c.err);
	snprintf(want, sizeof(want), "already in the store: %s\n", a->run_id);
	ASSERT_NE(NULL, strstr(c.out, want)) TH_LOG("%s", c.out);
	snprintf(want, sizeof(want), "imported %s (access, relabelled, 6.12.0-test) into %s\n",
		 b->run_id, path);
	ASSERT_NE(NULL, strstr(c.out, want)) TH_LOG("%s", c.out);
	snprintf(want, sizeof(want), "cannot import %s: No such file or directory\n", missing);
	ASSERT_NE(NULL, strstr(c.err, want)) TH_LOG("%s", c.err);
	snprintf(want, sizeof(want), "cannot import %s: not JSON", bad);
	ASSERT_NE(NULL, strstr(c.err, want)) TH_LOG("%s", c.err);
	ASSERT_NE(NULL, strstr(c.out, "1 imported, 1 already there, 2 not imported"))
		TH_LOG("%s", c.out);

	db = t_sqlite(path);
	ASSERT_STREQ("relabelled", t_sql_text(db, "SELECT label FROM runs WHERE run_id = ?1",
					      b->run_id, buf, sizeof(buf)));
	ASSERT_STREQ("a", t_sql_text(db, "SELECT label FROM runs WHERE run_id = ?1", a->run_id,
				     buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(t_sql_text(db, "SELECT record_json FROM runs WHERE run_id = ?1",
					  b->run_id, want, sizeof(want)), "\"relabelled\""));
	sqlite3_close(db);
	ASSERT_EQ(2, t_check_store(path, err, sizeof(err))) TH_LOG("%s", err);
	record_free(b);
	record_free(a);
}

TEST(import_usage)
{
	char dir[256], path[PATH_MAX];
	struct t_cap c;

	ASSERT_NE(NULL, t_mkdtemp(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/mmubench.db", dir);

	ASSERT_EQ(0, t_import(&c, "--help", NULL));
	ASSERT_EQ(EXIT_OK, c.status);
	ASSERT_EQ(0, strncmp(c.out, "usage: mmubench import", 22)) TH_LOG("%s", c.out);
	ASSERT_NE(NULL, strstr(c.out, "--label TEXT")) TH_LOG("%s", c.out);

	ASSERT_EQ(0, t_import(&c, "--store", path, NULL));
	ASSERT_EQ(EXIT_USAGE, c.status);
	ASSERT_NE(NULL, strstr(c.err, "no file to import")) TH_LOG("%s", c.err);
	ASSERT_NE(NULL, strchr(c.err, '\n'));
	ASSERT_STREQ("\n", strchr(c.err, '\n')) TH_LOG("not one line: %s", c.err);

	ASSERT_EQ(0, t_import(&c, "--frobnicate", "x.json", NULL));
	ASSERT_EQ(EXIT_USAGE, c.status);
	ASSERT_NE(NULL, strstr(c.err, "--frobnicate")) TH_LOG("%s", c.err);

	ASSERT_EQ(0, t_import(&c, "--store", path, "x.json", "--label", "l", NULL));
	ASSERT_EQ(EXIT_USAGE, c.status);
	ASSERT_NE(NULL, strstr(c.err, "options go before the files")) TH_LOG("%s", c.err);

	/* nothing was created on a usage error */
	ASSERT_NE(0, access(path, F_OK));

	/* a store that cannot be opened: an error, before any file */
	ASSERT_EQ(0, t_import(&c, "--store", dir, "x.json", NULL));
	ASSERT_EQ(EXIT_ERROR, c.status);
	ASSERT_NE(NULL, strstr(c.err, dir)) TH_LOG("%s", c.err);
}

TEST_HARNESS_MAIN
