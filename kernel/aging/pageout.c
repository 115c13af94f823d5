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

#include "kernel/aging/driver.h"
#include "guests/abi/pattern.h"
#include "kernel/aging/eviction.h"
#include "src/lib/util.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PAGEOUT_IOV_MAX 1024	/* UIO_MAXIOV */

struct pageout_state {
	/* first: the shared verdict (eviction_ops_verdict) finds it */
	struct eviction ev;
	int pidfd;
};
EVICTION_STATE_FIRST(struct pageout_state, ev);

static bool pageout_candidate(uint64_t page, unsigned int epoch, uint64_t pct)
{
	return pattern_scale(pattern_mix64(page ^ ((uint64_t)epoch << 40) ^ 0x9a6e0u), 100) < pct;
}

static int pageout_setup(struct aging_env *env, char *err, size_t errlen)
{
	struct pageout_state *st = calloc(1, sizeof(*st));

	if (!st)
		return errf(err, errlen, -ENOMEM, "out of memory");
	env->priv = st;
	st->pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (st->pidfd < 0)
		return errf(err, errlen, -EOPNOTSUPP, "pidfd_open: %s (Linux 5.3+)",
			    strerror(errno));
	return eviction_setup(&st->ev, env, err, errlen);
}

/*
 * Pages out one batch and reads residency right after it: a hot page the
 * guest refaults within the batch's few milliseconds still looks kept (the
 * record's unmap_hva_pages, from KVM's tracepoint, counts every eviction).
 */
static int pageout_batch(struct pageout_state *st, struct aging_env *env, int t,
			 struct iovec *iov, int n, char *err, size_t errlen)
{
	char *hva = env->targets[t].hva;
	uint64_t first = ((char *)iov[0].iov_base - hva) / 4096;
	uint64_t end = ((char *)iov[n - 1].iov_base + iov[n - 1].iov_len - hva) / 4096;

	if (syscall(SYS_process_madvise, st->pidfd, iov, n, MADV_PAGEOUT, 0) < 0)
		return errf(err, errlen, -errno, "process_madvise(MADV_PAGEOUT): %s",
			    strerror(errno));
	return eviction_mark(&st->ev, env, t, first, end, err, errlen);
}

/* Candidates in runs of consecutive pages, PAGEOUT_IOV_MAX runs per call. */
static int pageout_target(struct pageout_state *st, struct aging_env *env, int t,
			  unsigned int epoch, char *err, size_t errlen)
{
	const struct aging_target *tg = &env->targets[t];
	uint64_t pct = eviction_params(env)->reclaim_pct;
	struct iovec iov[PAGEOUT_IOV_MAX];
	int n = 0, ret;

	eviction_clear(&st->ev, env, t);
	for (uint64_t p = 0; p < tg->npages; p++) {
		char *addr = (char *)tg->hva + p * 4096;

		if (!pageout_candidate(p, epoch, pct))
			continue;
		if (n && (char *)iov[n - 1].iov_base + iov[n - 1].iov_len == addr) {
			iov[n - 1].iov_len += 4096;
			continue;
		}
		if (n == PAGEOUT_IOV_MAX) {
			ret = pageout_batch(st, env, t, iov, n, err, errlen);
			if (ret)
				return ret;
			n = 0;
		}
		iov[n++] = (struct iovec){ addr, 4096 };
	}
	return n ? pageout_batch(st, env, t, iov, n, err, errlen) : 0;
}

static int pageout_pass(struct aging_env *env, unsigned int epoch, char *err, size_t errlen)
{
	struct pageout_state *st = env->priv;
	int ret;

	for (int t = 0; t < env->ntargets; t++) {
		ret = pageout_target(st, env, t, epoch, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

static void pageout_teardown(struct aging_env *env)
{
	struct pageout_state *st = env->priv;

	if (!st)
		return;
	if (st->pidfd >= 0)
		close(st->pidfd);
	eviction_teardown(&st->ev);
	free(st);
	env->priv = NULL;
}

static const struct aging_driver_ops pageout_ops = {
	.setup = pageout_setup,
	.pass = pageout_pass,
	.verdict = eviction_ops_verdict,
	.teardown = pageout_teardown,
};

const struct aging_driver_desc aging_driver_pageout = {
	.name = "pageout",
	.help = "process_madvise(MADV_PAGEOUT) of a spread --reclaim-pct share each pass "
		"(evicts regardless of accessed bits: measures eviction cost and refaults); "
		"creates a temporary swapfile when no swap is active",
	.kind = AGING_EVICTED_KEPT,
	.options = &eviction_options,
	.ops = &pageout_ops,
};
