// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario "aging": how right is the kernel about which guest pages are
 * young, and what does finding out cost.
 *
 * The guest populates its memory, then runs its pattern without pause. The
 * host first measures the access rate with no aging (--baseline-epochs), then
 * lets one aging driver (kernel/aging/driver.h) act every --interval. Around
 * each pass it snapshots the vCPUs' cursors, before (a) and after (b), and
 * reads the driver's per-page verdict in between. With the previous pass's
 * snapshots (a', b'), the ground truth is exact (DESIGN.md):
 *   truly young = touched in [b', a)   (after the last pass, before this one)
 *   truly old   = not touched in [a', b) (not since the last pass began)
 *   excluded    = touched only while a pass ran: its verdict could go either way
 * (access b' itself counts as during the pass: a cursor moves a few
 * instructions after its access stores, so that access may precede b'.)
 * false-old  = |young and verdict old| / |young|
 * false-young = |old and verdict young| / |old|
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/aging/driver.h"
#include "workloads/aging_stats.h"
#include "kernel/mm/vmstat.h"
#include "src/lib/bitmap.h"
#include "src/stats/hist_stats.h"
#include "kernel/trace/kvm_trace.h"
#include "workloads/scenario.h"
#include "src/run/window.h"
#include "src/run/truth.h"
#include "src/lib/util.h"
#include "src/run/verify.h"


struct aging_config {
	int driver;
	uint64_t epochs;
	uint64_t baseline_epochs;
	uint64_t interval_ms;
	double inject_false_old;
	uint64_t shift_every;
	double shift_frac;
	bool no_timing;
	bool no_verify;
};

#define GCFG(f) offsetof(struct aging_config, f)

static const struct opt_desc aging_options[] = {
	{ "driver", OPT_ENUM, GCFG(driver), "mglru", NULL, "the aging driver (mmubench list)",
	  .choices_fn = aging_driver_name, .record = true },
	{ "epochs", OPT_UINT, GCFG(epochs), "10", "N", "aging passes", .min = 1, .max = 100000,
	  .record = true },
	{ "baseline-epochs", OPT_UINT, GCFG(baseline_epochs), "3", "N",
	  "epochs without aging first: the vCPU access rate to compare with", .min = 1, .max = 1000,
	  .record = true },
	{ "interval", OPT_UINT, GCFG(interval_ms), "1000", "MS", "epoch length", .min = 50,
	  .max = 3600000, .record = true },
	{ "inject-false-old", OPT_DOUBLE, GCFG(inject_false_old), "0", "PCT",
	  "test the metric: flip this share of young verdicts to old; with the driver's "
	  "own rate r, false_old_pct must become r + PCT * (1 - r/100)",
	  .min = 0, .max = 100, .record = true },
	{ "shift-every", OPT_UINT, GCFG(shift_every), "0", "K",
	  "hotcold: move the hot set every K aging epochs (0: never), a shifting working set",
	  .record = true },
	{ "shift-frac", OPT_DOUBLE, GCFG(shift_frac), "0", "X",
	  "how far it moves, as a fraction of the region (0: by its own size, to fresh pages)",
	  .min = 0, .max = 1, .record = true },
	{ "no-timing", OPT_FLAG, GCFG(no_timing), NULL, NULL,
	  "do not time each guest access (faster pattern, no access latency histogram)",
	  .record = true },
	{ "no-verify", OPT_FLAG, GCFG(no_verify), NULL, NULL,
	  "skip the final check of guest memory against the ground truth", .record = true },
	OPT_END
};

/* Cold pages untouched after populate: truly old for the whole run. */
static const struct opt_default aging_defaults[] = {
	{ "pattern", "hotcold" }, { "hot-pct", "100" }, { NULL }
};

/* Before anything runs: a moving hot set needs a hot set. */
static int aging_validate(const void *scfg, const struct opt_group *groups, char *err,
			  size_t errlen)
{
	const struct aging_config *cfg = scfg;
	const int *pattern = opts_value(groups, "pattern");

	if (cfg->shift_every && pattern && *pattern != PATTERN_HOTCOLD)
		return errf(err, errlen, -EINVAL,
			    "--shift-every moves the hot set of --pattern hotcold");
	return 0;
}

enum aging_metric {
	AM_FALSE_OLD, AM_FALSE_YOUNG, AM_DRIVER_FALSE_OLD, AM_EXPECTED_FALSE_OLD, AM_EXCLUDED,
	AM_YOUNG, AM_OLD, AM_PASS_MS, AM_WAIT_MS, AM_COVERED, AM_MS_PER_GIB, AM_RATE_RATIO,
	AM_BASELINE_RATE, AM_HOT_EVICTED, AM_REFAULTS, AM_SWAPINS, AM_SWAPOUTS, AM_EVICTED_SEEN,
	AM_PF_TAKEN, AM_ACCESS_P99, AM_AGE_HVA, AM_TEST_AGE_HVA, AM_UNMAP_HVA, AM_BG_AGE_HVA,
	AM_TRACE_LOST, AM_BASELINE_P99, AM_N
};

#define AM_EPOCH	M_PER_EPOCH

static const struct metric_desc aging_metrics[] = {
	[AM_FALSE_OLD] = { "false_old_pct", "%", DIR_LOWER_IS_BETTER,
			   "truly-young pages judged old (evicted)", AM_EPOCH | M_POOLED },
	[AM_FALSE_YOUNG] = { "false_young_pct", "%", DIR_LOWER_IS_BETTER,
			     "truly-old pages judged young (kept)", AM_EPOCH | M_POOLED },
	[AM_DRIVER_FALSE_OLD] = { "driver_false_old_pct", "%", DIR_LOWER_IS_BETTER,
				  "false-old before --inject-false-old" },
	[AM_EXPECTED_FALSE_OLD] = { "expected_false_old_pct", "%", DIR_INFO,
				    "driver rate + injection, what false_old_pct must be" },
	[AM_EXCLUDED] = { "excluded_pages", "pages", DIR_INFO,
			  "per epoch: touched only during a pass, not judged", AM_EPOCH },
	[AM_YOUNG] = { "young_pages", "pages", DIR_INFO, "per epoch: truly young", AM_EPOCH },
	[AM_OLD] = { "old_pages", "pages", DIR_INFO, "per epoch: truly old", AM_EPOCH },
	[AM_PASS_MS] = { "aging_pass_ms", "ms", DIR_LOWER_IS_BETTER,
			 "wall time of each aging pass with the verdict read, less waiting",
			 AM_EPOCH },
	[AM_WAIT_MS] = { "aging_wait_ms", "ms", DIR_INFO,
			 "per pass: time the driver waited on the kernel (DAMON's next "
			 "aggregation)", AM_EPOCH },
	[AM_COVERED] = { "pages_covered", "pages", DIR_INFO,
			 "per pass: pages the driver looked at: its memcg's pgscan (mglru, "
			 "memcg; may include the VMM's own pages), pages in DAMON regions "
			 "(damon), present PFNs (idle)", AM_EPOCH },
	[AM_MS_PER_GIB] = { "aging_ms_per_gib", "ms/GiB", DIR_LOWER_IS_BETTER,
			    "pass time per GiB of guest memory", AM_EPOCH },
	[AM_RATE_RATIO] = { "vcpu_rate_ratio", "ratio", DIR_HIGHER_IS_BETTER,
			    "access rate during aging / rate without aging", AM_EPOCH },
	[AM_BASELINE_RATE] = { "baseline_mpages_per_s", "Mpages/s", DIR_HIGHER_IS_BETTER,
			       "access rate per vCPU without aging" },
	[AM_HOT_EVICTED] = { "hot_evicted_pages", "pages", DIR_LOWER_IS_BETTER,
			     "eviction drivers: truly-young pages evicted, all epochs, "
			     "before --inject-false-old" },
	[AM_REFAULTS] = { "refaults", "pages", DIR_INFO,
			  "vmstat workingset_refault_anon + _file during aging",
			  AM_EPOCH | M_TOTAL },
	[AM_SWAPINS] = { "swapins", "pages", DIR_INFO, "vmstat pswpin during aging" },
	[AM_SWAPOUTS] = { "swapouts", "pages", DIR_INFO,
			  "vmstat pswpout during aging: pages reclaim wrote to swap",
			  AM_EPOCH | M_TOTAL },
	[AM_EVICTED_SEEN] = { "evicted_seen_pages", "pages", DIR_INFO,
			      "eviction drivers: pages absent right after each pass, summed over "
			      "passes (a page evicted once and not touched again counts in every "
			      "later pass)" },
	[AM_PF_TAKEN] = { "pf_taken", "faults", DIR_INFO, "KVM pf_taken during aging, all vCPUs",
			  AM_EPOCH | M_TOTAL },
	[AM_ACCESS_P99] = { "access_p99_us", "us", DIR_LOWER_IS_BETTER,
			    "guest access latency p99 during aging" },
	[AM_AGE_HVA] = { "age_hva_pages", "pages", DIR_INFO,
			 "per pass: kvm:kvm_age_hva pages in guest memory", AM_EPOCH },
	[AM_TEST_AGE_HVA] = { "test_age_hva_events", "events", DIR_INFO,
			      "per pass: kvm:kvm_test_age_hva in guest memory", AM_EPOCH },
	[AM_UNMAP_HVA] = { "unmap_hva_pages", "pages", DIR_INFO,
			   "per pass: kvm:kvm_unmap_hva_range pages in guest memory", AM_EPOCH },
	[AM_BG_AGE_HVA] = { "background_age_hva_pages", "pages", DIR_INFO,
			    "between passes: aging by others (e.g. a system kdamond)", AM_EPOCH },
	[AM_TRACE_LOST] = { "trace_lost_events", "events", DIR_INFO,
			    "kvm trace events the ring buffer dropped (non-zero: the *_hva counts "
			    "are lower bounds)" },
	[AM_BASELINE_P99] = { "baseline_access_p99_us", "us", DIR_LOWER_IS_BETTER,
			      "guest access latency p99 without aging" },
	[AM_N] = { NULL }
};

struct aging_state {
	const struct aging_driver_desc *driver;
	struct aging_env env;
	struct aging_target targets[GUEST_MAX_VCPUS];
	struct knob_saver knobs;
	bool driver_up;
	struct window win;		/* the guest: populate, then without pause; the epochs */

	unsigned long *old[GUEST_MAX_VCPUS];	/* per target: verdict */
	unsigned long *young[GUEST_MAX_VCPUS];	/* per target: truly young */
	unsigned long *recent[GUEST_MAX_VCPUS];	/* per target: touched since the last pass began */

	volatile uint64_t hot_first;		/* current hot set, handed to every order */
	uint64_t shift_pages;
	struct aging_counts total, total_raw;
	uint64_t evicted_seen;			/* verdict old, before injection, all epochs */
	double **s;				/* per-epoch samples, s[AM_*][epoch] */
	struct aging_vmstat vm_before, vm_after, vm_epoch;
	struct run_kvm_counters kvm_before, kvm_after, kvm_epoch;
	/* KVM's MMU-notifier tracepoints, NULL if unavailable */
	struct kvm_trace *kt;
	struct kvm_trace_counts trace_pending;
	uint64_t trace_lost;		/* events the ring buffer dropped, all reads */
	struct json_object *notes;		/* the driver's per-pass notes */
};

static int aging_setup(struct run_ctx *ctx, char *err, size_t errlen)
{
	struct aging_config *cfg = ctx->scfg;
	struct aging_state *st = calloc(1, sizeof(*st));
	size_t n = cfg->epochs;
	int ret;

	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ctx->priv = st;
	st->driver = aging_drivers[cfg->driver];
	knob_saver_init(&st->knobs);
	st->env.targets = st->targets;
	st->env.ntargets = ctx->nregions;
	st->env.cfg = st->driver->options ?
		      catalog_plugin_config(ctx->scenario, cfg, st->driver->options) : NULL;
	st->env.debug = ctx->cfg->debug;
	st->env.knobs = &st->knobs;
	for (int t = 0; t < ctx->nregions; t++) {
		st->targets[t] = (struct aging_target){
			ctx->regions[t].backing.hva, ctx->regions[t].size / 4096,
		};
		st->env.total_pages += st->targets[t].npages;
		st->old[t] = bitmap_alloc(st->targets[t].npages);
		st->young[t] = bitmap_alloc(st->targets[t].npages);
		st->recent[t] = bitmap_alloc(st->targets[t].npages);
		if (!st->old[t] || !st->young[t] || !st->recent[t])
			return errf(err, errlen, -ENOMEM, "out of memory");
	}
	st->s = series_alloc(AM_N, n);
	if (!st->s)
		return errf(err, errlen, -ENOMEM, "out of memory");

	/* before the guest touches its memory: a memcg must see every page charged */
	ret = st->driver->ops->setup ? st->driver->ops->setup(&st->env, err, errlen) : 0;
	st->driver_up = true;
	if (ret)
		return ret;
	ctx->epoch_interval_ns = cfg->interval_ms * 1000000ull;
	st->hot_first = ctx->vcpus[0].pattern.hot_first;
	st->shift_pages = cfg->shift_frac > 0 ? (uint64_t)(cfg->shift_frac * ctx->pages_per_vcpu) :
			  ctx->vcpus[0].pattern.hot_pages;
	return 0;
}

static int aging_work(struct run_ctx *ctx, struct run_vcpu *v, struct guest_work *w)
{
	struct aging_config *cfg = ctx->scfg;
	struct aging_state *st = ctx->priv;

	window_work(ctx, v, &st->win, !cfg->no_timing, 0, w);
	if (w->op == GOP_ACCESS)
		w->pattern.hot_first = st->hot_first;
	return 0;
}

/*
 * KVM's MMU-notifier tracepoints on guest memory; without them the run goes on
 * (a skip check says why).
 */
static void aging_kvm_trace_open(struct run_ctx *ctx, struct aging_state *st)
{
	struct kvm_trace_range ranges[GUEST_MAX_VCPUS];
	char err[512];

	for (int t = 0; t < st->env.ntargets; t++)
		ranges[t] = (struct kvm_trace_range){
			(uintptr_t)st->targets[t].hva,
			(uintptr_t)st->targets[t].hva + st->targets[t].npages * 4096,
		};
	if (kvm_trace_open(&st->kt, ranges, st->env.ntargets, err, sizeof(err)))
		record_add_check(ctx->rec, "kvm_tracepoints", STATUS_SKIP, "%s", err);
}

static uint64_t aging_kvm_trace_take(struct aging_state *st, enum kvm_trace_event ev, bool pages)
{
	struct kvm_trace_counts c = { 0 };

	if (!st->kt)
		return 0;
	kvm_trace_read(st->kt, &c);
	st->trace_pending = c;
	st->trace_lost += c.lost;
	return pages ? c.ev[ev].pages : c.ev[ev].events;
}

/* The driver's start, between two cursor snapshots that make the first "previous pass". */
static int aging_begin(struct run_ctx *ctx, void *arg, char *err, size_t errlen)
{
	struct aging_state *st = arg;

	aging_kvm_trace_open(ctx, st);
	aging_vmstat_read(&st->vm_before);
	run_read_kvm_counters(ctx, &st->kvm_before);
	st->vm_epoch = st->vm_before;
	st->kvm_epoch = st->kvm_before;
	return st->driver->ops->start ? st->driver->ops->start(&st->env, err, errlen) : 0;
}

/* The driver's verdict against the ground truth of window @e, into the counts and samples. */
static void aging_judge(struct run_ctx *ctx, struct aging_state *st, unsigned int e,
			struct aging_counts *c)
{
	struct aging_config *cfg = ctx->scfg;
	struct window *w = &st->win;
	struct aging_counts raw = { 0 };

	for (int t = 0; t < st->env.ntargets; t++) {
		bitmap_clear_all(st->young[t], st->targets[t].npages);
		bitmap_clear_all(st->recent[t], st->targets[t].npages);
	}
	for (int i = 0; i < ctx->nvcpus; i++) {
		struct run_vcpu *v = &ctx->vcpus[i];
		int t = v->region - ctx->regions;

		/* access b' was in flight at that snapshot: it may belong to the pass */
		run_truth(v, w->prev_b[i] + 1, w->a[i], st->young[t], NULL);
		run_truth(v, w->prev_a[i], w->b[i] + 1, st->recent[t], NULL);
	}
	for (int t = 0; t < st->env.ntargets; t++) {
		aging_count(&raw, st->young[t], st->recent[t], st->old[t], st->targets[t].npages);
		st->evicted_seen += bitmap_weight(st->old[t], st->targets[t].npages);
	}
	for (int t = 0; t < st->env.ntargets; t++)
		aging_inject(st->old[t], st->targets[t].npages, t, e, cfg->inject_false_old);
	for (int t = 0; t < st->env.ntargets; t++)
		aging_count(c, st->young[t], st->recent[t], st->old[t], st->targets[t].npages);
	aging_counts_add(&st->total, c);
	aging_counts_add(&st->total_raw, &raw);
	st->s[AM_FALSE_OLD][e] = aging_pct(c->false_old, c->young);
	st->s[AM_FALSE_YOUNG][e] = aging_pct(c->false_young, c->old);
	st->s[AM_EXCLUDED][e] = c->excluded;
	st->s[AM_YOUNG][e] = c->young;
	st->s[AM_OLD][e] = c->old;
}

/* vmstat and KVM counters of epoch @e, as deltas. */
static void aging_counters(struct run_ctx *ctx, struct aging_state *st, unsigned int e)
{
	struct aging_vmstat vm;
	struct run_kvm_counters kvm;

	aging_vmstat_read(&vm);
	run_read_kvm_counters(ctx, &kvm);
	st->s[AM_REFAULTS][e] = vm.refaults - st->vm_epoch.refaults;
	st->s[AM_SWAPOUTS][e] = vm.swapouts - st->vm_epoch.swapouts;
	st->s[AM_PF_TAKEN][e] = kvm.pf_taken - st->kvm_epoch.pf_taken;
	st->vm_epoch = vm;
	st->kvm_epoch = kvm;
}

static int aging_epoch(struct run_ctx *ctx, unsigned int epoch, char *err, size_t errlen)
{
	struct aging_config *cfg = ctx->scfg;
	struct aging_state *st = ctx->priv;
	struct window *w = &st->win;
	struct aging_counts c = { 0 };
	unsigned int e = w->epochs;
	double **s = st->s;
	int ret;

	ret = window_gate(ctx, w, cfg->baseline_epochs, aging_begin, st, err, errlen);
	if (ret != WINDOW_DURING)
		return ret < 0 ? ret : 0;

	window_open(ctx, w);
	st->env.pass_pages_scanned = NAN;
	st->env.pass_note = NULL;
	st->env.pass_wait_ns = 0;
	/* what others did to guest memory since the last pass */
	s[AM_BG_AGE_HVA][e] = aging_kvm_trace_take(st, KVM_TRACE_AGE_HVA, true);
	window_act(w);
	ret = st->driver->ops->pass(&st->env, e, err, errlen);
	for (int t = 0; !ret && t < st->env.ntargets; t++) {
		bitmap_clear_all(st->old[t], st->targets[t].npages);
		ret = st->driver->ops->verdict(&st->env, t, st->old[t], err, errlen);
	}
	window_close(ctx, w);
	if (ret)
		return ret;
	if (st->kt) {
		aging_kvm_trace_take(st, KVM_TRACE_AGE_HVA, true);
		s[AM_AGE_HVA][e] = st->trace_pending.ev[KVM_TRACE_AGE_HVA].pages;
		s[AM_TEST_AGE_HVA][e] = st->trace_pending.ev[KVM_TRACE_TEST_AGE_HVA].events;
		s[AM_UNMAP_HVA][e] = st->trace_pending.ev[KVM_TRACE_UNMAP_HVA_RANGE].pages;
	}

	aging_judge(ctx, st, e, &c);
	s[AM_PASS_MS][e] = (window_act_ns(w) - st->env.pass_wait_ns) / 1e6;
	s[AM_WAIT_MS][e] = st->env.pass_wait_ns / 1e6;
	s[AM_COVERED][e] = st->env.pass_pages_scanned;
	if (st->env.pass_note && *st->env.pass_note) {
		if (!st->notes)
			st->notes = json_object_new_array();
		json_object_array_add(st->notes, json_object_new_string(st->env.pass_note));
	}
	aging_counters(ctx, st, e);
	s[AM_RATE_RATIO][e] = window_rate_ratio(ctx, w);
	if (!ctx->cfg->quiet)
		fprintf(stderr,
			"mmubench: epoch %u: young %" PRIu64 " old %" PRIu64 " excluded %" PRIu64
			": false-old %.2f%% false-young %.2f%%, pass %.1f ms\n",
			e + 1, c.young, c.old, c.excluded, s[AM_FALSE_OLD][e], s[AM_FALSE_YOUNG][e],
			s[AM_PASS_MS][e]);

	if (cfg->shift_every && e % cfg->shift_every == cfg->shift_every - 1) {
		st->hot_first = (st->hot_first + st->shift_pages) % ctx->pages_per_vcpu;
		if (!ctx->cfg->quiet)
			fprintf(stderr, "mmubench: the hot set moves to page %" PRIu64 "\n",
				st->hot_first);
	}
	if (window_roll(w) < cfg->epochs)
		return 0;
	aging_vmstat_read(&st->vm_after);
	run_read_kvm_counters(ctx, &st->kvm_after);
	return 1;
}

static int aging_stop(struct run_ctx *ctx, char *err, size_t errlen)
{
	struct aging_config *cfg = ctx->scfg;
	struct aging_state *st = ctx->priv;
	const struct metric_desc *d = aging_metrics;
	struct record *r = ctx->rec;
	size_t n = st->win.epochs;
	double gib = st->env.total_pages * 4096.0 / (1ull << 30), **s = st->s;
	double fo = aging_pct(st->total.false_old, st->total.young);
	double raw = aging_pct(st->total_raw.false_old, st->total_raw.young);
	double expected = raw + cfg->inject_false_old * (100.0 - raw) / 100.0;

	if (n < cfg->epochs)
		return errf(err, errlen, -EIO, "only %zu of %" PRIu64 " epochs ran", n,
			    cfg->epochs);
	/* over all epochs' pages, not the median epoch */
	run_put(ctx, &d[AM_FALSE_OLD], s[AM_FALSE_OLD], n, fo);
	run_put(ctx, &d[AM_FALSE_YOUNG], s[AM_FALSE_YOUNG], n,
		aging_pct(st->total.false_young, st->total.old));
	run_put_value(ctx, &d[AM_DRIVER_FALSE_OLD], raw);
	if (cfg->inject_false_old > 0) {
		run_put_value(ctx, &d[AM_EXPECTED_FALSE_OLD], expected);
		record_add_check(r, "false_old_injection",
				 fabs(fo - expected) <= 0.5 ? STATUS_PASS : STATUS_FAIL,
				 "injected %.2f%%: measured %.3f%%, expected %.3f%% (+-0.5)",
				 cfg->inject_false_old, fo, expected);
	}
	run_put(ctx, &d[AM_EXCLUDED], s[AM_EXCLUDED], n, NAN);
	run_put(ctx, &d[AM_YOUNG], s[AM_YOUNG], n, NAN);
	run_put(ctx, &d[AM_OLD], s[AM_OLD], n, NAN);
	run_put(ctx, &d[AM_PASS_MS], s[AM_PASS_MS], n, NAN);
	if (stats_mean(s[AM_WAIT_MS], n) > 0)
		run_put(ctx, &d[AM_WAIT_MS], s[AM_WAIT_MS], n, NAN);
	if (!isnan(s[AM_COVERED][0]))
		run_put(ctx, &d[AM_COVERED], s[AM_COVERED], n, NAN);
	for (size_t i = 0; i < n; i++)
		s[AM_MS_PER_GIB][i] = s[AM_PASS_MS][i] / gib;
	run_put(ctx, &d[AM_MS_PER_GIB], s[AM_MS_PER_GIB], n, NAN);
	run_put(ctx, &d[AM_RATE_RATIO], s[AM_RATE_RATIO], n, NAN);
	run_put_value(ctx, &d[AM_BASELINE_RATE], st->win.baseline_rate / 1e6);
	if (st->driver->kind == AGING_EVICTED_KEPT)	/* the driver's, without injection */
		run_put_value(ctx, &d[AM_HOT_EVICTED], st->total_raw.false_old);
	/* totals over the aging phase, per-epoch deltas as samples */
	run_put(ctx, &d[AM_REFAULTS], s[AM_REFAULTS], n,
		st->vm_after.refaults - st->vm_before.refaults);
	run_put_value(ctx, &d[AM_SWAPINS], st->vm_after.swapins - st->vm_before.swapins);
	if (st->driver->kind == AGING_EVICTED_KEPT) {
		run_put(ctx, &d[AM_SWAPOUTS], s[AM_SWAPOUTS], n,
			st->vm_after.swapouts - st->vm_before.swapouts);
		run_put_value(ctx, &d[AM_EVICTED_SEEN], st->evicted_seen);
	}
	if (st->kvm_after.have_pf)
		run_put(ctx, &d[AM_PF_TAKEN], s[AM_PF_TAKEN], n,
			st->kvm_after.pf_taken - st->kvm_before.pf_taken);
	if (st->kt) {
		run_put(ctx, &d[AM_AGE_HVA], s[AM_AGE_HVA], n, NAN);
		run_put(ctx, &d[AM_TEST_AGE_HVA], s[AM_TEST_AGE_HVA], n, NAN);
		run_put(ctx, &d[AM_UNMAP_HVA], s[AM_UNMAP_HVA], n, NAN);
		run_put(ctx, &d[AM_BG_AGE_HVA], s[AM_BG_AGE_HVA], n, NAN);
		run_put_value(ctx, &d[AM_TRACE_LOST], st->trace_lost);
		if (st->trace_lost)
			fprintf(stderr,
				"mmubench: the trace ring buffer dropped %" PRIu64 " events: the "
				"*_hva counts are lower bounds\n",
				st->trace_lost);
	}
	run_put_hist(ctx, WINDOW_HIST_POPULATE, "populate_latency", NULL, NULL, NULL);
	run_put_hist(ctx, WINDOW_HIST_BEFORE, "baseline_access_latency", NULL,
		     &d[AM_BASELINE_P99], NULL);
	run_put_hist(ctx, WINDOW_HIST_DURING, "aging_access_latency", NULL, &d[AM_ACCESS_P99],
		     NULL);
	json_object_object_add(r->placement, "aging_driver",
			       json_object_new_string(st->driver->name));
	if (st->notes) {
		json_object_object_add(r->placement, "driver_passes", st->notes);
		st->notes = NULL;
	}

	if (!cfg->no_verify && workload_verify_memory(ctx))
		return errf(err, errlen, -ENOMEM, "out of memory verifying guest memory");
	return 0;
}

static void aging_teardown(struct run_ctx *ctx)
{
	struct aging_state *st = ctx->priv;
	int ret;

	if (!st)
		return;
	kvm_trace_close(st->kt);
	json_object_put(st->notes);
	if (st->driver_up && st->driver->ops->teardown)
		st->driver->ops->teardown(&st->env);
	ret = knob_restore_all(&st->knobs);
	if (ret)
		fprintf(stderr, "mmubench: could not restore %s: %s\n",
			st->knobs.knobs[st->knobs.failed].path, strerror(-ret));
	for (int t = 0; t < ctx->nregions; t++) {
		bitmap_free(st->old[t]);
		bitmap_free(st->young[t]);
		bitmap_free(st->recent[t]);
	}
	series_free(st->s);
	free(st);
	ctx->priv = NULL;
}

static const struct scenario_ops aging_ops = {
	.setup = aging_setup,
	.work = aging_work,
	.epoch = aging_epoch,
	.stop = aging_stop,
	.teardown = aging_teardown,
};

const struct scenario_desc scenario_aging = {
	.name = "aging",
	.summary = "aging accuracy (false-old, false-young) and cost of one aging driver",
	.help =
	"Populates guest memory, runs the pattern continuously (hotcold with all accesses\n"
	"in the hot set by default, so cold pages stay truly old), measures the vCPU\n"
	"access rate without aging for --baseline-epochs,\n"
	"then lets the --driver act every --interval for --epochs passes. Around each\n"
	"pass the vCPUs' cursors are snapshotted; the driver's per-page verdict is\n"
	"compared with the exact set of pages touched since the previous pass (pages\n"
	"touched only while a pass ran are excluded and counted). Eviction drivers\n"
	"(mglru, memcg, pageout) judge old by evicting: hot pages evicted and their\n"
	"refaults are the false-old cost. Finally guest memory is checked page by page.",
	.options = aging_options,
	.config_size = sizeof(struct aging_config),
	.defaults = aging_defaults,
	.validate = aging_validate,
	.plugin_opts = aging_driver_options,
	.metrics = aging_metrics,
	.charts = (const struct chart_spec[]){
		{ CHART_PER_EPOCH, "false_old_pct", "false_young_pct",
		  .title = "Aging accuracy per epoch",
		  .about = "false_old_pct (truly-young pages judged old) and false_young_pct "
			   "(truly-old pages judged young) in each aging epoch, per driver "
			   "configuration; one colour per label. Lines are medians over runs; the "
			   "band spans min..max when there are several runs.",
		  .axis = "pages (% of truly-young / truly-old)" },
		{ CHART_COST_VS_SIZE, "aging_pass_ms", "aging_ms_per_gib", .by = "driver",
		  .title = "Aging cost vs memory size",
		  .about = "Wall time of an aging pass (aging_pass_ms, with the verdict read) "
			   "against the guest memory size (vCPUs x mem-per-vcpu), per driver and "
			   "label: point at the median pass, error bar min..max over all passes of "
			   "all runs. Other parameters are pooled.",
		  .chart = "aging pass time vs guest memory size", .axis = "aging pass wall time",
		  .sample = "pass", .samples = "passes", .hint = "run without --no-timing" },
		{ CHART_END },
	},
	.ops = &aging_ops,
};
