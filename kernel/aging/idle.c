// SPDX-License-Identifier: GPL-2.0
/*
 * Aging driver "idle": idle page tracking (kernel/mm/page_idle.h), the way a
 * userspace working-set estimator uses it. start marks every guest page
 * idle; each pass finds the pages' PFNs (pagemap, THP tails to heads
 * through kpageflags), reads their idle bits and marks them idle again for
 * the next epoch. Marking clears the accessed bits through the rmap and the
 * MMU notifiers (KVM's clear_young), reading tests them (test_young): a page
 * still idle was not accessed since the previous pass, by the host or by
 * the guest through KVM's mappings. Verdict: old = still idle, or not
 * present. Pages the bitmap does not track (not on an LRU list: hugetlb,
 * pages still in a per-CPU LRU batch) read as not idle, i.e. young.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/aging/driver.h"
#include "src/lib/bitmap.h"
#include "kernel/mm/page_idle.h"
#include "kernel/mm/pagemap.h"
#include "kernel/probe.h"
#include "src/lib/util.h"

static const char *const idle_requires[] = { "mm.page_idle", NULL };

struct idle_state {
	int fd;				/* the bitmap */
	int kpf_fd;			/* /proc/kpageflags, -1 without (no THP heads) */
	uint64_t *pfns;			/* every target's pages, one after the other */
	uint64_t *flags;		/* kpageflags scratch */
	struct page_idle_set set;
	unsigned long **old;		/* per target, from the last pass */
};

static int idle_setup(struct aging_env *env, char *err, size_t errlen)
{
	struct idle_state *st;
	volatile char probe = 1;
	uint64_t e;
	int ret;

	ret = probe_require(idle_requires, err, errlen);
	if (ret)
		return ret;
	st = calloc(1, sizeof(*st));
	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	st->fd = st->kpf_fd = -1;
	env->priv = st;
	ret = page_idle_open(err, errlen);
	if (ret < 0)
		return ret;
	st->fd = ret;
	ret = pagemap_read((const void *)&probe, 1, &e, err, errlen);
	if (ret)
		return ret;
	if (!pagemap_pfn(e))
		return errf(err, errlen, -EOPNOTSUPP,
			    "/proc/self/pagemap hides PFNs, which idle page tracking speaks in: "
			    "run as root (CAP_SYS_ADMIN)");
	/* without it, THP-backed pages would read young forever (tails are not tracked) */
	st->kpf_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	st->pfns = calloc(env->total_pages ? env->total_pages : 1, sizeof(*st->pfns));
	st->flags = calloc(env->total_pages ? env->total_pages : 1, sizeof(*st->flags));
	st->old = calloc(env->ntargets, sizeof(*st->old));
	if (!st->pfns || !st->flags || !st->old)
		return errf(err, errlen, -ENOMEM, "out of memory");
	for (int t = 0; t < env->ntargets; t++) {
		st->old[t] = bitmap_alloc(env->targets[t].npages);
		if (!st->old[t])
			return errf(err, errlen, -ENOMEM, "out of memory");
	}
	return 0;
}

/* The PFNs the bitmap knows the pages by, now; 0 for absent pages. */
static int idle_pfns(struct aging_env *env, struct idle_state *st, char *err, size_t errlen)
{
	uint64_t off = 0;
	int ret;

	for (int t = 0; t < env->ntargets; t++) {
		struct aging_target *tg = &env->targets[t];

		ret = pagemap_read(tg->hva, tg->npages, st->pfns + off, err, errlen);
		if (ret)
			return ret;
		for (uint64_t p = 0; p < tg->npages; p++)
			st->pfns[off + p] = pagemap_pfn(st->pfns[off + p]);
		off += tg->npages;
	}
	if (st->kpf_fd >= 0) {
		ret = page_idle_heads(st->kpf_fd, st->pfns, st->flags, off, err, errlen);
		if (ret)
			return ret;
	}
	if (page_idle_set_build(&st->set, st->pfns, off))
		return errf(err, errlen, -ENOMEM, "out of memory");
	return 0;
}

static int idle_mark(struct aging_env *env, struct idle_state *st, char *err, size_t errlen)
{
	page_idle_set_fill(&st->set, st->pfns, env->total_pages);
	return page_idle_write(st->fd, &st->set, err, errlen);
}

static int idle_start(struct aging_env *env, char *err, size_t errlen)
{
	struct idle_state *st = env->priv;
	uint64_t idle = 0;
	int ret;

	ret = idle_pfns(env, st, err, errlen);
	if (!ret)
		ret = idle_mark(env, st, err, errlen);
	if (!ret)
		ret = page_idle_read(st->fd, &st->set, err, errlen);
	if (ret)
		return ret;
	/* a page the kernel does not track stays not-idle right after marking */
	for (uint64_t i = 0; i < env->total_pages; i++)
		idle += st->pfns[i] && page_idle_set_test(&st->set, st->pfns[i]);
	if (!idle && env->total_pages)
		return errf(err, errlen, -EOPNOTSUPP,
			    "none of the %ju guest pages stayed idle after being marked: idle page "
			    "tracking follows LRU pages only (not hugetlb backing)",
			    (uintmax_t)env->total_pages);
	return 0;
}

static int idle_pass(struct aging_env *env, unsigned int epoch, char *err, size_t errlen)
{
	struct idle_state *st = env->priv;
	uint64_t off = 0, present = 0;
	int ret;

	ret = idle_pfns(env, st, err, errlen);
	if (!ret)
		ret = page_idle_read(st->fd, &st->set, err, errlen);
	if (ret)
		return ret;
	for (int t = 0; t < env->ntargets; t++) {
		uint64_t n = env->targets[t].npages;

		bitmap_clear_all(st->old[t], n);
		for (uint64_t p = 0; p < n; p++) {
			uint64_t pfn = st->pfns[off + p];

			present += pfn != 0;
			if (!pfn || page_idle_set_test(&st->set, pfn))
				bitmap_set(st->old[t], p);
		}
		off += n;
	}
	env->pass_pages_scanned = present;
	/* the next epoch starts now */
	return idle_mark(env, st, err, errlen);
}

static int idle_verdict(struct aging_env *env, int t, unsigned long *old, char *err, size_t errlen)
{
	struct idle_state *st = env->priv;

	memcpy(old, st->old[t], BITMAP_WORDS(env->targets[t].npages) * sizeof(unsigned long));
	return 0;
}

static void idle_teardown(struct aging_env *env)
{
	struct idle_state *st = env->priv;

	if (!st)
		return;
	/* idle flags left on our pages change nothing for anyone else */
	if (st->fd >= 0)
		close(st->fd);
	if (st->kpf_fd >= 0)
		close(st->kpf_fd);
	page_idle_set_free(&st->set);
	for (int t = 0; st->old && t < env->ntargets; t++)
		bitmap_free(st->old[t]);
	free(st->old);
	free(st->pfns);
	free(st->flags);
	free(st);
	env->priv = NULL;
}

static const struct aging_driver_ops idle_ops = {
	.setup = idle_setup,
	.start = idle_start,
	.pass = idle_pass,
	.verdict = idle_verdict,
	.teardown = idle_teardown,
};

const struct aging_driver_desc aging_driver_idle = {
	.name = "idle",
	.help = "idle page tracking (/sys/kernel/mm/page_idle/bitmap): each pass reads the idle "
		"bits of the guest pages' PFNs and marks them idle again; old = still idle",
	.kind = AGING_YOUNG_OLD,
	.requires = idle_requires,
	.ops = &idle_ops,
};
