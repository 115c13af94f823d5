/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The results store: an SQLite database with the schema of
 * results/schema.sql (plain SQL, so that a fleet can use PostgreSQL),
 * migrated forward from older versions by results/migrations/.
 * Only writes records; the gate and the report read it.
 */
#ifndef MMUBENCH_STORE_H
#define MMUBENCH_STORE_H

#include <stddef.h>

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
