// SPDX-License-Identifier: GPL-2.0
/*
 * The results store in SQLite.
 *
 * The schema is results/schema.sql and the migrations to it from older
 * versions results/migrations/NNN-*.sql; the binary carries them (results_files.S)
 * so that it needs nothing at run time. A new database gets the whole schema, which also
 * records its version; an older one is migrated forward in one transaction;
 * a newer one is refused. Every write is one BEGIN IMMEDIATE transaction, so
 * that concurrent mmubench runs wait for each other (busy timeout) instead
 * of failing half-way, and a run killed while writing leaves nothing of its
 * record (SQLite's journal rolls it back on the next open).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sqlite3.h>

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "src/stats/hist_stats.h"
#include "src/record/json_out.h"
#include "src/store/store.h"
#include "src/store/store_priv.h"
#include "src/lib/env.h"
#include "src/lib/util.h"

#define STORE_BUSY_TIMEOUT_MS	30000


/* results/schema.sql and the files in results/migrations, NUL-terminated (results_files.S) */
extern const char store_schema[], store_migration_1[], store_migration_2[];

/*
 * The migrations: [v - 1] takes a store of version v - 1 to version v, its
 * SQL (results/migrations/<file>, embedded) then, when plain SQL cannot
 * do it all, a step in C, in the same transaction. The first one, from
 * nothing, is never run: a new store gets the whole schema instead.
 */
struct store_migration {
	const char *file;
	const char *sql;
	int (*fill)(struct store *s, char *err, size_t errlen);
};

static int store_fill_git_revision(struct store *s, char *err, size_t errlen);

static const struct store_migration store_migrations[STORE_SCHEMA_VERSION] = {
	{ "001-initial.sql", store_migration_1, NULL },
	{ "002-git-revision-indexes.sql", store_migration_2, store_fill_git_revision },
};

const char *store_schema_sql(void)
{
	return store_schema;
}

const char *store_migration_sql(int version, const char **file)
{
	if (version < 1 || version > STORE_SCHEMA_VERSION)
		return NULL;
	if (file)
		*file = store_migrations[version - 1].file;
	return store_migrations[version - 1].sql;
}

/* -errno for an SQLite result code, from the OS error when there is one. */
static int store_errno(sqlite3 *db, int rc)
{
	int sys = db ? sqlite3_system_errno(db) : 0;

	switch (rc) {
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_UNIQUE:
		return -EEXIST;
	}
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
		return -EINVAL;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_READONLY:
		return sys ? -sys : -EACCES;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return -EINVAL;
	case SQLITE_TOOBIG:
		return -E2BIG;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
		return sys ? -sys : -EIO;
	}
	return -EIO;
}

/* Reports the current SQLite error of @s for @what; returns -errno. */
static int store_err(struct store *s, int rc, const char *what, char *err, size_t errlen)
{
	return errf(err, errlen, store_errno(s->db, rc), "store %s: %s: %s", s->path, what,
		    sqlite3_errmsg(s->db));
}

static int store_exec(struct store *s, const char *sql, const char *what, char *err,
		      size_t errlen)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_err(s, rc, what, err, errlen);
}

static void store_rollback(struct store *s)
{
	/* Fails harmlessly when SQLite already rolled back (e.g. SQLITE_FULL). */
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Creates @dir and its parents as needed. Returns 0 or -errno; @failed gets the culprit. */
static int store_mkdirs(const char *dir, char *failed, size_t len)
{
	char buf[PATH_MAX], *p, c;
	struct stat st;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf)) {
		snprintf(failed, len, "%s", dir);
		return -ENAMETOOLONG;
	}
	for (p = buf + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST) {
			snprintf(failed, len, "%s", buf);
			return -errno;
		}
		if (stat(buf, &st)) {
			snprintf(failed, len, "%s", buf);
			return -errno;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(failed, len, "%s", buf);
			return -ENOTDIR;
		}
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

/* Runs a one-integer query; @out is -1 for NULL or no row. */
static int store_query_int(struct store *s, const char *sql, long long *out, char *err,
			   size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_err(s, rc, "cannot read the schema", err, errlen);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 :
		       sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	} else if (rc == SQLITE_DONE) {
		*out = -1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_err(s, rc, "cannot read the schema", err, errlen);
}

/*
 * Takes the store from @version - 1 to @version, within the caller's
 * transaction: the migration's SQL, its step in C, then a check that it left
 * the version it promised.
 */
static int store_migrate(struct store *s, int version, char *err, size_t errlen)
{
	const struct store_migration *m = &store_migrations[version - 1];
	char what[160];
	long long now;
	int ret;

	snprintf(what, sizeof(what),
		 "cannot migrate from schema version %d to %d (results/migrations/%s)",
		 version - 1, version, m->file);
	ret = store_exec(s, m->sql, what, err, errlen);
	if (!ret && m->fill)
		ret = m->fill(s, err, errlen);
	if (!ret)
		ret = store_query_int(s, "SELECT max(version) FROM schema_version", &now, err,
				      errlen);
	if (!ret && now != version)
		ret = errf(err, errlen, -EPROTO, "store %s: %s: it left version %lld", s->path,
			   what, now);
	return ret;
}

/*
 * Creates the schema in a new database, or checks the version of an existing
 * one and migrates it forward, all in one transaction: another mmubench
 * opening the store meanwhile waits, then finds it at the new version.
 */
static int store_init_schema(struct store *s, char *err, size_t errlen)
{
	long long has_version, ntables, version;
	int ret;

	ret = store_exec(s, "BEGIN IMMEDIATE", "cannot open the database", err, errlen);
	if (ret)
		return ret;
	ret = store_query_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
			      "AND name = 'schema_version'", &has_version, err, errlen);
	if (!ret)
		ret = store_query_int(s, "SELECT count(*) FROM sqlite_master", &ntables, err,
				      errlen);
	if (ret)
		goto fail;

	if (!has_version && ntables) {
		ret = errf(err, errlen, -EINVAL,
			   "store %s: an SQLite database but not an mmubench store (no "
			   "schema_version table); use another path (MMUBENCH_STORE)",
			   s->path);
		goto fail;
	}
	if (!has_version) {
		ret = store_exec(s, store_schema, "cannot create the schema", err, errlen);
		if (ret)
			goto fail;
	} else {
		ret = store_query_int(s, "SELECT max(version) FROM schema_version", &version,
				      err, errlen);
		if (ret)
			goto fail;
		if (version > STORE_SCHEMA_VERSION) {
			ret = errf(err, errlen, -EPROTONOSUPPORT,
				   "store %s: schema version %lld is newer than this mmubench's "
				   "(%d): use a newer mmubench, or another store (MMUBENCH_STORE)",
				   s->path, version, STORE_SCHEMA_VERSION);
			goto fail;
		}
		if (version < 1) {
			ret = errf(err, errlen, -EPROTONOSUPPORT,
				   "store %s: schema version %lld is unknown (this mmubench knows "
				   "1 to %d)",
				   s->path, version, STORE_SCHEMA_VERSION);
			goto fail;
		}
		while (version < STORE_SCHEMA_VERSION) {
			ret = store_migrate(s, ++version, err, errlen);
			if (ret)
				goto fail;
		}
	}
	return store_exec(s, "COMMIT", "cannot commit the schema", err, errlen);

fail:
	store_rollback(s);
	return ret;
}

int store_open(const char *path, struct store **out, char *err, size_t errlen)
{
	char dir[PATH_MAX], failed[PATH_MAX];
	const char *slash;
	struct store *s;
	int rc, ret;

	*out = NULL;
	if (!path || !*path)
		return errf(err, errlen, -EINVAL,
			    "no results store path: set MMUBENCH_STORE or HOME");
	slash = strrchr(path, '/');
	if (slash && slash != path) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		ret = store_mkdirs(dir, failed, sizeof(failed));
		if (ret)
			return errf(err, errlen, ret, "store %s: cannot create directory %s: %s",
				    path, failed, strerror(-ret));
	}

	s = calloc(1, sizeof(*s));
	if (s)
		s->path = strdup(path);
	if (!s || !s->path) {
		free(s);
		return errf(err, errlen, -ENOMEM, "store %s: out of memory", path);
	}
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		if (!s->db)
			ret = errf(err, errlen, -ENOMEM, "store %s: out of memory", path);
		else
			ret = store_err(s, rc, "cannot open", err, errlen);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	ret = store_exec(s, "PRAGMA foreign_keys = ON", "cannot enable foreign keys", err,
			 errlen);
	if (ret)
		goto fail;
	ret = store_init_schema(s, err, errlen);
	if (ret)
		goto fail;
	*out = s;
	return 0;

fail:
	store_close(s);
	return ret;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static int store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

/* Non-finite numbers (NaN: no samples) are stored as NULL, as PostgreSQL would need. */
static int store_bind_double(sqlite3_stmt *st, int i, double v)
{
	return isfinite(v) ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

/* A number from the JSON of a histogram; NULL when it is null there. */
static int store_bind_json_double(sqlite3_stmt *st, int i, struct json_object *o,
				  const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return sqlite3_bind_null(st, i);
	return store_bind_double(st, i, json_object_get_double(v));
}

/* A string at @o[@k1] or @o[@k1][@k2] (for @k2 non-NULL), or NULL. */
static const char *store_json_str(struct json_object *o, const char *k1, const char *k2)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, k1, &v))
		return NULL;
	if (k2 && (!json_object_is_type(v, json_type_object) ||
		   !json_object_object_get_ex(v, k2, &v)))
		return NULL;
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static const char *store_kernel_release(struct json_object *env)
{
	const char *s = store_json_str(env, "kernel_release", NULL);

	return s ? s : store_json_str(env, "kernel", "release");
}

static const char *store_host(struct json_object *env)
{
	const char *s = store_json_str(env, "hostname", NULL);

	if (!s)
		s = store_json_str(env, "host", NULL);
	if (!s)
		s = store_json_str(env, "host", "hostname");
	if (!s)
		s = store_json_str(env, "host", "name");
	return s;
}

/* The git revision of the mmubench that made the run (envinfo.c). */
static const char *store_git_revision(struct json_object *env)
{
	return store_json_str(env, "mmubench", "git_revision");
}

static const char *store_json_text(struct json_object *o)
{
	if (!o)
		return "{}";
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* Steps a fully bound statement to completion and resets it for the next row. */
static int store_step(struct store *s, sqlite3_stmt *st, const char *what, char *err,
		      size_t errlen)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : store_err(s, rc, what, err, errlen);
}

/*
 * Migration 2: runs.git_revision of the runs stored before it, from their
 * env_json (which plain SQL cannot read); NULL where it has none.
 */
static int store_fill_git_revision(struct store *s, char *err, size_t errlen)
{
	static const char what[] = "migration to version 2: cannot fill runs.git_revision";
	sqlite3_stmt *sel = NULL, *upd = NULL;
	struct json_object *env;
	const char *text, *rev;
	int rc, ret = 0;

	rc = sqlite3_prepare_v2(s->db, "SELECT run_id, env_json FROM runs "
				"WHERE git_revision IS NULL", -1, &sel, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db, "UPDATE runs SET git_revision = ?2 "
					"WHERE run_id = ?1", -1, &upd, NULL);
	if (rc != SQLITE_OK) {
		ret = store_err(s, rc, what, err, errlen);
		goto out;
	}
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		text = (const char *)sqlite3_column_text(sel, 1);
		env = text ? json_tokener_parse(text) : NULL;
		rev = store_git_revision(env);
		if (rev) {
			sqlite3_bind_value(upd, 1, sqlite3_column_value(sel, 0));
			store_bind_text(upd, 2, rev);
			ret = store_step(s, upd, what, err, errlen);
		}
		json_object_put(env);
		if (ret)
			goto out;
	}
	if (rc != SQLITE_DONE)
		ret = store_err(s, rc, what, err, errlen);
out:
	sqlite3_finalize(upd);
	sqlite3_finalize(sel);
	return ret;
}

enum {
	STORE_RUN,
	STORE_METRIC,
	STORE_SAMPLE,
	STORE_HIST,
	STORE_CHECK,
	STORE_NSTMT,
};

static const char *const store_insert_sql[STORE_NSTMT] = {
	[STORE_RUN] = "INSERT INTO runs (run_id, schema_version, label, scenario, started_at, "
		"duration_s, status, status_reason, params_json, env_json, placement_json, "
		"record_json, kernel_release, host, git_revision) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	[STORE_METRIC] = "INSERT INTO metrics (run_id, name, unit, direction, value) "
		"VALUES (?1, ?2, ?3, ?4, ?5)",
	[STORE_SAMPLE] = "INSERT INTO metric_samples (run_id, name, idx, value) "
		"VALUES (?1, ?2, ?3, ?4)",
	[STORE_HIST] = "INSERT INTO histograms (run_id, name, unit, unit_per_cycle, count, "
		"min, max, mean, p50, p90, p99, p99_9, overflow, buckets_json) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[STORE_CHECK] = "INSERT INTO checks (run_id, name, status, reason) "
		"VALUES (?1, ?2, ?3, ?4)",
};

static int store_insert_rows(struct store *s, const struct record *r, struct json_object *rj,
			     sqlite3_stmt **st, char *err, size_t errlen)
{
	struct json_object *jhists = NULL, *jh, *buckets;
	sqlite3_stmt *q = st[STORE_RUN];
	char what[512];
	size_t i, j;
	int ret;

	store_bind_text(q, 1, r->run_id);
	sqlite3_bind_int(q, 2, r->schema_version);
	store_bind_text(q, 3, r->label);
	store_bind_text(q, 4, r->scenario);
	sqlite3_bind_int64(q, 5, r->started_at);
	store_bind_double(q, 6, r->duration_s);
	store_bind_text(q, 7, record_status_name(r->status));
	store_bind_text(q, 8, r->status_reason);
	store_bind_text(q, 9, store_json_text(r->params));
	store_bind_text(q, 10, store_json_text(r->env));
	store_bind_text(q, 11, store_json_text(r->placement));
	store_bind_text(q, 12, store_json_text(rj));
	store_bind_text(q, 13, store_kernel_release(r->env));
	store_bind_text(q, 14, store_host(r->env));
	store_bind_text(q, 15, store_git_revision(r->env));
	if (sqlite3_step(q) != SQLITE_DONE) {
		int rc = sqlite3_extended_errcode(s->db);

		sqlite3_reset(q);
		if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
			return errf(err, errlen, -EEXIST, "store %s: run %s is already stored",
				    s->path, r->run_id);
		snprintf(what, sizeof(what), "cannot insert run %s", r->run_id);
		return store_err(s, rc, what, err, errlen);
	}
	sqlite3_reset(q);

	for (i = 0; i < r->nmetrics; i++) {
		const struct metric *m = &r->metrics[i];

		q = st[STORE_METRIC];
		store_bind_text(q, 1, r->run_id);
		store_bind_text(q, 2, m->name);
		store_bind_text(q, 3, m->unit);
		store_bind_text(q, 4, metric_direction_name(m->direction));
		store_bind_double(q, 5, m->value);
		snprintf(what, sizeof(what), "cannot insert metric %s of run %s", m->name,
			 r->run_id);
		ret = store_step(s, q, what, err, errlen);
		if (ret)
			return ret;
		for (j = 0; j < m->nsamples; j++) {
			q = st[STORE_SAMPLE];
			store_bind_text(q, 1, r->run_id);
			store_bind_text(q, 2, m->name);
			sqlite3_bind_int64(q, 3, (sqlite3_int64)j);
			store_bind_double(q, 4, m->samples[j]);
			ret = store_step(s, q, what, err, errlen);
			if (ret)
				return ret;
		}
	}

	/* Histogram figures come from the record's JSON, so the two always agree. */
	json_object_object_get_ex(rj, "histograms", &jhists);
	for (i = 0; i < r->nhists; i++) {
		const struct record_hist *rh = &r->hists[i];

		jh = jhists ? json_object_array_get_idx(jhists, i) : NULL;
		if (!jh || !json_object_object_get_ex(jh, "buckets", &buckets))
			return errf(err, errlen, -ENOMEM,
				    "store %s: histogram %s of run %s missing from its JSON",
				    s->path, rh->name, r->run_id);
		q = st[STORE_HIST];
		store_bind_text(q, 1, r->run_id);
		store_bind_text(q, 2, rh->name);
		store_bind_text(q, 3, rh->unit);
		store_bind_double(q, 4, rh->unit_per_cycle);
		sqlite3_bind_int64(q, 5, (sqlite3_int64)rh->hist.count);
		store_bind_json_double(q, 6, jh, "min");
		store_bind_json_double(q, 7, jh, "max");
		store_bind_json_double(q, 8, jh, "mean");
		store_bind_json_double(q, 9, jh, "p50");
		store_bind_json_double(q, 10, jh, "p90");
		store_bind_json_double(q, 11, jh, "p99");
		store_bind_json_double(q, 12, jh, "p99_9");
		sqlite3_bind_int64(q, 13, (sqlite3_int64)rh->hist.overflow);
		store_bind_text(q, 14, store_json_text(buckets));
		snprintf(what, sizeof(what), "cannot insert histogram %s of run %s", rh->name,
			 r->run_id);
		ret = store_step(s, q, what, err, errlen);
		if (ret)
			return ret;
	}

	for (i = 0; i < r->nchecks; i++) {
		const struct check *c = &r->checks[i];

		q = st[STORE_CHECK];
		store_bind_text(q, 1, r->run_id);
		store_bind_text(q, 2, c->name);
		store_bind_text(q, 3, record_status_name(c->status));
		store_bind_text(q, 4, c->reason);
		snprintf(what, sizeof(what), "cannot insert check %s of run %s", c->name,
			 r->run_id);
		ret = store_step(s, q, what, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

int store_insert(struct store *s, const struct record *r, char *err, size_t errlen)
{
	sqlite3_stmt *st[STORE_NSTMT] = { NULL };
	struct json_object *rj;
	int i, rc, ret;

	rj = record_to_json(r);
	if (!rj)
		return errf(err, errlen, -ENOMEM, "store %s: out of memory building run %s",
			    s->path, r->run_id);
	ret = store_exec(s, "BEGIN IMMEDIATE", "cannot lock the database", err, errlen);
	if (ret)
		goto out;
	for (i = 0; i < STORE_NSTMT; i++) {
		rc = sqlite3_prepare_v2(s->db, store_insert_sql[i], -1, &st[i], NULL);
		if (rc != SQLITE_OK) {
			ret = store_err(s, rc, "cannot prepare an insert (schema too old?)", err,
					errlen);
			goto rollback;
		}
	}
	ret = store_insert_rows(s, r, rj, st, err, errlen);
	if (ret)
		goto rollback;
	for (i = 0; i < STORE_NSTMT; i++) {
		sqlite3_finalize(st[i]);
		st[i] = NULL;
	}
	ret = store_exec(s, "COMMIT", "cannot commit", err, errlen);
	if (ret)
		goto rollback;
	goto out;

rollback:
	for (i = 0; i < STORE_NSTMT; i++)
		sqlite3_finalize(st[i]);
	store_rollback(s);
out:
	json_object_put(rj);
	return ret;
}

#ifdef MMUBENCH_SRCDIR
/* Is @dir an existing directory we can create files in? */
static int store_writable_dir(const char *dir)
{
	struct stat st;

	return !stat(dir, &st) && S_ISDIR(st.st_mode) && !access(dir, W_OK | X_OK);
}
#endif

const char *store_default_path(void)
{
	/* The one piece of static state here: the answer, as the API returns a string. */
	static char path[PATH_MAX];
	const char *env, *home;
	struct passwd pw, *pwp = NULL;
	char pwbuf[4096];

	env = env_get("MMUBENCH_STORE");
	if (env && *env)
		return env;
#ifdef MMUBENCH_SRCDIR
	if (store_writable_dir(MMUBENCH_SRCDIR "/results")) {
		snprintf(path, sizeof(path), "%s", MMUBENCH_SRCDIR "/results/mmubench.db");
		return path;
	}
#endif
	env = env_get("XDG_DATA_HOME");
	/* The XDG spec says to ignore a relative path. */
	if (env && env[0] == '/') {
		snprintf(path, sizeof(path), "%s/mmubench/mmubench.db", env);
		return path;
	}
	home = env_get("HOME");
	if (!home || !*home) {
		if (getpwuid_r(getuid(), &pw, pwbuf, sizeof(pwbuf), &pwp) || !pwp ||
		    !pwp->pw_dir || !*pwp->pw_dir)
			return NULL;
		home = pwp->pw_dir;
	}
	snprintf(path, sizeof(path), "%s/.local/share/mmubench/mmubench.db", home);
	return path;
}
