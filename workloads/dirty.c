// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario "dirty": dirty logging as live migration uses it, measured like
 * dirty_log_perf_test and, unlike it, checked page by page.
 *
 * The guest writes continuously; the host enables logging, then harvests every
 * --interval while the vCPUs keep running: KVM_GET_DIRTY_LOG (bitmap), GET +
 * KVM_CLEAR_DIRTY_LOG in chunks (clear), or the per-vCPU dirty rings + reset
 * (ring). Around each harvest i the cursors are snapshotted before (a_i) and
 * after (b_i); with H_i the pages harvest i reported:
 *   written in [b_{i-1}, a_i) must be in H_i
 *   written in [a_{i-1}, b_{i-1}) (during harvest i-1) must be in H_{i-1} or H_i
 *   anything else written is "lost": migration would have sent stale data
 *   reported in H_i but not written in [a_{i-1}, b_i) is "spurious"
 * A snapshot cursor c says accesses below c are done; access c itself may
 * already have stored (the cursor moves a few instructions later), so it
 * counts as happening during the harvest next to the snapshot.
 * With --oracle uffd-wp, userfaultfd write-protect (async) + PAGEMAP_SCAN,
 * scanned just before each harvest, independently sees host-visible writes;
 * any it saw that KVM reported in none of the harvests around it is counted
 * too (see dirty_oracle_check()).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/bitmap.h"
#include "kernel/kvm/dirty_log.h"
#include "src/stats/hist_stats.h"
#include "workloads/scenario.h"
#include "src/run/steady.h"
#include "kernel/mm/uffd_wp.h"
#include "src/lib/util.h"
#include "src/run/verify.h"

#define DIRTY_SHOW_LOST	8		/* lost pages named in the check's reason */

enum dirty_mode { MODE_BITMAP, MODE_CLEAR, MODE_RING };
enum dirty_oracle { ORACLE_NONE, ORACLE_UFFD_WP };

static const char *const mode_names[] = { "bitmap", "clear", "ring", NULL };
static const char *const oracle_names[] = { "none", "uffd-wp", NULL };

struct dirty_config {
	int mode;
	uint64_t iterations;
	uint64_t baseline_epochs;
	uint64_t interval_ms;
	uint64_t clear_chunk;
	bool initially_set;
	uint64_t ring_size;
	bool ring_acq_rel;
	int oracle;
	uint64_t skip_harvest;	/* test only: drop what iteration N reported */
	uint64_t fault_ns;
	bool no_timing;
	bool no_verify;
};

#define DCFG(f) offsetof(struct dirty_config, f)

static const struct opt_desc dirty_options[] = {
	{ "mode", OPT_ENUM, DCFG(mode), "bitmap", NULL,
	  "bitmap: KVM_GET_DIRTY_LOG; clear: manual protect, GET + KVM_CLEAR_DIRTY_LOG in chunks; "
	  "ring: per-vCPU dirty rings + KVM_RESET_DIRTY_RINGS", .choices = mode_names, .record = true },
	{ "iterations", OPT_UINT, DCFG(iterations), "10", "N", "harvests while the guest writes",
	  .min = 1, .max = 1000000, .record = true },
	{ "baseline-epochs", OPT_UINT, DCFG(baseline_epochs), "2", "N",
	  "epochs without logging first: the vCPU rate to compare with", .min = 1, .max = 1000,
	  .record = true },
	{ "interval", OPT_UINT, DCFG(interval_ms), "200", "MS", "time between harvests",
	  .min = 1, .max = 3600000, .record = true },
	{ "clear-chunk", OPT_UINT, DCFG(clear_chunk), "65536", "PAGES",
	  "clear: pages per KVM_CLEAR_DIRTY_LOG (multiple of 64)", .min = 64, .max = 1ull << 40,
	  .record = true },
	{ "initially-set", OPT_FLAG, DCFG(initially_set), NULL, NULL,
	  "clear: KVM_DIRTY_LOG_INITIALLY_SET (the first harvest reports every page, as QEMU uses it)",
	  .record = true },
	{ "ring-size", OPT_SIZE, DCFG(ring_size), "64K", "BYTES",
	  "ring: bytes per vCPU ring (16 bytes an entry, power of two)", .min = 4096,
	  .max = 1ull << 30, .record = true },
	{ "ring-acq-rel", OPT_FLAG, DCFG(ring_acq_rel), NULL, NULL,
	  "ring: KVM_CAP_DIRTY_LOG_RING_ACQ_REL instead of KVM_CAP_DIRTY_LOG_RING", .record = true },
	{ "oracle", OPT_ENUM, DCFG(oracle), "none", NULL,
	  "uffd-wp: an independent check of host-visible writes (userfaultfd WP async + PAGEMAP_SCAN)",
	  .choices = oracle_names, .record = true },
	{ "test-skip-harvest", OPT_UINT, DCFG(skip_harvest), "0", "N",
	  "TEST ONLY: throw away what harvest N reported, to prove lost pages are caught",
	  .record = true },
	{ "fault-threshold", OPT_UINT, DCFG(fault_ns), "1000", "NS",
	  "while logging, a guest write that takes at least this long counts as a write fault "
	  "(a native write is tens of ns)", .min = 1, .max = 1000000000, .record = true },
	{ "no-timing", OPT_FLAG, DCFG(no_timing), NULL, NULL,
	  "do not time each guest access (no write-fault latency histogram)", .record = true },
	{ "no-verify", OPT_FLAG, DCFG(no_verify), NULL, NULL,
	  "skip the final check of guest memory against the ground truth", .record = true },
	OPT_END
};

static const char *const dirty_defaults[] = { "--write-pct", "100", NULL };

static const struct metric_desc dirty_metrics[] = {
	{ "lost_pages", "pages", "lower", "written and never reported: a correctness failure" },
	{ "spurious_pct", "%", "lower", "reported pages that were not written in their window" },
	{ "oracle_missed_pages", "pages", "lower", "--oracle: host-visible writes KVM did not report" },
	{ "written_pages", "pages", "info", "per iteration: pages written (ground truth)" },
	{ "reported_pages", "pages", "info", "per iteration: pages the harvest reported" },
	{ "enable_ms", "ms", "lower", "time to enable dirty logging on all memslots" },
	{ "disable_ms", "ms", "lower", "time to disable it" },
	{ "get_ms_per_gib", "ms/GiB", "lower", "KVM_GET_DIRTY_LOG time per GiB of guest memory" },
	{ "clear_ms_per_gib", "ms/GiB", "lower", "KVM_CLEAR_DIRTY_LOG time per GiB" },
	{ "harvest_ms_per_gib", "ms/GiB", "lower", "ring: collecting the rings per GiB" },
	{ "reset_ms_per_gib", "ms/GiB", "lower", "ring: the harvest's KVM_RESET_DIRTY_RINGS per GiB (not the "
	  "resets vCPUs do at ring-full exits)" },
	{ "kick_us", "us", "lower", "ring: kicking every vCPU out of KVM_RUN before a harvest (flushes PML); "
	  "polled every 20 us" },
	{ "iteration_ms", "ms", "lower", "whole harvest, all memslots" },
	{ "ring_full_exits", "exits", "info", "ring: KVM_EXIT_DIRTY_RING_FULL" },
	{ "vcpu_rate_ratio", "ratio", "higher", "access rate while logging / without" },
	{ "write_fault_p50_us", "us", "lower", "while logging: median of the accesses over --fault-threshold "
	  "(guest TSC; all writes at the default --write-pct 100)" },
	{ "write_fault_p99_us", "us", "lower", "while logging: p99 of those accesses" },
	{ "write_faults", "accesses", "info", "while logging: accesses over --fault-threshold (any exit that "
	  "stretches an access counts)" },
	{ "populate_p99_us", "us", "lower", "first touch of each page, p99 (guest TSC)" },
	{ "baseline_write_p99_us", "us", "lower", "guest write latency p99 without logging, all writes" },
	{ "pf_taken", "faults", "info", "KVM pf_taken while logging" },
	{ "pages_2m_before", "pages", "info", "KVM stat pages_2m (2M mappings, whole VM) before logging" },
	{ "pages_2m_after", "pages", "info", "the same after enabling logging (eager split lowers it)" },
	{ NULL }
};

struct dirty_slot {
	uint32_t slot;
	uint64_t npages;
	unsigned long *got;	/* H_i */
	unsigned long *prev;	/* H_{i-1} */
	unsigned long *pending;	/* ring: collected by vCPU threads on ring-full, for the next H */
	unsigned long *written;	/* scratch: ground truth */
	unsigned long *window;	/* scratch */
	unsigned long *prev2;	/* H_{i-2} */
	unsigned long *oracle;	/* what the uffd-wp oracle saw before this harvest */
	unsigned long *oracle_prev;	/* ... and before the previous one */
};

struct dirty_state {
	struct dirty_slot slot[GUEST_MAX_VCPUS];
	struct dirty_ring ring[GUEST_MAX_VCPUS];
	pthread_mutex_t ring_lock;
	struct uffd_wp *uffd;
	struct steady steady;		/* the guest: populate, then writes without pause */
	unsigned int baseline_done, iter;
	bool logging;
	uint64_t a[GUEST_MAX_VCPUS], b[GUEST_MAX_VCPUS];
	uint64_t prev_a[GUEST_MAX_VCPUS], prev_b[GUEST_MAX_VCPUS];
	uint64_t t_prev_a, ring_full;
	double baseline_rate, enable_ms, disable_ms;
	uint64_t lost, spurious, judged, oracle_missed;
	uint64_t first_lost_page[DIRTY_SHOW_LOST];
	int first_lost_slot[DIRTY_SHOW_LOST], nfirst_lost;
	double *get_ms, *clear_ms, *harvest_ms, *reset_ms, *kick_us, *iter_ms, *written_n, *reported_n, *ratio;
	struct run_kvm_counters kvm_before, kvm_logging, kvm_after;
};

static int dirty_prepare(struct run_ctx *ctx, char *err, size_t errlen)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = calloc(1, sizeof(*st));
	size_t n = cfg->iterations;

	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ctx->priv = st;
	pthread_mutex_init(&st->ring_lock, NULL);
	for (int r = 0; r < ctx->nregions; r++) {
		struct dirty_slot *s = &st->slot[r];

		s->slot = ctx->regions[r].slot;
		s->npages = ctx->regions[r].size / 4096;
		s->got = bitmap_alloc(s->npages);
		s->prev = bitmap_alloc(s->npages);
		s->pending = bitmap_alloc(s->npages);
		s->written = bitmap_alloc(s->npages);
		s->window = bitmap_alloc(s->npages);
		s->prev2 = bitmap_alloc(s->npages);
		s->oracle = bitmap_alloc(s->npages);
		s->oracle_prev = bitmap_alloc(s->npages);
		if (!s->got || !s->prev || !s->pending || !s->written || !s->window || !s->oracle ||
		    !s->prev2 || !s->oracle_prev)
			return errf(err, errlen, -ENOMEM, "out of memory");
	}
	st->get_ms = calloc(n, sizeof(double));
	st->clear_ms = calloc(n, sizeof(double));
	st->harvest_ms = calloc(n, sizeof(double));
	st->kick_us = calloc(n, sizeof(double));
	st->reset_ms = calloc(n, sizeof(double));
	st->iter_ms = calloc(n, sizeof(double));
	st->written_n = calloc(n, sizeof(double));
	st->reported_n = calloc(n, sizeof(double));
	st->ratio = calloc(n, sizeof(double));
	if (!st->get_ms || !st->clear_ms || !st->harvest_ms || !st->kick_us || !st->reset_ms || !st->iter_ms ||
	    !st->written_n || !st->reported_n || !st->ratio)
		return errf(err, errlen, -ENOMEM, "out of memory");

	/* both caps must be on before logging starts; the ring before any vCPU exists */
	if (cfg->mode == MODE_CLEAR)
		return dirty_log_enable_manual_protect(ctx->vm, cfg->initially_set, err, errlen);
	if (cfg->mode == MODE_RING)
		return dirty_log_enable_ring(ctx->vm, cfg->ring_size, cfg->ring_acq_rel, err, errlen);
	return 0;
}

static int dirty_setup(struct run_ctx *ctx, char *err, size_t errlen)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = ctx->priv;
	int ret;

	if (cfg->mode == MODE_RING) {
		for (int i = 0; i < ctx->nvcpus; i++) {
			ret = dirty_ring_map(ctx->vcpus[i].vcpu, cfg->ring_size, &st->ring[i], err, errlen);
			if (ret)
				return ret;
		}
	}
	if (cfg->oracle == ORACLE_UFFD_WP) {
		ret = uffd_wp_open(&st->uffd, err, errlen);
		if (ret)
			return ret;
	}
	ctx->epoch_interval_ns = cfg->interval_ms * 1000000ull;
	return 0;
}

static int dirty_work(struct run_ctx *ctx, struct run_vcpu *v, struct guest_work *w)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = ctx->priv;

	/* while logging, only the slow writes: the write faults */
	steady_work(ctx, v, &st->steady, !cfg->no_timing,
		    (uint64_t)(cfg->fault_ns * (double)ctx->tsc_khz / 1e6), w);
	return 0;
}

static void dirty_ring_mark(void *arg, uint32_t slot, uint64_t offset)
{
	struct dirty_state *st = arg;

	for (int r = 0; r < GUEST_MAX_VCPUS && st->slot[r].got; r++)
		if (st->slot[r].slot == (slot & 0xffff) && offset < st->slot[r].npages)
			bitmap_set(st->slot[r].pending, offset);
}

/* A vCPU whose ring is full collects it itself (into pending) and resets, then runs on. */
static int dirty_exit(struct run_ctx *ctx, struct run_vcpu *v, uint32_t exit_reason)
{
	struct dirty_state *st = ctx->priv;
	uint64_t ns;
	int ret;

	if (exit_reason != KVM_EXIT_DIRTY_RING_FULL)
		return SCENARIO_EXIT_NOT_MINE;
	pthread_mutex_lock(&st->ring_lock);
	dirty_ring_harvest(&st->ring[v->index], dirty_ring_mark, st);
	ret = dirty_ring_reset(ctx->vm, &ns);
	st->ring_full++;
	pthread_mutex_unlock(&st->ring_lock);
	return ret < 0 ? ret : SCENARIO_EXIT_HANDLED;
}

static int dirty_set_logging(struct run_ctx *ctx, struct dirty_state *st, bool on, double *ms,
			     char *err, size_t errlen)
{
	uint64_t total = 0, ns;
	int ret;

	for (int r = 0; r < ctx->nregions; r++) {
		ret = dirty_log_set_logging(ctx->vm, st->slot[r].slot, on, &ns, err, errlen);
		if (ret)
			return ret;
		total += ns;
	}
	st->logging = on;
	*ms = total / 1e6;
	return 0;
}

/* One harvest of every memslot into slot->got, timed by kind. */
static int dirty_harvest(struct run_ctx *ctx, struct dirty_state *st, char *err, size_t errlen)
{
	struct dirty_config *cfg = ctx->scfg;
	uint64_t get = 0, clear = 0, harvest = 0, reset = 0, kick = 0, ns, t0;
	unsigned int e = st->iter;
	int ret;

	if (cfg->mode == MODE_RING) {
		/*
		 * Intel PML buffers dirty GFNs per vCPU and pushes them to the ring
		 * only at a VM exit: every vCPU leaves KVM_RUN once first, as QEMU
		 * does before it reaps (kvm_cpu_synchronize_kick_all()).
		 */
		ret = run_kick_vcpus(ctx, &kick, err, errlen);
		if (ret)
			return ret;
		pthread_mutex_lock(&st->ring_lock);
		t0 = now_ns();
		for (int i = 0; i < ctx->nvcpus; i++)
			dirty_ring_harvest(&st->ring[i], dirty_ring_mark, st);
		harvest = now_ns() - t0;
		ret = dirty_ring_reset(ctx->vm, &reset);
		for (int r = 0; r < ctx->nregions; r++) {
			memcpy(st->slot[r].got, st->slot[r].pending,
			       BITMAP_WORDS(st->slot[r].npages) * sizeof(unsigned long));
			bitmap_clear_all(st->slot[r].pending, st->slot[r].npages);
		}
		pthread_mutex_unlock(&st->ring_lock);
		if (ret < 0)
			return errf(err, errlen, ret, "KVM_RESET_DIRTY_RINGS: %s", strerror(-ret));
	} else {
		for (int r = 0; r < ctx->nregions; r++) {
			struct dirty_slot *s = &st->slot[r];

			ret = dirty_log_get(ctx->vm, s->slot, s->got, &ns, err, errlen);
			if (ret < 0)
				return ret;
			get += ns;
			if (cfg->mode != MODE_CLEAR)
				continue;
			/* returns the number of KVM_CLEAR_DIRTY_LOG calls */
			ret = dirty_log_clear(ctx->vm, s->slot, s->got, s->npages, cfg->clear_chunk,
					      &ns, err, errlen);
			if (ret < 0)
				return ret;
			clear += ns;
		}
	}
	st->get_ms[e] = get / 1e6;
	st->clear_ms[e] = clear / 1e6;
	st->harvest_ms[e] = harvest / 1e6;
	st->reset_ms[e] = reset / 1e6;
	st->kick_us[e] = kick / 1e3;
	return 0;
}

static void dirty_note_lost(struct dirty_state *st, int r, uint64_t page)
{
	if (st->nfirst_lost < DIRTY_SHOW_LOST) {
		st->first_lost_slot[st->nfirst_lost] = r;
		st->first_lost_page[st->nfirst_lost++] = page;
	}
}

/* The ground-truth checks of harvest i (see the top of the file). */
static void dirty_check(struct run_ctx *ctx, struct dirty_state *st, bool first)
{
	struct dirty_config *cfg = ctx->scfg;
	uint64_t written = 0, reported = 0;

	for (int r = 0; r < ctx->nregions; r++) {
		struct dirty_slot *s = &st->slot[r];

		/* must be in H_i: written after the previous harvest, before this one */
		bitmap_clear_all(s->written, s->npages);
		for (int i = 0; i < ctx->nvcpus; i++)
			if (ctx->vcpus[i].region == &ctx->regions[r])
				run_truth(&ctx->vcpus[i], st->prev_b[i] + 1, st->a[i], NULL, s->written);
		for (uint64_t p = 0; p < s->npages; p++) {
			if (bitmap_test(s->written, p) && !bitmap_test(s->got, p)) {
				st->lost++;
				dirty_note_lost(st, r, p);
			}
		}
		written += bitmap_weight(s->written, s->npages);
		/* during the previous harvest: in H_{i-1} or H_i (not when logging was just enabled) */
		if (!first) {
			bitmap_clear_all(s->window, s->npages);
			for (int i = 0; i < ctx->nvcpus; i++)
				if (ctx->vcpus[i].region == &ctx->regions[r])
					run_truth(&ctx->vcpus[i], st->prev_a[i], st->prev_b[i] + 1,
						  NULL, s->window);
			for (uint64_t p = 0; p < s->npages; p++) {
				if (bitmap_test(s->window, p) && !bitmap_test(s->got, p) &&
				    !bitmap_test(s->prev, p)) {
					st->lost++;
					dirty_note_lost(st, r, p);
				}
			}
		}
		/* reported but not written anywhere in [a_{i-1}, b_i) */
		bitmap_clear_all(s->window, s->npages);
		for (int i = 0; i < ctx->nvcpus; i++)
			if (ctx->vcpus[i].region == &ctx->regions[r])
				run_truth(&ctx->vcpus[i], st->prev_a[i], st->b[i] + 1, NULL, s->window);
		for (uint64_t p = 0; p < s->npages; p++) {
			if (!bitmap_test(s->got, p))
				continue;
			reported++;
			/* initially set: the first harvest reports everything, by design: not judged */
			if (first && cfg->initially_set)
				continue;
			st->judged++;
			if (!bitmap_test(s->window, p))
				st->spurious++;
		}
	}
	st->written_n[st->iter] = written;
	st->reported_n[st->iter] = reported;
}

/*
 * --oracle uffd-wp, scanned just before each harvest. Its "written" bit is
 * set when KVM takes the page for writing, which is before KVM marks it dirty
 * and before the guest's store: a page it saw before harvest i-1 may be in
 * H_{i-2}, H_{i-1} or, if the mark came after GET, H_i. Any other page it saw
 * is a host-visible write that KVM never reported.
 */
static int dirty_oracle_scan(struct run_ctx *ctx, struct dirty_state *st, char *err, size_t errlen)
{
	uint64_t ns;
	int64_t ret;

	for (int r = 0; r < ctx->nregions; r++) {
		struct dirty_slot *s = &st->slot[r];

		ret = uffd_wp_scan(st->uffd, ctx->regions[r].backing.hva, s->npages, s->oracle, &ns,
				   err, errlen);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void dirty_oracle_check(struct run_ctx *ctx, struct dirty_state *st, bool check)
{
	for (int r = 0; r < ctx->nregions; r++) {
		struct dirty_slot *s = &st->slot[r];
		size_t bytes = BITMAP_WORDS(s->npages) * sizeof(unsigned long);

		for (uint64_t p = 0; check && p < s->npages; p++)
			if (bitmap_test(s->oracle_prev, p) && !bitmap_test(s->got, p) &&
			    !bitmap_test(s->prev, p) && !bitmap_test(s->prev2, p))
				st->oracle_missed++;
		memcpy(s->oracle_prev, s->oracle, bytes);
	}
}

/* Logging on, between two snapshots that serve as the first "previous harvest". */
static int dirty_begin(struct run_ctx *ctx, struct dirty_state *st, char *err, size_t errlen)
{
	int ret;

	steady_snapshot(ctx, st->prev_a);
	st->baseline_rate = steady_rate(ctx, &st->steady, st->prev_a);
	st->t_prev_a = now_ns();
	run_read_kvm_counters(ctx, &st->kvm_before);
	if (st->uffd) {
		for (int r = 0; r < ctx->nregions; r++) {
			ret = uffd_wp_register(st->uffd, ctx->regions[r].backing.hva,
					       ctx->regions[r].size, err, errlen);
			if (ret)
				return ret;
		}
	}
	ret = dirty_set_logging(ctx, st, true, &st->enable_ms, err, errlen);
	steady_snapshot(ctx, st->prev_b);
	run_read_kvm_counters(ctx, &st->kvm_logging);
	st->steady.phase = STEADY_DURING;
	return ret;
}

static int dirty_epoch(struct run_ctx *ctx, unsigned int epoch, char *err, size_t errlen)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = ctx->priv;
	uint64_t t0, t1, accesses = 0;
	bool first = st->iter == 0;
	int ret;

	if (st->steady.phase == STEADY_POPULATE)
		return 0;
	if (st->steady.phase == STEADY_BEFORE) {
		if (++st->baseline_done < cfg->baseline_epochs)
			return 0;
		return dirty_begin(ctx, st, err, errlen);
	}

	steady_snapshot(ctx, st->a);
	if (st->uffd) {
		ret = dirty_oracle_scan(ctx, st, err, errlen);
		if (ret)
			return ret;
	}
	t0 = now_ns();
	ret = dirty_harvest(ctx, st, err, errlen);
	t1 = now_ns();
	steady_snapshot(ctx, st->b);
	if (ret)
		return ret;
	if (cfg->skip_harvest && cfg->skip_harvest == st->iter + 1)
		for (int r = 0; r < ctx->nregions; r++)
			bitmap_clear_all(st->slot[r].got, st->slot[r].npages);
	st->iter_ms[st->iter] = (t1 - t0) / 1e6;
	for (int i = 0; i < ctx->nvcpus; i++)
		accesses += st->a[i] - st->prev_a[i];
	st->ratio[st->iter] = st->baseline_rate > 0 ?
			      accesses * 1e9 / (double)(t0 - st->t_prev_a) / ctx->nvcpus /
			      st->baseline_rate : NAN;
	dirty_check(ctx, st, first);
	/* the first scan also saw the writes from before logging was on: check from the second */
	if (st->uffd)
		dirty_oracle_check(ctx, st, st->iter >= 2);
	if (!ctx->cfg->quiet)
		fprintf(stderr, "mmubench: harvest %u: written %.0f reported %.0f, lost %" PRIu64
			" so far, %.2f ms\n", st->iter + 1, st->written_n[st->iter],
			st->reported_n[st->iter], st->lost, st->iter_ms[st->iter]);

	for (int r = 0; r < ctx->nregions; r++) {
		size_t bytes = BITMAP_WORDS(st->slot[r].npages) * sizeof(unsigned long);

		memcpy(st->slot[r].prev2, st->slot[r].prev, bytes);
		memcpy(st->slot[r].prev, st->slot[r].got, bytes);
	}
	memcpy(st->prev_a, st->a, sizeof(st->a));
	memcpy(st->prev_b, st->b, sizeof(st->b));
	st->t_prev_a = t0;
	if (++st->iter < cfg->iterations)
		return 0;
	run_read_kvm_counters(ctx, &st->kvm_after);
	return 1;
}

static void dirty_per_gib(struct record *r, const char *name, const double *ms, size_t n, double gib)
{
	double v[n ? n : 1];

	for (size_t i = 0; i < n; i++)
		v[i] = ms[i] / gib;
	record_add_metric(r, name, "ms/GiB", DIR_LOWER_IS_BETTER, v, n);
}

static int dirty_stop(struct run_ctx *ctx, char *err, size_t errlen)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = ctx->priv;
	struct record *r = ctx->rec;
	size_t n = st->iter;
	double gib = ctx->nregions * ctx->regions[0].size / (double)(1ull << 30);
	char lost[512] = "";
	int ret;

	if (n < cfg->iterations)
		return errf(err, errlen, -EIO, "only %zu of %" PRIu64 " harvests ran", n, cfg->iterations);
	ret = dirty_set_logging(ctx, st, false, &st->disable_ms, err, errlen);
	if (ret)
		return ret;

	record_add_value(r, "lost_pages", "pages", DIR_LOWER_IS_BETTER, st->lost);
	record_add_value(r, "spurious_pct", "%", DIR_LOWER_IS_BETTER,
			 st->judged ? 100.0 * st->spurious / st->judged : NAN);
	record_add_metric(r, "written_pages", "pages", DIR_INFO, st->written_n, n);
	record_add_metric(r, "reported_pages", "pages", DIR_INFO, st->reported_n, n);
	record_add_value(r, "enable_ms", "ms", DIR_LOWER_IS_BETTER, st->enable_ms);
	record_add_value(r, "disable_ms", "ms", DIR_LOWER_IS_BETTER, st->disable_ms);
	if (cfg->mode == MODE_RING) {
		dirty_per_gib(r, "harvest_ms_per_gib", st->harvest_ms, n, gib);
		dirty_per_gib(r, "reset_ms_per_gib", st->reset_ms, n, gib);
		record_add_metric(r, "kick_us", "us", DIR_LOWER_IS_BETTER, st->kick_us, n);
		record_add_value(r, "ring_full_exits", "exits", DIR_INFO, st->ring_full);
	} else {
		dirty_per_gib(r, "get_ms_per_gib", st->get_ms, n, gib);
		if (cfg->mode == MODE_CLEAR)
			dirty_per_gib(r, "clear_ms_per_gib", st->clear_ms, n, gib);
	}
	record_add_metric(r, "iteration_ms", "ms", DIR_LOWER_IS_BETTER, st->iter_ms, n);
	record_add_metric(r, "vcpu_rate_ratio", "ratio", DIR_HIGHER_IS_BETTER, st->ratio, n);
	if (st->kvm_after.have_pf)
		record_add_value(r, "pf_taken", "faults", DIR_INFO,
				 st->kvm_after.pf_taken - st->kvm_logging.pf_taken);
	if (st->kvm_after.have_pages) {
		record_add_value(r, "pages_2m_before", "pages", DIR_INFO, st->kvm_before.pages_2m);
		record_add_value(r, "pages_2m_after", "pages", DIR_INFO, st->kvm_logging.pages_2m);
	}
	steady_record_hist(ctx, STEADY_HIST_POPULATE, "populate_latency", NULL, "populate_p99_us",
			   NULL);
	steady_record_hist(ctx, STEADY_HIST_BEFORE, "baseline_access_latency", NULL,
			   "baseline_write_p99_us", NULL);
	steady_record_hist(ctx, STEADY_HIST_DURING, "write_fault_latency", "write_fault_p50_us",
			   "write_fault_p99_us", "write_faults");
	{
		char split[256];

		if (!dirty_log_eager_split(ctx->vm, split, sizeof(split)))
			json_object_object_add(r->placement, "eager_page_split",
					       json_object_new_string(split));
	}

	for (int i = 0; i < st->nfirst_lost; i++) {
		const struct run_region *reg = &ctx->regions[st->first_lost_slot[i]];

		snprintf(lost + strlen(lost), sizeof(lost) - strlen(lost), "%s0x%" PRIx64,
			 i ? " " : "", reg->gpa + st->first_lost_page[i] * 4096);
	}
	if (st->lost)
		record_add_check(r, "no_lost_pages", STATUS_FAIL,
				 "%" PRIu64 " written pages never reported; first GPAs: %s", st->lost, lost);
	else
		record_add_check(r, "no_lost_pages", STATUS_PASS, NULL);
	if (st->uffd) {
		record_add_value(r, "oracle_missed_pages", "pages", DIR_LOWER_IS_BETTER, st->oracle_missed);
		record_add_check(r, "oracle_agrees", st->oracle_missed ? STATUS_FAIL : STATUS_PASS,
				 st->oracle_missed ? "%" PRIu64 " pages the uffd-wp oracle saw written were not reported by KVM" : NULL,
				 st->oracle_missed);
	}
	if (!cfg->no_verify && workload_verify_memory(ctx))
		return errf(err, errlen, -ENOMEM, "out of memory verifying guest memory");
	return 0;
}

static void dirty_teardown(struct run_ctx *ctx)
{
	struct dirty_state *st = ctx->priv;

	if (!st)
		return;
	for (int i = 0; i < ctx->nvcpus; i++)
		dirty_ring_unmap(&st->ring[i]);
	if (st->uffd)
		uffd_wp_close(st->uffd);
	for (int r = 0; r < ctx->nregions; r++) {
		struct dirty_slot *s = &st->slot[r];

		bitmap_free(s->got);
		bitmap_free(s->prev);
		bitmap_free(s->pending);
		bitmap_free(s->written);
		bitmap_free(s->window);
		bitmap_free(s->oracle);
		bitmap_free(s->oracle_prev);
		bitmap_free(s->prev2);
	}
	free(st->get_ms);
	free(st->clear_ms);
	free(st->harvest_ms);
	free(st->kick_us);
	free(st->reset_ms);
	free(st->iter_ms);
	free(st->written_n);
	free(st->reported_n);
	free(st->ratio);
	pthread_mutex_destroy(&st->ring_lock);
	free(st);
	ctx->priv = NULL;
}

static const struct scenario_ops dirty_ops = {
	.prepare = dirty_prepare,
	.setup = dirty_setup,
	.work = dirty_work,
	.exit = dirty_exit,
	.epoch = dirty_epoch,
	.stop = dirty_stop,
	.teardown = dirty_teardown,
};

const struct scenario_desc scenario_dirty = {
	.name = "dirty",
	.summary = "dirty logging (bitmap, clear, ring): cost, write-fault latency, lost pages checked",
	.help =
	"The guest writes continuously (--write-pct 100 by default) while the host\n"
	"harvests dirty pages every --interval, --iterations times, as live migration\n"
	"does: KVM_GET_DIRTY_LOG (--mode bitmap), GET + KVM_CLEAR_DIRTY_LOG in chunks\n"
	"with manual protect (--mode clear), or per-vCPU dirty rings with\n"
	"KVM_RESET_DIRTY_RINGS (--mode ring). Every harvest is checked against the\n"
	"exact pages written (from the cursors): a page written and never reported is\n"
	"lost and fails the run, naming the first GPAs. --oracle uffd-wp cross-checks\n"
	"with userfaultfd write-protect + PAGEMAP_SCAN.",
	.options = dirty_options,
	.defaults = dirty_defaults,
	.config_size = sizeof(struct dirty_config),
	.metrics = dirty_metrics,
	.ops = &dirty_ops,
};
