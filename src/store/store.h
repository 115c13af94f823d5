/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The results store: an SQLite database with the schema of
 * results/schema.sql (plain SQL, so that a fleet can use PostgreSQL),
 * migrated forward from older versions by results/migrations/.
 * store_insert() writes records; store_read() gives them back, whole, to the
 * gate and the report (the only code that speaks SQL is in this folder).
 */
#ifndef MMUBENCH_STORE_H
#define MMUBENCH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/record/record.h"

/* Version of the tables, kept in the schema_version table. */
#define STORE_SCHEMA_VERSION 2

struct store;

/*
 * Opens (creating the directory and the database if missing) the store at
 * @path. A store of an older schema version is migrated to this one in one
 * transaction (all of it or, on error, none). Refuses a database whose
 * schema is newer than this binary's, or that is not an mmubench store.
 * Returns 0 or -errno with a message in @err naming the path and the cause.
 */
int store_open(const char *path, struct store **out, char *err, size_t errlen);

/*
 * Inserts @r: its run, metrics, samples, histograms and checks, all in one
 * transaction (none of it on error). A run id already stored is -EEXIST and
 * leaves the stored run untouched.
 */
int store_insert(struct store *s, const struct record *r, char *err, size_t errlen);

void store_close(struct store *s);

/*
 * Opens the store at @path for reading only: never created, never migrated
 * (every column the reader uses exists since version 1). A missing file is
 * -ENOENT ("no results store at PATH: ..."), a database without mmubench's
 * tables -EINVAL, a newer schema -EPROTONOSUPPORT; each message names @path.
 */
int store_open_readonly(const char *path, struct store **out, char *err, size_t errlen);

/* Which runs store_read() returns; every field may be left empty (= any). */
struct store_query {
	const char *const *labels;	/* NULL-terminated; a run matches one of them */
	const char *const *scenarios;	/* NULL-terminated */
	bool has_since;
	int64_t since;			/* started_at >= since (Unix seconds) */
	/*
	 * Runs that started in the same second in the order they were stored,
	 * not by run id (random within a second): the gate's first-seen order
	 * of configs stays the order the runs were made in.
	 */
	bool insertion_order;
	/*
	 * With @unreadable set, a run whose stored record cannot be read back
	 * (one written by a newer mmubench, a damaged row) is left out and
	 * counted there, the first one's run id and reason kept in
	 * @unreadable_why; without it such a run fails the whole read.
	 */
	size_t *unreadable;
	char *unreadable_why;
	size_t unreadable_why_len;
};

/*
 * Calls @fn with every run that matches @q, oldest first (started_at, then
 * run id or, with q->insertion_order, the order stored), as the full
 * record it was stored as (metrics with their samples, histograms as
 * struct hist, checks, params, env). The record belongs to
 * @fn (record_free() it, or keep it). @fn returns 0 to go on; anything else
 * stops the read and is returned. All runs come from one snapshot of the
 * store. A stored record that cannot be read back is -EINVAL naming its run,
 * unless q->unreadable asks for it to be counted and left out.
 */
int store_read(struct store *s, const struct store_query *q,
	       int (*fn)(struct record *r, void *arg), void *arg, char *err, size_t errlen);

/* A label in the store and how many runs carry it. */
struct store_label {
	char *label;	/* NULL: the runs without a label */
	size_t runs;
};

/* The labels in the store, the most recently used first; store_labels_free() them. */
int store_labels(struct store *s, struct store_label **out, size_t *n, char *err,
		 size_t errlen);
void store_labels_free(struct store_label *l, size_t n);

/* The path the store was opened at. */
const char *store_path(const struct store *s);

/*
 * Where the store is unless told otherwise: $MMUBENCH_STORE; else
 * <source tree>/results/mmubench.db when that results/ directory is
 * writable; else $XDG_DATA_HOME/mmubench/mmubench.db (by default
 * ~/.local/share/mmubench/mmubench.db). The string lives until the next
 * call; NULL when there is no home directory to put it in.
 */
const char *store_default_path(void);

/* The schema (results/schema.sql, embedded), as run on a new database. */
const char *store_schema_sql(void);

/*
 * The migration from schema version @version - 1 to @version, embedded
 * results/migrations/<*@file> (@file may be NULL), or NULL when @version is
 * not in 1..STORE_SCHEMA_VERSION. Version 1's, from nothing, is the first
 * schema; store_open() never runs it, but a store it made is migrated.
 */
const char *store_migration_sql(int version, const char **file);

#endif
