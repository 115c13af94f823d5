// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario "access": populate guest memory page by page (each first touch
 * timed in the guest with the TSC: the cost of a KVM page fault), then run
 * the access pattern for --passes passes of one access per page each. The
 * first pass is a warm-up; the others give the steady access cost. At the end
 * the host checks every page's contents against the pattern's ground truth.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/stats/hist_stats.h"
#include "workloads/scenario.h"
#include "src/run/verify.h"
#include "src/lib/util.h"

struct access_config {
	uint64_t passes;
	bool no_verify;
};

#define ACFG(f) offsetof(struct access_config, f)

static const struct opt_desc access_options[] = {
	{ "passes", OPT_UINT, ACFG(passes), "4", "N",
	  "access passes after populate (one access per page each); the first is a warm-up",
	  .min = 1, .max = 100000, .record = true },
	{ "no-verify", OPT_FLAG, ACFG(no_verify), NULL, NULL,
	  "skip the page-by-page check of guest memory against the ground truth", .record = true },
	OPT_END
};

enum access_metric {
	AC_POPULATE_P50,
	AC_POPULATE_P99,
	AC_POPULATE_MAX,
	AC_POPULATE_NS,
	AC_ACCESS_NS,
	AC_ACCESS_RATE,
	AC_WARMUP_NS,
	AC_POPULATE_PF,
	AC_ACCESS_PF,
	AC_PAGES_4K,
	AC_PAGES_2M,
	AC_N
};

static const struct metric_desc access_metrics[] = {
	[AC_POPULATE_P50] = { "populate_p50_us", "us", DIR_LOWER_IS_BETTER,
			      "median first-touch latency (guest TSC)" },
	[AC_POPULATE_P99] = { "populate_p99_us", "us", DIR_LOWER_IS_BETTER,
			      "99th percentile first-touch latency" },
	[AC_POPULATE_MAX] = { "populate_max_us", "us", DIR_LOWER_IS_BETTER, "slowest first touch" },
	[AC_POPULATE_NS] = { "populate_ns_per_page", "ns/page", DIR_LOWER_IS_BETTER,
			     "populate time / pages, per vCPU" },
	[AC_ACCESS_NS] = { "access_ns_per_page", "ns/page", DIR_LOWER_IS_BETTER,
			   "steady access cost, per vCPU and pass after the warm-up" },
	[AC_ACCESS_RATE] = { "access_mpages_per_s", "Mpages/s", DIR_HIGHER_IS_BETTER,
			     "steady access rate per vCPU" },
	[AC_WARMUP_NS] = { "warmup_ns_per_page", "ns/page", DIR_LOWER_IS_BETTER,
			   "first pass after populate" },
	[AC_POPULATE_PF] = { "populate_pf_taken", "faults", DIR_INFO,
			     "KVM pf_taken during populate, all vCPUs" },
	[AC_ACCESS_PF] = { "access_pf_taken", "faults", DIR_INFO,
			   "KVM pf_taken during the passes" },
	[AC_PAGES_4K] = { "pages_4k", "pages", DIR_INFO,
			  "KVM 4K mappings after populate (VM stat, whole VM)" },
	[AC_PAGES_2M] = { "pages_2m", "pages", DIR_INFO,
			  "KVM 2M mappings after populate (VM stat, whole VM)" },
	[AC_N] = { NULL }
};

struct access_vcpu {
	uint64_t populate_cycles;
	double *pass_cycles;		/* per pass */
	uint64_t passes_done;
};

struct access_state {
	struct access_vcpu vcpu[GUEST_MAX_VCPUS];
	struct hist populate_hist;	/* merged at the populate barrier */
	struct run_kvm_counters before, after_populate, after_access;
};

static int access_setup(struct run_ctx *ctx, char *err, size_t errlen)
{
	const struct access_config *acfg = ctx->scfg;
	struct access_state *st = calloc(1, sizeof(*st));

	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ctx->priv = st;		/* first: teardown frees what the loop got on ENOMEM */
	hist_init(&st->populate_hist);
	for (int i = 0; i < ctx->nvcpus; i++) {
		st->vcpu[i].pass_cycles = calloc(acfg->passes, sizeof(double));
		if (!st->vcpu[i].pass_cycles)
			return errf(err, errlen, -ENOMEM, "out of memory");
	}
	return 0;
}

static int access_start(struct run_ctx *ctx, char *err, size_t errlen)
{
	struct access_state *st = ctx->priv;

	run_read_kvm_counters(ctx, &st->before);
	return 0;
}

static int access_work(struct run_ctx *ctx, struct run_vcpu *v, struct guest_work *w)
{
	const struct access_config *acfg = ctx->scfg;
	struct access_state *st = ctx->priv;
	struct access_vcpu *av = &st->vcpu[v->index];
	struct guest_ctrl *c = v->ctrl;
	uint64_t npages = ctx->pages_per_vcpu, done_cycles = c->tsc_end - c->tsc_start;

	w->region_gva = v->region->gpa;
	w->page_size = 4096;
	w->pattern = v->pattern;

	if (v->orders == 0) {		/* first order: populate, timing each page */
		w->op = GOP_POPULATE;
		w->populate_write = 1;
		w->time_each = 1;
		return 0;
	}
	if (v->orders == 1) {		/* populate finished */
		av->populate_cycles = done_cycles;
		if (run_barrier(ctx)) {
			run_read_kvm_counters(ctx, &st->after_populate);
			for (int i = 0; i < ctx->nvcpus; i++)
				hist_merge(&st->populate_hist, &ctx->vcpus[i].ctrl->latency[0]);
		}
		run_barrier(ctx);	/* everyone populated before anyone measures */
	} else {
		av->pass_cycles[av->passes_done++] = done_cycles;
	}
	if (av->passes_done == acfg->passes) {
		if (run_barrier(ctx))
			run_read_kvm_counters(ctx, &st->after_access);
		w->op = GOP_EXIT;
		return 0;
	}
	w->op = GOP_ACCESS;
	w->first = av->passes_done * npages;
	w->count = npages;
	return 0;
}

static int access_stop(struct run_ctx *ctx, char *err, size_t errlen)
{
	const struct access_config *acfg = ctx->scfg;
	struct access_state *st = ctx->priv;
	uint64_t npages = ctx->pages_per_vcpu, steady = acfg->passes - 1;
	size_t nsteady = 0;
	double **series, *ns, *rate, populate[GUEST_MAX_VCPUS], warmup[GUEST_MAX_VCPUS];
	double us = 1e-3 * run_cycles_to_ns(ctx, 1);
	struct hist *h = &st->populate_hist;

	series = series_alloc(2, ctx->nvcpus * (steady ? steady : 1));
	if (!series)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ns = series[0];
	rate = series[1];
	for (int i = 0; i < ctx->nvcpus; i++) {
		struct access_vcpu *av = &st->vcpu[i];

		populate[i] = run_cycles_to_ns(ctx, av->populate_cycles) / npages;
		warmup[i] = run_cycles_to_ns(ctx, av->pass_cycles[0]) / npages;
		for (uint64_t p = 1; p < acfg->passes; p++) {
			ns[nsteady] = run_cycles_to_ns(ctx, av->pass_cycles[p]) / npages;
			rate[nsteady] = 1e3 / ns[nsteady];
			nsteady++;
		}
	}

	run_put_value(ctx, &access_metrics[AC_POPULATE_P50], hist_percentile(h, 0.50) * us);
	run_put_value(ctx, &access_metrics[AC_POPULATE_P99], hist_percentile(h, 0.99) * us);
	run_put_value(ctx, &access_metrics[AC_POPULATE_MAX], h->max * us);
	run_put(ctx, &access_metrics[AC_POPULATE_NS], populate, ctx->nvcpus, NAN);
	if (nsteady) {
		run_put(ctx, &access_metrics[AC_ACCESS_NS], ns, nsteady, NAN);
		run_put(ctx, &access_metrics[AC_ACCESS_RATE], rate, nsteady, NAN);
	}
	run_put(ctx, &access_metrics[AC_WARMUP_NS], warmup, ctx->nvcpus, NAN);
	if (st->after_access.have_pf) {
		run_put_value(ctx, &access_metrics[AC_POPULATE_PF],
			      st->after_populate.pf_taken - st->before.pf_taken);
		run_put_value(ctx, &access_metrics[AC_ACCESS_PF],
			      st->after_access.pf_taken - st->after_populate.pf_taken);
	}
	if (st->after_populate.have_pages) {
		run_put_value(ctx, &access_metrics[AC_PAGES_4K], st->after_populate.pages_4k);
		run_put_value(ctx, &access_metrics[AC_PAGES_2M], st->after_populate.pages_2m);
	}
	record_add_hist(ctx->rec, "populate_latency", "us", us, h);
	series_free(series);

	if (!acfg->no_verify && workload_verify_memory(ctx))
		return errf(err, errlen, -ENOMEM, "out of memory verifying guest memory");
	return 0;
}

static void access_teardown(struct run_ctx *ctx)
{
	struct access_state *st = ctx->priv;

	if (!st)
		return;
	for (int i = 0; i < ctx->nvcpus; i++)
		free(st->vcpu[i].pass_cycles);
	free(st);
	ctx->priv = NULL;
}

static const struct scenario_ops access_ops = {
	.setup = access_setup,
	.start = access_start,
	.work = access_work,
	.stop = access_stop,
	.teardown = access_teardown,
};

const struct scenario_desc scenario_access = {
	.name = "access",
	.summary = "populate fault latency, steady access cost, KVM fault counts; memory checked",
	.help =
	"Populates guest memory page by page (each first touch timed in the guest with\n"
	"the TSC: on this host that is a KVM page fault), then runs the access pattern\n"
	"for --passes passes of one access per page. The first pass is a warm-up; the\n"
	"others give the steady cost per page and rate per vCPU. KVM stats (pf_taken,\n"
	"pages_4k, pages_2m) are read around each phase. Finally every page is compared\n"
	"with the ground truth replayed from the vCPUs' cursors.",
	.options = access_options,
	.config_size = sizeof(struct access_config),
	.metrics = access_metrics,
	.ops = &access_ops,
};
