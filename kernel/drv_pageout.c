// SPDX-License-Identifier: GPL-2.0
/*
 * Aging driver "pageout": proactive reclaim from userspace, the way a VMM's
 * balloon-less reclaimer does it: each pass hands a candidate set (a
 * deterministic, spread-out --reclaim-pct share of guest pages, different
 * every epoch) to process_madvise(MADV_PAGEOUT). MADV_PAGEOUT reclaims
 * regardless of the accessed bits, so this driver measures what eviction
 * costs — hot pages evicted, their refaults, the guest-visible latency — and
 * that the data survives, not the kernel's aging judgement (mglru, memcg and
 * idle do that). Verdict: evicted = not present in pagemap right after the
 * pass.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "aging_driver.h"
#include "bitmap.h"
#include "pagemap.h"
#include "pattern.h"
#include "swap.h"
#include "util.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGEOUT_IOV_MAX 1024	/* UIO_MAXIOV */

struct pageout_state {
	int pidfd;
	struct swap swap;
	uint64_t *entries;		/* pagemap scratch, largest target */
	unsigned long **evicted;	/* per target, from the last pass */
};

static bool pageout_candidate(uint64_t page, unsigned int epoch, uint64_t pct)
{
	return pattern_scale(pattern_mix64(page ^ ((uint64_t)epoch << 40) ^ 0x9a6e0u), 100) < pct;
}

static int pageout_setup(struct aging_env *env, char *err, size_t errlen)
{
	struct pageout_state *st = calloc(1, sizeof(*st));
	uint64_t largest = 0;
	int ret;

	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	env->priv = st;
	st->evicted = calloc(env->ntargets, sizeof(*st->evicted));
	if (!st->evicted)
		return errf(err, errlen, -ENOMEM, "out of memory");
	st->pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (st->pidfd < 0)
		return errf(err, errlen, -EOPNOTSUPP, "pidfd_open: %s (Linux 5.3+)", strerror(errno));
	ret = swap_ensure(&st->swap, env->total_pages * 4096, env->params->swap_dir, err, errlen);
	if (ret)
		return ret;
	for (int t = 0; t < env->ntargets; t++) {
		if (env->targets[t].npages > largest)
			largest = env->targets[t].npages;
		st->evicted[t] = bitmap_alloc(env->targets[t].npages);
		if (!st->evicted[t])
			return errf(err, errlen, -ENOMEM, "out of memory");
	}
	st->entries = calloc(largest, sizeof(uint64_t));
	return st->entries ? 0 : errf(err, errlen, -ENOMEM, "out of memory");
}

/*
 * Pages out one batch and reads residency right after it: a hot page the
 * guest refaults within the batch's few milliseconds still looks kept (the
 * vmstat pswpout count in the record shows how many that was).
 */
static int pageout_batch(struct pageout_state *st, struct aging_target *tg, unsigned long *evicted,
			 struct iovec *iov, int n, char *err, size_t errlen)
{
	uint64_t first = ((char *)iov[0].iov_base - (char *)tg->hva) / 4096;
	uint64_t end = ((char *)iov[n - 1].iov_base + iov[n - 1].iov_len - (char *)tg->hva) / 4096;
	int ret;

	if (syscall(SYS_process_madvise, st->pidfd, iov, n, MADV_PAGEOUT, 0) < 0)
		return errf(err, errlen, -errno, "process_madvise(MADV_PAGEOUT): %s", strerror(errno));
	ret = pagemap_read((char *)tg->hva + first * 4096, end - first, st->entries, err, errlen);
	if (ret)
		return ret;
	for (uint64_t p = first; p < end; p++)
		if (!pagemap_present(st->entries[p - first]))
			bitmap_set(evicted, p);
	return 0;
}

/* Candidates in runs of consecutive pages, PAGEOUT_IOV_MAX runs per call. */
static int pageout_target(struct pageout_state *st, struct aging_target *tg, unsigned long *evicted,
			  unsigned int epoch, uint64_t pct, char *err, size_t errlen)
{
	struct iovec iov[PAGEOUT_IOV_MAX];
	int n = 0, ret;

	bitmap_clear_all(evicted, tg->npages);
	for (uint64_t p = 0; p < tg->npages; p++) {
		char *addr = (char *)tg->hva + p * 4096;

		if (!pageout_candidate(p, epoch, pct))
			continue;
		if (n && (char *)iov[n - 1].iov_base + iov[n - 1].iov_len == addr) {
			iov[n - 1].iov_len += 4096;
			continue;
		}
		if (n == PAGEOUT_IOV_MAX) {
			ret = pageout_batch(st, tg, evicted, iov, n, err, errlen);
			if (ret)
				return ret;
			n = 0;
		}
		iov[n++] = (struct iovec){ addr, 4096 };
	}
	return n ? pageout_batch(st, tg, evicted, iov, n, err, errlen) : 0;
}

static int pageout_pass(struct aging_env *env, unsigned int epoch, char *err, size_t errlen)
{
	struct pageout_state *st = env->priv;
	int ret;

	for (int t = 0; t < env->ntargets; t++) {
		ret = pageout_target(st, &env->targets[t], st->evicted[t], epoch,
				     env->params->reclaim_pct, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

static int pageout_verdict(struct aging_env *env, int t, unsigned long *old, char *err, size_t errlen)
{
	struct pageout_state *st = env->priv;

	memcpy(old, st->evicted[t], BITMAP_WORDS(env->targets[t].npages) * sizeof(unsigned long));
	return 0;
}

static void pageout_teardown(struct aging_env *env)
{
	struct pageout_state *st = env->priv;

	if (!st)
		return;
	if (st->pidfd >= 0)
		close(st->pidfd);
	/* swapoff brings everything back in before the file goes */
	swap_release(&st->swap);
	for (int t = 0; st->evicted && t < env->ntargets; t++)
		bitmap_free(st->evicted[t]);
	free(st->evicted);
	free(st->entries);
	free(st);
	env->priv = NULL;
}

static const struct aging_driver_ops pageout_ops = {
	.setup = pageout_setup,
	.pass = pageout_pass,
	.verdict = pageout_verdict,
	.teardown = pageout_teardown,
};

const struct aging_driver_desc aging_driver_pageout = {
	.name = "pageout",
	.help = "process_madvise(MADV_PAGEOUT) of a spread --reclaim-pct share each pass "
		"(evicts regardless of accessed bits: measures eviction cost and refaults); "
		"creates a temporary swapfile when no swap is active",
	.kind = AGING_EVICTED_KEPT,
	.ops = &pageout_ops,
};
