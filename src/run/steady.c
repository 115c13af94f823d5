// SPDX-License-Identifier: GPL-2.0
#include "src/stats/hist_stats.h"
#include "src/run/steady.h"
#include "src/lib/util.h"

void steady_work(struct run_ctx *ctx, struct run_vcpu *v, struct steady *s, bool timing,
		 uint64_t time_min_during, struct guest_work *w)
{
	w->region_gva = v->region->gpa;
	w->page_size = 4096;
	w->pattern = v->pattern;
	if (v->orders == 0) {
		w->op = GOP_POPULATE;
		w->populate_write = 1;
		w->time_each = 1;
		w->hist = STEADY_HIST_POPULATE;
		return;
	}
	if (v->orders == 1 && run_barrier(ctx)) {
		s->t_before = now_ns();
		s->phase = STEADY_BEFORE;
	}
	if (ctx->stopping) {
		w->op = GOP_EXIT;
		return;
	}
	w->op = GOP_ACCESS;
	w->first = v->ctrl->cursor;
	w->count = STEADY_CHUNK;
	w->time_each = timing;
	w->hist = s->phase == STEADY_DURING ? STEADY_HIST_DURING : STEADY_HIST_BEFORE;
	w->time_min = s->phase == STEADY_DURING ? time_min_during : 0;
}

void steady_snapshot(struct run_ctx *ctx, uint64_t *cursors)
{
	for (int i = 0; i < ctx->nvcpus; i++)
		cursors[i] = ctx->vcpus[i].ctrl->cursor;
}

double steady_rate(struct run_ctx *ctx, const struct steady *s, const uint64_t *cursors)
{
	uint64_t accesses = 0, elapsed = now_ns() - s->t_before;

	for (int i = 0; i < ctx->nvcpus; i++)
		accesses += cursors[i];
	return elapsed ? accesses * 1e9 / elapsed / ctx->nvcpus : 0;
}

void steady_record_hist(struct run_ctx *ctx, int slot, const char *name, const char *p50,
			const char *p99, const char *count)
{
	double us = 1e-3 * run_cycles_to_ns(ctx, 1);
	struct hist h;

	hist_init(&h);
	for (int i = 0; i < ctx->nvcpus; i++)
		hist_merge(&h, &ctx->vcpus[i].ctrl->latency[slot]);
	if (!h.count)
		return;
	record_add_hist(ctx->rec, name, "us", us, &h);
	if (count)
		record_add_value(ctx->rec, count, "accesses", DIR_INFO, h.count);
	if (p50)
		record_add_value(ctx->rec, p50, "us", DIR_LOWER_IS_BETTER, hist_percentile(&h, 0.5) * us);
	if (p99)
		record_add_value(ctx->rec, p99, "us", DIR_LOWER_IS_BETTER, hist_percentile(&h, 0.99) * us);
}
