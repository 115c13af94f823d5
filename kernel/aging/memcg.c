// SPDX-License-Identifier: GPL-2.0
/*
 * Aging driver "memcg": proactive reclaim of the VMM's memcg
 * (kernel/mm/memcg.h), the way container and VM managers shrink a workload:
 * each pass asks the kernel to reclaim --reclaim-pct of the guest's bytes
 * (v2 memory.reclaim; v1: lower memory.limit_in_bytes and raise it back).
 * The kernel's LRU (MGLRU where enabled) chooses what goes, so this measures
 * its aging judgement under reclaim. Verdict: old = evicted = the page is not
 * present in pagemap right after the pass. env->pass_pages_scanned is the
 * memcg's pgscan over the pass (cgroup v2; NAN on v1). A pass where the
 * kernel reclaimed less than asked is not an error (it is counted and shown
 * with --debug).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/aging/driver.h"
#include "kernel/mm/memcg.h"
#include "kernel/aging/eviction.h"
#include "kernel/probe.h"
#include "src/lib/util.h"

static const char *const memcg_drv_requires[] = { "mm.memcg", NULL };

struct memcg_drv_state {
	/* first: the shared verdict (eviction_ops_verdict) finds it */
	struct eviction ev;
	struct memcg memcg;
	bool debug;
	unsigned int short_passes;	/* the kernel reclaimed less than asked */
};
EVICTION_STATE_FIRST(struct memcg_drv_state, ev);

static int memcg_drv_setup(struct aging_env *env, char *err, size_t errlen)
{
	struct memcg_drv_state *st;
	int ret;

	ret = probe_require(memcg_drv_requires, err, errlen);
	if (ret)
		return ret;
	st = calloc(1, sizeof(*st));
	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	env->priv = st;
	st->debug = env->debug;
	ret = memcg_enter(&st->memcg, env->knobs, err, errlen);
	if (ret)
		return ret;
	return eviction_setup(&st->ev, env, err, errlen);
}

static int memcg_drv_start(struct aging_env *env, char *err, size_t errlen)
{
	struct memcg_drv_state *st = env->priv;
	uint64_t usage;
	int ret;

	ret = memcg_usage(&st->memcg, &usage, err, errlen);
	if (ret)
		return ret;
	if (usage < env->total_pages * 4096 / 2)
		return errf(err, errlen, -EINVAL,
			    "memcg %s holds %" PRIu64 " KiB, less than half of the guest's "
			    "%" PRIu64 " KiB: guest memory was touched before the driver's setup, "
			    "or is not "
			    "charged to a memcg (hugetlb)",
			    st->memcg.dir, usage >> 10, env->total_pages * 4);
	if (st->debug)
		fprintf(stderr, "mmubench: memcg: %s (v%d), %" PRIu64 " KiB charged\n",
			st->memcg.dir, st->memcg.version == MEMCG_V2 ? 2 : 1, usage >> 10);
	return 0;
}

static int memcg_drv_pass(struct aging_env *env, unsigned int epoch, char *err, size_t errlen)
{
	struct memcg_drv_state *st = env->priv;
	uint64_t bytes = eviction_params(env)->reclaim_pct * env->total_pages / 100 * 4096;
	uint64_t scan0 = 0, scan1 = 0, u0 = 0, u1 = 0;
	uint64_t swappiness = eviction_params(env)->swappiness;
	int sw = swappiness > 200 ? 200 : (int)swappiness;
	bool have_scan;
	int ret;

	have_scan = !memcg_stat(&st->memcg, "pgscan", &scan0);
	if (st->debug)
		memcg_usage(&st->memcg, &u0, NULL, 0);
	ret = memcg_reclaim(&st->memcg, bytes, sw, err, errlen);
	if (ret == -EAGAIN) {
		st->short_passes++;
		if (st->debug)
			fprintf(stderr, "mmubench: memcg pass %u: %s\n", epoch + 1, err);
		ret = 0;
	}
	if (ret)
		return ret;
	have_scan = have_scan && !memcg_stat(&st->memcg, "pgscan", &scan1);
	env->pass_pages_scanned = have_scan ? (double)(scan1 - scan0) : NAN;

	/* residency now, before the guest refaults what it still uses */
	ret = eviction_read_all(&st->ev, env, err, errlen);
	if (ret)
		return ret;
	if (st->debug) {
		memcg_usage(&st->memcg, &u1, NULL, 0);
		fprintf(stderr,
			"mmubench: memcg pass %u: asked %" PRIu64 " KiB, usage %" PRIu64
			" -> %" PRIu64 " KiB, pgscan %.0f\n",
			epoch + 1, bytes >> 10, u0 >> 10, u1 >> 10, env->pass_pages_scanned);
	}
	return 0;
}

static void memcg_drv_teardown(struct aging_env *env)
{
	struct memcg_drv_state *st = env->priv;

	if (!st)
		return;
	if (st->debug && st->short_passes)
		fprintf(stderr, "mmubench: memcg: %u passes reclaimed less than asked\n",
			st->short_passes);
	eviction_teardown(&st->ev);	/* swapoff first: the pages come back into the memcg */
	memcg_leave(&st->memcg);
	free(st);
	env->priv = NULL;
}

static const struct aging_driver_ops memcg_drv_ops = {
	.setup = memcg_drv_setup,
	.start = memcg_drv_start,
	.pass = memcg_drv_pass,
	.verdict = eviction_ops_verdict,
	.teardown = memcg_drv_teardown,
};

const struct aging_driver_desc aging_driver_memcg = {
	.name = "memcg",
	.help = "proactive reclaim of the VMM's own memcg: each pass reclaims --reclaim-pct of "
		"guest memory (cgroup v2 memory.reclaim; v1 lowers memory.limit_in_bytes and "
		"raises it back) and the kernel's LRU picks the pages; evicted = old. Creates a "
		"temporary swapfile when no swap is active",
	.kind = AGING_EVICTED_KEPT,
	.requires = memcg_drv_requires,
	.options = &eviction_options,
	.ops = &memcg_drv_ops,
};
