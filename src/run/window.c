// SPDX-License-Identifier: GPL-2.0
/* The epoch skeleton of the continuous scenarios (window.h). */
#include <math.h>
#include <string.h>

#include "src/run/window.h"
#include "src/lib/util.h"

void window_work(struct run_ctx *ctx, struct run_vcpu *v, struct window *w, bool timing,
		 uint64_t time_min_during, struct guest_work *gw)
{
	gw->region_gva = v->region->gpa;
	gw->page_size = 4096;
	gw->pattern = v->pattern;
	if (v->orders == 0) {
		/* the slot the access orders start in; no window_*() has run yet */
		v->ctrl->hist_live = WINDOW_HIST_BEFORE;
		gw->op = GOP_POPULATE;
		gw->populate_write = 1;
		gw->time_each = 1;
		gw->hist = WINDOW_HIST_POPULATE;
		return;
	}
	if (v->orders == 1 && run_barrier(ctx)) {
		w->t_before = now_ns();
		w->phase = WINDOW_PHASE_BEFORE;
	}
	if (ctx->stopping) {
		gw->op = GOP_EXIT;
		return;
	}
	gw->op = GOP_ACCESS;
	gw->first = v->ctrl->cursor;
	gw->count = WINDOW_CHUNK;
	gw->time_each = timing;
	/*
	 * The phase is not fixed per order: an order is WINDOW_CHUNK accesses
	 * and, when every write faults (~25 us each under logging here), one
	 * takes longer than a whole short run, so a slot chosen when the order
	 * is issued filed the faults taken under logging as baseline accesses
	 * (and those after the last window as acting ones). The guest reads
	 * the slot the host last set (window_set_hist()) after each access
	 * instead, which is exact at the switch, at the cost of one load from
	 * its own control page per timed access; shorter orders would cost an
	 * exit per order and still leave one order in flight at the switch.
	 */
	gw->hist = GUEST_HIST_LIVE;
	gw->time_min = 0;
	v->ctrl->hist_time_min[WINDOW_HIST_BEFORE] = 0;
	v->ctrl->hist_time_min[WINDOW_HIST_DURING] = time_min_during;
}

/* Every vCPU's timed accesses that end from now on go to @slot (GUEST_HIST_NONE: nowhere). */
static void window_set_hist(struct run_ctx *ctx, uint32_t slot)
{
	for (int i = 0; i < ctx->nvcpus; i++)
		__atomic_store_n(&ctx->vcpus[i].ctrl->hist_live, slot, __ATOMIC_SEQ_CST);
}

void window_end(struct run_ctx *ctx, struct window *w)
{
	(void)w;
	window_set_hist(ctx, GUEST_HIST_NONE);
}

static void window_snapshot(const struct run_ctx *ctx, uint64_t *cursors)
{
	for (int i = 0; i < ctx->nvcpus; i++)
		cursors[i] = ctx->vcpus[i].ctrl->cursor;
}

/* Accesses per second per vCPU from the start of BEFORE to @cursors (taken now). */
static double window_baseline_rate(const struct run_ctx *ctx, const struct window *w,
				   const uint64_t *cursors)
{
	uint64_t accesses = 0, elapsed = now_ns() - w->t_before;

	for (int i = 0; i < ctx->nvcpus; i++)
		accesses += cursors[i];
	return elapsed ? accesses * 1e9 / elapsed / ctx->nvcpus : 0;
}

int window_gate(struct run_ctx *ctx, struct window *w, unsigned int baseline_epochs,
		int (*begin)(struct run_ctx *ctx, void *arg, char *err, size_t errlen), void *arg,
		char *err, size_t errlen)
{
	int ret;

	if (w->phase == WINDOW_PHASE_POPULATE)
		return WINDOW_WAIT;
	if (w->phase == WINDOW_PHASE_DURING)
		return WINDOW_DURING;
	if (++w->baseline_done < baseline_epochs)
		return WINDOW_WAIT;
	window_snapshot(ctx, w->prev_a);
	w->baseline_rate = window_baseline_rate(ctx, w, w->prev_a);
	w->t_prev_a = now_ns();
	/* before @begin: no access that ends after it is on is filed as a baseline one */
	window_set_hist(ctx, WINDOW_HIST_DURING);
	ret = begin(ctx, arg, err, errlen);
	window_snapshot(ctx, w->prev_b);
	w->phase = WINDOW_PHASE_DURING;
	return ret < 0 ? ret : WINDOW_BEGUN;
}

void window_open(struct run_ctx *ctx, struct window *w)
{
	window_snapshot(ctx, w->a);
}

void window_act(struct window *w)
{
	w->t0 = now_ns();
}

void window_close(struct run_ctx *ctx, struct window *w)
{
	w->t1 = now_ns();
	window_snapshot(ctx, w->b);
}

uint64_t window_act_ns(const struct window *w)
{
	return w->t1 - w->t0;
}

double window_rate_ratio(const struct run_ctx *ctx, const struct window *w)
{
	uint64_t accesses = 0;

	for (int i = 0; i < ctx->nvcpus; i++)
		accesses += w->a[i] - w->prev_a[i];
	if (!(w->baseline_rate > 0))
		return NAN;
	return accesses * 1e9 / (double)(w->t0 - w->t_prev_a) / ctx->nvcpus / w->baseline_rate;
}

unsigned int window_roll(struct window *w)
{
	memcpy(w->prev_a, w->a, sizeof(w->a));
	memcpy(w->prev_b, w->b, sizeof(w->b));
	w->t_prev_a = w->t0;
	return ++w->epochs;
}
