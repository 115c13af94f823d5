/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON's sysfs interface (Documentation/admin-guide/mm/damon/usage.rst),
 * read side: kdamonds/<N>/{state,pid}, contexts/0/{operations,
 * monitoring_attrs/intervals/...,targets/nr_targets}, and the kdamonds of
 * the DAMON_RECLAIM / DAMON_LRU_SORT modules (their parameters). A system
 * kdamond may own DAMON: nothing here writes. The aging driver
 * kernel/aging/damon.c observes a running paddr kdamond found here, or
 * starts one of its own through the knob saver.
 */
#ifndef MMUBENCH_DAMON_H
#define MMUBENCH_DAMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DAMON_KDAMONDS	"/sys/kernel/mm/damon/admin/kdamonds"
#define DAMON_HINT	"CONFIG_DAMON_SYSFS=y with CONFIG_DAMON_PADDR / CONFIG_DAMON_VADDR"

/* A running kdamond that monitors physical addresses. */
struct damon_kdamond {
	int kdamond;		/* sysfs index, -1 for a module's kdamond */
	int pid;		/* its thread */
	unsigned int ntargets;	/* DAMON targets it reports */
	uint64_t aggr_us;	/* aggregation interval, 0 when unknown */
	char what[128];		/* names it in messages */
};

/* DAMON_KDAMONDS/<i>/<rel> as a number, @dflt when it cannot be read. */
uint64_t damon_kdamond_num(int i, const char *rel, uint64_t dflt);

/* The aggregation interval of sysfs kdamond @i, allowing for intervals auto-tuning. */
uint64_t damon_kdamond_aggr_us(int i);

/*
 * A running paddr kdamond: from DAMON sysfs first, then the DAMON_RECLAIM
 * and DAMON_LRU_SORT modules. Returns 1 when found (@k filled), 0 when none;
 * @why then says what there is and what to do, and *@free_sysfs whether
 * DAMON sysfs has no kdamond at all (one of ours may be made there).
 */
int damon_find_running(struct damon_kdamond *k, bool *free_sysfs, char *why, size_t len);

/*
 * The prober's "mm.damon": fills @o with {"sysfs", "nr_kdamonds",
 * "kdamond_states", "running", "tracepoint": bool, null without tracefs,
 * "hint"?, "note"?}. 0 or -ENOMEM.
 */
struct json_object;
int damon_probe(struct json_object *o);

#endif
