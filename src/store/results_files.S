/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The files of results/ that mmubench carries, embedded as they are on disk
 * (one source: the schema a PostgreSQL user reads and the gate rules a user
 * copies are the ones mmubench runs), each followed by a NUL so that C sees
 * a string: the store's SQL (src/store/store.c) and the gate's built-in rules
 * (src/gate/gate.c).
 */
	.section .rodata.results_files, "a"

	.macro text name, file
	.globl \name
\name:
	.incbin "\file"
	.byte 0
	.endm

	text store_schema, "results/schema.sql"
	text store_migration_1, "results/migrations/001-initial.sql"
	text store_migration_2, "results/migrations/002-git-revision-indexes.sql"
	text gate_rules_text, "results/gate.rules"

	.section .note.GNU-stack, "", @progbits
