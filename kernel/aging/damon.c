// SPDX-License-Identifier: GPL-2.0
/*
 * Aging driver "damon": DAMON's opinion of guest pages, read from its
 * damon:damon_aggregated tracepoint in a private tracefs instance
 * (kernel/trace/damon_trace.c). DAMON samples the accessed bits of its regions
 * (clearing them through the rmap and the MMU notifiers, so KVM's secondary
 * MMU takes part) and reports per region, every aggregation interval, in
 * how many samples the region was found accessed. A guest page is young
 * when the region holding it has nr_accesses > --damon-threshold.
 *
 * Two ways to get a kdamond, neither of which touches anyone else's DAMON:
 *  - observe: a kdamond already runs with paddr operations (from DAMON
 *    sysfs, or the DAMON_RECLAIM / DAMON_LRU_SORT modules): its regions are
 *    physical address ranges and each guest page is placed by its PFN from
 *    /proc/self/pagemap (root). Pages outside the ranges it monitors are
 *    uncovered (old; pass_pages_scanned counts the covered ones).
 *  - own: DAMON sysfs has no kdamond at all (nr_kdamonds 0): we create one
 *    with vaddr operations on our own pid, every sysfs write saved in
 *    env->knobs (restored in reverse, signals included: state off, then
 *    nr_kdamonds 0) and undone at teardown. A configured kdamond that is
 *    off is left alone: writing nr_kdamonds would drop its configuration.
 *
 * A pass waits for the next complete aggregation that begins after the pass
 * starts (bounded by twice the aggregation interval plus a second), so the
 * pass time is mostly waiting: it is not DAMON's cost.
 */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/aging/driver.h"
#include "src/lib/bitmap.h"
#include "kernel/trace/damon_trace.h"
#include "kernel/mm/damon.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/sysfs.h"
#include "src/lib/util.h"

/* The driver's own option (--damon-threshold). */
struct damon_params {
	uint64_t threshold;	/* young when nr_accesses > this */
};


struct damon_state {
	bool own;			/* our vaddr kdamond 0, made through env->knobs */
	bool paddr;			/* regions are physical addresses */
	int kdamond;			/* sysfs index, -1 for a module's kdamond */
	int pid;			/* the kdamond thread */
	unsigned int ntargets;		/* DAMON targets to wait for */
	uint64_t aggr_us;		/* aggregation interval, 0 when unknown */
	uint64_t wait_ns;		/* how long a pass waits for an aggregation */
	char what[128];			/* names the kdamond in messages */
	bool tr_open;
	struct damon_trace tr;
	int knob_base, knob_top;	/* env->knobs entries that are ours: [base, top) */
	uint64_t *pfns;			/* pagemap scratch, largest target */
	struct damon_trace_region *regions;	/* the latest aggregation, all targets */
	size_t nregions, cap;
	unsigned long **old;		/* per target, from the last pass */
};

static void damon_set_wait(struct damon_state *st)
{
	st->wait_ns = st->aggr_us ? (2 * st->aggr_us + 1000000) * 1000 : 10 * 1000000000ull;
}

static int damon_setup(struct aging_env *env, char *err, size_t errlen)
{
	struct damon_state *st = calloc(1, sizeof(*st));
	struct damon_kdamond kd;
	char why[512];
	uint64_t largest = 0, e;
	volatile char probe = 1;
	bool free_sysfs;
	int ret;

	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	env->priv = st;
	st->old = calloc(env->ntargets, sizeof(*st->old));
	if (!st->old)
		return errf(err, errlen, -ENOMEM, "out of memory");
	for (int t = 0; t < env->ntargets; t++) {
		if (env->targets[t].npages > largest)
			largest = env->targets[t].npages;
		st->old[t] = bitmap_alloc(env->targets[t].npages);
		if (!st->old[t])
			return errf(err, errlen, -ENOMEM, "out of memory");
	}

	ret = damon_find_running(&kd, &free_sysfs, why, sizeof(why));
	if (ret) {
		st->paddr = true;
		st->kdamond = kd.kdamond;
		st->pid = kd.pid;
		st->ntargets = kd.ntargets;
		st->aggr_us = kd.aggr_us;
		snprintf(st->what, sizeof(st->what), "%s", kd.what);
	} else if (free_sysfs && env->knobs) {
		st->own = true;
		st->kdamond = 0;
		st->ntargets = 1;
		snprintf(st->what, sizeof(st->what), "our kdamond 0 (vaddr)");
	} else {
		return errf(err, errlen, -EOPNOTSUPP, "%s", why);
	}

	if (st->paddr) {
		/* PFNs place the pages in the physical ranges: root only */
		st->pfns = calloc(largest ? largest : 1, sizeof(uint64_t));
		if (!st->pfns)
			return errf(err, errlen, -ENOMEM, "out of memory");
		ret = pagemap_read((const void *)&probe, 1, &e, err, errlen);
		if (ret)
			return ret;
		if (!pagemap_pfn(e))
			return errf(err, errlen, -EOPNOTSUPP,
				    "%s monitors physical addresses, and /proc/self/pagemap hides "
				    "PFNs: run as root (CAP_SYS_ADMIN)",
				    st->what);
	}
	st->tr_open = true;
	ret = damon_trace_open(&st->tr, st->own ? 0 : st->pid, err, errlen);
	if (ret)
		return ret;
	/* a pause in the middle of one burst of lines is not this long */
	st->tr.col.max_gap_ns = st->aggr_us ? st->aggr_us * 1000 / 2 : 0;
	damon_set_wait(st);
	return 0;
}

/*
 * Undoes our own kdamond now (state off, ..., nr_kdamonds 0), as
 * knob_restore_all() would, when no one saved knobs on top of ours. A write
 * that fails stays in the saver with the ones below it: the caller's
 * knob_restore_all() tries them again and names what it could not restore.
 */
static void damon_own_restore(struct aging_env *env, struct damon_state *st)
{
	struct knob_saver *ks = env->knobs;

	if (!st->own || !ks || st->knob_top <= st->knob_base || ks->n != st->knob_top)
		return;
	while (ks->n > st->knob_base) {
		int i = ks->n - 1;

		ks->n = i;
		atomic_signal_fence(memory_order_seq_cst);
		if (sysfs_write(ks->knobs[i].path, ks->knobs[i].old)) {
			ks->n = i + 1;
			break;
		}
	}
	st->knob_top = ks->n;
}

static int damon_own_start(struct aging_env *env, struct damon_state *st, char *err, size_t errlen)
{
	struct knob_saver *ks = env->knobs;
	char pid[32], buf[256];
	const char *const steps[][2] = {
		{ DAMON_KDAMONDS "/nr_kdamonds", "1" },
		{ DAMON_KDAMONDS "/0/contexts/nr_contexts", "1" },
		{ DAMON_KDAMONDS "/0/contexts/0/operations", "vaddr" },
		{ DAMON_KDAMONDS "/0/contexts/0/targets/nr_targets", "1" },
		{ DAMON_KDAMONDS "/0/contexts/0/targets/0/pid_target", pid },
		{ DAMON_KDAMONDS "/0/state", "on" },
	};
	const char *step = NULL;
	int ret = 0;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	st->knob_base = st->knob_top = ks->n;
	for (size_t i = 0; i < ARRAY_SIZE(steps) && !ret; i++) {
		if (i == 2) {
			/* the context exists now: can it do vaddr? */
			step = DAMON_KDAMONDS "/0/contexts/0/avail_operations";
			ret = sysfs_read(step, buf, sizeof(buf));
			if (ret < 0)
				break;
			ret = 0;
			if (!strstr(buf, "vaddr")) {
				damon_own_restore(env, st);
				return errf(err, errlen, -EOPNOTSUPP,
					    "DAMON offers \"%s\" operations, not vaddr: "
					    "CONFIG_DAMON_VADDR=y (or a running paddr kdamond to "
					    "observe)",
					    buf);
			}
		}
		step = steps[i][0];
		ret = knob_save_and_set(ks, steps[i][0], steps[i][1]);
		st->knob_top = ks->n;
	}
	if (ret) {
		damon_own_restore(env, st);
		if (ret == -EBUSY || ret == -EINVAL || ret == -EPERM)
			return errf(err, errlen, -EOPNOTSUPP,
				    "cannot start a vaddr kdamond of our own (%s: %s): another "
				    "DAMON user (e.g. DAMON_RECLAIM) may hold DAMON exclusively",
				    step, strerror(-ret));
		return errf(err, errlen, ret, "DAMON sysfs: %s: %s", step, strerror(-ret));
	}
	st->pid = damon_kdamond_num(0, "pid", 0);
	st->aggr_us = damon_kdamond_aggr_us(0);
	if (st->pid <= 0) {
		damon_own_restore(env, st);
		return errf(err, errlen, -EIO,
			    DAMON_KDAMONDS "/0/pid: no kdamond thread after state on");
	}
	snprintf(st->what, sizeof(st->what), "our kdamond 0 (vaddr of pid %s, kdamond pid %d)", pid,
		 st->pid);
	st->tr.col.max_gap_ns = st->aggr_us ? st->aggr_us * 1000 / 2 : 0;
	damon_set_wait(st);
	return damon_trace_follow(&st->tr, st->pid, err, errlen);
}

static int damon_start(struct aging_env *env, char *err, size_t errlen)
{
	struct damon_state *st = env->priv;
	int ret;

	if (st->own) {
		ret = damon_own_start(env, st, err, errlen);
		if (ret)
			return ret;
	}
	return damon_trace_enable(&st->tr, true, err, errlen);
}

/* The latest aggregation of every target, sorted by address. */
static int damon_gather(struct damon_state *st, char *err, size_t errlen)
{
	size_t n = 0;

	for (unsigned int t = 0; t < st->ntargets; t++) {
		const struct damon_aggr *a = damon_collector_latest(&st->tr.col, t);

		n += a ? a->nr : 0;
	}
	if (n > st->cap) {
		struct damon_trace_region *r = realloc(st->regions, n * sizeof(*r));

		if (!r)
			return errf(err, errlen, -ENOMEM, "out of memory");
		st->regions = r;
		st->cap = n;
	}
	st->nregions = 0;
	for (unsigned int t = 0; t < st->ntargets; t++) {
		const struct damon_aggr *a = damon_collector_latest(&st->tr.col, t);

		if (!a)
			continue;
		memcpy(st->regions + st->nregions, a->r, a->nr * sizeof(*a->r));
		st->nregions += a->nr;
	}
	damon_regions_sort(st->regions, st->nregions);
	return 0;
}

static int damon_pass(struct aging_env *env, unsigned int epoch, char *err, size_t errlen)
{
	struct damon_state *st = env->priv;
	const struct damon_params *p = env->cfg;
	uint64_t t0 = now_ns(), covered = 0, threshold = p->threshold;
	char why[256];
	int ret;

	ret = damon_trace_wait(&st->tr, t0, st->ntargets, t0 + st->wait_ns, why, sizeof(why));
	/* waiting for the kdamond's next aggregation is not work of the pass */
	env->pass_wait_ns = now_ns() - t0;
	if (ret == -ETIMEDOUT) {
		char ai[32] = "unknown";

		if (st->aggr_us)
			snprintf(ai, sizeof(ai), "%.1f s", st->aggr_us / 1e6);
		return errf(err, errlen, ret, "%s: %s: waited %.1f s (aggregation interval %s)",
			    st->what, why, st->wait_ns / 1e9, ai);
	}
	if (ret)
		return errf(err, errlen, ret, "%s: %s", st->what, why);
	ret = damon_gather(st, err, errlen);
	if (ret)
		return ret;
	if (threshold > UINT_MAX)
		threshold = UINT_MAX;
	for (int t = 0; t < env->ntargets; t++) {
		struct aging_target *tg = &env->targets[t];

		if (!st->paddr) {
			covered += damon_regions_mark_old(st->regions, st->nregions, threshold,
							  NULL, (uintptr_t)tg->hva, tg->npages,
							  st->old[t]);
			continue;
		}
		/* where the pages are now, right after the aggregation */
		ret = pagemap_read(tg->hva, tg->npages, st->pfns, err, errlen);
		if (ret)
			return ret;
		for (uint64_t p = 0; p < tg->npages; p++)
			st->pfns[p] = pagemap_pfn(st->pfns[p]);
		covered += damon_regions_mark_old(st->regions, st->nregions, threshold, st->pfns, 0,
						  tg->npages, st->old[t]);
	}
	env->pass_pages_scanned = covered;
	if (!covered && st->nregions)
		return errf(err, errlen, -EOPNOTSUPP,
			    "%s monitors %s %#jx-%#jx (%zu regions): none of the %ju guest pages "
			    "lies there",
			    st->what, st->paddr ? "physical addresses" : "addresses",
			    (uintmax_t)st->regions[0].start,
			    (uintmax_t)st->regions[st->nregions - 1].end, st->nregions,
			    (uintmax_t)env->total_pages);
	return 0;
}

static int damon_verdict(struct aging_env *env, int t, unsigned long *old, char *err, size_t errlen)
{
	struct damon_state *st = env->priv;

	memcpy(old, st->old[t], BITMAP_WORDS(env->targets[t].npages) * sizeof(unsigned long));
	return 0;
}

static void damon_teardown(struct aging_env *env)
{
	struct damon_state *st = env->priv;

	if (!st)
		return;
	if (st->tr_open)
		damon_trace_close(&st->tr);
	damon_own_restore(env, st);
	for (int t = 0; st->old && t < env->ntargets; t++)
		bitmap_free(st->old[t]);
	free(st->old);
	free(st->pfns);
	free(st->regions);
	free(st);
	env->priv = NULL;
}

static const struct aging_driver_ops damon_ops = {
	.setup = damon_setup,
	.start = damon_start,
	.pass = damon_pass,
	.verdict = damon_verdict,
	.teardown = damon_teardown,
};

static const struct opt_desc damon_opts[] = {
	{ "damon-threshold", OPT_UINT, offsetof(struct damon_params, threshold), "0", "N",
	  "damon: a region is young when its nr_accesses is above N", .record = true },
	OPT_END
};

static const struct opt_table damon_options = {
	.opts = damon_opts,
	.config_size = sizeof(struct damon_params),
};

const struct aging_driver_desc aging_driver_damon = {
	.name = "damon",
	.help = "DAMON region access counts (damon:damon_aggregated in a private tracefs "
		"instance): observes a running paddr kdamond read-only, or runs a vaddr kdamond of "
		"its own when DAMON sysfs is unused; young when nr_accesses > --damon-threshold; a "
		"pass waits for the next aggregation",
	.kind = AGING_YOUNG_OLD,
	/* not mm.damon: a DAMON_RECLAIM/LRU_SORT kdamond is observed without DAMON sysfs */
	.requires = NULL,
	.options = &damon_options,
	.ops = &damon_ops,
};
