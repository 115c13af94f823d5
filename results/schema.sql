-- SPDX-License-Identifier: GPL-2.0
-- mmubench results store, schema version 2.
--
-- Plain SQL that SQLite and PostgreSQL both accept, so that a fleet can
-- point at PostgreSQL: only INTEGER, BIGINT, DOUBLE PRECISION and TEXT
-- columns (SQLite gives them INTEGER, INTEGER, REAL and TEXT affinity;
-- BIGINT where PostgreSQL's 32-bit INTEGER could overflow: times, counts),
-- JSON kept as TEXT, no AUTOINCREMENT, no rowid, no STRICT or WITHOUT ROWID
-- tables, no type-less columns. Non-finite numbers are stored as NULL.
-- Values in metrics and histograms are in their unit; started_at is Unix
-- time in seconds (UTC). Deleting a run deletes its rows everywhere (SQLite
-- needs PRAGMA foreign_keys = ON for that, which mmubench sets).
--
-- runs.git_revision is the git revision of the mmubench that made the run
-- (env.mmubench.git_revision of the record); NULL when the record has none.
--
-- mmubench embeds this file (src/store/schema.S) and runs it on a new database.
-- A change to the tables bumps the version here and STORE_SCHEMA_VERSION,
-- and adds results/migrations/NNN-what.sql (NNN: the new version) taking a
-- store of the previous version to this one, embedded in src/store/schema.S too;
-- mmubench runs the missing migrations in one transaction when it opens an
-- older store. tests/unit/test_store.c checks that the migrations from version 1
-- give the same tables and indexes as this file.

CREATE TABLE schema_version (
	version INTEGER NOT NULL
);
INSERT INTO schema_version (version) VALUES (2);

CREATE TABLE runs (
	run_id TEXT PRIMARY KEY,
	schema_version INTEGER NOT NULL,
	label TEXT,
	scenario TEXT NOT NULL,
	started_at BIGINT NOT NULL,
	duration_s DOUBLE PRECISION,
	status TEXT NOT NULL,
	status_reason TEXT,
	params_json TEXT NOT NULL,
	env_json TEXT NOT NULL,
	placement_json TEXT NOT NULL,
	record_json TEXT NOT NULL,
	kernel_release TEXT,
	host TEXT,
	git_revision TEXT
);
CREATE INDEX runs_label ON runs (label);
CREATE INDEX runs_scenario ON runs (scenario);
CREATE INDEX runs_started_at ON runs (started_at);
CREATE INDEX runs_host ON runs (host);
CREATE INDEX runs_label_started_at ON runs (label, started_at);

CREATE TABLE metrics (
	run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	unit TEXT NOT NULL,
	direction TEXT NOT NULL,
	value DOUBLE PRECISION,
	PRIMARY KEY (run_id, name)
);
CREATE INDEX metrics_name ON metrics (name);

CREATE TABLE metric_samples (
	run_id TEXT NOT NULL,
	name TEXT NOT NULL,
	idx INTEGER NOT NULL,
	value DOUBLE PRECISION,
	PRIMARY KEY (run_id, name, idx),
	FOREIGN KEY (run_id, name) REFERENCES metrics (run_id, name) ON DELETE CASCADE
);

CREATE TABLE histograms (
	run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	unit TEXT NOT NULL,
	unit_per_cycle DOUBLE PRECISION,
	count BIGINT NOT NULL,
	min DOUBLE PRECISION,
	max DOUBLE PRECISION,
	mean DOUBLE PRECISION,
	p50 DOUBLE PRECISION,
	p90 DOUBLE PRECISION,
	p99 DOUBLE PRECISION,
	p99_9 DOUBLE PRECISION,
	overflow BIGINT NOT NULL,
	buckets_json TEXT NOT NULL,
	PRIMARY KEY (run_id, name)
);

CREATE TABLE checks (
	run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	status TEXT NOT NULL,
	reason TEXT,
	PRIMARY KEY (run_id, name)
);
