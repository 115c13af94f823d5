/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON observed through its damon:damon_aggregated tracepoint, in a private
 * tracefs instance (instances/mmubench-<pid>-damon, kernel/trace/tracefs.h): the
 * kdamond reports, at the end of every aggregation interval, each region of
 * each target with the number of sampling intervals it was found accessed
 * in (nr_accesses) and for how many aggregations that has stayed about the
 * same (age):
 *
 *   kdamond.0-77 [001] ..... 1694.024951: damon_aggregated: target_id=0 nr_regions=3068 4294967296-4299051008: 0 2
 *
 * (include/trace/events/damon.h: "target_id=%lu nr_regions=%u %lu-%lu: %u %u").
 * A collector assembles those lines into complete aggregations (all
 * nr_regions regions of one target, emitted by one kdamond in one burst,
 * in address order) and keeps the latest one per target. Nothing here
 * changes DAMON itself: it only reads the kdamond's events.
 */
#ifndef MMUBENCH_DAMON_TRACE_H
#define MMUBENCH_DAMON_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kernel/trace/tracefs.h"

/* One damon_aggregated line. */
struct damon_region_sample {
	int pid;			/* the kdamond thread that emitted it */
	uint64_t ts_ns;			/* trace timestamp (secs.usecs), in ns */
	unsigned long target_id;	/* index of the target in its context */
	unsigned int nr_regions;	/* regions of that target in this aggregation */
	uint64_t start, end;		/* [start, end): physical or virtual addresses */
	unsigned int nr_accesses;
	unsigned int age;
};

/*
 * Parses one line of trace/trace_pipe (default options: "comm-pid [cpu]
 * flags secs.usecs: damon_aggregated: ..."; a "(tgid)" column is accepted).
 * Returns 0, or -EINVAL for any other event and for malformed lines
 * (missing or non-numeric fields, trailing text, start >= end, no regions).
 */
int damon_trace_parse_line(const char *line, struct damon_region_sample *out);

struct damon_trace_region {
	uint64_t start, end;
	unsigned int nr_accesses, age;
};

/* One aggregation of one target. */
struct damon_aggr {
	uint64_t ts_ns;			/* timestamp of its first region */
	uint64_t last_ts_ns;		/* of its last region so far */
	unsigned int nr_regions;	/* announced by every line */
	unsigned int nr;		/* regions held */
	unsigned int cap;
	struct damon_trace_region *r;	/* in address order */
};

struct damon_target_aggr {
	struct damon_aggr cur;		/* being assembled */
	struct damon_aggr done;		/* latest complete one (done.nr == 0: none yet) */
	uint64_t gen;			/* complete aggregations seen */
};

#define DAMON_TRACE_MAX_TARGETS	1024
#define DAMON_TRACE_LINE_MAX	TRACEFS_LINE_MAX

struct damon_collector {
	int pid;			/* accept lines of this kdamond only; -1: any */
	uint64_t since_ns;		/* ignore lines stamped before this (0: none) */
	/* a longer gap between two lines restarts an aggregation (0: none) */
	uint64_t max_gap_ns;
	unsigned int ntargets;		/* entries of t[] */
	struct damon_target_aggr *t;	/* indexed by target_id */
	struct tracefs_linebuf lb;	/* a partial line carried between feeds */
	uint64_t nlines, nrejected;	/* damon_aggregated lines taken, other lines */
};

void damon_collector_init(struct damon_collector *c, int pid);
void damon_collector_free(struct damon_collector *c);
/* Forgets partial aggregations (not the complete ones) and any partial line. */
void damon_collector_restart(struct damon_collector *c);

/*
 * Adds one parsed sample. A sample restarts its target's aggregation when
 * it cannot continue it (address going back, another nr_regions, a gap
 * longer than max_gap_ns): events lost in the ring buffer never glue two
 * aggregations together. Returns 1 when the sample completed an
 * aggregation, 0 otherwise, -ENOMEM.
 */
int damon_collector_add(struct damon_collector *c, const struct damon_region_sample *s);

/*
 * Feeds raw trace text (any split: partial lines are carried over).
 * Returns the number of aggregations completed, or -ENOMEM.
 */
int damon_collector_feed(struct damon_collector *c, const char *buf, size_t len);

/* The latest complete aggregation of a target, NULL when none yet. */
const struct damon_aggr *damon_collector_latest(const struct damon_collector *c,
						unsigned long target_id);

/*
 * Marks in @old (npages bits, every bit written) the pages DAMON judged
 * old. @r: regions sorted by start, not overlapping. Page i lies at
 * physical address pfns[i] * 4096 when @pfns is given (pfn 0: not present)
 * or at virtual address base + i * 4096 otherwise. A page is young when
 * the region holding it has nr_accesses > threshold; pages no region
 * covers (and absent pages) are old: DAMON saw no access to them.
 * Returns the number of pages a region covers.
 */
uint64_t damon_regions_mark_old(const struct damon_trace_region *r, size_t nr,
				unsigned int threshold, const uint64_t *pfns, uint64_t base,
				uint64_t npages, unsigned long *old);

/* Sorts regions by start (they come per target; paddr targets may be several). */
void damon_regions_sort(struct damon_trace_region *r, size_t nr);

/* ------------------------------------------------------------------ */
/* The private tracefs instance */

struct damon_trace {
	struct tracefs fs;	/* instances/mmubench-<pid>-damon (kernel/trace/tracefs.h) */
	bool mono;		/* timestamps are CLOCK_MONOTONIC (trace_clock mono) */
	char *buf;
	struct damon_collector col;
};

/*
 * Opens tracefs privately (a detached fsmount(): no mount is added to the
 * host, see tracefs.c) and creates the instance with the
 * damon:damon_aggregated event (not yet enabled), filtered on the kdamond
 * @pid when it is > 0. A watchdog process removes the instance should we
 * die without damon_trace_close() (SIGKILL included). -EOPNOTSUPP with the
 * config options to set when tracefs or the DAMON events are missing.
 */
int damon_trace_open(struct damon_trace *tr, int pid, char *err, size_t errlen);

/* Sets the kdamond to follow (event filter and collector), e.g. once ours runs. */
int damon_trace_follow(struct damon_trace *tr, int pid, char *err, size_t errlen);

int damon_trace_enable(struct damon_trace *tr, bool on, char *err, size_t errlen);

/*
 * Waits until each of targets 0..ntargets-1 has a complete aggregation
 * that began at or after @since_ns (CLOCK_MONOTONIC, e.g. now_ns() at the
 * start of a pass), or until @deadline_ns: -ETIMEDOUT. The aggregations
 * are then damon_collector_latest(&tr->col, t).
 */
int damon_trace_wait(struct damon_trace *tr, uint64_t since_ns, unsigned int ntargets,
		     uint64_t deadline_ns, char *err, size_t errlen);

/*
 * Disables the event, removes the instance, lets tracefs go. Idempotent;
 * valid after any damon_trace_open(), failed ones included.
 */
void damon_trace_close(struct damon_trace *tr);

#endif
