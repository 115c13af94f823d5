// SPDX-License-Identifier: GPL-2.0
/*
 * How scenarios emit metrics: through their own descriptors, checked
 * against what the running scenario declares, so `mmubench list`, the
 * gate and the report never meet a metric whose name, unit or direction
 * the catalog does not know.
 */
#include <math.h>

#include "src/run/runner.h"
#include "src/stats/hist_stats.h"

/* Is @d one of the running scenario's descriptors (the same object, not a lookalike)? */
static bool run_put_declared(const struct run_ctx *ctx, const struct metric_desc *d)
{
	for (const struct metric_desc *m = ctx->scenario->metrics; m && m->name; m++)
		if (m == d)
			return true;
	return false;
}

struct metric *run_put(struct run_ctx *ctx, const struct metric_desc *d, const double *samples,
		       size_t n, double value)
{
	if (!run_put_declared(ctx, d)) {
		/* mmubench's own mistake: the record says so instead of carrying the metric */
		if (ctx->rec->status != STATUS_ERROR)
			record_set_status(ctx->rec, STATUS_ERROR,
					  "metric %s is not declared by scenario %s", d->name,
					  ctx->scenario->name);
		return NULL;
	}
	/*
	 * A value only for a pooled or total metric; the others are the median
	 * of their samples, so a value given for one would be thrown away: a
	 * descriptor missing its flag, caught here rather than recorded wrong.
	 */
	if (!(d->flags & (M_POOLED | M_TOTAL)) && !isnan(value)) {
		if (ctx->rec->status != STATUS_ERROR)
			record_set_status(ctx->rec, STATUS_ERROR,
					  "metric %s: a value was given, but it is neither pooled nor "
					  "a total (its value is the median of its samples)", d->name);
		return NULL;
	}
	return record_put(ctx->rec, d, samples, n, value);
}

struct metric *run_put_value(struct run_ctx *ctx, const struct metric_desc *d, double value)
{
	return run_put(ctx, d, &value, 1, d->flags & (M_POOLED | M_TOTAL) ? value : NAN);
}

uint64_t run_put_hist(struct run_ctx *ctx, int slot, const char *name,
		      const struct metric_desc *p50, const struct metric_desc *p99,
		      const struct metric_desc *count)
{
	double us = 1e-3 * run_cycles_to_ns(ctx, 1);
	struct hist h;

	hist_init(&h);
	for (int i = 0; i < ctx->nvcpus; i++)
		hist_merge(&h, &ctx->vcpus[i].ctrl->latency[slot]);
	if (!h.count)
		return 0;
	record_add_hist(ctx->rec, name, "us", us, &h);
	if (count)
		run_put_value(ctx, count, h.count);
	if (p50)
		run_put_value(ctx, p50, hist_percentile(&h, 0.5) * us);
	if (p99)
		run_put_value(ctx, p99, hist_percentile(&h, 0.99) * us);
	return h.count;
}
