/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The epoch skeleton of the continuous scenarios (aging, dirty; demand
 * paging and the stressors next): the guest populates, then runs its
 * pattern without pause; the host first measures the access rate for some
 * baseline epochs, then begins acting (an aging pass, a harvest, ...).
 * Every later epoch is one window: snapshot the cursors (a), act, snapshot
 * again (b); with the previous window's (a', b') the ground truth of the
 * epoch is exact (DESIGN.md "Ground truth"). A scenario's epoch() is then
 *
 *	ret = window_gate(ctx, &w, baseline_epochs, my_begin, st, err, errlen);
 *	if (ret != WINDOW_DURING)
 *		return ret < 0 ? ret : 0;
 *	window_open(ctx, &w);
 *	... what must precede the act ...
 *	window_act(&w);
 *	... act ...
 *	window_close(ctx, &w);
 *	... verdict from w.prev_a, w.prev_b, w.a, w.b; window_rate_ratio() ...
 *	return window_roll(&w) < epochs ? 0 : 1;
 */
#ifndef MMUBENCH_WINDOW_H
#define MMUBENCH_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "src/run/runner.h"

/* accesses per order: the vCPU asks again every ~ms */
#define WINDOW_CHUNK	(1u << 16)

enum window_phase { WINDOW_PHASE_POPULATE, WINDOW_PHASE_BEFORE, WINDOW_PHASE_DURING };
/* The guest's latency histogram slots, one per phase. */
enum window_hist { WINDOW_HIST_POPULATE, WINDOW_HIST_BEFORE, WINDOW_HIST_DURING };
/* What window_gate() says of this epoch. */
enum window_gate { WINDOW_WAIT, WINDOW_BEGUN, WINDOW_DURING };

struct window {
	volatile int phase;		/* enum window_phase; vCPU threads read it */
	uint64_t t_before;		/* when every vCPU had populated */
	unsigned int baseline_done;	/* epochs seen in BEFORE */
	double baseline_rate;		/* accesses/s per vCPU before acting */
	unsigned int epochs;		/* windows rolled so far */

	/* cursors: this window (a before the act, b after it) and the previous one */
	uint64_t a[GUEST_MAX_VCPUS], b[GUEST_MAX_VCPUS];
	uint64_t prev_a[GUEST_MAX_VCPUS], prev_b[GUEST_MAX_VCPUS];
	uint64_t t_prev_a;		/* when the previous act began */
	uint64_t t0, t1;		/* this act: began, ended */
};

/*
 * The scenario's work(): populate first (timed), then, once every vCPU has,
 * chunks of accesses (timed unless !@timing), GOP_EXIT once the run stops.
 * Each access is filed by the phase it ended in, not the one its chunk was
 * issued in: BEFORE until window_gate() begins acting, DURING (only
 * latencies of at least @time_min_during cycles) until window_end().
 */
void window_work(struct run_ctx *ctx, struct run_vcpu *v, struct window *w, bool timing,
		 uint64_t time_min_during, struct guest_work *gw);

/*
 * Called first in every epoch(). WINDOW_WAIT while the guest populates and
 * for the first @baseline_epochs - 1 epochs after. At the last baseline
 * epoch: snapshots prev_a, takes the baseline rate, calls @begin (the host
 * starts acting: logging on, the driver started), snapshots prev_b, so the
 * begin is the first "previous window"; returns WINDOW_BEGUN or @begin's
 * -errno. WINDOW_DURING after that: this epoch is a window.
 */
int window_gate(struct run_ctx *ctx, struct window *w, unsigned int baseline_epochs,
		int (*begin)(struct run_ctx *ctx, void *arg, char *err, size_t errlen), void *arg,
		char *err, size_t errlen);

/* Snapshot a: the window opens. */
void window_open(struct run_ctx *ctx, struct window *w);
/* The act begins now (t0). */
void window_act(struct window *w);
/* The act has ended (t1); snapshot b. */
void window_close(struct run_ctx *ctx, struct window *w);
/* Nanoseconds the act took, t1 - t0. */
uint64_t window_act_ns(const struct window *w);

/*
 * Access rate from the previous act's start to this one's, per vCPU, over
 * the baseline rate; NAN without a baseline.
 */
double window_rate_ratio(const struct run_ctx *ctx, const struct window *w);

/*
 * The acting phase is over (after the last window, before the scenario's
 * closing counters): timed accesses that end from now on are recorded in no
 * histogram, so the WINDOW_HIST_DURING one covers what the counters do.
 */
void window_end(struct run_ctx *ctx, struct window *w);

/* This window becomes the previous one; returns the windows rolled so far. */
unsigned int window_roll(struct window *w);

#endif
