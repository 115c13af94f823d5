-- SPDX-License-Identifier: GPL-2.0
-- mmubench results store: schema version 1, from nothing.
--
-- The first schema, its statements exactly as results/schema.sql had them
-- at version 1 (see that file for the rules the SQL follows). New stores
-- get results/schema.sql directly; this file is kept so that every version
-- has its file, and so that tests/unit/test_store.c can build a version-1 store
-- and check that the later migrations lead to results/schema.sql.
--
-- mmubench embeds this file (src/store/schema.S).

CREATE TABLE schema_version (
	version INTEGER NOT NULL
);
INSERT INTO schema_version (version) VALUES (1);

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
	host TEXT
);
CREATE INDEX runs_label ON runs (label);
CREATE INDEX runs_scenario ON runs (scenario);
CREATE INDEX runs_started_at ON runs (started_at);

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
