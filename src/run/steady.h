/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest side shared by scenarios that measure something while the guest
 * never stops (aging, dirty): populate, then accesses in chunks until the run
 * stops; a phase before the host starts acting (the baseline) and one while
 * it acts, each with its own latency histogram.
 */
#ifndef MMUBENCH_STEADY_H
#define MMUBENCH_STEADY_H

#include <stdbool.h>
#include <stdint.h>

#include "src/run/runner.h"

#define STEADY_CHUNK	(1u << 16)	/* accesses per order: the vCPU asks again every ~ms */

enum steady_phase { STEADY_POPULATE, STEADY_BEFORE, STEADY_DURING };
enum steady_hist { STEADY_HIST_POPULATE, STEADY_HIST_BEFORE, STEADY_HIST_DURING };

struct steady {
	volatile int phase;	/* enum steady_phase */
	uint64_t t_before;	/* when every vCPU had populated */
};

/*
 * The scenario's work(): populate first (timed), then, once every vCPU has,
 * chunks of accesses (timed unless !@timing; while DURING only latencies of at
 * least @time_min_during cycles are kept), GOP_EXIT once the run stops.
 */
void steady_work(struct run_ctx *ctx, struct run_vcpu *v, struct steady *s, bool timing,
		 uint64_t time_min_during, struct guest_work *w);

void steady_snapshot(struct run_ctx *ctx, uint64_t *cursors);

/* Accesses per second per vCPU from the start of BEFORE to @cursors (taken now). */
double steady_rate(struct run_ctx *ctx, const struct steady *s, const uint64_t *cursors);

/* Adds the vCPUs' merged histogram @slot as @name, and p50/p99/count metrics when named. */
void steady_record_hist(struct run_ctx *ctx, int slot, const char *name, const char *p50,
			const char *p99, const char *count);

#endif
