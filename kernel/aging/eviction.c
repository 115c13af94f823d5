// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/bitmap.h"
#include "kernel/aging/eviction.h"
#include "kernel/mm/pagemap.h"
#include "src/lib/util.h"

#define ECFG(f) offsetof(struct eviction_params, f)

static const struct opt_desc eviction_opts[] = {
	{ "reclaim-pct", OPT_PCT, ECFG(reclaim_pct), "10", "PCT",
	  "pageout, memcg, mglru: share of guest memory to reclaim per pass", .record = true },
	{ "swappiness", OPT_UINT, ECFG(swappiness), "200", "N",
	  "mglru eviction and memcg reclaim swappiness (200: anonymous only)", .max = 200,
	  .record = true },
	{ "swap-dir", OPT_STRING, ECFG(swap_dir), "/var/tmp", "DIR",
	  "where a temporary swapfile goes when no swap is active (ext4/xfs, not tmpfs)",
	  .record = true },
	OPT_END
};

const struct opt_table eviction_options = {
	.opts = eviction_opts,
	.config_size = sizeof(struct eviction_params),
};

int eviction_setup(struct eviction *ev, const struct aging_env *env, char *err, size_t errlen)
{
	uint64_t largest = 1;
	int ret;

	memset(ev, 0, sizeof(*ev));
	ev->ntargets = env->ntargets;
	ev->evicted = calloc(env->ntargets, sizeof(*ev->evicted));
	if (!ev->evicted)
		return errf(err, errlen, -ENOMEM, "out of memory");
	for (int t = 0; t < env->ntargets; t++) {
		if (env->targets[t].npages > largest)
			largest = env->targets[t].npages;
		ev->evicted[t] = bitmap_alloc(env->targets[t].npages);
		if (!ev->evicted[t])
			return errf(err, errlen, -ENOMEM, "out of memory");
	}
	ev->entries = calloc(largest, sizeof(uint64_t));
	if (!ev->entries)
		return errf(err, errlen, -ENOMEM, "out of memory");
	ret = swap_ensure(&ev->swap, env->total_pages * 4096, eviction_params(env)->swap_dir, err,
			  errlen);
	if (ret)
		return ret;
	ev->swap_on = true;
	return 0;
}

void eviction_clear(struct eviction *ev, const struct aging_env *env, int t)
{
	bitmap_clear_all(ev->evicted[t], env->targets[t].npages);
}

int eviction_mark(struct eviction *ev, const struct aging_env *env, int t, uint64_t first,
		  uint64_t end, char *err, size_t errlen)
{
	const struct aging_target *tg = &env->targets[t];
	int ret;

	ret = pagemap_read((char *)tg->hva + first * 4096, end - first, ev->entries, err, errlen);
	if (ret)
		return ret;
	for (uint64_t p = first; p < end; p++)
		if (!pagemap_present(ev->entries[p - first]))
			bitmap_set(ev->evicted[t], p);
	return 0;
}

int eviction_read_all(struct eviction *ev, const struct aging_env *env, char *err, size_t errlen)
{
	int ret;

	for (int t = 0; t < env->ntargets; t++) {
		eviction_clear(ev, env, t);
		ret = eviction_mark(ev, env, t, 0, env->targets[t].npages, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

void eviction_verdict(const struct eviction *ev, const struct aging_env *env, int t,
		      unsigned long *old)
{
	memcpy(old, ev->evicted[t], BITMAP_WORDS(env->targets[t].npages) * sizeof(unsigned long));
}

int eviction_ops_verdict(struct aging_env *env, int t, unsigned long *old, char *err,
			 size_t errlen)
{
	eviction_verdict(env->priv, env, t, old);
	return 0;
}

void eviction_teardown(struct eviction *ev)
{
	/* swapoff brings everything back in before the file goes */
	if (ev->swap_on)
		swap_release(&ev->swap);
	for (int t = 0; ev->evicted && t < ev->ntargets; t++)
		bitmap_free(ev->evicted[t]);
	free(ev->evicted);
	free(ev->entries);
	memset(ev, 0, sizeof(*ev));
}
