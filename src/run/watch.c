// SPDX-License-Identifier: GPL-2.0
/*
 * The main thread while the vCPUs run: polls every 10 ms, calls the
 * scenario's epoch() on schedule, watches for stalls and signals, and prints
 * progress on long runs.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "src/run/internal.h"
#include "src/lib/util.h"
#include "workloads/scenario.h"

/*
 * SIGINT/SIGTERM/SIGHUP during a run: the one piece of global state, because
 * a signal handler can reach nothing else. The run stops at the next poll of
 * run_wait(), so every scenario and driver teardown (host knobs, swapfiles,
 * memcgs, tracefs instances) still runs. SA_RESETHAND: a second signal kills.
 */
static volatile sig_atomic_t run_signalled;

static void run_on_signal(int sig)
{
	run_signalled = sig;
}

void run_catch_signals(void)
{
	struct sigaction stop = { .sa_handler = run_on_signal,
				  .sa_flags = SA_RESTART | SA_RESETHAND };

	run_signalled = 0;
	sigemptyset(&stop.sa_mask);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGHUP, &stop, NULL);
	run_kick_install();
}

/* After the run: Ctrl-C is an ordinary kill again. */
void run_release_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

/* Every epoch interval, the scenario's epoch(); returns its error, if any. */
static int run_epoch(struct run_ctx *ctx, uint64_t now, uint64_t *next, unsigned int *n,
		     char *err, size_t errlen)
{
	int ret;

	if (!ctx->scenario->ops->epoch || !ctx->epoch_interval_ns || ctx->stopping ||
	    ctx->aborted || now < *next)
		return 0;
	ret = ctx->scenario->ops->epoch(ctx, (*n)++, err, errlen);
	*next += ctx->epoch_interval_ns;
	if (*next < now_ns())
		*next = now_ns() + ctx->epoch_interval_ns;	/* a slow pass: no catch-up burst */
	if (ret > 0)
		ctx->stopping = true;
	if (ret < 0)
		run_abort(ctx);
	return ret < 0 ? ret : 0;
}

/*
 * A vCPU that stays inside one KVM_RUN for --stall-timeout seconds while its
 * cursor and populated count stand still is hung (in the guest or in KVM):
 * the run fails naming it, and every vCPU thread is kicked out for good.
 */
struct run_stall {
	uint64_t key[GUEST_MAX_VCPUS];	/* progress + KVM_RUN returns when last seen */
	uint64_t since[GUEST_MAX_VCPUS];	/* when it last changed */
	bool stopping;
};

static int run_check_stall(struct run_ctx *ctx, struct run_stall *st, uint64_t now,
			   char *err, size_t errlen)
{
	uint64_t limit = ctx->cfg->stall_s * 1000000000ull;

	if (!limit || st->stopping)
		return 0;
	for (int i = 0; i < ctx->nvcpus; i++) {
		struct run_vcpu *v = &ctx->vcpus[i];
		uint64_t key = v->ctrl->cursor + v->ctrl->populated +
			       __atomic_load_n(&v->vcpu->run_returns, __ATOMIC_SEQ_CST);

		if (key != st->key[i] || !st->since[i] ||
		    !__atomic_load_n(&v->vcpu->in_run, __ATOMIC_SEQ_CST)) {
			st->key[i] = key;
			st->since[i] = now;
			continue;
		}
		if (now - st->since[i] < limit)
			continue;
		st->stopping = true;
		run_abort(ctx);
		for (int j = 0; j < ctx->nvcpus; j++)
			__atomic_store_n(&ctx->vcpus[j].vcpu->stop, true, __ATOMIC_SEQ_CST);
		return errf(err, errlen, -ETIMEDOUT,
			    "vCPU %d made no progress for %" PRIu64 " s inside KVM_RUN (cursor "
			    "%" PRIu64 ", populated %" PRIu64 "): a hang in the guest or in KVM; "
			    "stopped (--stall-timeout)",
			    i, ctx->cfg->stall_s, (uint64_t)v->ctrl->cursor,
			    (uint64_t)v->ctrl->populated);
	}
	return 0;
}

/*
 * Waits for the vCPU threads, calling the scenario's epochs and printing
 * progress every few seconds on long runs. Returns an epoch's error, or 0.
 */
int run_wait(struct run_ctx *ctx, char *err, size_t errlen)
{
	uint64_t start = now_ns(), last = start, next = start + ctx->epoch_interval_ns;
	struct run_stall stall = { 0 };
	unsigned int nepoch = 0;
	int ret = 0;
	bool all;

	do {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		uint64_t populated = 0, accesses = 0, now;

		nanosleep(&ts, NULL);
		all = true;
		for (int i = 0; i < ctx->nvcpus; i++) {
			all &= __atomic_load_n(&ctx->vcpus[i].finished, __ATOMIC_ACQUIRE);
			populated += ctx->vcpus[i].ctrl->populated;
			accesses += ctx->vcpus[i].ctrl->cursor;
		}
		now = now_ns();
		if (!ret)
			ret = run_epoch(ctx, now, &next, &nepoch, err, errlen);
		if (!ret)
			ret = run_check_stall(ctx, &stall, now, err, errlen);
		if (stall.stopping)
			run_kick_stopped(ctx);
		if (run_signalled && !ret) {
			ret = errf(err, errlen, -EINTR, "interrupted by signal %d: stopped cleanly",
				   (int)run_signalled);
			run_abort(ctx);
		}
		if (!all && !ctx->cfg->quiet && now - last >= 5000000000ull) {
			fprintf(stderr, "mmubench: %4.0fs: %" PRIu64 " pages populated of %" PRIu64
				", %" PRIu64 " accesses done\n", (now - start) / 1e9, populated,
				ctx->nvcpus * ctx->pages_per_vcpu, accesses);
			last = now;
		}
	} while (!all);
	for (int i = 0; i < ctx->nvcpus; i++)
		pthread_join(ctx->vcpus[i].thread, NULL);
	return ret;
}
