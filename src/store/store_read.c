// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the store back: whole records, for the gate and the report. Each
 * run keeps the record it was made from (runs.record_json), so a run is read
 * back through the same decoder as an imported JSON file (json_in.c) and
 * every reader sees the same model: nothing downstream re-parses columns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "src/lib/strbuf.h"
#include "src/lib/util.h"
#include "src/record/json_in.h"
#include "src/store/store.h"
#include "src/store/store_priv.h"

#define STORE_READ_BUSY_TIMEOUT_MS	30000

const char *store_path(const struct store *s)
{
	return s->path;
}

static int store_read_sql_err(struct store *s, const char *what, char *err, size_t errlen)
{
	return errf(err, errlen, -EIO, "store %s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int store_open_readonly(const char *path, struct store **out, char *err, size_t errlen)
{
	struct store *s;
	sqlite3_stmt *st;
	struct stat sb;
	int rc, version = -1, ret;

	*out = NULL;
	if (!path || !*path)
		return errf(err, errlen, -EINVAL,
			    "no results store path: set MMUBENCH_STORE or HOME");
	if (stat(path, &sb)) {
		ret = -errno;
		return errf(err, errlen, ret,
			    "no results store at %s: %s (mmubench run stores its records there; "
			    "--store FILE or $MMUBENCH_STORE)",
			    path, strerror(-ret));
	}
	s = calloc(1, sizeof(*s));
	if (s)
		s->path = strdup(path);
	if (!s || !s->path) {
		free(s);
		return errf(err, errlen, -ENOMEM, "store %s: out of memory", path);
	}
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		ret = s->db ? store_read_sql_err(s, "cannot open", err, errlen) :
			      errf(err, errlen, -ENOMEM, "store %s: out of memory", path);
		goto fail;
	}
	sqlite3_busy_timeout(s->db, STORE_READ_BUSY_TIMEOUT_MS);
	rc = sqlite3_prepare_v2(s->db, "SELECT max(version) FROM schema_version", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		version = sqlite3_column_int(st, 0);
	if (rc == SQLITE_OK)
		sqlite3_finalize(st);
	if (version < 0) {
		ret = errf(err, errlen, -EINVAL,
			   "store %s: not an mmubench results store (no schema_version: %s)", path,
			   sqlite3_errmsg(s->db));
		goto fail;
	}
	if (version < 1 || version > STORE_SCHEMA_VERSION) {
		ret = errf(err, errlen, -EPROTONOSUPPORT,
			   "store %s: schema version %d, this mmubench reads versions 1 to %d: use "
			   "a newer mmubench",
			   path, version, STORE_SCHEMA_VERSION);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	store_close(s);
	return ret;
}

/* " AND label IN (?, ?)" and friends, bound in the same order by store_read_bind(). */
static void store_read_where(struct strbuf *sql, const struct store_query *q)
{
	strbuf_addstr(sql, " WHERE 1 = 1");
	if (q && q->labels && q->labels[0]) {
		strbuf_addstr(sql, " AND label IN (");
		for (int i = 0; q->labels[i]; i++)
			strbuf_addstr(sql, i ? ", ?" : "?");
		strbuf_addch(sql, ')');
	}
	if (q && q->scenarios && q->scenarios[0]) {
		strbuf_addstr(sql, " AND scenario IN (");
		for (int i = 0; q->scenarios[i]; i++)
			strbuf_addstr(sql, i ? ", ?" : "?");
		strbuf_addch(sql, ')');
	}
	if (q && q->has_since)
		strbuf_addstr(sql, " AND started_at >= ?");
}

static void store_read_bind(sqlite3_stmt *st, const struct store_query *q)
{
	int i = 1;

	for (int k = 0; q && q->labels && q->labels[k]; k++)
		sqlite3_bind_text(st, i++, q->labels[k], -1, SQLITE_STATIC);
	for (int k = 0; q && q->scenarios && q->scenarios[k]; k++)
		sqlite3_bind_text(st, i++, q->scenarios[k], -1, SQLITE_STATIC);
	if (q && q->has_since)
		sqlite3_bind_int64(st, i++, q->since);
}

int store_read(struct store *s, const struct store_query *q,
	       int (*fn)(struct record *r, void *arg), void *arg, char *err, size_t errlen)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc, ret = 0;

	strbuf_addstr(&sql, "SELECT run_id, record_json FROM runs");
	store_read_where(&sql, q);
	/* rowid: SQLite's insertion order (a PostgreSQL store would need a serial column) */
	strbuf_addstr(&sql, q && q->insertion_order ? " ORDER BY started_at, rowid" :
		      " ORDER BY started_at, run_id");
	if (sql.failed)
		return errf(err, errlen, -ENOMEM, "store %s: out of memory", s->path);
	/* one snapshot for the whole read, even if a run is stored meanwhile */
	if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		strbuf_release(&sql);
		return store_read_sql_err(s, "cannot read it", err, errlen);
	}
	rc = sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL);
	strbuf_release(&sql);
	if (rc != SQLITE_OK) {
		ret = store_read_sql_err(s, "cannot read it (not an mmubench store?)", err, errlen);
		goto out;
	}
	store_read_bind(st, q);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);
		struct json_object *obj = text ? json_tokener_parse(text) : NULL;
		struct record *r = NULL;
		char why[512];

		if (!obj)
			snprintf(why, sizeof(why), "record_json is not JSON");
		ret = obj ? record_from_json(obj, &r, why, sizeof(why)) : -EINVAL;
		json_object_put(obj);
		if (ret && q && q->unreadable) {
			/* left out, and said: the caller reports how many and why */
			if (!(*q->unreadable)++ && q->unreadable_why)
				snprintf(q->unreadable_why, q->unreadable_why_len, "run %s: %s",
					 id ? id : "?", why);
			ret = 0;
			continue;
		}
		if (ret) {
			errf(err, errlen, ret, "store %s: run %s: %s", s->path, id ? id : "?", why);
			break;
		}
		ret = fn(r, arg);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_read_sql_err(s, "cannot read it", err, errlen);
out:
	sqlite3_finalize(st);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return ret;
}

void store_labels_free(struct store_label *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].label);
	free(l);
}

int store_labels(struct store *s, struct store_label **out, size_t *n, char *err,
		 size_t errlen)
{
	struct store_label *v = NULL, *nv;
	sqlite3_stmt *st;
	size_t count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT label, count(*) FROM runs GROUP BY label "
			       "ORDER BY max(started_at) DESC, label", -1, &st, NULL) != SQLITE_OK)
		return store_read_sql_err(s, "cannot read its labels", err, errlen);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *l = (const char *)sqlite3_column_text(st, 0);

		nv = realloc(v, (count + 1) * sizeof(*v));
		if (!nv)
			goto oom;
		v = nv;
		v[count].label = l ? strdup(l) : NULL;
		v[count].runs = sqlite3_column_int64(st, 1);
		if (l && !v[count].label)
			goto oom;
		count++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_labels_free(v, count);
		return store_read_sql_err(s, "cannot read its labels", err, errlen);
	}
	*out = v;
	*n = count;
	return 0;
oom:
	sqlite3_finalize(st);
	store_labels_free(v, count);
	return errf(err, errlen, -ENOMEM, "store %s: out of memory", s->path);
}
