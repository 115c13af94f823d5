-- SPDX-License-Identifier: GPL-2.0
-- mmubench results store: schema version 1 -> 2.
--
-- runs.git_revision: the git revision of the mmubench that made the run (the
-- record's env.mmubench.git_revision), so that a comparison can tell a
-- change of mmubench from a change of the kernel. mmubench fills it in for
-- the runs already stored, in C, in the same transaction as this file:
-- reading JSON needs json_extract() in SQLite and the #>> operator in
-- PostgreSQL, and plain SQL has neither. On PostgreSQL, run after this file
--   UPDATE runs SET git_revision = env_json::json #>> '{mmubench,git_revision}'
--   WHERE git_revision IS NULL;
-- Runs whose environment has no git revision keep NULL.
--
-- Indexes for the gate and the report: a label's runs in time order, and
-- the runs of a host.
--
-- mmubench embeds this file (src/store/schema.S) and runs it, with every later
-- migration, in one transaction on a store of the previous version;
-- tests/unit/test_store.c checks that the migrations lead to results/schema.sql.

ALTER TABLE runs ADD COLUMN git_revision TEXT;
CREATE INDEX runs_host ON runs (host);
CREATE INDEX runs_label_started_at ON runs (label, started_at);
UPDATE schema_version SET version = 2;
