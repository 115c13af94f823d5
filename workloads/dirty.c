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
 *   written in (b_{i-1}, a_i) must be in H_i
 *   written in (a_{i-1}, b_{i-1}] (during harvest i-1) must be in H_{i-1} or H_i
 *   written by access a_{i-1}, once a_i has passed it: see below
 *   anything else written is "lost": migration would have sent stale data
 *   reported in H_i but not written in [a_{i-1}, b_i] is "spurious"
 * A snapshot cursor c says accesses below c are done and access c has not
 * ended: it may not have begun, may wait in a write fault or may already have
 * stored (the cursor moves a few instructions later). Its store falls between
 * the last snapshot whose cursor was below c and the first one past c; on a
 * loaded host a vCPU can stay on one access for several harvests, so access
 * a_{i-1} is judged once a_i > a_{i-1}, against every harvest since it may
 * have begun (struct dirty_inflight), not just the two around a_{i-1}.
 * With --oracle uffd-wp, userfaultfd write-protect (async) + PAGEMAP_SCAN,
 * scanned just before each harvest, independently sees host-visible writes;
 * any it saw that KVM reported in none of the harvests around it is counted
 * too (see dirty_oracle_check()).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/lib/bitmap.h"
#include "workloads/dirty.h"
#include "src/stats/hist_stats.h"
#include "workloads/scenario.h"
#include "kernel/mm/uffd_wp.h"
#include "src/lib/util.h"
#include "src/run/verify.h"

enum dirty_oracle { DIRTY_ORACLE_NONE, DIRTY_ORACLE_UFFD_WP };

static const char *const oracle_names[] = { "none", "uffd-wp", NULL };

#define DCFG(f) offsetof(struct dirty_config, f)

static const struct opt_desc dirty_options[] = {
	{ "mode", OPT_ENUM, DCFG(mode), "bitmap", NULL,
	  "bitmap: KVM_GET_DIRTY_LOG; clear: manual protect, GET + KVM_CLEAR_DIRTY_LOG in chunks; "
	  "ring: per-vCPU dirty rings + KVM_RESET_DIRTY_RINGS", .choices_fn = dirty_mode_name, .record = true },
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
	{ "test-stall-harvest", OPT_UINT, DCFG(stall_harvest), "0", "N",
	  "TEST ONLY: from harvest N, hold vCPU 0 still for 4 --interval (as a loaded host "
	  "can): the access it is on stays in flight across harvests", .record = true },
	{ "fault-threshold", OPT_UINT, DCFG(fault_ns), "1000", "NS",
	  "while logging, a guest write that takes at least this long counts as a write fault "
	  "(a native write is tens of ns)", .min = 1, .max = 1000000000, .record = true },
	{ "no-timing", OPT_FLAG, DCFG(no_timing), NULL, NULL,
	  "do not time each guest access (no write-fault latency histogram)", .record = true },
	{ "no-verify", OPT_FLAG, DCFG(no_verify), NULL, NULL,
	  "skip the final check of guest memory against the ground truth", .record = true },
	OPT_END
};

static const struct opt_default dirty_defaults[] = { { "write-pct", "100" }, { NULL } };

#define DM_EPOCH	M_PER_EPOCH

const struct metric_desc dirty_metrics[] = {
	[DM_LOST] = { "lost_pages", "pages", DIR_LOWER_IS_BETTER,
		      "written and never reported: a correctness failure" },
	[DM_SPURIOUS] = { "spurious_pct", "%", DIR_LOWER_IS_BETTER,
			  "reported pages that were not written in their window" },
	[DM_ORACLE_MISSED] = { "oracle_missed_pages", "pages", DIR_LOWER_IS_BETTER,
			       "--oracle: host-visible writes KVM did not report" },
	[DM_WRITTEN] = { "written_pages", "pages", DIR_INFO,
			 "per iteration: pages written (ground truth)", DM_EPOCH },
	[DM_REPORTED] = { "reported_pages", "pages", DIR_INFO,
			  "per iteration: pages the harvest reported", DM_EPOCH },
	[DM_ENABLE_MS] = { "enable_ms", "ms", DIR_LOWER_IS_BETTER,
			   "time to enable dirty logging on all memslots" },
	[DM_DISABLE_MS] = { "disable_ms", "ms", DIR_LOWER_IS_BETTER, "time to disable it" },
	[DM_GET_PER_GIB] = { "get_ms_per_gib", "ms/GiB", DIR_LOWER_IS_BETTER,
			     "KVM_GET_DIRTY_LOG time per GiB of guest memory", DM_EPOCH },
	[DM_CLEAR_PER_GIB] = { "clear_ms_per_gib", "ms/GiB", DIR_LOWER_IS_BETTER,
			       "KVM_CLEAR_DIRTY_LOG time per GiB", DM_EPOCH },
	[DM_HARVEST_PER_GIB] = { "harvest_ms_per_gib", "ms/GiB", DIR_LOWER_IS_BETTER,
				 "ring: collecting the rings per GiB", DM_EPOCH },
	[DM_RESET_PER_GIB] = { "reset_ms_per_gib", "ms/GiB", DIR_LOWER_IS_BETTER,
			       "ring: the harvest's KVM_RESET_DIRTY_RINGS per GiB (not the resets "
			       "vCPUs do at ring-full exits)", DM_EPOCH },
	[DM_KICK_US] = { "kick_us", "us", DIR_LOWER_IS_BETTER,
			 "ring: kicking every vCPU out of KVM_RUN before a harvest (flushes PML); "
			 "polled every 20 us", DM_EPOCH },
	[DM_ITERATION_MS] = { "iteration_ms", "ms", DIR_LOWER_IS_BETTER,
			      "whole harvest, all memslots", DM_EPOCH },
	[DM_RING_FULL_EXITS] = { "ring_full_exits", "exits", DIR_INFO,
				 "ring: KVM_EXIT_DIRTY_RING_FULL" },
	[DM_RATE_RATIO] = { "vcpu_rate_ratio", "ratio", DIR_HIGHER_IS_BETTER,
			    "access rate while logging / without", DM_EPOCH },
	[DM_WRITE_FAULT_P50] = { "write_fault_p50_us", "us", DIR_LOWER_IS_BETTER,
				 "while logging: median of the accesses over --fault-threshold "
				 "(guest TSC; all writes at the default --write-pct 100)" },
	[DM_WRITE_FAULT_P99] = { "write_fault_p99_us", "us", DIR_LOWER_IS_BETTER,
				 "while logging: p99 of those accesses" },
	[DM_WRITE_FAULTS] = { "write_faults", "accesses", DIR_INFO,
			      "while logging: accesses over --fault-threshold that ended between "
			      "logging on and the last harvest, the span of pf_taken (any exit "
			      "that stretches an access counts)" },
	[DM_POPULATE_P99] = { "populate_p99_us", "us", DIR_LOWER_IS_BETTER,
			      "first touch of each page, p99 (guest TSC)" },
	[DM_BASELINE_WRITE_P99] = { "baseline_write_p99_us", "us", DIR_LOWER_IS_BETTER,
				    "guest write latency p99 without logging, all writes that "
				    "ended before logging went on" },
	[DM_PF_TAKEN] = { "pf_taken", "faults", DIR_INFO, "KVM pf_taken while logging" },
	[DM_PAGES_2M_BEFORE] = { "pages_2m_before", "pages", DIR_INFO,
				 "KVM stat pages_2m (2M mappings, whole VM) before logging" },
	[DM_PAGES_2M_AFTER] = { "pages_2m_after", "pages", DIR_INFO,
				"the same after enabling logging (eager split lowers it)" },
	[DM_N] = { NULL }
};

static int dirty_prepare(struct run_ctx *ctx, char *err, size_t errlen)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = calloc(1, sizeof(*st));

	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ctx->priv = st;
	st->mode = dirty_modes[cfg->mode];
	st->gib = ctx->nregions * ctx->regions[0].size / (double)(1ull << 30);
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
	st->s = series_alloc(DM_N, cfg->iterations);
	if (!st->s)
		return errf(err, errlen, -ENOMEM, "out of memory");
	/* the mode's caps must be on before logging starts (the ring: before any vCPU exists) */
	return st->mode->prepare ? st->mode->prepare(ctx, st, err, errlen) : 0;
}

/*
 * --test-stall-harvest: a signal whose handler sleeps holds its vCPU thread
 * out of KVM_RUN, the guest stopped wherever it was in its loop.
 */
#define DIRTY_STALL_SIGNAL	SIGUSR2

static uint64_t dirty_stall_ns;

static void dirty_on_stall(int sig)
{
	struct timespec ts = { dirty_stall_ns / 1000000000ull, dirty_stall_ns % 1000000000ull };

	(void)sig;
	/* the run's kicks interrupt the sleep: finish it */
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int dirty_setup(struct run_ctx *ctx, char *err, size_t errlen)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = ctx->priv;
	int ret;

	for (int i = 0; st->mode->setup_vcpu && i < ctx->nvcpus; i++) {
		ret = st->mode->setup_vcpu(ctx, st, &ctx->vcpus[i], err, errlen);
		if (ret)
			return ret;
	}
	if (cfg->oracle == DIRTY_ORACLE_UFFD_WP) {
		ret = uffd_wp_open(&st->uffd, err, errlen);
		if (ret)
			return ret;
	}
	ctx->epoch_interval_ns = cfg->interval_ms * 1000000ull;
	if (cfg->stall_harvest) {
		struct sigaction stall = { .sa_handler = dirty_on_stall };

		sigemptyset(&stall.sa_mask);
		dirty_stall_ns = 4 * ctx->epoch_interval_ns;
		if (sigaction(DIRTY_STALL_SIGNAL, &stall, NULL))
			return errf(err, errlen, -errno, "sigaction: %s", strerror(errno));
	}
	return 0;
}

static int dirty_work(struct run_ctx *ctx, struct run_vcpu *v, struct guest_work *w)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = ctx->priv;

	/* while logging, only the slow writes: the write faults */
	window_work(ctx, v, &st->win, !cfg->no_timing,
		    (uint64_t)(cfg->fault_ns * (double)ctx->tsc_khz / 1e6), w);
	return 0;
}

static int dirty_exit(struct run_ctx *ctx, struct run_vcpu *v, uint32_t exit_reason)
{
	struct dirty_state *st = ctx->priv;

	return st->mode->exit ? st->mode->exit(ctx, st, v, exit_reason) : SCENARIO_EXIT_NOT_MINE;
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

static void dirty_note_lost(struct dirty_state *st, int r, uint64_t page)
{
	if (st->nfirst_lost < DIRTY_SHOW_LOST) {
		st->first_lost_slot[st->nfirst_lost] = r;
		st->first_lost_page[st->nfirst_lost++] = page;
	}
}

/* The ground-truth checks of harvest i (see the top of the file). */
static void dirty_check(struct run_ctx *ctx, struct dirty_state *st, unsigned int e)
{
	struct dirty_config *cfg = ctx->scfg;
	const struct window *w = &st->win;
	uint64_t written = 0, reported = 0;
	bool first = e == 0;

	for (int r = 0; r < ctx->nregions; r++) {
		struct dirty_slot *s = &st->slot[r];

		/* must be in H_i: written after the previous harvest, before this one */
		bitmap_clear_all(s->written, s->npages);
		for (int i = 0; i < ctx->nvcpus; i++)
			if (ctx->vcpus[i].region == &ctx->regions[r])
				run_truth(&ctx->vcpus[i], w->prev_b[i] + 1, w->a[i], NULL, s->written);
		for (uint64_t p = 0; p < s->npages; p++) {
			if (bitmap_test(s->written, p) && !bitmap_test(s->got, p)) {
				st->lost++;
				dirty_note_lost(st, r, p);
			}
		}
		written += bitmap_weight(s->written, s->npages);
		/*
		 * during the previous harvest and done by a_i: in H_{i-1} or H_i
		 * (not when logging was just enabled); access b_{i-1} may still
		 * be in flight at a_i: then it is st->inflight next time
		 */
		if (!first) {
			bitmap_clear_all(s->window, s->npages);
			for (int i = 0; i < ctx->nvcpus; i++) {
				uint64_t end = w->prev_b[i] < w->a[i] ? w->prev_b[i] + 1 : w->a[i];

				if (ctx->vcpus[i].region == &ctx->regions[r])
					run_truth(&ctx->vcpus[i], w->prev_a[i] + 1, end, NULL,
						  s->window);
			}
			for (uint64_t p = 0; p < s->npages; p++) {
				if (bitmap_test(s->window, p) && !bitmap_test(s->got, p) &&
				    !bitmap_test(s->prev, p)) {
					st->lost++;
					dirty_note_lost(st, r, p);
				}
			}
		}
		/* in flight at a_{i-1}, done by a_i: in H_i or a harvest since it may have begun */
		for (int i = 0; i < ctx->nvcpus; i++) {
			const struct dirty_inflight *f = &st->inflight[i];

			if (ctx->vcpus[i].region != &ctx->regions[r] || w->a[i] == f->access ||
			    f->seen || bitmap_test(s->got, f->page))
				continue;
			if (f->judged && f->write) {
				st->lost++;
				dirty_note_lost(st, r, f->page);
			}
			if (f->oracle_due)
				st->oracle_missed++;
		}
		/* reported but not written anywhere in [a_{i-1}, b_i) */
		bitmap_clear_all(s->window, s->npages);
		for (int i = 0; i < ctx->nvcpus; i++)
			if (ctx->vcpus[i].region == &ctx->regions[r])
				run_truth(&ctx->vcpus[i], w->prev_a[i], w->b[i] + 1, NULL, s->window);
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
	st->s[DM_WRITTEN][e] = written;
	st->s[DM_REPORTED][e] = reported;
}

/*
 * After harvest i's check: the access each vCPU is on at a_i, and whether
 * some harvest since it may have begun has reported its page already.
 */
static void dirty_track_inflight(struct run_ctx *ctx, struct dirty_state *st, unsigned int e)
{
	const struct window *w = &st->win;

	for (int i = 0; i < ctx->nvcpus; i++) {
		struct dirty_inflight *f = &st->inflight[i];
		const struct dirty_slot *s = &st->slot[ctx->vcpus[i].region - ctx->regions];

		/* still on it: it may be in H_i */
		if (w->a[i] == f->access) {
			f->seen = f->seen || bitmap_test(s->got, f->page);
			continue;
		}
		f->access = w->a[i];
		f->write = run_truth_access(&ctx->vcpus[i], f->access, &f->page);
		f->oracle_due = false;
		if (w->prev_b[i] < w->a[i]) {
			/* not begun at b_{i-1}: from H_i on */
			f->judged = true;
			f->seen = bitmap_test(s->got, f->page);
		} else {
			/* begun after a_{i-1} (below it at a_{i-1}): from H_{i-1} on */
			f->judged = e > 0;
			f->seen = bitmap_test(s->got, f->page) || bitmap_test(s->prev, f->page);
		}
	}
}

/*
 * --oracle uffd-wp, scanned just before each harvest. Its "written" bit is
 * set when KVM takes the page for writing, which is before KVM marks it dirty
 * and before the guest's store: a page it saw before harvest i-1 may be in
 * H_{i-2}, H_{i-1} or, if the mark came after GET, H_i. Any other page it saw
 * is a host-visible write that KVM never reported, unless a vCPU is still in
 * the access to it after GET_i (b_i): its fault may not have marked it yet,
 * so the page is due in a harvest before that access ends (dirty_check()).
 */
static bool dirty_oracle_defer(struct run_ctx *ctx, struct dirty_state *st, int r, uint64_t p)
{
	for (int i = 0; i < ctx->nvcpus; i++) {
		struct dirty_inflight *f = &st->inflight[i];

		if (ctx->vcpus[i].region == &ctx->regions[r] && st->win.b[i] == f->access &&
		    f->page == p) {
			f->oracle_due = true;
			return true;
		}
	}
	return false;
}

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
			    !bitmap_test(s->prev, p) && !bitmap_test(s->prev2, p) &&
			    !dirty_oracle_defer(ctx, st, r, p))
				st->oracle_missed++;
		memcpy(s->oracle_prev, s->oracle, bytes);
	}
}

/* Logging on, between two snapshots that serve as the first "previous harvest". */
static int dirty_begin(struct run_ctx *ctx, void *arg, char *err, size_t errlen)
{
	struct dirty_state *st = arg;
	int ret;

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
	run_read_kvm_counters(ctx, &st->kvm_logging);
	return ret;
}

static int dirty_epoch(struct run_ctx *ctx, unsigned int epoch, char *err, size_t errlen)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = ctx->priv;
	struct window *w = &st->win;
	unsigned int e = w->epochs;
	int ret;

	ret = window_gate(ctx, w, cfg->baseline_epochs, dirty_begin, st, err, errlen);
	/* the access in flight when logging went on is never judged */
	for (int i = 0; ret == WINDOW_BEGUN && i < ctx->nvcpus; i++)
		st->inflight[i] = (struct dirty_inflight){ .access = w->prev_a[i] };
	if (ret != WINDOW_DURING)
		return ret < 0 ? ret : 0;

	if (cfg->stall_harvest && cfg->stall_harvest == e + 1)
		pthread_kill(ctx->vcpus[0].thread, DIRTY_STALL_SIGNAL);
	window_open(ctx, w);
	if (st->uffd) {
		ret = dirty_oracle_scan(ctx, st, err, errlen);
		if (ret)
			return ret;
	}
	window_act(w);
	ret = st->mode->harvest(ctx, st, e, err, errlen);
	window_close(ctx, w);
	if (ret)
		return ret;
	if (cfg->skip_harvest && cfg->skip_harvest == e + 1)
		for (int r = 0; r < ctx->nregions; r++)
			bitmap_clear_all(st->slot[r].got, st->slot[r].npages);
	st->s[DM_ITERATION_MS][e] = window_act_ns(w) / 1e6;
	st->s[DM_RATE_RATIO][e] = window_rate_ratio(ctx, w);
	dirty_check(ctx, st, e);
	dirty_track_inflight(ctx, st, e);
	/* the first scan also saw the writes from before logging was on: check from the second */
	if (st->uffd)
		dirty_oracle_check(ctx, st, e >= 2);
	if (!ctx->cfg->quiet)
		fprintf(stderr, "mmubench: harvest %u: written %.0f reported %.0f, lost %" PRIu64
			" so far, %.2f ms\n", e + 1, st->s[DM_WRITTEN][e], st->s[DM_REPORTED][e],
			st->lost, st->s[DM_ITERATION_MS][e]);

	for (int r = 0; r < ctx->nregions; r++) {
		size_t bytes = BITMAP_WORDS(st->slot[r].npages) * sizeof(unsigned long);

		memcpy(st->slot[r].prev2, st->slot[r].prev, bytes);
		memcpy(st->slot[r].prev, st->slot[r].got, bytes);
	}
	if (window_roll(w) < cfg->iterations)
		return 0;
	/* the write-fault histogram then spans what pf_taken does: logging on to here */
	window_end(ctx, w);
	run_read_kvm_counters(ctx, &st->kvm_after);
	return 1;
}

/* What only this run's mode reports: per-harvest samples, or a single value. */
static void dirty_put_mode(struct run_ctx *ctx, struct dirty_state *st, size_t n)
{
	for (const int *m = st->mode->metrics; *m >= 0; m++) {
		if (dirty_metrics[*m].flags & M_PER_EPOCH)
			run_put(ctx, &dirty_metrics[*m], st->s[*m], n, NAN);
		else
			run_put_value(ctx, &dirty_metrics[*m], st->value[*m]);
	}
}

/*
 * The write-fault figures, or why there are none: a figure that is absent is
 * named in a skipped check "write_fault_latency" with the reason, never
 * silently left out.
 */
static void dirty_put_write_faults(struct run_ctx *ctx, const struct dirty_config *cfg)
{
	const struct metric_desc *d = dirty_metrics;

	if (cfg->no_timing) {
		record_add_check(ctx->rec, "write_fault_latency", STATUS_SKIP,
				 "--no-timing: write_faults, write_fault_p50_us, "
				 "write_fault_p99_us and baseline_write_p99_us were not measured");
		return;
	}
	if (run_put_hist(ctx, WINDOW_HIST_DURING, "write_fault_latency", &d[DM_WRITE_FAULT_P50],
			 &d[DM_WRITE_FAULT_P99], &d[DM_WRITE_FAULTS]))
		return;
	/* a count of none is a count; its percentiles do not exist */
	run_put_value(ctx, &d[DM_WRITE_FAULTS], 0);
	record_add_check(ctx->rec, "write_fault_latency", STATUS_SKIP,
			 "no guest access took --fault-threshold %" PRIu64 " ns or more while "
			 "logging: write_fault_p50_us and write_fault_p99_us do not exist",
			 (uint64_t)cfg->fault_ns);
}

static int dirty_stop(struct run_ctx *ctx, char *err, size_t errlen)
{
	struct dirty_config *cfg = ctx->scfg;
	struct dirty_state *st = ctx->priv;
	const struct metric_desc *d = dirty_metrics;
	struct record *r = ctx->rec;
	size_t n = st->win.epochs;
	char lost[512] = "";
	int ret;

	if (n < cfg->iterations)
		return errf(err, errlen, -EIO, "only %zu of %" PRIu64 " harvests ran", n, cfg->iterations);
	ret = dirty_set_logging(ctx, st, false, &st->disable_ms, err, errlen);
	if (ret)
		return ret;

	run_put_value(ctx, &d[DM_LOST], st->lost);
	run_put_value(ctx, &d[DM_SPURIOUS], st->judged ? 100.0 * st->spurious / st->judged : NAN);
	run_put(ctx, &d[DM_WRITTEN], st->s[DM_WRITTEN], n, NAN);
	run_put(ctx, &d[DM_REPORTED], st->s[DM_REPORTED], n, NAN);
	run_put_value(ctx, &d[DM_ENABLE_MS], st->enable_ms);
	run_put_value(ctx, &d[DM_DISABLE_MS], st->disable_ms);
	dirty_put_mode(ctx, st, n);
	run_put(ctx, &d[DM_ITERATION_MS], st->s[DM_ITERATION_MS], n, NAN);
	run_put(ctx, &d[DM_RATE_RATIO], st->s[DM_RATE_RATIO], n, NAN);
	if (st->kvm_after.have_pf)
		run_put_value(ctx, &d[DM_PF_TAKEN],
			      st->kvm_after.pf_taken - st->kvm_logging.pf_taken);
	if (st->kvm_after.have_pages) {
		run_put_value(ctx, &d[DM_PAGES_2M_BEFORE], st->kvm_before.pages_2m);
		run_put_value(ctx, &d[DM_PAGES_2M_AFTER], st->kvm_logging.pages_2m);
	}
	run_put_hist(ctx, WINDOW_HIST_POPULATE, "populate_latency", NULL, &d[DM_POPULATE_P99],
		     NULL);
	run_put_hist(ctx, WINDOW_HIST_BEFORE, "baseline_access_latency", NULL,
		     &d[DM_BASELINE_WRITE_P99], NULL);
	dirty_put_write_faults(ctx, cfg);
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
		run_put_value(ctx, &d[DM_ORACLE_MISSED], st->oracle_missed);
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
	if (dirty_stall_ns) {
		signal(DIRTY_STALL_SIGNAL, SIG_DFL);
		dirty_stall_ns = 0;
	}
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
	series_free(st->s);
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
